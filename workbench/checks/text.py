"""What a source or a target contains, as the checks see it.

Computed once per text: :class:`~workbench.checks.base.SourceFacts` keeps the
source's, shared by its four languages. The patterns themselves are the
workbench's text facts (:mod:`workbench.textfacts`).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import NamedTuple
from itertools import compress, count

from workbench.glossary import fold
from workbench.sentences import sentence_spans
from workbench.textfacts import CLOSERS, DIGIT_RUN, EMAIL, MIN_PHONE_DIGITS, NOT_PHONE, NUMBER, URL, URL_TRAILER

LETTER = re.compile(r"[^\W\d_]")
"""A letter of any script: what makes a phrase words rather than numbers or marks."""

_RUN_TRAILER = " \t(.,-\u00a0\u202f"
_LIST_COMMA = re.compile(r",\s")
_NON_DIGIT = re.compile(r"\D")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
"""A dot before a letter: a domain may follow. Cheaper than the URL pattern itself."""
_FINAL_MARKS = ".!?…:;\"'»”’)"
_LONGEST_LOOP = 4
"""Phrases of up to four words said twice in a row are reported."""
_CLOSERS = CLOSERS + "*# \u00a0\u202f\t\n"
"""What may follow a sentence's end mark: closing quotes and brackets, markdown, spaces."""
_END_MARKS = {".": ".", "!": "!", "?": "?", ":": ":", ";": ";", "…": "…", "。": ".", "！": "!", "？": "?"}


class Tokens(NamedTuple):
    """Things a translation must carry over unchanged: numbers, links, addresses, phones.

    Each kind is a sorted tuple of normalized items, so comparing two texts is
    one tuple comparison; :class:`collections.Counter` is built only to explain
    a difference. A named tuple, made several times faster than a frozen
    dataclass: every source and target gets one.
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
    runs = list(DIGIT_RUN.finditer(text))  # one scan finds where digits are, if any
    if not (may_mail or may_link or runs):
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
    if runs:
        for match in runs:
            run = match.group().rstrip(_RUN_TRAILER)
            start = match.start()
            if spans and not _outside(start, spans):
                continue
            if len(run) < MIN_PHONE_DIGITS and run.isdigit():  # "2015", "12": most runs are one short number
                numbers.append(run.lstrip("0") or "0")
                continue
            bare = run.strip("()")
            if len(bare) < MIN_PHONE_DIGITS and bare.isdigit():  # "(2015)", "3)": one short number in brackets
                numbers.append(bare.lstrip("0") or "0")
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
    return Tokens(tuple(sorted(numbers)), tuple(sorted(urls)) if urls else (), tuple(sorted(emails)) if emails else (),
                  tuple(sorted(phones)) if phones else (), tuple(spans), originals)


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
                if LETTER.search(phrase) and not any(phrase in longer for longer in found):
                    found.append(phrase)
    return found


# -- how a text is set: spaces, brackets, quotes, capitals, sentences ------------------------------

_SPACES = " \u00a0\u202f\u2009"
"""The spaces a line is written with: plain, no-break, narrow no-break (French before "!"), thin."""
_DOUBLE_SPACE = re.compile(rf"(?<=\S)[{_SPACES}]{{2,}}(?=\S)")
"""Two spaces or more between two words or marks; indentation and trailing spaces are layout."""
_BRACKET = re.compile(r"[()\[\]{}]")
_OPENING_BRACKET = {")": "(", "]": "[", "}": "{"}
_QUOTE = re.compile("[\"“”«»‘’]")
_CLOSING_QUOTE = {"”": "“", "»": "«", "’": "‘"}
_FIRST_WORD_CHAR = re.compile(r"[^\W_]")
_FIRST_WORD = re.compile(r"[^\W_][\w'’-]*")
_SENTENCE_END = re.compile(rf"[.!?…。！？][{re.escape(CLOSERS)}]*\s")
"""A sentence mark with whitespace after it: every sentence boundary the splitter finds has one."""
_SPACE_BEFORE_GUILLEMET = re.compile(r"(?<=[.!?…])\s+(?=»)")
"""French sets a (no-break) space between a sentence's mark and its closing guillemet: « Non ! »."""


def double_spaces(text: str) -> list[int]:
    """Where ``text`` has two spaces or more in a row between words (their start offsets)."""
    if "  " not in text and (text.isascii() or ("\u00a0" not in text and "\u202f" not in text and "\u2009" not in text)):
        return []  # the common case, tested at C speed before any regex runs ("isascii" only reads a flag)
    return [match.start() for match in _DOUBLE_SPACE.finditer(text)]


