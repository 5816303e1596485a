"""The TUI's background jobs: machine drafting, export, a corrected source language and the suggestion engine, each in a thread worker.

None of them ever blocks a keystroke. A job works in ``WorkbenchApp.worker_workspace``
(after the queued saves, so it sees the volunteer's last edit, on a database
connection of its own), and reaches the UI thread only through ``call_from_thread``. Drafting
publishes its progress through ``WorkbenchApp.set_job_state``, which every
screen's progress strip follows, and stops early once its cancel event is set
(f5 again); the drafts made before a cancel are kept. A sync does the same,
step by step (f10 starts and cancels it). The app's actions only start these jobs.

The TUI knows the machine-translation engine only through its protocol
(:mod:`workbench.mt`): it opens the workspace's engine by name, asks which
pairs are missing and how to get them, and hands the engine to drafting.
"""

from __future__ import annotations

import os
import threading
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker

from workbench.formats import FormatError, export
from workbench.glossary import Glossary
from workbench.languages import UnknownLanguageError
from workbench.store import StoreError
from workbench.sync import STEPS, SyncError, SyncReport, sync
from workbench.tm import TranslationMemory
from workbench.tui.widgets.progress import JobState

if TYPE_CHECKING:
    from workbench.formats import ExportResult
    from workbench.mt import DraftReport, Engine, Progress
    from workbench.mt.source_language import SourceLanguageChange
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.draft import DraftChoice
    from workbench.tui.screens.export import ExportChoice

# -- machine drafting ------------------------------------------------------------------


def start_engine(app: WorkbenchApp) -> Worker[None]:
    """Open the workspace's engine in a thread worker (a server may take seconds to answer), then offer the run."""
    return app.run_worker(partial(_open_engine, app), name="engine", group="engine", description="Open the MT engine",
                          exclusive=True, thread=True, exit_on_error=False)


def _open_engine(app: WorkbenchApp) -> None:
    from workbench.mt import PIVOT_LANGUAGE, EngineError, open_engine  # the engine loads with the first run, not at start-up

    try:
        engine = open_engine(app.workspace.mt)
        missing = engine.missing([(PIVOT_LANGUAGE, engine.code(locale)) for locale in app.workspace.target_locales])
        hint = engine.how_to_get(missing) if missing else ""
    except EngineError as error:
        app.call_from_thread(app.notify, str(error), title="Machine translation unavailable", severity="error",
                             timeout=15, markup=False)
        return
    app.call_from_thread(app.offer_draft, engine, missing, hint)


def start_drafting(app: WorkbenchApp, choice: DraftChoice, cancel: threading.Event, engine: Engine | None) -> Worker[None]:
    """Show the progress strip and draft in a thread worker until done or ``cancel`` is set.

    Without an ``engine`` (a run started before one was opened), the worker opens the workspace's.
    """
    scope = f"statement #{choice.statement_id}" if choice.statement_id is not None else "all statements"
    chosen = _chosen_languages(app, choice)
    label = f"Drafting {scope}" + (f" ({', '.join(chosen)})" if chosen != app.workspace.target_locales else "")
    app.set_job_state("draft", JobState(running=True, label=label))
    return app.run_worker(partial(_draft, app, choice, cancel, label, engine), name="draft", group="draft", description=label,
                          exclusive=True, thread=True, exit_on_error=False)


def _chosen_languages(app: WorkbenchApp, choice: DraftChoice) -> list[str]:
    """The languages a run drafts: those ticked in the dialog, else every target language."""
    return list(choice.langs) if choice.langs is not None else app.workspace.target_locales


def _draft(app: WorkbenchApp, choice: DraftChoice, cancel: threading.Event, label: str, engine: Engine | None) -> None:
    """The worker thread: draft on its own connection; the UI only gets progress reports and the outcome."""

    def report(progress: Progress) -> None:
        state = JobState(True, f"{label} · {progress.label}".strip(" ·"), progress.done, progress.total,
                           progress.rate, progress.eta)
        app.call_from_thread(app.set_job_state, "draft", state)

    from workbench.mt import draft_translations, open_engine

    try:
        with app.worker_workspace() as workspace:
            store = workspace.store
            result = draft_translations(
                store, _chosen_languages(app, choice), statement_id=choice.statement_id, engine=engine or open_engine(workspace.mt),
                memory=TranslationMemory(store), glossary=Glossary.from_store(store), progress=report, cancel=cancel,
            )
    except Exception as error:  # noqa: BLE001 - any engine failure must end the run visibly, not silently
        app.call_from_thread(_drafted, app, None, f"{type(error).__name__}: {error}")
        return
    app.call_from_thread(_drafted, app, result, None)


def _drafted(app: WorkbenchApp, result: DraftReport | None, error: str | None) -> None:
    """On the UI thread: hide the strip, say how the run went, and show the new drafts."""
    app.set_job_state("draft", JobState())
    if result is None:
        app.notify(error or "", title="Drafting failed", severity="error", timeout=15, markup=False)
        return
    skipped = any(report.skipped for report in result.languages) or bool(result.failed)
    title = "Drafting cancelled" if result.cancelled else "Drafting done"
    app.notify(result.summary(), title=title, severity="warning" if skipped or result.cancelled else "information",
               timeout=15, markup=False)
    app.show_new_work()


# -- the engine behind the editor's suggestions ----------------------------------------------------


