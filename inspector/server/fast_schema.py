"""A yes/no answer to "is this body valid?" at a fraction of jsonschema's cost.

Profiling ``serve`` under load showed jsonschema's ``iter_errors`` taking most of each
event's time (issue 12). Valid bodies are the common case, and for them only the verdict
matters; a body this says no to goes on to jsonschema, whose errors make the 400 message.

``compile_schema`` turns a draft-04 schema into nested predicates, for exactly the keywords
our catalogue's schemas use; any other keyword makes it refuse (NotImplementedError), so
an unknown construct never turns into a wrong "valid". A hypothesis test checks it agrees
with jsonschema's Draft4Validator on generated bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["Predicate", "compile_schema"]

Predicate = Callable[[Any], bool]
_IGNORED = frozenset({"description", "$schema", "id", "definitions", "title"})
# Bodies come from json.loads, so values have exactly these types (no subclasses).
_EXACT: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "null": (type(None),),
    "integer": (int,),  # draft 4: 1.0 is a number but not an integer; True is neither
    "number": (int, float),
}


def _exactly(types: tuple[type, ...]) -> Predicate:
    if len(types) == 1:
        only = types[0]
        return lambda v: type(v) is only
    allowed = frozenset(types)
    return lambda v: type(v) in allowed


_TYPES: dict[str, Predicate] = {name: _exactly(types) for name, types in _EXACT.items()}


def compile_schema(schema: dict[str, Any]) -> Predicate:
    """A predicate true exactly when ``schema`` (draft 04, local ``$ref`` only) holds."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self._root = root

    def compile(self, schema: Any) -> Predicate:
        if not isinstance(schema, dict):
            raise NotImplementedError(f"schema {schema!r}")
        if "$ref" in schema:  # draft 4: siblings of $ref are ignored
            return self.compile(self._resolve(schema["$ref"]))
        unknown = set(schema) - _IGNORED - {"type", "properties", "required", "enum",
                                            "additionalProperties", "patternProperties",
                                            "minimum"}
        if unknown:
            raise NotImplementedError(f"keywords {sorted(unknown)}")
        leaf = _leaf(schema)
        if leaf is not None:
            return leaf
        checks = [check for check in (self._type(schema), self._enum(schema),
                                      self._minimum(schema), self._object(schema)) if check]
        return _all_of(checks)

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise NotImplementedError(f"$ref {ref}")
        target: Any = self._root
        for part in ref[2:].split("/"):
            target = target[part]
        return target

    def _type(self, schema: dict[str, Any]) -> Predicate | None:
        if "type" not in schema:
            return None
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        tests = [_TYPES[name] for name in names]
        if len(tests) == 1:
            return tests[0]
        return lambda value: any(test(value) for test in tests)

    def _enum(self, schema: dict[str, Any]) -> Predicate | None:
        if "enum" not in schema:
            return None
        allowed = list(schema["enum"])
        if all(isinstance(a, str) for a in allowed):
            texts = frozenset(allowed)
            return lambda value: type(value) is str and value in texts
        return lambda value: any(_equal(value, a) for a in allowed)

    def _minimum(self, schema: dict[str, Any]) -> Predicate | None:
        if "minimum" not in schema:
            return None
        low = schema["minimum"]
        return lambda value: not _TYPES["number"](value) or value >= low

    def _object(self, schema: dict[str, Any]) -> Predicate | None:
        keys = ("properties", "required", "additionalProperties", "patternProperties")
        if not any(k in schema for k in keys):
            return None
        properties = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        patterns = [(re.compile(p), self.compile(v))
                    for p, v in schema.get("patternProperties", {}).items()]
        extra = schema.get("additionalProperties", True)
        other: Predicate | None = None if extra is True else (
            (lambda _: False) if extra is False else self.compile(extra))

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True  # "properties" and friends only apply to objects
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                known = properties.get(key)
                matched = False
                if known is not None:
                    if not known(item):
                        return False
                    matched = True
                for pattern, test in patterns:
                    if pattern.search(key):
                        if not test(item):
                            return False
                        matched = True
                if not matched and other is not None and not other(item):
                    return False
            return True
        return check


def _leaf(schema: dict[str, Any]) -> Predicate | None:
    """One fast predicate for the common leaves: a type, with a minimum or a string enum."""
    keys = set(schema) - _IGNORED
    kind = schema.get("type")
    if not isinstance(kind, str) or kind not in _EXACT or not keys <= {"type", "minimum",
                                                                         "enum"}:
        return None
    if keys == {"type"}:
        return _TYPES[kind]
    if keys == {"type", "minimum"} and kind in ("integer", "number"):
        low = schema["minimum"]
        if kind == "integer":
            return lambda v: type(v) is int and v >= low
        return lambda v: (type(v) is float or type(v) is int) and v >= low
    enum: list[Any] = schema.get("enum") or []
    if keys == {"type", "enum"} and kind == "string" and all(isinstance(a, str) for a in enum):
        texts = frozenset(enum)
        return lambda v: type(v) is str and v in texts
    return None


def _all_of(checks: list[Predicate]) -> Predicate:
    """One predicate for all of ``checks``, without a loop for the usual one or two."""
    if not checks:
        return lambda _: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: booleans are not numbers, 1 equals 1.0."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if _TYPES["number"](one) and _TYPES["number"](two):
        return bool(one == two)
    return type(one) is type(two) and bool(one == two)
