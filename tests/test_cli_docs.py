"""Every command is documented: a help text with an example, and help for every option."""

from __future__ import annotations

import click
import pytest
import typer.main

from flashpoint.cli.app import app


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None
        path = f"{prefix} {name}".strip()
        if hasattr(cmd, "list_commands"):
            assert cmd.help, f"command group {path!r} has no help text"
            out.extend(_commands(cmd, path))
        else:
            out.append((path, cmd))
    return out


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_cli_docs_lists_the_core_commands():
    names = {name for name, _ in COMMANDS}
    assert {"code", "export", "events"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_cli_docs_every_command_has_help_with_an_example(name, command):
    assert command.help and "Example" in command.help, f"`flashpoint {name}` --help lacks an example"
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert param.help, f"`flashpoint {name}` option {param.opts[0]} has no help text"
