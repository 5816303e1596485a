"""The statement editor: one paragraph at a time, every target language in view.

Two ways of working, as in a modal editor:

* **navigating** - where the editor opens: single letters act on the
  paragraph (``j``/``k`` move, ``c`` confirm, ``a`` approve, ``u`` undo, ``?``
  keys …), so none of them lands in a translation by surprise; Enter starts
  typing;
* **typing** - the active language's text field has the focus; chords
  (``ctrl+↓``, ``ctrl+s``, ``ctrl+g`` …) and Tab work while typing; Escape
  stops.

The active language's pane says which mode it is in, in its border title,
and the cursor shows only while typing. ``ctrl+u`` confirms and goes to the
next unfinished paragraph in either mode; a paragraph filter (``f``) limits
the moves to the paragraphs that need one kind of work. The paragraphs before
and after the current one are shown dimmed, for context. Short terminals
(under :data:`COMPACT_HEIGHT` rows) fold the other languages to one line each,
so the source and the active language always fit.

Where the volunteer was (statement, paragraph, language) is remembered in
the app's :class:`~workbench.tui.positions.Positions`; a statement opens
where they left it, or in the language they worked in last.

The statement is read once when the screen opens; moving between paragraphs
only re-reads that paragraph's four translations (to pick up a teammate's
work) and updates the widgets in place. Leaving a paragraph, a language or the
screen saves the edit through the app's save queue, which never blocks.

The machine helps beyond its draft (issue 12), each request in a thread
worker, its answer dropped if the volunteer moved on meanwhile:

* ``ctrl+o`` swaps the sentence under the cursor for the engine's next
  rendering of it; the text stays machine work until the volunteer edits it;
* ``ctrl+l`` lists whole-paragraph alternatives in the side panel; picking one
  saves it as machine work with its engine's origin and confidence;
* ``ctrl+f`` finishes the sentence being typed, shown dim after the cursor.

Keys for what the engine cannot do are hidden; pressed anyway, they say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Header, OptionList, Static
from textual.worker import Worker, get_current_worker

from workbench.checks import GROUP_UNTRANSLATED, Finding, SourceFacts, check_segment, draft_flags, same_source_translations
from workbench.languages import LANGUAGES, SOURCE_LANGUAGE_CHOICES
from workbench.store import STATUSES, DraftSentence
from workbench.workflow import NoMachineDraftError, edited_status, is_reviewed, machine_draft_for
from workbench.tui.saving import SaveOutcome, SaveRequest
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.screens.choice import ChoiceScreen
from workbench.tui.screens.comment import CommentScreen
from workbench.tui.screens.history import HistoryScreen
from workbench.textfacts import visible
from workbench.tui.text import STATUS_LOOKS, literal
from workbench.tui.paragraph_filters import EVERY, FILTERS, ParagraphFilter, ParagraphSieve
from workbench.tui.widgets.editor.context import ParagraphContext
from workbench.tui.widgets.editor.heat import MachineText, span_at
from workbench.tui.widgets.editor.language_pane import LanguagePane, TranslationArea, update_if_changed
from workbench.tui.widgets.editor.paragraph import LanguagePanes, ParagraphSource, ParagraphView, SourceBox
from workbench.tui.widgets.editor.side_panel import PickList, SidePanel, SuggestionItem, TermItem
from workbench.tui.widgets.editor.source_view import SourceView
from workbench.tui.widgets.editor.word_diff import WordDiff
from workbench.tui.widgets.progress import job_strips, progress_content, progress_legend
from workbench.tui.workers import start_source_language, start_suggestion_engine

if TYPE_CHECKING:
    from workbench.mt.engine import Hypothesis
    from workbench.tm import Provenance

RECORD_FIELDS = ("text", "status", "version", "author", "origin", "flags", "sentences", "comment")
COMPACT_HEIGHT = 36
"""Below this many rows the other languages fold to one line each, so the source and the active pane always fit."""
ACTIVE_PANE_ROWS = 6
"""The active pane's least height in the compact layout (its min-height in the stylesheet): border, header, heat, 3 rows."""
CHECK_DELAY = 0.3
"""Seconds of no typing before the side panel's checks run on the new text."""

ABILITIES = {"other_rendering": "alternatives", "list_alternatives": "alternatives", "complete": "prefix"}
"""The engine capability each machine-suggestion action needs."""
CANNOT = {
    "alternatives": "give other renderings: edit the text, or take a translation-memory suggestion (ctrl+r)",
    "prefix": "finish a sentence from your words: type the rest",
}
"""What to say, in one line, when a key asks the engine for what it cannot do."""
SWITCH_ENGINE = " (the Argos engine can: engine = \"argos\" under [mt] in workbench.toml)"


@dataclass(frozen=True)
class CompletionRequest:
    """Where a completion was asked for: its answer is shown only if the text and cursor are still so."""

    segment_id: str
    lang: str
    text: str
    cursor: tuple[int, int]


