"""Pilot tests of the TUI: every flow a volunteer goes through, driven by keys.

The workspace is built through the store (not the importer) so the paragraphs,
glossary terms and findings are known exactly; the snapshot tests reuse it.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.worker import WorkerCancelled

from tests.models.toy import held_out, install_all, tagalog_sentence_and_its_spanish
from workbench.lifecycle import create_workspace
from workbench.glossary import Rendering, add_term, edit_term, get_term, list_terms, remove_term
from workbench.store import ConflictError, Draft, Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.saving import SaveOutcome, SaveQueue, SaveRequest
from workbench.tui.screens.choice import ChoiceScreen
from workbench.tui.screens.conflict import ConflictScreen, TermConflictScreen
from workbench.tui.screens.draft import DraftChoice, DraftScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.export import ExportScreen
from workbench.tui.screens.glossary import GlossaryScreen, TermForm
from workbench.tui.screens.help import HelpScreen, sections
from workbench.tui.screens.review import ALL, ReviewScreen
from workbench.tui.screens.statements import StatementsScreen
from workbench.textfacts import from_visible, visible
from workbench.tui.themes import DARK_THEME, LIGHT_THEME, terminal_theme
from workbench.tui.widgets.editor.language_pane import LanguagePane, TranslationArea
from workbench.tui.widgets.editor.paragraph import LanguagePanes, ParagraphSource
from workbench.tui.widgets.editor.side_panel import SidePanel
from workbench.tui.widgets.editor.source_view import SourceView
from workbench.tui.widgets.editor.word_diff import WordDiff, word_diff
from workbench.tui.widgets.progress import JobProgress, JobState
from workbench.workspace import Workspace

# The editor remembers where each volunteer was in the user's state folder: keep the tests' places out of the real
# one, beside the other per-user folders conftest points into its throwaway directory (removed after the session).

SIZE = (140, 40)
PATIENCE = 30.0
"""Seconds a test lets the app take to get somewhere before failing: room for a loaded CI box, not a speed test."""
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
    workspace = create_workspace(root)
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


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    """Let the app run until ``condition()`` holds; fail, naming ``what``, if it never does.

    ``pilot.press`` and ``pilot.pause`` wait for the messages queued when they
    start, then guess from CPU time that the app went idle: a guess a loaded
    machine defeats. Whatever takes more steps than one key's handler (a
    ``focus()``, a pushed screen mounting, a ``Changed`` message, a
    notification, a dismissed screen's callback, a worker's result, a debounce
    timer) is waited for by its effect, never by a sleep.
    """
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {PATIENCE:.0f} s waiting for {what}")
        await pilot.pause()
        await asyncio.sleep(0.01)


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_for_screen(pilot: Pilot[Any], screen_type: type[ScreenT]) -> ScreenT:
    """Wait until a ``screen_type`` screen is on top with its widgets mounted (its ``on_mount`` has run)."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted,
                   f"the {screen_type.__name__} to show")
    assert isinstance(app.screen, screen_type)
    return app.screen


async def glossary_open(pilot: Pilot[Any]) -> GlossaryScreen:
    """f3, once its table has the focus (where its single-letter keys work)."""
    await pilot.press("f3")
    glossary = await wait_for_screen(pilot, GlossaryScreen)
    await wait_for(pilot, lambda: pilot.app.focused is glossary.query_one(DataTable), "the term table to take the focus")
    return glossary


def notified(app: WorkbenchApp, *, title: str | None = None, text: str = "") -> bool:
    """Whether a notification with this title (if given) and containing ``text`` was shown."""
    return any((title is None or n.title == title) and text in str(n.message) for n in app._notifications)


def looked_up(editor: EditorScreen) -> bool:
    """Whether the translation-memory suggestions shown are those of the paragraph and language shown."""
    return editor.suggestions_for == (editor.segment["id"], editor.lang)


async def workers_done(pilot: Pilot[Any]) -> None:
    """Wait for the workers running now; one cancelled meanwhile (replaced by a newer run) counts as done.

    ``app.workers.wait_for_complete()`` raises ``WorkerCancelled`` in that case.
    A worker is only waited for once started: tests first wait for the state
    that shows it was (a notification, a screen's ``checking``, ...).
    """
    results = await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, WorkerCancelled):
            raise result
    await pilot.pause()


