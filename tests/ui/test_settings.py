"""Profiles, geometry, splitter state and run retention survive a restart of the window."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QSpinBox
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from inspector.server import EmbeddedServer
from ui.settings_dialog import SettingsDialog

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


def test_run_retention_set_in_the_dialog_is_saved_and_used_by_the_next_window(
        qtbot: QtBot, qloop: object, server: EmbeddedServer, settings: QSettings) -> None:
    first = make_window(qtbot, settings, server.base_url)
    shown: list[int] = []

    def answer() -> None:
        dialog = first.findChild(SettingsDialog, "settings-dialog")
        spin = dialog.findChild(QSpinBox, "runs-max")
        shown.append(spin.value())
        spin.setValue(3)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)
    first.open_settings()
    assert shown == [200]  # the default when nothing is saved
    assert int(settings.value("runs/max")) == 3
    assert first.controller.runs is not None and first.controller.runs.max_runs == 3
    close(qtbot, first)

    second = reopen(qtbot, QSettings(settings.fileName(), QSettings.Format.IniFormat),
                    server.base_url)
    try:
        runs = second.controller.runs
        assert runs is not None and runs.max_runs == 3
        for name in ("a", "b", "c", "d"):
            runs.begin_run(name).finish()
        assert [r.name for r in runs.list_runs()] == ["d", "c", "b"]
    finally:
        close(qtbot, second)
