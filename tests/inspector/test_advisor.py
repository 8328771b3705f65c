"""The advisor: each rule fires on a sequence the spec forbids and stays quiet on a close one.

Sequences are derived from ../shared/spec/media-collection-api.md (§2-§7), not from the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.advisor import RULES, Advisor, rule_info
from inspector.findings import Finding, Severity
from inspector.protocol.bodies import PlayerTime, build_body, sample_body
from inspector.protocol.catalogue import EVENT_NAMES, STANDARD_STATES
from inspector.rules import base as rules_base

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z in ms
INFO, WARNING, ERROR = Severity.INFO, Severity.WARNING, Severity.ERROR


# --- building sequences ------------------------------------------------------------------


@dataclass
class Step:
    """One event: its type, seconds after the previous one, and how it differs from a sample."""

    type: str
    dt: float = 1.0
    ph: float | None = None
    params: dict[str, Any] = field(default_factory=dict)
    drop: tuple[str, ...] = ()
    qoe: dict[str, Any] | None = None
    cm: dict[str, Any] | None = None
    edit: Callable[[dict[str, Any]], Any] | None = None


def E(type_: str, dt: float = 1.0, ph: float | None = None, *, drop: tuple[str, ...] = (),
      qoe: dict[str, Any] | None = None, cm: dict[str, Any] | None = None,
      edit: Callable[[dict[str, Any]], Any] | None = None, **params: Any) -> Step:
    """A step; keyword params use ``__`` for dots (``media__length=60``)."""
    return Step(type_, dt, ph, {k.replace("__", "."): v for k, v in params.items()}, drop,
                qoe, cm, edit)


def with_(path: str, value: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """An edit that sets ``body[a][b] = value`` for path ``a/b``."""
    def edit(body: dict[str, Any]) -> dict[str, Any]:
        *parents, last = path.split("/")
        target = body
        for key in parents:
            target = target.setdefault(key, {})
        target[last] = value
        return body
    return edit


def without(key: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def edit(body: dict[str, Any]) -> dict[str, Any]:
        body.pop(key, None)
        return body
    return edit


class Sequence:
    """Turns steps into bodies with ts growing by each step's dt (in integer ms)."""

    def __init__(self) -> None:
        self.ts, self.ph = T0, 0.0

    def body(self, step: Step) -> Any:
        self.ts += round(step.dt * 1000)
        self.ph = self.ph if step.ph is None else step.ph
        sample = sample_body(step.type, ts=self.ts, playhead=self.ph)
        params = {**sample.get("params", {}), **step.params}
        for key in step.drop:
            params.pop(key, None)
        qoe = sample.get("qoeData") if step.qoe is None else step.qoe
        cm = sample.get("customMetadata") if step.cm is None else step.cm
        body = build_body(step.type, PlayerTime(self.ph, self.ts), params, qoe, cm)
        return step.edit(body) if step.edit else body


def run(steps: list[Step], advisor: Advisor | None = None) -> list[list[Finding]]:
    advisor = advisor or Advisor()
    sequence = Sequence()
    return [advisor.advise(sequence.body(s)) for s in steps]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def of(code: str, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code == code]


SS, BS, BC = E("sessionStart"), E("adBreakStart"), E("adBreakComplete")
AS, AC = E("adStart"), E("adComplete")
CS, CC = E("chapterStart"), E("chapterComplete")


def ad(position: int) -> Step:
    return E("adStart", media__ad__podPosition=position)


def state(type_: str, name: str) -> Step:
    return E(type_, media__state__name=name)


def cm(metadata: dict[str, Any]) -> Step:
    """sessionStart with exactly this customMetadata (bypassing build_body's stringifying)."""
    return E("sessionStart", edit=with_("customMetadata", metadata))


TEN_STATES = [*STANDARD_STATES, "c1", "c2", "c3", "c4", "c5"]
TEN_OPENED = [s for n in TEN_STATES for s in (state("stateStart", n), state("stateEnd", n))]


# --- each rule: a sequence that fires it (on its last event), and a close one that does not


def case(code: str, fires: list[Step], quiet: list[Step], severity: Severity | None = None,
         name: str = "") -> Any:
    return pytest.param(code, fires, quiet, severity, id=f"{code}-{name}" if name else code)


