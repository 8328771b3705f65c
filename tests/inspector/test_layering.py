"""The core/Qt split, enforced: nothing in inspector/ imports Qt, qasync or ui."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import inspector

FORBIDDEN = ("PySide6", "qasync", "ui", "shiboken6")
CORE = Path(inspector.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_core_module_imports_qt_or_ui() -> None:
    offenders = {str(p.relative_to(CORE)): sorted(_imports(p) & set(FORBIDDEN))
                 for p in CORE.rglob("*.py") if _imports(p) & set(FORBIDDEN)}
    assert offenders == {}


def test_every_core_module_imports_with_qt_blocked() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(CORE)], "inspector.")
               if not m.name.endswith("__main__")]
    assert "inspector.client" in modules
    script = ("import sys\n"
              f"for name in {FORBIDDEN!r}: sys.modules[name] = None\n"
              f"import importlib\nfor m in {modules!r}: importlib.import_module(m)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_window_holds_no_network_or_validation_code() -> None:
    ui = CORE.parent / "ui"
    network = {"httpx", "aiohttp", "jsonschema", "socket", "ssl"}
    offenders = {str(p.relative_to(ui)): sorted(_imports(p) & network)
                 for p in ui.rglob("*.py") if _imports(p) & network}
    assert offenders == {}
