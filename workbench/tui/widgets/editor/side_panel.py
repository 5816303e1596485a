"""The side panel of the editor: machine alternatives, glossary terms, translation-memory suggestions, QA findings.

Everything a translator would otherwise look up elsewhere, for the current
paragraph and the active language. The term and suggestion lists are
OptionLists so they can be picked from with the keyboard (``ctrl+g``,
``ctrl+r``), and the first entries are numbered for one-key use. The machine's
whole-paragraph alternatives are listed on request (``ctrl+l``), at the top,
each with its heat map.

A memory suggestion shows how its source differs from this paragraph's, word
by word, and where it comes from (statement, volunteer, date). The checks list
the active language's findings; the other languages' are folded, one count
line each, unfolded on demand (``f``, then Enter), since four languages' worth
of findings (27 on one paragraph) buried the ones the volunteer can act on.
The paragraph's comment in the active language closes the panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.tui.text import SEVERITY_LOOKS, literal, one_line, severity_badge
from workbench.tui.widgets.editor.heat import MachineText, glyph, heat_text
from workbench.tui.widgets.editor.word_diff import word_diff


@dataclass(frozen=True)
class TermItem:
    """A glossary term of the paragraph, as the side panel shows it."""

    source_text: str
    """The words as they appear in the source."""
    term: str
    rendering: str | None
    verified: bool
    treatment: str
    notes: str = ""


@dataclass(frozen=True)
class SuggestionItem:
    """A translation-memory match: a translation of a similar source, and where it comes from."""

    score: float
    text: str
    source: str
    paragraph: str = ""
    """The source being translated now, which ``source`` is compared with word by word."""
    statement: str = ""
    """The title of the statement the match translates a paragraph of."""
    author: str | None = None
    updated: str | None = None


class PickList(OptionList):
    """An OptionList that hands focus back to the text field when the pick is done or abandoned."""

    BINDINGS = [
        Binding("escape", "screen.focus_editor", "Back to text", tooltip="Return to the translation field"),
    ]


def term_prompt(number: int, item: TermItem) -> Content:
    """"1 migrant workers → trabajadores migrantes", with verification and treatment marks."""
    rendering = (
        literal(item.rendering, "bold") if item.rendering
        else Content("no rendering yet").stylize("italic $text-muted")
    )
    marks = []
    if item.treatment == "keep":
        marks.append(Content(" keep as is").stylize("$text-muted"))
    if item.rendering and not item.verified:
        marks.append(Content(" ? unverified").stylize("$text-warning"))
    lines = [
        Content.assemble(
            Content(f"{number} ").stylize("bold $text-accent") if number <= 9 else "  ",
            literal(item.source_text, "$text-accent"), " → ", rendering, *marks,
        )
    ]
    if item.notes:
        lines.append(Content.assemble("  ", literal(item.notes, "italic $text-muted")))
    return Content("\n").join(lines)


def score_style(score: float) -> str:
    if score >= 90:
        return "bold $text-success"
    if score >= 70:
        return "bold $text-warning"
    return "bold $text-muted"


def suggestion_prompt(item: SuggestionItem) -> Content:
    """"92%  La Alianza …", how its source differs from this paragraph's, and where it comes from.

    The diff is this paragraph's source with the match's words that are not
    in it struck through and its own new words underlined: what the
    suggestion's text would need changing for. An identical source says so.
    """
    if item.paragraph and item.paragraph != item.source:
        compared = word_diff(item.source, item.paragraph).stylize("italic")
    elif item.paragraph:
        compared = Content("same source").stylize("italic $text-muted")
    else:
        compared = literal(item.source, "italic $text-muted")
    origin = [part for part in (one_line(item.statement, 48), item.author or "", (item.updated or "")[:10]) if part]
    lines = [Content.assemble(Content(f"{item.score:>3.0f}% ").stylize(score_style(item.score)), literal(item.text)), compared]
    if origin:
        lines.append(literal(" · ".join(origin), "$text-muted"))
    return Content("\n").join(lines)


def alternative_prompt(number: int, item: MachineText, current: MachineText | None) -> Content:
    """"1 ▃ 56%" and the alternative: the sentences it changes in the text with their heat map, the others dimmed.

    Alternatives differ from the draft in a sentence or two; dimming what
    stays the same puts the eye on what would change.
    """
    confidence = item.confidence
    parts: list[Content | str] = [Content(f"{number} ").stylize("bold $text-accent"), glyph(confidence)]
    if confidence is not None:
        parts.append(Content(f" {confidence:.0%}").stylize("$text-muted"))
    spans = item.spans
    if not spans:
        return Content.assemble(*parts, "\n", literal(item.text))
    theirs = current.sentences if current is not None else ()
    same = {index for index, sentence in enumerate(item.sentences) if index < len(theirs) and theirs[index].text == sentence.text}
    if len(same) == len(spans):
        parts.append(Content("  the text now").stylize("italic $text-muted"))
    return Content.assemble(*parts, "\n", heat_text(item.text, spans, muted=same))


def finding_line(finding: Any) -> Content:
    """A QA finding: severity glyph and message (the message may quote statement text); its language is the section's."""
    return Content.assemble(severity_badge(finding.severity), " ", literal(str(finding.message)))


