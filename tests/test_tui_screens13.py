"""The screens around the editor, second round (issue 13): the statements table at 80 columns and its
filters, search and replace, the draft dialog, the glossary form, and the progress bars' legend.

Pilot tests drive the app by keys on the known workspace of ``test_tui``; the
snapshots show each screen at 80×24 and at 160×48.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets._footer import FooterKey
from textual.widgets.text_area import Selection

from tests.models.toy import held_out, install_all
from tests.test_tui import (
    add_toy_statement,
    build_workspace,
    glossary_open,
    make_app,
    notified,
    pilot_test,
    shown,
    wait_for,
    wait_for_screen,
    workers_done,
)
from tests.test_tui_snapshots import app_for, settled
from workbench.glossary import get_term
from workbench.store import Draft, Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.draft import DraftChoice, DraftScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.glossary import GlossaryScreen, TermForm, error_field
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.search import ReplacePreview, SearchResults, SearchScreen
from workbench.tui.screens.statements import (
    ERRORS,
    FLAGGED,
    NEEDS_REVIEW,
    Columns,
    StatementsScreen,
    StatementTable,
    fit_columns,
)
from workbench.tui.widgets.editor.language_pane import TranslationArea
from workbench.tui.widgets.progress import (
    JobState,
    dominant_status,
    level_glyph,
    progress_text,
)
from workbench.workspace import Workspace

NARROW = (80, 24)
WIDE = (160, 48)
SnapCompare = Any


@pytest.fixture
def worked_workspace(tmp_path: Path) -> Workspace:
    """The known workspace with a little of everything: confirmed and flagged work, a review, an error, a long title."""
    workspace = build_workspace(tmp_path / "ws")
    store = workspace.store
    statement_id = store.save_statement({
        "slug": "long", "title": "Communiqué of the Third General Assembly of the International Migrants Alliance in Manila",
        "date": "2015-11-12", "date_text": "2015-11-12", "source_file": "data/statements/long.txt", "start_line": 1,
        "truncated": False, "fingerprint": "long", "metadata": {},
    })
    store.insert_segments([{"id": "long0", "statement_id": statement_id, "position": 0, "kind": "paragraph",
                            "source": "The assembly of migrant workers met in Manila.", "source_lang": "en"}])
    store.save_translation("s1p0", "es", "Declaración sobre el Día Internacional del Migrante", "approved", author="ana")
    store.save_translation("s1p1", "es", "La Alianza Internacional de Migrantes apoya a los trabajadores migrantes.",
                           "translated", author="ana")
    store.save_translation("s1p2", "es", "En 2016, 244 millones de personas vivían fuera de su país natal.", "translated",
                           author="ana")  # 2016 for 2015: an error (numbers differ)
    store.save_translation("s3p0", "fr_CA", "Travailleurs migrants de la région 1, unissez-vous !", "needs-review", author="luc")
    store.save_machine_drafts([Draft("s4p0", "es", "Trabajadores migrantes de la región 2 unidos.", "argos",
                                     flags=("repeated-words: 'la' is repeated",))])
    store.save_translation("s3p0", "es", "¡Trabajadores migrantes de la región 1, uníos!", "translated", author="ana")
    store.save_translation("s5p0", "es", "¡Trabajadores migrantes de la región 3, uníos!", "translated", author="ana")
    return workspace


@pytest.fixture
def tui_workspace(tmp_path: Path) -> Workspace:
    return build_workspace(tmp_path / "ws")


def rendered_width(table: DataTable[Any]) -> int:
    """Cells the table's columns take, padding included."""
    return sum(column.get_render_width(table) for column in table.columns.values())


# -- the statements table ---------------------------------------------------------------------------


def test_the_columns_fit_one_character_bars_at_80_and_wider_bars_with_a_roomy_title_at_160() -> None:
    narrow = fit_columns(80, 2, 4)
    assert narrow.bar == 0 and narrow.title >= 16
    assert fit_columns(140, 1, 4) == Columns(53, 8)
    wide = fit_columns(160, 2, 4)
    assert wide.bar > 8 and wide.title >= 60
    assert fit_columns(400, 2, 4).bar == 16


