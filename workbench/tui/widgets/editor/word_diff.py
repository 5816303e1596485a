"""A word-level diff of a paragraph's previous and current source.

When a statement is re-imported with a reworded paragraph, its translations go
back to review; the volunteer needs to see *what* changed, not re-read both
versions. Words are compared (not characters), which is how editors read.
"""

from __future__ import annotations

import difflib
import re

from textual.content import Content
from textual.widgets import Static

from workbench.textfacts import visible

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
DELETED_STYLE = "strike $text-error"
INSERTED_STYLE = "underline $text-success"


def tokenize(text: str) -> list[str]:
    """Words, runs of whitespace and single punctuation marks, which join back to ``text``."""
    return _TOKENS.findall(text)


def word_diff(previous: str, current: str) -> Content:
    """``current`` with removed words struck through and added words underlined."""
    old, new = tokenize(visible(previous)), tokenize(visible(current))
    parts: list[Content] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(Content("".join(new[j1:j2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(Content("".join(old[i1:i2])).stylize(DELETED_STYLE))
        if tag in ("insert", "replace"):
            parts.append(Content("".join(new[j1:j2])).stylize(INSERTED_STYLE))
    return Content.assemble(*parts)


class WordDiff(Static):
    """Shown under the source only when the source changed since it was translated."""

    def show_change(self, previous: str | None, current: str) -> None:
        """Show the diff, or hide the widget when there is no earlier source."""
        changed = bool(previous) and previous != current
        self.display = changed
        if changed:
            self.border_title = "Source changed since it was translated"
            self.update(word_diff(previous or "", current))