CASES = [
    case("AD_OUTSIDE_BREAK", [SS, AS], [SS, BS, AS, AC, BC], ERROR, "lone ad"),
    case("AD_OUTSIDE_BREAK", [SS, BS, AS, BC, E("adSkip")], [SS, BS, AS, E("adSkip"), BC],
         ERROR, "skip after break"),
    case("AD_BREAK_NESTED", [SS, BS, BS], [SS, BS, AS, AC, BC, BS], WARNING),
    case("AD_BREAK_UNCLOSED", [SS, BS, AS, AC, E("play")], [SS, BS, AS, AC, BC, E("play")],
         WARNING, "play"),
    case("AD_BREAK_UNCLOSED", [SS, BS, AS, AC, E("sessionComplete")],
         [SS, BS, AS, AC, BC, E("sessionComplete")], WARNING, "complete"),
    case("AD_BREAK_UNCLOSED", [SS, BS, AS, AC, CS], [SS, BS, AS, AC, BC, CS], WARNING,
         "chapter"),
    case("AD_BREAK_UNCLOSED", [SS, BS, AS, E("sessionEnd")], [SS, BS, AS, AC, BC,
         E("sessionEnd")], INFO, "abandoned mid-ad"),
    case("AD_BREAK_COMPLETE_WITHOUT_START", [SS, BS, AS, AC, BC, BC], [SS, BS, AS, AC, BC],
         WARNING),
    case("AD_START_WHILE_AD_OPEN", [SS, BS, ad(1), ad(2)], [SS, BS, ad(1), AC, ad(2)], WARNING),
    case("AD_END_WITHOUT_START", [SS, BS, AS, AC, AC], [SS, BS, AS, AC, BC], WARNING),
    case("AD_UNCLOSED", [SS, BS, AS, BC], [SS, BS, AS, E("adSkip"), BC], WARNING),
    case("PLAYBACK_BEFORE_AD_IN_BREAK", [SS, BS, E("play")],
         [SS, BS, E("ping"), AS, E("pauseStart"), E("play")], WARNING, "play"),
    case("PLAYBACK_BEFORE_AD_IN_BREAK", [SS, BS, E("bufferStart")], [SS, BS, AS, AC, BC,
         E("bufferStart")], WARNING, "buffer"),
    case("PLAY_BEFORE_PREROLL_AD", [SS, E("play"), E("adBreakStart", media__ad__podSecond=0)],
         [SS, E("adBreakStart", media__ad__podSecond=0), AS, AC, BC, E("play")], WARNING,
         "pre-roll"),
    case("PLAY_BEFORE_PREROLL_AD", [SS, E("play"), E("adBreakStart", media__ad__podSecond=0)],
         [SS, E("play"), E("ping", 10, ph=10), E("adBreakStart", ph=10,
                                                 media__ad__podSecond=10)],
         WARNING, "mid-roll"),
    case("CHAPTER_OVERLAP", [SS, CS, E("chapterStart", media__chapter__index=2)],
         [SS, CS, CC, E("chapterStart", media__chapter__index=2)], WARNING),
    case("CHAPTER_END_WITHOUT_START", [SS, CS, CC, E("chapterSkip")], [SS, CS, E("chapterSkip")],
         WARNING),
    case("PING_HAS_PARAMS", [SS, E("ping", edit=with_("params", {}))],
         [SS, E("ping", qoe={"media.qoe.droppedFrames": 2})], ERROR),
    case("MISSING_REQUIRED_PARAM", [SS, E("adBreakStart", drop=("media.ad.podIndex",))],
         [SS, BS], ERROR, "key"),
    case("MISSING_REQUIRED_PARAM", [E("sessionStart", edit=without("params"))], [SS], ERROR,
         "object"),
    case("WRONG_PARAM_TYPE", [E("sessionStart", media__length="60")],
         [E("sessionStart", media__length=60)], ERROR, "params"),
    case("WRONG_PARAM_TYPE", [SS, E("play", qoe={"media.qoe.bitrate": "3000"})],
         [SS, E("play", qoe={"media.qoe.bitrate": 3000})], ERROR, "qoeData"),
    case("UNKNOWN_PARAM", [SS, E("adBreakStart", media__ad__id="spot-1")],
         [SS, BS, E("adStart", media__ad__id="spot-1")], ERROR, "params"),
    case("UNKNOWN_PARAM", [SS, E("play", qoe={"bitrate": 3000})],
         [SS, E("play", qoe={"media.qoe.bitrate": 3000})], ERROR, "unprefixed qoe"),
    case("QOE_IN_PARAMS", [SS, E("play", media__qoe__bitrate=3000)],
         [SS, E("play", qoe={"media.qoe.bitrate": 3000})], WARNING),
    case("CUSTOM_METADATA_NOT_ALLOWED", [SS, E("play", edit=with_("customMetadata/k", "v"))],
         [SS, E("chapterStart", cm={"k": "v"})], ERROR),
    case("CUSTOM_METADATA_NOT_STRING", [cm({"tier": 3})], [cm({"tier": "3"})], ERROR),
    case("CUSTOM_METADATA_BAD_KEY", [cm({"series tier": "gold"})], [cm({"series_tier": "gold"})],
         ERROR),
    case("CUSTOM_METADATA_RESERVED_PREFIX", [cm({"a.tier": "x"})], [cm({"at.tier": "x"})],
         ERROR),
    case("CUSTOM_METADATA_MEDIA_PREFIX", [cm({"media.show": "x"})], [cm({"my.media.show": "x"})],
         WARNING),
    case("TS_NOT_INCREASING", [SS, E("play", 2), E("ping", -0.5)], [SS, E("play", 2),
         E("ping", 0.001)], ERROR, "backwards"),
    case("TS_NOT_INCREASING", [SS, E("play", 0)], [SS, E("play", 0.001)], WARNING, "equal"),
    case("TS_NOT_MILLISECONDS", [SS, E("play", edit=with_("playerTime/ts", 1767225601))],
         [SS, E("play")], ERROR, "seconds"),
    case("TS_NOT_MILLISECONDS", [SS, E("play", edit=with_("playerTime/ts", str(T0 + 9)))],
         [SS, E("play", edit=with_("playerTime/ts", T0 + 9))], ERROR, "string"),
    case("TS_NOT_MILLISECONDS", [SS, E("play", edit=with_("playerTime/ts", T0 + 9.5))],
         [SS, E("play", edit=with_("playerTime/ts", T0 + 9))], ERROR, "fraction"),
    case("PLAYHEAD_NEGATIVE", [SS, E("play", ph=-1)], [SS, E("play", ph=0)], ERROR),
    case("PLAYHEAD_PAST_LENGTH", [E("sessionStart", media__length=60), E("ping", 10, ph=61)],
         [E("sessionStart", media__length=60), E("ping", 10, ph=60)], WARNING, "vod"),
    case("PLAYHEAD_PAST_LENGTH",
         [E("sessionStart", ph=50_000, media__contentType="live", media__length=3600),
          E("ping", 10, ph=86_400)],
         [E("sessionStart", ph=50_000, media__contentType="live", media__length=3600),
          E("ping", 10, ph=86_399.5)], WARNING, "live"),
    case("PING_LATE", [SS, E("ping", 10), E("ping", 16)], [SS, E("ping", 10), E("ping", 10)],
         INFO, "content"),
    case("PING_LATE", [SS, BS, AS, E("ping", 1), E("ping", 2)],
         [SS, BS, AS, E("ping", 1), E("ping", 1)], INFO, "ad"),
    case("PING_LATE", [SS, E("ping", 10), BS, AS, E("adComplete", 15), BC, E("ping", 16)],
         [SS, E("ping", 10), BS, AS, E("adComplete", 15), BC, E("ping", 8)], INFO,
         "after ad"),
    case("SESSION_IDLE_EXPIRY", [SS, E("ping", 600)], [SS, E("ping", 530)], ERROR, "expired"),
    case("SESSION_IDLE_EXPIRY", [SS, E("ping", 570)], [SS, E("ping", 530)], WARNING, "near"),
    case("PLAYHEAD_STALL_EXPIRY", [SS, E("pauseStart", 1), *[E("ping", 300)] * 6],
         [SS, E("pauseStart", 1), *[E("ping", 300)] * 2, E("play", 300, ph=1),
          *[E("ping", 300)] * 3], ERROR, "expired"),
    case("PLAYHEAD_STALL_EXPIRY", [SS, *[E("ping", 350)] * 5],
         [SS, *[E("ping", 350)] * 3, E("ping", 350, ph=5), E("ping", 350)], WARNING, "near"),
    case("EVENT_AFTER_SESSION_END", [SS, E("sessionEnd"), E("ping")],
         [SS, E("sessionComplete"), E("ping")], ERROR, "ping"),
    # §10: Adobe says sessionEnd is safe to send more than once: a note, not an error.
    case("EVENT_AFTER_SESSION_END", [SS, E("sessionEnd"), E("sessionEnd")],
         [SS, E("sessionComplete"), E("sessionEnd")], INFO, "second end"),
    case("EVENT_AFTER_SESSION_END", [SS, E("ping", 600), E("sessionEnd")],
         [SS, E("sessionComplete"), E("sessionEnd")], ERROR, "end after timeout"),
    # T0 is midnight UTC: at noon (T0 + 43200 s) a live playhead should be about 43200.
    case("LIVE_PLAYHEAD_NOT_TIME_OF_DAY",
         [E("sessionStart", 43_200, ph=0, media__contentType="live")],
         [E("sessionStart", 43_200, ph=43_230, media__contentType="live"),
          E("ping", 10, ph=43_240)], WARNING, "at start"),
    case("LIVE_PLAYHEAD_NOT_TIME_OF_DAY",
         [E("sessionStart", 43_200, ph=43_200, media__contentType="linear"),
          E("ping", 10, ph=10)],
         [E("sessionStart", 43_200, ph=0, media__contentType="vod"), E("ping", 10, ph=10)],
         WARNING, "later"),
    case("LIVE_PLAYHEAD_NOT_TIME_OF_DAY",  # wraps at midnight: 86399 at 00:00:01 is close
         [E("sessionStart", 86_399, ph=0, media__contentType="live"), E("ping", 2, ph=500)],
         [E("sessionStart", 86_399, ph=86_399, media__contentType="live"),
          E("ping", 2, ph=1)], WARNING, "midnight"),
    case("PING_TOO_OFTEN", [SS, E("ping", 10), E("ping", 2)],
         [SS, E("ping", 10), E("ping", 10), BS, AS, E("ping", 1), E("ping", 1),
          E("adComplete", 0.5), BC, E("ping", 1), E("ping", 10)], INFO, "ads"),
    case("PING_TOO_OFTEN", [SS, E("ping", 10), E("ping", 2)],  # an ad outside a break still
         [SS, E("ping", 10), AS, E("ping", 1), E("ping", 1), AC, E("ping", 1)], INFO,  # pings 1 s
         "stray ad"),
    case("EVENT_BEFORE_SESSION", [E("play")], [SS, E("play")], ERROR, "none"),
    case("EVENT_BEFORE_SESSION", [E("sessionStart", drop=("media.id",)), E("play")],
         [SS, E("play")], ERROR, "rejected start"),
    case("DUPLICATE_POD_POSITION", [SS, BS, ad(1), AC, ad(1)],
         [SS, BS, ad(1), AC, ad(2), AC, BC, BS, ad(1)], WARNING),
    case("STATE_UNKNOWN", [SS, state("stateStart", "theaterMode")],
         [SS, state("stateStart", "mute"), state("stateStart", "fullScreen")], INFO, "custom"),
    case("STATE_UNKNOWN", [SS, state("stateStart", "Mute")], [SS, state("stateStart", "mute")],
         WARNING, "case"),
    case("STATE_NAME_VARIANT", [SS, state("stateStart", "fullScreen")],
         [SS, state("stateStart", "fullscreen")], INFO),
    case("STATE_END_NOT_OPEN", [SS, state("stateStart", "mute"), state("stateEnd", "mute"),
                                state("stateEnd", "mute")],
         [SS, state("stateStart", "fullScreen"), state("stateEnd", "fullscreen")], WARNING),
    case("STATE_LIMIT", [SS, *TEN_OPENED, state("stateStart", "c6")],
         [SS, *TEN_OPENED, state("stateStart", TEN_STATES[0])], WARNING),
    case("BITRATE_CHANGE_WITHOUT_BITRATE", [SS, E("bitrateChange", edit=without("qoeData"))],
         [SS, E("bitrateChange")], WARNING),
    case("ERROR_WITHOUT_ID", [SS, E("error")], [SS, E("error", media__errorId="E-1")], INFO,
         "params"),
    case("ERROR_WITHOUT_ID", [SS, E("error")], [SS, E("error", qoe={"media.qoe.errorID": "E"})],
         INFO, "swagger"),
    case("SCHEMA_INVALID", [SS, E("play", edit=lambda b: [b])], [SS, E("play")], ERROR,
         "array body"),
    case("SCHEMA_INVALID", [SS, E("play", edit=with_("eventType", "seekStart"))],
         [SS, E("play")], ERROR, "seekStart"),
    case("SCHEMA_INVALID", [SS, E("play", edit=with_("extra", 1))], [SS, E("play")], ERROR,
         "top-level key"),
    case("SCHEMA_INVALID", [SS, E("play", edit=without("playerTime"))], [SS, E("play")], ERROR,
         "no playerTime"),
    case("SCHEMA_INVALID", [E("sessionStart", media__length=-1)],
         [E("sessionStart", media__length=0)], ERROR, "minimum"),
]


