"""Every key of every screen, generated from the binding tables so it can never drift.

The section of the screen the volunteer came from comes first; the others
follow, so one ``?`` answers "what can I press here?" and "what else is there?".
The keys that work everywhere are the app's: the app hands them over when it
opens this screen, so nothing here imports the app.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, TextArea

from workbench.tui.screens.base import WorkbenchModalScreen
from workbench.tui.screens.comment import CommentScreen
from workbench.tui.screens.conflict import ConflictScreen
from workbench.tui.screens.draft import DraftScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.export import ExportScreen
from workbench.tui.screens.glossary import GlossaryScreen, TermForm
from workbench.tui.screens.history import HistoryScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.screens.statements import StatementsScreen, StatementTable
from workbench.tui.widgets.editor.language_pane import TranslationArea
from workbench.tui.widgets.editor.paragraph import LanguagePanes, ParagraphSource
from workbench.tui.widgets.editor.side_panel import PickList

GAP = 2
"""Spaces at least between the keys, their description and its explanation (the columns fit the longest)."""
EXPLANATION_MIN = 28
"""Cells an explanation needs beside its description; with less, it goes under it."""
DIALOG_MAX_WIDTH = 130
"""The dialog's width: 90% of the screen, at most this (as #help-dialog in the stylesheet says)."""
DIALOG_FRAME = 2 + 4 + 2 + 2
"""Border, padding, scrollbar and the rows' own indent: what of the dialog's width the rows cannot use."""
TEXT_AREA_KEYS = {
    "undo": "Undo the last change in the field (u, after esc, undoes a saved one)",
    "redo": "Redo what ctrl+z undid",
    "cut": "Cut the selection",
    "copy": "Copy the selection",
    "paste": "Paste at the cursor",
    "select_all": "Select the whole text, to replace or copy it",
    "select_line": "Select the line the cursor is on",
    "delete_word_left": "Delete the word before the cursor",
}
"""The TextArea's own keys worth knowing while translating (the cursor keys need no help), with what they do."""


def typing(screen: Screen[Any]) -> bool:
    """Whether the editor is in typing mode (its text field has the focus)."""
    return isinstance(screen.focused, TranslationArea)


def navigating(screen: Screen[Any]) -> bool:
    return isinstance(screen.focused, ParagraphSource)


def picking(screen: Screen[Any]) -> bool:
    return isinstance(screen.focused, PickList)


@dataclass
class Section:
    """A titled group of keys; ``screen_type`` ties it to the screen it describes.

    ``applies`` narrows "you are here" to one state of that screen (the
    editor's typing and navigation modes share one screen).
    """

    title: str
    bindings: list[Binding]
    screen_type: type[Screen[Any]] | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    applies: Callable[[Screen[Any]], bool] | None = None

    def of(self, screen: Screen[Any]) -> bool:
        """Whether these keys belong to ``screen``."""
        return self.screen_type is not None and isinstance(screen, self.screen_type)

    def here(self, screen: Screen[Any]) -> bool:
        """Whether these are the keys that work on ``screen`` as it is now."""
        return self.of(screen) and (self.applies is None or self.applies(screen))


def bindings_of(*tables: Sequence[BindingType]) -> list[Binding]:
    """The bindings of some key tables, in order (every table here holds ``Binding`` objects only).

    A binding with neither description nor tooltip is a stand-in that only
    says the engine cannot do something: the key is listed with its action.
    """
    return [binding for table in tables for binding in table
            if isinstance(binding, Binding) and (binding.description or binding.tooltip)]


