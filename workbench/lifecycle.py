"""Creating and opening a workspace: the first-use steps the CLI and the TUI share.

Kept out of :mod:`workbench.workspace` (folders, settings, the store), so that
loading the bundled glossary or importing the sample statements is an explicit
step of ``init`` and of the first open, never a side effect of reading settings.
"""

from __future__ import annotations

import os

from workbench.formats import load_bundled
from workbench.importer import FileReport, import_paths, nothing_to_import
from workbench.workspace import Workspace


def initialise(workspace: Workspace) -> None:
    """First-use steps of a workspace: its bundled glossary, loaded once."""
    load_bundled(workspace.store, workspace.bundled_glossary, workspace.target_locales)


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
