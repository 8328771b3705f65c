"""The 400 explainer (issue 17): a target's 400 matched to the body fields it names.

A 400's words are matched to the field they name and paired with the rule that field has in
our catalogue's schema (``protocol/schemas.py``), so the window can show the rule on the field.

- **Classic** (spec §1.3): the answer is ``{"message": "..."}``. Our embedded backend writes
  ``"<event> failed validation: <path>: <reason>; <path>: <reason>"`` (paths dotted, with the
  parameter key whole: ``params.media.ad.podIndex``). Other backends' common shapes are read
  too: Python jsonschema's ``'x' is a required property``, ``Additional properties are not
  allowed ('y' was unexpected)``, ``'z' is not of type 'integer'`` (with a dotted path before
  a colon, ``at``/``in`` a path after, ``On instance['a']['b']``, or a JSON pointer
  ``#/a/b``), and Java validators' ``required key [x] not found``, ``extraneous key [y]``,
  ``expected type: Integer, found: String``. A message that names no field gives no item.
- **Edge** (spec §9): ``report.details[].name`` (JSONPath) is the field, ``reason`` its
  message (a 400 problem, or a 207's ``errors[]`` on sessionStart); the rule is that of the
  classic key it stands for (``classic_field``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .exchange import Exchange
from .protocol.catalogue import EVENT_NAMES, PARAMS, Location
from .protocol.edge import classic_field, problem_details
from .protocol.schemas import schema_for

__all__ = ["Explained", "explain", "explain_exchange", "classic_message_items",
           "schema_rule", "spec_section", "kind_of", "field_parts", "field_span"]

_TOP = ("params", "qoeData", "customMetadata", "playerTime", "eventType")


@dataclass(frozen=True)
class Explained:
    """One field a 400 names: where it is in the body sent, its schema rule, the target's
    words. ``classic`` is the same field in the classic body (``params.media.id``), which is
    what the composer's form edits; ``key`` the parameter key when it is one."""

    field: str
    rule: str
    message: str
    classic: str
    kind: str = ""  # required, type, additionalProperties, enum, minimum, pattern or ""

    @property
    def key(self) -> str | None:
        """The params/qoeData key (``media.id``), None for envelope fields."""
        head, _, rest = self.classic.partition(".")
        return rest if head in ("params", "qoeData") and rest else None


# ---------------------------------------------------------------- kinds of failure

_KINDS = (
    ("required", re.compile(r"required|is missing|not found|missing", re.I)),
    ("additionalProperties", re.compile(r"not allowed|unexpected|extraneous|not permitted|"
                                        r"not defined in the schema", re.I)),
    ("type", re.compile(r"expected (?:type: )?\w+, (?:got|found)|is not of type|"
                        r"found, \w+ expected|expected \w+$", re.I)),
    ("enum", re.compile(r"one of|enum", re.I)),
    ("minimum", re.compile(r">=|minimum", re.I)),
    ("pattern", re.compile(r"must match|pattern", re.I)),
)


def kind_of(reason: str) -> str:
    """The schema keyword a failure's words describe (``required``…), "" when none fits."""
    for kind, words in _KINDS:
        if words.search(reason):
            return kind
    return ""


# ---------------------------------------------------------------- classic messages

# Where one failure ends in our backend's "; "-joined list: before the next "path: ".
_PIECE_SPLIT = re.compile(r";\s+(?=(?:params|qoeData|customMetadata|playerTime|eventType)"
                          r"\b[\w.\[\]]*:\s)")
_PATH_FIRST = re.compile(r"^\$?\.?(?P<path>(?:params|qoeData|customMetadata|playerTime|"
                         r"eventType)\b[^:\s]*|#?/[^:\s]*|[A-Za-z_][\w.]*)\s*:\s+(?P<rest>.+)$",
                         re.S)
_PATH_AFTER = re.compile(r"\s+(?:at|in|on)\s+(?:path\s+)?['\"]?(?P<path>(?:\$\.)?(?:params|"
                         r"qoeData|customMetadata|playerTime)[^\s'\"]*|#?/[^\s'\"]+)['\"]?")
_ON_INSTANCE = re.compile(r"On instance((?:\[[^\]]+\])+)")
_QUOTED = r"""['"\[]([^'"\]]+)['"\]]"""
_REQUIRED = re.compile(_QUOTED + r" is a required property|required key \[([^\]]+)\]")
_UNEXPECTED = re.compile(r"\(((?:'[^']+'(?:,\s*)?)+) (?:was|were) unexpected\)|"
                         r"extraneous key \[([^\]]+)\]")
_SUBJECT = re.compile(r"^(?P<event>\w+) failed validation:\s*")


