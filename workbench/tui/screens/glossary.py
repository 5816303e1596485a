"""The glossary: search, add, edit and delete terms, with their renderings per language.

Built on the glossary module's CRUD functions; the editor picks up every change
at once because ``Glossary.from_store`` rebuilds its matcher when the glossary
revision moves. The term form saves only the fields it changed, onto the term
as it is by then, so a teammate's edit of other fields meanwhile is kept; one
of the same fields is shown as a conflict (:class:`TermConflictScreen`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Footer, Header, Input, Label, Select, Static

from workbench.glossary import (
    TREATMENTS,
    GlossaryError,
    Rendering,
    Term,
    TermConflictError,
    add_term,
    list_terms,
    rebased_edit,
    remove_term,
    save_edited_term,
)
from workbench.languages import language
from workbench.lifecycle import save_glossary_file
from workbench.tui.screens.base import WorkbenchModalScreen, WorkbenchScreen
from workbench.tui.screens.conflict import TermConflictScreen, field_text
from workbench.tui.text import literal, literal_text, one_line
from workbench.tui.widgets.progress import job_strips, resolved_color

LIST_SEPARATOR = "; "
TERM_WIDTH = 30


def joined(values: list[str]) -> str:
    return LIST_SEPARATOR.join(values)


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def field(label: str, widget: Widget) -> Vertical:
    """A row of the form: the label and the field, and under them the place for the field's error (hidden until there is one)."""
    return Vertical(
        Horizontal(Label(label), widget, classes="form-row"),
        Static(classes="field-error", id=f"e-{(widget.id or '').removeprefix('f-')}"),
        classes="form-field",
    )


def checkbox_row(checkbox: Checkbox) -> Vertical:
    """A checkbox, in the fields' column."""
    return Vertical(Horizontal(Label(""), checkbox, classes="form-row"), classes="form-field")


def error_field(message: str, locales: list[str]) -> str | None:
    """The field a glossary error is about, as its id without ``f-`` (``term``, ``es-preferred``); None for the whole form.

    The glossary module words its errors for the command line, naming the
    term and the language; this reads the field back from those words.
    """
    for locale in locales:
        if f"({locale}): pattern" in message:
            return f"{locale}-patterns"
        if f"({locale}):" in message:
            return f"{locale}-preferred"
    if "cannot be empty" in message or "already exists" in message:
        return "term"
    if "treatment" in message:
        return "treatment"
    return None


def term_matches(term: Term, words: list[str]) -> bool:
    """Every search word must appear in the term, its forms, renderings or notes."""
    parts = [term.term, *term.english_forms, term.kind, term.treatment, term.notes]
    for rendering in term.renderings.values():
        parts += [rendering.preferred, *rendering.variants, *rendering.forbidden]
    haystack = " ".join(parts).lower()
    return all(word in haystack for word in words)


