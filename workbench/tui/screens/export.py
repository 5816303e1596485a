"""Pick an export: PO, JSON or Markdown, of the current statement or of all of them."""

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

FORMAT_NAMES = {
    "po": ("PO files", "gettext, for Poedit and Weblate: locales/<lang>/LC_MESSAGES/"),
    "json": ("JSON", "one file per language: exports/"),
    "md": ("Markdown", "each statement ready to publish: exports/<lang>/"),
}


@dataclass(frozen=True)
class ExportChoice:
    """What to export: a format, and one statement or all (``statement_id`` None)."""

    fmt: str
    statement_id: int | None


class ExportScreen(ModalScreen[ExportChoice | None]):
    """A short list; Enter exports, Escape cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without exporting"),
    ]

    def __init__(self, statement: tuple[int, str] | None) -> None:
        super().__init__()
        self.statement = statement
        self.choices: list[ExportChoice] = []

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        scopes: list[tuple[int | None, Content]] = []
        if self.statement is not None:
            statement_id, title = self.statement
            scopes.append((statement_id, Content.assemble("this statement: ", literal(one_line(title, 50), "italic"))))
        scopes.append((None, Content("all statements")))
        for fmt, (name, where) in FORMAT_NAMES.items():
            for statement_id, scope in scopes:
                self.choices.append(ExportChoice(fmt, statement_id))
                options.append(Option(Content.assemble(
                    Content(name).stylize("bold"), " — ", scope, "\n", Content(f"  {where}").stylize("$text-muted"),
                )))
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(Content("Export translations").stylize("bold"), classes="dialog-title")
            yield OptionList(*options, id="export-options")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])
