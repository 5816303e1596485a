"""The database schema: table names and the step-by-step migrations that build it.

Each migration is one function that brings the schema from version N-1 to N;
``PRAGMA user_version`` records how far a database has come, so an old
workspace is upgraded in place, one step at a time, and never rebuilt.
"""

from __future__ import annotations

import sqlite_utils

STATEMENTS = "statements"
SEGMENTS = "segments"
TRANSLATIONS = "translations"
HISTORY = "history"
GLOSSARY_TERMS = "glossary_terms"
GLOSSARY_RENDERINGS = "glossary_renderings"
GLOSSARY_META = "glossary_meta"
PO_EXPORT_FILES = "po_export_files"
PO_EXPORTS = "po_exports"
MT_CACHE = "mt_cache"
CHECK_FINDINGS = "check_findings"


def _migrate_1(db: sqlite_utils.Database) -> None:
    """The initial schema."""
    db[STATEMENTS].create(
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
    db[STATEMENTS].create_index(["slug"], unique=True)
    db[STATEMENTS].create_index(["fingerprint"])
    db[SEGMENTS].create(
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
        foreign_keys=[("statement_id", STATEMENTS, "id")],
        not_null={"statement_id", "position", "kind", "source"},
        defaults={"obsolete": 0},
    )
    db[SEGMENTS].create_index(["statement_id", "position"])
    db[SEGMENTS].create_index(["source"])
    db[TRANSLATIONS].create(
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
        foreign_keys=[("segment_id", SEGMENTS, "id")],
        not_null={"text", "status", "version"},
    )
    db[TRANSLATIONS].create_index(["lang", "status"])
    db[HISTORY].create(
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
    db[HISTORY].create_index(["segment_id", "lang", "version"])


def _migrate_2(db: sqlite_utils.Database) -> None:
    """The glossary: terms, their renderings per locale, and a revision counter for caches."""
    db[GLOSSARY_TERMS].create(
        {"id": int, "term": str, "english_forms": str, "kind": str, "treatment": str,
         "notes": str, "case_sensitive": int, "updated": str},
        pk="id", not_null={"term", "kind", "treatment"},
        defaults={"english_forms": "[]", "notes": "", "case_sensitive": 0},
    )
    db[GLOSSARY_TERMS].create_index(["term"], unique=True)
    db[GLOSSARY_RENDERINGS].create(
        {"term_id": int, "locale": str, "preferred": str, "variants": str, "forbidden": str,
         "patterns": str, "verified": int},
        pk=("term_id", "locale"), foreign_keys=[("term_id", GLOSSARY_TERMS, "id")],
        defaults={"variants": "[]", "forbidden": "[]", "patterns": "[]", "verified": 1},
    )
    db[GLOSSARY_META].create({"key": str, "value": str}, pk="key")


def _migrate_3(db: sqlite_utils.Database) -> None:
    """What each exported PO file held, so an import can tell a translator's edit from a conflict."""
    db[PO_EXPORT_FILES].create(
        {"export_id": str, "statement_id": int, "lang": str, "last_translator": str, "exported_at": str},
        pk="export_id",
    )
    db[PO_EXPORTS].create(
        {"export_id": str, "segment_id": str, "version": int, "text": str, "fuzzy": int, "comment": str},
        pk=("export_id", "segment_id"),
    )


def _migrate_4(db: sqlite_utils.Database) -> None:
    """Machine translations by (model and version, sentence): re-drafting costs no model calls."""
    db[MT_CACHE].create(
        {"model": str, "source": str, "target": str, "created": str},
        pk=("model", "source"), not_null={"target"},
    )


def _migrate_5(db: sqlite_utils.Database) -> None:
    """A version per glossary term, bumped by every write, so an edit can tell what changed meanwhile."""
    db[GLOSSARY_TERMS].add_column("version", int, not_null_default=1)


def _migrate_6(db: sqlite_utils.Database) -> None:
    """Flags on every translation and history entry: why a machine draft needs a look ("restored 7.000")."""
    db[TRANSLATIONS].add_column("flags", str, not_null_default="[]")
    db[HISTORY].add_column("flags", str, not_null_default="[]")


def _migrate_7(db: sqlite_utils.Database) -> None:
    """Confidence: each cached MT sentence's score, and a machine draft's sentences with theirs."""
    db[MT_CACHE].add_column("confidence", float)
    db[TRANSLATIONS].add_column("sentences", str, not_null_default="[]")
    db[HISTORY].add_column("sentences", str, not_null_default="[]")


def _migrate_8(db: sqlite_utils.Database) -> None:
    """The findings cache: each translation's findings, with the inputs they were computed from, so a check redoes only what changed."""
    db[CHECK_FINDINGS].create(
        {"segment_id": str, "lang": str, "inputs": str, "findings": str},
        pk=("segment_id", "lang"), not_null={"inputs", "findings"},
    )


def _migrate_9(db: sqlite_utils.Database) -> None:
    """A comment on every history entry, so the history shows who wrote which comment and undo brings one back.

    Entries written from now on hold ``""`` for "no comment"; NULL is kept for
    the older entries, whose comment was not recorded, except each
    translation's current version, which gets the translation's comment.
    """
    db[HISTORY].add_column("comment", str)
    db.execute(
        f"UPDATE {HISTORY} SET comment = (SELECT COALESCE(t.comment, '') FROM {TRANSLATIONS} t "
        f"WHERE t.segment_id = {HISTORY}.segment_id AND t.lang = {HISTORY}.lang AND t.version = {HISTORY}.version)"
    )


MIGRATIONS = [_migrate_1, _migrate_2, _migrate_3, _migrate_4, _migrate_5, _migrate_6, _migrate_7, _migrate_8, _migrate_9]
SCHEMA_VERSION = len(MIGRATIONS)
