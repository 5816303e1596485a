"""Gettext PO export and import: how translations travel to Poedit or Weblate and back.

Export writes one PO file per statement and locale, at
``locales/<locale>/LC_MESSAGES/<statement-slug>.po``:

* ``msgctxt`` is the stable segment id, ``msgid`` the source, ``msgstr`` the translation;
* ``machine`` and ``needs-review`` translations are ``#, fuzzy``; a fuzzy entry whose
  source changed carries the previous source as ``#| msgid`` (as ``msgmerge`` does);
* ``#.`` gives the segment kind, a machine draft's confidence (its least confident
  sentence's, ``MT confidence: 0.42``) and the glossary terms found in the source with
  their renderings; ``#:`` the source file and line; ``#`` the translator comment.
  Import reads none of the ``#.`` lines: they are notes for the translator.

Beside them, ``locales/templates/<statement-slug>.pot`` holds the same entries with
empty translations: the template Weblate and ``msginit`` start a new language from.

The files live in git and are shared by every clone of the workspace, so output is
deterministic and changes only with what it says: no clock, no version, references
relative to the workspace. A file's PO-Revision-Date and Last-Translator are kept
while its translations are the same, whoever exported it (see :func:`_plan_file`);
Last-Translator names a person, never an MT engine. POT-Creation-Date is the
statement's import, kept while the template's entries are the same.

The PO text is written here rather than by polib's ``save()``: it is several times
faster, and the tests check that polib and translate-toolkit (Weblate's parser) read
every file back identically and that ``msgfmt --check`` accepts it.

Reading checks the file before polib parses it, because polib accepts broken files:
its size (``[limits] po_max_mb``), its charset against its bytes, every line against
the PO grammar and its escapes, and the order of keywords in each entry. A malformed
file is refused whole, naming the line, and changes nothing.

Import matches entries by ``msgctxt``. To tell a translator's edit from a change made
in the workspace meanwhile, every export records what each entry held
(``po_export_files`` and ``po_exports``, keyed by the ``X-Workbench-Export`` header
value, which is a digest of the exported states: re-exporting unchanged translations
gives the same id and byte-identical files). An entry changed on both sides is a
conflict; both texts are kept, one current and one in the history. A machine draft
no volunteer has touched is no one's work: a translator's text replaces it (the
draft stays in the history) without a conflict. The status an imported entry gets
and keep-both on a conflict are the workflow rules of :mod:`workbench.workflow`.
The export record also decides the file's language: a Language header relabelled
since the export is refused, unless the importer says which language to use.

A PO file that ``workbench sync`` merged (:mod:`workbench.merging`) may carry a
conflict the merge kept: when two volunteers changed one entry two ways, theirs
travels beside msgstr as a ``#. workbench-conflict: {...}`` line
(:class:`KeptConflict`), and importing the file keeps it in the history, both
ways, as any conflict (:func:`import_merged_po`, and ``import-po`` alike).

The sections below follow that path: PO text, glossary notes, export, reading, import.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import polib

from workbench.formats.common import ExportResult, FormatError, export_scope, file_stems, translations_for
from workbench.glossary import Glossary, Term, TermMatch
from workbench.languages import UnknownLanguageError, language, resolve_locale
from workbench.store import HUMAN_STATUSES, Store, StoreError, is_machine_draft, lowest_sentence_confidence, now
from workbench.workflow import Version, imported_status, keep_both, merged_conflict_status
from workbench.workspace import Workspace, default_author

FUZZY_STATUSES = frozenset({"machine", "needs-review"})
"""Statuses exported as ``#, fuzzy``: drafts nobody has confirmed yet."""
EXPORT_HEADER = "X-Workbench-Export"
PLACEHOLDER_TRANSLATOR = "FULL NAME <EMAIL@ADDRESS>"
"""What gettext tools put in Last-Translator before anyone has worked on a file."""
CONTEXT_SEPARATOR = "\x04"
"""gettext joins msgctxt and msgid with EOT, so msgfmt refuses it inside any string."""
CONTEXT_SEPARATOR_STAND_IN = "\u2404"
"""SYMBOL FOR END OF TRANSMISSION, written instead of a raw EOT."""
PO_STAND_INS = str.maketrans({CONTEXT_SEPARATOR: CONTEXT_SEPARATOR_STAND_IN, "\x00": "\u2400"})
"""Characters no gettext string can hold (NUL ends a C string), and the visible symbols written instead."""


class PoInputError(FormatError):
    """A PO file that cannot be imported, or a request the PO exporter cannot carry out; the message says what to do."""


# -- PO text ------------------------------------------------------------------------------


def po_safe(text: str) -> str:
    """``text`` as a PO string can carry it: everything but NUL and EOT survives unchanged."""
    return text.translate(PO_STAND_INS) if ("\x00" in text or CONTEXT_SEPARATOR in text) else text


def _escape(text: str) -> str:
    """Escape exactly what the PO syntax needs; every other character is written as is.

    These five escapes are the ones gettext, polib and translate-toolkit all read
    back the same way (translate-toolkit misreads ``\\b``, ``\\f`` and ``\\v``).
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _quoted(keyword: str, text: str, prefix: str = "") -> str:
    """``keyword "text"``, split after each newline like gettext so diffs stay readable."""
    if "\n" not in text[:-1]:
        return f'{prefix}{keyword} "{_escape(text)}"'
    lines = text.split("\n")
    pieces = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        pieces.append(lines[-1])
    return f'{prefix}{keyword} ""\n' + "\n".join(f'{prefix}"{_escape(piece)}"' for piece in pieces)


def comment_as_read(comment: str | None) -> str:
    """A translator comment in the form every PO reader returns it.

    Readers drop trailing spaces on comment lines, and polib drops leading blank
    comment lines; so lines lose trailing blanks and blank lines around the
    comment go. Export writes, and import compares, comments in this form.
    """
    if not comment:
        return ""
    lines = [line.rstrip() for line in comment.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _one_line(text: str) -> str:
    """Free text for a comment or header line: no line breaks or other control characters."""
    if text.isprintable():
        return text.strip()
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters and line separators: a terminal would act on them, or break the line."""


