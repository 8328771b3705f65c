"""Profiles, geometry and splitter state survive a restart of the window."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from inspector.server import EmbeddedServer

from conftest import close, make_window, reopen


def test_profiles_and_layout_persist_across_a_restart(
        qtbot: QtBot, qloop: object, server: EmbeddedServer, settings: QSettings) -> None:
    first = make_window(qtbot, settings, server.base_url)
    staging = Profile(name="Staging", base_url="http://127.0.0.1:9", verify_tls=False,
                      timeout=3.5, report_suite="staging-rs", media_length=600.0)
    first.apply_profiles([*first.profiles, staging], "Staging")
    assert first.controller.profile.name == "Staging"
    first.resize(790, 700)  # within the offscreen screen (800x800), else it is clamped
    first.main_splitter.setSizes([330, 440])
    sizes = first.main_splitter.sizes()
    close(qtbot, first)

    reopened = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    second = reopen(qtbot, reopened, server.base_url)
    try:
        names = [p.name for p in second.profiles]
        assert names == ["Embedded backend", "Staging"]
        saved = second.profiles[1]
        assert (saved.base_url, saved.verify_tls, saved.timeout, saved.report_suite,
                saved.media_length) == ("http://127.0.0.1:9", False, 3.5, "staging-rs", 600.0)
        assert second.endpoint_bar.combo.currentText() == "Staging"
        assert second.controller.profile == staging
        assert (second.size().width(), second.size().height()) == (790, 700)
        assert second.main_splitter.sizes() == sizes
    finally:
        close(qtbot, second)
