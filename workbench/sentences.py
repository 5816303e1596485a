"""Split paragraphs into sentences for MT, offline and aware of the corpus's abbreviations.

Argos's default splitter downloads an ONNX model (MiniSBD) on first use and so
fails offline. MT models translate sentence by sentence, and translating a
whole 165-word paragraph as one input degrades badly, so workbench splits by
rule instead. The rules are tuned for the alliance's statements: titles and
names such as "Sec. Gen", "Sto. Tomas", "P.D. 442", "Tel. No.: 123" and
"vs. TPPA" must not end a sentence; "!" and "?" end one only when followed by
a new start.

The splitter returns character spans, so a caller can put the translated
sentences back with the exact whitespace (spaces, line breaks) of the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.textfacts import ABBREVIATIONS, CLOSERS, SENTENCE_MARKS

_LOWERCASE_ABBREVIATIONS = frozenset(a.lower() for a in ABBREVIATIONS if a.islower())
"""Abbreviations written in lower case match in any case ("VS.", "Etc."); the others only as written."""

_CANDIDATE = re.compile(
    rf"""(?P<mark>[{re.escape(SENTENCE_MARKS)}]+)  # one or more sentence-final marks
        (?P<closers>[{re.escape(CLOSERS)}]*)  # closing quotes or brackets that belong to the sentence
        (?P<space>\s+)             # whitespace before the next sentence
        (?=(?P<next>["'“‘«(\[¡¿]*[\w]))  # the next sentence starts with a word (after openers)
    """,
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\[\"'“‘]))(?P<word>[\w.'’-]+)$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]$")  # "U.S", "P.D", a lone initial "J"
_ENUMERATOR = re.compile(r"\d{1,2}|[a-z]|[ivx]{1,4}")  # "1." "b." "iv." starting a list item


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Decide whether a candidate boundary really ends a sentence."""
    next_starts_lower = match.group("next")[-1].islower()
    if match.group("mark") != "." or match.group("closers"):
        return not next_starts_lower  # "!", "?", "…" and '."' end a sentence unless it goes on in lower case
    word_match = _WORD_BEFORE.search(text, 0, match.start("mark"))
    bare = word_match.group("word").rstrip(".") if word_match else ""
    if bare in ABBREVIATIONS or bare.lower() in _LOWERCASE_ABBREVIATIONS:
        return False  # "Sec. Gen", "Sto. Tomas", "Tel. No. 123"
    if _INITIALS.fullmatch(bare):
        return False  # "U.S." "P.D." "J.": an initial; a rare true end here costs little
    if word_match and _ENUMERATOR.fullmatch(bare):
        before = text[: word_match.start()].rstrip()
        if not before or before[-1] in ".:;!?":
            return False  # "1." opening an inline list item; "in 2015." still ends its sentence
        if bare.isdigit() and int(bare) > 1 and re.search(rf"(?:^|[.:;]\s+){int(bare) - 1}\.\s", before):
            return False  # "...; and 4. Build" after "3. Step up": the last item of an inline list
    return not next_starts_lower  # "vs. the", "approx. ten": lower case rarely starts a sentence


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, without surrounding whitespace.

    Line breaks always end a sentence: in the corpus they separate list items,
    contact lines and soft-wrapped subtitles that should not run together.
    """
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _line_spans(text):
        start = line_start
        for match in _CANDIDATE.finditer(text, line_start, line_end):
            if match.end("space") >= line_end or not _is_boundary(text, match):
                continue
            spans.append((start, match.start("space")))
            start = match.end("space")
        spans.append((start, line_end))
    return [span for span in spans if span[1] > span[0]]


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``, stripped of surrounding whitespace."""
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            offset = match.start() + (len(line) - len(line.lstrip()))
            yield offset, offset + len(stripped)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order."""
    return [text[start:end] for start, end in sentence_spans(text)]
