"""Record: turn what a user sends on a session into a scenario, with simulated times.

The recorder watches the session's client for newly queued exchanges (what was sent) and
the session's ``changed`` signal for playhead jumps (seeks, which send nothing). Auto
pings are left out while auto pings are on: a replay sends them again by itself.

Noise is folded only where a replay still sends the same bodies: seeks with nothing sent
in between (a drag across the timeline, clicks in a row) become the last one. A ``play``
that changes no player state is kept: it was sent, and the backend saw it (spec §3.1), so
dropping it would change what a replay sends. Every exchange seen (auto pings too) is kept
for :class:`~.observed.Recording`, which draws the recording's expectations from them.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace
from typing import Any

import yaml

from ..exchange import Exchange, ExchangeState
from ..player import DAY
from ..protocol.bodies import PlayerTime, build_body, encode_body
from ..protocol.catalogue import EVENT_NAMES
from ..session import Session
from .model import Expect, Options, Scenario, Step
from .observed import Recording

__all__ = ["ScenarioRecorder", "scenario_to_yaml"]

_KEEP_EXCHANGES = 100_000
_ENVELOPE = {"playerTime", "eventType", "params", "qoeData", "customMetadata"}


class ScenarioRecorder:
    """Records one session from now on; :meth:`scenario` returns what was recorded."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.t0 = session.clock.now()
        self._epoch = getattr(session.clock, "epoch", 0)
        self._last = 0.0  # the latest step's ``at``: steps never go back in time
        self.started = time.time()
        self.steps: list[Step] = []
        # every fresh exchange, auto pings included; bounded (a day of 1 s ad pings fits)
        self.exchanges: deque[Exchange] = deque(maxlen=_KEEP_EXCHANGES)
        self._seek_open = False  # the last step is a seek and nothing was sent since
        self._seen: set[int] = set()
        self._track: tuple[float, float, bool, float | None] | None = None
        self._note_position()
        session.client.exchanged.connect(self._on_exchange)
        session.changed.connect(self._on_changed)

    def stop(self) -> None:
        """Stop recording (the steps so far are kept)."""
        self.session.client.exchanged.disconnect(self._on_exchange)
        self.session.changed.disconnect(self._on_changed)

    def _at(self, when: float | None = None) -> float:
        """Simulated seconds since recording began, at ``when`` (default: now).

        A new session may re-anchor the window's clock (it starts at the wall clock's
        time); the recording carries on from its latest step, as a replay will.
        """
        clock = self.session.clock
        when = clock.now() if when is None else when
        epoch = getattr(clock, "epoch", 0)
        if epoch != self._epoch:
            self._epoch, self.t0 = epoch, when - self._last
        self._last = max(self._last, round(max(0.0, when - self.t0), 3))
        return self._last

    def _note_position(self) -> None:
        p = self.session.player
        self._track = (*p.anchor, p.moving, p.session_started_at)

    def _on_changed(self) -> None:
        """A seek is a jump of the playhead's anchor; a state change only moves it along.

        Anchors, not ``playhead`` now: on a flowing clock the playhead stops (or starts)
        at the instant the event was stamped, a little before this signal is handled.
        """
        p = self.session.player
        ph, at = p.anchor
        if (self._track is not None and self._track[3] == p.session_started_at
                and (ph, at) != self._track[:2]):
            ph0, t0, moving, _ = self._track
            expected = ph0 + (at - t0 if moving else 0.0)
            expected = expected % DAY if p.live else min(expected, p.media_length)
            if abs(ph - expected) > 0.0005:
                if self._seek_open:  # nothing sent since the last seek: only this one counts
                    self.steps.pop()
                self.steps.append(Step(at=self._at(), do="seek", to=round(ph, 3)))
                self._seek_open = True
        self._note_position()

    def _on_exchange(self, exchange: Exchange) -> None:
        if exchange.state is not ExchangeState.QUEUED or exchange.attempt > 1:
            return
        if id(exchange) in self._seen or exchange.channel not in self.session._channels:
            return
        self._seen.add(id(exchange))
        if len(self._seen) > 100_000:  # bounded: only fresh exchanges can be QUEUED
            self._seen.clear()
        self.exchanges.append(exchange)
        self._seek_open = False  # a ping carries the playhead: seeks before it stay
        if exchange.event_type == "ping" and self.session.player.pings.enabled:
            return
        step = _step_for(exchange, 0.0)
        # When the body was stamped (its ts), not when its signal got here: at 60× a few
        # wall milliseconds later is a good part of a simulated second. A ts raised past
        # its instant (two events in one millisecond) is no later than now.
        when = self.session.clock.now()
        if step.body is None and exchange.ts is not None:
            when = min(when, exchange.ts / 1000)
        self.steps.append(replace(step, at=self._at(when)))

    def scenario(self, name: str = "recorded", description: str = "") -> Scenario:
        """The recorded steps as a scenario with this session's ping options."""
        pings = self.session.player.pings
        options = Options(auto_pings=pings.enabled, ping_interval=pings.interval,
                          ad_ping_interval=pings.ad_interval)
        return Scenario(name=name, description=description, steps=tuple(self.steps),
                        options=options)

    def recording(self) -> Recording:
        """The scenario so far and every exchange observed, to draw expectations from."""
        recording = Recording(self.scenario(), list(self.exchanges), self.started)
        recording.scenario = self.scenario(recording.default_name())
        return recording


