"""Machine-translation drafts: batched, cached, pivoting, cancellable, and never over human work.

The pieces, from the bottom up:

* an :class:`~workbench.mt.engine.Engine` translates sentences (Argos on this
  machine, or a shared LibreTranslate server);
* :class:`BatchTranslator` turns paragraphs into translations through any
  engine. It splits them into sentences itself (:mod:`workbench.sentences`;
  Argos's splitter downloads a model at first use and fails offline),
  translates every distinct sentence of a run for a language pair together,
  in a few large batches rather than one call per paragraph, and caches each
  sentence by model and version in the workspace database. A pair with no
  direct model goes through English (tl->en->es).
* :func:`draft_translations` fills a workspace: translation memory (an
  identical source a volunteer already translated) first, MT for the rest,
  all stored as ``machine`` drafts through the store's SQL-guarded write, so
  ``needs-review``, ``translated`` and ``approved`` text is never touched.

Progress (done/total, rate, ETA) goes to a callback and a ``threading.Event``
cancels between batches, so the TUI can run a draft in a worker thread.
Drafts are saved a portion of paragraphs at a time as the run goes, so work
finished before a cancel, or before an engine error that stops the run, is
kept. A sentence the engine cannot translate fails only its own paragraph:
that paragraph gets no draft and the report names it (``mt failed: ...``).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.checks import SourceFacts, draft_flags
from workbench.glossary import Glossary
from workbench.mt.engine import Engine, EngineError, Hypothesis, Pair, SentencesFailed, combined_confidence, lowest_confidence
from workbench.mt.protection import Masked, keep_spans, mask
from workbench.sentences import sentence_spans
from workbench.store import Draft, DraftSentence, Store, is_machine_draft
from workbench.tm import TranslationMemory


PIVOT_LANGUAGE = "en"

CHUNK_CHARACTERS = 12_000
"""Source characters per engine call (about 3,000 tokens): big enough to
keep the batches full, small enough to report progress, honour a cancel and
save the finished paragraphs every few seconds."""


# -- cache -----------------------------------------------------------------------------------------


class MTCache:
    """Translations by (model key, sentence) with their confidence, in memory and, given a workspace store, in its database.

    Keying by model and version means re-drafting after an edit, or drafting
    a statement that repeats another's paragraphs, costs no model calls, and
    installing a new model version invalidates nothing by hand.
    """

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self._memory: dict[tuple[str, str], Hypothesis] = {}
        self._lock = threading.Lock()

    def get_many(self, model: str, sentences: Sequence[str]) -> dict[str, Hypothesis]:
        with self._lock:
            found = {s: self._memory[(model, s)] for s in sentences if (model, s) in self._memory}
            missing = [s for s in dict.fromkeys(sentences) if s not in found]
            if self.store is not None and missing:
                stored = {source: Hypothesis(target, confidence)
                          for source, (target, confidence) in self.store.cached_translations(model, missing).items()}
                found.update(stored)
                self._memory.update(((model, source), hypothesis) for source, hypothesis in stored.items())
            return found

    def put_many(self, model: str, translations: dict[str, Hypothesis]) -> None:
        with self._lock:
            for source, hypothesis in translations.items():
                self._memory[(model, source)] = hypothesis
            if self.store is not None:
                self.store.cache_translations(model, {source: (h.text, h.confidence) for source, h in translations.items()})


# -- progress --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A progress report: sentences done of the run's total, and the model's pace."""

    done: int
    total: int
    elapsed: float
    rate: float
    """Sentences per second the model translates (cache hits excluded); 0 before the first batch."""
    label: str = ""

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, or None while unknown."""
        if self.done >= self.total:
            return 0.0
        return (self.total - self.done) / self.rate if self.rate > 0 else None


ProgressCallback = Callable[[Progress], None]


class _Tracker:
    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self.translated = 0
        self.started = time.monotonic()
        self.callback = callback

    def advance(self, count: int, *, translated: int = 0, label: str = "") -> None:
        self.done = min(self.total, self.done + count)
        self.translated += translated
        if self.callback is not None:
            elapsed = time.monotonic() - self.started
            rate = self.translated / elapsed if self.translated and elapsed > 0 else 0.0
            self.callback(Progress(self.done, self.total, elapsed, rate, label))


# -- the engine ------------------------------------------------------------------------------------


@dataclass
class Job:
    """Texts to translate from one language into another, prepared by :meth:`BatchTranslator.prepare`."""

    texts: list[str]
    source: str
    target: str
    legs: list[tuple[str, str]]
    """The pairs to chain: one for a direct model, two through English, none when copying."""
    skipped: str | None = None
    """Why the job cannot run, e.g. "no model for tl->en"."""
    missing: list[tuple[str, str]] = field(default_factory=list)
    """The pairs whose models would let a skipped job run."""
    spans: list[list[tuple[int, int]]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    """The distinct sentences of all texts."""
    results: list[str | None] = field(default_factory=list)
    """A translation per text; None when skipped, failed, or cancelled before it was done."""
    failures: dict[int, str] = field(default_factory=dict)
    """Why the engine could not translate a text (one of its sentences), by the text's index."""
    translated: dict[str, Hypothesis] = field(default_factory=dict)
    """Each distinct sentence's final translation, with its confidence through every leg."""
    origin: str = ""

    @property
    def work(self) -> int:
        return len(self.sentences) * len(self.legs)

    def sentences_of(self, index: int) -> list[str]:
        """The sentences of text ``index``, in order."""
        text = self.texts[index]
        return [text[a:b] for a, b in self.spans[index]]


