"""Statements, segments, translations and their history: the workspace's content.

Two rules keep volunteers' work safe:

* every change to a translation bumps its ``version`` and is appended to
  ``history``, so any edit can be audited and undone;
* a write carries the version it was based on, and a write based on a stale
  version is refused with :class:`ConflictError` instead of silently winning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.store.base import StoreBase, now
from workbench.store.errors import ConflictError, StoreError
from workbench.store.schema import HISTORY, SEGMENTS, STATEMENTS, TRANSLATIONS

STATUSES: tuple[str, ...] = ("untranslated", "machine", "needs-review", "translated", "approved")
HUMAN_STATUSES: frozenset[str] = frozenset({"needs-review", "translated", "approved"})
"""Statuses that mark a volunteer's work, which machine drafting must never touch."""
REVIEWED_STATUSES: tuple[str, ...] = ("translated", "approved")
"""Statuses that count as done in progress figures."""

@dataclass(frozen=True)
class DraftSentence:
    """One sentence of a machine draft: its source sentence, its translation, and the engine's confidence (0-1)."""

    source: str
    text: str
    confidence: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "text": self.text, "confidence": self.confidence}


@dataclass(frozen=True)
class Draft:
    """A machine or translation-memory suggestion to store as a draft.

    A draft stays ``machine`` (``needs-review`` is a person's verdict); what
    the machine itself doubts is in ``flags``, so a volunteer can tell "the
    machine is unsure" from "a reviewer sent this back".
    """

    segment_id: str
    lang: str
    text: str
    origin: str
    status: str = "machine"
    flags: tuple[str, ...] = ()
    """Why the draft needs a look, e.g. ``restored 7.000`` or ``glossary: missing 'trabajadores migrantes'``."""
    sentences: tuple[DraftSentence, ...] = ()
    """The draft sentence by sentence with the engine's confidence in each; empty when the engine gives no scores."""


def is_machine_draft(translation: dict[str, Any]) -> bool:
    """Whether a saved translation is a draft no volunteer has touched since the machine wrote it.

    That is a ``machine`` draft, or one drafting itself sent to review (its
    author is still the machine origin that wrote it).
    """
    status = translation.get("status")
    return status == "machine" or (
        status == "needs-review" and bool(translation.get("origin")) and translation.get("author") == translation.get("origin")
    )


def _decoded_row(row: dict[str, Any]) -> dict[str, Any]:
    """A translation or history row with its ``flags`` and ``sentences`` as lists (stored as JSON text)."""
    row["flags"] = json.loads(row.get("flags") or "[]")
    row["sentences"] = json.loads(row.get("sentences") or "[]")
    return row


def lowest_sentence_confidence(translation: dict[str, Any]) -> float | None:
    """The least confident sentence of a saved machine draft, None when it has no scored sentences.

    What sorts drafts riskiest first and what a PO export writes for reviewers.
    """
    scores = [sentence["confidence"] for sentence in translation.get("sentences") or [] if sentence.get("confidence") is not None]
    return min(scores) if scores else None


