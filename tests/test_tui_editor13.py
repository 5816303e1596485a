"""Issue 13 in the editor: fewer traps (modes, ?, 80×24, help), the moves translators expect, remembered places.

Pilot tests on the known workspace of test_tui, each named as the sentence it
checks; snapshots of the editor at 80×24 and 160×48 are at the end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tests.test_tui import (
    area,
    build_workspace,
    glossary_open,
    notified,
    open_statement,
    pilot_test,
    settle,
    shown,
    STATEMENTS,
    wait_for,
    wait_for_screen,
)
from tests.test_tui_snapshots import SnapCompare, settled
from workbench.store import Draft, Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.paragraph_filters import BY_KEY
from workbench.tui.positions import STATE_FILE, Positions
from workbench.tui.screens.choice import ChoiceScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.help import HelpScreen, sections
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.statements import StatementsScreen
from workbench.tui.themes import DARK_THEME
from workbench.tui.widgets.editor.context import ParagraphContext
from workbench.tui.widgets.editor.language_pane import MODE_TITLES, LanguagePane, TranslationArea
from workbench.tui.widgets.editor.paragraph import ParagraphSource, ParagraphView, SourceBox
from workbench.workspace import Workspace

SIZE = (140, 40)
SMALL = (80, 24)
LARGE = (160, 48)
LONG_TEXT = " ".join(["La Alianza Internacional de Migrantes apoya a los trabajadores migrantes en todas partes."] * 12)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_workspace(tmp_path / "ws")


def make_app(workspace: Workspace, state_dir: Path) -> WorkbenchApp:
    """An app whose remembered places live in ``state_dir`` (a test's own folder)."""
    return WorkbenchApp(workspace, theme=DARK_THEME, state_dir=state_dir)


def typing(app: WorkbenchApp) -> bool:
    return isinstance(app.focused, TranslationArea)


def navigating(app: WorkbenchApp) -> bool:
    return isinstance(app.focused, ParagraphSource)


async def choose(pilot: Pilot[None], screen_name: str, value: object) -> None:
    """Pick ``value`` in the ChoiceScreen called ``screen_name``, with the keyboard."""
    dialog = await wait_for_screen(pilot, ChoiceScreen)
    assert dialog.dialog_name == screen_name
    dialog.query_one(OptionList).highlighted = dialog.choices.index(value)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ChoiceScreen), "the dialog to close")


def inside(inner: Any, outer: Any) -> bool:
    """Whether a widget's whole region is on screen within ``outer``'s region."""
    region, frame = inner.region, outer.region
    return bool(region.area) and frame.contains_region(region)


# -- 1. modes ----------------------------------------------------------------------------------------


@pilot_test
async def test_the_editor_opens_in_navigation_mode_where_single_letters_act_at_once(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        pane = editor.active_pane
        assert navigating(app)
        assert pane.border_title == MODE_TITLES["navigating"] and pane.has_class("-navigating")
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 1, "j to move to the next paragraph")
        assert area(editor).text == "" and navigating(app)


@pilot_test
async def test_enter_starts_typing_esc_stops_and_the_active_pane_says_which_mode_it_is_in(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        pane = editor.active_pane
        await pilot.press("enter")
        await wait_for(pilot, lambda: typing(app), "typing mode")
        await wait_for(pilot, lambda: pane.border_title == MODE_TITLES["typing"], "the typing mark")
        assert pane.has_class("-typing") and not pane.has_class("-navigating")
        await pilot.press("j", "a", "question_mark")
        await wait_for(pilot, lambda: area(editor).text == "ja?", "j, a and ? typed as letters")
        assert editor.index == 0 and not isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: navigating(app), "navigation mode")
        assert pane.border_title == MODE_TITLES["navigating"]
        others = [other for other in editor.query(LanguagePane) if other is not pane]
        assert all(not other.border_title and not other.mode for other in others)
        await pilot.press("tab")
        await wait_for(pilot, lambda: editor.lang == "fr_CA", "the next language")
        assert editor.active_pane.border_title == MODE_TITLES["navigating"] and not pane.border_title