@pytest.mark.parametrize("code, fires, quiet, severity", CASES)
def test_rule_fires_and_stays_quiet(code: str, fires: list[Step], quiet: list[Step],
                                    severity: Severity | None) -> None:
    fired = of(code, run(fires)[-1])
    assert fired, f"{code} did not fire"
    assert {f.severity for f in fired} == {severity}
    assert all(f.message and f.spec.startswith("§") for f in fired)
    assert not [f for step in run(quiet) for f in of(code, step)], f"{code} fired on quiet"


def test_every_rule_has_a_case() -> None:
    tested = {p.values[0] for p in CASES}
    assert {r.code for r in RULES} - tested == {"ADVISOR_ERROR"}


def test_rule_catalogue_is_well_formed() -> None:
    found = [r.code for r in RULES]
    assert len(found) == len(set(found))
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]+", c) for c in found)
    assert all(r.summary and isinstance(r.severity, Severity) for r in RULES)
    assert rule_info("AD_OUTSIDE_BREAK").severity is ERROR


# --- messages that must name the problem and the fix --------------------------------------


def test_ad_outside_break_says_what_adobe_does() -> None:
    [finding] = run([SS, AS])[-1]
    assert finding.code == "AD_OUTSIDE_BREAK"
    assert "Adobe ignores it and counts the ad's time as main content" in finding.message
    assert finding.spec == "§3.1 rule 2"


