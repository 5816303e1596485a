"""Statements and typed units from the decoded text of one statement file.

Two kinds of input reach the workbench (``corpus-notes.md`` describes both):

* listing pages scraped from the alliance's website: several statements one
  after the other, with nothing but blank lines between them (and the number of
  blank lines means nothing);
* social-media page dumps: a page header, posts that each follow one or more
  ``DD/MM/YYYY`` date lines, and a page footer.

Nothing in the text marks a statement or a segment, so the module guesses, in
three small passes that are each linear in the input:

1. **Lines.** Every non-blank line is typed by a named classifier
   (:func:`is_date_line`, :func:`is_signoff`, :func:`is_contact_line` ...).
   Markers glued to the end of a line ("... acts. Continue reading",
   "... justice. ###") are peeled off first, so the paragraph loses the marker
   and nothing else.
2. **Pieces.** Lines of one blank-line-separated block are grouped: soft-wrapped
   text lines are joined with one space; contact blocks (with the "For
   reference:" or "Contact:" line that opens them), datelines (place and date)
   and sign-off blocks become one metadata piece each.
3. **Statements.** A boundary pass cuts the pieces into statements, then each
   text piece gets its kind from its place in its statement: the title first,
   subtitles (leads) before the first body paragraph, headings between body
   paragraphs, slogans after the last one. In a page dump, "see more" previews
   and a post body repeated right after itself become metadata, and a post
   that opens with body text has no title segment.

Guarantees the rest of the workbench relies on:

* nothing is lost: every piece of text ends up in a segment (sent to machine
  translation) or in a metadata unit (never sent), so every word of the input is
  in the result;
* unit text is the source as written -- curly quotes, non-breaking spaces and
  missing spaces ("concludethat") stay; a translator must see the source as it is;
* nothing is invented: every segment is text of the source, typed by where it
  stands. A listing statement always opens with a title segment (its first
  sentence, when a file starts with body text); a post has a title segment only
  when it opens with a title line, and otherwise its ``title`` field is cut from
  its first sentence while that paragraph stays whole;
* any ``str`` parses without error, in linear time.

Line numbers are 1-based and count universal newlines (``\\r\\n``, ``\\r`` or
``\\n``), as Python's text-mode ``open`` and ``cat -n`` on Unix files do.

The module is pure: no I/O, no database, no language detection.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from workbench.textfacts import ABBREVIATIONS, CLOSERS, EMAIL, PHONE, SENTENCE_MARKS, WRITTEN_LINK

__all__ = ["METADATA_KINDS", "TRANSLATABLE_KINDS", "ParsedStatement", "Unit", "parse_text"]

TRANSLATABLE_KINDS = ("title", "subtitle", "heading", "paragraph", "list-item", "slogan")
"""Kinds of the units sent to translation.

title: a statement's title line, its first segment when it has one (a post
that opens with body text has none). subtitle: a lead or
subtitle between the title and the first body paragraph. heading: a subheading
between body paragraphs. paragraph: body text. list-item: a line of a bulleted
or numbered list. slogan: a short closing cry after the last body paragraph.
"""

METADATA_KINDS = (
    "date",  # a date line, possibly labelled: "18 December 2015", "27 October 2018 Statement", "18/12/2019"
    "dateline",  # a place and a date on adjacent lines: "Quezon City, Philippines" / "November 12-13, 2015"
    "signoff",  # who signs: "Eni Lestari, chairperson", or a name followed by an affiliation line
    "reference",  # "Reference: ..." and "For reference: ..." lines
    "contact",  # phone numbers, e-mail addresses, postal addresses: a whole contact block is one unit,
    # with the "For reference:" or "Contact:" line that opens it and the name, title and organisation lines
    "link",  # a line that is essentially a URL: "Register here: bit.ly/..."
    "press",  # "Press Release" and similar labels
    "continue-reading",  # "Continue reading", whether on its own line or glued to a paragraph
    "end-mark",  # "#", "###" closing a press release
    "repeated-title",  # the title repeated under the header; kept so that nothing is lost
    "page-header",  # a social-media page dump's header (page name, handle, tabs)
    "page-footer",  # a social-media page dump's footer (Address, Alerts, ...)
    "note",  # a "see more" preview that repeats the start of the next post, and a "See more" line
    "repeated-text",  # a post body repeated in full right after itself: the repeat
)
"""Kinds of the units never sent to translation."""


@dataclass(frozen=True)
class Unit:
    """One segment or metadata unit, with the source lines it comes from.

    ``text`` is the source as written. Soft-wrapped lines are joined with one
    space; metadata spanning several lines (a contact block, a dateline, a page
    footer) keeps one ``\\n`` between its non-blank lines, because there the line
    breaks are the layout.
    """

    kind: str
    text: str
    line: int
    end_line: int


@dataclass
class ParsedStatement:
    """One statement (or one social-media post) as found in a file."""

    title: str
    date: str | None
    date_text: str | None
    truncated: bool
    segments: list[Unit]
    metadata: list[Unit]
    start_line: int
    end_line: int


# --- Tuning -----------------------------------------------------------------

MAX_TITLE_WORDS = 30
"""Longest title, subtitle or lead in words; the sample's longest title has 25."""
MAX_LEAD_WORDS = 15
"""A full sentence ending in "." longer than this is body text, not a lead.

Leads such as "Their march is their defiance against imperialism." are short;
first paragraphs such as 000:151 (19 words) are not.
"""
MAX_HEADING_WORDS = 12
MAX_SLOGAN_WORDS = 15
MAX_TERSE_SLOGAN_WORDS = 8
MAX_LABEL_WORDS = 10
"""Longest line of a contact block ("Danilo Ramos, KMP Chairperson 09974182478")."""
MAX_LINK_EXTRA_WORDS = 6
"""Words besides the URL on a link line ("Register here: bit.ly/...")."""
MAX_POST_TITLE_CHARS = 80
"""A post's first line up to this length may be its title; a post's title field is at most this long."""
MAX_GLUED_MARKERS = 2
"""Markers peeled off one line's end: an end mark and a "Continue reading" at most."""
MIN_PREVIEW_CHARS = 15
"""Shorter "..." lines are not taken for a "see more" preview of the next post."""
MIN_REPEATED_BODY_WORDS = 6
"""A shorter post body said twice ("Ipaglaban! Ipaglaban!") is a chant, the text itself, not a repeat."""

