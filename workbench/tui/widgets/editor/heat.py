"""The confidence heat map of a machine draft: where its sentences are in the text, and how they look.

A machine draft remembers its sentences with the engine's confidence in each
(0-1). The editor shows them in four steps, each with a background from the
theme (``$error-muted`` … ``$success-muted``, readable in light and dark
themes) and a glyph from ``▁▃▅▇``, so colour is never the only cue.

The sentences are found in the text in order, once, when a text is shown;
once the volunteer edits the text they no longer describe it, and no heat
map is shown (:func:`locate_sentences` returns None). A :class:`MachineText`
is such a machine rendering with its sentences: the stored draft, another
rendering of one of its sentences, or a whole alternative.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from textual.content import Content

from workbench.store import DraftSentence
from workbench.tui.text import literal


@dataclass(frozen=True)
class Step:
    """One step of the heat map: from ``floor`` up to the next step's floor."""

    glyph: str
    name: str
    floor: float
    background: str
    """The theme variable behind the sentence."""
    colour: str
    """The theme variable the glyph is drawn in."""

    @property
    def component(self) -> str:
        """The text field's component class for this step (styled in ``workbench.tcss``)."""
        return f"heat--{self.name}"

    @property
    def sentence_style(self) -> str:
        return f"on ${self.background}"

    @property
    def glyph_style(self) -> str:
        return f"bold ${self.colour} on ${self.background}"


STEPS: tuple[Step, ...] = (
    Step("▁", "low", 0.0, "error-muted", "text-error"),
    Step("▃", "fair", 0.45, "warning-muted", "text-warning"),
    Step("▅", "good", 0.65, "primary-muted", "text-primary"),
    Step("▇", "high", 0.8, "success-muted", "text-success"),
)
"""Lowest first. The floors fit Argos models' per-token probabilities: a fluent,
in-vocabulary sentence scores above 0.8, one of unknown words below 0.45."""


def step_for(confidence: float) -> Step:
    """The step a confidence falls in."""
    return next(step for step in reversed(STEPS) if confidence >= step.floor)


@dataclass(frozen=True)
class HeatSpan:
    """Where one draft sentence is in the text, and the engine's confidence in it (None when unscored)."""

    start: int
    end: int
    confidence: float | None

    @property
    def step(self) -> Step | None:
        return step_for(self.confidence) if self.confidence is not None else None


def locate_sentences(text: str, sentences: Sequence[DraftSentence]) -> list[HeatSpan] | None:
    """Each draft sentence's place in ``text``, in order; None when the text is no longer the draft.

    The sentences must follow one another with only whitespace between and
    around them: a word typed anywhere means the draft's sentences (and
    their confidence) no longer describe the text.
    """
    if not sentences:
        return None
    spans: list[HeatSpan] = []
    position = 0
    for sentence in sentences:
        wanted = sentence.text
        start = text.find(wanted, position) if wanted else -1
        if start < 0 or text[position:start].strip():
            return None
        spans.append(HeatSpan(start, start + len(wanted), sentence.confidence))
        position = start + len(wanted)
    return None if text[position:].strip() else spans


def span_at(spans: Sequence[HeatSpan], offset: int) -> int:
    """The index of the sentence at ``offset`` (a cursor between sentences belongs to the one before it)."""
    return max((index for index, span in enumerate(spans) if span.start <= offset), default=0)


def heat_text(text: str, spans: Sequence[HeatSpan], muted: Collection[int] = ()) -> Content:
    """The read-only text with each sentence on its step's background and its glyph before it.

    Sentences whose index is in ``muted`` are dimmed instead (an alternative's
    sentences that are the same as the text's).
    """
    pieces: list[Content] = []
    position = 0
    for index, span in enumerate(spans):
        pieces.append(literal(text[position:span.start]))
        step = span.step
        if index in muted:
            pieces.append(literal(text[span.start:span.end], "$text-muted"))
        elif step is None:
            pieces.append(literal(text[span.start:span.end]))
        else:
            pieces += [Content(f"{step.glyph} ").stylize(step.glyph_style), literal(text[span.start:span.end], step.sentence_style)]
        position = span.end
    pieces.append(literal(text[position:]))
    return Content.assemble(*pieces)


def glyph(confidence: float | None) -> Content:
    """One confidence as its glyph on its background ("" when unknown)."""
    if confidence is None:
        return Content("")
    step = step_for(confidence)
    return Content(step.glyph).stylize(step.glyph_style)


def heat_strip(spans: Sequence[HeatSpan]) -> Content:
    """The sentences' glyphs in order, then the legend: "confidence ▇ ▃ ▁   ▁ low ▃ ▅ ▇ high"."""
    glyphs = [glyph(span.confidence) for span in spans if span.confidence is not None]
    return Content.assemble(Content("confidence ").stylize("$text-muted"), Content(" ").join(glyphs), "   ", legend())


def legend() -> Content:
    """"▁ low ▃ ▅ ▇ high", each glyph in its step's colours."""
    parts: list[Content | str] = []
    for step in STEPS:
        parts.append(Content(step.glyph).stylize(step.glyph_style))
        parts.append(Content(" low " if step is STEPS[0] else " high" if step is STEPS[-1] else " ").stylize("$text-muted"))
    return Content.assemble(*parts)


@dataclass(frozen=True)
class MachineText:
    """A machine rendering a field holds: what the heat map and cycling work on, and what is saved as machine work.

    It is the stored draft, or that draft with sentences swapped for other
    renderings (not saved yet): either way the engine's, with its origin.
    """

    text: str
    origin: str
    sentences: tuple[DraftSentence, ...]
    flags: tuple[str, ...] = ()

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> MachineText | None:
        """The machine rendering a stored translation is, or None for one without draft sentences (human work)."""
        sentences = record.get("sentences") or []
        if not sentences or not record.get("text"):
            return None
        return cls(record["text"], record.get("origin") or "mt", tuple(DraftSentence(**sentence) for sentence in sentences),
                   tuple(record.get("flags") or ()))

    @property
    def confidence(self) -> float | None:
        """The least confident sentence's score: how far the whole rendering can be trusted."""
        known = [sentence.confidence for sentence in self.sentences if sentence.confidence is not None]
        return min(known) if known else None

    @cached_property
    def spans(self) -> list[HeatSpan] | None:
        """Where the sentences are in the text (None if they are not all there, in order)."""
        return locate_sentences(self.text, self.sentences)

    def with_sentence(self, index: int, sentence: DraftSentence) -> MachineText:
        """This text with sentence ``index`` swapped for another rendering of it; the flags were for the old text."""
        spans = self.spans
        if spans is None:
            raise ValueError("the sentences are not in the text")
        span = spans[index]
        sentences = (*self.sentences[:index], sentence, *self.sentences[index + 1:])
        return replace(self, text=self.text[:span.start] + sentence.text + self.text[span.end:], sentences=sentences, flags=())
