"""Take the README screenshot: a window mid-session (pre-roll done, playing, a warning).

    xvfb-run -s '-screen 0 1920x1080x24' python bench/screenshot.py [OUT.png [WIDTHxHEIGHT]]
    xvfb-run -s '-screen 0 1920x1080x24' python bench/screenshot.py --presenter OUT.png 1920x1080

The default size is 1500x940; give 1280x720 or 1920x1080 to look at those screens.
``--presenter``: presenter mode replaying Adobe's timeline 1 at 10×, shot after its mid-roll.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from inspector.server import EmbeddedServer
from ui.app import build_window
from ui.theme import apply_theme

SCRIPT = ("adBreakStart", "adStart", "adComplete", "adStart", "adComplete", "adBreakComplete",
          "play", "chapterStart", "bitrateChange")


async def wait_for(predicate: object, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate() and loop.time() < end:  # type: ignore[operator]
        await asyncio.sleep(0.05)


async def presenter_shot(window: object) -> None:
    """Replay timeline-1 in presenter mode (10×) and stop after the mid-roll's ad."""
    from PySide6.QtCore import Qt

    w: Any = window
    w.presenter.set_on(True)
    panel = w.scenarios.panel
    panel.list.setCurrentItem(panel.list.findItems("timeline-1", Qt.MatchFlag.MatchExactly)[0])
    panel.replay.click()
    report = w.controller.session
    await wait_for(lambda: report.report.to_dict()["metrics"]["ad_completes"] >= 3, 60.0)
    await asyncio.sleep(0.3)


async def main(out: Path, size: tuple[int, int] = (1500, 940), presenter: bool = False) -> int:
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "shot.ini"), QSettings.Format.IniFormat)
        window = build_window(settings, server.base_url,
                              runs_path=os.path.join(tmp, "runs.sqlite3"), follow=server.follow)
        window.resize(*size)
        window.show()
        c = window.controller
        if presenter:
            await presenter_shot(window)
            await asyncio.sleep(0.5)
            print(f"minimum {window.minimumSizeHint().width()}x{window.minimumSizeHint().height()}")
            window.grab().save(str(out))
            print(f"saved {out} ({window.width()}x{window.height()}, presenter mode)")
            window.close()
            await c.aclose()
            return 0
        window.transport.set_speed(10.0)
        c.start_session()
        await wait_for(lambda: c.session.sid is not None)
        for event in SCRIPT:
            c.send_event(event)
            await asyncio.sleep(0.4)
        await asyncio.sleep(3.0)  # ~30 s of content at 10x: pings on the timeline
        c.send_event("adStart")  # outside a break: the warning everyone should see
        await asyncio.sleep(1.5)
        c.send_event("adComplete")
        await asyncio.sleep(1.0)
        store = c.store
        last = max(r for r in range(len(store)) if store[r].findings)
        window.log.follow.setChecked(False)
        window.log.select_source_row(last)
        window.bottom_tabs.setCurrentIndex(0)
        await asyncio.sleep(0.5)
        window.grab().save(str(out))
        print(f"saved {out} ({window.width()}x{window.height()})")
        window.close()
        await c.aclose()
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--presenter"]
    target = Path(args[0] if args else "assets/screenshot.png")
    width, height = (int(n) for n in (args[1] if len(args) > 1 else "1500x940").split("x"))
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        sys.exit(loop.run_until_complete(main(target, (width, height),
                                              "--presenter" in sys.argv[1:])))