# --- Patterns (compiled once) ------------------------------------------------

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_OR_RANGE = r"\d{1,2}(?:\s*[-–]\s*\d{1,2})?"
_WRITTEN_DATE = (
    rf"(?:(?P<dmy_day>{_DAY_OR_RANGE})\s+(?P<dmy_month>{_MONTH})\.?,?\s+(?P<dmy_year>\d{{4}})"
    rf"|(?P<mdy_month>{_MONTH})\.?\s+(?P<mdy_day>{_DAY_OR_RANGE})(?:st|nd|rd|th)?,?\s+(?P<mdy_year>\d{{4}}))"
)
_NUMERIC_DATE = r"(?P<num_day>\d{1,2})/(?P<num_month>\d{1,2})/(?P<num_year>\d{4})"
_WEEKDAY = r"(?i:mon|tues|wednes|thurs|fri|satur|sun)day"

_DATE_LINE_RE = re.compile(rf"(?:{_WEEKDAY},?\s+)?{_WRITTEN_DATE}(?:\s+[A-Z][\w’']*){{0,2}}")
"""A written date, optionally after a weekday and before a short label ("27 October 2018 Statement")."""
_POST_DATE_LINE_RE = re.compile(rf"{_NUMERIC_DATE}(?:[ ,]+(?:at\s+)?\d{{1,2}}:\d{{2}}(?:\s*[AaPp][Mm])?)?")
"""The DD/MM/YYYY line that opens each post of a social-media page dump."""
_ANY_DATE_RE = re.compile(rf"\b(?:{_WRITTEN_DATE}|{_NUMERIC_DATE})\b")
_FIRST_NUMBER_RE = re.compile(r"\d+")
_TRAILING_DATE_RE = re.compile(rf"(?<!\s)\s+(?P<date>{_WRITTEN_DATE})$")
"""A date glued to the end of a title: "... Orderly Migration 30 June 2018"."""

_TAIL_WINDOW = 64
"""How far from a line's end a glued marker (with the space before it) is looked for."""
_CONTINUE_LINE_RE = re.compile(r"(?i:continue reading)[\W_]{0,3}")
_CONTINUE_TAIL_RE = re.compile(r"(?<=\S)\s+(?P<mark>(?i:continue reading)[\W_]{0,3})$")
_END_MARK_LINE_RE = re.compile(r"#{1,3}")
_END_MARK_TAIL_RE = re.compile(r"(?:(?<=\S)\s+|(?<=[.!?\"”]))(?P<mark>#{1,3})$")
_PRESS_RE = re.compile(r"(?i:press release|press statement|news release|media release|for immediate release|media advisory)\W*")
_REFERENCE_RE = re.compile(r"(?i:(?:for\s+)?references?|contact persons?|media contacts?)\s*:")
_CONTACT_LEAD_RE = re.compile(
    r"(?i:(?:for\s+)?references?|contacts?(?:\s+(?:persons?|details|us))?|media\s+contacts?"
    r"|(?:for\s+)?(?:inquiries|enquiries|more\s+information))\s*:"
)
"""The label that opens a contact block: "For reference:", "Contact:", "Media contact:", "For inquiries:"."""
_LIST_ITEM_RE = re.compile(r"(?:[-–•*▪]|\d{1,2}[.)])\s+\S")

_NAME_WORD = r"[A-ZÀ-Þ][\w’'.-]*+"
_HONORIFIC = r"(?:(?:Ms|Mr|Mrs|Dr|Rev|Atty|Prof|Amb|Sr|Fr)\.?\s+)"
_BARE_NAME_RE = re.compile(rf"{_HONORIFIC}?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}")
_ROLE = r"(?i:chair\w*|co-chair\w*|president|secretary|coordinator|spokes\w+|director|convenor|convener|officer|founder|representative)"
_SIGNOFF_RE = re.compile(rf"{_HONORIFIC}?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}},\s*[^.!?,]{{0,40}}\b{_ROLE}\b[^.!?]{{0,40}}")
"""A name with a role: "Eni Lestari, chairperson", "Ms. Eni Lestari, IMA Chairperson"."""
_PLACE_RE = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}},\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}")
"""A dateline's place: "Quezon City, Philippines", "Bangkok, Thailand" (the comma is required)."""

_PREVIEW_SUFFIX_RE = re.compile(r"(?:\.{3}|…)(?:\s*(?i:see more))?$")
"""The end of a "see more" preview: "...", "…", optionally followed by "See more"."""
_SEE_MORE_RE = re.compile(r"(?:\.{3}|…)?\s*(?i:see more)")
"""A "See more" link on a line of its own: page chrome, never text to translate."""
_PAGE_FOOTER_START_RE = re.compile(r"(?:Address|Alerts|About|Page transparency|Related Pages)\s*:?")

