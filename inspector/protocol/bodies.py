"""Request bodies built from typed inputs, in the envelope of spec §2.1."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from .catalogue import event, params_for, sample_value

__all__ = ["PlayerTime", "build_body", "encode_body", "sample_body"]


@dataclass(frozen=True)
class PlayerTime:
    """``playerTime``: playhead in seconds, ts in integer milliseconds since the epoch."""

    playhead: float
    ts: int

    def to_json(self) -> dict[str, Any]:
        playhead: float | int = self.playhead
        if isinstance(playhead, float) and playhead.is_integer():
            playhead = int(playhead)
        return {"playhead": playhead, "ts": int(self.ts)}


def build_body(
    event_type: str,
    player_time: PlayerTime,
    params: Mapping[str, Any] | None = None,
    qoe: Mapping[str, Any] | None = None,
    custom_metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body for one event; empty optional objects are left out, ping never gets params."""
    spec = event(event_type)
    body: dict[str, Any] = {"playerTime": player_time.to_json(), "eventType": event_type}
    if spec.allows_params and (params or spec.requires_params):
        body["params"] = dict(params or {})
    if qoe:
        body["qoeData"] = dict(qoe)
    if custom_metadata and spec.custom_metadata:
        body["customMetadata"] = {str(k): _metadata_text(v) for k, v in custom_metadata.items()}
    return body


def _metadata_text(value: Any) -> str:
    # Spec §5: customMetadata values are strings; stringify numbers and booleans.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def encode_body(body: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as sent on the wire."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sample_body(event_type: str, ts: int = 1767225600000, playhead: float = 0) -> dict[str, Any]:
    """A valid body for ``event_type`` with every required parameter at its sample value."""
    spec = event(event_type)
    params = {p.key: sample_value(p) for p in params_for(event_type) if p.required(event_type)}
    qoe = {"media.qoe.bitrate": 3_000_000} if event_type == "bitrateChange" else None
    cm = {"series_tier": "gold"} if spec.custom_metadata else None
    return build_body(event_type, PlayerTime(playhead, ts), params, qoe, cm)