def test_the_one_character_bar_rises_with_the_share_done_and_takes_the_colour_of_most_paragraphs() -> None:
    assert level_glyph({"untranslated": 4}) == "▁"
    assert level_glyph({"translated": 2, "approved": 2}) == "█"
    assert level_glyph({"translated": 2, "untranslated": 2}) == "▅"
    assert dominant_status({"machine": 3, "translated": 1, "untranslated": 0}) == "machine"
    assert dominant_status({"translated": 2, "untranslated": 2}) == "translated"  # a tie goes to the more done
    colors = {"approved": "green", "translated": "blue", "needs-review": "red", "machine": "yellow", "untranslated": "grey"}
    cell = progress_text({"machine": 3, "translated": 1}, colors, 0)
    assert str(cell) == "▃  25%" and cell.spans[0].style == "yellow"


@pilot_test
async def test_at_80_columns_the_id_and_every_language_are_on_screen_and_long_titles_end_with_an_ellipsis(
    worked_workspace: Workspace,
) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        screen = await wait_for_screen(pilot, StatementsScreen)
        table = screen.query_one(StatementTable)
        await wait_for(pilot, lambda: table.row_count == 6, "the six statements")
        assert [str(column.label) for column in table.columns.values()][-4:] == ["es", "fr_CA", "id", "tl"]
        assert rendered_width(table) + 1 <= 80  # and the one-cell scrollbar
        long = [str(cell) for cell in table.get_row("6")]
        assert long[0] == "6" and long[1].endswith("…")
        assert long[5:] == ["▁   0%"] * 4
        assert [str(cell) for cell in table.get_row("1")][5] == "▆  75%"  # 3 of 4 paragraphs done in es
        count = screen.query_one("#filter-count", Static)
        assert shown(count) == "6 of 6" and count.region.right <= 80


@pilot_test
async def test_at_160_columns_titles_get_room_and_the_bars_grow(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=WIDE) as pilot:
        screen = await wait_for_screen(pilot, StatementsScreen)
        table = screen.query_one(StatementTable)
        assert screen.columns.bar > 8 and screen.columns.title >= 60
        assert rendered_width(table) + 1 <= 160
        assert len(str(table.get_row("6")[1])) == screen.columns.title


@pilot_test
async def test_under_the_table_the_share_done_per_language_and_what_each_bar_colour_means(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        screen = await wait_for_screen(pilot, StatementsScreen)
        summary = shown(screen.query_one("#statements-summary"))
        assert "es 50%" in summary  # 5 of 10 paragraphs translated or approved
        for meaning in ("approved", "translated", "needs review", "MT draft", "untranslated", "share done"):
            assert meaning in summary
        await pilot.resize_terminal(*WIDE)
        await wait_for(pilot, lambda: screen.columns.bar > 0, "stacked bars")
        assert "share done" not in shown(screen.query_one("#statements-summary"))


async def pick_filter(pilot: Pilot[Any], screen: StatementsScreen, label: str) -> None:
    """ctrl+f, then the arrow keys down to ``label`` and Enter, as a volunteer would."""
    await pilot.press("ctrl+f")
    select = screen.query_one("#list-filter", Select)
    await wait_for(pilot, lambda: select.expanded, "the list filter to open")
    labels = [str(prompt) for prompt, _value in select._options]
    await pilot.press("home", *["down"] * labels.index(label), "enter")
    await wait_for(pilot, lambda: not select.expanded and isinstance(pilot.app.focused, Input), "the filter to close")


@pilot_test
async def test_the_list_filter_keeps_statements_untranslated_in_a_language_flagged_or_needing_review(
    worked_workspace: Workspace,
) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        screen = await wait_for_screen(pilot, StatementsScreen)
        await pick_filter(pilot, screen, "Untranslated in es")
        await wait_for(pilot, lambda: [row["id"] for row in screen.shown] == [1, 2, 6], "the statements untranslated in es")
        assert screen.query_one("#list-filter", Select).value == "untranslated:es"
        await pick_filter(pilot, screen, "Flagged MT drafts")
        await wait_for(pilot, lambda: [row["id"] for row in screen.shown] == [4], "the statement with a flagged draft")
        assert screen.list_filter == FLAGGED
        await pick_filter(pilot, screen, "Needs review")
        await wait_for(pilot, lambda: [row["id"] for row in screen.shown] == [3], "the statement needing review")
        assert screen.list_filter == NEEDS_REVIEW
        await pilot.press(*"manila")
        await wait_for(pilot, lambda: [row["id"] for row in screen.shown] == [], "the text filter on top of it")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown) == 6, "every statement again")
        assert screen.query_one("#filter", Input).value == "" and screen.list_filter == "all"