def _shown(text: str) -> str:
    """A text on one line with its quotes, escapes and every character visible."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return '"' + _INVISIBLE.sub(_code_of, text) + '"'


def _code_of(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _reference_name(source_file: str | None, root: Path | None = None) -> str | None:
    """The file part of ``#:``: a path a translator can use on any machine.

    Like gettext's references, it is relative to the project, here the workspace
    (``data/statements/x.txt``). A statement imported from outside the workspace
    is stored with its absolute path, which means nothing on a translator's
    computer (and tells them about the exporter's), so only the file name is
    given. A name with spaces is isolated with U+2068/U+2069 as gettext 0.20+ does.
    """
    if not source_file:
        return None
    name = _portable_path(source_file, root)
    name = name if name.isprintable() else "".join(ch if ch.isprintable() else "?" for ch in name)
    return f"\u2068{name}\u2069" if any(ch.isspace() for ch in name) else name


def _portable_path(source_file: str, root: Path | None) -> str:
    """``source_file`` relative to the workspace ``root``, or its bare file name when it lies outside."""
    windows = PureWindowsPath(source_file)
    if not PurePosixPath(source_file).is_absolute() and not windows.drive and not windows.root:
        return source_file
    if root is not None:
        try:
            return Path(source_file).relative_to(root).as_posix()
        except ValueError:
            pass
    return windows.name if windows.drive else PurePosixPath(source_file).name


def _gettext_date(stamp: str | None) -> str:
    """The store's ISO 8601 timestamps in the PO header form ``2024-05-01 13:02+0000``."""
    moment = datetime.fromisoformat(stamp or now())
    return moment.strftime("%Y-%m-%d %H:%M%z")


def as_exported(source: str, target: str) -> str:
    """The msgstr a translation becomes in a PO file; import compares in these terms too."""
    return _matched_newlines(po_safe(source), po_safe(target))


def _matched_newlines(source: str, target: str) -> str:
    """``target`` with its leading and trailing newline made to agree with ``source``.

    msgfmt rejects an entry whose msgid and msgstr disagree on beginning or ending
    with a newline. The workspace keeps the text as typed; only the file is fixed.
    """
    if not target:
        return target
    if source.startswith("\n") != target.startswith("\n"):
        target = "\n" + target if source.startswith("\n") else target.lstrip("\n")
    if target and source.endswith("\n") != target.endswith("\n"):
        target = target + "\n" if source.endswith("\n") else target.rstrip("\n")
    return target


# -- glossary notes -----------------------------------------------------------------------


class _GlossaryNotes:
    """``#.`` lines naming the glossary terms in each segment, matched once per segment."""

    def __init__(self, store: Store) -> None:
        glossary = Glossary.from_store(store)
        self._glossary = glossary if glossary.terms else None
        self._matches: dict[str, list[TermMatch]] = {}
        self._notes: dict[tuple[int, str], str] = {}

    def lines(self, segment: dict[str, Any], locale: str) -> list[str]:
        if self._glossary is None:
            return []
        matches = self._matches.get(segment["id"])
        if matches is None:
            matches = self._matches[segment["id"]] = self._glossary.find_in_source(segment["source"], segment.get("source_lang") or "en")
        lines: list[str] = []
        for match in matches:
            key = (match.term.id, locale)
            line = self._notes.get(key)
            if line is None:
                line = self._notes[key] = _one_line(f"glossary: {match.term.term} {_rendering_note(match.term, locale)}")
            if line not in lines:
                lines.append(line)
        return lines


def _rendering_note(term: Term, locale: str) -> str:
    """How a translator should render ``term``, as the glossary says today."""
    rendering = term.rendering(locale)
    if rendering is None:
        return f"(no {language(locale).name} rendering yet)"
    if term.is_keep and rendering == term.term:
        return "(keep as is)"
    record = term.rendering_for(locale)
    unsure = " (not yet checked by a native speaker)" if record is not None and not record.verified else ""
    return f"\u2192 {rendering}{unsure}"


# -- export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One segment as it goes into a PO file, and the state the import compares against."""

    segment: dict[str, Any]
    msgstr: str
    fuzzy: bool
    comment: str
    version: int
    confidence: float | None = None
    """A machine draft's least confident sentence, for reviewers; not part of what import compares."""


@dataclass(frozen=True)
class _Template:
    """A statement's POT file: its entries (every PO file of the statement has the same), and its date."""

    path: Path
    body: str
    created: str
    """POT-Creation-Date: kept from the file on disk while the entries are the same, else the statement's import."""


@dataclass(frozen=True)
class _PoFile:
    """One file to write: a statement in one locale, the id of what it holds, and its header's dates and translator."""

    statement: dict[str, Any]
    locale: str
    path: Path
    entries: list[_Entry]
    export_id: str
    template: _Template
    revised: str
    """PO-Revision-Date, as written."""
    last_translator: str


def _export_id(statement: dict[str, Any], locale: str, entries: list[_Entry]) -> str:
    """A digest of what the file holds: the same translations give the same id, in this workspace and in any clone of it.

    Only what the file carries counts (segment ids, texts, fuzzy flags,
    comments): no database row id or version, which differ between clones.
    """
    digest = hashlib.sha256(f"{locale}\x00{statement['slug']}\x00".encode())
    for entry in entries:
        digest.update(f"{entry.segment['id']}\x00{int(entry.fuzzy)}\x00{entry.msgstr}\x00{entry.comment}\x00".encode())
    return digest.hexdigest()[:20]


def _header_on_disk(path: Path) -> tuple[dict[str, str], str]:
    """The header fields and the entries (the text after the header) of the PO or POT file at ``path``; empty if there is none.

    Read by hand, not by polib: only the start of the file matters, and a
    file a tool broke must not stop an export, which rewrites it anyway.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}, ""
    lines = text.split("\n")
    fields: dict[str, str] = {}
    for number, line in enumerate(lines):
        if line != 'msgstr ""':
            continue
        pieces = []
        for quoted in lines[number + 1:]:
            if not quoted.startswith('"'):
                break
            pieces.append(quoted[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\"))
        for field_line in "".join(pieces).split("\n"):
            key, colon, value = field_line.partition(":")
            if colon:
                fields[key.strip()] = value.strip()
        body_start = text.find("\n\n")
        return fields, text[body_start + 2:] if body_start >= 0 else ""
    return {}, ""


_MACHINE_AUTHORS = ("mt:", "tm:")
"""How the authors of machine drafts start (the engine and model, or the translation memory)."""
_NO_PERSON = frozenset({PLACEHOLDER_TRANSLATOR, "copy", "workbench"})
"""Last-Translator values that name nobody: the placeholder, drafting's copy of a source, what older versions wrote for no one."""


def _names_a_person(translator: str) -> bool:
    """Whether a Last-Translator value names a person, not an engine or the placeholder."""
    return bool(translator) and translator not in _NO_PERSON and not translator.startswith(_MACHINE_AUTHORS)


def _plan_file(statement: dict[str, Any], locale: str, path: Path, entries: list[_Entry], saved: list[dict[str, Any]],
               template: _Template, human_changes: dict[str, tuple[int, str]]) -> _PoFile:
    """Settle what the file holds and its header, so that an export of unchanged translations changes no byte.

    While the file on disk holds the same translations (the same export id),
    its PO-Revision-Date and Last-Translator are kept, whichever workspace or
    clone wrote it. Otherwise the date is when the file's newest translation
    was saved, and Last-Translator the author of the newest change a person
    made to one of its entries; failing that, the previous file's translator
    if it names a person, or the gettext placeholder. An MT engine is never
    named there: the ``#.`` notes and history say which engine drafted.
    """
    export_id = _export_id(statement, locale, entries)
    previous, _ = _header_on_disk(path)
    previous_translator = _one_line(previous.get("Last-Translator", ""))
    unchanged = previous.get(EXPORT_HEADER) == export_id and bool(previous.get("PO-Revision-Date"))
    if unchanged and (_names_a_person(previous_translator) or previous_translator == PLACEHOLDER_TRANSLATOR):
        return _PoFile(statement, locale, path, entries, export_id, template, _one_line(previous["PO-Revision-Date"]), previous_translator)
    newest = max((human_changes[entry.segment["id"]] for entry in entries if entry.segment["id"] in human_changes), default=None)
    if newest is not None and _one_line(newest[1]):
        last_translator = _one_line(newest[1])
    else:
        last_translator = previous_translator if _names_a_person(previous_translator) else PLACEHOLDER_TRANSLATOR
    updated = max((row["updated"] or "" for row in saved), default="")
    revised = _gettext_date(updated) if updated else template.created
    return _PoFile(statement, locale, path, entries, export_id, template, revised, last_translator)


def export_po(
    workspace: Workspace,
    *,
    locales: Iterable[str] | None = None,
    statement: int | str | None = None,
    out_dir: str | os.PathLike[str] | None = None,
) -> ExportResult:
    """Write ``<out>/<locale>/LC_MESSAGES/<slug>.po`` for each statement and locale, and ``<out>/templates/<slug>.pot``.

    The template (POT) holds each statement's entries with empty translations,
    as Weblate and msginit expect for a new language. What each PO file holds
    is recorded before any file is written, so every file on disk can be
    traced back by :func:`import_po`. Output is deterministic, so files diff
    and merge cleanly in git: an unchanged file is left alone, byte for byte.
    """
    store = workspace.store
    scope = export_scope(workspace, locales, statement)
    stems = file_stems(scope.statements)
    root = Path(out_dir) if out_dir is not None else workspace.locales_dir
    workspace_root = workspace.root.resolve()
    result = ExportResult()
    templates = {record["id"]: _template(record, scope.segments[record["id"]], root / "templates" / f"{stems[record['id']]}.pot",
                                         workspace_root)
                 for record in scope.statements}
    one_statement = scope.statements[0]["id"] if len(scope.statements) == 1 else None
    plans: list[_PoFile] = []
    for locale in scope.locales:
        saved = translations_for(store, scope.statements, locale)
        human_changes = store.latest_human_changes(locale, one_statement)
        for record in scope.statements:
            segments = scope.segments[record["id"]]
            entries = [_entry(segment, saved.get(segment["id"]), locale, result.warnings) for segment in segments]
            path = root / locale / "LC_MESSAGES" / f"{stems[record['id']]}.po"
            rows = [saved[segment["id"]] for segment in segments if segment["id"] in saved]
            plans.append(_plan_file(record, locale, path, entries, rows, templates[record["id"]], human_changes))
    if store.read_only:
        result.warnings.append("the workspace is read-only, so this export is not recorded: "
                               "importing these files back cannot tell a translator's edit from a conflict")
    else:
        _record_exports(store, plans)
    for record in scope.statements:
        template = templates[record["id"]]
        result.write(template.path, _template_header(record, template) + template.body)
    notes = _GlossaryNotes(store)
    for plan in plans:
        result.write(plan.path, _render(plan, notes, workspace_root))
    return result


def _entry(segment: dict[str, Any], saved: dict[str, Any] | None, locale: str, warnings: list[str]) -> _Entry:
    if saved is None:
        return _Entry(segment, "", False, "", 0)
    safe = po_safe(saved["text"])
    msgstr = _matched_newlines(po_safe(segment["source"]), safe)
    if safe != saved["text"]:
        warnings.append(f"segment {segment['id']} ({locale}): an EOT control character in the translation is written as \u2404 (gettext cannot carry it)")
    if msgstr != safe:
        warnings.append(
            f"segment {segment['id']} ({locale}): the translation starts or ends with a line break the source does not have "
            "(or the reverse); the PO file matches the source, as msgfmt requires: fix the translation in workbench"
        )
    return _Entry(segment, msgstr, saved["status"] in FUZZY_STATUSES, comment_as_read(saved["comment"]), saved["version"],
                  lowest_sentence_confidence(saved))


def _record_exports(store: Store, plans: list[_PoFile]) -> None:
    """Remember what each file holds; an unchanged re-export adds nothing (same id)."""
    store.record_po_exports(
        [(plan.export_id, plan.statement["id"], plan.locale, plan.last_translator) for plan in plans],
        [(plan.export_id, entry.segment["id"], entry.version, entry.msgstr, entry.fuzzy, entry.comment)
         for plan in plans for entry in plan.entries],
    )


GENERATOR = "workbench"
"""X-Generator, without a version: upgrading workbench changes no file it exported."""


def _template(statement: dict[str, Any], segments: list[dict[str, Any]], path: Path, workspace_root: Path) -> _Template:
    """The statement's POT entries, dated by the file on disk while they are the same, else by the statement's import.

    The import's date is the same on every export, and moves only when an
    edited source is imported (which is what changes the entries).
    """
    reference = _reference_name(statement.get("source_file"), workspace_root)
    entries = ["\n".join([*_comment_lines(segment, reference), *_message_lines(segment), 'msgstr ""']) for segment in segments]
    body = "\n\n".join(entries) + "\n" if entries else ""
    previous, previous_body = _header_on_disk(path)
    created = _one_line(previous.get("POT-Creation-Date", "")) if previous_body == body else ""
    return _Template(path, body, created or _gettext_date(statement.get("imported_at")))


def _comment_lines(segment: dict[str, Any], reference: str | None, notes: Iterable[str] = ()) -> list[str]:
    """An entry's ``#.`` and ``#:`` lines: its kind, then ``notes``, then where in the source file it is."""
    lines = [f"#. kind: {_one_line(segment['kind'])}", *(f"#. {note}" for note in notes)]
    if reference:
        lines.append(f"#: {reference}:{segment['line']}" if segment.get("line") is not None else f"#: {reference}")
    return lines


def _message_lines(segment: dict[str, Any]) -> list[str]:
    """msgctxt (the segment's stable id) and msgid (its source): the same in the template and every PO file."""
    return [_quoted("msgctxt", po_safe(segment["id"])), _quoted("msgid", po_safe(segment["source"]))]


def _template_header(statement: dict[str, Any], template: _Template) -> str:
    """The POT header as xgettext writes one: fuzzy, with gettext's placeholders where a translation fills in its own."""
    header = {
        "Project-Id-Version": _one_line(statement["slug"]),
        "POT-Creation-Date": template.created,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": PLACEHOLDER_TRANSLATOR,
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    lines = [
        f"# {_one_line(statement['title'])}",
        "# Template of this statement's PO files (msgstr empty), written by workbench.",
        "#, fuzzy",
        'msgid ""',
        _quoted("msgstr", "".join(f"{key}: {value}\n" for key, value in header.items())),
        "",
    ]
    return "\n".join(lines) + "\n" if template.body else "\n".join(lines)


def _render(plan: _PoFile, notes: _GlossaryNotes, workspace_root: Path) -> str:
    lang = language(plan.locale)
    statement = plan.statement
    header = {
        "Project-Id-Version": _one_line(statement["slug"]),
        "POT-Creation-Date": plan.template.created,
        "PO-Revision-Date": plan.revised,
        "Last-Translator": plan.last_translator,
        "Language-Team": lang.name,
        "Language": plan.locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": lang.plural_forms,
        "X-Generator": GENERATOR,
        EXPORT_HEADER: plan.export_id,
    }
    out = [
        f"# {_one_line(statement['title'])}",
        f"# {lang.name} translation from workbench. Edit msgstr, comments and the fuzzy flag;",
        "# bring the file back with: workbench import-po FILE",
        'msgid ""',
        _quoted("msgstr", "".join(f"{key}: {value}\n" for key, value in header.items())),
    ]
    reference = _reference_name(statement.get("source_file"), workspace_root)
    for entry in plan.entries:
        segment = entry.segment
        out.append("")
        if entry.comment:
            out.extend(f"# {line}" if line else "#" for line in entry.comment.split("\n"))
        confidence = [f"MT confidence: {entry.confidence:.2f}"] if entry.confidence is not None else []  # only scored machine drafts
        out.extend(_comment_lines(segment, reference, confidence + notes.lines(segment, plan.locale)))
        if entry.fuzzy:
            out.append("#, fuzzy")
            previous = segment.get("previous_source")
            if previous and previous != segment["source"]:
                out.append(_quoted("msgid", po_safe(previous), "#| "))
        out.extend(_message_lines(segment))
        out.append(_quoted("msgstr", entry.msgstr))
    out.append("")
    return "\n".join(out)


# -- reading ------------------------------------------------------------------------------


_OPEN_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*'
"""A quote and what follows, escapes included; an unrolled loop, many times faster than ``(?:[^"\\]|\\.)*`` on long lines."""
_STRING = _OPEN_STRING + '"'
_STRING_LINE = re.compile(_STRING)
_UNCLOSED = re.compile(rf'(?:msg[a-z_]+(?:\[\d+\])?[ \t]+)?{_OPEN_STRING}\\?')
"""A keyword and a string that runs to the end of the line: the last line of a file cut short, typically."""
_KEYWORD_LINE = re.compile(rf"(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+{_STRING}")
_ESCAPE = re.compile(r"\\(.)")
POLIB_ESCAPES = frozenset('ntrbfv\\"')
"""The escapes polib reads as gettext does; gettext also knows ``\\a``, octal and ``\\x``, which polib keeps as typed."""
GETTEXT_ESCAPES = POLIB_ESCAPES | frozenset("a01234567x")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab: the only one a PO file's structure (outside strings) may hold besides line ends."""
_CHARSET = re.compile(rb'(?:"|\\n)Content-Type:[^"\n]*?charset=([^"\\\s;]*)', re.IGNORECASE)
"""The header's charset, whether the header is written one field a line or all on the msgstr line."""
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
"""The first four bytes of a compiled gettext catalogue (.mo), in either byte order."""
_ASCII = bytes(range(128))
_POLIB_ERROR = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


def _read_po(path: Path, max_mb: float) -> polib.POFile:
    """Parse a PO file, or raise :class:`PoInputError` naming the file and the bad line.

    polib alone accepts broken files (an entry without msgstr is read as an empty
    translation, ``\\q`` as a backslash and a q, a mislabelled charset as mojibake),
    so the raw bytes and every line are checked first: size, charset, control
    characters, the PO grammar, escapes, and the order of keywords in each entry.
    """
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_mb * 1_000_000:
                raise PoInputError(
                    f"{path}: {size / 1_000_000:,.2f} MB is above the {max_mb:g} MB limit for a PO file: "
                    "check that it is the file you meant, or raise po_max_mb under [limits] in workbench.toml"
                )
            raw = handle.read()
    except OSError as error:
        raise PoInputError(f"{path}: cannot read it ({error.strerror}): check the path and its permissions") from None
    text, encoding = _decode(path, raw)
    _check_lines(path, text)
    try:
        po = polib.pofile(str(path), encoding=encoding)
    except (OSError, ValueError) as error:
        found = _POLIB_ERROR.search(str(error))
        line, reason = (found.group(1), found.group(2) or "syntax error") if found else ("?", str(error))
        raise PoInputError(f"{path}:{line}: not a valid PO file ({reason}): fix that line in the editor, or export the file again") from None
    seen: dict[str, int] = {}
    for entry in po:
        if entry.obsolete or entry.msgctxt is None:
            continue
        if entry.msgctxt in seen:
            raise PoInputError(
                f"{path}:{entry.linenum}: msgctxt {_shown(entry.msgctxt)} appears twice (first at line {seen[entry.msgctxt]}): keep one of the two entries"
            )
        seen[entry.msgctxt] = entry.linenum
    return po


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The file's text and the codec that reads it: the charset its header declares, UTF-8 if none.

    A declared charset that does not fit the bytes is refused rather than guessed
    around, and so is the common mislabel that would decode without an error: a
    UTF-8 file (Poedit and Weblate save UTF-8) whose header still names a legacy
    charset, where ``Declaración`` would become ``DeclaraciÃ³n``.
    """
    if raw[:4] in MO_MAGIC:
        raise PoInputError(f"{path}: a compiled .mo file, not a PO file: import the .po file it was compiled from")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PoInputError(f"{path}: saved as UTF-16: save it as UTF-8 in the editor and import it again")
    found = _CHARSET.search(raw)
    declared = found.group(1).decode("ascii", "replace") if found else ""
    if found is None or declared.upper() in ("", "CHARSET"):  # CHARSET: a template's placeholder, which gettext also ignores
        declared, encoding = "UTF-8", "utf-8"
    else:
        header_line = raw.count(b"\n", 0, found.start()) + 1
        try:
            encoding = codecs.lookup(declared).name
            ascii_compatible = _ASCII.decode(encoding) == _ASCII.decode("ascii")
        except (LookupError, ValueError):  # no such codec, or one that is no text encoding (base64, rot13)
            encoding, ascii_compatible = "", False
        if not encoding:
            raise PoInputError(f"{path}:{header_line}: unknown charset {_shown(declared)} in the Content-Type header: write charset=UTF-8 there, save the file as UTF-8 and import it again")
        if not ascii_compatible:
            raise PoInputError(f"{path}:{header_line}: charset {_shown(declared)} cannot hold a PO file: save the file as UTF-8 with charset=UTF-8 in the Content-Type header")
        if encoding not in ("utf-8", "utf-8-sig") and not raw.isascii():
            _refuse_mislabelled_utf8(path, raw, declared, encoding, header_line)
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        if b"\x00" in raw:
            raise PoInputError(f"{path}:{line}: binary data, not a PO text file: import the .po file itself") from None
        raise PoInputError(f"{path}:{line}: not valid {declared} text: save the file as UTF-8 (with charset=UTF-8 in the Content-Type header) and import it again") from None


def _refuse_mislabelled_utf8(path: Path, raw: bytes, declared: str, encoding: str, header_line: int) -> None:
    """Refuse UTF-8 bytes under a legacy charset, showing a word as it would be misread; other bytes pass."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: the legacy charset it declares is believable
    word = re.search(r"\w*[^\W\x00-\x7f]\w*", text) or re.search(r"[^\x00-\x7f]", text)  # a word with an accent, else any
    assert word is not None  # non-ASCII bytes that decode as UTF-8 make a non-ASCII character
    sample = word.group()[:30]
    misread = sample.encode("utf-8").decode(encoding, errors="replace")
    line = text.count("\n", 0, word.start()) + 1
    raise PoInputError(
        f"{path}:{line}: the Content-Type header (line {header_line}) declares charset={declared}, but the file is UTF-8 "
        f"({_shown(sample)} would read as {_shown(misread)}): fix the Content-Type header to charset=UTF-8 and import it again"
    )


def _check_lines(path: Path, text: str) -> None:
    """Check every line against the PO grammar, and each entry's keywords for their order.

    Strings may hold any character the exporter writes: control characters too,
    which polib, translate-toolkit and msgfmt read back alike, but not NUL or EOT
    (the exporter writes stand-ins). Comments hold what a translator typed. The
    structure around strings holds only spaces and tabs. A carriage return
    outside a CRLF line end is refused anywhere.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    carriage_return = text.find("\r")
    if carriage_return >= 0:
        line = text.count("\n", 0, carriage_return) + 1
        raise PoInputError(f"{path}:{line}: a carriage return (CR) without a line feed, which polib reads as a line break and msgfmt "
                           "as a character: save the file with LF or CRLF line ends, or delete it")
    entries = _EntryOrder(path)
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip(" \t")
        if not stripped:
            continue
        if stripped.startswith("#"):
            entries.boundary()
            continue
        keyword = None if stripped.startswith('"') else _KEYWORD_LINE.fullmatch(stripped)
        if keyword is None and not _STRING_LINE.fullmatch(stripped):
            raise PoInputError(f"{path}:{number}: not a valid PO line ({_shown(stripped[:40])}){_why_invalid(stripped)}: fix it in the editor, or export the file again")
        if "\\" in stripped:
            _check_escapes(path, number, stripped)
        if "\x00" in stripped or CONTEXT_SEPARATOR in stripped:
            raise PoInputError(f"{path}:{number}: a raw NUL or EOT control character in a string, which gettext cannot carry "
                               "(NUL ends a string, EOT joins msgctxt and msgid): delete it in the editor")
        if keyword is None:
            entries.string(number)
        else:
            entries.keyword(number, keyword.group(1))
    entries.boundary()


def _why_invalid(line: str) -> str:
    """What is wrong with a line that is not valid PO, when it is one of the common mistakes."""
    outside = _STRING_LINE.sub("", line)
    control = _CONTROL.search(outside)
    if control:
        return f", a raw control character {_shown(control.group())} outside a string"
    if _UNCLOSED.fullmatch(line):
        return ', a string not closed with " (is the file cut short?)'
    return ""


def _check_escapes(path: Path, number: int, line: str) -> None:
    for string in _STRING_LINE.finditer(line):
        for escape in _ESCAPE.finditer(string.group()[1:-1]):
            letter = escape.group(1)
            if letter in POLIB_ESCAPES:
                continue
            shown = "\\" + _shown(letter)[1:-1]
            if letter in GETTEXT_ESCAPES:
                raise PoInputError(f"{path}:{number}: the escape {shown} is not read alike by every PO tool: write the character itself instead, and import it again")
            raise PoInputError(f"{path}:{number}: {shown} is not a PO escape (msgfmt refuses it): write \\\\ for a backslash, and import it again")


class _EntryOrder:
    """The order of keywords within entries: ``[msgctxt] msgid [msgid_plural] msgstr...``, each string continued by string lines.

    polib accepts an entry without msgstr (as an empty translation) and drops a
    string line that follows a comment; gettext refuses both.
    """

    _FOLLOWS = {
        "msgctxt": {None, "msgstr", "msgstr[N]"},
        "msgid": {None, "msgctxt", "msgstr", "msgstr[N]"},
        "msgid_plural": {"msgid"},
        "msgstr": {"msgid"},
        "msgstr[N]": {"msgid_plural", "msgstr[N]"},
    }
    """For each keyword, the keyword that may come just before it (None: nothing since the last comment or the file's start)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last: str | None = None
        self.line = 0
        """Where the last keyword is."""

    def keyword(self, number: int, keyword: str) -> None:
        kind = "msgstr[N]" if keyword.startswith("msgstr[") else keyword
        if self.last not in self._FOLLOWS[kind]:
            raise self._out_of_order(number, kind)
        self.last, self.line = kind, number

    def string(self, number: int) -> None:
        if self.last is None:
            raise PoInputError(f"{self.path}:{number}: a string with no msgctxt, msgid or msgstr before it: join it to the string it belongs to, or delete it")

    def boundary(self) -> None:
        """A comment, or the end of the file: the entry before must be complete."""
        if self.last in ("msgid", "msgid_plural"):
            raise self._no_msgstr()
        if self.last == "msgctxt":
            raise self._no_msgid()
        self.last = None

    def _out_of_order(self, number: int, kind: str) -> PoInputError:
        if self.last in ("msgid", "msgid_plural") and kind in ("msgctxt", "msgid"):
            return self._no_msgstr()
        if self.last == "msgctxt" and kind == "msgctxt":
            return self._no_msgid()
        if self.last == "msgid" and kind == "msgstr[N]":
            return PoInputError(f'{self.path}:{number}: msgstr[N] without msgid_plural: write the translation as msgstr "..."')
        before = f"after {self.last}" if self.last else "at the start of an entry"
        return PoInputError(f"{self.path}:{number}: {kind} cannot come {before}: an entry is msgctxt, msgid, then msgstr: fix it in the editor, or export the file again")

    def _no_msgstr(self) -> PoInputError:
        return PoInputError(f'{self.path}:{self.line}: this entry has no msgstr: add msgstr "" (or the translation) after its msgid, and import again')

    def _no_msgid(self) -> PoInputError:
        return PoInputError(f"{self.path}:{self.line}: msgctxt with no msgid after it: complete the entry (msgctxt, msgid, msgstr) or delete it")


# -- conflicts a merge kept ------------------------------------------------------------------


CONFLICT_NOTE = "workbench-conflict: "
"""How a ``#.`` line carrying a :class:`KeptConflict` starts; the exporter's own notes never do."""
_NOTE_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")
"""What ``json`` leaves raw but a comment line must not hold: DEL, C1 controls, line separators."""


@dataclass(frozen=True)
class KeptConflict:
    """Their translation of an entry that both sides of a merge changed, kept beside ours in msgstr.

    A ``#.`` note rather than a translator comment, so it never mixes with the
    volunteers' own comments (which merge on their own) and every PO tool shows
    it to the translator as a note from the program. JSON keeps any text,
    line breaks included, on one line.
    """

    text: str
    fuzzy: bool
    author: str

    def note(self) -> str:
        """The ``#.`` line's text."""
        data = json.dumps({"text": self.text, "fuzzy": self.fuzzy, "by": self.author}, ensure_ascii=False)
        return CONFLICT_NOTE + _NOTE_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", data)


def kept_conflicts(extracted_comments: str) -> list[KeptConflict]:
    """The conflicts noted among an entry's ``#.`` lines (polib's ``entry.comment``); a line that does not parse is no note."""
    kept = []
    for line in extracted_comments.split("\n"):
        if not line.startswith(CONFLICT_NOTE):
            continue
        try:
            data = json.loads(line[len(CONFLICT_NOTE):])
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("text"), str) and data["text"]:
            kept.append(KeptConflict(data["text"], data.get("fuzzy") is True, str(data.get("by") or "")))
    return kept


# -- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Something about one entry of one file that a volunteer should look at."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Conflict:
    """An entry changed both in the file and in the workspace since the export."""

    path: Path
    line: int | None
    segment_id: str
    locale: str
    workspace_text: str
    file_text: str
    workspace_comment: str
    file_comment: str
    kept: str
    """``"workspace"`` or ``"file"``: whose version is current now (the other is in the history)."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        lines = [f"{where}: conflict on segment {self.segment_id} ({self.locale}): changed in the workspace since the export, and in the file"]
        if self.workspace_text != self.file_text:
            lines += [f"  workspace: {_shown(self.workspace_text)}", f"  file:      {_shown(self.file_text)}"]
        if self.workspace_comment != self.file_comment:
            lines += [f"  workspace comment: {_shown(self.workspace_comment)}", f"  file comment:      {_shown(self.file_comment)}"]
        if self.kept == "workspace":
            lines.append("  kept the workspace's text as current, the file's is in the history (import with --theirs to do the reverse)")
        else:
            lines.append("  the file's text is current now, the workspace's is in the history")
        return "\n".join(lines)


@dataclass
class ImportSummary:
    """What :func:`import_po` did, file by file and entry by entry."""

    files: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    received: list[str] = field(default_factory=list)
    """The segments whose translation or comment was added or changed, in the files' order (where to look first)."""
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    """Imported entries that still need a look, such as a msgid that no longer matches the source."""
    errors: list[str] = field(default_factory=list)
    """One line per file that was refused whole; nothing was imported from it."""

    def summary(self) -> str:
        return (
            f"added {self.added}, changed {self.changed}, unchanged {self.unchanged}, "
            f"conflicts {len(self.conflicts)}, skipped {len(self.skipped)}"
        )


@dataclass(frozen=True)
class _State:
    """What an entry holds, in the terms PO files can express."""

    text: str
    fuzzy: bool
    comment: str


def _text_outcome(base: _State | None, current: _State, incoming: _State, *, machine_draft: bool = False) -> str:
    """``unchanged``, ``apply``, ``conflict`` or ``emptied`` for the translation itself.

    ``base`` is what the file held when it was exported; without it (a file from
    elsewhere, or an export record this workspace never made) nothing proves the
    workspace did not change, so only an empty workspace translation is filled in.
    A workspace text that is only an unreviewed machine draft (``machine_draft``)
    is nobody's work to protect: a translator's text replaces it, and the draft
    stays in the history.
    """
    if not incoming.text:
        return "emptied" if base is not None and base.text and current.text else "unchanged"
    mine = (incoming.text, incoming.fuzzy)
    if (base is not None and mine == (base.text, base.fuzzy)) or mine == (current.text, current.fuzzy):
        return "unchanged"
    if machine_draft:
        return "apply"
    workspace_moved = bool(current.text) if base is None else (current.text, current.fuzzy) != (base.text, base.fuzzy)
    return "conflict" if workspace_moved else "apply"


def _comment_outcome(base: _State | None, current: _State, incoming: _State) -> str:
    """The same three-way decision for the translator comment, which has no history of its own."""
    if incoming.comment == current.comment or (base is not None and incoming.comment == base.comment):
        return "unchanged"
    if base is None:
        if not incoming.comment:
            return "unchanged"
        return "conflict" if current.comment else "apply"
    return "conflict" if current.comment != base.comment else "apply"


def import_po(
    workspace: Workspace,
    paths: Iterable[str | os.PathLike[str]],
    *,
    theirs: bool = False,
    author: str | None = None,
    lang: str | None = None,
) -> ImportSummary:
    """Bring translations edited in Poedit, Weblate or a text editor back in.

    Each file is imported in one transaction, after it has been read and checked
    whole: a malformed file, or one above ``[limits] po_max_mb``, is reported with
    its line and changes nothing. The export a file came from decides its language;
    a Language header that disagrees is refused unless ``lang`` says which to use.
    On a conflict the workspace's text stays current and the file's goes to the
    history; ``theirs=True`` does the reverse. ``author`` defaults to the file's
    Last-Translator when a translator's tool changed it, else to the current user.
    """
    chosen = resolve_locale(lang, workspace.target_locales) if lang else None
    summary = ImportSummary()
    for path in _expand(paths, summary):
        try:
            po = _read_po(path, workspace.limits.po_max_mb)
            _FileImport(workspace, path, po, theirs=theirs, author=author, lang=chosen, summary=summary).run()
        except PoInputError as error:
            summary.errors.append(str(error))
            continue
        summary.files += 1
    return summary


def import_merged_po(workspace: Workspace, path: Path, *, base: str | None, volunteer: str) -> ImportSummary:
    """Import a PO file that git merged, three-way against ``base``: the file as this workspace last committed it.

    That commit is what the database held (sync exports before it merges), so
    ``base`` is an exact export record: what changed since it came from the
    other side, and is applied unless the workspace changed the same entry
    meanwhile (then both texts are kept). ``base=None`` (a file new to this
    workspace) fills only what the workspace has not translated. The merged
    file's ``Last-Translator`` is credited with what came in, when it names
    someone other than ``base``'s; otherwise ``volunteer``, who merged it.
    """
    summary = ImportSummary()
    try:
        po = _read_po(path, workspace.limits.po_max_mb)
        base_po = polib.pofile(base) if base else None
        bases = {entry.msgctxt: _State(entry.msgstr, "fuzzy" in entry.flags, comment_as_read(entry.tcomment))
                 for entry in base_po or () if entry.msgctxt is not None and not entry.obsolete}
        translator = _one_line(base_po.metadata.get("Last-Translator", "")) if base_po is not None else None
        _FileImport(workspace, path, po, theirs=False, author=None, lang=None, summary=summary,
                    bases=bases, base_translator=translator, volunteer=volunteer).run()
    except (PoInputError, OSError, ValueError) as error:  # polib raises OSError or ValueError on a base it cannot read
        summary.errors.append(str(error) if isinstance(error, PoInputError) else f"{path}: its last committed version: {error}")
        return summary
    summary.files += 1
    return summary


def _expand(paths: Iterable[str | os.PathLike[str]], summary: ImportSummary) -> Iterator[Path]:
    """The given files, and the ``.po`` files inside given folders."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(path.rglob("*.po"))
        elif path.is_file():
            yield path
        else:
            summary.errors.append(f"{path}: no such file: check the path (a folder imports every .po file inside it)")


PO_ORIGIN = "po"
"""The origin of a translation that came back in a PO file (edited in Poedit, Weblate or an editor)."""


class _FileImport:
    """Import one parsed PO file into the store, in one transaction."""

    def __init__(self, workspace: Workspace, path: Path, po: polib.POFile, *, theirs: bool, author: str | None, lang: str | None,
                 summary: ImportSummary, bases: dict[str, _State] | None = None, base_translator: str | None = None,
                 volunteer: str | None = None) -> None:
        """``bases`` (with ``base_translator``, its Last-Translator) replaces the export record as what the file started from;
        ``volunteer`` is who imports, when not the current user."""
        self.store = workspace.store
        self.path = path
        self.po = po
        self.theirs = theirs
        self.summary = summary
        export_id = po.metadata.get(EXPORT_HEADER, "").strip()
        record, entries = self.store.po_export(export_id)
        self.locale = lang or self._locale(workspace, record["lang"] if record else None)
        self.bases: dict[str, _State] = {}
        if bases is not None:
            self.bases = bases
        else:
            if record and record["lang"] == self.locale:
                self.bases = {segment_id: _State(e["text"], e["fuzzy"], e["comment"]) for segment_id, e in entries.items()}
            base_translator = record["last_translator"] if record else None
        self.volunteer = volunteer
        self.author = author or self._author(base_translator)

    def _locale(self, workspace: Workspace, exported_lang: str | None) -> str:
        """The export's language; the Language header only for a file without an export record, and never against it."""
        declared = self.po.metadata.get("Language", "").strip()
        if not declared:
            if exported_lang in workspace.target_locales:
                return exported_lang
            targets = ", ".join(workspace.target_locales)
            raise PoInputError(f"{self.path}: the header has no Language: add one of {targets} (e.g. 'Language: es') and import it again")
        try:
            locale = resolve_locale(declared, workspace.target_locales)
        except UnknownLanguageError as error:
            raise PoInputError(f"{self.path}: Language header: {error}: fix the header, or say which with --lang") from None
        if exported_lang is not None and locale != exported_lang:
            raise PoInputError(
                f"{self.path}: the header says Language: {_one_line(declared)}, but the file was exported for {exported_lang}: "
                f"put 'Language: {exported_lang}' back, or import it with --lang to say which language its translations are in"
            )
        return locale

    def _author(self, exported_translator: str | None) -> str:
        """The file's Last-Translator if a tool changed it since the export (Poedit does), else the user."""
        declared = _one_line(self.po.metadata.get("Last-Translator", ""))
        if declared and declared != PLACEHOLDER_TRANSLATOR and declared != exported_translator:
            return declared
        return self.volunteer or default_author()

    def run(self) -> None:
        with self.store.transaction():
            for entry in self.po:
                self._entry(entry)

    def _skip(self, entry: polib.POEntry, message: str) -> None:
        self.summary.skipped.append(Notice(self.path, entry.linenum, message))

    def _entry(self, entry: polib.POEntry) -> None:
        if entry.obsolete:
            return self._skip(entry, "obsolete entry (#~): not imported")
        if entry.msgctxt is None:
            return self._skip(entry, f"entry {_shown(entry.msgid[:40])} has no msgctxt (the segment id): export the statement again and translate in that file")
        if entry.msgid_plural:
            return self._skip(entry, f"msgctxt {_shown(entry.msgctxt)} is a plural entry, which workbench never exports: not imported")
        try:
            segment = self.store.segment(entry.msgctxt)
        except StoreError:
            return self._skip(entry, f"unknown msgctxt {_shown(entry.msgctxt)}: no such segment in this workspace (was the file exported from another one?)")
        if segment["obsolete"]:
            return self._skip(entry, f"segment {entry.msgctxt} was removed from its statement's source: not imported")
        source_changed = entry.msgid != po_safe(segment["source"])
        self._merge(entry, segment, source_changed)
        self._keep_noted(entry, segment)
        if source_changed:
            self.summary.notices.append(
                Notice(self.path, entry.linenum, f"segment {entry.msgctxt}: the msgid differs from the current source {_shown(segment['source'][:60])}: check the translation against it")
            )

    def _keep_noted(self, entry: polib.POEntry, segment: dict[str, Any]) -> None:
        """Keep the translations a merge noted beside msgstr (:class:`KeptConflict`) as conflicts: in the history, once each.

        The workspace's text stays current, as on any conflict, and goes back to
        review (:func:`~workbench.workflow.merged_conflict_status`); a workspace
        with no translation yet simply takes the noted one.
        """
        for kept in kept_conflicts(entry.comment or ""):
            row = self.store.translation(segment["id"], self.locale)
            current = as_exported(segment["source"], row["text"])
            if kept.text == current or self._in_history(segment["id"], kept.text):
                continue
            loser = Version(kept.text, imported_status(fuzzy=kept.fuzzy, source_changed=False), PO_ORIGIN, kept.author or self.author,
                            row["comment"] or "")
            if not row["text"]:
                self.store.save_translation(segment["id"], self.locale, loser.text, loser.status, author=loser.author, origin=PO_ORIGIN,
                                            expected_version=row["version"], comment=loser.comment)
                self.summary.added += 1
                self.summary.received.append(segment["id"])
                continue
            keep_both(self.store, segment["id"], self.locale, expected_version=row["version"], loser=loser,
                      winner=Version(row["text"], merged_conflict_status(row["status"]), row["origin"] or "human", row["author"] or self.author,
                                     row["comment"] or ""))
            comment = comment_as_read(row["comment"])
            self.summary.conflicts.append(Conflict(self.path, entry.linenum, segment["id"], self.locale, row["text"], kept.text,
                                                   comment, comment, "workspace"))

    def _in_history(self, segment_id: str, text: str) -> bool:
        """Whether ``text`` was already kept, so importing the same file twice records it once."""
        return any(version["text"] == text for version in self.store.history(segment_id, self.locale))

    def _merge(self, entry: polib.POEntry, segment: dict[str, Any], source_changed: bool) -> None:
        row = self.store.translation(segment["id"], self.locale)
        current = _State(as_exported(segment["source"], row["text"]), row["status"] in FUZZY_STATUSES, comment_as_read(row["comment"]))
        incoming = _State(entry.msgstr, "fuzzy" in entry.flags, comment_as_read(entry.tcomment))
        base = self.bases.get(segment["id"])
        text_outcome = _text_outcome(base, current, incoming, machine_draft=is_machine_draft(row))
        comment_outcome = _comment_outcome(base, current, incoming)
        take_text = text_outcome == "apply" or (text_outcome == "conflict" and self.theirs)
        take_comment = comment_outcome == "apply" or (comment_outcome == "conflict" and self.theirs)
        incoming_status = imported_status(fuzzy=incoming.fuzzy, source_changed=source_changed)
        text, status = (incoming.text, incoming_status) if take_text else (row["text"], row["status"])
        comment = incoming.comment if take_comment else (row["comment"] or "")
        version = row["version"]
        if text_outcome == "conflict" and not self.theirs and not self._in_history(segment["id"], incoming.text):
            keep_both(
                self.store, segment["id"], self.locale, expected_version=version,
                winner=Version(row["text"], row["status"], row["origin"] or "human", row["author"] or self.author, comment),
                loser=Version(incoming.text, incoming_status, PO_ORIGIN, self.author, row["comment"] or ""),
            )
        elif (text, status, comment_as_read(comment)) != (row["text"], row["status"], current.comment):
            origin = PO_ORIGIN if text != row["text"] else (row["origin"] or "human")
            self.store.save_translation(segment["id"], self.locale, text, status, author=self.author, origin=origin,
                                        expected_version=version, comment=comment)
        if "conflict" in (text_outcome, comment_outcome):
            self.summary.conflicts.append(
                Conflict(self.path, entry.linenum, segment["id"], self.locale, row["text"], incoming.text, current.comment,
                         incoming.comment, "file" if self.theirs else "workspace")
            )
        elif text_outcome == "emptied":
            self._skip(entry, f"segment {segment['id']}: the translation was emptied in the file; the workspace keeps {_shown(row['text'][:60])}")
        elif take_text or take_comment:
            if take_text and not row["text"]:
                self.summary.added += 1
            else:
                self.summary.changed += 1
            self.summary.received.append(segment["id"])
        else:
            self.summary.unchanged += 1
