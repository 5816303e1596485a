"""The house rules that keep workbench easy to change, checked on its own source.

* The store is the only room with SQL: no other module imports sqlite3 or
  sqlite_utils, reaches for a connection, or holds a query string.
* Data flows one way: a room imports only rooms on lower floors (:data:`FLOORS`),
  or modules of its own room, and no module-level imports form a circle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"
STORE = PACKAGE / "store"

FLOORS: dict[str, int] = {
    # the floor: pure helpers and the store; who is working (git's user.name, $WORKBENCH_AUTHOR)
    "workbench": 0, "workbench.textfacts": 0, "workbench.languages": 0, "workbench.store": 0, "workbench.identity": 0,
    # what builds on the floor alone
    "workbench.sentences": 1, "workbench.segmenter": 1, "workbench.workflow": 1, "workbench.tm": 1,
    "workbench.glossary": 1, "workbench.mt.engine": 1,
    # the workspace (folder, settings, the store inside), the checks, which drafting runs on every draft,
    # and search and replace, which edits through the workflow's rules
    "workbench.workspace": 2, "workbench.checks": 2, "workbench.search": 2,
    # the rooms that do the work: import, draft, file formats
    "workbench.importer": 3, "workbench.mt": 3, "workbench.formats": 3,
    # creating and opening a workspace; the shared files merged by meaning (git's merge drivers)
    "workbench.lifecycle": 4, "workbench.merging": 4,
    # the workspace shared through git: export, commit, merge, import, push
    "workbench.sync": 5,
    # the shells: the TUI, and the command line that also opens it (python -m workbench runs it)
    "workbench.tui": 6, "workbench.cli": 7, "workbench.__main__": 8,
}
"""Each room's floor; a module belongs to the room with the longest matching name."""

SQL = re.compile(
    r"\bSELECT\b[\s\S]+\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\b|\bPRAGMA\s+\w+|\bBEGIN\s+IMMEDIATE\b"
)
DATABASE_MODULES = {"sqlite3", "sqlite_utils"}
DATABASE_CALLS = {"execute", "executemany", "executescript", "rows_where", "insert_all", "upsert_all"}


def modules_outside_the_store() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if STORE not in path.parents:
            yield path


def sql_uses(path: Path) -> list[str]:
    """Every place in ``path`` that talks to the database directly, as ``file:line what``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(PACKAGE.parent) if PACKAGE in path.parents else path.name
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno} imports {a.name}" for a in node.names if a.name.split(".")[0] in DATABASE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DATABASE_MODULES:
            found.append(f"{where}:{node.lineno} imports from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr in {"db", "conn"}:
            found.append(f"{where}:{node.lineno} reaches for .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DATABASE_CALLS:
            found.append(f"{where}:{node.lineno} calls .{node.func.attr}()")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"{where}:{node.lineno} holds SQL {node.value[:40]!r}")
    return found


def workbench_imports(path: Path, package: str, *, when_loaded: bool = False) -> list[str]:
    """The ``workbench`` modules that ``path`` (a module of ``package``) imports.

    Anywhere in the file by default; with ``when_loaded``, only what loading the
    module runs (top-level statements, not functions; a ``from pkg import name``
    counts ``pkg.name`` too, in case ``name`` is a module).
    """
    parts = package.split(".")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in tree.body if when_loaded else ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = parts[: len(parts) - node.level + 1] if node.level else []  # "from .. import" climbs a level per dot
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append(module)
            if when_loaded:
                found += [f"{module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.split(".")[0] == "workbench"]


def test_no_module_outside_the_store_runs_sql() -> None:
    offenders = [use for path in modules_outside_the_store() for use in sql_uses(path)]
    assert offenders == []


def test_the_sql_detector_finds_each_kind_of_direct_database_use(tmp_path: Path) -> None:
    sample = tmp_path / "probe.py"
    sample.write_text(
        "import sqlite3\nfrom sqlite_utils import Database\n"
        "def f(store):\n    store.db.execute('SELECT id FROM segments')\n    return store.conn\n",
        encoding="utf-8",
    )
    uses = sql_uses(sample)
    kinds = {use.split(" ", 1)[1].split(" ")[0] for use in uses}
    assert kinds == {"imports", "reaches", "calls", "holds"}
    assert len(uses) == 6


def test_the_import_detector_resolves_relative_and_deferred_imports(tmp_path: Path) -> None:
    sample = tmp_path / "probe.py"
    sample.write_text(
        "import json\nfrom workbench.store import Store\nfrom . import model\nfrom ..checks import run_checks\n"
        "def f():\n    import workbench.mt\n",
        encoding="utf-8",
    )
    assert workbench_imports(sample, "workbench.glossary") == ["workbench.store", "workbench.glossary", "workbench.checks", "workbench.mt"]
    assert workbench_imports(sample, "workbench.glossary", when_loaded=True) == [
        "workbench.store", "workbench.store.Store", "workbench.glossary", "workbench.glossary.model",
        "workbench.checks", "workbench.checks.run_checks",
    ]


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def package_of(path: Path) -> str:
    """The package a module's relative imports start from."""
    module = module_name(path)
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def room_of(module: str) -> str:
    return max((room for room in FLOORS if module == room or module.startswith(room + ".")), key=len)


def test_every_room_imports_only_rooms_on_lower_floors() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        room = room_of(module)
        for name in workbench_imports(path, package_of(path)):
            target = room_of(name)
            if target != room and FLOORS[target] >= FLOORS[room]:
                offenders.append(f"{module} (floor {FLOORS[room]}) imports {name} (floor {FLOORS[target]})")
    assert offenders == []


def circles(graph: dict[str, set[str]]) -> list[str]:
    """Every circle a depth-first walk of ``graph`` meets, as ``a -> b -> a``."""
    found: list[str] = []
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for name in sorted(graph[module]):
            if state.get(name) == 1:
                found.append(" -> ".join([*trail[trail.index(name):], name]))
            elif name not in state:
                visit(name, [*trail, name])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_no_module_level_imports_form_a_circle() -> None:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {
        module: {name for name in workbench_imports(path, package_of(path), when_loaded=True)
                 if name in modules and name != module and not module.startswith(name + ".")}
        for module, path in modules.items()
    }  # a package's own __init__ is loaded before its modules: importing it is no circle
    assert circles(graph) == []


def test_the_circle_finder_names_each_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == ["a -> b -> c -> a"]
    assert circles({"a": {"b"}, "b": set()}) == []