_TRAILING_CLOSERS = " \t" + CLOSERS
_TERMINAL_PUNCTUATION = frozenset(SENTENCE_MARKS)
_INTRODUCING_PUNCTUATION = frozenset(":;,–—-")
_MARK = f"[{re.escape(SENTENCE_MARKS)}]"
_SENTENCE_END_RE = re.compile(rf"(?<!{_MARK}){_MARK}++[{re.escape(CLOSERS)}]*+\s++(?=\S)")
_ABBREVIATIONS = frozenset(f"{word.lower()}." for word in ABBREVIATIONS)
"""Compared in lower case with the period: a title's first sentence is cut only at a sure end."""
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))
_INITIALS_RE = re.compile(r"(?:\w\.)+")
"""Initials such as "U.S." and "P.D." do not end a sentence."""


# --- Line classifiers --------------------------------------------------------


def is_continue_reading(line: str) -> bool:
    """The "Continue reading" link that cuts an excerpt on a listing page."""
    return _CONTINUE_LINE_RE.fullmatch(line) is not None


def is_end_mark(line: str) -> bool:
    """A press-release end mark ("#", "###") standing alone."""
    return _END_MARK_LINE_RE.fullmatch(line) is not None


def is_date_line(line: str) -> bool:
    """A line that is a date and nothing else (a short label such as "Statement" may follow)."""
    return _DATE_LINE_RE.fullmatch(line) is not None or _POST_DATE_LINE_RE.fullmatch(line) is not None


def is_post_date_line(line: str) -> bool:
    """The DD/MM/YYYY line before each post of a social-media page dump."""
    return _POST_DATE_LINE_RE.fullmatch(line) is not None


def is_press_label(line: str) -> bool:
    """A label such as "Press Release": it says what the text is, it is not part of it."""
    return _PRESS_RE.fullmatch(line) is not None


def is_reference(line: str) -> bool:
    """Who answers questions: "Reference: Eni Lestari, chairperson", "For reference: ..."."""
    return _REFERENCE_RE.match(line) is not None


def is_contact_lead(line: str) -> bool:
    """A short line opening a contact block: "For reference:", "Contact: Dolores Balladares".

    What follows the label on the line, if anything, is a name: a longer line
    ("Contact: the alliance urges every member to ...") is a sentence.
    """
    return _CONTACT_LEAD_RE.match(line) is not None and _has_at_most_words(line, MAX_LABEL_WORDS)


def is_bare_contact_lead(line: str) -> bool:
    """A contact block's label alone on its line ("For reference:", "Contact:"): the block follows, maybe after a blank line."""
    match = _CONTACT_LEAD_RE.match(line)
    return match is not None and match.end() == len(line)


def is_link_line(line: str) -> bool:
    """A line that is there for its URL; a paragraph that merely mentions one is text."""
    if not _has_at_most_words(line, 2 * MAX_LINK_EXTRA_WORDS):  # cheap test first: most lines are paragraphs
        return False
    return WRITTEN_LINK.search(line) is not None and _has_at_most_words(WRITTEN_LINK.sub(" ", line), MAX_LINK_EXTRA_WORDS)


def is_contact_line(line: str) -> bool:
    """A short line with a phone number or an e-mail address."""
    if not _has_at_most_words(line, MAX_LABEL_WORDS + 2):  # cheap test first: most lines are paragraphs
        return False
    return PHONE.search(line) is not None or EMAIL.search(line) is not None


def is_list_item(line: str) -> bool:
    """A line opening with a bullet or a number: "- item;", "• item", "1. item", "2) item"."""
    return _LIST_ITEM_RE.match(line) is not None


def is_signoff(line: str) -> bool:
    """A name with a role, the way statements are signed: "Eni Lestari, chairperson"."""
    return _SIGNOFF_RE.fullmatch(line) is not None


def is_bare_name(line: str) -> bool:
    """Two to four capitalised words: a signature when an affiliation line follows."""
    return _BARE_NAME_RE.fullmatch(line) is not None


def is_place(line: str) -> bool:
    """A "City, Country" line, which makes a dateline when next to a date."""
    return _PLACE_RE.fullmatch(line) is not None


def is_contact_label(line: str) -> bool:
    """A short line that is not a sentence: a line of an address or a team name in a contact block."""
    return _has_at_most_words(line, MAX_LABEL_WORDS) and _last_char(line) not in _TERMINAL_PUNCTUATION


def is_page_footer_start(line: str) -> bool:
    """A page dump's footer opens with a bare section name: "Address", "Alerts" ..."""
    return _PAGE_FOOTER_START_RE.fullmatch(line) is not None


def is_body_paragraph(text: str) -> bool:
    """Body text rather than a title, subtitle, heading or slogan: long, or a long full sentence."""
    if not _has_at_most_words(text, MAX_TITLE_WORDS):
        return True
    return _last_char(text) == "." and not _has_at_most_words(text, MAX_LEAD_WORDS)


def looks_like_title(text: str) -> bool:
    """Short enough for a title and not a lead-in to something else ("... these newslinks –")."""
    return (
        not is_body_paragraph(text)
        and _last_char(text) not in _INTRODUCING_PUNCTUATION
        and not text[:1].islower()
    )


def looks_like_headline(text: str) -> bool:
    """A title written as a headline, without closing punctuation.

    Only such a line may start a statement that follows body text with no closer
    in between (002:66): closing slogans ("Long live international solidarity!")
    end in punctuation, headlines do not.
    """
    return looks_like_title(text) and _last_char(text) not in _TERMINAL_PUNCTUATION


def looks_like_heading(text: str) -> bool:
    """A subheading inside a statement: "What is the GCM?", "GCM – A Neoliberal Agenda"."""
    last = _last_char(text)
    return (
        _has_at_most_words(text, MAX_HEADING_WORDS)
        and last not in ".!…"
        and last not in _INTRODUCING_PUNCTUATION
        and not text[:1].islower()
    )


