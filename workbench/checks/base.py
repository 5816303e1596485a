"""What every check shares: findings, severities, groups, what a check sees, and the base classes.

A check is a small class with a stable ``id``, a ``name`` for people, a
``severity``, a docstring that describes it, and one method whose scope says
what it needs to see:

* :class:`SegmentCheck` sees one source and one target (the TUI side panel
  runs these on every keystroke);
* :class:`CorpusCheck` sees every translation at once;
* :class:`GlossaryCheck` sees the glossary alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar, overload

from workbench.checks.text import (
    LETTER,
    Quotes,
    Tokens,
    double_spaces,
    end_mark,
    extract_tokens,
    quotes,
    repeated_words,
    sentence_count,
    sentence_marks,
    start_case,
    unbalanced_brackets,
)
from workbench.glossary import Glossary, TargetReview, Term, TermMatch, normalize, term_key
from workbench.languages import base_language

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


class Finding(NamedTuple):
    """One problem: where it is, how bad, and what to do about it.

    A named tuple rather than a frozen dataclass: a large workspace has a
    hundred thousand findings, and a tuple is made several times faster.
    """

    severity: str
    check_id: str
    segment_id: str | None
    lang: str
    message: str
    group: str

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "check": self.check_id, "segment_id": self.segment_id,
                "lang": self.lang, "message": self.message, "group": self.group}


# -- what a segment check sees ------------------------------------------------------------------

T = TypeVar("T")


class computed_once(Generic[T]):  # noqa: N801 - a decorator, named like functools.cached_property
    """:func:`functools.cached_property` without its lock.

    Python 3.11's takes a lock on every first read; a check run over a large
    workspace makes half a million first reads, each in one thread. The value
    is stored in the instance's ``__dict__``, which later reads find first.
    """

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | computed_once[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass
class SourceFacts:
    """What checks need to know about one source, computed once for all its languages.

    ``lang`` is the source's language: a Tagalog source's glossary terms are
    found through their Tagalog forms, an English one's through their English forms.
    """

    text: str
    glossary: Glossary
    lang: str = "en"

    @computed_once
    def matches(self) -> list[TermMatch]:
        return self.glossary.find_in_source(self.text, self.lang)

    @computed_once
    def terms(self) -> list[tuple[Term, TermMatch]]:
        """Each matched term once, with its first occurrence."""
        seen: dict[tuple[int, str], tuple[Term, TermMatch]] = {}
        for match in self.matches:
            seen.setdefault((match.term.id, match.term.term), (match.term, match))
        return list(seen.values())

    @computed_once
    def term_list(self) -> list[Term]:
        """The matched terms alone, as each of the source's languages reviews them."""
        return [term for term, _ in self.terms]

    @computed_once
    def tokens(self) -> Tokens:
        return extract_tokens(self.text)

    @computed_once
    def end(self) -> str:
        return end_mark(self.text)

    @computed_once
    def repeats(self) -> set[str]:
        return set(repeated_words(self.text))

    @computed_once
    def spaced(self) -> str:
        """The words (normalized) with one space between them: one string, to compare a target's words with."""
        return " ".join(normalize(self.text).split())

    @computed_once
    def double_spaces(self) -> int:
        return len(double_spaces(self.text))

    @computed_once
    def brackets(self) -> str:
        """The source's own unbalanced brackets ("1)" opening a list item), which a target may copy."""
        return unbalanced_brackets(self.text)

    @computed_once
    def quotes(self) -> Quotes:
        """The source's own unpaired quotes: a quotation running over several paragraphs opens in one and closes later."""
        return quotes(self.text)

    @computed_once
    def start(self) -> str:
        return start_case(self.text, self.tokens.spans)

    @computed_once
    def sentence_marks(self) -> int:
        return sentence_marks(self.text)

    @computed_once
    def sentences(self) -> int:
        return sentence_count(self.text)

    @computed_once
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
        return bool(LETTER.search("".join(chars)))


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

    @computed_once
    def group(self) -> str:
        if not self.target.strip():
            return GROUP_UNTRANSLATED
        return GROUP_MACHINE if self.status == "machine" else GROUP_TRANSLATIONS

    @computed_once
    def language(self) -> str:
        """The target's base language (``fr`` for ``fr_CA``), for rules that hold for every variant."""
        return base_language(self.locale)

    @computed_once
    def tokens(self) -> Tokens:
        return extract_tokens(self.target)

    @computed_once
    def review(self) -> TargetReview:
        """How the target uses the glossary terms of its source (computed once per target)."""
        if not self.source.terms:
            return NO_TERMS_REVIEWED
        return self.glossary.review_target(self.target, self.source.term_list, self.locale)

    @computed_once
    def missing_terms(self) -> set[tuple[int, str]] | frozenset[tuple[int, str]]:
        """Keys of the source's terms whose rendering the target does not use."""
        missing = self.review.missing
        return {term_key(term) for term in missing} if missing else NO_TERM_KEYS

    @property
    def same_language(self) -> bool:
        """A Tagalog post "translated" into Tagalog may rightly stay unchanged."""
        return self.source_lang == self.language

    def finding(self, check: Check, message: str, severity: str | None = None) -> Finding:
        return Finding(severity or check.severity, check.id, self.segment_id, self.locale, message, self.group)


NO_TERMS_REVIEWED = TargetReview([], [])
"""The review of a target whose source has no glossary terms: nothing to look for (never changed)."""
NO_TERM_KEYS: frozenset[tuple[int, str]] = frozenset()
"""The missing terms of a target that misses none (most of them)."""


# -- the kinds of check ---------------------------------------------------------------------------


class Check:
    """Common metadata: ``id`` is stable (JSON, scripts, caches); ``name`` is for people.

    Each check's docstring is its description: what it finds and why it matters.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]


class SegmentCheck(Check):
    """A check of one target against its source.

    Most run only on targets that have text; one whose ``needs_text`` is false
    runs only on those that have none. ``check`` returns a list (usually empty)
    rather than yielding: it runs for every segment in every language, and a
    generator per call costs more than the check itself.
    """

    needs_text: ClassVar[bool] = True

    def applies(self, source: SourceFacts) -> bool:
        """Whether a target of ``source`` can give this check anything to find (most sources have no link to alter).

        Asked once per source; a check that does not apply is not run for any of its languages.
        """
        return True

    def check(self, ctx: SegmentContext) -> list[Finding]:
        raise NotImplementedError


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


class GlossaryCheck(Check):
    """A check of the glossary itself."""

    def check_glossary(self, glossary: Glossary, locales: list[str]) -> Iterable[Finding]:
        raise NotImplementedError
