"""Where each classic parameter lives in a Media Edge body: §9's rules applied to the catalogue.

No Edge field is listed here beside the catalogue: a classic key's Edge place comes from an
ordered table of prefix rules (``media.ad.pod*`` → ``advertisingPodDetails`` …) and the few
renames §9 names (``media.id`` → ``name`` …). What matches no rule has no Edge counterpart.
See ``edge.py`` for the choices made where §9 is silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .catalogue import EVENT_NAMES, PARAMS, Location, Param, params_for, qoe_params

__all__ = [
    "Place",
    "STATES_OBJECT",
    "STATE_EVENTS",
    "edge_event",
    "edge_events",
    "classic_events",
    "place_of",
    "home_object",
    "event_params",
    "event_qoe",
    "key_for",
    "no_counterpart_reason",
]

STATES_OBJECT = "states"  # stands for statesStart[] / statesEnd[] of statesUpdate
# §9: stateStart and stateEnd are one Edge path; each names the array it fills.
STATE_EVENTS = {"stateStart": "statesStart", "stateEnd": "statesEnd"}

# (classic prefix stripped, the catalogue location it applies to, Edge object); first match wins.
_RULES: tuple[tuple[str, Location, str], ...] = (
    ("media.ad.", Location.PARAMS, "advertisingDetails"),  # media.ad.pod* moved by _POD
    ("media.chapter.", Location.PARAMS, "chapterDetails"),
    ("media.state.", Location.PARAMS, STATES_OBJECT),
    ("media.qoe.", Location.QOE, "qoeDataDetails"),
    ("media.qoe.", Location.PARAMS, "qoeDataDetails"),  # I7: quality keys sent in params
    ("media.", Location.PARAMS, "sessionDetails"),
)
_POD = ("media.ad.pod", "advertisingPodDetails")  # the pod keys set on adBreakStart
_ERROR_KEYS = ("media.errorId", "media.errorSource")  # §4.5, in params of error
# §9's named renames, per Edge object: classic remainder → Edge field.
_RENAMES: dict[str, dict[str, str]] = {
    "sessionDetails": {"id": "name", "name": "friendlyName", "resume": "hasResume",
                       "sdkVersion": "appVersion", "assetId": "assetID", "pass.mvpd": "mvpd",
                       "pass.auth": "authorized", "downloaded": "isDownloaded"},
    "advertisingDetails": {"id": "name", "name": "friendlyName", "campaignId": "campaignID",
                           "creativeId": "creativeID", "siteId": "siteID",
                           "placementId": "placementID"},
    "advertisingPodDetails": {"podIndex": "index", "podSecond": "offset",
                              "podFriendlyName": "friendlyName"},
    "errorDetails": {"errorId": "name", "errorSource": "source"},
}
# Keys the rules would place but Edge has no field for, and why (the migration checklist).
_NO_COUNTERPART_PREFIXES = {
    "analytics.": "Analytics settings move to the datastream (§9)",
    "visitor.": "visitor ids move to the datastream and identityMap (§9)",
}
_NO_COUNTERPART = {
    "appInstallationId": "no Edge field; the ECID comes from identityMap (§9)",
    "media.libraryVersion": "no sessionDetails field in Adobe's OpenAPI",
    "media.qoe.errorID": "qoeDataDetails has no error fields; use error's errorDetails (§9)",
    "media.qoe.errorSource": "qoeDataDetails has no error fields; use error's errorDetails (§9)",
}


@dataclass(frozen=True)
class Place:
    """An Edge place: the ``mediaCollection`` object and the field inside it."""

    obj: str
    field: str


def edge_event(event_type: str) -> str:
    """The Edge path event of a classic event type (stateStart/stateEnd → statesUpdate)."""
    return "statesUpdate" if event_type in STATE_EVENTS else event_type


def edge_events() -> tuple[str, ...]:
    """Every Edge path event our backend serves, in catalogue order."""
    return tuple(dict.fromkeys(edge_event(e) for e in EVENT_NAMES))


def classic_events(path_event: str) -> tuple[str, ...]:
    """The classic event types behind one Edge path event."""
    return tuple(e for e in EVENT_NAMES if edge_event(e) == path_event)


def no_counterpart_reason(key: str) -> str | None:
    """Why a classic key has no Edge field, or None when it has one."""
    for prefix, reason in _NO_COUNTERPART_PREFIXES.items():
        if key.startswith(prefix):
            return reason
    return _NO_COUNTERPART.get(key)


@cache
def place_of(key: str, location: Location = Location.PARAMS) -> Place | None:
    """Where ``key`` (in ``location`` of a classic body) lives in ``mediaCollection``."""
    if no_counterpart_reason(key):
        return None
    if location is Location.PARAMS and key in _ERROR_KEYS:
        return _renamed("errorDetails", key.removeprefix("media."))
    if location is Location.PARAMS and key.startswith(_POD[0]) and _on_break_start(key):
        return _renamed(_POD[1], key.removeprefix("media.ad."))
    for prefix, where, obj in _RULES:
        if where is location and key.startswith(prefix):
            return _renamed(obj, key.removeprefix(prefix))
    return None


def _on_break_start(key: str) -> bool:
    # media.ad.pod* of adBreakStart (podIndex…); podPosition, on adStart, is an ad's field.
    return any(p.key == key and "adBreakStart" in p.events for p in PARAMS)


def _renamed(obj: str, rest: str) -> Place:
    return Place(obj, _RENAMES.get(obj, {}).get(rest, rest))



@cache
def home_object(event_type: str) -> str | None:
    """The detail object an event's params go in: that of its first required (else first)
    parameter with an Edge place; None for events without params."""
    for param in params_for(event_type):
        place = place_of(param.key)
        if place:
            return place.obj
    return None


def event_params(event_type: str) -> tuple[tuple[Param, Place], ...]:
    """The event's ``params`` keys that have an Edge place on this event (its home object)."""
    home = home_object(event_type)
    found = ((p, place_of(p.key)) for p in params_for(event_type))
    return tuple((p, pl) for p, pl in found if pl is not None and pl.obj == home)


def event_qoe() -> tuple[tuple[Param, Place], ...]:
    """The ``qoeData`` keys with an Edge place (``qoeDataDetails``), valid on every event."""
    found = ((p, place_of(p.key, Location.QOE)) for p in qoe_params())
    return tuple((p, pl) for p, pl in found if pl is not None)


@cache
def _reverse() -> dict[Place, tuple[Location, str]]:
    table: dict[Place, tuple[Location, str]] = {}
    for param in PARAMS:
        place = place_of(param.key, param.location)
        if place and place not in table:
            table[place] = (param.location, param.key)
    return table


def key_for(place: Place) -> tuple[Location, str] | None:
    """The classic (location, key) of an Edge place; unknown fields follow the same rules
    backwards (``sessionDetails.foo`` → ``media.foo``); None when no rule fits."""
    known = _reverse().get(place)
    if known:
        return known
    for prefix, where, obj in _RULES:
        if obj == place.obj and place.obj != STATES_OBJECT:
            return where, prefix + place.field
    if place.obj == _POD[1]:
        return Location.PARAMS, "media.ad." + place.field
    return None


