"""Statement text on screen: always literal, never markup, never raw control codes.

Volunteers paste text from web pages, PDFs and terminals. A legal reference such
as "Article 278 [263] (g)" looks like console markup, and a stray ANSI escape
would reach the terminal and repaint it. Every widget that shows statement text
goes through this module:

* :func:`literal` builds a ``Content`` object, which is never parsed as markup;
* :func:`to_display` swaps control characters for their visible Unicode
  "control pictures" (ESC becomes "␛"), one character for one, so offsets of
  glossary matches stay valid;
* :func:`from_display` undoes that swap for the editor, so an untouched
  translation is saved exactly as it was stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual.content import Content

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_PICTURE = re.compile(r"[\u2400-\u241f\u2421\u2424\u2425\u2426]")

_TO_PICTURE: dict[str, str] = {chr(code): chr(0x2400 + code) for code in range(0x20)}
_TO_PICTURE["\x7f"] = "\u2421"  # ␡
_TO_PICTURE.update({chr(code): "\u2426" for code in range(0x80, 0xA0)})  # ⍰-like marker for C1 codes
_TO_PICTURE["\u2028"] = "\u2424"  # ␤ line separator
_TO_PICTURE["\u2029"] = "\u2425"  # ␥ paragraph separator


def to_display(text: str) -> str:
    """Make control characters visible: same length, safe to send to a terminal.

    Tabs and newlines are kept since they are layout, not control sequences.
    """
    return _CONTROL.sub(lambda match: _TO_PICTURE[match.group()], text)


def from_display(shown: str, original: str) -> str:
    """The text a volunteer means by ``shown``, an editor buffer of ``to_display(original)``.

    An untouched buffer gives back ``original`` exactly. In an edited one, only
    pictures that stood for a control character of ``original`` turn back into
    it, so a volunteer who types "␛" on purpose keeps it.
    """
    if shown == to_display(original):
        return original
    wanted: dict[str, str] = {}
    for char in sorted(set(original)):
        if _CONTROL.match(char):
            wanted.setdefault(_TO_PICTURE[char], char)
    if not wanted:
        return shown
    return _PICTURE.sub(lambda match: wanted.get(match.group(), match.group()), shown)


def literal(text: str, style: str = "") -> Content:
    """Statement text as a ``Content`` object: shown as typed, styled as a whole."""
    content = Content(to_display(text))
    return content.stylize(style) if style else content


def literal_text(text: str, style: str = "") -> Text:
    """The Rich ``Text`` twin of :func:`literal`, for widgets that take Rich renderables (DataTable)."""
    return Text(to_display(text), style=style)


def one_line(text: str, width: int) -> str:
    """A single display line: whitespace collapsed, cut with an ellipsis at ``width`` cells."""
    flat = " ".join(to_display(text).split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


@dataclass(frozen=True)
class StatusLook:
    """How a translation status looks everywhere: a glyph, a label and a theme colour."""

    glyph: str
    label: str
    variable: str

    @property
    def style(self) -> str:
        """A Content style that follows the theme."""
        return f"${self.variable}"


STATUS_LOOKS: dict[str, StatusLook] = {
    "untranslated": StatusLook("○", "untranslated", "text-muted"),
    "machine": StatusLook("◐", "MT draft", "text-warning"),
    "needs-review": StatusLook("◆", "needs review", "text-error"),
    "translated": StatusLook("●", "translated", "text-primary"),
    "approved": StatusLook("✔", "approved", "text-success"),
}
"""Ordered from least to most done, the order progress bars stack in reverse."""


def status_badge(status: str) -> Content:
    """A coloured "● translated" badge."""
    look = STATUS_LOOKS.get(status, STATUS_LOOKS["untranslated"])
    return Content(f"{look.glyph} {look.label}").stylize(look.style)


SEVERITY_LOOKS: dict[str, tuple[str, str]] = {
    "error": ("✖", "text-error"),
    "warning": ("▲", "text-warning"),
    "info": ("ℹ", "text-primary"),
}


def severity_badge(severity: str) -> Content:
    """A coloured glyph for a QA finding's severity."""
    glyph, variable = SEVERITY_LOOKS.get(severity, ("•", "text-muted"))
    return Content(glyph).stylize(f"${variable}")