@pilot_test
async def test_has_errors_asks_the_checks_in_a_worker_and_keeps_the_statements_with_errors(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        screen = await wait_for_screen(pilot, StatementsScreen)
        await pick_filter(pilot, screen, "Has errors")
        assert screen.list_filter == ERRORS
        await wait_for(pilot, lambda: not screen.checking, "the checks")
        await wait_for(pilot, lambda: [row["id"] for row in screen.shown] == [1], "statement 1, whose 2016 should be 2015")
        assert shown(screen.query_one("#filter-count")) == "1 of 6"


@pilot_test
async def test_coming_back_from_the_editor_selects_the_filter_so_the_next_key_replaces_it(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        screen = await wait_for_screen(pilot, StatementsScreen)
        await pilot.press(*"solidarity")
        await wait_for(pilot, lambda: len(screen.shown) == 3, "three statements")
        await pilot.press("enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        await wait_for(pilot, lambda: editor.focused is not None, "the editor to take the focus")
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen is screen and isinstance(app.focused, Input), "the list again")
        filter_input = screen.query_one("#filter", Input)
        assert filter_input.value == "solidarity" and filter_input.selected_text == "solidarity"
        await pilot.press(*"manila")
        await wait_for(pilot, lambda: [row["id"] for row in screen.shown] == [6], "the new filter alone")
        assert filter_input.value == "manila"


# -- search and replace -------------------------------------------------------------------------------


async def open_search(pilot: Pilot[Any]) -> SearchScreen:
    await pilot.press("f9")
    search = await wait_for_screen(pilot, SearchScreen)
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, Input), "the Find field to take the focus")
    return search


async def search_for(pilot: Pilot[Any], search: SearchScreen, text: str) -> None:
    """Put ``text`` in the Find field and press Enter; wait for its matches."""
    pattern = search.query_one("#search-pattern", Input)
    pattern.value = text
    pattern.focus()
    await wait_for(pilot, lambda: pilot.app.focused is pattern, "the Find field")
    await pilot.press("enter")
    await wait_for(pilot, lambda: search.searched is not None and search.searched.query.text == text and not search.searching,
                   f"the matches of {text!r}")


@pilot_test
async def test_search_lists_each_match_with_its_context_and_enter_opens_it_in_the_editor_in_its_language(
    worked_workspace: Workspace,
) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        search = await open_search(pilot)
        await search_for(pilot, search, "region 1")
        results = search.query_one(SearchResults)
        assert [(m.segment_id, m.field, m.lang) for m in search.matches] == [("s3p0", "source", "en")]
        row = [str(cell) for cell in results.get_row("0")]
        assert row[:2] == ["#3 ¶1", "en src"] and "Migrant workers of region 1 unite." in row[2]
        await search_for(pilot, search, "migrantes")
        assert {m.lang for m in search.matches} == {"es"}
        assert shown(search.query_one("#search-status")).startswith("5 matches in 4 paragraphs of 4 statements")
        context = results.get_row("0")[2]
        assert any("reverse" in str(span.style) for span in context.spans)  # the match is highlighted
        await wait_for(pilot, lambda: app.focused is results, "the list of matches to take the focus")
        await pilot.press("down", "enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        second = search.matches[1]
        await wait_for(pilot, lambda: editor.segment["id"] == second.segment_id and editor.lang == second.lang,
                       "the editor at the second match, in its language")
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.screen is search and not search.searching, "the same search, searched again")
        assert search.query_one("#search-pattern", Input).value == "migrantes" and search.matches


@pilot_test
async def test_match_case_whole_word_and_regex_change_the_matches_and_a_broken_pattern_is_said(
    worked_workspace: Workspace,
) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        search = await open_search(pilot)
        await search_for(pilot, search, "migrant")
        every = len(search.matches)
        await pilot.press("alt+w")
        await wait_for(pilot, lambda: search.searched is not None and search.searched.query.whole_word and not search.searching,
                       "a whole-word search")
        assert 0 < len(search.matches) < every and all(m.text.lower() == "migrant" for m in search.matches)
        await pilot.press("alt+w", "alt+c")
        await wait_for(pilot, lambda: search.searched is not None and search.searched.query.case_sensitive and not search.searching,
                       "a case-sensitive search")
        assert all(m.text == "migrant" for m in search.matches)
        await pilot.press("alt+c", "alt+r")
        await search_for(pilot, search, "región [0-9]")
        assert [m.text for m in search.matches] == ["región 1", "región 2", "región 3"]
        pattern = search.query_one("#search-pattern", Input)
        pattern.value = "(unclosed"
        pattern.focus()
        await wait_for(pilot, lambda: app.focused is pattern, "the Find field")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "not a valid regular expression" in shown(search.query_one("#search-status")),
                       "the broken pattern said")


