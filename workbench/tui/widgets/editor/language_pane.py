"""One target language of the current paragraph: its text and status, editable when active.

Each pane holds a read-only view of the saved text and a ``TextArea`` that is
shown only while the pane is the active language. Moving to another paragraph
just reloads the texts: no widget is rebuilt.

A machine draft with scored sentences shows its confidence heat map (see
``heat``): on the read-only text, and in the field for as long as its text is
still the machine's. The field also shows a completion as dim text after the
cursor: → takes it, any other key dismisses it. Textual's ``suggestion`` draws
it inline, cut at the field's edge; at the end of the text, where volunteers
type, what does not fit is wrapped on rows of its own under the cursor.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Static, TextArea

from workbench.languages import language
from workbench.textfacts import from_visible, visible
from workbench.tui.text import literal, status_badge
from workbench.tui.widgets.editor.heat import STEPS, HeatSpan, MachineText, heat_strip, heat_text

CONFIRM_AND_NEXT_KEYS = "ctrl+u,ctrl+enter,ctrl+j"
"""Confirm and go to the next unfinished paragraph (OmegaT's ctrl+U; Poedit's ctrl+Enter where the terminal
delivers it: terminals speaking the kitty keyboard protocol send ctrl+enter, some others send it as ctrl+j)."""

MODE_TITLES = {
    "typing": "✎ typing · esc to stop",
    "navigating": "enter to type · ? keys",
    "picking": "esc back to the text",
}
"""The active pane's border title: which mode the editor is in and the key that leaves it."""

ACCEPT_KEY = "right"
"""Takes the completion shown after the cursor (Textual's own key for it); every other key dismisses it."""


def split_completion(rest: str, room: int, width: int) -> tuple[str, list[str]]:
    """The words of ``rest`` that fit the ``room`` left on the cursor's row, and the others wrapped to ``width``."""
    if cell_len(rest) <= room:
        return rest, []
    cut = rest.rfind(" ", 0, room + 1) + 1
    return rest[:cut], textwrap.wrap(rest[cut:], max(width, 1))


