"""Checks of what a translation carries over unchanged: numbers, links, e-mail addresses, phone numbers."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from workbench.checks.base import ERROR, Finding, SegmentCheck, SegmentContext, SourceFacts
from workbench.checks.text import Tokens
from workbench.textfacts import quoted


class NumbersDiffer(SegmentCheck):
    """The target's numbers are not the source's: a date, a figure or a count was changed, dropped or added.

    "1,000", "1.000" and "1 000" are one number, so each language may group digits its own way.
    """

    id, name, severity = "numbers", "Numbers differ", ERROR

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if ctx.source.tokens.numbers == ctx.tokens.numbers:
            return []
        source, target = Counter(ctx.source.tokens.numbers), Counter(ctx.tokens.numbers)
        missing, extra = sorted((source - target).elements()), sorted((target - source).elements())
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"extra {', '.join(extra)}"] if extra else [])
        return [ctx.finding(self, "numbers differ from the source: " + "; ".join(parts))]


class _CarriedOver(SegmentCheck):
    """Things copied as they are: anything in the source but not in the target was altered."""

    kind: ClassVar[str]

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        raise NotImplementedError

    def applies(self, source: SourceFacts) -> bool:
        return bool(self.items(source.tokens))

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source, target = self.items(ctx.source.tokens), self.items(ctx.tokens)
        if source == target:
            return []
        return [ctx.finding(self, f"{self.kind} {quoted(ctx.source.tokens.originals.get(item, item))} is missing or altered: copy it exactly")
                for item in sorted(Counter(source) - Counter(target))]


class UrlAltered(_CarriedOver):
    """A link of the source is missing from the target or was changed: readers could not follow it."""

    id, name, severity, kind = "urls", "URL altered", ERROR, "URL"

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        return tokens.urls


class EmailAltered(_CarriedOver):
    """An e-mail address of the source is missing from the target or was changed."""

    id, name, severity, kind = "emails", "E-mail address altered", ERROR, "e-mail address"

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        return tokens.emails


class PhoneAltered(_CarriedOver):
    """A phone number of the source is missing from the target or was changed."""

    id, name, severity, kind = "phones", "Phone number altered", ERROR, "phone number"

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        return tokens.phones
