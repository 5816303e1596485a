"""PO export speed: workbench's exporter against polib's own save of the same entries.

The sample corpus is imported once and its statements copied 100 times in the
store (new slugs and segment ids), then translated into the workspace's 4 locales
with every status, quotes, newlines, non-ASCII and translator comments. Timed
(best of 3 runs each):

* workbench: ``export_po`` end to end — database reads, glossary notes, export
  records, rendering, atomic writes;
* polib: ``POFile.save()`` of the very same files (parsed from workbench's output
  beforehand, untimed), i.e. only polib's rendering and writing.

A third figure, a re-export when nothing changed, shows what a volunteer's
second ``workbench export`` costs: unchanged files are compared, not rewritten.

The ratio is workbench / polib; the target is 1.5 or less.

Run: .venv/bin/python bench/export.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import polib  # noqa: E402

from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.formats.po import export_po  # noqa: E402
from workbench.importer import import_paths  # noqa: E402
from workbench.store import Draft, Store  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

COPIES = 100
RUNS = 3
TARGET_RATIO = 1.5
HUMAN_STATUSES = ("needs-review", "translated", "approved")


def build_corpus(workspace: Workspace, copies: int) -> int:
    """Import the sample statements, copy them ``copies`` times, translate them; returns the segment count."""
    import_paths(workspace, [REPO / "data" / "statements"])
    store = workspace.store
    originals = store.statements()
    segments = store.segments()
    with store.transaction():
        for copy in range(1, copies):
            for statement in originals:
                record = {key: statement[key] for key in ("title", "date", "date_text", "source_file", "start_line", "truncated", "metadata")}
                record["slug"] = f"{statement['slug']}-copy-{copy}"
                new_id = store.save_statement(record)
                store.insert_segments([
                    {**{k: v for k, v in segment.items()}, "id": f"{segment['id']}-{copy}", "statement_id": new_id}
                    for segment in segments if segment["statement_id"] == statement["id"]
                ])
    translate(store, workspace.target_locales)
    return len(store.segments())


def translate(store: Store, locales: list[str]) -> None:
    """Every status in a fixed mix; about one segment in ten stays untranslated."""
    all_segments = store.segments()
    with store.transaction():
        for locale in locales:
            drafts = [
                Draft(segment["id"], locale, f"«{segment['source']}» \"{locale}\" ✊\\ {index}", "mt:bench")
                for index, segment in enumerate(all_segments) if index % 10
            ]
            store.save_machine_drafts(drafts)
            for index, segment in enumerate(all_segments):
                if index % 10 and index % 3 == 0:
                    status = HUMAN_STATUSES[index % len(HUMAN_STATUSES)]
                    text = f"{segment['source']}\n— {locale} ñ 漢字"
                    store.save_translation(segment["id"], locale, text, status, author="bench", comment="revisar\n\"tono\"" if index % 2 else None)


def best_of(runs: int, action: Callable[[int], object]) -> float:
    """Fastest of ``runs`` calls; each call gets its run number, to write somewhere new."""
    times = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        workspace = create_workspace(root / "ws")
        setup = time.perf_counter()
        segment_count = build_corpus(workspace, COPIES)
        print(f"corpus: {COPIES}x, {segment_count} segments x {len(workspace.target_locales)} locales "
              f"(built in {time.perf_counter() - setup:.1f} s)")

        # Both sides write into a new folder on every run: replacing a file just
        # written costs a data flush on ext4, which would favour whoever writes fresh.
        first = export_po(workspace, out_dir=root / "first")
        ours = best_of(RUNS, lambda run: export_po(workspace, out_dir=root / f"workbench-{run}"))
        again = best_of(RUNS, lambda run: export_po(workspace, out_dir=root / "first"))

        parsed = [(polib.pofile(str(path)), path.relative_to(root / "first")) for path in first.files]
        for run in range(RUNS):
            for _, relative in parsed:
                (root / f"polib-{run}" / relative).parent.mkdir(parents=True, exist_ok=True)
        theirs = best_of(RUNS, lambda run: [po.save(str(root / f"polib-{run}" / relative)) for po, relative in parsed])

        entries = sum(len(po) for po, _ in parsed)
        size = sum(path.stat().st_size for path in first.files) / 1_048_576
        ratio = ours / theirs
        print(f"{len(first.files)} files, {entries} entries, {size:.1f} MB")
        print(f"workbench export_po:       {ours:8.2f} s")
        print(f"polib POFile.save:         {theirs:8.2f} s")
        print(f"workbench re-export, no change: {again:.2f} s (files already up to date are left alone)")
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        print(f"ratio workbench/polib: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
