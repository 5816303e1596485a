"""The glossary of movement terms: the term model, storage, matching, and MT hooks.

The alliance's terms ("migrant workers", "forced migration", "IMA") must read
the same in every statement and language. This module keeps them in the
workspace database and answers three questions fast enough to ask for every
segment:

* which glossary terms does this English source contain? (:meth:`Glossary.find_in_source`:
  one Aho-Corasick pass over the segment, whole words, English plurals and
  inflections, the longest match wins);
* does this target use an accepted rendering of a term? (:meth:`Glossary.find_in_target`:
  preferred rendering, variants, and per-term prefix/pattern forms, because
  plain equality floods reviewers with false alarms on inflected words);
* can a machine draft be made to respect the glossary? The MT run calls
  ``protected, restore = glossary.protect(source)``, translates ``protected``,
  then ``fixed, problems = glossary.enforce(source, restore(draft), locale)``
  and stores a draft with problems as needs-review, never as clean.

Reading and writing the CSV and TBX files in ``glossary/`` is
:mod:`workbench.formats` (``glossary_csv`` and ``glossary_tbx``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from workbench.store import DatabaseError, Store, StoreError

TREATMENTS: tuple[str, ...] = ("translate", "established", "keep")
"""translate: our own rendering; established: an official or customary one exists;
keep: names and acronyms that stay exactly as they are in every language."""
KEEP = "keep"


PATTERN_REGEX_PREFIX = "re:"
"""A pattern form starting with ``re:`` is a regular expression; otherwise ``*`` stands for
any word characters, so ``trabajador* migrante*`` accepts every gender and number."""

LIST_SEPARATOR = ";"
"""Separates several values in one CSV cell (english forms, variants, ...)."""

_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&.\-]*[A-Z0-9]s?")
"""A form written in capitals (IMA, UN, OFWs) is an acronym: it only matches in capitals,
or "UN" would match the French article and "ICE" every mention of ice."""

_PLACEHOLDER_STEM = "ZXQ"
_PLACEHOLDER = re.compile(r"(?<![\w])ZXQ([A-Z]{1,3})(?![\w])", re.IGNORECASE)


class GlossaryError(ValueError):
    """A glossary file or request that cannot be used; the message says what to do."""


# -- the model ----------------------------------------------------------------------------


@dataclass
class Rendering:
    """How one term is rendered in one target language."""

    preferred: str
    variants: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    verified: bool = True

    def accepted(self) -> list[str]:
        """The literal renderings a target may use."""
        return [text for text in (self.preferred, *self.variants) if text]

    def to_dict(self) -> dict[str, Any]:
        return {"preferred": self.preferred, "variants": list(self.variants), "forbidden": list(self.forbidden),
                "patterns": list(self.patterns), "verified": self.verified}


@dataclass
class Term:
    """A glossary entry: an English term with its forms and its renderings per locale."""

    id: int
    term: str
    english_forms: list[str] = field(default_factory=list)
    kind: str = "concept"
    treatment: str = "translate"
    renderings: dict[str, Rendering] = field(default_factory=dict)
    notes: str = ""
    case_sensitive: bool = False

    def __hash__(self) -> int:
        # Terms are mutable records compared by value, yet TermMatch (frozen) must hash.
        return hash((self.id, self.term))

    @property
    def forms(self) -> list[str]:
        """The term and its English variants, each matched in sources."""
        return [self.term, *(form for form in self.english_forms if form and form != self.term)]

    @property
    def is_keep(self) -> bool:
        return self.treatment == KEEP

    def rendering_for(self, locale: str) -> Rendering | None:
        """The rendering record for ``locale``; ``fr`` finds ``fr_CA`` and vice versa."""
        if locale in self.renderings:
            return self.renderings[locale]
        base = locale.replace("-", "_").split("_")[0].lower()
        for key, rendering in self.renderings.items():
            if key.split("_")[0].lower() == base:
                return rendering
        return None

    def rendering(self, locale: str) -> str | None:
        """The preferred rendering in ``locale`` (a keep-term renders as itself)."""
        record = self.rendering_for(locale)
        if record is not None and record.preferred:
            return record.preferred
        return self.term if self.is_keep else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "term": self.term, "english_forms": list(self.english_forms), "kind": self.kind,
            "treatment": self.treatment, "case_sensitive": self.case_sensitive, "notes": self.notes,
            "renderings": {locale: r.to_dict() for locale, r in sorted(self.renderings.items())},
        }


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a source text; ``form`` is the glossary form that matched."""

    term: Term
    start: int
    end: int
    text: str
    form: str = ""


