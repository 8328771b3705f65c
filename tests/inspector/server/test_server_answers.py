"""The one middleware's answers by path: the API's (the fast path), the inspector's, others.

Each answer is JSON with the §1.2 CORS headers exactly once, except ``/_inspector/``'s
(none, see guard) and Media Edge's (their own); aiohttp's plain-text 404/405 never show.
"""

from __future__ import annotations

import pytest

from test_server_status import CORS, assert_error, assert_no_cors


@pytest.mark.parametrize("method, path, status, words", [
    ("POST", "/api/v1/nothing", 404, ("no such endpoint: POST /api/v1/nothing",)),
    ("GET", "/api/v1/sessions", 405, ("GET is not allowed on /api/v1/sessions",
                                      "allowed: OPTIONS, POST")),
    ("POST", "/elsewhere", 404, ("no such endpoint: POST /elsewhere",)),
    ("POST", "/apis/v1/sessions", 404, ("no such endpoint",)),
])
async def test_router_errors_are_json_with_cors_once(http, method, path, status, words) -> None:
    response = await http.request(method, path, json={})
    assert_error(response, status, *words)
    for name in CORS:
        assert len(response.headers.get_list(name)) == 1, name
    if status == 405:
        assert response.headers["allow"] == "OPTIONS,POST"


async def test_inspector_errors_are_json_without_cors(http) -> None:
    response = await http.post("/_inspector/nothing", json={})
    assert response.status_code == 404 and "no such endpoint" in response.json()["message"]
    assert_no_cors(response)


async def test_media_edge_answers_keep_their_own_cors(http) -> None:
    response = await http.post("/ee/va/v1/nothing", json={}, headers={"Origin": "https://a.b"})
    assert response.headers.get("access-control-allow-origin") == "https://a.b"
    assert response.headers.get("access-control-allow-methods") == "OPTIONS,POST"
