"""Checks a schema cannot express: time order, seek targets, known finding codes."""

from __future__ import annotations

from typing import Any

from ..advisor import RULES
from .problems import Problem, closest

__all__ = ["semantic_problems", "known_codes"]


def known_codes() -> set[str]:
    """Every finding code the advisor can produce."""
    return {r.code for r in RULES}


def _code_problems(codes: list[str], line: int, file: str) -> list[Problem]:
    known = known_codes()
    return [Problem(file, line, f"unknown finding code {code!r}",
                    closest(code, known) or "see the advisor's rule list for valid codes")
            for code in codes if code not in known]


def semantic_problems(data: dict[str, Any], lines: dict[tuple[Any, ...], int],
                      file: str) -> list[Problem]:
    """Problems in a file whose shape already matches the schema."""
    problems: list[Problem] = []
    previous = 0.0
    steps = data.get("steps")
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        line = lines.get(("steps", i), 0)
        if not isinstance(step, dict) or not isinstance(step.get("at"), (int, float)):
            continue  # the schema check already names what is wrong with this step
        if step["at"] < previous:
            problems.append(Problem(file, line, f"`at: {step['at']}` is earlier than the step "
                                    f"before it (at {previous:g})",
                                    "steps run in file order: sort them by `at`"))
        previous = max(previous, step["at"])
        if step.get("do") == "seek" and "to" not in step:
            problems.append(Problem(file, line, "`seek` needs a target",
                                    "add `to: SECONDS` (the new playhead)"))
        if "to" in step and step.get("do") != "seek":
            problems.append(Problem(file, line, "`to:` only applies to `do: seek`",
                                    "remove `to:` or write `do: seek`"))
        want = step.get("expect")
        if isinstance(want, dict):
            problems += _code_problems(_strings(want.get("findings")) + _strings(
                want.get("noFindings")), lines.get(("steps", i, "expect"), line), file)
    expect = data.get("expect")
    findings = expect.get("findings") if isinstance(expect, dict) else None
    for key in ("present", "absent"):
        if isinstance(findings, dict):
            problems += _code_problems(_strings(findings.get(key)),
                                       lines.get(("expect", "findings", key), 0), file)
    return problems


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