async def settle(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    """Let queued saves reach the database and their outcomes reach the UI.

    Only saves already queued are waited for: a test first waits for the key
    that queues one to be handled (the optimistic update it makes at once).
    """
    await app.wait_for_saves()
    await pilot.pause()


async def open_statement(pilot: Pilot[None], statement_id: int = 1, *, typing: bool = True) -> EditorScreen:
    """Highlight the statement in the list and press Enter, as a volunteer would; then Enter again to type, unless not ``typing``.

    The editor opens in navigation mode; most tests type at once.
    """
    app = pilot.app
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(statement_id)))
    await pilot.press("enter")
    await pilot.pause()
    editor = await wait_for_screen(pilot, EditorScreen)
    await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "the editor to open in navigation mode")
    assert isinstance(app.screen, EditorScreen)
    if typing:
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, TranslationArea), "typing mode")
    return editor


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
        await wait_for(pilot, lambda: table.row_count == 3, "the filter to keep three statements")
        assert table.row_count == 3
        await pilot.press(*" 2017-02")
        await wait_for(pilot, lambda: table.row_count == 1, "the filter to keep one statement")
        assert table.row_count == 1
        assert screen.highlighted_id() == 4
        await pilot.press("escape")
        await wait_for(pilot, lambda: table.row_count == len(STATEMENTS), "the cleared filter to show every statement")
        assert table.row_count == len(STATEMENTS)
        await pilot.press("down")
        await wait_for(pilot, lambda: screen.highlighted_id() == 2, "the cursor to move down")
        await pilot.press("enter")
        await pilot.pause()
        await wait_for_screen(pilot, EditorScreen)
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
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph")
        assert editor.index == 1
        assert editor.segments[0]["translations"]["es"]["status"] == "needs-review"
        await settle(app, pilot)
        saved = tui_workspace.store.translation("s1p0", "es")
        assert (saved["text"], saved["status"], saved["version"], saved["author"]) == (
            "Declaración del Día", "needs-review", 1, "tester")
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: editor.index == 0, "the previous paragraph")
        assert area(editor).text == "Declaración del Día"
        assert "v1" in shown(editor.active_pane.query_one(".pane-header"))


@pilot_test
async def test_switching_language_and_closing_the_editor_save_too(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Hola")
        await pilot.press("tab")
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "edit-fr_CA", "the fr_CA field to take the focus")
        assert editor.lang == "fr_CA"
        assert isinstance(app.focused, TranslationArea) and app.focused.id == "edit-fr_CA"
        await pilot.press(*"Bonjour")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        await pilot.press("escape")
        await wait_for_screen(pilot, StatementsScreen)
        assert isinstance(app.screen, StatementsScreen)
        await settle(app, pilot)
        store = tui_workspace.store
        assert store.translation("s1p0", "es")["text"] == "Hola"
        assert store.translation("s1p0", "fr_CA")["text"] == "Bonjour"
        assert app.screen.query_one(DataTable).get_row("1")[5].plain.endswith("0%")


@pilot_test
async def test_statements_progress_counts_saves_that_land_after_coming_back(
    tui_workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list reads its figures on coming back, maybe before the editor's save lands: it reads them again then."""
    release = threading.Event()
    apply = SaveQueue._apply

    def held_apply(self: SaveQueue, store: Store, request: SaveRequest) -> SaveOutcome:
        release.wait(PATIENCE)  # a slow disk: the save lands only when the test says so
        return apply(self, store, request)

    monkeypatch.setattr(SaveQueue, "_apply", held_apply)
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        try:
            editor = await open_statement(pilot)
            await pilot.press(*"Declaración")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: editor.active_pane.record["status"] == "translated", "the confirm")
            editor.action_close()
            table = (await wait_for_screen(pilot, StatementsScreen)).query_one(DataTable)
        finally:
            release.set()
        await settle(app, pilot)
        await wait_for(pilot, lambda: table.get_row("1")[5].plain.endswith("25%"), "the list to count the saved paragraph")
        assert table.get_row("1")[5].plain.endswith("25%")


@pilot_test
async def test_status_keys_and_undo_from_history(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Declaración")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor.active_pane.record["status"] == "translated", "the confirm")
        assert editor.active_pane.record["status"] == "translated"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        assert isinstance(app.focused, ParagraphSource)
        record = editor.active_pane.record
        await pilot.press("a")
        await wait_for(pilot, lambda: record["status"] == "approved", "the approval to be queued")
        await settle(app, pilot)
        store = tui_workspace.store
        assert store.translation("s1p0", "es")["status"] == "approved"
        await pilot.press("r")
        await wait_for(pilot, lambda: record["status"] == "needs-review", "the review status to be queued")
        await settle(app, pilot)
        assert store.translation("s1p0", "es")["status"] == "needs-review"
        await pilot.press("u")
        await wait_for(pilot, lambda: record["version"] == 4, "the undo to be queued")
        await settle(app, pilot)
        current = store.translation("s1p0", "es")
        assert (current["status"], current["version"]) == ("approved", 4)
        assert editor.active_pane.record["status"] == "approved"
        assert [row["action"] for row in store.history("s1p0", "es")] == ["edit", "edit", "edit", "undo"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, TranslationArea), "editing mode")
        assert isinstance(app.focused, TranslationArea)


