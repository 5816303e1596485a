"""Checks of how the target is written: its end mark, its first capital, its spaces, brackets and quotes,
words said twice in a row, and its length and sentences against the source's."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from workbench.checks.base import WARNING, Finding, SegmentCheck, SegmentContext, SourceFacts
from workbench.checks.text import (
    BALANCED_QUOTES,
    double_spaces,
    end_mark,
    first_word,
    quotes,
    repeated_words,
    sentence_count,
    sentence_marks_at_least,
    start_case,
    unbalanced_brackets,
)
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


class StartCase(SegmentCheck):
    """The target starts in lower case where the source starts with a capital, or the reverse.

    A sentence lost its capital, or a line that continues the one before gained
    one. Opening quotes, brackets, "¿" and "¡" are looked through; a start with
    a number, a link or a letter that has no case is not compared.
    """

    id, name, severity = "start-case", "Capital at the start differs", WARNING

    def applies(self, source: SourceFacts) -> bool:
        return bool(source.start)

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source = ctx.source.start
        target = start_case(ctx.target, ctx.tokens.spans)
        if not target or target == source:
            return []
        expected = "with a capital" if source == "upper" else "in lower case"
        return [ctx.finding(self, f"the source starts {expected}, the translation with “{first_word(ctx.target)}”")]


class DoubleSpace(SegmentCheck):
    """Two spaces in a row where the source has none: invisible on screen, a gap in print.

    The one space French sets before ":" ";" "!" "?" and inside « » (a no-break
    space or a plain one) is correct, not a double space.
    """

    id, name, severity = "double-space", "Double space", WARNING
    shown: ClassVar[int] = 3

    def check(self, ctx: SegmentContext) -> list[Finding]:
        found = double_spaces(ctx.target)
        if len(found) <= ctx.source.double_spaces:
            return []
        places = ", ".join(f"“{ctx.target[:start].split()[-1]}”" for start in found[:self.shown])
        more = " …" if len(found) > self.shown else ""
        return [ctx.finding(self, f"two spaces in a row after {places}{more}: one is enough")]


class UnbalancedBrackets(SegmentCheck):
    """A bracket opened and never closed, or one that closes nothing: an aside lost its end.

    Round, square and curly brackets are paired. A bracket the source itself
    leaves unpaired ("1)" opening a list item) may stay so in the target.
    """

    id, name, severity = "brackets", "Unbalanced brackets", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        found = unbalanced_brackets(ctx.target)
        if not found or found == ctx.source.brackets:
            return []
        extra = Counter(found) - Counter(ctx.source.brackets)
        if not extra:
            return []
        parts = [f"“{mark}” {'is never closed' if mark in '([{' else 'closes nothing'}{f' ({n} times)' if n > 1 else ''}"
                 for mark, n in sorted(extra.items())]
        return [ctx.finding(self, "; ".join(parts))]


class QuotePairs(SegmentCheck):
    """Quotation marks that do not pair up: a quote opened and never closed, one closing nothing, or “ closed by ».

    Each language may quote its own way (« » for “ ”). A ’ that closes nothing
    is an apostrophe, and a quotation the source leaves open (it runs on into
    the next paragraph) may stay open in the target.
    """

    id, name, severity = "quotes", "Quotes do not pair up", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        found = quotes(ctx.target)
        if found is BALANCED_QUOTES:
            return []
        source = ctx.source.quotes
        if (len(found.unclosed) <= len(source.unclosed) and len(found.stray) <= len(source.stray)
                and len(found.mismatched) <= len(source.mismatched)):
            return []
        parts = ([f"the quote opened with {mark} is never closed" for mark in found.unclosed]
                 + [f"{mark} closes no quote" for mark in found.stray]
                 + [f"the quote opened with {opening} is closed with {closing}" for opening, closing in found.mismatched])
        return [ctx.finding(self, "; ".join(parts))]


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
        """The repeated words in the target's own case ("IMA", not "ima"); fold keeps every offset.

        The first place ``unit`` starts a word (after a space, or first) and is not
        followed by a letter or digit; ``str.find`` rather than a regular
        expression, which would be compiled anew for every repeated phrase.
        """
        folded = fold(target)
        start = folded.find(unit)
        while start >= 0:
            end = start + len(unit)
            after = folded[end:end + 1]
            if (start == 0 or folded[start - 1].isspace()) and not (after.isalnum() or after == "_"):
                return target[start:end]
            start = folded.find(unit, start + 1)
        return unit


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

    def applies(self, source: SourceFacts) -> bool:
        return len(source.text.strip()) >= self.minimum_source

    def check(self, ctx: SegmentContext) -> list[Finding]:
        ratio = len(ctx.target.strip()) / len(ctx.source.text.strip())
        if self.shortest <= ratio <= self.longest:
            return []
        return [ctx.finding(self, f"the translation is {ratio:.0%} of the source's length: a sentence may be missing or repeated")]


class DroppedSentence(SegmentCheck):
    """The target has fewer sentences than the source: one was dropped, or two were run together.

    Sentences are counted as machine translation splits them
    (:mod:`workbench.sentences`). Only a target with fewer sentence marks than
    the source is counted: a scan at C speed spares the splitter almost every target.
    """

    id, name, severity = "sentence-count", "Fewer sentences than the source", WARNING

    def applies(self, source: SourceFacts) -> bool:
        return source.sentence_marks >= 2

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if sentence_marks_at_least(ctx.target, ctx.source.sentence_marks):
            return []
        source, target = ctx.source.sentences, sentence_count(ctx.target)
        if target >= source:
            return []
        return [ctx.finding(self, f"the source has {source} sentences, the translation {target}: one may be missing")]
