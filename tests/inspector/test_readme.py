"""The README's headless snippet runs as printed and shows what it promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_snippet_flags_the_lonely_ad_and_counts_it_as_content() -> None:
    text = README.read_text()
    snippet = re.search(r"readme:snippet.*?```python\n(.*?)```", text, re.S)
    assert snippet, "README lost its headless snippet"
    done = subprocess.run([sys.executable, "-c", snippet.group(1)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "AD_OUTSIDE_BREAK" in done.stdout
    ignored = re.search(r'"content_from_ignored_ads": ([\d.]+)', done.stdout)
    assert ignored and abs(float(ignored.group(1)) - 10) < 0.5


def test_readme_scenario_example_runs_with_its_expectations_met(tmp_path: Path) -> None:
    example = re.search(r"## Scenarios.*?```yaml\n(.*?)```", README.read_text(), re.S)
    assert example, "README lost its scenario example"
    scenario = tmp_path / "example.yaml"
    scenario.write_text(example.group(1))
    done = subprocess.run([sys.executable, "-m", "inspector", "run", str(scenario),
                           "--no-store"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 of 1 scenario(s) met every expectation" in done.stdout
