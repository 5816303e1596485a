"""The statements list: title, date, excerpt mark and progress per language.

Typing filters at once (every word must match the title, slug, date or id);
the arrow keys move in the table while the filter keeps the focus, and Enter
opens the highlighted statement. ctrl+f picks a list filter besides: the
statements with untranslated paragraphs in a language, with flagged machine
drafts, with paragraphs that need review, or with errors (found by the checks,
through the findings cache, in a thread worker, so the list never waits for
them). Only the summaries are read here (two SQL queries), never the segments,
so a workspace of a thousand statements opens at once. ctrl+o turns the order: import order, most flagged
drafts first, and least confident drafts first (the riskiest machine sentence
of each statement, read only for that order), each title then marked with its
glyph.

The columns fit the terminal: at 80 columns each language shows a
one-character bar and its percentage, and the title is cut with "…"; wider
terminals get stacked bars, wider as there is room. A line under the table
gives the share done per language and what the bars' colours mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Select, Static
from textual.widgets.data_table import RowKey
from textual.worker import Worker, get_current_worker

from workbench.checks import SEVERITIES, check_workspace
from workbench.languages import language
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.text import literal_text, one_line
from workbench.tui.widgets.editor.heat import STEPS, step_for
from workbench.tui.widgets.progress import (
    COMPACT_WIDTH,
    job_strips,
    level_legend,
    progress_legend,
    progress_text,
    resolved_color,
    status_colors,
)
from workbench.workflow import done_percent

DATE_WIDTH = 10
PARAGRAPHS_WIDTH = 4
PADDING = 2
"""Cells a DataTable adds to every column (one each side)."""
SCROLLBAR = 1
PROGRESS_WIDTH = 8
"""The narrowest stacked bar; narrower terminals get the one-character bar."""
MAX_PROGRESS_WIDTH = 16
TITLE_MIN = 30
"""The narrowest title beside stacked bars: below it, the bars give way to one character."""
TITLE_ROOMY = 60
"""A title this wide shows most titles whole; room beyond it widens the bars."""
FIRST_ROWS = 2000
"""Rows added at once. Every fill repaints the visible rows, so one fill is cheapest up to
a few thousand rows; bigger workspaces show these first and append the rest in chunks."""
CHUNK_ROWS = 5000


FLAGGED_WORD = "is:flagged"
"""Typed in the filter, keeps the statements with machine drafts that carry flags."""

ORDERS = ("import", "flagged", "confidence")
"""What ctrl+o goes through: import order, most flagged drafts first, least confident drafts first."""

EVERY = "all"
FLAGGED = "flagged"
NEEDS_REVIEW = "needs-review"
ERRORS = "errors"
UNTRANSLATED = "untranslated:"
"""List filters (ctrl+f); ``untranslated:es`` keeps the statements with paragraphs not yet translated in es."""
ERROR_SEVERITY = SEVERITIES[0]


def list_filters(locales: list[str]) -> list[tuple[str, str]]:
    """The list filters as (label, value), in the order the drop-down shows them."""
    return [
        ("All statements", EVERY),
        *((f"Untranslated in {locale}", f"{UNTRANSLATED}{locale}") for locale in locales),
        ("Flagged MT drafts", FLAGGED),
        ("Needs review", NEEDS_REVIEW),
        ("Has errors", ERRORS),
    ]


def matches_filter(row: dict[str, Any], words: list[str]) -> bool:
    """Every typed word must appear in the title, slug, date or id; ``is:flagged`` keeps statements with flagged drafts."""
    haystack = f"{row['id']} {row['title']} {row['slug']} {row['date'] or ''}".lower()
    return all(row["flagged"] > 0 if word == FLAGGED_WORD else word in haystack for word in words)


def passes_list_filter(row: dict[str, Any], kind: str, with_errors: set[int] | None) -> bool:
    """Whether a statement passes the list filter; ``with_errors`` is None while the checks still run (nothing passes)."""
    if kind == EVERY:
        return True
    if kind.startswith(UNTRANSLATED):
        counts = row["progress"].get(kind.removeprefix(UNTRANSLATED))
        return counts is not None and counts.get("untranslated", 0) > 0
    if kind == FLAGGED:
        return row["flagged"] > 0
    if kind == NEEDS_REVIEW:
        return any(counts.get("needs-review", 0) > 0 for counts in row["progress"].values())
    return with_errors is not None and row["id"] in with_errors


@dataclass(frozen=True)
class Columns:
    """How wide the title and each language's bar are for a terminal width (bar 0: the one-character bar)."""

    title: int
    bar: int

    @property
    def language(self) -> int:
        """Cells of a language column's text."""
        return COMPACT_WIDTH if self.bar == 0 else self.bar + 5


