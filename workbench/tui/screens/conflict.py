"""A save that lost the race to a teammate's newer version: both texts, side by side.

Whatever the volunteer picks for a translation, neither text is lost: the one
that is not kept as current goes into the translation's history, where undo
brings it back. A glossary term has no history: its dialog shows, field by
field, both values of what the volunteer and a teammate both changed, and
the volunteer's input stays in the form until they choose.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from workbench.glossary import FieldValue, TermConflictError
from workbench.tui.saving import SaveRequest
from workbench.tui.screens.base import WorkbenchModalScreen
from workbench.tui.text import literal, one_line, status_badge


class ConflictScreen(WorkbenchModalScreen[str]):
    """Dismissed with "mine", "theirs" or "merge"."""

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", tooltip="Save your text over theirs (theirs stays in the history)"),
        Binding("t", "choose('theirs')", "Keep theirs", tooltip="Keep their text (yours goes into the history)"),
        Binding("e,escape", "choose('merge')", "Merge by hand", tooltip="Edit your text with theirs in view, then save"),
    ]

    def __init__(self, request: SaveRequest, current: dict[str, Any], source: str, *,
                 heading: str = "Someone saved this translation first", mine_title: str = "Yours (not saved yet)") -> None:
        """``current`` is theirs; a conflict a sync kept names it differently (``heading``) and yours is already saved (``mine_title``)."""
        super().__init__()
        self.request = request
        self.current = current
        self.source = source
        self.heading = heading
        self.mine_title = mine_title

    def compose(self) -> ComposeResult:
        current, request = self.current, self.request
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Static(
                Content.assemble(
                    Content(self.heading).stylize("bold $text-warning"),
                    Content(f"  ({request.lang})").stylize("$text-muted"),
                ),
                classes="dialog-title",
            )
            yield Static(literal(one_line(self.source, 200), "italic $text-muted"), classes="conflict-source")
            with Horizontal(classes="conflict-texts"):
                theirs = Static(literal(current["text"]) if current["text"] else Content("(empty)").stylize("$text-muted"),
                                classes="conflict-text", id="conflict-theirs")
                theirs.border_title = literal(f"Theirs · {current.get('author') or 'someone'} · v{current['version']}")
                theirs.border_subtitle = status_badge(current["status"])
                yield theirs
                mine = Static(literal(request.text) if request.text else Content("(empty)").stylize("$text-muted"),
                              classes="conflict-text", id="conflict-mine")
                mine.border_title = self.mine_title
                mine.border_subtitle = status_badge(request.status)
                yield mine
            with Horizontal(classes="dialog-buttons"):
                yield Button("m  Keep mine", id="mine", variant="primary")
                yield Button("t  Keep theirs", id="theirs")
                yield Button("e  Merge by hand", id="merge")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


def field_text(value: FieldValue) -> Content:
    """A term field's value as the glossary form shows it: lists joined by "; ", flags as yes or no."""
    if isinstance(value, bool):
        return Content("yes" if value else "no")
    text = "; ".join(value) if isinstance(value, list) else value
    return literal(text) if text else Content("(empty)").stylize("$text-muted")


class TermConflictScreen(WorkbenchModalScreen[str]):
    """A glossary term saved by someone else meanwhile, in fields the form changed too.

    Dismissed with "mine" (save the form, its values win), "theirs" (save the
    form with their values in these fields) or "edit" (back to the form, which
    keeps the volunteer's input).
    """

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", tooltip="Save the form; your values replace theirs in these fields"),
        Binding("t", "choose('theirs')", "Keep theirs", tooltip="Save the form with their values in these fields"),
        Binding("e,escape", "choose('edit')", "Edit again", tooltip="Back to the form, your input kept, to merge by hand"),
    ]

    def __init__(self, conflict: TermConflictError) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        current = self.conflict.current
        with VerticalScroll(id="term-conflict-dialog", classes="dialog"):
            yield Static(
                Content.assemble(
                    Content("Someone saved this term first").stylize("bold $text-warning"),
                    Content(f"  (now v{current.version})").stylize("$text-muted"),
                ),
                classes="dialog-title",
            )
            yield Static(literal(one_line(current.term, 200), "italic $text-muted"), classes="conflict-source")
            for number, field in enumerate(self.conflict.conflicts):
                with Horizontal(classes="conflict-texts"):
                    theirs = Static(field_text(field.theirs), classes="conflict-text conflict-theirs", id=f"conflict-theirs-{number}")
                    theirs.border_title = literal(f"Theirs · {field.label}")
                    yield theirs
                    mine = Static(field_text(field.mine), classes="conflict-text conflict-mine", id=f"conflict-mine-{number}")
                    mine.border_title = literal(f"Yours · {field.label} (not saved yet)")
                    yield mine
            with Horizontal(classes="dialog-buttons"):
                yield Button("m  Keep mine", id="mine", variant="primary")
                yield Button("t  Keep theirs", id="theirs")
                yield Button("e  Edit again", id="edit")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
