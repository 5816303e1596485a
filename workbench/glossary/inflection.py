"""The surface forms a glossary form or rendering may take in running text, generated from rules.

English sources: plurals, possessives and -ed/-ing forms of the last word
(:func:`english_inflections`). Spanish, French, Indonesian and Tagalog text
(targets, and sources in those languages, see :func:`inflections`): the
regular singular, plural and feminine forms of Spanish and French words; the
reduplicated plural of the Indonesian head noun (*pekerja-pekerja migran*);
Tagalog without the plural marker *mga* and with the linker *-ng*. Every form
is a literal, so the matchers keep searching plain strings; nothing here
becomes a loose regex.

Over-generating is harmless (a form that never occurs never matches) and
cheaper than a lemmatizer the volunteers would have to install. Spanish and
French inflect the words before the first function word or punctuation ("the
head": *trabajadores migrantes*, *violaciones* de derechos humanos), all in the
same number; gender is left free, because a noun's own gender cannot be told
from its ending (*mondialisations néolibérales* and *travailleuses migrantes*
must both pass).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import product

from workbench.glossary.text import normalize

# -- English (sources) ----------------------------------------------------------------------------


def _english_word(word: str) -> set[str]:
    """Plural, singular, possessive and -ed/-ing forms of the last word of an English term."""
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
    return {head + space + variant for variant in _english_word(last)}


# -- Spanish and French: number and gender of the head words ----------------------------------------

Forms = tuple[tuple[str, ...], tuple[str, ...]]
"""A word's singular forms and plural forms."""

MIN_INFLECTED = 3
"""Shorter words (articles, "de", acronyms) are left as they are."""
MAX_HEAD_WORDS = 3

_ES_FUNCTION_WORDS = frozenset({
    "a", "al", "con", "contra", "de", "del", "e", "el", "en", "entre",
    "la", "las", "los", "o", "para", "por", "que", "sin", "sobre", "u", "y",
})
_FR_FUNCTION_WORDS = frozenset({
    "à", "au", "aux", "contre", "d", "de", "des", "du", "en", "et",
    "l", "la", "le", "les", "ou", "par", "pour", "que", "qui", "sans", "sur",
})
_ES_ACCENTED_N = (("ón", "ones"), ("án", "anes"), ("én", "enes"), ("ín", "ines"), ("ún", "unes"))
_UNACCENT = str.maketrans("áéíóú", "aeiou")
_ES_NOUNS_IN_O = ("miento", "ismo")
"""Masculine nouns in -o with no feminine (*desplazamiento*, *imperialismo*): number only."""
_FR_NOUNS = ("tion", "sion", "xion", "ment", "age", "isme", "ance", "ence", "ude")
"""French noun endings with a fixed gender (*mondialisation*, *pillage*): number only."""


def _swap(word: str, cut: int, singular: tuple[str, ...], plural: tuple[str, ...]) -> Forms:
    stem = word[:len(word) - cut]
    return tuple(stem + end for end in singular), tuple(stem + end for end in plural)


def _paradigm(word: str, rules: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]) -> Forms | None:
    """The first rule whose endings (singular ones, then plural ones) end ``word``, applied."""
    low = word.lower()
    for singular, plural in rules:
        for end in sorted((*singular, *plural), key=len, reverse=True):
            if low.endswith(end):
                return _swap(word, len(end), singular, plural)
    return None


_ES_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("or", "ora"), ("ores", "oras")),        # trabajador, trabajadora, trabajadores, trabajadoras
    (("ista",), ("istas",)),                  # imperialista: one form for both genders
    (("és", "esa"), ("eses", "esas")),        # francés, francesa
    (("ión",), ("iones",)),                   # migración, migraciones
    (("z", "ce"), ("ces",)),                  # capaz, capaces (and dulce, dulces)
)


def _spanish_word(word: str) -> Forms:
    low = word.lower()
    # empresa is no feminine of "empresés": -esa words are feminine nouns (below)
    forms = None if low.endswith(("esa", "esas")) else _paradigm(word, _ES_RULES)
    if forms is not None:
        return forms
    for singular, plural in _ES_ACCENTED_N:   # nación -> naciones: the accent goes in the plural
        if low.endswith(singular):
            return _swap(word, len(singular), (singular,), (plural,))
        if low.endswith(plural):
            stem = word[:len(word) - len(plural)]
            return (stem + singular, stem + singular[0].translate(_UNACCENT) + "n"), (word,)
    if low.endswith(_ES_NOUNS_IN_O) or low.endswith(tuple(s + "s" for s in _ES_NOUNS_IN_O)):
        return _swap(word, 1 + low.endswith("s"), ("o",), ("os",))
    if low.endswith(("o", "os")):
        return _swap(word, 1 + low.endswith("s"), ("o", "a"), ("os", "as"))
    if low.endswith(("a", "as")):   # a feminine noun has no masculine: presidenta stays feminine
        return _swap(word, 1 + low.endswith("s"), ("a",), ("as",))
    if low.endswith("es"):   # migrantes -> migrante; neoliberales -> neoliberal; países -> país
        singular = (word[:-1], word[:-2]) if low[-3] in "lrndjys" else (word[:-1],)
        return singular, (word,)
    if low.endswith("e"):
        return (word,), (word + "s",)
    if low[-1] in "lrndjy":
        return (word,), (word + "es",)
    if low.endswith("ís"):
        return (word,), (word[:-2] + "íses",)
    if low[-1] in "íú":
        return (word,), (word + "es", word + "s")
    if low[-1] in "éiu":
        return (word,), (word + "s",)
    return (word,), (word,)

