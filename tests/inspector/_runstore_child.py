"""Child process for the kill test: records exchanges forever, printing each one committed."""

from __future__ import annotations

import asyncio
import sys

import httpx

from inspector.client import MediaCollectionClient
from inspector.runstore import RunStore

SID = "a" * 64


def _answer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/sessions":
        return httpx.Response(201, headers={"Location": f"/api/v1/sessions/{SID}"})
    return httpx.Response(204)


async def main(path: str) -> None:
    store = RunStore(path)
    recorder = store.begin_run("killed run")
    client = MediaCollectionClient("http://127.0.0.1:9", transport=httpx.MockTransport(_answer))
    recorder.observe_exchanges(client.exchanged)
    channel = client.open_channel()
    await channel.start({"playerTime": {"playhead": 0, "ts": 1}, "eventType": "sessionStart",
                         "params": {}})
    print("done 1", flush=True)
    n = 1
    while True:  # until killed
        n += 1
        await channel.send({"playerTime": {"playhead": n, "ts": n}, "eventType": "ping"})
        print(f"done {n}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
