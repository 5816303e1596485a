"""Draft with machine translation: which languages, and the current statement or all of them.

The dialog opens once the engine is open (in a worker, see
:func:`workbench.tui.workers.start_engine`), so it can say before anything
starts which languages have no model and how to get one: those languages are
listed but cannot be ticked. Enter on a scope drafts it in the ticked languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from workbench.languages import language
from workbench.tui.screens.base import WorkbenchModalScreen
from workbench.tui.text import literal, one_line


@dataclass(frozen=True)
class DraftChoice:
    """``statement_id`` None means every statement; ``langs`` None means every target language."""

    statement_id: int | None
    langs: tuple[str, ...] | None = None


class DraftScreen(WorkbenchModalScreen[DraftChoice | None]):
    """Tick languages (space), pick a scope (Enter drafts it); Escape cancels. Volunteers' work is never touched."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without drafting"),
        Binding("l", "focus_languages", "Languages", tooltip="Tick or untick the languages to draft (space)"),
    ]

    def __init__(self, statement: tuple[int, str] | None, locales: Sequence[str], *,
                 missing: Sequence[str] = (), hint: str = "") -> None:
        """``missing``: the locales the engine has no model for; ``hint`` says how to get them."""
        super().__init__()
        self.statement = statement
        self.locales = list(locales)
        self.missing = set(missing)
        self.hint = hint
        self.scopes: list[int | None] = ([statement[0]] if statement is not None else []) + [None]

    def compose(self) -> ComposeResult:
        with Vertical(id="draft-dialog", classes="dialog"):
            yield Static(Content("Draft with machine translation").stylize("bold"), classes="dialog-title")
            yield Static(Content("Fills untranslated paragraphs; what volunteers wrote, confirmed or approved is never touched.")
                         .stylize("$text-muted"))
            yield Static(Content.assemble(Content("Languages").stylize("bold"),
                                          Content("  l goes here, space ticks").stylize("$text-muted")),
                         classes="draft-heading")
            yield SelectionList[str](*(self._language(locale) for locale in self.locales), id="draft-languages")
            if self.missing:
                names = ", ".join(sorted(self.missing, key=self.locales.index))
                yield Static(Content.assemble(Content(f"No model for {names}: ").stylize("$text-warning"), self.hint),
                             id="draft-missing")
            yield Static(Content("Draft").stylize("bold"), classes="draft-heading")
            yield OptionList(*(Option(self._scope_label(scope)) for scope in self.scopes), id="draft-options")
        yield Footer()

    def _language(self, locale: str) -> Selection[str]:
        """A language line: ticked when there is a model, shown but not tickable without one."""
        label = Content.assemble(Content(locale.ljust(6)).stylize("bold"), language(locale).name)
        if locale in self.missing:
            label = Content.assemble(label, Content("  no model").stylize("$text-warning"))
        return Selection(label, locale, locale not in self.missing, disabled=locale in self.missing)

    def _scope_label(self, statement_id: int | None) -> Content:
        if statement_id is None or self.statement is None:
            return Content("All statements").stylize("bold")
        return Content.assemble(Content("This statement").stylize("bold"), "  ",
                                literal(one_line(self.statement[1], 60), "italic $text-muted"))

    def on_mount(self) -> None:
        self.query_one("#draft-options", OptionList).focus()

    def chosen_languages(self) -> tuple[str, ...]:
        """The ticked languages, in the workspace's order."""
        ticked = set(self.query_one("#draft-languages", SelectionList).selected)
        return tuple(locale for locale in self.locales if locale in ticked)

    @on(OptionList.OptionSelected, "#draft-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        langs = self.chosen_languages()
        if not langs:
            self.notify("Tick at least one language that has a model (l, then space).", severity="warning",
                        markup=False)
            return
        self.dismiss(DraftChoice(self.scopes[event.option_index], langs))

    def action_focus_languages(self) -> None:
        self.query_one("#draft-languages", SelectionList).focus()
