"""The built-in scenario library in ``assets/scenarios/``."""

from __future__ import annotations

from pathlib import Path

from ..assets import asset
from .loader import load_scenario
from .model import Scenario

__all__ = ["BUILTIN_DIR", "builtin_paths", "builtin", "resolve"]

BUILTIN_DIR = asset("scenarios")


def builtin_paths() -> list[Path]:
    """Every built-in scenario file, sorted by name."""
    return sorted(BUILTIN_DIR.glob("*.yaml"))


def builtin() -> list[Scenario]:
    """Every built-in scenario, loaded (a broken built-in raises ScenarioError)."""
    return [load_scenario(p) for p in builtin_paths()]


def resolve(name: str) -> Path:
    """A path as given, or the built-in of that name (``timeline-1`` or ``timeline-1.yaml``)."""
    path = Path(name)
    if path.exists() or path.suffix in (".yml", ".yaml") and "/" in name:
        return path
    candidate = BUILTIN_DIR / (name if name.endswith(".yaml") else f"{name}.yaml")
    return candidate if candidate.exists() else path