_FR_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("eur", "euse"), ("eurs", "euses")),     # travailleur, travailleuse
    (("if", "ive"), ("ifs", "ives")),         # répressif, répressive
    (("ien", "ienne"), ("iens", "iennes")),   # algérien, algérienne
    (("el", "elle"), ("els", "elles")),       # culturel, culturelle
    (("eau",), ("eaux",)),                    # réseau, réseaux
    (("al", "ale"), ("aux", "ales")),         # international, internationale, internationaux
)


def _french_word(word: str) -> Forms:
    forms = _paradigm(word, _FR_RULES)
    if forms is not None:
        return forms
    low = word.lower()
    if low.endswith(_FR_NOUNS) or low.endswith(tuple(s + "s" for s in _FR_NOUNS)):
        singular = word[:-1] if low.endswith("s") else word
        return (singular,), (singular + "s",)
    # the regular -/-e/-s/-es: migrant, migrante, migrants, migrantes; forcé, forcée, forcés, forcées
    if low.endswith("es"):
        stem = word[:-2]
    elif low.endswith(("e", "s", "x")):
        stem = word[:-1]
    else:
        stem = word
    if not _french_masculine(stem):   # peuple, domestique: the -e belongs to every form
        return (stem + "e",), (stem + "es",)
    plural = stem if stem.lower().endswith(("s", "x", "z")) else stem + "s"
    return (stem, stem + "e"), (plural, stem + "es")


def _french_masculine(stem: str) -> bool:
    """Whether a French word may end as ``stem`` ("peupl", "domestiqu" may not)."""
    low = stem.lower()
    return not (low.endswith(("qu", "gu")) or (len(low) > 1 and low[-1] in "lr" and low[-2] not in "aeiouyéèêëîïôûù"))


def _same_gender(word: str, forms: Forms) -> Forms:
    """Of ``forms``, the singular and plural in the gender ``word`` is written in (all of them if that is unclear)."""
    singular, plural = forms
    if len(singular) == len(plural):
        low = word.lower()
        for one, many in zip(singular, plural, strict=True):
            if low in (one.lower(), many.lower()):
                return (one,), (many,)
    return forms


def _head_inflections(text: str, word_forms: Callable[[str], Forms], function_words: frozenset[str],
                      number_only: bool) -> list[str]:
    """Singular and plural combinations of the head words; the rest of the rendering as it is."""
    words = normalize(text).split()
    head: list[Forms] = []
    for word in words[:MAX_HEAD_WORDS]:
        if word.lower() in function_words or not word.isalpha():
            break
        if len(word) < MIN_INFLECTED or word.isupper():
            head.append(((word,), (word,)))
            continue
        singular, plural = word_forms(word)
        if word not in singular and word not in plural:   # an irregular word stays a form of itself
            singular, plural = (word, *singular), (word, *plural)
        head.append(_same_gender(word, (singular, plural)) if number_only else (singular, plural))
    rest = words[len(head):]
    found = []
    for number in (0, 1):
        for combination in product(*(forms[number] for forms in head)):
            found.append(" ".join((*combination, *rest)))
    return found


# -- Indonesian and Tagalog -----------------------------------------------------------------------


def _indonesian(text: str) -> list[str]:
    """The head noun reduplicated for the plural (*pekerja-pekerja migran*), or not (*orang yang tergusur*)."""
    words = normalize(text).split()
    if not words:
        return []
    first, rest = words[0], words[1:]
    halves = first.split("-")
    if len(halves) == 2 and halves[0] and halves[0].lower() == halves[1].lower():
        return [" ".join((halves[0], *rest))]
    if first.isalpha() and not first.isupper() and len(first) > 1:
        return [" ".join((f"{first}-{first}", *rest))]
    return []


def _tagalog_linked(word: str) -> str | None:
    """The word with the linker a following modifier adds (*pagkakaisang*, *kilusang*), if it takes one."""
    if not word.isalpha() or word.isupper():
        return None
    if word[-1].lower() in "aeiou":
        return word + "ng"
    if word[-1].lower() == "n":
        return word + "g"
    return None


def _tagalog(text: str) -> list[str]:
    """Without the plural marker *mga*, and with the linker on the last word."""
    words = normalize(text).split()
    bare = [words[1:]] if len(words) > 1 and words[0].lower() == "mga" else []
    found = []
    for variant in (words, *bare):
        linked = _tagalog_linked(variant[-1])
        found += [" ".join(variant)] + ([" ".join((*variant[:-1], linked))] if linked else [])
    return found


_RULES: dict[str, Callable[[str, bool], list[str]]] = {
    "es": lambda text, number_only: _head_inflections(text, _spanish_word, _ES_FUNCTION_WORDS, number_only),
    "fr": lambda text, number_only: _head_inflections(text, _french_word, _FR_FUNCTION_WORDS, number_only),
    "id": lambda text, number_only: _indonesian(text),
    "tl": lambda text, number_only: _tagalog(text),
}


def inflections(text: str, lang: str, *, number_only: bool = False) -> list[str]:
    """``text`` (normalized) first, then the regular inflections of it in ``lang`` (``es``, ``fr``, ``id``, ``tl``).

    ``number_only`` keeps each word in the gender it is written in: a forbidden
    "président" forbids "présidents", not the accepted "présidentes". A
    language without rules gives ``text`` alone.
    """
    return list(_inflections(text, lang, number_only))


@lru_cache(maxsize=16384)
def _inflections(text: str, lang: str, number_only: bool) -> tuple[str, ...]:
    """:func:`inflections`, remembered: the target matcher and the spell-check both inflect every rendering."""
    normalized = normalize(text).strip()
    rules = _RULES.get(lang)
    if rules is None or not normalized:
        return (normalized,) if normalized else ()
    return tuple(dict.fromkeys((normalized, *rules(normalized, number_only))))
