"""The paragraphs before and after the one being edited, dimmed, as OmegaT's document view shows them.

A translator reads a paragraph in the flow of the statement: what came before
decides a pronoun, a tense, whether a name was already spelled out. Each
neighbour shows its source and its text in the active language, from the
statement the editor read once on opening, so a move costs no query.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from workbench.tui.text import STATUS_LOOKS, literal


class ParagraphContext(Vertical):
    """One neighbouring paragraph, or nothing at a statement's edge.

    Two lines (source, then the active language's text) where there is room;
    one line, the glance, in the compact layout: the text, or the source
    while there is no text yet.
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="context-source")
        yield Static(classes="context-target")
        yield Static(classes="context-glance")

    def show_neighbour(self, segment: dict[str, Any] | None, number: int, lang: str) -> None:
        """Show paragraph ``number`` (1-based) in ``lang``; ``None`` hides the block (no paragraph there)."""
        self.display = segment is not None
        if segment is None:
            return
        record = segment["translations"][lang]
        look = STATUS_LOOKS.get(record["status"], STATUS_LOOKS["untranslated"])
        source = literal(" ".join(segment["source"].split()))
        text = " ".join(record["text"].split())
        badge = Content(f"{lang} {look.glyph} ").stylize(look.style)
        self.query_one(".context-source", Static).update(Content.assemble(Content(f"¶{number} ").stylize("bold"), source))
        self.query_one(".context-target", Static).update(Content.assemble(
            badge, literal(text) if text else Content("not translated yet").stylize("italic"),
        ))
        self.query_one(".context-glance", Static).update(Content.assemble(
            Content(f"¶{number} ").stylize("bold"), badge, literal(text) if text else source.stylize("italic"),
        ))