class EditorScreen(WorkbenchScreen[None]):
    """Translate one statement."""

    def __init__(self, statement_id: int, *, segment_id: str | None = None, lang: str | None = None,
                 edit: bool = False, back_to_review: bool = False) -> None:
        super().__init__()
        self.statement_id = statement_id
        self.back_to_review = back_to_review
        """Opened from a review finding: closing goes back to the findings."""
        self._start = (segment_id, lang, edit)
        self.document: dict[str, Any] = {}
        self.segments: list[dict[str, Any]] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        self.index = 0
        self.lang_index = 0
        self.matches: list[Any] = []
        self.term_items: list[TermItem] = []
        self.suggestions: list[SuggestionItem] = []
        self.suggestions_for: tuple[str, str] | None = None
        """The (segment id, language) the suggestions shown belong to; None while they are looked up."""
        self.unsaved: dict[tuple[str, str], str] = {}
        """Texts whose save failed, put back in the field when their paragraph is shown."""
        self.merging: dict[tuple[str, str], tuple[str, str]] = {}
        """Conflicts being merged by hand: (their saved text, the volunteer's text)."""
        self.same_source: dict[str, list[tuple[str, str]]] = {}
        """Other translations of this paragraph's source per language, for the consistency check."""
        self.alternatives: list[MachineText] = []
        """The whole-paragraph alternatives listed in the side panel (empty when none are)."""
        self.renderings: dict[tuple[str, str, int, str], list[Hypothesis]] = {}
        """Other renderings of a sentence already asked for: (segment id, language, index, source sentence)."""
        self.completion: CompletionRequest | None = None
        """The completion asked for last; an answer to any other is stale."""
        self._checks_timer: Timer | None = None
        self.sieve = ParagraphSieve()
        """The paragraph filter the moves go through."""

    # -- building -------------------------------------------------------------------------

    @property
    def locales(self) -> list[str]:
        return self.app.workspace.target_locales

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="paragraph-bar"):
            yield Static(id="bar-position")
            yield Static(id="bar-progress")
        with Horizontal(id="editor-body"):
            with ParagraphView(id="paragraph"):
                yield ParagraphContext(id="context-before", classes="context")
                with SourceBox():
                    yield ParagraphSource(id="source")
                yield WordDiff(id="diff")
                with LanguagePanes():
                    for locale in self.locales:
                        yield LanguagePane(locale)
                yield ParagraphContext(id="context-after", classes="context")
            yield SidePanel(id="side")
        yield from job_strips()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bar-progress", Static).tooltip = Content.assemble("Done per language: ", progress_legend())
        self.reload()
        self._fit()
        segment_id, lang, edit = self._start
        positions = self.app.positions
        if segment_id is None:
            place = positions.of(self.statement_id)
            if place is not None:
                segment_id, lang = place.segment_id, lang or place.lang
        lang = lang or positions.language()
        if lang in self.locales:
            self.lang_index = self.locales.index(lang)
        index = next((i for i, segment in enumerate(self.segments) if segment["id"] == segment_id), 0)
        self.pane(self.locales[self.lang_index]).active = True
        self.show_paragraph(index)
        self.focus_mode(edit)
        start_suggestion_engine(self.app)

    def reload(self) -> None:
        """Read the whole statement (on opening, and after a machine-drafting run)."""
        self.document = self.app.workspace.statement_document(self.statement_id)
        self.segments = self.document["segments"]
        self.by_id = {segment["id"]: segment for segment in self.segments}
        self.title = self.document["title"].replace("\n", " ")
        self.sub_title = f"#{self.document['id']}" + ("  ✂ excerpt" if self.document["truncated"] else "")

    def refresh_after_drafting(self) -> None:
        """Machine drafts arrived: read the statement again, keeping any edit in progress."""
        self.reload()
        if self.segments:
            self.show_paragraph(self.index, keep_edit=True)

    def on_resize(self) -> None:
        """Narrow terminals get percentages without bars in the paragraph bar; short ones the compact layout."""
        self._fit()
        self._refresh_bar()

    def _fit(self) -> None:
        """Fold the other languages on short terminals; the panes then never get less than the active one needs."""
        compact = self.app.size.height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        self.query_one(LanguagePanes).styles.min_height = len(self.locales) - 1 + ACTIVE_PANE_ROWS if compact else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A statement without paragraphs (all cut as metadata) has nothing to act on but leaving.

        The machine's suggestions are offered unless the engine is known to
        lack the ability; then the same key only says so (``engine_cannot``).
        """
        if action in ABILITIES:
            return bool(self.segments) and self.app.suggestions.can(ABILITIES[action]) is not False
        if action == "engine_cannot":
            return bool(self.segments) and self.app.suggestions.can(str(parameters[0])) is False
        return bool(self.segments) or action in ("close", "stop_editing", "edit", "focus_editor")

    def command_sources(self) -> list[Any]:
        """The navigation-mode keys belong in the command palette too."""
        return [self.query_one(LanguagePanes), self.query_one(ParagraphSource)]

    # -- what is shown ---------------------------------------------------------------------

    @property
    def segment(self) -> dict[str, Any]:
        return self.segments[self.index]

    @property
    def lang(self) -> str:
        return self.locales[self.lang_index]

    def pane(self, lang: str) -> LanguagePane:
        return self.query_one(f"#pane-{lang}", LanguagePane)

    @property
    def active_pane(self) -> LanguagePane:
        return self.pane(self.lang)

    @property
    def editing(self) -> bool:
        return isinstance(self.focused, TranslationArea)

    def focus_mode(self, edit: bool) -> None:
        """Type in the active pane, or navigate; the panes' marks follow once the focus moved."""
        if edit:
            self.active_pane.area.focus()
        else:
            self.query_one(ParagraphSource).focus()
        self._show_mode()

    def show_paragraph(self, index: int, *, keep_edit: bool = False) -> None:
        """Show paragraph ``index``: texts are updated in place, nothing is rebuilt."""
        if not self.segments:
            self.query_one(SourceView).show_source("This statement has no paragraphs to translate.", [], "Source")
            return
        self.index = max(0, min(index, len(self.segments) - 1))
        segment = self.segment
        self._refresh_records(segment)
        store = self.app.store
        self.same_source = {lang: same_source_translations(store, segment["id"], lang) for lang in self.locales}
        self.matches = self.app.glossary.find_in_source(segment["source"], segment["source_lang"] or "en")
        caption = f"¶ {self.index + 1}/{len(self.segments)} · {segment['kind']} · source {segment['source_lang']}"
        self.query_one(SourceView).show_source(segment["source"], self.matches, caption)
        self.query_one(WordDiff).show_change(segment["previous_source"], segment["source"])
        for locale in self.locales:
            self._show_pane(locale, keep_edit=keep_edit)
        self._show_context()
        self._refresh_side()
        self._refresh_bar()
        self.query_one(ParagraphView).scroll_home(animate=False)
        self.query_one(SourceBox).scroll_home(animate=False)
        self._remember()

    def _show_context(self) -> None:
        """The paragraphs before and after, in the active language, from the statement read on opening."""
        for block, index in (("#context-before", self.index - 1), ("#context-after", self.index + 1)):
            neighbour = self.segments[index] if 0 <= index < len(self.segments) else None
            self.query_one(block, ParagraphContext).show_neighbour(neighbour, index + 1, self.lang)

    def _remember(self) -> None:
        """Write down where the volunteer is, so the statement (and the app) opens here next time."""
        self.app.positions.remember(self.statement_id, self.segment["id"], self.lang, self.index + 1)

    def _show_pane(self, lang: str, *, keep_edit: bool = False) -> None:
        segment = self.segment
        key = (segment["id"], lang)
        pane = self.pane(lang)
        merge = self.merging.get(key)
        pane.show_record(segment["translations"][lang], conflict_text=merge[0] if merge else None, keep_edit=keep_edit)
        if pane.active:
            restored = self.unsaved.pop(key, None)
            if merge is not None:
                restored = merge[1]
            if restored is not None:
                pane.area.restore_edit(restored)
                pane.mark_edited()

    def _refresh_records(self, segment: dict[str, Any]) -> None:
        """Pick up a teammate's newer work: four small reads, skipped while our own save is queued."""
        store = self.app.store
        saves = self.app.saves
        for lang in self.locales:
            if saves.is_pending(segment["id"], lang):
                continue
            row = store.translation(segment["id"], lang)
            segment["translations"][lang].update({name: row[name] for name in RECORD_FIELDS})

    def _term_items(self, matches: list[Any]) -> list[TermItem]:
        """One entry per distinct term, in reading order."""
        items: list[TermItem] = []
        seen: set[int] = set()
        for match in matches:
            term = match.term
            if term.id in seen:
                continue
            seen.add(term.id)
            record = term.rendering_for(self.lang)
            items.append(TermItem(
                source_text=match.text, term=term.term, rendering=term.rendering(self.lang),
                verified=bool(record and record.verified), treatment=term.treatment, notes=term.notes,
            ))
        return items

    def _refresh_side(self) -> None:
        side = self.query_one(SidePanel)
        self.term_items = self._term_items(self.matches)
        side.show_terms(self.term_items, self.lang)
        self.alternatives = []
        side.hide_alternatives()
        self.suggestions = []
        self.suggestions_for = None
        side.show_suggestions(None, self.lang)
        self.look_up_memory(self.segment["id"], self.segment["source"], self.lang)
        self.refresh_findings()

    @work(thread=True, exclusive=True, group="memory", exit_on_error=False)
    def look_up_memory(self, segment_id: str, source: str, lang: str) -> None:
        """Fuzzy matches off the UI thread; a result for a paragraph already left is dropped."""
        worker: Worker[None] = get_current_worker()
        app = self.app
        matches = app.memory.lookup(source, lang, exclude_segment=segment_id)
        origins = app.memory.provenance(matches, lang)
        items = [SuggestionItem(match.score, match.target, match.source, source, *self._provenance(origins.get(match.segment_id)))
                 for match in matches]
        app.call_from_thread(self.show_suggestions, segment_id, lang, items, worker)

    def show_suggestions(self, segment_id: str, lang: str, items: list[SuggestionItem],
                         worker: Worker[None] | None = None) -> None:
        """Show a lookup's result, unless a newer lookup replaced it or the screen closed (both cancel it)."""
        if worker is not None and worker.is_cancelled:
            return
        if not self.segments or (self.segment["id"], self.lang) != (segment_id, lang):
            return
        self.suggestions = items
        self.suggestions_for = (segment_id, lang)
        self.query_one(SidePanel).show_suggestions(items, lang)

    def findings(self) -> list[Finding]:
        """QA findings of this paragraph, active language first, with the text being typed.

        Untranslated languages are progress, not problems, so they are left out.
        """
        segment = self.segment
        glossary = self.app.glossary
        ordered = [self.lang, *(lang for lang in self.locales if lang != self.lang)]
        found: list[Finding] = []
        for lang in ordered:
            record = segment["translations"][lang]
            text = self.active_pane.area.value if lang == self.lang else record["text"]
            found += check_segment(
                segment["source"], text, lang, glossary, segment_id=segment["id"], status=record["status"],
                source_lang=segment["source_lang"] or "en", same_source=self.same_source.get(lang, ()),
            )
        return [finding for finding in found if finding.group != GROUP_UNTRANSLATED]

    def refresh_findings(self) -> None:
        if self.segments:
            side = self.query_one(SidePanel)
            side.show_flags(self.segment["translations"][self.lang].get("flags") or [], self.lang)
            side.show_findings(self.findings(), self.lang)
            side.show_comment(self.segment["translations"][self.lang].get("comment"), self.lang)

    def _refresh_bar(self) -> None:
        if not self.segments:
            return
        active = self.sieve.active
        position = Content.assemble(
            Content(f"¶ {self.index + 1}").stylize("bold"), f" of {len(self.segments)}  ",
            Content(f"only {active.tag} ({self.lang})").stylize("reverse $text-accent") if active is not EVERY else "",
            "  " if active is not EVERY else "",
            literal(self.document["title"].replace("\n", " "), "$text-muted"),
        )
        update_if_changed(self.query_one("#bar-position", Static), position)
        parts: list[Content | str] = []
        bar_width = 6 if self.app.size.width >= 130 else 0
        for lang in self.locales:
            counts = {status: 0 for status in STATUSES}
            for other in self.segments:
                counts[other["translations"][lang]["status"]] += 1
            style = "bold reverse" if lang == self.lang else "bold"
            parts += [Content(f" {lang} ").stylize(style), " ", progress_content(counts, bar_width), "  "]
        saving = self.app.saves.busy
        parts.append(Content("saving…").stylize("$text-warning") if saving else Content("✓ saved").stylize("$text-success"))
        update_if_changed(self.query_one("#bar-progress", Static), Content.assemble(*parts))

    # -- moving ------------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Save, then show another paragraph, keeping the mode (typing or navigating)."""
        if not self.segments:
            return
        if not 0 <= index < len(self.segments):
            self.app.bell()
            edge = "last" if index >= len(self.segments) else "first"
            self.notify(f"This is the {edge} paragraph.", timeout=2, markup=False)
            return
        editing = self.editing
        self.commit()
        self.show_paragraph(index)
        self.focus_mode(editing)

    def go_to(self, segment_id: str | None, lang: str | None, *, edit: bool = False) -> None:
        """Jump to a paragraph and language (from the review screen or a conflict)."""
        self.commit()
        if lang in self.locales and lang != self.lang:
            self.active_pane.active = False
            self.lang_index = self.locales.index(lang)
            self.active_pane.active = True
        index = next((i for i, segment in enumerate(self.segments) if segment["id"] == segment_id), self.index)
        self.show_paragraph(index)
        self.focus_mode(edit)

    def kept(self, index: int) -> bool:
        """Whether the paragraph filter keeps paragraph ``index`` in the active language."""
        return self.sieve.keeps(self.segments[index], self.lang, self.app.glossary)

    def step(self, direction: int) -> None:
        """Move to the nearest paragraph the filter keeps, forwards (1) or backwards (-1)."""
        index = self.index + direction
        while 0 <= index < len(self.segments) and not self.kept(index):
            index += direction
        if self.sieve.active is not EVERY and not 0 <= index < len(self.segments):
            self.app.bell()
            where = "after" if direction > 0 else "before"
            self.notify(f"No more paragraphs {self.sieve.active.label} in {self.lang} {where} this one (f changes the filter).",
                        timeout=3, markup=False)
            return
        self.move_to(index)

    def action_next_paragraph(self) -> None:
        self.step(1)

    def action_previous_paragraph(self) -> None:
        self.step(-1)

    def action_next_todo(self) -> None:
        """The next paragraph (wrapping round) not confirmed yet in the active language, among those the filter keeps."""
        count = len(self.segments)
        for offset in range(1, count):
            index = (self.index + offset) % count
            if not is_reviewed(self.segments[index]["translations"][self.lang]["status"]) and self.kept(index):
                self.move_to(index)
                return
        if self.sieve.active is EVERY:
            self.notify(f"Every other paragraph is translated in {self.lang}.", markup=False)
        else:
            self.notify(f"Nothing else to do in {self.lang} among the paragraphs {self.sieve.active.label}.", markup=False)

    def action_confirm_and_next(self) -> None:
        """Confirm the text as translated (an approved one stays approved), then go to the next unfinished paragraph."""
        pane = self.active_pane
        if not pane.area.value.strip():
            self.notify("Nothing to confirm: type a translation first (ctrl+b copies the source).", severity="warning", markup=False)
            return
        if pane.area.dirty or not is_reviewed(pane.record["status"]):
            self.set_status("translated")
        self.action_next_todo()

    def action_copy_source(self) -> None:
        """Put the source in the active language's field: names and lists of organisations stay as they are.

        It replaces the field's text as an edit (ctrl+z undoes it while
        typing); it is saved, like any edit, on leaving the paragraph.
        """
        area = self.active_pane.area
        source = visible(self.segment["source"])
        if area.text == source:
            self.notify("The text is the source already.", timeout=2, markup=False)
            return
        area.replace(source, (0, 0), area.document.end)
        self.notify(f"{self.lang}: the source is in the field (ctrl+z undoes it while typing).", timeout=3, markup=False)

    def action_choose_filter(self) -> None:
        """Ask which paragraphs the moves should go through, each choice with how many there are (the edit saved first)."""
        self.commit()
        glossary = self.app.glossary
        choices = []
        for choice in FILTERS:
            count = len(self.segments) if choice is EVERY else self.sieve.count(self.segments, self.lang, glossary, choice)
            label = "Every paragraph" if choice is EVERY else f"Only paragraphs {choice.label} in {self.lang}"
            now = choice is self.sieve.active
            choices.append((Content.assemble(Content(label).stylize("bold") if now else label,
                                             Content(f"  ({count})").stylize("$text-muted"),
                                             Content("  ← now").stylize("$text-accent") if now else ""),
                            choice))
        self.app.push_screen(
            ChoiceScreen("Paragraph filter", choices, name="paragraph-filter",
                         intro="Next and previous, next to do and confirm & next go only through these paragraphs."),
            self._filter_chosen,
        )

    def _filter_chosen(self, choice: ParagraphFilter | None) -> None:
        if choice is None:
            return
        self.sieve.active = choice
        self._refresh_bar()
        said = "every paragraph" if choice is EVERY else f"only paragraphs {choice.label} in {self.lang}"
        self.notify(f"Moves go through {said}.", timeout=3, markup=False)

    def set_language(self, lang_index: int) -> None:
        editing = self.editing
        self.commit()
        new_index = lang_index % len(self.locales)
        new_pane = self.pane(self.locales[new_index])
        old_pane = self.active_pane
        self.lang_index = new_index
        new_pane.active = True
        self._show_pane(new_pane.lang)
        self.focus_mode(editing)
        if old_pane is not new_pane:
            old_pane.active = False
        self._show_mode()
        self._show_context()
        self._refresh_side()
        self._refresh_bar()
        self.query_one(ParagraphView).scroll_to_widget(new_pane, animate=False)
        self._remember()

    def action_next_language(self) -> None:
        self.set_language(self.lang_index + 1)

    def action_previous_language(self) -> None:
        self.set_language(self.lang_index - 1)

    def on_descendant_focus(self) -> None:
        self._show_mode()

    def on_descendant_blur(self) -> None:
        self._show_mode()

    def _show_mode(self) -> None:
        """Mark the active pane with the mode the focus says the editor is in."""
        focused = self.focused
        mode = ("typing" if isinstance(focused, TranslationArea) else "navigating" if isinstance(focused, ParagraphSource)
                else "picking" if focused is not None else "")
        for pane in self.query(LanguagePane):
            pane.mode = mode if pane.active else ""

    def action_edit(self) -> None:
        self.focus_mode(True)

    def action_stop_editing(self) -> None:
        self.focus_mode(False)

    def action_focus_editor(self) -> None:
        self.focus_mode(True)

    def action_close(self) -> None:
        self.commit()
        self.dismiss()
        if self.back_to_review:
            self.app.action_show_review()

    # -- saving ------------------------------------------------------------------------------

    def commit(self) -> bool:
        """Save the active language's edit, if any; returns whether a save was queued."""
        if not self.segments or not self.is_mounted:
            return False
        pane = self.active_pane
        if not pane.area.dirty:
            return False
        text = pane.area.value
        machine = pane.area.machine
        if machine is not None and text == machine.text:  # other renderings of its sentences: still the machine's
            self._save_machine(pane, machine, self._draft_flags(text, pane.lang))
            return True
        status = edited_status(pane.record["status"], text)
        self._save(pane, text, status)
        return True

    def _save(self, pane: LanguagePane, text: str, status: str, origin: str = "human") -> None:
        """Queue the write of a text and show it as done at once (the outcome corrects it if need be)."""
        self._queue(pane, SaveRequest("save", self.segment["id"], pane.lang, expected_version=pane.record["version"],
                                      text=text, status=status, origin=origin))

    def _save_machine(self, pane: LanguagePane, machine: MachineText, flags: tuple[str, ...]) -> None:
        """Queue the save of a machine rendering the volunteer picked: ``machine`` status, the engine's origin."""
        self._queue(pane, SaveRequest("machine", self.segment["id"], pane.lang, expected_version=pane.record["version"],
                                      text=machine.text, status="machine", origin=machine.origin, flags=flags,
                                      sentences=machine.sentences))

    def _queue(self, pane: LanguagePane, request: SaveRequest) -> None:
        record = pane.record
        self.app.submit_save(request)
        record.update(text=request.text, status=request.status, version=record["version"] + 1, author=self.app.author,
                      origin=request.origin, flags=list(request.flags), sentences=[s.as_dict() for s in request.sentences])
        self.merging.pop(request.key, None)
        pane.show_record(record)
        self._refresh_bar()

    def _draft_flags(self, text: str, lang: str) -> tuple[str, ...]:
        """What the checks find in a machine rendering, worded as drafting flags a draft."""
        segment = self.segment
        source_lang = segment["source_lang"] or "en"
        facts = SourceFacts(segment["source"], self.app.glossary, source_lang)
        return tuple(draft_flags(facts, text, lang, source_lang=source_lang))

    def set_status(self, status: str) -> None:
        pane = self.active_pane
        text = pane.area.value
        look = STATUS_LOOKS[status]
        if is_reviewed(status) and not text.strip():
            self.notify(f"Nothing to mark as {look.label}: type a translation first.", severity="warning", markup=False)
            return
        if text == pane.record["text"] and status == pane.record["status"] and not pane.area.dirty:
            self.notify(f"{self.lang} is already {look.label}.", timeout=2, markup=False)
            return
        unchanged = text == pane.record["text"]
        self._save(pane, text, status, origin=(pane.record.get("origin") or "human") if unchanged else "human")
        self.refresh_findings()
        self.notify(f"{self.lang}: {look.glyph} {look.label}", timeout=2, markup=False)

    def action_confirm(self) -> None:
        self.set_status("translated")

    def action_approve(self) -> None:
        self.set_status("approved")

    def action_needs_review(self) -> None:
        self.set_status("needs-review")

    def action_undo(self) -> None:
        """Undo the last saved version; an unsaved edit is saved first, so it can be redone from history."""
        self.commit()
        pane = self.active_pane
        record = pane.record
        if not record["version"]:
            self.notify("Nothing to undo: this translation has never been saved.", severity="warning", markup=False)
            return
        self.app.submit_save(SaveRequest("undo", self.segment["id"], pane.lang, expected_version=record["version"]))
        record["version"] += 1
        self._refresh_bar()

    def action_revert_to_mt(self) -> None:
        """Restore the latest machine draft from the history; the current text stays in the history."""
        self.commit()
        pane = self.active_pane
        try:
            draft = machine_draft_for(self.app.store, self.segment["id"], pane.lang)
        except NoMachineDraftError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        if draft["text"] == pane.record["text"] and pane.record["status"] == draft["status"]:
            self.notify("This is already the machine draft.", timeout=2, markup=False)
            return
        self._save(pane, draft["text"], draft["status"], origin=draft["origin"] or "mt")
        self.refresh_findings()
        self.notify(f"{pane.lang}: machine draft restored (undo with u).", timeout=3, markup=False)

    # -- the source language -------------------------------------------------------------

    def action_source_language(self) -> None:
        """Ask which language the paragraph's source is in; storing it and redoing its drafts run in a worker."""
        self.commit()
        segment = self.segment
        current = segment["source_lang"]
        choices = [
            (Content.assemble(Content(LANGUAGES[code].name).stylize("bold"), f"  {code}",
                              Content("  (now)").stylize("$text-muted") if code == current else ""), code)
            for code in SOURCE_LANGUAGE_CHOICES
        ]
        self.app.push_screen(
            ChoiceScreen("Source language of this paragraph", choices, name="source-language",
                         intro="Its machine drafts that nobody has touched are redone from the language you choose."),
            partial(self._source_language_chosen, segment["id"]),
        )

    def _source_language_chosen(self, segment_id: str, code: str | None) -> None:
        if code is not None:
            start_source_language(self.app, segment_id, code)

    # -- outcomes of saves -------------------------------------------------------------------

    def apply_outcome(self, outcome: SaveOutcome) -> None:
        """Correct the optimistic view with what the writer thread actually did."""
        request = outcome.request
        segment = self.by_id.get(request.segment_id)
        if segment is None:
            return
        if outcome.row is not None:
            if not self.app.saves.is_pending(request.segment_id, request.lang):
                self.apply_row(outcome.row)
        elif outcome.conflict is not None:
            self.apply_row(outcome.conflict.current)
        else:
            if request.kind == "save":
                self.unsaved[request.key] = request.text
            self.apply_row(self.app.store.translation(request.segment_id, request.lang))
        self._refresh_bar()

    def apply_row(self, row: dict[str, Any]) -> None:
        """Show a translation as stored (after an undo, a conflict, or a settled conflict)."""
        segment = self.by_id.get(row["segment_id"])
        if segment is None:
            return
        record = segment["translations"][row["lang"]]
        record.update({name: row.get(name) for name in RECORD_FIELDS})
        if self.segments and segment is self.segment:
            self._show_pane(row["lang"], keep_edit=True)
            self.refresh_findings()

    def merge_conflict(self, request: SaveRequest, current: dict[str, Any]) -> None:
        """Put the volunteer's text back in the field with the teammate's saved text above it."""
        self.merging[request.key] = (current["text"], request.text)
        if self.is_mounted and self.segments and self.segment["id"] == request.segment_id:
            self._show_pane(request.lang)

    # -- glossary and translation memory -------------------------------------------------

    def action_insert_term(self, number: int = 0) -> None:
        """Insert term ``number`` of the side panel, or let the volunteer pick when there are several."""
        items = self.term_items
        if not items:
            self.notify("No glossary terms in this paragraph.", timeout=2, markup=False)
            return
        if number == 0 and len(items) > 1:
            terms = self.query_one("#terms", PickList)
            terms.highlighted = 0
            terms.focus()
            return
        index = (number or 1) - 1
        if index >= len(items):
            self.notify(f"There are only {len(items)} glossary terms here.", timeout=2, markup=False)
            return
        self.insert_rendering(items[index])

    def insert_rendering(self, item: TermItem) -> None:
        if not item.rendering:
            self.notify(f"“{item.term}” has no rendering in {self.lang} yet: add one with f3.", severity="warning", markup=False)
            return
        area = self.active_pane.area
        area.focus()
        area.replace(visible(item.rendering), *area.selection)

    def action_take_suggestion(self) -> None:
        """Take the only suggestion, or let the volunteer pick among several."""
        if not self.suggestions:
            self.notify("No translation-memory suggestions for this paragraph.", timeout=2, markup=False)
            return
        if len(self.suggestions) > 1:
            suggestions = self.query_one("#suggestions", PickList)
            suggestions.highlighted = 0
            suggestions.focus()
            return
        self.take(self.suggestions[0])

    def take(self, item: SuggestionItem) -> None:
        """Replace the text with a suggestion (ctrl+z in the field brings the old text back)."""
        area = self.active_pane.area
        area.focus()
        area.replace(visible(item.text), (0, 0), area.document.end)

    @on(OptionList.OptionSelected, "#suggestions")
    def suggestion_picked(self, event: OptionList.OptionSelected) -> None:
        self.take(self.suggestions[event.option_index])

    @on(OptionList.OptionSelected, "#terms")
    def term_picked(self, event: OptionList.OptionSelected) -> None:
        self.insert_rendering(self.term_items[event.option_index])

    # -- the machine's suggestions (engine calls in thread workers) ------------------------

    def _asked(self) -> dict[str, Any]:
        """The paragraph as the suggester needs it, copied for a worker thread."""
        return {"source": self.segment["source"], "source_lang": self.segment["source_lang"]}

    def _suggestion_failed(self, what: str, error: BaseException) -> None:
        """An engine's refusal is worded for volunteers; anything else is named, never swallowed."""
        from workbench.mt import EngineError

        message = str(error) if isinstance(error, EngineError) else f"{type(error).__name__}: {error}"
        self.notify(message, title=f"No {what}", severity="warning", timeout=8, markup=False)

    def action_engine_cannot(self, ability: str) -> None:
        """A key for an ability the engine lacks: say so in one line."""
        engine = self.app.suggestions.engine
        name = engine.name if engine is not None else "machine-translation"
        self.notify(f"The {name} engine cannot {CANNOT[ability]}{SWITCH_ENGINE}.", severity="warning", timeout=6, markup=False)

    def action_other_rendering(self) -> None:
        """Swap the sentence under the cursor for the engine's next rendering of it; the rest of the text stays."""
        area = self.active_pane.area
        machine, spans = area.machine, area.heat
        if machine is None or spans is None:
            self.notify("Other renderings work on a machine draft as the machine wrote it: "
                        "m puts the draft back (after esc), ctrl+l lists whole alternatives.", timeout=5, markup=False)
            return
        index = span_at(spans, area.cursor_offset())
        key = (self.segment["id"], self.lang, index, machine.sentences[index].source)
        if key in self.renderings:
            self._next_rendering(key, self.renderings[key])
        else:
            self.fetch_renderings(self._asked(), key)

    @work(thread=True, exclusive=True, group="renderings", exit_on_error=False)
    def fetch_renderings(self, segment: dict[str, Any], key: tuple[str, str, int, str]) -> None:
        worker: Worker[None] = get_current_worker()
        app = self.app
        try:
            options = app.suggestions.sentence_alternatives(segment, key[1], key[2])
        except Exception as error:  # noqa: BLE001 - any engine failure is said, the field stays as it was
            app.call_from_thread(self._suggestion_failed, "other rendering", error)
            return
        app.call_from_thread(self._renderings_found, key, options, worker)

    def _renderings_found(self, key: tuple[str, str, int, str], options: list[Hypothesis], worker: Worker[None]) -> None:
        if worker.is_cancelled or not self.is_mounted:
            return
        self.renderings[key] = options
        machine = self.active_pane.area.machine
        if (self.segment["id"], self.lang) == key[:2] and machine is not None and self.active_pane.area.heat is not None:
            self._next_rendering(key, options)

    def _next_rendering(self, key: tuple[str, str, int, str], options: list[Hypothesis]) -> None:
        """Put the rendering after the current one (best first, round again) in the sentence's place."""
        area = self.active_pane.area
        machine, spans = area.machine, area.heat
        index = key[2]
        if machine is None or spans is None or index >= len(spans):
            return
        current = machine.sentences[index]
        texts = [option.text for option in options]
        if not [text for text in texts if text != current.text]:
            self.notify("The engine has no other rendering of this sentence.", timeout=3, markup=False)
            return
        position = texts.index(current.text) if current.text in texts else -1
        chosen = options[(position + 1) % len(options)]
        span = spans[index]
        start = area.location_at(span.start)
        area.replace(visible(chosen.text), start, area.location_at(span.end))
        area.hold_machine(machine.with_sentence(index, DraftSentence(current.source, chosen.text, chosen.confidence)))
        area.move_cursor(start)
        self.active_pane.mark_edited()
        sure = f", confidence {chosen.confidence:.0%}" if chosen.confidence is not None else ""
        self.notify(f"Sentence {index + 1} of {len(spans)}: rendering {texts.index(chosen.text) + 1} of {len(options)}{sure}.",
                    timeout=3, markup=False)

    def action_list_alternatives(self) -> None:
        """Ask the engine for whole-paragraph alternatives, listed in the side panel to pick one."""
        self.alternatives = []
        self.query_one(SidePanel).show_alternatives(None, self.lang)
        self.fetch_alternatives(self._asked(), self.segment["id"], self.lang)

    @work(thread=True, exclusive=True, group="alternatives", exit_on_error=False)
    def fetch_alternatives(self, segment: dict[str, Any], segment_id: str, lang: str) -> None:
        worker: Worker[None] = get_current_worker()
        app = self.app
        try:
            found = app.suggestions.alternatives(segment, lang)
        except Exception as error:  # noqa: BLE001 - any engine failure is said in the side panel's place
            app.call_from_thread(self._alternatives_failed, segment_id, lang, error, worker)
            return
        items = [MachineText(a.text, a.origin, a.sentences, a.flags) for a in found]
        app.call_from_thread(self._alternatives_found, segment_id, lang, items, worker)

    def _alternatives_found(self, segment_id: str, lang: str, items: list[MachineText], worker: Worker[None]) -> None:
        if worker.is_cancelled or not self.is_mounted or (self.segment["id"], self.lang) != (segment_id, lang):
            return
        self.alternatives = items
        area = self.active_pane.area
        self.query_one(SidePanel).show_alternatives(items, lang, area.machine if area.heat is not None else None)
        if items:
            listed = self.query_one("#alternatives", PickList)
            listed.highlighted = 0
            listed.focus()

    def _alternatives_failed(self, segment_id: str, lang: str, error: BaseException, worker: Worker[None]) -> None:
        if worker.is_cancelled or not self.is_mounted or (self.segment["id"], self.lang) != (segment_id, lang):
            return
        self.query_one(SidePanel).hide_alternatives()
        self._suggestion_failed("alternatives", error)

    @on(OptionList.OptionSelected, "#alternatives")
    def alternative_picked(self, event: OptionList.OptionSelected) -> None:
        """Save the picked alternative as machine work (the current text stays in the history), then type on."""
        picked = self.alternatives[event.option_index]
        pane = self.active_pane
        self.commit()
        if picked.text == pane.record["text"]:
            self.notify("This alternative is the text already.", timeout=2, markup=False)
        else:
            self._save_machine(pane, picked, picked.flags)
            self.query_one(SidePanel).show_alternatives(self.alternatives, pane.lang, picked)  # marked against the new text
            self.refresh_findings()
            self.notify(f"{pane.lang}: machine alternative saved (u undoes it, after esc).", timeout=3, markup=False)
        self.focus_mode(True)

    def action_complete(self) -> None:
        """Ask the engine to finish the sentence from the words before the cursor; the answer shows dim after it."""
        area = self.active_pane.area
        self.completion = CompletionRequest(self.segment["id"], self.lang, area.text, area.cursor_location)
        self.fetch_completion(self._asked(), area.text[:area.cursor_offset()], self.completion)

    @work(thread=True, exclusive=True, group="completion", exit_on_error=False)
    def fetch_completion(self, segment: dict[str, Any], prefix: str, request: CompletionRequest) -> None:
        app = self.app
        try:
            finished = app.suggestions.complete(segment, request.lang, prefix)
        except Exception as error:  # noqa: BLE001 - any engine failure is said, the field stays as it was
            app.call_from_thread(self._suggestion_failed, "completion", error)
            return
        app.call_from_thread(self._completion_found, request, finished.text[len(prefix):] if finished.text.startswith(prefix) else "")

    def _completion_found(self, request: CompletionRequest, rest: str) -> None:
        """Show the rest after the cursor, unless the volunteer typed or moved meanwhile (then it is stale)."""
        if not self.is_mounted or request is not self.completion or not self.editing:
            return
        area = self.active_pane.area
        if (self.segment["id"], self.lang, area.text, area.cursor_location) != (request.segment_id, request.lang, request.text, request.cursor):
            return
        if not rest.strip():
            self.notify("Nothing to add: the sentence is finished.", timeout=2, markup=False)
            return
        area.show_completion(visible(rest))

    @on(TranslationArea.Changed)
    def text_changed(self, event: TranslationArea.Changed) -> None:
        """Mark the pane unsaved and re-run the checks once typing pauses."""
        pane = event.text_area.parent
        if isinstance(pane, LanguagePane):
            pane.mark_edited()
        if self._checks_timer is not None:
            self._checks_timer.stop()
        self._checks_timer = self.set_timer(CHECK_DELAY, self.refresh_findings)

    # -- history, comments and the other languages' findings (issue 13) ----------------------

    @staticmethod
    def _provenance(origin: Provenance | None) -> tuple[str, str | None, str | None]:
        """A memory match's statement title, volunteer and date, for its suggestion item."""
        return (origin.statement, origin.author, origin.updated) if origin is not None else ("", None, None)

    def _position(self) -> str:
        return f"¶ {self.index + 1} of {len(self.segments)}"

    def action_history(self) -> None:
        """Open the active language's history of this paragraph; the edit in progress is saved first, so it is listed."""
        self.commit()
        self.app.push_screen(HistoryScreen(self.segment, self.lang, position=self._position(), statement=self.document["title"]))

    def action_comment(self) -> None:
        """Write the comment on the active language's translation of this paragraph, in a small dialog."""
        self.commit()
        record = self.active_pane.record
        self.app.push_screen(
            CommentScreen(record.get("comment") or "", lang=self.lang, position=self._position(), source=self.segment["source"]),
            partial(self._comment_written, self.segment["id"], self.lang),
        )

    async def _comment_written(self, segment_id: str, lang: str, comment: str | None) -> None:
        """Save the comment with the version seen; say so when a teammate's comment of meanwhile stays current."""
        segment = self.by_id.get(segment_id)
        if comment is None or segment is None:
            return
        record = segment["translations"][lang]
        if comment == (record.get("comment") or ""):
            return
        self.app.submit_save(SaveRequest("comment", segment_id, lang, expected_version=record["version"], text=record["text"],
                                         status=record["status"], origin=record.get("origin") or "human", comment=comment))
        record.update(version=record["version"] + 1, comment=comment)
        self.refresh_findings()
        await self.app.wait_for_saves()
        saved = self.app.store.translation(segment_id, lang)
        if (saved["comment"] or "") != comment:
            self.notify(f"{saved['author'] or 'Someone'} changed the comment meanwhile: theirs is shown, "
                        "yours is in the history (h, then Enter on it, brings it back).",
                        title="Comment kept in the history", severity="warning", timeout=8, markup=False)
        else:
            self.notify(f"{lang}: comment {'saved' if comment else 'removed'}.", timeout=2, markup=False)

    def action_findings(self) -> None:
        """Move to the other languages' folded findings, where Enter unfolds one (Escape comes back)."""
        folds = self.query_one("#finding-folds", PickList)
        if not folds.display:
            self.notify(f"No findings in the languages besides {self.lang}.", timeout=2, markup=False)
            return
        if folds.highlighted is None:
            folds.highlighted = 0
        folds.focus()
