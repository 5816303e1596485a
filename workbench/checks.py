"""Quality checks a reviewer runs before a statement is published (``workbench check``).

Each check is a small class with an ``id``, a ``name``, a ``severity`` and one
method, registered in :data:`SEGMENT_CHECKS`, :data:`CORPUS_CHECKS` or
:data:`GLOSSARY_CHECKS` by the scope it needs:

* segment checks see one source and one target (the TUI side panel runs them
  on every keystroke through :func:`check_segment`);
* corpus checks see every translation at once (the same source translated
  differently in two places);
* glossary checks see the glossary alone (it contradicts itself).

Everything about a source (glossary matches, numbers, links, end mark) is
computed once and shared by its four languages, and every pattern is compiled
at import, so a 28,000-segment workspace is checked in seconds.

Machine drafts are checked too, but their findings are grouped apart: a
reviewer fixes volunteers' work and triages MT output differently.
"""

from __future__ import annotations

import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, count
from typing import Any, ClassVar

from workbench.glossary import Glossary, TargetReview, Term, TermMatch, fold, normalize, term_key
from workbench.languages import argos_code
from workbench.store import Store
from workbench.textfacts import CLOSERS, DIGIT_RUN, EMAIL, MIN_PHONE_DIGITS, NOT_PHONE, NUMBER, URL, URL_TRAILER

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)

GROUP_TRANSLATIONS = "translations"
"""Volunteers' work (needs-review, translated, approved)."""
GROUP_MACHINE = "machine"
"""Machine drafts nobody has reviewed yet."""
GROUP_UNTRANSLATED = "untranslated"
"""Segments with no text yet: progress, not mistakes."""
GROUP_GLOSSARY = "glossary"
"""Problems in the glossary itself, not in any segment."""
GROUPS: tuple[str, ...] = (GROUP_GLOSSARY, GROUP_TRANSLATIONS, GROUP_MACHINE, GROUP_UNTRANSLATED)
"""The order reports show the groups in: what blocks everything first, progress last."""


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, how bad, and what to do about it."""

    severity: str
    check_id: str
    segment_id: str | None
    lang: str
    message: str
    group: str

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "check": self.check_id, "segment_id": self.segment_id,
                "lang": self.lang, "message": self.message, "group": self.group}


# -- what a text contains ----------------------------------------------------------------------

_RUN_TRAILER = " \t(.,-\u00a0\u202f"
_LIST_COMMA = re.compile(r",\s")
_DIGIT = re.compile(r"[0-9]")
"""ASCII digits: what the alliance's languages write, and twice as fast to scan for as ``\\d``."""
_LETTER = re.compile(r"[^\W\d_]")
_OPENING = 48
"""Characters of a target compared first when looking for an untranslated copy."""
_FINAL_MARKS = ".!?…:;\"'»”’)"
_LONGEST_LOOP = 4
"""Phrases of up to four words said twice in a row are reported."""
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
"""A dot before a letter: a domain may follow. Cheaper than the URL pattern itself."""
_CLOSERS = CLOSERS + "*# \u00a0\u202f\t\n"
"""What may follow a sentence's end mark: closing quotes and brackets, markdown, spaces."""
_END_MARKS = {".": ".", "!": "!", "?": "?", ":": ":", ";": ";", "…": "…", "。": ".", "！": "!", "？": "?"}


@dataclass(frozen=True)
class Tokens:
    """Things a translation must carry over unchanged: numbers, links, addresses, phones.

    Each kind is a sorted tuple of normalized items, so comparing two texts is
    one tuple comparison; :class:`collections.Counter` is built only to explain
    a difference.
    """

    numbers: tuple[str, ...]
    urls: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    """Where the links, addresses and phones are, so other checks can skip them."""
    originals: dict[str, str]
    """Each normalized item as first written, for messages a volunteer recognises."""


NO_TOKENS = Tokens((), (), (), (), (), {})
_NON_DIGIT = re.compile(r"\D")


