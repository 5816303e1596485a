"""Where each volunteer left off: the last statement, and in each statement its paragraph and language.

A Tagalog volunteer should not press Tab three times per statement, nor look
for the statement they were in. The place is one person's, not the team's
work, so it lives in a small JSON file in the user's state folder
(platformdirs), keyed by workspace folder and volunteer, and never in the
workspace's database (the store is the only room with SQL, and the database is
shared). It is written each time the volunteer moves to another paragraph or
language (so leaving the editor, or the app, finds it current), and read when
the app and a statement open.

A file that cannot be read or written costs only the remembered place: the
volunteer starts at the first paragraph, as before, and their work is never at
stake, so such errors are not worth a dialog.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

STATE_FILE = "positions.json"
KEEP = 300
"""Statements remembered per workspace and volunteer, the most recently opened kept."""


def default_state_dir() -> Path:
    """The per-user state folder (``$XDG_STATE_HOME/workbench`` on Linux)."""
    return platformdirs.user_state_path("workbench")


@dataclass(frozen=True)
class Position:
    """A place in a statement; ``paragraph`` is its 1-based number, for saying where it is."""

    statement_id: int
    segment_id: str
    lang: str
    paragraph: int


class Positions:
    """The remembered places of one volunteer in one workspace."""

    def __init__(self, path: Path, workspace: Path, author: str) -> None:
        self.path = path
        self.workspace = str(workspace.resolve())
        self.author = author
        self._mine: dict[str, Any] = self._read_mine(self._read())

    def _read(self) -> dict[str, Any]:
        """The whole file (every workspace and volunteer of this user), or an empty one if it is unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _read_mine(self, data: dict[str, Any]) -> dict[str, Any]:
        workspaces = data.get("workspaces")
        mine = workspaces.get(self.workspace, {}).get(self.author) if isinstance(workspaces, dict) else None
        if not isinstance(mine, dict) or not isinstance(mine.get("statements"), dict):
            return {"last": None, "lang": None, "statements": {}}
        return mine

    def _position(self, statement_id: int) -> Position | None:
        place = self._mine["statements"].get(str(statement_id))
        try:
            return Position(statement_id, str(place["segment"]), str(place["lang"]), int(place["paragraph"]))
        except (TypeError, KeyError, ValueError):
            return None

    def last(self) -> Position | None:
        """Where the volunteer was last, in any statement of this workspace."""
        last = self._mine.get("last")
        return self._position(last) if isinstance(last, int) else None

    def of(self, statement_id: int) -> Position | None:
        """Where the volunteer left this statement, if they opened it before."""
        return self._position(statement_id)

    def language(self) -> str | None:
        """The language the volunteer worked in last: a statement never opened starts in it."""
        lang = self._mine.get("lang")
        return lang if isinstance(lang, str) else None

    def remember(self, statement_id: int, segment_id: str, lang: str, paragraph: int) -> None:
        """Record a place and write the file, unless the place is the one already recorded."""
        statements: dict[str, Any] = self._mine["statements"]
        key = str(statement_id)
        place = {"segment": segment_id, "lang": lang, "paragraph": paragraph}
        if statements.get(key) == place and self._mine.get("last") == statement_id:
            return
        statements.pop(key, None)
        statements[key] = place  # the most recent last, so the oldest go first
        for old in list(statements)[:-KEEP]:
            del statements[old]
        self._mine.update(last=statement_id, lang=lang)
        self._write()

    def _write(self) -> None:
        """Write atomically, re-reading the file first so another workspace's app loses nothing."""
        data = self._read()
        workspaces = data.get("workspaces")
        if not isinstance(workspaces, dict):
            workspaces = data["workspaces"] = {}
        entry = workspaces.get(self.workspace)
        if not isinstance(entry, dict):
            entry = workspaces[self.workspace] = {}
        entry[self.author] = self._mine
        data["version"] = 1
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".positions-", suffix=".json")
        except OSError:
            return  # a read-only or full disk: the place is not remembered, nothing else is lost
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False)
            os.replace(temporary, self.path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
