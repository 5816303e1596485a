"""The store's own errors, worded for volunteers.

No caller ever sees ``sqlite3`` exceptions: :func:`translated` turns each into
a :class:`StoreError` whose message says what happened and what to do, so the
CLI and the TUI can show one line instead of a traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


class StoreError(Exception):
    """A request the store cannot satisfy, such as an unknown id or status."""


class DatabaseError(StoreError):
    """The database file itself cannot be used: corrupt, locked, read-only or on a full disk."""


class ConflictError(StoreError):
    """A write was based on a version of a translation that is no longer current."""

    def __init__(self, current: dict[str, Any], attempted_text: str) -> None:
        self.current = current
        self.attempted_text = attempted_text
        super().__init__(
            f"segment {current['segment_id']} ({current['lang']}) was changed by "
            f"{current.get('author') or 'someone else'} (now version {current['version']}): "
            "reload it and merge your edit"
        )


def translated(error: sqlite3.Error, path: Path) -> DatabaseError:
    """A :class:`DatabaseError` that says, in a volunteer's words, what went wrong with ``path``."""
    text = str(error)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        advice = (f"{path} is not a readable workbench database ({text}): restore it from git or a backup, "
                  "or move it aside and run 'workbench init' to start a new one")
    elif "locked" in lowered or "busy" in lowered:
        advice = f"{path} is busy: another workbench is writing to it; wait a moment and try again"
    elif "disk is full" in lowered or "disk i/o" in lowered:
        advice = f"could not write {path} ({text}): free some disk space and try again; nothing was saved"
    elif "readonly" in lowered or "read-only" in lowered:
        advice = f"{path} is read-only: reading works, but to save, make the workspace writable"
    elif "unable to open" in lowered:
        advice = f"cannot open the database {path} ({text}): check that its folder exists and is writable"
    else:
        advice = f"database error in {path} ({text}): try again; if it persists, restore the database from git"
    return DatabaseError(advice)
