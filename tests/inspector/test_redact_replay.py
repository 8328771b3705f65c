"""``--redact`` redacts everything, and a redacted HAR still replays.

A real run against the embedded backend, with identifiers in params, outside params and
under a misspelled key, and a password in the URL; then the redacted HAR is replayed byte
for byte (its headers as written, Content-Length included) over a raw socket.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from urllib.parse import urlsplit

from inspector.exchange import Exchange, ExchangeState
from inspector.export import Redactor, curl_script, har_log, junit_xml, run_document
from inspector.runner import run_scenario
from inspector.scenarios.loader import parse_scenario
from inspector.server import EmbeddedServer

IDS = ("ORG5150@AdobeOrg", "ECID-31337", "VID-4242", "VID-misspelt-77", "cust-8086")
PASSWORD = "hunter22"
SCENARIO = """\
name: ids-everywhere
options: {speed: max, autoPings: false}
media:
  visitor.marketingCloudOrgId: "ORG5150@AdobeOrg"
  visitor.marketingCloudUserId: "ECID-31337"
  analytics.visitorId: "VID-4242"
  visitor.customerIDs: {crm: {id: "cust-8086", authState: 1}}
  media.name: "for VID-4242"
steps:
  - {at: 0, do: sessionStart, customMetadata: {visitorID: "VID-misspelt-77"}}
  - {at: 0, do: play}
  - {at: 2, do: pause}
  - {at: 3, do: play}
  - {at: 5, do: sessionEnd}
"""


async def _post(host: str, port: int, entry: dict, sid_map: dict[str, str]) -> tuple[int, str]:
    """Send the entry's request exactly as the HAR has it; (status, Location)."""
    request = entry["request"]
    path = urlsplit(request["url"]).path
    for old, new in sid_map.items():
        path = path.replace(old, new)
    body = request["postData"]["text"].encode("utf-8")
    head = [f"{request['method']} {path} HTTP/1.1", f"Host: {host}:{port}"]
    head += [f"{h['name']}: {h['value']}" for h in request["headers"]
             if h["name"].lower() not in ("host", "connection")]
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(("\r\n".join([*head, "Connection: close", "", ""])).encode() + body)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=60)  # a wrong length hangs here
    writer.close()
    status_line, _, rest = answer.decode("latin-1").partition("\r\n")
    location = next((line.split(":", 1)[1].strip() for line in rest.split("\r\n")
                     if line.lower().startswith("location:")), "")
    return int(status_line.split()[1]), location


async def test_a_redacted_har_replays_and_holds_no_identifier() -> None:
    server = EmbeddedServer()
    base = await server.astart()
    try:
        url = base.replace("http://", f"http://inspector:{PASSWORD}@")
        outcome = await run_scenario(parse_scenario(SCENARIO), url)
        assert outcome.ok, outcome.error or [str(e) for e in outcome.failures]
        plain = json.dumps(har_log(outcome.exchanges))
        assert all(secret in plain for secret in (*IDS, PASSWORD))  # they were there
        text = json.dumps(har_log(outcome.exchanges, redact=True), ensure_ascii=False)
        for secret in (*IDS, PASSWORD):
            assert secret not in text, secret
        entries = json.loads(text)["log"]["entries"]
        host, port = urlsplit(base).hostname or "", urlsplit(base).port or 0
        sid_map: dict[str, str] = {}
        for entry in entries:
            status, location = await _post(host, port, entry, sid_map)
            if entry["request"]["url"].endswith("/sessions"):
                sid_map[entry["_sid"]] = location.rsplit("/", 1)[-1]
            if 200 <= entry["response"]["status"] < 300:
                assert 200 <= status < 300, (entry["request"]["postData"]["text"], status)
    finally:
        await server.astop()
    assert len(sid_map) == 1 and len(entries) == 5
    for export in (json.dumps(run_document(outcome.exchanges, report=outcome.report,
                                           redact=True), ensure_ascii=False),
                   curl_script(outcome.exchanges, redact=True),
                   junit_xml([Redactor(outcome.exchanges).case(outcome.junit_case())])):
        assert not any(secret in export for secret in (*IDS, PASSWORD))


def test_cookies_credentials_and_queries_are_redacted() -> None:
    exchange = Exchange(
        seq=1, method="POST", url="https://u:pw-1234@example.org/api/v1/sessions?key=k-5678",
        event_type="sessionStart", request_body=b'{"eventType":"sessionStart"}',
        request_headers=[("Cookie", "s_vi=VID-4242; other=x"),
                         ("Authorization", "Bearer tok-9999"), ("Content-Length", "28")],
        state=ExchangeState.DONE, status=201,
        response_headers=[("Set-Cookie", "s_ecid=ECID-31337; Path=/; HttpOnly"),
                          ("Content-Length", "45")],
        response_body=b'{"visitorId": "VID-4242", "note": "for VID-4242"}',
        error="seen at https://u:pw-1234@example.org")
    (entry,) = har_log([exchange], redact=True)["log"]["entries"]
    text = json.dumps(entry)
    for secret in ("VID-4242", "ECID-31337", "pw-1234", "tok-9999", "k-5678"):
        assert secret not in text, secret
    headers = {h["name"]: h["value"] for h in entry["response"]["headers"]}
    assert headers["Set-Cookie"] == "s_ecid=REDACTED; Path=/; HttpOnly"
    assert int(headers["Content-Length"]) == entry["response"]["content"]["size"] == len(
        entry["response"]["content"]["text"].encode())
    assert entry["request"]["queryString"] == [{"name": "key", "value": "REDACTED"}]


def test_a_password_in_the_url_never_reaches_stderr() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: connection refused
    done = subprocess.run([sys.executable, "-m", "inspector", "run", "timeline-1", "--url",
                           f"http://me:{PASSWORD}@127.0.0.1:{port}", "--no-store"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    assert PASSWORD not in done.stderr and PASSWORD not in done.stdout


def test_identifier_keys_and_their_misspellings_but_not_other_params() -> None:
    from inspector.export import is_identifier_key

    for key in ("visitor.marketingCloudOrgId", "visitorID", "visitor.marketingcloudorgid",
                "visitor.marketingCloudUsrId", "appInstalationId", "analytics.aid"):
        assert is_identifier_key(key), key
    for key in ("media.id", "media.ad.id", "sid", "said", "media.name", "eventType"):
        assert not is_identifier_key(key), key
