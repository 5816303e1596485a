"""kill -9 at any moment loses nothing, and two processes at once never lose an edit.

Each trial starts the real ``workbench`` command, kills it with SIGKILL at a
moment drawn from a seeded generator (the seed is in the test id, so a red run
can be repeated), checks ``PRAGMA integrity_check``, runs the command again to
the end, and compares the workspace with one where the command ran once,
undisturbed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.models.toy import install_all

from .conftest import SAMPLE_STATEMENTS

WORKBENCH = Path(sys.executable).with_name("workbench")
SEEDS = [11, 23, 37]
COPIES = 6
"""Copies of the sample corpus for a run long enough to be killed in the middle (about a second)."""


def make_corpus(folder: Path) -> Path:
    """``COPIES`` distinct variants of the sample statements (a repeated statement would be imported once)."""
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(COPIES):
        for seed in sorted(SAMPLE_STATEMENTS.glob("*.txt")):
            lines = seed.read_text(encoding="utf-8").split("\n")
            varied = [f"{line} (copy {copy})" if len(line.split()) > 8 else line for line in lines]
            (folder / f"{copy:02d}_{seed.name}").write_text("\n".join(varied), encoding="utf-8")
    return folder


def workbench(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(WORKBENCH), "--workspace", str(root), *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """Run the command to the end; returns how long it took."""
    started = time.monotonic()
    assert workbench(root, *args, env=env).wait(timeout=300) in (0, 1)
    return time.monotonic() - started


def kill_at_random(make: Callable[[str], Path], seed: int, duration: float, *args: str, env: dict[str, str] | None = None) -> Path:
    """Run the command in a workspace from ``make`` and SIGKILL it at a seeded moment of an undisturbed run's ``duration``.

    On a busy machine a run can end before its moment: then a new workspace
    is tried with the moment halved, so every trial really kills a running command.
    """
    chooser = random.Random(seed)
    for attempt in range(4):
        root = make(f"killed-{attempt}")
        delay = chooser.uniform(0.1, 0.9) * duration * 0.5 ** attempt
        process = workbench(root, *args, env=env)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        if process.wait(timeout=30) == -signal.SIGKILL:
            return root
    pytest.fail(f"the command always ended before the kill (last moment {delay:.2f} s of {duration:.2f} s)")


def integrity(root: Path) -> str:
    connection = sqlite3.connect(root / "data" / "workbench.db")
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def contents(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The workspace as a volunteer sees it: statements, segments, translations, glossary (no timestamps, no ids)."""
    connection = sqlite3.connect(root / "data" / "workbench.db")
    try:
        return {
            "statements": connection.execute("SELECT slug, title, date, truncated FROM statements ORDER BY slug").fetchall(),
            "segments": connection.execute("SELECT id, kind, source, obsolete FROM segments ORDER BY id").fetchall(),
            "translations": connection.execute("SELECT segment_id, lang, text, status FROM translations ORDER BY 1, 2").fetchall(),
            "terms": connection.execute(
                "SELECT t.term, r.locale, r.preferred, r.variants FROM glossary_terms t "
                "LEFT JOIN glossary_renderings r ON r.term_id = t.id ORDER BY 1, 2").fetchall(),
        }
    finally:
        connection.close()


def fresh(tmp_path: Path, name: str) -> Path:
    from workbench.lifecycle import create_workspace

    workspace = create_workspace(tmp_path / name)
    workspace.store.close()
    return workspace.root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "statements")


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> tuple[dict[str, list[tuple[Any, ...]]], float]:
    root = fresh(tmp_path_factory.mktemp("clean"), "ws")
    duration = run(root, "import", str(corpus))
    return contents(root), duration


@pytest.mark.parametrize("seed", SEEDS)
def test_an_import_killed_at_any_moment_then_run_again_matches_a_clean_import(
    tmp_path: Path, corpus: Path, imported_once: tuple[dict[str, list[tuple[Any, ...]]], float], seed: int,
) -> None:
    clean, duration = imported_once

    root = kill_at_random(lambda name: fresh(tmp_path, name), seed, duration, "import", str(corpus))

    assert integrity(root) == "ok"
    run(root, "import", str(corpus))
    assert contents(root) == clean


@pytest.fixture(scope="module")
def toy_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_all(tmp_path_factory.mktemp("toy-models"))


@pytest.fixture(scope="module")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = fresh(tmp_path_factory.mktemp("sample"), "ws")
    run(root, "import", str(SAMPLE_STATEMENTS))
    return root


def copy_workspace(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    return target


@pytest.mark.parametrize("seed", SEEDS)
def test_drafting_killed_at_any_moment_then_run_again_matches_a_clean_run(
    tmp_path: Path, sample_root: Path, toy_models: Path, seed: int,
) -> None:
    models = {"ARGOS_PACKAGES_DIR": str(toy_models)}
    clean = copy_workspace(sample_root, tmp_path / "clean")
    duration = run(clean, "translate", env=models)

    killed = kill_at_random(lambda name: copy_workspace(sample_root, tmp_path / name), seed, duration, "translate", env=models)

    assert integrity(killed) == "ok"
    run(killed, "translate", env=models)
    assert contents(killed) == contents(clean)


def edited_po_files(root: Path) -> list[Path]:
    """Export Spanish PO files and fill every entry, as a translator in Poedit would."""
    import polib

    run(root, "export", "--lang", "es")
    files = sorted((root / "locales" / "es").rglob("*.po"))
    for path in files:
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = f"ES {entry.msgid[:60]}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(path))
    return files


@pytest.mark.parametrize("seed", SEEDS)
def test_a_po_import_killed_at_any_moment_then_run_again_matches_a_clean_one(tmp_path: Path, sample_root: Path, seed: int) -> None:
    clean = copy_workspace(sample_root, tmp_path / "clean")
    duration = run(clean, "import-po", *map(str, edited_po_files(clean)))
    files = edited_po_files(copy_workspace(sample_root, tmp_path / "edited"))

    killed = kill_at_random(lambda name: copy_workspace(sample_root, tmp_path / name), seed, duration, "import-po", *map(str, files))

    assert integrity(killed) == "ok"
    run(killed, "import-po", *map(str, files))
    assert contents(killed)["translations"] == contents(clean)["translations"]


def glossary_file(folder: Path, terms: int = 3000) -> Path:
    path = folder / "terms.csv"
    rows = ["term,es,fr_CA"] + [f"movement term {n},término {n},terme {n}" for n in range(terms)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", SEEDS)
def test_a_glossary_import_killed_at_any_moment_then_run_again_matches_a_clean_one(tmp_path: Path, seed: int) -> None:
    csv = glossary_file(tmp_path)
    clean = fresh(tmp_path, "clean")
    duration = run(clean, "glossary", "import", str(csv))

    killed = kill_at_random(lambda name: fresh(tmp_path, name), seed, duration, "glossary", "import", str(csv))

    assert integrity(killed) == "ok"
    run(killed, "glossary", "import", str(csv))
    assert contents(killed)["terms"] == contents(clean)["terms"]


def test_two_processes_importing_the_same_statement_file_make_one_statement(tmp_path: Path, corpus: Path) -> None:
    root = fresh(tmp_path, "ws")
    one_file = sorted(corpus.glob("*.txt"))[0]

    first, second = workbench(root, "import", str(one_file)), workbench(root, "import", str(one_file))

    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    solo = fresh(tmp_path, "solo")
    run(solo, "import", str(one_file))
    assert contents(root)["statements"] == contents(solo)["statements"]
    assert contents(root)["segments"] == contents(solo)["segments"]
