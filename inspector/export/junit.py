"""JUnit XML from scenario outcomes: one test case per scenario, readable by CI systems."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

from ..scenarios.outcome import ScenarioOutcome

__all__ = ["junit_xml"]


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _case(outcome: ScenarioOutcome) -> ET.Element:
    case = ET.Element("testcase", {"classname": "media-inspector.scenarios",
                                   "name": outcome.name, "time": _seconds(outcome.duration_s)})
    if outcome.source:
        case.set("file", outcome.source)
    if outcome.error is not None:
        error = ET.SubElement(case, "error", {"message": outcome.error, "type": "RunError"})
        error.text = outcome.error
    elif outcome.failures:
        failed = outcome.failures
        failure = ET.SubElement(case, "failure", {
            "message": f"{len(failed)} of {len(outcome.expectations)} expectations not met",
            "type": "ExpectationFailed"})
        failure.text = "\n".join([str(e) for e in failed] + outcome.summary_lines())
    out = ET.SubElement(case, "system-out")
    out.text = "\n".join([str(e) for e in outcome.expectations] + outcome.summary_lines())
    return case


def junit_xml(outcomes: Iterable[ScenarioOutcome], *, suite: str = "media-inspector") -> str:
    """A ``<testsuites>`` document with one ``<testcase>`` per scenario outcome."""
    items = list(outcomes)
    counts = {"tests": str(len(items)),
              "failures": str(sum(1 for o in items if o.error is None and o.failures)),
              "errors": str(sum(1 for o in items if o.error is not None)),
              "time": _seconds(sum(o.duration_s for o in items))}
    root = ET.Element("testsuites", {"name": suite, **counts})
    suite_el = ET.SubElement(root, "testsuite", {"name": suite, **counts, "skipped": "0"})
    suite_el.extend(_case(o) for o in items)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
