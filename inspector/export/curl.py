"""A runnable ``curl`` command per exchange (POSIX shell quoting)."""

from __future__ import annotations

import shlex
from typing import Iterable

from ..exchange import Exchange
from .redact import Redactor

__all__ = ["curl_argv", "curl_command", "curl_script"]

# Headers httpx adds on its own; curl sets its own equivalents.
_SKIP = {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"}


def curl_argv(exchange: Exchange, *, redact: bool = False, url: str | None = None) -> list[str]:
    """curl's argument list for the exchange's request; ``url`` overrides the target."""
    if redact:
        exchange = Redactor([exchange]).exchange(exchange)
    body = exchange.request_body
    argv = ["curl", "-sS", "-i", "-X", exchange.method]
    headers = [(k, v) for k, v in exchange.request_headers if k.lower() not in _SKIP]
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))  # spec §1.2: always sent
    for name, value in headers:
        argv += ["-H", f"{name}: {value}"]
    argv += ["--data-binary", body.decode("utf-8", "replace"), url or exchange.url]
    return argv


def curl_command(exchange: Exchange, *, redact: bool = False, url: str | None = None) -> str:
    """One shell line that repeats the request."""
    return shlex.join(curl_argv(exchange, redact=redact, url=url))


def curl_script(exchanges: Iterable[Exchange], *, redact: bool = False) -> str:
    """A shell script with one commented curl command per exchange, in order.

    Events after sessionStart carry the sid the server gave this run; a new run needs the
    sid from its own 201 ``Location``.
    """
    lines = ["#!/bin/sh", "# media-inspector: one curl command per exchange"]
    items = list(exchanges)
    if redact:
        items = Redactor(items).exchanges(items)
    for e in items:
        status = e.status if e.status is not None else e.state.value
        lines += [f"# #{e.seq} {e.event_type} -> {status}", curl_command(e)]
    return "\n".join(lines) + "\n"
