"""Test driver for the embedded backend: bodies at simulated seconds, an API wrapper."""

from __future__ import annotations

from typing import Any

import httpx

from inspector.clock import ManualClock
from inspector.protocol.bodies import sample_body

T0_MS = 1767225600000  # 2026-01-01T00:00:00Z, the ManualClock's default start


class Api:
    """A thin test driver: start sessions and send events at simulated second ``t``."""

    def __init__(self, http: httpx.AsyncClient, clock: ManualClock) -> None:
        self.http = http
        self.clock = clock

    async def start(self, **changes: Any) -> str:
        response = await self.http.post("/api/v1/sessions", json=body("sessionStart", 0, 0,
                                                                      **changes))
        assert response.status_code == 201, response.text
        return response.headers["location"].rsplit("/", 1)[1]

    async def send(self, sid: str, event_type: str, t: float = 1, playhead: float = 0,
                   **changes: Any) -> httpx.Response:
        return await self.post(sid, body(event_type, t, playhead, **changes))

    async def post(self, sid: str, payload: Any) -> httpx.Response:
        return await self.http.post(f"/api/v1/sessions/{sid}/events", json=payload)

    async def detail(self, sid: str) -> dict[str, Any]:
        response = await self.http.get(f"/_inspector/sessions/{sid}")
        assert response.status_code == 200, response.text
        return response.json()


def body(event_type: str, t: float, playhead: float = 0, **changes: Any) -> dict[str, Any]:
    """A valid body at simulated second ``t`` (ms precision), with top-level changes."""
    payload = sample_body(event_type, ts=T0_MS + round(t * 1000), playhead=playhead)
    payload.update(changes)
    return payload


def client_for(server: Any) -> httpx.AsyncClient:
    """An HTTP client for an EmbeddedServer (no proxies from the environment)."""
    return httpx.AsyncClient(base_url=server.base_url, trust_env=False)
