"""The bound on what the backend keeps for ``/_inspector/``: bytes of accepted events.

Counts at arrival (the reorder window holds events too) and releases when an event leaves
a session's list or a session is forgotten. Each stored finding counts a fixed size.
"""

from __future__ import annotations

__all__ = ["ByteBudget", "StoreFull", "FINDING_BYTES"]

FINDING_BYTES = 512  # a stored finding, message included, as counted against the budget


class StoreFull(Exception):
    """The bytes kept for /_inspector/ would exceed ``max_stored_bytes``."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class ByteBudget:
    """How many bytes the sessions keep, against the configured limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def fits(self, size: int) -> bool:
        return self.used + size <= self.limit

    def take(self, size: int) -> None:
        self.used += size

    def release(self, size: int) -> None:
        self.used -= size
