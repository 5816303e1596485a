"""Checks of how the target is written: its end mark, and words said twice in a row."""

from __future__ import annotations

import re
from typing import ClassVar

from workbench.checks.base import WARNING, Finding, SegmentCheck, SegmentContext
from workbench.checks.text import end_mark, repeated_words
from workbench.glossary import fold


class EndPunctuation(SegmentCheck):
    """The target ends with another mark than the source: a question became a statement, a cry lost its "!".

    The space French puts before "!" and closing quotes do not count.
    """

    id, name, severity = "end-punctuation", "End punctuation differs", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source, target = ctx.source.end, end_mark(ctx.target)
        if source == target:
            return []
        return [ctx.finding(self, f"the source ends with {source or 'no mark'!r}, the target with {target or 'no mark'!r}")]


class RepeatedWords(SegmentCheck):
    """A word or short phrase is said twice in a row, as machine translation does when it loops.

    Repetitions the source has, or the target language's grammar makes, are not reported.
    """

    id, name, severity = "repeated-words", "Repeated words", WARNING
    grammatical: ClassVar[dict[str, frozenset[str]]] = {"fr": frozenset({"nous", "vous"})}
    """Repetitions the grammar makes: French reflexives ("nous nous battons")."""

    def check(self, ctx: SegmentContext) -> list[Finding]:
        repeats = repeated_words(ctx.target)
        if not repeats:
            return []
        allowed = self.grammatical.get(ctx.language, frozenset())
        return [ctx.finding(self, f"{self._as_written(ctx.target, unit)!r} is repeated: machine translation sometimes loops like this")
                for unit in repeats if unit not in ctx.source.repeats and unit not in allowed]

    @staticmethod
    def _as_written(target: str, unit: str) -> str:
        """The repeated words in the target's own case ("IMA", not "ima"); fold keeps every offset."""
        found = re.search(r"(?<!\S)" + re.escape(unit) + r"(?!\w)", fold(target))
        return target[found.start():found.end()] if found else unit
