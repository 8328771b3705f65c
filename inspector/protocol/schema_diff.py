"""Compare two JSON Schemas of one event type field by field (schema sync, issue 17).

Our schemas come from the catalogue (our reading of Adobe's documents, spec §1.5, §4); a
target serves its own at ``GET /api/v1/schemas/{eventType}``. Both are flattened into one
entry per field path (``params › media.ad.id``), following local ``$ref``s, and the entries
are compared: fields only one side has, and for a field both have: type, required,
enum, minimum, and whether undeclared keys are allowed (``additionalProperties``).
Descriptions, ``id`` and ``$schema`` are not compared: they do not change what is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Difference", "FieldFacts", "diff_schemas", "flatten_schema"]

_SEP = " › "
_MAX_DEPTH = 16  # a $ref cycle or a hostile schema stops here


@dataclass(frozen=True)
class FieldFacts:
    """What a schema says about one field."""

    type: str | None = None
    required: bool = False
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    closed: bool | None = None  # objects: additionalProperties false (None: not an object)


@dataclass(frozen=True)
class Difference:
    """One way the target's schema differs from ours, for one field."""

    path: str  # "" is the body itself
    what: str  # "missing", "added", "type", "required", "enum", "minimum", "closed"
    ours: Any
    theirs: Any

    def __str__(self) -> str:
        where = self.path or "(the body)"
        if self.what == "missing":
            return f"{where}: in our catalogue, not in the target's schema"
        if self.what == "added":
            return f"{where}: in the target's schema, not in our catalogue"
        if self.what == "required":
            return (f"{where}: {'required' if self.theirs else 'optional'} for the target, "
                    f"{'required' if self.ours else 'optional'} for us")
        if self.what == "closed":
            return (f"{where}: the target {'refuses' if self.theirs else 'allows'} keys it "
                    f"does not list; we {'refuse' if self.ours else 'allow'} them")
        return f"{where}: {self.what} is {self.theirs!r} for the target, {self.ours!r} for us"


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    for _ in range(_MAX_DEPTH):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        if target is None:
            return node
        merged = {k: v for k, v in node.items() if k != "$ref"}
        node = {**target, **merged} if isinstance(target, dict) else target
    return node


def _type_of(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        return "|".join(sorted(str(k) for k in kind))
    return kind if isinstance(kind, str) else None


def _facts(node: dict[str, Any], required: bool) -> FieldFacts:
    enum = node.get("enum")
    minimum = node.get("minimum")
    is_object = _type_of(node) == "object" or "properties" in node
    extra = node.get("additionalProperties", True)
    return FieldFacts(
        type=_type_of(node), required=required,
        enum=tuple(enum) if isinstance(enum, list) else None,
        minimum=minimum if isinstance(minimum, (int, float)) else None,
        closed=(extra is False) if is_object else None)


def flatten_schema(schema: dict[str, Any]) -> dict[str, FieldFacts]:
    """Every field path of ``schema`` with its facts; the body itself is the path ""."""
    out: dict[str, FieldFacts] = {}

    def walk(node: Any, path: str, required: bool, depth: int) -> None:
        node = _resolve(node, schema)
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            return
        out[path] = _facts(node, required)
        listed = node.get("required")
        needed: list[Any] = listed if isinstance(listed, list) else []
        properties = node.get("properties")
        if isinstance(properties, dict):
            for key, child in properties.items():
                walk(child, f"{path}{_SEP}{key}" if path else str(key), key in needed,
                     depth + 1)

    walk(schema, "", True, 0)
    return out


def _tops(paths: list[str]) -> list[str]:
    """``paths`` without those inside another of them (a missing object, not its fields)."""
    return [p for p in paths if not any(p.startswith(f"{q}{_SEP}") for q in paths if q)]


def diff_schemas(ours: dict[str, Any], theirs: dict[str, Any]) -> list[Difference]:
    """How ``theirs`` differs from ``ours``: our fields in order, then the target's extras."""
    a, b = flatten_schema(ours), flatten_schema(theirs)
    missing = set(_tops([p for p in a if p not in b]))
    found: list[Difference] = []
    for path, mine in a.items():
        if path in missing:
            found.append(Difference(path, "missing", mine.type, None))
        elif path in b:
            other = b[path]
            found.extend(Difference(path, name, getattr(mine, name), getattr(other, name))
                         for name in ("type", "required", "enum", "minimum", "closed")
                         if getattr(mine, name) != getattr(other, name))
    found.extend(Difference(path, "added", None, b[path].type)
                 for path in _tops([p for p in b if p not in a]))
    return found
