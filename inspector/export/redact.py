"""Redaction for sharing exports: identifiers, cookies, credentials, by key and by value.

A :class:`Redactor` first learns every identifying value in a set of exchanges (values under
the spec's identifier keys, spec §4.1, and near misspellings of them, anywhere in request or
response bodies; cookie values; URL userinfo and query values; credentials in headers), then
replaces each wherever it appears: bodies, headers, URLs, errors, findings, reports. Bodies
stay valid JSON of the same shape, and ``Content-Length`` is recomputed, so a redacted
export still replays.
"""

from __future__ import annotations

import base64
import dataclasses
import difflib
import functools
import json
import re
from typing import Any, Iterable, Iterator
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from ..exchange import Exchange
from ..findings import Finding
from .junit_case import JUnitCase

__all__ = ["REDACTED", "REDACTED_KEYS", "Redactor", "display_url", "is_identifier_key",
           "redact_body", "redact_bytes", "redact_tree"]

REDACTED = "REDACTED"

# Spec §4.1: the keys that identify a visitor, a customer or the Adobe org.
REDACTED_KEYS = (
    "visitor.marketingCloudOrgId",
    "visitor.marketingCloudUserId",
    "analytics.visitorId",
    "analytics.aid",
    "visitor.customerIDs",
    "appInstallationId",
)
# Headers whose whole value is a credential or an identifier (Adobe's org header too).
_SECRET_HEADERS = {"authorization", "proxy-authorization", "x-api-key", "x-gw-ims-org-id",
                   "x-adobe-org-id", "x-auth-token", "x-access-token"}
_MIN_VALUE = 4  # shorter values are redacted where they sit, never searched for elsewhere


def _norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


_ID_NORMS = {_norm(k) for k in REDACTED_KEYS}
_ID_TAILS = {_norm(k.rsplit(".", 1)[-1]) for k in REDACTED_KEYS} | {
    "ecid", "mcid", "mid", "visitorid", "userid", "orgid", "customerid", "customerids",
    "installationid", "deviceid", "advertisingid", "adid", "idfa", "gaid"}


@functools.lru_cache(maxsize=4096)
def is_identifier_key(key: str) -> bool:
    """True for an identifier key of spec §4.1, its last part, or a near misspelling."""
    n = _norm(key)
    if n in _ID_NORMS or n in _ID_TAILS or n.endswith(("visitorid", "orgid", "userid")):
        return True
    return len(n) >= 6 and bool(difflib.get_close_matches(n, _ID_NORMS | _ID_TAILS, n=1,
                                                          cutoff=0.85))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _identifier_values(data: Any) -> Iterator[str]:
    """Every leaf value under an identifier key, anywhere in decoded JSON."""
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str) and is_identifier_key(k):
                yield from _strings(v)
            else:
                yield from _identifier_values(v)
    elif isinstance(data, list):
        for v in data:
            yield from _identifier_values(v)


def _redact_customer_ids(value: Any) -> Any:
    # Keep the shape ({idType: {id, authState}}) so a redacted body still validates.
    if not isinstance(value, dict):
        return REDACTED
    out: dict[str, Any] = {}
    for id_type, entry in value.items():
        if isinstance(entry, dict):
            out[id_type] = {**entry, **({"id": REDACTED} if "id" in entry else {})}
        else:
            out[id_type] = REDACTED
    return out


def _redact_keyed(key: str, value: Any) -> Any:
    if _norm(key) in ("visitorcustomerids", "customerids"):
        return _redact_customer_ids(value)
    return REDACTED if not isinstance(value, (dict, list)) else redact_tree(
        value, every_leaf=True)


def redact_tree(data: Any, *, every_leaf: bool = False) -> Any:
    """A copy of nested JSON data with the value of every identifier key replaced."""
    if isinstance(data, dict):
        return {k: (_redact_keyed(k, v) if isinstance(k, str) and is_identifier_key(k)
                    else redact_tree(v, every_leaf=every_leaf)) for k, v in data.items()}
    if isinstance(data, list):
        return [redact_tree(v, every_leaf=every_leaf) for v in data]
    if every_leaf and isinstance(data, str):
        return REDACTED
    return data


def redact_body(body: Any) -> Any:
    """A copy of a decoded body with every identifier replaced (in ``params`` and beyond)."""
    return redact_tree(body)


def redact_bytes(raw: bytes) -> bytes:
    """A body with identifiers replaced by key (a :class:`Redactor` also does it by value)."""
    return Redactor([]).body(raw)


def _userinfo_pattern() -> re.Pattern[str]:
    return re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<info>[^/@\s?#]+)@")


_USERINFO = _userinfo_pattern()


def display_url(text: str) -> str:
    """``text`` with the userinfo of every URL in it replaced (safe for stderr and logs)."""
    return _USERINFO.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)


