"""The main window: composes the bars, timeline, events, log, detail and report panels."""

from __future__ import annotations

import gc
import html
from dataclasses import replace

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QFrame, QLabel, QMainWindow, QMenu, QScrollArea, QSplitter,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from inspector.docs import adobe_url
from inspector.exchange import Exchange, ExchangeState
from inspector.profile import Profile
from inspector.runstore import StoredRun

from . import abandon
from .banner import Banner
from .capture_opener import CaptureReport
from .checks_panel import ChecksDock
from .compare_dialog import CompareLauncher, window_sources
from .controller import Controller
from .detail.detail_pane import DetailPane
from .endpoint_bar import EndpointBar
from .listen_target import ListenTarget
from .events.event_panel import EventPanel
from .expiry_label import ExpiryLabel
from .export_menu import ExportMenu
from .log.model import ExchangeTableModel
from .log.view import LogView
from .menus import ScenarioItems, ViewTargets, WindowMenus
from .migration_view import MigrationView
from .past_run_view import PastRunView
from .presenter import PresenterMode
from .problem_counter import ProblemCounter
from .profiles import ProfileStore, datastream_problem
from .read_only_mode import ReadOnlyMode
from .run_retention import max_runs, save_max_runs
from .report_panel import ReportPanel
from .chaos_panel import ChaosPanel, add_chaos_dock
from .scenario_docks import ScenarioDocks
from .schema_sync_dialog import SchemaSyncLauncher
from .session_bar import SessionBar
from .settings_dialog import SettingsDialog
from .timeline.legend import TimelineLegend, with_legend
from .timeline.timeline_widget import TimelineWidget
from .time_warp import TimeWarp
from .timeline.transport import Transport

__all__ = ["MainWindow", "AD_OUTSIDE_BREAK"]

AD_OUTSIDE_BREAK = "AD_OUTSIDE_BREAK"
_FREEZE_EVERY = 5000
_AD_BANNER = ("<b>{event} was sent outside an ad break.</b> Adobe will ignore this ad: it "
              "will not be reported as an ad, and its time will be counted as main content. "
              "Send <code>adBreakStart</code> before <code>adStart</code> (Adobe: "
              f'<a href="{adobe_url("§3.1")}">event types</a>).')


class _PageStack(QStackedWidget):
    """A stack as small as the page it shows (Qt's takes the largest page's minimum)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class _FillLayout(QVBoxLayout):
    """The window's column. Its word-wrapped banners would make it height-for-width, and a
    scroll area then sizes it to its *preferred* height (a scroll bar at any window size);
    without that it fills the window and scrolls only below its minimum."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt
        return False