@dataclass
class ImportReport:
    """What an import changed, for the CLI summary."""

    path: Path
    added: int = 0
    updated: int = 0
    skipped_languages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.path.name}: {self.added} terms added, {self.updated} updated"
        if self.skipped_languages:
            text += f" (skipped languages not in this workspace: {', '.join(self.skipped_languages)})"
        return text


# -- text normalisation ---------------------------------------------------------------------

_NORMALIZE: tuple[tuple[str, str], ...] = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2032", "'"), ("`", "'"),
    ("\u201c", '"'), ("\u201d", '"'),
    ("\u00a0", " "), ("\u202f", " "), ("\u2009", " "), ("\u2007", " "), ("\t", " "), ("\n", " "), ("\r", " "),
    ("\u2010", "-"), ("\u2011", "-"),
)


_ODD = re.compile("[" + "".join(re.escape(odd) for odd, _ in _NORMALIZE) + "]")


def normalize(text: str) -> str:
    """Curly quotes, odd spaces and hyphens made plain, keeping every offset in place.

    A chain of ``str.replace`` skips absent characters at C speed, ten times
    faster than ``str.translate`` with a table; checks call this on every target.
    """
    if _ODD.search(text) is None:
        return text
    for odd, plain in _NORMALIZE:
        if odd in text:
            text = text.replace(odd, plain)
    return text


