"""Scenario widgets: record, replay built-ins at a chosen speed, past runs (read-only)."""

from .run_list import RunList
from .scenario_panel import ScenarioPanel

__all__ = ["RunList", "ScenarioPanel"]
