"""Write docs/cli.md, the CLI reference, from the commands themselves (their help and options).

Run: .venv/bin/python scripts/gen_cli_reference.py          (writes docs/cli.md)
     .venv/bin/python scripts/gen_cli_reference.py --check  (exit 1 when docs/cli.md is stale)

tests/test_docs_cli_reference.py fails when docs/cli.md differs from what this prints.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

import typer.main

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "cli.md"

HEADER = """# flashpoint command reference

Generated from the code by `scripts/gen_cli_reference.py`; do not edit by hand (a test fails when
this file is stale). Every command also prints this help with `flashpoint COMMAND --help`.

"""


def _context(cmd: Any, name: str | None = None) -> Any:
    return cmd.context_class(cmd, info_name=name)


def _is_group(cmd: Any) -> bool:
    return hasattr(cmd, "list_commands")


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    ctx = _context(group)
    for name in sorted(group.list_commands(ctx)):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        path = f"{prefix} {name}"
        if _is_group(cmd):
            out.append((path, cmd))
            out.extend(_commands(cmd, path))
        else:
            out.append((path, cmd))
    return out


def _is_option(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "option"


def _default(param: Any) -> str:
    if param.required:
        return "required"
    value = param.default
    if value is None or value == () or callable(value):
        return ""
    if _is_option(param) and param.is_flag:
        return "on" if value else "off"
    return f"`{value}`"


def _names(param: Any) -> str:
    if _is_option(param):
        names = list(param.opts)
        if param.secondary_opts:
            names += list(param.secondary_opts)
        return ", ".join(f"`{n}`" for n in names)
    return f"`{(param.name or '').upper()}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _usage(path: str, cmd: Any) -> str:
    pieces = ["[OPTIONS]"] if any(_is_option(p) for p in cmd.params) else []
    for p in cmd.params:
        if _is_option(p):
            continue
        name = (p.name or "").upper()
        name = f"{name}..." if p.nargs == -1 else name
        pieces.append(name if p.required else f"[{name}]")
    return " ".join([path, *pieces])


def render() -> str:
    from flashpoint.cli.app import app

    root = typer.main.get_command(app)
    lines = [HEADER]
    commands = _commands(root, "flashpoint")
    lines.append("## Commands\n")
    for path, cmd in commands:
        summary = _cell((cmd.help or "").strip().split("\n\n")[0])
        anchor = path.replace(" ", "-")
        lines.append(f"- [`{path}`](#{anchor}): {summary}")
    lines.append("")
    for path, cmd in commands:
        lines.append(f"## {path}\n")
        if _is_group(cmd):
            lines.append(inspect.cleandoc(cmd.help or "") + "\n")
            continue
        lines.append("```\n" + _usage(path, cmd) + "\n```\n")
        lines.append(inspect.cleandoc(cmd.help or "") + "\n")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            lines.append("| argument / option | default | meaning |")
            lines.append("|---|---|---|")
            for p in params:
                help_text = getattr(p, "help", None) or ""
                lines.append(f"| {_names(p)} | {_default(p)} | {_cell(help_text)} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale: run .venv/bin/python scripts/gen_cli_reference.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
