"""``media-inspector schema``: print an event type's JSON Schema, or sync with a target's."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from contextlib import ExitStack

from ..protocol.catalogue import EVENT_NAMES
from ..protocol.schemas import schema_for
from ..schema_sync import SyncError, sync_schemas

__all__ = ["schema_command"]

EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2


def schema_command(args: argparse.Namespace) -> int:
    if args.sync:
        return _sync(args.schema_url)
    if args.event is None:
        print("media-inspector: schema needs an EVENT (or --sync); valid: "
              f"{', '.join(EVENT_NAMES)}", file=sys.stderr)
        return EXIT_USAGE
    if args.event not in EVENT_NAMES:
        print(f"media-inspector: unknown event type {args.event!r}; valid: "
              f"{', '.join(EVENT_NAMES)}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(schema_for(args.event), indent=2))
    return EXIT_OK


def _sync(url: str | None) -> int:
    with ExitStack() as stack:
        if url is None:  # the embedded backend: its schemas are the catalogue's
            from ..server import EmbeddedServer

            url = stack.enter_context(EmbeddedServer()).base_url
        try:
            results = asyncio.run(sync_schemas(url))
        except SyncError as exc:
            print(f"media-inspector: schema sync: {exc}", file=sys.stderr)
            return EXIT_USAGE
    print(f"Schema sync: the target's schemas ({url}/api/v1/schemas/…) against our "
          f"catalogue's")
    for result in results:
        if result.problem is not None:
            print(f"{result.event}: not compared: {result.problem}")
        elif result.differences:
            count = len(result.differences)
            print(f"{result.event}: {count} difference{'' if count == 1 else 's'}")
            for difference in result.differences:
                print(f"  {difference}")
    same = sum(r.matches for r in results)
    print(f"= {same} of {len(results)} event types match")
    return EXIT_OK if same == len(results) else EXIT_DIFFERENT