def _digits(text: str) -> str:
    return text if text.isdigit() else _NON_DIGIT.sub("", text)


def _outside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``position`` is outside every span (spans are few: links in one paragraph)."""
    return not any(start <= position < end for start, end in spans)


def extract_tokens(text: str) -> Tokens:
    """Numbers, URLs, e-mails and phone numbers in ``text`` (normalized for comparison).

    Each pattern runs only when a cheap test says it can match: most
    paragraphs contain no digits, no "@" and no link.
    """
    may_mail = "@" in text or "[email" in text
    may_link = "://" in text or _DOT_LETTER.search(text) is not None
    may_number = _DIGIT.search(text) is not None
    if not (may_mail or may_link or may_number):
        return NO_TOKENS
    emails: list[str] = []
    urls: list[str] = []
    phones: list[str] = []
    numbers: list[str] = []
    spans: list[tuple[int, int]] = []
    originals: dict[str, str] = {}
    if may_mail:
        for match in EMAIL.finditer(text):
            key = match.group().lower()
            emails.append(key)
            originals.setdefault(key, match.group())
            spans.append(match.span())
    if may_link:
        for match in URL.finditer(text):
            if not _outside(match.start(), spans):
                continue
            url = match.group().rstrip(URL_TRAILER)
            urls.append(url.lower())
            originals.setdefault(url.lower(), url)
            spans.append((match.start(), match.start() + len(url)))
    if may_number:
        for match in DIGIT_RUN.finditer(text):
            run = match.group().rstrip(_RUN_TRAILER)
            start = match.start()
            if not run or not _DIGIT.search(run) or (spans and not _outside(start, spans)):
                continue
            # a phone number never contains ", "; a list of numbers does ("12, 13 and 14")
            offset = 0
            for part in _LIST_COMMA.split(run):
                part_start, offset = start + run.index(part, offset), run.index(part, offset) + len(part)
                digits = _digits(part)
                before = text[part_start - 1] if part_start else " "
                if len(digits) >= MIN_PHONE_DIGITS and not NOT_PHONE.fullmatch(part) and not (before.isalnum() or before in "._"):
                    phones.append(digits)
                    originals.setdefault(digits, part)
                    spans.append((part_start, part_start + len(part)))
                else:
                    numbers += [(n if n.isdigit() else _digits(n)).lstrip("0") or "0" for n in NUMBER.findall(part)]
    return Tokens(tuple(sorted(numbers)), tuple(sorted(urls)), tuple(sorted(emails)), tuple(sorted(phones)),
                  tuple(spans), originals)


def end_mark(text: str) -> str:
    """The sentence-final mark of a text ("." "!" "?" ":" ";" "…"), or "" if none.

    Closing quotes and brackets are looked through, "..." counts as "…", and
    the space French puts before "!" does not matter.
    """
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    return _END_MARKS.get(stripped[-1:], "")


def repeated_words(text: str) -> list[str]:
    """Words or short phrases said twice in a row ("de de", "the people the people").

    Words are split at spaces with their punctuation attached, so "Junk,
    junk" and "No! No!" (rhetoric, not a machine loop) do not count, and only
    the segment's final mark is dropped. Candidates come from comparing each
    word with the word one to four places on (``map`` and ``compress`` keep
    that loop in C); only those are compared as phrases.
    """
    words = fold(text).split()
    if words:
        words[-1] = words[-1].rstrip(_FINAL_MARKS)
    found: list[str] = []
    for size in range(1, _LONGEST_LOOP + 1):
        for i in compress(count(), map(operator.eq, words, words[size:])):
            if words[i:i + size] == words[i + size:i + 2 * size]:
                phrase = " ".join(words[i:i + size])
                if _LETTER.search(phrase) and not any(phrase in longer for longer in found):
                    found.append(phrase)
    return found


def _squash(text: str) -> str:
    """Text compared without regard to spacing or quote style."""
    return " ".join(normalize(text).split())


@dataclass
class SourceFacts:
    """What checks need to know about one source, computed once for all its languages."""

    text: str
    glossary: Glossary

    @cached_property
    def matches(self) -> list[TermMatch]:
        return self.glossary.find_in_source(self.text)

    @cached_property
    def terms(self) -> list[tuple[Term, TermMatch]]:
        """Each matched term once, with its first occurrence."""
        seen: dict[tuple[int, str], tuple[Term, TermMatch]] = {}
        for match in self.matches:
            seen.setdefault((match.term.id, match.term.term), (match.term, match))
        return list(seen.values())

    @cached_property
    def tokens(self) -> Tokens:
        return extract_tokens(self.text)

    @cached_property
    def end(self) -> str:
        return end_mark(self.text)

    @cached_property
    def repeats(self) -> set[str]:
        return set(repeated_words(self.text))

    @cached_property
    def words(self) -> list[str]:
        return normalize(self.text).split()

    @cached_property
    def has_prose(self) -> bool:
        """Whether anything is left to translate once keep-terms, links and numbers are set aside.

        A segment that is only "IMA" or a URL may rightly stay as it is.
        """
        chars = list(self.text)
        for match in self.matches:
            if match.term.is_keep:
                chars[match.start:match.end] = " " * (match.end - match.start)
        for start, end in self.tokens.spans:
            chars[start:end] = " " * (end - start)
        return bool(_LETTER.search("".join(chars)))


@dataclass
class SegmentContext:
    """One source, one target language, and the target's state: what a segment check sees."""

    segment_id: str
    source: SourceFacts
    target: str
    locale: str
    status: str
    source_lang: str = "en"

    @property
    def glossary(self) -> Glossary:
        return self.source.glossary

    @cached_property
    def group(self) -> str:
        if not self.target.strip():
            return GROUP_UNTRANSLATED
        return GROUP_MACHINE if self.status == "machine" else GROUP_TRANSLATIONS

    @cached_property
    def tokens(self) -> Tokens:
        return extract_tokens(self.target)

    @cached_property
    def review(self) -> TargetReview:
        """How the target uses the glossary terms of its source (computed once per target)."""
        return self.glossary.review_target(self.target, [term for term, _ in self.source.terms], self.locale)

    @cached_property
    def missing_terms(self) -> set[tuple[int, str]]:
        """Keys of the source's terms whose rendering the target does not use."""
        return {term_key(term) for term in self.review.missing}

    @property
    def same_language(self) -> bool:
        """A Tagalog post "translated" into Tagalog may rightly stay unchanged."""
        return self.source_lang == argos_code(self.locale)

    def finding(self, check: Check, message: str, severity: str | None = None) -> Finding:
        return Finding(severity or check.severity, check.id, self.segment_id, self.locale, message, self.group)


