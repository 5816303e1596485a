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

Prints the times, the speed ratio naive/engine (target: 3x or better), and the
LibreTranslate engine's time as a ratio of in-process Argos on the same sentences.

Run: .venv/bin/python bench/mt.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

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
from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.importer import import_paths  # noqa: E402
from workbench.mt import draft_translations  # noqa: E402
from workbench.mt.argos import ArgosEngine  # noqa: E402
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


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)  # three workspaces and the installed models
