"""Suggestions for one paragraph: other renderings of its sentences, and completion of what a volunteer typed.

Drafting gives each paragraph one translation. Here the engine is asked for
more, through the same protection as drafting (links, numbers, acronyms and
keep terms masked, restored after; the glossary applied), the same route
(a pair with no direct model goes through English, the first leg cached)
and the same checks (what they find becomes the suggestion's flags):

* :meth:`Suggester.sentence_alternatives`: the engine's n-best renderings of
  one sentence, best first (``capabilities.alternatives``);
* :meth:`Suggester.alternatives`: whole-paragraph alternatives built from
  them, varying the least confident sentences first, so the second choice a
  volunteer sees is the one most likely to be better;
* :meth:`Suggester.complete`: the translation continued from what the
  volunteer typed (``capabilities.prefix``): interactive, prefix-constrained
  MT. The result always starts with the typed text, character for character.

Confidence is the engine's per-sentence score (0-1, see
:class:`~workbench.mt.engine.Hypothesis`); a paragraph's is its least
confident sentence's, and a pivot's is the product of its legs'.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.checks import SourceFacts, draft_flags
from workbench.glossary import Glossary
from workbench.mt.drafting import PIVOT_LANGUAGE, BatchTranslator, MTCache
from workbench.mt.engine import Engine, EngineError, Hypothesis, combined_confidence, lowest_confidence
from workbench.mt.protection import PLACEHOLDER, Masked, keep_spans, localized, mask, placeholder, placeholder_index
from workbench.sentences import sentence_spans
from workbench.store import DraftSentence

SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+$")
"""A typed prefix that ends a sentence and moves on: the next sentence starts from nothing."""


@dataclass(frozen=True)
class Alternative:
    """A whole-paragraph rendering: its text, its least confident sentence's score, and how it was built."""

    text: str
    confidence: float | None
    sentences: tuple[DraftSentence, ...]
    origin: str
    """The engine and models, as drafting records it (``mt:argos/en-es/1.0``): a picked alternative stays machine work."""
    flags: tuple[str, ...] = ()
    """What the checks found in it, as drafting flags a draft."""


@dataclass(frozen=True)
class _Prepared:
    """A paragraph's source, masked, cut into sentences, with its route to the target."""

    source: str
    lang: str
    masked: Masked
    spans: list[tuple[int, int]]
    legs: list[tuple[str, str]]

    @property
    def sentences(self) -> list[str]:
        return [self.masked.text[a:b] for a, b in self.spans]


