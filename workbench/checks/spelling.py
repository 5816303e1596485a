"""Spell-check of targets, with the hunspell dictionaries the machine has.

Debian ships hunspell dictionaries for the alliance's languages (``hunspell-es``,
``hunspell-fr``, ``hunspell-id``, ``myspell-tl``). They are looked for at run
time, so a volunteer gets a spell-check for each language whose dictionary is
installed, and a language without one is simply not spell-checked: nothing
fails, and :func:`spelling_note` says what to install.

The dictionaries are read by Debian's hunspell library (``libhunspell-1.7-0``,
the engine LibreOffice and Firefox use) through :mod:`ctypes`: three C calls,
no compiler and no Python package. A dictionary loads in 5-50 ms and a
paragraph is checked in under a millisecond (0.1 ms once its words were seen),
so the editor can check on every move. A pure-Python reader (spylls) took
0.6-1.9 s to load a dictionary and 250 ms to suggest; enchant cannot load a
dictionary from a folder of our choosing. Each dictionary is loaded once, on
first use, and remembers its verdicts and suggestions (see :meth:`Speller.suggest`
for why they are not hunspell's own).

Dictionaries lack most names and many inflected forms (the Tagalog one
especially), so an unknown word is a note to look at, not a warning: it never
flags a machine draft. Words a dictionary cannot judge are not checked: names
and acronyms (capitalised inside a sentence, or capitals past the first
letter), words copied from the source, the glossary's keep terms and
renderings, and anything glued to digits, links, addresses, hashtags or mentions.
"""

from __future__ import annotations

import codecs
import ctypes
import ctypes.util
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import ClassVar
from weakref import WeakKeyDictionary

from workbench.checks.base import INFO, Finding, SegmentCheck, SegmentContext, SourceFacts
from workbench.glossary import Glossary, normalize
from workbench.glossary.inflection import inflections
from workbench.languages import language

FOLDERS_VARIABLE = "WORKBENCH_DICTIONARIES"
"""Folders (separated like PATH) to look for dictionaries in, instead of the usual ones; empty turns spell-check off."""

EXTRA_FOLDERS_VARIABLE = "DICPATH"
"""Hunspell's own variable: folders looked in before the usual ones."""

STANDARD_FOLDERS: tuple[str, ...] = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")
"""Where Debian's packages (and older myspell ones) put their dictionaries."""

PACKAGES: dict[str, str] = {"es": "hunspell-es", "fr": "hunspell-fr", "id": "hunspell-id", "tl": "myspell-tl"}
"""The Debian package that gives each language its dictionary."""

LIBRARY_PACKAGE = "libhunspell-1.7-0"
"""The Debian package of the hunspell library itself."""

_LIBRARY_FILES = ("libhunspell-1.7.so.0", "libhunspell-1.7.so", "libhunspell.so")
_LIBRARY_NAMES = ("hunspell-1.7", "hunspell")
"""Names for :func:`ctypes.util.find_library`, tried when no file above loads (it runs ``ldconfig``, so last)."""

_LONGEST_WORD = 60
"""Hunspell judges words up to 100 bytes; anything longer than this is not a word worth a finding."""


def _base(locale: str) -> str:
    """``fr_CA`` -> ``fr``: every regional dictionary of a language is better than none."""
    return locale.replace("-", "_").split("_")[0].lower()


# -- finding dictionaries ------------------------------------------------------------------------


def dictionary_folders() -> tuple[Path, ...]:
    """The folders searched, in order: read from the environment on each call, so a change applies at once."""
    return _folders(*_variables())


@lru_cache(maxsize=8)
def _folders(chosen: str | None, extra: str) -> tuple[Path, ...]:
    if chosen is not None:
        return tuple(Path(folder).expanduser() for folder in chosen.split(os.pathsep) if folder)
    return (*(Path(folder).expanduser() for folder in extra.split(os.pathsep) if folder),
            *(Path(folder) for folder in STANDARD_FOLDERS))