@pilot_test
async def test_confirm_needs_text(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(app, text="type a translation first"), "the warning")
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
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph")
        assert area(editor).text == "La Alianza apoya a los trabajadores."
        assert "MT draft" in shown(editor.active_pane.query_one(".pane-header"))
        area(editor).load_text("Mi traducción")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        await pilot.press("m")
        await wait_for(pilot, lambda: notified(app, text="machine draft restored"), "the machine draft to be restored")
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
        await wait_for(pilot, lambda: editor.index != 0, "a move to the next paragraph to do")
        assert editor.index == 2


# -- glossary and translation memory in the side panel -------------------------------------


@pilot_test
async def test_glossary_terms_are_highlighted_and_inserted(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph")
        source = editor.query_one(SourceView).render()
        highlighted = {source.plain[span.start:span.end] for span in source.spans}
        assert highlighted == {"International Migrants Alliance", "migrant workers"}
        terms = editor.query_one("#terms", OptionList)
        assert terms.option_count == 2
        await pilot.press(*"La ")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.focused is terms, "the term list to take the focus")
        assert app.focused is terms
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, TranslationArea), "the field to take the focus back")
        assert isinstance(app.focused, TranslationArea)
        assert area(editor).text == "La Alianza Internacional de Migrantes"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        await pilot.press("2")
        await wait_for(pilot, lambda: area(editor).text.endswith("migrantes"), "the second term to be inserted")
        assert area(editor).text == "La Alianza Internacional de Migrantestrabajadores migrantes"
        await pilot.press("tab")
        await wait_for(pilot, lambda: editor.lang == "fr_CA", "the next language")
        assert "? unverified" not in str(terms.get_option_at_index(1).prompt)
        await pilot.press("tab", "tab")
        await wait_for(pilot, lambda: editor.lang == "tl", "the fourth language")
        assert editor.lang == "tl"
        assert "? unverified" in str(terms.get_option_at_index(1).prompt)


@pilot_test
async def test_single_term_is_inserted_at_once(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 3)
        await pilot.press(*"Unidos ")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: area(editor).text != "Unidos ", "the term to be inserted")
        assert area(editor).text == "Unidos trabajadores migrantes"


@pilot_test
async def test_translation_memory_suggestion_is_taken(tui_workspace: Workspace) -> None:
    tui_workspace.store.save_translation("s3p0", "es", "¡Trabajadores migrantes de la región 1, uníos!", "approved", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, 4)
        await wait_for(pilot, lambda: looked_up(editor), "the translation-memory lookup")
        suggestions = editor.query_one("#suggestions", OptionList)
        assert suggestions.option_count == 1
        prompt = str(suggestions.get_option_at_index(0).prompt)
        expected = app.memory.lookup("Migrant workers of region 2 unite.", "es", exclude_segment="s4p0")[0]
        assert 60 <= expected.score < 100
        assert prompt.startswith(f"{expected.score:>3.0f}% ") and "región 1" in prompt
        await pilot.press(*"borrador")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: area(editor).text != "borrador", "the suggestion to be taken")
        assert area(editor).text == "¡Trabajadores migrantes de la región 1, uníos!"
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: area(editor).text == "borrador", "the undo in the field")
        assert area(editor).text == "borrador"
        await pilot.press("tab")
        await wait_for(pilot, lambda: editor.lang == "fr_CA" and looked_up(editor), "the fr_CA lookup")
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
        states: list[JobState] = []
        app.job_signal.subscribe(editor, lambda update: states.append(update[1]) if update[0] == "draft" else None, immediate=True)
        await pilot.press("f5")
        await wait_for_screen(pilot, DraftScreen)
        assert isinstance(app.screen, DraftScreen)
        await wait_for(pilot, lambda: notified(app, title="Missing MT model"), "the missing-model notice")
        missing = next(str(n.message) for n in app._notifications if n.title == "Missing MT model")
        assert "workbench models install fr id tl" in missing
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, title="Drafting done"), "the drafting run to finish")
        await workers_done(pilot)
        assert not app.jobs["draft"].running and not editor.query_one("#draft-progress", JobProgress).display
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
        strip = app.screen.query_one("#draft-progress", JobProgress)
        assert not strip.display
        app.job_signal.publish(("draft", JobState(True, "Drafting all statements · es", 30, 120, 12.5, 75.0)))
        await pilot.pause()
        assert strip.display and not app.screen.query_one("#sync-progress", JobProgress).display
        assert shown(strip.query_one(".job-label")) == "Drafting all statements · es"
        assert shown(strip.query_one(".job-rate")) == "30/120 · 12.5/s · 1:15 left"
        assert "f5 cancel" in shown(strip.query_one(".job-hint"))


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
        await wait_for(pilot, lambda: notified(app, title="Drafting cancelled"), "the cancelled run to end")
        await workers_done(pilot)
        assert not app.jobs["draft"].running
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
        await wait_for(pilot, lambda: notified(app, title="Missing MT model"), "the missing-model notice")
        assert isinstance(app.screen, StatementsScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("workbench models install es fr id tl" in message for message in messages)


# -- a paragraph's source language ----------------------------------------------------------------


async def choose_source_language(pilot: Pilot[None], editor: EditorScreen, code: str) -> None:
    """In navigation mode, press L and pick ``code`` in the dialog, as a volunteer would."""
    app = pilot.app
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
    await pilot.press("L")
    dialog = await wait_for_screen(pilot, ChoiceScreen)
    assert dialog.dialog_name == "source-language"
    options = dialog.query_one(OptionList)
    assert "(now)" in str(options.get_option_at_index(dialog.choices.index(editor.segment["source_lang"])).prompt)
    options.highlighted = dialog.choices.index(code)
    await pilot.press("enter")
    await wait_for(pilot, lambda: notified(app, title="Source language"), "the source language to be corrected")
    await workers_done(pilot)


@pilot_test
async def test_l_corrects_the_source_language_and_the_machine_drafts_are_redone_from_it(
    tui_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(install_all(tmp_path / "models", pairs=(("en", "es"), ("tl", "en")))))
    tagalog, spanish = tagalog_sentence_and_its_spanish()
    statement_id = add_toy_statement(tui_workspace, [tagalog])
    store = tui_workspace.store
    store.save_machine_drafts([Draft("toy0", "es", "texto inventado", "mt:old")])
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, statement_id)
        assert "source en" in str(editor.query_one(SourceView).border_title)
        await choose_source_language(pilot, editor, "tl")
        assert store.segment("toy0")["source_lang"] == "tl"
        assert store.translation("toy0", "es")["text"] == spanish
        message = next(str(n.message) for n in app._notifications if n.title == "Source language")
        assert "source language en -> tl" in message and "machine drafts redone from tl: es" in message
        await wait_for(pilot, lambda: editor.segment["source_lang"] == "tl", "the editor to show the new language")
        assert "source tl" in str(editor.query_one(SourceView).border_title)
        assert area(editor).text == spanish


