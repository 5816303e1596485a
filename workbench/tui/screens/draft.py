"""Pick what to draft with machine translation: the current statement, or all of them."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.tui.text import literal, one_line


@dataclass(frozen=True)
class DraftChoice:
    """``statement_id`` None means every statement."""

    statement_id: int | None


class DraftScreen(ModalScreen[DraftChoice | None]):
    """Enter drafts, Escape cancels; volunteers' work is never touched either way."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without drafting"),
    ]

    def __init__(self, statement: tuple[int, str] | None) -> None:
        super().__init__()
        self.statement = statement
        self.choices: list[DraftChoice] = []

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        if self.statement is not None:
            statement_id, title = self.statement
            self.choices.append(DraftChoice(statement_id))
            options.append(Option(Content.assemble(
                Content("This statement").stylize("bold"), "  ", literal(one_line(title, 60), "italic $text-muted"))))
        self.choices.append(DraftChoice(None))
        options.append(Option(Content("All statements").stylize("bold")))
        with Vertical(id="draft-dialog", classes="dialog"):
            yield Static(Content("Draft with machine translation").stylize("bold"), classes="dialog-title")
            yield Static(Content(
                "Fills untranslated paragraphs in every language. Text a volunteer has "
                "written, confirmed or approved is never touched."
            ).stylize("$text-muted"))
            yield OptionList(*options, id="draft-options")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])
