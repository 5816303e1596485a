"""Pick an export: PO, JSON or Markdown, of the current statement or of all of them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content

from workbench.tui.screens.choice import ChoiceScreen
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


class ExportScreen(ChoiceScreen[ExportChoice]):
    """A short list; Enter exports, Escape cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without exporting"),
    ]

    def __init__(self, statement: tuple[int, str] | None) -> None:
        scopes: list[tuple[int | None, Content]] = []
        if statement is not None:
            statement_id, title = statement
            scopes.append((statement_id, Content.assemble("this statement: ", literal(one_line(title, 50), "italic"))))
        scopes.append((None, Content("all statements")))
        choices = [
            (
                Content.assemble(Content(name).stylize("bold"), " — ", scope, "\n", Content(f"  {where}").stylize("$text-muted")),
                ExportChoice(fmt, statement_id),
            )
            for fmt, (name, where) in FORMAT_NAMES.items()
            for statement_id, scope in scopes
        ]
        super().__init__("Export translations", choices, name="export")
