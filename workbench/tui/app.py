"""The workbench TUI: translate statements paragraph by paragraph, keyboard first.

The app owns what every screen shares: the workspace, the glossary, the save
queue (one writer thread, so saving never blocks a keystroke), the
machine-drafting worker and its progress, and the key map. Screens live in
``workbench.tui.screens`` and widgets in ``workbench.tui.widgets``; the core
modules never import any of this.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal

from workbench.formats import ExportResult, FormatError, export
from workbench.glossary import Glossary
from workbench.store import Store, StoreError
from workbench.tui.saving import SaveOutcome, SaveQueue, SaveRequest
from workbench.tui.screens.draft import DraftChoice
from workbench.tui.screens.export import ExportChoice
from workbench.tui.text import to_display
from workbench.tui.widgets.progress import DraftState
from workbench.tm import TranslationMemory
from workbench.workflow import Version
from workbench.workspace import Workspace, default_author

if TYPE_CHECKING:
    from workbench.mt import DraftReport, Engine, Pair

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
THEME_ENV = "WORKBENCH_THEME"


def terminal_theme(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The theme that matches the terminal: ``$WORKBENCH_THEME``, else a light/dark guess.

    Terminals that know their colours export ``COLORFGBG`` ("15;0" is light
    text on black). Background colours 7 and 9-15 are the light ones; anything
    else, or no hint at all, means the dark theme most terminals ship with.
    """
    chosen = environ.get(THEME_ENV, "").strip()
    if chosen:
        return chosen
    hint = environ.get("COLORFGBG", "")
    background = hint.split(";")[-1].strip() if hint else ""
    if background.isdigit() and (int(background) == 7 or 9 <= int(background) <= 15):
        return LIGHT_THEME
    return DARK_THEME


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
        Binding("question_mark", "help", "Keys", show=False, tooltip="Show every key (when not typing in a text field)"),
        Binding("f2", "show_statements", "Statements", tooltip="The list of statements"),
        Binding("f3", "show_glossary", "Glossary", tooltip="Search, add, edit and delete glossary terms"),
        Binding("f4", "show_review", "Review", tooltip="Consistency findings across the workspace"),
        Binding("f5", "draft", "Draft MT", tooltip="Draft untranslated paragraphs with machine translation"),
        Binding("f5", "cancel_draft", "Cancel MT", tooltip="Stop machine drafting (drafts made so far are kept)"),
        Binding("f8", "export", "Export", tooltip="Export PO, JSON or Markdown files and say where they went"),
        Binding("ctrl+t", "toggle_dark", "Light/dark", show=False, tooltip="Switch between the light and the dark theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Save what is being edited and quit"),
    ]

    def __init__(self, workspace: Workspace, *, theme: str | None = None, author: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.author = author or default_author()
        self.theme = theme or terminal_theme()
        self.draft_state = DraftState()
        self.draft_signal: Signal[DraftState] = Signal(self, "draft")
        self.resolving: set[tuple[str, str]] = set()
        """Translations whose conflict the volunteer is merging by hand: their next save settles it."""
        self.saves = SaveQueue(workspace.db_path, self.author, self._report_save)
        self._glossary: Glossary | None = None
        self._memory: TranslationMemory | None = None
        self._draft_cancel = threading.Event()
        self._draft_engine: Engine | None = None

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

    async def wait_for_saves(self) -> None:
        """Wait until every queued save is written (for tests and for quitting)."""
        import asyncio

        await asyncio.to_thread(self.saves.join)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Titles hold statement titles: shown literally, control characters made visible."""
        return super().format_title(to_display(title), to_display(sub_title))

    # -- lifecycle ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The statements list is the bottom of the stack: every Escape leads back to it."""
        from workbench.tui.screens.statements import StatementsScreen

        return StatementsScreen()

    def on_mount(self) -> None:
        self.sub_title = self.workspace.root.name

    def on_unmount(self) -> None:
        self._draft_cancel.set()
        self.saves.close()

    async def action_quit(self) -> None:
        """Save the paragraph being edited, let the writer finish, then quit."""
        for editor in self.editors():
            editor.commit()
        await self.wait_for_saves()
        self.exit()

    # -- screens -------------------------------------------------------------------------

    def editors(self) -> Iterator[Any]:
        from workbench.tui.screens.editor import EditorScreen

        return (screen for screen in self.screen_stack if isinstance(screen, EditorScreen))

    def open_statement(self, statement_id: int, segment_id: str | None = None, lang: str | None = None,
                       *, edit: bool = True, back_to_review: bool = False) -> None:
        """Show a statement in the editor, at a paragraph and language if given.

        An editor already open on that statement just moves; any other one is
        closed first (saving its paragraph), so the stack never grows. From
        the review screen, closing the editor leads back to the review.
        """
        from workbench.tui.screens.editor import EditorScreen

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
        from workbench.tui.screens.statements import StatementsScreen

        if not any(isinstance(screen, screen_type) for screen in self.screen_stack):
            screen_type = StatementsScreen
        while not isinstance(self.screen, screen_type) and len(self.screen_stack) > 1:
            self._close_screen(self.screen)

    def _close_screen(self, screen: Screen[Any]) -> None:
        commit = getattr(screen, "commit", None)
        if commit is not None:
            commit()
        self.pop_screen()

    def _show_section(self, screen_type: type[Screen[Any]], make: Any) -> None:
        """Bring a top-level section forward: pop back to it if it is open, else push it."""
        if isinstance(self.screen, screen_type):
            return
        if any(isinstance(screen, screen_type) for screen in self.screen_stack):
            self._pop_to(screen_type)
        else:
            self.push_screen(make())

    def action_show_statements(self) -> None:
        from workbench.tui.screens.statements import StatementsScreen

        self._pop_to(StatementsScreen)

    def action_show_glossary(self) -> None:
        from workbench.tui.screens.glossary import GlossaryScreen

        self._show_section(GlossaryScreen, GlossaryScreen)

    def action_show_review(self) -> None:
        from workbench.tui.screens.review import ReviewScreen

        self._show_section(ReviewScreen, ReviewScreen)

    def action_help(self) -> None:
        from workbench.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_dark(self) -> None:
        """Flip between the light and the dark theme of the pair."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def current_statement(self) -> tuple[int, str] | None:
        """The statement the volunteer is on: the editor's, or the one highlighted in the list."""
        from workbench.tui.screens.editor import EditorScreen
        from workbench.tui.screens.statements import StatementsScreen

        screen = self.screen
        if isinstance(screen, EditorScreen) and screen.document:
            return screen.statement_id, screen.document["title"]
        if isinstance(screen, StatementsScreen):
            statement_id = screen.highlighted_id()
            titles = {row["id"]: row["title"] for row in screen.rows}
            if statement_id in titles:
                return statement_id, titles[statement_id]
        return None

    # -- machine drafting ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """f5 drafts when no run is going, and cancels the run that is."""
        if action == "draft":
            return not self.draft_state.running
        if action == "cancel_draft":
            return self.draft_state.running
        return True

    def action_draft(self) -> None:
        for editor in self.editors():
            editor.commit()
        self.open_draft_engine()

    @work(thread=True, group="draft-engine", exclusive=True, exit_on_error=False)
    def open_draft_engine(self) -> None:
        """Open the workspace's engine off the UI thread (a server may take seconds to answer), then offer the run."""
        from workbench.mt import PIVOT_LANGUAGE, EngineError, open_engine

        try:
            engine = open_engine(self.workspace.mt)
            missing = engine.missing([(PIVOT_LANGUAGE, engine.code(locale)) for locale in self.workspace.target_locales])
            hint = engine.how_to_get(missing) if missing else ""
        except EngineError as error:
            self.call_from_thread(self.notify, str(error), title="Machine translation unavailable", severity="error",
                                  timeout=15, markup=False)
            return
        self.call_from_thread(self._offer_draft, engine, missing, hint)

    def _offer_draft(self, engine: Engine, missing: list[Pair], hint: str) -> None:
        from workbench.tui.screens.draft import DraftScreen

        if missing:
            every = len(missing) == len(self.workspace.target_locales)
            self.notify(
                f"No machine-translation model for {', '.join(f'{a}->{b}' for a, b in missing)}: {hint}",
                title="Missing MT model", severity="error" if every else "warning", timeout=15, markup=False,
            )
            if every:
                return
        self._draft_engine = engine
        self.push_screen(DraftScreen(self.current_statement()), self.start_draft)

    def start_draft(self, choice: DraftChoice | None) -> None:
        """Start a drafting run in the worker; the progress strip shows on every screen."""
        if choice is None:
            return
        self._draft_cancel = threading.Event()
        label = f"statement #{choice.statement_id}" if choice.statement_id is not None else "all statements"
        self._set_draft_state(DraftState(running=True, label=f"Drafting {label}"))
        self.run_draft(choice, self._draft_cancel)

    def action_cancel_draft(self) -> None:
        self._draft_cancel.set()
        self.notify("Cancelling… the drafts made so far are kept.", timeout=3, markup=False)

    def _set_draft_state(self, state: DraftState) -> None:
        self.draft_state = state
        self.draft_signal.publish(state)
        self.refresh_bindings()

    @work(thread=True, group="draft", exclusive=True, exit_on_error=False)
    def run_draft(self, choice: DraftChoice, cancel: threading.Event) -> None:
        """Draft in this worker thread, on its own connection; the UI only gets progress reports."""
        from workbench.mt import Progress, draft_translations, open_engine

        prefix = self.draft_state.label

        def report(progress: Progress) -> None:
            state = DraftState(True, f"{prefix} · {progress.label}".strip(" ·"), progress.done, progress.total,
                               progress.rate, progress.eta)
            self.call_from_thread(self._set_draft_state, state)

        self.saves.join()
        store = Store(self.workspace.db_path)
        try:
            engine = self._draft_engine or open_engine(self.workspace.mt)
            result = draft_translations(
                store, self.workspace.target_locales, statement_id=choice.statement_id, engine=engine,
                memory=TranslationMemory(store), glossary=Glossary.from_store(store), progress=report, cancel=cancel,
            )
        except Exception as error:  # noqa: BLE001 - any engine failure must end the run visibly, not silently
            self.call_from_thread(self._drafted, None, f"{type(error).__name__}: {error}")
            return
        finally:
            store.close()
        self.call_from_thread(self._drafted, result, None)

    def _drafted(self, result: DraftReport | None, error: str | None) -> None:
        self._set_draft_state(DraftState())
        if result is None:
            self.notify(error or "", title="Drafting failed", severity="error", timeout=15, markup=False)
            return
        if self._memory is not None:
            self._memory.invalidate()
        skipped = any(report.skipped for report in result.languages)
        title = "Drafting cancelled" if result.cancelled else "Drafting done"
        self.notify(result.summary(), title=title, severity="warning" if skipped or result.cancelled else "information",
                    timeout=15, markup=False)
        from workbench.tui.screens.statements import StatementsScreen

        for editor in self.editors():
            editor.refresh_after_drafting()
        if isinstance(self.screen, StatementsScreen):
            self.screen.reload()

    # -- export --------------------------------------------------------------------------

    def action_export(self) -> None:
        from workbench.tui.screens.export import ExportScreen

        for editor in self.editors():
            editor.commit()
        self.push_screen(ExportScreen(self.current_statement()), self._export_chosen)

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is not None:
            self.notify("Exporting…", timeout=2, markup=False)
            self.run_export(choice)

    @work(thread=True, group="export", exit_on_error=False)
    def run_export(self, choice: ExportChoice) -> None:
        """Export on a connection of its own, after the queued saves are written."""
        self.saves.join()
        workspace = Workspace.load(self.workspace.root)
        try:
            result = export(workspace, choice.fmt, statement=choice.statement_id)
        except (FormatError, StoreError, OSError) as error:
            self.call_from_thread(self.notify, str(error), title="Export failed", severity="error", markup=False)
            return
        finally:
            workspace.store.close()
        self.call_from_thread(self._exported, choice, result)

    def _exported(self, choice: ExportChoice, result: ExportResult) -> None:
        if not result.files:
            self.notify("Nothing was exported: no statement has paragraphs yet.", severity="warning", markup=False)
            return
        folder = os.path.commonpath([str(path.parent) for path in result.files])
        message = f"{len(result.files)} {choice.fmt.upper()} file{'s' if len(result.files) != 1 else ''} in {folder}"
        if result.warnings:
            message += f"\n{len(result.warnings)} warning(s): " + "; ".join(result.warnings[:3])
        self.notify(message, title="Exported", timeout=12, markup=False)

    # -- saving --------------------------------------------------------------------------

    def submit_save(self, request: SaveRequest) -> None:
        """Queue a write; merging a conflict by hand is settled by the next save of it."""
        if request.key in self.resolving:
            self.resolving.discard(request.key)
            request = replace(request, resolves=True)
        self.saves.submit(request)

    def on_save_finished(self, message: SaveFinished) -> None:
        from workbench.tui.screens.statements import StatementsScreen

        outcome = message.outcome
        for editor in self.editors():
            editor.apply_outcome(outcome)
        if isinstance(self.screen, StatementsScreen) and not self.saves.busy:
            # The list read its progress figures on coming back, maybe before the editor's last saves landed.
            self.screen.reload()
        if outcome.error is not None:
            self.notify(outcome.error, title="Could not save", severity="error", markup=False, timeout=10)
        elif outcome.conflict is not None:
            self._show_conflict(outcome)

    def _show_conflict(self, outcome: SaveOutcome) -> None:
        from workbench.tui.screens.conflict import ConflictScreen

        request, current = outcome.request, outcome.conflict.current  # type: ignore[union-attr]
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
        key = request.key
        version = current["version"]
        if choice == "mine":
            self.saves.submit(SaveRequest("save", *key, expected_version=version, text=request.text,
                                          status=request.status, origin=request.origin, resolves=True))
            self.notify("Your version is saved; theirs stays in the history.", title="Conflict settled", markup=False)
        elif choice == "theirs":
            theirs = Version(current["text"], current["status"], current.get("origin") or "human", current.get("author") or self.author)
            self.saves.submit(SaveRequest("keep-both", *key, expected_version=version, text=request.text,
                                          status="needs-review", origin=request.origin, resolves=True, winner=theirs))
            self.notify("Their version is kept; yours is in the history (undo brings it back).",
                        title="Conflict settled", markup=False)
        else:
            self.resolving.add(key)
            segment = self.store.segment(request.segment_id)
            self.open_statement(segment["statement_id"], request.segment_id, request.lang)
            for editor in self.editors():
                editor.merge_conflict(request, current)

    # -- the command palette ----------------------------------------------------------

    def command_bindings(self, screen: Screen[Any]) -> Iterable[tuple[Any, str, Binding]]:
        """Every (target, action, binding) that applies on ``screen``, for the palette and help.

        Only the bindings each class declares itself count (not Textual's
        inherited focus keys). Screens list extra widgets whose keys belong in
        the palette (the editor's typing and navigation keys) through
        ``command_sources()``.
        """
        sources: list[Any] = [screen]
        extra = getattr(screen, "command_sources", None)
        if extra is not None:
            sources.extend(extra())
        sources.append(self)
        for node in sources:
            for binding in type(node).__dict__.get("BINDINGS", []):
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                target, action = node, binding.action
                if action.startswith("screen."):
                    target, action = screen, action.removeprefix("screen.")
                elif action.startswith("app."):
                    target, action = self, action.removeprefix("app.")
                yield target, action, binding

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, then one for every action of this screen and of the app.

        Numbered variants (insert term 1…9) are left out when the plain action
        (insert a term, picking from the list) is there.
        """
        yield from super().get_system_commands(screen)
        collected = list(self.command_bindings(screen))
        plain = {(id(target), action) for target, action, _ in collected if "(" not in action}
        seen: set[tuple[int, str]] = set()
        for target, action, binding in collected:
            name = action.split("(")[0]
            if (id(target), action) in seen or ("(" in action and (id(target), name) in plain):
                continue
            if not target.check_action(name, ()):
                continue
            seen.add((id(target), action))
            keys = ", ".join(self.get_key_display(Binding(key, action)) for key in binding.key.split(","))
            help_text = f"{binding.tooltip}  ({keys})" if binding.tooltip else f"({keys})"
            yield SystemCommand(binding.description, escape(help_text), partial(self._run_command, target, action))

    async def _run_command(self, target: Any, action: str) -> None:
        await self.run_action(action, target)