@pilot_test
async def test_l_without_a_model_stores_the_language_and_says_why_the_drafts_stay(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    store.save_machine_drafts([Draft("s1p1", "es", "borrador", "mt:old")])
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the second paragraph")
        await choose_source_language(pilot, editor, "tl")
        assert store.segment("s1p1")["source_lang"] == "tl"
        assert store.translation("s1p1", "es")["text"] == "borrador"
        (notice,) = [n for n in app._notifications if n.title == "Source language"]
        assert notice.severity == "warning"
        assert "machine drafts not redone (es): no translation model is installed" in str(notice.message)
        commands = {command.title for command in app.get_system_commands(editor)}
        assert "Source language" in commands


# -- QA findings and the word diff ------------------------------------------------------------


@pilot_test
async def test_findings_follow_the_text_being_typed(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press("ctrl+down", "ctrl+down")
        await wait_for(pilot, lambda: editor.index == 2, "the third paragraph")
        await pilot.press(*"En 2016, 244 millones de personas vivían fuera.")
        # The checks run once typing pauses (a debounce timer): wait for them, not for a fixed time.
        await wait_for(pilot, lambda: "2015" in shown(editor.query_one("#findings")), "the checks to flag 2016")
        findings = shown(editor.query_one("#findings"))
        assert "2015" in findings
        area(editor).load_text("En 2015, 244 millones de personas vivían fuera.")
        await wait_for(pilot, lambda: "2015" not in shown(editor.query_one("#findings")), "the checks to clear")
        assert "2015" not in shown(editor.query_one("#findings"))


@pilot_test
async def test_changed_source_shows_a_word_diff(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        diff = editor.query_one(WordDiff)
        assert not diff.display
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        await wait_for(pilot, lambda: editor.index == 3, "the fourth paragraph")
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
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph")
        assert shown(editor.query_one(SourceView)) == visible(HOSTILE_SOURCE)
        assert "␛[31mmust␛[0m" in shown(editor.query_one(SourceView))
        assert area(editor).text == "Según el artículo 278 [263] (g) [/] ␛[2J"
        header = shown(editor.active_pane.query_one(".pane-header"))
        assert "[bold]ana[/]" in header
        await pilot.press("tab")
        await wait_for(pilot, lambda: isinstance(app.focused, TranslationArea) and editor.lang == "fr_CA", "the next language")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        await pilot.press("escape")
        await wait_for_screen(pilot, StatementsScreen)
        await settle(app, pilot)
        assert store.translation("s2p1", "es")["text"] == "Según el artículo 278 [263] (g) [/] \x1b[2J"
        assert store.translation("s2p1", "es")["version"] == 1


@given(st.text())
def test_display_form_round_trips(text: str) -> None:
    shown_text = visible(text)
    assert len(shown_text) == len(text)
    assert not any(ord(char) < 32 and char not in "\t\n" for char in shown_text)
    assert from_visible(shown_text, text) == text


def test_an_edit_keeps_a_typed_control_picture() -> None:
    assert from_visible("a␛b typed ␛", "a\x1bb") == "a\x1bb typed \x1b"
    assert from_visible("typed ␛", "plain") == "typed ␛"


# -- conflicts ------------------------------------------------------------------------------------


async def conflicting_edit(app: WorkbenchApp, pilot: Pilot[None], workspace: Workspace) -> EditorScreen:
    """Open ¶1 in es, let a teammate save it meanwhile, then type and leave."""
    editor = await open_statement(pilot)
    teammate = Store(workspace.db_path)
    teammate.save_translation("s1p0", "es", "Texto de Ana", "translated", author="ana", expected_version=0)
    teammate.close()
    await pilot.press(*"Mi texto")
    await pilot.press("ctrl+down")
    await wait_for(pilot, lambda: editor.index == 1, "the next paragraph (which saves)")
    await settle(app, pilot)
    dialog = await wait_for_screen(pilot, ConflictScreen)
    assert isinstance(app.screen, ConflictScreen)
    assert "Texto de Ana" in shown(dialog.query_one("#conflict-theirs"))
    assert "Mi texto" in shown(dialog.query_one("#conflict-mine"))
    return editor


@pilot_test
async def test_conflict_keep_mine(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await conflicting_edit(app, pilot, tui_workspace)
        await pilot.press("m")
        await wait_for(pilot, lambda: notified(app, title="Conflict settled"), "the choice to be carried out")
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
        await wait_for(pilot, lambda: notified(app, title="Conflict settled"), "the choice to be carried out")
        await settle(app, pilot)
        store = tui_workspace.store
        current = store.translation("s1p0", "es")
        assert (current["text"], current["status"]) == ("Texto de Ana", "translated")
        assert [row["text"] for row in store.history("s1p0", "es")] == ["Texto de Ana", "Mi texto", "Texto de Ana"]
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: editor.index == 0, "the first paragraph")
        assert area(editor).text == "Texto de Ana"


@pilot_test
async def test_conflict_merge_by_hand(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await conflicting_edit(app, pilot, tui_workspace)
        await pilot.press("e")
        await pilot.pause()
        await wait_for(pilot, lambda: editor.index == 0 and isinstance(app.focused, TranslationArea), "the merge in the field")
        assert editor.index == 0 and isinstance(app.focused, TranslationArea)
        assert area(editor).text == "Mi texto"
        note = editor.active_pane.query_one(".pane-conflict")
        assert note.display and "Texto de Ana" in shown(note)
        await pilot.press(*" y de Ana")
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph (which saves)")
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
        review = await wait_for_screen(pilot, ReviewScreen)
        assert isinstance(app.screen, ReviewScreen)
        await wait_for(pilot, lambda: not review.checking, "the checks to finish")
        assert any(f.check_id == "numbers" or "2015" in f.message for f in review.shown if f.lang == "fr_CA")
        await pilot.press("l")
        await wait_for(pilot, lambda: review.filters()[0] != ALL, "the language filter to change")
        assert review.filters()[0] == "es"
        assert all(f.lang == "es" for f in review.shown)
        await pilot.press("l")
        await wait_for(pilot, lambda: review.filters()[0] != "es", "the language filter to change again")
        assert review.filters()[0] == "fr_CA"
        index = next(i for i, f in enumerate(review.shown) if "2015" in f.message)
        review.query_one(DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        editor = await wait_for_screen(pilot, EditorScreen)
        assert isinstance(editor, EditorScreen)
        assert (editor.statement_id, editor.index, editor.lang) == (1, 2, "fr_CA")
        assert area(editor).text.startswith("En 2016")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode, where the editor opens")
        area(editor).load_text("En 2015, 244 millions de personnes vivaient ailleurs.")
        await pilot.press("escape")  # saves the fix and goes back to a new review, which checks again
        await pilot.pause()
        review = await wait_for_screen(pilot, ReviewScreen)
        assert isinstance(app.screen, ReviewScreen)
        await settle(app, pilot)
        await wait_for(pilot, lambda: not review.checking, "the checks to run again")
        assert not any(f.segment_id == "s1p2" and f.lang == "fr_CA" and "2015" in f.message for f in app.screen.findings)


@pilot_test
async def test_review_checks_again_only_once_the_fix_is_saved(tui_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor's save of a fix may still be queued when the review checks again: the check waits for it."""
    tui_workspace.store.save_translation("s1p2", "fr_CA", "En 2016, 244 millions de personnes vivaient ailleurs.",
                                         "translated", author="ana")
    written = threading.Event()
    release = threading.Event()
    apply = SaveQueue._apply

    def held_apply(self: SaveQueue, store: Store, request: SaveRequest) -> SaveOutcome:
        release.wait(PATIENCE)  # a slow disk: the save lands only when the test says so
        outcome = apply(self, store, request)
        written.set()
        return outcome

    monkeypatch.setattr(SaveQueue, "_apply", held_apply)
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        try:
            app.open_statement(1, "s1p2", "fr_CA", back_to_review=True)
            editor = await wait_for_screen(pilot, EditorScreen)
            area(editor).load_text("En 2015, 244 millions de personnes vivaient ailleurs.")
            editor.action_close()
            review = await wait_for_screen(pilot, ReviewScreen)
            await pilot.pause()
            assert review.checking and not written.is_set()
        finally:
            release.set()
        await settle(app, pilot)
        await wait_for(pilot, lambda: not review.checking, "the checks to finish")
        assert not any(f.segment_id == "s1p2" and f.lang == "fr_CA" and "2015" in f.message for f in review.findings)


@pilot_test
async def test_export_writes_files_and_says_where(tui_workspace: Workspace) -> None:
    tui_workspace.store.save_translation("s1p0", "es", "Declaración", "translated", author="ana")
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await wait_for_screen(pilot, ExportScreen)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")  # PO files, this (highlighted) statement
        await wait_for(pilot, lambda: notified(app, title="Exported"), "the export to finish")
        await workers_done(pilot)
        po = tui_workspace.locales_dir / "es" / "LC_MESSAGES" / "statement-1.po"
        assert po.is_file()
        assert 'msgstr "Declaración"' in po.read_text(encoding="utf-8")
        messages = [str(n.message) for n in app._notifications]
        assert any(str(tui_workspace.locales_dir) in message and "4 PO files and 1 template (.pot)" in message for message in messages)


@pilot_test
async def test_export_json_of_all_statements_from_the_editor(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Hola")
        await wait_for(pilot, lambda: area(editor).text == "Hola", "the typed text")
        await pilot.press("f8")
        await wait_for_screen(pilot, ExportScreen)
        options = app.screen.query_one(OptionList)
        index = next(i for i, choice in enumerate(app.screen.choices) if choice.fmt == "json" and choice.statement_id is None)
        options.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, title="Exported"), "the export to finish")
        await workers_done(pilot)
        exported = list((tui_workspace.root / "exports").glob("*.json"))
        assert sorted(path.name for path in exported) == ["es.json", "fr_CA.json", "id.json", "tl.json"]
        assert "Hola" in (tui_workspace.root / "exports" / "es.json").read_text(encoding="utf-8")


@pilot_test
async def test_glossary_screen_add_edit_search_delete(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        screen = await glossary_open(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("a")
        form = await wait_for_screen(pilot, TermForm)
        assert isinstance(form, TermForm)
        form.query_one("#f-term", Input).value = "forced migration"
        form.query_one("#f-es-preferred", Input).value = "migración forzada"
        form.query_one("#f-es-forbidden", Input).value = "migración obligada; emigración forzosa"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: table.row_count == 3, "the new term in the table")
        assert isinstance(app.screen, GlossaryScreen)
        assert table.row_count == 3
        term = next(t for t in list_terms(tui_workspace.store) if t.term == "forced migration")
        assert term.rendering_for("es").forbidden == ["migración obligada", "emigración forzosa"]  # type: ignore[union-attr]
        await wait_for(pilot, lambda: app.focused is table, "the term table to take the focus back")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.focused, Input), "the search field to take the focus")
        await pilot.press(*"forzada")
        await wait_for(pilot, lambda: table.row_count == 1, "the search to keep one term")
        assert table.row_count == 1
        await pilot.press("enter")  # leaves the search for the table
        await wait_for(pilot, lambda: app.focused is table, "the term table to take the focus")
        await pilot.press("e")
        form = await wait_for_screen(pilot, TermForm)
        assert isinstance(form, TermForm)
        form.query_one("#f-fr_CA-preferred", Input).value = "migration forcée"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, GlossaryScreen) and app.focused is table, "the form to close")
        term = next(t for t in list_terms(tui_workspace.store) if t.term == "forced migration")
        assert term.rendering("fr_CA") == "migration forcée"
        await pilot.press("d")
        await wait_for(pilot, lambda: not isinstance(app.screen, GlossaryScreen) and app.screen.is_mounted, "the delete question")
        await pilot.press("y")
        await wait_for(pilot, lambda: table.row_count == 0, "the term to leave the table")
        assert all(t.term != "forced migration" for t in list_terms(tui_workspace.store))
        assert table.row_count == 0


@pilot_test
async def test_glossary_form_reports_errors_and_keeps_the_form(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await glossary_open(pilot)
        await pilot.press("a")
        form = await wait_for_screen(pilot, TermForm)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "cannot be empty" in shown(form.query_one("#e-term")), "the error beside the term")
        assert isinstance(app.screen, TermForm)
        assert "cannot be empty" in shown(app.screen.query_one("#e-term"))


@pilot_test
async def test_glossary_edits_reach_the_editor_at_once(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await glossary_open(pilot)
        add_term(tui_workspace.store, "justice", renderings={"es": Rendering("justicia")})
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is editor, "the editor to come back")
        assert app.screen is editor
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        await wait_for(pilot, lambda: editor.index == 3, "the fourth paragraph")
        assert editor.query_one("#terms", OptionList).option_count == 1


async def stale_term_form(app: WorkbenchApp, pilot: Pilot[None], workspace: Workspace) -> TermForm:
    """Open "migrant workers" in the term form; a teammate then saves its notes and Spanish; the volunteer edits."""
    table = (await glossary_open(pilot)).query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(get_term(workspace.store, "migrant workers").id)))
    await pilot.press("e")
    form = await wait_for_screen(pilot, TermForm)
    teammate = Store(workspace.db_path)
    edit_term(teammate, "migrant workers", notes="Ana's note",
              renderings={"es": Rendering("trabajadores migrantes", ["trabajadoras migrantes"])})
    teammate.close()
    form.query_one("#f-notes", Input).value = "My note"
    form.query_one("#f-fr_CA-preferred", Input).value = "travailleuses et travailleurs migrants"
    return form


