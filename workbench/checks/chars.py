"""Checks of how the target is written: its end mark, words said twice in a row, and its length."""

from __future__ import annotations

import re
from typing import ClassVar

from workbench.checks.base import WARNING, Finding, SegmentCheck, SegmentContext
from workbench.checks.text import end_mark, repeated_words
from workbench.glossary import fold
from workbench.textfacts import quoted


class EndPunctuation(SegmentCheck):
    """The target ends with another mark than the source: a question became a statement, a cry lost its "!".

    The space French puts before "!" and closing quotes do not count.
    """

    id, name, severity = "end-punctuation", "End punctuation differs", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source, target = ctx.source.end, end_mark(ctx.target)
        if source == target:
            return []
        return [ctx.finding(self, f"the source ends with {quoted(source) if source else 'no mark'}, the target with {quoted(target) if target else 'no mark'}")]


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
        return [ctx.finding(self, f"{quoted(self._as_written(ctx.target, unit))} is repeated: machine translation sometimes loops like this")
                for unit in repeats if unit not in ctx.source.repeats and unit not in allowed]

    @staticmethod
    def _as_written(target: str, unit: str) -> str:
        """The repeated words in the target's own case ("IMA", not "ima"); fold keeps every offset."""
        found = re.search(r"(?<!\S)" + re.escape(unit) + r"(?!\w)", fold(target))
        return target[found.start():found.end()] if found else unit


class LengthRatio(SegmentCheck):
    """The target is far shorter or longer than the source: a sentence was dropped, or the model looped.

    es, fr and tl run 15-30% longer than English and id about as long, so
    only a target under 40% or over 250% of the source's length is reported,
    and only for sources long enough for the ratio to mean something.
    """

    id, name, severity = "length", "Length far from the source's", WARNING
    shortest: ClassVar[float] = 0.4
    longest: ClassVar[float] = 2.5
    minimum_source: ClassVar[int] = 40

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source = len(ctx.source.text.strip())
        if source < self.minimum_source:
            return []
        ratio = len(ctx.target.strip()) / source
        if self.shortest <= ratio <= self.longest:
            return []
        return [ctx.finding(self, f"the translation is {ratio:.0%} of the source's length: a sentence may be missing or repeated")]
