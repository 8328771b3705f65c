"""Scenario files: load and check, record, replay (the public face of ``scenarios/``)."""

from __future__ import annotations

from .scenarios.library import BUILTIN_DIR, builtin, builtin_paths, resolve
from .scenarios.loader import load_scenario, parse_scenario
from .scenarios.model import Expect, Options, Scenario, Step, StepExpect
from .scenarios.outcome import ExpectationResult, ScenarioOutcome
from .scenarios.problems import Problem, ScenarioError
from .scenarios.record import ScenarioRecorder, scenario_to_yaml
from .scenarios.replay import Replayer, StepRecord
from .scenarios.schema import scenario_schema

__all__ = [
    "BUILTIN_DIR", "Expect", "ExpectationResult", "Options", "Problem", "Replayer",
    "Scenario", "ScenarioError", "ScenarioOutcome", "ScenarioRecorder", "Step",
    "StepExpect", "StepRecord", "builtin", "builtin_paths", "load_scenario",
    "parse_scenario", "resolve", "scenario_schema", "scenario_to_yaml",
]
