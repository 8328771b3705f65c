"""JUnit XML from test-case records: one ``<testcase>`` per case, readable by CI systems.

The document validates against Jenkins' ``junit-10.xsd`` (xunit-plugin) too. That schema
has no ``file`` attribute on ``<testcase>`` (and no ``<properties>`` there), so a case's
source file is the first line of its ``<system-out>``: ``file: <path>``. The schema's rules
are a table in tests/inspector/test_export_junit.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

from .junit_case import JUnitCase

__all__ = ["junit_xml"]


def _seconds(value: float) -> str:
    return f"{value:.3f}"  # digits and one dot: junit-10.xsd's SUREFIRE_TIME pattern


def _case(case: JUnitCase) -> ET.Element:
    element = ET.Element("testcase", {"classname": "media-inspector.scenarios",
                                      "name": case.name, "time": _seconds(case.duration_s)})
    if case.error is not None:
        error = ET.SubElement(element, "error", {"message": case.error, "type": "RunError"})
        error.text = case.error
    elif case.failed:
        failure = ET.SubElement(element, "failure", {
            "message": f"{len(case.failed)} of {len(case.expectations)} expectations not met",
            "type": "ExpectationFailed"})
        failure.text = "\n".join(case.failed + case.summary)
    source = (f"file: {case.source}",) if case.source else ()
    out = ET.SubElement(element, "system-out")
    out.text = "\n".join(source + case.expectations + case.summary)
    return element


def junit_xml(cases: Iterable[JUnitCase], *, suite: str = "media-inspector") -> str:
    """A ``<testsuites>`` document with one ``<testcase>`` per case, in order."""
    items = list(cases)
    counts = {"tests": str(len(items)),
              "failures": str(sum(1 for c in items if c.error is None and c.failed)),
              "errors": str(sum(1 for c in items if c.error is not None)),
              "time": _seconds(sum(c.duration_s for c in items))}
    root = ET.Element("testsuites", {"name": suite, **counts})
    suite_el = ET.SubElement(root, "testsuite", {"name": suite, **counts, "skipped": "0"})
    suite_el.extend(_case(c) for c in items)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