class Redactor:
    """Learns what identifies someone in ``exchanges``, then redacts copies of anything."""

    def __init__(self, exchanges: Iterable[Exchange], extra: Iterable[str] = ()) -> None:
        found: set[str] = set(extra)
        for e in exchanges:
            found.update(self._learn(e))
        values = {v for v in found if len(v) >= _MIN_VALUE and v != REDACTED}
        forms = values | {quote(v, safe="") for v in values} | {quote_plus(v) for v in values}
        forms |= {json.dumps(v)[1:-1] for v in values}  # as written inside a JSON string
        ordered = sorted(forms, key=len, reverse=True)
        self.values = frozenset(values)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    @staticmethod
    def _learn(e: Exchange) -> Iterator[str]:
        for raw in (e.request_body, e.response_body, e.classic_body or b"null"):
            try:
                yield from _identifier_values(json.loads(raw))
            except (ValueError, UnicodeDecodeError):
                pass
        # A URL's password is searched for everywhere; its user name and query values are
        # replaced where they sit (common words there would break the rest: "api", "json").
        password = urlsplit(e.url).password
        if password:
            yield password
        for name, value in [*e.request_headers, *e.response_headers]:
            lname = name.lower()
            if lname == "cookie":
                yield from (c.split("=", 1)[1].strip() for c in value.split(";") if "=" in c)
            elif lname == "set-cookie" and "=" in value:
                yield value.split(";", 1)[0].split("=", 1)[1].strip()
            elif lname in _SECRET_HEADERS:
                yield value
                yield from value.split()[1:]  # the credential after "Basic"/"Bearer"
                yield from _basic_parts(value)

    def text(self, text: str) -> str:
        """``text`` with every learned value, and URL userinfo, replaced."""
        text = display_url(text)
        return self._pattern.sub(REDACTED, text) if self._pattern is not None else text

    def _json(self, data: Any) -> Any:
        return self._by_value(redact_tree(data))

    def _by_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            return {self.text(k): self._by_value(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self._by_value(v) for v in data]
        return self.text(data) if isinstance(data, str) else data

    def tree(self, data: Any) -> Any:
        """Decoded JSON (a report, metadata) redacted by key and by value."""
        return self._json(data)

    def body(self, raw: bytes) -> bytes:
        """A body redacted by key and value: JSON re-encoded compactly, other text as text."""
        try:
            decoded = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            text = raw.decode("utf-8", "replace")
            for key in REDACTED_KEYS:  # "key": "value" pairs in text that is not JSON
                text = re.sub(r'("' + re.escape(key) + r'"\s*:\s*)"(?:[^"\\]|\\.)*"',
                              lambda m: f'{m.group(1)}"{REDACTED}"', text)
            return self.text(text).encode("utf-8")
        redacted = self._json(decoded)
        if redacted == decoded:
            return raw
        return json.dumps(redacted, separators=(",", ":"), ensure_ascii=False).encode()

    def url(self, url: str) -> str:
        """No userinfo, every query value replaced, learned values replaced."""
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        query = urlencode([(k, REDACTED) for k, _ in parse_qsl(parts.query,
                                                                keep_blank_values=True)])
        return self.text(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))

    def headers(self, pairs: list[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
        """Cookies and credentials replaced, learned values too; Content-Length recomputed."""
        out = []
        for name, value in pairs:
            lname = name.lower()
            if lname == "content-length":
                value = str(body_length)
            elif lname == "cookie":
                value = "; ".join(f"{c.split('=', 1)[0].strip()}={REDACTED}" if "=" in c
                                  else REDACTED for c in value.split(";"))
            elif lname == "set-cookie":
                first, _, rest = value.partition(";")
                value = f"{first.split('=', 1)[0]}={REDACTED}" + (f";{rest}" if rest else "")
            elif lname in _SECRET_HEADERS:
                value = REDACTED
            out.append((name, self.text(value) if lname != "content-length" else value))
        return out

    def exchange(self, e: Exchange) -> Exchange:
        """A redacted copy of ``e`` (the original is untouched)."""
        request, response = self.body(e.request_body), self.body(e.response_body)
        return dataclasses.replace(
            e, url=self.url(e.url), request_body=request, response_body=response,
            request_headers=self.headers(e.request_headers, len(request)),
            response_headers=self.headers(e.response_headers, len(response)),
            error=self.text(e.error) if e.error else e.error,
            # An Edge exchange's classic event (spec §9) holds the same ids.
            classic_body=None if e.classic_body is None else self.body(e.classic_body),
            field_errors=[(self.text(k), self.text(r)) for k, r in e.field_errors],
            findings=[dataclasses.replace(f, message=self.text(f.message)) for f in e.findings
                      if isinstance(f, Finding)])

    def exchanges(self, exchanges: Iterable[Exchange]) -> list[Exchange]:
        """Redacted copies, in order."""
        return [self.exchange(e) for e in exchanges]

    def case(self, case: JUnitCase) -> JUnitCase:
        """A JUnit case with every line (and its error) redacted by value."""
        return dataclasses.replace(
            case, name=self.text(case.name), source=self.text(case.source),
            error=self.text(case.error) if case.error else case.error,
            expectations=tuple(map(self.text, case.expectations)),
            failed=tuple(map(self.text, case.failed)), summary=tuple(map(self.text, case.summary)))


def _basic_parts(value: str) -> Iterator[str]:
    scheme, _, credential = value.partition(" ")
    if scheme.lower() != "basic" or not credential:
        return
    try:
        _, _, password = base64.b64decode(credential).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return
    if password:
        yield password
