"""What the store remembers on others' behalf: PO export records and the MT cache."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from workbench.store.base import StoreBase, now
from workbench.store.schema import MT_CACHE, PO_EXPORT_FILES, PO_EXPORTS


class CacheStore(StoreBase):
    """Records that let later runs skip work or tell an edit from a conflict."""

    # -- PO export records ------------------------------------------------------------

    def record_po_exports(self, files: Iterable[tuple[str, int, str, str]], entries: Iterable[tuple[str, str, int, str, bool, str]]) -> None:
        """Remember what each exported file held; an unchanged re-export adds nothing (same id).

        ``files`` are ``(export_id, statement_id, lang, last_translator)``;
        ``entries`` are ``(export_id, segment_id, version, text, fuzzy, comment)``.
        """
        stamp = now()
        with self.transaction():
            self.db.conn.executemany(
                f"INSERT OR IGNORE INTO {PO_EXPORT_FILES} (export_id, statement_id, lang, last_translator, exported_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(*file, stamp) for file in files],
            )
            self.db.conn.executemany(
                f"INSERT OR IGNORE INTO {PO_EXPORTS} (export_id, segment_id, version, text, fuzzy, comment) VALUES (?, ?, ?, ?, ?, ?)",
                [(export_id, segment_id, version, text, int(fuzzy), comment) for export_id, segment_id, version, text, fuzzy, comment in entries],
            )

    def po_export(self, export_id: str) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
        """The record of one export (``lang``, ``last_translator``) and its entries by segment id."""
        row = self.db.execute(f"SELECT lang, last_translator FROM {PO_EXPORT_FILES} WHERE export_id = ?", [export_id]).fetchone()
        if row is None:
            return None, {}
        entries = {
            segment_id: {"text": text, "fuzzy": bool(fuzzy), "comment": comment}
            for segment_id, text, fuzzy, comment in self.db.execute(
                f"SELECT segment_id, text, fuzzy, comment FROM {PO_EXPORTS} WHERE export_id = ?", [export_id])
        }
        return {"lang": row[0], "last_translator": row[1]}, entries

    # -- machine translation cache ------------------------------------------------------

    def cached_translations(self, model: str, sentences: Sequence[str]) -> dict[str, tuple[str, float | None]]:
        """Cached translations by ``model`` of those ``sentences`` that have one, with their confidence (None if unscored)."""
        found: dict[str, tuple[str, float | None]] = {}
        for start in range(0, len(sentences), 500):
            chunk = list(sentences[start:start + 500])
            marks = ", ".join("?" for _ in chunk)
            for source, target, confidence in self.db.execute(
                f"SELECT source, target, confidence FROM {MT_CACHE} WHERE model = ? AND source IN ({marks})", [model, *chunk]
            ):
                found[source] = (target, confidence)
        return found

    def cache_translations(self, model: str, translations: dict[str, tuple[str, float | None]]) -> None:
        """Keep ``{sentence: (translation, confidence)}`` made by ``model``, in a short transaction of its own."""
        if not translations:
            return
        stamp = now()
        with self.transaction():
            self.db.conn.executemany(
                f"INSERT OR REPLACE INTO {MT_CACHE} (model, source, target, confidence, created) VALUES (?, ?, ?, ?, ?)",
                [(model, source, target, confidence, stamp) for source, (target, confidence) in translations.items()],
            )
