"""Checks of targets that are not translations yet: a copy of the source, or no text at all."""

from __future__ import annotations

from workbench.checks.base import ERROR, INFO, WARNING, Finding, SegmentCheck, SegmentContext
from workbench.glossary.text import normalize, odd_spacing

_OPENING = 48
"""Characters of a target compared first when looking for an untranslated copy."""


class Unchanged(SegmentCheck):
    """The target is the source as it is, left untranslated.

    Segments that are only names, acronyms, links or numbers, and sources
    already in the target language, may rightly stay as they are.
    """

    id, name, severity = "unchanged", "Unchanged from the source", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        # cheapest tests first: almost every target already differs in its first letter, or its first words
        spaced = ctx.source.spaced  # the source's words, one space between them
        first = ctx.target.lstrip()[:1]
        if spaced and first != spaced[0] and normalize(first) != spaced[0]:
            return []
        opening = " ".join(normalize(ctx.target[:_OPENING]).split()[:-1])  # the last word may be cut
        if opening and not (spaced.startswith(opening) and spaced[len(opening):len(opening) + 1] in ("", " ")):
            return []
        if _same_words(normalize(ctx.target), spaced) and not ctx.same_language and ctx.source.has_prose:
            return [ctx.finding(self, "the target is the English source, untranslated")]
        return []


def _same_words(text: str, spaced: str) -> bool:
    """Whether ``text`` has the words of ``spaced`` (words with one space between them), whatever its spacing.

    A text whose spaces are single (nearly every one) is compared as one
    string; only one with other spacing is split into words.
    """
    return text.strip() == spaced or (odd_spacing(text) and " ".join(text.split()) == spaced)


class Untranslated(SegmentCheck):
    """Segments without text: progress (a note), or an error when the status claims the work is done."""

    id, name, severity = "untranslated", "Untranslated", INFO
    needs_text = False

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if ctx.target.strip():
            return []
        if ctx.status == "untranslated":
            return [ctx.finding(self, "not translated yet")]
        return [ctx.finding(self, f"marked {ctx.status} but the text is empty", ERROR)]
