"""Before Qt starts on X11: name every system library its xcb platform plugin cannot load.

Qt's own message names one library, and sometimes the wrong one ("libxcb-cursor0 is
missing" when another is), then aborts. This asks the dynamic loader (``ldd``) about the
plugin first, without loading Qt, and names them all with their Debian/Ubuntu packages.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

__all__ = ["debian_package", "missing_x_libraries", "parse_ldd", "x_libraries_hint"]

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)
_SONAME = re.compile(r"^(lib.+?)\.so\.(\d+)")
# Where the name alone does not give the package.
_PACKAGES = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
             "libGLX.so.0": "libglx0", "libGLdispatch.so.0": "libglvnd0"}


def parse_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``, in its order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships ``soname`` (``libxcb-cursor.so.0`` → libxcb-cursor0)."""
    if soname in _PACKAGES:
        return _PACKAGES[soname]
    match = _SONAME.match(soname)
    if not match:
        return soname
    base, major = match.group(1).lower(), match.group(2)
    return f"{base}-{major}" if base[-1].isdigit() else f"{base}{major}"


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(list(spec.submodule_search_locations)[0]) / "Qt/plugins/platforms/libqxcb.so"
    return plugin if plugin.exists() else None


def _stamp(plugin: Path) -> Path:
    """Where a clean check of this exact plugin file is remembered (so start-up skips ldd)."""
    import platformdirs

    info = plugin.stat()
    key = f"{info.st_size}-{int(info.st_mtime)}-{zlib.crc32(str(plugin).encode()):08x}"
    return Path(platformdirs.user_cache_dir("media-inspector", appauthor=False)) / \
        f"xcb-ok-{key}"


def missing_x_libraries() -> list[str]:
    """System libraries Qt's xcb plugin needs and cannot find; [] when all load (or unknown).

    A clean result is remembered for this plugin file, so later starts skip ``ldd``; a
    missing library is checked again every time (it may have been installed since).
    """
    plugin, ldd = _xcb_plugin(), shutil.which("ldd")
    if plugin is None or ldd is None:
        return []
    stamp = _stamp(plugin)
    if stamp.exists():
        return []
    try:
        out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    missing = parse_ldd(out)
    if not missing:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass
    return missing


def _uses_xcb() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0].split(";")[0] == "xcb"
    return bool(os.environ.get("DISPLAY")) and not os.environ.get("WAYLAND_DISPLAY")


def x_libraries_hint() -> str | None:
    """The one-line message to print instead of starting Qt, or None when X11 will start."""
    if not _uses_xcb():
        return None
    missing = missing_x_libraries()
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    return (f"media-inspector: Qt cannot open an X11 window: missing {', '.join(missing)}. "
            f"On Debian/Ubuntu: sudo apt-get install {packages}")
