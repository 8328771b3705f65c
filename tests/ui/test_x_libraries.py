"""Missing X libraries are named, all of them, with their packages, before Qt can abort."""

from __future__ import annotations

import shutil

import pytest

from ui import x_libraries
from ui.x_libraries import debian_package, missing_x_libraries, parse_ldd, x_libraries_hint

# What `ldd libqxcb.so` prints on a server with only the offscreen set of libraries.
_LDD = """\
\tlinux-vdso.so.1 (0x00007ffc5a9d2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f0e4a000000)
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f0e49e00000)
\tlibxcb-cursor.so.0 => not found
\tlibX11-xcb.so.1 => not found
\tlibglib-2.0.so.0 => not found
"""


def test_every_missing_library_is_named_once_with_its_package() -> None:
    missing = parse_ldd(_LDD)
    assert missing == ["libxkbcommon-x11.so.0", "libxcb-cursor.so.0", "libxcb-icccm.so.4",
                       "libX11-xcb.so.1", "libglib-2.0.so.0"]
    assert [debian_package(m) for m in missing] == [
        "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libx11-xcb1", "libglib2.0-0"]


def test_the_hint_names_them_all_on_x11_and_stays_quiet_elsewhere(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(x_libraries, "missing_x_libraries", lambda: parse_ldd(_LDD))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    hint = x_libraries_hint()
    assert hint is not None and "\n" not in hint
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in hint
    assert hint.endswith("sudo apt-get install libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 "
                         "libx11-xcb1 libglib2.0-0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert x_libraries_hint() is None


@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs the system's ldd")
def test_the_real_plugin_is_checked_with_the_real_loader() -> None:
    """On this machine: whatever the loader says is missing, and nothing it can load."""
    import ctypes

    for name in missing_x_libraries():
        with pytest.raises(OSError):
            ctypes.CDLL(name)
