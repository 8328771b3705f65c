"""Work around a PySide6 6.12 bug on Python 3.11: void Qt calls return None without a new
reference, so None's reference count falls by one per call and the interpreter aborts
("deallocating None") after a few thousand calls. Python 3.12+ makes None immortal, which
is what this guard does on older interpreters, only when a probe shows the leak."""

from __future__ import annotations

import ctypes
import sys

__all__ = ["guard_none_refcount"]

_BOOST = 1 << 40


def guard_none_refcount() -> bool:
    """Make None effectively immortal if void Qt calls leak its references; True if applied."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    if sys.getrefcount(None) >= before - 8:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _BOOST
    return True
