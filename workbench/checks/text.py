"""What a source or a target contains, as the checks see it.

Computed once per text: :class:`~workbench.checks.base.SourceFacts` keeps the
source's, shared by its four languages. The patterns themselves are the
workbench's text facts (:mod:`workbench.textfacts`).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from itertools import compress, count

from workbench.glossary import fold
from workbench.textfacts import CLOSERS, DIGIT_RUN, EMAIL, MIN_PHONE_DIGITS, NOT_PHONE, NUMBER, URL, URL_TRAILER

LETTER = re.compile(r"[^\W\d_]")
"""A letter of any script: what makes a phrase words rather than numbers or marks."""

_RUN_TRAILER = " \t(.,-\u00a0\u202f"
_LIST_COMMA = re.compile(r",\s")
_DIGIT = re.compile(r"[0-9]")
"""ASCII digits: what the alliance's languages write, and twice as fast to scan for as ``\\d``."""
_NON_DIGIT = re.compile(r"\D")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
"""A dot before a letter: a domain may follow. Cheaper than the URL pattern itself."""
_FINAL_MARKS = ".!?…:;\"'»”’)"
_LONGEST_LOOP = 4
"""Phrases of up to four words said twice in a row are reported."""
_CLOSERS = CLOSERS + "*# \u00a0\u202f\t\n"
"""What may follow a sentence's end mark: closing quotes and brackets, markdown, spaces."""
_END_MARKS = {".": ".", "!": "!", "?": "?", ":": ":", ";": ";", "…": "…", "。": ".", "！": "!", "？": "?"}


@dataclass(frozen=True)
class Tokens:
    """Things a translation must carry over unchanged: numbers, links, addresses, phones.

    Each kind is a sorted tuple of normalized items, so comparing two texts is
    one tuple comparison; :class:`collections.Counter` is built only to explain
    a difference.
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
    may_number = _DIGIT.search(text) is not None
    if not (may_mail or may_link or may_number):
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
    if may_number:
        for match in DIGIT_RUN.finditer(text):
            run = match.group().rstrip(_RUN_TRAILER)
            start = match.start()
            if not run or not _DIGIT.search(run) or (spans and not _outside(start, spans)):
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
    return Tokens(tuple(sorted(numbers)), tuple(sorted(urls)), tuple(sorted(emails)), tuple(sorted(phones)),
                  tuple(spans), originals)


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