def test_wrong_type_names_the_field() -> None:
    [finding] = run([E("sessionStart", media__length="60")])[-1]
    assert finding.message.startswith("params.media.length: expected number, got string")


def test_missing_param_names_the_field() -> None:
    findings = run([SS, E("adStart", drop=("media.ad.playerName",))])[-1]
    assert "params.media.ad.playerName" in of("MISSING_REQUIRED_PARAM", findings)[0].message


def test_unknown_param_points_to_its_event() -> None:
    [finding] = of("UNKNOWN_PARAM", run([SS, E("adBreakStart", media__ad__id="x")])[-1])
    assert "media.ad.id" in finding.message and "adStart" in finding.message


@pytest.mark.parametrize("name, hint", [("seekStart", "I20"), ("statesUpdate", "I10"),
                                        ("AdStart", "adStart"), ("resume", "play")])
def test_unknown_event_type_explains(name: str, hint: str) -> None:
    [finding] = Advisor().check({"eventType": name, "playerTime": {"playhead": 0, "ts": T0}})
    assert finding.code == "SCHEMA_INVALID" and hint in finding.message


def test_fullscreen_variant_suggests_lowercase() -> None:
    [finding] = of("STATE_NAME_VARIANT", run([SS, state("stateStart", "fullScreen")])[-1])
    assert "'fullscreen'" in finding.message


