"""The import graph of src/flashpoint: no module imports itself through others, and importing the
package or its coder loads neither the database nor the web layer.

The graph is read statically: every ``import flashpoint...`` and ``from flashpoint... import`` (absolute
or relative) at module level or inside a function, but not under ``if TYPE_CHECKING:`` (never run).
``from package import name`` is an edge to ``package.name`` when that is a module, else to the package.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "flashpoint"

Graph = dict[str, dict[str, int]]  # module -> imported module -> line of the first such import


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that may run: module level, in functions and classes, not TYPE_CHECKING."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                todo.extend(child.orelse)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            else:
                todo.append(child)
    return found


def _targets(node: ast.Import | ast.ImportFrom, name: str, is_package: bool, modules: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = (name if is_package else name.rpartition(".")[0]).split(".")
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    return [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]


def import_graph() -> Graph:
    paths = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    graph: Graph = {}
    for name, path in paths.items():
        edges: dict[str, int] = {}
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in sorted(_imports(tree), key=lambda n: n.lineno):
            for target in _targets(node, name, path.name == "__init__.py", set(paths)):
                if target in paths and target != name:
                    edges.setdefault(target, node.lineno)
        graph[name] = edges
    return graph


def strongly_connected(graph: Graph) -> list[frozenset[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other (size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
    return groups


def describe_cycle(graph: Graph, group: frozenset[str]) -> str:
    """One cycle through ``group``, each step with the line of its import: ``a:12 -> b:40 -> a``."""
    start = min(group)
    paths = {start: [start]}
    todo = [start]
    while todo:  # breadth first, within the group, back to the start
        node = todo.pop(0)
        for child in sorted(graph[node]):
            if child == start:
                steps = [*paths[node], start]
                return " -> ".join(f"{a}:{graph[a][b]}" for a, b in itertools.pairwise(steps)) + f" -> {start}"
            if child in group and child not in paths:
                paths[child] = [*paths[node], child]
                todo.append(child)
    raise AssertionError(f"no cycle through {sorted(group)}")


GRAPH = import_graph()


def test_imports_graph_sees_relative_function_level_and_skips_type_checking():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from . import schema\n"
        "from .. import records\n"
        "from ..session import open, Session\n"
        "from flashpoint.store import EventQuery\n"
        "if TYPE_CHECKING:\n    from flashpoint.coder import Coder\n"
        "class A:\n    def f(self):\n        import flashpoint.control.stored\n"
    )
    modules = {"flashpoint.records", "flashpoint.store", "flashpoint.store.schema", "flashpoint.session",
               "flashpoint.control.stored", "flashpoint.coder"}
    targets = [t for n in _imports(tree) for t in _targets(n, "flashpoint.store.repository", False, modules)]
    assert sorted(t for t in targets if t.startswith("flashpoint")) == [
        "flashpoint.control.stored",
        "flashpoint.records",
        "flashpoint.session",
        "flashpoint.session",
        "flashpoint.store",
        "flashpoint.store.schema",
    ]
    assert "flashpoint.records" in GRAPH["flashpoint.session"]  # and the real graph is read


def test_imports_cycle_is_named_with_its_lines():
    graph: Graph = {"a": {"b": 3}, "b": {"c": 7}, "c": {"a": 9}, "d": {"a": 1}}
    assert strongly_connected(graph) == [frozenset({"a", "b", "c"})]
    assert describe_cycle(graph, frozenset({"a", "b", "c"})) == "a:3 -> b:7 -> c:9 -> a"


def test_imports_no_cycles_in_flashpoint():
    cycles = [describe_cycle(GRAPH, g) for g in strongly_connected(GRAPH)]
    assert not cycles, "import cycles (module:line of the import):\n" + "\n".join(cycles)


@pytest.mark.parametrize(
    ("code", "absent"),
    [
        ("import flashpoint; flashpoint.Coder", ("sqlalchemy", "fastapi")),
        ("import flashpoint; flashpoint.Event; flashpoint.KnowledgeBase", ("sqlalchemy", "fastapi", "spacy")),
        ("import flashpoint; flashpoint.Session", ("fastapi", "spacy", "flashpoint.coder")),
    ],
)
def test_imports_coder_loads_neither_database_nor_web(code, absent):
    check = f"{code}; import sys; print([m for m in {absent!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"{code!r} loaded {out.stdout.strip()}"
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in absent or m in absent}
