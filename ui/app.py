"""Qt application bootstrap: QApplication + qasync loop, the embedded backend, the window."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio  # imported where used: not before the first paint

__all__ = ["run_gui", "build_window", "open_window", "close_window", "open_run_store",
           "show_placeholder", "RUNS_ENV"]



def _log_error(message: str, *args: object, exc_info: object = None) -> None:
    import logging  # not before the first paint

    logging.getLogger(__name__).error(message, *args, exc_info=exc_info)  # type: ignore[arg-type]

RUNS_ENV = "MEDIA_INSPECTOR_RUNS"  # a run store file to use instead of the user data dir


def _display_available() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_run_store(settings: Any, path: str | os.PathLike[str] | None = None) -> Any:
    """The run store at ``path``, else ``$MEDIA_INSPECTOR_RUNS``, else the user data dir.

    Retention is the ``runs/max`` setting (200 runs). None, with the reason logged, when the
    store cannot be opened: the window then works without autosave.
    """
    import sqlite3

    from inspector.runstore import RunStore

    from .run_retention import max_runs

    try:
        target = os.fspath(path) if path else os.environ.get(RUNS_ENV) or None
        return RunStore(target, max_runs=max_runs(settings))
    except (sqlite3.Error, OSError) as exc:
        _log_error("cannot open the run store: %s", exc)
        return None


def build_window(settings: Any, embedded_url: str | None, url: str | None = None,
                 runs_path: str | os.PathLike[str] | None = None,
                 follow: Any = None) -> Any:
    """The controller and window for ``url``, else the saved current profile.

    Runs are autosaved to ``runs_path`` (see :func:`open_run_store` for the default);
    ``follow`` makes the embedded backend keep the window's session clock.
    """
    from inspector.profile import Profile

    from .controller import Controller
    from .main_window import MainWindow
    from .profiles import ProfileStore

    store = ProfileStore(settings)
    if url is not None:
        profile = Profile(name=f"Command line: {url}", base_url=url)
    else:
        profile = store.current(store.load())
    runs = open_run_store(settings, runs_path)
    window = MainWindow(Controller(profile, embedded_url=embedded_url, runs=runs,
                                   follow=follow), settings)
    if runs is None:
        window.statusBar().showMessage("The run store could not be opened: runs are not "
                                       "autosaved this time (Help → Open log file says why).",
                                       15000)
    return window


async def open_window(url: str | None, settings: Any) -> Any:
    """Start the embedded backend (unless ``url``), build the controller and the window."""
    from inspector.server import EmbeddedServer

    server = None
    if url is None:
        server = EmbeddedServer()
        await server.astart()
    window = build_window(settings, server.base_url if server else None, url,
                          follow=server.follow if server else None)
    window.server = server
    _install_loop_handler(window)
    return window


def _install_loop_handler(window: Any) -> None:
    """Unexpected loop errors go to the status bar and the log file, never a traceback."""
    import asyncio

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        message = str(exc) if exc is not None else context.get("message", "unknown error")
        _log_error("event loop error: %s", message, exc_info=exc)
        window.report_error("event loop", message)

    asyncio.get_event_loop().set_exception_handler(handler)


async def close_window(window: Any) -> None:
    """Close the client, cancel tasks, stop the embedded backend."""
    await window.controller.aclose()
    if getattr(window, "server", None) is not None:
        await window.server.astop()


def _quit_on_interrupt(window: Any) -> None:
    """Ctrl-C in the terminal closes the window the normal way (cleanup included)."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda *_: window.close())
    signal.signal(signal.SIGTERM, lambda *_: window.close())
    # Qt's loop runs in C++; a short timer lets Python notice the signal promptly.
    window._signal_pump = QTimer(window, interval=200, timeout=lambda: None)  # type: ignore[call-arg]  # stubs lack Qt signal kwargs
    window._signal_pump.start()


def show_placeholder(settings: Any) -> Any:
    """The window's frame with a "starting" note, shown and painted before the heavy part.

    The HTTP client, the embedded backend and the full window take most of a second to
    import and build; the user sees the window at once and its content when it is ready.
    """
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    shell = QMainWindow()
    shell.setWindowTitle("Media Inspector")
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        shell.restoreGeometry(geometry)
    else:
        screen = shell.screen().availableGeometry() if shell.screen() else None
        shell.resize(min(1440, int(screen.width() * 0.96)) if screen else 1440,
                     min(900, int(screen.height() * 0.94)) if screen else 900)
    note = QLabel("Starting Media Inspector…")
    note.setAlignment(Qt.AlignmentFlag.AlignCenter)
    shell.setCentralWidget(note)
    shell.show()
    QApplication.processEvents()  # the first paint, before the imports that follow
    return shell


def run_gui(url: str | None = None, presenter: bool = False) -> int:
    """Open the window against ``url`` or the embedded backend (in presenter mode if asked);
    the exit code of the app."""
    if not _display_available():
        print("media-inspector: no display found (DISPLAY/WAYLAND_DISPLAY unset). Run it in a "
              "desktop session, under `xvfb-run media-inspector`, or use "
              "`media-inspector serve` / `media-inspector run` for headless work.",
              file=sys.stderr)
        return 1
    from .x_libraries import x_libraries_hint

    hint = x_libraries_hint()
    if hint is not None:
        print(hint, file=sys.stderr)
        return 1
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from inspector.assets import asset

    from .theme import apply_theme

    existing = QApplication.instance()  # typed QCoreApplication: the window needs widgets
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setOrganizationName("MediaInspector")
    app.setApplicationName("Media Inspector")
    app.setDesktopFileName("media-inspector")  # matches assets/media-inspector.desktop
    app.setWindowIcon(QIcon(str(asset("media-inspector.svg"))))
    apply_theme(app)
    shell = show_placeholder(QSettings())
    import asyncio  # after the first paint, like everything heavy

    from inspector.logfile import start_log_file

    start_log_file()

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    app.setQuitOnLastWindowClosed(False)  # the loop ends after the cleanup, not before
    closed = asyncio.Event()

    async def main() -> int:
        try:
            window = await open_window(url, QSettings())
        except Exception as exc:  # the backend could not start: say so, no traceback
            shell.close()
            print(f"media-inspector: cannot start: {exc}", file=sys.stderr)
            return 1
        window.closing.connect(closed.set)
        app.aboutToQuit.connect(closed.set)
        _quit_on_interrupt(window)
        window.presenter.set_on(presenter)
        window.show()
        shell.close()
        await closed.wait()
        await close_window(window)
        return 0

    with loop:
        try:
            return loop.run_until_complete(main())
        except RuntimeError as exc:  # Qt quit the loop itself: the display went away
            _log_error("the event loop stopped: %s", exc)
            print("media-inspector: the display connection was lost; the window closed.",
                  file=sys.stderr)
            return 1
