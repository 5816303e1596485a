"""The history of one paragraph's translation in one language: every version, undo, redo, restore.

Lokalize and Weblate show who changed a string, when and how; a volunteer
needs the same to see what a teammate or the machine did to a paragraph and
to take any of it back. Each version is listed newest first with its author,
time, origin (a volunteer, a machine engine, the translation memory, a PO
file) and status, and a word diff against the version before it.

Every step back is itself a new version, so nothing is ever lost: ``u``
undoes the latest change still in effect, ``r`` redoes what the latest undo
took back (the two walk back and forth), and Enter restores the highlighted
version as it was. The writes go through the app's save queue, after the
editor's own saves, with the version this screen shows; a teammate's newer
version turns the write into the usual conflict, where both texts are kept.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.store import replay_history
from workbench.tui.saving import SaveRequest
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.text import literal, one_line, status_badge
from workbench.tui.widgets.editor.word_diff import word_diff
from workbench.workflow import can_undo_redo, origin_kind, same_state

ACTIONS = {"edit": "edited", "draft": "drafted", "undo": "undo", "redo": "redo", "restore": "restored",
           "comment": "comment", "source-changed": "source changed"}
"""How each kind of change is named in the list."""


def origin_label(origin: str | None) -> str:
    """Where a text came from, in a word or two: ``human``, ``MT argos``, ``TM``, ``PO file``, ``source copied``."""
    kind = origin_kind(origin)
    if kind.startswith("mt:"):
        return "MT " + kind.removeprefix("mt:").split("/")[0]
    return {"tm": "TM", "po": "PO file", "copy": "source copied"}.get(kind, kind)


def when(stamp: str | None) -> str:
    """``2025-05-12 10:22`` from the store's ISO 8601 UTC stamp."""
    return (stamp or "").replace("T", " ")[:16]


def version_prompt(entry: dict[str, Any], before: dict[str, Any] | None, *, now: bool, undone: bool) -> Content:
    """One version: who, when, from where, and its status; then what it changed in the text, and its comment.

    The first version's text is shown as it is; a later one's as a word diff
    against the version before it (struck out: removed; underlined: added).
    A comment is shown where it changed.
    """
    author = entry["author"] or "someone"
    facts = [when(entry["at"]), origin_label(entry["origin"]), ACTIONS.get(entry["action"], entry["action"])]
    if author != entry["origin"]:
        facts.insert(0, author)
    head: list[Content | str] = [Content(f"v{entry['version']} ").stylize("bold"), status_badge(entry["status"]), "  ",
                                 literal(" · ".join(facts), "$text-muted")]
    if now:
        head.append(Content("  ← now").stylize("bold $text-success"))
    if undone:
        head.append(Content("  undone").stylize("$text-warning"))
    lines = [Content.assemble(*head)]
    if before is None:
        lines.append(literal(entry["text"]) if entry["text"] else Content("(empty)").stylize("italic $text-muted"))
    elif entry["text"] != before["text"]:
        lines.append(word_diff(before["text"], entry["text"]) if entry["text"] else Content("(emptied)").stylize("italic $text-muted"))
    else:
        lines.append(Content("text unchanged").stylize("italic $text-muted"))
    comment, earlier = entry.get("comment"), (before or {}).get("comment") or ""
    if comment is not None and comment != earlier:
        lines.append(literal(f"# {comment}", "italic $text-accent") if comment else Content("comment removed").stylize("italic $text-muted"))
    return Content("\n").join([*lines, Content(" ")])  # a blank line between versions


