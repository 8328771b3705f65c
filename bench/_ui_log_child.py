"""One measurement of bench/ui_responsiveness.py, in a process of its own; prints JSON last.

    _ui_log_child.py startup bare|app
    _ui_log_child.py log ROWS SECONDS IDLE_SECONDS RATE
"""

from __future__ import annotations

import json
import sys
import time

T0 = time.perf_counter()

import os  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _paint_hook(window: object, done: object) -> object:
    from PySide6.QtCore import QEvent, QObject

    class Hook(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
            if event.type() == QEvent.Type.Paint:
                done()  # type: ignore[operator]
            return False

    hook = Hook()
    window.installEventFilter(hook)  # type: ignore[attr-defined]
    return hook


def startup_bare() -> float:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1440, 900)
    painted: list[float] = []
    hook = _paint_hook(window, lambda: painted or (painted.append(time.perf_counter()),
                                                    app.quit()))
    window.show()
    app.exec()
    del hook
    return (painted[0] - T0) * 1000


def startup_app() -> tuple[float, float]:
    """(first paint, window ready) in ms from the process start, as ``run_gui`` starts."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import close_window, open_window, show_placeholder
    from ui.theme import apply_theme

    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)  # as run_gui: the loop ends after the cleanup
    apply_theme(app)
    tmp = f"/tmp/mi-startup-{os.getpid()}"  # no tempfile: run_gui does not import it either
    os.environ["MEDIA_INSPECTOR_RUNS"] = tmp + ".sqlite3"
    settings = QSettings(tmp + ".ini", QSettings.Format.IniFormat)
    painted: list[float] = []
    from PySide6.QtCore import QEvent, QObject

    class Hook(QObject):  # installed on the application: sees the shell's first paint
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    hook = Hook()
    app.installEventFilter(hook)
    shell = show_placeholder(settings)
    app.removeEventFilter(hook)
    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    ready: list[float] = []

    async def main() -> None:
        window = await open_window(None, settings)
        first = asyncio.get_running_loop().create_future()
        hook = _paint_hook(window, lambda: ready or (ready.append(time.perf_counter()),
                                                      first.set_result(None)))
        window.show()
        shell.close()
        await first
        del hook
        window.close()
        await close_window(window)

    with loop:
        loop.run_until_complete(main())
    for leftover in (tmp + ".ini", *(tmp + ".sqlite3" + x for x in ("", "-wal", "-shm"))):
        if os.path.exists(leftover):
            os.remove(leftover)
    return (painted[0] - T0) * 1000, (ready[0] - T0) * 1000


def main() -> None:
    if sys.argv[1] == "startup":
        if sys.argv[2] == "bare":
            print(json.dumps({"ms": startup_bare()}))
        else:
            first, ready = startup_app()
            print(json.dumps({"ms": first, "ready": ready}))
        return
    from _ui_log_run import run_log

    rows, seconds, idle, rate = int(sys.argv[2]), *map(float, sys.argv[3:6])
    print(json.dumps(run_log(rows, seconds, idle, rate)))


if __name__ == "__main__":
    main()
