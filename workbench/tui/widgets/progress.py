"""Progress at a glance: stacked status bars, their one-character form, their legend, and the machine-drafting strip.

A bar stacks the statuses of a statement's paragraphs left to right, from
most to least done. Where a row has no room for a bar (a terminal 80 columns
wide holds four languages only this way), one character stands for it: its
height is the share done and its colour the status most paragraphs are in.
:func:`progress_legend` and :func:`level_legend` say what the colours and
heights mean, so no screen need show a bar without them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
LEVEL_GLYPHS = "▁▂▃▄▅▆▇█"
"""The one-character bar, lowest (nothing done) to full (all done)."""
COMPACT_WIDTH = 6
"""Cells of a one-character bar with its percentage: ``▅  62%``."""


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
    parts = [Content(BAR_GLYPH * cells).stylize(_status_style(status)) for status, cells in _widths(counts, width)]
    return Content.assemble(*parts, f" {done_percent(counts):>3}%")


def dominant_status(counts: Mapping[str, int]) -> str:
    """The status most paragraphs are in; a tie goes to the more done status (the bar's order)."""
    order = [*BAR_ORDER, "untranslated"]
    return max(order, key=lambda status: (counts.get(status, 0), -order.index(status)))


def level_glyph(counts: Mapping[str, int]) -> str:
    """The one-character bar: as high as the share of paragraphs done."""
    total = sum(counts.values())
    share = done_percent(counts) / 100 if total else 0.0
    return LEVEL_GLYPHS[round(share * (len(LEVEL_GLYPHS) - 1))]


def _status_style(status: str) -> str:
    return STATUS_LOOKS[status].style if status != "untranslated" else "$text-disabled"


def progress_legend() -> Content:
    """What the bars' colours mean, in the bars' order: ``━ approved ━ translated …``."""
    return Content(" ").join(
        Content.assemble(Content(BAR_GLYPH).stylize(_status_style(status)), " ", STATUS_LOOKS[status].label)
        for status in (*BAR_ORDER, "untranslated")
    )


def level_legend() -> Content:
    """What the one-character bar means; :func:`progress_legend` then gives its colours."""
    return Content.assemble(Content(LEVEL_GLYPHS[0] + LEVEL_GLYPHS[4] + LEVEL_GLYPHS[-1]).stylize("$text-primary"),
                            " share done, colour: most ¶")


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
    """The Rich ``Text`` twin of :func:`progress_content`, for DataTable cells (``colors`` from :func:`status_colors`).

    Width 0 is the one-character bar (:func:`level_glyph`, coloured by :func:`dominant_status`).
    """
    if width <= 0:
        return Text.assemble((level_glyph(counts), colors[dominant_status(counts)]), f" {done_percent(counts):>3}%")
    text = Text()
    for status, cells in _widths(counts, width):
        text.append(BAR_GLYPH * cells, style=colors[status])
    text.append(f" {done_percent(counts):>3}%")
    return text


@dataclass(frozen=True)
class JobState:
    """Where a background job is: machine drafting as the engine reports it, a sync step by step."""

    running: bool = False
    label: str = ""
    done: int = 0
    total: int = 0
    rate: float = 0.0
    eta: float | None = None
    unit: str = ""
    """What ``done`` counts when the job has no rate (``steps``), shown after the count."""

    def count_text(self) -> str:
        """``30/120 · 12.5/s · 1:15 left``, ``4/7 steps``, or ``starting…`` before the first report."""
        if not self.total:
            return "starting…"
        count = f"{self.done}/{self.total}"
        if not self.rate:
            return f"{count} {self.unit}".strip()
        eta = f" · {int(self.eta // 60)}:{int(self.eta % 60):02d} left" if self.eta is not None else ""
        return f"{count} · {self.rate:.1f}/s{eta}"


JOBS = {"draft": "f5", "sync": "f10"}
"""The background jobs that show a strip, and the key that starts and cancels each."""


class JobProgress(Horizontal):
    """A job's strip above the footer: shown only while it runs.

    Every screen has one per job (:func:`job_strips`); each listens to the
    app's job signal, so the volunteer sees the run wherever they are.
    """

    if TYPE_CHECKING:
        app = getters.app(WorkbenchApp)

    def __init__(self, job: str) -> None:
        super().__init__(id=f"{job}-progress", classes="job-progress")
        self.job = job

    def compose(self) -> ComposeResult:
        yield Label(classes="job-label", markup=False)
        yield ProgressBar(classes="job-bar", show_eta=False)
        yield Label(classes="job-rate", markup=False)
        yield Label(Content.from_markup(f"[b]{JOBS[self.job]}[/b] cancel"), classes="job-hint")

    def on_mount(self) -> None:
        self.app.job_signal.subscribe(self, self.show_update)
        self.show_state(self.app.jobs[self.job])

    def show_update(self, update: tuple[str, JobState]) -> None:
        job, state = update
        if job == self.job:
            self.show_state(state)

    def show_state(self, state: JobState) -> None:
        """Redraw from a new state (called on the UI thread by the signal)."""
        self.display = state.running
        if not state.running:
            return
        self.query_one(".job-label", Label).update(state.label)
        self.query_one(".job-bar", ProgressBar).update(total=state.total or None, progress=state.done)
        self.query_one(".job-rate", Label).update(state.count_text())


def job_strips() -> Iterator[JobProgress]:
    """One strip per background job, for a screen's compose."""
    return (JobProgress(job) for job in JOBS)
