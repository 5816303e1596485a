"""Every key of every screen, generated from the binding tables so it can never drift.

The section of the screen the volunteer came from comes first; the others
follow, so one ``?`` answers "what can I press here?" and "what else is there?".
The keys that work everywhere are the app's: the app hands them over when it
opens this screen, so nothing here imports the app.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, TextArea

from workbench.tui.screens.base import WorkbenchModalScreen
from workbench.tui.screens.conflict import ConflictScreen
from workbench.tui.screens.draft import DraftScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.export import ExportScreen
from workbench.tui.screens.glossary import GlossaryScreen, TermForm
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.search import ReplacePreview, SearchResults, SearchScreen
from workbench.tui.screens.statements import StatementsScreen, StatementTable
from workbench.tui.widgets.editor.language_pane import TranslationArea
from workbench.tui.widgets.editor.paragraph import LanguagePanes, ParagraphSource
from workbench.tui.widgets.editor.side_panel import PickList

KEY_WIDTH = 18
DESCRIPTION_WIDTH = 20
TEXT_AREA_KEYS = ("undo", "redo", "cut", "copy", "paste", "select_all", "select_line", "delete_word_left")
"""The TextArea's own keys worth knowing while translating (the cursor keys need no help)."""


@dataclass
class Section:
    """A titled group of keys; ``screen_type`` ties it to the screen it describes."""

    title: str
    bindings: list[Binding]
    screen_type: type[Screen[Any]] | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)


def bindings_of(*tables: Sequence[BindingType]) -> list[Binding]:
    """The bindings of some key tables, in order (every table here holds ``Binding`` objects only).

    A binding with neither description nor tooltip is a stand-in that only
    says the engine cannot do something: the key is listed with its action.
    """
    return [binding for table in tables for binding in table
            if isinstance(binding, Binding) and (binding.description or binding.tooltip)]


def sections(everywhere: Sequence[BindingType]) -> list[Section]:
    """All the key tables of the app, in the order a volunteer meets them; ``everywhere`` are the app's own keys."""
    text_area_keys = [binding for binding in bindings_of(TextArea.BINDINGS) if binding.action in TEXT_AREA_KEYS]
    return [
        Section("Everywhere", bindings_of(everywhere), notes=[("ctrl+p", "Command palette: every action by name")]),
        Section("Statements", bindings_of(StatementsScreen.BINDINGS, StatementTable.BINDINGS), StatementsScreen,
                notes=[("type", "Filter by title, date or number")]),
        Section("Editor: typing", [*bindings_of(LanguagePanes.BINDINGS, TranslationArea.BINDINGS), *text_area_keys], EditorScreen,
                notes=[("→", "Take the completion (dim after the cursor); any other key drops it")]),
        Section("Editor: navigating (after esc)", bindings_of(ParagraphSource.BINDINGS), EditorScreen),
        Section("Editor: term, suggestion and alternative lists", bindings_of(PickList.BINDINGS), EditorScreen,
                notes=[("↑ ↓ enter", "Pick the highlighted entry")]),
        Section("Glossary", bindings_of(GlossaryScreen.BINDINGS), GlossaryScreen,
                notes=[("type", "Search the terms (after /)")]),
        Section("Glossary: term form", bindings_of(TermForm.BINDINGS), GlossaryScreen),
        Section("Review", bindings_of(ReviewScreen.BINDINGS), ReviewScreen),
        Section("Search and replace", bindings_of(SearchScreen.BINDINGS, SearchResults.BINDINGS), SearchScreen,
                notes=[("enter", "Search (in Find), preview the replacement (in Replace with)")]),
        Section("Search: replace preview", bindings_of(ReplacePreview.BINDINGS), SearchScreen),
        Section("Conflicting save", bindings_of(ConflictScreen.BINDINGS), ConflictScreen),
        Section("Machine drafting and export dialogs", bindings_of(DraftScreen.BINDINGS, ExportScreen.BINDINGS), DraftScreen,
                notes=[("↑ ↓ enter", "Choose what to draft or export")]),
    ]


def _collapse(bindings: Sequence[Binding]) -> list[tuple[str, str, str]]:
    """Rows of (keys, description, explanation); numbered variants ("… term 1" to "… term 9") share one row."""
    rows: list[tuple[str, str, str]] = []
    run: list[str] = []
    for binding in bindings:
        description = binding.description or binding.tooltip
        explanation = binding.tooltip if binding.tooltip != description else ""
        numbered = re.fullmatch(r"(.*) \d", description)
        if numbered is None:
            run = []
            rows.append((binding.key, description, explanation))
            continue
        generic = f"{numbered.group(1)} N"
        if run and rows[-1][1] == generic:
            run.append(binding.key)
            rows[-1] = (f"{run[0]}…{run[-1]}", generic, re.sub(r" \d ", " N ", explanation))
        else:
            run = [binding.key]
            rows.append((binding.key, generic, re.sub(r" \d ", " N ", explanation)))
    return rows


def _key_display(keys: str, app: App[Any]) -> str:
    if "…" in keys or keys in ("type",):
        return keys
    return " ".join(app.get_key_display(Binding(key, "")) for key in keys.split(","))


class HelpScreen(WorkbenchModalScreen[None]):
    """The key reference; any of esc, q, ? or f1 closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", tooltip="Close the key reference"),
    ]

    def __init__(self, came_from: Screen[Any], everywhere: Sequence[BindingType]) -> None:
        super().__init__()
        self.came_from = came_from
        self.everywhere = everywhere
        """The app's own keys, which work on every screen."""

    def compose(self) -> ComposeResult:
        ordered = sorted(sections(self.everywhere),
                         key=lambda s: s.screen_type is None or not isinstance(self.came_from, s.screen_type))
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content("Keys").stylize("bold"), classes="dialog-title")
            for section in ordered:
                here = section.screen_type is not None and isinstance(self.came_from, section.screen_type)
                title = Content(section.title).stylize("bold $text-accent" if here else "bold")
                yield Static(title + (Content("  ← you are here").stylize("$text-muted") if here else ""), classes="help-section")
                rows = [*((keys, text, "") for keys, text in section.notes), *_collapse(section.bindings)]
                lines = [
                    Content.assemble(
                        Content(_key_display(keys, self.app).ljust(KEY_WIDTH)).stylize("bold $text-primary"),
                        Content(description.ljust(DESCRIPTION_WIDTH)),
                        Content(explanation).stylize("$text-muted"),
                    )
                    for keys, description, explanation in rows
                ]
                yield Static(Content("\n").join(lines), classes="help-keys")