class MainWindow(QMainWindow):
    """The Media Inspector window for one :class:`Controller`; ``closing`` as it closes."""

    closing = Signal()

    def __init__(self, controller: Controller, settings: QSettings) -> None:
        super().__init__()
        self.setWindowTitle("Media Inspector")
        self.controller = controller
        controller.ask_abandon = lambda doing, sid: abandon.ask_abandon(self, doing, sid)
        self.settings = settings
        self.profile_store = ProfileStore(settings)
        self.profiles = self.profile_store.load()
        self._rows_since_freeze = 0
        self._datastream_problem = False  # the info banner shows a bad datastream id
        self.migration_view: MigrationView | None = None  # View → Migration view…
        self.model = ExchangeTableModel(controller.store, self)
        self._build_widgets()
        self._build_layout()
        self._build_menus()
        self.presenter = PresenterMode(self)  # View → Presenter mode (Ctrl+Alt+P), strip on top
        self.checks = ChecksDock(self)  # a replay's expectations, kept until dismissed
        self._build_status_bar()
        self._connect()
        self._refresh_session()
        self._restore_state()

    # -- construction -------------------------------------------------------------------

    def _build_widgets(self) -> None:
        c = self.controller
        self.endpoint_bar = EndpointBar()
        self.endpoint_bar.set_profiles(self.profiles, c.profile.name)
        self.endpoint_bar.set_url(c.base_url, c.uses_embedded)
        self.endpoint_bar.set_dialect(c.profile.dialect, c.profile.datastream_id)
        self.session_bar = SessionBar()
        self.gone_banner = Banner("gone-banner")
        self.ad_banner = Banner("ad-banner")
        self.info_banner = Banner("info-banner")
        self.recording_banner = Banner("recording-banner")
        self.readonly_banner = Banner("readonly-banner")
        self.past_run = PastRunView()
        self.timeline = TimelineWidget(lambda: self.controller.session.player.playhead,
                                       c.clock.now)
        self.timeline.set_default_length(c.profile.media_length)
        self.legend = TimelineLegend()
        self.transport = Transport()
        self.events = EventPanel(c)
        self.log = LogView(self.model)
        self.detail = DetailPane()
        self.report = ReportPanel(c)
        self.bottom_tabs = QTabWidget(objectName="bottom-tabs", documentMode=True)  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.bottom_tabs.addTab(self.detail, "Detail")
        self.bottom_tabs.addTab(self.report, "Report")

    def _build_layout(self) -> None:
        self.log_splitter = QSplitter(Qt.Orientation.Vertical, objectName="log-splitter")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.log_splitter.addWidget(self.log)
        self.log_splitter.addWidget(self.bottom_tabs)
        self.log_splitter.setStretchFactor(0, 3)
        self.log_splitter.setStretchFactor(1, 2)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="main-splitter")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        # the live log, or a past run
        self.log_stack = _PageStack(objectName="log-stack")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.log_stack.addWidget(self.log_splitter)
        self.log_stack.addWidget(self.past_run)
        self.main_splitter.addWidget(self.events)
        self.main_splitter.addWidget(self.log_stack)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([440, 1000])
        central = QWidget(objectName="central")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        layout = _FillLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(8)
        for widget in (self.readonly_banner, self.endpoint_bar, self.session_bar,
                       self.gone_banner, self.ad_banner, self.info_banner,
                       self.recording_banner, with_legend(self.timeline, self.legend),
                       self.transport):
            layout.addWidget(widget)
        layout.addWidget(self.main_splitter, 1)
        # On a short screen (1280x720 with banners up) the content scrolls as a whole rather
        # than pushing Send, the detail pane or the status bar off-screen; at a usual size
        # it fits and no scroll bar shows.
        self.central_scroll = QScrollArea(objectName="central-scroll")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.central_scroll.setWidgetResizable(True)
        self.central_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.central_scroll.setWidget(central)
        self.column = central  # the column of bars, banners, timeline and panes
        self.setCentralWidget(self.central_scroll)
        self.scenarios = ScenarioDocks(self)
        self.chaos_dock = add_chaos_dock(self, lambda: self.controller.session,
                                         self.controller.tasks, self.scenarios.dock)
        self.read_only_mode = ReadOnlyMode(
            self.log_stack, self.log_splitter, self.past_run, self.readonly_banner,
            disabled=(self.events, self.session_bar, self.endpoint_bar, self.transport),
            hidden=(self.transport,), parent=self)

    def _build_exports(self) -> None:
        self.exports = ExportMenu(self, self.settings, self.controller,
                                  shown_run=self.read_only_mode.shown_run,
                                  outcomes=lambda: self.scenarios.outcomes)
        self.exports.message.connect(self.show_info)
        self.exports.status.connect(self.statusBar().showMessage)

    def _build_menus(self) -> None:
        self._build_exports()
        s = self.scenarios
        self.menus = WindowMenus(
            self, self.menuBar(), self.controller, send_event=self.events.on_event_clicked,
            view=ViewTargets(self.timeline, self.events, self.bottom_tabs, self.report,
                             self.log.follow, self.log.search),
            scenarios=ScenarioItems(s.record_action, s.open_file, s.saver, s.add_to),
            export_actions=self.exports.menu_actions())
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.menus.toolbar)
        self.menus.settings_requested.connect(self.open_settings)
        self.menus.migration_requested.connect(self.open_migration_view)
        self.menus.back_to_live_requested.connect(self.back_to_live)
        self.menus.capture_opener.opened.connect(self.open_past_run)
        self.menus.capture_opener.failed.connect(self.show_info)
        self.listen = ListenTarget(self.controller, self)  # issue 14: a real player drives
        self.listen.attach(self.endpoint_bar, (self.events, self.session_bar, self.transport),
                           self.show_info)
        self.listen.report_to(self.report, self.log.selected)  # the captured session's report
        self.capture_report = CaptureReport(self.menus.capture_opener, self.past_run,
                                            self.read_only_mode, self.controller)
        self.compare = CompareLauncher(self, self.controller, lambda: window_sources(
            self.read_only_mode.shown_run(), list(self.listen.log.analyzer.sessions.values()),
            self.controller.store))  # File → Compare with reference… (issue 14)
        self.menus.file_menu.insertAction(self.menus.save_recording, self.compare.action)
        self.schema_sync = SchemaSyncLauncher(self, self.controller, self.show_info)  # issue 17
        self.menus.help_menu.insertAction(self.menus.help_menu.actions()[0],
                                          self.schema_sync.action)
        self.save_recording = self.menus.save_recording
        self.session_menu = self.menus.session_menu
        self.timeline_action = self.menus.timeline_action
        self.back_to_live_action = self.menus.back_to_live_action
        self.read_only_mode.live_changed.connect(self.menus.set_live)
        self.time_warp = TimeWarp(self.controller, self)
        self.time_warp.add_to(self.session_menu, self.menus.toolbar)
        view = next(a.menu() for a in self.menuBar().actions() if a.text() == "&View")
        if isinstance(view, QMenu):  # the Chaos lab toggle: no shortcut, no standard key
            view.addAction(self.chaos_dock.toggleViewAction())

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.problems = ProblemCounter()
        self.player_label = QLabel(objectName="status-player")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.expiry_label = ExpiryLabel(lambda: self.controller.session.expiry_findings(),
                                        lambda: self.controller.session.expiry_countdown())
        self.ahead_label = QLabel(objectName="clock-ahead")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.ahead_label.setProperty("kind", "warning")
        self.ahead_label.hide()
        bar.addPermanentWidget(self.ahead_label)
        bar.addPermanentWidget(self.expiry_label)
        bar.addPermanentWidget(self.player_label)
        bar.addPermanentWidget(self.problems)

    def _connect(self) -> None:
        c = self.controller
        self.log.clear_requested.connect(self.clear_log)
        clear = QAction("Clear log", self, objectName="clear-log")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        clear.setShortcut(QKeySequence("Ctrl+L"))
        clear.triggered.connect(self.clear_log)
        self.addAction(clear)
        self.session_bar.start_clicked.connect(c.start_session)
        self.session_bar.end_clicked.connect(self.end_session)
        self.session_bar.new_clicked.connect(c.new_session)
        self.endpoint_bar.settings_requested.connect(self.open_settings)
        self.endpoint_bar.profile_chosen.connect(self.choose_profile)
        self.endpoint_bar.dialect_chosen.connect(self.choose_dialect)
        self.transport.event_requested.connect(lambda n: c.send_event(n))
        self.transport.speed_changed.connect(c.set_speed)
        self.transport.auto_ping_toggled.connect(c.set_auto_ping)
        self.transport.zoom_toggled.connect(self.timeline.set_zoom)
        self.timeline.seek_requested.connect(c.seek)
        self.log.selected.connect(self.detail.show_exchange)
        self.detail.resend_requested.connect(self._resend)
        self.detail.edit_requested.connect(self._edit_and_send)
        self.model.flushed.connect(self._on_rows)
        self.model.changed_rows.connect(self._on_changed_rows)
        c.changed.connect(self._refresh_session)
        c.session_state.connect(lambda _: self._refresh_session())  # at once, not coalesced
        c.gone.connect(self._on_gone)
        c.session_replaced.connect(self._on_session_replaced)
        chaos_panel = self.chaos_dock.widget()
        assert isinstance(chaos_panel, ChaosPanel)
        c.session_replaced.connect(chaos_panel.follow_session)
        c.task_failed.connect(self.report_error)
        c.autosave_failed.connect(lambda text: self.show_info(text, kind="error"))
        self._player_timer = QTimer(self, interval=250)
        self._player_timer.timeout.connect(self._refresh_player)
        self._player_timer.start()

    # -- reactions ----------------------------------------------------------------------

    def _on_rows(self, first: int, last: int) -> None:
        store = self.controller.store
        fresh = [store[r] for r in range(first, last + 1) if r < len(store)]
        self.timeline.feed(fresh)
        self._rows_since_freeze += len(fresh)
        if self._rows_since_freeze >= _FREEZE_EVERY:
            # Exchanges live as long as the log: move them out of the cyclic collector's
            # full passes, which otherwise stall the loop for 50-100 ms at 100,000 rows.
            gc.freeze()
            self._rows_since_freeze = 0
        self.problems.added(fresh)
        for exchange in fresh:
            self._note_exchange(exchange)
        answered = next((e for e in reversed(fresh)
                         if e.state in (ExchangeState.DONE, ExchangeState.FAILED)), None)
        if answered is not None:
            self.endpoint_bar.show_exchange(answered)

    def _note_exchange(self, exchange: Exchange) -> None:
        if exchange.attempt > 1:
            return
        if exchange.event_type == "sessionStart":  # a new session: the old warning is history
            self.ad_banner.hide()
        finding = next((f for f in exchange.findings if f.code == AD_OUTSIDE_BREAK), None)
        if finding is not None:  # the banner speaks with the finding's severity
            self.ad_banner.show_message(_AD_BANNER.format(event=exchange.event_type),
                                        kind=finding.severity.value)

    def _on_changed_rows(self, rows: list[int]) -> None:
        store = self.controller.store
        self.problems.changed([store[r] for r in rows if r < len(store)])
        latest = store[rows[-1]] if rows and rows[-1] < len(store) else None
        if latest is not None:
            self.endpoint_bar.show_exchange(latest)
            self._status_for(latest)
        shown = self.detail.exchange
        if shown is not None and store.row_of(shown) in set(rows):
            self.detail.show_exchange(shown)

    def _status_for(self, exchange: Exchange) -> None:
        if exchange.state is ExchangeState.FAILED:
            self.statusBar().showMessage(f"{exchange.event_type} failed: {exchange.error}", 10000)
        elif exchange.status is not None and exchange.status >= 400:
            self.statusBar().showMessage(f"{exchange.event_type}: HTTP {exchange.status}", 8000)

    def _refresh_session(self) -> None:
        s = self.controller.session
        self.session_bar.show_sid(s.sid, s.channel.api_version, s.state.value)
        if s.sid and not s.is_gone:
            self.gone_banner.hide()
        self._refresh_player()

    def _refresh_player(self) -> None:
        c = self.controller
        player = c.session.player
        text = f"{player.state.value} · playhead {player.playhead:.1f} s"
        self.transport.state.setText(text)
        self.player_label.setText(text)
        ahead, speed = c.clock.ahead(), c.clock.speed
        if not c.clock_is_shared and (ahead >= 1 or (speed or 0) > 1):
            self.ahead_label.setText(f"ts runs ahead of the wall clock: {max(ahead, 0):,.0f} s "
                                     "so far")
            self.ahead_label.setToolTip(
                "Simulated time runs faster than the wall clock, so playerTime.ts is in the "
                f"future by {ahead:,.0f} s; a real backend receives these events early. The "
                "next session starts at the wall clock again.")
            self.ahead_label.show()
        else:
            self.ahead_label.hide()

    def _on_gone(self, status: int) -> None:
        word = "closed (410)" if status == 410 else "unknown to the server (404)"
        self.gone_banner.show_message(
            f"<b>The session is gone: {word}.</b> Events on it are dropped. Start a new "
            "session to keep reporting (tick media.resume to mark it as a resume).",
            kind="error", action="New session",
            callback=lambda: self.controller.new_session(self.session_bar.resume.isChecked()))

    def _on_session_replaced(self) -> None:
        c = self.controller
        self.endpoint_bar.set_url(c.base_url, c.uses_embedded)
        self.endpoint_bar.set_dialect(c.profile.dialect, c.profile.datastream_id)
        self.endpoint_bar.reset()
        self.timeline.set_default_length(c.profile.media_length)
        self.gone_banner.hide()
        self.transport.auto_ping.setChecked(c.session.player.pings.enabled)

    def end_session(self) -> None:
        """Send sessionEnd on the current session."""
        self.controller.send_event("sessionEnd")

    def _resend(self, exchange: Exchange | None) -> None:
        if exchange is not None:
            self.controller.resend(exchange)

    def _edit_and_send(self, body: str) -> None:
        self.events.composer.edit_body(body)

    def show_info(self, text: str, kind: str = "warning") -> None:
        """A message for the user (scenario problems, export errors), never a traceback."""
        body = html.escape(text, quote=False).replace("\n", "<br>")
        self.info_banner.show_message(body, kind=kind)

    def open_migration_view(self) -> None:
        """View → Migration view…: the current session in both dialects (spec §9)."""
        if self.migration_view is None:
            self.migration_view = MigrationView(
                lambda: iter(self.controller.store),
                lambda: self.controller.session.channel.number, self)
        view = self.migration_view
        view.refresh()
        view.show()
        view.raise_()

    # -- past runs (read-only) ----------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.read_only_mode.active

    def open_past_run(self, run: StoredRun) -> None:
        """Show ``run`` read-only in place of the live log; the live session keeps going."""
        self.read_only_mode.open(run)

    def back_to_live(self) -> None:
        self.read_only_mode.back()

    def clear_log(self) -> None:
        """Empty the live log and its counts; the run store keeps every row (Past runs)."""
        self.controller.store.clear()
        self.problems.reset()
        self.ad_banner.hide()
        self.statusBar().showMessage("Log cleared; every row stays in the run store "
                                     "(View → Past runs).", 8000)

    def report_error(self, where: str, message: str) -> None:
        """An unexpected failure: shown in the status bar, the app keeps working."""
        self.statusBar().showMessage(f"Internal error in {where}: {message} (details: Help → "
                                     "Open log file)", 15000)

    # -- profiles -----------------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.profiles, self.controller.profile.name, self,
                                max_runs=max_runs(self.settings))
        if dialog.exec():
            self.apply_profiles(dialog.profiles, dialog.current)
            self.apply_max_runs(dialog.max_runs)

    def apply_profiles(self, profiles: list[Profile], current: str) -> None:
        """Save ``profiles`` and switch to ``current`` if its settings changed."""
        chosen = next((p for p in profiles if p.name == current), profiles[0])
        switch = chosen != self.controller.profile
        if switch and not self.controller.may_leave_session(f"switch to {chosen.name}"):
            switch = False  # the edits are kept; the running session stays the target
            kept = self.controller.profile.name
            current = kept if any(p.name == kept for p in profiles) else current
        self.profiles = profiles
        self.profile_store.save(profiles, current)
        self.endpoint_bar.set_profiles(profiles, current)
        if switch:
            self.controller.switch_profile(chosen)

    def choose_profile(self, name: str) -> None:
        self.apply_profiles(self.profiles, name)

    def choose_dialect(self, dialect: str, datastream_id: str) -> None:
        """Switch the current profile's wire format (spec §9) and keep it in the profile."""
        problem = datastream_problem(datastream_id) if dialect == "edge" else None
        if problem is not None:  # the typed id stays in the bar to be fixed
            self.show_info(problem, kind="error")
            self._datastream_problem = True
            return
        if self._datastream_problem:
            self.info_banner.hide()
            self._datastream_problem = False
        profile = self.controller.profile
        chosen = replace(profile, dialect=dialect, datastream_id=datastream_id)
        self.apply_profiles([chosen if p.name == profile.name else p for p in self.profiles],
                            chosen.name)

    def apply_max_runs(self, count: int) -> None:
        """Save the run retention; the open run store prunes to it from its next run on."""
        save_max_runs(self.settings, count)
        if self.controller.runs is not None:
            self.controller.runs.max_runs = max_runs(self.settings)

    # -- state --------------------------------------------------------------------------

    def _default_size(self) -> None:
        """1440x900, or most of a smaller screen: never wider than the screen on first run."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1440, 900
        if screen is not None:
            width, height = min(width, int(screen.width() * 0.96)), min(
                height, int(screen.height() * 0.94))
        self.resize(width, height)

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self._default_size()
        for key, splitter in self._splitters().items():
            state = self.settings.value(f"window/{key}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        docks = self.settings.value("window/docks")
        if isinstance(docks, QByteArray):
            self.restoreState(docks)

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.main_splitter, "log": self.log_splitter,
                "events": self.events.splitter}

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/docks", self.saveState())
        for key, splitter in self._splitters().items():
            self.settings.setValue(f"window/{key}", splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.model.detach()
        super().closeEvent(event)
        self.closing.emit()
