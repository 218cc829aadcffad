"""docs/analysis-example.md works: its `python tested` cells run, in order, in an empty folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "analysis-example.md"
CELL = re.compile(r"^```python tested\n(.*?)^```", re.S | re.M)


def test_docs_analysis_example_uses_the_public_api():
    cells = CELL.findall(DOC.read_text(encoding="utf-8"))
    assert len(cells) >= 6
    assert "import flashpoint as fp" in cells[0] and ".to_pandas()" in "".join(cells)


@pytest.mark.slow
def test_docs_analysis_example_cells_run(tmp_path: Path):
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "hts-2018.txt", tmp_path / "examples")
    script = "\n\n".join(CELL.findall(DOC.read_text(encoding="utf-8")))
    (tmp_path / "analysis.py").write_text(script, encoding="utf-8")
    env = dict(os.environ, MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "analysis.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "events-by-week.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "events.parquet").exists()
    assert "Hayat Tahrir al-Sham" in done.stdout
