"""Pilot tests of the TUI: every flow a volunteer goes through, driven by keys.

The workspace is built through the store (not the importer) so the paragraphs,
glossary terms and findings are known exactly; the snapshot tests reuse it.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from tests.models.toy import held_out, install_all
from workbench.glossary import Rendering, add_term, list_terms, remove_term
from workbench.store import ConflictError, Draft, Store
from workbench.tui.app import DARK_THEME, LIGHT_THEME, WorkbenchApp, terminal_theme
from workbench.tui.saving import SaveOutcome, SaveQueue, SaveRequest
from workbench.tui.screens.conflict import ConflictScreen
from workbench.tui.screens.draft import DraftChoice, DraftScreen
from workbench.tui.screens.editor import EditorScreen, LanguagePanes, ParagraphSource
from workbench.tui.screens.export import ExportScreen
from workbench.tui.screens.glossary import GlossaryScreen, TermForm
from workbench.tui.screens.help import HelpScreen, sections
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.statements import StatementsScreen
from workbench.tui.text import from_display, to_display
from workbench.tui.widgets.language_pane import LanguagePane, TranslationArea
from workbench.tui.widgets.progress import DraftProgress, DraftState
from workbench.tui.widgets.side_panel import SidePanel
from workbench.tui.widgets.source_view import SourceView
from workbench.tui.widgets.word_diff import WordDiff, word_diff
from workbench.workspace import Workspace

SIZE = (140, 40)
HOSTILE_SOURCE = "Under Article 278 [263] (g), workers \x1b[31mmust\x1b[0m be paid [bold] on time [/] \x07."

STATEMENTS = [
    {
        "title": "Statement on International Migrants Day",
        "date": "2015-12-18",
        "truncated": False,
        "paragraphs": [
            ("title", "Statement on International Migrants Day", None),
            ("paragraph", "The International Migrants Alliance stands with migrant workers everywhere.", None),
            ("paragraph", "In 2015, 244 million people lived outside their country of birth.", None),
            ("paragraph", "Migrants demand justice, jobs and dignity.", "Migrants demand justice and dignity."),
        ],
    },
    {
        "title": "Article 278 [263] (g) and the [bold] law [/]",
        "date": "2016-05-01",
        "truncated": True,
        "paragraphs": [
            ("title", "Article 278 [263] (g) and the [bold] law [/]", None),
            ("paragraph", HOSTILE_SOURCE, None),
        ],
    },
    *(
        {
            "title": f"Solidarity statement number {number}",
            "date": f"2017-0{number}-01",
            "truncated": False,
            "paragraphs": [("paragraph", f"Migrant workers of region {number} unite.", None)],
        }
        for number in range(1, 4)
    ),
]


def build_workspace(root: Path) -> Workspace:
    """A workspace with known statements, paragraphs and glossary (no importer, no segmenter)."""
    workspace = Workspace.init(root)
    store = workspace.store
    for number, statement in enumerate(STATEMENTS, 1):
        statement_id = store.save_statement({
            "slug": f"statement-{number}", "title": statement["title"], "date": statement["date"],
            "date_text": statement["date"], "source_file": f"data/statements/{number}.txt", "start_line": 1,
            "truncated": statement["truncated"], "fingerprint": f"fingerprint-{number}", "metadata": {},
        })
        store.insert_segments([
            {"id": f"s{number}p{position}", "statement_id": statement_id, "position": position, "kind": kind,
             "source": source, "source_lang": "en", "previous_source": previous, "line": position + 1, "obsolete": 0}
            for position, (kind, source, previous) in enumerate(statement["paragraphs"])
        ])
    for term in list_terms(store):
        remove_term(store, term.id)
    add_term(store, "migrant workers", renderings={
        "es": Rendering("trabajadores migrantes"), "fr_CA": Rendering("travailleurs migrants"),
        "id": Rendering("pekerja migran"), "tl": Rendering("manggagawang migrante", verified=False),
    })
    add_term(store, "International Migrants Alliance", english_forms=["IMA"], treatment="established", renderings={
        "es": Rendering("Alianza Internacional de Migrantes"), "fr_CA": Rendering("Alliance internationale des migrants"),
    }, notes="Keep the acronym IMA in every language")
    return workspace


@pytest.fixture
def tui_workspace(tmp_path: Path) -> Workspace:
    return build_workspace(tmp_path / "ws")


def pilot_test(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async pilot test in its own event loop (no asyncio plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(workspace: Workspace) -> WorkbenchApp:
    return WorkbenchApp(workspace, theme=DARK_THEME)


async def settle(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    """Let queued saves reach the database and their outcomes reach the UI."""
    await app.wait_for_saves()
    await pilot.pause()


async def open_statement(pilot: Pilot[None], statement_id: int = 1) -> EditorScreen:
    """Highlight the statement in the list and press Enter, as a volunteer would."""
    app = pilot.app
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(statement_id)))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def area(editor: EditorScreen) -> TranslationArea:
    return editor.active_pane.area


def shown(widget: object) -> str:
    """The plain text a Static-like widget displays."""
    return str(widget.render())  # type: ignore[attr-defined]


# -- statements ------------------------------------------------------------------------------


@pilot_test
async def test_statements_table_filters_as_you_type_and_opens(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, StatementsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(STATEMENTS)
        assert isinstance(app.focused, Input)
        await pilot.press(*"solidarity")
        assert table.row_count == 3
        await pilot.press(*" 2017-02")
        assert table.row_count == 1
        assert screen.highlighted_id() == 4
        await pilot.press("escape")
        assert table.row_count == len(STATEMENTS)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.statement_id == 2


@pilot_test
async def test_statements_show_progress_and_excerpt_mark(tui_workspace: Workspace) -> None:
    tui_workspace.store.save_translation("s1p0", "es", "Declaración", "translated", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DataTable)
        first = [str(cell) for cell in table.get_row("1")]
        assert first[2] == "2015-12-18"
        assert first[5].endswith("25%")  # 1 of 4 paragraphs translated in es
        assert first[6].endswith("0%")
        assert [str(cell) for cell in table.get_row("2")][4] == "✂"
        await pilot.pause()


# -- editing and saving ------------------------------------------------------------------------


@pilot_test
async def test_open_edit_and_leave_saves_without_blocking(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        assert isinstance(app.focused, TranslationArea)
        assert editor.lang == "es"
        await pilot.press(*"Declaración del Día")
        assert editor.active_pane.area.dirty
        await pilot.press("ctrl+down")
        assert editor.index == 1
        assert editor.segments[0]["translations"]["es"]["status"] == "needs-review"
        await settle(app, pilot)
        saved = tui_workspace.store.translation("s1p0", "es")
        assert (saved["text"], saved["status"], saved["version"], saved["author"]) == (
            "Declaración del Día", "needs-review", 1, "tester")
        await pilot.press("ctrl+up")
        assert area(editor).text == "Declaración del Día"
        assert "v1" in shown(editor.active_pane.query_one(".pane-header"))


@pilot_test
async def test_switching_language_and_closing_the_editor_save_too(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Hola")
        await pilot.press("tab")
        assert editor.lang == "fr_CA"
        assert isinstance(app.focused, TranslationArea) and app.focused.id == "edit-fr_CA"
        await pilot.press(*"Bonjour")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, StatementsScreen)
        await settle(app, pilot)
        store = tui_workspace.store
        assert store.translation("s1p0", "es")["text"] == "Hola"
        assert store.translation("s1p0", "fr_CA")["text"] == "Bonjour"
        assert app.screen.query_one(DataTable).get_row("1")[5].plain.endswith("0%")


@pilot_test
async def test_status_keys_and_undo_from_history(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Declaración")
        await pilot.press("ctrl+s")
        assert editor.active_pane.record["status"] == "translated"
        await pilot.press("escape")
        assert isinstance(app.focused, ParagraphSource)
        await pilot.press("a")
        await settle(app, pilot)
        store = tui_workspace.store
        assert store.translation("s1p0", "es")["status"] == "approved"
        await pilot.press("r")
        await settle(app, pilot)
        assert store.translation("s1p0", "es")["status"] == "needs-review"
        await pilot.press("u")
        await settle(app, pilot)
        current = store.translation("s1p0", "es")
        assert (current["status"], current["version"]) == ("approved", 4)
        assert editor.active_pane.record["status"] == "approved"
        assert [row["action"] for row in store.history("s1p0", "es")] == ["edit", "edit", "edit", "undo"]
        await pilot.press("enter")
        assert isinstance(app.focused, TranslationArea)


@pilot_test
async def test_confirm_needs_text(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert tui_workspace.store.translation("s1p0", "es")["version"] == 0
        assert any("type a translation first" in str(n.message) for n in app._notifications)


@pilot_test
async def test_revert_to_machine_draft_keeps_the_human_text_in_history(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    store.save_machine_drafts([Draft("s1p1", "es", "La Alianza apoya a los trabajadores.", "argos")])
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+down")
        assert area(editor).text == "La Alianza apoya a los trabajadores."
        assert "MT draft" in shown(editor.active_pane.query_one(".pane-header"))
        area(editor).load_text("Mi traducción")
        await pilot.press("escape", "m")
        await settle(app, pilot)
        current = store.translation("s1p1", "es")
        assert (current["text"], current["status"], current["origin"]) == ("La Alianza apoya a los trabajadores.", "machine", "argos")
        assert "Mi traducción" in [row["text"] for row in store.history("s1p1", "es")]
        assert area(editor).text == "La Alianza apoya a los trabajadores."


@pilot_test
async def test_next_to_do_skips_confirmed_paragraphs(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    store.save_translation("s1p1", "es", "Hecho", "translated", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+n")
        assert editor.index == 2


# -- glossary and translation memory in the side panel -------------------------------------


@pilot_test
async def test_glossary_terms_are_highlighted_and_inserted(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+down")
        source = editor.query_one(SourceView).render()
        highlighted = {source.plain[span.start:span.end] for span in source.spans}
        assert highlighted == {"International Migrants Alliance", "migrant workers"}
        terms = editor.query_one("#terms", OptionList)
        assert terms.option_count == 2
        await pilot.press(*"La ")
        await pilot.press("ctrl+g")
        assert app.focused is terms
        await pilot.press("enter")
        assert isinstance(app.focused, TranslationArea)
        assert area(editor).text == "La Alianza Internacional de Migrantes"
        await pilot.press("escape", "2")
        assert area(editor).text == "La Alianza Internacional de Migrantestrabajadores migrantes"
        await pilot.press("tab")
        assert "? unverified" not in str(terms.get_option_at_index(1).prompt)
        await pilot.press("tab", "tab")
        assert editor.lang == "tl"
        assert "? unverified" in str(terms.get_option_at_index(1).prompt)


@pilot_test
async def test_single_term_is_inserted_at_once(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 3)
        await pilot.press(*"Unidos ")
        await pilot.press("ctrl+g")
        assert area(editor).text == "Unidos trabajadores migrantes"


@pilot_test
async def test_translation_memory_suggestion_is_taken(tui_workspace: Workspace) -> None:
    tui_workspace.store.save_translation("s3p0", "es", "¡Trabajadores migrantes de la región 1, uníos!", "approved", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        suggestions = editor.query_one("#suggestions", OptionList)
        assert suggestions.option_count == 1
        prompt = str(suggestions.get_option_at_index(0).prompt)
        expected = app.memory.lookup("Migrant workers of region 2 unite.", "es", exclude_segment="s4p0")[0]
        assert 60 <= expected.score < 100
        assert prompt.startswith(f"{expected.score:>3.0f}% ") and "región 1" in prompt
        await pilot.press(*"borrador")
        await pilot.press("ctrl+r")
        assert area(editor).text == "¡Trabajadores migrantes de la región 1, uníos!"
        await pilot.press("ctrl+z")
        assert area(editor).text == "borrador"
        await pilot.press("tab")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no similar paragraphs" in shown(editor.query_one("#suggestions-note"))


# -- machine drafting ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def toy_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the toy en->es package: the other languages exercise the missing-model notice."""
    return install_all(tmp_path_factory.mktemp("toy-models"), pairs=(("en", "es"),))


