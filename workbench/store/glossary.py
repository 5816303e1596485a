"""Glossary rows: terms, their renderings per locale, and the revision counter.

The store keeps the glossary as rows; :mod:`workbench.glossary` turns them
into terms. Every write bumps the revision, so each process's cached matchers
know to rebuild, and the written term's version, so an edit based on an older
version can tell what changed meanwhile.
"""

from __future__ import annotations

from typing import Any

from workbench.store.base import StoreBase, now
from workbench.store.errors import StoreError
from workbench.store.schema import GLOSSARY_META, GLOSSARY_RENDERINGS, GLOSSARY_TERMS

BUNDLED_FLAG = "bundled_loaded"
REVISION_KEY = "revision"


class GlossaryStore(StoreBase):
    """The glossary's tables."""

    def glossary_rows(self, term_id: int | None = None) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Terms in id order (or the one with ``term_id``), each with its rendering rows in locale order."""
        where, params = ("id = ?", [term_id]) if term_id is not None else (None, [])
        terms = list(self.db[GLOSSARY_TERMS].rows_where(where, params, order_by="id"))
        r_where, r_params = ("term_id = ?", [term_id]) if term_id is not None else (None, [])
        renderings: dict[int, list[dict[str, Any]]] = {}
        for row in self.db[GLOSSARY_RENDERINGS].rows_where(r_where, r_params, order_by="term_id, locale"):
            renderings.setdefault(row["term_id"], []).append(row)
        return [(row, renderings.get(row["id"], [])) for row in terms]

    def glossary_term_id(self, term: str) -> int | None:
        """The id of the term whose English text is exactly ``term``."""
        row = self.db.execute(f"SELECT id FROM {GLOSSARY_TERMS} WHERE term = ?", [term]).fetchone()
        return row[0] if row else None

    def save_glossary_term(self, record: dict[str, Any], renderings: list[dict[str, Any]], term_id: int | None = None) -> int:
        """Insert a term (or replace the one with ``term_id``) with all its renderings; returns its id.

        A new term starts at version 1; every replacement bumps the version by one.
        A second term with the same English text is refused: terms are merged by it.
        """
        with self.transaction():
            clash = self.glossary_term_id(record["term"])
            if clash is not None and clash != term_id:
                raise StoreError(f"term {record['term']!r} already exists as #{clash}: edit that one instead")
            record = {**{k: v for k, v in record.items() if k != "version"}, "updated": now()}
            if term_id is None:
                term_id = self.db[GLOSSARY_TERMS].insert({**record, "version": 1}).last_pk
            else:
                self.db[GLOSSARY_TERMS].update(term_id, record)
                self.db.execute(f"UPDATE {GLOSSARY_TERMS} SET version = version + 1 WHERE id = ?", [term_id])
            self.db.execute(f"DELETE FROM {GLOSSARY_RENDERINGS} WHERE term_id = ?", [term_id])
            self.db[GLOSSARY_RENDERINGS].insert_all({**rendering, "term_id": term_id} for rendering in renderings)
            self._bump_glossary_revision()
            return term_id

    def delete_glossary_term(self, term_id: int) -> None:
        with self.transaction():
            self.db.execute(f"DELETE FROM {GLOSSARY_RENDERINGS} WHERE term_id = ?", [term_id])
            self.db.execute(f"DELETE FROM {GLOSSARY_TERMS} WHERE id = ?", [term_id])
            self._bump_glossary_revision()

    def glossary_revision(self) -> int:
        """A number that changes with every glossary write, in any process."""
        row = self.db.execute(f"SELECT value FROM {GLOSSARY_META} WHERE key = ?", [REVISION_KEY]).fetchone()
        return int(row[0]) if row else 0

    def _bump_glossary_revision(self) -> None:
        self.db.execute(
            f"INSERT INTO {GLOSSARY_META} (key, value) VALUES (?, '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            [REVISION_KEY],
        )

    def bundled_glossary_loaded(self) -> bool:
        """Whether the bundled glossary was ever loaded into this workspace."""
        return self.db.execute(f"SELECT 1 FROM {GLOSSARY_META} WHERE key = ?", [BUNDLED_FLAG]).fetchone() is not None

    def mark_bundled_glossary_loaded(self) -> None:
        """Remember the load, so a term the team deleted does not come back at the next ``init``."""
        with self.transaction():
            self.db[GLOSSARY_META].upsert({"key": BUNDLED_FLAG, "value": now()}, pk="key")