def classic_message_items(message: str) -> list[tuple[str, str]]:
    """(classic body path, reason) for each failure a classic 400 message names."""
    text = _SUBJECT.sub("", message.strip())
    text = re.sub(r"\s*\(and \d+ more\)$", "", text)
    found: list[tuple[str, str]] = []
    for piece in _PIECE_SPLIT.split(text):
        found += _piece_items(piece.strip())
    return found


def _piece_items(piece: str) -> list[tuple[str, str]]:
    path, reason = _located(piece)
    required = _REQUIRED.search(reason)
    if required:
        key = required.group(1) or required.group(2)
        return [(_join(path, key), reason)]
    unexpected = _UNEXPECTED.search(reason)
    if unexpected:
        names = re.findall(r"'([^']+)'", unexpected.group(1)) if unexpected.group(1) \
            else [unexpected.group(2)]
        return [(_join(path, name), reason) for name in names]
    return [(path, reason)] if path else []


def _located(piece: str) -> tuple[str, str]:
    """(path, reason) of one failure; the path "" when the words give none."""
    instance = _ON_INSTANCE.search(piece)
    if instance:
        parts = re.findall(r"\[['\"]?([^'\"\]]+)['\"]?\]", instance.group(1))
        return _normal(".".join(parts)), piece[:instance.start()].strip()
    after = _PATH_AFTER.search(piece)
    if after:
        return _normal(after.group("path")), (piece[:after.start()] + piece[after.end():]).strip()
    first = _PATH_FIRST.match(piece)
    if first and (_looks_like_path(first.group("path"))
                  or kind_of(first.group("rest")) == "additionalProperties"):
        return _normal(first.group("path")), first.group("rest").strip()
    return "", piece


def _looks_like_path(text: str) -> bool:
    head = re.split(r"[./]", text.lstrip("#/$."), maxsplit=1)[0]
    return head in _TOP or text.startswith(("#/", "/")) or text in ("body",)


def _normal(path: str) -> str:
    """A dotted classic path from a dotted path or JSON pointer (keys keep their dots)."""
    path = path.strip().lstrip("$").lstrip(".")
    if path.startswith(("#/", "/")):
        path = ".".join(p for p in path.lstrip("#").split("/") if p)
    return "" if path in ("body", "#") else path


def _join(path: str, key: str) -> str:
    """``path.key``; a bare catalogue key goes where the catalogue puts it (params/qoeData)."""
    if path:
        return f"{path}.{key}"
    located = next((p.location.value for p in PARAMS if p.key == key), None)
    return f"{located}.{key}" if located else key


# ---------------------------------------------------------------- schema rules

_SECTIONS = (("analytics.", "§4.1"), ("visitor.", "§4.1"), ("appInstallationId", "§4.1"),
             ("media.ad.", "§4.3"), ("media.chapter.", "§4.4"), ("media.state.", "§4.4"),
             ("media.error", "§4.5"), ("media.qoe.", "§4.6"), ("media.", "§4.2"))


def spec_section(classic: str) -> str:
    """The spec section a classic body path is described in (``params.media.id`` → §4.2)."""
    head, _, key = classic.partition(".")
    if head == "playerTime":
        return "§2.2"
    if head == "eventType":
        return "§3"
    if head == "customMetadata":
        return "§5"
    if head == "qoeData":
        return "§4.6"
    if head == "params" and key:
        return next((s for prefix, s in _SECTIONS if key.startswith(prefix)), "§4")
    return "§2.1"


def schema_rule(event_type: str, classic: str, kind: str = "") -> str:
    """The rule our catalogue's schema has for ``classic`` on ``event_type``, in words."""
    if event_type not in EVENT_NAMES:
        return f"eventType must be one of the {len(EVENT_NAMES)} event types (spec §3)"
    definition = schema_for(event_type)["definitions"]
    body = definition[event_type]
    head, _, key = classic.partition(".")
    where = spec_section(classic)
    if head not in body["properties"]:
        allowed = ", ".join(body["properties"])
        return (f"{event_type} takes no {head or 'such key'}: its body has only {allowed} "
                f"(additionalProperties false, spec {where})")
    if head == "customMetadata":
        return ("customMetadata values are strings, keys match [a-zA-Z0-9_.] "
                f"(spec {where})")
    container = definition[head] if head in ("playerTime", "qoeData") else \
        body["properties"][head]
    if not key:
        return _container_rule(event_type, head, container, where)
    properties = container.get("properties", {})
    if key not in properties:
        return (f"{key} is not a {head} key of {event_type} (additionalProperties false; "
                f"its keys come from the catalogue, spec {where})")
    return _field_rule(event_type, head, key, properties[key], container, where, kind)


