"""Run the backend on 127.0.0.1 on a free port, in its own thread with its own event loop.

Why a thread (measured with ``bench/server_throughput.py``): during a burst of 2000 events
the UI loop's tick lag is the same either way (worst ~12-26 ms, p99 3-7 ms: the client,
which lives on the UI loop anyway, dominates). The difference is the other direction:
while the UI loop is busy for 300 ms (a modal dialog, a slow slot), a server on that loop
answers nobody for 300 ms, so clients see timeouts the real backend would never cause; on
its own thread it answers in ~16 ms. The server's answers must not depend on the UI.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import Any, Callable, TypeVar

from aiohttp import web

from ..clock import Clock
from .app import create_app
from .config import ServerConfig
from .guard import with_token_off_loopback
from .runner import BackendRunner
from .state import STATE_KEY, ServerState

__all__ = ["EmbeddedServer"]

T = TypeVar("T")
_STOP_TIMEOUT = 5.0


class EmbeddedServer:
    """The embedded backend on its own thread; ``start``/``stop`` are synchronous and safe
    to call from any thread, ``astart``/``astop`` do the same without blocking a loop."""

    def __init__(self, clock: Clock | None = None, config: ServerConfig | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        # Beyond loopback /_inspector/ needs a token: read it from state.config.
        self.app = create_app(clock=clock,
                              config=with_token_off_loopback(config or ServerConfig(), host))
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: BackendRunner | None = None
        self.base_url = ""

    @property
    def state(self) -> ServerState:
        """The server's state; touch it only through :meth:`call` while the server runs."""
        return self.app[STATE_KEY]

    def follow(self, clock: Clock) -> None:
        """Keep ``clock``'s time (a session's), so timeouts happen in simulated time."""
        self.state.clock.follow(clock)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> str:
        """Listen and return the base URL (``http://127.0.0.1:PORT``); OSError if bind fails."""
        with self._lock:
            if self._thread is not None:
                return self.base_url
            started: Future[str] = Future()
            thread = threading.Thread(target=self._run, args=(started,), daemon=True,
                                      name="media-inspector-server")
            thread.start()
            try:
                self.base_url = started.result()
            except BaseException:
                thread.join()
                raise
            self._thread = thread
            return self.base_url

    def stop(self) -> None:
        """Stop serving and join the thread; a no-op when not running."""
        with self._lock:
            loop, thread = self._loop, self._thread
            if loop is None or thread is None:
                return
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_STOP_TIMEOUT)
            self._thread = self._loop = None

    async def astart(self) -> str:
        """:meth:`start` without blocking the calling event loop."""
        return await asyncio.to_thread(self.start)

    async def astop(self) -> None:
        """:meth:`stop` without blocking the calling event loop."""
        await asyncio.to_thread(self.stop)

    def call(self, fn: Callable[[ServerState], T], timeout: float = 5.0) -> T:
        """Run ``fn(state)`` on the server's loop and return its result (thread-safe)."""
        loop = self._loop
        if loop is None:
            return fn(self.state)

        async def run() -> T:
            return fn(self.state)

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout)

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _run(self, started: Future[str]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            url = loop.run_until_complete(self._listen())
        except BaseException as exc:  # a bind error belongs to the caller of start()
            started.set_exception(exc)
            loop.close()
            return
        self._loop = loop
        started.set_result(url)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.close()

    async def _listen(self) -> str:
        runner = BackendRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
