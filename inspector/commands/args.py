"""Argument types the front ends share: one message for one mistake."""

from __future__ import annotations

import argparse
from typing import Callable

__all__ = ["positive"]


def positive(what: str = "number") -> Callable[[str], float]:
    """An argparse type for a number above 0, named ``what`` in its error message."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = 0.0
        if not value > 0:  # also refuses nan
            raise argparse.ArgumentTypeError(f"expected a positive {what}, not {text!r}")
        return value

    return parse
