"""Problems found in a scenario file, each with file, line and what to write instead."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

__all__ = ["Problem", "ScenarioError", "closest"]


def closest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' for a near miss, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file."""

    file: str
    line: int  # 1-based; 0 when unknown
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" + (f" — {self.hint}" if self.hint else "")


class ScenarioError(Exception):
    """A scenario file that cannot run; :attr:`problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
