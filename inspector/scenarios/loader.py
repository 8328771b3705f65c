"""Loading scenario files: YAML with line numbers, schema and sequence checks, all at once.

Every problem is reported (file, line, what to write instead) before anything runs, so a
bad file never half-runs.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..chaos.presets import preset_names, rules_for
from ..chaos.rules import ChaosError, ChaosRule, parse_rule
from .checks import semantic_problems
from .model import Expect, Options, Scenario, Step, StepExpect
from .problems import Problem, ScenarioError, closest
from .schema import scenario_schema

__all__ = ["load_scenario", "parse_scenario"]

Path_ = tuple[Any, ...]
_VALIDATOR = jsonschema.Draft7Validator(scenario_schema())

def _lines(node: yaml.Node, path: Path_, out: dict[Path_, int], dupes: list[Problem],
           file: str) -> None:
    """Map every data path to its 1-based line; note duplicate keys (YAML keeps the last)."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                dupes.append(Problem(file, key.start_mark.line + 1,
                                     f"key {key.value!r} appears twice here",
                                     "keep one; YAML would silently use the last"))
            seen.add(key.value)
            out[path + (key.value,)] = key.start_mark.line + 1
            _lines(value, path + (key.value,), out, dupes, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, path + (i,), out, dupes, file)

def _line(lines: dict[Path_, int], path: Path_) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 0)

def _hint(error: jsonschema.ValidationError) -> str:
    """What to write instead, for one schema error."""
    v, schema = error.validator, error.validator_value
    if v == "enum":
        return closest(str(error.instance), schema) or "write one of: " + ", ".join(
            map(str, schema))
    if v == "additionalProperties" and isinstance(error.schema.get("properties"), dict):
        known = list(error.schema["properties"])
        extra = [k for k in error.instance if k not in known]
        guess = closest(str(extra[0]), known) if extra else ""
        return guess or "allowed keys: " + ", ".join(known)
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else schema[0]
        return f"add `{missing}:`"
    if v == "type":
        return f"write a value of type {schema}"
    if v == "oneOf" and isinstance(error.instance, dict) and "at" in error.instance:
        return "give a step either `do:` (an event or action) or `body:` (raw), not both"
    if v == "pattern":
        return "finding codes are UPPER_SNAKE_CASE, e.g. AD_OUTSIDE_BREAK"
    return ""

def _schema_problems(data: Any, lines: dict[Path_, int], file: str) -> list[Problem]:
    problems = []
    for error in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        where = ".".join(map(str, path)) or "top level"
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            extra = next((k for k in error.instance if k not in known), None)
            path, message = path + (extra,), f"unknown key {extra!r}"
            where = ".".join(map(str, path))
        elif error.validator == "oneOf" and path and path[0] == "steps":
            message = "a step has either `do:` or `body:`, exactly one"
        elif error.validator == "enum":
            message = f"{error.instance!r} is not a known value"
        problems.append(Problem(file, _line(lines, path), f"{where}: {message}",
                                _hint(error)))
    return problems

def _surrogates(value: Any, path: Path_) -> list[Path_]:
    """Paths of strings holding a lone surrogate (``"\\ud800"``): no UTF-8 can carry them."""
    if isinstance(value, str):
        return [path] if any("\ud800" <= c <= "\udfff" for c in value) else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _surrogates(k, path + (k,))
                + _surrogates(v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _surrogates(v, path + (i,))]
    return []


def _body_problems(data: dict[str, Any], lines: dict[Path_, int],
                   file: str) -> list[Problem]:
    """Raw bodies must be JSON, and no string may hold a lone surrogate (spec §1.2: UTF-8)."""
    problems = [Problem(file, _line(lines, path),
                        f"{'.'.join(map(str, path))}: a lone surrogate (e.g. \\ud800) cannot "
                        "be sent as UTF-8", "write the whole character, or a pair")
                for path in _surrogates(data, ())]
    steps = data.get("steps")
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        body = step.get("body") if isinstance(step, dict) else None
        if not isinstance(body, str) or _surrogates(body, ()):
            continue
        try:
            decoded = json.loads(body)
        except ValueError as exc:
            problems.append(Problem(file, _line(lines, ("steps", i, "body")),
                                    f"steps.{i}.body: not JSON ({exc})",
                                    "write the body as a YAML mapping, or as a JSON string"))
            continue
        if _surrogates(decoded, ()):
            problems.append(Problem(file, _line(lines, ("steps", i, "body")),
                                    f"steps.{i}.body: a \\u escape for a lone surrogate "
                                    "is not valid Unicode", "write the whole character"))
    return problems