class TranslationArea(TextArea):
    """The text field of the active language.

    Tab leaves the field for the next language (``tab_behavior="focus"``), so a
    translator never types a tab character by accident.
    """

    BINDINGS = [
        Binding("escape", "screen.stop_editing", "Stop typing", tooltip="Leave the text field: single-letter keys work again"),
        # Replaces the TextArea's own ctrl+u (delete to line start; super+backspace still does it).
        Binding(CONFIRM_AND_NEXT_KEYS, "screen.confirm_and_next", "Confirm & next",
                tooltip="Confirm the text as translated and go to the next unfinished paragraph in this language"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = TextArea.COMPONENT_CLASSES | {step.component for step in STEPS}

    def __init__(self, lang: str) -> None:
        self.completion = ""
        """The engine's rest of the sentence, shown after the cursor until → takes it or another key drops it."""
        self._completion_rows: list[str] = []  # set first: Textual sizes the field while it is built
        self._completion_width = 0
        super().__init__(
            "", id=f"edit-{lang}", classes="translation-area", soft_wrap=True,
            tab_behavior="focus", show_line_numbers=False, compact=True, highlight_cursor_line=False,
            placeholder=f"Type the {language(lang).name} translation…",
        )
        self.saved_text = ""
        """The stored text this buffer started from: what "unsaved" is measured against."""
        self.machine: MachineText | None = None
        """The machine rendering the field started from or was switched to; its heat map shows while the text is it."""
        self._heat_lines: dict[int, list[tuple[int, int, str]]] = {}

    def load_translation(self, text: str) -> None:
        """Show a stored text for editing, control characters made visible."""
        self.saved_text = text
        self.dismiss_completion()
        self.load_text(visible(text))
        self.move_cursor(self.document.end)

    def restore_edit(self, text: str) -> None:
        """Put back an edit that is not saved yet (a failed save, a conflict being merged)."""
        self.dismiss_completion()
        self.load_text(visible(text))
        self.move_cursor(self.document.end)

    # -- the heat map ----------------------------------------------------------------------

    def hold_machine(self, machine: MachineText | None) -> None:
        """Remember the machine rendering in the field (None for human work) and show its heat map."""
        self.machine = machine
        self.refresh_heat()

    @property
    def heat(self) -> list[HeatSpan] | None:
        """The machine sentences' places while the text is still the machine's, else None."""
        machine = self.machine
        return machine.spans if machine is not None and self.value == machine.text else None

    def refresh_heat(self) -> None:
        """Show or drop the heat map after the text changed: a comparison, no search, per keystroke."""
        spans = self.heat
        lines = self._heat_by_line(spans) if spans else {}
        if lines != self._heat_lines:
            self._heat_lines = lines
            self.notify_style_update()

    def _heat_by_line(self, spans: Sequence[HeatSpan]) -> dict[int, list[tuple[int, int, str]]]:
        """The spans cut at line ends, as (start column, end column, component class) per line."""
        by_line: dict[int, list[tuple[int, int, str]]] = {}
        line_start = 0
        for row, line in enumerate(self.document.lines):
            line_end = line_start + len(line)
            for span in spans:
                step = span.step
                start, end = max(span.start, line_start), min(span.end, line_end)
                if step is not None and start < end:
                    by_line.setdefault(row, []).append((start - line_start, end - line_start, step.component))
            line_start = line_end + 1
        return by_line

    def get_line(self, line_index: int) -> Text:
        """A line of the text with the heat map's backgrounds (Textual's hook for styling a TextArea's content)."""
        line = super().get_line(line_index)
        for start, end, component in self._heat_lines.get(line_index, ()):
            line.stylize(self.get_component_rich_style(component, partial=True), start, end)
        return line

    def cursor_offset(self) -> int:
        """The cursor's place as an offset in the text (what the heat spans are measured in)."""
        row, column = self.cursor_location
        return sum(len(line) + 1 for line in self.document.lines[:row]) + column

    def location_at(self, offset: int) -> tuple[int, int]:
        """The (row, column) of an offset in the text."""
        for row, line in enumerate(self.document.lines):
            if offset <= len(line):
                return row, offset
            offset -= len(line) + 1
        return self.document.end

    # -- completion -----------------------------------------------------------------------

    def show_completion(self, rest: str) -> None:
        """Show the rest of the sentence dim after the cursor; at the end of the text, wrapped under it."""
        self.completion = rest
        first, rows = rest, []
        if self.cursor_location == self.document.end:
            row = self.document.end[0]
            sections = self.wrapped_document.get_sections(row)
            used = cell_len(sections[-1]) if sections else 0
            first, rows = split_completion(rest, self.wrap_width - used, self.wrap_width)
        self.suggestion = first
        self._completion_rows = rows
        self._completion_width = self.size.width
        self._refresh_size()

    def dismiss_completion(self) -> None:
        if self.completion:
            self.completion = ""
            self.suggestion = ""
            self._completion_rows = []
            self._refresh_size()

    def action_cursor_right(self, select: bool = False) -> None:
        """→ takes the whole completion (the part after the cursor and the rows under it); otherwise it moves on."""
        if self.completion and not select:
            rest = self.completion
            self.dismiss_completion()
            self.insert(rest)
            return
        super().action_cursor_right(select)

    def on_key(self, event: events.Key) -> None:
        """Any key but → dismisses the completion; it runs before the key does whatever else it does."""
        if event.key != ACCEPT_KEY:
            self.dismiss_completion()

    def on_mouse_down(self) -> None:
        """A click moves the cursor away from where the completion belongs."""
        self.dismiss_completion()

    def on_blur(self) -> None:
        self.dismiss_completion()

    def on_resize(self) -> None:
        """Rows cut for another width no longer fit (the field growing to show them is no reason to drop them)."""
        if self.size.width != self._completion_width:
            self.dismiss_completion()

    def _refresh_size(self) -> None:
        """Textual's size of the text, plus the completion's own rows under it."""
        super()._refresh_size()
        if self._completion_rows:
            self.virtual_size = Size(0, self.wrapped_document.height + len(self._completion_rows))

    def render_line(self, y: int) -> Strip:
        """The completion's rows below the text, dim; every other row as Textual draws it."""
        extra = y + self.scroll_offset.y - self.wrapped_document.height
        if not 0 <= extra < len(self._completion_rows):
            return super().render_line(y)
        style = self.get_component_rich_style("text-area--suggestion")
        width = self.scrollable_content_region.width
        return Strip([Segment(self._completion_rows[extra], style)]).extend_cell_length(width).apply_style(self.rich_style)

    @property
    def value(self) -> str:
        """The text as it would be saved: control pictures turned back where they stood for one."""
        return from_visible(self.text, self.saved_text)

    @property
    def dirty(self) -> bool:
        return self.value != self.saved_text


class LanguagePane(Vertical):
    """Header (language, status, version) and text of one target language.

    The active pane wears the editor's mode in its border title (typing,
    navigating, or picking from a side-panel list), so it is told apart where
    the eyes are, not only in the footer. The header row has a second form,
    the glance (code, status, first words), for when the compact layout folds
    the other languages to one line each.
    """

    active: reactive[bool] = reactive(False)
    mode: reactive[str] = reactive("")
    """The editor's mode while this pane is active (a key of MODE_TITLES), else empty."""

    def __init__(self, lang: str) -> None:
        super().__init__(id=f"pane-{lang}", classes="language-pane")
        self.lang = lang
        self.record: dict[str, Any] = {"text": "", "status": "untranslated", "version": 0}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-top"):
            yield Static(classes="pane-header")
            yield Static(classes="pane-glance")
        yield Static(classes="pane-heat")
        yield Static(classes="pane-text")
        yield TranslationArea(self.lang)
        yield Static(classes="pane-conflict")

    @property
    def area(self) -> TranslationArea:
        return self.query_one(TranslationArea)

    def watch_mode(self, mode: str) -> None:
        for name in MODE_TITLES:
            self.set_class(mode == name, f"-{name}")
        self.border_title = MODE_TITLES.get(mode)

    def watch_active(self, active: bool) -> None:
        self.set_class(active, "-active")
        if not active:
            self.mode = ""
        if active:
            self.area.load_translation(self.record["text"])
            self.area.hold_machine(MachineText.of(self.record))
        self._refresh_header()
        self._refresh_heat()

    def show_record(self, record: dict[str, Any], *, conflict_text: str | None = None, keep_edit: bool = False) -> None:
        """Show a translation (text, status, version); the active pane loads it for editing.

        With ``keep_edit``, an unsaved edit in the field survives (the stored
        text changed underneath it, e.g. a machine draft arrived): it will be
        saved over the new version when the volunteer leaves the paragraph.
        """
        self.record = record
        text = record["text"]
        machine = MachineText.of(record)
        spans = machine.spans if machine is not None else None
        self.query_one(".pane-text", Static).update(
            heat_text(text, spans) if spans else literal(text) if text else Content("not translated yet").stylize("italic $text-muted")
        )
        self.query_one(".pane-glance", Static).update(Content.assemble(
            Content(self.lang).stylize("bold"), " ", status_badge(record["status"]), "  ",
            literal(" ".join(text.split()), "$text-muted") if text else Content("not translated yet").stylize("italic $text-muted"),
        ))
        if self.active:
            area = self.area
            if area.value == text or (keep_edit and area.dirty):
                area.saved_text = text
            else:
                area.load_translation(text)
            if area.machine is None or area.value != area.machine.text:  # keep other renderings picked and not saved yet
                area.hold_machine(machine)
        self.show_conflict(conflict_text)
        self._refresh_header()
        self._refresh_heat()

    def show_conflict(self, their_text: str | None) -> None:
        """While merging a conflict, keep the teammate's text in sight above the field."""
        note = self.query_one(".pane-conflict", Static)
        note.display = their_text is not None
        if their_text is not None:
            note.border_title = "Their version (saved): yours is in the field"
            note.update(literal(their_text))

    def mark_edited(self) -> None:
        """Refresh the "unsaved" mark and the heat map after a keystroke."""
        self.area.refresh_heat()
        self._refresh_header()
        self._refresh_heat()

    def _refresh_heat(self) -> None:
        """The sentences' glyphs and the legend, above the text, while a heat map is shown."""
        if self.active and self.is_mounted:
            spans = self.area.heat
        else:
            machine = MachineText.of(self.record)
            spans = machine.spans if machine is not None else None
        line = self.query_one(".pane-heat", Static)
        line.display = bool(spans) and any(span.confidence is not None for span in spans or ())
        if line.display and spans:
            line.update(heat_strip(spans))

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
        if self.active and self.is_mounted and self.area.dirty:  # before the version and author, which a narrow pane cuts
            parts += ["   ", Content("✎ unsaved").stylize("bold $text-accent")]
        if meta:
            parts += ["   ", literal(" · ".join(meta), "$text-muted")]
        update_if_changed(self.query_one(".pane-header", Static), Content.assemble(*parts))


def update_if_changed(static: Static, content: Content) -> None:
    """Update ``static`` only if ``content`` differs (text or styles) from what it shows.

    Every update lays the screen out again; the header is rebuilt on each
    keystroke and each paragraph move but nearly always reads the same.
    """
    shown = static.content
    if isinstance(shown, Content) and shown.plain == content.plain and shown.spans == content.spans:
        return
    static.update(content)