def replay_history(history: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A translation's history replayed: the changes still in effect and the changes undone, each oldest first.

    Each undo cancels the latest change in effect and each redo brings back the
    latest one undone, so repeated undo walks back step by step and redo walks
    forward again, instead of two undos cancelling each other out. Any other
    change (an edit, a draft, a restore) starts a new branch: what was undone
    can no longer be redone, as in every editor.
    """
    in_effect: list[dict[str, Any]] = []
    undone: list[dict[str, Any]] = []
    for entry in history:
        if entry["action"] == "undo":
            if in_effect:
                undone.append(in_effect.pop())
        elif entry["action"] == "redo":
            if undone:
                in_effect.append(undone.pop())
        else:
            in_effect.append(entry)
            undone.clear()
    return in_effect, undone


_NOTHING: dict[str, Any] = {"text": "", "status": "untranslated", "origin": None, "flags": [], "sentences": [], "comment": ""}
"""The state before a translation's first version, which undoing that version brings back."""


class ContentStore(StoreBase):
    """Statements, segments, translations and their history."""

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
        rows = list(self.db[STATEMENTS].rows_where(f"{column} = ?", [value]))
        if not rows:
            raise StoreError(f"no statement {key!r}: run 'workbench list' to see the ids")
        return self._decode_statement(rows[0])

    def find_statement(self, *, slug: str | None = None, fingerprint: str | None = None) -> dict[str, Any] | None:
        """The statement with this slug or content fingerprint, if any."""
        column, value = ("slug", slug) if slug is not None else ("fingerprint", fingerprint)
        rows = list(self.db[STATEMENTS].rows_where(f"{column} = ?", [value], limit=1))
        return self._decode_statement(rows[0]) if rows else None

    def statements_from(self, source_file: str) -> list[dict[str, Any]]:
        """Statements imported from ``source_file``, in import order: their text comes from it, or it once gave them a version.

        The versions are the importer's ``sources`` in the statement's metadata;
        the cheap ``LIKE`` spares the JSON of every statement without any.
        """
        rows = self.db.query(
            """
            SELECT * FROM statements
            WHERE source_file = :file
               OR (metadata LIKE '%"sources"%'
                   AND EXISTS (SELECT 1 FROM json_each(statements.metadata, '$.sources') WHERE json_each.key = :file))
            ORDER BY id
            """,
            {"file": source_file},
        )
        return [self._decode_statement(row) for row in rows]

    def slugs_like(self, slug: str) -> set[str]:
        """``slug`` and its numbered variants (``slug-2`` ...) already in use, in one query."""
        return {row["slug"] for row in self.titles_like(slug)}

    def titles_like(self, slug: str) -> list[dict[str, Any]]:
        """``id``, ``slug`` and ``title`` of the statements with ``slug`` or a numbered variant (``slug-2`` ...), in import order.

        The range also holds longer slugs that start the same ("slug-2015-..."):
        a caller that needs the same title compares titles. A range, unlike
        ``LIKE``, is read from the slug index instead of scanning every statement.
        """
        return list(self.db.query(
            "SELECT id, slug, title FROM statements WHERE slug = ? OR (slug >= ? AND slug < ?) ORDER BY id",
            [slug, f"{slug}-", f"{slug}."],
        ))

    def save_statement(self, record: dict[str, Any], statement_id: int | None = None) -> int:
        """Insert a statement, or update the one with ``statement_id``; returns its id."""
        values = dict(record)
        values["metadata"] = json.dumps(values.get("metadata") or {}, ensure_ascii=False)
        values["truncated"] = int(bool(values.get("truncated")))
        values["imported_at"] = now()
        with self.transaction():
            if statement_id is None:
                return self.db[STATEMENTS].insert(values).last_pk
            self.db[STATEMENTS].update(statement_id, values)
            return statement_id

    def update_statement_metadata(self, statement_id: int, metadata: dict[str, Any]) -> None:
        with self.transaction():
            self.db[STATEMENTS].update(statement_id, {"metadata": json.dumps(metadata, ensure_ascii=False)})

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
        return list(self.db[SEGMENTS].rows_where(where, params, order_by="statement_id, position"))

    def paragraph_overlap(self, statement_ids: list[int], sources: list[str]) -> dict[int, tuple[int, dict[str, int]]]:
        """For the statements that have live segments reading exactly as some of ``sources``: how many
        live segments each has besides its title, and how many of them read as each source.

        What the importer weighs to tell an edited copy of a statement from
        another statement with the same title. Two aggregate queries, led by
        the index on ``source``, so the cost does not grow with the number of
        statements that share a title; ids and sources go in as JSON, clear of
        SQLite's limit on parameters.
        """
        ids = json.dumps(statement_ids)
        shared = self.db.execute(
            f"SELECT statement_id, source, COUNT(*) FROM {SEGMENTS} INDEXED BY idx_segments_source "
            "WHERE source IN (SELECT value FROM json_each(?)) AND statement_id IN (SELECT value FROM json_each(?)) "
            "AND obsolete = 0 AND kind != 'title' GROUP BY statement_id, source",
            [json.dumps(sources, ensure_ascii=False), ids],
        )
        counts: dict[int, dict[str, int]] = {}
        for statement_id, source, count in shared:
            counts.setdefault(statement_id, {})[source] = count
        sizes = self.db.execute(
            f"SELECT statement_id, COUNT(*) FROM {SEGMENTS} WHERE obsolete = 0 AND kind != 'title' "
            "AND statement_id IN (SELECT value FROM json_each(?)) GROUP BY statement_id",
            [json.dumps(list(counts))],
        )
        return {statement_id: (size, counts[statement_id]) for statement_id, size in sizes}

    def segment(self, segment_id: str) -> dict[str, Any]:
        rows = list(self.db[SEGMENTS].rows_where("id = ?", [segment_id]))
        if not rows:
            raise StoreError(f"no segment {segment_id!r}: 'workbench show STATEMENT' lists segment ids")
        return rows[0]

    def insert_segments(self, records: list[dict[str, Any]]) -> None:
        with self.transaction():
            self.db[SEGMENTS].insert_all(records)

    def update_segment(self, segment_id: str, **values: Any) -> None:
        with self.transaction():
            self.db[SEGMENTS].update(segment_id, values)

    def set_source_language(self, segment_id: str, lang: str) -> None:
        """Store the language a volunteer says a segment's source is in.

        Re-importing the file keeps it: an unchanged or reworded paragraph keeps
        its row, and only new paragraphs are detected.
        """
        with self.transaction():
            self.segment(segment_id)  # an unknown id is a StoreError that says where ids are listed
            self.db[SEGMENTS].update(segment_id, {"source_lang": lang})

    def change_segment_source(self, segment_id: str, new_source: str, *, author: str) -> None:
        """Record an edited source: keep the old text and send existing work back to review.

        The previous source is what a PO exporter writes as ``#| msgid`` and
        what the TUI diffs, so a reviewer sees exactly what changed.
        """
        with self.transaction():
            old = self.segment(segment_id)
            self.db[SEGMENTS].update(segment_id, {"source": new_source, "previous_source": old["source"], "obsolete": 0})
            for row in self.db[TRANSLATIONS].rows_where("segment_id = ? AND status != 'untranslated'", [segment_id]):
                current = _decoded_row(row)
                self._write_translation(current, current["text"], "needs-review", origin=current["origin"], author=author,
                                        action="source-changed", flags=current["flags"])

    def mark_obsolete(self, segment_ids: Iterable[str]) -> None:
        """Hide segments whose source paragraph disappeared, keeping their translations for audit."""
        with self.transaction():
            for segment_id in segment_ids:
                self.db[SEGMENTS].update(segment_id, {"obsolete": 1})

    # -- translations -------------------------------------------------------------

    def translation(self, segment_id: str, lang: str) -> dict[str, Any]:
        """The translation of a segment; an unsaved one reads as untranslated version 0."""
        cursor = self.db.execute("SELECT * FROM translations WHERE segment_id = ? AND lang = ?", [segment_id, lang])
        row = cursor.fetchone()
        if row is None:
            return {"segment_id": segment_id, "lang": lang, "text": "", "status": "untranslated", "origin": None,
                    "author": None, "comment": None, "created": None, "updated": None, "version": 0, "flags": [],
                    "sentences": []}
        return _decoded_row(dict(zip([d[0] for d in cursor.description], row, strict=True)))

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
            result.setdefault(row["segment_id"], {})[row["lang"]] = _decoded_row(row)
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
        flags: Sequence[str] = (),
        sentences: Sequence[DraftSentence] = (),
        action: str = "edit",
    ) -> dict[str, Any]:
        """Write a translation unless it changed since ``expected_version``.

        ``expected_version=None`` is for tools that have no earlier read to base
        the write on; the TUI and PO import always pass the version they saw.
        ``flags`` and ``sentences`` describe a machine text (a picked
        alternative); a volunteer's own text has neither. ``action`` names the
        change in the history (``comment`` when only the comment changed).
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
            return self._write_translation(current, text, status, origin=origin, author=author, action=action,
                                           flags=flags, sentences=sentences)

    def set_status(self, segment_id: str, lang: str, status: str, *, author: str, expected_version: int | None = None) -> dict[str, Any]:
        """Confirm, approve or send back to review without touching the text."""
        current = self.translation(segment_id, lang)
        return self.save_translation(
            segment_id, lang, current["text"], status, author=author,
            origin=current["origin"] or "human", expected_version=expected_version if expected_version is not None else current["version"],
        )

    def history(self, segment_id: str, lang: str) -> list[dict[str, Any]]:
        """Every saved state of a translation, oldest first."""
        return [_decoded_row(row) for row in self.db[HISTORY].rows_where("segment_id = ? AND lang = ?", [segment_id, lang], order_by="version")]

    def undo(self, segment_id: str, lang: str, *, author: str, expected_version: int | None = None) -> dict[str, Any]:
        """Restore the state before the latest change in effect, as a new version (undo is audited too)."""
        with self.transaction():
            current = self._current(segment_id, lang, expected_version)
            if current["version"] == 0:
                raise StoreError("nothing to undo: this translation has never been saved")
            in_effect, _ = replay_history(self.history(segment_id, lang))
            if not in_effect:
                raise StoreError("nothing to undo: every change to this translation is already undone")
            in_effect.pop()
            return self._bring_back(current, in_effect[-1] if in_effect else _NOTHING, author=author, action="undo")

    def redo(self, segment_id: str, lang: str, *, author: str, expected_version: int | None = None) -> dict[str, Any]:
        """Bring back the change the latest undo cancelled, as a new version; undo and redo walk back and forth."""
        with self.transaction():
            current = self._current(segment_id, lang, expected_version)
            _, undone = replay_history(self.history(segment_id, lang))
            if not undone:
                raise StoreError("nothing to redo: no undo since the last change of this translation")
            return self._bring_back(current, undone[-1], author=author, action="redo")

    def restore(self, segment_id: str, lang: str, version: int, *, author: str, expected_version: int | None = None) -> dict[str, Any]:
        """Bring back any earlier version as a new version, with its text, status, origin, flags and comment."""
        with self.transaction():
            current = self._current(segment_id, lang, expected_version)
            entry = next((entry for entry in self.history(segment_id, lang) if entry["version"] == version), None)
            if entry is None:
                raise StoreError(f"no version {version} of segment {segment_id} ({lang}): its history goes up to {current['version']}")
            return self._bring_back(current, entry, author=author, action="restore")

    def _current(self, segment_id: str, lang: str, expected_version: int | None) -> dict[str, Any]:
        """The translation as saved, or a conflict when it changed since ``expected_version``."""
        current = self.translation(segment_id, lang)
        if expected_version is not None and current["version"] != expected_version:
            raise ConflictError(current, current["text"])
        return current

    def _bring_back(self, current: dict[str, Any], entry: dict[str, Any], *, author: str, action: str) -> dict[str, Any]:
        """Write a history entry's state on top of ``current`` (caller holds the transaction).

        An entry from before comments were kept in the history (its comment is
        NULL) leaves the current comment as it is.
        """
        if entry.get("comment") is not None:
            current["comment"] = entry["comment"]
        return self._write_translation(current, entry["text"], entry["status"], origin=entry["origin"], author=author,
                                       action=action, flags=entry["flags"],
                                       sentences=[DraftSentence(**sentence) for sentence in entry["sentences"]])

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
                if (current["status"], current["text"], current["flags"], current["sentences"]) == (
                        draft.status, draft.text, list(draft.flags), [sentence.as_dict() for sentence in draft.sentences]):
                    continue
                self._write_translation(current, draft.text, draft.status, origin=draft.origin, author=draft.origin,
                                        action="draft", flags=draft.flags, sentences=draft.sentences)
                written += 1
        return written

    def _write_translation(self, current: dict[str, Any], text: str, status: str, *, origin: str | None, author: str,
                           action: str, flags: Sequence[str] = (), sentences: Sequence[DraftSentence] = ()) -> dict[str, Any]:
        """Upsert a translation row as ``version + 1`` and append it to history (caller holds the transaction).

        ``flags`` and ``sentences`` belong to this text alone: a volunteer's edit writes neither.
        """
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
            "flags": json.dumps(list(flags), ensure_ascii=False),
            "sentences": json.dumps([sentence.as_dict() for sentence in sentences], ensure_ascii=False),
        }
        cursor = self.db.execute(
            """
            INSERT INTO translations (segment_id, lang, text, status, origin, author, comment, created, updated, version, flags, sentences)
            VALUES (:segment_id, :lang, :text, :status, :origin, :author, :comment, :created, :updated, :version, :flags, :sentences)
            ON CONFLICT (segment_id, lang) DO UPDATE SET
              text = excluded.text, status = excluded.status, origin = excluded.origin,
              author = excluded.author, comment = excluded.comment, updated = excluded.updated,
              version = excluded.version, flags = excluded.flags, sentences = excluded.sentences
            WHERE translations.version = :version - 1
            """,
            row,
        )
        if cursor.rowcount != 1:
            raise ConflictError(self.translation(current["segment_id"], current["lang"]), text)
        self.db[HISTORY].insert(
            {"segment_id": row["segment_id"], "lang": row["lang"], "version": version, "text": text,
             "status": status, "origin": origin, "author": author, "action": action, "at": stamp, "flags": row["flags"],
             "sentences": row["sentences"], "comment": row["comment"] or ""}
        )
        return _decoded_row(row)

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

    def flagged_drafts(self, langs: Iterable[str]) -> dict[int, int]:
        """Machine drafts that carry flags, per statement, in ``langs``: the drafts to look at first."""
        wanted = list(langs)
        marks = ", ".join("?" for _ in wanted)
        rows = self.db.execute(
            f"SELECT s.statement_id, COUNT(*) FROM {TRANSLATIONS} t JOIN {SEGMENTS} s ON s.id = t.segment_id "
            f"WHERE s.obsolete = 0 AND t.lang IN ({marks}) AND t.flags != '[]' GROUP BY s.statement_id",
            wanted,
        )
        return dict(rows.fetchall())

    def least_confidence(self, langs: Iterable[str]) -> dict[int, float]:
        """Per statement, the least confident machine-draft sentence in ``langs``: what to sort by to fix the riskiest first.

        Statements with no scored draft are left out.
        """
        wanted = list(langs)
        marks = ", ".join("?" for _ in wanted)
        rows = self.db.execute(
            f"SELECT s.statement_id, MIN(json_extract(sentence.value, '$.confidence')) "
            f"FROM {TRANSLATIONS} t JOIN {SEGMENTS} s ON s.id = t.segment_id, json_each(t.sentences) AS sentence "
            f"WHERE s.obsolete = 0 AND t.lang IN ({marks}) AND t.sentences != '[]' "
            "AND json_extract(sentence.value, '$.confidence') IS NOT NULL GROUP BY s.statement_id",
            wanted,
        )
        return dict(rows.fetchall())

    # -- reads for checks and translation memory ------------------------------------

    def segments_with_source(self, source: str, *, besides: str) -> list[str]:
        """Ids of the other live segments whose source is exactly ``source``."""
        rows = self.db[SEGMENTS].rows_where("source = ? AND id != ? AND obsolete = 0", [source, besides], select="id")
        return [row["id"] for row in rows]

    def latest_history_id(self) -> int:
        """The newest history row's id: a watermark for caches that follow every change."""
        return self.db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {HISTORY}").fetchone()[0]

    def segments_changed_since(self, history_id: int, lang: str) -> list[str]:
        """Segments whose ``lang`` translation changed after the history row ``history_id``."""
        rows = self.db.execute(f"SELECT DISTINCT segment_id FROM {HISTORY} WHERE id > ? AND lang = ?", [history_id, lang])
        return [row[0] for row in rows]

    def memory_provenance(self, segment_ids: Sequence[str], lang: str) -> dict[str, dict[str, Any]]:
        """Where translation-memory matches come from, by segment id: ``statement_id``, ``title``, and
        the ``author`` and ``updated`` of its ``lang`` translation, in one query.

        The memory index keeps only what scoring needs; the few matches shown
        are told apart by the statement they translate, who saved them and when.
        """
        rows = self.db.query(
            f"SELECT t.segment_id AS segment_id, s.statement_id AS statement_id, st.title AS title, t.author AS author, "
            f"t.updated AS updated FROM {TRANSLATIONS} t JOIN {SEGMENTS} s ON s.id = t.segment_id "
            f"JOIN {STATEMENTS} st ON st.id = s.statement_id "
            "WHERE t.lang = ? AND t.segment_id IN (SELECT value FROM json_each(?))",
            [lang, json.dumps(list(segment_ids))],
        )
        return {row["segment_id"]: row for row in rows}

    def memory_rows(self, lang: str, statuses: Iterable[str], segment_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Non-empty ``lang`` translations in ``statuses`` with their sources (``segment_id, source, target, status, updated``).

        With ``segment_ids``, only those segments (read in chunks, under SQLite's parameter limit).
        """
        wanted = list(statuses)
        marks = ", ".join("?" for _ in wanted)
        sql = (
            "SELECT t.segment_id AS segment_id, s.source AS source, t.text AS target, t.status AS status, "
            f"t.updated AS updated FROM {TRANSLATIONS} t JOIN {SEGMENTS} s ON s.id = t.segment_id "
            f"WHERE t.lang = ? AND t.status IN ({marks}) AND t.text != ''"
        )
        params: list[Any] = [lang, *wanted]
        if segment_ids is None:
            return list(self.db.query(sql, params))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(segment_ids), 500):
            chunk = segment_ids[start:start + 500]
            rows += list(self.db.query(sql + f" AND t.segment_id IN ({', '.join('?' for _ in chunk)})", params + chunk))
        return rows
