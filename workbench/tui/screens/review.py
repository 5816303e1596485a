"""Review: the consistency findings across the workspace, filtered by language and severity.

The checks run in a thread worker (with their own database connection), so
the screen is usable while a large workspace is checked. They start once the
save queue is written out: coming back from fixing a paragraph, the editor's
save of the fix may still be queued, and checking the database before it lands
would show the fixed finding again. Only the newest check's result is shown
(a re-check or leaving the screen cancels an older one). Enter on a finding
opens its paragraph in the editor, in the finding's language; a glossary
finding opens the glossary.

A finding on a machine draft shows the draft's least confident sentence
(glyph and figure, beside where it is); ``o`` sorts the riskiest drafts first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Select, Static
from textual.worker import Worker, get_current_worker

from workbench.checks import GROUP_GLOSSARY, GROUP_TITLES, GROUP_UNTRANSLATED, GROUPS, SEVERITIES, Finding, check_workspace
from workbench.store import lowest_sentence_confidence
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.text import SEVERITY_LOOKS, literal_text, one_line
from workbench.tui.widgets.editor.heat import step_for
from workbench.tui.widgets.progress import job_strips, resolved_color

ALL = "all"
ATTENTION = "attention"
"""Everything but the untranslated paragraphs, which are progress rather than mistakes."""
MAX_ROWS = 2000
"""More rows than anyone reads; the count says how many more the filters hide."""


@dataclass(frozen=True)
class Place:
    """Where a segment is: its statement and its position in it."""

    statement_id: int
    position: int


@dataclass(frozen=True)
class ReviewState:
    """What the review screen showed when the volunteer left it to fix a paragraph."""

    findings: list[Finding]
    places: dict[str, Place]
    filters: tuple[str, str, str]
    row: int
    confidence: dict[tuple[str, str], float]
    riskiest_first: bool


def keep(finding: Finding, lang: str, severity: str, group: str) -> bool:
    """Whether a finding passes the three filters."""
    if lang != ALL and finding.lang != lang:
        return False
    if severity != ALL and finding.severity != severity:
        return False
    if group == ATTENTION:
        return finding.group != GROUP_UNTRANSLATED
    return group == ALL or finding.group == group


class FindingsTable(DataTable[Any]):
    BINDINGS = [
        Binding("enter", "select_cursor", "Go to", tooltip="Open the paragraph of the highlighted finding"),
    ]


class ReviewScreen(WorkbenchScreen[None]):
    """All findings, newest run first; filters apply at once."""

    BINDINGS = [
        Binding("l", "cycle('lang')", "Language", tooltip="Show the next language (or all)"),
        Binding("s", "cycle('severity')", "Severity", tooltip="Show the next severity (or all)"),
        Binding("g", "cycle('group')", "Group", tooltip="Volunteers' work, machine drafts, untranslated, glossary"),
        Binding("r", "run_checks", "Re-check", tooltip="Run the checks again"),
        Binding("o,ctrl+o", "riskiest_first", "Riskiest first", show=False,
                tooltip="Sort by the least confident sentence of the machine draft each finding is on (again: by severity)"),
        Binding("escape", "back", "Back", tooltip="Go back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []
        self.places: dict[str, Place] = {}
        self.confidence: dict[tuple[str, str], float] = {}
        """(segment id, language) of each machine draft with scored sentences: its least confident sentence's score."""
        self.riskiest_first = False
        self.shown: list[Finding] = []
        self.checking = True
        """Whether a check is under way, so the findings may be out of date (a new screen checks at once)."""
        self._filled: tuple[str, str, str] | None = None
        """The filters the table was last filled for."""

    @property
    def locales(self) -> list[str]:
        return self.app.workspace.target_locales

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-filters"):
            yield Select([("All languages", ALL), *((locale, locale) for locale in self.locales)],
                         value=ALL, allow_blank=False, id="filter-lang")
            yield Select([("All severities", ALL), *((severity, severity) for severity in SEVERITIES)],
                         value=ALL, allow_blank=False, id="filter-severity")
            yield Select([("Needs attention", ATTENTION), *((GROUP_TITLES[group], group) for group in GROUPS), ("Everything", ALL)],
                         value=ATTENTION, allow_blank=False, id="filter-group")
            yield Static(id="review-count")
        yield LoadingIndicator(id="review-loading")
        yield FindingsTable(id="findings-table", cursor_type="row", zebra_stripes=True)
        yield from job_strips()
        yield Footer()

    def on_mount(self) -> None:
        """Show the last run at once (coming back from a fix), then check again in the background."""
        self.title = "Review"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        last = self.app.review_state
        if last is not None:
            for name, value in zip(("lang", "severity", "group"), last.filters, strict=True):
                self.query_one(f"#filter-{name}", Select).value = value
            self.riskiest_first = last.riskiest_first
            self.show_findings(last.findings, last.places, last.confidence)
            self.query_one(FindingsTable).move_cursor(row=last.row, animate=False)
        self.action_run_checks()
        self.query_one(FindingsTable).focus()

    @on(DataTable.RowHighlighted)
    def row_highlighted(self) -> None:
        self._remember()

    def _remember(self) -> None:
        """Keep the findings, filters and cursor for the next visit (the app outlives screens)."""
        self.app.review_state = ReviewState(
            self.findings, self.places, self.filters(), self.query_one(FindingsTable).cursor_row, self.confidence, self.riskiest_first,
        )

    def action_run_checks(self) -> None:
        self.checking = True
        if not self.findings:
            self.query_one("#review-loading").display = True
            self.query_one("#review-count", Static).update("checking…")
        self.check_workspace()

    @work(thread=True, exclusive=True, group="review")
    def check_workspace(self) -> None:
        """Run every check on a connection of this thread, after the queued saves; the UI thread only gets the result."""
        worker: Worker[None] = get_current_worker()
        app = self.app
        with app.worker_workspace() as workspace:
            if worker.is_cancelled:
                return
            store = workspace.store
            findings = check_workspace(store, list(workspace.target_locales))
            places = {segment["id"]: Place(segment["statement_id"], segment["position"]) for segment in store.segments()}
            confidence = {(segment_id, lang): least for segment_id, by_lang in store.translations().items()
                          for lang, row in by_lang.items() if (least := lowest_sentence_confidence(row)) is not None}
        app.call_from_thread(self._checked, worker, findings, places, confidence)

    def _checked(self, worker: Worker[None], findings: list[Finding], places: dict[str, Place],
                 confidence: dict[tuple[str, str], float]) -> None:
        """A check's result, on the UI thread: dropped if a newer check replaced it or the screen closed.

        Cancelling happens on this thread too, so a result is either the newest one or seen as stale here.
        """
        if worker.is_cancelled:
            return
        self.checking = False
        self.show_findings(findings, places, confidence)

    def show_findings(self, findings: list[Finding], places: dict[str, Place], confidence: dict[tuple[str, str], float]) -> None:
        order = {severity: index for index, severity in enumerate(SEVERITIES)}
        self.findings = sorted(findings, key=lambda f: (f.group == GROUP_UNTRANSLATED, order.get(f.severity, 9)))
        self.places = places
        self.confidence = confidence
        self.query_one("#review-loading").display = False
        row = self.query_one(FindingsTable).cursor_row
        self.refill()
        self.query_one(FindingsTable).move_cursor(row=row, animate=False)

    def filters(self) -> tuple[str, str, str]:
        """The language, severity and group picked."""
        lang, severity, group = (str(self.query_one(f"#filter-{name}", Select).value) for name in ("lang", "severity", "group"))
        return lang, severity, group

    def refill(self) -> None:
        lang, severity, group = self._filled = self.filters()
        matching = [finding for finding in self.findings if keep(finding, lang, severity, group)]
        if self.riskiest_first:  # stable: the severity order stays among equally risky findings
            matching.sort(key=lambda finding: self.confidence.get(self._key(finding), 2.0))
        self.shown = matching[:MAX_ROWS]
        table = self.query_one(FindingsTable)
        table.clear(columns=True)
        for label, key in (("", "severity"), ("Lang", "lang"), ("Check", "check"), ("Where", "where"), ("Message", "message")):
            table.add_column(label, key=key)
        variables = self.app.theme_variables
        muted = resolved_color(variables, "foreground-muted")
        width = max(30, self.app.size.width - 40)
        for index, finding in enumerate(self.shown):
            glyph, variable = SEVERITY_LOOKS.get(finding.severity, ("•", "text-muted"))
            place = self.places.get(finding.segment_id or "")
            where = f"#{place.statement_id} ¶{place.position + 1}" if place else "glossary" if finding.group == GROUP_GLOSSARY else "—"
            table.add_row(
                Text(glyph, style=resolved_color(variables, variable)),
                Text(finding.lang or "—", style="bold"),
                Text(finding.check_id, style=muted),
                Text(where, style=muted) + self._risk(finding, variables),
                literal_text(one_line(finding.message, width)),
                key=str(index),
            )
        counts = Counter(finding.severity for finding in matching)
        tally = "  ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        more = f" (first {MAX_ROWS} shown)" if len(matching) > MAX_ROWS else ""
        self.query_one("#review-count", Static).update(Text(f"{len(matching)} findings{more}   {tally}", no_wrap=True))
        self._remember()

    @staticmethod
    def _key(finding: Finding) -> tuple[str, str]:
        return finding.segment_id or "", finding.lang or ""

    def _risk(self, finding: Finding, variables: dict[str, str]) -> Text:
        """" ▁36%": the least confident sentence of the machine draft the finding is on ("" if it has no scores)."""
        least = self.confidence.get(self._key(finding))
        if least is None:
            return Text("")
        step = step_for(least)
        return Text(f" {step.glyph}{least:.0%}", style=resolved_color(variables, step.colour))

    def action_riskiest_first(self) -> None:
        """Toggle between the riskiest machine drafts first and the severity order."""
        self.riskiest_first = not self.riskiest_first
        self.refill()
        order = "findings on the least confident machine drafts first" if self.riskiest_first else "by severity"
        self.notify(f"Review: {order}.", timeout=3, markup=False)

    @on(Select.Changed)
    def filter_changed(self) -> None:
        """A filter picked in its drop-down; keys already refilled (and setting filters on mount needs nothing)."""
        if self.findings and self.filters() != self._filled:
            self.refill()

    def action_cycle(self, name: str) -> None:
        """Show the next value of a filter: the table follows at once, not when ``Select.Changed`` arrives."""
        select: Select[str] = self.query_one(f"#filter-{name}", Select)
        values = [value for _label, value in select._options]  # noqa: SLF001 - Select keeps its options privately
        select.value = values[(values.index(select.value) + 1) % len(values)]
        if self.findings:
            self.refill()

    @on(DataTable.RowSelected)
    def go_to_finding(self, event: DataTable.RowSelected) -> None:
        finding = self.shown[int(event.row_key.value or 0)]
        place = self.places.get(finding.segment_id or "")
        if place is None:
            self.app.action_show_glossary()
            return
        lang = finding.lang if finding.lang in self.locales else None
        self.app.open_statement(place.statement_id, finding.segment_id, lang, back_to_review=True)

    def action_back(self) -> None:
        self.dismiss()