@pilot_test
async def test_replace_previews_old_and_new_per_translation_and_writes_only_on_ctrl_s(worked_workspace: Workspace) -> None:
    store = worked_workspace.store
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        search = await open_search(pilot)
        await search_for(pilot, search, "uníos")
        search.query_one("#in-source", Checkbox).value = False
        search.query_one("#search-replacement", Input).value = "unámonos"
        await pilot.press("ctrl+r")
        preview = await wait_for_screen(pilot, ReplacePreview)
        assert [change.segment_id for change in preview.plan.changes] == ["s3p0", "s5p0"]
        listed = shown(preview.query_one("#replace-list"))
        assert "− ¡Trabajadores migrantes de la región 1, uníos!" in listed
        assert "+ ¡Trabajadores migrantes de la región 1, unámonos!" in listed
        assert store.translation("s3p0", "es")["text"].endswith("uníos!")  # nothing written yet
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is search, "the preview to close")
        assert store.translation("s3p0", "es")["text"].endswith("uníos!")
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, ReplacePreview)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(app, title="Replaced"), "the replacement")
        await workers_done(pilot)
        row = store.translation("s3p0", "es")
        assert (row["text"], row["status"], row["author"]) == ("¡Trabajadores migrantes de la región 1, unámonos!", "translated", "tester")
        assert "Replaced 2 matches in 2 translations." in next(str(n.message) for n in app._notifications if n.title == "Replaced")


@pilot_test
async def test_a_translation_changed_after_the_preview_is_reported_and_keeps_its_teammates_text(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        search = await open_search(pilot)
        search.query_one("#in-source", Checkbox).value = False
        search.query_one("#search-replacement", Input).value = "unámonos"
        await search_for(pilot, search, "uníos")
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, ReplacePreview)
        teammate = Store(worked_workspace.db_path)
        teammate.save_translation("s5p0", "es", "¡Trabajadores de la región 3, uníos ya!", "translated", author="ana")
        teammate.close()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(app, title="Replace: conflicts"), "the conflict report")
        message = next(str(n.message) for n in app._notifications if n.title == "Replace: conflicts")
        assert "Replaced 1 match in 1 translation." in message and "s5p0 (es) was changed by ana" in message
        assert worked_workspace.store.translation("s5p0", "es")["text"] == "¡Trabajadores de la región 3, uníos ya!"


