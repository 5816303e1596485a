"""f10 in the TUI: a sync in the background, step by step, then what came in and the conflicts to settle.

Real git as in tests/test_sync.py (its bare repository, clones and git
settings are reused): one volunteer syncs from the core, the other presses
f10 in the app, as they would.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, OptionList

from tests.test_sync import Team, assert_clean, git, own_git_settings, team, team_repository  # noqa: F401 - fixtures used by name
from tests.test_tui import (area, make_app, notified, open_statement, pilot_test, settle, shown, wait_for, wait_for_screen,
                            workers_done)
from workbench.glossary import Rendering, add_term
from workbench.sync import STEPS
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.conflict import ConflictScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.glossary import GlossaryScreen
from workbench.tui.screens.statements import StatementsScreen
from workbench.tui.screens.sync import SyncReportScreen
from workbench.tui.widgets.progress import JobProgress, JobState

SIZE = (140, 40)


def recorded_steps(app: WorkbenchApp, screen: Any) -> list[JobState]:
    """Every state the sync strip is told, in order."""
    states: list[JobState] = []
    app.job_signal.subscribe(screen, lambda update: states.append(update[1]) if update[0] == "sync" else None, immediate=True)
    return states


@pilot_test
async def test_f10_syncs_in_the_background_step_by_step_and_lists_the_statements_and_terms_that_came_in(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[1]
    ana.edit(paragraph, "es", "La alianza está con los pescadores del mundo hoy.")
    ana.edit(paragraph, "fr_CA", "L'alliance est avec les pêcheurs du monde aujourd'hui.")
    add_term(ana.workspace.store, "fishers", kind="role", renderings={"es": Rendering("pescadores")})
    ana.sync()
    statement_id = ben.workspace.store.segment(paragraph)["statement_id"]
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        states = recorded_steps(app, statements)
        await pilot.press("f10")
        report = await wait_for_screen(pilot, SyncReportScreen)
        await workers_done(pilot)

        labels = [state.label for state in states if state.running]
        assert labels[0] == "Syncing with origin" and "Syncing with origin · fetching" in labels
        assert "Syncing with origin · importing" in labels and not app.jobs["sync"].running
        assert [state.done for state in states if state.running and state.done] == sorted(
            state.done for state in states if state.running and state.done)  # the bar only moves forward
        assert all(state.total == len(STEPS) for state in states if state.running)
        assert not statements.query_one("#sync-progress", JobProgress).display
        assert "Synced with origin" in shown(report.query_one(".dialog-title"))
        lines = report.query_one("#sync-items", OptionList)
        prompts = [str(lines.get_option_at_index(i).prompt) for i in range(lines.option_count)]
        assert len(prompts) == 2
        assert "Solidarity with fishers" in prompts[0] and "2 paragraphs: es 1, fr_CA 1" in prompts[0]
        assert "glossary: fishers" in prompts[1]

        await pilot.press("enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        assert editor.statement_id == statement_id
        await wait_for(pilot, lambda: editor.document is not None, "the statement to load")
        assert (editor.segment["id"], editor.lang) == (paragraph, "es")  # at the first paragraph that came in

        await pilot.press("f10")
        await wait_for(pilot, lambda: notified(app, title="Synced with origin", text="nothing new came in"), "the second sync")


@pilot_test
async def test_a_term_in_the_sync_report_opens_the_glossary_at_that_term(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    add_term(ana.workspace.store, "fishers", kind="role", renderings={"es": Rendering("pescadores")})
    add_term(ana.workspace.store, "wages", kind="concept", renderings={"es": Rendering("salarios")})
    ana.sync()
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        report = await wait_for_screen(pilot, SyncReportScreen)
        await workers_done(pilot)
        lines = report.query_one("#sync-items", OptionList)
        assert lines.option_count == 2
        lines.highlighted = 1
        await pilot.press("enter")
        glossary = await wait_for_screen(pilot, GlossaryScreen)
        await wait_for(pilot, lambda: [term.term for term in glossary.shown] == ["wages"], "the glossary filtered to the term")
        assert glossary.query_one("#terms-table", DataTable).row_count == 1


async def sync_into_conflict(pilot: Any) -> tuple[SyncReportScreen, ConflictScreen]:
    """f10, then Enter on the report's one conflict: the report and the conflict dialog over it."""
    await pilot.press("f10")
    report = await wait_for_screen(pilot, SyncReportScreen)
    await workers_done(pilot)
    assert "1 conflict to settle" in shown(report.query_one(".dialog-title"))
    await pilot.press("enter")
    return report, await wait_for_screen(pilot, ConflictScreen)


def two_ways(team: Team) -> tuple[Any, Any, str]:
    """Ana and Ben translate one paragraph into es two ways; Ana syncs first."""
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.edit(paragraph, "es", "Texto de Ana.")
    ben.edit(paragraph, "es", "Texto de Ben.")
    ana.sync()
    return ana, ben, paragraph


