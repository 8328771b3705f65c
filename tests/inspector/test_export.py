"""Exports: HAR and JSON against golden files; redaction; JSON round trip (JUnit: its own file)."""

from __future__ import annotations

import json

import pytest

from inspector.export import (REDACTED, exchange_from_dict, exchange_to_dict, har_log,
                              run_document)
from inspector.export.records import finding_to_dict

from tests.inspector._export_samples import IDENTIFIERS, sample_exchanges
from tests.inspector._golden import check_golden


def _dump(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_har_matches_golden() -> None:
    check_golden("export.har", _dump(har_log(sample_exchanges(), version="0.0.0-test")))


def test_har_redacted_matches_golden() -> None:
    har = har_log(sample_exchanges(), redact=True, version="0.0.0-test")
    check_golden("export-redacted.har", _dump(har))


def test_har_has_one_entry_per_exchange_with_findings_and_timings() -> None:
    entries = har_log(sample_exchanges())["log"]["entries"]
    assert [e["response"]["status"] for e in entries] == [201, 204, 400, 0]
    assert entries[1]["_findings"][0]["code"] == "AD_OUTSIDE_BREAK"
    assert entries[0]["timings"]["wait"] == entries[0]["time"] == 3.25
    assert entries[0]["startedDateTime"] == "2026-01-01T00:00:00.001Z"
    assert entries[3]["response"]["_error"].startswith("cannot connect")


def test_redaction_removes_every_identifier_and_keeps_the_body_shape() -> None:
    plain = json.dumps(har_log(sample_exchanges()), ensure_ascii=False)
    redacted_har = har_log(sample_exchanges(), redact=True)
    redacted = json.dumps(redacted_har, ensure_ascii=False)
    for identifier in IDENTIFIERS:
        assert identifier in plain
        assert identifier not in redacted
    params = json.loads(redacted_har["log"]["entries"][0]["request"]["postData"]["text"])
    assert params["params"]["visitor.customerIDs"] == {"crm": {"id": REDACTED, "authState": 1}}
    assert params["params"]["media.id"] == "ep-0042"


def test_redaction_reaches_the_json_run_and_its_report() -> None:
    report = {"media": {"visitor.marketingCloudOrgId": "ABC123DEF456@AdobeOrg"}}
    doc = json.dumps(run_document(sample_exchanges(), report=report, redact=True))
    assert not any(identifier in doc for identifier in IDENTIFIERS)


@pytest.mark.parametrize("index", range(4))
def test_exchange_json_round_trip(index: int) -> None:
    original = sample_exchanges()[index]
    back = exchange_from_dict(json.loads(json.dumps(exchange_to_dict(original))))
    assert exchange_to_dict(back) == exchange_to_dict(original)
    assert back.request_body == original.request_body
    assert [finding_to_dict(f) for f in back.findings] == [
        finding_to_dict(f) for f in original.findings]
    assert back.error_kind == original.error_kind and back.state == original.state


def test_run_document_matches_golden() -> None:
    doc = run_document(sample_exchanges(), report={"events": {"processed": 3}},
                       meta={"name": "golden", "startedAt": 1767225600.0},
                       version="0.0.0-test")
    check_golden("export-run.json", _dump(doc))


def test_a_cut_response_body_stays_marked_in_json_and_har() -> None:
    cut = sample_exchanges()[0]
    cut.response_body, cut.response_truncated = b"x" * 100, 10_000_000
    back = exchange_from_dict(json.loads(json.dumps(exchange_to_dict(cut))))
    assert back.response_truncated == 10_000_000
    content = har_log([cut])["log"]["entries"][0]["response"]["content"]
    assert content["size"] == 10_000_000 and len(content["text"]) == 100
    assert "first 100 of 10,000,000 bytes" in content["comment"]
