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
