"""docs/cli.md is generated from the commands: this fails when it is stale."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_cli_reference", ROOT / "scripts" / "gen_cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_reference_is_up_to_date():
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == _generator().render(), (
        "docs/cli.md is stale: run .venv/bin/python scripts/gen_cli_reference.py"
    )


def test_docs_cli_reference_lists_every_command_with_an_example():
    from tests.test_cli_docs import COMMANDS

    text = _generator().render()
    for name, _ in COMMANDS:
        assert f"## flashpoint {name}\n" in text
    assert text.count("Example: flashpoint") >= len(COMMANDS)
