"""Schema sync: fetch a target's JSON Schemas and compare them with the catalogue's.

The target serves one schema per event type at ``GET /api/v1/schemas/{eventType}`` (spec
§1.5). Our catalogue is our reading of Adobe's documents; where the two differ, what the
target says is what it will accept (and why a 400 came back).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import httpx

from .protocol.catalogue import EVENT_NAMES
from .protocol.schema_diff import Difference, diff_schemas
from .protocol.schemas import schema_for

__all__ = ["EventSync", "SyncError", "sync_schemas"]

_MAX_SCHEMA_BYTES = 1_000_000


class SyncError(Exception):
    """The target could not be asked at all (unreachable, not http)."""


@dataclass
class EventSync:
    """One event type: how the target's schema differs, or why it could not be compared."""

    event: str
    differences: list[Difference] = field(default_factory=list)
    problem: str | None = None  # e.g. "404: the target serves no schema for it"
    schema: dict[str, Any] | None = None  # the target's, as served (for validating with it)

    @property
    def matches(self) -> bool:
        return self.problem is None and not self.differences


def _decode(response: httpx.Response) -> tuple[Any, str | None]:
    if response.status_code != 200:
        return None, f"{response.status_code}: the target serves no schema for it"
    if len(response.content) > _MAX_SCHEMA_BYTES:
        return None, f"the schema is over {_MAX_SCHEMA_BYTES:,} bytes; not compared"
    try:
        schema = json.loads(response.content)
    except ValueError as exc:
        return None, f"the answer is not JSON ({exc})"
    if not isinstance(schema, dict):
        return None, "the answer is JSON but not a schema object"
    return schema, None


async def sync_schemas(base_url: str, events: Iterable[str] = EVENT_NAMES,
                       timeout: float = 10.0,
                       progress: Callable[[EventSync], None] | None = None) -> list[EventSync]:
    """Compare every event type's schema at ``base_url`` with ours, in catalogue order;
    ``progress`` sees each event's result as it comes in."""
    base = base_url.rstrip("/")
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        async def one(name: str) -> EventSync:
            result = await ask(name)
            if progress is not None:
                progress(result)
            return result

        async def ask(name: str) -> EventSync:
            try:
                response = await client.get(f"{base}/api/v1/schemas/{name}")
            except httpx.ConnectError as exc:
                raise SyncError(f"cannot connect to {base}: {exc}") from exc
            except httpx.HTTPError as exc:
                return EventSync(name, problem=f"no answer ({type(exc).__name__}: {exc})")
            theirs, problem = _decode(response)
            if problem is not None:
                return EventSync(name, problem=problem)
            return EventSync(name, diff_schemas(schema_for(name), theirs), schema=theirs)

        return list(await asyncio.gather(*(one(name) for name in events)))
