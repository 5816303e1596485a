"""A workspace: the folder a team of volunteers translates in.

Layout::

    workbench.toml        settings (target locales, [mt], [limits]); its presence marks a workspace
    data/                 statement sources and the database data/workbench.db
    data/statements/      the statements to translate
    glossary/             versioned glossary files: glossary.tbx, the workspace's glossary
    locales/              exported PO files, and their templates in locales/templates/
    .gitignore            keeps each volunteer's database out of git

The workspace is meant to be a git repository that a team shares: everything
above is shared but the database, which each volunteer keeps as a local
working copy (and :meth:`Workspace.init` writes the ``.gitignore`` lines that
say so). Paths stored in the database are relative to the workspace, so
every clone agrees on them.

Both the CLI and the TUI open a workspace through :meth:`Workspace.find`, so
``--workspace``, ``WORKBENCH_WORKSPACE`` and the current directory mean the same
thing everywhere.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from workbench import identity
from workbench.languages import DEFAULT_TARGET_LOCALES, UnknownLanguageError, language, target_locale
from workbench.mt.engine import EngineSettings
from workbench.workflow import origin_kind
from workbench.store import STATUSES, Store, is_machine_draft

CONFIG_NAME = "workbench.toml"
ENV_VAR = "WORKBENCH_WORKSPACE"
BUNDLED_GLOSSARY = Path(__file__).resolve().parent.parent / "glossary" / "movement-terms.tbx"
GLOSSARY_FILE = "glossary.tbx"
"""The workspace's own glossary in ``glossary/``, rewritten after every glossary change so git shares it."""
IGNORED = ("data/workbench.db", "data/workbench.db-wal", "data/workbench.db-shm")
"""The database and SQLite's files beside it: each volunteer's local copy, never shared through git."""


def default_author() -> str:
    """Who is editing, as :mod:`workbench.identity` names them everywhere; recorded in history."""
    return identity.author()


class NotAWorkspaceError(Exception):
    """Raised when a command runs outside any workspace."""


@dataclass(frozen=True)
class Limits:
    """The ``[limits]`` table: how large an input file workbench agrees to read."""

    po_max_mb: float = 20
    """A PO file above this many megabytes (10^6 bytes) is refused before it is read."""
    glossary_max_mb: float = 5
    """A glossary file (CSV, TBX) above this many megabytes is refused before it is read."""


