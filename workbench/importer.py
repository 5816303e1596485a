"""Import statement files into the workspace store.

The segmenter decides what a statement and a segment are; this module reads
files safely, detects each segment's language (its statement's, unless the
segment strongly says otherwise: :func:`~workbench.languages.detect_languages`),
and reconciles what it finds with what the store already holds:

* a file imported twice changes nothing;
* a statement found in two files is stored once (the second file is noted);
* an edited file keeps the translations of unchanged segments, and sends the
  translations of changed segments back to review with the old source kept;
* so does an edited copy of a statement in another file (see :func:`_edited_copy_of`).

Paths are stored relative to the workspace, so that every clone of it (the
workspace is shared through git) agrees on them. A file imported from outside
the workspace is copied into ``data/statements/``, the folder git shares, and
stored as that copy; the import report says so.

Each file is imported in its own transaction: a bad file is refused whole and
nothing already stored is touched. Only regular files are opened: a named pipe,
a device or a link that leads nowhere is refused by name, without waiting on it.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import secrets
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from workbench.languages import detect_languages
from workbench.segmenter import ParsedStatement, Unit, parse_text
from workbench.sentences import split_sentences
from workbench.store import Store
from workbench.workspace import Workspace

IMPORTABLE_SUFFIXES = (".txt", ".md")
MAX_FILE_BYTES = 16 * 1024 * 1024
"""Statement pages are kilobytes; a bigger file is almost surely not one."""
LEGACY_ENCODINGS = ("cp1252",)
"""Tried, with a warning, when a file is not UTF-8: what old Windows editors save."""
BINARY_WINDOW = 8192
"""Characters per window of the binary check: a binary part is found wherever it is in the file."""
SLUG_MAX = 60
REWORDED_SIMILARITY = 60
"""How alike (0-100) an edited paragraph must be to its old text to keep its id and translations."""
SHARED_PARAGRAPHS = 0.5
"""The share of body paragraphs an edited copy must have word for word to be recognised (see :func:`_edited_copy_of`)."""

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Control characters (Unicode category Cc) other than the whitespace ones: rare in prose, common in binaries."""


class ImportInputError(Exception):
    """A file that cannot be imported; the message says what to do about it."""


@dataclass(frozen=True)
class Refused:
    """Something met while listing a folder that cannot be imported, with the one-line reason."""

    path: Path
    reason: str


