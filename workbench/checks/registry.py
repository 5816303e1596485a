"""The one list of checks, and the functions that run them.

Everything about a source in its language (glossary matches, numbers, links,
end mark) is computed once and shared by its target languages, and every
pattern is compiled at import, so a 28,000-segment workspace is checked in
seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from workbench.checks.base import (
    ERROR,
    GROUP_UNTRANSLATED,
    WARNING,
    Check,
    CorpusCheck,
    Finding,
    GlossaryCheck,
    SegmentCheck,
    SegmentContext,
    SourceFacts,
    Unit,
)
from workbench.checks.carried import EmailAltered, NumbersDiffer, PhoneAltered, UrlAltered
from workbench.checks.chars import (
    DoubleSpace,
    DroppedSentence,
    EndPunctuation,
    LengthRatio,
    QuotePairs,
    RepeatedWords,
    StartCase,
    UnbalancedBrackets,
)
from workbench.checks.consistency import Inconsistent
from workbench.checks.glossary import ForbiddenRendering, GlossaryConflict, GlossaryMissing, KeepTermAltered
from workbench.checks.same import Unchanged, Untranslated
from workbench.glossary import Glossary
from workbench.store import Store

ALL_CHECKS: list[Check] = [
    GlossaryMissing(), ForbiddenRendering(), KeepTermAltered(), NumbersDiffer(), UrlAltered(),
    EmailAltered(), PhoneAltered(), Unchanged(), EndPunctuation(), StartCase(), DoubleSpace(), UnbalancedBrackets(),
    QuotePairs(), RepeatedWords(), LengthRatio(), DroppedSentence(),
    Untranslated(),
    Inconsistent(),
    GlossaryConflict(),
]
"""Every check, once: segment checks in the order their findings are listed, then the others."""

SEGMENT_CHECKS: list[SegmentCheck] = [c for c in ALL_CHECKS if isinstance(c, SegmentCheck) and c.needs_text]
"""Checks of a target that has text."""
EMPTY_TARGET_CHECKS: list[SegmentCheck] = [c for c in ALL_CHECKS if isinstance(c, SegmentCheck) and not c.needs_text]
"""Checks of a target that has none."""
CORPUS_CHECKS: list[CorpusCheck] = [c for c in ALL_CHECKS if isinstance(c, CorpusCheck)]
GLOSSARY_CHECKS: list[GlossaryCheck] = [c for c in ALL_CHECKS if isinstance(c, GlossaryCheck)]


def _segment_findings(ctx: SegmentContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in EMPTY_TARGET_CHECKS if ctx.group == GROUP_UNTRANSLATED else SEGMENT_CHECKS:
        found = check.check(ctx)
        if found:
            findings += found
    return findings


def check_segment(
    source: str,
    target: str,
    locale: str,
    glossary: Glossary,
    *,
    segment_id: str = "",
    status: str = "translated",
    source_lang: str = "en",
    same_source: Iterable[tuple[str, str]] = (),
) -> list[Finding]:
    """Findings for one segment as the translator types (the TUI side panel).

    ``same_source`` holds ``(segment_id, text)`` of other translations of the
    same source in ``locale`` (see :func:`same_source_translations`), for the
    consistency check.
    """
    ctx = SegmentContext(segment_id, SourceFacts(source, glossary, source_lang), target, locale, status, source_lang)
    findings = _segment_findings(ctx)
    if target.strip():
        units = [Unit(segment_id, locale, source, target, ctx.group)]
        units += [Unit(other_id, locale, source, text, ctx.group) for other_id, text in same_source]
        for check in CORPUS_CHECKS:
            findings.extend(f for f in check.check_corpus(units) if f.segment_id == segment_id)
    return findings


DRAFT_SEVERITIES = (ERROR, WARNING)
"""What makes a machine draft carry a flag: notes (info) do not."""


def review_draft(facts: SourceFacts, draft: str, locale: str, *, source_lang: str = "en") -> list[Finding]:
    """The errors and warnings ``workbench check`` would report on a machine draft, before it is stored.

    ``facts`` are computed once per source and shared by its languages.
    """
    ctx = SegmentContext("", facts, draft, locale, "machine", source_lang)
    return [finding for finding in _segment_findings(ctx) if finding.severity in DRAFT_SEVERITIES]


def same_source_translations(store: Store, segment_id: str, locale: str) -> list[tuple[str, str]]:
    """Other segments with the same source and their text in ``locale``, for :func:`check_segment`."""
    source = store.segment(segment_id)["source"]
    result = []
    for other in store.segments_with_source(source, besides=segment_id):
        text = store.translation(other, locale)["text"]
        if text.strip():
            result.append((other, text))
    return result


def check_glossary(glossary: Glossary, locales: list[str]) -> list[Finding]:
    """Contradictions inside the glossary (the TUI shows them on the glossary screen)."""
    return [finding for check in GLOSSARY_CHECKS for finding in check.check_glossary(glossary, locales)]


def run_checks(store: Store, glossary: Glossary, locales: list[str], statement_id: int | None = None) -> list[Finding]:
    """Every finding for ``locales`` (of one statement, or of all), glossary problems first.

    The consistency check always compares against the whole workspace: a
    statement's title translated differently in another statement is exactly
    what a reviewer wants to know.
    """
    findings = check_glossary(glossary, locales)
    all_segments = store.segments()
    translations = store.translation_states()
    units: list[Unit] = []
    facts_by_source: dict[tuple[str, str], SourceFacts] = {}
    repeated_sources = {source for source, n in Counter(s["source"] for s in all_segments).items() if n > 1}
    for segment in all_segments:
        in_scope = statement_id is None or segment["statement_id"] == statement_id
        per_lang = translations.get(segment["id"], {})
        source_lang = segment.get("source_lang") or "en"
        facts = facts_by_source.get((segment["source"], source_lang))
        if facts is None:
            facts = facts_by_source[segment["source"], source_lang] = SourceFacts(segment["source"], glossary, source_lang)
        for locale in locales:
            text, status = per_lang.get(locale, ("", "untranslated"))
            ctx = SegmentContext(segment["id"], facts, text, locale, status, source_lang)
            if segment["source"] in repeated_sources and text.strip():  # only repeats can be inconsistent
                units.append(Unit(segment["id"], locale, segment["source"], text, ctx.group))
            if in_scope:
                findings.extend(_segment_findings(ctx))
    scope = None if statement_id is None else {s["id"] for s in all_segments if s["statement_id"] == statement_id}
    for check in CORPUS_CHECKS:
        findings.extend(f for f in check.check_corpus(units) if scope is None or f.segment_id in scope)
    return findings