def start_suggestion_engine(app: WorkbenchApp) -> Worker[None] | None:
    """Open the engine for the editor's suggestions in a thread worker, once, so keys for what it cannot do hide."""
    if app.suggestions.engine is not None:
        return None
    return app.run_worker(partial(_open_suggestion_engine, app), name="suggestion-engine", group="suggestion-engine",
                          description="Open the MT engine for suggestions", exclusive=True, thread=True, exit_on_error=False)


def _open_suggestion_engine(app: WorkbenchApp) -> None:
    """Quietly: an engine that cannot be opened is said when a key needs it, not as the editor opens."""
    try:
        app.suggestions.open()
    except Exception:  # noqa: BLE001 - the suggestion keys stay offered and report the failure when pressed
        return
    app.call_from_thread(app.refresh_bindings)


# -- a paragraph's source language ------------------------------------------------------------


def start_source_language(app: WorkbenchApp, segment_id: str, lang: str) -> Worker[None]:
    """Store a paragraph's corrected source language and redo its untouched machine drafts, in a thread worker."""
    return app.run_worker(partial(_correct_source_language, app, segment_id, lang), name="source-language",
                          group="source-language", description=f"Source language {lang}", thread=True, exit_on_error=False)


def _correct_source_language(app: WorkbenchApp, segment_id: str, lang: str) -> None:
    """The worker thread: the same call as ``workbench segment lang``, on a connection of its own."""
    from workbench.mt import open_engine
    from workbench.mt.source_language import correct_source_language

    try:
        with app.worker_workspace() as workspace:
            store = workspace.store
            change = correct_source_language(store, segment_id, lang, locales=workspace.target_locales,
                                             engine=lambda: open_engine(workspace.mt), glossary=Glossary.from_store(store))
    except (StoreError, UnknownLanguageError) as error:
        app.call_from_thread(app.notify, str(error), title="Source language not changed", severity="error", markup=False)
        return
    except Exception as error:  # noqa: BLE001 - an engine failing mid-draft must be said, not swallowed by the worker
        app.call_from_thread(app.notify, f"{type(error).__name__}: {error}", title="Redrafting failed", severity="error",
                             timeout=15, markup=False)
        return
    app.call_from_thread(_source_language_corrected, app, change)


def _source_language_corrected(app: WorkbenchApp, change: SourceLanguageChange) -> None:
    """On the UI thread: say what changed, and show the paragraph's new language and drafts."""
    app.notify("\n".join(change.lines()), title="Source language", severity="warning" if change.not_redone else "information",
               timeout=12, markup=False)
    app.show_new_work()


# -- export --------------------------------------------------------------------------------


def start_export(app: WorkbenchApp, choice: ExportChoice) -> Worker[None]:
    """Export in a thread worker; a notification says where the files went."""
    app.notify("Exporting…", timeout=2, markup=False)
    return app.run_worker(partial(_export, app, choice), name="export", group="export", description=f"Export {choice.fmt}",
                          thread=True, exit_on_error=False)


def _export(app: WorkbenchApp, choice: ExportChoice) -> None:
    """The worker thread: export on a connection of its own, after the queued saves are written."""
    try:
        with app.worker_workspace() as workspace:
            result = export(workspace, choice.fmt, statement=choice.statement_id)
    except (FormatError, StoreError, OSError) as error:
        app.call_from_thread(app.notify, str(error), title="Export failed", severity="error", markup=False)
        return
    app.call_from_thread(_exported, app, choice, result)


def _exported(app: WorkbenchApp, choice: ExportChoice, result: ExportResult) -> None:
    """On the UI thread: how many files, and in which folder."""
    if not result.files:
        app.notify("Nothing was exported: no statement has paragraphs yet.", severity="warning", markup=False)
        return
    folder = os.path.commonpath([str(path.parent) for path in result.files])
    templates = sum(1 for path in result.files if path.suffix == ".pot")
    files = len(result.files) - templates
    message = f"{files} {choice.fmt.upper()} file{'s' if files != 1 else ''}"
    if templates:
        message += f" and {templates} template{'s' if templates != 1 else ''} (.pot)"
    message += f" in {folder}"
    if result.warnings:
        message += f"\n{len(result.warnings)} warning(s): " + "; ".join(result.warnings[:3])
    app.notify(message, title="Exported", timeout=12, markup=False)


# -- sync ------------------------------------------------------------------------------------


def start_sync(app: WorkbenchApp, cancel: threading.Event) -> Worker[None]:
    """Sync with the team's repository in a thread worker; the strip shows each step, and ``cancel`` stops it between two."""
    label = f"Syncing with {app.remote}"
    app.set_job_state("sync", JobState(running=True, label=label, total=len(STEPS), unit="steps"))
    return app.run_worker(partial(_sync, app, cancel, label), name="sync", group="sync", description=label,
                          exclusive=True, thread=True, exit_on_error=False)


def _sync(app: WorkbenchApp, cancel: threading.Event, label: str) -> None:
    """The worker thread: wait for the queued saves (they go out with this sync), then sync on a connection of its own.

    The app gets the report, or the error: a :class:`SyncError` says in one
    line what happened and that the work is kept.
    """

    def report(step: str) -> None:
        state = JobState(True, f"{label} · {step}", STEPS.index(step) + 1, len(STEPS), unit="steps")
        app.call_from_thread(app.set_job_state, "sync", state)

    outcome: SyncReport | SyncError
    try:
        with app.worker_workspace() as workspace:
            outcome = sync(workspace, app.remote, progress=report, cancel=cancel)
    except SyncError as error:
        outcome = error
    except (StoreError, OSError) as error:
        outcome = SyncError(str(error))
    app.call_from_thread(app.synced, outcome)
