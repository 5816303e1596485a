"""Progress at a glance: stacked status bars, and the machine-drafting progress strip."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar

from workbench.workflow import done_percent
from workbench.tui.text import STATUS_LOOKS

if TYPE_CHECKING:
    from textual import getters

    from workbench.tui.app import WorkbenchApp

BAR_ORDER = ("approved", "translated", "needs-review", "machine")
"""Stacked left to right from most to least done; the rest of the bar is untranslated."""
BAR_GLYPH = "━"


def _widths(counts: Mapping[str, int], width: int) -> list[tuple[str, int]]:
    """Cells per status, rounded so that any non-zero count shows at least one cell."""
    total = sum(counts.values())
    if not total:
        return [("untranslated", width)]
    cells: list[tuple[str, int]] = []
    used = 0
    for status in BAR_ORDER:
        count = counts.get(status, 0)
        if not count:
            continue
        share = max(1, round(width * count / total))
        share = min(share, width - used)
        cells.append((status, share))
        used += share
    if used < width:
        cells.append(("untranslated", width - used))
    return cells


def progress_content(counts: Mapping[str, int], width: int = 8) -> Content:
    """A theme-following stacked bar and the done percentage, for Content-aware widgets (width 0: no bar)."""
    if width <= 0:
        return Content(f"{done_percent(counts)}%")
    parts = [
        Content(BAR_GLYPH * cells).stylize(STATUS_LOOKS[status].style if status != "untranslated" else "$text-disabled")
        for status, cells in _widths(counts, width)
    ]
    return Content.assemble(*parts, f" {done_percent(counts):>3}%")


def resolved_color(variables: Mapping[str, str], name: str) -> str:
    """A theme variable as a plain hex colour Rich understands (alpha blended on the background)."""
    background = Color.parse(variables.get("background", "#000000"))
    value = variables.get(name, "")
    if not value or value.startswith("auto"):
        value = variables.get("foreground-muted", "#888888")
    return (background + Color.parse(value)).hex


def status_colors(variables: Mapping[str, str]) -> dict[str, str]:
    """Each status's theme colour as plain hex, resolved once per table fill (parsing is not free)."""
    colors = {status: resolved_color(variables, look.variable) for status, look in STATUS_LOOKS.items()}
    colors["untranslated"] = resolved_color(variables, "foreground-muted") + " dim"
    return colors


def progress_text(counts: Mapping[str, int], colors: Mapping[str, str], width: int = 8) -> Text:
    """The Rich ``Text`` twin of :func:`progress_content`, for DataTable cells (``colors`` from :func:`status_colors`)."""
    text = Text()
    for status, cells in _widths(counts, width):
        text.append(BAR_GLYPH * cells, style=colors[status])
    text.append(f" {done_percent(counts):>3}%")
    return text


@dataclass(frozen=True)
class DraftState:
    """Where a machine-drafting run is, as the engine reports it."""

    running: bool = False
    label: str = ""
    done: int = 0
    total: int = 0
    rate: float = 0.0
    eta: float | None = None


class DraftProgress(Horizontal):
    """The drafting strip above the footer: shown only while a run is going.

    Every screen has one; each listens to the app's draft signal, so the
    volunteer sees the run wherever they are.
    """

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def compose(self) -> ComposeResult:
        yield Label(id="draft-label", markup=False)
        yield ProgressBar(id="draft-bar", show_eta=False)
        yield Label(id="draft-rate", markup=False)
        yield Label(Content.from_markup("[b]f5[/b] cancel"), id="draft-hint")

    def on_mount(self) -> None:
        self.app.draft_signal.subscribe(self, self.show_state)
        self.show_state(self.app.draft_state)

    def show_state(self, state: DraftState) -> None:
        """Redraw from a new state (called on the UI thread by the signal)."""
        self.display = state.running
        if not state.running:
            return
        self.query_one("#draft-label", Label).update(state.label)
        bar = self.query_one("#draft-bar", ProgressBar)
        bar.update(total=state.total or None, progress=state.done)
        eta = f" · {int(state.eta // 60)}:{int(state.eta % 60):02d} left" if state.eta is not None else ""
        rate = f"{state.done}/{state.total} · {state.rate:.1f}/s{eta}" if state.total else "starting…"
        self.query_one("#draft-rate", Label).update(rate)
