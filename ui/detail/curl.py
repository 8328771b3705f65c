"""Copy as curl: an exchange as a shell command (pure text, no network)."""

from __future__ import annotations

import shlex

from inspector.exchange import Exchange

__all__ = ["as_curl"]

_SKIP = {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"}


def as_curl(exchange: Exchange) -> str:
    """A ``curl`` command that repeats the request of ``exchange``."""
    parts = ["curl", "-i", "-X", exchange.method, shlex.quote(exchange.url)]
    headers = exchange.request_headers or [("Content-Type", "application/json")]
    for name, value in headers:
        if name.lower() not in _SKIP:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    parts += ["--data-raw", shlex.quote(exchange.request_body.decode("utf-8", "replace"))]
    return " \\\n  ".join([" ".join(parts[:5]), *_pairs(parts[5:])])


def _pairs(items: list[str]) -> list[str]:
    return [f"{items[i]} {items[i + 1]}" for i in range(0, len(items), 2)]
