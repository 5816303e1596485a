"""A small dialog to write the comment on a paragraph's translation in one language.

Translators leave notes for reviewers ("kept the acronym: no official
Tagalog name"), reviewers leave them for translators. The comment belongs to
the translation: it is saved with it as a version of the history and leaves
and comes back in PO files as the translator comment (``#`` lines).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from workbench.tui.screens.base import WorkbenchModalScreen
from workbench.tui.text import literal, one_line


class CommentScreen(WorkbenchModalScreen[str | None]):
    """Dismissed with the comment to save (empty: remove it), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save comment", tooltip="Save the comment with the translation (an empty one is removed)"),
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without saving the comment"),
    ]

    def __init__(self, comment: str, *, lang: str, position: str, source: str) -> None:
        super().__init__()
        self.comment = comment
        self.lang = lang
        self.position = position
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-dialog", classes="dialog"):
            yield Static(Content.assemble(Content("Comment").stylize("bold"),
                                          Content(f"  {self.position} · {self.lang}").stylize("$text-muted")), classes="dialog-title")
            yield Static(literal(one_line(self.source, 200), "italic $text-muted"), classes="comment-source")
            yield TextArea(self.comment, id="comment-text", soft_wrap=True, show_line_numbers=False, compact=True,
                           placeholder="A note for the translators and reviewers of this paragraph…")
            yield Static(Content("ctrl+s saves · esc cancels · an empty comment is removed").stylize("$text-muted"),
                         classes="comment-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Hand back the comment without the blank lines and spaces around it, which PO files drop anyway."""
        self.dismiss(self.query_one(TextArea).text.strip())
