"""A small holder that names and keeps every asyncio task the window starts."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Coroutine

__all__ = ["TaskHolder"]

_log = logging.getLogger(__name__)


class TaskHolder:
    """Starts named tasks, holds a reference until they end, reports their failures."""

    def __init__(self, on_error: Callable[[str, BaseException], None] | None = None) -> None:
        self._tasks: dict[asyncio.Task[Any], str] = {}
        self._on_error = on_error

    def __len__(self) -> int:
        return len(self._tasks)

    def names(self) -> list[str]:
        return sorted(self._tasks.values())

    def start(self, name: str, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` as a task called ``name`` and keep it until it ends."""
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks[task] = name
        task.add_done_callback(self._done)
        return task

    def watch(self, name: str, awaitable: Awaitable[Any]) -> asyncio.Future[Any]:
        """Hold a future someone else created (e.g. a session send) and report its failure."""
        future = asyncio.ensure_future(awaitable)
        self._tasks[future] = name
        future.add_done_callback(self._done)
        return future

    def _done(self, task: asyncio.Future[Any]) -> None:
        name = self._tasks.pop(task, "task")  # type: ignore[call-overload]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            _log.error("task %s failed", name, exc_info=exc)
            if self._on_error is not None:
                self._on_error(name, exc)

    async def cancel_all(self) -> None:
        """Cancel every held task and wait for them to finish."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