@dataclass
class FileReport:
    """What importing one file did, for the CLI summary and the tests."""

    path: Path
    statements_added: int = 0
    statements_updated: int = 0
    statements_unchanged: int = 0
    duplicates: int = 0
    segments_added: int = 0
    segments_changed: int = 0
    segments_removed: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What a volunteer should know about single statements: which known statement a file updated, or why it did not."""
    copied_to: str | None = None
    """For a file from outside the workspace: its copy in ``data/statements/``, relative to the workspace, which is what is stored."""
    error: str | None = None

    def summary(self) -> str:
        if self.error:
            return f"error: {self.error}"
        parts = [
            f"{self.statements_added} new",
            f"{self.statements_updated} updated",
            f"{self.statements_unchanged} unchanged",
            f"{self.duplicates} duplicate",
        ]
        detail = f" (segments: +{self.segments_added} ~{self.segments_changed} -{self.segments_removed})"
        copied = f" (copied into {self.copied_to}, where teammates get it)" if self.copied_to else ""
        return f"{self.path.name}{copied}: statements " + ", ".join(parts) + detail


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | Refused]:
    """Files to import: the given paths, and the importable files inside given folders, in name order.

    A path that is not a folder is passed on as it is, even if it does not
    exist, so it is reported like any refused file while the others are still
    imported. A folder with nothing to import, a subfolder that cannot be read
    and a folder link that leads back into itself come out as :class:`Refused`
    in their place, and the walk goes on.
    """
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
        elif nothing_to_import(path):
            suffixes = " or ".join(IMPORTABLE_SUFFIXES)
            yield Refused(path, f"{path}: nothing to import: no {suffixes} files in this folder or its subfolders; give the statement files or the folder that holds them")
        else:
            yield from _folder_files(path, frozenset(), set())


def nothing_to_import(folder: Path) -> bool:
    """Whether a folder holds no statement file, and nothing that should have been one (an unreadable subfolder, a loop)."""
    return next(_folder_files(folder, frozenset(), set()), None) is None


def _folder_files(folder: Path, ancestors: frozenset[tuple[int, int]], seen: set[tuple[int, int]]) -> Iterator[Path | Refused]:
    """The walk behind :func:`expand_paths`: depth first, names sorted, folder links followed.

    ``ancestors`` are the folders (device and inode) on the way down, so a link
    back to one of them is a loop, reported once instead of walked forever;
    ``seen`` are all folders walked, so one reached again by another link is
    not imported twice. Entries with another suffix are left alone, except a
    link that loops, which is broken whatever it was meant to be.
    """
    try:
        info = folder.stat()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield Refused(folder, _unreadable(folder, error, "folder"))
        return
    here = (info.st_dev, info.st_ino)
    lineage = ancestors | {here}
    seen.add(here)
    for entry in entries:
        path = folder / entry.name
        importable = path.suffix.lower() in IMPORTABLE_SUFFIXES
        try:
            target = entry.stat()
        except OSError as error:
            if importable or error.errno == errno.ELOOP:
                yield path  # read_text says what is wrong: a link that loops or leads nowhere, a permission
            continue
        key = (target.st_dev, target.st_ino)
        if not stat.S_ISDIR(target.st_mode):
            if importable:
                yield path
        elif key in lineage:
            yield Refused(path, f"{path}: a folder link back to a folder it is in (a symlink loop): skipped; remove the link or point it elsewhere")
        elif key not in seen:
            yield from _folder_files(path, lineage, seen)


def _unreadable(path: Path, error: OSError, what: str) -> str:
    """The one-line reason a file or folder cannot be read, and what to do."""
    if isinstance(error, PermissionError):
        skipped = "its files were skipped" if what == "folder" else "it was skipped"
        return f"{path}: permission denied: cannot read this {what}, so {skipped}; check its permissions and import it again"
    if error.errno == errno.ELOOP:
        return f"{path}: a symbolic link that loops back on itself: point it at the statement file, or remove it"
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        if path.is_symlink():
            return f"{path}: a link to {os.readlink(path)}, which does not exist: fix the link, or remove it"
        return f"{path}: no such file or folder: check the path"
    return f"{path}: cannot read this {what} ({error.strerror or error}): check it and import it again"


def read_text(path: Path) -> tuple[str, list[str]]:
    """Decode a statement file, refusing what is not text.

    Returns the text (newlines normalized) and any warnings, such as a legacy
    encoding that was decoded for the volunteer.
    """
    return _text_of(path, _read_bytes(path))


def _text_of(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """:func:`read_text` of bytes already read."""
    if not raw.strip():
        raise ImportInputError(f"{path}: the file is empty: nothing to import")
    warnings: list[str] = []
    text = _decode(path, raw, warnings)
    if _looks_binary(text):
        raise ImportInputError(f"{path}: this looks like a binary file, not text: export the statement as plain text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportInputError(f"{path}: the file is empty: nothing to import")
    return text, warnings


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; a folder, a named pipe or a device is refused without being opened.

    The file is opened non-blocking and checked again once open, so a pipe put
    in its place in between cannot hang the import either.
    """
    try:
        info = path.stat()
    except OSError as error:
        raise ImportInputError(_unreadable(path, error, "file")) from None
    _refuse_non_file(path, info.st_mode)
    if info.st_size > MAX_FILE_BYTES:
        raise ImportInputError(
            f"{path}: {info.st_size / 1_048_576:.1f} MB is too large for a statement file "
            f"(limit {MAX_FILE_BYTES // 1_048_576} MB): split it into smaller files"
        )
    if path.suffix.lower() not in IMPORTABLE_SUFFIXES:
        raise ImportInputError(f"{path}: only .txt and .md files can be imported: save it as plain text")
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            _refuse_non_file(path, os.fstat(handle.fileno()).st_mode)
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportInputError(_unreadable(path, error, "file")) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ImportInputError(f"{path}: grew past {MAX_FILE_BYTES // 1_048_576} MB while being read: import it again once it is saved")
    return raw


