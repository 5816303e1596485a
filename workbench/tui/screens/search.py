"""Search and replace across statements, in sources and translations, with a preview before anything changes.

The screen is the TUI face of :mod:`workbench.search`, the module
``workbench search`` and ``workbench replace`` use too. Enter in the Find
field searches (in a thread worker, on a connection of its own, after the
queued saves, so the volunteer's last edit is found and the screen never
waits); each match is listed with its context and the match highlighted, and
Enter on one opens its paragraph in the editor, in the match's language.

ctrl+r previews replacing every match in the ticked languages: each
translation's text before and after, and its status after (the workflow's rule
for an edit). Only ctrl+s in the preview writes, each change based on the
version the preview read: a translation a teammate changed meanwhile is
reported as a conflict and left as it is. Sources are never replaced.

The app keeps one search screen (f9 brings it back), so the pattern, options
and results are still there after a trip to the editor; coming back searches
again, since the texts may have changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)
from textual.worker import Worker, get_current_worker

from workbench.search import (
    TARGET,
    Match,
    Query,
    ReplacePlan,
    ReplaceResult,
    Scope,
    SearchError,
    apply_replace,
    find,
    plan_replace,
)
from workbench.tui.screens.base import WorkbenchModalScreen, WorkbenchScreen
from workbench.tui.text import literal, literal_text, one_line, status_badge
from workbench.tui.widgets.progress import job_strips, resolved_color

MAX_ROWS = 2000
"""More matches than anyone reads; the status line says how many more there are."""
MAX_PREVIEW = 300
"""Changes shown in the preview; the summary counts them all, and all are applied."""
EVERY_STATEMENT = "all"
OPTIONS = {"case": "Match case", "word": "Whole word", "regex": "Regex"}


@dataclass(frozen=True)
class Request:
    """A search as the form has it: what to find, where, and what to replace it with."""

    query: Query
    scope: Scope
    replacement: str


class SearchResults(DataTable[Any]):
    """One row per match, keyed by its index in the screen's matches."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the match's paragraph in the editor, in its language"),
    ]


