"""Findings: what the advisor (and the client) say about an event, with a stable code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Severity", "Finding"]


class Severity(str, Enum):
    """How much a finding matters; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return ("info", "warning", "error").index(self.value)


@dataclass(frozen=True)
class Finding:
    """One observation about an event: stable code, severity, advice and a spec reference."""

    code: str
    severity: Severity
    message: str
    spec: str = ""  # e.g. "§3.1 rule 2"

    def __str__(self) -> str:
        return f"[{self.severity.value}] {self.code}: {self.message}"
