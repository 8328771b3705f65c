"""The walls, enforced: the import-linter contracts in pyproject.toml, and a Qt-free import."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import inspector

FORBIDDEN = ("PySide6", "qasync", "ui", "shiboken6")
CORE = Path(inspector.__file__).parent
ROOT = CORE.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_import_linter_contract_is_kept() -> None:
    """``lint-imports`` with pyproject.toml's contracts: core vs Qt/ui, protocol, front ends."""
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), f"{lint} is missing: pip install -e '.[test]' (it brings import-linter)"
    # --no-cache: no .import_linter_cache left in the working tree by a test run.
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


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
