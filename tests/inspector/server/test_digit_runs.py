"""The quick decoder's scan: its 19-digit run is the regex ``[0-9]{19}`` and its bracket count
that of ``[`` and ``{``, byte for byte."""

from __future__ import annotations

import random
import re

from inspector.server.strict_json import (
    MAX_DEPTH,
    UNSURE,
    has_long_digit_run,
    opening_brackets,
    quick_loads,
)

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


def test_the_bracket_count_is_that_of_both_brackets_on_random_and_edge_bytes() -> None:
    rnd = random.Random(13)
    alphabet = b"[]{}()<>0123456789\"\\ \x00\xff\x5b\x7b\xdb\xfb"
    cases = [b"", b"[" * 40, b"{" * 40, b"[{" * 20, "[\u00fb{".encode()]
    cases += [bytes(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 80)))
              for _ in range(20000)]
    for raw in cases:
        assert opening_brackets(raw) == raw.count(b"[") + raw.count(b"{"), raw


def test_more_brackets_than_max_depth_even_in_a_string_are_left_to_the_strict_decoder() -> None:
    within = b'{"a": "' + b"{" * (MAX_DEPTH - 2) + b'"}'  # MAX_DEPTH - 1 in all
    assert quick_loads(within) == {"a": "{" * (MAX_DEPTH - 2)}
    assert quick_loads(within.replace(b'"a"', b'"["')) == {"[": "{" * (MAX_DEPTH - 2)}
    assert quick_loads(within.replace(b'"a"', b'"[["')) is UNSURE
