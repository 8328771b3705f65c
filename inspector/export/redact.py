"""Redaction of visitor and org identifiers in request bodies (for sharing exports)."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["REDACTED", "REDACTED_KEYS", "redact_body", "redact_bytes", "redact_tree"]

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
_STRING_VALUE = re.compile(
    r'("(?:' + "|".join(re.escape(k) for k in REDACTED_KEYS) + r')"\s*:\s*)"(?:[^"\\]|\\.)*"')


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


def redact_body(body: Any) -> Any:
    """A copy of a decoded body with every identifier in ``params`` replaced."""
    if not isinstance(body, dict) or not isinstance(body.get("params"), dict):
        return body
    if not any(key in body["params"] for key in REDACTED_KEYS):
        return body
    params = dict(body["params"])
    for key in (k for k in REDACTED_KEYS if k in params):
        params[key] = (_redact_customer_ids(params[key]) if key == "visitor.customerIDs"
                       else REDACTED)
    return {**body, "params": params}


def redact_bytes(raw: bytes) -> bytes:
    """A request body with identifiers replaced; JSON is re-encoded compactly.

    A body that is not JSON (raw mode lets users send anything) gets a textual
    replacement of string values of the same keys, so nothing identifying slips through.
    """
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        text = raw.decode("utf-8", "replace")
        return _STRING_VALUE.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text).encode()
    redacted = redact_body(body)
    if redacted is body:
        return raw
    return json.dumps(redacted, separators=(",", ":"), ensure_ascii=False).encode()


def redact_tree(data: Any) -> Any:
    """A copy of nested JSON data with the value of every identifier key replaced."""
    if isinstance(data, dict):
        return {k: (_redact_customer_ids(v) if k == "visitor.customerIDs"
                    else REDACTED if k in REDACTED_KEYS else redact_tree(v))
                for k, v in data.items()}
    if isinstance(data, list):
        return [redact_tree(v) for v in data]
    return data
