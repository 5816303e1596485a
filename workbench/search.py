"""Search and replace across statements, in sources and translations, as Poedit and OmegaT offer it.

One API for the command line and the TUI:

* :func:`find` lists every match of a :class:`Query` in a :class:`Scope`
  (sources, target languages, one statement or all), each with its segment,
  language, position and a snippet of context;
* :func:`plan_replace` is the preview: per translation, the text before and
  after, and the version the preview read; it changes nothing;
* :func:`apply_replace` writes exactly the previewed texts, each based on the
  version the preview saw, so a translation a teammate edited since is reported
  as a conflict and never overwritten. The status follows the workflow rule for
  an edit (:func:`workbench.workflow.edited_status`), and every change goes to
  the history like any other edit.

Sources are never replaced: they come from the statement files, and an edited
source goes through import, which keeps the old text for reviewers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.store import ConflictError, Store
from workbench.workflow import edited_status

CONTEXT_CHARS = 30
"""Characters of context shown on each side of a match: enough to tell two uses of a word apart."""
SOURCE = "source"
TARGET = "target"
SOURCE_IS_NOT_REPLACED = ("sources are not replaced: they come from the statement files; "
                          "edit the file and run 'workbench import' on it again")


class SearchError(ValueError):
    """A search a volunteer asked for that cannot run (an empty or broken pattern, a replace in the source)."""


@dataclass(frozen=True)
class Query:
    """What to look for and how: plain text by default, matched case-insensitively.

    In plain text a space matches any one space character, the no-break space
    included: the statements write "18 December\u00a02015" and a volunteer
    types an ordinary space.
    """

    text: str
    regex: bool = False
    whole_word: bool = False
    case_sensitive: bool = False

    def compiled(self) -> re.Pattern[str]:
        """The regular expression this query means; a broken one is a :class:`SearchError` in one line."""
        if not self.text:
            raise SearchError("nothing to search for: give a word or phrase")
        body = self.text if self.regex else "".join(r"\s" if char.isspace() else re.escape(char) for char in self.text)
        if self.whole_word:
            body = rf"(?<!\w)(?:{body})(?!\w)"
        try:
            return re.compile(body, 0 if self.case_sensitive else re.IGNORECASE)
        except re.error as error:
            raise SearchError(f"'{self.text}' is not a valid regular expression ({error}): fix it, or search without --regex") from None


@dataclass(frozen=True)
class Scope:
    """Where to look: the sources and/or some target languages, in one statement or in all."""

    source: bool = True
    langs: tuple[str, ...] = ()
    statement: int | str | None = None
    """A statement id or slug; None for every statement."""


@dataclass(frozen=True)
class Match:
    """One place a query matched: in a segment's source or in one of its translations."""

    statement_id: int
    slug: str
    segment_id: str
    field: str
    """``source`` or ``target``."""
    lang: str
    """The source's language (``en``, ``tl``) for a source match, else the translation's locale."""
    start: int
    end: int
    text: str
    """The matched characters as written."""
    before: str
    after: str
    """Context on each side, on one line, with ``…`` where it was cut."""
    status: str | None = None
    version: int | None = None
    """The translation's status and version, for a target match (None for a source)."""

    def to_dict(self) -> dict[str, Any]:
        """The match as ``search --json`` prints it (docs/json-schema.md)."""
        return {"statement_id": self.statement_id, "slug": self.slug, "segment_id": self.segment_id, "field": self.field,
                "lang": self.lang, "start": self.start, "end": self.end, "match": self.text, "before": self.before,
                "after": self.after, "status": self.status, "version": self.version}


@dataclass(frozen=True)
class Change:
    """One translation a replace would change: its text before and after, and the version that was read."""

    statement_id: int
    slug: str
    segment_id: str
    lang: str
    version: int
    """The version the preview read: applying is based on it, so a later edit is a conflict."""
    status: str
    new_status: str
    """The status after the change, by the workflow rule for an edit."""
    old: str
    new: str
    old_spans: tuple[tuple[int, int], ...]
    new_spans: tuple[tuple[int, int], ...]
    """Where each replaced piece is in ``old`` and where its replacement is in ``new``, for highlighting."""


@dataclass(frozen=True)
class ReplacePlan:
    """The preview of a replace: every translation it changes, in reading order; nothing is written."""

    changes: tuple[Change, ...]

    @property
    def replacements(self) -> int:
        """How many matched pieces the plan replaces, across all its translations."""
        return sum(len(change.old_spans) for change in self.changes)


@dataclass(frozen=True)
class Conflict:
    """A planned change not written: the translation changed after the preview read it."""

    change: Change
    current: dict[str, Any]

    def __str__(self) -> str:
        who = self.current.get("author") or "someone else"
        return (f"conflict: {self.change.segment_id} ({self.change.lang}) was changed by {who} since the preview "
                f"(now version {self.current['version']}): not replaced; search again to see its text")


@dataclass
class ReplaceResult:
    """What :func:`apply_replace` wrote, and what it left alone because it had changed."""

    changed: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def find(store: Store, query: Query, scope: Scope) -> list[Match]:
    """Every match of ``query`` in ``scope``, in reading order: statement, segment, source, then each language."""
    pattern = query.compiled()
    found: list[Match] = []
    for statement, segment, field_name, lang, text, row in _texts(store, scope):
        for start, end in _spans(pattern, text):
            found.append(Match(
                statement_id=statement["id"], slug=statement["slug"], segment_id=segment["id"], field=field_name, lang=lang,
                start=start, end=end, text=text[start:end], before=context_before(text, start), after=context_after(text, end),
                status=row["status"] if row else None, version=row["version"] if row else None,
            ))
    return found


