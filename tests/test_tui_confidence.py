"""Issue 12 in the TUI: the confidence heat map, other renderings, paragraph alternatives and completion.

Every test drives the real Argos engine on the toy models (as the drafting
tests do); the engines "without" an ability are small real subclasses of the
engine protocol, never mocks. Snapshots of the heat map and of a completion
are at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.models.toy import held_out, install_all
from tests.test_confidence import UnscoredEngine
from tests.test_tui import (
    build_workspace,
    notified,
    open_statement,
    pilot_test,
    settle,
    shown,
    wait_for,
    wait_for_screen,
    workers_done,
)
from tests.test_tui_snapshots import SnapCompare, settled
from workbench.glossary import Glossary
from workbench.mt import draft_translations
from workbench.mt.argos import ArgosEngine
from workbench.mt.engine import Capabilities, Engine, Hypothesis
from workbench.mt.suggestions import Suggester
from workbench.store import Draft, DraftSentence
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.statements import StatementsScreen
from workbench.tui.themes import DARK_THEME, LIGHT_THEME
from workbench.tui.widgets.editor.heat import STEPS, locate_sentences, step_for
from workbench.tui.widgets.editor.language_pane import split_completion
from workbench.tui.widgets.editor.side_panel import PickList
from workbench.workspace import Workspace

SIZE = (140, 40)
DOUBTFUL = "The workers demand justice."
"""A sentence the toy en->es model renders several ways, none of them sure."""
UNKNOWN_WORDS = "Zorblat quimfrex vandosh plimber gracknel."
GLYPHS = "".join(step.glyph for step in STEPS)


def known_sentences(count: int) -> list[dict[str, Any]]:
    """Held-out sentences the toy en->es model translates exactly, free of glossary terms."""
    return [s for s in held_out("en", "es", verified_only=True) if "IMA" not in s["source"] and "Alliance" not in s["source"]][:count]


SURE, SECOND = known_sentences(2)
MIXED = f"{SURE['source']} {DOUBTFUL} {UNKNOWN_WORDS}"
"""A paragraph of a sure, a doubtful and an unknown sentence: ▇ ▃ ▁ in Spanish."""


@pytest.fixture(scope="module")
def toy_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_all(tmp_path_factory.mktemp("toy-models"), pairs=(("en", "es"), ("en", "fr")))


def add_statement(workspace: Workspace, prefix: str, sources: Sequence[str]) -> int:
    """A statement of paragraphs ``{prefix}0``, ``{prefix}1``… in English."""
    store = workspace.store
    statement_id = store.save_statement({
        "slug": prefix, "title": f"Statement {prefix}", "date": "2019-01-01", "date_text": "2019-01-01",
        "source_file": f"data/statements/{prefix}.txt", "start_line": 1, "truncated": False, "fingerprint": prefix, "metadata": {},
    })
    store.insert_segments([
        {"id": f"{prefix}{position}", "statement_id": statement_id, "position": position, "kind": "paragraph",
         "source": source, "source_lang": "en", "previous_source": None, "line": position + 1, "obsolete": 0}
        for position, source in enumerate(sources)
    ])
    return statement_id


@pytest.fixture
def drafted(tmp_path: Path, toy_models: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Workspace, int]:
    """The known workspace plus a statement whose first paragraph the toy models drafted in Spanish and French.

    Its second paragraph is left untranslated, for completion.
    """
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(toy_models))
    workspace = build_workspace(tmp_path / "ws")
    statement_id = add_statement(workspace, "toy", [MIXED, SECOND["source"]])
    draft_translations(workspace.store, ["es", "fr_CA"], engine=ArgosEngine(packages_dir=toy_models), segment_ids=["toy0"])
    return workspace, statement_id


def make_app(workspace: Workspace, engine: Engine | None = None) -> WorkbenchApp:
    return WorkbenchApp(workspace, theme=DARK_THEME, engine=engine)


async def open_editor(pilot: Pilot[None], statement_id: int) -> EditorScreen:
    """Open the statement from the list, then wait for the engine (its capabilities decide which keys there are)."""
    statements = await wait_for_screen(pilot, StatementsScreen)
    await wait_for(pilot, lambda: statement_id in [row["id"] for row in statements.shown] and not statements.loading,
                   "the list of statements")
    editor = await open_statement(pilot, statement_id)
    app = pilot.app
    assert isinstance(app, WorkbenchApp)
    await wait_for(pilot, lambda: app.suggestions.engine is not None, "the suggestion engine to open")
    return editor


def command_titles(app: WorkbenchApp, editor: EditorScreen) -> set[str]:
    return {command.title for command in app.get_system_commands(editor)}


# -- the heat map ------------------------------------------------------------------------------------


def test_the_steps_cover_0_to_1_and_sentences_are_found_only_in_an_unedited_text() -> None:
    assert [step_for(c).glyph for c in (0.0, 0.3, 0.5, 0.7, 0.9, 1.0)] == list("▁▁▃▅▇▇")
    sentences = [DraftSentence("A.", "Uno.", 0.9), DraftSentence("B.", "Dos.", 0.4)]
    assert [(s.start, s.end) for s in locate_sentences("Uno. Dos.", sentences) or []] == [(0, 4), (5, 9)]
    assert locate_sentences("Uno. y Dos.", sentences) is None
    assert locate_sentences("Uno. Dos. Tres.", sentences) is None
    assert locate_sentences("Dos. Uno.", sentences) is None


@pilot_test
async def test_a_machine_drafts_sentences_show_their_confidence_in_the_field_and_the_text(drafted: tuple[Workspace, int]) -> None:
    workspace, statement_id = drafted
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        pane = editor.active_pane
        assert [span.step.glyph for span in pane.area.heat or [] if span.step] == ["▇", "▃", "▁"]
        strip = shown(pane.query_one(".pane-heat"))
        assert "▇ ▃ ▁" in strip and "low" in strip and "high" in strip
        french = shown(editor.pane("fr_CA").query_one(".pane-text"))
        assert french.startswith("▇ Les travailleurs") and sum(french.count(glyph) for glyph in GLYPHS) == 3
        assert not editor.pane("id").query_one(".pane-heat").display


@pilot_test
async def test_the_heat_map_goes_once_the_volunteer_edits_the_text(drafted: tuple[Workspace, int]) -> None:
    workspace, statement_id = drafted
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        pane = editor.active_pane
        await pilot.press("x")
        await wait_for(pilot, lambda: pane.area.heat is None and not pane.query_one(".pane-heat").display, "the heat map to go")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: pane.area.heat is not None, "the heat map to come back with the draft's text")
        await pilot.press("x", "ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph")
        await settle(app, pilot)
        row = workspace.store.translation("toy0", "es")
        assert (row["status"], row["origin"], row["sentences"]) == ("needs-review", "human", [])
        french = shown(editor.pane("fr_CA").query_one(".pane-text"))
        assert not any(glyph in french for glyph in GLYPHS), "the next paragraph is not drafted"


# -- other renderings of a sentence ---------------------------------------------------------------------


@pilot_test
async def test_ctrl_o_swaps_only_the_sentence_under_the_cursor_and_it_stays_machine_work(
    drafted: tuple[Workspace, int], toy_models: Path,
) -> None:
    workspace, statement_id = drafted
    store = workspace.store
    drafted_row = store.translation("toy0", "es")
    first, middle, last = (s["text"] for s in drafted_row["sentences"])
    options = Suggester(ArgosEngine(packages_dir=toy_models), glossary=Glossary.from_store(store)).sentence_alternatives(
        {"source": MIXED, "source_lang": "en"}, "es", 1, 5)
    assert options[0].text == middle and len(options) >= 3
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        area = editor.active_pane.area
        area.move_cursor(area.location_at(len(first) + 3))
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: area.text != drafted_row["text"], "another rendering of the second sentence")
        assert area.text == f"{first} {options[1].text} {last}"
        assert [span.confidence for span in area.heat or []][1] == options[1].confidence
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: area.text == f"{first} {options[2].text} {last}", "the third rendering")
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph (which saves)")
        await settle(app, pilot)
    row = store.translation("toy0", "es")
    assert (row["text"], row["status"], row["origin"]) == (f"{first} {options[2].text} {last}", "machine", drafted_row["origin"])
    assert [(s["text"], s["confidence"]) for s in row["sentences"]] == [
        (first, drafted_row["sentences"][0]["confidence"]), (options[2].text, options[2].confidence),
        (last, drafted_row["sentences"][2]["confidence"])]


@pilot_test
async def test_other_renderings_need_the_machines_text(drafted: tuple[Workspace, int]) -> None:
    workspace, statement_id = drafted
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        await pilot.press("x", "ctrl+o")
        await wait_for(pilot, lambda: notified(app, text="machine draft as the machine wrote it"), "the explanation")
        assert editor.active_pane.area.text.endswith("x")


# -- whole-paragraph alternatives ---------------------------------------------------------------------------


@pilot_test
async def test_a_picked_paragraph_alternative_is_machine_work_until_the_volunteer_edits_it(drafted: tuple[Workspace, int]) -> None:
    workspace, statement_id = drafted
    store = workspace.store
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        await pilot.press("ctrl+l")
        listed = editor.query_one("#alternatives", PickList)
        await wait_for(pilot, lambda: app.focused is listed and editor.alternatives, "the alternatives to be listed")
        assert len(editor.alternatives) >= 3 and "the text now" in str(listed.get_option_at_index(0).prompt)
        picked = editor.alternatives[1]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: editor.editing, "the text field to take the focus back")
        await settle(app, pilot)
        row = store.translation("toy0", "es")
        assert (row["text"], row["status"], row["origin"], row["author"]) == (picked.text, "machine", picked.origin, "tester")
        assert [(s["text"], s["confidence"]) for s in row["sentences"]] == [(s.text, s.confidence) for s in picked.sentences]
        assert editor.active_pane.area.heat is not None
        assert "the text now" in str(listed.get_option_at_index(1).prompt), "the list is marked against the picked text"
        await pilot.press("end", "x", "ctrl+down")
        await wait_for(pilot, lambda: editor.index == 1, "the next paragraph (which saves)")
        await settle(app, pilot)
    row = store.translation("toy0", "es")
    assert (row["text"], row["status"], row["origin"], row["sentences"]) == (picked.text + "x", "needs-review", "human", [])
    assert [entry["text"] for entry in store.history("toy0", "es")][-2] == picked.text


# -- completion --------------------------------------------------------------------------------------------


def test_a_completion_too_long_for_the_row_wraps_under_it_at_word_ends() -> None:
    assert split_completion("antes indonesios", 20, 30) == ("antes indonesios", [])
    assert split_completion("antes indonesios construyen su sindicato.", 20, 12) == (
        "antes indonesios ", ["construyen", "su", "sindicato."])
    assert split_completion("construyen", 3, 12) == ("", ["construyen"])


async def type_and_complete(pilot: Pilot[None], editor: EditorScreen, typed: str) -> None:
    """Go to the untranslated second paragraph, type ``typed`` and ask for the rest."""
    await pilot.press("ctrl+down")
    await wait_for(pilot, lambda: editor.index == 1 and editor.editing, "the second paragraph")
    await pilot.press(*typed, "ctrl+f")


@pilot_test
async def test_a_completion_shows_after_the_cursor_and_right_takes_it(drafted: tuple[Workspace, int]) -> None:
    workspace, statement_id = drafted
    typed = SECOND["expected"][:8]
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        await type_and_complete(pilot, editor, typed)
        area = editor.active_pane.area
        await wait_for(pilot, lambda: area.completion, "the completion")
        assert area.text == typed and typed + area.completion == SECOND["expected"]
        assert area.suggestion == area.completion, "it fits the row, after the cursor"
        await pilot.press("right")
        assert area.text == SECOND["expected"] and area.text.startswith(typed) and not area.completion


@pilot_test
async def test_a_completion_too_long_for_a_narrow_field_wraps_under_the_cursor_and_right_takes_it_all(
    drafted: tuple[Workspace, int],
) -> None:
    workspace, statement_id = drafted
    typed = SECOND["expected"][:8]
    app = make_app(workspace)
    async with app.run_test(size=(64, 24)) as pilot:
        editor = await open_editor(pilot, statement_id)
        await type_and_complete(pilot, editor, typed)
        area = editor.active_pane.area
        await wait_for(pilot, lambda: area.completion and area.size.height > 3, "the field to grow for the completion's rows")
        await pilot.pause()
        assert typed + area.completion == SECOND["expected"], "growing the field keeps the completion"
        assert area.completion.startswith(area.suggestion) and area.suggestion != area.completion, "the rest has rows of its own"
        await pilot.press("right")
        assert area.text == SECOND["expected"] and not area.completion


@pilot_test
async def test_any_other_key_drops_the_completion(drafted: tuple[Workspace, int]) -> None:
    workspace, statement_id = drafted
    typed = SECOND["expected"][:8]
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        await type_and_complete(pilot, editor, typed)
        area = editor.active_pane.area
        await wait_for(pilot, lambda: area.completion, "the completion")
        await pilot.press("x")
        assert (area.text, area.completion, area.suggestion) == (typed + "x", "", "")


class GatedEngine(ArgosEngine):
    """The real Argos engine, whose completions wait until the test opens the gate: an answer that comes late."""

    def __init__(self, packages_dir: Path) -> None:
        super().__init__(packages_dir=packages_dir)
        self.asked = threading.Event()
        self.gate = threading.Event()

    def complete(self, sentence: str, prefix: str, source: str, target: str) -> Hypothesis:
        self.asked.set()
        self.gate.wait(timeout=60)
        return super().complete(sentence, prefix, source, target)


@pilot_test
async def test_a_completion_that_comes_after_the_text_changed_is_dropped(drafted: tuple[Workspace, int], toy_models: Path) -> None:
    workspace, statement_id = drafted
    typed = SECOND["expected"][:8]
    engine = GatedEngine(toy_models)
    app = make_app(workspace, engine)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        await type_and_complete(pilot, editor, typed)
        await wait_for(pilot, engine.asked.is_set, "the engine to be asked")
        await pilot.press("x")
        engine.gate.set()
        await workers_done(pilot)
        area = editor.active_pane.area
        assert (area.text, area.completion, area.suggestion) == (typed + "x", "", "")


# -- engines that cannot ----------------------------------------------------------------------------------------


class NoPrefixEngine(ArgosEngine):
    """Argos as a LibreTranslate server would be: alternatives, but no completion from a prefix."""

    name = "noprefix"
    capabilities: ClassVar[Capabilities] = Capabilities(scores=True, alternatives=True, prefix=False)


@pilot_test
async def test_an_engine_without_prefix_hides_the_complete_key_and_says_why(drafted: tuple[Workspace, int], toy_models: Path) -> None:
    workspace, statement_id = drafted
    app = make_app(workspace, NoPrefixEngine(packages_dir=toy_models))
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        titles = command_titles(app, editor)
        assert "Complete" not in titles and {"Other rendering", "Alternatives"} <= titles
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: notified(app, text="cannot finish a sentence from your words"), "the one-line notice")
        message = next(str(n.message) for n in app._notifications if "cannot finish" in str(n.message))
        assert "noprefix" in message and "\n" not in message
        assert not editor.active_pane.area.completion


@pilot_test
async def test_an_engine_without_alternatives_hides_their_keys_and_says_why(drafted: tuple[Workspace, int], toy_models: Path) -> None:
    workspace, statement_id = drafted
    app = make_app(workspace, UnscoredEngine(ArgosEngine(packages_dir=toy_models)))
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, statement_id)
        assert not {"Other rendering", "Alternatives", "Complete"} & command_titles(app, editor)
        before = editor.active_pane.area.text
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: notified(app, text="cannot give other renderings"), "the notice for ctrl+o")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: sum("cannot give other" in str(n.message) for n in app._notifications) == 2,
                       "the notice for ctrl+l")
        assert editor.active_pane.area.text == before and not editor.query_one("#alternatives").display


# -- sorting by least confidence -----------------------------------------------------------------------------


@pilot_test
async def test_ctrl_o_sorts_statements_with_the_least_confident_drafts_first(drafted: tuple[Workspace, int], toy_models: Path) -> None:
    workspace, doubtful_id = drafted
    sure_id = add_statement(workspace, "sure", [SURE["source"]])
    draft_translations(workspace.store, ["es"], engine=ArgosEngine(packages_dir=toy_models), segment_ids=["sure0"])
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        statements = await wait_for_screen(pilot, StatementsScreen)
        await pilot.press("ctrl+o", "ctrl+o")
        await wait_for(pilot, lambda: statements.order == "confidence", "the confidence order")
        assert [row["id"] for row in statements.shown][:2] == [doubtful_id, sure_id]
        table = statements.query_one(DataTable)
        assert str(table.get_cell(str(doubtful_id), "title")).startswith("▁  36% Statement toy")
        assert str(table.get_cell(str(sure_id), "title")).startswith("▇  93% Statement sure")
        assert str(table.get_cell("1", "title")) == "Statement on International Migrants Day"
        await pilot.press("ctrl+o")
        assert statements.order == "import" and [row["id"] for row in statements.shown][0] == 1


@pilot_test
async def test_o_sorts_review_findings_with_the_riskiest_drafts_first(tmp_path: Path) -> None:
    workspace = build_workspace(tmp_path / "ws")
    workspace.store.save_machine_drafts([
        Draft("s1p2", "es", "En 2016, 244 millones de personas vivían fuera de su país natal.", "mt:argos/en-es/1.0",
              sentences=(DraftSentence("In 2015, 244 million people lived outside their country of birth.",
                                       "En 2016, 244 millones de personas vivían fuera de su país natal.", 0.91),)),
        Draft("s3p0", "es", "Trabajadores de la región 2, uníos.", "mt:argos/en-es/1.0",
              sentences=(DraftSentence("Migrant workers of region 1 unite.", "Trabajadores de la región 2, uníos.", 0.31),)),
    ])
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        review = await wait_for_screen(pilot, ReviewScreen)
        await wait_for(pilot, lambda: not review.checking, "the checks")
        drafted = [finding.segment_id for finding in review.shown if finding.segment_id in ("s1p2", "s3p0")]
        assert drafted and drafted[-1] == "s3p0", "by severity, the number error of s1p2 comes first"
        await pilot.press("o")
        first = review.shown[0]
        assert (first.segment_id, first.lang) == ("s3p0", "es")
        assert str(review.query_one(DataTable).get_cell("0", "where")).endswith("▁31%")
        await pilot.press("o")
        assert not review.riskiest_first


# -- snapshots -------------------------------------------------------------------------------------------------------


def test_editor_heat_map(snap_compare: SnapCompare, drafted: tuple[Workspace, int]) -> None:
    """The Spanish draft's heat map in the field, the French one's on the read-only text with its glyphs."""
    workspace, statement_id = drafted

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_editor(pilot, statement_id)
        await settled(pilot)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_editor_heat_map_light(snap_compare: SnapCompare, drafted: tuple[Workspace, int]) -> None:
    """The same in the light theme: the steps' backgrounds are the theme's own muted colours."""
    workspace, statement_id = drafted

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_editor(pilot, statement_id)
        await settled(pilot)

    assert snap_compare(WorkbenchApp(workspace, theme=LIGHT_THEME), terminal_size=SIZE, run_before=run_before)


def test_editor_completion(snap_compare: SnapCompare, drafted: tuple[Workspace, int]) -> None:
    """A completion, dim after the cursor."""
    workspace, statement_id = drafted

    async def run_before(pilot: Pilot[Any]) -> None:
        editor = await open_editor(pilot, statement_id)
        await type_and_complete(pilot, editor, SECOND["expected"][:8])
        await wait_for(pilot, lambda: editor.active_pane.area.completion, "the completion")
        await settled(pilot)

    assert snap_compare(make_app(workspace), terminal_size=SIZE, run_before=run_before)