def _container_rule(event_type: str, head: str, container: Mapping[str, Any],
                    where: str) -> str:
    if head == "eventType":
        return f"eventType is the string {event_type!r} (spec {where})"
    required = container.get("required") or []
    need = f"requires {', '.join(required)}" if required else "has no required keys"
    return f"{head} of {event_type} is an object that {need} (spec {where})"


def _field_rule(event_type: str, head: str, key: str, schema: Mapping[str, Any],
                container: Mapping[str, Any], where: str, kind: str) -> str:
    required = key in (container.get("required") or [])
    words = [f"{head}.{key} is {'required' if required else 'optional'} on {event_type}"]
    if "type" in schema:
        words.append(f"type {schema['type']}")
    if "minimum" in schema:
        words.append(f"minimum {schema['minimum']:g}")
    rule = ", ".join(words)
    if kind == "required" and not required:
        rule += " (the target requires it)"
    return f"{rule} (spec {where})"


# ---------------------------------------------------------------- matching


def explain(event_type: str, status: int | None, response: bytes | str | Any,
            dialect: str = "classic") -> list[Explained]:
    """The fields a 400 (or an Edge 207) names, each with its rule; [] for other answers."""
    if status not in (400, 207) or (status == 207 and dialect != "edge"):
        return []
    data = _decoded(response)
    if dialect == "edge":
        return _edge_items(event_type, problem_details(data))
    message = data.get("message") if isinstance(data, Mapping) else data
    if not isinstance(message, str):
        return []
    return _unique(_item(event_type, path, reason, path)
                   for path, reason in classic_message_items(message))


def explain_exchange(exchange: Exchange) -> list[Explained]:
    """:func:`explain` for a logged exchange (its classic event type and dialect)."""
    return explain(exchange.event_type, exchange.status, exchange.response_body,
                   exchange.dialect)


def _decoded(response: bytes | str | Any) -> Any:
    if isinstance(response, (bytes, str)):
        try:
            return json.loads(response)
        except ValueError:
            return response.decode("utf-8", "replace") if isinstance(response, bytes) \
                else response
    return response


def _edge_items(event_type: str, details: list[tuple[str, str]]) -> list[Explained]:
    items = []
    for name, reason in details:
        classic = _classic_path(event_type, name)
        field = _edge_name(name)
        items.append(_item(event_type, classic or "", reason, field))
    return _unique(items)


def _edge_name(name: str) -> str:
    """A problem's JSONPath as the body has it: ``events[0].xdm…`` (a 207 says ``$.xdm…``)."""
    rest = name.strip().removeprefix("$").removeprefix(".")
    return rest if rest.startswith("events[") or not rest.startswith("xdm") else \
        f"events[0].{rest}"


def _classic_path(event_type: str, edge_name: str) -> str | None:
    key = classic_field(edge_name)
    if key is None or key in _TOP or key.startswith("playerTime."):
        return key
    located = next((p.location for p in PARAMS if p.key == key), Location.PARAMS)
    qoe = located is Location.QOE or "qoeDataDetails" in edge_name
    return f"{'qoeData' if qoe else 'params'}.{key}"


def _item(event_type: str, classic: str, reason: str, field: str) -> Explained:
    kind = kind_of(reason)
    rule = schema_rule(event_type, classic, kind) if classic else \
        f"{field} has no classic counterpart, so no catalogue rule (spec §9)"
    return Explained(field or classic, rule, reason, classic, kind)


def _unique(items: Iterable[Explained]) -> list[Explained]:
    seen: dict[tuple[str, str], Explained] = {}
    for item in items:
        seen.setdefault((item.field, item.message), item)
    return list(seen.values())



def field_parts(field: str) -> list[str]:
    """The keys along a field's path: a classic path keeps its parameter key whole
    (``params.media.ad.id`` → params, media.ad.id); a JSONPath drops array indices."""
    head, _, rest = field.partition(".")
    if head in _TOP:
        return [head, rest] if rest else [head]
    return [p for p in re.split(r"\.|\[\d+\]", field) if p]


def field_span(text: str, field: str) -> tuple[int, int] | None:
    """Where the field's key is in pretty-printed JSON ``text`` (quotes included); the
    nearest enclosing key that is there when it is not (a missing required key's object)."""
    span, position = None, 0
    for part in field_parts(field):
        found = re.compile(re.escape(json.dumps(part)) + r"\s*:").search(text, position)
        if found is None:
            break
        span = (found.start(), found.start() + len(json.dumps(part)))
        position = found.end()
    return span