@pilot_test
async def test_a_conflict_a_sync_kept_is_settled_in_the_conflict_dialog_by_keeping_theirs(team: Team) -> None:
    _, ben, paragraph = two_ways(team)
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        report, dialog = await sync_into_conflict(pilot)
        assert "Changed here and by a teammate" in shown(dialog.query_one(".dialog-title"))
        assert shown(dialog.query_one("#conflict-theirs")) == "Texto de Ana."
        assert shown(dialog.query_one("#conflict-mine")) == "Texto de Ben."
        assert "Ana <ana@example.org>" in str(dialog.query_one("#conflict-theirs").border_title)

        await pilot.press("t")
        await wait_for_screen(pilot, SyncReportScreen)
        await settle(app, pilot)
        row = ben.workspace.store.translation(paragraph, "es")
        assert (row["text"], row["status"]) == ("Texto de Ana.", "translated")
        assert "Texto de Ben." in ben.kept(paragraph, "es")
        lines = report.query_one("#sync-items", OptionList)
        assert str(lines.get_option_at_index(0).prompt).startswith("✓ theirs kept")
        assert shown(report.query_one(".dialog-title")) == "Synced with origin"  # nothing left to settle


@pilot_test
async def test_keeping_yours_after_a_sync_conflict_confirms_it_and_the_next_sync_sends_it(team: Team) -> None:
    ana, ben, paragraph = two_ways(team)
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        await sync_into_conflict(pilot)
        await pilot.press("m")
        await wait_for_screen(pilot, SyncReportScreen)
        await settle(app, pilot)
        row = ben.workspace.store.translation(paragraph, "es")
        assert (row["text"], row["status"], row["author"]) == ("Texto de Ben.", "translated", app.author)
        await pilot.press("escape")
        await wait_for_screen(pilot, StatementsScreen)
        await pilot.press("f10")
        await wait_for(pilot, lambda: not app.jobs["sync"].running and notified(app, title="Synced with origin"), "the second sync")
    ana.sync()
    assert ana.text(paragraph, "es") == "Texto de Ben."
    assert ana.workspace.store.translation(paragraph, "es")["status"] == "translated"


@pilot_test
async def test_merging_a_sync_conflict_by_hand_opens_the_editor_with_theirs_in_view(team: Team) -> None:
    _, ben, paragraph = two_ways(team)
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        await sync_into_conflict(pilot)
        await pilot.press("e")
        editor = await wait_for_screen(pilot, EditorScreen)
        await wait_for(pilot, lambda: editor.document is not None and editor.segment["id"] == paragraph, "the paragraph")
        assert editor.lang == "es"
        assert editor.merging[(paragraph, "es")] == ("Texto de Ana.", "Texto de Ben.")
        assert (paragraph, "es") in app.resolving


@pilot_test
async def test_f10_again_stops_a_sync_whose_server_hangs_and_the_work_stays_committed(team: Team) -> None:
    ben = team.join("ben")
    paragraph = ben.segments()[2]
    ben.sync()
    ben.edit(paragraph, "es", "Guardado aunque se pare.")
    ben.git("config", "remote.origin.uploadpack", "sleep 60; git-upload-pack")
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.jobs["sync"].label.endswith("fetching"), "the fetch to begin")
        strip = app.screen.query_one("#sync-progress", JobProgress)
        assert strip.display and "f10 cancel" in shown(strip.query_one(".job-hint"))
        assert shown(strip.query_one(".job-rate")) == f"4/{len(STEPS)} steps"
        await pilot.press("f10")
        await wait_for(pilot, lambda: notified(app, title="Sync stopped", text="your work is committed here"), "the sync to stop")
        await workers_done(pilot)
        assert not app.jobs["sync"].running and not strip.display
    assert_clean(ben)
    assert "Guardado aunque se pare." in ben.git("show", "HEAD:locales/es/LC_MESSAGES/solidarity-with-fishers.po")


@pilot_test
async def test_a_sync_with_the_remote_gone_says_the_work_is_kept_in_one_notice(team: Team) -> None:
    ben = team.join("ben")
    ben.edit(ben.segments()[2], "es", "Sin red.")
    (team.remote / "HEAD").unlink()  # the server's repository is broken: git cannot read it
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10")
        await wait_for(pilot, lambda: notified(app, title="Offline: work kept", text="next sync will send it"), "the offline notice")
        await workers_done(pilot)
        assert isinstance(app.screen, StatementsScreen)


@pilot_test
async def test_text_being_typed_when_f10_is_pressed_is_saved_and_goes_out_with_the_sync(team: Team) -> None:
    ben = team.join("ben")
    ben.sync()
    app = make_app(ben.workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 1)
        area(editor).load_text("")
        await pilot.press(*"Escrito justo antes")
        segment_id, lang = editor.segment["id"], editor.lang
        await pilot.press("f10")
        await wait_for(pilot, lambda: notified(app, title="Synced with origin"), "the sync")
        await workers_done(pilot)
    assert ben.text(segment_id, lang) == "Escrito justo antes"
    remote = git(team.remote, "show", f"main:locales/{lang}/LC_MESSAGES/solidarity-with-fishers.po")
    assert 'msgstr "Escrito justo antes"' in remote