@pilot_test
async def test_the_cursor_shows_only_while_typing(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        field = area(editor)
        field.cursor_blink = False  # a steady cursor: what is drawn does not depend on the blink's moment
        assert not field._draw_cursor
        await pilot.press("enter")
        await wait_for(pilot, lambda: typing(app), "typing mode")
        assert field._draw_cursor
        await pilot.press("escape")
        await wait_for(pilot, lambda: navigating(app), "navigation mode")
        assert not field._draw_cursor


@pilot_test
async def test_a_jump_from_the_review_opens_in_navigation_mode_and_a_merge_by_hand_in_typing_mode(
    workspace: Workspace, tmp_path: Path,
) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        app.open_statement(1, "s1p2", "fr_CA", back_to_review=True)
        editor = await wait_for_screen(pilot, EditorScreen)
        await wait_for(pilot, lambda: navigating(app), "navigation mode")
        assert (editor.index, editor.lang) == (2, "fr_CA")
        app.open_statement(1, "s1p1", "es", edit=True)
        await wait_for(pilot, lambda: typing(app) and editor.index == 1, "typing mode in the same editor")
        assert editor.active_pane.border_title == MODE_TITLES["typing"]


# -- 2. ? everywhere ------------------------------------------------------------------------------------


async def help_and_back(pilot: Pilot[None], key: str = "question_mark") -> None:
    """Press ``key``, expect the key reference, close it again."""
    await pilot.press(key)
    await wait_for_screen(pilot, HelpScreen)
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen), "the help to close")


@pilot_test
async def test_question_mark_opens_help_on_the_statements_list_unless_the_filter_holds_text(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        field = statements.query_one("#filter", Input)
        assert app.focused is field
        await help_and_back(pilot)
        assert field.value == ""
        await pilot.press(*"law")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: field.value == "law?", "? typed in the filter after a word")
        assert not isinstance(app.screen, HelpScreen)
        await help_and_back(pilot, "f1")  # f1 always opens it
        assert field.value == "law?"


