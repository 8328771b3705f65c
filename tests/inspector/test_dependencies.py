"""Every third-party module the core's network stack imports comes from a declared
dependency (directly or through one), so a fresh install has it: httpcore imports sniffio on
each request and, when it is missing, pays for a failing import every time."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


# Imported when present, needed by nothing here: not dependencies.
_OPPORTUNISTIC = {
    "click": "httpx loads its command line when httpx[cli]'s packages are installed",
    "pygments": "likewise (httpx[cli])",
    "rich": "likewise (httpx[cli])",
    "setuptools": "_distutils_hack, from setuptools' .pth file in every virtualenv",
}


def _closure(name: str) -> set[str]:
    """Distributions ``name`` needs at run time (no extras), ``name`` included."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        dist = canonicalize_name(todo.pop())
        if dist in seen:
            continue
        seen.add(dist)
        try:
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def test_every_imported_distribution_is_declared() -> None:
    child = Path(__file__).with_name("_imports_child.py")
    out = subprocess.run([sys.executable, str(child)], capture_output=True, text=True,
                         timeout=120, check=True, cwd=Path(__file__).parents[2]).stdout
    providers = metadata.packages_distributions()
    declared = _closure("media-inspector")
    missing = sorted({canonicalize_name(dist) for module in out.split()
                      for dist in providers.get(module, ())} - declared - set(_OPPORTUNISTIC))
    assert "httpcore" in out.split()  # the probe did exercise httpx's own stack
    assert missing == [], f"imported but not declared in pyproject.toml: {missing}"