@dataclass
class Workspace:
    """Paths and settings of one workspace, and the store inside it."""

    root: Path
    target_locales: list[str] = field(default_factory=lambda: list(DEFAULT_TARGET_LOCALES))
    mt: EngineSettings = field(default_factory=EngineSettings)
    """The ``[mt]`` table: which engine drafts (``argos`` or ``libretranslate``) and, for a server, where it is."""
    limits: Limits = field(default_factory=Limits)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def statements_dir(self) -> Path:
        return self.data_dir / "statements"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "workbench.db"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    @property
    def bundled_glossary(self) -> Path:
        """The movement's glossary every new workspace starts with (loaded by :func:`workbench.workflow.initialise`)."""
        return self.glossary_dir / BUNDLED_GLOSSARY.name

    @property
    def glossary_file(self) -> Path:
        """The workspace's glossary as git shares it (:data:`GLOSSARY_FILE`); the bundled file is only its seed."""
        return self.glossary_dir / GLOSSARY_FILE

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        """Where PO export writes a POT template per statement (Weblate's base file for new translations)."""
        return self.locales_dir / "templates"

    @cached_property
    def store(self) -> Store:
        """The workspace database, opened (and migrated) on first use.

        Source paths an older workbench stored absolute, for files inside the
        workspace, are made relative on opening, so every clone agrees on them.
        """
        store = Store(self.db_path)
        if not store.read_only:
            store.rename_source_files(self.root.resolve().as_posix().rstrip("/") + "/", "", folder=True)
        return store

    @classmethod
    def find(cls, explicit: str | os.PathLike[str] | None = None) -> Workspace:
        """Open the workspace named by ``explicit``, ``$WORKBENCH_WORKSPACE`` or the cwd."""
        chosen = explicit or os.environ.get(ENV_VAR) or Path.cwd()
        root = Path(chosen).expanduser().resolve()
        config = root / CONFIG_NAME
        if not config.is_file():
            raise NotAWorkspaceError(
                f"{root} is not a workbench workspace: run 'workbench init {root}' first"
            )
        return cls.load(root)

    @classmethod
    def load(cls, root: Path) -> Workspace:
        """Read ``workbench.toml`` of an existing workspace."""
        try:
            settings = tomllib.loads((root / CONFIG_NAME).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise NotAWorkspaceError(
                f"{root / CONFIG_NAME} is not valid TOML ({error}): fix or delete it and run 'workbench init'"
            ) from None
        config = root / CONFIG_NAME
        return cls(root=root, target_locales=_target_locales(settings.get("workspace", {}), config),
                   mt=_mt_settings(settings.get("mt", {}), config), limits=_limits_settings(settings.get("limits", {}), config))

    @classmethod
    def init(cls, directory: str | os.PathLike[str], target_locales: list[str] | None = None) -> Workspace:
        """Create the layout in ``directory`` (idempotent: existing files are kept)."""
        root = Path(directory).expanduser().resolve()
        workspace = cls(root=root, target_locales=list(target_locales or DEFAULT_TARGET_LOCALES))
        for locale in workspace.target_locales:
            target_locale(locale)
        for folder in (workspace.statements_dir, workspace.glossary_dir, workspace.locales_dir):
            folder.mkdir(parents=True, exist_ok=True)
        if not workspace.config_path.exists():
            workspace.write_config()
        else:
            workspace = cls.load(root)
        if BUNDLED_GLOSSARY.is_file() and not workspace.bundled_glossary.exists():
            shutil.copyfile(BUNDLED_GLOSSARY, workspace.bundled_glossary)
        workspace.ignore_database()
        workspace.store  # creates and migrates the database
        return workspace

    def ignore_database(self) -> None:
        """Add the :data:`IGNORED` lines to the workspace's ``.gitignore``, unless a line there already covers them.

        An existing ``.gitignore`` is kept as it is and only added to: a team's
        own rules (or this repository's ``data/workbench.db*``) stay.
        """
        path = self.root / ".gitignore"
        try:
            existing = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            existing = ""
        patterns = [line.strip().lstrip("/") for line in existing.splitlines() if line.strip() and not line.startswith(("#", "!"))]
        missing = [name for name in IGNORED if not any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)]
        if not missing:
            return
        lines = ["# workbench: each volunteer's own database; git shares the files workbench writes", *missing]
        separator = "\n" if existing and not existing.endswith("\n") else ""
        path.write_text(existing + separator + "\n".join(lines) + "\n", encoding="utf-8")

    def statement_summaries(self) -> list[dict[str, Any]]:
        """Statements with segment counts and status counts per target locale."""
        store = self.store
        progress = store.progress(self.target_locales)
        flagged = store.flagged_drafts(self.target_locales)
        empty = {status: 0 for status in STATUSES}
        return [
            {
                "id": statement["id"],
                "slug": statement["slug"],
                "title": statement["title"],
                "date": statement["date"],
                "truncated": statement["truncated"],
                "segments": statement["segment_count"],
                "progress": {lang: progress.get(statement["id"], {}).get(lang, dict(empty)) for lang in self.target_locales},
                "flagged": flagged.get(statement["id"], 0),
            }
            for statement in store.statements()
        ]

    def statement_document(self, key: int | str) -> dict[str, Any]:
        """A statement with its segments and their translations in every target locale."""
        store = self.store
        statement = store.statement(key)
        saved = store.translations(statement_id=statement["id"])
        segments = []
        for segment in store.segments(statement["id"]):
            by_lang = saved.get(segment["id"], {})
            segments.append(
                {
                    "id": segment["id"],
                    "kind": segment["kind"],
                    "source": segment["source"],
                    "source_lang": segment["source_lang"],
                    "previous_source": segment["previous_source"],
                    "line": segment["line"],
                    "translations": {lang: _translation_document(by_lang.get(lang)) for lang in self.target_locales},
                }
            )
        return {
            "id": statement["id"],
            "slug": statement["slug"],
            "title": statement["title"],
            "date": statement["date"],
            "truncated": statement["truncated"],
            "source_file": statement["source_file"],
            "metadata": statement["metadata"],
            "segments": segments,
        }

    def write_config(self) -> None:
        """Persist the settings; TOML is written by hand since tomllib only reads."""
        locales = ", ".join(f'"{locale}"' for locale in self.target_locales)
        self.config_path.write_text(
            "# workbench workspace settings\n[workspace]\n"
            f"target_locales = [{locales}]\n",
            encoding="utf-8",
        )


