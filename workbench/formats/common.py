"""What every file format shares: its error, the export scope, file names, atomic writes.

An export resolves its request once (:func:`export_scope`: locales, statements and
their current segments), names one file per statement with :func:`file_stems`, and
writes through :class:`ExportResult`, which writes atomically and leaves a file that
is already up to date alone. A file a format cannot read or write, or a request it
cannot carry out, raises :class:`FormatError` with one line for a volunteer.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.glossary import GlossaryError
from workbench.languages import UnknownLanguageError, language, resolve_locale
from workbench.store import Store
from workbench.workspace import Limits, Workspace

GLOSSARY_MAX_BYTES = round(Limits.glossary_max_mb * 1_000_000)
"""The largest glossary file an import reads by default (5 MB, some 70,000 terms of a real glossary)."""
EXPORTS_DIR = "exports"
"""Where JSON and Markdown go by default, beside ``locales/`` (which is for PO files)."""
STEM_MAX = 100
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))})


class FormatError(Exception):
    """A file a format cannot read or write, or an export request it cannot carry out.

    The message names the file (and line) or the option, and says what to do.
    """


@dataclass
class ExportResult:
    """Files one export wrote, and what a volunteer should know about them."""

    files: list[Path] = field(default_factory=list)
    """Every file the export covers, rewritten or already up to date."""
    unchanged: int = 0
    """How many of them already held exactly what the export would write."""
    warnings: list[str] = field(default_factory=list)

    def write(self, path: Path, text: str) -> None:
        """Write one file of the export atomically, noting it."""
        if not write_atomic(path, text):
            self.unchanged += 1
        self.files.append(path)

    def summary(self) -> str:
        folders = sorted({str(path.parent) for path in self.files})
        if not folders:
            where = ""
        elif len(folders) == 1:
            where = f" in {folders[0]}"
        else:
            where = f" in {len(folders)} folders under {os.path.commonpath(folders)}"
        plural = "s" if len(self.files) != 1 else ""
        kept = f" ({self.unchanged} already up to date)" if self.unchanged else ""
        return f"exported {len(self.files)} file{plural}{where}{kept}"


@dataclass(frozen=True)
class ExportScope:
    """What one export covers: locales, statements, and their current segments in reading order."""

    locales: list[str]
    statements: list[dict[str, Any]]
    segments: dict[int, list[dict[str, Any]]]


def export_scope(workspace: Workspace, locales: Iterable[str] | None, statement: int | str | None) -> ExportScope:
    """Resolve an export request; an unknown locale or statement is refused before anything is written."""
    chosen = list(locales or workspace.target_locales)
    for locale in chosen:
        language(locale)
    store = workspace.store
    statements = store.statements() if statement is None else [store.statement(statement)]
    grouped: dict[int, list[dict[str, Any]]] = {record["id"]: [] for record in statements}
    rows = store.segments(statements[0]["id"]) if len(statements) == 1 else store.segments()
    for segment in rows:
        if segment["statement_id"] in grouped:
            grouped[segment["statement_id"]].append(segment)
    return ExportScope(chosen, statements, grouped)


def translations_for(store: Store, statements: list[dict[str, Any]], locale: str) -> dict[str, dict[str, Any]]:
    """Saved translations into ``locale`` as ``{segment_id: row}``, in one query."""
    statement_id = statements[0]["id"] if len(statements) == 1 else None
    saved = store.translations(statement_id=statement_id, lang=locale)
    return {segment_id: by_lang[locale] for segment_id, by_lang in saved.items()}


def status_of(row: dict[str, Any] | None) -> str:
    """A segment's status in one locale; no saved row means untranslated."""
    return row["status"] if row else "untranslated"


def file_stems(statements: list[dict[str, Any]]) -> dict[int, str]:
    """A safe, unique file name stem per statement, from its slug only.

    Slugs are already file-name safe when the importer makes them; they are checked
    again here because a file name is where a stray ``/`` or ``..`` does harm. A slug
    that needed cleaning, or that would collide (also case-insensitively, as on macOS
    and Windows), gets the statement id appended so two statements never share a file.
    """
    stems: dict[int, str] = {}
    taken: set[str] = set()
    for statement in statements:
        slug = str(statement["slug"] or "")
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", slug).strip(".-")[:STEM_MAX].strip(".-")
        if stem != slug or not stem or stem.lower() in WINDOWS_RESERVED:
            stem = f"{stem or 'statement'}-{statement['id']}"
        while stem.lower() in taken:
            stem = f"{stem}-{statement['id']}"
        taken.add(stem.lower())
        stems[statement["id"]] = stem
    return stems


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place.

    A reader (or Poedit, or git) sees the old file or the new one, never half of
    one, even if the export is interrupted. A file that already holds ``text`` is
    left alone (returns False): re-exports are deterministic, so most files are
    unchanged, and replacing a file costs a data flush on ext4. There is no
    fsync: exported files can always be written again from the database.
    """
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as handle:  # "x": never reuse a file; the umask applies
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def refuse_oversized_glossary(path: Path, max_bytes: int) -> None:
    """Refuse a glossary file larger than ``max_bytes`` before a byte of it is parsed.

    Parsing costs far more than the file's size: a million-row CSV took minutes
    and more than a gigabyte of memory.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise GlossaryError(
            f"{path.name}: {size / 1_000_000:.1f} MB ({size:,} bytes) is over the {max_bytes / 1_000_000:g} MB limit for glossary files: "
            "split it into smaller files, or raise glossary_max_mb under [limits] in workbench.toml"
        )


def file_locale(code: str, locales: list[str]) -> str | None:
    """The workspace locale a file's language code means (``es-MX`` falls back to ``es``), or None if the workspace lacks it."""
    for candidate in (code, code.replace("-", "_").split("_")[0]):
        try:
            return resolve_locale(candidate, locales)
        except UnknownLanguageError:
            continue
    return None
