"""The house rules that keep workbench easy to change, checked on its own source.

* The store is the only room with SQL: no other module imports sqlite3 or
  sqlite_utils, reaches for a connection, or holds a query string.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"
STORE = PACKAGE / "store"
GLOSSARY = PACKAGE / "glossary"
GLOSSARY_MAY_IMPORT = {"workbench.glossary", "workbench.store", "workbench.languages"}

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


def workbench_imports(path: Path, package: str) -> list[str]:
    """Every ``workbench`` module that ``path`` (a module of ``package``) imports, anywhere in the file."""
    parts = package.split(".")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = parts[: len(parts) - node.level + 1] if node.level else []  # "from .. import" climbs a level per dot
            found.append(".".join([*base, *([node.module] if node.module else [])]))
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


def outside(names: list[str], allowed: set[str]) -> list[str]:
    return [name for name in names if not any(name == room or name.startswith(room + ".") for room in allowed)]


def test_the_glossary_imports_only_the_store_and_languages_from_workbench() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted(GLOSSARY.rglob("*.py"))
        for name in outside(workbench_imports(path, "workbench.glossary"), GLOSSARY_MAY_IMPORT)
    ]
    assert offenders == []


def test_the_import_detector_resolves_relative_and_deferred_imports(tmp_path: Path) -> None:
    sample = tmp_path / "probe.py"
    sample.write_text(
        "import json\nfrom workbench.store import Store\nfrom . import model\nfrom ..checks import run_checks\n"
        "def f():\n    import workbench.mt\n",
        encoding="utf-8",
    )
    names = workbench_imports(sample, "workbench.glossary")
    assert names == ["workbench.store", "workbench.glossary", "workbench.checks", "workbench.mt"]
    assert outside(names, GLOSSARY_MAY_IMPORT) == ["workbench.checks", "workbench.mt"]
