"""JUnit export: golden file, counts, and the conversion from scenario outcomes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from inspector.export import junit_xml

from tests.inspector._export_samples import sample_cases, sample_outcomes
from tests.inspector._golden import check_golden


def test_junit_matches_golden() -> None:
    check_golden("export-junit.xml", junit_xml(sample_cases()))


def test_outcomes_convert_to_the_same_cases_and_document() -> None:
    assert [o.junit_case() for o in sample_outcomes()] == sample_cases()
    assert junit_xml(sample_outcomes()) == junit_xml(sample_cases())  # converted on the way in


def test_junit_counts_failures_and_errors() -> None:
    root = ET.fromstring(junit_xml(sample_cases()))
    suite = root.find("testsuite")
    assert suite is not None
    for element in (root, suite):
        assert [element.get(k) for k in ("tests", "failures", "errors")] == ["3", "1", "1"]
    failure = root.find(".//failure")
    assert failure is not None and "report ads.started == 1 (got 0)" in (failure.text or "")
