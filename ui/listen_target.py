"""The window's Listen target: a real player's calls, through a proxy on the window's loop,
fill the live log, timeline and findings like a simulated session's (issue 14).

The event buttons are off while a player drives (a one-line banner says so); Resend and
Edit and send still work on a captured row, on the window's own session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from inspector.capture import CaptureLog, metrics_line
from inspector.exchange import Exchange
from inspector.proxy import ListenProxy, proxy_site
from inspector.server.guard import is_loopback

from .captured_report import CapturedSessions
from .controller import Controller
from .endpoint_bar import EndpointBar
from .report_panel import ReportPanel

__all__ = ["ListenTarget", "beyond_loopback_warning"]

_OFF = "The player is driving: stop listening (endpoint bar) to send events yourself"


def beyond_loopback_warning(host: str) -> str:
    """What binding ``host`` opens, as ``listen --host`` warns; "" on loopback."""
    if is_loopback(host):
        return ""
    return (f"Bound to {host}: other machines can send through this proxy (no "
            "authentication); /_inspector/ is not forwarded off loopback, as with `listen "
            "--host` and `serve` (spec §8, the embedded backend's choice). Point the device "
            "at this machine's LAN address and the port shown; bind 127.0.0.1 unless you "
            "mean it.")


class ListenTarget(QObject):
    """``started(url)``, ``stopped()``, ``failed(message)``; :attr:`log` judges the calls."""

    started = Signal(str)
    stopped = Signal()
    failed = Signal(str)
    summary = Signal(str)  # the newest session's findings and metrics, one line

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.log = CaptureLog()
        self.sessions = CapturedSessions(self.log, "captured from the player", parent=self)
        self.url: str | None = None
        self.upstream = ""
        self.host = "127.0.0.1"
        self._stop: asyncio.Event | None = None

    @property
    def listening(self) -> bool:
        return self._stop is not None

    def start(self, upstream: str, port: int, host: str = "127.0.0.1") -> None:
        """Listen on ``host:port`` in front of ``upstream`` (empty: the window's target)."""
        if self.listening:
            return
        try:
            # Off loopback the embedded backend's control routes are refused, as `listen` does.
            proxy = ListenProxy(upstream.strip() or self._controller.base_url,
                                inspector_routes=is_loopback(host))
        except ValueError as exc:
            self.failed.emit(f"Cannot listen: {exc}")
            return
        self.upstream, self.log, self.host = proxy.upstream, CaptureLog(), host
        embedded = self._controller.embedded_url
        self.sessions = CapturedSessions(  # the embedded backend as upstream has its reports
            self.log, "captured from the player", parent=self,
            server_sid=embedded is not None and proxy.upstream == embedded.rstrip("/"))
        self._stop = asyncio.Event()
        proxy.exchanged.connect(self._on_exchange)
        if self._controller.autosave is not None:  # saved into the live run, like clicks
            self._controller.autosave.observe(proxy.exchanged)
        self._controller.tasks.start("listen", self._serve(proxy, host, port, self._stop))

    def stop(self) -> None:
        """Stop listening (the proxy closes; the captured rows stay in the log)."""
        if self._stop is not None:
            self._stop.set()

    async def _serve(self, proxy: ListenProxy, host: str, port: int,
                     stop: asyncio.Event) -> None:
        try:
            async with proxy_site(proxy, host, port) as url:
                self.url = url
                self.started.emit(url)
                await stop.wait()
        except OSError as exc:
            self.failed.emit(f"Cannot listen on {host}:{port}: {exc.strerror or exc}")
        finally:
            self._stop = self.url = None
            self.stopped.emit()

    def _on_exchange(self, exchange: Exchange) -> None:
        session = self.log.record(exchange)  # findings first: the log shows them at once
        self._controller.store.record(exchange)
        self.sessions.changed.emit()
        if session is not None:
            found = ", ".join(f"{k} x{v}" for k, v in sorted(session.finding_counts().items()))
            self.summary.emit(f"session {(session.sid or session.key)[:8]}…: findings "
                              f"{found or 'none'}; {metrics_line(session.report.to_dict())}")

    def report_to(self, panel: ReportPanel, selected: SignalInstance) -> None:
        """While listening, ``panel`` shows the captured session of the row ``selected``
        names (the log's selection), else the newest one."""
        self.started.connect(lambda _url: panel.show_captured(self.sessions))
        self.stopped.connect(lambda: panel.show_captured(None))
        selected.connect(lambda exchange: self.sessions.select(exchange))

    def attach(self, bar: EndpointBar, driving: Sequence[QWidget],
               show_info: Callable[[str, str], None]) -> None:
        """Wire the endpoint bar's Listen controls; ``driving`` (the event buttons and the
        session and transport bars) is off while a player drives."""
        bar.listen_requested.connect(lambda upstream, port: self.start(upstream, port,
                                                                       bar.host))
        bar.stop_listening.connect(self.stop)
        self.summary.connect(bar.show_listen_summary)

        def on_failed(text: str) -> None:
            show_info(text, "error")
            bar.set_listening(None)

        self.failed.connect(on_failed)

        def on_started(url: str) -> None:
            bar.set_listening(f"{url} → {self.upstream}")
            for widget in driving:
                widget.setEnabled(False)
                widget.setToolTip(_OFF)
            warning = beyond_loopback_warning(self.host)
            show_info(f"Listening on {url} → {self.upstream}: point the player's tracking "
                      "server here. The player is driving, so the event buttons are off; "
                      "Resend and Edit and send still work on a row."
                      + (f"\n{warning}" if warning else ""), "warning" if warning else "info")

        def on_stopped() -> None:
            bar.set_listening(None)
            for widget in driving:
                widget.setEnabled(True)
                widget.setToolTip("")

        self.started.connect(on_started)
        self.stopped.connect(on_stopped)
