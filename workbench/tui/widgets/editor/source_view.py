"""The current paragraph's source text, with its glossary terms highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from textual.content import Content
from textual.widgets import Static

from workbench.tui.text import literal

TERM_STYLE = "bold underline $text-accent"


class Span(Protocol):
    """Where a glossary term was found: what ``Glossary.find_in_source`` returns."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def highlighted_source(source: str, matches: Sequence[Span]) -> Content:
    """The source shown literally, with each matched term styled.

    Control characters are swapped one for one by :func:`literal`, so the
    match offsets computed on the raw source still line up.
    """
    content = literal(source)
    for match in matches:
        content = content.stylize(TERM_STYLE, match.start, match.end)
    return content


class SourceView(Static):
    """Read-only, selectable; the border title says where in the statement we are."""

    def show_source(self, source: str, matches: Sequence[Span], caption: str) -> None:
        self.border_title = literal(caption)
        self.update(highlighted_source(source, matches))
