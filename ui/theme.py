"""Light and dark palettes that follow the system colour scheme, and the app's colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from inspector.assets import asset

__all__ = ["Colors", "colors", "is_dark", "apply_theme", "style_sheet"]

_QSS = asset("inspector.qss")


@dataclass(frozen=True)
class Colors:
    """Semantic colours used by the log and the timeline (the banners': the style sheet's)."""

    ok: QColor
    client_error: QColor
    server_error: QColor
    pending: QColor
    warning_bg: QColor
    error_bg: QColor
    played: QColor
    ad_break: QColor
    ad: QColor
    ad_as_content: QColor
    chapter: QColor
    pause: QColor
    buffer: QColor
    ping: QColor
    track: QColor
    playhead: QColor
    warning_marker: QColor
    text_muted: QColor


_LIGHT = Colors(*(QColor(c) for c in (
    "#1b7f3b", "#b35c00", "#c62828", "#7a7a7a", "#fff4d6", "#fde2e1",
    "#3f7fd9", "#8e44ad", "#b57edc", "#e67e22", "#2aa198", "#9e9e9e", "#d35400",
    "#5c6770", "#e4e7eb", "#111111", "#d32f2f", "#6b7280")))
_DARK = Colors(*(QColor(c) for c in (
    "#5fd38d", "#ffb454", "#ff6b6b", "#9aa0a6", "#4a3f1c", "#4d2426",
    "#5b9cf5", "#b07cc6", "#d2a8f0", "#f39c3d", "#3fc1b5", "#8a8f96", "#ff8a3d",
    "#aab4be", "#33373d", "#f5f5f5", "#ff6b6b", "#9aa0a6")))


# The style sheet's banner @tokens@ for each scheme: backgrounds, with text and borders that
# keep their contrast on them (its text colours are the Colors above).
_QSS_LIGHT = {"banner-warning": "#fff4d6", "banner-warning-border": "#e0b84a",
              "banner-warning-text": "#3d2e00",
              "banner-error": "#fde2e1", "banner-error-border": "#e57373",
              "banner-error-text": "#5a1111",
              "banner-info": "#e3eefc", "banner-info-border": "#8fb4e8",
              "banner-info-text": "#0d2a52"}
_QSS_DARK = {"banner-warning": "#4a3f1c", "banner-warning-border": "#8a7330",
             "banner-warning-text": "#fbe7b0",
             "banner-error": "#4d2426", "banner-error-border": "#9c4a4e",
             "banner-error-text": "#ffd6d6",
             "banner-info": "#1d3250", "banner-info-border": "#3f6396",
             "banner-info-text": "#d6e6ff"}


def style_sheet(dark: bool) -> str:
    """The app's style sheet with the scheme's colours filled in."""
    text = _QSS.read_text(encoding="utf-8") if _QSS.exists() else ""
    c = _DARK if dark else _LIGHT
    tokens = {"ok": c.ok.name(), "warning": c.client_error.name(), "error": c.server_error.name(),
              **(_QSS_DARK if dark else _QSS_LIGHT)}
    for name, value in tokens.items():
        text = text.replace(f"@{name}@", value)
    return text


def is_dark() -> bool:
    """True when the system asks for a dark scheme."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def colors() -> Colors:
    return _DARK if is_dark() else _LIGHT


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#1e2125"), QColor("#26292e"), QColor("#e8eaed")
    for role, color in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.Base, base),
                        (QPalette.ColorRole.AlternateBase, QColor("#2b2f35")),
                        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.WindowText, text),
                        (QPalette.ColorRole.Button, QColor("#30343a")),
                        (QPalette.ColorRole.ButtonText, text),
                        (QPalette.ColorRole.Highlight, QColor("#3d6fb6")),
                        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
                        (QPalette.ColorRole.ToolTipBase, QColor("#30343a")),
                        (QPalette.ColorRole.ToolTipText, text),
                        (QPalette.ColorRole.PlaceholderText, QColor("#8a8f96")),
                        (QPalette.ColorRole.Link, QColor("#7fb0ff"))):
        p.setColor(role, color)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b7078"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b7078"))
    return p


def apply_theme(app: QApplication) -> None:
    """Fusion style, a palette for the current scheme, the style sheet; re-applied on change."""
    app.setStyle("Fusion")
    dark = is_dark()
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())
    app.setStyleSheet(style_sheet(dark))
    hints = QGuiApplication.styleHints()
    if not getattr(app, "_inspector_theme_hooked", False):
        hints.colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
        app._inspector_theme_hooked = True  # type: ignore[attr-defined]
