"""What must survive machine translation verbatim: masked before, put back after, never lost.

A small MT model rewrites what it does not know: it drops a link, turns
"7,000" into "7", or "BAYAN" into a word of its own. Before translation,
:func:`mask` swaps every such span for a placeholder the model copies as an
unknown word (``ZXQA``, ``ZXQB``, ...):

* links (with or without a scheme), e-mail addresses, phone numbers;
* hashtags, @handles and emoji;
* numbers and dates;
* acronyms (two capitals or more, as "BAYAN" or "ICE");
* the glossary's keep terms and names, given as spans by the caller.

After translation, :meth:`Masked.restore` puts each span back, writing numbers
and dates the target locale's way ("7,000" is "7.000" in es and id, "7 000"
with a no-break space in fr_CA; "18 December 2015" is "18 de diciembre de
2015" in es). When the model dropped a placeholder, the span goes back at
the end of its sentence; when it repeated one, the copy is removed. Either
way the draft carries a flag that says what was restored, and no protected
span is ever missing from a stored draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.glossary import Glossary
from workbench.languages import base_language
from workbench.sentences import sentence_spans
from workbench.textfacts import EMAIL, PHONE, URL, URL_TRAILER

PLACEHOLDER = re.compile(r"(?<![\w])ZXQ([A-Z]{1,3})(?![\w])", re.IGNORECASE)
"""A placeholder as a model may give it back (models sometimes change its case)."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "tl": ("Enero", "Pebrero", "Marso", "Abril", "Mayo", "Hunyo", "Hulyo", "Agosto", "Setyembre", "Oktubre",
           "Nobyembre", "Disyembre"),
}
_MONTH = "|".join(MONTHS)
_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}}(?:\s*[-\u2013]\s*\d{{1,2}})?)\s+(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})\b"
    rf"|\b(?P<month2>{_MONTH})\s+(?P<day2>\d{{1,2}}(?:\s*[-\u2013]\s*\d{{1,2}})?),?\s+(?P<year2>\d{{4}})\b"
)
""""18 December 2015", "November 12-13, 2015", "April 6, 2018"."""
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]|\.\d)|(?<![\w.,])\d+\.\d+(?![\w.,]|,\d)|(?<![\w.,/:-])\d+(?![\w.,/:-])")
"""English numbers: "7,000", "3.5", "2015"; digits inside codes ("P.D. 442" keeps its own) are numbers too."""
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+")
_ACRONYM = re.compile(r"(?<![\w'’])[A-Z][A-Z0-9&]*[A-Z0-9](?:s|'s|’s)?(?![\w'’])")
"""Two capitals or more: "BAYAN", "ICE", "OFWs"; one capital word ("I", "A") is not an acronym."""

KINDS = ("url", "email", "phone", "date", "number", "hashtag", "handle", "emoji", "acronym", "keep")


@dataclass(frozen=True)
class Span:
    """One protected piece of the source: where it is and what kind of thing it is."""

    start: int
    end: int
    text: str
    kind: str


