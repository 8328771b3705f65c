"""How many past runs the run store keeps: the ``runs/max`` setting (200 by default)."""

from __future__ import annotations

from typing import Any

__all__ = ["KEY", "DEFAULT", "LIMIT", "max_runs", "save_max_runs"]

KEY = "runs/max"
DEFAULT = 200
LIMIT = 100_000  # the settings dialog's upper bound


def max_runs(settings: Any) -> int:
    """The saved retention, at least 1; the default when it is missing or not a number."""
    try:
        return max(1, int(settings.value(KEY, DEFAULT)))
    except (TypeError, ValueError):
        return DEFAULT


def save_max_runs(settings: Any, count: int) -> None:
    """Save ``count`` (at least 1) as the retention the next run store opens with."""
    settings.setValue(KEY, max(1, int(count)))
