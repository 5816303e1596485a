"""MT drafting speed: Argos's ``translate()`` per paragraph against workbench's engine.

Both draft the sample corpus (``data/statements``, imported into a temporary
workspace: about 280 segments and 500 sentences) into es, fr, id and tl with
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

Prints the times, the speed ratio naive/engine (target: 3x or better), the
LibreTranslate engine's time as a ratio of in-process Argos on the same
sentences, and drafting with protection and checks against drafting without
them (target: under 1.15x) and the engine against raw CTranslate2 (target:
under 1.10x), each against its baseline measured in the same run.

Run: .venv/bin/python bench/mt.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
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

from tests.models.toy import install_all  # noqa: E402
from tests.libretranslate_server import running_server  # noqa: E402
from tests.models.toy import package_file  # noqa: E402
from workbench.glossary import Glossary  # noqa: E402
from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.importer import import_paths  # noqa: E402
from workbench.mt import draft_translations, drafting  # noqa: E402
from workbench.mt.argos import ArgosEngine, default_translator_factory  # noqa: E402
from workbench.mt.argos_models import installed_models  # noqa: E402
from workbench.mt.libretranslate import LibreTranslateEngine  # noqa: E402
from workbench.sentences import split_sentences  # noqa: E402
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


def main() -> None:
    install_all(Path(os.environ["ARGOS_PACKAGES_DIR"]), tuple(("en", t) for t in TARGETS))
    workspace = corpus_workspace(SCRATCH / "naive")
    paragraphs = [segment["source"] for segment in workspace.store.segments()]
    sentences = sum(len(split_sentences(p)) for p in paragraphs)
    print(f"corpus: {len(paragraphs)} segments, {sentences} sentences, {sum(map(len, paragraphs))} characters; "
          f"targets {', '.join(TARGETS)}; {os.cpu_count()} cores")

    engine_seconds, drafted = engine_run(SCRATCH / "engine", None)
    print(f"engine (batched, beam 2, penalties):     {engine_seconds:7.2f} s  ({drafted} drafts)")
    argos_decoding, _ = engine_run(SCRATCH / "engine-argos", {"beam_size": 4})
    print(f"engine with Argos's decoding (beam 4):   {argos_decoding:7.2f} s")
    naive_seconds = naive(paragraphs)
    print(f"naive argostranslate.translate() calls:  {naive_seconds:7.2f} s")
    print(f"speed ratio naive/engine: {naive_seconds / engine_seconds:.1f}x "
          f"(batching alone: {naive_seconds / argos_decoding:.1f}x); target 3x")
    lt_seconds, lt_drafted = libretranslate_run(SCRATCH / "libretranslate")
    print(f"LibreTranslate engine, loopback server:  {lt_seconds:7.2f} s  ({lt_drafted} drafts)")
    print(f"LibreTranslate / in-process Argos: {lt_seconds / engine_seconds:.1f}x the time")

    with_them, parts = protection_run(SCRATCH / "protection")
    without = with_them - parts
    print(f"drafting with the glossary, as translate: {with_them:7.2f} s, of which masking and reviewing {parts:.2f} s")
    print(f"protection and checks: {with_them / without:.3f}x the time of drafting without them ({without:.2f} s); "
          f"target under 1.15x: {'met' if with_them / without < 1.15 else 'NOT met'}")
    engine_time, inside, raw_time = engine_overhead(paragraphs)
    print(f"engine translate_sentences: {engine_time:.2f} s, of which inside CTranslate2's translate_batch {inside:.2f} s; "
          f"the same calls replayed raw: {raw_time:.2f} s")
    print(f"engine overhead: {engine_time / inside:.3f}x the CTranslate2 time of the same calls, {engine_time / raw_time:.3f}x their raw "
          f"replay; target under 1.10x: {'met' if max(engine_time / inside, engine_time / raw_time) < 1.10 else 'NOT met'}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)  # three workspaces and the installed models