def _candidates(locale: str, folders: tuple[Path, ...]) -> Iterator[str]:
    """Dictionary names for ``locale``, best first: itself, its language, the language's main region, any region."""
    base = _base(locale)
    yield from dict.fromkeys((locale, base, f"{base}_{base.upper()}"))
    for folder in folders:
        if folder.is_dir():
            yield from sorted(path.stem for path in folder.glob(f"{base}_*.aff"))


def find_dictionary(locale: str, folders: tuple[Path, ...]) -> Path | None:
    """The ``.aff``/``.dic`` pair for ``locale`` (as the path without its suffix), or None.

    ``fr_CA`` finds ``fr_CA``, else ``fr``, ``fr_FR`` or any other French; ``es``
    finds ``es`` or ``es_ES``.
    """
    for name in _candidates(locale, folders):
        for folder in folders:
            stem = folder / name
            if stem.with_suffix(".aff").is_file() and stem.with_suffix(".dic").is_file():
                return stem
    return None


# -- hunspell ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _hunspell() -> ctypes.CDLL | None:
    """Debian's hunspell library with the signatures of the calls used, or None where it is not installed."""
    found = (ctypes.util.find_library(name) for name in _LIBRARY_NAMES)
    for name in chain(_LIBRARY_FILES, found):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        handle, text = ctypes.c_void_p, ctypes.c_char_p
        library.Hunspell_create.argtypes, library.Hunspell_create.restype = [text, text], handle
        library.Hunspell_spell.argtypes, library.Hunspell_spell.restype = [handle, text], ctypes.c_int
        library.Hunspell_get_dic_encoding.argtypes, library.Hunspell_get_dic_encoding.restype = [handle], text
        return library
    return None


def _codec(name: str) -> str:
    """Python's name for a dictionary's ``SET`` encoding (``ISO8859-1``, ``UTF-8``, ``microsoft-cp1251``)."""
    for candidate in (name, name.removeprefix("microsoft-")):
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return "utf-8"


def _letters(aff: Path, encoding: str) -> str:
    """The lower-case letters of the dictionary's ``TRY`` line (most frequent first), or a-z where it has none."""
    with aff.open(encoding=encoding, errors="replace") as lines:
        for line in lines:
            if line.startswith("TRY"):
                return "".join(dict.fromkeys(ch for ch in line[3:].strip() if ch.isalpha() and ch.islower()))
    return "abcdefghijklmnopqrstuvwxyz"


def _bare(letter: str) -> str:
    """The letter without its accent: "é" -> "e"."""
    return unicodedata.normalize("NFD", letter)[0]