def fold(text: str) -> str:
    """Lower case without changing the length (``İ`` lowers to two characters; keep it)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


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


def pattern_regex(pattern: str) -> str:
    """A pattern form as a regular expression (``*`` = any word characters)."""
    if pattern.startswith(PATTERN_REGEX_PREFIX):
        return f"(?:{pattern[len(PATTERN_REGEX_PREFIX):]})"
    words = normalize(pattern).split()
    return r"\s+".join(r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in words)


def _validate_patterns(patterns: Iterable[str], where: str) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern_regex(pattern))
        except re.error as error:
            raise GlossaryError(f"{where}: pattern {pattern!r} is not a valid regular expression ({error}): fix it") from None


def _alternation(literals: Iterable[str], patterns: Iterable[str] = ()) -> str | None:
    alternatives = {_literal_regex(text) for text in literals if text.strip()}
    alternatives.update(pattern_regex(p) for p in patterns if p.strip())
    alternatives.discard("")
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=lambda alt: (-len(alt), alt))
    return r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)"


# -- the matcher ---------------------------------------------------------------------------------


TermKey = tuple[int, str]
"""Identifies a term inside one glossary (id and text: terms built in memory all have id 0)."""


def term_key(term: Term) -> TermKey:
    return (term.id, term.term)


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


def _unchanged(draft: str) -> str:
    return draft


def _placeholder(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return _PLACEHOLDER_STEM + letters


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


# -- storage ---------------------------------------------------------------------------------------


def _term_from_rows(row: Mapping[str, Any], renderings: Iterable[Mapping[str, Any]]) -> Term:
    return Term(
        id=row["id"], term=row["term"], english_forms=json.loads(row["english_forms"] or "[]"),
        kind=row["kind"], treatment=row["treatment"], notes=row["notes"] or "",
        case_sensitive=bool(row["case_sensitive"]),
        renderings={
            r["locale"]: Rendering(
                preferred=r["preferred"] or "", variants=json.loads(r["variants"] or "[]"),
                forbidden=json.loads(r["forbidden"] or "[]"), patterns=json.loads(r["patterns"] or "[]"),
                verified=bool(r["verified"]),
            )
            for r in renderings
        },
    )


def list_terms(store: Store) -> list[Term]:
    """Every term, in id order, with its renderings."""
    return [_term_from_rows(row, renderings) for row, renderings in store.glossary_rows()]


def get_term(store: Store, key: int | str) -> Term:
    """A term by id, or by its exact English text (as scripts know it)."""
    term_id = int(key) if isinstance(key, int) or str(key).isdigit() else store.glossary_term_id(str(key))
    found = store.glossary_rows(term_id) if term_id is not None else []
    if not found:
        raise GlossaryError(f"no glossary term {key!r}: run 'workbench glossary list' to see the ids")
    row, renderings = found[0]
    return _term_from_rows(row, renderings)


def _unique(texts: Iterable[str], *, besides: str = "") -> list[str]:
    """Stripped, non-empty, each once, in order, without ``besides``."""
    seen: set[str] = {besides}
    result = []
    for text in (t.strip() for t in texts):
        if text and text not in seen:
            seen.add(text)
            result.append(text)
    return result


def _validate_term(term: Term) -> None:
    """Refuse what cannot be stored; tidy what can (duplicates, blanks, a variant equal to the rendering)."""
    term.term = term.term.strip()
    term.english_forms = _unique(term.english_forms, besides=term.term)
    for rendering in term.renderings.values():
        rendering.preferred = rendering.preferred.strip()
        rendering.variants = _unique(rendering.variants, besides=rendering.preferred)
        rendering.forbidden = _unique(rendering.forbidden)
        rendering.patterns = _unique(rendering.patterns)
    where = f"term {term.term!r}"
    if not term.term.strip():
        raise GlossaryError("a glossary term cannot be empty: give the English term")
    if term.treatment not in TREATMENTS:
        raise GlossaryError(f"{where}: treatment {term.treatment!r} is not one of {', '.join(TREATMENTS)}")
    for locale, rendering in term.renderings.items():
        _validate_patterns(rendering.patterns, f"{where} ({locale})")
        if not rendering.preferred and not term.is_keep:
            raise GlossaryError(f"{where} ({locale}): a rendering needs a preferred text: give one or drop the language")


def _write_term(store: Store, term: Term, term_id: int | None) -> int:
    """Insert or replace a term and all its renderings."""
    record = {
        "term": term.term.strip(), "english_forms": json.dumps(term.english_forms, ensure_ascii=False),
        "kind": term.kind or "concept", "treatment": term.treatment, "notes": term.notes or "",
        "case_sensitive": int(term.case_sensitive),
    }
    renderings = [
        {"locale": locale, "preferred": r.preferred,
         "variants": json.dumps(r.variants, ensure_ascii=False), "forbidden": json.dumps(r.forbidden, ensure_ascii=False),
         "patterns": json.dumps(r.patterns, ensure_ascii=False), "verified": int(r.verified)}
        for locale, r in sorted(term.renderings.items())
    ]
    try:
        return store.save_glossary_term(record, renderings, term_id)
    except StoreError as error:
        if isinstance(error, DatabaseError):
            raise
        raise GlossaryError(str(error)) from None


def default_case_sensitive(treatment: str) -> bool:
    """Names and acronyms kept as they are are matched in their exact case.

    Otherwise the organisation "Migrante" would be found in every Tagalog
    "migrante", and "IMA" in the name "Ima".
    """
    return treatment == KEEP


def add_term(
    store: Store,
    term: str,
    *,
    english_forms: Iterable[str] = (),
    kind: str = "concept",
    treatment: str = "translate",
    renderings: Mapping[str, Rendering] | None = None,
    notes: str = "",
    case_sensitive: bool | None = None,
) -> Term:
    """Add a term; a term that already exists is refused (edit it instead)."""
    new = Term(
        id=0, term=term.strip(), english_forms=[f.strip() for f in english_forms if f.strip()], kind=kind,
        treatment=treatment, renderings=dict(renderings or {}), notes=notes,
        case_sensitive=default_case_sensitive(treatment) if case_sensitive is None else case_sensitive,
    )
    _validate_term(new)
    with store.transaction():
        term_id = _write_term(store, new, None)
    return get_term(store, term_id)


def edit_term(
    store: Store,
    term_id: int | str,
    *,
    term: str | None = None,
    english_forms: Iterable[str] | None = None,
    kind: str | None = None,
    treatment: str | None = None,
    renderings: Mapping[str, Rendering | None] | None = None,
    notes: str | None = None,
    case_sensitive: bool | None = None,
) -> Term:
    """Change the given fields; a rendering mapped to ``None`` is removed, others replace."""
    with store.transaction():
        current = get_term(store, term_id)
        if term is not None:
            current.term = term.strip()
        if english_forms is not None:
            current.english_forms = [f.strip() for f in english_forms if f.strip()]
        if kind is not None:
            current.kind = kind
        if treatment is not None:
            current.treatment = treatment
        if notes is not None:
            current.notes = notes
        if case_sensitive is not None:
            current.case_sensitive = case_sensitive
        for locale, rendering in (renderings or {}).items():
            if rendering is None:
                current.renderings.pop(locale, None)
            else:
                current.renderings[locale] = rendering
        _validate_term(current)
        _write_term(store, current, current.id)
    return get_term(store, current.id)


def changed_renderings(
    current: Mapping[str, Rendering],
    *,
    preferred: Mapping[str, str] | None = None,
    variants: Mapping[str, list[str]] | None = None,
    forbidden: Mapping[str, list[str]] | None = None,
    patterns: Mapping[str, list[str]] | None = None,
    verified: Mapping[str, bool] | None = None,
    drop: Iterable[str] = (),
) -> dict[str, Rendering | None]:
    """Field-by-field changes to renderings, as ``add``/``edit`` options give them.

    Returns only the locales that change, in the form :func:`edit_term` takes
    (``None`` removes a rendering), so a script can set one variant list
    without restating the preferred rendering.
    """
    changes: dict[str, Rendering | None] = {locale: None for locale in drop}
    touched = set(preferred or {}) | set(variants or {}) | set(forbidden or {}) | set(patterns or {}) | set(verified or {})
    for locale in touched:
        old = current.get(locale) or Rendering("")
        changes[locale] = Rendering(
            preferred=(preferred or {}).get(locale, old.preferred),
            variants=list((variants or {}).get(locale, old.variants)),
            forbidden=list((forbidden or {}).get(locale, old.forbidden)),
            patterns=list((patterns or {}).get(locale, old.patterns)),
            verified=(verified or {}).get(locale, old.verified),
        )
    return changes


def remove_term(store: Store, term_id: int | str) -> Term:
    """Delete a term and its renderings; returns what was removed."""
    with store.transaction():
        removed = get_term(store, term_id)
        store.delete_glossary_term(removed.id)
    return removed


def save_terms(store: Store, terms: Iterable[Term], path: Path) -> ImportReport:
    """Merge terms into the store by their English text: new ones added, known ones replaced.

    Renderings for languages the file does not mention are kept, so importing
    a Spanish-only file never erases the French work.
    """
    report = ImportReport(path=path)
    with store.transaction():
        for incoming in terms:
            _validate_term(incoming)
            existing_id = store.glossary_term_id(incoming.term)
            if existing_id is None:
                _write_term(store, incoming, None)
                report.added += 1
                continue
            existing = get_term(store, existing_id)
            incoming.renderings = {**existing.renderings, **incoming.renderings}
            _write_term(store, incoming, existing.id)
            report.updated += 1
    return report

