"""The one list of checks, and the functions that run them.

Everything about a source in its language (glossary matches, numbers, links,
end mark) is computed once and shared by its target languages, and every
pattern is compiled at import, so a 28,000-segment workspace is checked in
seconds.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from workbench.checks.base import (
    ERROR,
    GROUP_MACHINE,
    GROUP_TRANSLATIONS,
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
from workbench.checks.spelling import Misspelled
from workbench.glossary import Glossary
from workbench.store import Store

ALL_CHECKS: list[Check] = [
    GlossaryMissing(), ForbiddenRendering(), KeepTermAltered(), NumbersDiffer(), UrlAltered(),
    EmailAltered(), PhoneAltered(), Unchanged(), EndPunctuation(), StartCase(), DoubleSpace(), UnbalancedBrackets(),
    QuotePairs(), RepeatedWords(), LengthRatio(), DroppedSentence(), Misspelled(),
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


UNSAVED = ("", "untranslated", 0)
"""``(text, status, version)`` of a translation never saved."""


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a workspace is checked.

    A run allocates hundreds of thousands of small objects (contexts, facts,
    findings) and no reference cycles, yet each allocation burst makes the
    collector rescan everything alive: a sixth of a large run's time. Whoever
    paused it resumes it, so concurrent runs never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _applicable_checks(source: SourceFacts) -> list[SegmentCheck]:
    """The checks of a target with text that can find anything in a target of ``source``, in their order."""
    return [check for check in SEGMENT_CHECKS if check.applies(source)]


def _segment_findings(ctx: SegmentContext, applicable: list[SegmentCheck] | None = None) -> list[Finding]:
    """The findings of the checks for ``ctx``; ``applicable`` are its source's (see :func:`_applicable_checks`), if known."""
    if ctx.group == GROUP_UNTRANSLATED:
        checks = EMPTY_TARGET_CHECKS
    else:
        checks = _applicable_checks(ctx.source) if applicable is None else applicable
    findings: list[Finding] = []
    for check in checks:
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


def draft_flags(facts: SourceFacts, draft: str, locale: str, *, source_lang: str = "en") -> list[str]:
    """:func:`review_draft`'s findings worded as a draft's flags (``check-id: message``), as drafting, suggestions
    and the editor store them."""
    return [f"{finding.check_id}: {finding.message}" for finding in review_draft(facts, draft, locale, source_lang=source_lang)]


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


class SegmentChecker:
    """The segment checks for many segments, each distinct piece of work done once.

    What a source is made of, and which checks can find anything in its
    targets, is computed once for all its languages, and a target that
    repeats another's (the same source, language, text and status: a
    sign-off, a slogan, a contact line in every statement) gets that one's
    findings, moved to its own segment.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._facts: dict[tuple[str, str], SourceFacts] = {}
        self._applicable: dict[tuple[str, str], list[SegmentCheck]] = {}
        self._done: dict[tuple[str, str, str, str, str], list[Finding]] = {}

    def findings(self, segment_id: str, source: str, source_lang: str, target: str, locale: str, status: str) -> list[Finding]:
        """The segment checks' findings for one translation, in a list the caller reads but must not change (it is kept)."""
        work = (source, source_lang, target, locale, status)
        done = self._done.get(work)
        if done is not None:
            return [finding._replace(segment_id=segment_id) for finding in done] if done else []
        facts = self._facts.get((source, source_lang))
        if facts is None:
            facts = self._facts[source, source_lang] = SourceFacts(source, self.glossary, source_lang)
        ctx = SegmentContext(segment_id, facts, target, locale, status, source_lang)
        applicable = None
        if ctx.group != GROUP_UNTRANSLATED:  # the checks that apply to a source are found once, for its first target with text
            applicable = self._applicable.get((source, source_lang))
            if applicable is None:
                applicable = self._applicable[source, source_lang] = _applicable_checks(facts)
        found = self._done[work] = _segment_findings(ctx, applicable)
        return found


def consistency_findings(store: Store, locales: list[str], statement_id: int | None = None, *,
                         segments: list[tuple[str, int, str, str]] | None = None,
                         texts: dict[tuple[str, str], tuple[str, str, int]] | None = None) -> list[Finding]:
    """The corpus checks' findings (of one statement, or of all), always comparing with the whole workspace.

    Only translations whose source occurs more than once can disagree, so
    only those are read: a fraction of the workspace, and never cached, since
    one edit can change the findings of every segment that shares its source.
    ``segments`` (every live segment, as ``store.segment_sources()`` gives
    them) and ``texts`` (translations in ``locales``, as
    ``store.translation_texts`` gives them, those of every repeated source
    among them) are read here unless the caller has them already.
    """
    if segments is None:
        segments = store.segment_sources()
    counts = Counter(source for _, _, source, _ in segments)
    repeated = [(segment_id, statement, source) for segment_id, statement, source, _ in segments if counts[source] > 1]
    if texts is None:
        texts = store.translation_texts(set(locales), {segment_id for segment_id, _, _ in repeated}) if repeated else {}
    rank = {locale: index for index, locale in enumerate(locales)}
    languages = sorted(rank, key=rank.__getitem__)  # each language once, a repeated one where it is named last
    units: list[Unit] = []
    scope: set[str] = set()
    for segment_id, segment_statement, source in repeated:
        for locale in languages:
            text, status, _version = texts.get((segment_id, locale), UNSAVED)
            if text.strip():
                units.append(Unit(segment_id, locale, source, text, GROUP_MACHINE if status == "machine" else GROUP_TRANSLATIONS))
                if segment_statement == statement_id:
                    scope.add(segment_id)
    return [finding for check in CORPUS_CHECKS for finding in check.check_corpus(units)
            if statement_id is None or finding.segment_id in scope]


def run_checks(store: Store, glossary: Glossary, locales: list[str], statement_id: int | None = None) -> list[Finding]:
    """Every finding for ``locales`` (of one statement, or of all), glossary problems first, all computed afresh.

    ``glossary`` may be one the store does not hold, so nothing is cached
    here; :func:`~workbench.checks.cache.check_workspace` gives the same
    findings with the store's glossary, redoing only what changed. The
    consistency check always compares against the whole workspace: a
    statement's title translated differently in another statement is exactly
    what a reviewer wants to know.
    """
    with cycle_collection_paused():
        findings = check_glossary(glossary, locales)
        checker = SegmentChecker(glossary)
        translations = store.translation_texts(set(locales))
        segments = store.segment_sources(statement_id)
        for segment_id, _statement, source, source_lang in segments:
            for locale in locales:
                text, status, _version = translations.get((segment_id, locale), UNSAVED)
                findings += checker.findings(segment_id, source, source_lang, text, locale, status)
        findings += consistency_findings(store, locales, statement_id, segments=None if statement_id is not None else segments,
                                         texts=translations)
    return findings
