"""Which captured session the Report tab shows while the window listens or shows a capture
(issue 14): the session of the row selected in the log, else the newest one."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from inspector.capture import CapturedSession, CaptureLog
from inspector.exchange import Exchange

__all__ = ["CapturedSessions"]


class CapturedSessions(QObject):
    """A :class:`CaptureLog`'s sessions as the Report tab reads them; ``changed`` when the
    shown session may have changed (a new call, another row selected).

    ``origin`` says where the calls came from ("captured from the player", "from the
    capture chrome.har"); ``server_sid`` is True when the window's embedded backend saw
    these sessions (listening in front of it), so its report for the sid can be asked for.
    """

    changed = Signal()

    def __init__(self, log: CaptureLog, origin: str, server_sid: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log, self.origin, self.server_sid = log, origin, server_sid
        self._chosen: str | None = None  # the key of the session a selected row belongs to

    def sessions(self) -> list[CapturedSession]:
        return list(self.log.analyzer.sessions.values())

    def select(self, exchange: Exchange | None) -> None:
        """Show the session ``exchange`` belongs to (None or a row of no captured session:
        the newest one again)."""
        chosen = next((s.key for s in self.sessions()
                       if exchange is not None and exchange in s.exchanges), None)
        if chosen != self._chosen:
            self._chosen = chosen
            self.changed.emit()

    def current(self) -> CapturedSession | None:
        """The selected row's session, else the newest (None before any call)."""
        sessions = self.log.analyzer.sessions
        if self._chosen in sessions:
            return sessions[self._chosen]
        return next(reversed(sessions.values()), None) if sessions else None

    def describe(self) -> str:
        """One line: where the shown session comes from, its sid, and which of how many."""
        session, every = self.current(), self.sessions()
        if session is None:
            return (f"Report of the session {self.origin}: nothing captured yet, so "
                    "nothing to count.")
        name = f"sid {session.sid}" if session.sid else f"no sid ({session.key})"
        which = "the selected row's" if self._chosen == session.key else "the newest"
        more = (f" — {which} of {len(every)} sessions; select a row in the log to show "
                "another" if len(every) > 1 else "")
        return f"<b>Report of the session {self.origin}, {name}</b>{more}"

    def findings_text(self) -> str:
        """The shown session's findings by code, or that it has none."""
        session = self.current()
        if session is None:
            return ""
        counts = session.finding_counts()
        found = ", ".join(f"{code} ×{n}" for code, n in sorted(counts.items()))
        notes = f" Notes: {'; '.join(session.notes)}." if session.notes else ""
        return (f"Findings: {found}." if found else "Findings: none.") + notes