def plan_replace(store: Store, query: Query, replacement: str, scope: Scope) -> ReplacePlan:
    """The preview of replacing ``query`` by ``replacement`` in the translations of ``scope``.

    With ``query.regex`` the replacement may name groups (``\\1``, ``\\g<name>``);
    otherwise it is taken literally. A translation the replace would leave as
    it is (the same text) is not part of the plan.
    """
    if scope.source:
        raise SearchError(SOURCE_IS_NOT_REPLACED)
    if not scope.langs:
        raise SearchError("say which translations to change, e.g. --lang es")
    pattern = query.compiled()
    if query.regex:
        try:
            pattern.sub(replacement, "")  # parses the template: a bad group reference fails here, before any preview
        except (re.error, IndexError) as error:
            raise SearchError(f"'{replacement}' is not a valid replacement for this pattern ({error}): "
                              "refer only to its groups, as \\1 or \\g<name>") from None
    changes = []
    for statement, segment, _, lang, text, row in _texts(store, scope):
        assert row is not None  # translations only: the scope holds no source
        new, old_spans, new_spans = _replaced(pattern, text, replacement, template=query.regex)
        if new != text:
            changes.append(Change(
                statement_id=statement["id"], slug=statement["slug"], segment_id=segment["id"], lang=lang, version=row["version"],
                status=row["status"], new_status=edited_status(row["status"], new), old=text, new=new,
                old_spans=tuple(old_spans), new_spans=tuple(new_spans),
            ))
    return ReplacePlan(tuple(changes))


def apply_replace(store: Store, plan: ReplacePlan, *, author: str) -> ReplaceResult:
    """Write every change of ``plan`` that is still based on the current version; report the others.

    Each translation is saved on its own, so a conflict on one leaves the
    others written; a conflicting one keeps its teammate's text untouched.
    """
    result = ReplaceResult()
    for change in plan.changes:
        try:
            store.save_translation(change.segment_id, change.lang, change.new, change.new_status, author=author,
                                   origin="human", expected_version=change.version)
        except ConflictError as error:
            result.conflicts.append(Conflict(change, error.current))
        else:
            result.changed.append(change)
    return result


def context_before(text: str, start: int, chars: int = CONTEXT_CHARS) -> str:
    """Up to ``chars`` characters before ``start`` on one line; when cut, ``…`` and whole words only."""
    if start <= chars:
        return _one_line(text[:start])
    piece = text[start - chars:start]
    space = re.search(r"\s", piece)
    if not text[start - chars - 1].isspace() and space and space.end() < len(piece):
        piece = piece[space.end():]  # the first word was cut: drop it
    return "\u2026" + _one_line(piece)


def context_after(text: str, end: int, chars: int = CONTEXT_CHARS) -> str:
    """Up to ``chars`` characters after ``end`` on one line; when cut, whole words only and ``…``."""
    if end + chars >= len(text):
        return _one_line(text[end:])
    piece = text[end:end + chars]
    spaces = [found.start() for found in re.finditer(r"\s", piece)]
    if not text[end + chars].isspace() and spaces and spaces[-1] > 0:
        piece = piece[:spaces[-1]]  # the last word was cut: drop it
    return _one_line(piece.rstrip()) + "\u2026"


def _one_line(text: str) -> str:
    return re.sub(r"\s", " ", text)


def _spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Where ``pattern`` matches ``text``; an empty match (``\\b``, ``a*`` between letters) is no place to show or replace."""
    for found in pattern.finditer(text):
        if found.end() > found.start():
            yield found.span()


def _replaced(pattern: re.Pattern[str], text: str, replacement: str, *, template: bool) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """``text`` with every non-empty match replaced, and where the replaced and replacing pieces are.

    Only the matched characters change: everything between matches is copied as it is.
    """
    pieces: list[str] = []
    old_spans: list[tuple[int, int]] = []
    new_spans: list[tuple[int, int]] = []
    copied = 0
    length = 0
    for found in pattern.finditer(text):
        if found.end() == found.start():
            continue
        kept = text[copied:found.start()]
        put = found.expand(replacement) if template else replacement
        pieces += [kept, put]
        length += len(kept)
        old_spans.append(found.span())
        new_spans.append((length, length + len(put)))
        length += len(put)
        copied = found.end()
    pieces.append(text[copied:])
    return "".join(pieces), old_spans, new_spans


def _texts(store: Store, scope: Scope) -> Iterator[tuple[dict[str, Any], dict[str, Any], str, str, str, dict[str, Any] | None]]:
    """``(statement, segment, field, lang, text, translation row)`` for every text of ``scope``, in reading order.

    Only live segments: a segment whose paragraph left the source file is no
    longer part of any statement. Untranslated texts are empty and match nothing.
    """
    statements = [store.statement(scope.statement)] if scope.statement is not None else store.statements()
    by_id = {statement["id"]: statement for statement in statements}
    statement_id = statements[0]["id"] if scope.statement is not None else None
    one_lang = scope.langs[0] if len(scope.langs) == 1 else None
    saved = store.translations(statement_id=statement_id, lang=one_lang) if scope.langs else {}
    for segment in store.segments(statement_id):
        statement = by_id[segment["statement_id"]]
        if scope.source:
            yield statement, segment, SOURCE, segment["source_lang"], segment["source"], None
        for lang in scope.langs:
            row = saved.get(segment["id"], {}).get(lang)
            if row is not None and row["text"]:
                yield statement, segment, TARGET, lang, row["text"], row