@pilot_test
async def test_a_term_saved_by_a_teammate_meanwhile_shows_both_values_and_keeps_the_input(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        form = await stale_term_form(app, pilot, tui_workspace)
        await pilot.press("ctrl+s")
        dialog = await wait_for_screen(pilot, TermConflictScreen)
        assert "Ana's note" in shown(dialog.query_one("#conflict-theirs-0"))
        assert "My note" in shown(dialog.query_one("#conflict-mine-0"))
        assert len(dialog.conflict.conflicts) == 1  # the Spanish was changed by the teammate alone
        assert get_term(tui_workspace.store, "migrant workers").notes == "Ana's note"  # nothing was saved

        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen is form, "the form to come back")
        assert form.query_one("#f-notes", Input).value == "My note"
        assert form.query_one("#f-fr_CA-preferred", Input).value == "travailleuses et travailleurs migrants"
        assert form.query_one("#f-es-variants", Input).value == "trabajadoras migrantes"
        assert "Ana's note" in shown(form.query_one("#form-error"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, GlossaryScreen), "the form to close")
        term = get_term(tui_workspace.store, "migrant workers")
        assert term.notes == "My note"
        assert term.rendering("fr_CA") == "travailleuses et travailleurs migrants"
        assert term.renderings["es"].variants == ["trabajadoras migrantes"]


