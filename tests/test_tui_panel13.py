"""Issue 13's side panel, history and comments: findings worded for people, other languages' findings folded,
memory suggestions with a word diff and their provenance, a paragraph's history with undo, redo and
restore, and comments that travel with the history and through PO files.

Pilot tests drive the TUI by keys on the known workspace of test_tui; the
snapshots (80×24 and 160×48) fix the time every version was saved, so the
history reads the same on every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from tests.test_tui import (
    build_workspace,
    looked_up,
    notified,
    open_statement,
    pilot_test,
    settle,
    shown,
    wait_for,
    wait_for_screen,
)
from tests.test_tui_snapshots import SnapCompare, at_paragraph, open_at, settled, stop_the_clock
from workbench.checks import check_segment
from workbench.formats.po import export_po, import_po
from workbench.glossary import Glossary, Rendering, Term
from workbench.store import Draft, Store
from workbench.tm import TranslationMemory
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.comment import CommentScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.history import HistoryScreen, origin_label
from workbench.tui.themes import DARK_THEME
from workbench.tui.widgets.editor.paragraph import ParagraphSource
from workbench.tui.widgets.editor.side_panel import SidePanel
from workbench.workflow import NothingToRestoreError, can_undo_redo, restore_version, save_comment
from workbench.workspace import Workspace

SIZE = (140, 40)


def make_app(workspace: Workspace) -> WorkbenchApp:
    """The app with a known volunteer, so what the history and notices say is the same on every machine."""
    return WorkbenchApp(workspace, theme=DARK_THEME, author="carla")


@pytest.fixture
def panel_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The known workspace where ¶2 of statement 1 has work in every language: findings in three of them, a comment in es,
    and a history of a draft and two edits."""
    workspace = build_workspace(tmp_path / "ws")
    stop_the_clock(monkeypatch)
    store = workspace.store
    store.save_machine_drafts([Draft("s1p1", "es", "La Alianza Internacional de Migrantes apoya a los trabajadores.", "mt:argos/en-es/1.9")])
    store.save_translation("s1p1", "es", "La Alianza Internacional de Migrantes apoya a los trabajadores migrantes.",
                           "needs-review", author="ben")
    store.save_translation("s1p1", "es", "La Alianza Internacional de Migrantes apoya a los trabajadores migrantes en todas partes.",
                           "translated", author="ana", comment="“en todas partes”: ¿o “en todo el mundo”?")
    store.save_translation("s1p1", "fr_CA", "L'IMA soutient les travailleurs.", "translated", author="luc")
    store.save_translation("s1p1", "id", "IMA IMA mendukung pekerja migran.", "translated", author="dewi")
    store.save_translation("s1p1", "tl", "Sinusuportahan ng IMA ang mga migrante", "needs-review", author="jun")
    return workspace


async def open_paragraph_2(pilot: Pilot[Any]) -> EditorScreen:
    editor = await open_statement(pilot)
    await pilot.press("ctrl+down")
    await wait_for(pilot, lambda: editor.index == 1 and looked_up(editor), "¶2 and its memory lookup")
    return editor


async def navigating(pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, ParagraphSource), "navigation mode")


def history_of(workspace: Workspace, segment_id: str = "s1p1", lang: str = "es") -> list[tuple[str, str]]:
    return [(entry["action"], entry["text"]) for entry in workspace.store.history(segment_id, lang)]


# -- 1. findings written for people -----------------------------------------------------------------


def test_findings_quote_with_curly_marks_and_show_a_no_break_space_as_a_space() -> None:
    glossary = Glossary([Term(1, "rights violations", renderings={"es": Rendering("violaciones de derechos")})])
    [finding] = check_segment("Stop the rights\xa0violations now.", "Paren los abusos ya.", "es", glossary)
    assert finding.message == "“rights violations” should be rendered “violaciones de derechos”"
    [ending] = [f for f in check_segment("Stop them now!", "Paren ya.", "es", Glossary([])) if f.check_id == "end-punctuation"]
    assert ending.message == "the source ends with “!”, the target with “.”"


