"""What the alliance's texts are made of, for every module that reads them.

The segmenter (:mod:`workbench.segmenter`), the MT sentence splitter
(:mod:`workbench.sentences`) and the quality checks (:mod:`workbench.checks`)
all need to know what ends a sentence, which words end in a period without
ending one, and what links, e-mail addresses, phone numbers and numbers look
like. Those facts live here, once, so the three cannot drift apart.

The module is pure and imports no other workbench module: it sits beside the
floor, and anything may import it. Every pattern is compiled at import.
"""

from __future__ import annotations

import re

# -- sentences ---------------------------------------------------------------------------------

SENTENCE_MARKS = ".!?…"
"""Marks that end a sentence."""

CLOSERS = "\"'”’»)]"
"""Closing quotes and brackets that belong to the sentence before them: a sentence ends after them."""

ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # titles and honorifics
        "Mr", "Mrs", "Ms", "Dr", "Rev", "Fr", "Sr", "Jr", "Hon", "Atty", "Engr", "Prof", "Amb", "Pres", "Sec",
        "Gen", "Gov", "Sen", "Rep", "Col", "Capt", "Lt", "Sgt", "Cong", "Usec", "Asec", "Dir", "Msgr",
        # places and addresses
        "St", "Sto", "Sta", "Ave", "Blvd", "Rd", "Brgy", "Mt", "Ft",
        # months
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        # references and the like
        "vs", "v", "No", "Nos", "Tel", "Fax", "Art", "Par", "Vol", "Fig", "Ref", "Ch", "pp", "p",
        "Inc", "Co", "Corp", "Ltd", "Int'l", "Int’l", "Assn", "Dept", "Govt", "etc", "approx", "cf", "al",
    }
)
"""Words that end in a period without ending the sentence ("Sec. Gen", "Sto. Tomas", "Tel. No. 123").

One list for both splitters. Written without the period, in the case the
corpus writes them: the MT splitter matches the capitalised ones as written
("Tel. No. 5", but "we say no. Then") and the lower-case ones in any case; the
segmenter, which only looks for the end of a long title's first sentence,
matches all of them in any case. Initials ("U.S.", "P.D.", "e.g.") are not
listed: both splitters recognise them by their shape.
"""

# -- things a translation carries over unchanged -----------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+|\[email\s*protected\]", re.IGNORECASE)
"""An e-mail address, or the "[email protected]" a web page's e-mail protection leaves in its place.

An address starts only where a run of address characters starts, and that run
is never given back: any text is searched in linear time.
"""

URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|ly|ph|info|io|edu|gov|int|ca|hk|id|co|me|us|uk)\b(?:/[^\s<>\"'«»]*)?",
    re.IGNORECASE,
)
"""Any link, a bare domain included ("ima-global.org/statement"): what a translation must copy as it is."""

URL_TRAILER = ".,;:!?)]}'\""
"""Punctuation after a link that belongs to the sentence, not to the link."""

WRITTEN_LINK = re.compile(r"(?i:https?://\S+|www\.\S+|\b(?:bit\.ly|tinyurl\.com|goo\.gl|fb\.me|t\.co|forms\.gle)/\S*)")
"""A link written to be followed: a scheme, "www." or a short-link service with a path.

Narrower than :data:`URL` on purpose: a line that names a bare domain
("Visit ima-global.org for more") is still a sentence to translate, while
"Register here: bit.ly/..." is there for its link.
"""

MIN_PHONE_DIGITS = 7
"""Fewer digits make a number, not a phone number."""

PHONE = re.compile(rf"\+\d[\d\s-]{{{MIN_PHONE_DIGITS - 2},}}\d|\b\d{{{MIN_PHONE_DIGITS},}}\b")
"""A phone number written as one: "+63 2 927 7060", "09974182478"."""

DIGIT_RUN = re.compile(r"[+(0-9](?:(?<=[0-9])|(?=[ \t().,\-\u00a0\u202f]*[0-9]))[0-9 \t().,\-\u00a0\u202f]*")
"""Digits with what may separate them: one phone number, or one or more numbers.

Starting with a character class lets the regex engine skip ahead fast; a "+"
or "(" starts a run only when a digit follows (a lookahead, which keeps that
fast start), so brackets around words make none. Each (short) run is then
told apart with :data:`NOT_PHONE` and :data:`NUMBER`.
"""

NOT_PHONE = re.compile(
    r"\d{1,3}(?:[\s.,]\d{3})+"  # 1 000 000: a number with thousands groups
    r"|\d{4}\s*[-\u2013]\s*\d{4}"  # 2015-2018: a range of years
    r"|\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}"  # 18.12.2015: a date
)
"""Runs of seven digits or more that are not phone numbers."""

NUMBER = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)|\d+")
"""A number with thousands groups is one number ("1,000" = "1.000" = "1 000"); any other
separator splits, so "3.0" and "3,0", or "18.12.2015" and "18/12/2015", compare equal."""


# -- showing text on a terminal ---------------------------------------------------------------
# Statement text comes from web pages and PDFs: an ESC in it must never reach a
# volunteer's terminal as a command. The CLI and the TUI show it through visible().

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_PICTURE = re.compile(r"[\u2400-\u241f\u2421\u2424\u2425\u2426]")

_TO_PICTURE: dict[str, str] = {chr(code): chr(0x2400 + code) for code in range(0x20)}
_TO_PICTURE["\x7f"] = "\u2421"  # ␡
_TO_PICTURE.update({chr(code): "\u2426" for code in range(0x80, 0xA0)})  # ⍰-like marker for C1 codes
_TO_PICTURE["\u2028"] = "\u2424"  # ␤ line separator
_TO_PICTURE["\u2029"] = "\u2425"  # ␥ paragraph separator


def visible(text: str) -> str:
    """Make control characters visible: same length, safe to send to a terminal.

    Tabs and newlines are kept since they are layout, not control sequences.
    """
    return _CONTROL.sub(lambda match: _TO_PICTURE[match.group()], text)


def from_visible(shown: str, original: str) -> str:
    """The text a volunteer means by ``shown``, an editor buffer of ``visible(original)``.

    An untouched buffer gives back ``original`` exactly. In an edited one, only
    pictures that stood for a control character of ``original`` turn back into
    it, so a volunteer who types "␛" on purpose keeps it.
    """
    if shown == visible(original):
        return original
    wanted: dict[str, str] = {}
    for char in sorted(set(original)):
        if _CONTROL.match(char):
            wanted.setdefault(_TO_PICTURE[char], char)
    if not wanted:
        return shown
    return _PICTURE.sub(lambda match: wanted.get(match.group(), match.group()), shown)


_PLAIN_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\t": " ", "\n": " ", "\r": " "})


def quoted(text: str) -> str:
    """Text quoted in a message for people: in “ ” marks, odd spaces shown as spaces, control characters visible.

    Findings and draft flags quote statement text. Python's repr wrote
    ``'Rights\\xa0Violations'``, which a volunteer cannot read; the no-break
    space a French or web text holds is a space to the eye, so it is shown as one.
    """
    return f"“{visible(text.translate(_PLAIN_SPACES))}”"
