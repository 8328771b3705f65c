"""A target serving our schemas with one altered adStart (a real HTTP server on 127.0.0.1),
shared by the schema sync tests of the core and the window."""

from __future__ import annotations

import copy
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

from inspector.protocol.schemas import schema_for

POD_POSITION = "media.ad.podPosition"  # integer for us, string for the altered target


def altered_ad_start() -> dict[str, Any]:
    """adStart as a target that wants media.ad.podPosition as a string."""
    schema = copy.deepcopy(schema_for("adStart"))
    params = schema["definitions"]["adStart"]["properties"]["params"]
    params["properties"][POD_POSITION]["type"] = "string"
    return schema


@contextmanager
def serving(answer: Callable[[str], bytes | None]) -> Iterator[str]:
    """Serve ``GET /api/v1/schemas/{eventType}`` with ``answer(eventType)``'s bytes (a 404
    for None) on 127.0.0.1; the base URL while the block runs."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = answer(self.path.rsplit("/", 1)[-1])
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def schema_target(altered: bool = True) -> Iterator[str]:
    """Our schemas, with adStart altered unless ``altered`` is False."""
    with serving(lambda name: json.dumps(
            altered_ad_start() if altered and name == "adStart" else schema_for(name)
    ).encode()) as url:
        yield url