@pilot_test
async def test_question_mark_opens_help_on_the_glossary_review_and_editor_screens(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await glossary_open(pilot)
        await help_and_back(pilot)
        await pilot.press("f4")
        review = await wait_for_screen(pilot, ReviewScreen)
        await wait_for(pilot, lambda: not review.checking, "the checks")
        await help_and_back(pilot)
        await pilot.press("f2")
        await wait_for_screen(pilot, StatementsScreen)
        await open_statement(pilot, typing=False)
        await help_and_back(pilot)


@pilot_test
async def test_question_mark_types_in_the_command_palette(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: palette.query_one(Input).value == "?", "? in the palette's search")
        assert app.screen is palette


# -- 3. confirm and next ----------------------------------------------------------------------------------


@pilot_test
async def test_ctrl_u_confirms_and_goes_to_the_next_unfinished_paragraph_in_the_language(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    store.save_translation("s1p1", "es", "Hecho", "translated", author="ana")
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Declaración")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: editor.index == 2, "the next unfinished paragraph (¶2 is done)")
        assert typing(app)
        await settle(app, pilot)
        saved = store.translation("s1p0", "es")
        assert (saved["text"], saved["status"]) == ("Declaración", "translated")
        await pilot.press("escape")
        await wait_for(pilot, lambda: navigating(app), "navigation mode")
        area(editor).load_text("En 2015")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: editor.index == 3, "the next unfinished paragraph, from navigation mode")
        assert navigating(app)
        await settle(app, pilot)
        assert store.translation("s1p2", "es")["status"] == "translated"


@pilot_test
async def test_ctrl_u_on_an_empty_text_warns_and_stays(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: notified(app, text="Nothing to confirm"), "the warning")
        assert editor.index == 0
        await settle(app, pilot)
        assert workspace.store.translation("s1p0", "es")["version"] == 0


@pilot_test
async def test_ctrl_u_keeps_an_approved_text_approved_and_says_when_all_is_done(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    for number, text in enumerate(("Uno", "Dos", "Tres")):
        store.save_translation(f"s1p{number + 1}", "es", text, "translated", author="ana")
    store.save_translation("s1p0", "es", "Declaración", "approved", author="ana")
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: notified(app, text="is translated in es"), "the all-done notice")
        assert editor.index == 0 and editor.active_pane.record["status"] == "approved"
        await settle(app, pilot)
        assert store.translation("s1p0", "es")["version"] == 1


def test_confirm_and_next_is_listed_in_help_and_in_the_palette_by_its_keys() -> None:
    everywhere = sections(WorkbenchApp.BINDINGS)
    typing_keys = next(s for s in everywhere if s.title.startswith("Editor: typing")).bindings
    navigation_keys = next(s for s in everywhere if s.title.startswith("Editor: navigating")).bindings
    for bindings in (typing_keys, navigation_keys):
        (binding,) = [b for b in bindings if b.action == "screen.confirm_and_next"]
        assert binding.description == "Confirm & next" and binding.key.split(",")[:2] == ["ctrl+u", "ctrl+enter"]


@pilot_test
async def test_the_palette_runs_confirm_and_next(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Hola")
        commands = {command.title: command for command in app.get_system_commands(editor)}
        assert "^u" in commands["Confirm & next"].help
        await commands["Confirm & next"].callback()
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph")
        await settle(app, pilot)
        assert workspace.store.translation("s1p0", "es")["status"] == "translated"


# -- 4. context -------------------------------------------------------------------------------------------


@pilot_test
async def test_the_paragraphs_before_and_after_show_around_the_current_one_in_the_active_language(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = workspace.store
    store.save_translation("s1p0", "es", "Declaración", "translated", author="ana")
    store.save_translation("s1p2", "fr_CA", "En 2015, 244 millions de personnes", "translated", author="luc")
    reads: list[int] = []
    statement_document = Workspace.statement_document
    monkeypatch.setattr(Workspace, "statement_document", lambda self, statement_id: reads.append(statement_id) or statement_document(self, statement_id))
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        before, after = editor.query_one("#context-before", ParagraphContext), editor.query_one("#context-after", ParagraphContext)
        assert not before.display and after.display
        assert "¶2 The International Migrants Alliance" in shown(after.query_one(".context-source", Static))
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 1, "¶2")
        assert before.display and after.display
        assert shown(before.query_one(".context-source", Static)).startswith("¶1 Statement on International Migrants Day")
        assert "es ● Declaración" in shown(before.query_one(".context-target", Static))
        assert "not translated yet" in shown(after.query_one(".context-target", Static))
        await pilot.press("tab")
        await wait_for(pilot, lambda: editor.lang == "fr_CA", "French")
        assert "fr_CA ● En 2015, 244 millions" in shown(after.query_one(".context-target", Static))
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: editor.index == 3, "the last paragraph")
        assert not after.display
        assert reads == [1]  # the statement is read once; neighbours come from it


# -- 5. copy the source ------------------------------------------------------------------------------------


@pilot_test
async def test_ctrl_b_puts_the_source_in_the_field_and_ctrl_z_takes_it_back(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        source = STATEMENTS[0]["paragraphs"][0][1]
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: area(editor).text == source, "the source in an empty field")
        area(editor).load_text("Mi texto")
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: area(editor).text == source, "the source replacing a text")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: area(editor).text == "Mi texto", "the undo in the field")
        assert typing(app)


@pilot_test
async def test_s_copies_the_source_in_navigation_mode_and_leaving_saves_it(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 3, typing=False)
        await pilot.press("s")
        await wait_for(pilot, lambda: "unsaved" in shown(editor.active_pane.query_one(".pane-header")), "the source in the field")
        assert navigating(app) and area(editor).text == "Migrant workers of region 1 unite."
        await pilot.press("escape")
        await wait_for_screen(pilot, StatementsScreen)
        await settle(app, pilot)
        assert workspace.store.translation("s3p0", "es")["text"] == "Migrant workers of region 1 unite."


