"""The window's Listen target: a real player's calls through the proxy fill the live log
and its findings; the event buttons are off while the player drives."""

from __future__ import annotations

import asyncio
import socket

from pytestqt.qtbot import QtBot

from inspector.client import MediaCollectionClient
from inspector.protocol.bodies import sample_body
from ui.main_window import MainWindow

from helpers import answered, click, rows


async def _player(url: str) -> None:
    client = MediaCollectionClient(url, retries=0)
    try:
        channel, started = await client.start_session(sample_body("sessionStart"))
        await channel.send(sample_body("adStart", ts=(started.ts or 0) + 1000))
    finally:
        await client.aclose()


def test_a_player_through_the_listen_target_fills_the_log_and_is_judged(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    bar = window.endpoint_bar
    bar.listen_port.setValue(0)
    click(window, "listen")  # upstream left empty: the window's own target
    qtbot.waitUntil(lambda: window.listen.url is not None, timeout=10000)
    url = window.listen.url
    assert url is not None and bar.url.text().startswith(f"listening on {url}")
    assert not window.events.isEnabled() and not window.session_bar.isEnabled()
    assert "Listening on" in window.info_banner.label.text()

    player = asyncio.ensure_future(_player(url))
    qtbot.waitUntil(player.done, timeout=10000)
    player.result()
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    assert rows(window) == [("sessionStart", "201"), ("adStart", "204")]
    (session,) = window.listen.log.analyzer.sessions.values()
    assert "AD_OUTSIDE_BREAK" in session.finding_counts()
    assert window.ad_banner.isVisible()  # the same banner a simulated session gets
    assert "AD_OUTSIDE_BREAK" in bar.url.toolTip()

    click(window, "listen")  # Stop listening
    qtbot.waitUntil(lambda: not window.listen.listening, timeout=10000)
    assert window.events.isEnabled() and bar.listen_button.text() == "Listen"
    assert not bar.url.text().startswith("listening on")


def test_a_port_in_use_is_one_line_and_the_buttons_stay_on(qtbot: QtBot,
                                                           window: MainWindow) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        window.endpoint_bar.listen_port.setValue(busy.getsockname()[1])
        click(window, "listen")
        qtbot.waitUntil(lambda: "Cannot listen on" in window.info_banner.label.text(),
                        timeout=10000)
    assert window.events.isEnabled() and not window.endpoint_bar.listen_button.isChecked()