def looks_like_slogan(text: str) -> bool:
    """A closing cry: short and exclaimed ("Save the Rohingya!"), or very short ("No one is illegal.").

    A closing sentence such as "We call for international solidarity in
    upholding human rights and development justice." stays a paragraph, and a
    lead-in to a list ("... these newslinks –") is never a slogan.
    """
    last = _last_char(text)
    if last in _INTRODUCING_PUNCTUATION:
        return False
    return (last == "!" and _has_at_most_words(text, MAX_SLOGAN_WORDS)) or _has_at_most_words(text, MAX_TERSE_SLOGAN_WORDS)


def _classify_line(line: str) -> str:
    """The provisional role of one stripped, non-blank line (part): "text", "list-item" or a metadata kind.

    The order matters: "For reference: Eni Lestari" is a reference even though
    it looks like a name, "Tel. No.: 96081475" a contact though it holds digits.
    """
    if is_continue_reading(line):
        return "continue-reading"
    if is_end_mark(line):
        return "end-mark"
    if is_date_line(line):
        return "date"
    if is_press_label(line):
        return "press"
    if is_reference(line):
        return "reference"
    if is_link_line(line):
        return "link"
    if is_contact_line(line):
        return "contact"
    if is_list_item(line):
        return "list-item"
    if is_signoff(line):
        return "signoff"
    return "text"


def _split_line(line: str) -> list[tuple[str, str]]:
    """Role and text of each part of one stripped, non-blank line, left to right.

    Markers glued to the end ("... acts. Continue reading", "... justice.#") are
    peeled off, so that the paragraph keeps every word and loses only the marker.
    """
    tails: list[tuple[str, str]] = []
    rest = line
    for _ in range(MAX_GLUED_MARKERS):
        tail_start = max(0, len(rest) - _TAIL_WINDOW)  # markers sit at the very end: don't rescan long lines
        if match := _CONTINUE_TAIL_RE.search(rest, tail_start):
            tails.append(("continue-reading", match.group("mark")))
        elif match := _END_MARK_TAIL_RE.search(rest, tail_start):
            tails.append(("end-mark", match.group("mark")))
        else:
            break
        rest = rest[: match.start("mark")].rstrip()
    return [(_classify_line(rest), rest), *reversed(tails)]


# --- Pieces: units in the making ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of source lines with a provisional role.

    ``role`` is "text" (its kind depends on its place in the statement),
    "list-item", or a metadata kind.
    """

    role: str
    text: str
    line: int
    end_line: int

    def unit(self, kind: str | None = None, text: str | None = None) -> Unit:
        return Unit(kind or self.role, self.text if text is None else text, self.line, self.end_line)


def _merged(pieces: Sequence[_Piece], role: str, separator: str = "\n") -> _Piece:
    first, last = pieces[0], pieces[-1]
    return _Piece(role, separator.join(p.text for p in pieces), first.line, last.end_line)


def _blocks(numbered_lines: Sequence[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank lines, stripped; a line of only whitespace (NBSP included) is blank."""
    block: list[tuple[int, str]] = []
    for number, line in numbered_lines:
        stripped = line.strip()
        if stripped:
            block.append((number, stripped))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _pieces(numbered_lines: Sequence[tuple[int, str]]) -> list[_Piece]:
    """Typed pieces of some numbered lines, in source order (pass 2 of the module docstring)."""
    pieces: list[_Piece] = []
    for block in _blocks(numbered_lines):
        block_pieces = [_Piece(role, text, number, number) for number, line in block for role, text in _split_line(line)]
        if pieces and pieces[-1].role in ("text", "reference", "contact") and is_bare_contact_lead(pieces[-1].text):
            # "Contact:" closed the block before: the block it announces comes after the blank line.
            taken = _contact_block_length(block_pieces, 0)
            if taken:
                pieces[-1] = _merged([pieces[-1], *block_pieces[:taken]], "contact")
                block_pieces = block_pieces[taken:]
        block_pieces = _merge_labelled_contact_blocks(block_pieces)
        block_pieces = _merge_contact_block(block_pieces)
        block_pieces = _merge_datelines(block_pieces)
        block_pieces = _merge_signoff_block(block_pieces)
        pieces.extend(_join_soft_wraps(block_pieces))
    return _join_across_blank_lines(pieces)


def _is_contact_block_line(piece: _Piece) -> bool:
    """A line that can stand in a contact block: a phone or e-mail line, a name, a title, an organisation."""
    if piece.role in ("contact", "signoff", "reference", "link"):
        return True
    return piece.role == "text" and is_contact_label(piece.text)


def _contact_block_length(block: Sequence[_Piece], start: int) -> int:
    """How many pieces from ``start`` on are lines of a contact block."""
    end = start
    while end < len(block) and _is_contact_block_line(block[end]):
        end += 1
    return end - start


def _merge_labelled_contact_blocks(block: list[_Piece]) -> list[_Piece]:
    """A "For reference:" or "Contact:" line and the lines under it are one contact unit.

    The name, title and organisation lines of such a block look like short
    titles; only the label above them says what they are, so without this
    they would be sent to translation. A reference whose lines under it are
    all metadata already (002:83-84: "For reference: Eni Lestari" then a phone
    line) keeps its kinds: there is nothing to rescue from translation.
    """
    merged: list[_Piece] = []
    index = 0
    while index < len(block):
        piece = block[index]
        if piece.role in ("text", "reference") and is_contact_lead(piece.text):
            taken = _contact_block_length(block, index + 1)
            run = block[index : index + 1 + taken]
            if any(p.role == "text" for p in run):
                merged.append(_merged(run, "contact"))
                index += 1 + taken
                continue
        merged.append(piece)
        index += 1
    return merged