# -- 6. remembered places -------------------------------------------------------------------------------------


@pilot_test
async def test_a_statement_reopens_at_the_paragraph_and_language_left_and_the_app_offers_it(workspace: Workspace, tmp_path: Path) -> None:
    state = tmp_path / "state"
    app = make_app(workspace, state)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 2, typing=False)
        await pilot.press("tab", "tab", "tab")
        await wait_for(pilot, lambda: editor.lang == "tl", "Tagalog")
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 1, "¶2")
        await pilot.press("escape")
        await wait_for_screen(pilot, StatementsScreen)
    saved = json.loads((state / STATE_FILE).read_text(encoding="utf-8"))
    place = saved["workspaces"][str(workspace.root.resolve())]["tester"]
    assert place["last"] == 2 and place["statements"]["2"] == {"segment": "s2p1", "lang": "tl", "paragraph": 2}

    app = make_app(workspace, state)
    async with app.run_test(size=SIZE) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        await wait_for(pilot, lambda: notified(app, title="Where you left off", text="¶ 2 in tl"), "the offer to resume")
        assert statements.highlighted_id() == 2
        await pilot.press("enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        await wait_for(pilot, lambda: navigating(app), "the editor")
        assert (editor.statement_id, editor.index, editor.lang) == (2, 1, "tl")
        await pilot.press("escape")
        await wait_for_screen(pilot, StatementsScreen)
        editor = await open_statement(pilot, 3, typing=False)
        assert (editor.index, editor.lang) == (0, "tl")  # a statement never opened starts in the language used last


def test_an_unreadable_state_file_only_forgets_the_places(tmp_path: Path) -> None:
    path = tmp_path / "state" / STATE_FILE
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    positions = Positions(path, tmp_path / "ws", "ana")
    assert positions.last() is None and positions.language() is None
    positions.remember(4, "s4p0", "id", 1)
    again = Positions(path, tmp_path / "ws", "ana")
    assert again.of(4) == again.last() and again.language() == "id"
    assert Positions(path, tmp_path / "ws", "luc").last() is None  # each volunteer has their own place
    assert Positions(path, tmp_path / "other", "ana").last() is None  # and each workspace


# -- 7. paragraph filters ----------------------------------------------------------------------------------------


@pilot_test
async def test_a_paragraph_filter_limits_next_and_previous_and_shows_in_the_bar(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    store.save_translation("s1p1", "es", "Revisar", "needs-review", author="ana")
    store.save_translation("s1p3", "es", "Revisar también", "needs-review", author="ana")
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        await pilot.press("f")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        labels = [str(label) for label in dialog.labels]
        assert any("that need review in es  (2)" in label for label in labels)
        await choose(pilot, "paragraph-filter", BY_KEY["needs-review"])
        assert "only needs review (es)" in shown(editor.query_one("#bar-position"))
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 1, "the first paragraph that needs review")
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 3, "the second, skipping ¶3")
        await pilot.press("j")
        await wait_for(pilot, lambda: notified(app, text="No more paragraphs that need review in es after this one"), "the end")
        assert editor.index == 3
        await pilot.press("k")
        await wait_for(pilot, lambda: editor.index == 1, "back to the first")
        await pilot.press("f")
        await choose(pilot, "paragraph-filter", BY_KEY["all"])
        assert "only" not in shown(editor.query_one("#bar-position"))
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 2, "every paragraph again")


@pilot_test
async def test_next_to_do_and_confirm_and_next_go_through_the_filtered_paragraphs_only(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    store.save_machine_drafts([
        Draft("s1p1", "es", "Borrador sin marcas", "argos"),
        Draft("s1p3", "es", "Borrador marcado", "argos", flags=("restored 7.000",)),
    ])
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        await pilot.press("f")
        await choose(pilot, "paragraph-filter", BY_KEY["flagged"])
        await pilot.press("n")
        await wait_for(pilot, lambda: editor.index == 3, "the flagged draft, past the unflagged one")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: notified(app, text="Nothing else to do in es among the paragraphs with flagged machine drafts"),
                       "nothing left to do")
        assert editor.index == 3 and editor.active_pane.record["status"] == "translated"


