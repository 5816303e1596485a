"""The base of every workbench screen: ``self.app`` typed as the :class:`WorkbenchApp` it runs in.

Screens read the workspace, the save queue and the drafting state from the
app. Textual types ``app`` as a plain ``App``; ``getters.app`` narrows it for
the type checker only, so this module never imports the app at run time (the
app imports the screens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from workbench.tui.app import WorkbenchApp

ResultT = TypeVar("ResultT")
"""What the screen is dismissed with."""


class WorkbenchScreen(Screen[ResultT]):
    """A full screen of the workbench."""

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)


class WorkbenchModalScreen(ModalScreen[ResultT]):
    """A dialog of the workbench, over the screen it was opened from."""

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)
