"""Who is working: one identity for the history, the commits and the PO files' ``Last-Translator``.

A volunteer is named the same way everywhere, so a teammate who reads a
translation's history, ``git log`` or a PO header sees one person, not three
spellings of them. The identity is, in this order:

1. ``$WORKBENCH_AUTHOR`` (``"Name <email>"`` or just a name): an explicit
   choice wins, as ``GIT_AUTHOR_NAME`` wins over git's settings; a laptop
   shared by two volunteers, or a browser volunteer of ``serve``, sets it;
2. git's ``user.name`` and ``user.email`` as the workspace's repository sees
   them (its own ``.git/config``, else the volunteer's global settings): what
   their commits already say;
3. the login name, when neither says anything.
"""

from __future__ import annotations

import functools
import getpass
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

AUTHOR_ENV = "WORKBENCH_AUTHOR"
WORKSPACE_ENV = "WORKBENCH_WORKSPACE"
_NAME_AND_EMAIL = re.compile(r"\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*")


@dataclass(frozen=True)
class Identity:
    """A volunteer's name and, when known, e-mail address."""

    name: str
    email: str = ""

    def __str__(self) -> str:
        """``Name <email>``, the form of git's authors and of PO's ``Last-Translator``."""
        if self.email:
            return f"{self.name} <{self.email}>" if self.name else f"<{self.email}>"
        return self.name

    @classmethod
    def parse(cls, text: str) -> Identity:
        """``"Name <email>"``, ``"<email>"`` or a bare name, as ``$WORKBENCH_AUTHOR`` holds it."""
        found = _NAME_AND_EMAIL.fullmatch(text)
        if found is None:
            return cls(" ".join(text.split()))
        name, email = " ".join(found.group("name").split()), found.group("email").strip()
        return cls(name or email.split("@")[0], email)


def identity(root: str | os.PathLike[str] | None = None) -> Identity:
    """The identity of whoever works in the workspace at ``root`` (default: ``$WORKBENCH_WORKSPACE``, else the current folder)."""
    declared = os.environ.get(AUTHOR_ENV, "").strip()
    if declared:
        return Identity.parse(declared)
    folder = Path(root or os.environ.get(WORKSPACE_ENV) or Path.cwd()).expanduser().resolve()
    name, email = _git_user(str(folder))
    if name or email:
        return Identity(name or email.split("@")[0], email)
    return Identity(_login_name())


def author(root: str | os.PathLike[str] | None = None) -> str:
    """The identity as the history and ``Last-Translator`` record it."""
    return str(identity(root))


@functools.lru_cache(maxsize=8)
def _git_user(folder: str) -> tuple[str, str]:
    """git's ``user.name`` and ``user.email`` seen from ``folder``; empty when git is missing or says nothing.

    Asked once per folder and process: a TUI session saves hundreds of times.
    """
    try:
        found = subprocess.run(["git", "config", "--get-regexp", r"^user\.(name|email)$"], cwd=folder,
                               capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "", ""
    values: dict[str, str] = {}
    for line in found.stdout.splitlines():
        key, _, value = line.partition(" ")
        values[key.lower()] = value.strip()  # the last one wins, as in git: local settings come after global ones
    return values.get("user.name", ""), values.get("user.email", "")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no $USER and no passwd entry: a bare container
        return "volunteer"
