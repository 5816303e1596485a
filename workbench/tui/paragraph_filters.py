"""Which paragraphs the editor's moves go through: every one, or only those that need one kind of work.

A reviewer going through a long statement wants the drafts the machine
flagged, or the paragraphs sent back for review, not every paragraph. The
filter limits next/previous, "next to do" and "confirm and next" to the
paragraphs it keeps, in the active language. Statuses are read from the
statement the editor holds; "has errors" runs the checks on a paragraph's
text once, and again only when its text, language or the glossary changed,
so a move stays as fast as without a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.checks import GROUP_UNTRANSLATED, check_segment
from workbench.glossary import Glossary


@dataclass(frozen=True)
class ParagraphFilter:
    """A way of choosing paragraphs: ``label`` completes "only paragraphs …", ``tag`` marks it in the paragraph bar."""

    key: str
    label: str
    tag: str


EVERY = ParagraphFilter("all", "every paragraph", "")
FILTERS = (
    EVERY,
    ParagraphFilter("untranslated", "untranslated", "untranslated"),
    ParagraphFilter("flagged", "with flagged machine drafts", "flagged drafts"),
    ParagraphFilter("needs-review", "that need review", "needs review"),
    ParagraphFilter("errors", "with errors found by the checks", "errors"),
)
BY_KEY = {paragraph_filter.key: paragraph_filter for paragraph_filter in FILTERS}


class ParagraphSieve:
    """The active filter, with the checks' verdicts remembered per (paragraph, language)."""

    def __init__(self) -> None:
        self.active = EVERY
        self._errors: dict[tuple[str, str], tuple[str, Glossary, bool]] = {}

    def keeps(self, segment: dict[str, Any], lang: str, glossary: Glossary, paragraph_filter: ParagraphFilter | None = None) -> bool:
        """Whether ``segment`` is one of the active filter's (or ``paragraph_filter``'s) paragraphs in ``lang``."""
        key = (paragraph_filter or self.active).key
        record = segment["translations"][lang]
        if key == "untranslated":
            return record["status"] == "untranslated" or not record["text"].strip()
        if key == "flagged":
            return record["status"] == "machine" and bool(record.get("flags"))
        if key == "needs-review":
            return record["status"] == "needs-review"
        if key == "errors":
            return self._has_errors(segment, lang, glossary)
        return True

    def count(self, segments: list[dict[str, Any]], lang: str, glossary: Glossary, paragraph_filter: ParagraphFilter) -> int:
        return sum(self.keeps(segment, lang, glossary, paragraph_filter) for segment in segments)

    def _has_errors(self, segment: dict[str, Any], lang: str, glossary: Glossary) -> bool:
        record = segment["translations"][lang]
        text = record["text"]
        known = self._errors.get((segment["id"], lang))
        if known is not None and known[0] == text and known[1] is glossary:
            return known[2]
        findings = check_segment(segment["source"], text, lang, glossary, segment_id=segment["id"], status=record["status"],
                                 source_lang=segment["source_lang"] or "en")
        found = any(finding.severity == "error" and finding.group != GROUP_UNTRANSLATED for finding in findings)
        self._errors[(segment["id"], lang)] = (text, glossary, found)
        return found
