"""The Listen target's host: 127.0.0.1 by default; beyond loopback it warns and refuses the
embedded backend's control routes, as ``listen --host`` does."""

from __future__ import annotations

import httpx
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow

from conftest import run
from helpers import click


async def _status(url: str) -> int:
    async with httpx.AsyncClient(trust_env=False) as client:
        return (await client.get(url)).status_code


def _listen(qtbot: QtBot, window: MainWindow, host: str | None) -> str:
    bar = window.endpoint_bar
    bar.listen_port.setValue(0)
    if host is not None:
        bar.listen_host.setCurrentText(host)
    click(window, "listen")
    qtbot.waitUntil(lambda: window.listen.url is not None, timeout=10000)
    assert window.listen.url is not None
    return window.listen.url


def _stop(qtbot: QtBot, window: MainWindow) -> None:
    click(window, "listen")
    qtbot.waitUntil(lambda: not window.listen.listening, timeout=10000)


def test_the_default_host_is_loopback_and_says_nothing_more(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    url = _listen(qtbot, window, None)
    assert url.startswith("http://127.0.0.1:")
    assert window.info_banner.property("kind") != "warning"
    assert "other machines" not in window.info_banner.label.text()
    # on loopback the embedded backend's own routes go through (the window's tools use them)
    assert run(qtbot, _status(f"{url}/_inspector/sessions"), 10000) != 403
    _stop(qtbot, window)


def test_binding_beyond_loopback_warns_and_refuses_the_control_routes(
        qtbot: QtBot, window: MainWindow) -> None:
    url = _listen(qtbot, window, "0.0.0.0")
    assert url.startswith("http://0.0.0.0:")
    text = window.info_banner.label.text()
    assert "other machines can send through this proxy" in text and "0.0.0.0" in text
    assert not window.endpoint_bar.listen_host.isEnabled()  # fixed while listening
    port = url.rsplit(":", 1)[1]
    local = f"http://127.0.0.1:{port}"  # the test itself only talks over loopback
    assert run(qtbot, _status(f"{local}/_inspector/sessions"), 10000) == 403
    assert run(qtbot, _status(f"{local}/api/v1/schemas/play"), 10000) == 200
    _stop(qtbot, window)
    assert window.endpoint_bar.listen_host.isEnabled()
