"""docs/tutorial.md works: its `bash tested` blocks run, in order, in an empty folder with a fresh
database, and the map server then shows their events (from text to map to control timeline)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

TUTORIAL = ROOT / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```bash tested\n(.*?)^```", re.S | re.M)


def _tested_blocks() -> list[str]:
    return BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("FLASHPOINT_TOKEN", None)
    return env


def test_docs_tutorial_has_tested_blocks_of_real_commands():
    from tests.test_cli_docs import COMMANDS

    blocks = _tested_blocks()
    assert len(blocks) >= 6
    known = {name.split()[0] for name, _ in COMMANDS}
    used = {m for b in blocks for m in re.findall(r"^flashpoint (\w+)", b, re.M)}
    assert {"code", "export", "control", "timeline"} <= used
    assert used <= known, f"the tutorial uses unknown commands: {used - known}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_docs_tutorial_runs_from_text_to_map_and_control_timeline(tmp_path: Path):
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "hts-2018.txt", tmp_path / "examples")
    outputs = []
    for n, block in enumerate(_tested_blocks(), start=1):
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"tutorial block {n} failed:\n{block}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout + done.stderr)

    geojson = json.loads((tmp_path / "events.geojson").read_text())
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) >= 4
    assert (tmp_path / "hts-timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = "\n".join(outputs)
    assert "Hayat Tahrir al-Sham" in text
    assert "imported 2 event(s)" in text
    assert "skipped" in outputs[-1] and "already coded (same guid)" in outputs[-1]

    port = _free_port()
    server = subprocess.Popen(
        ["flashpoint", "serve", "--db", "sqlite:///flashpoint.db", "--port", str(port)],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                page = httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                time.sleep(0.1)
        else:
            pytest.fail("flashpoint serve did not answer")
        assert page.status_code == 200 and "<html" in page.text.lower()
        events = httpx.get(base + "/api/events", params={"limit": 100}, timeout=10).json()
        items = events["items"] if isinstance(events, dict) and "items" in events else events
        assert len(items) >= 4
    finally:
        server.terminate()
        server.wait()
