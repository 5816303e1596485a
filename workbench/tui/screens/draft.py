"""Pick what to draft with machine translation: the current statement, or all of them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content

from workbench.tui.screens.choice import ChoiceScreen
from workbench.tui.text import literal, one_line


@dataclass(frozen=True)
class DraftChoice:
    """``statement_id`` None means every statement."""

    statement_id: int | None


class DraftScreen(ChoiceScreen[DraftChoice]):
    """Enter drafts, Escape cancels; volunteers' work is never touched either way."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without drafting"),
    ]

    def __init__(self, statement: tuple[int, str] | None) -> None:
        choices: list[tuple[Content, DraftChoice]] = []
        if statement is not None:
            statement_id, title = statement
            label = Content.assemble(Content("This statement").stylize("bold"), "  ", literal(one_line(title, 60), "italic $text-muted"))
            choices.append((label, DraftChoice(statement_id)))
        choices.append((Content("All statements").stylize("bold"), DraftChoice(None)))
        super().__init__(
            "Draft with machine translation",
            choices,
            name="draft",
            intro="Fills untranslated paragraphs in every language. Text a volunteer has written, confirmed or approved is never touched.",
        )
