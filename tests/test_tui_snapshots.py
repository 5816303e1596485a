"""Snapshots of the main screens (pytest-textual-snapshot), on the known workspace of test_tui.

Update after a deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__`` before committing them.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from tests.test_tui import build_workspace, glossary_open, looked_up, wait_for, wait_for_screen, workers_done
from workbench.store import Draft, Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.conflict import ConflictScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.glossary import TermForm
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.themes import DARK_THEME, LIGHT_THEME
from workbench.tui.widgets.editor.paragraph import ParagraphSource
from workbench.workspace import Workspace

SIZE = (140, 40)
SnapCompare = Callable[..., bool]


def stop_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every save is a minute after the one before, from 1 May 2025 09:00 UTC: dates shown stay put."""
    minutes = itertools.count()
    monkeypatch.setattr("workbench.store.content.now", lambda: f"2025-05-01T{9 + (m := next(minutes)) // 60:02d}:{m % 60:02d}:00+00:00")


@pytest.fixture
def snapshot_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The known workspace with some work done: drafts, confirmed and approved paragraphs (saved at known times)."""
    workspace = build_workspace(tmp_path / "ws")
    stop_the_clock(monkeypatch)
    store = workspace.store
    store.save_machine_drafts([
        Draft("s1p1", "es", "La Alianza Internacional de Migrantes apoya a los trabajadores migrantes.", "argos"),
        Draft("s1p1", "id", "Aliansi Migran Internasional mendukung pekerja migran di mana-mana.", "argos"),
    ])
    store.save_translation("s1p0", "es", "Declaración sobre el Día Internacional del Migrante", "approved", author="ana")
    store.save_translation("s1p0", "fr_CA", "Déclaration sur la Journée internationale des migrants", "translated", author="luc")
    store.save_translation("s1p1", "fr_CA", "L'Alliance internationale des migrants soutient les travailleurs migrants.",
                           "needs-review", author="luc")
    store.save_translation("s1p2", "es", "En 2016, 244 millones de personas vivían fuera de su país natal.", "translated", author="ana")
    store.save_translation("s1p3", "es", "Los migrantes exigen justicia y dignidad.", "needs-review", author="ana")
    store.save_translation("s3p0", "es", "¡Trabajadores migrantes de la región 1, uníos!", "approved", author="ana")
    return workspace


def app_for(workspace: Workspace, theme: str = DARK_THEME) -> WorkbenchApp:
    return WorkbenchApp(workspace, theme=theme)


def ready(screen: Any) -> bool:
    """Whether a screen shows what it will keep showing: mounted, and its checks or memory lookup done."""
    if not screen.is_mounted:
        return False
    if isinstance(screen, ReviewScreen):
        return not screen.checking
    if isinstance(screen, EditorScreen) and screen.segments:
        return looked_up(screen)
    return True


async def settled(pilot: Pilot[Any]) -> None:
    """Let the screen's workers (checks, memory lookups) deliver, and the screen repaint.

    Cursors stop blinking, so a snapshot never catches one mid-blink on a busy machine.
    """
    await wait_for(pilot, lambda: ready(pilot.app.screen), "the screen to settle")
    await workers_done(pilot)
    for field in [*pilot.app.screen.query(TextArea), *pilot.app.screen.query(Input)]:
        field.cursor_blink = False
    await pilot.pause()


Until = Callable[[Any], object]


def at_paragraph(index: int, *, navigating: bool = False) -> Until:
    """The editor shows paragraph ``index`` (in navigation mode, if asked)."""

    def check(app: Any) -> bool:
        editor = app.screen
        return isinstance(editor, EditorScreen) and editor.index == index and (
            not navigating or isinstance(app.focused, ParagraphSource))

    return check


def open_at(statement_id: int, *keys: str, until: Until = lambda _app: True) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that opens a statement from the list, presses ``keys`` and waits ``until`` they took effect."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(statement_id)))
        await pilot.press("enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        await wait_for(pilot, lambda: editor.focused is not None, "the editor to take the focus")
        await pilot.press(*keys)
        await wait_for(pilot, lambda: until(pilot.app), f"the effect of {keys}")
        await settled(pilot)

    return run_before


def test_statements_screen(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE, run_before=settled)


def test_statements_screen_light(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    assert snap_compare(app_for(snapshot_workspace, LIGHT_THEME), terminal_size=SIZE, run_before=settled)


def test_editor_typing(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    """¶2: glossary terms highlighted, a machine draft in the field, findings in the side panel."""
    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE,
                        run_before=open_at(1, "enter", "ctrl+down", until=at_paragraph(1)))


def test_editor_navigating_a_changed_source(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    """¶4: the word diff of the changed source; navigation mode, where the editor opens."""
    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE,
                        run_before=open_at(1, "j", "j", "j", until=at_paragraph(3, navigating=True)))


def test_editor_translation_memory(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE, run_before=open_at(4))


def test_editor_literal_text(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    """Markup-like brackets and ANSI escapes in a source show as typed."""
    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE,
                        run_before=open_at(2, "ctrl+down", until=at_paragraph(1)))


def test_glossary_screen(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await glossary_open(pilot)
        await settled(pilot)

    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE, run_before=run_before)


def test_glossary_term_form(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await glossary_open(pilot)
        await pilot.press("e")
        await wait_for_screen(pilot, TermForm)
        await settled(pilot)

    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE, run_before=run_before)


def test_review_screen(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f4")
        await wait_for_screen(pilot, ReviewScreen)
        await settled(pilot)

    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE,
                        run_before=open_at(1, "f1", until=lambda app: isinstance(app.screen, HelpScreen)))


def test_conflict_dialog(snap_compare: SnapCompare, snapshot_workspace: Workspace) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_at(1)(pilot)
        teammate = Store(snapshot_workspace.db_path)
        teammate.save_translation("s1p0", "es", "Declaración del Día del Migrante (versión de Ana)", "translated", author="ana")
        teammate.close()
        editor = pilot.app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("enter", "end", *" [editado]")
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph (which saves)")
        await pilot.app.wait_for_saves()  # type: ignore[attr-defined]
        await wait_for_screen(pilot, ConflictScreen)
        await settled(pilot)

    assert snap_compare(app_for(snapshot_workspace), terminal_size=SIZE, run_before=run_before)