FinishedCallback = Callable[[Job, list[int]], None]
"""Told, after each portion of a run, the job and the indices of the texts that portion finished."""


class BatchTranslator:
    """Batched, cached, pivoting translation of paragraphs through an :class:`~workbench.mt.engine.Engine`."""

    def __init__(self, engine: Engine, cache: MTCache | None = None, *, chunk_characters: int = CHUNK_CHARACTERS) -> None:
        self.engine = engine
        self.cache = cache if cache is not None else MTCache()
        self.chunk_characters = chunk_characters

    def route(self, source: str, target: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The legs to chain from ``source`` to ``target``, and the pairs whose models are missing (to name them in an install hint).

        No legs and nothing missing means the texts are already in the target language.
        """
        if source == target:
            return [], []
        if self.engine.model_key(source, target):
            return [(source, target)], []
        if source != PIVOT_LANGUAGE and target != PIVOT_LANGUAGE:
            legs = [(source, PIVOT_LANGUAGE), (PIVOT_LANGUAGE, target)]
            missing = [(a, b) for a, b in legs if not self.engine.model_key(a, b)]
            return ([], missing) if missing else (legs, [])
        return [], [(source, target)]

    def prepare(self, texts: Sequence[str], source: str, target: str) -> Job:
        """Split the texts into sentences and choose the route, without translating yet."""
        legs, missing = self.route(source, target)
        job = Job(list(texts), source, target, legs, _no_model(missing), missing)
        job.spans = [sentence_spans(text) for text in job.texts]
        job.sentences = list(dict.fromkeys(text[a:b] for text, spans in zip(job.texts, job.spans, strict=True) for a, b in spans))
        job.origin = "copy" if not legs and not missing else "mt:" + ">".join(
            self.engine.model_key(a, b) or f"{a}-{b}" for a, b in legs)
        job.results = [None] * len(job.texts)
        return job

    def run(self, jobs: Sequence[Job], *, progress: ProgressCallback | None = None,
            cancel: threading.Event | None = None, finished: FinishedCallback | None = None) -> bool:
        """Translate the jobs' texts in place, a portion at a time; returns False if cancelled.

        A portion is as many texts, in order, as make one engine call of new
        sentences (:data:`CHUNK_CHARACTERS`). After each, ``finished`` gets the
        job and the indices of the portion's texts, translated or failed (see
        :attr:`Job.failures`), so they can be saved while the run goes on.
        """

        def cancelled() -> bool:
            return cancel is not None and cancel.is_set()

        tracker = _Tracker(sum(job.work for job in jobs if not job.skipped), progress)
        for job in jobs:
            if job.skipped:
                continue
            translated = job.translated
            failed: dict[str, str] = {}
            for portion in self._portions(job):
                if cancelled():
                    return False
                todo = list(dict.fromkeys(s for i in portion for s in job.sentences_of(i) if s not in translated and s not in failed))
                more, errors = self._translate_through(todo, job.legs, tracker, cancel)
                translated.update(more)
                failed.update(errors)
                for i in portion:
                    job.results[i] = self._assemble(job.texts[i], job.spans[i], translated)
                    reasons = [failed[s] for s in job.sentences_of(i) if s in failed]
                    if reasons:
                        job.failures[i] = reasons[0]
                if finished is not None:
                    finished(job, portion)
        return not cancelled()

    def translate_texts(self, texts: Sequence[str], source: str, target: str, *,
                        progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> list[str | None]:
        """Translate paragraphs from ``source`` to ``target``; None for texts left undone (skipped or cancelled)."""
        job = self.prepare(texts, source, target)
        self.run([job], progress=progress, cancel=cancel)
        return job.results

    def translate_through(self, sentences: Sequence[str], legs: list[tuple[str, str]]) -> dict[str, Hypothesis]:
        """Distinct sentences through a route, cached as drafting caches them; a sentence the engine fails on is an
        :class:`EngineError`. For a few sentences at a time (suggestions), with no progress to report."""
        translated, failed = self._translate_through(list(dict.fromkeys(sentences)), legs, _Tracker(0, None), None)
        if failed:
            raise EngineError(f"the model cannot translate this sentence ({next(iter(failed.values()))}): "
                              "translate it by hand or split it into shorter sentences")
        return translated

    def _portions(self, job: Job) -> Iterable[list[int]]:
        """The job's text indices in order, grouped so that each group's new sentences make about one chunk."""
        seen: set[str] = set()
        portion: list[int] = []
        size = 0
        for index in range(len(job.texts)):
            new = [s for s in dict.fromkeys(job.sentences_of(index)) if s not in seen]
            cost = sum(map(len, new))
            if portion and size + cost > self.chunk_characters:
                yield portion
                portion, size = [], 0
            portion.append(index)
            size += cost
            seen.update(new)
        if portion:
            yield portion

    def _translate_through(self, sentences: list[str], legs: list[tuple[str, str]], tracker: _Tracker,
                           cancel: threading.Event | None) -> tuple[dict[str, Hypothesis], dict[str, str]]:
        """The distinct ``sentences`` through every leg: their final translations (a chain's confidence is the
        product of its legs'), and why the others failed."""
        chains = {s: Hypothesis(s, 1.0) for s in sentences}
        failures: dict[str, str] = {}
        for step, (source, target) in enumerate(legs):
            label = f"{source}->{target}"
            translations = {s: chain.text for s, chain in chains.items()}
            inputs = list(dict.fromkeys(translations.values()))
            if len(inputs) < len(translations):  # the first leg made some sentences identical
                tracker.advance(len(translations) - len(inputs), label=label)
            done, errors = self._translate_leg(inputs, source, target, tracker, cancel)
            lost = {s: errors[t] for s, t in translations.items() if t in errors}
            failures.update(lost)
            tracker.advance(len(lost) * (len(legs) - step - 1), label=label)  # the legs a failed sentence skips
            chains = {s: Hypothesis(done[t].text, combined_confidence([chains[s].confidence, done[t].confidence]))
                      for s, t in translations.items() if t in done}
        return chains, failures

    def _translate_leg(self, sentences: list[str], source: str, target: str, tracker: _Tracker,
                       cancel: threading.Event | None) -> tuple[dict[str, Hypothesis], dict[str, str]]:
        """Translations of the distinct ``sentences`` (cached ones first, the rest in length-sorted chunks), and
        why the engine failed on the others."""
        model = self.engine.model_key(source, target)
        assert model is not None, f"route chose {source}->{target} without a model"
        done = self.cache.get_many(model, sentences)
        errors: dict[str, str] = {}
        label = f"{source}->{target}"
        tracker.advance(len(done), label=label)
        todo = sorted((s for s in sentences if s not in done), key=len)  # similar lengths batch with less padding
        for chunk in self._chunks(todo):
            if cancel is not None and cancel.is_set():
                break
            outputs: list[Hypothesis | None]
            try:
                outputs = list(self.engine.translate_scored(chunk, source, target))
            except SentencesFailed as failure:
                outputs = [None if text is None else Hypothesis(text, confidence)
                           for text, confidence in zip(failure.translations, failure.confidences, strict=True)]
                errors.update((chunk[index], reason) for index, reason in failure.reasons.items())
            fresh = {s: t for s, t in zip(chunk, outputs, strict=True) if t is not None}
            self.cache.put_many(model, fresh)
            done.update(fresh)
            tracker.advance(len(chunk), translated=len(chunk), label=label)
        return done, errors

    def _chunks(self, sentences: list[str]) -> Iterable[list[str]]:
        chunk: list[str] = []
        size = 0
        for sentence in sentences:
            if chunk and size + len(sentence) > self.chunk_characters:
                yield chunk
                chunk, size = [], 0
            chunk.append(sentence)
            size += len(sentence)
        if chunk:
            yield chunk

    @staticmethod
    def _assemble(text: str, spans: list[tuple[int, int]], translations: dict[str, Hypothesis]) -> str | None:
        """Put translated sentences back with the source's own spacing and line breaks."""
        pieces: list[str] = []
        cursor = 0
        for start, end in spans:
            translated = translations.get(text[start:end])
            if translated is None:
                return None
            pieces += [text[cursor:start], translated.text]
            cursor = end
        pieces.append(text[cursor:])
        return "".join(pieces)


def _no_model(missing: list[tuple[str, str]]) -> str | None:
    """The skip reason a volunteer sees, e.g. "no model for tl->en"; None when nothing is missing."""
    return f"no model for {' and '.join(f'{a}->{b}' for a, b in missing)}" if missing else None


# -- drafting a workspace ------------------------------------------------------------------------------


@dataclass
class LanguageReport:
    """What drafting did for one target locale."""

    locale: str
    machine: int = 0
    memory: int = 0
    copied: int = 0
    human: int = 0
    """Segments left alone because a volunteer has worked on them."""
    already: int = 0
    """Segments that already had a machine draft (use --retranslate to refresh them)."""
    flagged: int = 0
    """Drafts that carry flags (a restored span, a glossary term missing, a repeated word, ...)."""
    skipped: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """Model pairs whose absence made segments be skipped."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """Segments the engine failed on, with why (``mt failed: ...``): they got no draft."""

    def lines(self) -> list[str]:
        written = f"{self.locale}: {self.machine} machine-translated, {self.memory} from memory"
        if self.copied:
            written += f", {self.copied} copied (already in {self.locale})"
        # Only what is there: a row of zeros hides the one figure a volunteer needs.
        alone = [f"{self.human} with human work"] if self.human else []
        if self.already:
            alone.append(f"{self.already} earlier machine drafts (--retranslate refreshes them)")
        if alone:
            written += f"; left alone: {', '.join(alone)}"
        lines = [written]
        if self.flagged:
            lines.append(
                f"{self.locale}: {self.flagged} drafts carry flags and need review: "
                f"run 'workbench check --lang {self.locale}' or see the side panel"
            )
        lines += [f"{self.locale}: skipped: {reason}" for reason in self.skipped]
        lines += [f"{self.locale}: no draft for {segment}: {flag}" for segment, flag in self.failed]
        return lines


@dataclass
class DraftReport:
    """What a drafting run did in every language, and how to get what it could not do."""

    languages: list[LanguageReport]
    cancelled: bool = False
    hint: str | None = None
    """The engine's own words on how to obtain the missing pairs (see :meth:`Engine.how_to_get`)."""

    @property
    def missing(self) -> list[Pair]:
        """Every pair whose absence made segments be skipped, each once."""
        return list(dict.fromkeys(pair for report in self.languages for pair in report.missing))

    @property
    def failed(self) -> list[tuple[str, str, str]]:
        """Every segment that got no draft because the engine failed on it: (locale, segment id, ``mt failed: ...``)."""
        return [(report.locale, segment, flag) for report in self.languages for segment, flag in report.failed]

    def lines(self) -> list[str]:
        """The full report ``workbench translate`` prints."""
        lines = [line for report in self.languages for line in report.lines()]
        if self.missing and self.hint:
            lines.append(f"to draft the skipped segments, {self.hint}")
        if self.failed:
            count = len(self.failed)
            lines.append(f"MT failed on {count} segment{'s' if count != 1 else ''}, left without a draft: "
                         "translate by hand, or split the longest sentences and run the command again")
        if self.cancelled:
            lines.append("cancelled: finished paragraphs were saved; run the command again to continue")
        return lines

    def summary(self) -> str:
        """One line per language, short enough for a notification."""
        lines = []
        for report in self.languages:
            parts = [f"{report.machine} drafted"]
            if report.memory:
                parts.append(f"{report.memory} from memory")
            if report.copied:
                parts.append(f"{report.copied} already in {report.locale}")
            line = f"{report.locale}: " + ", ".join(parts)
            if report.missing:
                line += f"; skipped, no model for {', '.join(f'{a}->{b}' for a, b in report.missing)}"
            if report.failed:
                line += f"; MT failed on {len(report.failed)}, left without a draft"
            lines.append(line)
        if self.cancelled:
            lines.append("Paragraphs drafted before the cancel are kept.")
        return "\n".join(lines)


def draft_translations(
    store: Store,
    locales: Sequence[str],
    *,
    statement_id: int | None = None,
    segment_ids: Collection[str] | None = None,
    retranslate: bool = False,
    engine: Engine,
    cache: MTCache | None = None,
    memory: TranslationMemory | None = None,
    glossary: Glossary | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> DraftReport:
    """Fill the segments no volunteer has worked on with ``machine`` drafts.

    Per segment and locale: nothing if it has human work; with no draft yet
    (or a machine draft and ``retranslate``), an identical source's human
    translation from memory, else the source itself if it is already in that
    language, else MT. Links, numbers, dates, acronyms and the glossary's keep
    terms are shielded from MT (:mod:`workbench.mt.protection`), forbidden
    renderings are replaced (:meth:`Glossary.enforce`), and every draft is
    checked as ``workbench check`` would: what it finds becomes the draft's flags.
    ``segment_ids`` limits the run to those segments (of ``statement_id``, if given).

    Drafts are saved as the run goes, a portion at a time (those from memory
    first), so an error that stops the run, or a cancel, keeps what was done.
    A segment with a sentence the engine fails on gets no draft: the report
    lists it in :attr:`LanguageReport.failed` and the run goes on.

    To draft in a worker thread (the TUI), give it a ``Store`` opened in that
    thread: its own SQLite connection writes while the interface reads (WAL),
    instead of sharing one connection's transaction between threads.
    """
    translator = BatchTranslator(engine, cache if cache is not None else MTCache(store))
    memory = memory or TranslationMemory(store)
    segments = store.segments(statement_id)
    if segment_ids is not None:
        wanted = set(segment_ids)
        segments = [segment for segment in segments if segment["id"] in wanted]
    reports: list[LanguageReport] = []
    plans: list[tuple[LanguageReport, list[Draft], list[tuple[Job, list[dict[str, Any]], list[Masked]]]]] = []
    masked: dict[tuple[str, str], Masked] = {}

    def protect(source: str, lang: str) -> Masked:
        """The source with its spans and keep terms masked: the same for every locale, so found once."""
        if (source, lang) not in masked:
            masked[(source, lang)] = mask(source, keep_spans(glossary, source, lang) if glossary is not None else ())
        return masked[(source, lang)]

    for locale in locales:
        report = LanguageReport(locale)
        reports.append(report)
        code = engine.code(locale)
        saved = store.translations(statement_id=statement_id, lang=locale)
        drafts: list[Draft] = []
        to_translate: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for segment in segments:
            current = saved.get(segment["id"], {}).get(locale, {"status": "untranslated"})
            if current["status"] != "untranslated" and not is_machine_draft(current):
                report.human += 1
                continue
            if current["status"] != "untranslated" and not retranslate:
                report.already += 1
                continue
            remembered = memory.exact(segment["source"], locale, exclude_segment=segment["id"])
            if remembered is not None:
                drafts.append(Draft(segment["id"], locale, remembered.target, f"tm:{remembered.segment_id}"))
                report.memory += 1
                continue
            to_translate[segment.get("source_lang") or PIVOT_LANGUAGE].append(segment)
        jobs = []
        for source_lang, group in to_translate.items():
            masks = [protect(segment["source"], source_lang) for segment in group]
            job = translator.prepare([masked.text for masked in masks], source_lang, code)
            if job.skipped:
                report.skipped.append(f"{job.skipped} ({len(group)} segment{'s' if len(group) != 1 else ''} in {source_lang})")
                report.missing += [pair for pair in job.missing if pair not in report.missing]
            jobs.append((job, group, masks))
        plans.append((report, drafts, jobs))

    missing = list(dict.fromkeys(pair for report in reports for pair in report.missing))
    if missing and not engine.capabilities.install:
        # A shared server is kept by someone else: draft nothing rather than half a run.
        pairs = ", ".join(f"{a}->{b}" for a, b in missing)
        raise EngineError(f"the {engine.name} engine cannot translate {pairs}: {engine.how_to_get(missing)}")
    for _, drafts, _ in plans:
        store.save_machine_drafts(drafts, retranslate=retranslate)  # from memory: finished before any MT
    reviewer = _DraftReviewer(glossary)
    owners = {id(job): (report, group, masks) for report, _, jobs in plans for job, group, masks in jobs}

    def save(job: Job, indices: list[int]) -> None:
        """Review and save the texts a portion of the run finished, so a later failure or cancel keeps them."""
        report, group, masks = owners[id(job)]
        drafts = []
        for index in indices:
            segment, result = group[index], job.results[index]
            if result is None:
                if index in job.failures:
                    report.failed.append((segment["id"], f"mt failed: {job.failures[index]}"))
                continue
            if job.origin == "copy":
                drafts.append(Draft(segment["id"], report.locale, segment["source"], job.origin))
                report.copied += 1
                continue
            text, flags = reviewer.review(segment, masks[index], result, report.locale)
            scored = [job.translated[sentence] for sentence in job.sentences_of(index)]
            sentences = draft_sentences(masks[index], job.sentences_of(index), scored, text)
            drafts.append(Draft(segment["id"], report.locale, text, job.origin, flags=tuple(flags), sentences=sentences))
            report.machine += 1
            report.flagged += bool(flags)
        store.save_machine_drafts(drafts, retranslate=retranslate)

    # One run over every locale's jobs: one progress total and ETA, one place to cancel.
    finished = translator.run([job for _, _, jobs in plans for job, _, _ in jobs if not job.skipped],
                              progress=progress, cancel=cancel, finished=save)
    report = DraftReport(reports, cancelled=not finished)
    if report.missing:
        report.hint = engine.how_to_get(report.missing)
    return report


def draft_sentences(masked: Masked, masked_sentences: Sequence[str], hypotheses: Sequence[Hypothesis],
                    text: str) -> tuple[DraftSentence, ...]:
    """A finished draft sentence by sentence, each with its source sentence and confidence.

    The draft's text is the translations after spans were restored and the
    glossary applied, so its sentences are found again in it; when their
    number differs from the source's (a model that merged or split one),
    the whole text is one entry with its least confident sentence's score.
    Unscored translations (an engine without ``scores``) give no sentences.
    """
    if not hypotheses or all(hypothesis.confidence is None for hypothesis in hypotheses):
        return ()
    sources = [masked.original(sentence) for sentence in masked_sentences]
    spans = sentence_spans(text)
    if len(spans) == len(sources):
        return tuple(DraftSentence(source, text[a:b], hypothesis.confidence)
                     for source, (a, b), hypothesis in zip(sources, spans, hypotheses, strict=True))
    return (DraftSentence(masked.original(masked.text), text, lowest_confidence([h.confidence for h in hypotheses])),)


class _DraftReviewer:
    """Turns a raw machine translation into a draft: spans restored, glossary applied, findings as flags.

    The checks are the ones ``workbench check`` runs, so a draft that would be
    reported there carries flags that say why before anyone opens it. What
    they know of a source is computed once for all its languages.
    """

    def __init__(self, glossary: Glossary | None) -> None:
        self.glossary = glossary if glossary is not None else Glossary([])
        self._facts: dict[tuple[str, str], SourceFacts] = {}

    def review(self, segment: dict[str, Any], masked: Masked, translated: str, locale: str) -> tuple[str, list[str]]:
        source, lang = segment["source"], segment.get("source_lang") or PIVOT_LANGUAGE
        text, flags = masked.restore(translated, locale)
        text, _ = self.glossary.enforce(source, text, locale, lang)  # its problems are the checks' glossary findings below
        facts = self._facts.get((source, lang))
        if facts is None:
            facts = self._facts[(source, lang)] = SourceFacts(source, self.glossary, lang)
        return text, flags + draft_flags(facts, text, locale, source_lang=lang)
