"""The workspace database: statements, segments, translations and their history.

Everything lives in one SQLite file, opened through sqlite-utils in WAL mode so a
volunteer's TUI and a teammate's CLI can work on the same workspace at once.

Two rules keep volunteers' work safe:

* every change to a translation bumps its ``version`` and is appended to
  ``history``, so any edit can be audited and undone;
* a write carries the version it was based on, and a write based on a stale
  version is refused with :class:`ConflictError` instead of silently winning.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

STATUSES: tuple[str, ...] = ("untranslated", "machine", "needs-review", "translated", "approved")
HUMAN_STATUSES: frozenset[str] = frozenset({"needs-review", "translated", "approved"})
"""Statuses that mark a volunteer's work, which machine drafting must never touch."""
REVIEWED_STATUSES: tuple[str, ...] = ("translated", "approved")
"""Statuses that count as done in progress figures."""

SCHEMA_VERSION = 4


class ConflictError(Exception):
    """A write was based on a version of a translation that is no longer current."""

    def __init__(self, current: dict[str, Any], attempted_text: str) -> None:
        self.current = current
        self.attempted_text = attempted_text
        super().__init__(
            f"segment {current['segment_id']} ({current['lang']}) was changed by "
            f"{current.get('author') or 'someone else'} (now version {current['version']}): "
            "reload it and merge your edit"
        )


class StoreError(Exception):
    """A request the store cannot satisfy, such as an unknown id or status."""


@dataclass(frozen=True)
class Draft:
    """A machine or translation-memory suggestion to store as a draft.

    ``status`` is ``machine``, or ``needs-review`` for a draft known to be
    wrong (a glossary term MT could not be made to use), so it is never
    mistaken for a clean draft.
    """

    segment_id: str
    lang: str
    text: str
    origin: str
    status: str = "machine"


def is_machine_draft(translation: dict[str, Any]) -> bool:
    """Whether a saved translation is a draft no volunteer has touched since the machine wrote it.

    That is a ``machine`` draft, or one drafting itself sent to review (its
    author is still the machine origin that wrote it).
    """
    status = translation.get("status")
    return status == "machine" or (
        status == "needs-review" and bool(translation.get("origin")) and translation.get("author") == translation.get("origin")
    )


def now() -> str:
    """UTC timestamps in ISO 8601, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migrate_1(db: sqlite_utils.Database) -> None:
    """The initial schema."""
    db["statements"].create(
        {
            "id": int,
            "slug": str,
            "title": str,
            "date": str,
            "date_text": str,
            "source_file": str,
            "start_line": int,
            "truncated": int,
            "fingerprint": str,
            "metadata": str,
            "imported_at": str,
        },
        pk="id",
        not_null={"slug", "title"},
        defaults={"truncated": 0, "metadata": "{}"},
    )
    db["statements"].create_index(["slug"], unique=True)
    db["statements"].create_index(["fingerprint"])
    db["segments"].create(
        {
            "id": str,
            "statement_id": int,
            "position": int,
            "kind": str,
            "source": str,
            "source_lang": str,
            "previous_source": str,
            "line": int,
            "obsolete": int,
        },
        pk="id",
        foreign_keys=[("statement_id", "statements", "id")],
        not_null={"statement_id", "position", "kind", "source"},
        defaults={"obsolete": 0},
    )
    db["segments"].create_index(["statement_id", "position"])
    db["segments"].create_index(["source"])
    db["translations"].create(
        {
            "segment_id": str,
            "lang": str,
            "text": str,
            "status": str,
            "origin": str,
            "author": str,
            "comment": str,
            "created": str,
            "updated": str,
            "version": int,
        },
        pk=("segment_id", "lang"),
        foreign_keys=[("segment_id", "segments", "id")],
        not_null={"text", "status", "version"},
    )
    db["translations"].create_index(["lang", "status"])
    db["history"].create(
        {
            "id": int,
            "segment_id": str,
            "lang": str,
            "version": int,
            "text": str,
            "status": str,
            "origin": str,
            "author": str,
            "action": str,
            "at": str,
        },
        pk="id",
    )
    db["history"].create_index(["segment_id", "lang", "version"])


def _migrate_2(db: sqlite_utils.Database) -> None:
    """The glossary: terms, their renderings per locale, and a revision counter for caches."""
    db["glossary_terms"].create(
        {"id": int, "term": str, "english_forms": str, "kind": str, "treatment": str,
         "notes": str, "case_sensitive": int, "updated": str},
        pk="id", not_null={"term", "kind", "treatment"},
        defaults={"english_forms": "[]", "notes": "", "case_sensitive": 0},
    )
    db["glossary_terms"].create_index(["term"], unique=True)
    db["glossary_renderings"].create(
        {"term_id": int, "locale": str, "preferred": str, "variants": str, "forbidden": str,
         "patterns": str, "verified": int},
        pk=("term_id", "locale"), foreign_keys=[("term_id", "glossary_terms", "id")],
        defaults={"variants": "[]", "forbidden": "[]", "patterns": "[]", "verified": 1},
    )
    db["glossary_meta"].create({"key": str, "value": str}, pk="key")


def _migrate_3(db: sqlite_utils.Database) -> None:
    """What each exported PO file held, so an import can tell a translator's edit from a conflict."""
    db["po_export_files"].create(
        {"export_id": str, "statement_id": int, "lang": str, "last_translator": str, "exported_at": str},
        pk="export_id",
    )
    db["po_exports"].create(
        {"export_id": str, "segment_id": str, "version": int, "text": str, "fuzzy": int, "comment": str},
        pk=("export_id", "segment_id"),
    )