class HistoryScreen(WorkbenchScreen[None]):
    """Every saved version of one translation, newest first; opened from the editor (``h`` or f9)."""

    BINDINGS = [
        Binding("u", "undo", "Undo", tooltip="Take back the latest change still in effect (as a new version: r brings it back)"),
        Binding("r", "redo", "Redo", tooltip="Bring back the change the latest undo took back"),
        Binding("enter", "restore", "Restore", tooltip="Bring back the highlighted version as it was, as a new version"),
        Binding("escape,h,f9", "close", "Back", tooltip="Back to the editor"),
    ]

    def __init__(self, segment: dict[str, Any], lang: str, *, position: str, statement: str) -> None:
        super().__init__()
        self.segment = segment
        self.lang = lang
        self.position = position
        """"¶ 3 of 12": where the paragraph is in its statement."""
        self.statement = statement
        self.entries: list[dict[str, Any]] = []
        """The history, oldest first, as last read."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-paragraph")
        yield Static(id="history-hint")
        yield Static(id="history-empty")
        yield OptionList(id="history-versions")
        yield Footer()

    async def on_mount(self) -> None:
        self.title = f"History · {self.position} · {self.lang}"
        self.sub_title = one_line(self.statement, 60)
        self.query_one("#history-paragraph", Static).update(Content.assemble(
            Content(f"{self.position} · source  ").stylize("bold $text-accent"), literal(self.segment["source"], "$text-muted")))
        self.query_one("#history-hint", Static).update(Content(
            "Newest first. Enter restores the highlighted version · u undo · r redo · esc back. "
            "Each is a new version: nothing is lost.").stylize("$text-muted"))
        await self.reload()
        self.query_one(OptionList).focus()

    async def reload(self) -> None:
        """Read the history again once every queued save (the editor's, and this screen's) is written."""
        await self.app.wait_for_saves()
        self.entries = self.app.store.history(self.segment["id"], self.lang)
        _, undone = replay_history(self.entries)
        undone_versions = {entry["version"] for entry in undone}
        versions = self.query_one(OptionList)
        kept = versions.highlighted
        # the newest stays highlighted as versions are added; any other highlighted version stays so
        kept_version = None if not kept else versions.get_option_at_index(kept).id
        versions.set_options(
            Option(version_prompt(entry, self.entries[index - 1] if index else None,
                                  now=index == len(self.entries) - 1, undone=entry["version"] in undone_versions),
                   id=str(entry["version"]))
            for index, entry in reversed(list(enumerate(self.entries)))
        )
        versions.display = bool(self.entries)
        if self.entries:
            versions.highlighted = versions.get_option_index(kept_version) if kept_version else 0
        empty = self.query_one("#history-empty", Static)
        empty.display = not self.entries
        empty.update(Content(f"No saved version in {self.lang} yet: the history starts with the first save or draft.")
                     .stylize("italic $text-muted"))
        self.refresh_bindings()

    @property
    def current(self) -> dict[str, Any] | None:
        return self.entries[-1] if self.entries else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo and redo are offered only when they have something to do (shown dimmed otherwise)."""
        can_undo, can_redo = can_undo_redo(self.entries)
        if action == "undo":
            return can_undo or None
        if action == "redo":
            return can_redo or None
        if action == "restore":
            return bool(self.entries) or None
        return True

    async def _write(self, request: SaveRequest, done: str) -> None:
        """Queue a write based on the version shown, wait for it, then show the history as it now is."""
        self.app.submit_save(request)
        await self.reload()
        current = self.current
        if current is not None and (current["version"], current["action"]) == (request.expected_version + 1, request.kind):
            self.notify(done, timeout=3, markup=False)

    async def action_undo(self) -> None:
        current = self.current
        if current is None:
            return
        await self._write(SaveRequest("undo", self.segment["id"], self.lang, expected_version=current["version"]),
                          f"{self.lang}: undone (r redoes it).")

    async def action_redo(self) -> None:
        current = self.current
        _, undone = replay_history(self.entries)
        if current is None or not undone:
            return
        back = undone[-1]
        await self._write(SaveRequest("redo", self.segment["id"], self.lang, expected_version=current["version"],
                                      text=back["text"], status=back["status"], origin=back["origin"] or "human"),
                          f"{self.lang}: redone (u undoes it again).")

    async def action_restore(self) -> None:
        """Restore the highlighted version (Enter on the list does the same)."""
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and self.entries:
            await self.restore(self.entries[len(self.entries) - 1 - highlighted])

    @on(OptionList.OptionSelected, "#history-versions")
    async def version_picked(self, event: OptionList.OptionSelected) -> None:
        await self.restore(self.entries[len(self.entries) - 1 - event.option_index])

    async def restore(self, entry: dict[str, Any]) -> None:
        current = self.current
        if current is None:
            return
        if same_state(entry, current):
            self.notify(f"v{entry['version']} reads as the translation does now: nothing to restore.", timeout=3, markup=False)
            return
        await self._write(SaveRequest("restore", self.segment["id"], self.lang, expected_version=current["version"],
                                      text=entry["text"], status=entry["status"], origin=entry["origin"] or "human",
                                      version=entry["version"]),
                          f"{self.lang}: v{entry['version']} restored as v{current['version'] + 1} (u undoes it).")

    def action_close(self) -> None:
        self.dismiss()
