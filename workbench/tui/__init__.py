"""The Textual interface of workbench (``workbench`` with no subcommand).

Kept out of the core: nothing in ``workbench`` imports this package, so the
CLI and the tests of the core never load Textual.
"""

from __future__ import annotations

from workbench.tui.app import WorkbenchApp
from workbench.workspace import Workspace


def run(workspace: Workspace) -> None:
    """Run the app full-screen until the volunteer quits."""
    WorkbenchApp(workspace).run()


__all__ = ["WorkbenchApp", "run"]
