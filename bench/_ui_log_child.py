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


def startup_app() -> float:
    import asyncio
    import tempfile

    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import close_window, open_window
    from ui.theme import apply_theme

    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)  # as run_gui: the loop ends after the cleanup
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    painted: list[float] = []

    async def main() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["MEDIA_INSPECTOR_RUNS"] = os.path.join(tmp, "runs.sqlite3")
            settings = QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat)
            window = await open_window(None, settings)
            first = asyncio.get_running_loop().create_future()
            hook = _paint_hook(window, lambda: painted or (painted.append(time.perf_counter()),
                                                            first.set_result(None)))
            window.show()
            await first
            del hook
            window.close()
            await close_window(window)

    with loop:
        loop.run_until_complete(main())
    return (painted[0] - T0) * 1000


def main() -> None:
    if sys.argv[1] == "startup":
        ms = startup_bare() if sys.argv[2] == "bare" else startup_app()
        print(json.dumps({"ms": ms}))
        return
    from _ui_log_run import run_log

    rows, seconds, idle, rate = int(sys.argv[2]), *map(float, sys.argv[3:6])
    print(json.dumps(run_log(rows, seconds, idle, rate)))


if __name__ == "__main__":
    main()
