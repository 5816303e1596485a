"""Glossary checks: a target uses the agreed renderings, and the glossary agrees with itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from workbench.checks.base import (
    ERROR,
    GROUP_GLOSSARY,
    WARNING,
    Finding,
    GlossaryCheck,
    SegmentCheck,
    SegmentContext,
    SourceFacts,
)
from workbench.glossary import Glossary, Term, fold, normalize, term_key
from workbench.textfacts import quoted


class GlossaryMissing(SegmentCheck):
    """A glossary term of the source is not rendered as the glossary says.

    A rendering a native speaker has not verified yet is only suggested (a warning).
    """

    id, name, severity = "glossary-missing", "Glossary term not used", ERROR

    def applies(self, source: SourceFacts) -> bool:
        return bool(source.terms)

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if not ctx.missing_terms:
            return []
        findings = []
        for term, match in ctx.source.terms:
            record = term.rendering_for(ctx.locale)
            if term.is_keep or record is None or term_key(term) not in ctx.missing_terms:
                continue
            stays = fold(normalize(record.preferred)) == fold(normalize(match.text))  # "GFMD" rendered "GFMD"
            if record.verified:
                said = "must stay as it is" if stays else f"should be rendered {quoted(record.preferred)}"
                findings.append(ctx.finding(self, f"{quoted(match.text)} {said}"))
            else:  # an unsure rendering is a suggestion until a native speaker confirms it
                said = "usually stays as it is" if stays else f"is usually {quoted(record.preferred)}"
                findings.append(ctx.finding(self, f"{quoted(match.text)} {said} (rendering not yet verified)", WARNING))
        return findings


class ForbiddenRendering(SegmentCheck):
    """The target uses a rendering the glossary forbids (a slur, a word the movement rejects)."""

    id, name, severity = "glossary-forbidden", "Forbidden rendering used", ERROR

    def applies(self, source: SourceFacts) -> bool:
        return bool(source.terms)

    def check(self, ctx: SegmentContext) -> list[Finding]:
        uses = ctx.review.forbidden
        if not uses:
            return []
        first_match = {term_key(term): match for term, match in ctx.source.terms}
        return [ctx.finding(self, f"{quoted(ctx.target[start:end])} is a forbidden rendering of "
                                  f"{quoted(first_match[term_key(term)].text)}: use {quoted(term.rendering(ctx.locale) or '')}")
                for term, start, end in uses]


class KeepTermAltered(SegmentCheck):
    """A name or acronym the glossary keeps as it is was translated, respelled or dropped."""

    id, name, severity = "keep-term", "Keep-term altered", ERROR

    def applies(self, source: SourceFacts) -> bool:
        return any(term.is_keep for term, _ in source.terms)

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if not ctx.missing_terms:
            return []
        return [ctx.finding(self, f"{quoted(match.form)} must stay as it is: it is missing or altered, and names and acronyms are not translated")
                for term, match in ctx.source.terms if term.is_keep and term_key(term) in ctx.missing_terms]


class GlossaryConflict(GlossaryCheck):
    """The glossary contradicts itself: a rendering both accepted and forbidden, a keep-term
    with a rendering, one English form under two terms, a rendering another term forbids."""

    id, name, severity = "glossary-conflict", "Glossary contradicts itself", ERROR

    def check_glossary(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        yield from self._within_terms(glossary, locales)
        yield from self._shared_forms(glossary, locales)
        yield from self._forbidden_elsewhere(glossary, locales)

    def _finding(self, locale: str, message: str, severity: str | None = None) -> Finding:
        return Finding(severity or self.severity, self.id, None, locale, message, GROUP_GLOSSARY)

    def _within_terms(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        for term in glossary.terms:
            for locale in locales:
                record = term.rendering_for(locale)
                if record is None:
                    continue
                forbidden = {fold(normalize(text)) for text in record.forbidden}
                for text in record.accepted():
                    if fold(normalize(text)) in forbidden:
                        yield self._finding(locale, f"term {quoted(term.term)}: {quoted(text)} is both accepted and forbidden")
                if term.is_keep and record.preferred and record.preferred not in term.forms:
                    yield self._finding(locale, f"{quoted(term.term)} must stay as it is but has the rendering {quoted(record.preferred)}: "
                                                "a keep-term stays as it is (or make it 'established')")

    def _shared_forms(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        owners: dict[str, list[Term]] = defaultdict(list)
        for term in glossary.terms:
            for form in {fold(normalize(f)) for f in term.forms}:
                owners[form].append(term)
        for form, terms in owners.items():
            if len(terms) < 2:
                continue
            names = " and ".join(quoted(t.term) for t in terms)
            clash = False
            for locale in locales:
                renderings = {t.rendering(locale) for t in terms} - {None}
                if len(renderings) > 1:
                    clash = True
                    yield self._finding(locale, f"{quoted(form)} belongs to {names} with different renderings: "
                                                f"{' / '.join(quoted(r) for r in sorted(r for r in renderings if r))}")
            if not clash:
                yield self._finding("", f"{quoted(form)} is listed under {names}: merge the duplicates", WARNING)

    def _forbidden_elsewhere(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        for locale in locales:
            forbidden_by: dict[str, list[Term]] = defaultdict(list)
            for term in glossary.terms:
                record = term.rendering_for(locale)
                for text in record.forbidden if record else ():
                    forbidden_by[fold(normalize(text))].append(term)
            if not forbidden_by:
                continue
            for term in glossary.terms:
                preferred = term.rendering(locale)
                for other in forbidden_by.get(fold(normalize(preferred or "")), ()):
                    if other is not term:
                        yield self._finding(locale, f"{quoted(preferred or '')}, the rendering of {quoted(term.term)}, is forbidden by {quoted(other.term)}")