def _migrate_4(db: sqlite_utils.Database) -> None:
    """Machine translations by (model and version, sentence): re-drafting costs no model calls."""
    db["mt_cache"].create(
        {"model": str, "source": str, "target": str, "created": str},
        pk=("model", "source"), not_null={"target"},
    )


MIGRATIONS = [_migrate_1, _migrate_2, _migrate_3, _migrate_4]
assert len(MIGRATIONS) == SCHEMA_VERSION


class Store:
    """Typed access to the workspace database; the only module that writes SQL for it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self.db = sqlite_utils.Database(connection)
        self.db.execute("PRAGMA busy_timeout = 30000")
        self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    # -- schema ---------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        """Bring an older database up to :data:`SCHEMA_VERSION`, one step at a time."""
        if self.schema_version >= SCHEMA_VERSION:
            return
        with self.transaction():
            current = self.schema_version  # re-read under the write lock: another process may have migrated
            for version in range(current, SCHEMA_VERSION):
                MIGRATIONS[version](self.db)
                self.db.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested calls join the outer transaction.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes never
        both read a version and then race to write it.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- statements -------------------------------------------------------------

    def statements(self) -> list[dict[str, Any]]:
        """All statements with their segment counts, in import order."""
        rows = self.db.query(
            """
            SELECT statements.*, COUNT(segments.id) AS segment_count
            FROM statements LEFT JOIN segments
              ON segments.statement_id = statements.id AND segments.obsolete = 0
            GROUP BY statements.id ORDER BY statements.id
            """
        )
        return [self._decode_statement(row) for row in rows]

    def statement(self, key: int | str) -> dict[str, Any]:
        """A statement by numeric id or slug."""
        column = "id" if isinstance(key, int) or str(key).isdigit() else "slug"
        value = int(key) if column == "id" else key
        rows = list(self.db["statements"].rows_where(f"{column} = ?", [value]))
        if not rows:
            raise StoreError(f"no statement {key!r}: run 'workbench list' to see the ids")
        return self._decode_statement(rows[0])

    def find_statement(self, *, slug: str | None = None, fingerprint: str | None = None) -> dict[str, Any] | None:
        """The statement with this slug or content fingerprint, if any."""
        column, value = ("slug", slug) if slug is not None else ("fingerprint", fingerprint)
        rows = list(self.db["statements"].rows_where(f"{column} = ?", [value], limit=1))
        return self._decode_statement(rows[0]) if rows else None

    def statements_from(self, source_file: str) -> list[dict[str, Any]]:
        """Statements first imported from ``source_file``, in import order."""
        return [self._decode_statement(row) for row in self.db["statements"].rows_where("source_file = ?", [source_file], order_by="id")]

    def slugs_like(self, slug: str) -> set[str]:
        """``slug`` and its numbered variants (``slug-2`` ...) already in use, in one query."""
        pattern = slug.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
        rows = self.db.execute("SELECT slug FROM statements WHERE slug = ? OR slug LIKE ? ESCAPE '\\'", [slug, pattern])
        return {row[0] for row in rows}

    def save_statement(self, record: dict[str, Any], statement_id: int | None = None) -> int:
        """Insert a statement, or update the one with ``statement_id``; returns its id."""
        values = dict(record)
        values["metadata"] = json.dumps(values.get("metadata") or {}, ensure_ascii=False)
        values["truncated"] = int(bool(values.get("truncated")))
        values["imported_at"] = now()
        with self.transaction():
            if statement_id is None:
                return self.db["statements"].insert(values).last_pk
            self.db["statements"].update(statement_id, values)
            return statement_id

    def update_statement_metadata(self, statement_id: int, metadata: dict[str, Any]) -> None:
        with self.transaction():
            self.db["statements"].update(statement_id, {"metadata": json.dumps(metadata, ensure_ascii=False)})

    @staticmethod
    def _decode_statement(row: dict[str, Any]) -> dict[str, Any]:
        statement = dict(row)
        statement["truncated"] = bool(statement.get("truncated"))
        statement["metadata"] = json.loads(statement.get("metadata") or "{}")
        return statement

    # -- segments ---------------------------------------------------------------

    def segments(self, statement_id: int | None = None, *, include_obsolete: bool = False) -> list[dict[str, Any]]:
        """Translatable segments in reading order, of one statement or of all."""
        clauses, params = [], []
        if statement_id is not None:
            clauses.append("statement_id = ?")
            params.append(statement_id)
        if not include_obsolete:
            clauses.append("obsolete = 0")
        where = " AND ".join(clauses) or None
        return list(self.db["segments"].rows_where(where, params, order_by="statement_id, position"))

    def segment(self, segment_id: str) -> dict[str, Any]:
        rows = list(self.db["segments"].rows_where("id = ?", [segment_id]))
        if not rows:
            raise StoreError(f"no segment {segment_id!r}: 'workbench show STATEMENT' lists segment ids")
        return rows[0]

    def insert_segments(self, records: list[dict[str, Any]]) -> None:
        with self.transaction():
            self.db["segments"].insert_all(records)

    def update_segment(self, segment_id: str, **values: Any) -> None:
        with self.transaction():
            self.db["segments"].update(segment_id, values)

    def change_segment_source(self, segment_id: str, new_source: str, *, author: str) -> None:
        """Record an edited source: keep the old text and send existing work back to review.

        The previous source is what a PO exporter writes as ``#| msgid`` and
        what the TUI diffs, so a reviewer sees exactly what changed.
        """
        with self.transaction():
            old = self.segment(segment_id)
            self.db["segments"].update(segment_id, {"source": new_source, "previous_source": old["source"], "obsolete": 0})
            for row in self.db["translations"].rows_where("segment_id = ? AND status != 'untranslated'", [segment_id]):
                self._write_translation(row, row["text"], "needs-review", origin=row["origin"], author=author, action="source-changed")

    def mark_obsolete(self, segment_ids: Iterable[str]) -> None:
        """Hide segments whose source paragraph disappeared, keeping their translations for audit."""
        with self.transaction():
            for segment_id in segment_ids:
                self.db["segments"].update(segment_id, {"obsolete": 1})

    # -- translations -------------------------------------------------------------

    def translation(self, segment_id: str, lang: str) -> dict[str, Any]:
        """The translation of a segment; an unsaved one reads as untranslated version 0."""
        cursor = self.db.execute("SELECT * FROM translations WHERE segment_id = ? AND lang = ?", [segment_id, lang])
        row = cursor.fetchone()
        if row is None:
            return {"segment_id": segment_id, "lang": lang, "text": "", "status": "untranslated",
                    "origin": None, "author": None, "comment": None, "created": None, "updated": None, "version": 0}
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def translations(self, *, statement_id: int | None = None, lang: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
        """Saved translations as ``{segment_id: {lang: row}}``, in one query."""
        sql = "SELECT translations.* FROM translations JOIN segments ON segments.id = translations.segment_id WHERE 1"
        params: list[Any] = []
        if statement_id is not None:
            sql += " AND segments.statement_id = ?"
            params.append(statement_id)
        if lang is not None:
            sql += " AND translations.lang = ?"
            params.append(lang)
        result: dict[str, dict[str, dict[str, Any]]] = {}
        for row in self.db.query(sql, params):
            result.setdefault(row["segment_id"], {})[row["lang"]] = row
        return result

    def save_translation(
        self,
        segment_id: str,
        lang: str,
        text: str,
        status: str,
        *,
        author: str,
        origin: str = "human",
        expected_version: int | None = None,
        comment: str | None = None,
    ) -> dict[str, Any]:
        """Write a translation unless it changed since ``expected_version``.

        ``expected_version=None`` is for tools that have no earlier read to base
        the write on; the TUI and PO import always pass the version they saw.
        """
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        with self.transaction():
            self.segment(segment_id)
            current = self.translation(segment_id, lang)
            if expected_version is not None and current["version"] != expected_version:
                raise ConflictError(current, text)
            if comment is not None:
                current["comment"] = comment
            return self._write_translation(current, text, status, origin=origin, author=author, action="edit")

    def set_status(self, segment_id: str, lang: str, status: str, *, author: str, expected_version: int | None = None) -> dict[str, Any]:
        """Confirm, approve or send back to review without touching the text."""
        current = self.translation(segment_id, lang)
        return self.save_translation(
            segment_id, lang, current["text"], status, author=author,
            origin=current["origin"] or "human", expected_version=expected_version if expected_version is not None else current["version"],
        )

    def history(self, segment_id: str, lang: str) -> list[dict[str, Any]]:
        """Every saved state of a translation, oldest first."""
        return list(self.db["history"].rows_where("segment_id = ? AND lang = ?", [segment_id, lang], order_by="version"))

    def undo(self, segment_id: str, lang: str, *, author: str, expected_version: int | None = None) -> dict[str, Any]:
        """Restore the state before the current version, as a new version (undo is audited too)."""
        with self.transaction():
            current = self.translation(segment_id, lang)
            if expected_version is not None and current["version"] != expected_version:
                raise ConflictError(current, current["text"])
            if current["version"] == 0:
                raise StoreError("nothing to undo: this translation has never been saved")
            stack = self._undo_stack(segment_id, lang)
            if not stack:
                raise StoreError("nothing to undo: every change to this translation is already undone")
            stack.pop()
            text, status, origin = (stack[-1]["text"], stack[-1]["status"], stack[-1]["origin"]) if stack else ("", "untranslated", None)
            return self._write_translation(current, text, status, origin=origin, author=author, action="undo")

    def _undo_stack(self, segment_id: str, lang: str) -> list[dict[str, Any]]:
        """The changes still in effect, oldest first: each undo cancels the latest one.

        Replaying history this way makes repeated undo walk back step by step,
        instead of two undos cancelling each other out.
        """
        stack: list[dict[str, Any]] = []
        for entry in self.history(segment_id, lang):
            if entry["action"] == "undo":
                if stack:
                    stack.pop()
            else:
                stack.append(entry)
        return stack

    def save_machine_drafts(self, drafts: Iterable[Draft], *, retranslate: bool = False) -> int:
        """Store MT/TM drafts where no volunteer has worked; returns how many were written.

        The guard is in SQL, under the write lock, so a volunteer who confirms a
        paragraph while a long MT run is going can never lose that work.
        """
        written = 0
        with self.transaction():
            for draft in drafts:
                current = self.translation(draft.segment_id, draft.lang)
                if not (current["status"] == "untranslated" or (retranslate and is_machine_draft(current))):
                    continue
                if current["status"] == draft.status and current["text"] == draft.text:
                    continue
                self._write_translation(current, draft.text, draft.status, origin=draft.origin, author=draft.origin, action="draft")
                written += 1
        return written

    def _write_translation(self, current: dict[str, Any], text: str, status: str, *, origin: str | None, author: str, action: str) -> dict[str, Any]:
        """Upsert a translation row as ``version + 1`` and append it to history (caller holds the transaction)."""
        stamp = now()
        version = current["version"] + 1
        row = {
            "segment_id": current["segment_id"],
            "lang": current["lang"],
            "text": text,
            "status": status,
            "origin": origin,
            "author": author,
            "comment": current.get("comment"),
            "created": current.get("created") or stamp,
            "updated": stamp,
            "version": version,
        }
        cursor = self.db.execute(
            """
            INSERT INTO translations (segment_id, lang, text, status, origin, author, comment, created, updated, version)
            VALUES (:segment_id, :lang, :text, :status, :origin, :author, :comment, :created, :updated, :version)
            ON CONFLICT (segment_id, lang) DO UPDATE SET
              text = excluded.text, status = excluded.status, origin = excluded.origin,
              author = excluded.author, comment = excluded.comment, updated = excluded.updated,
              version = excluded.version
            WHERE translations.version = :version - 1
            """,
            row,
        )
        if cursor.rowcount != 1:
            raise ConflictError(self.translation(current["segment_id"], current["lang"]), text)
        self.db["history"].insert(
            {"segment_id": row["segment_id"], "lang": row["lang"], "version": version, "text": text,
             "status": status, "origin": origin, "author": author, "action": action, "at": stamp}
        )
        return row

    # -- progress -----------------------------------------------------------------

    def progress(self, langs: Iterable[str]) -> dict[int, dict[str, dict[str, int]]]:
        """Status counts per statement and language, e.g. ``{3: {"es": {"machine": 4, ...}}}``."""
        langs = list(langs)
        totals = {row["statement_id"]: row["n"] for row in self.db.query(
            "SELECT statement_id, COUNT(*) AS n FROM segments WHERE obsolete = 0 GROUP BY statement_id")}
        result = {sid: {lang: {status: 0 for status in STATUSES} for lang in langs} for sid in totals}
        for row in self.db.query(
            """
            SELECT segments.statement_id AS sid, translations.lang AS lang, translations.status AS status, COUNT(*) AS n
            FROM translations JOIN segments ON segments.id = translations.segment_id
            WHERE segments.obsolete = 0 GROUP BY sid, lang, status
            """
        ):
            if row["lang"] in langs:
                result[row["sid"]][row["lang"]][row["status"]] += row["n"]
        for sid, per_lang in result.items():
            for counts in per_lang.values():
                counts["untranslated"] = totals[sid] - sum(n for status, n in counts.items() if status != "untranslated")
        return result
