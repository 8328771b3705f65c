"""Exports: pure functions from records (Exchanges, JUnit cases) to data.

Nothing here writes files; :func:`write_text` and :func:`write_bytes` are the helpers that do,
kept apart so every format can be tested without touching the disk.
"""

from __future__ import annotations

from pathlib import Path

from .curl import curl_argv, curl_command, curl_script
from .har import har_entry, har_log
from .junit import junit_xml
from .junit_case import JUnitCase
from .records import exchange_from_dict, exchange_to_dict, run_document
from .redact import (REDACTED, REDACTED_KEYS, Redactor, display_url, is_identifier_key,
                     redact_body, redact_bytes, redact_tree)

__all__ = [
    "JUnitCase",
    "REDACTED",
    "REDACTED_KEYS",
    "Redactor",
    "curl_argv",
    "curl_command",
    "curl_script",
    "display_url",
    "exchange_from_dict",
    "exchange_to_dict",
    "har_entry",
    "is_identifier_key",
    "har_log",
    "junit_xml",
    "redact_body",
    "redact_bytes",
    "redact_tree",
    "run_document",
    "write_bytes",
    "write_text",
]


def write_text(path: str | Path, text: str) -> Path:
    """Write an export to ``path`` (UTF-8, parent directories created); returns the path."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write a binary export (a zip) to ``path``, parent directories created."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
