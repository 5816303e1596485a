"""MT speed and confidence: Argos's ``translate()`` per paragraph against workbench's engine, then suggestions.

Both draft the sample corpus (``data/statements``, imported into a temporary
workspace: about 230 segments and 400 sentences) into es, fr, id and tl with
the committed toy models (``tests/models``). The toy models know only a small
lexicon, so their output on the real statements is nonsense; this bench
measures speed, and the tests measure translation.

1. **naive**: what a volunteer would write with Argos,
   ``argostranslate.translate.translate(paragraph, "en", lang)`` for every
   segment. Argos has no offline sentence splitter (each of its ChunkType
   settings loads a downloaded model: MiniSBD, Stanza or spaCy), so the bench
   hands Argos workbench's rule-based splitter. Both paths then split
   identically and the comparison is about translation, not splitting.
2. **engine**: ``workbench.mt.draft_translations`` on the workspace, with an
   empty cache: the full path, including translation memory and database writes.
3. **engine, Argos's decoding**: the engine with Argos's beam size 4 and no
   repetition penalty, to show how much of the gain is batching alone.
4. **LibreTranslate**: the same drafting through the LibreTranslate engine,
   against a real LibreTranslate server on loopback serving the same toy
   models (built by ``tests/libretranslate_server.py`` in its own venv), as a
   team sharing one server would draft.
5. **protection and checks**: drafting as ``workbench translate`` does, with
   the workspace's glossary, while timers around drafting's own steps measure
   masking (keep terms found, spans masked: ``keep_spans`` and ``mask``) and
   reviewing (spans restored, glossary enforced, ``review_draft``:
   ``_DraftReviewer.review``) in that same run. Drafting without them is the
   run's time less theirs.
6. **engine overhead**: ``ArgosEngine.translate_sentences`` on the corpus's
   distinct sentences, against replaying on the same CTranslate2 translators
   the very ``translate_batch`` calls it made (same token lists, same
   settings): what the engine adds (tokenizing, limits, splitting, decoding)
   over CTranslate2 alone, also measured inside the engine's own calls
   (their time against the time spent in ``translate_batch``). Each
   language's call and its replay run back to back, best of five rounds
   each, models already loaded.

7. **confidence**: on every toy pair, the confidence
   (``translate_scored``) of its 200 held-out sentences, all in the toy
   vocabulary, against 50 sentences of made-up words: each side's min /
   median / max, the gap between the medians, their ratio, and how often an
   in-vocabulary sentence outscores a made-up one. Confidence means something
   when the held-out side sits clearly above.
8. **completion**: ``Suggester.complete(segment, locale, prefix,
   whole=False)``, what the editor calls, for a 31-word sentence (six
   held-out sentences joined as clauses, since no toy sentence is that long)
   in a workspace with the movement's glossary, after 0, 5, 10 and 20 words
   of its reference translation were typed, each ending on a space and half
   into the next word. Median and p95 per prefix length, against plain
   translation of the same sentence (``translate_scored``) timed just before
   each completion; the models are loaded before timing (loading is once,
   not latency). The toy models learnt short sentences and end their
   translation of this one after about a dozen words, so beyond the typed
   words they decode less than a real model would.
9. **alternatives**: ``Suggester.alternatives(..., count=5)`` for a paragraph
   of four held-out sentences, against drafting that paragraph as
   ``workbench translate`` does (``draft_translations`` with the glossary and
   an empty cache), each timed right after the other.

Prints the times, the speed ratio naive/engine (target: 3x or better), the
LibreTranslate engine's time as a ratio of in-process Argos on the same
sentences, and drafting with protection and checks against drafting without
them (target: under 1.15x) and the engine against raw CTranslate2 (target:
under 1.10x), each against its baseline measured in the same run; then the
confidence spread, the completion latency against its target (p95 under
300 ms at every prefix length) and plain translation, and alternatives
against drafting.

Run: .venv/bin/python bench/mt.py [--only PART,...] [--rounds N]

``--only`` runs some parts alone, by name: drafting (1-3), libretranslate (4,
with the engine's drafting as its baseline), protection (5), overhead (6),
confidence (7), completion (8), alternatives (9); for example
``--only confidence,completion,alternatives`` takes seconds where the whole
bench takes minutes. ``--rounds`` is how many times completion and
alternatives are timed per language (default 10).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Self

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Argos reads its folders once, at import: point them at a scratch directory first.
SCRATCH = Path(tempfile.mkdtemp(prefix="workbench-bench-mt-"))
os.environ["ARGOS_PACKAGES_DIR"] = str(SCRATCH / "packages")
os.environ["XDG_DATA_HOME"] = str(SCRATCH / "data")
os.environ["XDG_CACHE_HOME"] = str(SCRATCH / "cache")
os.environ["XDG_CONFIG_HOME"] = str(SCRATCH / "config")

import argostranslate.sbd  # noqa: E402
import argostranslate.translate  # noqa: E402

from tests.libretranslate_server import running_server  # noqa: E402
from tests.models.toy import PAIRS, held_out, install_all, package_file  # noqa: E402
from workbench.glossary import Glossary  # noqa: E402
from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.importer import import_paths  # noqa: E402
from workbench.mt import draft_translations, drafting  # noqa: E402
from workbench.mt.drafting import MTCache  # noqa: E402
from workbench.mt.argos import ArgosEngine, default_translator_factory  # noqa: E402
from workbench.mt.argos_models import installed_models  # noqa: E402
from workbench.mt.libretranslate import LibreTranslateEngine  # noqa: E402
from workbench.mt.suggestions import Suggester  # noqa: E402
from workbench.sentences import split_sentences  # noqa: E402
from workbench.store import Store  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

TARGETS = ("es", "fr", "id", "tl")


class OfflineSentencizer(argostranslate.sbd.ISentenceBoundaryDetectionModel):
    """Argos's sentencizer interface over workbench's splitter (Argos's own downloads a model)."""

    def __init__(self, pkg: argostranslate.package.Package) -> None:
        self.pkg = pkg

    def split_sentences(self, text: str) -> list[str]:
        return split_sentences(text)


def corpus_workspace(root: Path) -> Workspace:
    workspace = create_workspace(root, list(TARGETS))
    import_paths(workspace, [REPO / "data" / "statements"])
    return workspace


def naive(paragraphs: list[str]) -> float:
    argostranslate.translate.MiniSBDSentencizer = OfflineSentencizer  # type: ignore[misc]
    argostranslate.translate.get_installed_languages.cache_clear()
    started = time.perf_counter()
    for target in TARGETS:
        for paragraph in paragraphs:
            argostranslate.translate.translate(paragraph, "en", target)
    return time.perf_counter() - started


def engine_run(root: Path, decoding: dict[str, object] | None) -> tuple[float, int]:
    workspace = corpus_workspace(root)
    store = workspace.store
    engine = ArgosEngine(installed_models(), decoding=decoding)
    started = time.perf_counter()
    report = draft_translations(store, list(TARGETS), engine=engine)
    elapsed = time.perf_counter() - started
    return elapsed, sum(lang.machine + lang.memory for lang in report.languages)


def libretranslate_run(root: Path) -> tuple[float, int]:
    """Draft the corpus through a real LibreTranslate server on loopback (its start-up is not timed)."""
    workspace = corpus_workspace(root)
    models = [package_file("en", target) for target in TARGETS]
    with running_server(models, ["en", *TARGETS]) as url:
        engine = LibreTranslateEngine(url, timeout=600)
        started = time.perf_counter()
        report = draft_translations(workspace.store, list(TARGETS), engine=engine)
        elapsed = time.perf_counter() - started
    return elapsed, sum(lang.machine + lang.memory for lang in report.languages)


class Stopwatch:
    """Seconds spent inside some functions, added up: wraps them for one run and puts them back after."""

    def __init__(self, *where: tuple[object, str]) -> None:
        self.where = where
        self.seconds = 0.0
        self.saved: list[tuple[object, str, object]] = []

    def __enter__(self) -> Self:
        for owner, name in self.where:
            real = getattr(owner, name)
            self.saved.append((owner, name, real))
            setattr(owner, name, self._timed(real))
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, real in self.saved:
            setattr(owner, name, real)

    def _timed(self, real: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def protection_run(root: Path) -> tuple[float, float]:
    """Draft as ``workbench translate`` does (the workspace's glossary); the run's seconds and its masking and reviewing seconds."""
    workspace = corpus_workspace(root)
    store = workspace.store
    glossary = Glossary.from_store(store)
    engine = ArgosEngine(installed_models())
    with Stopwatch((drafting, "keep_spans"), (drafting, "mask"), (drafting._DraftReviewer, "review")) as parts:
        started = time.perf_counter()
        draft_translations(store, list(TARGETS), engine=engine, glossary=glossary)
        elapsed = time.perf_counter() - started
    return elapsed, parts.seconds


@dataclass
class Recording:
    """The translate_batch calls an engine made (translator, tokens, options), and the seconds spent inside them."""

    calls: list[tuple[Any, list[list[str]], dict[str, Any]]] = field(default_factory=list)
    inside: float = 0.0


class Recorder:
    """The real CTranslate2 translator, noting each translate_batch call and its time in a shared recording."""

    def __init__(self, real: Any, recording: Recording) -> None:
        self.real = real
        self.recording = recording

    def translate_batch(self, source: list[list[str]], **options: Any) -> Any:
        self.recording.calls.append((self.real, source, options))
        started = time.perf_counter()
        try:
            return self.real.translate_batch(source, **options)
        finally:
            self.recording.inside += time.perf_counter() - started


def engine_overhead(paragraphs: list[str], rounds: int = 5) -> tuple[float, float, float]:
    """Seconds of the engine on the corpus's sentences, of CTranslate2 inside those calls, and of the calls replayed raw.

    Each language's engine call is followed at once by the replay of the
    translate_batch calls it made; each figure is the sum over languages of
    the fastest of ``rounds`` engine calls (with the CTranslate2 time inside
    it) and of the fastest replay: on a shared machine, other work slows
    both sides of a pair alike.
    """
    sentences = list(dict.fromkeys(sentence for paragraph in paragraphs for sentence in split_sentences(paragraph)))
    recording = Recording()
    engine = ArgosEngine(installed_models(), translator_factory=lambda model_dir: Recorder(default_translator_factory(model_dir), recording))
    for target in TARGETS:
        engine.translate_sentences(sentences[:2], "en", target)  # load every model before timing
    best_engine = dict.fromkeys(TARGETS, (float("inf"), 0.0))
    best_raw = dict.fromkeys(TARGETS, float("inf"))
    for _ in range(rounds):
        for target in TARGETS:
            recording.calls.clear()
            recording.inside = 0.0
            started = time.perf_counter()
            engine.translate_sentences(sentences, "en", target)
            best_engine[target] = min(best_engine[target], (time.perf_counter() - started, recording.inside))
            started = time.perf_counter()
            for translator, tokens, options in recording.calls:
                translator.translate_batch(tokens, **options)
            best_raw[target] = min(best_raw[target], time.perf_counter() - started)
    return (sum(total for total, _ in best_engine.values()), sum(inside for _, inside in best_engine.values()),
            sum(best_raw.values()))


MADE_UP_SYLLABLES = ("zor", "blat", "quim", "frex", "vand", "osh", "plim", "grak", "nel", "trun", "wex", "vick", "thub", "nax", "pell", "drob")
"""What the made-up words are made of: none of them is a word of the toy lexicon."""

CONFIDENCE_MADE_UP = 50
"""Sentences of made-up words scored per pair, against the pair's 200 held-out sentences."""

PREFIX_WORDS = (0, 5, 10, 20)
"""Words of the translation typed before asking for a completion."""

LATENCY_TARGET = 0.300
"""Seconds within which a completion of a 30-word sentence must appear (issue 12)."""

LONG_SENTENCE_WORDS = 30
PARAGRAPH_SENTENCES = 4


def made_up_sentences(count: int, seed: int = 12) -> list[str]:
    """Sentences of 4 to 8 made-up words, the same every run: what a model that knows nothing of them should doubt."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        words = ["".join(rng.choice(MADE_UP_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(rng.randint(4, 8))]
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


def spread(values: list[float]) -> str:
    return f"min {min(values):.2f} / median {statistics.median(values):.2f} / max {max(values):.2f}"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def ordinary_held_out() -> list[int]:
    """Indices of the held-out sentences every en->target model translates exactly, without the acronym and name that get masked."""
    pairs = [held_out("en", target) for target in TARGETS]
    return [i for i, entry in enumerate(pairs[0])
            if all(pair[i]["verified"] for pair in pairs) and "IMA" not in entry["source"] and "Alliance" not in entry["source"]]


def as_clauses(sentences: list[str], corpus: list[str]) -> str:
    """Sentences as the clauses of one: full stops dropped, commas between, later clauses' first word in lower case
    unless the language only ever capitalises it (a name, "Filipino")."""
    lower = {word for text in corpus for word in text.split() if word.islower()}
    clauses = [sentences[0].rstrip(".")]
    for sentence in sentences[1:]:
        first, _, rest = sentence.rstrip(".").partition(" ")
        clauses.append(f"{first.lower() if first.lower() in lower else first} {rest}")
    return ", ".join(clauses) + "."


@dataclass(frozen=True)
class SuggestionBench:
    """The toy models of every pair, and a workspace with the movement's glossary holding a ~30-word sentence and a paragraph.

    The sentence is held-out sentences joined as clauses, since no toy
    sentence is that long; ``references`` are their reference translations
    joined the same way, what a volunteer types before asking for the rest.
    """

    engine: ArgosEngine
    store: Store
    glossary: Glossary
    sentence: dict[str, Any]
    paragraph: dict[str, Any]
    references: dict[str, str]

    @classmethod
    def build(cls, root: Path) -> SuggestionBench:
        engine = ArgosEngine(packages_dir=install_all(root / "models"))
        workspace = create_workspace(root / "workspace", list(TARGETS))
        chosen: list[int] = []
        words = 0
        ordinary = ordinary_held_out()
        for index in ordinary:
            chosen.append(index)
            words += len(held_out("en", TARGETS[0])[index]["source"].split())
            if words >= LONG_SENTENCE_WORDS:
                break
        english = [entry["source"] for entry in held_out("en", TARGETS[0])]
        sentence = as_clauses([english[i] for i in chosen], english)
        references: dict[str, str] = {}
        for target in TARGETS:
            translations = [entry["expected"] for entry in held_out("en", target)]
            references[target] = as_clauses([translations[i] for i in chosen], translations)
        paragraph = " ".join(english[i] for i in ordinary[len(chosen):len(chosen) + PARAGRAPH_SENTENCES])
        store = workspace.store
        statement_id = store.save_statement({"slug": "bench", "title": "Bench"})
        store.insert_segments([
            {"id": f"bench-{n}", "statement_id": statement_id, "position": n, "kind": "paragraph", "source": text, "source_lang": "en"}
            for n, text in enumerate((sentence, paragraph))
        ])
        sentence_row, paragraph_row = store.segments(statement_id)
        return cls(engine, store, Glossary.from_store(store), sentence_row, paragraph_row, references)


def confidence_spread(engine: ArgosEngine) -> None:
    """Per toy pair, the confidence of its held-out sentences (in its vocabulary) against sentences of made-up words."""
    unknown = made_up_sentences(CONFIDENCE_MADE_UP)
    for source, target in PAIRS:
        known = [entry["source"] for entry in held_out(source, target)]
        scored = [hypothesis.confidence or 0.0 for hypothesis in engine.translate_scored([*known, *unknown], source, target)]
        inside, outside = scored[:len(known)], scored[len(known):]
        gap = statistics.median(inside) - statistics.median(outside)
        print(f"confidence {source}->{target}: held-out in-vocabulary ({len(inside)}) {spread(inside)}; "
              f"made-up words ({len(outside)}) {spread(outside)}")
        ranked = sum(known_score > unknown_score for known_score in inside for unknown_score in outside) / (len(inside) * len(outside))
        print(f"confidence {source}->{target}: medians {gap:.2f} apart, in-vocabulary {statistics.median(inside) / statistics.median(outside):.1f}x "
              f"the made-up words'; an in-vocabulary sentence outscores a made-up one in {ranked:.2%} of pairs")


def typed_prefixes(reference: str, words: int) -> list[str]:
    """What a volunteer has typed after ``words`` words of the translation: up to the next word, and half into it."""
    typed = reference.split()
    head = " ".join(typed[:words]) + " " if words else ""
    following = typed[words]
    return [head, head + following[:max(1, len(following) // 2)]]


def completion_latency(bench: SuggestionBench, rounds: int) -> None:
    """``Suggester.complete`` as the editor calls it (the current sentence only) against plain translation of the sentence.

    Each completion is timed right after a plain translation of the same
    sentence into the same language, so a busy machine slows both alike.
    """
    engine, segment = bench.engine, bench.sentence
    suggester = Suggester(engine, glossary=bench.glossary)
    for target in TARGETS:  # load each model: loading happens once, it is not latency
        engine.translate_scored([segment["source"]], "en", target)
        suggester.complete(segment, target, "", whole=False)
    plain: dict[int, list[float]] = {words: [] for words in PREFIX_WORDS}
    completing: dict[int, list[float]] = {words: [] for words in PREFIX_WORDS}
    for _ in range(rounds):
        for target in TARGETS:
            for words in PREFIX_WORDS:
                for prefix in typed_prefixes(bench.references[target], words):
                    started = time.perf_counter()
                    engine.translate_scored([segment["source"]], "en", target)
                    plain[words].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    suggester.complete(segment, target, prefix, whole=False)
                    completing[words].append(time.perf_counter() - started)
    print(f"completion of a {len(segment['source'].split())}-word sentence into {', '.join(TARGETS)}, "
          f"{rounds} rounds, after a space and half into a word:")
    for words in PREFIX_WORDS:
        print(f"completion, {words:2d} words typed: median {statistics.median(completing[words]) * 1000:5.1f} ms, "
              f"p95 {p95(completing[words]) * 1000:5.1f} ms; {statistics.median(completing[words]) / statistics.median(plain[words]):.2f}x "
              f"plain translation of the sentence (median {statistics.median(plain[words]) * 1000:.1f} ms)")
    worst = max(p95(times) for times in completing.values())
    print(f"completion p95 at its worst prefix: {worst * 1000:.1f} ms, {worst / LATENCY_TARGET:.2f}x the target of "
          f"{LATENCY_TARGET * 1000:.0f} ms: {'met' if worst < LATENCY_TARGET else 'NOT met'}")


def alternatives_time(bench: SuggestionBench, rounds: int, count: int = 5) -> None:
    """``Suggester.alternatives`` for a paragraph against drafting it as ``workbench translate`` does (empty cache, glossary)."""
    engine, segment = bench.engine, bench.paragraph
    suggester = Suggester(engine, glossary=bench.glossary)

    def draft(target: str) -> None:
        draft_translations(bench.store, [target], segment_ids=[segment["id"]], retranslate=True, engine=engine,
                           cache=MTCache(), glossary=bench.glossary)

    for target in TARGETS:
        draft(target)
        suggester.alternatives(segment, target, count=count)
    drafting_times: list[float] = []
    alternative_times: list[float] = []
    found: list[int] = []
    for _ in range(rounds):
        for target in TARGETS:
            started = time.perf_counter()
            draft(target)
            drafting_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            found.append(len(suggester.alternatives(segment, target, count=count)))
            alternative_times.append(time.perf_counter() - started)
    print(f"alternatives (count={count}) of a {len(split_sentences(segment['source']))}-sentence paragraph into {', '.join(TARGETS)}: "
          f"median {statistics.median(alternative_times) * 1000:.1f} ms, p95 {p95(alternative_times) * 1000:.1f} ms, "
          f"{statistics.mean(found):.1f} distinct on average")
    print(f"alternatives: {statistics.median(alternative_times) / statistics.median(drafting_times):.2f}x the time of drafting the paragraph "
          f"(median {statistics.median(drafting_times) * 1000:.1f} ms, draft_translations with the glossary and an empty cache)")


class Run:
    """What the chosen parts share, measured or built once, and only when a part needs it."""

    @cached_property
    def paragraphs(self) -> list[str]:
        workspace = corpus_workspace(SCRATCH / "naive")
        return [segment["source"] for segment in workspace.store.segments()]

    @cached_property
    def engine_seconds(self) -> float:
        """The engine's drafting of the corpus: the drafting figure, and LibreTranslate's baseline."""
        seconds, drafted = engine_run(SCRATCH / "engine", None)
        print(f"engine (batched, beam 2, penalties):     {seconds:7.2f} s  ({drafted} drafts)")
        return seconds

    @cached_property
    def suggestions(self) -> SuggestionBench:
        return SuggestionBench.build(SCRATCH / "suggestions")


def drafting_speed(run: Run, rounds: int) -> None:
    engine_seconds = run.engine_seconds
    argos_decoding, _ = engine_run(SCRATCH / "engine-argos", {"beam_size": 4})
    print(f"engine with Argos's decoding (beam 4):   {argos_decoding:7.2f} s")
    naive_seconds = naive(run.paragraphs)
    print(f"naive argostranslate.translate() calls:  {naive_seconds:7.2f} s")
    print(f"speed ratio naive/engine: {naive_seconds / engine_seconds:.1f}x "
          f"(batching alone: {naive_seconds / argos_decoding:.1f}x); target 3x")


def libretranslate_speed(run: Run, rounds: int) -> None:
    lt_seconds, lt_drafted = libretranslate_run(SCRATCH / "libretranslate")
    print(f"LibreTranslate engine, loopback server:  {lt_seconds:7.2f} s  ({lt_drafted} drafts)")
    print(f"LibreTranslate / in-process Argos: {lt_seconds / run.engine_seconds:.1f}x the time")


def protection_cost(run: Run, rounds: int) -> None:
    with_them, parts = protection_run(SCRATCH / "protection")
    without = with_them - parts
    print(f"drafting with the glossary, as translate: {with_them:7.2f} s, of which masking and reviewing {parts:.2f} s")
    print(f"protection and checks: {with_them / without:.3f}x the time of drafting without them ({without:.2f} s); "
          f"target under 1.15x: {'met' if with_them / without < 1.15 else 'NOT met'}")


def overhead_cost(run: Run, rounds: int) -> None:
    engine_time, inside, raw_time = engine_overhead(run.paragraphs)
    print(f"engine translate_sentences: {engine_time:.2f} s, of which inside CTranslate2's translate_batch {inside:.2f} s; "
          f"the same calls replayed raw: {raw_time:.2f} s")
    print(f"engine overhead: {engine_time / inside:.3f}x the CTranslate2 time of the same calls, {engine_time / raw_time:.3f}x their raw "
          f"replay; target under 1.10x: {'met' if max(engine_time / inside, engine_time / raw_time) < 1.10 else 'NOT met'}")


PARTS: dict[str, Callable[[Run, int], None]] = {
    "drafting": drafting_speed,
    "libretranslate": libretranslate_speed,
    "protection": protection_cost,
    "overhead": overhead_cost,
    "confidence": lambda run, rounds: confidence_spread(run.suggestions.engine),
    "completion": lambda run, rounds: completion_latency(run.suggestions, rounds),
    "alternatives": lambda run, rounds: alternatives_time(run.suggestions, rounds),
}
"""The bench's parts, by the names ``--only`` takes, in the order they run."""

CORPUS_PARTS = ("drafting", "libretranslate", "protection", "overhead")
"""The parts that draft the sample corpus, whose size is printed first."""


def part_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PARTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown part {', '.join(unknown) or '(none)'}: choose from {', '.join(PARTS)}")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", type=part_names, default=list(PARTS), metavar="PART,...",
                        help=f"run only these parts ({', '.join(PARTS)}); default: all")
    parser.add_argument("--rounds", type=int, default=10,
                        help="rounds of the completion and alternatives timings (default 10)")
    options = parser.parse_args()
    install_all(Path(os.environ["ARGOS_PACKAGES_DIR"]), tuple(("en", t) for t in TARGETS))
    run = Run()
    if any(name in CORPUS_PARTS for name in options.only):
        paragraphs = run.paragraphs
        sentences = sum(len(split_sentences(p)) for p in paragraphs)
        print(f"corpus: {len(paragraphs)} segments, {sentences} sentences, {sum(map(len, paragraphs))} characters; "
              f"targets {', '.join(TARGETS)}; {os.cpu_count()} cores")
    for name, part in PARTS.items():
        if name in options.only:
            part(run, options.rounds)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)  # the workspaces and the installed models
