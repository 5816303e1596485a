"""A small modal list of choices: Enter picks one, Escape cancels.

The machine-drafting and export dialogs are both this: a title, an optional line of
explanation, and options that each stand for one value handed back to the caller.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.tui.screens.base import WorkbenchModalScreen

ChoiceT = TypeVar("ChoiceT")


class ChoiceScreen(WorkbenchModalScreen[ChoiceT | None], Generic[ChoiceT]):
    """Dismisses with the chosen value, or None on Escape."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without choosing"),
    ]

    def __init__(self, title: str, choices: list[tuple[Content, ChoiceT]], *, name: str, intro: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.intro = intro
        self.labels = [label for label, _ in choices]
        self.choices = [value for _, value in choices]
        self.dialog_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.dialog_name}-dialog", classes="dialog"):
            yield Static(Content(self.title_text).stylize("bold"), classes="dialog-title")
            if self.intro:
                yield Static(Content(self.intro).stylize("$text-muted"))
            yield OptionList(*(Option(label) for label in self.labels), id=f"{self.dialog_name}-options")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])