def _translation_document(row: dict[str, Any] | None) -> dict[str, Any]:
    """One translation as ``show --json`` gives it: its text, status and version, where it came from, and its flags.

    A machine draft also gives its ``sentences`` (source, text, confidence);
    a volunteer's text has no engine confidence, and an absent key says so
    more plainly than an empty list.
    """
    if row is None:
        return {"text": "", "status": "untranslated", "version": 0, "origin": None, "author": None, "flags": []}
    document = {"text": row["text"], "status": row["status"], "version": row["version"], "origin": origin_kind(row["origin"]),
                "author": row["author"], "flags": row["flags"]}
    if is_machine_draft(row):
        document["sentences"] = row["sentences"]
    return document


def _target_locales(table: Any, config: Path) -> list[str]:
    """``[workspace] target_locales`` as a list of known locales; anything else is a settings error that shows the right form."""
    example = 'target_locales = ["es", "fr_CA", "id", "tl"]'
    if not isinstance(table, dict):
        raise NotAWorkspaceError(f"{config}: [workspace] must be a table holding {example}: fix it and try again")
    locales = table.get("target_locales", list(DEFAULT_TARGET_LOCALES))
    if not isinstance(locales, list) or not locales or not all(isinstance(locale, str) for locale in locales):
        raise NotAWorkspaceError(f"{config}: target_locales must be a list of language codes, e.g. {example}: fix it and try again")
    for locale in locales:
        try:
            target_locale(locale)
        except UnknownLanguageError as error:
            raise NotAWorkspaceError(f"{config}: {error}") from None
    return list(locales)


def _mt_settings(table: Any, config: Path) -> EngineSettings:
    """The ``[mt]`` table as engine settings; a value of the wrong kind is a settings error that names it."""
    if not isinstance(table, dict):
        raise NotAWorkspaceError(f"{config}: [mt] must be a table (engine = \"argos\"): fix it and try again")
    engine = table.get("engine", "argos")
    url = table.get("url")
    timeout = table.get("timeout", EngineSettings.timeout)
    if not isinstance(engine, str) or (url is not None and not isinstance(url, str)):
        raise NotAWorkspaceError(f"{config}: [mt] engine and url must be text, e.g. engine = \"libretranslate\": fix it and try again")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise NotAWorkspaceError(f"{config}: [mt] timeout must be a number of seconds above 0: fix it and try again")
    return EngineSettings(engine=engine, url=url, timeout=float(timeout))


def _limits_settings(table: Any, config: Path) -> Limits:
    """The ``[limits]`` table; a missing key keeps its default, a value of the wrong kind is a settings error that names it."""
    if not isinstance(table, dict):
        raise NotAWorkspaceError(f"{config}: [limits] must be a table (po_max_mb = 20): fix it and try again")
    values: dict[str, float] = {}
    for name, default in (("po_max_mb", Limits.po_max_mb), ("glossary_max_mb", Limits.glossary_max_mb)):
        value = table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < float("inf"):
            raise NotAWorkspaceError(f"{config}: [limits] {name} must be a number of megabytes above 0, "
                                     f"e.g. {name} = {default:g}: fix it and try again")
        values[name] = value
    return Limits(**values)
