"""The connection every part of the store shares, and its one transaction discipline."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from workbench.store.errors import translated
from workbench.store.schema import MIGRATIONS, SCHEMA_VERSION

F = TypeVar("F", bound=Callable[..., Any])


def now() -> str:
    """UTC timestamps in ISO 8601, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def guarded(method: F) -> F:
    """Turn a ``sqlite3.Error`` raised by a store method into the store's own :class:`DatabaseError`."""

    @functools.wraps(method)
    def wrapper(self: StoreBase, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise translated(error, self.path) from None

    return wrapper  # type: ignore[return-value]


class StoreBase:
    """The open database and its transactions; the room's parts build on it.

    Every public method of a subclass is wrapped by :func:`guarded` (see
    ``__init_subclass__``), so no SQLite error escapes the store untranslated.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            self.db = sqlite_utils.Database(connection)
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as error:
            raise translated(error, self.path) from None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if callable(value) and not isinstance(value, (staticmethod, classmethod, type)) and not name.startswith("_") and name != "transaction":
                setattr(cls, name, guarded(value))

    def close(self) -> None:
        self.db.close()

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
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translated(error, self.path) from None
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            conn.execute("ROLLBACK")
            raise translated(error, self.path) from None
