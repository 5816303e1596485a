"""One target language of the current paragraph: its text and status, editable when active.

Each pane holds a read-only view of the saved text and a ``TextArea`` that is
shown only while the pane is the active language. Moving to another paragraph
just reloads the texts: no widget is rebuilt.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static, TextArea

from workbench.languages import language
from workbench.textfacts import from_visible, visible
from workbench.tui.text import literal, status_badge


class TranslationArea(TextArea):
    """The text field of the active language.

    Tab leaves the field for the next language (``tab_behavior="focus"``), so a
    translator never types a tab character by accident.
    """

    BINDINGS = [
        Binding("escape", "screen.stop_editing", "Stop editing", tooltip="Leave the text field: single-letter keys work again"),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__(
            "", id=f"edit-{lang}", classes="translation-area", soft_wrap=True,
            tab_behavior="focus", show_line_numbers=False, compact=True, highlight_cursor_line=False,
            placeholder=f"Type the {language(lang).name} translation…",
        )
        self.saved_text = ""
        """The stored text this buffer started from: what "unsaved" is measured against."""

    def load_translation(self, text: str) -> None:
        """Show a stored text for editing, control characters made visible."""
        self.saved_text = text
        self.load_text(visible(text))
        self.move_cursor(self.document.end)

    def restore_edit(self, text: str) -> None:
        """Put back an edit that is not saved yet (a failed save, a conflict being merged)."""
        self.load_text(visible(text))
        self.move_cursor(self.document.end)

    @property
    def value(self) -> str:
        """The text as it would be saved: control pictures turned back where they stood for one."""
        return from_visible(self.text, self.saved_text)

    @property
    def dirty(self) -> bool:
        return self.value != self.saved_text


class LanguagePane(Vertical):
    """Header (language, status, version) and text of one target language."""

    active: reactive[bool] = reactive(False)

    def __init__(self, lang: str) -> None:
        super().__init__(id=f"pane-{lang}", classes="language-pane")
        self.lang = lang
        self.record: dict[str, Any] = {"text": "", "status": "untranslated", "version": 0}

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-header")
        yield Static(classes="pane-text")
        yield TranslationArea(self.lang)
        yield Static(classes="pane-conflict")

    @property
    def area(self) -> TranslationArea:
        return self.query_one(TranslationArea)

    def watch_active(self, active: bool) -> None:
        self.set_class(active, "-active")
        if active:
            self.area.load_translation(self.record["text"])
        self._refresh_header()

    def show_record(self, record: dict[str, Any], *, conflict_text: str | None = None, keep_edit: bool = False) -> None:
        """Show a translation (text, status, version); the active pane loads it for editing.

        With ``keep_edit``, an unsaved edit in the field survives (the stored
        text changed underneath it, e.g. a machine draft arrived): it will be
        saved over the new version when the volunteer leaves the paragraph.
        """
        self.record = record
        text = record["text"]
        self.query_one(".pane-text", Static).update(
            literal(text) if text else Content("not translated yet").stylize("italic $text-muted")
        )
        if self.active:
            area = self.area
            if area.value == text or (keep_edit and area.dirty):
                area.saved_text = text
            else:
                area.load_translation(text)
        self.show_conflict(conflict_text)
        self._refresh_header()

    def show_conflict(self, their_text: str | None) -> None:
        """While merging a conflict, keep the teammate's text in sight above the field."""
        note = self.query_one(".pane-conflict", Static)
        note.display = their_text is not None
        if their_text is not None:
            note.border_title = "Their version (saved): yours is in the field"
            note.update(literal(their_text))

    def mark_edited(self) -> None:
        """Refresh the "unsaved" mark after a keystroke."""
        self._refresh_header()

    def _refresh_header(self) -> None:
        record = self.record
        meta = []
        if record.get("version"):
            meta.append(f"v{record['version']}")
        if record.get("author"):
            meta.append(str(record["author"]))
        parts: list[Content | tuple[str, str] | str] = [
            Content(self.lang).stylize("bold"),
            " ",
            Content(language(self.lang).name).stylize("$text-muted"),
            "   ",
            status_badge(record["status"]),
        ]
        if meta:
            parts += ["   ", literal(" · ".join(meta), "$text-muted")]
        if self.active and self.is_mounted and self.area.dirty:
            parts += ["   ", Content("✎ unsaved").stylize("bold $text-accent")]
        self.query_one(".pane-header", Static).update(Content.assemble(*parts))
