"""The connection every part of the store shares, and its one transaction discipline."""

from __future__ import annotations

import functools
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from workbench.store.errors import DatabaseError, translated
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

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.read_only = False
        """True when the database or its folder cannot be written: reading works, every write is refused in words."""
        if self.path.is_dir():
            raise DatabaseError(f"{self.path} is a folder, not a database: move it aside so workbench can create its database there")
        if self.path.is_file() and self.path.stat().st_size == 0:
            raise DatabaseError(f"{self.path} is an empty file, not a workbench database: "
                                "restore it from a backup, or delete it and import the statements again")
        try:
            self.db = sqlite_utils.Database(self._connect(busy_timeout))
            self._check_identity()
            if not self.read_only:
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as error:
            raise translated(error, self.path) from None

    def _connect(self, busy_timeout: float) -> sqlite3.Connection:
        """A connection for reading and writing, or a read-only one where nothing can be written.

        A workspace on a read-only medium (a mounted backup, a shared folder)
        can still be listed, shown, checked and exported elsewhere.
        """
        if self.path.exists() and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
            self.read_only = True
            # immutable: no -wal or -shm files can be made beside a database in a folder nobody may write to
            uri = f"file:{urllib.parse.quote(str(self.path.resolve()))}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, timeout=busy_timeout, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(self.path), timeout=busy_timeout, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        return connection

    def _check_identity(self) -> None:
        """Refuse, before writing anything, a database of a newer workbench or of another program."""
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise DatabaseError(f"{self.path} was written by a newer workbench (schema {version}; this one knows {SCHEMA_VERSION}): "
                                "update workbench with 'pip install -U workbench' before opening it")
        tables = set(self.db.table_names())
        if version == 0 and tables:
            raise DatabaseError(f"{self.path} is an SQLite database of another program (tables: {', '.join(sorted(tables)[:5])}): "
                                "move it aside so workbench can create its own database there")
        if self.read_only and version < SCHEMA_VERSION:
            raise DatabaseError(f"{self.path} is read-only and was written by an older workbench: "
                                "make the workspace writable once, so its database can be upgraded")

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
        if self.schema_version >= SCHEMA_VERSION or self.read_only:
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