def _chaos(data: dict[str, Any], lines: dict[Path_, int],
           file: str) -> tuple[tuple[ChaosRule, ...], list[Problem]]:
    """The ``chaos:`` block's rules (presets first, expanded), or its problems."""
    block = data.get("chaos")
    if not isinstance(block, dict):
        return (), []
    names, problems = block.get("preset", []), []
    listed: list[tuple[Path_, Any]] = [(("chaos", "preset"), names)] if isinstance(
        names, str) else [(("chaos", "preset", i), name) for i, name in enumerate(names)]
    for path, name in listed:
        if name not in preset_names():
            problems.append(Problem(file, _line(lines, path), f"chaos.preset: {name!r} is not "
                                    "a known preset", closest(name, preset_names())
                                    or "write one of: " + ", ".join(preset_names())))
    rules = list(rules_for(n for _, n in listed if n in preset_names()))
    for i, raw in enumerate(block.get("rules", [])):
        try:
            rules.append(parse_rule(raw))
        except ChaosError as exc:
            path = ("chaos", "rules", i) + ((exc.key,) if exc.key else ())
            problems.append(Problem(file, _line(lines, path), f"chaos.rules.{i}: {exc}",
                                    "see the chaos block in assets/scenario.schema.json"))
    return tuple(rules), problems


def _step(raw: dict[str, Any], line: int) -> Step:
    want = raw.get("expect", {})
    status = want.get("status", ())
    return Step(at=float(raw["at"]), do=raw.get("do"), params=raw.get("params"),
                qoe=raw.get("qoeData"), custom_metadata=raw.get("customMetadata"),
                body=raw.get("body"), to=raw.get("to"), note=raw.get("note", ""), line=line,
                expect=StepExpect(tuple(status) if isinstance(status, list) else (status,)
                                  if status else (), tuple(want.get("findings", ())),
                                  tuple(want.get("noFindings", ()))))

def _build(data: dict[str, Any], lines: dict[Path_, int], source: str) -> Scenario:
    opts, want = data.get("options", {}), data.get("expect", {})
    speed = opts.get("speed", "max")
    codes = {k: tuple(v) if isinstance(v, list) else (v,)
             for k, v in want.get("statuses", {}).items()}
    return Scenario(
        name=data["name"], description=data.get("description", ""),
        endpoint=data.get("endpoint"), media=dict(data.get("media", {})), source=source,
        steps=tuple(_step(s, lines.get(("steps", i), 0)) for i, s in enumerate(data["steps"])),
        options=Options(auto_pings=opts.get("autoPings", True),
                        ping_interval=float(opts.get("pingInterval", 10.0)),
                        ad_ping_interval=float(opts.get("adPingInterval", 1.0)),
                        speed=None if speed == "max" else float(speed),
                        start=opts.get("start"), server_clock=opts.get("serverClock", False),
                        end_at=opts.get("endAt")),
        expect=Expect(tuple(want.get("findings", {}).get("present", ())),
                      tuple(want.get("findings", {}).get("absent", ())), codes,
                      dict(want.get("report", {}))))

def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """A checked Scenario from YAML text; ScenarioError lists every problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError([Problem(source, mark.line + 1 if mark else 0,
                                     f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                     "check indentation and quoting around this line")]
                            ) from exc
    if node is None or not isinstance(data, dict):
        raise ScenarioError([Problem(source, 1, "a scenario is a YAML mapping",
                                     "start with `name:` and `steps:`")])
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    _lines(node, (), lines, problems, source)
    problems += _schema_problems(data, lines, source)
    problems += semantic_problems(data, lines, source)
    problems += _body_problems(data, lines, source)
    chaos: tuple[ChaosRule, ...] = ()
    if not problems:  # the schema has checked the block's shape and preset names
        chaos, found = _chaos(data, lines, source)
        problems += found
    problems.sort(key=lambda p: p.line)
    if problems:
        raise ScenarioError(problems)
    return replace(_build(data, lines, source), chaos=chaos)

def load_scenario(path: str | Path) -> Scenario:
    """Load and check a scenario file; ScenarioError (never a half-run) when it is wrong."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(file), 0, f"cannot read the file: {exc}",
                                     "check the path (see `media-inspector scenarios`)")]
                            ) from exc
    return parse_scenario(text, str(file))