# -- the checks ---------------------------------------------------------------------------------


class Check:
    """Common metadata: ``id`` is stable (JSON, scripts); ``name`` is for people."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]


class SegmentCheck(Check):
    """A check of one target against its source; runs only on targets that have text.

    ``check`` returns a list (usually empty) rather than yielding: it runs
    for every segment in every language, and a generator per call costs more
    than the check itself.
    """

    def check(self, ctx: SegmentContext) -> list[Finding]:
        raise NotImplementedError


class GlossaryMissing(SegmentCheck):
    id, name, severity = "glossary-missing", "Glossary term not used", ERROR

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if not ctx.missing_terms:
            return []
        findings = []
        for term, match in ctx.source.terms:
            record = term.rendering_for(ctx.locale)
            if term.is_keep or record is None or term_key(term) not in ctx.missing_terms:
                continue
            if record.verified:
                findings.append(ctx.finding(self, f"{match.text!r} should be rendered {record.preferred!r}"))
            else:  # an unsure rendering is a suggestion until a native speaker confirms it
                findings.append(ctx.finding(self, f"{match.text!r} is usually {record.preferred!r} (rendering not yet verified)", WARNING))
        return findings


class ForbiddenRendering(SegmentCheck):
    id, name, severity = "glossary-forbidden", "Forbidden rendering used", ERROR

    def check(self, ctx: SegmentContext) -> list[Finding]:
        uses = ctx.review.forbidden
        if not uses:
            return []
        first_match = {term_key(term): match for term, match in ctx.source.terms}
        return [ctx.finding(self, f"{ctx.target[start:end]!r} is a forbidden rendering of "
                                  f"{first_match[term_key(term)].text!r}: use {term.rendering(ctx.locale)!r}")
                for term, start, end in uses]


class KeepTermAltered(SegmentCheck):
    id, name, severity = "keep-term", "Keep-term altered", ERROR

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if not ctx.missing_terms:
            return []
        return [ctx.finding(self, f"{match.form!r} is missing or altered: names and acronyms stay exactly as they are")
                for term, match in ctx.source.terms if term.is_keep and term_key(term) in ctx.missing_terms]


class NumbersDiffer(SegmentCheck):
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

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source, target = self.items(ctx.source.tokens), self.items(ctx.tokens)
        if source == target:
            return []
        return [ctx.finding(self, f"{self.kind} {ctx.source.tokens.originals.get(item, item)!r} is missing or altered: copy it exactly")
                for item in sorted(Counter(source) - Counter(target))]


class UrlAltered(_CarriedOver):
    id, name, severity, kind = "urls", "URL altered", ERROR, "URL"

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        return tokens.urls


class EmailAltered(_CarriedOver):
    id, name, severity, kind = "emails", "E-mail address altered", ERROR, "e-mail address"

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        return tokens.emails


class PhoneAltered(_CarriedOver):
    id, name, severity, kind = "phones", "Phone number altered", ERROR, "phone number"

    def items(self, tokens: Tokens) -> tuple[str, ...]:
        return tokens.phones


class Unchanged(SegmentCheck):
    id, name, severity = "unchanged", "Unchanged from the source", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        # cheapest test first: almost every target already differs in its first words
        opening = normalize(ctx.target[:_OPENING]).split()[:-1]  # the last word may be cut
        if opening != ctx.source.words[:len(opening)]:
            return []
        if normalize(ctx.target).split() == ctx.source.words and not ctx.same_language and ctx.source.has_prose:
            return [ctx.finding(self, "the target is the English source, untranslated")]
        return []


class EndPunctuation(SegmentCheck):
    id, name, severity = "end-punctuation", "End punctuation differs", WARNING

    def check(self, ctx: SegmentContext) -> list[Finding]:
        source, target = ctx.source.end, end_mark(ctx.target)
        if source == target:
            return []
        return [ctx.finding(self, f"the source ends with {source or 'no mark'!r}, the target with {target or 'no mark'!r}")]


class RepeatedWords(SegmentCheck):
    id, name, severity = "repeated-words", "Repeated words", WARNING
    grammatical: ClassVar[dict[str, frozenset[str]]] = {"fr": frozenset({"nous", "vous"})}
    """Repetitions the grammar makes: French reflexives ("nous nous battons")."""

    def check(self, ctx: SegmentContext) -> list[Finding]:
        repeats = repeated_words(ctx.target)
        if not repeats:
            return []
        allowed = self.grammatical.get(argos_code(ctx.locale), frozenset())
        return [ctx.finding(self, f"{self._as_written(ctx.target, unit)!r} is repeated: machine translation sometimes loops like this")
                for unit in repeats if unit not in ctx.source.repeats and unit not in allowed]

    @staticmethod
    def _as_written(target: str, unit: str) -> str:
        """The repeated words in the target's own case ("IMA", not "ima"); fold keeps every offset."""
        found = re.search(r"(?<!\S)" + re.escape(unit) + r"(?!\w)", fold(target))
        return target[found.start():found.end()] if found else unit


