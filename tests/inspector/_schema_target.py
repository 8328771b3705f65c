"""A target serving our schemas with one altered adStart (a real HTTP server on 127.0.0.1),
shared by the schema sync tests of the core and the window."""

from __future__ import annotations

import copy
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

from inspector.protocol.schemas import schema_for

POD_POSITION = "media.ad.podPosition"  # integer for us, string for the altered target


def altered_ad_start() -> dict[str, Any]:
    """adStart as a target that wants media.ad.podPosition as a string."""
    schema = copy.deepcopy(schema_for("adStart"))
    params = schema["definitions"]["adStart"]["properties"]["params"]
    params["properties"][POD_POSITION]["type"] = "string"
    return schema


@contextmanager
def schema_target(altered: bool = True) -> Iterator[str]:
    """Serve ``GET /api/v1/schemas/{eventType}``; the base URL while the block runs."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            name = self.path.rsplit("/", 1)[-1]
            schema = altered_ad_start() if altered and name == "adStart" else schema_for(name)
            body = json.dumps(schema).encode()
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