@pilot_test
async def test_f9_in_the_editor_searches_for_the_selected_text_and_offers_this_statement(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        statements.query_one(StatementTable).move_cursor(row=2)
        await pilot.press("enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        await pilot.press("enter")  # the editor opens navigating: Enter to type
        await wait_for(pilot, lambda: isinstance(app.focused, TranslationArea), "the field to take the focus")
        area = app.focused
        assert isinstance(area, TranslationArea)
        area.selection = Selection((0, 1), (0, 13))
        assert area.selected_text == "Trabajadores"
        await pilot.press("f9")
        search = await wait_for_screen(pilot, SearchScreen)
        await wait_for(pilot, lambda: search.searched is not None and not search.searching, "the selection searched")
        assert search.query_one("#search-pattern", Input).value == "Trabajadores"
        assert {m.segment_id for m in search.matches} >= {"s3p0", "s4p0", "s5p0"}
        statement = search.query_one("#search-statement", Select)
        assert [value for _label, value in statement._options] == ["all", str(editor.statement_id)]


@pilot_test
async def test_search_keys_are_in_the_help_and_the_palette(worked_workspace: Workspace) -> None:
    app = make_app(worked_workspace)
    async with app.run_test(size=NARROW) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Search", "Filter"} <= titles
        search = await open_search(pilot)
        titles = {command.title for command in app.get_system_commands(search)}
        assert {"Replace…", "Match case", "Whole word", "Regex", "Back"} <= titles
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        sections = [shown(static) for static in help_screen.query(".help-section")]
        assert sections[0].startswith("Search and replace")
        keys = "\n".join(shown(static) for static in help_screen.query(".help-keys"))
        for entry in ("f9", "Replace…", "alt+c", "Whole word", "Replace all", "^f"):
            assert entry in keys, entry


# -- the draft dialog -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spanish_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the toy en->es package: the other languages have no model."""
    return install_all(tmp_path_factory.mktemp("toy-models"), pairs=(("en", "es"),))


@pilot_test
async def test_the_draft_dialog_shows_the_missing_models_first_and_drafts_only_the_ticked_languages(
    tui_workspace: Workspace, spanish_models: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(spanish_models))
    sentences = held_out("en", "es", verified_only=True)[:2]
    statement_id = add_toy_statement(tui_workspace, [sentence["source"] for sentence in sentences])
    app = make_app(tui_workspace)
    async with app.run_test(size=NARROW) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        table = statements.query_one(StatementTable)
        table.move_cursor(row=table.get_row_index(str(statement_id)))
        states: list[JobState] = []
        app.job_signal.subscribe(statements, lambda update: states.append(update[1]), immediate=True)
        await pilot.press("f5")
        dialog = await wait_for_screen(pilot, DraftScreen)
        languages = dialog.query_one("#draft-languages", SelectionList)
        assert languages.selected == ["es"]
        assert [languages.get_option_at_index(i).disabled for i in range(4)] == [False, True, True, True]
        assert "workbench models install fr id tl" in shown(dialog.query_one("#draft-missing"))
        assert "no model" in str(languages.get_option_at_index(1).prompt)
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, title="Drafting done"), "the run to finish")
        await workers_done(pilot)
        assert any(state.label.startswith(f"Drafting statement #{statement_id} (es)") for state in states)
        assert tui_workspace.store.translation("toy0", "es")["status"] == "machine"
        assert tui_workspace.store.translation("toy0", "fr_CA")["version"] == 0


@pilot_test
async def test_unticking_every_language_keeps_the_dialog_open_and_says_why(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=NARROW) as pilot:
        chosen: list[DraftChoice | None] = []
        app.push_screen(DraftScreen((1, "Statement on International Migrants Day"), tui_workspace.target_locales,
                                    missing=["tl"], hint="run: workbench models install tl"), chosen.append)
        dialog = await wait_for_screen(pilot, DraftScreen)
        await wait_for(pilot, lambda: isinstance(app.focused, OptionList), "the scopes to take the focus")
        await pilot.press("l")
        languages = dialog.query_one("#draft-languages", SelectionList)
        await wait_for(pilot, lambda: app.focused is languages, "the languages")
        assert languages.selected == ["es", "fr_CA", "id"]
        languages.deselect_all()
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: notified(app, text="Tick at least one language"), "the warning")
        assert app.screen is dialog and chosen == []
        languages.select("id")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: chosen != [], "the choice")
        assert chosen == [DraftChoice(None, ("id",))]


# -- the glossary form --------------------------------------------------------------------------------


async def open_term_form(pilot: Pilot[Any], key: str) -> TermForm:
    """f3, then ``a`` (a new term) or ``e`` (edit "migrant workers"); the form opens on its first field."""
    glossary = await glossary_open(pilot)
    table = glossary.query_one(DataTable)
    term = next(term for term in glossary.shown if term.term == "migrant workers")
    table.move_cursor(row=table.get_row_index(str(term.id)))
    await pilot.press(key)
    form = await wait_for_screen(pilot, TermForm)
    await wait_for(pilot, lambda: pilot.app.focused is form.query_one("#f-term"), "the first field to take the focus")
    return form


@pilot_test
async def test_the_term_form_opens_on_its_first_field_so_the_first_keys_are_the_term(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=NARROW) as pilot:
        form = await open_term_form(pilot, "a")
        await pilot.press(*"solidarity")
        assert form.query_one("#f-term", Input).value == "solidarity"
        keys = {key.key for key in form.query(FooterKey)}
        assert "ctrl+s" in keys and "escape" in keys


