"""The one description of the Media Collection API's event types and parameters.

Everything else (schemas, bodies, the server's validation, the UI's forms, the
advisor) reads this module; no other file lists event types or parameters.
Source: ../shared/spec/media-collection-api.md §3 and §4.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = [
    "ParamType",
    "Location",
    "Param",
    "EventType",
    "EVENTS",
    "EVENT_NAMES",
    "PARAMS",
    "GROUPS",
    "STANDARD_STATES",
    "STATE_ALIASES",
    "LIVE_CONTENT_TYPES",
    "CUSTOM_METADATA_KEY_PATTERN",
    "event",
    "params_for",
    "qoe_params",
    "sample_value",
]


class ParamType(str, Enum):
    """JSON type of a parameter value."""

    STRING = "string"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    OBJECT = "object"


class Location(str, Enum):
    """Which body object a parameter lives in."""

    PARAMS = "params"
    QOE = "qoeData"


@dataclass(frozen=True)
class Param:
    """One request parameter: its key, type and the events it is set on."""

    key: str
    type: ParamType
    description: str
    events: tuple[str, ...]
    required_on: tuple[str, ...] = ()
    location: Location = Location.PARAMS
    minimum: float | None = None
    suggestions: tuple[str, ...] = ()
    example: Any = None
    unit: str = ""

    def required(self, event_type: str) -> bool:
        """True when the schema of ``event_type`` requires this key."""
        return event_type in self.required_on


@dataclass(frozen=True)
class EventType:
    """One wire value of ``eventType`` and what its body may carry."""

    name: str
    group: str
    description: str
    endpoint: str = "events"  # "sessions" for sessionStart only
    params: str = "optional"  # "required", "optional" or "forbidden"
    custom_metadata: bool = False
    shortcut: str = ""  # never a standard key (Ctrl+A, Ctrl+B…): tests/ui/test_shortcuts.py

    @property
    def requires_params(self) -> bool:
        return self.params == "required"

    @property
    def allows_params(self) -> bool:
        return self.params != "forbidden"


# Groups in the order the UI shows them.
GROUPS = ("Session", "Playback", "Ads", "Chapters", "Player states", "Quality and errors")

_E = EventType
EVENTS: tuple[EventType, ...] = (
    _E("sessionStart", "Session", "Intent to play: opens a session; the 201 carries the sid "
       "in Location.", endpoint="sessions", params="required", custom_metadata=True,
       shortcut="Ctrl+Shift+O"),
    _E("sessionComplete", "Session", "Content reached its end; the session stays open until "
       "timeout or sessionEnd.", shortcut="Ctrl+Shift+C"),
    _E("sessionEnd", "Session", "Hard close: the backend discards anything sent after it.",
       shortcut="Ctrl+Shift+E"),
    _E("play", "Playback", "Playing: first frame, resume after pause, or end of buffering.",
       shortcut="Space"),
    _E("ping", "Playback", "Heartbeat with the playhead: every 10 s in content, 1 s in ads. "
       "Never carries params.", params="forbidden", shortcut="Ctrl+Shift+I"),
    _E("pauseStart", "Playback", "Paused; the playhead holds still until play.", shortcut="P"),
    _E("bufferStart", "Playback", "Stalled; the playhead holds still until play.", shortcut="B"),
    _E("adBreakStart", "Ads", "An ad pod opens; ads are only counted inside a break.",
       params="required", shortcut="Ctrl+Shift+B"),
    _E("adStart", "Ads", "An ad begins; must follow adBreakStart or Adobe ignores it.",
       params="required", custom_metadata=True, shortcut="Ctrl+Shift+A"),
    _E("adComplete", "Ads", "The ad played to its end.", shortcut="Ctrl+D"),
    _E("adSkip", "Ads", "The ad was skipped.", shortcut="Ctrl+K"),
    _E("adBreakComplete", "Ads", "The ad pod closes; send play to resume content.",
       shortcut="Ctrl+Shift+V"),
    _E("chapterStart", "Chapters", "A chapter begins; chapters do not overlap.",
       params="required", custom_metadata=True, shortcut="Ctrl+Shift+H"),
    _E("chapterComplete", "Chapters", "The chapter finished.", shortcut="Ctrl+Shift+J"),
    _E("chapterSkip", "Chapters", "The chapter was left before its end.", shortcut="Ctrl+J"),
    _E("stateStart", "Player states", "The player enters a state (fullscreen, mute, ...).",
       params="required", shortcut="Ctrl+Shift+T"),
    _E("stateEnd", "Player states", "The player leaves a state opened by stateStart.",
       params="required", shortcut="Ctrl+Shift+Y"),
    _E("bitrateChange", "Quality and errors", "Quality switch; put the new media.qoe.bitrate "
       "in qoeData.", shortcut="Ctrl+R"),
    _E("error", "Quality and errors", "Playback error; the session stays open (play recovers, "
       "sessionEnd is fatal).", shortcut="Ctrl+E"),
)
EVENT_NAMES: tuple[str, ...] = tuple(e.name for e in EVENTS)
_BY_NAME = {e.name: e for e in EVENTS}

_S, _N, _I, _B, _O = (ParamType.STRING, ParamType.NUMBER, ParamType.INTEGER,
                      ParamType.BOOLEAN, ParamType.OBJECT)
_SS = ("sessionStart",)
STANDARD_STATES = ("fullscreen", "mute", "closedCaptioning", "pictureInPicture", "inFocus")
# I11: Adobe's player-state table spells it fullScreen; the backend treats both as one.
STATE_ALIASES = {"fullScreen": "fullscreen"}
# media.contentType values whose playhead is the second of the day (spec §2.2).
LIVE_CONTENT_TYPES = frozenset({"live", "linear"})
CUSTOM_METADATA_KEY_PATTERN = r"^[a-zA-Z0-9_.]+$"


def _session(key: str, type_: ParamType, desc: str, required: bool = False,
             **kw: Any) -> Param:
    return Param(key, type_, desc, _SS, _SS if required else (), **kw)


def _std_metadata(names: str, audio: bool = False) -> tuple[Param, ...]:
    kind = "audio metadata" if audio else "standard metadata"
    return tuple(_session(f"media.{n}", _S, f"Optional {kind}: {n}.") for n in names.split())


PARAMS: tuple[Param, ...] = (
    # §4.1 session, visitor, privacy
    _session("analytics.trackingServer", _S, "Analytics tracking server host.", True,
             example="metrics.example.org"),
    _session("analytics.reportSuite", _S, "Analytics report suite id.", True,
             example="demo-rs"),
    _session("analytics.enableSSL", _B, "Send Analytics data over HTTPS."),
    _session("analytics.visitorId", _S, "Custom visitor id (VID)."),
    _session("analytics.aid", _S, "Legacy Analytics visitor id."),
    _session("analytics.optOutServerSideForwarding", _B,
             "CCPA opt-out: sharing with other Adobe solutions."),
    _session("analytics.optOutShare", _B, "CCPA opt-out: federation to other customers."),
    _session("visitor.marketingCloudOrgId", _S, "Experience Cloud (IMS) org id.", True,
             example="ABC123DEF456@AdobeOrg"),
    _session("visitor.marketingCloudUserId", _S, "Experience Cloud id (ECID/MID)."),
    _session("visitor.aamLocationHint", _I, "Audience Manager edge region."),
    _session("visitor.customerIDs", _O,
             'Customer ids: {"<idType>": {"id": string, "authState": 0, 1 or 2}}.'),
    _session("appInstallationId", _S, "Per app per device id; lets the backend derive an ECID."),
    # §4.2 content
    _session("media.id", _S, "Content id.", True, example="ep-0042"),
    _session("media.length", _N, "Content length in seconds (86400 for live of unknown "
             "length).", True, minimum=0, example=1815.5, unit="s"),
    _session("media.contentType", _S, "Content type, free text.", True, example="vod",
             suggestions=("vod", "live", "linear", "ugc", "dvod", "song", "podcast",
                          "audiobook", "radio")),
    _session("media.playerName", _S, "Content player name.", True, example="inspector-player"),
    _session("media.channel", _S, "Distribution property.", True, example="demo-web"),
    _session("media.name", _S, "Content title."),
    _session("media.streamType", _S, "Stream type.", suggestions=("video", "audio")),
    _session("media.sdkVersion", _S, "SDK version."),
    _session("media.libraryVersion", _S, "Library version."),
    _session("media.resume", _B, "This session resumes an earlier one."),
    _session("media.downloaded", _B, "Offline (downloaded) playback."),
    *_std_metadata("streamFormat show season episode assetId genre firstAirDate "
                   "firstDigitalDate rating originator network"),
    _session("media.showType", _S, "Show type: \"0\" full episode, \"1\" preview, "
             "\"2\" clip, \"3\" other.", suggestions=("0", "1", "2", "3")),
    *_std_metadata("adLoad pass.mvpd"),
    _session("media.pass.auth", _S, "MVPD authorised; only \"true\".", suggestions=("true",)),
    *_std_metadata("dayPart feed"),
    *_std_metadata("artist album label author station publisher", audio=True),
    # §4.3 ads
    Param("media.ad.podIndex", _I, "The pod's place in the content (1-based here).",
          ("adBreakStart",), ("adBreakStart",), minimum=0, example=1),
    Param("media.ad.podSecond", _N, "Content second of the pod (0 = pre-roll).",
          ("adBreakStart",), ("adBreakStart",), minimum=0, example=0, unit="s"),
    # I12: accepted on adStart too (Adobe's own timeline bodies send it) and ignored there.
    Param("media.ad.podFriendlyName", _S, "Pod name.", ("adBreakStart", "adStart")),
    Param("media.ad.id", _S, "Ad id.", ("adStart",), ("adStart",), example="spot-77"),
    Param("media.ad.length", _N, "Ad length in seconds.", ("adStart",), ("adStart",),
          minimum=0, example=15, unit="s"),
    Param("media.ad.podPosition", _I, "Place in the pod (1-based here).", ("adStart",),
          ("adStart",), minimum=0, example=1),
    Param("media.ad.playerName", _S, "Ad player name.", ("adStart",), ("adStart",),
          example="inspector-ads"),
    *(Param(f"media.ad.{n}", _S, f"Optional ad metadata: {n}.", ("adStart",))
      for n in "name advertiser campaignId creativeId siteId creativeURL placementId".split()),
    # §4.4 chapters and states
    Param("media.chapter.index", _I, "Chapter number.", ("chapterStart",), ("chapterStart",),
          minimum=0, example=1),
    Param("media.chapter.offset", _N, "Content second where the chapter starts.",
          ("chapterStart",), ("chapterStart",), minimum=0, example=0, unit="s"),
    Param("media.chapter.length", _N, "Chapter length in seconds.", ("chapterStart",),
          ("chapterStart",), minimum=0, example=20, unit="s"),
    Param("media.chapter.friendlyName", _S, "Chapter name.", ("chapterStart",)),
    Param("media.state.name", _S, "Player state name (standard or custom).",
          ("stateStart", "stateEnd"), ("stateStart", "stateEnd"), example="fullscreen",
          suggestions=STANDARD_STATES),
    # §4.5 error (I9: the simulator uses params; the Swagger's qoeData keys are below)
    Param("media.errorId", _S, "Error id.", ("error",), example="E-1001"),
    Param("media.errorSource", _S, "Error source.", ("error",), suggestions=("player", "external")),
    # §4.6 quality, in qoeData on any event (I7: also taken in params, with a warning)
    *(Param(f"media.qoe.{n}", _I, d, EVENT_NAMES, location=Location.QOE, minimum=0, unit=u)
      for n, d, u in (("bitrate", "Bitrate in bps.", "bps"),
                      ("droppedFrames", "Running count of dropped frames.", ""),
                      ("framesPerSecond", "Frames per second.", "fps"),
                      ("timeToStart", "Time from play request to first frame, in ms.", "ms"))),
    Param("media.qoe.errorID", _S, "Error id (Swagger's placement).", EVENT_NAMES,
          location=Location.QOE),
    Param("media.qoe.errorSource", _S, "Error source (Swagger's placement).", EVENT_NAMES,
          location=Location.QOE, suggestions=("player", "external")),
)


def event(name: str) -> EventType:
    """The catalogue entry for ``name``; KeyError for an unknown type."""
    return _BY_NAME[name]


def params_for(event_type: str, location: Location = Location.PARAMS) -> tuple[Param, ...]:
    """Parameters that ``event_type`` may carry in ``location``, required first."""
    found = [p for p in PARAMS if p.location is location and event_type in p.events]
    return tuple(sorted(found, key=lambda p: not p.required(event_type)))


def qoe_params() -> tuple[Param, ...]:
    """The quality (``qoeData``) parameters, valid on every event."""
    return tuple(p for p in PARAMS if p.location is Location.QOE)


def sample_value(param: Param) -> Any:
    """A valid value for ``param``: its example, else one made from its type."""
    if param.example is not None:
        return param.example
    if param.suggestions:
        return param.suggestions[0]
    return {_S: "sample", _N: 1.5, _I: 1, _B: True,
            _O: {"crm": {"id": "user-1", "authState": 1}}}[param.type]
