"""The ``flashpoint`` command: assembles the command groups of the modules listed below.

Each module in :data:`COMMAND_MODULES` defines ``register(app, evaluate)`` and adds its commands to
the main app (and, for scorers, to the ``evaluate`` group). Nothing is loaded until a command runs.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "flashpoint.cli.code",
    "flashpoint.cli.golden",
    "flashpoint.cli.imports",
    "flashpoint.cli.bench",
    "flashpoint.cli.serve",
    "flashpoint.cli.control",
    "flashpoint.cli.places",
    "flashpoint.cli.events",
    "flashpoint.cli.actors",
    "flashpoint.cli.sql",
    "flashpoint.cli.watch",
    "flashpoint.cli.review",
)

app = typer.Typer(
    name="flashpoint",
    help="Code conflict news into evidence-backed ACLED-style events, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
evaluate = typer.Typer(help="Score flashpoint against gold files.", no_args_is_help=True)
app.add_typer(evaluate, name="evaluate")

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app, evaluate)


def main() -> None:
    """Console-script entry point."""
    app()