@pilot_test
async def test_an_error_shows_under_its_field_which_is_focused_and_scrolled_into_view(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=NARROW) as pilot:
        form = await open_term_form(pilot, "e")
        form.query_one("#f-tl-preferred", Input).value = ""
        form.query_one("#f-tl-variants", Input).value = "migranteng manggagawa"
        await pilot.press("ctrl+s")
        message = form.query_one("#e-tl-preferred", Static)
        await wait_for(pilot, lambda: message.display and "needs a preferred text" in shown(message), "the error under tl")
        assert app.focused is form.query_one("#f-tl-preferred")
        fields = form.query_one("#term-fields")
        await wait_for(pilot, lambda: fields.region.contains_region(message.region), "the error to be scrolled into view")
        assert not form.query_one("#form-error").display
        assert get_term(tui_workspace.store, "migrant workers").rendering("tl") == "manggagawang migrante"
        form.query_one("#f-tl-preferred", Input).value = "manggagawang migrante"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, GlossaryScreen), "the saved form to close")


def test_each_glossary_error_is_tied_to_the_field_it_is_about() -> None:
    locales = ["es", "fr_CA", "id", "tl"]
    assert error_field("a glossary term cannot be empty: give the English term", locales) == "term"
    assert error_field("term 'x' already exists as #3: edit that one instead", locales) == "term"
    assert error_field("term 'x': treatment 'y' is not one of keep, translate", locales) == "treatment"
    assert error_field("term 'x' (fr_CA): a rendering needs a preferred text: give one or drop the language", locales) == "fr_CA-preferred"
    assert error_field("term 'x' (es): pattern '[' is not a valid regular expression (oops): fix it", locales) == "es-patterns"
    assert error_field("term 'x' was deleted by someone else meanwhile: cancel", locales) is None


# -- the editor's paragraph bar -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [NARROW, WIDE])
def test_the_paragraph_bar_cuts_a_long_title_clear_of_the_first_language(worked_workspace: Workspace, size: tuple[int, int]) -> None:
    @pilot_test
    async def run(workspace: Workspace) -> None:
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            statements = await wait_for_screen(pilot, StatementsScreen)
            table = statements.query_one(StatementTable)
            table.move_cursor(row=table.get_row_index("6"))
            await pilot.press("enter")
            editor = await wait_for_screen(pilot, EditorScreen)
            await wait_for(pilot, lambda: editor.focused is not None, "the editor")
            position, progress = editor.query_one("#bar-position"), editor.query_one("#bar-progress")
            assert position.content_region.right + 2 <= progress.region.x
            line = "".join(segment.text for segment in position.render_line(0))
            assert line.rstrip().endswith("…") and line.lstrip().startswith("¶ 1 of 1")

    run(worked_workspace)


# -- snapshots at 80×24 and 160×48 --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
def test_snapshot_statements(snap_compare: SnapCompare, worked_workspace: Workspace, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(worked_workspace), terminal_size=size, run_before=settled)


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
def test_snapshot_search_with_a_replace_preview(snap_compare: SnapCompare, worked_workspace: Workspace, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        search = await open_search(pilot)
        search.query_one("#in-source", Checkbox).value = False
        search.query_one("#search-replacement", Input).value = "unámonos"
        await search_for(pilot, search, "uníos")
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, ReplacePreview)
        await settled(pilot)

    assert snap_compare(app_for(worked_workspace), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
def test_snapshot_search_results(snap_compare: SnapCompare, worked_workspace: Workspace, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        search = await open_search(pilot)
        await search_for(pilot, search, "migrant")
        await settled(pilot)

    assert snap_compare(app_for(worked_workspace), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
def test_snapshot_draft_dialog(snap_compare: SnapCompare, worked_workspace: Workspace, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, WorkbenchApp)
        app.push_screen(DraftScreen((1, "Statement on International Migrants Day"), worked_workspace.target_locales,
                                    missing=["id", "tl"], hint="run 'workbench models install id tl' (online), "
                                    "or install model files with 'workbench models install FILE.argosmodel'"))
        await wait_for_screen(pilot, DraftScreen)
        await settled(pilot)

    assert snap_compare(app_for(worked_workspace), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
def test_snapshot_glossary_form_with_an_error(snap_compare: SnapCompare, worked_workspace: Workspace, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        form = await open_term_form(pilot, "e")
        form.query_one("#f-tl-preferred", Input).value = ""
        form.query_one("#f-tl-variants", Input).value = "migranteng manggagawa"
        await pilot.press("ctrl+s")
        message = form.query_one("#e-tl-preferred", Static)
        await wait_for(pilot, lambda: message.display and form.query_one("#term-fields").region.contains_region(message.region),
                       "the error in view")
        await settled(pilot)

    assert snap_compare(app_for(worked_workspace), terminal_size=size, run_before=run_before)
