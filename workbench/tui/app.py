"""The workbench TUI: translate statements paragraph by paragraph, keyboard first.

The app owns what every screen shares: the workspace, the glossary, the save
queue (one writer thread, so saving never blocks a keystroke), the state of
the machine-drafting run, and the keys that work everywhere. It moves between
screens and starts the background jobs, which live in ``workers``; the command
palette is built in ``commands``. Screens live in ``workbench.tui.screens``
and widgets in ``workbench.tui.widgets``; the core modules never import any
of this.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.widgets.data_table import RowDoesNotExist
from textual.signal import Signal

from workbench.glossary import Glossary
from workbench.store import Store, StoreError
from workbench.sync import Cancelled, Offline, SyncConflict, SyncError, SyncReport
from workbench.tm import TranslationMemory
from workbench.tui.commands import screen_commands
from workbench.tui.positions import STATE_FILE, Positions, default_state_dir
from workbench.tui.saving import SaveOutcome, SaveQueue, SaveRequest, settling_request
from workbench.tui.screens.choice import ChoiceScreen
from workbench.tui.screens.conflict import ConflictScreen
from workbench.tui.screens.draft import DraftChoice, DraftScreen
from workbench.tui.screens.editor import EditorScreen
from workbench.tui.screens.export import ExportChoice, ExportScreen
from workbench.tui.screens.glossary import GlossaryScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.review import ReviewScreen, ReviewState
from workbench.tui.screens.search import SearchScreen
from workbench.tui.screens.statements import StatementsScreen, StatementTable
from workbench.tui.screens.sync import SyncItem, SyncReportScreen, report_items
from workbench.tui.suggesting import Suggestions
from workbench.textfacts import visible
from workbench.tui.themes import DARK_THEME, LIGHT_THEME, terminal_theme
from workbench.tui.widgets.progress import JOBS, JobState
from workbench.tui.workers import start_drafting, start_engine, start_export, start_sync
from workbench.workflow import chosen_over_teammate_status
from workbench.workspace import Workspace, default_author

if TYPE_CHECKING:
    from workbench.mt import Engine, Pair

SETTLED = {
    "mine": "Your version is saved; theirs stays in the history.",
    "theirs": "Their version is kept; yours is in the history (undo brings it back).",
}
"""What the volunteer is told once a conflict is settled their way."""


class SaveFinished(Message):
    """The writer thread applied (or could not apply) a save: posted to the app."""

    def __init__(self, outcome: SaveOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class WorkbenchApp(App[None]):
    """The translation workbench."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "Keys", tooltip="Show every key of every screen"),
        # Where a filter field has the focus, on_event opens the help with ? too (see there).
        Binding("question_mark", "help", "Keys", show=False,
                tooltip="Show every key, unless typing: in a text field, or in a filter or search that holds text"),
        Binding("f2", "show_statements", "Statements", tooltip="The list of statements"),
        Binding("f3", "show_glossary", "Glossary", tooltip="Search, add, edit and delete glossary terms"),
        Binding("f4", "show_review", "Review", tooltip="Consistency findings across the workspace"),
        Binding("f5", "draft", "Draft MT", tooltip="Draft untranslated paragraphs with machine translation"),
        Binding("f5", "cancel_draft", "Cancel MT", tooltip="Stop machine drafting (drafts made so far are kept)"),
        Binding("f8", "export", "Export", tooltip="Export PO, JSON or Markdown files and say where they went"),
        Binding("f10", "sync", "Sync", tooltip="Share your work with the team through git: send yours, bring theirs in, list the conflicts"),
        Binding("f10", "cancel_sync", "Cancel sync", tooltip="Stop the sync (what it did is kept; the next sync goes on)"),
        Binding("f9", "search", "Search", show=False, tooltip="Search and replace in sources and translations, across statements"),
        Binding("ctrl+t", "toggle_dark", "Light/dark", show=False, tooltip="Switch between the light and the dark theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Save what is being edited and quit"),
    ]

    def __init__(self, workspace: Workspace, *, theme: str | None = None, author: str | None = None,
                 engine: Engine | None = None, state_dir: Path | None = None, remote: str = "origin") -> None:
        """``engine`` serves the editor's suggestions instead of the workspace's own (opened on the first editor).

        ``state_dir`` holds the file of remembered places (default: the user's state folder); ``remote`` is the
        git remote f10 syncs with.
        """
        super().__init__()
        self.workspace = workspace
        self.author = author or default_author()
        self.positions = Positions((state_dir or default_state_dir()) / STATE_FILE, workspace.root, self.author)
        """Where this volunteer left each statement of this workspace, and which one was last."""
        self.theme = theme or terminal_theme()
        self.jobs = {job: JobState() for job in JOBS}
        """Where each background job is (machine drafting, a sync); the progress strips follow ``job_signal``."""
        self.job_signal: Signal[tuple[str, JobState]] = Signal(self, "jobs")
        self.resolving: set[tuple[str, str]] = set()
        """Translations whose conflict the volunteer is merging by hand: their next save settles it."""
        self.review_state: ReviewState | None = None
        """What the review screen showed when last left, shown again at once on coming back."""
        self.saves = SaveQueue(workspace.db_path, self.author, self._report_save)
        self._glossary: Glossary | None = None
        self._memory: TranslationMemory | None = None
        self._draft_cancel = threading.Event()
        self._draft_engine: Engine | None = None
        self.remote = remote
        self._sync_cancel = threading.Event()
        self.suggestions = Suggestions(workspace, engine)
        """The engine behind the editor's alternatives and completions."""
        self._search: SearchScreen | None = None
        """The one search screen (f9), installed once so its pattern and matches outlive a trip to the editor."""

    # -- shared state ------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The UI thread's connection: reads, and glossary edits (which are quick)."""
        return self.workspace.store

    @property
    def glossary(self) -> Glossary:
        """The workspace glossary; rebuilt by the glossary module only when it changed."""
        self._glossary = Glossary.from_store(self.store)
        return self._glossary

    @property
    def memory(self) -> TranslationMemory:
        """Translation memory on a connection of its own: lookups run in worker threads."""
        if self._memory is None:
            self._memory = TranslationMemory(Store(self.workspace.db_path))
        return self._memory

    def _report_save(self, outcome: SaveOutcome) -> None:
        """Called on the writer thread: hand the outcome to the UI thread."""
        self.post_message(SaveFinished(outcome))

    @contextmanager
    def worker_workspace(self) -> Iterator[Workspace]:
        """For a job in a worker thread: the workspace on a database connection of that thread, once the queued saves are written.

        A SQLite connection serves the thread that opened it, and waiting for the
        saves first lets the job see the volunteer's last edit. The connection
        opens on first use inside the block (so a broken database is the job's
        error to report) and closes when the block ends.
        """
        self.saves.join()
        workspace = replace(self.workspace)
        try:
            yield workspace
        finally:
            if "store" in vars(workspace):  # the job opened it (a cached property)
                workspace.store.close()

    async def wait_for_saves(self) -> None:
        """Wait until every queued save is written (for tests and for quitting)."""
        await asyncio.to_thread(self.saves.join)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Titles hold statement titles: shown literally, control characters made visible."""
        return super().format_title(visible(title), visible(sub_title))

    # -- lifecycle ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The statements list is the bottom of the stack: every Escape leads back to it."""
        return StatementsScreen()

    def on_mount(self) -> None:
        self.sub_title = self.workspace.root.name
        self.call_after_refresh(self.offer_last_statement)

    def offer_last_statement(self) -> None:
        """Highlight the statement the volunteer was in last, and say that Enter resumes it where they left it."""
        place = self.positions.last()
        screen = self.screen
        if place is None or not isinstance(screen, StatementsScreen):
            return
        table = screen.query_one(StatementTable)
        try:
            row = table.get_row_index(str(place.statement_id))
        except RowDoesNotExist:
            return  # deleted, or not among the rows shown yet: nothing to offer
        table.move_cursor(row=row, animate=False)
        title = next((r["title"] for r in screen.rows if r["id"] == place.statement_id), "")
        self.notify(f"Enter resumes “{visible(' '.join(title.split()))}” at ¶ {place.paragraph} in {place.lang}.",
                    title="Where you left off", timeout=5, markup=False)

    def on_app_focus(self) -> None:
        """A served tab's terminal got the focus (``workbench serve``): see that a widget has it too.

        Textual focuses a screen's ``AUTO_FOCUS`` widget only while the app has
        the focus, and a served app starts without it: a screen composed before
        the browser's focus arrived (the statements list, with its filter)
        would otherwise leave every key unheard.
        """
        self.call_later(self._focus_screen_default)

    def _focus_screen_default(self) -> None:
        screen = self.screen
        selector = screen.AUTO_FOCUS if screen.AUTO_FOCUS is not None else self.AUTO_FOCUS
        if screen.focused is None and selector:
            for widget in screen.query(selector):
                if widget.focusable:
                    widget.focus(scroll_visible=False)
                    return

    def on_exit_app(self) -> None:
        """However the app ends, queue the paragraph being edited (the writer applies it before stopping, in on_unmount).

        A browser volunteer (``workbench serve``) leaves by closing the tab:
        textual-serve then ends the app without the ctrl+q that saves.
        """
        self.commit_edits()

    def on_unmount(self) -> None:
        self._draft_cancel.set()
        self._sync_cancel.set()
        self.saves.close()
        self.suggestions.close()

    async def action_quit(self) -> None:
        """Save the paragraph being edited, let the writer finish, then quit."""
        self.commit_edits()
        await self.wait_for_saves()
        self.exit()

    # -- screens -------------------------------------------------------------------------

    def editors(self) -> Iterator[EditorScreen]:
        return (screen for screen in self.screen_stack if isinstance(screen, EditorScreen))

    def commit_edits(self) -> None:
        """Queue the save of the paragraph being edited, before anything reads the database."""
        for editor in self.editors():
            editor.commit()

    def open_statement(self, statement_id: int, segment_id: str | None = None, lang: str | None = None,
                       *, edit: bool = False, back_to_review: bool = False) -> None:
        """Show a statement in the editor, at a paragraph and language if given, else where the volunteer left it.

        It opens in navigation mode (Enter types), unless ``edit`` asks for typing.

        An editor already open on that statement just moves; any other one is
        closed first (saving its paragraph), so the stack never grows. From
        the review screen, closing the editor leads back to the review.
        """
        self._pop_to(EditorScreen)
        if isinstance(self.screen, EditorScreen):
            if self.screen.statement_id == statement_id:
                self.screen.back_to_review = back_to_review
                self.screen.go_to(segment_id, lang, edit=edit)
                return
            self.screen.commit()
            self.pop_screen()
        self.push_screen(EditorScreen(statement_id, segment_id=segment_id, lang=lang, edit=edit, back_to_review=back_to_review))

    def _pop_to(self, screen_type: type[Screen[Any]]) -> None:
        """Pop screens above the nearest one of ``screen_type`` (or down to the statements list)."""
        if not any(isinstance(screen, screen_type) for screen in self.screen_stack):
            screen_type = StatementsScreen
        while not isinstance(self.screen, screen_type) and len(self.screen_stack) > 1:
            self._close_screen(self.screen)

    def _close_screen(self, screen: Screen[Any]) -> None:
        if isinstance(screen, EditorScreen):
            screen.commit()
        self.pop_screen()

    def _show_section(self, screen_type: type[Screen[Any]], make: Callable[[], Screen[Any]]) -> None:
        """Bring a top-level section forward: pop back to it if it is open, else push it."""
        if isinstance(self.screen, screen_type):
            return
        if any(isinstance(screen, screen_type) for screen in self.screen_stack):
            self._pop_to(screen_type)
        else:
            self.push_screen(make())

    def action_show_statements(self) -> None:
        self._pop_to(StatementsScreen)

    def action_show_glossary(self) -> None:
        self._show_section(GlossaryScreen, GlossaryScreen)

    def action_show_review(self) -> None:
        self._show_section(ReviewScreen, ReviewScreen)

    def action_search(self) -> None:
        """Search and replace: one screen, kept between visits (installed), so the last search is still there.

        The statement in view is offered as the scope, and text selected in a field becomes the pattern.
        """
        statement = self.current_statement()
        selected = str(getattr(self.focused, "selected_text", ""))
        self.commit_edits()
        screen = self._search
        if screen is None:
            screen = self._search = SearchScreen()
            self.install_screen(screen, "search")
        screen.open_from(statement, selected)
        self._show_section(SearchScreen, lambda: screen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, self.BINDINGS))

    async def on_event(self, event: events.Event) -> None:
        """``?`` in an empty filter or search field opens the help, as it does wherever no field has the focus.

        Textual drops the app's printable keys while an input field has the
        focus, and the statements list always has its filter focused. A
        leading ``?`` is no search anyone means, so there it is help; after a
        word it is typed. In a translation's text field, and in dialogs (the
        command palette's search, the term form), ``?`` is always text; f1
        opens the help from every screen.
        """
        if isinstance(event, events.Key) and event.key == "question_mark" and not event.is_forwarded:
            focused = self.focused
            if isinstance(focused, Input) and not focused.value and not isinstance(self.screen, ModalScreen):
                self.action_help()
                return
        await super().on_event(event)

    def action_toggle_dark(self) -> None:
        """Flip between the light and the dark theme of the pair."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def current_statement(self) -> tuple[int, str] | None:
        """The statement the volunteer is on: the editor's, or the one highlighted in the list."""
        screen = self.screen
        if isinstance(screen, EditorScreen) and screen.document:
            return screen.statement_id, screen.document["title"]
        if isinstance(screen, StatementsScreen):
            statement_id = screen.highlighted_id()
            titles = {row["id"]: row["title"] for row in screen.rows}
            if statement_id is not None and statement_id in titles:
                return statement_id, titles[statement_id]
        return None

    # -- machine drafting (the run itself is in workers) ---------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """f5 drafts when no run is going, and cancels the run that is; f9 is not offered over a dialog."""
        if action == "draft":
            return not self.jobs["draft"].running
        if action == "cancel_draft":
            return self.jobs["draft"].running
        if action == "sync":
            return not self.jobs["sync"].running
        if action == "cancel_sync":
            return self.jobs["sync"].running
        if action == "search":
            return not isinstance(self.screen, ModalScreen)
        return True

    def action_draft(self) -> None:
        """Open the workspace's engine in the background, then ask what to draft (see :meth:`offer_draft`)."""
        self.commit_edits()
        start_engine(self)

    def offer_draft(self, engine: Engine, missing: list[Pair], hint: str) -> None:
        """Name the pairs the engine lacks and how to get them, then ask what to draft (unless nothing can be).

        The dialog shows the languages without a model too, unticked, so the volunteer sees them before starting.
        """
        if missing:
            every = len(missing) == len(self.workspace.target_locales)
            self.notify(f"No machine-translation model for {', '.join(f'{a}->{b}' for a, b in missing)}: {hint}",
                        title="Missing MT model", severity="error" if every else "warning", timeout=15, markup=False)
            if every:
                return
        self._draft_engine = engine
        lacking = [locale for locale in self.workspace.target_locales if any(engine.code(locale) == pair[1] for pair in missing)]
        self.push_screen(DraftScreen(self.current_statement(), self.workspace.target_locales, missing=lacking, hint=hint),
                         self.start_draft)

    def start_draft(self, choice: DraftChoice | None) -> None:
        """Start a drafting run in the background; the progress strip shows on every screen."""
        if choice is None:
            return
        self._draft_cancel = threading.Event()
        start_drafting(self, choice, self._draft_cancel, self._draft_engine)

    def action_cancel_draft(self) -> None:
        self._draft_cancel.set()
        self.notify("Cancelling… the drafts made so far are kept.", timeout=3, markup=False)

    def set_job_state(self, job: str, state: JobState) -> None:
        """Tell every progress strip (and the key that starts or cancels the job) where the job is."""
        self.jobs[job] = state
        self.job_signal.publish((job, state))
        self.refresh_bindings()

    def show_new_work(self) -> None:
        """A drafting run or a sync ended: forget stale memory matches, and show the new texts and terms where they are in view."""
        if self._memory is not None:
            self._memory.invalidate()
        for editor in self.editors():
            editor.refresh_after_drafting()
        for screen in self.screen_stack:
            if isinstance(screen, (StatementsScreen, GlossaryScreen)):
                screen.reload()

    # -- sync (in a worker) --------------------------------------------------------------

    def action_sync(self) -> None:
        """Save the paragraph being edited, then sync in the background; the strip shows each step."""
        self.commit_edits()
        self._sync_cancel = threading.Event()
        start_sync(self, self._sync_cancel)

    def action_cancel_sync(self) -> None:
        self._sync_cancel.set()
        self.notify("Stopping the sync… what it did is kept.", timeout=3, markup=False)

    def synced(self, outcome: SyncReport | SyncError) -> None:
        """On the UI thread: hide the strip, show what came in (even a sync that failed may have caught up), then the report."""
        self.set_job_state("sync", JobState())
        self.show_new_work()
        if isinstance(outcome, Cancelled):
            self.notify(str(outcome), title="Sync stopped", timeout=10, markup=False)
        elif isinstance(outcome, Offline):
            self.notify(str(outcome), title="Offline: work kept", severity="warning", timeout=15, markup=False)
        elif isinstance(outcome, SyncError):
            self.notify(str(outcome), title="Sync failed", severity="error", timeout=20, markup=False)
        else:
            items = report_items(outcome, self.store)
            if items or outcome.received.notes:
                self.push_screen(SyncReportScreen(outcome, self.remote, items), self._sync_item_chosen)
            else:
                self.notify(f"Sent {outcome.sent_summary()}; nothing new came in.", title=f"Synced with {self.remote}",
                            timeout=8, markup=False)

    def _sync_item_chosen(self, item: SyncItem | None) -> None:
        """Open what a line of the sync report names: a statement in the editor, a term in the glossary."""
        if item is None:
            return
        if item.kind == "statement" and item.statement_id is not None:
            self.open_statement(item.statement_id, item.segment_id, item.locale)
        elif item.term is not None:
            term = item.term
            self._show_section(GlossaryScreen, lambda: GlossaryScreen(search=term))
            screen = self.screen
            if isinstance(screen, GlossaryScreen) and screen.is_mounted:
                screen.show_term(term)

    def settle_sync_conflict(self, conflict: SyncConflict, settled: Callable[[str], None]) -> None:
        """A translation a sync kept both ways (yours current, theirs in the history): the conflict dialog lets the volunteer choose.

        ``settled`` is told how, once a choice is queued; merging by hand opens the editor with theirs in view.
        """
        segment_id, lang = conflict.segment_id or "", conflict.locale or ""
        current = self.store.translation(segment_id, lang)
        theirs = next((entry for entry in reversed(self.store.history(segment_id, lang))
                       if entry["text"] == conflict.theirs and entry["version"] != current["version"]), None)
        if theirs is None or current["text"] != conflict.yours:
            self.notify("Already settled: the translation changed since the sync (h shows its history).", timeout=5, markup=False)
            settled("already settled")
            return
        mine = SaveRequest("save", segment_id, lang, expected_version=current["version"], text=current["text"],
                           status=chosen_over_teammate_status(current["status"]), origin=current.get("origin") or "human")
        segment = self.store.segment(segment_id)

        def chosen(choice: str | None) -> None:
            if choice == "mine":
                self.submit_save(replace(mine, resolves=True))
                settled("yours kept")
            elif choice == "theirs":
                self.submit_save(SaveRequest("restore", segment_id, lang, expected_version=current["version"], text=theirs["text"],
                                             version=theirs["version"], resolves=True))
                settled("theirs kept")
            elif choice == "merge":
                self.resolving.add(mine.key)
                self.open_statement(segment["statement_id"], segment_id, lang, edit=True)
                for editor in self.editors():
                    editor.merge_conflict(mine, theirs)

        self.push_screen(ConflictScreen(mine, theirs, segment["source"], heading="Changed here and by a teammate", mine_title="Yours (current)"),
                         chosen)

    # -- export (in workers) -------------------------------------------------------------

    def action_export(self) -> None:
        self.commit_edits()
        self.push_screen(ExportScreen(self.current_statement()), self._export_chosen)

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is not None:
            start_export(self, choice)

    # -- saving --------------------------------------------------------------------------

    def submit_save(self, request: SaveRequest) -> None:
        """Queue a write; merging a conflict by hand is settled by the next save of it."""
        if request.key in self.resolving:
            self.resolving.discard(request.key)
            request = replace(request, resolves=True)
        self.saves.submit(request)

    def on_save_finished(self, message: SaveFinished) -> None:
        outcome = message.outcome
        for editor in self.editors():
            editor.apply_outcome(outcome)
        if isinstance(self.screen, StatementsScreen) and not self.saves.busy:
            # The list read its progress figures on coming back, maybe before the editor's last saves landed.
            self.screen.reload()
        if outcome.error is not None:
            self._show_save_error(outcome.error)
        elif outcome.conflict is not None:
            self._show_conflict(outcome.request, outcome.conflict.current)

    def _show_save_error(self, message: str) -> None:
        """A dialog, not a passing notice: the volunteer must know the text is not saved, and that it is still there."""
        self._show_error("Could not save", message, "OK: my text stays in the editor; I will save it again", "save-error")

    def _show_error(self, title: str, message: str, answer: str, name: str) -> None:
        if isinstance(self.screen, ChoiceScreen) and self.screen.dialog_name == name:
            return  # one dialog for a burst of the same failure
        self.push_screen(ChoiceScreen(title, [(Content(answer), None)], name=name, intro=message))

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Run a key's action; a database problem it meets is a dialog that says what to do, never a crash.

        Textual ends the app on any unhandled exception. The store's errors are
        worded for volunteers and leave nothing half-written, so the app stays
        open and the volunteer's unsaved text with it.
        """
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except StoreError as error:
            self._show_error("Database problem", str(error), "OK", "store-error")
            return True

    def _show_conflict(self, request: SaveRequest, current: dict[str, Any]) -> None:
        if request.kind == "undo":
            self.notify(
                f"Not undone: {current.get('author') or 'someone'} changed it meanwhile (now version {current['version']}).",
                title="Undo skipped", severity="warning", markup=False,
            )
            return
        source = self.store.segment(request.segment_id)["source"]
        self.push_screen(ConflictScreen(request, current, source), partial(self._resolve_conflict, request, current))

    def _resolve_conflict(self, request: SaveRequest, current: dict[str, Any], choice: str | None) -> None:
        """Carry out the volunteer's choice; every choice keeps both texts in the history."""
        if choice in SETTLED:
            self.saves.submit(settling_request(request, current, mine=choice == "mine", author=self.author))
            self.notify(SETTLED[choice], title="Conflict settled", markup=False)
            return
        self.resolving.add(request.key)
        segment = self.store.segment(request.segment_id)
        self.open_statement(segment["statement_id"], request.segment_id, request.lang, edit=True)
        for editor in self.editors():
            editor.merge_conflict(request, current)

    # -- the command palette ----------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, then one for every action of this screen and of the app.

        Textual's commands named like one of ours are left out: its "Keys"
        (a help panel) and "Quit" (which would not save the paragraph being
        edited first) would be listed twice.
        """
        ours = list(screen_commands(self, screen))
        titles = {command.title for command in ours}
        yield from (command for command in super().get_system_commands(screen) if command.title not in titles)
        yield from ours
