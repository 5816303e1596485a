"""How fast the TUI feels, measured with Textual's pilot against a blank app in the same run.

* start-up: from ``run_test()`` to a usable statements list, against a blank
  ``App`` started the same way;
* paragraph move: one ``ctrl+down`` in the editor (save, re-read the paragraph,
  glossary, checks, panes), against one key press in the blank app;
* typing: one character in the active target field, against one character in a
  plain ``TextArea`` in a blank app;
* a workspace of 1,000 statements opening to a usable list (the issue asks for
  under a second).

Ratios, not absolute times, are the portable figures: both sides run on the
same machine, in the same process, moments apart.

    python bench/tui.py [--repeat 5] [--statements 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer, Header, Label, TextArea

from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.importer import import_paths
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.statements import StatementsScreen
from workbench.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "statements"
SIZE = (140, 40)


class BlankApp(App[None]):
    """The baseline: a header, a label, a footer."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("blank")
        yield Footer()


async def blank_startup() -> float:
    started = time.perf_counter()
    async with BlankApp().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - started


async def blank_keypress(presses: int) -> float:
    async with BlankApp().run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(presses):
            await pilot.press("x")
        return (time.perf_counter() - started) / presses


class BlankTextApp(App[None]):
    """The typing baseline: the blank app with a plain text area to type in."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea()
        yield Footer()


async def blank_typing(presses: int) -> float:
    """Seconds per character typed into a plain ``TextArea``."""
    async with BlankTextApp().run_test(size=SIZE) as pilot:
        pilot.app.query_one(TextArea).focus()
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(presses):
            await pilot.press("x")
        return (time.perf_counter() - started) / presses


async def open_editor(app: WorkbenchApp, pilot: Pilot[None], statement_id: int) -> EditorScreen:
    """The editor on ``statement_id``, drawn and idle, as both editor measurements start from."""
    await pilot.pause()
    app.open_statement(statement_id)
    await pilot.pause()
    editor = app.screen
    assert isinstance(editor, EditorScreen)
    return editor


async def workbench_typing(workspace: Workspace, statement_id: int, presses: int) -> float:
    """Seconds per character typed into the editor's active target field."""
    app = WorkbenchApp(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, statement_id)
        editor.focus_mode(edit=True)
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(presses):
            await pilot.press("x")
        elapsed = (time.perf_counter() - started) / presses
        assert editor.active_pane.area.value.count("x") >= presses
        return elapsed


async def workbench_startup(workspace: Workspace) -> tuple[float, float]:
    """Seconds until the statements list is usable (a screenful of rows), and until it holds every row."""
    started = time.perf_counter()
    app = WorkbenchApp(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatementsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count >= min(SIZE[1], len(screen.rows))
        usable = time.perf_counter() - started
        while screen.loading:
            await pilot.pause()
        assert table.row_count == len(workspace.store.statements())
        return usable, time.perf_counter() - started


async def paragraph_moves(workspace: Workspace, statement_id: int, moves: int) -> float:
    """Seconds per ctrl+down, typing a few characters on each paragraph so every move saves."""
    app = WorkbenchApp(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, statement_id)
        moves = min(moves, len(editor.segments) - 1)
        elapsed = 0.0
        for _ in range(moves):
            editor.active_pane.area.insert("ok ")
            started = time.perf_counter()
            await pilot.press("ctrl+down")
            elapsed += time.perf_counter() - started
        await app.wait_for_saves()
        return elapsed / moves


def sample_workspace(root: Path) -> tuple[Workspace, int]:
    """The sample statements, imported; returns the statement with the most paragraphs."""
    workspace = create_workspace(root)
    import_paths(workspace, [SAMPLES])
    longest = max(workspace.store.statements(), key=lambda statement: statement["segment_count"])
    return workspace, longest["id"]


def large_workspace(root: Path, count: int, template: Workspace) -> Workspace:
    """``count`` statements made of the sample paragraphs, a third of them partly translated."""
    workspace = create_workspace(root)
    store = workspace.store
    samples = template.store.segments()
    with store.transaction():
        for number in range(count):
            statement_id = store.save_statement({
                "slug": f"statement-{number}", "title": f"Statement {number}: " + samples[number % len(samples)]["source"][:60],
                "date": f"20{10 + number % 15}-0{1 + number % 9}-1{number % 9}", "truncated": number % 7 == 0,
                "source_file": f"data/statements/bulk-{number // 50}.txt", "start_line": 1,
                "fingerprint": f"bulk-{number}", "metadata": {},
            })
            rows = []
            for position in range(10):
                segment = samples[(number * 10 + position) % len(samples)]
                rows.append({"id": f"b{number}-{position}", "statement_id": statement_id, "position": position,
                             "kind": segment["kind"], "source": segment["source"], "source_lang": segment["source_lang"],
                             "previous_source": None, "line": position + 1, "obsolete": 0})
            store.db["segments"].insert_all(rows)
            if number % 3 == 0:
                for position in range(4):
                    store.save_translation(f"b{number}-{position}", "es", "traducción", "translated", author="bench")
    return workspace


async def main(repeat: int, statements: int, moves: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        workspace, longest = sample_workspace(root / "sample")
        large = large_workspace(root / "large", statements, workspace)

        blank_start = statistics.median([await blank_startup() for _ in range(repeat)])
        sample_runs = [await workbench_startup(workspace) for _ in range(repeat)]
        large_runs = [await workbench_startup(large) for _ in range(repeat)]
        sample_start = statistics.median(usable for usable, _ in sample_runs)
        large_start = statistics.median(usable for usable, _ in large_runs)
        large_full = statistics.median(full for _, full in large_runs)
        blank_key = statistics.median([await blank_keypress(moves) for _ in range(repeat)])
        move = statistics.median([await paragraph_moves(workspace, longest, moves) for _ in range(repeat)])
        blank_type = statistics.median([await blank_typing(moves) for _ in range(repeat)])
        typing = statistics.median([await workbench_typing(workspace, longest, moves) for _ in range(repeat)])

    print(f"blank Textual app start-up:            {blank_start * 1000:7.1f} ms")
    print(f"workbench start-up (sample workspace):   {sample_start * 1000:7.1f} ms   ratio {sample_start / blank_start:5.2f}x")
    print(f"workbench start-up ({statements} statements):  {large_start * 1000:7.1f} ms   ratio {large_start / blank_start:5.2f}x"
          f"   {'under' if large_start < 1 else 'OVER'} one second to a usable list")
    print(f"  … every row in the table:              {large_full * 1000:7.1f} ms   (one fill up to 2,000 rows, then chunks)")
    print(f"blank app key press:                     {blank_key * 1000:7.1f} ms")
    print(f"paragraph move (save + show):            {move * 1000:7.1f} ms   ratio {move / blank_key:5.2f}x")
    print(f"blank app typing in a TextArea:          {blank_type * 1000:7.1f} ms")
    print(f"typing in the target field:              {typing * 1000:7.1f} ms   ratio {typing / blank_type:5.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is printed")
    parser.add_argument("--statements", type=int, default=1000, help="statements in the large workspace")
    parser.add_argument("--moves", type=int, default=20, help="paragraph moves (and blank key presses) per run")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.repeat, arguments.statements, arguments.moves))
