"""Standard JSON in and out, with numbers Adobe's backend can hold (spec §8, our choice).

In: ``NaN``/``Infinity`` are not JSON (RFC 8259 §6) and a number that overflows to infinity
(``1e400``) is no number either; integers must fit in 64 bits (the Swagger's ``ts`` is
``int64``, and a 5,000-digit integer is refused before Python converts it); nesting is
bounded (Media Collection bodies are 4 levels deep at most). Each refusal names the field.
Out: never ``NaN`` or ``Infinity``, which browsers' ``JSON.parse`` rejects.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from typing import Any

import orjson

__all__ = ["JsonRefused", "MAX_DEPTH", "UNSURE", "loads", "quick_loads", "dumps"]

MAX_DEPTH = 32
_INT_RANGE = 2**63
_MAX_INT_DIGITS = 20  # with a sign: any longer integer is outside 64 bits
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


class JsonRefused(ValueError):
    """Decodable text the API does not take; ``str()`` names the field and the reason."""


class _Number(Exception):
    def __init__(self, text: str, why: str) -> None:
        super().__init__(text, why)
        self.text, self.why = text, why


def _int(text: str) -> int:
    if len(text) <= _MAX_INT_DIGITS:
        value = int(text)
        if -_INT_RANGE <= value < _INT_RANGE:
            return value
    raise _Number(text, "is outside the 64-bit integer range (-2^63 to 2^63-1, the Swagger's "
                        "int64)")


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Number(text, "is too large: it overflows a 64-bit float to infinity")
    return value


def _constant(text: str) -> Any:
    raise _Number(text, "is not JSON (RFC 8259 has no NaN or Infinity): send a finite number")


_STRICT = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


def loads(text: str, raw: bytes | None = None) -> Any:
    """Decode ``text`` (``raw`` is its UTF-8, if at hand); JsonRefused, or JSONDecodeError."""
    data = raw if raw is not None else text.encode("utf-8", "surrogatepass")
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH:
        depth = _depth(data)
        if depth > MAX_DEPTH:
            raise JsonRefused(f"body: JSON nested {depth} levels deep; Media Collection "
                              f"bodies are at most 4 (the limit is {MAX_DEPTH})")
    try:
        return _STRICT.decode(text)
    except _Number as refused:
        raise JsonRefused(_where(text, refused)) from None
    except RecursionError:
        raise JsonRefused(f"body: JSON nested too deep (the limit is {MAX_DEPTH})") from None


UNSURE: Any = object()  # quick_loads leaves the body to loads
# One C pass over the body answers both of quick_loads' questions: every digit byte becomes
# "0", every "[" and "{" becomes "[", every other byte " "; then a run of 19 zeros is a
# 19-digit run (~3x faster than re's [0-9]{19} on a ping, tested equal) and the count of
# "[" is that of "[" and "{" (tested equal).
_SCAN = bytes(0x30 if 0x30 <= b <= 0x39 else 0x5B if b in b"[{" else 0x20 for b in range(256))
_NINETEEN_ZEROS = b"0" * 19


def has_long_digit_run(raw: bytes) -> bool:
    """True when ``raw`` holds 19 ASCII digits in a row (``[0-9]{19}``)."""
    return _NINETEEN_ZEROS in raw.translate(_SCAN)


def opening_brackets(raw: bytes) -> int:
    """How many ``[`` and ``{`` bytes ``raw`` holds (in strings too)."""
    return raw.translate(_SCAN).count(b"[")


def quick_loads(raw: bytes) -> Any:
    """What ``loads(raw.decode("utf-8"), raw)`` returns, by orjson; UNSURE when it may differ.

    Whatever orjson accepts, the standard decoder accepts with the same value, with two
    exceptions kept away: a run of 19 digits (an integer that may be outside 64 bits,
    which orjson reads as a float where :func:`loads` refuses it) and more brackets than
    MAX_DEPTH. Anything orjson refuses (bad UTF-8, lone surrogates, NaN, 1e400, ...) is
    UNSURE: :func:`loads` decides and explains. tests/inspector/server/test_quick_json.py
    holds the two equal.
    """
    scan = raw.translate(_SCAN)  # has_long_digit_run and opening_brackets in one pass
    if _NINETEEN_ZEROS in scan or scan.count(b"[") > MAX_DEPTH:
        return UNSURE
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return UNSURE


def _depth(data: bytes) -> int:
    """How deep ``[``/``{`` nest outside strings (brackets in strings do not count)."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    steps = (1 if c in b"[{" else -1 for c in brackets)
    return max(itertools.accumulate(steps, initial=0))


def _where(text: str, refused: _Number) -> str:
    """``path: literal why``: decode again with markers to find the offending field."""
    def mark(literal: str) -> Any:
        return _Mark(literal)

    def number(parse: Any) -> Any:
        def parse_or_mark(literal: str) -> Any:
            try:
                return parse(literal)
            except _Number:
                return mark(literal)
        return parse_or_mark

    decoded = json.JSONDecoder(parse_int=number(_int), parse_float=number(_float),
                               parse_constant=mark).decode(text)
    path = _path_of_mark(decoded) or "body"
    shown = refused.text if len(refused.text) <= 24 else (
        f"{refused.text[:12]}...({len(refused.text)} characters)")
    return f"{path}: {shown} {refused.why}"


class _Mark(str):
    """A refused number, standing in its place while looking for its path."""


def _path_of_mark(value: Any, path: str = "") -> str | None:
    if isinstance(value, _Mark):
        return path
    items: Any = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        found = _path_of_mark(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def dumps(data: Any) -> str:
    """Standard JSON text: a non-finite float (never expected) becomes ``null``."""
    try:
        return json.dumps(data, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(data), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