@pilot_test
async def test_a_term_conflict_settled_with_theirs_keeps_their_value_and_saves_the_rest(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await stale_term_form(app, pilot, tui_workspace)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, TermConflictScreen)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, GlossaryScreen), "the form to save and close")
        term = get_term(tui_workspace.store, "migrant workers")
        assert term.notes == "Ana's note"
        assert term.rendering("fr_CA") == "travailleuses et travailleurs migrants"
        assert term.renderings["es"].variants == ["trabajadoras migrantes"]


@pilot_test
async def test_a_term_conflict_settled_with_mine_saves_the_form(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await stale_term_form(app, pilot, tui_workspace)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, TermConflictScreen)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, GlossaryScreen), "the form to save and close")
        term = get_term(tui_workspace.store, "migrant workers")
        assert (term.notes, term.version) == ("My note", 3)
        assert term.renderings["es"].variants == ["trabajadoras migrantes"]


# -- keys, palette, themes ------------------------------------------------------------------------


@pilot_test
async def test_help_lists_every_key_of_every_screen(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_statement(pilot)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(shown(static) for static in app.screen.query(".help-keys"))
        for section in sections(WorkbenchApp.BINDINGS):
            for binding in section.bindings:
                description = binding.description or binding.tooltip
                assert description.rstrip("0123456789 ") in text, description
        titles = [shown(static) for static in app.screen.query(".help-section")]
        assert titles[0].startswith("Editor")
        await pilot.press("escape")
        editor = await wait_for_screen(pilot, EditorScreen)
        await wait_for(pilot, lambda: isinstance(app.focused, TranslationArea), "the editor's field to take the focus")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        assert app.screen is editor
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        assert isinstance(app.screen, HelpScreen)


@pilot_test
async def test_command_palette_has_an_entry_for_every_action(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        titles = {command.title for command in app.get_system_commands(editor)}
        for binding in [*LanguagePanes.BINDINGS, *ParagraphSource.BINDINGS, *WorkbenchApp.BINDINGS]:
            if binding.action in ("cancel_draft", "cancel_sync"):
                assert binding.description not in titles  # only while a run is going
                continue
            if binding.action.startswith("screen.insert_term("):
                assert binding.description not in titles  # "Term" (pick from the list) stands for them
                continue
            if binding.action.startswith("screen.engine_cannot("):
                continue  # a stand-in that says the engine cannot, bound to the same key as its action
            assert binding.description in titles, binding.description
        assert "Focus Next" not in titles
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        await pilot.press(*"approve")
        # The palette searches in a worker: wait for the entry, not for a fixed time.
        await wait_for(pilot, lambda: any("Approve" in str(option.prompt) for option in palette.query_one(CommandList).options),
                       "the palette to list Approve")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is editor, "the palette to close")
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
        await wait_for(pilot, lambda: app.theme == LIGHT_THEME, "the light theme")
        assert app.theme == LIGHT_THEME
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: app.theme == DARK_THEME, "the dark theme")
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
        await pilot.press("ctrl+down", "ctrl+s", "escape")
        await wait_for(pilot, lambda: isinstance(app.focused, ParagraphSource), "navigation mode")
        await pilot.press("u", "a", "j")
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StatementsScreen), "the statements list")
        assert isinstance(app.screen, StatementsScreen)


