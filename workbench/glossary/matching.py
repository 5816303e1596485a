"""Finding glossary terms in text: English sources, translated targets, and MT drafts.

:meth:`Glossary.find_in_source` finds terms in an English source (inflected
forms included); :meth:`Glossary.find_in_target` and :meth:`Glossary.review_target`
tell whether a target uses an accepted rendering or a forbidden one;
:meth:`Glossary.protect` and :meth:`Glossary.enforce` apply the same matchers
around machine translation. Checks run this for every segment (see
``bench/check.py``), so the loops are written for speed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from workbench.glossary.model import Term, TermKey, TermMatch, term_key
from workbench.glossary.terms import list_terms
from workbench.glossary.text import fold, normalize, pattern_regex
from workbench.store import Store

_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&.\-]*[A-Z0-9]s?")
"""A form written in capitals (IMA, UN, OFWs) is an acronym: it only matches in capitals,
or "UN" would match the French article and "ICE" every mention of ice."""

def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_acronym(form: str) -> bool:
    return bool(_ACRONYM.fullmatch(form))


# -- English inflection -------------------------------------------------------------------------


def _word_inflections(word: str) -> set[str]:
    """Plural, singular, possessive and -ed/-ing forms of the last word of an English term.

    Over-generating is harmless (a form that never occurs never matches) and
    cheaper than a lemmatizer the volunteers would have to install.
    """
    forms = {word}
    if not word or not word[-1].isalpha():
        return forms
    lower = word.lower()
    if word[-1] == "s" and not lower.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])
        if lower.endswith("ies"):
            forms.add(word[:-3] + "y")
        elif lower.endswith(("ses", "xes", "zes", "ches", "shes")):
            forms.add(word[:-2])
    if word.isupper():
        return forms | {word + "s", word + "'s"}
    for base in list(forms):
        low = base.lower()
        if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
            forms.update({base[:-1] + "ies", base[:-1] + "ied"})
        elif low.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(base + "es")
        else:
            forms.add(base + "s")
        forms.add(base + "'s")
        if low.endswith("e"):
            forms.update({base + "d", base[:-1] + "ing"})
        elif not low.endswith("s"):
            forms.update({base + "ed", base + "ing"})
    forms.update(f + "'" for f in list(forms) if f.endswith("s"))
    return forms


def english_inflections(form: str) -> set[str]:
    """Every surface form a glossary form may take in an English source."""
    normalized = normalize(form).strip()
    head, space, last = normalized.rpartition(" ")
    return {head + space + variant for variant in _word_inflections(last)}


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
            # a literal that starts or ends with punctuation ("unite!") needs no word boundary there
            automaton.add_word(key, (len(key), _is_word_char(key[0]), _is_word_char(key[-1]), tuple(candidates)))
        automaton.make_automaton()
        self._automaton = automaton

    def scan(self, norm: str, folded: str) -> list[tuple[int, int, list[Any]]]:
        """``(start, end, payloads)`` of every whole-word hit; overlapping hits included.

        This loop runs for every hit in every segment, so
        the word-boundary test is written out rather than called.
        """
        hits: list[tuple[int, int, list[Any]]] = []
        if self._automaton is None:
            return hits
        size = len(folded)
        for last, (length, left, right, candidates) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if left and start > 0:
                before = folded[start - 1]
                if before.isalnum() or before == "_":
                    continue
            if right and end < size:
                after = folded[end]
                if after.isalnum() or after == "_":
                    continue
            fitting = [payload for surface, payload, sensitive in candidates if not sensitive or norm[start:end] == surface]
            if fitting:
                hits.append((start, end, fitting))
        return hits


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
    forbidden: tuple[str, ...]
    forbidden_exact: bool


class Glossary:
    """The terms of a workspace, with the matchers built from them.

    Matchers are built on first use and kept: :meth:`from_store` hands out the
    same object until the glossary changes, so screens and checks share them.
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: list[Term] = list(terms)
        self._source_index: _LiteralIndex | None = None
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

    def _source(self) -> _LiteralIndex:
        if self._source_index is None:
            literals: list[tuple[str, tuple[Term, str], bool]] = []
            for term in self.terms:
                for form in term.forms:
                    sensitive = term.case_sensitive or _is_acronym(form)
                    base = normalize(form).strip()
                    literals += [(surface, (term, base), sensitive) for surface in english_inflections(form)]
            # a case-sensitive form, then a form as written, is the more specific claim on the same letters
            literals.sort(key=lambda lit: (not lit[2], fold(lit[0]) != fold(lit[1][1])))
            self._source_index = _LiteralIndex(literals)
        return self._source_index

    def find_in_source(self, text: str) -> list[TermMatch]:
        """Glossary terms in an English text, in reading order, without overlaps.

        One automaton pass finds every candidate, whole words only; then the
        longest candidates claim their characters first ("human rights
        violations" wins over "human rights").
        """
        if not text or not self.terms:
            return []
        norm = normalize(text)
        candidates = [(start, end, payloads[0]) for start, end, payloads in self._source().scan(norm, fold(norm))]
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken = bytearray(len(text))
        chosen: list[TermMatch] = []
        for start, end, (term, form) in candidates:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append(TermMatch(term, start, end, text[start:end], form))
        chosen.sort(key=lambda match: match.start)
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

    def _rule(self, term: Term, locale: str) -> _TargetRule:
        """How ``term`` is looked for in ``locale`` targets, prepared once per glossary."""
        key = (term.id, term.term, locale)
        rule = self._rules.get(key)
        if rule is None:
            exact = term.case_sensitive or term.is_keep

            def searched(texts: list[str], case_sensitive: bool) -> tuple[str, ...]:
                return tuple(normalize(t) if case_sensitive else fold(normalize(t)) for t in texts if t.strip())

            accepted = searched(self._accepted_texts(term, locale), exact)
            rule = self._rules[key] = _TargetRule(
                required=term.rendering(locale) is not None,
                accepted=tuple((text, _is_word_char(text[0]), _is_word_char(text[-1])) for text in accepted),
                exact=exact,
                forbidden=searched(self._forbidden_texts(term, locale), term.case_sensitive),
                forbidden_exact=term.case_sensitive,
            )
        return rule

    def accepted_pattern(self, term: Term, locale: str) -> re.Pattern[str] | None:
        """One compiled pattern for every accepted rendering and pattern form of ``term``."""
        key = (term_key(term), locale)
        if key not in self._accepted:
            record = term.rendering_for(locale)
            source = _alternation(self._accepted_texts(term, locale), record.patterns if record else ())
            flags = 0 if (term.case_sensitive or term.is_keep) else re.IGNORECASE
            self._accepted[key] = re.compile(source, flags) if source else None
        return self._accepted[key]

    def find_in_target(self, text: str, term: Term, locale: str) -> bool:
        """Whether ``text`` uses an accepted rendering of ``term`` (False if none is known)."""
        pattern = self.accepted_pattern(term, locale)
        return bool(pattern and pattern.search(normalize(text)))

    def review_target(self, text: str, terms: Iterable[Term], locale: str) -> TargetReview:
        """Which of ``terms`` (those found in the source) a target misses, and its forbidden renderings.

        The checks' fast path: plain substring searches (C speed) find the
        literal renderings; only a term not found that way is tried against
        its compiled pattern (inflected forms, odd spacing). ``terms`` are the
        few found in the source, never the whole glossary.
        """
        norm = normalize(text)
        folded = fold(norm)
        review = TargetReview([], [])
        for term in terms:
            rule = self._rule(term, locale)
            if rule.forbidden:
                haystack = norm if rule.forbidden_exact else folded
                for literal in rule.forbidden:
                    review.forbidden += [(term, start, end) for start, end in _word_spans(haystack, literal)]
            if not rule.required or _has_any_word(norm if rule.exact else folded, rule.accepted):
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

    def protect(self, source: str) -> tuple[str, Callable[[str], str]]:
        """Swap keep-terms for placeholders MT copies as they are; the callable swaps them back.

        Placeholders are capital-letter tokens such as ``ZXQA``, because MT
        models copy acronyms through while a name like "Migrante" (Spanish for
        "migrant") or "Assumption of Jurisdiction" would be translated. For the
        same reason a keep-term that already is an acronym (IMA, GCM) is left
        as it is: it is its own placeholder, and one the model knows. A
        placeholder the MT lost stays lost; :meth:`enforce` then reports the
        keep-term as missing.
        """
        tokens: dict[str, str] = {}
        pieces: list[str] = []
        cursor = 0
        for match in self.find_in_source(source):
            if not match.term.is_keep or _is_acronym(match.form):
                continue
            kept = source[match.start:match.start + len(match.form)]
            if normalize(kept) != match.form:
                kept = match.text
            token = next((t for t, original in tokens.items() if original == kept), None)
            if token is None:
                token = _placeholder(len(tokens))
                tokens[token] = kept
            pieces += [source[cursor:match.start], token]
            cursor = match.start + len(kept)
        if not tokens:
            return source, _unchanged
        pieces.append(source[cursor:])

        def restore(draft: str) -> str:
            def swap(found: re.Match[str]) -> str:
                return tokens.get(_PLACEHOLDER_STEM + found.group(1).upper(), found.group(0))
            return _PLACEHOLDER.sub(swap, draft)

        return "".join(pieces), restore

    def enforce(self, source: str, draft: str, locale: str) -> tuple[str, list[str]]:
        """Make a draft respect the glossary where that is safe; list what could not be fixed.

        * keep-terms written in another case ("Ima") are set back ("IMA");
        * forbidden renderings are replaced by the preferred one;
        * a term whose accepted rendering is still absent is a problem: the
          caller stores such a draft for review instead of passing it as clean.
        """
        fixed = draft
        problems: list[str] = []
        seen: set[TermKey] = set()
        for match in self.find_in_source(source):
            term = match.term
            preferred = term.rendering(locale)
            if preferred is None or term_key(term) in seen:
                continue
            seen.add(term_key(term))
            if term.is_keep:
                fixed = self._restore_keep_case(fixed, term, locale)
            fixed = self._replace_forbidden(fixed, term, locale, preferred)
            if self.find_in_target(fixed, term, locale):
                continue
            if term.is_keep:
                problems.append(f"keep-term {match.form!r} is missing or altered: it must stay exactly as it is")
            else:
                problems.append(f"{match.text!r} should be rendered {preferred!r}, which the draft does not use")
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

    def _replace_forbidden(self, text: str, term: Term, locale: str, preferred: str) -> str:
        record = term.rendering_for(locale)
        if record is not None and preferred in record.forbidden:
            return text  # a rendering both preferred and forbidden is a glossary conflict, not a fix
        spans = self.find_forbidden(text, term, locale)
        return _replace_spans(text, _outermost(spans), lambda found: _match_case(preferred, found))


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


def _word_spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``haystack`` as whole words (``str.find``, no regex)."""
    spans = []
    check_left, check_right = _is_word_char(needle[0]), _is_word_char(needle[-1])
    size = len(haystack)
    index = haystack.find(needle)
    while index >= 0:
        end = index + len(needle)
        if not (check_left and index > 0 and _is_word_char(haystack[index - 1])) and \
                not (check_right and end < size and _is_word_char(haystack[end])):
            spans.append((index, end))
        index = haystack.find(needle, index + 1)
    return spans


# -- machine translation hooks: placeholders and replacements ---------------------------------


_PLACEHOLDER_STEM = "ZXQ"
_PLACEHOLDER = re.compile(r"(?<![\w])ZXQ([A-Z]{1,3})(?![\w])", re.IGNORECASE)


def _unchanged(draft: str) -> str:
    return draft


def _placeholder(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return _PLACEHOLDER_STEM + letters


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