def fold_prompt(lang: str, findings: Sequence[Any], unfolded: bool) -> Content:
    """"▸ fr_CA  ✖ 1 ▲ 2": another language's findings counted by severity; unfolded, the findings follow."""
    counts = [
        Content.assemble(severity_badge(severity), f" {count}")
        for severity in SEVERITY_LOOKS
        if (count := sum(1 for finding in findings if finding.severity == severity))
    ]
    head = Content.assemble(Content("▾ " if unfolded else "▸ ").stylize("$text-accent"), Content(lang).stylize("bold"), "  ",
                            Content(" ").join(counts))
    if not unfolded:
        return head
    return Content("\n").join([head, *(Content.assemble("  ", finding_line(finding)) for finding in findings)])


class SidePanel(VerticalScroll):
    """Stacked sections; each says plainly when it has nothing to show, or hides when it has nothing to say."""

    can_focus = False

    def __init__(self, **widget_options: Any) -> None:
        super().__init__(**widget_options)
        self.unfolded: set[str] = set()
        """Languages whose findings the volunteer unfolded: they stay so from paragraph to paragraph."""
        self.folded_findings: dict[str, list[Any]] = {}
        """The other languages' findings shown folded, by language, in the order of the fold lines."""

    def compose(self) -> ComposeResult:
        yield Static(id="alternatives-title", classes="side-title")
        yield Static(id="alternatives-note", classes="side-note")
        yield PickList(id="alternatives")
        yield Static(id="terms-title", classes="side-title")
        yield Static(id="terms-note", classes="side-note")
        yield PickList(id="terms")
        yield Static(id="suggestions-title", classes="side-title")
        yield Static(id="suggestions-note", classes="side-note")
        yield PickList(id="suggestions")
        yield Static(id="flags-title", classes="side-title")
        yield Static(id="flags")
        yield Static(id="findings-title", classes="side-title")
        yield Static(id="findings")
        yield PickList(id="finding-folds")
        yield Static(id="comment-title", classes="side-title")
        yield Static(id="comment")

    def _section(self, name: str, title: str, lang: str | None, note: str | None) -> None:
        parts: list[Content | str] = [Content(title)]
        if lang:
            parts.append(Content(f"  → {lang}").stylize("$text-muted"))
        self.query_one(f"#{name}-title", Static).update(Content.assemble(*parts))
        note_widget = self.query_one(f"#{name}-note", Static)
        note_widget.display = note is not None
        if note is not None:
            note_widget.update(Content(note).stylize("italic $text-muted"))

    def show_alternatives(self, items: Sequence[MachineText] | None, lang: str, current: MachineText | None = None) -> None:
        """The machine's alternatives for the paragraph (``None`` while the engine is asked), against the ``current`` text."""
        listed = self.query_one("#alternatives", PickList)
        listed.set_options(Option(alternative_prompt(number, item, current), id=str(number))
                           for number, item in enumerate(items or [], 1))
        listed.display = bool(items)
        self.query_one("#alternatives-title", Static).display = True
        note = "asking the engine…" if items is None else None if items else "the engine has no alternatives for this paragraph"
        self._section("alternatives", "Machine alternatives", lang, note)

    def hide_alternatives(self) -> None:
        """Alternatives belong to one paragraph and language: hidden on moving on."""
        for name in ("#alternatives-title", "#alternatives-note", "#alternatives"):
            self.query_one(name).display = False

    def show_terms(self, items: Sequence[TermItem], lang: str) -> None:
        terms = self.query_one("#terms", PickList)
        terms.set_options(Option(term_prompt(number, item), id=str(number)) for number, item in enumerate(items, 1))
        terms.display = bool(items)
        self._section("terms", "Glossary", lang, None if items else "no terms in this paragraph")

    def show_suggestions(self, items: Sequence[SuggestionItem] | None, lang: str) -> None:
        """``None`` means the lookup is still running."""
        suggestions = self.query_one("#suggestions", PickList)
        suggestions.set_options(Option(suggestion_prompt(item), id=str(number)) for number, item in enumerate(items or [], 1))
        suggestions.display = bool(items)
        note = "looking…" if items is None else None if items else "no similar paragraphs"
        self._section("suggestions", "Translation memory", lang, note)

    def show_flags(self, flags: Sequence[str], lang: str) -> None:
        """What the machine doubts about its draft in ``lang``; hidden when there is nothing to say."""
        title, view = self.query_one("#flags-title", Static), self.query_one("#flags", Static)
        title.display = view.display = bool(flags)
        if flags:
            title.update(Content.assemble(Content("Machine draft flags").stylize("$text-warning"),
                                          Content(f"  → {lang}").stylize("$text-muted")))
            view.update(Content("\n").join(Content.assemble(Content("⚑ ").stylize("$text-warning"), literal(flag))
                                            for flag in flags))

    def show_findings(self, findings: Sequence[Any], lang: str) -> None:
        """``lang``'s findings listed, every other language's folded into a count line (in the order found)."""
        mine = [finding for finding in findings if finding.lang == lang]
        others: dict[str, list[Any]] = {}
        for finding in findings:
            if finding.lang != lang:
                others.setdefault(finding.lang, []).append(finding)
        view = self.query_one("#findings", Static)
        if mine:
            view.update(Content("\n").join(finding_line(finding) for finding in mine))
        else:
            view.update(Content("✔ no problems found").stylize("$text-success"))
        title: list[Content | str] = [Content("Checks"), Content(f"  → {lang}").stylize("$text-muted")]
        if mine:
            title.append(Content(f"  {len(mine)}").stylize("bold $text-warning"))
        if others:
            title.append(Content(f"  +{sum(map(len, others.values()))} in other languages (f)").stylize("$text-muted"))
        self.query_one("#findings-title", Static).update(Content.assemble(*title))
        self.folded_findings = others
        self._show_folds()

    def _show_folds(self) -> None:
        folds = self.query_one("#finding-folds", PickList)
        highlighted = folds.highlighted
        folds.set_options(Option(fold_prompt(lang, items, lang in self.unfolded), id=lang)
                          for lang, items in self.folded_findings.items())
        folds.display = bool(self.folded_findings)
        if highlighted is not None and self.folded_findings:
            folds.highlighted = min(highlighted, len(self.folded_findings) - 1)

    @on(OptionList.OptionSelected, "#finding-folds")
    def fold_picked(self, event: OptionList.OptionSelected) -> None:
        """Enter on a language's count line unfolds its findings, or folds them again."""
        event.stop()
        lang = str(event.option.id)
        self.unfolded ^= {lang}
        self._show_folds()

    def show_comment(self, comment: str | None, lang: str) -> None:
        """The paragraph's comment in ``lang``, for translators and reviewers; hidden when there is none."""
        title, view = self.query_one("#comment-title", Static), self.query_one("#comment", Static)
        title.display = view.display = bool(comment)
        if comment:
            title.update(Content.assemble(Content("Comment"), Content(f"  → {lang}").stylize("$text-muted")))
            view.update(literal(comment, "italic"))