@pilot_test
async def test_a_paragraph_move_does_not_rebuild_widgets(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        # The footer shows its keys once the screen's bindings are known (Textual composes it again then).
        await wait_for(pilot, lambda: editor.query_one(Footer).children, "the footer's keys")
        before = {id(widget) for widget in editor.query("*")}
        document = editor.document
        for key, index in (("ctrl+down", 1), ("ctrl+down", 2), ("ctrl+up", 1)):
            await pilot.press(key)
            await wait_for(pilot, lambda index=index: editor.index == index, f"paragraph {index + 1}")
        assert {id(widget) for widget in editor.query("*")} == before
        assert editor.document is document
        assert [pane.active for pane in editor.query(LanguagePane)] == [True, False, False, False]


@pilot_test
async def test_a_save_that_fails_is_a_dialog_and_the_text_stays_in_the_editor(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        await pilot.press(*"Texto sin guardar")
        # The database refuses every translation write, as a full disk or a broken file would.
        tui_workspace.store.db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON translations BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
        tui_workspace.store.db.conn.commit()
        await pilot.press("ctrl+down")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert dialog.dialog_name == "save-error"
        assert any("free some disk space and try again; nothing was saved" in shown(text) for text in dialog.query(Static))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ChoiceScreen), "the dialog to close")
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: editor.index == 0, "the first paragraph again")
        assert area(editor).text == "Texto sin guardar"
        tui_workspace.store.db.execute("DROP TRIGGER refuse")
        tui_workspace.store.db.conn.commit()
        await pilot.press(*" otra vez", "ctrl+down")
        await settle(app, pilot)
        assert tui_workspace.store.translation("s1p0", "es")["text"] == "Texto sin guardar otra vez"


