"""Where the shipped assets (built-in scenarios, style sheet, schemas) are on this machine.

From a source checkout (the README's editable install) they are in ``assets/`` beside the
package; a wheel installs them under ``<prefix>/share/media-inspector/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["ASSETS_DIR", "asset"]


def _find() -> Path:
    beside_source = Path(__file__).resolve().parents[1] / "assets"
    installed = Path(sys.prefix) / "share" / "media-inspector"
    return beside_source if beside_source.is_dir() else installed


ASSETS_DIR = _find()


def asset(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``asset("scenarios")``."""
    return ASSETS_DIR.joinpath(*parts)
