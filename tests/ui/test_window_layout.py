"""The window on a 1280x720 screen: nothing off-screen, with or without banners."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow

# 720 px of screen less a title bar and a panel: what a 1280x720 desktop leaves a window.
_W, _H = 1280, 690


def _inside_window(window: MainWindow, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(QPoint(0, 0), window.size()).contains(QRect(top_left, widget.size()))


def _settle(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(_W, _H)
    qtbot.waitUntil(lambda: window.size().height() == _H, timeout=5000)
    scroll = window.central_scroll
    qtbot.waitUntil(lambda: scroll.widget().height() >= scroll.viewport().height(),
                    timeout=5000)


def _key_controls(window: MainWindow) -> list[QWidget]:
    send = window.findChild(QPushButton, "composer-send")
    assert send is not None
    return [send, window.detail, window.log.table, window.session_bar.start,
            window.timeline]


def test_at_1280x720_everything_shows_without_scrolling(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    _settle(qtbot, window)
    assert window.central_scroll.verticalScrollBar().maximum() == 0
    assert _inside_window(window, window.statusBar())
    for widget in _key_controls(window):
        assert widget.isVisible() and _inside_window(window, widget), widget.objectName()
        qtbot.waitUntil(lambda w=widget: w.visibleRegion().boundingRect().size() == w.size(),
                        timeout=5000)  # whole: nothing clipped by the layout


def test_with_three_banners_every_control_can_be_scrolled_to_and_the_status_bar_stays(
        qtbot: QtBot, window: MainWindow) -> None:
    for banner in (window.gone_banner, window.ad_banner, window.info_banner):
        banner.show_message("<b>A banner.</b> " + "Long words to wrap the text. " * 6)
    _settle(qtbot, window)
    assert window.height() == _H
    assert _inside_window(window, window.statusBar()) and window.statusBar().isVisible()
    for widget in _key_controls(window):
        window.central_scroll.ensureWidgetVisible(widget, 0, 0)
        qtbot.waitUntil(lambda w=widget: not w.visibleRegion().isEmpty(), timeout=5000)
        assert _inside_window(window, widget)
