"""The viewer engine under Locust: one asyncio loop in a native thread, greenlets around it.

Locust runs on gevent; our viewers run on asyncio. Rather than run asyncio inside a
gevent-patched process (patched sockets, selectors and threads under a loop that expects
the real ones), this module keeps Locust from patching the standard library at all
(``LOCUST_SKIP_MONKEY_PATCH``: Locust's runners, its zmq link between master and workers
and its web UI are gevent-native and need no patching) and gives the engine a real thread
with an ordinary event loop. The two sides meet in two places only:

* greenlets ask the loop for work with ``call_soon_threadsafe``;
* the loop hands results back through a deque and a gevent ``async_`` watcher, the one
  gevent object that may be poked from another thread; a dispatcher greenlet then fires
  Locust's ``events.request`` in Locust's own thread, so its statistics, CSV/HTML reports
  and web UI see every exchange as if a Locust client had made it.
"""

from __future__ import annotations

import os

# Must come before the first `import locust` anywhere in the process (see the docstring).
os.environ.setdefault("LOCUST_SKIP_MONKEY_PATCH", "1")

import asyncio  # noqa: E402
import itertools  # noqa: E402
import threading  # noqa: E402
from collections import Counter, deque  # noqa: E402
from typing import Any, ClassVar  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
from locust import User, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

from ..exchange import Exchange  # noqa: E402
from ..scenarios.model import Scenario  # noqa: E402
from .engine import ViewerEngine  # noqa: E402
from .health import CANCELLED, Verdict  # noqa: E402
from .viewer import Viewer  # noqa: E402

__all__ = ["Bridge", "ViewerRun", "UnexpectedStatus", "user_classes", "bridge_of"]

_BRIDGES: dict[int, Bridge] = {}  # by id(environment): a User finds its engine here


class UnexpectedStatus(Exception):
    """What Locust's failure table shows for an exchange the scenario did not expect."""


class ViewerRun:
    """One play of a scenario by one Locust user; ``done`` is set when it ends."""

    def __init__(self) -> None:
        self.done = gevent.event.Event()
        self.task: asyncio.Task[Any] | None = None  # set on the engine's loop


