"""The log by session: a Session column, one numbering that never repeats, Clear log."""

from __future__ import annotations

from helpers import answered, click, rows
from pytestqt.qtbot import QtBot

from inspector.exchange import Exchange
from inspector.profile import Profile
from inspector.server import EmbeddedServer
from ui.log.model import COLUMNS
from ui.main_window import MainWindow

SESSION, NUMBER = COLUMNS.index("Session"), COLUMNS.index("#")


def _cells(window: MainWindow, column: int) -> list[str]:
    window.model.flush()
    return [window.model.index(r, column).data() for r in range(window.model.rowCount())]


def test_rows_say_their_session_and_never_share_a_number_across_targets(
        qtbot: QtBot, window: MainWindow, server: EmbeddedServer) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    first_sid = window.controller.session.sid
    # Another target (the same backend under a second profile): a new client, same log.
    window.apply_profiles([window.controller.profile,
                           Profile(name="Second", base_url=server.base_url)], "Second")
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 4), timeout=10000)
    second_sid = window.controller.session.sid
    assert first_sid and second_sid and first_sid != second_sid
    numbers = _cells(window, NUMBER)
    assert len(set(numbers)) == len(numbers) == 4
    sessions = _cells(window, SESSION)
    assert sessions[:2] == [f"1 · {first_sid[:8]}"] * 2
    assert sessions[2:] == [f"2 · {second_sid[:8]}"] * 2
    window.log.search.setText(second_sid[:8])  # the filter finds a session by its sid
    qtbot.waitUntil(lambda: window.log.proxy.rowCount() == 2, timeout=10000)


def test_clear_log_empties_the_view_and_counts_and_the_run_store_keeps_every_row(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:adStart")  # an ad outside a break: an error, and the banner
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    assert window.problems.errors == 1 and window.ad_banner.isVisible()
    window.log.clear.click()
    window.model.flush()
    assert window.model.rowCount() == 0 and window.log.proxy.rowCount() == 0
    assert window.problems.errors == 0 and not window.ad_banner.isVisible()
    click(window, "event:play")  # the log goes on, numbering too
    qtbot.waitUntil(lambda: answered(window, 1), timeout=10000)
    assert rows(window) == [("play", "204")]
    assert _cells(window, NUMBER) == ["3"]
    runs = window.controller.runs
    assert runs is not None
    stored: list[Exchange] = runs.open_run(runs.list_runs()[0].id).exchanges
    assert [e.event_type for e in stored] == ["sessionStart", "adStart", "play"]


def test_the_detail_pane_lets_go_of_a_row_the_filter_hides(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    window.log.select_source_row(0)
    qtbot.waitUntil(lambda: window.detail.exchange is not None
                    and window.detail.exchange.event_type == "sessionStart", timeout=5000)
    window.log.search.setText("play")
    qtbot.waitUntil(lambda: window.log.proxy.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: window.detail.exchange is None, timeout=5000)
    assert "sessionStart" not in window.detail.summary.text()