@pilot_test
async def test_a_database_error_outside_a_save_is_a_dialog_not_a_crash(tui_workspace: Workspace) -> None:
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot)
        tui_workspace.store.db.execute("DELETE FROM segments WHERE id = 's1p1'")
        tui_workspace.store.db.conn.commit()
        await pilot.press("ctrl+down")
        dialog = await wait_for_screen(pilot, ChoiceScreen)
        assert any("no segment 's1p1'" in shown(text) for text in dialog.query(Static))
        assert app.is_running and editor.is_attached


@pilot_test
async def test_a_flagged_draft_shows_its_flags_and_its_statement_can_be_found_by_them(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    store.save_machine_drafts([Draft("s2p0", "es", "Borrador", "mt:argos/en-es/1.0", flags=("restored 7.000", "repeated-words: “la” is repeated"))])
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        await pilot.press(*"is:flagged")
        await wait_for(pilot, lambda: [row["id"] for row in statements.shown] == [2], "only statement 2 to be shown")
        await pilot.press("ctrl+o")
        assert statements.order == "flagged"
        await pilot.press("enter")
        editor = await wait_for_screen(pilot, EditorScreen)
        side = editor.query_one(SidePanel)
        assert side.query_one("#flags").display
        assert "restored 7.000" in shown(side.query_one("#flags")) and "repeated" in shown(side.query_one("#flags"))
        await pilot.press("tab")
        await wait_for(pilot, lambda: editor.lang == "fr_CA", "French")
        assert not side.query_one("#flags").display


@pilot_test
async def test_a_tagalog_paragraph_highlights_its_terms_through_their_tagalog_forms(tui_workspace: Workspace) -> None:
    store = tui_workspace.store
    statement_id = store.save_statement({"slug": "tl-post", "title": "Tagalog post"})
    store.insert_segments([{"id": "tl0", "statement_id": statement_id, "position": 0, "kind": "paragraph",
                            "source": "Lalaban ang mga manggagawang migrante para sa kanilang karapatan.", "source_lang": "tl"}])
    app = make_app(tui_workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_statement(pilot, statement_id)
        assert [match.term.term for match in editor.matches] == ["migrant workers"]