def _merge_contact_block(block: list[_Piece]) -> list[_Piece]:
    """A block of short label lines with a phone number or e-mail in it is one contact unit.

    001:221-226 (name, organisation, address, phone) must not reach translation
    line by line. In a mixed block (002:81-84) only the contact line itself is
    contact, so the press label, date and reference around it keep their kinds.
    """
    has_contact = any(p.role == "contact" for p in block)
    all_labels = all(p.role == "contact" or (p.role in ("text", "signoff") and is_contact_label(p.text)) for p in block)
    if has_contact and all_labels and len(block) > 1:
        return [_merged(block, "contact")]
    return block


def _merge_datelines(block: list[_Piece]) -> list[_Piece]:
    """A place line next to a date line makes a dateline: "Quezon City, Philippines" / "November 12-13, 2015"."""
    merged: list[_Piece] = []
    for piece in block:
        previous = merged[-1] if merged else None
        if previous is not None and (
            (piece.role == "date" and previous.role == "text" and is_place(previous.text))
            or (piece.role == "text" and previous.role == "date" and is_place(piece.text))
        ):
            merged[-1] = _merged([previous, piece], "dateline")
        else:
            merged.append(piece)
    return merged


def _merge_signoff_block(block: list[_Piece]) -> list[_Piece]:
    """A name followed by affiliation lines is a signature (000:124-125), not a title and subtitles."""
    if len(block) < 2:
        return block
    head, rest = block[0], block[1:]
    signs = head.role == "signoff" or (head.role == "text" and is_bare_name(head.text))
    affiliations = all(
        p.role == "text" and _has_at_most_words(p.text, 2 * MAX_LABEL_WORDS) and _last_char(p.text) not in _TERMINAL_PUNCTUATION
        for p in rest
    )
    return [_merged(block, "signoff")] if signs and affiliations else block


def _continues_line(previous: str, following: str) -> bool:
    """Whether a line soft-wraps into the next one of the same block.

    A single newline is a soft wrap (002:94-96), a type change (a heading then a
    date, 000:15-16) or a list; type changes and list items are told apart by the
    line classifiers, so here only text meets text: it wraps after a colon or a
    comma (002:94-95) or into a lowercase word (002:95-96), and breaks after a
    full sentence (000:26-27).
    """
    last = _last_char(previous)
    if last in _INTRODUCING_PUNCTUATION:
        return True
    return last not in _TERMINAL_PUNCTUATION and following[:1].islower()


def _join_runs(pieces: list[_Piece], belongs_after: Callable[[_Piece, _Piece], bool], separator: str) -> list[_Piece]:
    """Merge every run of pieces in which each piece belongs after the one before it.

    Each run is joined once, so a block of thousands of wrapped lines stays linear.
    """
    runs: list[list[_Piece]] = []
    for piece in pieces:
        if runs and belongs_after(runs[-1][-1], piece):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return [run[0] if len(run) == 1 else _merged(run, run[0].role, separator) for run in runs]


def _wraps_into(previous: _Piece, piece: _Piece) -> bool:
    """Within a block: text (or a list item) soft-wrapped onto the next line."""
    return piece.role == "text" and previous.role in ("text", "list-item") and _continues_line(previous.text, piece.text)


def _join_soft_wraps(block: list[_Piece]) -> list[_Piece]:
    """Join soft-wrapped lines of one block into one piece (see :func:`_continues_line`)."""
    return _join_runs(block, _wraps_into, " ")


def _continues_after_blank_line(previous: _Piece, piece: _Piece) -> bool:
    """A subtitle broken by a blank line after a colon (001:161 + 163: "... in Mindanao:" / "rights defenders ...")."""
    return previous.role == piece.role == "text" and _last_char(previous.text) in ":," and piece.text[:1].islower()


def _same_contact_block(previous: _Piece, piece: _Piece) -> bool:
    """Consecutive contact pieces, even across blank lines: the teams of one contact list (001:182-191)."""
    return previous.role == piece.role == "contact"


def _join_across_blank_lines(pieces: list[_Piece]) -> list[_Piece]:
    """Join what a stray blank line split (blocks are already joined within)."""
    return _join_runs(_join_runs(pieces, _continues_after_blank_line, " "), _same_contact_block, "\n")


# --- Listing pages -----------------------------------------------------------

_CLOSING_ROLES = frozenset({"continue-reading", "end-mark", "signoff", "reference", "contact", "date", "dateline"})
"""Metadata that, after body text, usually ends a statement."""


class _StatementCollector:
    """The pieces of the statement being read, and whether it looks finished."""

    def __init__(self, title: _Piece, leading_metadata: Sequence[_Piece] = ()) -> None:
        self.pieces: list[_Piece] = [*leading_metadata]  # before the title: no say in where it ends
        self.has_body = False
        self.closed = False
        self.add(title)

    def add(self, piece: _Piece) -> None:
        self.pieces.append(piece)
        if piece.role == "text" and is_body_paragraph(piece.text):
            # Body after a closer: the "closer" was header metadata (002:45-46).
            self.has_body, self.closed = True, False
        elif piece.role == "continue-reading" or (self.has_body and piece.role in _CLOSING_ROLES):
            self.closed = True

    def starts_new_statement(self, piece: _Piece, dated_header_follows: bool) -> bool:
        """Whether ``piece`` is the title of the next statement.

        After a closer (sign-off, "Continue reading", contact block, dateline,
        end mark) the next title-like line is a title. Without a closer, only a
        headline followed by a dated header is (002:66, 001:156); a headline
        followed by body text is a subheading (001:42).
        """
        if piece.role != "text":
            return False
        if self.closed:
            return looks_like_title(piece.text)
        return self.has_body and dated_header_follows and looks_like_headline(piece.text)