@pilot_test
async def test_the_errors_filter_keeps_the_paragraphs_the_checks_find_errors_in(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    store.save_translation("s1p2", "es", "En 2016, 244 millones de personas vivían fuera de su país natal.", "translated", author="ana")
    store.save_translation("s1p3", "fr_CA", "Les migrants exigent 2016.", "translated", author="luc")
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        await pilot.press("f")
        await choose(pilot, "paragraph-filter", BY_KEY["errors"])
        await pilot.press("j")
        await wait_for(pilot, lambda: editor.index == 2, "the paragraph whose numbers differ")
        await pilot.press("j")
        await wait_for(pilot, lambda: notified(app, text="No more paragraphs with errors"), "no other error in es")
        area(editor).load_text("En 2015, 244 millones de personas vivían fuera de su país natal.")
        await pilot.press("f")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert any("with errors found by the checks in es  (0)" in str(label) for label in dialog.labels)
        assert editor.index == 2


# -- 8. 80×24 -----------------------------------------------------------------------------------------------------


@pilot_test
async def test_at_80x24_the_source_and_the_active_pane_stay_in_view_in_every_language(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_statement(pilot)
        assert editor.has_class("-compact")
        view = editor.query_one(ParagraphView)
        for lang in editor.locales:
            await wait_for(pilot, lambda lang=lang: editor.lang == lang and typing(app), f"typing in {lang}")
            area(editor).load_text(LONG_TEXT)
            area(editor).move_cursor(area(editor).document.end)
            await pilot.press(*" fin")
            await wait_for(pilot, lambda: area(editor).text.endswith("fin"), "the typed end")
            await pilot.pause()
            assert inside(editor.query_one(ParagraphSource), view), lang
            assert inside(editor.active_pane.query_one(".pane-top"), view), lang
            assert inside(area(editor), view), lang
            assert view.scroll_y == 0
            folded = [pane for pane in editor.query(LanguagePane) if not pane.active]
            assert all(pane.region.height == 1 and inside(pane, view) for pane in folded)
            assert all(pane.lang in shown(pane.query_one(".pane-glance")) for pane in folded)
            await pilot.press("tab")


@pilot_test
async def test_at_80x24_a_long_source_scrolls_in_its_box_and_the_active_pane_stays_in_view(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    statement_id = store.save_statement({"slug": "long", "title": "A long paragraph"})
    store.insert_segments([{"id": "long0", "statement_id": statement_id, "position": 0, "kind": "paragraph",
                            "source": " ".join([STATEMENTS[0]["paragraphs"][1][1]] * 8), "source_lang": "en"}])
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_statement(pilot, statement_id, typing=False)
        box, view = editor.query_one(SourceBox), editor.query_one(ParagraphView)
        await wait_for(pilot, lambda: box.max_scroll_y > 0, "the source box to be full")
        assert inside(box, view) and inside(area(editor), view)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: box.scroll_y > 0, "the source to scroll")
        assert view.scroll_y == 0 and inside(area(editor), view)


@pilot_test
async def test_a_tall_terminal_shows_every_language_in_full(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=LARGE) as pilot:
        editor = await open_statement(pilot)
        assert not editor.has_class("-compact")
        assert all(pane.query_one(".pane-text").display or pane.active for pane in editor.query(LanguagePane))
        assert not any(pane.query_one(".pane-glance").display for pane in editor.query(LanguagePane))


# -- 9. help and palette ---------------------------------------------------------------------------------------------


def help_lines(screen: HelpScreen) -> list[str]:
    return [line for static in screen.query(".help-keys") for line in shown(static).splitlines()]


@pilot_test
async def test_help_marks_the_mode_you_are_in_and_its_rows_never_run_together(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot, typing=False)
        await pilot.press("question_mark")
        screen = await wait_for_screen(pilot, HelpScreen)
        titles = [shown(static) for static in screen.query(".help-section")]
        here = [title for title in titles if "you are here" in title]
        assert len(here) == 1 and here[0].startswith("Editor: navigating") and titles[0] == here[0]
        lines = help_lines(screen)
        (term,) = [line for line in lines if "Insert glossary term N" in line]
        assert "Insert glossary term N  " in term and term.rstrip().endswith("side panel")
        for action, key in (("Select line", "f6"), ("Select all", "f7")):
            (row,) = [line for line in lines if line.lstrip().startswith(key)]
            assert action in row and len(row.split(action, 1)[1].strip()) > 10, row
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "the help to close")
        await pilot.press("enter")
        await wait_for(pilot, lambda: typing(app), "typing mode")
        await pilot.press("f1")
        screen = await wait_for_screen(pilot, HelpScreen)
        here = [shown(static) for static in screen.query(".help-section") if "you are here" in shown(static)]
        assert len(here) == 1 and here[0].startswith("Editor: typing")


@pilot_test
async def test_the_palette_lists_keys_and_quit_once(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        titles = [command.title for command in app.get_system_commands(editor)]
        assert titles.count("Keys") == 1 and titles.count("Quit") == 1
        assert {"Copy source", "Paragraph filter", "Confirm & next"} <= set(titles)


# -- 10. snapshots -------------------------------------------------------------------------------------------------


def snapshot_app(tmp_path: Path) -> WorkbenchApp:
    """The known workspace with a draft, a confirmed paragraph and a neighbour translated, for the editor's snapshots."""
    workspace = build_workspace(tmp_path / "ws")
    store: Store = workspace.store
    store.save_machine_drafts([
        Draft("s1p1", "es", "La Alianza Internacional de Migrantes apoya a los trabajadores migrantes.", "argos"),
        Draft("s1p1", "tl", "Ang International Migrants Alliance ay kasama ng mga manggagawang migrante.", "argos"),
    ])
    store.save_translation("s1p0", "es", "Declaración sobre el Día Internacional del Migrante", "approved", author="ana")
    store.save_translation("s1p0", "tl", "Pahayag sa Pandaigdigang Araw ng mga Migrante", "translated", author="ben")
    store.save_translation("s1p1", "fr_CA", "L'Alliance internationale des migrants soutient les travailleurs migrants.",
                           "needs-review", author="luc")
    return WorkbenchApp(workspace, theme=DARK_THEME, state_dir=tmp_path / "state")


def editor_at_paragraph_2(*keys: str) -> Any:
    """Open statement 1, go to ¶2 and press ``keys``; wait for the screen to settle."""

    async def run_before(pilot: Pilot[None]) -> None:
        statements = await wait_for_screen(pilot, StatementsScreen)
        await wait_for(pilot, lambda: statements.shown and not statements.loading, "the list of statements")
        editor = await open_statement(pilot, typing=False)
        await pilot.press("j", *keys)
        await wait_for(pilot, lambda: editor.index == 1, "¶2")
        await settled(pilot)

    return run_before


def test_editor_at_80x24_navigating(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """Source, the active language's field and the other languages folded to one line each, all in view."""
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SMALL, run_before=editor_at_paragraph_2())


def test_editor_at_80x24_typing_in_tagalog(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The fourth language typed in: the active pane still fits under the source."""
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SMALL,
                        run_before=editor_at_paragraph_2("shift+tab", "enter"))


def test_editor_at_160x48(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """Every language in full, the neighbouring paragraphs dimmed above and below, typing marked on the pane."""
    assert snap_compare(snapshot_app(tmp_path), terminal_size=LARGE, run_before=editor_at_paragraph_2("enter"))


@pilot_test
async def test_the_editors_progress_bars_explain_their_colours(workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(workspace, tmp_path / "state")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, typing=False)
        tooltip = str(editor.query_one("#bar-progress").tooltip)
        assert tooltip.startswith("Done per language:") and "translated" in tooltip and "untranslated" in tooltip
