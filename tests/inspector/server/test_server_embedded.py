"""EmbeddedServer: a free loopback port, its own thread, clean start and stop."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from inspector.server import EmbeddedServer, ServerConfig
from mc_driver import body


def _serves(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/schemas/play", trust_env=False, timeout=2).status_code \
            == 200
    except httpx.TransportError:
        return False


def test_start_gives_a_loopback_url_and_stop_frees_the_port() -> None:
    server = EmbeddedServer()
    url = server.start()
    assert url == server.base_url and url.startswith("http://127.0.0.1:")
    assert server.start() == url  # idempotent
    assert _serves(url) and server.running
    server.stop()
    server.stop()  # idempotent
    assert not server.running and not _serves(url)
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # the port is free again


def test_runs_on_its_own_thread_so_a_blocked_caller_does_not_stop_it() -> None:
    with EmbeddedServer() as server:
        names = server.call(lambda state: threading.current_thread().name)
        assert names == "media-inspector-server"
        response = httpx.post(f"{server.base_url}/api/v1/sessions",
                              json=body("sessionStart", 0), trust_env=False)
        assert response.status_code == 201
        assert server.call(lambda state: state.sessions.open_count) == 1


def test_bind_failure_raises_and_leaves_it_stopped() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = EmbeddedServer(port=taken.getsockname()[1])
        with pytest.raises(OSError):
            server.start()
        assert not server.running


async def test_async_start_and_stop_do_not_block_the_loop() -> None:
    server = EmbeddedServer()
    url = await server.astart()
    async with httpx.AsyncClient(trust_env=False) as http:
        response = await http.post(f"{url}/api/v1/sessions", json=body("sessionStart", 0))
    assert response.status_code == 201
    await server.astop()
    assert not server.running


@pytest.mark.parametrize("settings", [{"idle_timeout": 0}, {"max_body_bytes": -1},
                                      {"max_age": 0}, {"reorder_window": -1}])
def test_nonsensical_server_settings_are_refused_with_the_field_named(settings) -> None:
    with pytest.raises(ValueError, match=next(iter(settings)).split("_")[0]):
        ServerConfig(**settings)
