"""Import speed: 1x, 10x and 100x copies of the sample corpus.

For each size it prints seconds per MB and peak memory of workbench's importer,
and the same run's naive baseline: split on blank lines and insert every block
with plain sqlite3 (no statements, kinds, language or re-import logic). The
ratio says what the real importer costs over the least one could do; the
per-MB column across sizes says whether the cost grows linearly.

Copies differ in every long line, so the importer cannot deduplicate them away.

Run: .venv/bin/python bench/import.py
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.importer import import_paths  # noqa: E402

SEEDS = sorted((REPO / "data" / "statements").glob("*.txt"))


def make_copies(folder: Path, copies: int) -> int:
    """Write ``copies`` variants of each seed file; returns the bytes written."""
    folder.mkdir(parents=True)
    total = 0
    for copy in range(copies):
        for seed in SEEDS:
            lines = seed.read_text(encoding="utf-8").split("\n")
            varied = [f"{line} (copy {copy})" if len(line.split()) > 8 else line for line in lines]
            path = folder / f"{copy:03d}_{seed.name}"
            path.write_text("\n".join(varied), encoding="utf-8")
            total += path.stat().st_size
    return total


def naive_import(folder: Path, db_path: Path) -> None:
    """The least an importer could do: blank-line blocks into one table."""
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TABLE blocks (file TEXT, position INTEGER, text TEXT)")
    for path in sorted(folder.glob("*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        connection.executemany("INSERT INTO blocks VALUES (?, ?, ?)", [(path.name, i, b) for i, b in enumerate(blocks)])
    connection.commit()
    connection.close()


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def peak_memory(action: Callable[[], object]) -> float:
    """Peak MB of Python allocations during one call (traced apart: tracing slows the timing)."""
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / 1_048_576
    tracemalloc.stop()
    return peak


def main() -> None:
    print(f"{'size':>5} {'MB':>6} {'s/MB':>8} {'peak MB':>8} {'naive s/MB':>11} {'ratio':>7} {'statements':>11}")
    for copies in (1, 10, 100):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            megabytes = make_copies(root / "corpus", copies) / 1_048_576
            workspace = create_workspace(root / "ws")
            seconds = timed(lambda: import_paths(workspace, [root / "corpus"]))
            statements = len(workspace.store.statements())
            peak = peak_memory(lambda: import_paths(create_workspace(root / "ws2"), [root / "corpus"]))
            naive_seconds = timed(lambda: naive_import(root / "corpus", root / "naive.db"))
            print(
                f"{copies:>4}x {megabytes:>6.2f} {seconds / megabytes:>8.3f} {peak:>8.1f} "
                f"{naive_seconds / megabytes:>11.3f} {seconds / naive_seconds:>6.1f}x {statements:>11}"
            )


if __name__ == "__main__":
    main()
