"""What a glossary term is, and what may be stored.

A :class:`Term` is an English term with its English forms and one
:class:`Rendering` per target language; :func:`validate_term` refuses what
cannot be stored and tidies what can, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from workbench.glossary.text import pattern_regex

TREATMENTS: tuple[str, ...] = ("translate", "established", "keep")
"""translate: our own rendering; established: an official or customary one exists;
keep: names and acronyms that stay exactly as they are in every language."""
KEEP = "keep"
INFLECTING_KINDS = frozenset({"concept", "role"})
"""Kinds of term whose words inflect in running text; names, acronyms and slogans do not."""

LIST_SEPARATOR = ";"
"""Separates several values in one CSV cell (english forms, variants, ...)."""


class GlossaryError(ValueError):
    """A glossary file or request that cannot be used; the message says what to do."""


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
    version: int = 0
    """The stored version this record was read at (0 for a term not read from the store)."""

    def __hash__(self) -> int:
        # Terms are mutable records compared by value, yet TermMatch (a tuple) must hash.
        return hash((self.id, self.term))

    @property
    def forms(self) -> list[str]:
        """The term and its English variants, each matched in sources."""
        return [self.term, *(form for form in self.english_forms if form and form != self.term)]

    @property
    def is_keep(self) -> bool:
        return self.treatment == KEEP

    @property
    def inflects(self) -> bool:
        """Whether its renderings take their regular plural and feminine forms in running text."""
        return self.kind in INFLECTING_KINDS and not self.is_keep

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


FieldValue = str | bool | list[str]
"""The value of one field of a term: text, a list of texts, or a flag."""


@dataclass
class FieldConflict:
    """One field of a term that an edit and someone else both changed, to different values.

    ``name`` is a :class:`Term` field, or with ``locale`` a :class:`Rendering` field.
    """

    name: str
    locale: str | None
    theirs: FieldValue
    mine: FieldValue

    @property
    def label(self) -> str:
        """How a volunteer calls the field: "notes", "es preferred"."""
        words = FIELD_LABELS.get(self.name, self.name)
        return f"{self.locale} {words}" if self.locale else words


FIELD_LABELS = {"term": "English term", "english_forms": "other English forms", "case_sensitive": "case-sensitive",
                "variants": "also accepted", "patterns": "inflected forms"}
"""Field names as the glossary form labels them, where they differ."""


class TermConflictError(GlossaryError):
    """An edit of a term changed fields that someone else changed too since the edit began.

    ``current`` is the term as it is now; nothing of the edit was written.
    """

    def __init__(self, current: Term, conflicts: list[FieldConflict]) -> None:
        self.current = current
        self.conflicts = conflicts
        super().__init__(
            f"term {current.term!r} was changed by someone else meanwhile (now version {current.version}) "
            f"in {', '.join(c.label for c in conflicts)}: compare the values and save again"
        )


TermKey = tuple[int, str]
"""Identifies a term inside one glossary (id and text: terms built in memory all have id 0)."""


def term_key(term: Term) -> TermKey:
    return (term.id, term.term)


class TermMatch(NamedTuple):
    """A glossary term found in a source text; ``form`` is the glossary form that matched.

    A named tuple rather than a frozen dataclass: every source of a check
    run is searched, and a tuple is made several times faster.
    """

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


def split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


# -- validation ------------------------------------------------------------------------------------


def default_case_sensitive(treatment: str) -> bool:
    """Names and acronyms kept as they are are matched in their exact case.

    Otherwise the organisation "Migrante" would be found in every Tagalog
    "migrante", and "IMA" in the name "Ima".
    """
    return treatment == KEEP


def _unique(texts: Iterable[str], *, besides: str = "") -> list[str]:
    """Stripped, non-empty, each once, in order, without ``besides``."""
    seen: set[str] = {besides}
    result = []
    for text in (t.strip() for t in texts):
        if text and text not in seen:
            seen.add(text)
            result.append(text)
    return result


def _validate_patterns(patterns: Iterable[str], where: str) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern_regex(pattern))
        except re.error as error:
            raise GlossaryError(f"{where}: pattern {pattern!r} is not a valid regular expression ({error}): fix it") from None


def validate_term(term: Term) -> None:
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