def add_toy_statement(workspace: Workspace, sources: list[str]) -> int:
    """A statement whose paragraphs the toy models know."""
    store = workspace.store
    statement_id = store.save_statement({
        "slug": "toy", "title": "Toy statement", "date": "2019-01-01", "date_text": "2019-01-01",
        "source_file": "data/statements/toy.txt", "start_line": 1, "truncated": False, "fingerprint": "toy", "metadata": {},
    })
    store.insert_segments([
        {"id": f"toy{position}", "statement_id": statement_id, "position": position, "kind": "paragraph",
         "source": source, "source_lang": "en", "previous_source": None, "line": position + 1, "obsolete": 0}
        for position, source in enumerate(sources)
    ])
    return statement_id


@pilot_test
async def test_machine_drafting_runs_in_a_worker_with_progress(
    tui_workspace: Workspace, toy_models: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(toy_models))
    sentences = held_out("en", "es", verified_only=True)[:3]
    statement_id = add_toy_statement(tui_workspace, [sentence["source"] for sentence in sentences])
    store = tui_workspace.store
    store.save_translation("toy1", "es", "Mi traducción", "translated", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, statement_id)
        states: list[DraftState] = []
        app.draft_signal.subscribe(editor, states.append, immediate=True)
        await pilot.press("f5")
        assert isinstance(app.screen, DraftScreen)
        missing = next(str(n.message) for n in app._notifications if n.title == "Missing MT model")
        assert "workbench models install fr id tl" in missing
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.draft_state.running and not editor.query_one(DraftProgress).display
        assert any(state.running and state.total and state.done == state.total for state in states)
        first = store.translation("toy0", "es")
        assert (first["text"], first["status"]) == (sentences[0]["expected"], "machine")
        assert store.translation("toy2", "es")["text"] == sentences[2]["expected"]
        assert store.translation("toy1", "es")["text"] == "Mi traducción"
        assert area(editor).text == sentences[0]["expected"]
        assert any(n.title == "Drafting done" for n in app._notifications)


