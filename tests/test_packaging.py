"""What a packager gets: the sdist builds and carries the tests; the wheel installs a desktop entry.

Both are built from this checkout exactly as a packager would (``python -m build``), once for
the module, into a temporary folder.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir",
                           str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # setuptools warns about deprecated configuration on stderr; today's must build cleanly.
    assert "SetuptoolsDeprecationWarning" not in proc.stdout + proc.stderr
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_sdist_carries_tests_licence_and_ci(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "tests", "bench"],
                             capture_output=True, text=True, check=True).stdout.split()
    missing = [n for n in tracked if n.endswith(".py") and n not in names]
    assert not missing, f"not in the sdist: {missing[:5]}"
    assert {"LICENSE", "README.md", ".ci/run", "pyproject.toml"} <= names
    assert not [n for n in names if "__pycache__" in n]


def test_wheel_declares_spdx_licence_and_ships_desktop_entry(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as whl:
        names = whl.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(whl.read(meta_name).decode())
        desktop_name = next(n for n in names
                            if n.endswith("share/applications/media-inspector.desktop"))
        desktop = whl.read(desktop_name).decode()
    assert meta["License-Expression"] == _project()["license"]
    assert "LICENSE" in meta.get_all("License-File", [])
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)

    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string(desktop)
    section = entry["Desktop Entry"]
    assert section["Exec"].split()[0] in _project()["scripts"]
    icon = section["Icon"]
    assert any(n.endswith(f"share/icons/hicolor/scalable/apps/{icon}.svg") for n in names)
