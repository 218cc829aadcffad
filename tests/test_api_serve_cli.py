"""``flashpoint serve``: documented, refuses weak tokens, and serves the app over a real socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import typer
from typer.testing import CliRunner

from flashpoint.cli import serve
from tests.api_helpers import TOKEN, filled_store

runner = CliRunner()
app = typer.Typer()
app.command("version")(lambda: None)  # a second command keeps "serve" a subcommand
serve.register(app, typer.Typer())
SERVE = "import typer; from flashpoint.cli.serve import serve; typer.run(serve)"


def test_api_serve_cli_help_has_an_example_and_every_option():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for text in (
        "flashpoint serve --db",
        "--host",
        "--port",
        "--token",
        "FLASHPOINT_TOKEN",
        "--tiles",
        "--max-body",
    ):
        assert text in result.output


def test_api_serve_cli_refuses_a_short_token(tmp_path):
    result = runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--token", "abc"])
    assert result.exit_code == 2
    assert "too short" in result.output


def test_api_serve_cli_bad_db_is_a_clear_error():
    result = runner.invoke(app, ["serve", "--db", "mysql://nope/x"])
    assert result.exit_code == 2
    assert "unsupported database" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_api_serve_cli_serves_over_http_with_token_from_env(tmp_path):
    filled_store(tmp_path).close()
    port = _free_port()
    env = {**os.environ, "FLASHPOINT_TOKEN": TOKEN, "FLASHPOINT_LOG_LEVEL": "warning"}
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVE,
            "--db",
            f"sqlite:///{tmp_path / 'api.db'}",
            "--port",
            str(port),
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                r = httpx.get(f"{base}/api/config")
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read() if proc.stdout else "server exited") from None
                time.sleep(0.1)
        assert r.json()["writable"] is True
        assert [e["event_id"] for e in httpx.get(f"{base}/api/events").json()["events"]] == [
            "FP2",
            "FP1",
            "FP4",
        ]
        assert httpx.post(f"{base}/api/articles", content="x").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)