@pilot_test
async def test_draft_progress_strip_shows_count_rate_and_time_left(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        strip = app.screen.query_one(DraftProgress)
        assert not strip.display
        app.draft_signal.publish(DraftState(True, "Drafting all statements · es", 30, 120, 12.5, 75.0))
        await pilot.pause()
        assert strip.display
        assert shown(strip.query_one("#draft-label")) == "Drafting all statements · es"
        assert shown(strip.query_one("#draft-rate")) == "30/120 · 12.5/s · 1:15 left"
        assert "cancel" in shown(strip.query_one("#draft-hint"))


@pilot_test
async def test_machine_drafting_can_be_cancelled(tui_workspace: Workspace, toy_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(toy_models))
    statement_id = add_toy_statement(tui_workspace, [s["source"] for s in held_out("en", "es", verified_only=True)[:3]])
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        app.start_draft(DraftChoice(statement_id))
        # f5 now means cancel; pressed in the same tick, before the worker thread gets going.
        assert app.check_action("cancel_draft", ()) and not app.check_action("draft", ())
        app.action_cancel_draft()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.draft_state.running
        assert tui_workspace.store.translation("toy0", "es")["version"] == 0
        assert any(n.title == "Drafting cancelled" for n in app._notifications)


@pilot_test
async def test_drafting_without_models_names_the_install_command(
    tui_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        assert isinstance(app.screen, StatementsScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("workbench models install es fr id tl" in message for message in messages)


# -- QA findings and the word diff ------------------------------------------------------------


@pilot_test
async def test_findings_follow_the_text_being_typed(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+down", "ctrl+down")
        await pilot.press(*"En 2016, 244 millones de personas vivían fuera.")
        await pilot.pause(0.5)
        findings = shown(editor.query_one("#findings"))
        assert "2015" in findings
        area(editor).load_text("En 2015, 244 millones de personas vivían fuera.")
        await pilot.pause(0.5)
        assert "2015" not in shown(editor.query_one("#findings"))


@pilot_test
async def test_changed_source_shows_a_word_diff(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        diff = editor.query_one(WordDiff)
        assert not diff.display
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        assert diff.display
        content = diff.render()
        inserted = [content.plain[s.start:s.end] for s in content.spans if "underline" in str(s.style)]
        assert inserted == [", jobs"] or "".join(inserted).strip(" ,") == "jobs"


def test_word_diff_marks_removed_and_added_words() -> None:
    content = word_diff("We demand justice now.", "We demand justice and jobs.")
    styled = {content.plain[s.start:s.end]: str(s.style) for s in content.spans}
    assert "strike" in styled["now"]
    assert "underline" in styled["and jobs"]
    assert content.plain.startswith("We demand justice ")


# -- literal text ------------------------------------------------------------------------------


@pilot_test
async def test_markup_and_escape_sequences_show_as_typed(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    store.save_translation("s2p1", "es", "Según el artículo 278 [263] (g) [/] \x1b[2J", "translated", author="[bold]ana[/]")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        title_cell = app.screen.query_one(DataTable).get_row("2")[1]
        assert title_cell.plain.startswith("Article 278 [263] (g) and the [bold] law [/]")
        editor = await open_statement(pilot, 2)
        await pilot.press("ctrl+down")
        assert shown(editor.query_one(SourceView)) == to_display(HOSTILE_SOURCE)
        assert "␛[31mmust␛[0m" in shown(editor.query_one(SourceView))
        assert area(editor).text == "Según el artículo 278 [263] (g) [/] ␛[2J"
        header = shown(editor.active_pane.query_one(".pane-header"))
        assert "[bold]ana[/]" in header
        await pilot.press("tab")
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert store.translation("s2p1", "es")["text"] == "Según el artículo 278 [263] (g) [/] \x1b[2J"
        assert store.translation("s2p1", "es")["version"] == 1


@given(st.text())
def test_display_form_round_trips(text: str) -> None:
    shown_text = to_display(text)
    assert len(shown_text) == len(text)
    assert not any(ord(char) < 32 and char not in "\t\n" for char in shown_text)
    assert from_display(shown_text, text) == text


def test_an_edit_keeps_a_typed_control_picture() -> None:
    assert from_display("a␛b typed ␛", "a\x1bb") == "a\x1bb typed \x1b"
    assert from_display("typed ␛", "plain") == "typed ␛"


# -- conflicts ------------------------------------------------------------------------------------


async def conflicting_edit(app: WorkbenchApp, pilot: Pilot[None], workspace: Workspace) -> EditorScreen:
    """Open ¶1 in es, let a teammate save it meanwhile, then type and leave."""
    editor = await open_statement(pilot)
    teammate = Store(workspace.db_path)
    teammate.save_translation("s1p0", "es", "Texto de Ana", "translated", author="ana", expected_version=0)
    teammate.close()
    await pilot.press(*"Mi texto")
    await pilot.press("ctrl+down")
    await settle(app, pilot)
    assert isinstance(app.screen, ConflictScreen)
    dialog = app.screen
    assert "Texto de Ana" in shown(dialog.query_one("#conflict-theirs"))
    assert "Mi texto" in shown(dialog.query_one("#conflict-mine"))
    return editor


@pilot_test
async def test_conflict_keep_mine(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await conflicting_edit(app, pilot, tui_workspace)
        await pilot.press("m")
        await settle(app, pilot)
        store = tui_workspace.store
        assert store.translation("s1p0", "es")["text"] == "Mi texto"
        assert [row["text"] for row in store.history("s1p0", "es")] == ["Texto de Ana", "Mi texto"]


@pilot_test
async def test_conflict_keep_theirs_puts_mine_in_history(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await conflicting_edit(app, pilot, tui_workspace)
        await pilot.press("t")
        await settle(app, pilot)
        store = tui_workspace.store
        current = store.translation("s1p0", "es")
        assert (current["text"], current["status"]) == ("Texto de Ana", "translated")
        assert [row["text"] for row in store.history("s1p0", "es")] == ["Texto de Ana", "Mi texto", "Texto de Ana"]
        await pilot.press("ctrl+up")
        assert area(editor).text == "Texto de Ana"


@pilot_test
async def test_conflict_merge_by_hand(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await conflicting_edit(app, pilot, tui_workspace)
        await pilot.press("e")
        await pilot.pause()
        assert editor.index == 0 and isinstance(app.focused, TranslationArea)
        assert area(editor).text == "Mi texto"
        note = editor.active_pane.query_one(".pane-conflict")
        assert note.display and "Texto de Ana" in shown(note)
        await pilot.press(*" y de Ana")
        await pilot.press("ctrl+down")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert tui_workspace.store.translation("s1p0", "es")["text"] == "Mi texto y de Ana"


def test_save_queue_blocks_writes_after_a_conflict_until_resolved(tui_workspace: Workspace) -> None:
    outcomes: list[SaveOutcome] = []
    queue = SaveQueue(tui_workspace.db_path, "tester", outcomes.append)
    tui_workspace.store.save_translation("s1p0", "es", "theirs", "translated", author="ana")
    queue.submit(SaveRequest("save", "s1p0", "es", expected_version=0, text="mine", status="needs-review"))
    queue.submit(SaveRequest("save", "s1p0", "es", expected_version=1, text="mine again", status="needs-review"))
    queue.submit(SaveRequest("save", "s1p0", "es", expected_version=1, text="settled", status="translated", resolves=True))
    queue.close()
    assert [type(o.conflict) if o.conflict else o.row["text"] for o in outcomes] == [ConflictError, ConflictError, "settled"]  # type: ignore[index]
    assert outcomes[1].conflict.current["text"] == "theirs"  # type: ignore[union-attr]
    assert not queue.busy


# -- review, export, glossary screen ------------------------------------------------------------


@pilot_test
async def test_review_filters_and_jumps_to_the_paragraph(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    store.save_translation("s1p2", "fr_CA", "En 2016, 244 millions de personnes vivaient ailleurs.", "translated", author="ana")
    store.save_translation("s1p2", "es", "En 2015, 244 millones de personas vivían fuera de su país natal.", "translated", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        assert isinstance(app.screen, ReviewScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        review = app.screen
        assert any(f.check_id == "numbers" or "2015" in f.message for f in review.shown if f.lang == "fr_CA")
        await pilot.press("l")
        assert review.filters()[0] == "es"
        assert all(f.lang == "es" for f in review.shown)
        await pilot.press("l")
        assert review.filters()[0] == "fr_CA"
        index = next(i for i, f in enumerate(review.shown) if "2015" in f.message)
        review.query_one(DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert (editor.statement_id, editor.index, editor.lang) == (1, 2, "fr_CA")
        assert area(editor).text.startswith("En 2016")
        area(editor).load_text("En 2015, 244 millions de personnes vivaient ailleurs.")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await settle(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(f.segment_id == "s1p2" and f.lang == "fr_CA" and "2015" in f.message for f in app.screen.findings)


@pilot_test
async def test_export_writes_files_and_says_where(tui_workspace: Workspace) -> None:
    tui_workspace.store.save_translation("s1p0", "es", "Declaración", "translated", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")  # PO files, this (highlighted) statement
        await app.workers.wait_for_complete()
        await pilot.pause()
        po = tui_workspace.locales_dir / "es" / "LC_MESSAGES" / "statement-1.po"
        assert po.is_file()
        assert 'msgstr "Declaración"' in po.read_text(encoding="utf-8")
        messages = [str(n.message) for n in app._notifications]
        assert any(str(tui_workspace.locales_dir) in message and "4 PO files" in message for message in messages)


@pilot_test
async def test_export_json_of_all_statements_from_the_editor(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press(*"Hola")
        await pilot.press("f8")
        options = app.screen.query_one(OptionList)
        index = next(i for i, choice in enumerate(app.screen.choices) if choice.fmt == "json" and choice.statement_id is None)
        options.highlighted = index
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        exported = list((tui_workspace.root / "exports").glob("*.json"))
        assert sorted(path.name for path in exported) == ["es.json", "fr_CA.json", "id.json", "tl.json"]
        assert "Hola" in (tui_workspace.root / "exports" / "es.json").read_text(encoding="utf-8")


@pilot_test
async def test_glossary_screen_add_edit_search_delete(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, TermForm)
        form.query_one("#f-term", Input).value = "forced migration"
        form.query_one("#f-es-preferred", Input).value = "migración forzada"
        form.query_one("#f-es-forbidden", Input).value = "migración obligada; emigración forzosa"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, GlossaryScreen)
        assert table.row_count == 3
        term = next(t for t in list_terms(tui_workspace.store) if t.term == "forced migration")
        assert term.rendering_for("es").forbidden == ["migración obligada", "emigración forzosa"]  # type: ignore[union-attr]
        await pilot.press("slash", *"forzada")
        assert table.row_count == 1
        await pilot.press("enter")  # leaves the search for the table
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, TermForm)
        form.query_one("#f-fr_CA-preferred", Input).value = "migration forcée"
        await pilot.press("ctrl+s")
        term = next(t for t in list_terms(tui_workspace.store) if t.term == "forced migration")
        assert term.rendering("fr_CA") == "migration forcée"
        await pilot.press("d", "y")
        assert all(t.term != "forced migration" for t in list_terms(tui_workspace.store))
        assert table.row_count == 0


@pilot_test
async def test_glossary_form_reports_errors_and_keeps_the_form(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "a")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TermForm)
        assert "cannot be empty" in shown(app.screen.query_one("#form-error"))


@pilot_test
async def test_glossary_edits_reach_the_editor_at_once(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("f3")
        add_term(tui_workspace.store, "justice", renderings={"es": Rendering("justicia")})
        await pilot.press("escape")
        assert app.screen is editor
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        assert editor.query_one("#terms", OptionList).option_count == 1


# -- keys, palette, themes ------------------------------------------------------------------------


@pilot_test
async def test_help_lists_every_key_of_every_screen(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(shown(static) for static in app.screen.query(".help-keys"))
        for section in sections():
            for binding in section.bindings:
                description = binding.description or binding.tooltip
                assert description.rstrip("0123456789 ") in text, description
        titles = [shown(static) for static in app.screen.query(".help-section")]
        assert titles[0].startswith("Editor")
        await pilot.press("escape", "escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


@pilot_test
async def test_command_palette_has_an_entry_for_every_action(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        titles = {command.title for command in app.get_system_commands(editor)}
        for binding in [*LanguagePanes.BINDINGS, *ParagraphSource.BINDINGS, *WorkbenchApp.BINDINGS]:
            if binding.action == "cancel_draft":
                assert binding.description not in titles  # only while a run is going
                continue
            if binding.action.startswith("screen.insert_term("):
                assert binding.description not in titles  # "Term" (pick from the list) stands for them
                continue
            assert binding.description in titles, binding.description
        assert "Focus Next" not in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"approve")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor
        area(editor).load_text("Texto")
        commands = {command.title: command for command in app.get_system_commands(editor)}
        await commands["Approve"].callback()
        await settle(app, pilot)
        assert tui_workspace.store.translation("s1p0", "es")["status"] == "approved"


def test_theme_follows_the_terminal() -> None:
    assert terminal_theme({"COLORFGBG": "0;15"}) == LIGHT_THEME
    assert terminal_theme({"COLORFGBG": "15;default;0"}) == DARK_THEME
    assert terminal_theme({}) == DARK_THEME
    assert terminal_theme({"WORKBENCH_THEME": "nord", "COLORFGBG": "0;15"}) == "nord"


@pilot_test
async def test_ctrl_t_toggles_light_and_dark(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        assert app.theme == LIGHT_THEME
        await pilot.press("ctrl+t")
        assert app.theme == DARK_THEME


@pilot_test
async def test_side_panel_sections_say_when_empty(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        side = editor.query_one(SidePanel)
        assert "no terms in this paragraph" in shown(side.query_one("#terms-note"))
        assert not side.query_one("#terms").display
        assert "no problems found" in shown(side.query_one("#findings"))


@pilot_test
async def test_a_statement_without_paragraphs_opens_and_closes(tui_workspace: Workspace) -> None:
    tui_workspace.store.save_statement({
        "slug": "empty", "title": "Only a date", "date": None, "date_text": None, "source_file": "x.txt",
        "start_line": 1, "truncated": False, "fingerprint": "empty", "metadata": {},
    })
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 6)
        assert "no paragraphs" in shown(editor.query_one(SourceView))
        await pilot.press("ctrl+down", "ctrl+s", "escape", "u", "a", "j")
        assert app.screen is editor
        await pilot.press("escape")
        assert isinstance(app.screen, StatementsScreen)


@pilot_test
async def test_a_paragraph_move_does_not_rebuild_widgets(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        before = {id(widget) for widget in editor.query("*")}
        document = editor.document
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+up")
        assert {id(widget) for widget in editor.query("*")} == before
        assert editor.document is document
        assert [pane.active for pane in editor.query(LanguagePane)] == [True, False, False, False]