class Bridge:
    """A :class:`ViewerEngine` on its own thread, reporting to ``environment``'s events.

    ``counts`` (on Locust's side) holds what was reported: requests and failures by name,
    unexpected statuses and findings by code.
    """

    def __init__(self, environment: Environment, base_url: str, *, late_ms: float = 100.0,
                 shed_after: float = 10.0, names_by_scenario: bool = False,
                 dialect: str = "classic", config_id: str | None = None) -> None:
        self.environment, self.base_url = environment, base_url
        self._engine_options = {"late_ms": late_ms, "shed_after": shed_after,
                                "dialect": dialect, "config_id": config_id}
        self._by_scenario = names_by_scenario
        self.requests: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.unexpected_statuses = 0
        self.findings: Counter[str] = Counter()
        self.engine: ViewerEngine | None = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._closing: asyncio.Event | None = None
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="viewers", daemon=True)
        self._outbox: deque[tuple[Any, ...]] = deque()
        self._wakeup = gevent.event.Event()
        self._watcher = gevent.get_hub().loop.async_()
        self._watcher.start(self._wakeup.set)
        self._dispatcher = gevent.spawn(self._dispatch)
        _BRIDGES[id(environment)] = self

    # -- life ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the engine's thread; raises RuntimeError if it cannot open."""
        self._thread.start()
        if not self._ready.wait(30) or self.engine is None:
            raise RuntimeError(f"the viewer engine did not start: {self._failed}")

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to the greenlet that waits in start()
            self._failed = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._closing = asyncio.Event()
        async with ViewerEngine(self.base_url, **self._engine_options) as engine:  # type: ignore[arg-type]
            engine.exchanged = self._on_exchange
            self.engine = engine
            self._ready.set()
            await self._closing.wait()

    def close(self) -> None:
        """Stop every viewer and the engine's thread (waits for it)."""
        if self._closing is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._closing.set)
            self._thread.join(30)
        self._dispatch_now()
        self._dispatcher.kill()
        self._watcher.stop()
        self._watcher.close()
        _BRIDGES.pop(id(self.environment), None)

    # -- asked by Locust's greenlets ------------------------------------------------------

    def start_viewer(self, scenario: Scenario, number: int) -> ViewerRun:
        run = ViewerRun()
        self._loop.call_soon_threadsafe(self._spawn, scenario, number, run)
        return run

    def cancel(self, run: ViewerRun) -> None:
        self._loop.call_soon_threadsafe(lambda: run.task is not None and run.task.cancel())

    def drain(self, timeout: float = 60.0) -> bool:
        """Stop every viewer, then report all they finished; True if it ended in time."""
        drained = gevent.event.Event()
        asyncio.run_coroutine_threadsafe(self._stop_all(drained), self._loop)
        return bool(drained.wait(timeout))

    # -- on the engine's loop -------------------------------------------------------------

    def _spawn(self, scenario: Scenario, number: int, run: ViewerRun) -> None:
        assert self.engine is not None
        run.task = self.engine.spawn(scenario, number,
                                     on_done=lambda viewer: self._post(("done", run.done)))

    async def _stop_all(self, drained: gevent.event.Event) -> None:
        if self.engine is not None:
            await self.engine.stop()
        self._post(("drained", drained))

    def _on_exchange(self, viewer: Viewer, exchange: Exchange, verdict: Verdict) -> None:
        if verdict.status == CANCELLED:  # cut short by the stop: no answer to report
            return
        name = (f"{viewer.scenario.name}:{exchange.event_type}" if self._by_scenario
                else exchange.event_type or "(no eventType)")
        self._post(("request", name, exchange.duration_ms or 0.0, len(exchange.response_body),
                    verdict))

    def _post(self, item: tuple[Any, ...]) -> None:
        self._outbox.append(item)
        self._watcher.send()  # thread-safe: wakes gevent's hub, which sets _wakeup

    # -- on Locust's side -------------------------------------------------------------------

    def _dispatch(self) -> None:
        while True:
            self._wakeup.wait()
            self._wakeup.clear()
            self._dispatch_now()

    def _dispatch_now(self) -> None:
        fire = self.environment.events.request.fire
        while self._outbox:
            item = self._outbox.popleft()
            if item[0] == "request":
                _, name, ms, length, verdict = item
                self.requests[name] += 1
                self.unexpected_statuses += verdict.unexpected_status
                self.findings.update(verdict.findings)
                failure = UnexpectedStatus(verdict.failure) if verdict.failure else None
                if failure is not None:
                    self.failures[name] += 1
                fire(request_type="POST", name=name, response_time=ms, response_length=length,
                     exception=failure, context={})
            else:
                item[1].set()  # a ViewerRun's done, or a drain's marker

    def summary(self) -> dict[str, Any]:
        """What this process reported, and its engine's health totals (viewer thread done)."""
        health = self.engine.health.totals() if self.engine is not None else {}
        return {"requests": sum(self.requests.values()), "failures": sum(self.failures.values()),
                "by_name": dict(self.requests), "unexpected_statuses": self.unexpected_statuses,
                "findings": dict(self.findings), "health": health}


def bridge_of(environment: Environment) -> Bridge:
    return _BRIDGES[id(environment)]


class ViewerUser(User):
    """One Locust user = one simulated viewer, playing its scenario again and again."""

    abstract = True
    scenario: ClassVar[Scenario]
    wait_time = constant(0)
    _numbers = itertools.count(1)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.number = next(ViewerUser._numbers)
        self._run: ViewerRun | None = None

    @task
    def watch(self) -> None:
        bridge = bridge_of(self.environment)
        self._run = run = bridge.start_viewer(self.scenario, self.number)
        try:
            run.done.wait()
        finally:
            if not run.done.is_set():  # stopped by Locust: stop the viewer too
                bridge.cancel(run)


def user_classes(scenarios: list[Scenario]) -> list[type[User]]:
    """A Locust user class per scenario, named after it (workers must be given the same)."""
    return [type(s.name, (ViewerUser,), {"scenario": s, "abstract": False,
                                         "__module__": __name__}) for s in scenarios]