class Untranslated(SegmentCheck):
    """Segments without text: an error only when the status claims the work is done."""

    id, name, severity = "untranslated", "Untranslated", INFO

    def check(self, ctx: SegmentContext) -> list[Finding]:
        if ctx.target.strip():
            return []
        if ctx.status == "untranslated":
            return [ctx.finding(self, "not translated yet")]
        return [ctx.finding(self, f"marked {ctx.status!r} but the text is empty", ERROR)]


SEGMENT_CHECKS: list[SegmentCheck] = [
    GlossaryMissing(), ForbiddenRendering(), KeepTermAltered(), NumbersDiffer(), UrlAltered(),
    EmailAltered(), PhoneAltered(), Unchanged(), EndPunctuation(), RepeatedWords(),
]
"""Checks of a target that has text; :data:`UNTRANSLATED` handles those that have none."""
UNTRANSLATED = Untranslated()


@dataclass(frozen=True)
class Unit:
    """One translated segment in one language, as the corpus checks see it."""

    segment_id: str
    locale: str
    source: str
    target: str
    group: str


class CorpusCheck(Check):
    """A check across every translation of the workspace."""

    def check_corpus(self, units: Iterable[Unit]) -> Iterable[Finding]:
        raise NotImplementedError


class Inconsistent(CorpusCheck):
    id, name, severity = "inconsistent", "Same source translated differently", WARNING
    shown_others: ClassVar[int] = 3

    def check_corpus(self, units: Iterable[Unit]) -> Iterable[Finding]:
        groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        for unit in units:
            groups[(unit.locale, unit.source)].append(unit)
        for group in groups.values():
            if len(group) < 2:
                continue  # most sources occur once: no need to compare anything
            members = [(unit, _squash(unit.target)) for unit in group if unit.target.strip()]
            versions: dict[str, list[str]] = defaultdict(list)
            for unit, text in members:
                versions[text].append(unit.segment_id)
            if len(versions) < 2:
                continue
            for unit, mine in members:
                others = [sid for text, ids in versions.items() if text != mine for sid in ids[: self.shown_others]]
                shown = ", ".join(others[: self.shown_others]) + (" ..." if len(others) > self.shown_others else "")
                yield Finding(self.severity, self.id, unit.segment_id, unit.locale,
                              f"the same source has {len(versions)} different translations (see {shown}): agree on one",
                              unit.group)