class TermForm(WorkbenchModalScreen[bool]):
    """Add or edit one term; dismissed with True when something was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save term", tooltip="Save the term and close the form"),
        Binding("escape", "cancel", "Cancel", tooltip="Close the form without saving"),
    ]

    def __init__(self, term: Term | None, locales: list[str]) -> None:
        super().__init__()
        self.term = term
        self.locales = locales

    def compose(self) -> ComposeResult:
        term = self.term
        with Vertical(id="term-form", classes="dialog"):
            title = "New glossary term" if term is None else "Edit glossary term"
            yield Static(Content(title).stylize("bold"), classes="dialog-title")
            yield Static(id="form-error")
            with VerticalScroll(id="term-fields"):
                with Vertical(classes="form-grid"):
                    yield field("English term", Input(term.term if term else "", id="f-term",
                                                           placeholder="e.g. migrant worker", compact=True))
                    yield field("Other English forms", Input(joined(term.english_forms) if term else "", id="f-forms",
                                                                  placeholder="separated by ;", compact=True))
                    yield field("Kind", Input(term.kind if term else "concept", id="f-kind",
                                                   placeholder="concept, organisation, event…", compact=True))
                    yield field("Treatment", Select([(name, name) for name in TREATMENTS],
                                                         value=term.treatment if term else "translate",
                                                         allow_blank=False, id="f-treatment", compact=True))
                    yield field("Notes", Input(term.notes if term else "", id="f-notes", compact=True))
                    yield checkbox_row(Checkbox("Case-sensitive", term.case_sensitive if term else False, id="f-case", compact=True))
                for locale in self.locales:
                    rendering = term.rendering_for(locale) if term else None
                    yield Static(Content.assemble(Content(locale).stylize("bold"), "  ",
                                                  Content(language(locale).name).stylize("$text-muted")), classes="form-section")
                    with Vertical(classes="form-grid"):
                        yield field("Preferred", Input(rendering.preferred if rendering else "", id=f"f-{locale}-preferred",
                                                            compact=True))
                        yield field("Also accepted", Input(joined(rendering.variants) if rendering else "",
                                                                id=f"f-{locale}-variants", placeholder="separated by ;", compact=True))
                        yield field("Forbidden", Input(joined(rendering.forbidden) if rendering else "",
                                                            id=f"f-{locale}-forbidden", placeholder="separated by ;", compact=True))
                        yield field("Inflected forms", Input(joined(rendering.patterns) if rendering else "",
                                                                  id=f"f-{locale}-patterns",
                                                                  placeholder="trabajador* migrante*  (* = any ending)", compact=True))
                        yield checkbox_row(Checkbox("Verified", rendering.verified if rendering else True,
                                                    id=f"f-{locale}-verified", compact=True))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary")
                yield Button("Cancel  esc", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        """The first field takes the focus, so the first keys typed are the term, not lost."""
        self.query_one("#f-term", Input).focus()

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def renderings(self) -> dict[str, Rendering | None]:
        """Renderings from the form; a language left empty is removed from the term."""
        result: dict[str, Rendering | None] = {}
        for locale in self.locales:
            preferred = self.value(f"f-{locale}-preferred")
            variants, forbidden, patterns = (split(self.value(f"f-{locale}-{name}")) for name in ("variants", "forbidden", "patterns"))
            if not (preferred or variants or forbidden or patterns):
                result[locale] = None
                continue
            result[locale] = Rendering(preferred, variants, forbidden, patterns,
                                       self.query_one(f"#f-{locale}-verified", Checkbox).value)
        return result

    def edited(self) -> Term:
        """The term as the form has it now; a language left empty has no rendering."""
        assert self.term is not None
        return Term(
            id=self.term.id, term=self.value("f-term"), english_forms=split(self.value("f-forms")),
            kind=self.value("f-kind") or "concept", treatment=str(self.query_one("#f-treatment", Select).value),
            notes=self.value("f-notes"), case_sensitive=self.query_one("#f-case", Checkbox).value,
            renderings={locale: r for locale, r in self.renderings().items() if r is not None},
        )

    def fill(self, term: Term) -> None:
        """Show ``term`` in the form's fields."""
        self.query_one("#f-term", Input).value = term.term
        self.query_one("#f-forms", Input).value = joined(term.english_forms)
        self.query_one("#f-kind", Input).value = term.kind
        self.query_one("#f-treatment", Select).value = term.treatment
        self.query_one("#f-notes", Input).value = term.notes
        self.query_one("#f-case", Checkbox).value = term.case_sensitive
        for locale in self.locales:
            rendering = term.renderings.get(locale) or Rendering("")
            self.query_one(f"#f-{locale}-preferred", Input).value = rendering.preferred
            for name in ("variants", "forbidden", "patterns"):
                self.query_one(f"#f-{locale}-{name}", Input).value = joined(getattr(rendering, name))
            self.query_one(f"#f-{locale}-verified", Checkbox).value = rendering.verified

    def action_save(self) -> None:
        if self.term is None:
            self.save_new()
        else:
            self.save_edit(self.term, self.edited())

    def save_new(self) -> None:
        renderings = self.renderings()
        try:
            add_term(self.app.store, self.value("f-term"), renderings={k: v for k, v in renderings.items() if v is not None},
                     english_forms=split(self.value("f-forms")), kind=self.value("f-kind") or "concept",
                     treatment=str(self.query_one("#f-treatment", Select).value), notes=self.value("f-notes"),
                     case_sensitive=self.query_one("#f-case", Checkbox).value)
        except GlossaryError as error:
            self.show_error(error)
            return
        self.dismiss(True)

    def save_edit(self, loaded: Term, edited: Term) -> None:
        """Save the fields changed since ``loaded``; a conflict with a teammate's save asks what to keep."""
        try:
            save_edited_term(self.app.store, loaded, edited, self.locales)
        except TermConflictError as conflict:
            self.app.push_screen(TermConflictScreen(conflict), partial(self.settle_conflict, edited, conflict))
            return
        except GlossaryError as error:
            self.show_error(error)
            return
        self.dismiss(True)

    def show_error(self, error: GlossaryError) -> None:
        """Put the error under the field it is about, mark and focus that field, and scroll it into view.

        An error about no one field (a term deleted meanwhile) goes above the fields, where it is always seen.
        """
        self.clear_errors()
        name = error_field(str(error), self.locales)
        if name is None:
            self.show_form_message(literal(str(error), "$text-error"))
            return
        message = self.query_one(f"#e-{name}", Static)
        message.update(literal(str(error), "$text-error"))
        message.display = True
        widget = self.query_one(f"#f-{name}")
        widget.add_class("-invalid")
        widget.focus(scroll_visible=False)
        self.call_after_refresh(self.query_one("#term-fields", VerticalScroll).scroll_to_center, message, animate=False)

    def show_form_message(self, message: Content) -> None:
        """A message about the whole form, above the fields."""
        form_error = self.query_one("#form-error", Static)
        form_error.update(message)
        form_error.display = True

    def clear_errors(self) -> None:
        """Hide the messages of the last save attempt before the next one."""
        for message in self.query(".field-error"):
            message.display = False
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.query_one("#form-error", Static).display = False

    def settle_conflict(self, edited: Term, conflict: TermConflictError, choice: str | None) -> None:
        """Base the form on the term as it is now, keeping the volunteer's input, then do what they chose.

        What only the teammate changed comes into the form; where both changed a
        field, the form keeps the volunteer's value, or takes theirs for "theirs".
        """
        assert self.term is not None
        rebased = rebased_edit(self.term, edited, conflict.current, self.locales, keep_theirs=choice == "theirs")
        self.term = conflict.current
        self.fill(rebased)
        if choice in ("mine", "theirs"):
            self.save_edit(conflict.current, rebased)
            return
        theirs = Content("; ").join(Content.assemble(f"{c.label}: ", field_text(c.theirs)) for c in conflict.conflicts)
        self.clear_errors()
        self.show_form_message(Content.assemble(
            Content("Saved meanwhile by someone else: ").stylize("$text-warning"), theirs,
            Content(". The form keeps yours: change what you want and save.").stylize("$text-warning")))

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(False)


