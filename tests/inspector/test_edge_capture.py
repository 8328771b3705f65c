"""listen/lint recognise Media Edge traffic (spec §9) and judge it with the same advisor."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from inspector.capture import CaptureAnalyzer, classify
from inspector.capture.har import read_har
from inspector.capture.judge import judge_capture
from inspector.commands.lint import lint_command
from inspector.exchange import Exchange, ExchangeState
from inspector.protocol.bodies import sample_body
from inspector.protocol.edge import to_edge
from inspector.server import EmbeddedServer
from tests.inspector.server.adobe_timelines import downloaded_batch

CAPTURES = Path(__file__).resolve().parent / "captures"
WEBSDK = CAPTURES / "edge-websdk.har"
SID = "d4" * 32


@pytest.mark.parametrize(("url", "event", "start"), [
    ("https://edge.adobedc.net/ee/va/v1/play?configId=x", "play", False),
    ("https://edge.adobedc.net/ee/or2/va/v1/ping?configId=x", "ping", False),
    ("https://edge.adobedc.net/ee/va/v1/sessionStart?configId=x", "sessionStart", True),
    ("https://edge.adobedc.net/ee/v1/interact?configId=x", None, True),
    ("https://edge.adobedc.net/ee/or2/v1/interact", None, True),
])
def test_edge_paths_are_api_calls(url: str, event: str | None, start: bool) -> None:
    call = classify("POST", url)
    assert call is not None and call.dialect == "edge"
    assert call.path_event == event and call.start is start


def test_the_web_sdk_capture_with_an_ad_outside_a_break_lints_to_exit_1() -> None:
    done = subprocess.run([sys.executable, "-m", "inspector", "lint", str(WEBSDK)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "AD_OUTSIDE_BREAK x2 (error)" in done.stdout
    assert f"session {'c3' * 32}: 9 call(s)" in done.stdout


def test_the_capture_is_one_session_judged_on_its_classic_events() -> None:
    log = judge_capture(read_har(WEBSDK))
    (session,) = log.analyzer.sessions.values()
    assert set(session.finding_counts()) == {"AD_OUTSIDE_BREAK"}
    assert [e.event_type for e in session.exchanges][:4] == ["sessionStart", "play", "ping",
                                                             "adStart"]
    assert all(e.dialect == "edge" for e in session.exchanges)
    assert session.report.to_dict()["closed"]["reason"] == "sessionEnd"
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(captures=[str(WEBSDK)], junit=None, json=None)
    assert lint_command(args, out, err) == 1 and not err.getvalue()


def _captured(url: str, body: dict, status: int, answer: bytes = b"") -> Exchange:
    exchange = Exchange(seq=1, method="POST", url=url, event_type="?",
                        request_body=json.dumps(body).encode(), state=ExchangeState.DONE,
                        status=status, response_body=answer)
    return exchange


def test_listen_takes_the_sid_from_the_handle_and_a_404_ends_the_session() -> None:
    analyzer = CaptureAnalyzer()
    start = to_edge(sample_body("sessionStart"), None).body
    handle = {"handle": [{"type": "state:store", "payload": []},
                         {"type": "media-analytics:new-session",
                          "payload": [{"sessionId": SID}]}]}
    first = analyzer.add(_captured("http://edge/ee/va/v1/sessionStart?configId=x", start,
                                   200, json.dumps(handle).encode()))
    play = to_edge(sample_body("play", ts=1767225601000), SID).body
    second = analyzer.add(_captured("http://edge/ee/or2/va/v1/play", play, 204))
    gone = analyzer.add(_captured("http://edge/ee/va/v1/ping",
                                  to_edge(sample_body("ping", ts=1767225602000), SID).body, 404))
    assert first is second is gone and first is not None and first.sid == SID
    assert first.report.to_dict()["events"]["by_type"] == {"sessionStart": 1, "play": 1}
    later = analyzer.add(_captured("http://edge/ee/va/v1/ping",
                                   to_edge(sample_body("ping", ts=1767225603000), SID).body,
                                   204))
    assert later is first and later.exchanges[-1].findings  # the advisor knows it is gone


def test_an_interact_call_without_media_is_not_an_api_call() -> None:
    analyzer = CaptureAnalyzer()
    body = {"events": [{"xdm": {"eventType": "web.webpagedetails.pageViews",
                                "timestamp": "2026-03-01T12:00:00Z"}}]}
    assert analyzer.add(_captured("http://edge/ee/v1/interact?configId=x", body, 200)) is None
    assert analyzer.ignored == 1 and not analyzer.sessions


def test_an_offline_batch_is_a_whole_session_judged_event_by_event() -> None:
    """A ``/downloaded`` batch (offline playback) answered by the embedded backend itself."""
    start = sample_body("sessionStart")
    t0 = start["playerTime"]["ts"]
    bodies = [start, sample_body("play", ts=t0 + 1000),
              sample_body("adStart", ts=t0 + 2000),  # no adBreakStart: outside a break
              sample_body("sessionEnd", ts=t0 + 3000)]
    batch = downloaded_batch(bodies)
    with EmbeddedServer() as server:
        url = f"{server.base_url}/ee/va/v1/downloaded?configId=x"
        answer = httpx.post(url, json=batch, trust_env=False)
    assert answer.status_code == 200
    call = classify("POST", url)
    assert call is not None and call.start
    analyzer = CaptureAnalyzer()
    session = analyzer.add(_captured(url, batch, 200, answer.content))
    assert session is not None and session.sid == answer.json()["handle"][0]["payload"][0][
        "sessionId"]
    assert "AD_OUTSIDE_BREAK" in session.finding_counts()
    assert session.report.to_dict()["closed"]["reason"] == "sessionEnd"
