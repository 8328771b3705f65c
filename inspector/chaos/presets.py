"""The one catalogue of chaos presets, each named after a real delivery bug.

Each has a one-line story and the public thread it comes from, so a user can see that the
failure is not invented. The rules are written as a scenario file would write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .rules import ChaosError, ChaosRule, parse_rule

__all__ = ["Preset", "PRESETS", "preset", "preset_names", "rules_for"]

_MEDIA_SDKS = "https://github.com/Adobe-Marketing-Cloud/media-sdks/issues"


@dataclass(frozen=True)
class Preset:
    """A named set of rules with its story and where the story is told."""

    name: str
    story: str
    link: str
    rules: tuple[ChaosRule, ...]


def _preset(name: str, story: str, link: str, *rules: dict[str, Any]) -> Preset:
    return Preset(name, story, link, tuple(parse_rule(r, name) for r in rules))


PRESETS: tuple[Preset, ...] = (
    _preset("out-of-order-ads",
            "A Chromecast player sent its ad calls 'in random sequence'; Adobe answered that "
            "the ts fixes it, which holds only inside the 5 s reorder window (spec §2.3).",
            f"{_MEDIA_SDKS}/45",
            {"action": "reorder", "events": ["adBreakStart"], "count": 3}),
    _preset("pod-gap",
            "A Roku player left a gap between two ads of a pod and the SDK tracked it as a "
            "stall; here the next adStart is late by 6 s, past the reorder window.",
            f"{_MEDIA_SDKS}/37",
            {"action": "delay", "events": ["adStart"], "nth": 2, "seconds": 6}),
    _preset("double-start",
            "An SDK fired its start call again and again before the first play; a second "
            "sessionStart opens a second session for one view: two media starts (spec §10).",
            f"{_MEDIA_SDKS}/20",
            {"action": "duplicate", "events": ["sessionStart"]}),
    _preset("lost-session-end",
            "An app closed from the task manager never sends its session end; the session only "
            "ends by the 10-minute idle timeout (spec §6.2), nothing is reported until then.",
            "https://github.com/open-telemetry/opentelemetry-android/issues/1397",
            {"action": "drop", "events": ["sessionEnd"]}),
    _preset("flaky-network",
            "Heartbeat data 'fails to send' on a patchy mobile network: the 3rd ping times out, "
            "the 5th is reset before it leaves, and the first play arrives twice (spec §1.3).",
            f"{_MEDIA_SDKS}/59",
            {"action": "timeout", "events": ["ping"], "nth": 3},
            {"action": "reset", "events": ["ping"], "nth": 5},
            {"action": "duplicate", "events": ["play"], "nth": 1}),
    _preset("slow-session-start",
            "A start went out but the calls after it did not follow; here the sessionStart "
            "answer takes 8 s, so every event waits for the sid (spec §6.3), then all arrive "
            "at once.",
            f"{_MEDIA_SDKS}/34",
            {"action": "holdStart", "seconds": 8}),
)
_BY_NAME = {p.name: p for p in PRESETS}


def preset_names() -> list[str]:
    return [p.name for p in PRESETS]


def preset(name: str) -> Preset:
    """The preset called ``name``; ChaosError naming every preset when there is none."""
    found = _BY_NAME.get(name)
    if found is None:
        raise ChaosError(f"unknown chaos preset {name!r}; the presets are: "
                         f"{', '.join(preset_names())}")
    return found


def rules_for(names: Iterable[str]) -> tuple[ChaosRule, ...]:
    """Every rule of the named presets, in order (ChaosError for an unknown name)."""
    return tuple(rule for name in names for rule in preset(name).rules)
