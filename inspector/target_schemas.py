"""Validate bodies against a target's own schemas instead of ours (issue 17).

After a schema sync the target's schemas (``GET /api/v1/schemas/{eventType}``) can judge a
session's bodies: spec §1.5 makes them the final authority on names, types and required
flags, so where they and our catalogue differ, a body the target's schema rejects gets
the target's reason, and one it accepts is not flagged for what only our catalogue says.
Event types the target served no usable schema for are still judged by ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from jsonschema import Draft4Validator
from jsonschema.exceptions import SchemaError as BadSchema

from .protocol.schemas import SchemaError, errors_with, validate_body
from .schema_sync import EventSync, sync_schemas

__all__ = ["TargetSchemas", "fetch_target_schemas", "AUTHORITY"]

AUTHORITY = "the target's schema decides, spec §1.5"


@dataclass
class TargetSchemas:
    """A :class:`~inspector.protocol.schemas.BodyValidator` built from the schemas a
    target served; ``skipped`` says which event types fall back to ours, and why."""

    url: str
    schemas: dict[str, dict[str, Any]]
    skipped: dict[str, str] = field(default_factory=dict)
    authority: str = AUTHORITY
    _validators: dict[str, Draft4Validator] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, schema in list(self.schemas.items()):
            try:
                Draft4Validator.check_schema(schema)
            except BadSchema as exc:
                self.skipped[name] = f"the target's schema is not valid JSON Schema: " \
                                     f"{exc.message}; ours decides"
                del self.schemas[name]
                continue
            self._validators[name] = Draft4Validator(schema)

    @classmethod
    def from_sync(cls, url: str, results: Iterable[EventSync]) -> TargetSchemas:
        """The schemas a sync fetched (those it could not get are judged by ours)."""
        found = list(results)
        return cls(url, {r.event: r.schema for r in found if r.schema is not None},
                   {r.event: f"{r.problem}; ours decides" for r in found
                    if r.schema is None and r.problem})

    def __call__(self, body: Any) -> list[SchemaError]:
        """Every failure of ``body`` under the target's schema for its event type."""
        event_type = body.get("eventType") if isinstance(body, dict) else None
        validator = self._validators.get(event_type) if isinstance(event_type, str) else None
        if validator is None:  # not an object, no event type, or no schema from the target
            return validate_body(body)
        where = f"{self.url.rstrip('/')}/api/v1/schemas/{event_type}"
        return [replace(e, authority=f"{self.authority}: {where}")
                for e in errors_with(validator, body)]

    def describe(self) -> str:
        """One line: whose schemas judge and how many event types they cover."""
        total = len(self.schemas) + len(self.skipped)
        return (f"validating against the target's schemas ({self.url}): {len(self.schemas)} "
                f"of {total} event types; the others by ours")


async def fetch_target_schemas(url: str) -> tuple[TargetSchemas, list[EventSync]]:
    """Sync with ``url`` and build its validator; SyncError when it cannot be reached."""
    results = await sync_schemas(url)
    return TargetSchemas.from_sync(url, results), results
