"""Schema sync: a target's schemas against the catalogue's, field by field."""

from __future__ import annotations

import copy
import json
from typing import Any, Iterator

import pytest

from inspector.cli import main
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.protocol.schema_diff import diff_schemas
from inspector.protocol.schemas import schema_for
from tests.inspector._schema_target import serving


def _altered_ad_start() -> dict[str, Any]:
    """adStart as a target that disagrees with us four ways."""
    schema = copy.deepcopy(schema_for("adStart"))
    params = schema["definitions"]["adStart"]["properties"]["params"]
    del params["properties"]["media.ad.name"]  # a removed key
    params["properties"]["media.ad.podPosition"]["type"] = "string"  # a changed type
    params["required"].append("media.ad.advertiser")  # a field made required
    params["properties"]["partner.campaign"] = {"type": "string"}  # a key we do not know
    return schema


@pytest.fixture
def target() -> Iterator[str]:
    """A target serving our schemas, except an altered adStart, a 404 for ping, junk for play."""

    def answer(name: str) -> bytes | None:
        if name == "ping":
            return None
        return b"<html>oops</html>" if name == "play" else json.dumps(
            _altered_ad_start() if name == "adStart" else schema_for(name)).encode()

    with serving(answer) as url:
        yield url


def test_each_kind_of_difference_is_named_by_field() -> None:
    found = {(d.path, d.what) for d in diff_schemas(schema_for("adStart"), _altered_ad_start())}
    assert found == {("params › media.ad.name", "missing"),
                     ("params › media.ad.podPosition", "type"),
                     ("params › media.ad.advertiser", "required"),
                     ("params › partner.campaign", "added")}
    assert diff_schemas(schema_for("adStart"), schema_for("adStart")) == []


def test_sync_against_serve_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--sync"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"= {len(EVENT_NAMES)} of {len(EVENT_NAMES)} event types match")


def test_sync_against_an_altered_target_names_the_fields_and_exits_1(
        target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--sync", "--url", target]) == 1
    out = capsys.readouterr().out
    assert "adStart: 4 differences" in out
    assert "params › media.ad.name: in our catalogue, not in the target's schema" in out
    assert ("params › media.ad.podPosition: type is 'string' for the target, 'integer' for us"
            in out)
    assert "params › media.ad.advertiser: required for the target, optional for us" in out
    assert "params › partner.campaign: in the target's schema, not in our catalogue" in out
    assert "ping: not compared: 404: the target serves no schema for it" in out
    assert "play: not compared: the answer is not JSON" in out
    total = len(EVENT_NAMES)
    assert out.splitlines()[-1] == f"= {total - 3} of {total} event types match"


def test_an_unreachable_target_is_one_line_and_exit_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--sync", "--url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("media-inspector: schema sync: cannot connect to http://127.0.0.1:9")
    assert err.count("\n") == 1
