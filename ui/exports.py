"""Exports from the window: what the log shows, the text of each format for it, writing it.

The formats themselves are the core's pure functions (``inspector.export``); this module
only describes what to export and turns disk errors into a message for the user. No Qt.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from inspector.exchange import Exchange, ExchangeState
from inspector.export import (Redactor, har_log, junit_xml, run_document, write_bytes,
                              write_text)
from inspector.export.evidence import evidence_zip
from inspector.export.replay_script import replay_script
from inspector.findings import Severity
from inspector.runstore import StoredRun
from inspector.scenarios.outcome import ExpectationResult, ScenarioOutcome

__all__ = ["ExportFormat", "ExportSource", "FORMATS", "export_text", "run_outcome",
           "run_source", "write_export"]


@dataclass(frozen=True)
class ExportFormat:
    """One File → Export entry."""

    key: str
    title: str
    filters: str
    suffix: str


FORMATS = (ExportFormat("har", "Export HAR…", "HAR files (*.har);;All files (*)", ".har"),
           ExportFormat("json", "Export JSON…", "JSON files (*.json);;All files (*)", ".json"),
           ExportFormat("junit", "Export JUnit…", "JUnit XML (*.xml);;All files (*)", ".xml"),
           # The whole run as curl calls: `sh FILE BASE_URL` replays it, each sid its own.
           ExportFormat("curl", "Export curl script…", "Shell scripts (*.sh);;All files (*)",
                        ".sh"),
           # A bug-report pack (inspector/export/evidence.py): ids are always redacted.
           ExportFormat("evidence", "Export evidence (ids redacted)…",
                        "Zip files (*.zip);;All files (*)", ".zip"))


@dataclass(frozen=True)
class ExportSource:
    """What the log shows, to export: its name, exchanges, report and any replay outcomes."""

    name: str
    exchanges: Sequence[Exchange]
    report: Mapping[str, Any] | None
    outcomes: Sequence[ScenarioOutcome] = ()


def run_source(run: StoredRun) -> ExportSource:
    """A past run reopened read-only (replay outcomes belong to the live log only)."""
    return ExportSource(f"run #{run.info.id} {run.info.name}", run.exchanges, run.report)


def run_outcome(name: str, exchanges: Sequence[Exchange],
                report: Mapping[str, Any] | None) -> ScenarioOutcome:
    """A clicked run as one JUnit case: every event answered 2xx, and no warnings."""
    failed = [e for e in exchanges if e.state is ExchangeState.FAILED
              or (e.status is not None and e.status >= 400)]
    warned = [e for e in exchanges if e.worst_severity in (Severity.WARNING, Severity.ERROR)]
    checks = [
        ExpectationResult("every event answered 2xx", not failed,
                          ", ".join(f"#{e.seq} {e.event_type}: {e.status or e.state.value}"
                                    for e in failed[:20])),
        ExpectationResult("no warnings", not warned,
                          ", ".join(f"#{e.seq} {e.event_type}: "
                                    + "/".join(f.code for f in e.findings)
                                    for e in warned[:20]))]
    return ScenarioOutcome(name, expectations=checks, exchanges=list(exchanges),
                           report=dict(report) if report is not None else None)


def export_text(key: str, exchanges: Sequence[Exchange], *, name: str,
                report: Mapping[str, Any] | None, redact: bool,
                outcomes: Sequence[ScenarioOutcome] = ()) -> str | bytes:
    """The export ``key`` of ``exchanges``; JUnit and evidence use ``outcomes`` if any."""
    if key == "evidence":
        chosen = list(outcomes) or [run_outcome(name, exchanges, report)]
        return evidence_zip([o.evidence_item() for o in chosen], redact=True)
    if key == "curl":
        shown = Redactor(exchanges).exchanges(exchanges) if redact else list(exchanges)
        return replay_script(shown)
    if key == "har":
        return json.dumps(har_log(exchanges, redact=redact, comment=name), indent=2)
    if key == "json":
        meta = {"name": name, "exported_at": time.time()}
        return json.dumps(run_document(exchanges, report=report, meta=meta, redact=redact),
                          indent=2)
    if key == "junit":
        cases = ([o.junit_case() for o in outcomes]
                 or [run_outcome(name, exchanges, report).junit_case()])
        if redact:
            redactor = Redactor(exchanges)
            cases = [redactor.case(c) for c in cases]
        return junit_xml(cases)
    raise ValueError(f"unknown export format {key!r}")


def write_export(path: Path, data: str | bytes) -> str | None:
    """Write ``data`` to ``path``; None on success, else a message that says what to do."""
    try:
        if isinstance(data, bytes):
            write_bytes(path, data)
        else:
            write_text(path, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return (f"Could not write {path}: {reason}. Choose another folder or file name "
                "(one you can write to).")
    return None