class Speller:
    """One hunspell dictionary, loaded once, with every verdict and suggestion remembered.

    A hunspell handle must not be used by two threads at once, and the editor
    checks while a drafting worker reviews its drafts: every call holds the lock.
    """

    most_suggested: ClassVar[int] = 3
    longest_suggested: ClassVar[int] = 24
    """Longer words get no suggestions: the candidates grow with the length, and such words are rarely typos."""

    def __init__(self, library: ctypes.CDLL, stem: Path) -> None:
        self._library = library
        self._handle = library.Hunspell_create(os.fsencode(stem.with_suffix(".aff")), os.fsencode(stem.with_suffix(".dic")))
        self._encoding = _codec((library.Hunspell_get_dic_encoding(self._handle) or b"UTF-8").decode("ascii", "replace"))
        self._letters = _letters(stem.with_suffix(".aff"), self._encoding)
        self._lock = threading.Lock()
        self.known: set[str] = set()
        """Words the dictionary accepted: a target's words minus these (one set operation in C) are those left to look at."""
        self._unknown: set[str] = set()
        self._suggestions: dict[str, tuple[str, ...]] = {}

    def _spell(self, word: str) -> bool:
        """Hunspell's verdict (a word the dictionary's encoding cannot hold counts as known: it cannot be judged)."""
        try:
            encoded = word.encode(self._encoding)
        except UnicodeEncodeError:
            return True
        with self._lock:
            return bool(self._library.Hunspell_spell(self._handle, encoded))

    def knows(self, word: str) -> bool:
        """Whether the dictionary accepts ``word`` (hunspell accepts a capitalised form of a lower-case word)."""
        if word in self.known:
            return True
        if word in self._unknown:
            return False
        known = self._spell(word)
        (self.known if known else self._unknown).add(word)
        return known

    def _edits(self, word: str) -> Iterator[str]:
        """Every word one slip away, those that keep the most of what was typed first.

        Letters swapped; an accent wrong or missing ("detencion"); a letter or
        apostrophe missing; a letter too many; then a wrong letter, the
        dictionary's most frequent letters first.
        """
        positions = range(len(word))
        yield from (word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1])
        yield from (word[:i] + letter + word[i + 1:] for i in positions for letter in self._letters
                    if letter != word[i] and _bare(letter) == _bare(word[i].lower()))
        yield from (word[:i] + letter + word[i:] for i in range(len(word) + 1)
                    for letter in (self._letters + "'" if 0 < i < len(word) else self._letters))
        yield from (word[:i] + word[i + 1:] for i in positions)
        yield from (word[:i] + letter + word[i + 1:] for i in positions for letter in self._letters
                    if _bare(letter) != _bare(word[i].lower()))

    def suggest(self, word: str) -> tuple[str, ...]:
        """Up to three dictionary words one slip away from ``word``, likeliest first.

        Hunspell's own suggestions also try two-slip and sound-alike words, but
        take 20-175 ms a word with the French dictionary; trying each single
        slip with hunspell's spell call takes 1-10 ms, so the editor can show them.
        """
        found = self._suggestions.get(word)
        if found is None:
            candidates: dict[str, None] = {}
            if len(word) <= self.longest_suggested:
                for candidate in self._edits(word):
                    if candidate != word and candidate not in candidates and self._spell(candidate):
                        candidates[candidate] = None
                        if len(candidates) == self.most_suggested:
                            break
            found = self._suggestions[word] = tuple(candidates)
        return found


_SPELLERS: dict[Path, Speller] = {}
_CHOSEN: dict[tuple[str, str | None, str], Speller | None] = {}
"""The speller of each locale under each setting of the two variables: one lookup per target checked."""
_LOADING = threading.Lock()


def _variables() -> tuple[str | None, str]:
    """The two variables as they are now."""
    return os.environ.get(FOLDERS_VARIABLE), os.environ.get(EXTRA_FOLDERS_VARIABLE, "")


_RECENT: list[tuple[SourceFacts | None, tuple[str | None, str]]] = [(None, (None, ""))]
"""The source checked last, and the variables read for it."""


def _variables_for(source: SourceFacts) -> tuple[str | None, str]:
    """The two variables, read once per source: its languages are checked one after another.

    Reading the environment costs more than all the rest of choosing a
    speller; a change applies from the next source checked.
    """
    seen, variables = _RECENT[0]
    if seen is not source:
        variables = _variables()
        _RECENT[0] = (source, variables)
    return variables


def speller_for(locale: str, variables: tuple[str | None, str]) -> Speller | None:
    """The speller for ``locale`` under these values of the two variables, loaded on first use and shared
    (``fr`` and ``fr_CA`` may share one), or None."""
    key = (locale, *variables)
    if key in _CHOSEN:
        return _CHOSEN[key]
    stem = find_dictionary(locale, _folders(*variables))
    library = _hunspell() if stem is not None else None
    speller = None
    if stem is not None and library is not None:
        with _LOADING:
            speller = _SPELLERS.get(stem) or _SPELLERS.setdefault(stem, Speller(library, stem))
    _CHOSEN[key] = speller
    return speller


def spelling_note(locale: str) -> str | None:
    """What to install for ``locale`` to be spell-checked, said once by a report; None when it is."""
    base = _base(locale)
    if find_dictionary(locale, dictionary_folders()) is None:
        package = PACKAGES.get(base)
        return f"no spell-check for {locale}: " + (f"install {package}" if package else "no hunspell dictionary found")
    if _hunspell() is None:
        return f"no spell-check for {locale}: install {LIBRARY_PACKAGE}"
    return None


