"""Locales the alliance publishes in, and what each tool needs to know about them.

A workspace stores translations under gettext locale codes (``fr_CA``), while
MT engines and language detectors speak ISO 639-1 (``fr``). This module is the
one place that maps between them, so no other module hard-codes a language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lingua import LanguageDetector

DEFAULT_TARGET_LOCALES: tuple[str, ...] = ("es", "fr_CA", "id", "tl")


class UnknownLanguageError(ValueError):
    """Raised for a language code workbench has no data for."""


@dataclass(frozen=True)
class Language:
    """What exporters, MT and the UI need to know about one locale."""

    locale: str
    name: str
    plural_forms: str

    @property
    def code(self) -> str:
        """The ISO 639-1 code MT engines and language detectors use."""
        return self.locale.split("_")[0]


LANGUAGES: dict[str, Language] = {
    lang.locale: lang
    for lang in (
        Language("en", "English", "nplurals=2; plural=(n != 1);"),
        Language("es", "Spanish", "nplurals=2; plural=(n != 1);"),
        Language("fr", "French", "nplurals=2; plural=(n > 1);"),
        Language("fr_CA", "French (Canada)", "nplurals=2; plural=(n > 1);"),
        Language("id", "Indonesian", "nplurals=1; plural=0;"),
        Language("tl", "Tagalog", "nplurals=2; plural=(n != 1 && n != 2 && n != 3 && (n % 10 == 4 || n % 10 == 6 || n % 10 == 9));"),
    )
}


STATEMENTS_LANGUAGE = "en"
"""The language the alliance writes its statements in, and drafts every translation from (through it, for Tagalog)."""

TARGET_LOCALES: tuple[str, ...] = tuple(locale for locale in LANGUAGES if locale != STATEMENTS_LANGUAGE)
"""The locales a workspace can translate into: every language workbench knows but the statements' own."""


def target_locale(locale: str) -> str:
    """``locale`` if a workspace can translate into it; otherwise an :class:`UnknownLanguageError` naming the choices.

    English is known (sources are in it) but is no target: a workspace set to
    translate into it would draft English from English.
    """
    choices = ", ".join(TARGET_LOCALES)
    if locale == STATEMENTS_LANGUAGE:
        raise UnknownLanguageError(f"{locale!r} is the language the statements are written in, not a target: choose from {choices}")
    if locale not in TARGET_LOCALES:
        raise UnknownLanguageError(f"unknown language {locale!r}: choose from {choices}")
    return locale


def language(locale: str) -> Language:
    """Return the language for ``locale``, or explain which codes are known."""
    try:
        return LANGUAGES[locale]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise UnknownLanguageError(
            f"unknown language {locale!r}: use one of {known}"
        ) from None


def base_language(locale: str) -> str:
    """The language a locale is a variant of, as an ISO 639-1 code: ``fr_CA`` -> ``fr``, ``es`` -> ``es``."""
    return language(locale).code


def resolve_locale(code: str, target_locales: list[str] | tuple[str, ...]) -> str:
    """Find the workspace locale a user means by ``code``.

    Volunteers type ``fr`` as often as ``fr_CA``; either resolves to the
    workspace's French locale, so long as that choice is unambiguous.
    """
    normalized = code.strip().replace("-", "_")
    for locale in target_locales:
        if locale.lower() == normalized.lower():
            return locale
    matches = [loc for loc in target_locales if loc.split("_")[0].lower() == normalized.lower()]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(target_locales)
    raise UnknownLanguageError(
        f"unknown target language {code!r}: this workspace translates into {known}"
    )


def parse_lang_option(value: str | None, target_locales: list[str] | tuple[str, ...]) -> list[str]:
    """Turn a ``--lang es,fr`` option into workspace locales (all targets when empty)."""
    if not value:
        return list(target_locales)
    return [resolve_locale(part, target_locales) for part in value.split(",") if part.strip()]


SOURCE_LANGUAGE_CODES: tuple[str, ...] = ("en", "tl")
"""Languages a statement's source can be in: the alliance writes in English and Tagalog.

Limiting detection to these two keeps short English slogans ("No one is illegal.")
from being taken for Spanish or French."""

SOURCE_LANGUAGE_CHOICES: tuple[str, ...] = tuple(dict.fromkeys([*SOURCE_LANGUAGE_CODES, *(lang.code for lang in LANGUAGES.values())]))
"""Languages a volunteer can say a segment's source is in: the detected ones first, then the others workbench knows."""


def source_language(code: str) -> str:
    """The ISO 639-1 code a volunteer means by ``code`` as a source language: ``TL`` -> ``tl``, ``fr_CA`` -> ``fr``."""
    normalized = code.strip().replace("-", "_").lower()
    for locale, lang in LANGUAGES.items():
        if locale.lower() == normalized:
            return lang.code
    raise UnknownLanguageError(f"unknown source language {code!r}: use one of {', '.join(SOURCE_LANGUAGE_CHOICES)}")


