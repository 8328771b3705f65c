"""Argument types the front ends share: one message for one mistake."""

from __future__ import annotations

import argparse
from typing import Callable

__all__ = ["positive", "add_dialect_arguments"]


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


def add_dialect_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dialect {classic,edge}`` and ``--config-id``: which wire format (spec §9)."""
    from ..profile import SAMPLE_DATASTREAM_ID, datastream_problem

    def config_id(text: str) -> str:
        problem = datastream_problem(text)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem.removesuffix(" Nothing was switched."))
        return text.strip()

    parser.add_argument("--dialect", choices=("classic", "edge"), default="classic",
                        help="wire format: classic /api/v1 or the Media Edge API "
                             "/ee/va/v1/{event} (spec §9; default classic)")
    parser.add_argument("--config-id", default=SAMPLE_DATASTREAM_ID, metavar="ID", type=config_id,
                        help="the Edge datastream id, sent as ?configId= (edge dialect; "
                             "default a sample id the embedded backend takes)")