# -- what is a word worth checking ---------------------------------------------------------------

_WORD = re.compile(r"(?<![\w@#&%{<\\/])[^\W\d_]+(?:['\-][^\W\d_]+)*(?![\w@}>/])")
"""Letters, joined by apostrophes or hyphens ("aujourd'hui", "sewenang-wenang"), in normalized text.

Not part of anything glued to a digit ("2nd", "COVID19"), a hashtag or mention,
a path or a placeholder: the lookarounds refuse a run that does not stand alone.
"""

_OPENERS = frozenset(" \t\u00a0\u202f\"'«»([¡¿*•–—-")
"""What may stand between a sentence's start and its first word."""
_SENTENCE_ENDS = frozenset(".!?…\n")


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins the text or a sentence (where any word is capitalised)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


_TOKENS_KEPT = 200_000
"""Tokens whose words are remembered: far more than a large workspace's vocabulary, and a bound for a long session."""


class _TokenWords(dict[str, tuple[str, ...]]):
    """The words of each token (text between spaces) seen, found once: a text's words are those of its tokens.

    :data:`_WORD` never matches a space and none of its lookarounds refuses one,
    so searching a token alone finds what searching the whole text finds there.
    Natural language repeats its tokens, so most are looked up, not searched.
    """

    def __missing__(self, token: str) -> tuple[str, ...]:
        if len(self) >= _TOKENS_KEPT:
            self.clear()
        words = self[token] = tuple(_WORD.findall(token))
        return words


_TOKEN_WORDS = _TokenWords()


def _words(text: str) -> frozenset[str]:
    """The words of a text, lower-cased, and the parts of its hyphenated words ("anti-kafala": "kafala" too)."""
    words = {word.lower() for word in chain.from_iterable(map(_TOKEN_WORDS.__getitem__, normalize(text).split()))}
    return frozenset(words.union(*(word.split("-") for word in words if "-" in word)))


@lru_cache(maxsize=512)
def _source_tokens(source: str) -> frozenset[str]:
    """A source's tokens as written, shared by its four languages.

    A target's token that the source has holds only words the source has, and
    those are never judged: most of a target's names, numbers and links are skipped this way.
    """
    return frozenset(normalize(source).split())


_source_words = lru_cache(maxsize=512)(_words)
"""A source's words, shared by its four languages; only needed for a word the speller and the glossary do not know."""


def glossary_words(glossary: Glossary, locale: str) -> frozenset[str]:
    """Every word of the glossary's keep terms and of its renderings in ``locale``, inflections included."""
    lang = _base(locale)
    texts: list[str] = []
    for term in glossary.terms:
        record = term.rendering_for(locale)
        written = [*(term.forms if term.is_keep else ()), *(record.accepted() if record else ())]
        texts += written
        if term.inflects:
            texts += [form for text in written for form in inflections(text, lang)]
    return _words("\n".join(texts))  # one text: words never span a line break


@dataclass
class _Lexicon:
    """What the targets of one language are checked against with one glossary: its speller and the glossary's words.

    ``clean`` are the tokens (text between spaces) already seen whose every
    word the speller knows, the glossary has, or is not judged by its shape:
    they hold nothing to report whatever the source, so a target's tokens
    minus these (one set operation in C) are the few whose words are looked at.
    """

    speller: Speller
    glossary: frozenset[str]
    clean: set[str] = field(default_factory=set)


_LEXICONS: WeakKeyDictionary[Glossary, dict[str, _Lexicon]] = WeakKeyDictionary()
"""Per glossary (a changed glossary is a new object) and locale."""
_RECENT_LEXICONS: list[tuple[Glossary | None, dict[str, _Lexicon]]] = [(None, {})]
"""The glossary checked last and its lexicons: a run checks with one glossary, and a weak mapping's lookup costs more."""