class GlossaryCheck(Check):
    """A check of the glossary itself."""

    def check_glossary(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        raise NotImplementedError


class GlossaryConflict(GlossaryCheck):
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
                        yield self._finding(locale, f"term {term.term!r}: {text!r} is both accepted and forbidden")
                if term.is_keep and record.preferred and record.preferred not in term.forms:
                    yield self._finding(locale, f"keep-term {term.term!r} has the rendering {record.preferred!r}: "
                                                "a keep-term stays as it is (or make it 'established')")

    def _shared_forms(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        owners: dict[str, list[Term]] = defaultdict(list)
        for term in glossary.terms:
            for form in {fold(normalize(f)) for f in term.forms}:
                owners[form].append(term)
        for form, terms in owners.items():
            if len(terms) < 2:
                continue
            names = " and ".join(repr(t.term) for t in terms)
            clash = False
            for locale in locales:
                renderings = {t.rendering(locale) for t in terms} - {None}
                if len(renderings) > 1:
                    clash = True
                    yield self._finding(locale, f"{form!r} belongs to {names} with different renderings: "
                                                f"{' / '.join(sorted(r for r in renderings if r))}")
            if not clash:
                yield self._finding("", f"{form!r} is listed under {names}: merge the duplicates", WARNING)

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
                        yield self._finding(locale, f"{preferred!r}, the rendering of {term.term!r}, is forbidden by {other.term!r}")


CORPUS_CHECKS: list[CorpusCheck] = [Inconsistent()]
GLOSSARY_CHECKS: list[GlossaryCheck] = [GlossaryConflict()]
ALL_CHECKS: list[Check] = [*SEGMENT_CHECKS, UNTRANSLATED, *CORPUS_CHECKS, *GLOSSARY_CHECKS]


# -- running them ---------------------------------------------------------------------------------


def _segment_findings(ctx: SegmentContext) -> list[Finding]:
    if ctx.group == GROUP_UNTRANSLATED:
        return UNTRANSLATED.check(ctx)
    findings: list[Finding] = []
    for check in SEGMENT_CHECKS:
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
    ctx = SegmentContext(segment_id, SourceFacts(source, glossary), target, locale, status, source_lang)
    findings = _segment_findings(ctx)
    if target.strip():
        units = [Unit(segment_id, locale, source, target, ctx.group)]
        units += [Unit(other_id, locale, source, text, ctx.group) for other_id, text in same_source]
        for check in CORPUS_CHECKS:
            findings.extend(f for f in check.check_corpus(units) if f.segment_id == segment_id)
    return findings


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
    facts_by_source: dict[str, SourceFacts] = {}
    repeated_sources = {source for source, n in Counter(s["source"] for s in all_segments).items() if n > 1}
    for segment in all_segments:
        in_scope = statement_id is None or segment["statement_id"] == statement_id
        per_lang = translations.get(segment["id"], {})
        facts = facts_by_source.get(segment["source"])
        if facts is None:
            facts = facts_by_source[segment["source"]] = SourceFacts(segment["source"], glossary)
        for locale in locales:
            text, status = per_lang.get(locale, ("", "untranslated"))
            ctx = SegmentContext(segment["id"], facts, text, locale, status, segment.get("source_lang") or "en")
            if segment["source"] in repeated_sources and text.strip():  # only repeats can be inconsistent
                units.append(Unit(segment["id"], locale, segment["source"], text, ctx.group))
            if in_scope:
                findings.extend(_segment_findings(ctx))
    scope = None if statement_id is None else {s["id"] for s in all_segments if s["statement_id"] == statement_id}
    for check in CORPUS_CHECKS:
        findings.extend(f for f in check.check_corpus(units) if scope is None or f.segment_id in scope)
    return findings


GROUP_TITLES = {
    GROUP_GLOSSARY: "glossary", GROUP_TRANSLATIONS: "translations",
    GROUP_MACHINE: "machine drafts (not reviewed yet)", GROUP_UNTRANSLATED: "untranslated",
}


_PLURALS = {ERROR: "errors", WARNING: "warnings", INFO: "notes"}


def report_lines(findings: list[Finding]) -> list[str]:
    """The findings as text, one group after another, for ``workbench check``.

    Untranslated segments are progress, not mistakes: they are counted per
    language instead of listed, unless their status claims otherwise.
    """
    lines: list[str] = []
    for group in GROUPS:
        members = [f for f in findings if f.group == group]
        if not members:
            continue
        counts = Counter(f.severity for f in members)
        tally = ", ".join(f"{counts[s]} {s if counts[s] == 1 else _PLURALS[s]}" for s in SEVERITIES if counts[s])
        lines.append(f"== {GROUP_TITLES[group]}: {tally}")
        listed = [f for f in members if f.severity != INFO or group != GROUP_UNTRANSLATED]
        for f in sorted(listed, key=lambda f: SEVERITIES.index(f.severity)) if group == GROUP_GLOSSARY else listed:
            where = f"{f.lang:5} {f.segment_id}" if f.segment_id else f"{f.lang or '-':5}"
            lines.append(f"{f.severity:7} {where}  {f.check_id}: {f.message}")
        pending = Counter(f.lang for f in members if f.severity == INFO and group == GROUP_UNTRANSLATED)
        if pending:
            lines.append("not translated yet: " + ", ".join(f"{lang} {n}" for lang, n in sorted(pending.items())))
    summary = Summary.of(findings)
    warnings = sum(counter[WARNING] for counter in summary.counts.values())
    lines.append(f"{summary.errors} errors, {warnings} warnings" if findings else "no problems found")
    return lines


@dataclass
class Summary:
    """Counts per group and severity, for the CLI's closing line and exit code."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Summary:
        summary = cls()
        for finding in findings:
            summary.counts[finding.group][finding.severity] += 1
        return summary

    @property
    def errors(self) -> int:
        return sum(counter[ERROR] for counter in self.counts.values())
