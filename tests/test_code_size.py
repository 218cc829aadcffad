"""The code stays readable: no function of src/flashpoint over 80 lines, no module over 800."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "flashpoint"
MAX_FUNCTION, MAX_MODULE = 80, 800


def test_code_size_functions_and_modules_stay_short() -> None:
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(PACKAGE.parent)
        if source.count("\n") > MAX_MODULE:
            too_long.append(f"{where}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    too_long.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    assert not too_long, "over the limits (80 lines a function, 800 a module):\n" + "\n".join(too_long)
