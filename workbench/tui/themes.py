"""The light and the dark theme, and which of them suits the terminal."""

from __future__ import annotations

import os

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
THEME_ENV = "WORKBENCH_THEME"


def terminal_theme(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The theme that matches the terminal: ``$WORKBENCH_THEME``, else a light/dark guess.

    Terminals that know their colours export ``COLORFGBG`` ("15;0" is light
    text on black). Background colours 7 and 9-15 are the light ones; anything
    else, or no hint at all, means the dark theme most terminals ship with.
    """
    chosen = environ.get(THEME_ENV, "").strip()
    if chosen:
        return chosen
    hint = environ.get("COLORFGBG", "")
    background = hint.split(";")[-1].strip() if hint else ""
    if background.isdigit() and (int(background) == 7 or 9 <= int(background) <= 15):
        return LIGHT_THEME
    return DARK_THEME