def _dated_header_follows(pieces: Sequence[_Piece]) -> list[bool]:
    """For each piece, whether a date comes after it before any body text.

    Computed backwards in one pass so that the boundary pass stays linear.
    """
    follows = [False] * len(pieces)
    date_ahead = False
    for index in range(len(pieces) - 1, -1, -1):
        follows[index] = date_ahead
        piece = pieces[index]
        if piece.role in ("date", "dateline"):
            date_ahead = True
        elif piece.role == "continue-reading" or (piece.role == "text" and is_body_paragraph(piece.text)):
            date_ahead = False
    return follows


def _parse_listing(numbered_lines: Sequence[tuple[int, str]]) -> list[ParsedStatement]:
    """Statements of a listing page: the boundary pass, then kinds within each statement."""
    pieces = _pieces(numbered_lines)
    dated_header_follows = _dated_header_follows(pieces)
    groups: list[list[_Piece]] = []
    leading: list[_Piece] = []  # metadata before the first text piece joins the first statement
    current: _StatementCollector | None = None
    for piece, dated in zip(pieces, dated_header_follows, strict=True):
        if current is None and piece.role not in ("text", "list-item"):
            leading.append(piece)
        elif current is None:
            current = _StatementCollector(piece, leading)
        elif current.starts_new_statement(piece, dated):
            groups.append(current.pieces)
            current = _StatementCollector(piece)
        else:
            current.add(piece)
    if current is not None:
        groups.append(current.pieces)
    elif leading:
        groups.append(leading)
    return [_listing_statement(group) for group in groups]


def _listing_statement(pieces: list[_Piece]) -> ParsedStatement:
    """One statement's units, each text piece typed by its position (see :func:`_text_kind`)."""
    title_index = next((i for i, p in enumerate(pieces) if p.role in ("text", "list-item")), None)
    if title_index is None:
        return _statement("", [], [p.unit() for p in pieces])
    title_piece = pieces[title_index]
    title_segments, title_metadata, title = _title_units(title_piece, natural=not is_body_paragraph(title_piece.text))
    body_positions = [i for i, p in enumerate(pieces) if i > title_index and p.role == "text" and is_body_paragraph(p.text)]
    first_body = body_positions[0] if body_positions else len(pieces)
    last_body = body_positions[-1] if body_positions else len(pieces)
    segments: list[Unit] = []
    metadata: list[Unit] = []
    for index, piece in enumerate(pieces):
        if index == title_index:
            segments.extend(title_segments)
            metadata.extend(title_metadata)
        elif piece.role == "text":
            kind = _text_kind(piece.text, index, first_body, last_body, title)
            (segments if kind in TRANSLATABLE_KINDS else metadata).append(piece.unit(kind))
        elif piece.role == "list-item":
            segments.append(piece.unit())
        else:
            metadata.append(piece.unit())
    return _statement(title, segments, metadata)


def _text_kind(text: str, index: int, first_body: int, last_body: int, title: str) -> str:
    """Subtitles (or a repeated title) before the first body paragraph, headings
    between body paragraphs, slogans after the last one.

    Position decides because the same short line is a lead at the top, a
    subheading in the middle and a slogan at the end of a statement.
    """
    if index < first_body:
        return "repeated-title" if _same_words(text, title) else "subtitle"
    if is_body_paragraph(text):
        return "paragraph"
    if index < last_body:
        return "heading" if looks_like_heading(text) else "paragraph"
    return "slogan" if looks_like_slogan(text) else "paragraph"


# --- Social-media page dumps ----------------------------------------------------


def _is_social_dump(numbered_lines: Sequence[tuple[int, str]]) -> bool:
    """Listing pages write dates out; page dumps put a DD/MM/YYYY line before each post."""
    return any(is_post_date_line(line.strip()) for _, line in numbered_lines)


def _parse_social_dump(numbered_lines: Sequence[tuple[int, str]]) -> list[ParsedStatement]:
    """One statement per post; the page header and footer become metadata of the first and last post."""
    post_dates = [i for i, (_, line) in enumerate(numbered_lines) if is_post_date_line(line.strip())]
    first_date, last_date = post_dates[0], post_dates[-1]
    footer_start = next(
        (i for i in range(last_date + 1, len(numbered_lines)) if is_page_footer_start(numbered_lines[i][1].strip())),
        len(numbered_lines),
    )
    header = _page_part("page-header", numbered_lines[:first_date])
    footer = _page_part("page-footer", numbered_lines[footer_start:])
    posts = _mark_previews([_pieces(post) for post in _split_posts(numbered_lines[first_date:footer_start])])
    posts = [_mark_repeated_body(post) for post in _fold_empty_posts(posts)]
    if not posts:
        return [_statement("", [], [p.unit() for p in [*header, *footer]])] if header or footer else []
    posts[0][:0] = header
    posts[-1].extend(footer)
    return [_post_statement(post) for post in posts]


def _page_part(kind: str, numbered_lines: Sequence[tuple[int, str]]) -> list[_Piece]:
    """The page header or footer as one piece (none if blank): page chrome, not statement text."""
    lines = [(number, line.strip()) for number, line in numbered_lines if line.strip()]
    if not lines:
        return []
    return [_Piece(kind, "\n".join(line for _, line in lines), lines[0][0], lines[-1][0])]