class SearchScreen(WorkbenchScreen[None]):
    """The search form, a status line and the matches."""

    BINDINGS = [
        Binding("ctrl+r", "preview_replace", "Replace…", tooltip="Preview replacing every match in the ticked languages"),
        Binding("alt+c", "toggle('case')", "Match case", show=False, tooltip="Match upper and lower case exactly (again: not)"),
        Binding("alt+w", "toggle('word')", "Whole word", show=False, tooltip="Match whole words only (again: any part)"),
        Binding("alt+r", "toggle('regex')", "Regex", show=False, tooltip="Read the pattern as a regular expression (again: as text)"),
        Binding("slash", "focus_pattern", "Find", show=False, tooltip="Type a new search (from the list of matches)"),
        Binding("escape", "back", "Back", tooltip="Go back; f9 brings this search back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.matches: list[Match] = []
        self.positions: dict[str, int] = {}
        """Each matched segment's position in its statement, for "¶ N"."""
        self.searching = False
        """Whether a search or a replace is under way (its result not yet shown)."""
        self.searched: Request | None = None
        """The search the matches are for."""
        self._statement: tuple[int, str] | None = None
        self._selected = ""
        self._focus_results = False
        self._offered: list[tuple[str, str]] = [("All statements", EVERY_STATEMENT)]

    @property
    def locales(self) -> list[str]:
        return self.app.workspace.target_locales

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-form"):
            with Horizontal(classes="search-row"):
                yield Label("Find", classes="search-label")
                yield Input(placeholder="word or phrase; enter searches", id="search-pattern", compact=True)
            with Horizontal(classes="search-row"):
                yield Label("Replace with", classes="search-label")
                yield Input(placeholder="ctrl+r previews the replacement", id="search-replacement", compact=True)
            with Horizontal(classes="search-row"):
                yield Label("Options", classes="search-label")
                for name, label in OPTIONS.items():
                    yield Checkbox(label, id=f"opt-{name}", compact=True)
                yield Select([("All statements", EVERY_STATEMENT)], value=EVERY_STATEMENT, allow_blank=False,
                             id="search-statement", compact=True)
            with Horizontal(classes="search-row"):
                yield Label("Look in", classes="search-label")
                yield Checkbox("source", True, id="in-source", compact=True)
                for locale in self.locales:
                    yield Checkbox(locale, True, id=f"in-{locale}", compact=True)
        yield Static(id="search-status")
        yield SearchResults(id="search-results", cursor_type="row", zebra_stripes=True)
        yield from job_strips()
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search and replace"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        self.show_status(Content("Type what to find and press enter. alt+c case, alt+w whole word, alt+r regex.")
                         .stylize("$text-muted"))

    def on_resize(self) -> None:
        """The context column takes the width the others leave."""
        if self.matches:
            self.refill()

    # -- opening and coming back ---------------------------------------------------------------

    def open_from(self, statement: tuple[int, str] | None, selected: str) -> None:
        """Remember where f9 was pressed: that statement is offered as a scope, selected text becomes the pattern."""
        self._statement = statement
        self._selected = selected if "\n" not in selected else ""

    def on_screen_resume(self) -> None:
        """Offer the statement f9 was pressed on, take a selection as the pattern, and search again (texts may have changed)."""
        options = [("All statements", EVERY_STATEMENT)]
        if self._statement is not None:
            statement_id, title = self._statement
            options.append((f"#{statement_id} {one_line(title, 40)}", str(statement_id)))
        if options != self._offered:  # setting options resets the value, which would search once more
            self._offered = options
            select: Select[str] = self.query_one("#search-statement", Select)
            chosen = select.value
            select.set_options(options)
            select.value = chosen if any(value == chosen for _label, value in options) else EVERY_STATEMENT
        pattern = self.query_one("#search-pattern", Input)
        if self._selected:
            pattern.value = self._selected
            self._selected = ""
            self.run_search(focus_results=False)
        elif self.searched is not None:
            self.run_search(focus_results=False)
        pattern.focus()
        pattern.select_all()

    # -- the form -----------------------------------------------------------------------------

    def request(self) -> Request:
        """The search the form describes (raises :class:`SearchError` for one that cannot run)."""
        query = Query(self.query_one("#search-pattern", Input).value,
                      regex=self.query_one("#opt-regex", Checkbox).value,
                      whole_word=self.query_one("#opt-word", Checkbox).value,
                      case_sensitive=self.query_one("#opt-case", Checkbox).value)
        query.compiled()
        statement = str(self.query_one("#search-statement", Select).value)
        langs = tuple(locale for locale in self.locales if self.query_one(f"#in-{locale}", Checkbox).value)
        scope = Scope(source=self.query_one("#in-source", Checkbox).value, langs=langs,
                      statement=None if statement == EVERY_STATEMENT else int(statement))
        if not scope.source and not scope.langs:
            raise SearchError("tick where to look: the source or a language")
        return Request(query, scope, self.query_one("#search-replacement", Input).value)

    def show_status(self, message: Content) -> None:
        self.query_one("#search-status", Static).update(message)

    @on(Input.Submitted, "#search-pattern")
    def pattern_submitted(self) -> None:
        self.run_search(focus_results=True)

    @on(Input.Submitted, "#search-replacement")
    def replacement_submitted(self) -> None:
        self.action_preview_replace()

    @on(Checkbox.Changed)
    @on(Select.Changed, "#search-statement")
    def option_changed(self) -> None:
        """A changed option or scope searches again at once, once there has been a search."""
        if self.searched is not None:
            self.run_search(focus_results=False)

    def action_toggle(self, name: str) -> None:
        checkbox = self.query_one(f"#opt-{name}", Checkbox)
        checkbox.value = not checkbox.value

    def action_focus_pattern(self) -> None:
        self.query_one("#search-pattern", Input).focus()

    def action_back(self) -> None:
        self.dismiss()

    # -- searching --------------------------------------------------------------------------------

    def run_search(self, *, focus_results: bool) -> None:
        """Search in a worker; a search that cannot run (an empty or broken pattern) is said in the status line."""
        try:
            request = self.request()
        except SearchError as error:
            self.show_status(literal(str(error), "$text-error"))
            return
        self.searching = True
        self._focus_results = focus_results
        self.show_status(Content("searching…").stylize("$text-muted"))
        self.search_in_worker(request)

    @work(thread=True, exclusive=True, group="search")
    def search_in_worker(self, request: Request) -> None:
        """Find on a connection of this thread, after the queued saves; the UI thread only gets the matches."""
        worker: Worker[None] = get_current_worker()
        app = self.app
        with app.worker_workspace() as workspace:
            if worker.is_cancelled:
                return
            store = workspace.store
            matches = find(store, request.query, request.scope)
            wanted = {match.segment_id for match in matches}
            positions = {segment["id"]: segment["position"] for segment in store.segments() if segment["id"] in wanted}
        app.call_from_thread(self._found, worker, request, matches, positions)

    def _found(self, worker: Worker[None], request: Request, matches: list[Match], positions: dict[str, int]) -> None:
        """On the UI thread: a newer search (or a closed screen) makes this result stale."""
        if worker.is_cancelled:
            return
        self.searching = False
        self.searched = request
        self.matches = matches
        self.positions = positions
        self.refill()
        table = self.query_one(SearchResults)
        if self._focus_results and table.row_count:
            table.focus()

    def refill(self) -> None:
        """The matches, each with its place, language and context (the match highlighted)."""
        table = self.query_one(SearchResults)
        row = table.cursor_row
        table.clear(columns=True)
        variables = self.app.theme_variables
        muted = resolved_color(variables, "foreground-muted")
        highlight = f"bold reverse {resolved_color(variables, 'text-warning')}"
        shown = self.matches[:MAX_ROWS]
        places = [f"#{match.statement_id} ¶{self.positions.get(match.segment_id, 0) + 1}" for match in shown]
        where_width = max((len(place) for place in places), default=5)
        langs = [Text(match.lang, style="bold") if match.field == TARGET else Text(f"{match.lang} src", style=f"italic {muted}")
                 for match in shown]
        lang_width = max((len(lang) for lang in langs), default=2)
        width = max(20, self.app.size.width - where_width - lang_width - 3 * 2 - 1)
        table.add_column("Where", key="where", width=where_width)
        table.add_column("In", key="lang", width=lang_width)
        table.add_column("Context", key="context", width=width)
        for index, (match, place, lang) in enumerate(zip(shown, places, langs, strict=True)):
            table.add_row(Text(place, style=muted), lang, context_text(match, width, muted, highlight), key=str(index))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        self.show_status(self._summary())

    def _summary(self) -> Content:
        if not self.matches:
            return Content("No match.").stylize("$text-warning")
        paragraphs = len({match.segment_id for match in self.matches})
        statements = len({match.statement_id for match in self.matches})
        more = f" (first {MAX_ROWS} shown)" if len(self.matches) > MAX_ROWS else ""
        return Content.assemble(
            Content(f"{len(self.matches)} match{'es' if len(self.matches) != 1 else ''}").stylize("bold"),
            f" in {paragraphs} paragraph{'s' if paragraphs != 1 else ''} of {statements} statement{'s' if statements != 1 else ''}{more}",
            Content("   enter opens · ctrl+r replace…").stylize("$text-muted"),
        )

    @on(DataTable.RowSelected, "#search-results")
    def open_match(self, event: DataTable.RowSelected) -> None:
        """Open the paragraph in the editor, in the match's language (a source match keeps the editor's language)."""
        match = self.matches[int(event.row_key.value or 0)]
        lang = match.lang if match.field == TARGET and match.lang in self.locales else None
        self.app.open_statement(match.statement_id, match.segment_id, lang)

    # -- replacing ---------------------------------------------------------------------------------

    def action_preview_replace(self) -> None:
        """Plan the replacement in a worker, then show the preview; nothing is written before ctrl+s there."""
        try:
            request = self.request()
        except SearchError as error:
            self.show_status(literal(str(error), "$text-error"))
            return
        if not request.scope.langs:
            self.show_status(Content("Tick the languages to replace in: sources are never replaced.").stylize("$text-error"))
            return
        self.searching = True
        self.show_status(Content("preparing the preview…").stylize("$text-muted"))
        self.plan_in_worker(request)

    @work(thread=True, exclusive=True, group="search")
    def plan_in_worker(self, request: Request) -> None:
        worker: Worker[None] = get_current_worker()
        app = self.app
        scope = Scope(source=False, langs=request.scope.langs, statement=request.scope.statement)
        try:
            with app.worker_workspace() as workspace:
                if worker.is_cancelled:
                    return
                store = workspace.store
                plan = plan_replace(store, request.query, request.replacement, scope)
                positions = {segment["id"]: segment["position"] for segment in store.segments()
                             if segment["id"] in {change.segment_id for change in plan.changes}}
        except SearchError as error:
            app.call_from_thread(self._plan_failed, worker, str(error))
            return
        app.call_from_thread(self._planned, worker, request, plan, positions)

    def _plan_failed(self, worker: Worker[None], message: str) -> None:
        if not worker.is_cancelled:
            self.searching = False
            self.show_status(literal(message, "$text-error"))

    def _planned(self, worker: Worker[None], request: Request, plan: ReplacePlan, positions: dict[str, int]) -> None:
        if worker.is_cancelled:
            return
        self.searching = False
        if not plan.changes:
            self.show_status(Content("Nothing to replace: no ticked language has a match that would change.").stylize("$text-warning"))
            return
        self.show_status(self._summary() if self.matches else Content(""))
        self.app.push_screen(ReplacePreview(request, plan, positions), self._confirmed)

    def _confirmed(self, plan: ReplacePlan | None) -> None:
        if plan is not None:
            self.searching = True
            self.show_status(Content("replacing…").stylize("$text-muted"))
            self.apply_in_worker(plan)

    @work(thread=True, exclusive=True, group="replace")
    def apply_in_worker(self, plan: ReplacePlan) -> None:
        """Write the previewed changes on a connection of this thread, after the queued saves."""
        app = self.app
        with app.worker_workspace() as workspace:
            result = apply_replace(workspace.store, plan, author=app.author)
        app.call_from_thread(self._replaced, result)

    def _replaced(self, result: ReplaceResult) -> None:
        """Say what was replaced and what was not (changed since the preview), then show the texts as they are now."""
        pieces = sum(len(change.old_spans) for change in result.changed)
        said = f"Replaced {pieces} match{'es' if pieces != 1 else ''} in {len(result.changed)} translation{'s' if len(result.changed) != 1 else ''}."
        if result.conflicts:
            conflicts = "\n".join(str(conflict) for conflict in result.conflicts[:5])
            more = f"\n…and {len(result.conflicts) - 5} more" if len(result.conflicts) > 5 else ""
            self.notify(f"{said}\n{len(result.conflicts)} not replaced:\n{conflicts}{more}", title="Replace: conflicts",
                        severity="warning", timeout=20, markup=False)
        else:
            self.notify(said, title="Replaced", timeout=6, markup=False)
        self.app.show_new_work()
        self.run_search(focus_results=False)


def context_text(match: Match, width: int, muted: str, highlight: str) -> Text:
    """``…before [match] after…`` on one line, the match highlighted, cut to ``width`` cells.

    The context is cut at its far ends, so the words next to the match stay;
    its spaces are kept as they are (they separate the match from its neighbours).
    """
    matched = one_line(match.text, width)
    room = max(0, width - len(matched))
    before, after = match.before, match.after
    before_room = min(len(before), max(room // 2, room - len(after)))
    if len(before) > before_room:
        before = "…" + before[len(before) - before_room + 1:] if before_room else ""
    after_room = room - len(before)
    if len(after) > after_room:
        after = after[:after_room - 1] + "…" if after_room else ""
    text = literal_text(before, muted)
    text.append_text(literal_text(matched, highlight))
    text.append_text(literal_text(after, muted))
    return text


def marked(text: str, spans: Sequence[tuple[int, int]], style: str) -> Content:
    """``text`` with the pieces at ``spans`` styled: the replaced pieces in the old text, their replacements in the new."""
    parts: list[Content] = []
    copied = 0
    for start, end in spans:
        parts += [literal(text[copied:start]), literal(text[start:end], style)]
        copied = end
    parts.append(literal(text[copied:]))
    return Content.assemble(*parts)


class ReplacePreview(WorkbenchModalScreen[ReplacePlan | None]):
    """Every change before and after; ctrl+s applies them all, Escape changes nothing."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Replace all", tooltip="Write every change shown (a translation changed meanwhile is left as it is)"),
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close the preview; nothing is replaced"),
    ]

    def __init__(self, request: Request, plan: ReplacePlan, positions: dict[str, int]) -> None:
        super().__init__()
        self.request = request
        self.plan = plan
        self.positions = positions

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="replace-dialog", classes="dialog"):
            yield Static(Content.assemble(Content("Replace ").stylize("bold"), literal(f"“{self.request.query.text}”", "bold"),
                                          Content(" with ").stylize("bold"), literal(f"“{self.request.replacement}”", "bold")),
                         classes="dialog-title")
            translations = len(plan.changes)
            yield Static(Content.assemble(
                Content(f"{plan.replacements} replacement{'s' if plan.replacements != 1 else ''} in "
                        f"{translations} translation{'s' if translations != 1 else ''}").stylize("bold"),
                Content(". Each is an edit in the history; sources are never replaced.").stylize("$text-muted"),
            ), id="replace-summary")
            with VerticalScroll(id="replace-changes"):
                yield Static(self._changes(), id="replace-list")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replace all  ctrl+s", id="replace-apply", variant="warning")
                yield Button("Cancel  esc", id="replace-cancel")
        yield Footer()

    def _changes(self) -> Content:
        """Per translation: where, its status before → after, and the old (−) and new (+) texts with the pieces marked."""
        lines: list[Content] = []
        for change in self.plan.changes[:MAX_PREVIEW]:
            where = f"#{change.statement_id} ¶{self.positions.get(change.segment_id, 0) + 1}"
            status = status_badge(change.status)
            if change.new_status != change.status:
                status = Content.assemble(status, " → ", status_badge(change.new_status))
            lines += [
                Content.assemble(Content(where).stylize("bold"), "  ", Content(change.lang).stylize("bold $text-accent"), "  ", status),
                Content.assemble(Content("  − ").stylize("$text-error"), marked(change.old, change.old_spans, "strike $text-error")),
                Content.assemble(Content("  + ").stylize("$text-success"), marked(change.new, change.new_spans, "bold $text-success")),
                Content(""),
            ]
        hidden = len(self.plan.changes) - MAX_PREVIEW
        if hidden > 0:
            lines.append(Content(f"…and {hidden} more translation{'s' if hidden != 1 else ''}, replaced too.").stylize("$text-muted"))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        """The list takes the focus, so the arrow keys read it and a stray Enter replaces nothing."""
        self.query_one("#replace-changes", VerticalScroll).focus()

    def action_apply(self) -> None:
        self.dismiss(self.plan)

    @on(Button.Pressed, "#replace-apply")
    def apply_pressed(self) -> None:
        self.dismiss(self.plan)

    @on(Button.Pressed, "#replace-cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