class ConfirmDelete(WorkbenchModalScreen[bool]):
    """A yes/no question before a term is deleted."""

    BINDINGS = [
        Binding("y", "answer(True)", "Delete", tooltip="Delete the term"),
        Binding("n,escape", "answer(False)", "Keep", tooltip="Keep the term"),
    ]

    def __init__(self, term: Term) -> None:
        super().__init__()
        self.term = term

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Content.assemble("Delete the glossary term ", literal(self.term.term, "bold"), "?"))
            yield Static(Content("Its renderings in every language go with it.").stylize("$text-muted"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("y  Delete", id="yes", variant="error")
                yield Button("n  Keep", id="no")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class GlossaryScreen(WorkbenchScreen[None]):
    """The glossary table with a search field."""

    BINDINGS = [
        Binding("slash", "search", "Search", tooltip="Search the terms"),
        Binding("a", "add", "Add", tooltip="Add a term"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted term (enter too)"),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the highlighted term"),
        Binding("escape", "back", "Back", tooltip="Leave the search field, or go back"),
    ]

    def __init__(self, search: str = "") -> None:
        """``search`` fills the search field at once (the sync report opens a term a teammate changed this way)."""
        super().__init__()
        self.search = search
        self.terms: list[Term] = []
        self.shown: list[Term] = []
        self._filled_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="glossary-bar"):
            yield Input(self.search, placeholder="/  Search terms, forms, renderings, notes…", id="term-search")
            yield Static(id="term-count")
        yield DataTable(id="terms-table", cursor_type="row", zebra_stripes=True)
        yield from job_strips()
        yield Footer()

    @property
    def locales(self) -> list[str]:
        return self.app.workspace.target_locales

    def on_mount(self) -> None:
        self.title = "Glossary"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        self.reload()
        self.query_one("#terms-table", DataTable).focus()

    def on_resize(self) -> None:
        """Renderings share the width the term column leaves."""
        if self.app.size.width != self._filled_width:
            self.refill()

    def reload(self) -> None:
        self.terms = list_terms(self.app.store)
        self.refill()

    def refill(self) -> None:
        table = self.query_one("#terms-table", DataTable)
        highlighted = self.highlighted()
        words = self.query_one("#term-search", Input).value.lower().split()
        self.shown = [term for term in self.terms if term_matches(term, words)]
        table.clear(columns=True)
        self._filled_width = self.app.size.width
        rendering_width = max(12, (self._filled_width - TERM_WIDTH - 11 - 2 * (len(self.locales) + 2) - 2) // len(self.locales))
        table.add_column("Term", key="term", width=TERM_WIDTH)
        table.add_column("Treatment", key="treatment", width=11)
        for locale in self.locales:
            table.add_column(locale, key=f"lang-{locale}", width=rendering_width)
        warning = resolved_color(self.app.theme_variables, "text-warning")
        muted = resolved_color(self.app.theme_variables, "foreground-muted")
        for term in self.shown:
            cells: list[Any] = [literal_text(one_line(term.term, TERM_WIDTH), "bold"), Text(term.treatment, style=muted)]
            for locale in self.locales:
                rendering = term.rendering_for(locale)
                if rendering is None or not rendering.preferred:
                    cells.append(Text("keep" if term.is_keep else "—", style=muted))
                    continue
                cell = literal_text(one_line(rendering.preferred, rendering_width - 2))
                if not rendering.verified:
                    cell.append(" ?", style=f"bold {warning}")
                cells.append(cell)
            table.add_row(*cells, key=str(term.id))
        if highlighted is not None and any(term.id == highlighted.id for term in self.shown):
            table.move_cursor(row=table.get_row_index(str(highlighted.id)), animate=False)
        self.query_one("#term-count", Static).update(Text(f"{len(self.shown)} of {len(self.terms)} terms   ? = unverified"))

    def highlighted(self) -> Term | None:
        table = self.query_one("#terms-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((term for term in self.shown if str(term.id) == row_key.value), None)

    @on(Input.Changed, "#term-search")
    def search_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#term-search")
    def search_done(self) -> None:
        self.query_one("#terms-table", DataTable).focus()

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_edit()

    def action_search(self) -> None:
        self.query_one("#term-search", Input).focus()

    def show_term(self, term: str) -> None:
        """Filter the table down to a term, on a glossary screen already open."""
        self.query_one("#term-search", Input).value = term
        self.reload()
        self.query_one("#terms-table", DataTable).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#terms-table", DataTable).focus()
        else:
            self.dismiss()

    def action_add(self) -> None:
        self.app.push_screen(TermForm(None, self.locales), self._after_form)

    def action_edit(self) -> None:
        term = self.highlighted()
        if term is not None:
            self.app.push_screen(TermForm(term, self.locales), self._after_form)

    def action_delete(self) -> None:
        term = self.highlighted()
        if term is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                removed = remove_term(self.app.store, term.id)
                save_glossary_file(self.app.workspace)
                self.notify(f"Deleted “{removed.term}”.", markup=False)
                self.reload()

        self.app.push_screen(ConfirmDelete(term), answered)

    def _after_form(self, saved: bool | None) -> None:
        if saved:
            save_glossary_file(self.app.workspace)
            self.notify("Glossary saved.", timeout=2, markup=False)
            self.reload()
