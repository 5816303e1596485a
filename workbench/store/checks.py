"""What the quality checks read, and the findings they keep between runs.

A check of a large workspace reads every segment and translation; these reads
return plain tuples, not a dict per row. The findings cache keeps each
translation's findings with the inputs they were computed from (an opaque key
the checks compose: translation version and status, source, glossary revision,
the checks' own version), so the next run reuses them while the key still
matches and redoes only what changed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from workbench.store.base import StoreBase
from workbench.store.schema import CHECK_FINDINGS, SEGMENTS, TRANSLATIONS

_CHUNK = 500
"""Segment ids per ``IN (...)`` list, well under SQLite's parameter limit."""


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


class CheckStore(StoreBase):
    """Reads for the checks, and the findings cache."""

    def segment_sources(self, statement_id: int | None = None) -> list[tuple[str, int, str, str]]:
        """``(id, statement_id, source, source_lang)`` of the live segments (of one statement, or all), in reading order.

        A segment with no source language is English, as everywhere else in workbench.
        """
        where, params = ("AND statement_id = ?", [statement_id]) if statement_id is not None else ("", [])
        return self.db.execute(
            f"SELECT id, statement_id, source, COALESCE(NULLIF(source_lang, ''), 'en') FROM {SEGMENTS} "
            f"WHERE obsolete = 0 {where} ORDER BY statement_id, position, id", params,
        ).fetchall()

    def translation_texts(self, langs: Collection[str], segment_ids: Collection[str] | None = None) -> dict[tuple[str, str], tuple[str, str, int]]:
        """``{(segment_id, lang): (text, status, version)}`` of the saved translations in ``langs`` (of ``segment_ids``, or all).

        Text, status and version come from one row read, so findings computed
        from the text can be keyed by the version it had. All rows are read in
        table order and sorted out here: walking the language index instead
        takes longer.
        """
        sql = f"SELECT segment_id, lang, text, status, version FROM {TRANSLATIONS}"
        if segment_ids is None:
            rows: list[tuple[str, str, str, str, int]] = self.db.execute(sql).fetchall()
        else:
            wanted, rows = list(segment_ids), []
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start:start + _CHUNK]
                rows += self.db.execute(sql + f" WHERE segment_id IN ({_marks(chunk)})", chunk).fetchall()
        return {(segment_id, lang): (text or "", status, version) for segment_id, lang, text, status, version in rows if lang in langs}

    # -- the findings cache -------------------------------------------------------------

    def cached_findings(self, langs: Collection[str], statement_id: int | None = None) -> dict[tuple[str, str], tuple[int, str, str, str]]:
        """``{(segment_id, lang): (version, status, key, findings)}`` for each saved translation in ``langs`` (of one statement, or all).

        ``key`` and ``findings`` are what :meth:`remember_findings` last kept
        for the translation ("" if nothing); the caller compares the key with
        the one its current version, status and other inputs make. One scan of
        the translations in table order, looking each up in the cache.
        """
        sql = (f"SELECT t.segment_id, t.lang, t.version, t.status, COALESCE(c.inputs, ''), COALESCE(c.findings, '') "
               f"FROM {TRANSLATIONS} t LEFT JOIN {CHECK_FINDINGS} c ON c.segment_id = t.segment_id AND c.lang = t.lang")
        params: list[Any] = []
        if statement_id is not None:
            sql += f" WHERE t.segment_id IN (SELECT id FROM {SEGMENTS} WHERE statement_id = ?)"
            params.append(statement_id)
        return {(segment_id, lang): (version, status, key, findings)
                for segment_id, lang, version, status, key, findings in self.db.execute(sql, params) if lang in langs}

    def findings_kept_under(self, suffix: str) -> bool:
        """Whether any translation's kept findings have a key ending with ``suffix``.

        The checks end every key with what all translations share (glossary
        revision, the checks' own version): where none does, nothing kept can
        be used, and the caller need not read the cache at all.
        """
        return bool(self.db.execute(
            f"SELECT EXISTS (SELECT 1 FROM {CHECK_FINDINGS} WHERE substr(inputs, -?) = ?)", [len(suffix), suffix],
        ).fetchone()[0])

    def remember_findings(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """Keep ``(segment_id, lang, key, findings)`` for the next run, replacing what was kept.

        A read-only workspace keeps nothing: the cache only saves time, so the
        checks run in full there instead of failing.
        """
        if not rows or self.read_only:
            return
        with self.transaction():
            self.db.conn.executemany(
                f"INSERT OR REPLACE INTO {CHECK_FINDINGS} (segment_id, lang, inputs, findings) VALUES (?, ?, ?, ?)", rows)
