"""The quick decoder's test for a 19-digit run is the regex ``[0-9]{19}``, byte for byte."""

from __future__ import annotations

import random
import re

from inspector.server.strict_json import UNSURE, has_long_digit_run, quick_loads

_REGEX = re.compile(rb"[0-9]{19}")


def test_digit_run_agrees_with_the_regex_on_random_and_edge_bytes() -> None:
    rnd = random.Random(12)
    alphabet = b"0123456789" * 6 + b"/:.-e+ \x00\xff\xb0\xb9\x39\x30\"{}"
    cases = [b"", b"1" * 18, b"1" * 19, b"x" + b"9" * 19 + b"x", b"0" * 18 + b"/" + b"0",
             b"1" * 18 + b":" + b"1", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩".encode()]  # Arabic digits: not [0-9]
    for _ in range(20000):
        cases.append(bytes(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 60))))
    for raw in cases:
        assert has_long_digit_run(raw) == (_REGEX.search(raw) is not None), raw
    assert sum(has_long_digit_run(raw) for raw in cases) > 100  # both answers were seen


def test_a_19_digit_integer_is_left_to_the_strict_decoder() -> None:
    assert quick_loads(b'{"ts": 1234567890123456789}') is UNSURE
    assert quick_loads(b'{"ts": 123456789012345678}') == {"ts": 123456789012345678}
