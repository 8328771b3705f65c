"""The quick (orjson) decode of request bodies agrees with the strict one, or steps aside."""

from __future__ import annotations

import json
import random
import struct

from inspector.server import strict_json

EDGES = [
    b"\xef\xbb\xbf{}", b" {} ", b'{"a":"\x00"}', b'{"a":"\xed\xa0\x80"}', b'{"a":1e-400}',
    b'{"a":-0.0}', b'{"a":-0}', b'{"a":1e308}', b'{"a":1e400}', b'{"a":-1e400}', b'{"a":1E+2}',
    b'{"a":123456789012345678.123456789012345678}', b'{"a":0.1}', b'{"a":1,"b":2,"a":3}',
    b'{"a":"\\u0000"}', b'"x"', b'{"a":"\\udc00\\ud800"}', b'{"a":"\\ud800"}', b'{"a":"\t"}',
    b'{"a":1}\n', b'{"a":1} x', b'{"\\ud83d\\ude00":1}', b'{"a":-9223372036854775808}',
    b'{"a":9223372036854775807}', b'{"a":9223372036854775808}', b'{"a":18446744073709551616}',
    b'{"a":999999999999999999}', b'{"a":999999999999999999e10}', b'{"a":NaN}',
    b'{"a":Infinity}', b'{"a":-Infinity}', b'{"a":01}', b'{"a":1.}', b'{"a":.5}', b'{"a":+1}',
    b'{"a":true,"b":null,"c":[1,[2,{"d":"e"}]]}', b"[" * 33 + b"]" * 33, b"[" * 20 + b"]" * 20,
    b'{"a":"\xff"}', b'{"a":"caf\xc3\xa9"}', b"", b"   ", b"{", b'{"a":1,}', b"[1,]",
    b'{"a":"\\x41"}', b'{"a":1e5}', b'{"a":-1.5E-3}', b'{"a": 0e0}', b"1" * 18, b"1" * 19,
]


def _strict(raw: bytes) -> tuple[str, object]:
    try:
        return "ok", strict_json.loads(raw.decode("utf-8"), raw)
    except (UnicodeDecodeError, ValueError) as exc:  # JsonRefused and JSONDecodeError too
        return "refused", type(exc)


def _typed(value: object) -> object:
    """``value`` with each number's type beside it (1 and 1.0 must not pass as equal)."""
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float):
        return ("float", struct.pack("<d", value))  # -0.0 differs from 0.0
    return (type(value).__name__, value)


def _agrees(raw: bytes) -> bool:
    quick = strict_json.quick_loads(raw)
    if quick is strict_json.UNSURE:
        return False
    outcome, strict = _strict(raw)
    assert outcome == "ok", raw
    assert _typed(quick) == _typed(strict), raw
    return True


def test_edge_cases_agree_or_go_to_the_strict_decoder() -> None:
    quick = [raw for raw in EDGES if _agrees(raw)]
    assert b'{"a":1,"b":2,"a":3}' in quick and b'{"a":-0.0}' in quick
    for refused in (b'{"a":1e400}', b'{"a":NaN}', b'{"a":9223372036854775808}',
                    b'{"a":18446744073709551616}', b'{"a":"\\udc00\\ud800"}',
                    b"[" * 33 + b"]" * 33):
        assert strict_json.quick_loads(refused) is strict_json.UNSURE


def test_random_numbers_decode_to_the_same_values() -> None:
    rng = random.Random(12)
    texts: list[str] = []
    for _ in range(3000):
        bits = rng.getrandbits(64)
        value = struct.unpack("<d", bits.to_bytes(8, "little"))[0]
        texts.append(json.dumps(value) if value == value and abs(value) != float("inf")
                     else "0")
        texts.append(f"{rng.randint(0, 10**18)}.{rng.randint(0, 10**18)}"
                     f"e{rng.randint(-330, 330)}")
        texts.append(str(rng.randint(-(10**18) + 1, 10**18 - 1)))
        texts.append(f"{rng.random() * 10 ** rng.randint(-20, 20):.{rng.randint(0, 17)}f}")
    decoded = sum(_agrees(f'{{"playerTime":{{"playhead":{t},"ts":1}}}}'.encode())
                  for t in texts)
    assert decoded > len(texts) // 2  # most took the quick path


def test_every_plain_ping_is_valid_under_the_ping_schema() -> None:
    """The check that skips the schema for plain pings only passes what the schema passes."""
    from inspector.protocol.schemas import full_validation
    from inspector.server.validation import _plain_ping
    values: list[object] = [0, 0.0, -0.0, 1.5, 10**15, -1, -0.5, True, False, None, "1", [1],
                            {}, 2**62]
    bodies: list[object] = [[], "ping", {"eventType": "ping"}]
    for playhead in values:
        for ts in values:
            bodies.append({"playerTime": {"playhead": playhead, "ts": ts}, "eventType": "ping"})
            bodies.append({"eventType": "ping", "playerTime": {"ts": ts, "playhead": playhead}})
            bodies.append({"playerTime": {"playhead": playhead, "ts": ts}, "eventType": "play"})
            bodies.append({"playerTime": {"playhead": playhead, "tz": ts}, "eventType": "ping"})
            bodies.append({"playerTime": {"playhead": playhead}, "eventType": "ping", "x": 1})
    plain = [b for b in bodies if _plain_ping(b)]
    assert len(plain) >= 8
    for body in plain:
        assert full_validation("ping", body) == [], body
