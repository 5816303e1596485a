"""What a sync brought: the statements and terms that came in, and the conflicts to settle, each one Enter away.

A volunteer who syncs wants to know two things: what teammates changed, and
whether anything needs them. The report lists the conflicts first (each
opens the conflict dialog, both texts side by side), then the statements
that received paragraphs (each opens the editor at the first of them) and
the glossary terms that changed (each opens the glossary at the term). What
was sent and the notes are one line each above the list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.store import Store
from workbench.sync import SyncConflict, SyncReport
from workbench.tui.screens.base import WorkbenchModalScreen
from workbench.tui.text import literal, one_line


@dataclass(frozen=True)
class SyncItem:
    """One line of the report that Enter opens: a conflict, a statement that received paragraphs, or a changed term."""

    kind: Literal["conflict", "statement", "term"]
    statement_id: int | None = None
    segment_id: str | None = None
    """For a statement: the first paragraph received, in :attr:`locale`, where the editor opens."""
    locale: str | None = None
    term: str | None = None
    conflict: SyncConflict | None = None


ReportLine = tuple[Content, Content, SyncItem]
"""A line of the report: its mark (what kind of line, or how a conflict was settled), its text, and what Enter opens."""
CONFLICT_MARK = Content("⚠ ").stylize("bold $text-warning")
RECEIVED_MARK = Content("⇣ ").stylize("$text-success")


def report_items(report: SyncReport, store: Store) -> list[ReportLine]:
    """The report's lines with what each opens: conflicts first, then statements, then terms."""
    titles = {statement["id"]: statement["title"] for statement in store.statements()}
    items: list[ReportLine] = []
    for conflict in report.conflicts:
        items.append((CONFLICT_MARK, _conflict_label(conflict, store, titles), SyncItem("conflict", conflict=conflict, term=conflict.term)))
    languages: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for (statement_id, locale), count in sorted(report.received.by_statement.items()):
        languages[statement_id][locale] = count
    for statement_id, counts in languages.items():
        if statement_id not in titles:
            continue
        paragraphs = sum(counts.values())
        label = Content.assemble(
            literal(one_line(titles[statement_id], 50), "bold"),
            Content(f"  {paragraphs} paragraph{'s' if paragraphs != 1 else ''}: "
                    + ", ".join(f"{locale} {count}" for locale, count in counts.items())).stylize("$text-muted"),
        )
        locale = next(iter(counts))
        first = report.received.first_paragraph.get((statement_id, locale))
        items.append((RECEIVED_MARK, label, SyncItem("statement", statement_id=statement_id, segment_id=first, locale=locale)))
    for term in dict.fromkeys(report.received.terms):
        label = Content.assemble(Content("glossary: ").stylize("$text-muted"), literal(one_line(term, 60), "bold"))
        items.append((RECEIVED_MARK, label, SyncItem("term", term=term)))
    return items


def _conflict_label(conflict: SyncConflict, store: Store, titles: dict[int, str]) -> Content:
    if conflict.term is not None:
        return Content.assemble(Content("glossary term ").stylize("$text-muted"), literal(one_line(conflict.term, 50), "bold"),
                                Content(": both sides are in its notes").stylize("$text-muted"))
    segment: dict[str, Any] = store.segment(conflict.segment_id or "")
    where = f"#{segment['statement_id']} ¶{segment['position'] + 1} ({conflict.locale}) "
    return Content.assemble(
        Content(where).stylize("bold"), literal(one_line(titles.get(segment["statement_id"], ""), 30), "italic $text-muted"), "\n",
        Content("    yours  ").stylize("$text-muted"), literal(one_line(conflict.yours, 70)), "\n",
        Content("    theirs ").stylize("$text-muted"), literal(one_line(conflict.theirs, 70)),
    )


class SyncReportScreen(WorkbenchModalScreen[SyncItem | None]):
    """Dismissed with the item Enter picked, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", tooltip="Close the report (f10 syncs again)"),
    ]

    def __init__(self, report: SyncReport, remote: str, items: list[ReportLine]) -> None:
        super().__init__()
        self.report = report
        self.remote = remote
        self.items = items

    def compose(self) -> ComposeResult:
        report = self.report
        with Vertical(id="sync-dialog", classes="dialog"):
            yield Static(self.heading(), classes="dialog-title")
            yield Static(Content.assemble(Content("Sent      ").stylize("$text-muted"), report.sent_summary()))
            yield Static(Content.assemble(Content("Received  ").stylize("$text-muted"), report.received_summary()))
            for note in report.received.notes:
                yield Static(literal(f"note: {note}", "$text-warning"), classes="sync-note")
            if self.items:
                yield Static(Content("Enter opens a line: a conflict to settle, a statement, a term.").stylize("$text-muted"),
                             classes="sync-hint")
                yield OptionList(*(Option(mark + label) for mark, label, _ in self.items), id="sync-items")

    def heading(self) -> Content:
        """``Synced with origin``, and how many conflicts are left to settle."""
        heading = Content(f"Synced with {self.remote}").stylize("bold")
        left = sum(1 for mark, _, item in self.items if item.kind == "conflict" and mark is CONFLICT_MARK)
        if not left:
            return heading
        return Content.assemble(heading, Content(f"  {left} conflict{'s' if left != 1 else ''} to settle").stylize("bold $text-warning"))

    @on(OptionList.OptionSelected, "#sync-items")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """A translation's conflict is settled over the report, which stays to settle the next; the rest leave it."""
        index = event.option_index
        item = self.items[index][2]
        if item.kind == "conflict" and item.conflict is not None and item.conflict.term is None:
            self.app.settle_sync_conflict(item.conflict, lambda how: self.mark_settled(index, how))
            return
        self.dismiss(item)

    def mark_settled(self, index: int, how: str) -> None:
        """Say on the conflict's line how it was settled, so the list shows what is left."""
        _, label, item = self.items[index]
        self.items[index] = (Content.assemble(Content(f"✓ {how} ").stylize("bold $text-success")), label, item)
        self.query_one("#sync-items", OptionList).replace_option_prompt_at_index(index, self.items[index][0] + label)
        self.query_one(".dialog-title", Static).update(self.heading())
