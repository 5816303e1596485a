"""Locales the alliance publishes in, and what each tool needs to know about them.

A workspace stores translations under gettext locale codes (``fr_CA``), while
MT engines and language detectors speak ISO 639-1 (``fr``). This module is the
one place that maps between them, so no other module hard-codes a language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

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

DETECTION_SAMPLE_CHARS = 1000
"""A paragraph's first sentences decide its language as well as the whole, at a fraction of the cost."""
SHORT_TEXT_WORDS = 4
"""Below this many words a detector guesses; such segments take their statement's language."""
CONFIDENT = 0.9
"""A detection below this confidence (a list of names, a heading) defers to the statement's language."""


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Build the detector once per process.

    Low-accuracy mode loads only trigram models, ~15x faster to start; it is
    reliable on paragraphs, and short segments fall back to their statement.
    """
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    from lingua import Language as LinguaLanguage

    wanted = [LinguaLanguage.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in SOURCE_LANGUAGE_CODES]
    return LanguageDetectorBuilder.from_languages(*wanted).with_low_accuracy_mode().build()


def detect_languages(texts: list[str], fallback: str = "en") -> list[str]:
    """ISO codes for each text; short or unclear texts take the batch's majority language.

    Pass one statement's segments at a time so a one-line slogan in a Tagalog
    post is taken as Tagalog, not guessed from three words.
    """
    if not texts:
        return []
    samples = [text[:DETECTION_SAMPLE_CHARS] for text in texts]
    confident: list[str | None] = []
    for text, values in zip(texts, _detector().compute_language_confidence_values_in_parallel(samples), strict=True):
        best = values[0] if values else None
        sure = best is not None and best.value >= CONFIDENT and len(text.split()) >= SHORT_TEXT_WORDS
        confident.append(best.language.iso_code_639_1.name.lower() if sure else None)
    known = [code for code in confident if code]
    majority = Counter(known).most_common(1)[0][0] if known else fallback
    return [code or majority for code in confident]