def _split_posts(numbered_lines: Sequence[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Cut at each run of date lines; a post begins with its date line(s)."""
    posts: list[list[tuple[int, str]]] = []
    has_content = True
    for number, line in numbered_lines:
        stripped = line.strip()
        if is_post_date_line(stripped) and has_content:
            posts.append([])
            has_content = False
        elif stripped and not is_post_date_line(stripped):
            has_content = True
        posts[-1].append((number, line))
    return posts


def _mark_previews(posts: list[list[_Piece]]) -> list[list[_Piece]]:
    """Turn "see more" previews, and "See more" lines, into notes.

    A page dump shows the opening of some posts, cut (often mid-word) and
    ending in "..." or followed by a "See more" line, and then the post in
    full. The preview flattens the post's line breaks, so it is compared with
    the text that follows it, word for word, whatever lines it is on; the post
    dates in between are skipped. It carries nothing to translate.
    """
    flat = [(p, i) for p, post in enumerate(posts) for i in range(len(post))]
    for post, index in flat:
        piece = posts[post][index]
        if piece.role == "text" and _SEE_MORE_RE.fullmatch(piece.text):
            posts[post][index] = replace(piece, role="note")
    # For each position, the first piece at or after it that a preview is compared with (dates and notes skipped).
    next_content = [len(flat)] * (len(flat) + 1)
    for position in range(len(flat) - 1, -1, -1):
        post, index = flat[position]
        skipped = posts[post][index].role in ("date", "note")
        next_content[position] = next_content[position + 1] if skipped else position
    for position, (post, index) in enumerate(flat):
        piece = posts[post][index]
        if piece.role != "text":
            continue
        following = flat[position + 1] if position + 1 < len(flat) else None
        see_more_follows = following is not None and _SEE_MORE_RE.fullmatch(posts[following[0]][following[1]].text) is not None
        stem = _preview_stem(piece.text, see_more_follows=see_more_follows)
        if stem is not None and _opens(posts, flat, next_content, position + 1, stem):
            posts[post][index] = replace(piece, role="note")
    return posts


def _preview_stem(text: str, *, see_more_follows: bool) -> str | None:
    """The words of a preview less its "..." and "See more", one space apart; None if ``text`` is no preview."""
    suffix = _PREVIEW_SUFFIX_RE.search(text)
    if suffix is None and not see_more_follows:
        return None
    stem = " ".join(text[: suffix.start() if suffix else len(text)].split())
    return stem if len(stem) >= MIN_PREVIEW_CHARS else None


def _opens(posts: list[list[_Piece]], flat: list[tuple[int, int]], next_content: list[int], start: int, stem: str) -> bool:
    """Whether the text from ``flat[start]`` on, one space between words and pieces, starts with ``stem`` and goes on.

    Only as much text as the stem needs is read, so all previews together stay
    linear in the input.
    """
    wanted = len(stem) + 1  # the full text is longer than its preview
    words: list[str] = []
    size = 0
    position = next_content[start]
    while size < wanted and position < len(flat):
        post, index = flat[position]
        text = posts[post][index].text
        head = " ".join(text[: 2 * wanted].split())  # whitespace runs collapse: read a little more than needed
        words.append(head)
        size += len(head) + 1
        position = next_content[position + 1]
    opening = " ".join(words)
    return len(opening) > len(stem) and opening.startswith(stem)


def _mark_repeated_body(post: list[_Piece]) -> list[_Piece]:
    """A post body said twice, the second time right after the first, is kept once: the repeat becomes metadata.

    Page dumps sometimes hold a post's text twice (the collapsed and the
    expanded view), with the same words but not always the same line breaks.
    The body runs from the post's first text (or from the line after a title
    that is not repeated) to its last; it is repeated when the second half of
    its words, starting where a line starts, equals the first half.
    """
    positions = [i for i, piece in enumerate(post) if piece.role in ("text", "list-item")]
    lengths = [len(post[i].text.split()) for i in positions]
    for start in (0, 1):
        cut = _repeat_start(post, positions, lengths, start)
        if cut is not None:
            repeated = set(positions[cut:])
            marked = [replace(piece, role="repeated-text") if i in repeated else piece for i, piece in enumerate(post)]
            return _join_runs(marked, lambda previous, piece: previous.role == piece.role == "repeated-text", "\n")
    return post


def _repeat_start(post: list[_Piece], positions: list[int], lengths: list[int], start: int) -> int | None:
    """The index in ``positions`` where the body from ``positions[start]`` starts over, if it does."""
    total = sum(lengths[start:])
    if len(positions) - start < 2 or total % 2 or total // 2 < MIN_REPEATED_BODY_WORDS:
        return None
    count, cut = 0, start
    while count < total // 2:
        count += lengths[cut]
        cut += 1
    if count != total // 2:
        return None
    first = [word for i in positions[start:cut] for word in post[i].text.split()]
    second = [word for i in positions[cut:] for word in post[i].text.split()]
    return cut if first == second else None


def _fold_empty_posts(posts: list[list[_Piece]]) -> list[list[_Piece]]:
    """A "post" with nothing to translate (dates only, a lone preview) joins the next post, or the last."""
    folded: list[list[_Piece]] = []
    pending: list[_Piece] = []
    for post in posts:
        pending.extend(post)
        if any(p.role in ("text", "list-item") for p in post):
            folded.append(pending)
            pending = []
    if pending and folded:
        folded[-1].extend(pending)
    elif pending:
        folded.append(pending)
    return folded


def _post_statement(pieces: list[_Piece]) -> ParsedStatement:
    """A post: a title if it opens with a title line, then paragraphs and list items.

    A post that opens with body text (a long paragraph, a list) has no title
    segment: its first paragraph stays whole, and the statement's title, which
    only lists show, is cut from its first sentence.
    """
    first_index = next((i for i, p in enumerate(pieces) if p.role in ("text", "list-item")), None)
    if first_index is None:
        return _statement("", [], [p.unit() for p in pieces])
    first = pieces[first_index]
    titled = first.role == "text" and len(first.text) <= MAX_POST_TITLE_CHARS and looks_like_title(first.text)
    if titled:
        title_segments, title_metadata, title = _title_units(first, natural=True)
    else:
        sentence_end = _first_sentence_end(first.text)
        title = _shortened(first.text[:sentence_end].rstrip() if sentence_end else first.text)
    segments: list[Unit] = []
    metadata: list[Unit] = []
    for index, piece in enumerate(pieces):
        if titled and index == first_index:
            segments.extend(title_segments)
            metadata.extend(title_metadata)
        elif piece.role == "text":
            segments.append(piece.unit("paragraph"))
        elif piece.role == "list-item":
            segments.append(piece.unit())
        else:
            metadata.append(piece.unit())
    return _statement(title, segments, metadata)


# --- Titles and dates ----------------------------------------------------------


def _title_units(piece: _Piece, *, natural: bool) -> tuple[list[Unit], list[Unit], str]:
    """The title segment (and what it splits off) and the statement's title.

    A natural title is the whole piece, less a trailing date (001:28). Otherwise
    (a file that starts with body text) the first sentence of a
    one-line piece is the title segment and the rest a paragraph; the statement
    title is that sentence cut at a word boundary. Either way the title segment
    is real text from the source, never invented.
    """
    if natural:
        trailing = _TRAILING_DATE_RE.search(piece.text)
        if trailing is None or not piece.text[: trailing.start()].strip():
            return [piece.unit("title")], [], piece.text
        title_text = piece.text[: trailing.start()]
        return [piece.unit("title", title_text)], [piece.unit("date", trailing.group("date"))], title_text
    sentence_end = _first_sentence_end(piece.text) if piece.line == piece.end_line else None
    if sentence_end is None:
        return [piece.unit("title")], [], _shortened(piece.text)
    first_sentence = piece.text[:sentence_end].rstrip()
    rest = piece.text[sentence_end:]
    return [piece.unit("title", first_sentence), piece.unit("paragraph", rest)], [], _shortened(first_sentence)


def _first_sentence_end(text: str) -> int | None:
    """Offset just past the first sentence, skipping abbreviations ("Dr.", "U.S.") and lowercase continuations."""
    for match in _SENTENCE_END_RE.finditer(text):
        if text[match.end()].islower():
            continue
        # Abbreviations are short: looking back a few characters keeps this linear.
        word = text[max(0, match.start() - _LONGEST_ABBREVIATION) : match.start() + 1].split()[-1].lower()
        if word in _ABBREVIATIONS or _INITIALS_RE.fullmatch(word):
            continue
        return match.end()
    return None


def _shortened(text: str, limit: int = MAX_POST_TITLE_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary: a prefix of the source, nothing added."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > 0 else limit].rstrip()


def _parse_date(text: str) -> tuple[str | None, str] | None:
    """The first date in ``text``: its ISO form (None if impossible, like 31 February) and as written."""
    match = _ANY_DATE_RE.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    if groups["num_year"]:
        year, month, day = int(groups["num_year"]), int(groups["num_month"]), int(groups["num_day"])
    else:
        year = int(groups["dmy_year"] or groups["mdy_year"])
        month = _month_number(groups["dmy_month"] or groups["mdy_month"])
        day = int(_FIRST_NUMBER_RE.match(groups["dmy_day"] or groups["mdy_day"]).group())  # a range's first day
    try:
        iso = datetime.date(year, month, day).isoformat()
    except ValueError:
        iso = None
    return iso, match.group(0)


_MONTH_NUMBERS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def _month_number(name: str) -> int:
    """1-12 for a month name or abbreviation ("December", "Dec", "sept")."""
    return _MONTH_NUMBERS[name[:3].lower()]


def _statement(title: str, segments: list[Unit], metadata: list[Unit]) -> ParsedStatement:
    """Assemble a statement; its date is the first date found in its date-bearing metadata."""
    units = [*segments, *metadata]
    found = next(
        (parsed for unit in metadata if unit.kind in ("date", "dateline") and (parsed := _parse_date(unit.text))),
        None,
    )
    iso, date_text = found if found else (None, None)
    return ParsedStatement(
        title=title,
        date=iso,
        date_text=date_text,
        truncated=any(unit.kind == "continue-reading" for unit in metadata),
        segments=segments,
        metadata=metadata,
        start_line=min(unit.line for unit in units),
        end_line=max(unit.end_line for unit in units),
    )


# --- Helpers -----------------------------------------------------------------------


def _has_at_most_words(text: str, limit: int) -> bool:
    """Whether ``text`` has at most ``limit`` words, without splitting a long paragraph to its end."""
    return len(text.split(None, limit)) <= limit


def _last_char(text: str) -> str:
    """The last character that is not a closing quote or bracket ("" for none)."""
    stripped = text.rstrip(_TRAILING_CLOSERS)
    return stripped[-1] if stripped else ""


def _same_words(a: str, b: str) -> bool:
    """Equal but for spacing: a repeated title may use NBSP where the title has spaces (002:79/86)."""
    return a.split() == b.split()


# --- Entry point -----------------------------------------------------------------------


def parse_text(text: str) -> list[ParsedStatement]:
    """Split one file's text into statements. Detects the format (alliance listing page vs social-media page dump) itself.

    Returns the statements in source order; an empty or blank text gives ``[]``.
    A text with no translatable line gives one statement with an empty title and
    only metadata, so that nothing is lost. Statements found twice in one corpus
    are all returned: de-duplication is the importer's job.
    """
    numbered_lines = list(enumerate(_NEWLINE_RE.split(text), start=1))
    if _is_social_dump(numbered_lines):
        return _parse_social_dump(numbered_lines)
    return _parse_listing(numbered_lines)
