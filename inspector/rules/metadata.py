"""Rules on ``customMetadata`` (spec §5, I6)."""

from __future__ import annotations

import re
from typing import Iterator

from ..findings import Severity
from ..protocol.catalogue import CUSTOM_METADATA_KEY_PATTERN, EVENT_NAMES, event
from ..protocol.schemas import json_type_name
from .base import Advice, Context, Phase, rule

__all__: list[str] = []

BODY = Phase.BODY
_KEY = re.compile(CUSTOM_METADATA_KEY_PATTERN)
_TAKES = frozenset(n for n in EVENT_NAMES if event(n).custom_metadata)
_TAKES_METADATA = ", ".join(n for n in EVENT_NAMES if n in _TAKES)


def _allowed(ctx: Context) -> bool:
    return ctx.type is not None and event(ctx.type).custom_metadata


@rule("CUSTOM_METADATA_NOT_ALLOWED", Severity.ERROR,
      "customMetadata on an event that does not take it", "§5, I6", BODY)
def not_allowed(ctx: Context) -> Iterator[Advice]:
    """customMetadata is only for sessionStart, adStart and chapterStart."""
    if ctx.type and "customMetadata" in ctx.event.keys and not _allowed(ctx):
        yield Advice(f"customMetadata on {ctx.type}: Adobe documents it only on "
                     f"{_TAKES_METADATA} (its pages disagree, I6); our backend answers 400 and "
                     "drops the event, a choice of our mock, not Adobe's Swagger; send "
                     f"metadata only on {_TAKES_METADATA}")


@rule("CUSTOM_METADATA_NOT_STRING", Severity.ERROR, "a customMetadata value is not a string",
      "§5", BODY, types=_TAKES)
def not_string(ctx: Context) -> Iterator[Advice]:
    """Values must be strings; numbers and booleans are stringified by the sender."""
    if not _allowed(ctx):
        return
    for key, value in sorted(ctx.event.custom_metadata.items()):
        if not isinstance(value, str):
            yield Advice(f"customMetadata.{key}: expected string, got {json_type_name(value)}: "
                         f"the backend answers 400; send it as a string, e.g. \"{_text(value)}\"")


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (int, float)) else "..."


@rule("CUSTOM_METADATA_BAD_KEY", Severity.ERROR, "a customMetadata key has characters the "
      "schema refuses", "§5", BODY, types=_TAKES)
def bad_key(ctx: Context) -> Iterator[Advice]:
    """Keys must match ^[a-zA-Z0-9_.]+$."""
    if not _allowed(ctx):
        return
    for key in sorted(k for k in ctx.event.custom_metadata if not _KEY.match(k)):
        fixed = re.sub(r"[^a-zA-Z0-9_.]", "_", key) or "key"
        yield Advice(f"customMetadata key {key!r} must match {CUSTOM_METADATA_KEY_PATTERN}: "
                     "Adobe's validation schema refuses it (its Swagger allows any key; we "
                     f"follow the schema, I16) and our backend answers 400; rename it, e.g. "
                     f"{fixed!r}")


@rule("CUSTOM_METADATA_RESERVED_PREFIX", Severity.ERROR, "a customMetadata key starts with "
      "the reserved a. prefix", "§5", BODY, types=_TAKES)
def reserved_prefix(ctx: Context) -> Iterator[Advice]:
    """Prefix ``a.`` is Adobe's own."""
    if not _allowed(ctx):
        return
    for key in sorted(k for k in ctx.event.custom_metadata if k.startswith("a.")):
        yield Advice(f"customMetadata key {key!r} uses the prefix a., reserved for Adobe's own "
                     "variables: the schema accepts it but it can clash with Adobe's data; "
                     "rename it without the a. prefix")


@rule("CUSTOM_METADATA_MEDIA_PREFIX", Severity.WARNING, "a customMetadata key starts with "
      "media. and may overwrite a standard field", "§5", BODY, types=_TAKES)
def media_prefix(ctx: Context) -> Iterator[Advice]:
    """Prefix ``media.`` may overwrite standard metadata."""
    if not _allowed(ctx):
        return
    for key in sorted(k for k in ctx.event.custom_metadata if k.startswith("media.")):
        yield Advice(f"customMetadata key {key!r} starts with media.: Adobe may let it "
                     "overwrite the standard field of that name; if it is a standard field, "
                     "send it in params, else rename it")
