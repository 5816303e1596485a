"""The store: the workspace database, and the only room of workbench with SQL.

Everything lives in one SQLite file, opened through sqlite-utils in WAL mode so a
volunteer's TUI and a teammate's CLI can work on the same workspace at once.
Callers ask for what they mean (``save_translation``, ``glossary_rows``,
``cached_translations``) and never see a query, a table name or a ``sqlite3``
exception: :class:`StoreError` and its kinds say, in words, what went wrong.

The room's parts:

* :mod:`~workbench.store.schema`: table names and step-by-step migrations;
* :mod:`~workbench.store.base`: the connection, ``BEGIN IMMEDIATE`` transactions, error translation;
* :mod:`~workbench.store.content`: statements, segments, translations, versions and history;
* :mod:`~workbench.store.glossary`: glossary terms and renderings as rows;
* :mod:`~workbench.store.caches`: PO export records and the MT cache;
* :mod:`~workbench.store.checks`: what the quality checks read, and the findings cache.
"""

from __future__ import annotations

from workbench.store import _sqlite_utils_without_numpy  # noqa: F401 - first, before anything imports sqlite-utils (see there)
from workbench.store.base import now
from workbench.store.caches import CacheStore
from workbench.store.checks import CheckStore
from workbench.store.content import (
    HUMAN_STATUSES,
    REVIEWED_STATUSES,
    STATUSES,
    ContentStore,
    Draft,
    DraftSentence,
    is_machine_draft,
    lowest_sentence_confidence,
    replay_history,
)
from workbench.store.errors import ConflictError, DatabaseError, StoreError
from workbench.store.glossary import GlossaryStore
from workbench.store.schema import MIGRATIONS, SCHEMA_VERSION


class Store(ContentStore, GlossaryStore, CacheStore, CheckStore):
    """Typed access to the workspace database: every query workbench runs is a method of this class."""


__all__ = [
    "HUMAN_STATUSES", "MIGRATIONS", "REVIEWED_STATUSES", "SCHEMA_VERSION", "STATUSES", "ConflictError",
    "DatabaseError", "Draft", "DraftSentence", "Store", "StoreError", "is_machine_draft", "lowest_sentence_confidence", "now",
    "replay_history",
]
