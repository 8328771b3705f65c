"""The README's headless snippet runs as printed and shows what it promises."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _snippet() -> tuple[str, str]:
    text = README.read_text()
    snippet = re.search(r"readme:snippet .*?```python\n(.*?)```", text, re.S)
    printed = re.search(r"readme:snippet-output.*?```text\n(.*?)```", text, re.S)
    assert snippet and printed, "README lost its headless snippet or what it prints"
    return snippet.group(1), printed.group(1)


def _split(output: str) -> tuple[set[str], dict[str, float]]:
    """The finding lines (printed from a set: any order) and the time figures."""
    head, _, figures = output.partition("{")
    return {line for line in head.splitlines() if line}, json.loads("{" + figures)


def test_readme_snippet_prints_exactly_what_the_readme_says_on_a_busy_machine() -> None:
    code, promised = _snippet()
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(min(os.cpu_count() or 1, 2))]
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=120)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert done.returncode == 0, done.stderr
    findings, figures = _split(done.stdout)
    assert any("AD_OUTSIDE_BREAK" in line for line in findings)
    assert (findings, figures) == _split(promised)  # to the millisecond, under load too
    assert figures["content_from_ignored_ads"] == 10


def test_readme_scenario_example_runs_with_its_expectations_met(tmp_path: Path) -> None:
    example = re.search(r"## Scenarios.*?```yaml\n(.*?)```", README.read_text(), re.S)
    assert example, "README lost its scenario example"
    scenario = tmp_path / "example.yaml"
    scenario.write_text(example.group(1))
    done = subprocess.run([sys.executable, "-m", "inspector", "run", str(scenario),
                           "--no-store"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 of 1 scenario(s) met every expectation" in done.stdout
