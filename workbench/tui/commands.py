"""The command palette (ctrl+p): every action of the screen in view and of the app, by name.

Built from the same binding tables as the footer and the help screen, so the
three can never disagree about what there is to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen


def command_bindings(app: App[Any], screen: Screen[Any]) -> Iterator[tuple[DOMNode, str, Binding]]:
    """Every (target, action, binding) that applies on ``screen``.

    Only the bindings each class declares itself count (not Textual's
    inherited focus keys). Screens list extra widgets whose keys belong in
    the palette (the editor's typing and navigation keys) through
    ``command_sources()``.
    """
    sources: list[DOMNode] = [screen]
    extra = getattr(screen, "command_sources", None)
    if extra is not None:
        sources.extend(extra())
    sources.append(app)
    for node in sources:
        for binding in type(node).__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.description:
                continue
            target, action = node, binding.action
            if action.startswith("screen."):
                target, action = screen, action.removeprefix("screen.")
            elif action.startswith("app."):
                target, action = app, action.removeprefix("app.")
            yield target, action, binding


def screen_commands(app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    """One command for every action that can run now on ``screen`` or on the app.

    Numbered variants (insert term 1…9) are left out when the plain action
    (insert a term, picking from the list) is there.
    """
    collected = list(command_bindings(app, screen))
    plain = {(id(target), action) for target, action, _ in collected if "(" not in action}
    seen: set[tuple[int, str]] = set()
    for target, action, binding in collected:
        name = action.split("(")[0]
        if (id(target), action) in seen or ("(" in action and (id(target), name) in plain):
            continue
        if not target.check_action(name, ()):
            continue
        seen.add((id(target), action))
        keys = ", ".join(app.get_key_display(Binding(key, action)) for key in binding.key.split(","))
        help_text = f"{binding.tooltip}  ({keys})" if binding.tooltip else f"({keys})"
        yield SystemCommand(binding.description, escape(help_text), partial(app.run_action, action, target))