def unbalanced_brackets(text: str) -> str:
    """The brackets of ``text`` that are never closed, or close nothing, in sorted order ("((]"); "" if they pair up.

    A bracket closed by the wrong kind ("(…]") counts as both.
    """
    squares_or_curls = "[" in text or "]" in text or "{" in text or "}" in text
    if not (squares_or_curls or "(" in text or ")" in text):
        return ""
    if not squares_or_curls and text.count("(") == 1 == text.count(")") and text.find("(") < text.find(")"):
        return ""  # one aside in round brackets, the usual case, told at C speed
    open_: list[str] = []
    stray: list[str] = []
    for mark in _BRACKET.findall(text):
        if mark in "([{":
            open_.append(mark)
        elif open_ and open_[-1] == _OPENING_BRACKET[mark]:
            open_.pop()
        else:
            stray.append(mark)
    return "".join(sorted(open_ + stray))


@dataclass(frozen=True)
class Quotes:
    """How the quotation marks of a text pair up."""

    unclosed: tuple[str, ...] = ()
    """Opening quotes never closed: “ « ‘ or a straight "."""
    stray: tuple[str, ...] = ()
    """Closing quotes that close nothing: ” »."""
    mismatched: tuple[tuple[str, str], ...] = ()
    """(opening, closing) pairs of different kinds: “…»."""


BALANCED_QUOTES = Quotes()


def quotes(text: str) -> Quotes:
    """Pair the quotation marks of ``text``: “ ” « » ‘ ’ and straight double quotes.

    A ’ that closes no ‘ is an apostrophe (“it’s”, “l’homme”), and straight
    single quotes are left alone for the same reason; a straight " closes the
    straight " before it, or opens.
    """
    if '"' not in text and (text.isascii() or not ("“" in text or "”" in text or "«" in text or "»" in text or "‘" in text)):
        return BALANCED_QUOTES  # no quotation marks: the common case, tested at C speed
    marks = _QUOTE.findall(text)
    open_: list[str] = []
    unclosed: list[str] = []
    stray: list[str] = []
    mismatched: list[tuple[str, str]] = []
    for mark in marks:
        opener = '"' if mark == '"' else _CLOSING_QUOTE.get(mark)
        if opener is not None and opener in open_:
            while open_[-1] != opener:  # quotes opened inside this one and never closed
                unclosed.append(open_.pop())
            open_.pop()
        elif opener is None or mark == '"':
            open_.append(mark)
        elif mark == "’":
            continue  # an apostrophe
        elif open_:
            mismatched.append((open_.pop(), mark))
        else:
            stray.append(mark)
    unclosed += open_
    if not (unclosed or stray or mismatched):
        return BALANCED_QUOTES
    return Quotes(tuple(unclosed), tuple(stray), tuple(mismatched))


def start_case(text: str, skip: tuple[tuple[int, int], ...] = ()) -> str:
    """"upper" or "lower": the case of the first letter of ``text``; "" when it starts with a digit or a caseless letter.

    Opening quotes, brackets, "¿" and list marks are looked through; a text
    starting with a link or address (``skip``: their spans) has no case to compare.
    """
    first = _FIRST_WORD_CHAR.search(text)
    if first is None:
        return ""
    char, where = first.group(), first.start()
    if any(start <= where < end for start, end in skip):
        return ""
    return "upper" if char.isupper() else "lower" if char.islower() else ""


def first_word(text: str) -> str:
    """The first word of ``text`` as written, without the marks around it, for messages."""
    first = _FIRST_WORD.search(text)
    return first.group() if first else ""


def sentence_marks(text: str) -> int:
    """An upper bound of the sentences in ``text``, at C speed: sentence marks followed by a space, plus lines."""
    return len(_SENTENCE_END.findall(text)) + text.count("\n") + 1


def sentence_marks_at_least(text: str, wanted: int) -> bool:
    """Whether :func:`sentence_marks` of ``text`` is at least ``wanted``.

    Each ". ", "? " and "! " is a mark followed by a space, so counting them
    (in C, faster than the pattern's scan) gives a lower bound that nearly
    always settles it.
    """
    return (text.count(". ") + text.count("? ") + text.count("! ") + text.count("\n") + 1 >= wanted
            or sentence_marks(text) >= wanted)


def sentence_count(text: str) -> int:
    """How many sentences :func:`workbench.sentences.sentence_spans` finds in ``text``.

    The space French puts between a sentence's mark and its closing
    guillemet (« Non ! ») is dropped first, so the guillemet is seen as
    closing the sentence, as in the other languages.
    """
    return len(sentence_spans(_SPACE_BEFORE_GUILLEMET.sub("", text) if "»" in text else text))