DETECTION_SAMPLE_CHARS = 1000
"""A paragraph's first sentences decide its language as well as the whole, at a fraction of the cost."""
SHORT_TEXT_WORDS = 4
"""Below this many words a detector guesses: such a sentence says nothing about its paragraph's language."""
MIN_LEAVING_WORDS = 8
"""A segment shorter than this (a heading, a slogan, a short line) always takes its statement's language."""
NAME_LINE_CAPITALS = 0.6
"""A line with at least this share of capitalised words is a line of names or a headline in title case:
it takes its statement's language ("Migrante International and Kabataan Partylist" reads as Tagalog)."""
STRONG = 0.95
"""The fast detector's confidence a segment needs before it may leave its statement's language."""
CONFIDENT = 0.9
"""The accurate detector's confidence that confirms it; a sentence read this surely as the
statement's language keeps its paragraph there (a bilingual paragraph is not a foreign one)."""


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """The fast detector, built once per process.

    Low-accuracy mode loads only trigram models, ~15x faster to start; it is
    reliable on a statement's paragraphs together and on long paragraphs, and
    over-sure on short English headlines full of Filipino names.
    """
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*_lingua_languages()).with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _accurate_detector() -> LanguageDetector:
    """The accurate detector (all n-gram models), built only when a segment seems to leave its statement."""
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*_lingua_languages()).build()


def _lingua_languages() -> list[Any]:
    from lingua import IsoCode639_1
    from lingua import Language as LinguaLanguage

    return [LinguaLanguage.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in SOURCE_LANGUAGE_CODES]


def _code(lingua_language: Any) -> str:
    return lingua_language.iso_code_639_1.name.lower()


def detect_languages(texts: list[str], *, split_sentences: Callable[[str], list[str]], fallback: str = "en") -> list[str]:
    """ISO codes for the segments of one statement: its language, unless a segment strongly says otherwise.

    Detection decides per statement first: each segment's words vote for the
    language the fast detector reads it in, weighted by its confidence;
    headings in capitals and lines of names, which mislead it, do not vote,
    and ``fallback`` is the language when nothing can be read. A segment then
    leaves its statement's language only on strong evidence, all of it:

    * it is long enough (:data:`MIN_LEAVING_WORDS`) and is neither written in
      capitals nor a line of names (:data:`NAME_LINE_CAPITALS`): all-caps
      headings, lines of names and short lines take the statement's language;
    * the fast detector is sure of the other language (:data:`STRONG`) and the
      accurate one agrees (:data:`CONFIDENT`);
    * its neighbouring sentences agree: none of them reads, confidently, as the
      statement's language, so a bilingual paragraph stays with its statement.
      ``split_sentences`` cuts a segment into its sentences (the MT splitter,
      :func:`workbench.sentences.split_sentences`, which knows the corpus's
      abbreviations).

    A statement in English with one long Tagalog paragraph thus keeps that
    paragraph Tagalog, while a short English heading in a Tagalog post is taken
    as Tagalog (a volunteer corrects it with ``workbench segment lang``) and an
    English headline full of Filipino names stays English.
    """
    if not texts:
        return []
    samples = [text[:DETECTION_SAMPLE_CHARS] for text in texts]
    readings = [values[0] if values else None for values in _detector().compute_language_confidence_values_in_parallel(samples)]
    votes: dict[str, float] = {}
    for text, best in zip(texts, readings, strict=True):
        if best is not None and not _is_caps_or_names(text):
            votes[_code(best.language)] = votes.get(_code(best.language), 0.0) + best.value * len(text.split())
    main = max(votes, key=votes.__getitem__) if any(votes.values()) else fallback
    candidates = [
        (index, _code(best.language))
        for index, (text, best) in enumerate(zip(texts, readings, strict=True))
        if best is not None and best.value >= STRONG and _code(best.language) != main
        and len(text.split()) >= MIN_LEAVING_WORDS and not _is_caps_or_names(text)
    ]
    languages = [main] * len(texts)
    if not candidates:
        return languages
    confirmed = _accurate_detector().compute_language_confidence_values_in_parallel([samples[index] for index, _ in candidates])
    sure = [(index, code) for (index, code), values in zip(candidates, confirmed, strict=True)
            if values and _code(values[0].language) == code and values[0].value >= CONFIDENT]
    for index, code in _sentences_agree(sure, samples, main, split_sentences):
        languages[index] = code
    return languages


def _is_caps_or_names(text: str) -> bool:
    """A heading in capitals, a line of names or a headline in title case, or no letters at all: no evidence of a language."""
    cased = [char for char in text if char.isupper() or char.islower()]
    if not cased or all(char.isupper() for char in cased):
        return True
    lettered = [word for word in text.split() if any(char.isalpha() for char in word)]
    capitalised = sum(1 for word in lettered if next(char for char in word if char.isalpha()).isupper())
    return capitalised >= NAME_LINE_CAPITALS * len(lettered)


def _sentences_agree(candidates: list[tuple[int, str]], samples: list[str], main: str,
                     split_sentences: Callable[[str], list[str]]) -> list[tuple[int, str]]:
    """The candidates none of whose sentences (of :data:`SHORT_TEXT_WORDS` words or more) reads surely as ``main``."""
    sentences = [
        (index, sentence)
        for index, _ in candidates
        for sentence in split_sentences(samples[index])
        if len(sentence.split()) >= SHORT_TEXT_WORDS
    ]
    values = _detector().compute_language_confidence_values_in_parallel([sentence for _, sentence in sentences])
    disagreeing = {index for (index, _), found in zip(sentences, values, strict=True)
                   if found and _code(found[0].language) == main and found[0].value >= CONFIDENT}
    return [(index, code) for index, code in candidates if index not in disagreeing]
