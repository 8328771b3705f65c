"""Settings of the embedded backend: timeouts, limits, reorder window and Mock choices."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServerConfig"]

MINUTE = 60.0
HOUR = 60 * MINUTE


@dataclass(frozen=True)
class ServerConfig:
    """What the mock does where the spec leaves room (spec §2.3, §6.2, §8 **Mock:**)."""

    # §6.2 timeouts, in seconds of the server's clock
    idle_timeout: float = 10 * MINUTE  # no events
    stall_timeout: float = 30 * MINUTE  # playhead unmoved
    max_age: float | None = 24 * HOUR  # Edge refuses older sessions; None keeps them open
    retention: float = 24 * HOUR  # a closed sid answers 410 this long, then 404

    # limits
    max_body_bytes: int = 64 * 1024
    max_open_sessions: int = 10_000
    max_closed_sessions: int = 50_000  # oldest closed sids are forgotten first (then 404)
    max_events_per_session: int = 20_000  # accepted-events list kept for /_inspector/
    max_stored_bytes: int = 256 * 1024 * 1024  # accepted events kept, all sessions: then 503
    max_fault_rules: int = 1_000

    # §2.3 reorder window (I17: flush at 5 s or 10 buffered); window 0 or 1 event = off
    reorder_window: float = 5.0
    reorder_max_events: int = 10

    # /_inspector/ needs this as X-Inspector-Token or ?token= (serve sets one off loopback)
    inspector_token: str | None = None

    # §8 choices
    reject_states_update: bool = True  # I10: statesUpdate -> 400; False expands it
    custom_metadata_only_where_allowed: bool = True  # I6: False accepts it on any event

    def __post_init__(self) -> None:
        positive = ("idle_timeout", "stall_timeout", "retention", "max_body_bytes",
                    "max_open_sessions", "max_closed_sessions", "max_events_per_session",
                    "max_stored_bytes", "max_fault_rules")
        bad = [f"{name} must be > 0 (got {getattr(self, name)!r})" for name in positive
               if not getattr(self, name) > 0]
        if self.max_age is not None and not self.max_age > 0:
            bad.append(f"max_age must be > 0 or None (got {self.max_age!r})")
        if self.reorder_window < 0 or self.reorder_max_events < 0:
            bad.append("the reorder window and its event count must be >= 0")
        if bad:
            raise ValueError("invalid server settings: " + "; ".join(bad))

    @property
    def reorders(self) -> bool:
        return self.reorder_window > 0 and self.reorder_max_events > 1