def find_spans(text: str, keep: Iterable[tuple[int, int]] = ()) -> list[Span]:
    """Every protected span of ``text``, in order and never overlapping (the longest claim wins).

    ``keep`` are the offsets of glossary keep terms and names, found by the caller.
    """
    found: list[Span] = [Span(start, end, text[start:end], "keep") for start, end in keep]
    for match in URL.finditer(text):
        link = match.group().rstrip(URL_TRAILER)
        found.append(Span(match.start(), match.start() + len(link), link, "url"))
    found += [Span(m.start(), m.end(), m.group(), "email") for m in EMAIL.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "phone") for m in PHONE.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "date") for m in _DATE.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "number") for m in _NUMBER.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "hashtag") for m in _HASHTAG.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "handle") for m in _HANDLE.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "emoji") for m in _EMOJI.finditer(text)]
    found += [Span(m.start(), m.end(), m.group(), "acronym") for m in _ACRONYM.finditer(text)]
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(found, key=lambda s: (-(s.end - s.start), KINDS.index(s.kind), s.start)):
        if span.end > span.start and all(span.end <= a or span.start >= b for a, b in taken):
            chosen.append(span)
            taken.append((span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def placeholder(index: int) -> str:
    """The ``index``-th placeholder: ZXQA ... ZXQZ, ZXQBA ..., a word no model knows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"ZXQ{letters}"


def placeholder_index(letters: str) -> int:
    """Which placeholder the letters after ``ZXQ`` name (``A`` is 0): the inverse of :func:`placeholder`."""
    value = 0
    for letter in letters.upper():
        value = value * 26 + ord(letter) - ord("A") + 1
    return value - 1


def localized(span: Span, locale: str) -> str:
    """The span written the target locale's way (numbers and dates); anything else as it is."""
    lang = base_language(locale)
    if span.kind == "number":
        return _localized_number(span.text, lang)
    if span.kind == "date" and lang in _MONTH_NAMES:
        return _localized_date(span.text, lang)
    return span.text


def _localized_number(number: str, lang: str) -> str:
    if lang in ("es", "id"):
        return number.translate(str.maketrans(",.", ".,"))
    if lang == "fr":
        return number.replace(",", "\u00a0").replace(".", ",")
    return number


def _localized_date(date: str, lang: str) -> str:
    match = _DATE.fullmatch(date)
    if match is None:
        return date
    day = match.group("day") or match.group("day2")
    month = _MONTH_NAMES[lang][MONTHS.index(match.group("month") or match.group("month2"))]
    year = match.group("year") or match.group("year2")
    day = re.sub(r"\s*[-\u2013]\s*", "-", day)
    if lang == "es":
        return f"{day} de {month} de {year}"
    if lang == "tl":
        return f"{month} {day}, {year}"
    return f"{day} {month} {year}"


@dataclass(frozen=True)
class Masked:
    """A source with its protected spans swapped for placeholders, and how to put them back.

    A part of a masked text (one sentence, :meth:`part`) keeps every span, so
    its placeholders still name them, but only the spans it holds count as
    missing when a translation lacks them.
    """

    text: str
    spans: tuple[Span, ...]
    only: frozenset[int] | None = None
    """The spans this text holds, when it is a part of a longer masked text (None: all of them)."""

    def part(self, fragment: str) -> Masked:
        """A piece of this masked text (a sentence), restored on its own: only its own spans can be missing."""
        return Masked(fragment, self.spans, frozenset(placeholder_index(m.group(1)) for m in PLACEHOLDER.finditer(fragment)))

    def restore(self, translated: str, locale: str) -> tuple[str, list[str]]:
        """The translation with every span back in the locale's form, and a flag for each repair.

        A placeholder the model dropped goes back at the end of the sentence
        it stood in (by sentence position; at the end of the text when the
        sentence count changed); a repeated one keeps its first place only.
        """
        flags: list[str] = []
        seen: set[int] = set()

        def put_back(match: re.Match[str]) -> str:
            index = placeholder_index(match.group(1))
            if index >= len(self.spans):
                return match.group()  # not ours: the source itself had such a word
            if index in seen:
                flags.append(f"removed a repeated {localized(self.spans[index], locale)}")
                return ""
            seen.add(index)
            return localized(self.spans[index], locale)

        text = PLACEHOLDER.sub(put_back, translated)
        missing = [index for index in range(len(self.spans)) if index not in seen and (self.only is None or index in self.only)]
        if missing:
            text = self._insert_missing(text, missing, locale)
            flags += [f"restored {localized(self.spans[index], locale)}" for index in missing]
        return re.sub(r"[ \t]{2,}", " ", text), flags

    def original(self, fragment: str) -> str:
        """A piece of the masked text (a sentence) with its placeholders swapped back for the source's own spans."""

        def put_back(match: re.Match[str]) -> str:
            index = placeholder_index(match.group(1))
            return self.spans[index].text if index < len(self.spans) else match.group()

        return PLACEHOLDER.sub(put_back, fragment)

    def _insert_missing(self, text: str, missing: Sequence[int], locale: str) -> str:
        source_sentences = sentence_spans(self.text)
        target_sentences = sentence_spans(text)
        by_end: dict[int, list[str]] = {}
        for index in missing:
            where = self.text.find(placeholder(index))
            sentence = next((n for n, (a, b) in enumerate(source_sentences) if a <= where < b), len(source_sentences) - 1)
            end = target_sentences[sentence][1] if len(target_sentences) == len(source_sentences) and target_sentences else len(text)
            by_end.setdefault(end, []).append(localized(self.spans[index], locale))
        for end in sorted(by_end, reverse=True):
            body = text[:end].rstrip()
            mark = len(body) - len(body.rstrip(".!?…"))
            head, tail = body[:len(body) - mark], body[len(body) - mark:]
            text = f"{head} {' '.join(by_end[end])}{tail}" + text[end:]
        return text.strip()


def keep_spans(glossary: Glossary, source: str, lang: str = "en") -> list[tuple[int, int]]:
    """Where the glossary's keep terms and names stand in ``source``, a text in ``lang``.

    A Tagalog source's keep terms are found through their Tagalog forms, so
    they are masked before the first leg of a tl->en->es pivot and stay masked
    through the second.
    """
    return [(match.start, match.end) for match in glossary.find_in_source(source, lang) if match.term.is_keep]


def mask(text: str, keep: Iterable[tuple[int, int]] = ()) -> Masked:
    """``text`` with every protected span (see :func:`find_spans`) swapped for a placeholder."""
    spans = tuple(find_spans(text, keep))
    pieces: list[str] = []
    cursor = 0
    for index, span in enumerate(spans):
        pieces += [text[cursor:span.start], placeholder(index)]
        cursor = span.end
    pieces.append(text[cursor:])
    return Masked("".join(pieces), spans)
