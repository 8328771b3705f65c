"""The status bar's problem counter: errors and warnings, in the words the log uses.

Errors are ERROR findings (an ad outside a break: Adobe ignores it, spec §3.1), calls that got
no usable answer (connection refused, DNS, timeout) and answers of 400 and above; warnings are
WARNING findings. Each call counts once, however often its row changes or is resent.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Severity

__all__ = ["ProblemCounter"]

_FINAL = (ExchangeState.DONE, ExchangeState.FAILED)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class ProblemCounter(QLabel):
    """``N errors · M warnings``; ``kind`` is "error", "warning" or "" for the style sheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warning-counter")
        self.setToolTip("Errors: ERROR findings, calls with no usable answer, statuses of 400 "
                        "and above. Warnings: WARNING findings. Tick “With warnings” in the "
                        "log to list them.")
        self.errors = self.warnings = 0
        self._in_flight: set[int] = set()  # seqs whose answer is still to come
        self._show()

    def reset(self) -> None:
        self.errors = self.warnings = 0
        self._in_flight.clear()
        self._show()

    def added(self, exchanges: list[Exchange]) -> None:
        """New rows: count their findings; watch for their answers."""
        for exchange in exchanges:
            if exchange.attempt > 1:
                continue
            worst = exchange.worst_severity
            if worst is Severity.ERROR:
                self.errors += 1
            elif worst is Severity.WARNING:
                self.warnings += 1
            self._in_flight.add(exchange.seq)
            self._answered(exchange, worst)
        self._show()

    def changed(self, exchanges: list[Exchange]) -> None:
        """Rows that moved on: an answer that is a failure counts as an error, once."""
        for exchange in exchanges:
            self._answered(exchange, exchange.worst_severity)
        self._show()

    def _answered(self, exchange: Exchange, worst: Severity | None) -> None:
        if exchange.seq not in self._in_flight or exchange.state not in _FINAL:
            return
        self._in_flight.discard(exchange.seq)
        failed = exchange.state is ExchangeState.FAILED or (exchange.status or 0) >= 400
        if failed and worst is not Severity.ERROR:  # one error per call, not two
            self.errors += 1
            if worst is Severity.WARNING:
                self.warnings -= 1

    def _show(self) -> None:
        self.setText(f"{_plural(self.errors, 'error')} · {_plural(self.warnings, 'warning')}")
        kind = "error" if self.errors else "warning" if self.warnings else ""
        if self.property("kind") != kind:
            self.setProperty("kind", kind)
            self.style().unpolish(self)
            self.style().polish(self)