def _refuse_non_file(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ImportInputError(f"{path}: a folder, not a file: import the folder with 'workbench import {path}'")
    if stat.S_ISFIFO(mode):
        raise ImportInputError(f"{path}: a named pipe (FIFO), not a file: it was not opened; import the statement file itself")
    if not stat.S_ISREG(mode):
        raise ImportInputError(f"{path}: a device or socket, not a file: it was not opened; import the statement file itself")


def _decode(path: Path, raw: bytes, warnings: list[str]) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportInputError(
                f"{path}: starts like UTF-16 text but is not (bad data at offset {error.start}): save the file as UTF-8 and import it again"
            ) from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ImportInputError(f"{path}: this looks like a binary file, not text (a NUL byte at offset {nul}): export the statement as plain text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_bad = error.start
    for encoding in LEGACY_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.append(f"{path.name}: not UTF-8 (first bad byte at {first_bad}); decoded as {encoding}: check accents, and save it as UTF-8")
        return text
    raise ImportInputError(f"{path}: not UTF-8 text (bad byte at offset {first_bad}): save the file as UTF-8 and import it again")


def _looks_binary(text: str) -> bool:
    """Whether some part of the text is not prose: a NUL anywhere, or too many control characters in any window.

    Control characters other than whitespace are rare in prose and common in
    binaries. Counting window by window, not over the whole file, finds a
    binary part after pages of text (a file that was glued to an image).
    """
    if "\x00" in text:
        return True
    for start in range(0, len(text), BINARY_WINDOW):
        window = text[start : start + BINARY_WINDOW]
        if len(_CONTROL_RE.findall(window)) > max(8, len(window) // 100):
            return True
    return False


def slugify(title: str) -> str:
    """A file-name-safe identifier for a statement, from its title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "statement"


def fingerprint(statement: ParsedStatement) -> str:
    """Identity of a statement's content, to recognise it in another file."""
    digest = hashlib.sha1()
    for unit in statement.segments:
        digest.update(" ".join(unit.text.split()).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def segment_id(slug: str, source: str, occurrence: int) -> str:
    """Deterministic, so two workspaces importing the same file agree on ids (and msgctxt)."""
    return hashlib.sha1(f"{slug}\x00{source}\x00{occurrence}".encode()).hexdigest()[:12]


def import_paths(workspace: Workspace, paths: Iterable[str | Path], *, author: str = "import") -> list[FileReport]:
    """Import files and folders; a refused file is reported and the rest go on."""
    return list(import_each(workspace, paths, author=author))


def import_each(workspace: Workspace, paths: Iterable[str | Path], *, author: str = "import") -> Iterator[FileReport]:
    """:func:`import_paths` one file at a time: each report comes as soon as its file is imported.

    The CLI prints as it goes, so what was imported is on screen even if a
    later file stops the run (a full disk).
    """
    for found in expand_paths(paths):
        if isinstance(found, Refused):
            yield FileReport(path=found.path, error=found.reason)
            continue
        try:
            report = import_file(workspace.store, found, author=author, relative_to=workspace.root, shared_folder=workspace.statements_dir)
        except ImportInputError as error:
            report = FileReport(path=found, error=str(error))
        yield report


def import_file(store: Store, path: Path, *, author: str = "import", relative_to: Path | None = None,
                shared_folder: Path | None = None) -> FileReport:
    """Import one file in one transaction.

    With ``relative_to`` (the workspace), the file is stored by its path
    relative to it. A file outside it is copied into ``shared_folder`` when
    one is given (``data/statements/``) and stored as that copy, so a
    teammate's clone has the file too; the copy is written in the same
    transaction, so a refused file leaves no copy and a failed copy stores
    nothing.
    """
    raw = _read_bytes(path)
    text, warnings = _text_of(path, raw)
    report = FileReport(path=path, warnings=warnings)
    parsed = _attach_orphan_metadata(parse_text(text))
    if not parsed:
        raise ImportInputError(f"{path}: found nothing to translate (only dates, links or contacts): check that this is a statement file")
    copy: Path | None = None
    if relative_to is not None and shared_folder is not None and not path.resolve().is_relative_to(relative_to.resolve()):
        copy = _shared_copy(path, shared_folder)
        report.copied_to = _display_path(copy, relative_to)
    source_file = report.copied_to or _display_path(path, relative_to)
    claimed: set[int] = set()
    with store.transaction():
        if copy is not None:
            store.rename_source_files(_display_path(path, None), source_file)  # an older workbench stored it by its absolute path
        stored_from_file = store.statements_from(source_file)
        for statement in parsed:
            claimed.add(_import_statement(store, statement, source_file, report, author, stored_from_file, claimed))
        if copy is not None:
            _write_copy(copy, raw)
    return report


def _shared_copy(path: Path, folder: Path) -> Path:
    """Where in ``folder`` a file from outside the workspace is copied: ``<name>-<8 hex digits>.<suffix>``.

    The digits are a digest of the file's absolute path: they tell files of
    the same name apart without storing where they live on this laptop. The
    same file gets the same copy each time, so a new version of it replaces
    its copy, as editing a file inside the workspace would, and the importer
    knows it by that name as it knew it by its path; two files that share a
    name (``2015/imd.txt``, ``2016/imd.txt``) get two copies.
    """
    digest = hashlib.sha1(path.resolve().as_posix().encode()).hexdigest()[:8]
    return folder / f"{path.stem}-{digest}{path.suffix}"


def _write_copy(path: Path, raw: bytes) -> None:
    """Write the copied file atomically (a temporary file renamed into place), unless it already holds ``raw``."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        if path.is_file() and path.read_bytes() == raw:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "xb") as handle:
            handle.write(raw)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ImportInputError(f"{path}: cannot write the shared copy of the file ({error.strerror or error}): "
                               "check the disk and the folder's permissions, and import it again") from None


def _attach_orphan_metadata(parsed: list[ParsedStatement]) -> list[ParsedStatement]:
    """Fold statements with nothing to translate (a stray date or contact block) into a neighbour.

    Their metadata is part of the source, and nothing from the source may be lost.
    """
    kept = [statement for statement in parsed if statement.segments]
    if not kept:
        return []
    for statement in parsed:
        if statement.segments:
            continue
        neighbour = max((s for s in kept if s.start_line < statement.start_line), key=lambda s: s.start_line, default=kept[0])
        neighbour.metadata.extend(statement.metadata)
    return kept


def _display_path(path: Path, relative_to: Path | None) -> str:
    resolved = path.resolve()
    if relative_to is not None and resolved.is_relative_to(relative_to):
        return resolved.relative_to(relative_to).as_posix()
    return resolved.as_posix()


def _import_statement(
    store: Store,
    statement: ParsedStatement,
    source_file: str,
    report: FileReport,
    author: str,
    stored_from_file: list[dict[str, Any]],
    claimed: set[int],
) -> int:
    """Store one parsed statement; returns the id of the statement it became or matched.

    An edited statement is found among ``stored_from_file`` by its title, or
    anywhere in the store as an edited copy (:func:`_edited_copy_of`);
    ``claimed`` holds the statements this pass already matched, so two
    statements with the same title in one file stay two statements.
    """
    content_id = fingerprint(statement)
    same_content = store.find_statement(fingerprint=content_id)
    if same_content is not None:
        if same_content["source_file"] == source_file:
            report.statements_unchanged += 1
        else:
            _note_duplicate(store, same_content, source_file, statement.start_line, content_id)
            report.duplicates += 1
        return same_content["id"]
    slug = slugify(statement.title)
    earlier = next(
        (s for s in stored_from_file if s["id"] not in claimed and slugify(s["title"]) == slug),
        None,
    ) or _edited_copy_of(store, statement, slug, claimed)
    if earlier is not None:
        return _update_statement(store, earlier, statement, source_file, content_id, report, author)
    record = _statement_record(statement, source_file, content_id)
    record["slug"] = _free_slug(store, slug)
    if record["slug"] != slug:
        report.notes.append(
            f"{report.path.name}: '{statement.title}' is stored as a new statement, {record['slug']}: "
            f"it is not recognised as an edited copy of {slug}"
        )
    statement_id = store.save_statement(record)
    texts = [unit.text for unit in statement.segments]
    languages = detect_languages(texts, split_sentences=split_sentences)
    occurrences: Counter[str] = Counter()
    rows = []
    for position, (unit, lang) in enumerate(zip(statement.segments, languages, strict=True)):
        occurrences[unit.text] += 1
        rows.append(_segment_row(segment_id(record["slug"], unit.text, occurrences[unit.text]), statement_id, position, unit, lang))
    store.insert_segments(rows)
    report.statements_added += 1
    report.segments_added += len(rows)
    return statement_id


def _edited_copy_of(store: Store, statement: ParsedStatement, slug: str, claimed: set[int]) -> dict[str, Any] | None:
    """The known statement that ``statement``, read from another file, is an edited copy of, if any.

    A copy is recognised by two things at once: the same title (as slugs
    compare titles: case, accents and punctuation aside), and at least
    :data:`SHARED_PARAGRAPHS` of the body paragraphs of the longer of the two
    identical, character for character. Either alone would misfire: titles
    recur ("Press statement", each year's "International Migrants Day"), and a
    statement may quote whole paragraphs of another. Identical paragraphs, not
    similar ones, make the rule robust: an edit changes some paragraphs and
    leaves the rest exactly as they were (the segmenter joins soft-wrapped
    lines, so rewrapping changes nothing), while two different statements share
    next to none; half tolerates a thorough copy-edit, and an excerpt cut by
    "Continue reading" (a few paragraphs of many) stays a statement of its own.
    The title is left out of the count, since it is equal by construction.

    Of several candidates, the one sharing the most wins, then the oldest.
    """
    candidates = [s["id"] for s in store.titles_like(slug) if s["id"] not in claimed and slugify(s["title"]) == slug]
    if not candidates:
        return None
    body = Counter(unit.text for unit in statement.segments if unit.kind != "title")
    overlap = store.paragraph_overlap(candidates, list(body))
    best: tuple[float, int] | None = None
    for candidate in candidates:
        old_size, old_counts = overlap.get(candidate, (0, {}))
        shared = sum(min(count, body[source]) for source, count in old_counts.items())
        longer = max(body.total(), old_size)
        if shared and shared >= SHARED_PARAGRAPHS * longer and (best is None or (shared / longer, -candidate) > best):
            best = (shared / longer, -candidate)
    return store.statement(-best[1]) if best else None


def _sources(statement: dict[str, Any]) -> dict[str, str]:
    """The fingerprint each file gave a statement when last imported (one file's entry is implicit until another comes)."""
    return statement["metadata"].get("sources") or {statement["source_file"]: statement["fingerprint"]}


def _update_statement(
    store: Store, earlier: dict[str, Any], statement: ParsedStatement, source_file: str, content_id: str, report: FileReport, author: str
) -> int:
    """Bring a known statement up to the version ``source_file`` holds now; returns its id.

    Each file's last version is remembered (``sources`` in the metadata): a
    file that still holds the version it gave last time is unchanged, even if
    another file has updated the statement since. Two files holding two
    versions therefore do not undo each other on every import: the last edit
    wins, and stays.
    """
    sources = _sources(earlier)
    if sources.get(source_file) == content_id:
        report.statements_unchanged += 1
        return earlier["id"]
    record = _statement_record(statement, source_file, content_id)
    if "also_in" in earlier["metadata"]:
        record["metadata"]["also_in"] = earlier["metadata"]["also_in"]
    record["metadata"]["sources"] = {**sources, source_file: content_id}
    store.save_statement(record, earlier["id"])
    _reconcile_segments(store, earlier["id"], earlier["slug"], statement, author, report)
    report.statements_updated += 1
    if earlier["source_file"] != source_file:
        report.notes.append(
            f"{report.path.name}: '{statement.title}' is statement {earlier['slug']}, imported before from {earlier['source_file']}: "
            "updated from this file; changed paragraphs go to review"
        )
    return earlier["id"]


def _statement_record(statement: ParsedStatement, source_file: str, content_id: str) -> dict[str, Any]:
    return {
        "title": statement.title,
        "date": statement.date,
        "date_text": statement.date_text,
        "source_file": source_file,
        "start_line": statement.start_line,
        "truncated": statement.truncated,
        "fingerprint": content_id,
        "metadata": {
            "units": [{"kind": u.kind, "text": u.text, "line": u.line, "end_line": u.end_line} for u in statement.metadata],
            "end_line": statement.end_line,
        },
    }


def _segment_row(identifier: str, statement_id: int, position: int, unit: Unit, lang: str) -> dict[str, Any]:
    return {
        "id": identifier,
        "statement_id": statement_id,
        "position": position,
        "kind": unit.kind,
        "source": unit.text,
        "source_lang": lang,
        "previous_source": None,
        "line": unit.line,
        "obsolete": 0,
    }


def _free_slug(store: Store, slug: str) -> str:
    """Two different statements may share a title; the later one gets a numbered slug."""
    taken = store.slugs_like(slug)
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def _note_duplicate(store: Store, existing: dict[str, Any], source_file: str, line: int, content_id: str) -> None:
    """Remember where else a statement appears, and which version that file holds, once."""
    metadata = existing["metadata"]
    seen_in = metadata.setdefault("also_in", [])
    location = f"{source_file}:{line}"
    sources = _sources(existing)
    if location in seen_in and sources.get(source_file) == content_id:
        return
    if location not in seen_in:
        seen_in.append(location)
    metadata["sources"] = {**sources, source_file: content_id}
    store.update_statement_metadata(existing["id"], metadata)


def _reconcile_segments(store: Store, statement_id: int, slug: str, statement: ParsedStatement, author: str, report: FileReport) -> None:
    """Align the edited statement with the stored one and apply the differences.

    ``difflib`` pairs unchanged paragraphs even when others were inserted or
    removed around them; a replaced run pairs old and new paragraphs in order,
    so a reworded paragraph keeps its id and its translations (sent to review).
    """
    old = store.segments(statement_id)
    new_units = statement.segments
    matcher = difflib.SequenceMatcher(a=[s["source"] for s in old], b=[u.text for u in new_units], autojunk=False)
    languages = detect_languages([u.text for u in new_units], split_sentences=split_sentences)
    taken = {s["id"] for s in store.segments(statement_id, include_obsolete=True)}
    removed: list[str] = []
    new_rows: list[dict[str, Any]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False)) if tag == "equal" else _pair_edits(old, new_units, i1, i2, j1, j2)
        for i, j in pairs:
            unit = new_units[j]
            store.update_segment(old[i]["id"], position=j, kind=unit.kind, line=unit.line)
            if tag != "equal":
                store.change_segment_source(old[i]["id"], unit.text, author=author)
                report.segments_changed += 1
        paired_old, paired_new = {i for i, _ in pairs}, {j for _, j in pairs}
        removed.extend(old[i]["id"] for i in range(i1, i2) if i not in paired_old)
        for j in range(j1, j2):
            if j not in paired_new:
                identifier = _fresh_segment_id(slug, new_units[j].text, taken)
                new_rows.append(_segment_row(identifier, statement_id, j, new_units[j], languages[j]))
    store.mark_obsolete(removed)
    store.insert_segments(new_rows)
    report.segments_removed += len(removed)
    report.segments_added += len(new_rows)


def _pair_edits(old: list[dict[str, Any]], new_units: list[Unit], i1: int, i2: int, j1: int, j2: int) -> list[tuple[int, int]]:
    """Pair each new paragraph of a replaced run with the old one it rewords, if any.

    Pairs keep their order and need a similarity of at least
    :data:`REWORDED_SIMILARITY`; the rest are real removals and insertions.
    """
    pairs: list[tuple[int, int]] = []
    next_old = i1
    for j in range(j1, j2):
        scores = [(fuzz.ratio(old[i]["source"], new_units[j].text), i) for i in range(next_old, i2)]
        if not scores:
            break
        score, best = max(scores)
        if score >= REWORDED_SIMILARITY:
            pairs.append((best, j))
            next_old = best + 1
    return pairs


def _fresh_segment_id(slug: str, source: str, taken: set[str]) -> str:
    occurrence = 1
    while (identifier := segment_id(slug, source, occurrence)) in taken:
        occurrence += 1
    taken.add(identifier)
    return identifier