class Suggester:
    """Alternatives and completions for paragraphs, through one engine, with drafting's protection and cache."""

    def __init__(self, engine: Engine, *, glossary: Glossary | None = None, cache: MTCache | None = None) -> None:
        self.engine = engine
        self.glossary = glossary if glossary is not None else Glossary([])
        self.translator = BatchTranslator(engine, cache)

    # -- alternatives --------------------------------------------------------------------------

    def sentence_alternatives(self, segment: dict[str, Any], locale: str, index: int, count: int = 5) -> list[Hypothesis]:
        """Up to ``count`` distinct renderings of sentence ``index`` of the paragraph, best first, spans restored."""
        prepared = self._prepare(segment, locale)
        if not 0 <= index < len(prepared.spans):
            raise EngineError(f"the paragraph has {len(prepared.spans)} sentences, not {index + 1}")
        return self._sentence_options(prepared, index, locale, count)

    def alternatives(self, segment: dict[str, Any], locale: str, count: int = 5) -> list[Alternative]:
        """Up to ``count`` distinct whole-paragraph alternatives, best first.

        The first joins every sentence's best rendering. The next ones each
        swap one sentence for its next-best rendering, the least confident
        sentence first, then the second-least, and so on, before any third-best.
        """
        prepared = self._prepare(segment, locale)
        options = [self._sentence_options(prepared, index, locale, count) for index in range(len(prepared.spans))]
        if not options or not all(options):
            return []
        best = [choices[0] for choices in options]
        riskiest_first = sorted(range(len(best)), key=lambda i: (_sort_key(best[i].confidence), i))
        combinations = [best]
        for rank in range(1, count):
            for index in riskiest_first:
                if rank < len(options[index]):
                    combinations.append([*best[:index], options[index][rank], *best[index + 1:]])
        alternatives: dict[str, Alternative] = {}
        facts = SourceFacts(prepared.source, self.glossary, prepared.lang)
        for chosen in combinations:
            text = self._join(prepared, [hypothesis.text for hypothesis in chosen])
            if text in alternatives:
                continue
            sentences = tuple(DraftSentence(prepared.masked.original(source), hypothesis.text, hypothesis.confidence)
                              for source, hypothesis in zip(prepared.sentences, chosen, strict=True))
            flags = tuple(draft_flags(facts, text, locale, source_lang=prepared.lang))
            alternatives[text] = Alternative(text, lowest_confidence([h.confidence for h in chosen]), sentences,
                                             self._origin(prepared), flags)
            if len(alternatives) == count:
                break
        return list(alternatives.values())

    def _sentence_options(self, prepared: _Prepared, index: int, locale: str, count: int) -> list[Hypothesis]:
        """The n-best of one masked sentence through the route: earlier legs' best, the last leg's n-best."""
        sentence = prepared.sentences[index]
        lead, (source, target) = self._lead_in(prepared, sentence)
        options = self.engine.alternatives(lead.text, source, target, count)
        restored: dict[str, Hypothesis] = {}
        for option in options:
            text = self._restore(prepared, sentence, option.text, locale)
            restored.setdefault(text, Hypothesis(text, combined_confidence([lead.confidence, option.confidence])))
        return list(restored.values())

    # -- completion ------------------------------------------------------------------------------

    def complete(self, segment: dict[str, Any], locale: str, prefix: str, *, whole: bool = True) -> Hypothesis:
        """The translation continued from ``prefix``; it starts with ``prefix`` exactly.

        The prefix's last, unfinished sentence answers the source sentence in
        the same place (the third typed sentence is the third source
        sentence's); the engine continues it, spans and keep terms masked as
        in drafting. With ``whole``, the sentences after it are translated as
        drafting would (from the cache when it has them) and appended; without,
        only the current sentence is finished (the editor's suggestion).
        Its confidence is the continued sentence's.
        """
        prepared = self._prepare(segment, locale)
        typed_spans = sentence_spans(prefix)
        if not typed_spans or SENTENCE_END.search(prefix):  # nothing typed, or a finished sentence and a space
            index, partial_start = len(typed_spans), len(prefix)
        else:
            index, partial_start = len(typed_spans) - 1, typed_spans[-1][0]
        if index >= len(prepared.spans):
            return Hypothesis(prefix, None)
        partial = prefix[partial_start:]
        sentence = prepared.sentences[index]
        lead, (source, target) = self._lead_in(prepared, sentence)
        present = _placeholders_in(sentence)
        masked_partial = self._mask_typed(prepared, partial, present, locale)
        finished = self.engine.complete(lead.text, masked_partial, source, target)
        if not finished.text.startswith(masked_partial):
            raise EngineError(f"the {self.engine.name} engine changed the words you typed: type the rest")
        continuation = finished.text[len(masked_partial):]
        body = continuation.lstrip()
        # Spans already typed are not missing from the continuation; the others go back where the model left them.
        restored, _ = Masked(body, prepared.masked.spans, frozenset(present - _placeholders_in(masked_partial))).restore(body, locale) if body else ("", [])
        result = prefix + continuation[:len(continuation) - len(body)] + restored
        if whole and index + 1 < len(prepared.spans):
            rest = [self._best(prepared, later, locale) for later in range(index + 1, len(prepared.spans))]
            gap = prepared.masked.text[prepared.spans[index][1]:prepared.spans[index + 1][0]] or " "
            result = result.rstrip() + gap + self._join(prepared, [h.text for h in rest], start=index + 1)
        return Hypothesis(result, combined_confidence([lead.confidence, finished.confidence]))

    def _best(self, prepared: _Prepared, index: int, locale: str) -> Hypothesis:
        """Sentence ``index`` translated as drafting would, restored."""
        sentence = prepared.sentences[index]
        translated = self.translator.translate_through([sentence], prepared.legs)[sentence]
        return Hypothesis(self._restore(prepared, sentence, translated.text, locale), translated.confidence)

    # -- shared steps ----------------------------------------------------------------------------

    def _prepare(self, segment: dict[str, Any], locale: str) -> _Prepared:
        source, lang = segment["source"], segment.get("source_lang") or PIVOT_LANGUAGE
        legs, missing = self.translator.route(lang, self.engine.code(locale))
        if missing:
            pairs = " and ".join(f"{a}->{b}" for a, b in missing)
            raise EngineError(f"no model for {pairs}: {self.engine.how_to_get(missing)}")
        if not legs:
            raise EngineError(f"this paragraph is already in {locale}: there is nothing to translate")
        masked = mask(source, keep_spans(self.glossary, source, lang))
        return _Prepared(source, lang, masked, sentence_spans(masked.text), legs)

    def _lead_in(self, prepared: _Prepared, sentence: str) -> tuple[Hypothesis, tuple[str, str]]:
        """The sentence carried through every leg but the last (a pivot's first leg, cached), and the last leg."""
        *earlier, last = prepared.legs
        if not earlier:
            return Hypothesis(sentence, 1.0), last
        return self.translator.translate_through([sentence], earlier)[sentence], last

    def _restore(self, prepared: _Prepared, masked_sentence: str, translated: str, locale: str) -> str:
        """A sentence's translation with its own spans back in the locale's form and the glossary applied."""
        text, _ = prepared.masked.part(masked_sentence).restore(translated, locale)
        text, _ = self.glossary.enforce(prepared.masked.original(masked_sentence), text, locale, prepared.lang)
        return text

    @staticmethod
    def _mask_typed(prepared: _Prepared, typed: str, present: set[int], locale: str) -> str:
        """What the volunteer typed, with the sentence's spans (as typed, in either form) swapped for their placeholders."""
        for index in sorted(present, key=lambda i: -len(prepared.masked.spans[i].text)):
            span = prepared.masked.spans[index]
            for form in dict.fromkeys((localized(span, locale), span.text)):
                typed = typed.replace(form, placeholder(index))
        return typed

    @staticmethod
    def _join(prepared: _Prepared, texts: Sequence[str], *, start: int = 0) -> str:
        """Sentences ``start``... joined with the source's own spacing between them."""
        pieces: list[str] = []
        for offset, text in enumerate(texts):
            index = start + offset
            if offset:
                pieces.append(prepared.masked.text[prepared.spans[index - 1][1]:prepared.spans[index][0]] or " ")
            pieces.append(text)
        return "".join(pieces)

    def _origin(self, prepared: _Prepared) -> str:
        return "mt:" + ">".join(self.engine.model_key(a, b) or f"{a}-{b}" for a, b in prepared.legs)


def _placeholders_in(text: str) -> set[int]:
    """The indices of the placeholders in a masked text."""
    return {placeholder_index(match.group(1)) for match in PLACEHOLDER.finditer(text)}


def _sort_key(confidence: float | None) -> float:
    """Unknown confidence sorts after every known one."""
    return 2.0 if confidence is None else confidence