def _built_by_us(body: dict[str, Any], raw: bytes) -> bool:
    """True when the body is exactly what the session builds from its parts.

    Anything else came from raw mode and is replayed byte for byte as a ``body`` step.
    """
    pt = body.get("playerTime")
    if (body.get("eventType") not in EVENT_NAMES or not set(body) <= _ENVELOPE
            or not isinstance(pt, dict) or set(pt) != {"playhead", "ts"}):
        return False
    try:
        again = build_body(body["eventType"], PlayerTime(pt["playhead"], pt["ts"]),
                           body.get("params"), body.get("qoeData"), body.get("customMetadata"))
    except (KeyError, TypeError, ValueError):
        return False
    return encode_body(again) == raw


def _step_for(exchange: Exchange, at: float) -> Step:
    body = exchange.body_json()
    if not isinstance(body, dict) or not _built_by_us(body, exchange.request_body):
        return Step(at=at, body=exchange.request_body.decode("utf-8", "replace"))
    return Step(at=at, do=body["eventType"], params=body.get("params"),
                qoe=body.get("qoeData"), custom_metadata=body.get("customMetadata"))


def _step_dict(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"at": step.at}
    if step.body is not None:
        out["body"] = step.body
        return out
    out["do"] = step.do
    for key, value in (("to", step.to), ("params", step.params), ("qoeData", step.qoe),
                       ("customMetadata", step.custom_metadata)):
        if value is not None:
            out[key] = value
    return out


class _Flow(dict[str, Any]):
    """A mapping written on one line: ``{approx: 34.75, tolerance: 0.5}``."""


class _FlowList(list[Any]):
    """A list written inline, wrapped at the line width: ``[AD_UNCLOSED, CHAPTER_OVERLAP]``."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping(
    "tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=True))


def _expect_dict(expect: Expect) -> dict[str, Any]:
    out: dict[str, Any] = {}
    findings = {k: _FlowList(v) for k, v in (("present", expect.present),
                                             ("absent", expect.absent)) if v}
    if findings:
        out["findings"] = findings
    if expect.statuses:
        out["statuses"] = {k: v[0] if len(v) == 1 else _FlowList(v)
                           for k, v in expect.statuses.items()}
    if expect.report:
        out["report"] = {k: _Flow(v) if isinstance(v, dict) else v
                         for k, v in expect.report.items()}
    return out


def scenario_to_yaml(scenario: Scenario) -> str:
    """A scenario file's text (loadable by :func:`~.loader.parse_scenario`)."""
    opts = scenario.options
    data: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        data["description"] = scenario.description
    if scenario.media:
        data["media"] = scenario.media
    data["options"] = {"autoPings": opts.auto_pings, "pingInterval": opts.ping_interval,
                       "adPingInterval": opts.ad_ping_interval,
                       "speed": "max" if opts.speed is None else opts.speed}
    data["steps"] = [_step_dict(s) for s in scenario.steps]
    expect = _expect_dict(scenario.expect)
    if expect:
        data["expect"] = expect
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "# Recorded by media-inspector\n" + text


