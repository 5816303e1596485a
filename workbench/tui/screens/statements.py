"""The statements list: title, date, excerpt mark and progress per language.

Typing filters at once (every word must match the title, slug, date or id);
the arrow keys move in the table while the filter keeps the focus, and Enter
opens the highlighted statement. Only the summaries are read here (two SQL
queries), never the segments, so a workspace of a thousand statements opens
at once. ctrl+o turns the order: import order, most flagged drafts first, and
least confident drafts first (the riskiest machine sentence of each statement,
read only for that order), each title then marked with its glyph.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Static

from workbench.languages import language
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.text import literal_text, one_line
from workbench.tui.widgets.editor.heat import STEPS, step_for
from workbench.tui.widgets.progress import DraftProgress, progress_text, resolved_color, status_colors
from workbench.workflow import done_percent

FIXED_COLUMNS_WIDTH = 10 + 4 + 1 + 5 * 2 + 4
"""Date, paragraphs, excerpt mark, cell padding, scrollbar."""
PROGRESS_WIDTH = 8
FIRST_ROWS = 2000
"""Rows added at once. Every fill repaints the visible rows, so one fill is cheapest up to
a few thousand rows; bigger workspaces show these first and append the rest in chunks."""
CHUNK_ROWS = 5000


FLAGGED_WORD = "is:flagged"
"""Typed in the filter, keeps the statements with machine drafts that carry flags."""

ORDERS = ("import", "flagged", "confidence")
"""What ctrl+o goes through: import order, most flagged drafts first, least confident drafts first."""


def matches_filter(row: dict[str, Any], words: list[str]) -> bool:
    """Every typed word must appear in the title, slug, date or id; ``is:flagged`` keeps statements with flagged drafts."""
    haystack = f"{row['id']} {row['title']} {row['slug']} {row['date'] or ''}".lower()
    return all(row["flagged"] > 0 if word == FLAGGED_WORD else word in haystack for word in words)


class StatementTable(DataTable[Any]):
    """The statements, one row each, keyed by statement id."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the highlighted statement in the editor"),
    ]


class StatementsScreen(WorkbenchScreen[None]):
    """The first screen: pick a statement to translate."""

    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, tooltip="Highlight the next statement"),
        Binding("up", "move(-1)", "Up", show=False, tooltip="Highlight the previous statement"),
        Binding("pagedown", "move(10)", "Page down", show=False, tooltip="Ten statements down"),
        Binding("pageup", "move(-10)", "Page up", show=False, tooltip="Ten statements up"),
        Binding("escape", "clear_filter", "Clear filter", tooltip="Empty the filter and show every statement"),
        Binding("ctrl+o", "next_order", "Sort", show=False,
                tooltip="Sort statements: most flagged drafts first, then least confident drafts first, then import order"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self._filled_width = 0
        self._title_width = 24
        self._generation = 0
        self._pending: list[dict[str, Any]] = []
        self._colors: dict[str, str] = {}
        self._keep_highlighted: int | None = None
        self._left = False
        self.order = ORDERS[0]
        self.least_confidence: dict[int, float] = {}
        """Per statement, its least confident machine sentence in any language; read for that order only."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield Input(placeholder="Type to filter statements by title, date or number…", id="filter")
            yield Static(id="filter-count")
        yield StatementTable(id="statements", cursor_type="row", zebra_stripes=True)
        yield DraftProgress()
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Statements"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        self.reload()

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Progress changes in the editor; refresh the figures when coming back."""
        if self._left:
            self.reload()

    def reload(self) -> None:
        """Read the summaries again and redraw the table, keeping the highlighted statement."""
        self.rows = self.app.workspace.statement_summaries()
        if self.order == "confidence":
            self.least_confidence = self.app.store.least_confidence(self.app.workspace.target_locales)
        self.refill()

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
        self.shown = [row for row in self.rows if matches_filter(row, words)]
        if self.order == "flagged":
            self.shown.sort(key=lambda row: -row["flagged"])
        elif self.order == "confidence":
            self.shown.sort(key=lambda row: self.least_confidence.get(row["id"], 2.0))
        locales = self.app.workspace.target_locales
        table.clear(columns=True)
        self._filled_width = self.app.size.width
        id_width = max((len(str(row["id"])) for row in self.rows), default=1)
        self._title_width = max(24, self._filled_width - id_width - FIXED_COLUMNS_WIDTH - len(locales) * (PROGRESS_WIDTH + 7))
        table.add_column("#", key="id", width=id_width)
        table.add_column("Title", key="title", width=self._title_width)
        table.add_column("Date", key="date", width=10)
        table.add_column("¶", key="segments", width=4)
        table.add_column("✂", key="cut", width=1)
        for locale in locales:
            table.add_column(locale, key=f"lang-{locale}", width=PROGRESS_WIDTH + 5)
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
            cells += [progress_text(row["progress"][locale], colors, PROGRESS_WIDTH) for locale in locales]
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
            return literal_text(one_line(row["title"], self._title_width))
        step = step_for(least)
        mark = Text(f"{step.glyph} {least:>4.0%} ", style=self._colors[step.name])
        return mark + literal_text(one_line(row["title"], self._title_width - len(mark)))

    @property
    def loading(self) -> bool:
        """Whether rows of the current fill are still being added."""
        return bool(self._pending)

    def _show_count(self) -> None:
        count = self.query_one("#filter-count", Static)
        total_done = [done_percent(self._totals(locale)) for locale in self.app.workspace.target_locales]
        locales = self.app.workspace.target_locales
        done = "  ".join(f"{locale} {percent}%" for locale, percent in zip(locales, total_done, strict=True))
        count.update(Text(f"{len(self.shown)} of {len(self.rows)} statements   {done}", no_wrap=True))
        count.tooltip = "Share of paragraphs translated or approved, per language: " + ", ".join(
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
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter", Input).focus()
