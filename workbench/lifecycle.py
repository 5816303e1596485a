"""Creating and opening a workspace, and keeping its shared files in step: the steps the CLI and the TUI share.

Kept out of :mod:`workbench.workspace` (folders, settings, the store), so that
loading the bundled glossary or importing the sample statements is an explicit
step of ``init`` and of the first open, never a side effect of reading settings.

The glossary lives in the database, and in ``glossary/glossary.tbx`` for git to
share: :func:`save_glossary_file` writes the file, and every command or screen
that changes the glossary calls it after the change, so ``git status`` shows
the change at once. The bundled ``movement-terms.tbx`` is only the seed of a
new workspace's glossary.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.formats import export_file, load_bundled
from workbench.importer import FileReport, import_paths, nothing_to_import
from workbench.workspace import Workspace


def initialise(workspace: Workspace) -> None:
    """First-use steps of a workspace: its glossary, loaded once.

    A clone of a team's workspace loads the team's ``glossary/glossary.tbx``,
    the glossary's source of truth; a new workspace loads the bundled seed
    and writes it out as its own ``glossary.tbx``.
    """
    own = workspace.glossary_file
    loaded = load_bundled(workspace.store, own if own.is_file() else workspace.bundled_glossary, workspace.target_locales)
    if loaded is not None and not own.is_file():
        save_glossary_file(workspace)


def save_glossary_file(workspace: Workspace) -> Path:
    """Write the workspace's glossary to ``glossary/glossary.tbx``: sorted, one term per block, stable ids.

    Called after every glossary change, from the CLI and the TUI. The file is
    written atomically and left alone when it already holds this glossary, so
    it changes in git exactly when the glossary does.
    """
    export_file(workspace.store, workspace.glossary_file, workspace.target_locales)
    return workspace.glossary_file


def create_workspace(directory: str | os.PathLike[str], target_locales: list[str] | None = None) -> Workspace:
    """``workbench init``: the folders, settings and database, and the movement's glossary."""
    workspace = Workspace.init(directory, target_locales)
    initialise(workspace)
    return workspace


def first_open(workspace: Workspace) -> list[FileReport]:
    """Prepare a workspace to open: the bundled glossary, and its statements if none are imported yet.

    This is what lets a fresh clone of the repository, itself a workspace, open
    straight onto the bundled sample statements.
    """
    initialise(workspace)
    if workspace.store.statements() or not workspace.statements_dir.is_dir() or nothing_to_import(workspace.statements_dir):
        return []
    return import_paths(workspace, [workspace.statements_dir])