def fit_columns(width: int, id_width: int, languages: int) -> Columns:
    """Every column on screen: stacked bars while the title keeps :data:`TITLE_MIN` cells, else one-character bars.

    Room beyond a :data:`TITLE_ROOMY` title widens the bars, up to :data:`MAX_PROGRESS_WIDTH`.
    """
    fixed = sum(cells + PADDING for cells in (id_width, DATE_WIDTH, PARAGRAPHS_WIDTH, 1)) + PADDING + SCROLLBAR
    room = width - fixed
    stacked = room - languages * (PROGRESS_WIDTH + 5 + PADDING)
    if stacked < TITLE_MIN:
        return Columns(max(8, room - languages * (COMPACT_WIDTH + PADDING)), 0)
    bar = PROGRESS_WIDTH + min(max(0, stacked - TITLE_ROOMY) // max(languages, 1), MAX_PROGRESS_WIDTH - PROGRESS_WIDTH)
    return Columns(room - languages * (bar + 5 + PADDING), bar)


class StatementTable(DataTable[Any]):
    """The statements, one row each, keyed by statement id."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the highlighted statement in the editor"),
    ]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Size the table without measuring the new cells.

        Every column is given a fixed width and every row is one line high, so
        DataTable's measurement of each new cell (most of the time a 1,000-row
        fill takes) could change neither a width nor a height.
        """
        super()._update_dimensions(())


class StatementsScreen(WorkbenchScreen[None]):
    """The first screen: pick a statement to translate."""

    AUTO_FOCUS = "#filter"
    """Typing filters at once: the text filter, not the list filter before it, has the focus."""

    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, tooltip="Highlight the next statement"),
        Binding("up", "move(-1)", "Up", show=False, tooltip="Highlight the previous statement"),
        Binding("pagedown", "move(10)", "Page down", show=False, tooltip="Ten statements down"),
        Binding("pageup", "move(-10)", "Page up", show=False, tooltip="Ten statements up"),
        Binding("escape", "clear_filter", "Clear filter", tooltip="Empty the filter and show every statement"),
        Binding("ctrl+f", "pick_filter", "Filter", tooltip="Show only statements untranslated in a language, "
                "with flagged MT drafts, needing review or with errors"),
        Binding("ctrl+o", "next_order", "Sort", show=False,
                tooltip="Sort statements: most flagged drafts first, then least confident drafts first, then import order"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self._filled_width = 0
        self._filled_filter: str | None = None
        """The list filter of the last fill, so the Select's first Changed (on mount) does not fill twice."""
        self.columns = Columns(24, PROGRESS_WIDTH)
        self._generation = 0
        self._pending: list[dict[str, Any]] = []
        self._colors: dict[str, str] = {}
        self._keep_highlighted: int | None = None
        self._left = False
        self.order = ORDERS[0]
        self.least_confidence: dict[int, float] = {}
        """Per statement, its least confident machine sentence in any language; read for that order only."""
        self.with_errors: set[int] | None = None
        """Statements with an error finding, from the last check (None until a check has run)."""
        self.checking = False
        """Whether the checks for the "Has errors" filter are running."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield Select(list_filters(self.app.workspace.target_locales), value=EVERY, allow_blank=False, id="list-filter",
                         tooltip="ctrl+f: which statements to list")
            yield Input(placeholder="Filter by title, date or number…", id="filter")
            yield Static(id="filter-count")
        yield StatementTable(id="statements", cursor_type="row", zebra_stripes=True)
        yield Static(id="statements-summary")
        yield from job_strips()
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Statements"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        self.watch(self.query_one("#list-filter", Select), "expanded", self._filter_menu_toggled, init=False)
        self.reload()

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Progress changes in the editor; refresh the figures when coming back.

        The filter text is kept but selected, so the next key typed replaces it
        instead of being added to a filter typed before the volunteer left.
        """
        if self._left:
            self.reload()
            self.query_one("#filter", Input).select_all()

    def reload(self) -> None:
        """Read the summaries again and redraw the table, keeping the highlighted statement."""
        self.rows = self.app.workspace.statement_summaries()
        if self.order == "confidence":
            self.least_confidence = self.app.store.least_confidence(self.app.workspace.target_locales)
        if self.list_filter == ERRORS:
            self.find_errors()
        self.refill()

    @property
    def list_filter(self) -> str:
        """The list filter picked with ctrl+f (:func:`list_filters`)."""
        return str(self.query_one("#list-filter", Select).value)

    def refill(self, keep_highlighted: bool = True) -> None:
        """Rebuild the table for the filter: the first rows at once, any rest in chunks after a repaint.

        DataTable measures every cell it is given, so tens of thousands of rows
        at once would keep the first screen from showing; chunks keep it usable.
        """
        table = self.query_one(StatementTable)
        if keep_highlighted and self._keep_highlighted is None:
            self._keep_highlighted = self.highlighted_id()
        elif not keep_highlighted:
            self._keep_highlighted = None
        words = self.query_one("#filter", Input).value.lower().split()
        kind = self._filled_filter = self.list_filter
        self.shown = [row for row in self.rows if matches_filter(row, words) and passes_list_filter(row, kind, self.with_errors)]
        if self.order == "flagged":
            self.shown.sort(key=lambda row: -row["flagged"])
        elif self.order == "confidence":
            self.shown.sort(key=lambda row: self.least_confidence.get(row["id"], 2.0))
        locales = self.app.workspace.target_locales
        table.clear(columns=True)
        self._filled_width = self.app.size.width
        id_width = max((len(str(row["id"])) for row in self.rows), default=1)
        self.columns = fit_columns(self._filled_width, id_width, len(locales))
        table.add_column("#", key="id", width=id_width)
        table.add_column("Title", key="title", width=self.columns.title)
        table.add_column("Date", key="date", width=DATE_WIDTH)
        table.add_column("¶", key="segments", width=PARAGRAPHS_WIDTH)
        table.add_column("✂", key="cut", width=1)
        for locale in locales:
            table.add_column(locale, key=f"lang-{locale}", width=self.columns.language)
        self._colors = status_colors(self.app.theme_variables)
        self._colors["accent"] = resolved_color(self.app.theme_variables, "text-accent")
        self._colors.update({step.name: resolved_color(self.app.theme_variables, step.colour) for step in STEPS})
        self._generation += 1
        self._pending = list(self.shown)
        self._add_rows(self._generation, FIRST_ROWS)
        self._show_count()

    def _add_rows(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return  # the filter changed meanwhile: a newer fill owns the table
        table = self.query_one(StatementTable)
        batch, self._pending = self._pending[:count], self._pending[count:]
        locales = self.app.workspace.target_locales
        colors = self._colors
        for row in batch:
            cells: list[Any] = [
                Text(str(row["id"]), style=colors["untranslated"], justify="right"),
                self._title(row),
                Text(row["date"] or "—", style=colors["untranslated"] if not row["date"] else ""),
                Text(str(row["segments"]), justify="right"),
                Text("✂" if row["truncated"] else "", style=colors["accent"]),
            ]
            cells += [progress_text(row["progress"][locale], colors, self.columns.bar) for locale in locales]
            table.add_row(*cells, key=str(row["id"]))
            if row["id"] == self._keep_highlighted:
                table.move_cursor(row=table.row_count - 1, animate=False)
                self._keep_highlighted = None
        if self._pending:
            self.call_after_refresh(self._add_rows, generation, CHUNK_ROWS)
        else:
            self._keep_highlighted = None

    def _title(self, row: dict[str, Any]) -> Text:
        """The title; sorted by confidence, led by the glyph and figure of its least confident sentence."""
        least = self.least_confidence.get(row["id"]) if self.order == "confidence" else None
        if least is None:
            return literal_text(one_line(row["title"], self.columns.title))
        step = step_for(least)
        mark = Text(f"{step.glyph} {least:>4.0%} ", style=self._colors[step.name])
        return mark + literal_text(one_line(row["title"], self.columns.title - len(mark)))

    @property
    def loading(self) -> bool:
        """Whether rows of the current fill are still being added."""
        return bool(self._pending)

    def _show_count(self) -> None:
        """How many statements the filters keep, and under the table the share done per language with the bars' legend."""
        count = self.query_one("#filter-count", Static)
        checking = self.list_filter == ERRORS and self.with_errors is None
        count.update(Text("checking…" if checking else f"{len(self.shown)} of {len(self.rows)}", no_wrap=True))
        count.tooltip = "Statements the filters keep, of all statements"
        locales = self.app.workspace.target_locales
        total_done = [done_percent(self._totals(locale)) for locale in locales]
        done = Content("  ").join(Content.assemble(Content(locale).stylize("bold"), f" {percent}%")
                                  for locale, percent in zip(locales, total_done, strict=True))
        summary = self.query_one("#statements-summary", Static)
        if self.columns.bar == 0:  # two lines at 80 columns: the one-character bar, then its colours
            legend = Content.assemble(level_legend(), ":\n", progress_legend())
        else:
            legend = progress_legend()
        summary.update(Content.assemble("Done  ", done, "   ", legend))
        summary.tooltip = "Share of paragraphs translated or approved in the statements listed, per language: " + ", ".join(
            f"{language(locale).name} {percent}%" for locale, percent in zip(locales, total_done, strict=True)
        )

    def _totals(self, locale: str) -> dict[str, int]:
        totals: dict[str, int] = {}
        for row in self.shown:
            for status, count in row["progress"][locale].items():
                totals[status] = totals.get(status, 0) + count
        return totals

    def on_resize(self) -> None:
        """The title column takes the width the progress columns leave."""
        if self.app.size.width != self._filled_width:
            self.refill()

    def highlighted_id(self) -> int | None:
        """The statement under the cursor, if any (also what "draft this statement" means here)."""
        table = self.query_one(StatementTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.refill(keep_highlighted=False)

    @on(Select.Changed, "#list-filter")
    def list_filter_changed(self) -> None:
        """A list filter picked: "Has errors" asks the checks (in a worker); typing goes on in the text filter.

        The Select also posts Changed once mounted, for the filter the list was just filled with: nothing to redo.
        """
        if self.list_filter == self._filled_filter:
            return
        if self.list_filter == ERRORS:
            self.find_errors()
        self.refill(keep_highlighted=False)

    def _filter_menu_toggled(self, expanded: bool) -> None:
        """The drop-down closed (picked or not): typing and the arrow keys go back to the text filter and the table."""
        if not expanded:
            self.call_after_refresh(self.query_one("#filter", Input).focus)

    def action_pick_filter(self) -> None:
        """Open the list filter's drop-down (arrows and Enter pick, Escape keeps the filter)."""
        select = self.query_one("#list-filter", Select)
        select.focus()
        select.expanded = True

    def find_errors(self) -> None:
        """Start the checks for "Has errors"; the list says "checking…" until they report."""
        self.checking = True
        if self.with_errors is None:
            self.query_one("#filter-count", Static).update("checking…")
        self.check_for_errors()

    @work(thread=True, exclusive=True, group="statement-errors")
    def check_for_errors(self) -> None:
        """Run the checks on a connection of this thread, after the queued saves; the UI thread gets the statement ids.

        Through the findings cache, as the review screen: only translations changed since the last check are checked again.
        """
        worker: Worker[None] = get_current_worker()
        app = self.app
        with app.worker_workspace() as workspace:
            if worker.is_cancelled:
                return
            store = workspace.store
            findings = check_workspace(store, list(workspace.target_locales))
            statement_of = {segment["id"]: segment["statement_id"] for segment in store.segments()}
        ids = {statement_of[f.segment_id] for f in findings if f.severity == ERROR_SEVERITY and f.segment_id in statement_of}
        app.call_from_thread(self._errors_found, worker, ids)

    def _errors_found(self, worker: Worker[None], ids: set[int]) -> None:
        """On the UI thread: a newer check (or a closed screen) makes this result stale."""
        if worker.is_cancelled:
            return
        self.checking = False
        self.with_errors = ids
        if self.list_filter == ERRORS:
            self.refill()

    @on(Input.Submitted, "#filter")
    def open_highlighted(self) -> None:
        statement_id = self.highlighted_id()
        if statement_id is None:
            self.notify("No statement matches the filter.", severity="warning", markup=False)
            return
        self.app.open_statement(statement_id)

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.open_statement(int(event.row_key.value))

    def action_move(self, rows: int) -> None:
        table = self.query_one(StatementTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + rows)), animate=False)

    def action_next_order(self) -> None:
        """The next order of :data:`ORDERS`, said in a notification."""
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        if self.order == "confidence":
            self.reload()
        else:
            self.refill(keep_highlighted=False)
        if self.order == "flagged":
            flagged = sum(row["flagged"] for row in self.rows)
            said = f"most flagged drafts first ({flagged} in all; type {FLAGGED_WORD} to see only those statements)"
        elif self.order == "confidence":
            scored = len(self.least_confidence)
            said = (f"least confident machine drafts first ({scored} statement{'s have' if scored != 1 else ' has'} scored drafts; "
                    "the figure is the riskiest sentence)")
        else:
            said = "in import order"
        self.notify(f"Statements: {said}.", timeout=4, markup=False)

    def action_clear_filter(self) -> None:
        """Empty the text filter and show every statement again (the list filter too)."""
        self.query_one("#list-filter", Select).value = EVERY
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter", Input).focus()
