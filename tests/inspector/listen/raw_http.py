"""Raw HTTP/1.1 over a socket: exactly the bytes a test means to send, nothing added."""

from __future__ import annotations

import asyncio


async def raw_exchange(url: str, request: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send ``request`` to ``url``'s host and port; (status, headers, body) of the answer.
    The request must say ``Connection: close`` so the answer ends with the connection."""
    host, port = url.split("://", 1)[1].split("/")[0].rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines)]
    return int(status_line.split()[1]), headers, body


async def partial_upstream(answer: bytes) -> tuple[asyncio.Server, str]:
    """An upstream that reads one request, writes ``answer`` (maybe cut short) and closes."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        await reader.readexactly(length)
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"
