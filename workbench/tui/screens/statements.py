"""The statements list: title, date, excerpt mark and progress per language.

Typing filters at once (every word must match the title, slug, date or id);
the arrow keys move in the table while the filter keeps the focus, and Enter
opens the highlighted statement. Only the summaries are read here (two SQL
queries), never the segments, so a workspace of a thousand statements opens
at once.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from workbench.languages import language
from workbench.tui.text import literal_text, one_line
from workbench.tui.widgets.progress import DraftProgress, done_percent, progress_text, resolved_color

FIXED_COLUMNS_WIDTH = 10 + 4 + 1 + 5 * 2 + 4
"""Date, paragraphs, excerpt mark, cell padding, scrollbar."""
PROGRESS_WIDTH = 8


def matches_filter(row: dict[str, Any], words: list[str]) -> bool:
    """Every typed word must appear in the title, slug, date or id."""
    haystack = f"{row['id']} {row['title']} {row['slug']} {row['date'] or ''}".lower()
    return all(word in haystack for word in words)


class StatementTable(DataTable[Any]):
    """The statements, one row each, keyed by statement id."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the highlighted statement in the editor"),
    ]


class StatementsScreen(Screen[None]):
    """The first screen: pick a statement to translate."""

    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, tooltip="Highlight the next statement"),
        Binding("up", "move(-1)", "Up", show=False, tooltip="Highlight the previous statement"),
        Binding("pagedown", "move(10)", "Page down", show=False, tooltip="Ten statements down"),
        Binding("pageup", "move(-10)", "Page up", show=False, tooltip="Ten statements up"),
        Binding("escape", "clear_filter", "Clear filter", tooltip="Empty the filter and show every statement"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self._filled_width = 0

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

    def on_screen_resume(self) -> None:
        """Progress changes in the editor; refresh the figures when coming back."""
        if self.rows:
            self.reload()

    def reload(self) -> None:
        """Read the summaries again and redraw the table, keeping the highlighted statement."""
        self.rows = self.app.workspace.statement_summaries()  # type: ignore[attr-defined]
        self.refill()

    def refill(self) -> None:
        table = self.query_one(StatementTable)
        highlighted = self.highlighted_id()
        words = self.query_one("#filter", Input).value.lower().split()
        self.shown = [row for row in self.rows if matches_filter(row, words)]
        locales = self.app.workspace.target_locales  # type: ignore[attr-defined]
        table.clear(columns=True)
        self._filled_width = self.app.size.width
        id_width = max((len(str(row["id"])) for row in self.rows), default=1)
        title_width = max(24, self._filled_width - id_width - FIXED_COLUMNS_WIDTH - len(locales) * (PROGRESS_WIDTH + 7))
        table.add_column("#", key="id", width=id_width)
        table.add_column("Title", key="title", width=title_width)
        table.add_column("Date", key="date", width=10)
        table.add_column("¶", key="segments", width=4)
        table.add_column("✂", key="cut", width=1)
        for locale in locales:
            table.add_column(locale, key=f"lang-{locale}", width=PROGRESS_WIDTH + 5)
        variables = self.app.theme_variables
        muted = resolved_color(variables, "foreground-muted")
        accent = resolved_color(variables, "text-accent")
        for row in self.shown:
            cells: list[Any] = [
                Text(str(row["id"]), style=muted, justify="right"),
                literal_text(one_line(row["title"], title_width)),
                Text(row["date"] or "—", style=muted if not row["date"] else ""),
                Text(str(row["segments"]), justify="right"),
                Text("✂" if row["truncated"] else "", style=accent),
            ]
            cells += [progress_text(row["progress"][locale], variables, PROGRESS_WIDTH) for locale in locales]
            table.add_row(*cells, key=str(row["id"]))
        if highlighted is not None and any(row["id"] == highlighted for row in self.shown):
            table.move_cursor(row=table.get_row_index(str(highlighted)), animate=False)
        self._show_count()

    def _show_count(self) -> None:
        count = self.query_one("#filter-count", Static)
        total_done = [done_percent(self._totals(locale)) for locale in self.app.workspace.target_locales]  # type: ignore[attr-defined]
        locales = self.app.workspace.target_locales  # type: ignore[attr-defined]
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
        self.refill()
        table = self.query_one(StatementTable)
        if table.row_count:
            table.move_cursor(row=0, animate=False)

    @on(Input.Submitted, "#filter")
    def open_highlighted(self) -> None:
        statement_id = self.highlighted_id()
        if statement_id is None:
            self.notify("No statement matches the filter.", severity="warning", markup=False)
            return
        self.app.open_statement(statement_id)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_statement(int(event.row_key.value))  # type: ignore[arg-type, attr-defined]

    def action_move(self, rows: int) -> None:
        table = self.query_one(StatementTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + rows)), animate=False)

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#filter", Input).focus()