def test_a_term_that_stays_as_it_is_is_worded_so_and_not_as_rendered_as_itself() -> None:
    glossary = Glossary([
        Term(1, "GFMD", kind="acronym", treatment="established", renderings={"id": Rendering("GFMD"), "es": Rendering("FMMD")}),
        Term(2, "IMA", kind="acronym", treatment="keep"),
    ])
    messages = [finding.message for finding in check_segment("The GFMD and the IMA met.", "Forum dan aliansi bertemu.", "id", glossary)]
    assert messages == ["“GFMD” must stay as it is",
                        "“IMA” must stay as it is: it is missing or altered, and names and acronyms are not translated"]
    [spanish] = check_segment("The GFMD met.", "El foro se reunió.", "es", glossary)
    assert spanish.message == "“GFMD” should be rendered “FMMD”"
    _, problems = glossary.enforce("The GFMD met.", "Forum bertemu.", "id")
    assert problems == ["“GFMD” must stay as it is: the draft alters or drops it"]


# -- 2. the side panel: the active language's findings first, the others folded ----------------------------


@pilot_test
async def test_the_side_panel_lists_the_active_languages_findings_and_folds_the_others(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_paragraph_2(pilot)
        side = editor.query_one(SidePanel)
        folds = side.query_one("#finding-folds", OptionList)
        assert "no problems found" in shown(side.query_one("#findings"))
        assert list(side.folded_findings) == ["fr_CA", "id", "tl"]
        assert [str(folds.get_option_at_index(i).prompt).split("  ")[0] for i in range(folds.option_count)] == ["▸ fr_CA", "▸ id", "▸ tl"]
        total = sum(map(len, side.folded_findings.values()))
        assert f"+{total} in other languages" in shown(side.query_one("#findings-title"))

        await navigating(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: app.focused is folds, "the fold lines to take the focus")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: side.unfolded == {"id"}, "id to unfold")
        unfolded = str(folds.get_option_at_index(1).prompt)
        assert unfolded.startswith("▾ id") and "“IMA” is repeated" in unfolded
        assert "“" not in str(folds.get_option_at_index(0).prompt)  # fr_CA stays a count line
        await pilot.press("enter")
        await wait_for(pilot, lambda: not side.unfolded, "id to fold again")

        await pilot.press("escape", "tab")
        await wait_for(pilot, lambda: editor.lang == "fr_CA", "fr_CA to become the active language")
        assert "“International Migrants Alliance” should be rendered" in shown(side.query_one("#findings"))
        assert "fr_CA" not in side.folded_findings and "es" not in side.folded_findings


@pilot_test
async def test_f_says_so_when_no_other_language_has_findings(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        assert not editor.query_one("#finding-folds").display
        await navigating(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: notified(app, text="No findings in the languages besides es"), "the notice")


# -- 3. memory suggestions: a word diff against this source, and where each comes from -----------------------


def test_memory_matches_say_which_statement_volunteer_and_date_they_come_from(panel_workspace: Workspace) -> None:
    store = panel_workspace.store
    store.save_translation("s3p0", "es", "¡Trabajadores migrantes de la región 1, uníos!", "approved", author="ana")
    memory = TranslationMemory(store)
    matches = memory.lookup("Migrant workers of region 2 unite.", "es", exclude_segment="s4p0")
    [origin] = memory.provenance(matches, "es").values()
    assert (origin.statement, origin.author, origin.updated) == ("Solidarity statement number 1", "ana", store.translation("s3p0", "es")["updated"])


@pilot_test
async def test_a_suggestion_shows_how_its_source_differs_and_where_it_comes_from(panel_workspace: Workspace) -> None:
    panel_workspace.store.save_translation("s3p0", "es", "¡Trabajadores migrantes de la región 1, uníos!", "approved", author="ana")
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 4)
        await wait_for(pilot, lambda: looked_up(editor), "the translation-memory lookup")
        prompt = editor.query_one("#suggestions", OptionList).get_option_at_index(0).prompt
        lines = prompt.plain.split("\n")
        assert lines[0].endswith("¡Trabajadores migrantes de la región 1, uníos!")
        assert lines[1] == "Migrant workers of region 12 unite."
        assert lines[2] == "Solidarity statement number 1 · ana · 2025-05-01"
        styled = {prompt.plain[span.start:span.end]: str(span.style) for span in prompt.spans}
        assert "strike" in styled["1"] and "underline" in styled["2"]


# -- 4. the paragraph's history: undo, redo, restore ---------------------------------------------------------


