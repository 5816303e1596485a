"""Statement text on screen: always literal, never markup, never raw control codes.

Volunteers paste text from web pages, PDFs and terminals. A legal reference such
as "Article 278 [263] (g)" looks like console markup, and a stray ANSI escape
would reach the terminal and repaint it. Every widget that shows statement text
goes through :func:`literal`, which builds a ``Content`` object that is never
parsed as markup, from :func:`workbench.textfacts.visible` text: control
characters swapped for their visible "control pictures" (ESC becomes "␛"),
one character for one, so offsets of glossary matches stay valid. The editor
turns them back with :func:`workbench.textfacts.from_visible`, so an untouched
translation is saved exactly as it was stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.content import Content

from workbench.textfacts import visible

def literal(text: str, style: str = "") -> Content:
    """Statement text as a ``Content`` object: shown as typed, styled as a whole."""
    content = Content(visible(text))
    return content.stylize(style) if style else content


def literal_text(text: str, style: str = "") -> Text:
    """The Rich ``Text`` twin of :func:`literal`, for widgets that take Rich renderables (DataTable)."""
    return Text(visible(text), style=style)


def one_line(text: str, width: int) -> str:
    """A single display line: whitespace collapsed, cut with an ellipsis at ``width`` cells."""
    flat = " ".join(visible(text).split())
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
