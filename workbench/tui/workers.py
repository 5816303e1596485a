"""The TUI's background jobs: machine drafting and export, each in a thread worker.

Neither ever blocks a keystroke. A job first waits for the queued saves (so it
sees the volunteer's last edit), works on a database connection of its own,
and reaches the UI thread only through ``call_from_thread``. Drafting
publishes its progress through ``WorkbenchApp.set_draft_state``, which every
screen's progress strip follows, and stops early once its cancel event is set
(f5 again); the drafts made before a cancel are kept. The app's actions only
start these jobs.

What the TUI knows of the machine-translation engine itself (model codes,
skip reasons, the drafting call) is kept together in the last section.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker

from workbench.export import export
from workbench.glossary import Glossary
from workbench.languages import argos_code
from workbench.models import list_models
from workbench.po import PoInputError
from workbench.store import Store, StoreError
from workbench.tm import TranslationMemory
from workbench.tui.widgets.progress import DraftState
from workbench.workspace import Workspace

if TYPE_CHECKING:
    from workbench.mt import DraftReport, Progress
    from workbench.po import ExportResult
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.draft import DraftChoice
    from workbench.tui.screens.export import ExportChoice

# -- machine drafting ------------------------------------------------------------------


def start_drafting(app: WorkbenchApp, choice: DraftChoice, cancel: threading.Event) -> Worker[None]:
    """Show the progress strip and draft in a thread worker until done or ``cancel`` is set."""
    scope = f"statement #{choice.statement_id}" if choice.statement_id is not None else "all statements"
    label = f"Drafting {scope}"
    app.set_draft_state(DraftState(running=True, label=label))
    return app.run_worker(partial(_draft, app, choice, cancel, label), name="draft", group="draft", description=label,
                          exclusive=True, thread=True, exit_on_error=False)


def _draft(app: WorkbenchApp, choice: DraftChoice, cancel: threading.Event, label: str) -> None:
    """The worker thread: draft on its own connection; the UI only gets progress reports and the outcome."""

    def report(progress: Progress) -> None:
        state = DraftState(True, f"{label} · {progress.label}".strip(" ·"), progress.done, progress.total,
                           progress.rate, progress.eta)
        app.call_from_thread(app.set_draft_state, state)

    app.saves.join()
    store = Store(app.workspace.db_path)
    try:
        result = draft_with_engine(store, app.workspace.target_locales, choice.statement_id, report, cancel)
    except Exception as error:  # noqa: BLE001 - any engine failure must end the run visibly, not silently
        app.call_from_thread(_drafted, app, None, f"{type(error).__name__}: {error}")
        return
    finally:
        store.close()
    app.call_from_thread(_drafted, app, result, None)


def _drafted(app: WorkbenchApp, result: DraftReport | None, error: str | None) -> None:
    """On the UI thread: hide the strip, say how the run went, and show the new drafts."""
    app.set_draft_state(DraftState())
    if result is None:
        app.notify(error or "", title="Drafting failed", severity="error", timeout=15, markup=False)
        return
    skipped = any(report.skipped for report in result.languages)
    title = "Drafting cancelled" if result.cancelled else "Drafting done"
    app.notify(draft_summary(result), title=title, severity="warning" if skipped or result.cancelled else "information",
               timeout=15, markup=False)
    app.show_new_drafts()


# -- export --------------------------------------------------------------------------------


def start_export(app: WorkbenchApp, choice: ExportChoice) -> Worker[None]:
    """Export in a thread worker; a notification says where the files went."""
    app.notify("Exporting…", timeout=2, markup=False)
    return app.run_worker(partial(_export, app, choice), name="export", group="export", description=f"Export {choice.fmt}",
                          thread=True, exit_on_error=False)


def _export(app: WorkbenchApp, choice: ExportChoice) -> None:
    """The worker thread: export on a connection of its own, after the queued saves are written."""
    app.saves.join()
    workspace = Workspace.load(app.workspace.root)
    try:
        result = export(workspace, choice.fmt, statement=choice.statement_id)
    except (PoInputError, StoreError, OSError) as error:
        app.call_from_thread(app.notify, str(error), title="Export failed", severity="error", markup=False)
        return
    finally:
        workspace.store.close()
    app.call_from_thread(_exported, app, choice, result)


def _exported(app: WorkbenchApp, choice: ExportChoice, result: ExportResult) -> None:
    """On the UI thread: how many files, and in which folder."""
    if not result.files:
        app.notify("Nothing was exported: no statement has paragraphs yet.", severity="warning", markup=False)
        return
    folder = os.path.commonpath([str(path.parent) for path in result.files])
    message = f"{len(result.files)} {choice.fmt.upper()} file{'s' if len(result.files) != 1 else ''} in {folder}"
    if result.warnings:
        message += f"\n{len(result.warnings)} warning(s): " + "; ".join(result.warnings[:3])
    app.notify(message, title="Exported", timeout=12, markup=False)


# -- the machine-translation engine ---------------------------------------------------------
# The only TUI code that speaks the engine's own language: Argos model codes, the
# wording of its skip reasons, and the call that drafts.


def missing_models(locales: Sequence[str]) -> list[str]:
    """The target languages without an English model, as ``workbench models install`` names them."""
    return list_models([argos_code(locale) for locale in locales]).missing_targets


def missing_models_notice(missing: Sequence[str]) -> str:
    """What to run to install the missing models, online or from files."""
    return (f"No machine-translation model from English to {', '.join(missing)}. Install with:\n"
            f"workbench models install {' '.join(missing)}\n(offline: workbench models install FILE.argosmodel)")


def draft_with_engine(store: Store, locales: Sequence[str], statement_id: int | None,
                      progress: Callable[[Progress], None], cancel: threading.Event) -> DraftReport:
    """Draft every paragraph no volunteer has worked on (of one statement, or all when ``statement_id`` is None)."""
    from workbench.mt import draft_translations  # the engine loads with the first run, not at start-up

    return draft_translations(store, locales, statement_id=statement_id, memory=TranslationMemory(store),
                              glossary=Glossary.from_store(store), progress=progress, cancel=cancel)


def draft_summary(result: DraftReport) -> str:
    """One line per language, short enough for a notification; ``workbench translate`` prints the details."""
    lines = []
    for report in result.languages:
        parts = [f"{report.machine} drafted"]
        if report.memory:
            parts.append(f"{report.memory} from memory")
        if report.copied:
            parts.append(f"{report.copied} already in {report.locale}")
        line = f"{report.locale}: " + ", ".join(parts)
        if report.skipped:
            reasons = sorted({reason.split(" (")[0].removeprefix("no model for ") for reason in report.skipped})
            line += f"; skipped, no model for {', '.join(reasons)}"
        lines.append(line)
    if result.cancelled:
        lines.append("Paragraphs drafted before the cancel are kept.")
    return "\n".join(lines)
