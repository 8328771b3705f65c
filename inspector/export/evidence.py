"""An evidence pack: one zip with what a bug report about a run needs.

Adobe's support threads ask for the calls, their order, the answers and what was expected;
the pack holds: ``run.har`` (HAR 1.2), ``replay.sh`` (replays every call against a base URL
given as its first argument), the scenario files, ``findings.txt``, ``report.json`` (each
scenario's report and metrics, with its expectations), one ``timeline-NAME.png`` per
scenario, and a ``README.txt`` saying so. Visitor and org ids are redacted unless asked not
to (the same :class:`~inspector.export.redact.Redactor` as ``--redact``).
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..exchange import Exchange
from ..timeline import build_timeline
from .har import har_log
from .redact import Redactor
from .replay_script import replay_script
from .timeline_png import ROWS, timeline_png

__all__ = ["EvidenceItem", "evidence_zip"]


@dataclass
class EvidenceItem:
    """One scenario of the run, as the pack shows it."""

    name: str
    exchanges: list[Exchange]
    scenario_text: str | None = None  # the scenario file as written
    report: dict[str, Any] | None = None
    verdict: str = ""  # e.g. "PASS" or "FAIL: 2 of 9 expectations not met"
    expectations: list[tuple[str, bool, str]] = field(default_factory=list)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "scenario"


def _findings(items: list[EvidenceItem]) -> str:
    lines = []
    for item in items:
        lines.append(f"== {item.name}: {item.verdict}")
        found = [(e, f) for e in item.exchanges for f in e.findings]
        for e, f in found:
            lines.append(f"#{e.seq} {e.event_type} [{f.severity.value}] {f.code}: {f.message}"
                         + (f" (spec {f.spec})" if f.spec else ""))
        if not found:
            lines.append("no findings")
        for description, ok, detail in item.expectations:
            lines.append(f"{'met' if ok else 'NOT MET'}: {description}"
                         + (f" ({detail})" if detail else ""))
    return "\n".join(lines) + "\n"


def _readme(items: list[EvidenceItem], redacted: bool) -> str:
    rows = ", ".join(kind.value for kind, _ in ROWS)
    return "\n".join([
        "Media Inspector evidence pack",
        f"written {time.strftime('%Y-%m-%d %H:%M:%S %z')}; "
        f"{sum(len(i.exchanges) for i in items)} exchange(s) in {len(items)} scenario(s)",
        "visitor and org ids: " + ("redacted" if redacted else "kept (--no-redact)"),
        "",
        "run.har          every request and answer (HAR 1.2; opens in browser dev tools)",
        "replay.sh        sh replay.sh BASE_URL: sends every call again, taking each sid",
        "                 from its own 201 Location, and prints each answer beside the",
        "                 original; exit 1 when one differs",
        "scenarios/       the scenario files that ran",
        "findings.txt     what the advisor said about each call, and each expectation",
        "report.json      what Adobe would count, per scenario (report and metrics)",
        "timeline-*.png   each scenario's last session against simulated time; rows, top to",
        f"                 bottom: {rows}; ping ticks above, warnings below",
        "",
    ])


def evidence_zip(items: list[EvidenceItem], *, redact: bool = True,
                 extra_secrets: list[str] | None = None) -> bytes:
    """The pack's bytes (a zip); nothing is written to disk here."""
    every = [e for item in items for e in item.exchanges]
    redactor = Redactor(every, extra=extra_secrets or []) if redact else None
    if redactor is not None:
        items = [EvidenceItem(i.name, redactor.exchanges(i.exchanges),
                              redactor.text(i.scenario_text) if i.scenario_text else None,
                              redactor.tree(i.report) if i.report is not None else None,
                              i.verdict, [(redactor.text(d), ok, redactor.text(x))
                                          for d, ok, x in i.expectations]) for i in items]
        every = [e for item in items for e in item.exchanges]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        def put(name: str, data: str | bytes, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(name, time.localtime()[:6])
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            pack.writestr(info, data)

        put("README.txt", _readme(items, redact))
        put("run.har", json.dumps(har_log(every), indent=2))
        put("replay.sh", replay_script(every), 0o755)
        put("findings.txt", _findings(items))
        put("report.json", json.dumps({i.name: {"verdict": i.verdict, "report": i.report}
                                       for i in items}, indent=2))
        for item in items:
            if item.scenario_text is not None:
                put(f"scenarios/{_slug(item.name)}.yaml", item.scenario_text)
            put(f"timeline-{_slug(item.name)}.png", timeline_png(build_timeline(item.exchanges)))
    return buffer.getvalue()
