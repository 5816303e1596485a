"""Finding glossary terms in text: sources, translated targets, and MT drafts.

:meth:`Glossary.find_in_source` finds terms in a source, English by default
(the terms' English forms), or in another language through the terms'
renderings in it (a Tagalog source through the tl renderings, variants and
patterns); inflected forms are included. :meth:`Glossary.find_in_target` and
:meth:`Glossary.review_target` tell whether a target uses an accepted rendering
(or a regular inflection of one) or a forbidden one; :meth:`Glossary.protect`
and :meth:`Glossary.enforce` apply the same matchers around machine
translation. Checks run this for every segment (see ``bench/check.py``), so the
loops are written for speed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

import ahocorasick

from workbench.glossary.inflection import english_inflections, inflections
from workbench.glossary.model import Term, TermKey, TermMatch, term_key
from workbench.glossary.terms import list_terms
from workbench.glossary.text import fold, is_literal_pattern, normalize, odd_spacing, pattern_anchor, pattern_regex
from workbench.store import Store
from workbench.textfacts import quoted

SOURCE_LANGUAGE = "en"
"""The language of the terms themselves, and of a source unless told otherwise."""

_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&.\-]*[A-Z0-9]s?")
"""A form written in capitals (IMA, UN, OFWs) is an acronym: it only matches in capitals,
or "UN" would match the French article and "ICE" every mention of ice."""

def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_acronym(form: str) -> bool:
    return bool(_ACRONYM.fullmatch(form))


def _language(locale: str) -> str:
    """The language whose rules hold for ``locale``: ``fr_CA`` -> ``fr``."""
    return locale.replace("-", "_").split("_")[0].lower()


def _surfaces(term: Term, texts: Iterable[str], lang: str, *, number_only: bool = False) -> list[str]:
    """``texts`` normalized, each once, then their regular inflections in ``lang`` if the term inflects."""
    written = [normalize(text).strip() for text in texts if text.strip()]
    if term.inflects:
        written += [surface for text in written for surface in inflections(text, lang, number_only=number_only)]
    return list(dict.fromkeys(written))


# -- target patterns ----------------------------------------------------------------------------


def _literal_regex(text: str) -> str:
    words = normalize(text).split()
    return r"\s+".join(re.escape(word) for word in words)


def _alternation(literals: Iterable[str], patterns: Iterable[str] = ()) -> str | None:
    alternatives = {_literal_regex(text) for text in literals if text.strip()}
    alternatives.update(pattern_regex(p) for p in patterns if p.strip())
    alternatives.discard("")
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=lambda alt: (-len(alt), alt))
    return r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)"


# -- the matcher ---------------------------------------------------------------------------------


class _LiteralIndex:
    """Many literals found in one Aho-Corasick pass, whole words only, exact case where required.

    ``literals`` are ``(surface, payload, case_sensitive)`` with ``surface``
    normalized; when several share the same letters, the earlier ones come first.
    """

    def __init__(self, literals: Iterable[tuple[str, Any, bool]]) -> None:
        grouped: dict[str, list[tuple[str, Any, bool]]] = {}
        for surface, payload, case_sensitive in literals:
            if surface.strip():
                grouped.setdefault(fold(surface), []).append((surface, payload, case_sensitive))
        self._automaton: Any = None
        if not grouped:
            return
        automaton = ahocorasick.Automaton()
        for key, candidates in grouped.items():
            # a literal that starts or ends with punctuation ("unite!") needs no word boundary there;
            # when the first candidate matches in any case (most do), it is the payload of every hit
            first = None if candidates[0][2] else candidates[0][1]
            automaton.add_word(key, (len(key), _is_word_char(key[0]), _is_word_char(key[-1]), first, tuple(candidates)))
        automaton.make_automaton()
        self._automaton = automaton

    def scan(self, norm: str, folded: str) -> list[tuple[int, int, int, Any]]:
        """``(start - end, start, end, payload)`` of every whole-word hit, with the first fitting payload; overlapping hits included.

        This loop runs for every hit in every segment, so
        the word-boundary test is written out rather than called.
        """
        hits: list[tuple[int, int, int, Any]] = []
        if self._automaton is None:
            return hits
        size = len(folded)
        for last, (length, left, right, first, candidates) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if left and start > 0:
                before = folded[start - 1]
                if before.isalnum() or before == "_":
                    continue
            if right and end < size:
                after = folded[end]
                if after.isalnum() or after == "_":
                    continue
            if first is None:
                first = next((payload for surface, payload, sensitive in candidates if not sensitive or norm[start:end] == surface), None)
                if first is None:
                    continue
            hits.append((start - end, start, end, first))
        return hits


def _source_index(literals: list[tuple[str, tuple[Term, str], bool]]) -> _LiteralIndex:
    """Source forms ``(surface, (term, form as written), case_sensitive)`` in one automaton."""
    # a case-sensitive form, then a form as written, is the more specific claim on the same letters
    literals.sort(key=lambda lit: (not lit[2], fold(lit[0]) != fold(lit[1][1])))
    return _LiteralIndex(literals)


@dataclass(frozen=True)
class _SourceMatcher:
    """How terms are found in sources of one language: literal forms, then pattern forms."""

    literals: _LiteralIndex
    patterns: tuple[tuple[str, re.Pattern[str], Term, str], ...] = ()
    """``(anchor, compiled pattern, term, pattern form)`` of each pattern form with ``*`` or ``re:``
    (see :func:`~workbench.glossary.text.pattern_anchor`)."""


@dataclass
class TargetReview:
    """What :meth:`Glossary.review_target` found in one target."""

    missing: list[Term]
    """Terms of the source whose accepted rendering the target does not use."""
    forbidden: list[tuple[Term, int, int]]
    """``(term, start, end)`` of each forbidden rendering the target uses."""


@dataclass(frozen=True)
class _TargetRule:
    """One term in one target language, ready for substring search (folded unless ``exact``)."""

    required: bool
    accepted: tuple[tuple[str, bool, bool], ...]
    """(literal, needs a word boundary before, needs one after)."""
    exact: bool
    patterned: bool
    """Whether the term has pattern forms in this language, which only its compiled pattern can find."""
    forbidden: tuple[tuple[str, bool, bool], ...]
    forbidden_exact: bool


_LONGEST_FIRST = itemgetter(0, 1)
"""Candidates ``(start - end, start, end, payload)``: the longest first, then the leftmost; a stable sort keeps ties in order."""
_START = attrgetter("start")

def _needles(texts: Iterable[str]) -> tuple[tuple[str, bool, bool], ...]:
    """Literals, each with whether it needs a word boundary before and after it (not next to its own punctuation)."""
    return tuple((text, _is_word_char(text[0]), _is_word_char(text[-1])) for text in texts)


class Glossary:
    """The terms of a workspace, with the matchers built from them.

    Matchers are built on first use and kept: :meth:`from_store` hands out the
    same object until the glossary changes, so screens and checks share them.
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: list[Term] = list(terms)
        self._sources: dict[str, _SourceMatcher] = {}
        self._rules: dict[tuple[int, str, str], _TargetRule] = {}
        self._accepted: dict[tuple[TermKey, str], re.Pattern[str] | None] = {}
        self._accepted_loose: dict[tuple[TermKey, str], re.Pattern[str] | None] = {}

    @classmethod
    def from_store(cls, store: Store) -> Glossary:
        """The store's glossary, rebuilt only when it changed since the last call."""
        revision = store.glossary_revision()
        key = str(store.path.resolve())
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == revision:
            return cached[1]
        glossary = cls(list_terms(store))
        _CACHE[key] = (revision, glossary)
        return glossary

    # -- sources --------------------------------------------------------------------------------

    def _source(self, lang: str) -> _SourceMatcher:
        lang = _language(lang)
        matcher = self._sources.get(lang)
        if matcher is None:
            matcher = self._sources[lang] = self._english_source() if lang == SOURCE_LANGUAGE else self._translated_source(lang)
        return matcher

    def _english_source(self) -> _SourceMatcher:
        literals: list[tuple[str, tuple[Term, str], bool]] = []
        for term in self.terms:
            for form in term.forms:
                sensitive = term.case_sensitive or _is_acronym(form)
                base = normalize(form).strip()
                literals += [(surface, (term, base), sensitive) for surface in english_inflections(form)]
        return _SourceMatcher(_source_index(literals))

    def _translated_source(self, lang: str) -> _SourceMatcher:
        """Terms in a ``lang`` source: by their renderings, variants and patterns in ``lang`` (their ``lang`` forms).

        A keep-term is found by its own forms too, as it stays the same in
        every language; a term with no rendering in ``lang`` is not found.
        """
        literals: list[tuple[str, tuple[Term, str], bool]] = []
        patterns: list[tuple[str, re.Pattern[str], Term, str]] = []
        for term in self.terms:
            record = term.rendering_for(lang)
            if record is None and not term.is_keep:
                continue
            pattern_forms = record.patterns if record else []
            forms = [*self._accepted_texts(term, lang), *(p for p in pattern_forms if is_literal_pattern(p))]
            for form in forms:
                sensitive = term.case_sensitive or _is_acronym(form)
                base = normalize(form).strip()
                literals += [(surface, (term, base), sensitive) for surface in _surfaces(term, [form], lang)]
            flags = 0 if term.case_sensitive else re.IGNORECASE
            patterns += [(pattern_anchor(p), re.compile(rf"(?<!\w){pattern_regex(p)}(?!\w)", flags), term, p)
                         for p in pattern_forms if p.strip() and not is_literal_pattern(p)]
        return _SourceMatcher(_source_index(literals), tuple(patterns))

    def find_in_source(self, text: str, lang: str = SOURCE_LANGUAGE) -> list[TermMatch]:
        """Glossary terms in a source in ``lang``, in reading order, without overlaps.

        An English source is searched for the terms' English forms; a source
        in another language for their renderings in it (``lang="tl"``: the tl
        renderings, variants and patterns). One automaton pass finds every
        literal candidate, whole words only, and each pattern form adds its
        own; then the longest candidates claim their characters first ("human
        rights violations" wins over "human rights").
        """
        if not text or not self.terms:
            return []
        matcher = self._source(lang)
        norm = normalize(text)
        folded = fold(norm)
        candidates = matcher.literals.scan(norm, folded)
        for anchor, pattern, term, form in matcher.patterns:
            if anchor in folded:
                candidates += [(found.start() - found.end(), found.start(), found.end(), (term, form))
                               for found in pattern.finditer(norm) if found.end() > found.start()]
        candidates.sort(key=_LONGEST_FIRST)
        taken = bytearray(len(text))
        chosen: list[TermMatch] = []
        for _, start, end, (term, form) in candidates:
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(TermMatch(term, start, end, text[start:end], form))
        chosen.sort(key=_START)
        return chosen

    # -- targets --------------------------------------------------------------------------------

    def _keep_texts(self, term: Term, locale: str) -> list[str]:
        """What a target may contain for a keep-term: its forms, or a rendering given for the locale."""
        record = term.rendering_for(locale)
        return [*term.forms, *(record.accepted() if record else [])]

    def _accepted_texts(self, term: Term, locale: str) -> list[str]:
        if term.is_keep:
            return self._keep_texts(term, locale)
        record = term.rendering_for(locale)
        return record.accepted() if record else []

    def _forbidden_texts(self, term: Term, locale: str) -> list[str]:
        record = term.rendering_for(locale)
        return record.forbidden if record else []

    def _target_surfaces(self, term: Term, locale: str) -> tuple[list[str], list[str]]:
        """The accepted and the forbidden surfaces of ``term`` in ``locale``: as written, then inflected.

        A forbidden rendering is also forbidden in its other number, and in no
        other gender. A generated form never makes a forbidden rendering
        acceptable ("président" is not accepted for "présidente" where the
        glossary forbids it), nor forbids what the glossary accepts as written.
        """
        lang = _language(locale)
        accepted = _surfaces(term, self._accepted_texts(term, locale), lang)
        forbidden = _surfaces(term, self._forbidden_texts(term, locale), lang, number_only=True)
        if not term.inflects:
            return accepted, forbidden
        accepted_written = {fold(normalize(text)) for text in self._accepted_texts(term, locale)}
        forbidden_written = {fold(normalize(text)) for text in self._forbidden_texts(term, locale)}
        forbidden_all = {fold(text) for text in forbidden}
        return ([text for text in accepted if fold(text) in accepted_written or fold(text) not in forbidden_all],
                [text for text in forbidden if fold(text) in forbidden_written or fold(text) not in accepted_written])

    def _rule(self, term: Term, locale: str) -> _TargetRule:
        """How ``term`` is looked for in ``locale`` targets, prepared once per glossary."""
        key = (term.id, term.term, locale)
        rule = self._rules.get(key)
        if rule is None:
            exact = term.case_sensitive or term.is_keep
            accepted, forbidden = self._target_surfaces(term, locale)
            record = term.rendering_for(locale)
            rule = self._rules[key] = _TargetRule(
                required=term.rendering(locale) is not None,
                accepted=_needles(text if exact else fold(text) for text in accepted),
                exact=exact,
                patterned=bool(record and any(p.strip() for p in record.patterns)),
                forbidden=_needles(text if term.case_sensitive else fold(text) for text in forbidden),
                forbidden_exact=term.case_sensitive,
            )
        return rule

    def accepted_pattern(self, term: Term, locale: str) -> re.Pattern[str] | None:
        """One compiled pattern for every accepted rendering, its inflections, and the pattern forms of ``term``."""
        key = (term_key(term), locale)
        if key not in self._accepted:
            record = term.rendering_for(locale)
            source = _alternation(self._target_surfaces(term, locale)[0], record.patterns if record else ())
            flags = 0 if (term.case_sensitive or term.is_keep) else re.IGNORECASE
            self._accepted[key] = re.compile(source, flags) if source else None
        return self._accepted[key]

    def find_in_target(self, text: str, term: Term, locale: str) -> bool:
        """Whether ``text`` uses an accepted rendering of ``term`` or a regular inflection of one (False if none is known)."""
        pattern = self.accepted_pattern(term, locale)
        return bool(pattern and pattern.search(normalize(text)))

    def review_target(self, text: str, terms: Iterable[Term], locale: str) -> TargetReview:
        """Which of ``terms`` (those found in the source) a target misses, and its forbidden renderings.

        The checks' fast path: plain substring searches (C speed) find the
        literal renderings and their inflections; only a term not found that
        way is tried against its compiled pattern, and only where that could
        find more: the term has pattern forms, or the target has odd spacing.
        ``terms`` are the few found in the source, never the whole glossary.
        """
        norm = normalize(text)
        folded = fold(norm)
        review = TargetReview([], [])
        spaced_oddly: bool | None = None
        rules = self._rules
        for term in terms:
            rule = rules.get((term.id, term.term, locale)) or self._rule(term, locale)
            if rule.forbidden:
                spans = _word_spans(norm if rule.forbidden_exact else folded, rule.forbidden)
                if len(spans) > 1:  # "migran-migran gelap" is one use, though "migran gelap" is in it too
                    spans = _outermost(spans)
                review.forbidden += [(term, start, end) for start, end in spans]
            if not rule.required or _has_any_word(norm if rule.exact else folded, rule.accepted):
                continue
            if not rule.patterned:
                if spaced_oddly is None:  # whitespace the literal search cannot see through
                    spaced_oddly = odd_spacing(norm)
                if not spaced_oddly:
                    review.missing.append(term)
                    continue
            pattern = self.accepted_pattern(term, locale)
            if pattern is None or not pattern.search(norm):
                review.missing.append(term)
        return review

    def missing_renderings(self, text: str, terms: Iterable[Term], locale: str) -> list[Term]:
        """The terms among ``terms`` that have a rendering in ``locale`` which ``text`` does not use."""
        return self.review_target(text, terms, locale).missing

    def forbidden_uses(self, text: str, terms: Iterable[Term], locale: str) -> list[tuple[Term, int, int]]:
        """``(term, start, end)`` wherever ``text`` uses a forbidden rendering of one of ``terms``."""
        return self.review_target(text, terms, locale).forbidden

    def find_forbidden(self, text: str, term: Term, locale: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that use a forbidden rendering of ``term``."""
        return [(start, end) for _, start, end in self.forbidden_uses(text, [term], locale)]

    # -- machine translation hooks -------------------------------------------------------------

    def enforce(self, source: str, draft: str, locale: str, source_lang: str = SOURCE_LANGUAGE) -> tuple[str, list[str]]:
        """Make a draft respect the glossary where that is safe; list what could not be fixed.

        ``source`` is in ``source_lang`` (see :meth:`find_in_source`), the draft in ``locale``.

        * keep-terms written in another case ("Ima") are set back ("IMA");
        * forbidden renderings as written are replaced by the preferred one;
          an inflected one ("migrante ilegal") is a problem, since the
          preferred rendering as written would not agree with the sentence;
        * a term whose accepted rendering is still absent is a problem: the
          caller stores such a draft for review instead of passing it as clean.
        """
        fixed = draft
        problems: list[str] = []
        seen: set[TermKey] = set()
        for match in self.find_in_source(source, source_lang):
            term = match.term
            preferred = term.rendering(locale)
            if preferred is None or term_key(term) in seen:
                continue
            seen.add(term_key(term))
            if term.is_keep:
                fixed = self._restore_keep_case(fixed, term, locale)
            fixed, unfixed = self._replace_forbidden(fixed, term, locale, preferred)
            if unfixed:
                problems += [f"{quoted(found)} is a forbidden rendering of {quoted(match.text)}: "
                             f"use {quoted(preferred)} in the form the sentence needs" for found in unfixed]
                continue
            if self.find_in_target(fixed, term, locale):
                continue
            if term.is_keep or fold(normalize(preferred)) == fold(normalize(match.text)):  # "GFMD" rendered "GFMD"
                problems.append(f"{quoted(match.form if term.is_keep else match.text)} must stay as it is: the draft alters or drops it")
            else:
                problems.append(f"{quoted(match.text)} should be rendered {quoted(preferred)}, which the draft does not use")
        return fixed, problems

    def _restore_keep_case(self, text: str, term: Term, locale: str) -> str:
        if self.find_in_target(text, term, locale):
            return text
        key = (term_key(term), locale)
        if key not in self._accepted_loose:
            record = term.rendering_for(locale)
            source = _alternation(self._keep_texts(term, locale), record.patterns if record else ())
            self._accepted_loose[key] = re.compile(source, re.IGNORECASE) if source else None
        loose = self._accepted_loose[key]
        if loose is None:
            return text
        wanted = {fold(normalize(t)): t for t in self._keep_texts(term, locale)}
        spans = [match.span() for match in loose.finditer(normalize(text))]
        return _replace_spans(text, spans, lambda found: wanted.get(fold(normalize(found)), found))

    def _replace_forbidden(self, text: str, term: Term, locale: str, preferred: str) -> tuple[str, list[str]]:
        """``text`` with each forbidden rendering as written replaced by ``preferred``, and the inflected ones left."""
        record = term.rendering_for(locale)
        if record is not None and preferred in record.forbidden:
            return text, []  # a rendering both preferred and forbidden is a glossary conflict, not a fix
        written = {fold(normalize(forbidden)) for forbidden in self._forbidden_texts(term, locale)}
        spans = _outermost(self.find_forbidden(text, term, locale))
        replaced = [(start, end) for start, end in spans if fold(normalize(text[start:end])) in written]
        unfixed = [text[start:end] for start, end in spans if fold(normalize(text[start:end])) not in written]
        return _replace_spans(text, replaced, lambda found: _match_case(preferred, found)), unfixed


_CACHE: dict[str, tuple[int, Glossary]] = {}
"""Per workspace database: the glossary revision last read, and the Glossary built from it."""


# -- whole-word search in targets ------------------------------------------------------------------


def _has_any_word(haystack: str, needles: tuple[tuple[str, bool, bool], ...]) -> bool:
    """Whether one of ``needles`` occurs in ``haystack`` as whole words.

    Written out in one loop because it runs for every term of every target:
    ``str.find`` does the searching, and a boundary is only tested where the
    needle starts or ends with a letter or digit.
    """
    size = len(haystack)
    for needle, check_left, check_right in needles:
        index = haystack.find(needle)
        while index >= 0:
            end = index + len(needle)
            before = haystack[index - 1] if check_left and index else " "
            after = haystack[end] if check_right and end < size else " "
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                return True
            index = haystack.find(needle, index + 1)
    return False


def _word_spans(haystack: str, needles: tuple[tuple[str, bool, bool], ...]) -> list[tuple[int, int]]:
    """Where each of ``needles`` occurs in ``haystack`` as whole words (``str.find``, no regex)."""
    spans = []
    size = len(haystack)
    for needle, check_left, check_right in needles:
        index = haystack.find(needle)
        while index >= 0:
            end = index + len(needle)
            if not (check_left and index > 0 and _is_word_char(haystack[index - 1])) and \
                    not (check_right and end < size and _is_word_char(haystack[end])):
                spans.append((index, end))
            index = haystack.find(needle, index + 1)
    return spans


# -- machine translation hooks: replacements ---------------------------------------------------


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, longest first ("trabajadores ilegales" over "ilegales")."""
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


def _replace_spans(text: str, spans: list[tuple[int, int]], replacement: Callable[[str], str]) -> str:
    """Replace sorted, non-overlapping spans of ``text``, keeping everything else as it was."""
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces += [text[cursor:start], replacement(text[start:end])]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _match_case(replacement: str, original: str) -> str:
    """Keep a sentence-initial capital when a forbidden word is replaced."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