def test_origins_are_named_in_a_word_or_two() -> None:
    assert [origin_label(origin) for origin in (None, "human", "mt:argos/en-es/1.9", "tm:s3p0", "po", "copy")] == [
        "human", "human", "MT argos", "TM", "PO file", "source copied"]


def test_restoring_the_version_the_translation_holds_now_is_refused_and_undo_redo_say_what_they_can(panel_workspace: Workspace) -> None:
    store = panel_workspace.store
    with pytest.raises(NothingToRestoreError, match="version 3 reads as the translation does now"):
        restore_version(store, "s1p1", "es", 3, author="carla", expected_version=3)
    assert can_undo_redo(store.history("s1p1", "es")) == (True, False)
    store.undo("s1p1", "es", author="carla")
    assert can_undo_redo(store.history("s1p1", "es")) == (True, True)
    assert can_undo_redo([]) == (False, False)


@pilot_test
async def test_the_history_lists_who_changed_what_when_and_from_where_newest_first(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_paragraph_2(pilot)
        await pilot.press("f9")
        history = await wait_for_screen(pilot, HistoryScreen)
        versions = history.query_one(OptionList)
        prompts = [versions.get_option_at_index(i).prompt for i in range(versions.option_count)]
        heads = [prompt.plain.split("\n")[0] for prompt in prompts]
        assert heads == [
            "v3 ● translated  ana · 2025-05-01 09:02 · human · edited  ← now",
            "v2 ◆ needs review  ben · 2025-05-01 09:01 · human · edited",
            "v1 ◐ MT draft  2025-05-01 09:00 · MT argos · drafted",
        ]
        assert prompts[0].plain.split("\n")[2] == "# “en todas partes”: ¿o “en todo el mundo”?"
        inserted = [prompts[0].plain[s.start:s.end] for s in prompts[0].spans if "underline" in str(s.style)]
        assert "".join(inserted).strip() == "en todas partes"
        assert app.focused is versions


@pilot_test
async def test_undo_and_redo_in_the_history_walk_back_and_forth_and_the_editor_follows(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    store = panel_workspace.store
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_paragraph_2(pilot)
        await navigating(pilot)
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        await pilot.press("u")
        await wait_for(pilot, lambda: len(history.entries) == 4, "the undo")
        await pilot.press("u")
        await wait_for(pilot, lambda: len(history.entries) == 5, "the second undo")
        assert store.translation("s1p1", "es")["text"] == "La Alianza Internacional de Migrantes apoya a los trabajadores."
        assert "undone" in history.query_one(OptionList).get_option_at_index(2).prompt.plain.split("\n")[0]
        await pilot.press("r")
        await wait_for(pilot, lambda: len(history.entries) == 6, "the redo")
        current = store.translation("s1p1", "es")
        assert (current["text"], current["status"]) == ("La Alianza Internacional de Migrantes apoya a los trabajadores migrantes.", "needs-review")
        assert notified(app, text="es: redone (u undoes it again).")
        await pilot.press("escape")
        await wait_for_screen(pilot, EditorScreen)
        assert editor.active_pane.record["version"] == 6
        assert editor.active_pane.area.text == current["text"]
        assert [action for action, _ in history_of(panel_workspace)] == ["draft", "edit", "edit", "undo", "undo", "redo"]


@pilot_test
async def test_enter_restores_the_highlighted_version_as_a_new_one_that_undo_takes_back(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    store = panel_workspace.store
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_paragraph_2(pilot)
        await pilot.press(*" Ya.")  # an edit in progress is saved before the history opens, so it is listed
        await pilot.press("f9")
        history = await wait_for_screen(pilot, HistoryScreen)
        assert history.entries[-1]["text"].endswith("Ya.")
        await pilot.press("end", "enter")  # the oldest: the machine draft
        await wait_for(pilot, lambda: history.entries[-1]["action"] == "restore", "the restore")
        restored = store.translation("s1p1", "es")
        assert (restored["text"], restored["status"], restored["origin"], restored["version"]) == (
            "La Alianza Internacional de Migrantes apoya a los trabajadores.", "machine", "mt:argos/en-es/1.9", 5)
        assert notified(app, text="es: v1 restored as v5 (u undoes it).")
        assert history.query_one(OptionList).highlighted == 4  # still on v1
        await pilot.press("u")
        await wait_for(pilot, lambda: history.entries[-1]["action"] == "undo", "the undo of the restore")
        assert store.translation("s1p1", "es")["text"].endswith("Ya.")
        await pilot.press("escape")
        await wait_for_screen(pilot, EditorScreen)
        assert editor.active_pane.area.text.endswith("Ya.")


@pilot_test
async def test_a_restore_that_meets_a_teammates_newer_version_is_a_conflict_that_keeps_both(panel_workspace: Workspace) -> None:
    from workbench.tui.screens.conflict import ConflictScreen

    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_paragraph_2(pilot)
        await pilot.press("f9")
        history = await wait_for_screen(pilot, HistoryScreen)
        teammate = Store(panel_workspace.db_path)
        teammate.save_translation("s1p1", "es", "La IMA apoya a los trabajadores migrantes.", "translated", author="ben")
        teammate.close()
        await pilot.press("end", "enter")
        conflict = await wait_for_screen(pilot, ConflictScreen)
        assert conflict.request.text == "La Alianza Internacional de Migrantes apoya a los trabajadores."
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen is history, "back to the history")
        await settle(app, pilot)
        texts = [text for _, text in history_of(panel_workspace)]
        assert texts[-2:] == ["La Alianza Internacional de Migrantes apoya a los trabajadores.", "La IMA apoya a los trabajadores migrantes."]


@pilot_test
async def test_the_history_of_a_translation_never_saved_says_so(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press("f9")
        history = await wait_for_screen(pilot, HistoryScreen)
        assert "No saved version in es yet" in shown(history.query_one("#history-empty"))
        assert not history.query_one(OptionList).display
        assert history.check_action("undo", ()) is None and history.check_action("redo", ()) is None


@pilot_test
async def test_history_and_comment_keys_are_in_help_and_in_the_palette(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        titles = {command.title for command in app.get_system_commands(editor)}
        assert {"History", "Comment", "Other languages' checks"} <= titles
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        text = "\n".join(shown(static) for static in help_screen.query(".help-keys"))
        assert "f9" in text and "f10" in text and "History" in text and "Comment" in text
        sections = [shown(static) for static in help_screen.query(".help-section")]
        assert any(title.startswith("Paragraph history") for title in sections)
        assert any(title.startswith("Comment") for title in sections)


# -- 5. comments -----------------------------------------------------------------------------------


@pilot_test
async def test_a_comment_typed_in_the_dialog_is_saved_with_the_history_and_shown_in_the_side_panel(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    store = panel_workspace.store
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        side = editor.query_one(SidePanel)
        assert not side.query_one("#comment").display
        await pilot.press(*"Declaración")
        await pilot.press("f10")
        dialog = await wait_for_screen(pilot, CommentScreen)
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"Título provisional")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(app, text="es: comment saved."), "the comment to be saved")
        assert not dialog.is_attached
        saved = store.translation("s1p0", "es")
        assert (saved["text"], saved["comment"], saved["version"]) == ("Declaración", "Título provisional", 2)
        assert [(entry["action"], entry["comment"]) for entry in store.history("s1p0", "es")] == [
            ("edit", ""), ("comment", "Título provisional")]
        assert "Título provisional" in shown(side.query_one("#comment"))
        assert editor.active_pane.record["version"] == 2

        await navigating(pilot)
        await pilot.press("number_sign")
        await wait_for_screen(pilot, CommentScreen)
        assert app.screen.query_one(TextArea).text == "Título provisional"
        await pilot.press("escape")
        await wait_for_screen(pilot, EditorScreen)
        assert store.translation("s1p0", "es")["version"] == 2


@pilot_test
async def test_a_comment_a_teammate_changed_meanwhile_stays_and_ours_goes_to_the_history(panel_workspace: Workspace) -> None:
    store = panel_workspace.store
    store.save_translation("s1p0", "es", "Declaración", "translated", author="ana", comment="de Ana")
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press("f10")
        await wait_for_screen(pilot, CommentScreen)
        teammate = Store(panel_workspace.db_path)
        teammate.save_translation("s1p0", "es", "Declaración", "translated", author="ben", comment="de Ben")
        teammate.close()
        await pilot.press("ctrl+a", "ctrl+k", *"de Carla", "ctrl+s")
        await wait_for(pilot, lambda: notified(app, title="Comment kept in the history"), "the notice")
        assert store.translation("s1p0", "es")["comment"] == "de Ben"
        assert [entry["comment"] for entry in store.history("s1p0", "es")] == ["de Ana", "de Ben", "de Carla", "de Ben"]


def test_a_comment_goes_on_top_of_a_teammates_new_text_and_keeps_a_machine_draft_a_draft(panel_workspace: Workspace) -> None:
    store = panel_workspace.store
    store.save_machine_drafts([Draft("s1p2", "fr_CA", "En 2015, 244 millions.", "mt:argos/en-fr/1.9", flags=("restored 244",))])
    row = save_comment(store, "s1p2", "fr_CA", "chiffre à vérifier", author="carla", expected_version=1)
    assert (row["status"], row["origin"], row["flags"], row["comment"]) == ("machine", "mt:argos/en-fr/1.9", ["restored 244"], "chiffre à vérifier")

    store.save_translation("s1p2", "fr_CA", "En 2015, 244 millions de personnes.", "translated", author="luc")
    row = save_comment(store, "s1p2", "fr_CA", "chiffre vérifié", author="carla", expected_version=2)
    assert (row["text"], row["comment"], row["version"]) == ("En 2015, 244 millions de personnes.", "chiffre vérifié", 4)
    assert save_comment(store, "s1p2", "fr_CA", "chiffre vérifié", author="carla", expected_version=4)["version"] == 4


@pilot_test
async def test_a_comment_typed_in_the_tui_reaches_the_po_file_and_an_edited_one_comes_back(panel_workspace: Workspace) -> None:
    app = make_app(panel_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Declaración", "ctrl+s", "f10")
        await wait_for_screen(pilot, CommentScreen)
        await pilot.press(*"Dia o Jornada?", "ctrl+s")
        await wait_for(pilot, lambda: notified(app, text="es: comment saved."), "the comment to be saved")

        export_po(panel_workspace, locales=["es"])
        path = panel_workspace.locales_dir / "es" / "LC_MESSAGES" / "statement-1.po"
        po = polib.pofile(str(path))
        [entry] = [e for e in po if e.msgctxt == "s1p0"]
        assert entry.tcomment == "Dia o Jornada?"
        entry.tcomment = "“Día”, como la ONU"
        po.save()
        assert import_po(panel_workspace, [path]).changed == 1

        await pilot.press("ctrl+down", "ctrl+up")  # coming back to the paragraph reads it again
        await wait_for(pilot, lambda: "“Día”, como la ONU" in shown(editor.query_one("#comment")), "the imported comment")
        assert [entry["comment"] for entry in panel_workspace.store.history("s1p0", "es")][-1] == "“Día”, como la ONU"


# -- snapshots (80×24 and 160×48) ------------------------------------------------------------------------


async def history_of_paragraph_2(pilot: Pilot[Any]) -> None:
    await open_at(1, "ctrl+down", until=at_paragraph(1))(pilot)
    await pilot.press("f9")
    await wait_for_screen(pilot, HistoryScreen)
    await settled(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_history_screen(snap_compare: SnapCompare, panel_workspace: Workspace, size: tuple[int, int]) -> None:
    """¶2 in es: a machine draft, a volunteer's edit, a confirmed edit with a comment; newest first."""
    assert snap_compare(make_app(panel_workspace), terminal_size=size, run_before=history_of_paragraph_2)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_side_panel_with_folded_findings(snap_compare: SnapCompare, panel_workspace: Workspace, size: tuple[int, int]) -> None:
    """¶2 in es: no finding of its own, three languages folded; at 160×48 fr_CA is unfolded."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_at(1, "ctrl+down", "escape", until=at_paragraph(1, navigating=True))(pilot)
        if size[0] >= 160:
            side = pilot.app.screen.query_one(SidePanel)
            await pilot.press("f", "enter")
            await wait_for(pilot, lambda: side.unfolded == {"fr_CA"}, "fr_CA to unfold")
            await pilot.press("escape", "escape")
            await wait_for(pilot, lambda: isinstance(pilot.app.focused, ParagraphSource), "navigation mode")
        await settled(pilot)

    assert snap_compare(make_app(panel_workspace), terminal_size=size, run_before=run_before)
