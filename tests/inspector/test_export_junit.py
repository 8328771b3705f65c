"""JUnit export: golden file, counts, outcome conversion, and Jenkins' junit-10.xsd rules."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from inspector.export import JUnitCase, junit_xml

from tests.inspector._export_samples import sample_cases, sample_outcomes
from tests.inspector._golden import check_golden


@dataclass(frozen=True)
class Rule:
    """What junit-10.xsd allows one element: attributes, child elements, text content."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    children: frozenset[str] = frozenset()
    text: bool = False  # mixed="true" or type="xs:string"


def _rule(required: str = "", optional: str = "", children: str = "",
          text: bool = False) -> Rule:
    return Rule(frozenset(required.split()), frozenset(optional.split()),
                frozenset(children.split()), text)


# Transcribed from Jenkins' junit-10.xsd (jenkinsci/xunit-plugin, src/main/resources/org/
# jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd), which we cannot download in tests.
# testsuites holds a sequence of testsuite; testsuite and testcase hold their children in
# any order (xs:choice, unbounded), so only membership is checked, not order.
_TEXT = _rule(text=True)
_RERUN = _rule("type", "message", "stackTrace system-out system-err", text=True)  # rerunType
_OUTCOME = _rule(optional="type message", text=True)
JUNIT_10 = {
    "testsuites": _rule(optional="name time tests failures errors", children="testsuite"),
    "testsuite": _rule("name tests failures errors",
                       "group time skipped timestamp hostname id package file log url",
                       "testsuite properties testcase system-out system-err"),
    "properties": _rule(children="property"),
    "property": _rule("name value"),
    "testcase": _rule("name", "time classname group",
                      "skipped error failure rerunFailure rerunError flakyFailure flakyError "
                      "system-out system-err"),
    "failure": _OUTCOME, "error": _OUTCOME, "skipped": _OUTCOME,
    "rerunFailure": _RERUN, "rerunError": _RERUN, "flakyFailure": _RERUN, "flakyError": _RERUN,
    "system-out": _TEXT, "system-err": _TEXT, "stackTrace": _TEXT,
}
# SUREFIRE_TIME, the type of @time on testsuite and testsuites.
SUREFIRE_TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")
TIMED = {"testsuites", "testsuite"}


def junit_10_problems(document: str) -> list[str]:
    """Every way ``document`` breaks the junit-10.xsd rules above (empty: it validates)."""
    root = ET.fromstring(document)
    problems = [] if root.tag in ("testsuites", "testsuite") else [f"root <{root.tag}>"]
    for element in root.iter():
        rule = JUNIT_10.get(element.tag)
        if rule is None:
            problems.append(f"<{element.tag}> is not in the schema")
            continue
        attrs = set(element.attrib)
        problems += [f"<{element.tag}> lacks @{a}" for a in sorted(rule.required - attrs)]
        problems += [f"<{element.tag}> has @{a}"
                     for a in sorted(attrs - rule.required - rule.optional)]
        problems += [f"<{element.tag}> holds <{c.tag}>" for c in element
                     if c.tag not in rule.children]
        loose = [element.text or ""] + [c.tail or "" for c in element]
        if not rule.text and any(t.strip() for t in loose):
            problems.append(f"<{element.tag}> holds text")
        time = element.get("time")
        if element.tag in TIMED and time is not None and not SUREFIRE_TIME.fullmatch(time):
            problems.append(f"<{element.tag}> @time={time!r} is not SUREFIRE_TIME")
    return problems


def test_junit_matches_golden() -> None:
    check_golden("export-junit.xml", junit_xml(sample_cases()))


def test_outcomes_convert_to_the_same_cases() -> None:
    assert [o.junit_case() for o in sample_outcomes()] == sample_cases()


def test_junit_counts_failures_and_errors() -> None:
    root = ET.fromstring(junit_xml(sample_cases()))
    suite = root.find("testsuite")
    assert suite is not None
    for element in (root, suite):
        assert [element.get(k) for k in ("tests", "failures", "errors")] == ["3", "1", "1"]
    failure = root.find(".//failure")
    assert failure is not None and "report ads.started == 1 (got 0)" in (failure.text or "")


def test_the_source_file_is_the_first_line_of_system_out() -> None:
    outs = [(c.get("name"), (c.findtext("system-out") or "").splitlines()[0])
            for c in ET.fromstring(junit_xml(sample_cases())).iter("testcase")]
    assert outs == [("timeline-1", "file: assets/scenarios/timeline-1.yaml"),
                    ("ad-outside-break", "file: ad.yaml"), ("unreachable", "file: far.yaml")]
    clicked = ET.fromstring(junit_xml([JUnitCase("live", summary=("events sent: 0",))]))
    assert clicked.findtext(".//system-out") == "events sent: 0"  # no source, no file line


def test_junit_validates_against_jenkins_junit_10() -> None:
    odd = JUnitCase('a <b> & "c"', "dir/ü.yaml", 12345.6789, error="x < y & z",
                    summary=("events sent: 0",))
    assert junit_10_problems(junit_xml(sample_cases() + [odd])) == []
    assert junit_10_problems(junit_xml([])) == []


def test_the_schema_check_catches_what_junit_10_refuses() -> None:
    bad = ('<testsuites skipped="0"><testsuite name="s" tests="1" failures="0" time="1s">'
           '<testcase name="t" file="a.yaml"><properties/><failure>x</failure></testcase>'
           'stray</testsuite></testsuites>')
    assert junit_10_problems(bad) == [
        "<testsuites> has @skipped", "<testsuite> lacks @errors",
        "<testsuite> holds text", "<testsuite> @time='1s' is not SUREFIRE_TIME",
        "<testcase> has @file", "<testcase> holds <properties>"]