def _lexicon(glossary: Glossary, locale: str, speller: Speller) -> _Lexicon:
    seen, per_locale = _RECENT_LEXICONS[0]
    if seen is not glossary:
        per_locale = _LEXICONS.get(glossary) or _LEXICONS.setdefault(glossary, {})
        _RECENT_LEXICONS[0] = (glossary, per_locale)
    lexicon = per_locale.get(locale)
    if lexicon is None or lexicon.speller is not speller or len(lexicon.clean) >= _TOKENS_KEPT:
        lexicon = per_locale[locale] = _Lexicon(speller, glossary_words(glossary, locale))
    return lexicon


def unknown_words(ctx: SegmentContext, speller: Speller) -> list[str]:
    """The target's words the dictionary does not know, each once, as written, in reading order.

    Set operations first (tokens of the source, tokens known to hold nothing
    to report), so the words left to look at one by one are few; where each
    stands (a link, inside a sentence) is looked up only for those.
    """
    text = normalize(ctx.target)
    lexicon = _lexicon(ctx.glossary, ctx.locale, speller)
    known, glossary = speller.known, lexicon.glossary
    candidates = set()  # words neither known nor the glossary's, which only the source may excuse
    for token in set(text.split()) - _source_tokens(ctx.source.text) - lexicon.clean:
        settled = True  # nothing to report in this token, whatever the source
        for word in _TOKEN_WORDS[token]:
            if word in known:
                continue
            rest = word[1:]  # initials, garbage, acronyms and names written like "McDonald" or "d'Amnesty" are left alone
            if not (rest and len(word) <= _LONGEST_WORD and rest == rest.lower()) or word.lower() in glossary:
                continue
            candidates.add(word)
            settled = False
        if settled:
            lexicon.clean.add(token)
    if not candidates:
        return []
    source = _source_words(ctx.source.text)
    suspects = {word for word in candidates if word.lower() not in source and not speller.knows(word) and not (
        "-" in word and all(part in source or part in glossary or speller.knows(part) for part in word.lower().split("-")))}
    if not suspects:
        return []
    spans = ctx.tokens.spans
    unknown: dict[str, str] = {}
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if word not in suspects or word in unknown or (spans and any(begin <= start < end for begin, end in spans)):
            continue
        if word[0].isupper() and not _starts_sentence(text, start):
            continue  # a name
        unknown[word] = ctx.target[start:match.end()]
    return list(unknown.values())


# -- the check -----------------------------------------------------------------------------------


def _quoted(words: list[str] | tuple[str, ...]) -> str:
    """“a”, “b” or “c”."""
    marked = [f"“{word}”" for word in words]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " or " + marked[-1]


class Misspelled(SegmentCheck):
    """A word of the target is not in the language's dictionary: a typo, or a word the dictionary lacks.

    Only where the machine has a hunspell dictionary for the language; a note,
    since dictionaries lack many names and inflected forms. A target with many
    unknown words is reported once: it is probably in another language.
    """

    id, name, severity = "spelling", "Possible misspelling", INFO
    most_listed: ClassVar[int] = 5
    """More unknown words than this make one finding, without suggestions: listing them all would bury the point."""

    def check(self, ctx: SegmentContext) -> list[Finding]:
        speller = speller_for(ctx.locale, _variables_for(ctx.source))
        if speller is None:
            return []
        unknown = unknown_words(ctx, speller)
        if not unknown:
            return []
        name = language(ctx.language).name
        if len(unknown) > self.most_listed:
            first = ", ".join(f"“{word}”" for word in unknown[:3])
            message = f"{len(unknown)} words are not in the {name} dictionary ({first}, …): is the text in {name}?"
            return [ctx.finding(self, message)]
        findings = []
        for word in unknown:
            suggestions = speller.suggest(normalize(word))
            hint = f": did you mean {_quoted(suggestions)}?" if suggestions else ""
            findings.append(ctx.finding(self, f"“{word}” is not in the {name} dictionary{hint}"))
        return findings