def sections(everywhere: Sequence[BindingType]) -> list[Section]:
    """All the key tables of the app, in the order a volunteer meets them; ``everywhere`` are the app's own keys."""
    text_area_keys = [replace(binding, tooltip=TEXT_AREA_KEYS[binding.action])
                      for binding in bindings_of(TextArea.BINDINGS) if binding.action in TEXT_AREA_KEYS]
    return [
        Section("Everywhere", bindings_of(everywhere), notes=[("ctrl+p", "Command palette: every action by name")]),
        Section("Statements", bindings_of(StatementsScreen.BINDINGS, StatementTable.BINDINGS), StatementsScreen,
                notes=[("type", "Filter by title, date or number (? first opens these keys)")]),
        Section("Editor: navigating (where it opens; enter types)", bindings_of(ParagraphSource.BINDINGS), EditorScreen,
                notes=[("pgup pgdn", "Scroll a source too long for a short terminal")], applies=navigating),
        Section("Editor: typing (esc stops)", [*bindings_of(LanguagePanes.BINDINGS, TranslationArea.BINDINGS), *text_area_keys],
                EditorScreen, notes=[("→", "Take the completion (dim after the cursor); any other key drops it")], applies=typing),
        Section("Editor: term, suggestion and alternative lists", bindings_of(PickList.BINDINGS), EditorScreen,
                notes=[("↑ ↓ enter", "Pick the highlighted entry")], applies=picking),
        Section("Glossary", bindings_of(GlossaryScreen.BINDINGS), GlossaryScreen,
                notes=[("type", "Search the terms (after /)")]),
        Section("Glossary: term form", bindings_of(TermForm.BINDINGS), GlossaryScreen),
        Section("Review", bindings_of(ReviewScreen.BINDINGS), ReviewScreen),
        Section("Conflicting save", bindings_of(ConflictScreen.BINDINGS), ConflictScreen),
        Section("Paragraph history (f9, or h after esc)", bindings_of(HistoryScreen.BINDINGS), HistoryScreen,
                notes=[("↑ ↓", "Highlight a version")]),
        Section("Comment (f10, or # after esc)", bindings_of(CommentScreen.BINDINGS), CommentScreen),
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
        came_from = self.came_from
        ordered = sorted(sections(self.everywhere), key=lambda s: (not s.here(came_from), not s.of(came_from)))
        rows_of = {section.title: [(_key_display(keys, self.app), description, explanation) for keys, description, explanation
                                   in [*((keys, text, "") for keys, text in section.notes), *_collapse(section.bindings)]]
                   for section in ordered}
        every_row = [row for rows in rows_of.values() for row in rows]
        columns = Columns(
            keys=max(len(keys) for keys, _, _ in every_row) + GAP,
            description=max(len(description) for _, description, explanation in every_row if explanation) + GAP,
            room=min(self.app.size.width * 9 // 10, DIALOG_MAX_WIDTH) - DIALOG_FRAME,
        )
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content("Keys").stylize("bold"), classes="dialog-title")
            for section in ordered:
                here = section.here(came_from)
                title = Content(section.title).stylize("bold $text-accent" if here else "bold")
                yield Static(title + (Content("  ← you are here").stylize("$text-muted") if here else ""), classes="help-section")
                lines = [line for row in rows_of[section.title] for line in columns.lines(*row)]
                yield Static(Content("\n").join(lines), classes="help-keys")

    def on_resize(self) -> None:
        """The columns are cut for the terminal's width: cut them again for a new one."""
        self.refresh(recompose=True)


@dataclass(frozen=True)
class Columns:
    """The help's three columns (keys, description, explanation), wrapped by hand so every column stays aligned.

    ``room`` is the width of a row; where the explanation would get fewer
    than :data:`EXPLANATION_MIN` cells beside the description (an 80-column
    terminal), it goes on the lines under it instead.
    """

    keys: int
    description: int
    room: int

    def lines(self, keys: str, description: str, explanation: str) -> list[Content]:
        key = Content(keys.ljust(self.keys)).stylize("bold $text-primary")
        beside = self.room - self.keys - self.description
        if explanation and beside >= EXPLANATION_MIN:
            head = Content.assemble(key, description.ljust(self.description))
            return self._hang(head, explanation, self.keys + self.description)
        if not explanation:
            return self._hang(key, description, self.keys, style="")
        return [Content.assemble(key, description), *self._hang(Content(" " * self.keys), explanation, self.keys)]

    def _hang(self, head: Content, text: str, indent: int, style: str = "$text-muted") -> list[Content]:
        """``head`` then ``text`` wrapped in the room left, its later lines indented under its first."""
        wrapped = textwrap.wrap(text, max(self.room - indent, 12)) or [""]
        first = Content.assemble(head, Content(wrapped[0]).stylize(style) if style else wrapped[0])
        return [first, *(Content.assemble(" " * indent, Content(line).stylize(style) if style else line) for line in wrapped[1:])]
