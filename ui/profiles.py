"""Endpoint profiles persisted with QSettings."""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

from inspector.profile import Profile, datastream_problem

__all__ = ["ProfileStore", "DIALECT_LABELS", "datastream_problem"]

# The window's names for the two wire formats (spec §1, §9), in the order it offers them.
DIALECT_LABELS = {"classic": "Classic Media Collection", "edge": "Media Edge"}
class ProfileStore:
    """Saved profiles and the current one; the embedded backend is always available."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def load(self) -> list[Profile]:
        raw = self.settings.value("profiles/list", "[]")
        try:
            items = json.loads(str(raw))
        except ValueError:
            items = []
        profiles = [Profile.from_dict(d) for d in items if isinstance(d, dict)]
        if not any(not p.base_url for p in profiles):
            profiles.insert(0, Profile())
        return profiles

    def save(self, profiles: list[Profile], current: str) -> None:
        self.settings.setValue("profiles/list", json.dumps([p.to_dict() for p in profiles]))
        self.settings.setValue("profiles/current", current)
        self.settings.sync()

    def current_name(self) -> str:
        return str(self.settings.value("profiles/current", ""))

    def current(self, profiles: list[Profile]) -> Profile:
        """The saved current profile, else the first one."""
        wanted = self.current_name()
        return next((p for p in profiles if p.name == wanted), profiles[0])
