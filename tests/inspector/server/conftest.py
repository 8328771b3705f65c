"""Real HTTP to the embedded backend on 127.0.0.1, driven by a ManualClock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from inspector.clock import ManualClock
from inspector.server import EmbeddedServer, ServerConfig
from mc_driver import Api


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_server(clock: ManualClock) -> Iterator[Callable[..., EmbeddedServer]]:
    started: list[EmbeddedServer] = []

    def make(**config: Any) -> EmbeddedServer:
        server = EmbeddedServer(clock=clock, config=ServerConfig(**config))
        server.start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def server(make_server: Callable[..., EmbeddedServer]) -> EmbeddedServer:
    return make_server()


@pytest.fixture
async def http(server: EmbeddedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, trust_env=False) as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient, clock: ManualClock) -> Api:
    return Api(http, clock)

