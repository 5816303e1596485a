"""The editor's paragraph column: the source, its change diff and the language panes.

Its two key tables are the editor's two modes: :class:`ParagraphSource` holds
the single-letter keys of navigating, :class:`LanguagePanes` the chords that
work while typing. Every key acts on the screen (``screen.…`` actions).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll

from workbench.tui.widgets.editor.language_pane import CONFIRM_AND_NEXT_KEYS
from workbench.tui.widgets.editor.source_view import SourceView


def _machine_keys(other: str, listing: str) -> list[Binding]:
    """The keys that ask the engine for alternatives, each twinned with a stand-in without a description.

    The editor enables one of each pair: the action when the engine can give
    alternatives (or is not open yet), the stand-in, which only says it
    cannot, when it is known not to. Help and the palette list the action only.
    """
    return [
        Binding(other, "screen.other_rendering", "Other rendering", show=False,
                tooltip="Swap the sentence under the cursor for the machine's next rendering of it"),
        Binding(other, "screen.engine_cannot('alternatives')", "", show=False),
        Binding(listing, "screen.list_alternatives", "Alternatives", show=False,
                tooltip="List whole-paragraph machine alternatives in the side panel, to pick one"),
        Binding(listing, "screen.engine_cannot('alternatives')", "", show=False),
    ]


MACHINE_KEYS = {"navigating": _machine_keys("o,ctrl+o", "l,ctrl+l"), "typing": _machine_keys("ctrl+o", "ctrl+l")}


def history_keys(history: str, comment: str) -> list[Binding]:
    """The keys of the paragraph's history and comment: f9 and f10 in both modes (function keys every
    terminal sends), and ``h`` and ``#`` too while navigating."""
    return [
        Binding(history, "screen.history", "History", show=False,
                tooltip="Every version of this translation: who, when, from where; undo, redo, restore any"),
        Binding(comment, "screen.comment", "Comment", show=False,
                tooltip="Write a comment on this translation, for translators and reviewers"),
    ]


class ParagraphView(VerticalScroll):
    """The paragraph column: the paragraphs around, source, change diff and the four languages."""

    can_focus = False


class SourceBox(VerticalScroll):
    """Holds the source; on a short terminal it has a height limit, and a long source scrolls in it (pgup/pgdn).

    The source stays a plain ``Static`` (a Static cannot scroll its own text),
    and the rest of the column never has to scroll it out of view.
    """

    can_focus = False


class ParagraphSource(SourceView):
    """The source text; it holds the focus in navigation mode, where single letters are keys.

    It is deliberately not an ancestor of the text fields, so none of these
    keys (or their footer entries) apply while typing.
    """

    can_focus = True

    BINDINGS = [
        Binding("enter,i", "screen.edit", "Type", tooltip="Type in the active language's text field (esc stops)"),
        Binding(CONFIRM_AND_NEXT_KEYS, "screen.confirm_and_next", "Confirm & next",
                tooltip="Confirm the text as translated and go to the next unfinished paragraph in this language"),
        Binding("j,down,ctrl+down,alt+down", "screen.next_paragraph", "Next ¶",
                tooltip="Save and go to the next paragraph (that the paragraph filter keeps)"),
        Binding("k,up,ctrl+up,alt+up", "screen.previous_paragraph", "Prev ¶",
                tooltip="Save and go to the previous paragraph (that the paragraph filter keeps)"),
        Binding("tab", "screen.next_language", "Language", tooltip="Save and switch to the next language"),
        Binding("shift+tab", "screen.previous_language", "Previous language", show=False,
                tooltip="Save and switch to the previous language"),
        Binding("n,ctrl+n", "screen.next_todo", "Next to do", show=False, tooltip="Next paragraph not yet translated in this language"),
        Binding("c,ctrl+s", "screen.confirm", "Confirm", tooltip="Mark the translation as translated"),
        Binding("s,ctrl+b", "screen.copy_source", "Copy source", show=False,
                tooltip="Put the source text in the active language's field (names, lists); ctrl+z while typing undoes it"),
        Binding("f", "screen.choose_filter", "Paragraph filter", show=False,
                tooltip="Limit the moves to untranslated paragraphs, flagged drafts, those needing review or with errors"),
        Binding("a", "screen.approve", "Approve", tooltip="Mark the translation as approved"),
        Binding("r", "screen.needs_review", "Needs review", tooltip="Send the translation back to review"),
        Binding("m", "screen.revert_to_mt", "MT draft", tooltip="Put the machine draft back (your text stays in the history)"),
        Binding("u", "screen.undo", "Undo", tooltip="Undo the last saved change of this translation, from its history"),
        Binding("L", "screen.source_language", "Source language", show=False,
                tooltip="Correct the language the paragraph's source is in; its untouched machine drafts are redone"),
        Binding("g,ctrl+g", "screen.insert_term", "Term", tooltip="Insert a glossary term's rendering"),
        Binding("t,ctrl+r", "screen.take_suggestion", "TM", tooltip="Take a translation-memory suggestion"),
        *MACHINE_KEYS["navigating"],
        *(
            Binding(str(number), f"screen.insert_term({number})", f"Insert glossary term {number}", show=False,
                    tooltip=f"Insert the rendering of glossary term {number} of the side panel")
            for number in range(1, 10)
        ),
        Binding("escape", "screen.close", "Back", tooltip="Save and go back to the list of statements (or the review)"),
        *history_keys("h,f9", "number_sign,f10"),
        Binding("f", "screen.findings", "Other languages' checks", show=False,
                tooltip="Go to the other languages' folded findings in the side panel (Enter unfolds one)"),
    ]


class LanguagePanes(Vertical):
    """The four language panes; its keys are the chords that work while typing.

    Kept apart from :class:`ParagraphSource` so the footer shows chords while
    typing and single letters while navigating, never both.
    """

    BINDINGS = [
        Binding("ctrl+down,alt+down", "screen.next_paragraph", "Next ¶", tooltip="Save and go to the next paragraph"),
        Binding("ctrl+up,alt+up", "screen.previous_paragraph", "Prev ¶", tooltip="Save and go to the previous paragraph"),
        Binding("tab", "screen.next_language", "Language", tooltip="Save and switch to the next language"),
        Binding("shift+tab", "screen.previous_language", "Previous language", show=False,
                tooltip="Save and switch to the previous language"),
        Binding("ctrl+n", "screen.next_todo", "Next to do", show=False, tooltip="Next paragraph not yet translated in this language"),
        Binding("ctrl+s", "screen.confirm", "Confirm", tooltip="Save the text as translated"),
        Binding("ctrl+b", "screen.copy_source", "Copy source", show=False,
                tooltip="Replace the text with the source (names, lists); ctrl+z undoes it"),
        Binding("ctrl+g", "screen.insert_term", "Term", tooltip="Insert a glossary term's rendering at the cursor"),
        Binding("ctrl+r", "screen.take_suggestion", "TM", tooltip="Replace the text with a translation-memory suggestion"),
        *MACHINE_KEYS["typing"],
        Binding("ctrl+f", "screen.complete", "Complete", show=False,
                tooltip="Finish the sentence from your words up to the cursor (→ takes it)"),
        Binding("ctrl+f", "screen.engine_cannot('prefix')", "", show=False),
        *history_keys("f9", "f10"),
    ]
