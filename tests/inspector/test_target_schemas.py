"""Validating against the target's schemas (issue 17): a body the target's schema rejects
gets the target's reason, one only our catalogue rejects is not flagged."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from inspector.advisor import Advisor
from inspector.cli import main
from inspector.protocol.bodies import sample_body
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.protocol.schemas import schema_for
from inspector.runner import run_scenario
from inspector.scenarios.library import resolve
from inspector.scenarios.loader import load_scenario
from inspector.server import EmbeddedServer
from inspector.target_schemas import AUTHORITY, TargetSchemas, fetch_target_schemas

from tests.inspector._schema_target import POD_POSITION, schema_target

_SCHEMA_CODES = {"SCHEMA_INVALID", "MISSING_REQUIRED_PARAM", "WRONG_PARAM_TYPE",
                 "UNKNOWN_PARAM"}


def _fetch(url: str) -> TargetSchemas:
    return asyncio.run(fetch_target_schemas(url))[0]


def _schema_findings(advisor: Advisor, body: dict[str, Any]) -> list[tuple[str, str]]:
    advisor.reset()
    return [(f.code, f.message) for f in advisor.check(body) if f.code in _SCHEMA_CODES]


def _ad_start(**params: Any) -> dict[str, Any]:
    body = sample_body("adStart", ts=1767225601000)
    body["params"].update(params)
    return body


def test_the_targets_schema_rejects_a_body_ours_accepts_and_says_it_decides() -> None:
    with schema_target() as url:
        target = _fetch(url)
    body = _ad_start()
    assert isinstance(body["params"][POD_POSITION], int)
    assert _schema_findings(Advisor(), body) == []  # ours: fine
    found = _schema_findings(Advisor(validator=target), body)
    assert [code for code, _ in found] == ["WRONG_PARAM_TYPE"]
    message = found[0][1]
    assert f"params.{POD_POSITION}: expected string, got integer" in message
    assert AUTHORITY in message and f"{url}/api/v1/schemas/adStart" in message
    # a string podPosition is the other way round: the target takes it, ours does not
    string = _ad_start(**{POD_POSITION: "1"})
    assert [c for c, _ in _schema_findings(Advisor(), string)] == ["WRONG_PARAM_TYPE"]
    assert _schema_findings(Advisor(validator=target), string) == []


def test_what_only_our_catalogue_knows_is_left_to_the_target() -> None:
    schema = schema_for("play")  # a target whose play takes a key of its own
    schema["definitions"]["play"]["properties"]["params"] = {
        "type": "object", "properties": {"partner.id": {"type": "string"}}}
    target = TargetSchemas("http://target.example", {"play": schema})
    body = sample_body("play", ts=1767225601000)
    body["params"] = {"partner.id": "x"}
    assert "UNKNOWN_PARAM" in [c for c, _ in _schema_findings(Advisor(), body)]
    assert _schema_findings(Advisor(validator=target), body) == []
    ad = _ad_start()  # no adStart schema from this target: ours judges it
    assert _schema_findings(Advisor(validator=target), ad) == []


def test_the_embedded_backends_schemas_judge_as_ours_do() -> None:
    with EmbeddedServer() as server:
        target = _fetch(server.base_url)
    assert sorted(target.schemas) == sorted(EVENT_NAMES) and not target.skipped
    for name in EVENT_NAMES:
        assert target(sample_body(name)) == []


def test_a_scenario_run_with_the_targets_schemas_gets_the_targets_reason() -> None:
    with schema_target() as url:
        target = _fetch(url)

    async def play() -> Any:
        server = EmbeddedServer()
        base = await server.astart()
        try:
            return await run_scenario(load_scenario(resolve("timeline-1")), base, speed=None,
                                      follow=server.follow, schemas=target)
        finally:
            await server.astop()

    outcome = asyncio.run(play())
    ads = [e for e in outcome.exchanges if e.event_type == "adStart"]
    assert ads
    for exchange in ads:
        reasons = [f.message for f in exchange.findings if f.code == "WRONG_PARAM_TYPE"]
        assert reasons and AUTHORITY in reasons[0] and POD_POSITION in reasons[0]


def test_run_schemas_target_says_whose_schemas_judge(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "ad-outside-break", "--speed", "max", "--schemas", "target",
                 "--no-store"]) in (0, 1)
    err = capsys.readouterr().err
    assert "validating against the target's schemas (http://127.0.0.1:" in err
    assert f"{len(EVENT_NAMES)} of {len(EVENT_NAMES)} event types" in err