def test_ts_in_seconds_is_explained() -> None:
    [finding] = run([SS, E("play", edit=with_("playerTime/ts", T0 // 1000))])[-1]
    assert "seconds" in finding.message and "1000" in finding.message


def test_one_mistake_gives_one_finding() -> None:
    ping = E("ping", edit=with_("params", {"media.id": "x"}))
    assert codes(run([SS, ping])[-1]) == {"PING_HAS_PARAMS"}
    late = E("play", edit=with_("customMetadata", {"k": 1}))
    assert codes(run([SS, late])[-1]) == {"CUSTOM_METADATA_NOT_ALLOWED"}


# --- state, recording and the session's life ----------------------------------------------


def test_check_does_not_record() -> None:
    advisor, sequence = Advisor(), Sequence()
    advisor.advise(sequence.body(SS))
    before = advisor.state
    body = sequence.body(AS)
    assert advisor.check(body) == advisor.check(body) == advisor.advise(body)
    assert before.events == 1 and advisor.state.events == 2


def test_state_follows_the_bodies() -> None:
    advisor, sequence = Advisor(), Sequence()
    steps = [E("sessionStart", media__length=60, media__contentType="linear"), BS, AS,
             state("stateStart", "fullScreen"), CS]
    for step in steps:
        advisor.advise(sequence.body(step))
    view = advisor.state
    assert (view.in_break, view.ad_open, view.chapter_open) == (True, True, True)
    assert view.open_states == {"fullscreen"}
    assert (view.media_length, view.live, view.last_ts) == (60, True, sequence.ts)


def test_rejected_event_does_not_change_the_sequence() -> None:
    # A 400 adBreakStart never opens a break, so the ad after it is outside any break.
    findings = run([SS, E("adBreakStart", media__ad__podIndex="1"), AS])
    assert "AD_OUTSIDE_BREAK" in codes(findings[-1])


@pytest.mark.parametrize("status", [404, 410])
def test_session_gone_makes_later_events_after_close(status: int) -> None:
    advisor, sequence = Advisor(), Sequence()
    advisor.advise(sequence.body(SS))
    advisor.session_gone(status)
    [finding] = advisor.advise(sequence.body(E("ping")))
    assert finding.code == "EVENT_AFTER_SESSION_END" and str(status) in finding.message


def test_a_new_session_after_the_end_starts_clean() -> None:
    findings = run([SS, BS, AS, E("sessionEnd"), SS, E("play"), E("ping", 10)])
    assert findings[4:] == [[], [], []]


def test_reset_forgets_the_session() -> None:
    advisor, sequence = Advisor(), Sequence()
    advisor.advise(sequence.body(SS))
    advisor.reset()
    assert codes(advisor.advise(sequence.body(E("play")))) == {"EVENT_BEFORE_SESSION"}


def test_idle_expiry_closes_the_session() -> None:
    findings = run([SS, E("ping", 601), E("ping", 10)])
    assert codes(findings[1]) == {"SESSION_IDLE_EXPIRY"}
    [after] = findings[2]
    assert after.code == "EVENT_AFTER_SESSION_END" and "idle" in after.message


def test_expiry_findings_look_ahead() -> None:
    advisor = Advisor()
    assert advisor.expiry_findings(T0) == []
    advisor.advise(sample_body("sessionStart", ts=T0))
    assert advisor.expiry_findings(T0 + 530_000) == []
    [near] = advisor.expiry_findings(T0 + 545_000)
    assert (near.code, near.severity) == ("SESSION_IDLE_EXPIRY", WARNING)
    [gone] = advisor.expiry_findings(T0 + 600_000)
    assert (gone.code, gone.severity) == ("SESSION_IDLE_EXPIRY", ERROR)


def test_expiry_findings_see_a_stuck_playhead() -> None:
    advisor = Advisor()
    for i in range(6):  # pings every 5 min keep the session alive, but the playhead is stuck
        body = sample_body("sessionStart" if i == 0 else "ping", ts=T0 + i * 300_000)
        advisor.advise(body)
    [near] = advisor.expiry_findings(T0 + 1_750_000)
    assert (near.code, near.severity) == ("PLAYHEAD_STALL_EXPIRY", WARNING)
    [gone] = advisor.expiry_findings(T0 + 1_800_000)
    assert (gone.code, gone.severity) == ("PLAYHEAD_STALL_EXPIRY", ERROR)


def test_no_expiry_after_session_end() -> None:
    advisor, sequence = Advisor(), Sequence()
    for step in (SS, E("sessionEnd")):
        advisor.advise(sequence.body(step))
    assert advisor.expiry_findings(sequence.ts + 3_600_000) == []


def test_intervals_are_configurable() -> None:
    assert not run([SS, E("ping", 25)], Advisor(ping_interval=20))[-1]
    assert codes(run([SS, E("ping", 61)], Advisor(idle_timeout=60))[-1]) \
        == {"SESSION_IDLE_EXPIRY"}


def test_a_failing_rule_is_reported_not_raised() -> None:
    def broken(ctx: Any) -> Any:
        raise RuntimeError("boom")
    index, target = next((i, r) for i, r in enumerate(rules_base.REGISTRY)
                         if r.code == "AD_OUTSIDE_BREAK")
    rules_base.REGISTRY[index] = rules_base.Rule(target.code, target.severity, target.summary,
                                                 target.spec, target.phase, broken)
    try:
        [finding] = run([SS, AS])[-1]
    finally:
        rules_base.REGISTRY[index] = target
    assert finding.code == "ADVISOR_ERROR" and "AD_OUTSIDE_BREAK" in finding.message


# --- Adobe's three timelines (spec §7, with the §8 I18 errata fixed) ---------------------

Row = tuple[float, float, Step]


def pings(ph: float, *seconds: int) -> list[Row]:
    return [(t, ph, E("ping")) for t in seconds]


def timeline(rows: list[Row]) -> list[list[Finding]]:
    """Run rows of (t, ph, step) in time order; events at one t are 1 ms apart."""
    advisor, found, last = Advisor(), [], T0 - 1
    for t, ph, step in sorted(rows, key=lambda r: r[0]):
        ts = max(T0 + round(t * 1000), last + 1)
        step = Step(step.type, 0, ph, step.params, step.drop, step.qoe, step.cm,
                    with_("playerTime/ts", ts))
        found.append(advisor.advise(Sequence().body(step)))
        last = ts
    return found


def pod(index: int, second: float) -> Step:
    return E("adBreakStart", media__ad__podIndex=index, media__ad__podSecond=second)


def ad_of(name: str, length: float, position: int, **metadata: str) -> Step:
    return E("adStart", media__ad__id=name, media__ad__name=name, media__ad__length=length,
             media__ad__podPosition=position, cm=metadata or {})


def chapter(index: int, offset: float, length: float) -> Step:
    return E("chapterStart", media__chapter__index=index, media__chapter__offset=offset,
             media__chapter__length=length, cm={})


def start(length: float) -> Step:
    return E("sessionStart", media__length=length, cm={})


# I18: "watched to the end" at ph 45, so the content is 45 s long and completes at its length.
TIMELINE_1 = [
    (0, 0, start(45)), (0, 0, pod(1, 0)), (0, 0, ad_of("ad1", 15, 1, campaign="c1")),
    *pings(0, *range(1, 15)), (15, 0, AC), (15, 0, ad_of("ad2", 7, 2)), *pings(0, *range(16, 22)),
    (22, 0, AC), (22, 0, BC), (22, 0, E("play")), (30, 8, E("ping")),
    (33, 11, E("bufferStart")), (36, 11, E("play")), (40, 15, E("ping")),
    # I4: the lone mid-roll ad is position 1 of its pod; I18: it is ad 3.
    (46, 21, pod(2, 21)), (46, 21, ad_of("ad3", 8, 1)), *pings(21, *range(47, 54)),
    (54, 21, AC), (54, 21, BC), (60, 27, E("ping")), (64, 31, E("pauseStart")),
    (70, 31, E("ping")), (74, 31, E("play")), (80, 37, E("ping")),
    (88, 45, E("sessionComplete")),
]
# I18: the pre-roll ad is 12 s; error at ph 20, play at 20, so ph 23 at t40 and 28 at t45.
TIMELINE_2 = [
    (0, 0, start(60.33)), (0, 0, pod(1, 0)), (0, 0, ad_of("ad1", 12, 1)),
    *pings(0, *range(1, 12)), (12, 0, AC), (12, 0, BC),
    (12, 0, E("play", qoe={"media.qoe.bitrate": 3_000_000})), (20, 8, E("ping")),
    (30, 18, E("ping")), (32, 20, E("error")), (37, 20, E("play")), (40, 23, E("ping")),
    (45, 28, pod(2, 28)), (45, 28, ad_of("ad_pod2", 8, 1)), *pings(28, 46, 47),
    (48, 28, E("sessionEnd")),
]
TIMELINE_3 = [
    (0, 0, start(45)), (0, 0, pod(1, 0)), (0, 0, ad_of("ad1", 15, 1, campaign="c1")),
    *pings(0, *range(1, 15)), (15, 0, AC), (15, 0, ad_of("ad2", 7, 2)), *pings(0, *range(16, 22)),
    (22, 0, AC), (22, 0, BC), (22, 0, E("play")), (23, 1, chapter(1, 0, 20)),
    (30, 8, E("ping")), (33, 11, E("bufferStart")), (36, 11, E("play")), (40, 15, E("ping")),
    (45, 20, CC), (46, 21, pod(2, 21)), (46, 21, ad_of("ad3", 8, 1)),
    *pings(21, *range(47, 54)), (54, 21, AC), (54, 21, BC), (55, 22, chapter(2, 22, 22)),
    (60, 27, E("ping")), (64, 31, E("pauseStart")), (70, 31, E("ping")), (74, 31, E("play")),
    (80, 37, E("ping")), (87, 44, CC), (88, 45, E("sessionComplete")),
]


@pytest.mark.parametrize("rows", [TIMELINE_1, TIMELINE_3], ids=["timeline 1", "timeline 3"])
def test_adobe_timelines_are_clean(rows: list[Row]) -> None:
    assert [f for step in timeline(rows) for f in step] == []


def test_adobe_timeline_2_only_notes_what_it_does_on_purpose() -> None:
    # It sends an error without an id (I9) and abandons mid-ad with sessionEnd: both are
    # legitimate, so both are info, never warnings.
    found = [(f.code, f.severity) for step in timeline(TIMELINE_2) for f in step]
    assert found == [("ERROR_WITHOUT_ID", INFO), ("AD_BREAK_UNCLOSED", INFO)]


def test_the_pre_roll_play_mistake_in_timeline_1_is_caught() -> None:
    # play right after sessionStart, before the pre-roll, instead of after it
    rows = [TIMELINE_1[0], (0, 0, E("play")),
            *[r for r in TIMELINE_1[1:] if r[2].type != "play" or r[0] != 22]]
    assert "PLAY_BEFORE_PREROLL_AD" in codes([f for step in timeline(rows) for f in step])


# --- anything at all: never raises --------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
KEYS = st.sampled_from(["playerTime", "eventType", "params", "qoeData", "customMetadata",
                        "media.length", "ts", "playhead", "media.state.name", "junk"])


@st.composite
def bodies(draw: st.DrawFn) -> Any:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(JSON)
    body = sample_body(draw(st.sampled_from(EVENT_NAMES)),
                       ts=T0 + draw(st.integers(-10**6, 10**9)),
                       playhead=draw(st.floats(-5, 1e5)))
    if kind == 1:
        return body
    target = body if kind == 2 else body.setdefault("params", {})
    if isinstance(target, dict):
        target[draw(KEYS)] = draw(JSON)
    return body


ACTIONS = st.lists(st.one_of(
    bodies().map(lambda b: ("advise", b)),
    st.tuples(st.just("gone"), st.sampled_from([404, 410])),
    st.tuples(st.just("expiry"), st.integers(-10**13, 10**13)),
    st.just(("reset", None))), max_size=25)
KNOWN = {r.code for r in RULES} - {"ADVISOR_ERROR"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_random_sequences_never_raise(actions: list[tuple[str, Any]]) -> None:
    advisor = Advisor()
    for action, value in actions:
        if action == "advise":
            before = advisor.state
            checked = advisor.check(value)
            assert advisor.state == before
            findings = advisor.advise(value)
            assert findings == checked
        elif action == "gone":
            advisor.session_gone(value)
            findings = []
        elif action == "expiry":
            findings = advisor.expiry_findings(value)
        else:
            advisor.reset()
            findings = []
        assert all(isinstance(f, Finding) and f.code in KNOWN for f in findings)


CLICKS = st.lists(st.tuples(st.sampled_from(EVENT_NAMES), st.floats(0, 700),
                            st.floats(0, 2000)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(CLICKS)
def test_random_valid_click_sequences_never_raise(clicks: list[tuple[str, float, float]]) -> None:
    advisor, ts = Advisor(), T0
    for event_type, dt, playhead in [("sessionStart", 0.0, 0.0), *clicks]:
        ts += 1 + round(dt * 1000)
        body = sample_body(event_type, ts=ts, playhead=playhead)
        findings = advisor.check(body)
        assert advisor.advise(body) == findings
        assert all(f.code in KNOWN for f in findings)
        assert advisor.state.last_ts is None or advisor.state.last_ts <= ts


# --- what Adobe does vs what only our backend does (issue 13) ------------------------------


def test_second_session_end_says_adobe_calls_it_safe() -> None:
    [finding] = run([SS, E("sessionEnd"), E("sessionEnd")])[-1]
    assert finding.severity is INFO and "safe to send more than once" in finding.message
    assert "Only our backend answers it with 410" in finding.message


def test_ping_late_does_not_claim_live_updates() -> None:
    [finding] = of("PING_LATE", run([SS, E("ping", 10), E("ping", 16)])[-1])
    assert "per ping" not in finding.message and "close call" in finding.message


@pytest.mark.parametrize("steps, code", [
    ([SS, E("play", edit=with_("customMetadata/k", "v"))], "CUSTOM_METADATA_NOT_ALLOWED"),
    ([SS, E("ping", edit=with_("params", {}))], "PING_HAS_PARAMS"),
])
def test_mock_only_400s_say_they_are_our_choice(steps: list[Step], code: str) -> None:
    [finding] = of(code, run(steps)[-1])
    assert "our backend answers 400" in finding.message and "not Adobe's Swagger" in finding.message


def test_frequent_pings_are_noted_once_per_session() -> None:
    found = run([SS, E("ping", 10), E("ping", 2), E("ping", 2), E("ping", 2)])
    assert [len(of("PING_TOO_OFTEN", f)) for f in found] == [0, 0, 1, 0, 0]


def test_advisor_and_report_agree_on_state_name_case() -> None:
    from inspector.report import SessionReport
    sequence = Sequence()
    bodies = [sequence.body(s) for s in (SS, state("stateStart", "Mute"),
                                         state("stateStart", "mute"))]
    advisor, report = Advisor(), SessionReport()
    findings = [advisor.advise(b) for b in bodies]
    for body in bodies:
        report.add(body)
    assert "separate custom state" in of("STATE_UNKNOWN", findings[1])[0].message
    assert set(report.to_dict()["states"]) == {"Mute", "mute"}  # two states, as the advisor says
    assert advisor.state.open_states == {"Mute", "mute"}
