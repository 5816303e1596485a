"""Check speed: ``workbench check`` against translate-toolkit's ``pofilter`` on the same corpus.

Builds, in a temporary workspace:

* a 100x copy of the sample corpus (``data/statements``, long lines suffixed
  "(copy N)" so the importer does not fold the copies together: about 23,500
  segments);
* a glossary of 1,000 terms: the bundled movement terms plus frequent
  two-word phrases of the corpus, whose "renderings" are their words spelled
  backwards (synthetic, but matched and checked like real ones);
* translations in es, fr_CA, id and tl. THESE ARE SYNTHETIC: each target is the
  English source with every glossary term replaced by its rendering, and, by
  segment number, a known fault (a term left in English, a changed number, a
  doubled word, a dropped end mark, an untranslated copy). Half are stored as
  machine drafts, half as translated.

Then it exports the PO files (``workbench.formats.po.export_po``) and times, as
subprocesses:

* ``workbench check --json`` cold (nothing in the findings cache), and
  ``pofilter`` with the comparable tests: numbers, urls, emails, untranslated,
  unchanged, endpunc, doublewords, notranslatewords with the keep-terms, and
  the tests of the checks ``check`` gained from pofilter: doublespacing,
  brackets, doublequoting (quote pairs), startcaps, sentencecount. pofilter's
  puncspacing and escapes are left out: ``check`` has nothing like them
  (spacing after marks; ``\n``-style escapes, which prose has none of);
* ``workbench check --json`` again with nothing changed, and after one
  translation was edited: the findings cache redoes only that one;

and, in this process, the checks the review screen runs
(``check_workspace``) after another edit.

Ratios use CPU time (user + system of each child), which other work on the
machine does not inflate; wall time is printed too. pofilter has no
glossary-rendering, forbidden-term or cross-segment consistency test, so
workbench does more work in its time. The children run this checkout's code
(``PYTHONPATH``), compiled first as installing it would (pofilter runs from its
installed, compiled package). Unix only (``resource``).

Run: .venv/bin/python bench/check.py [--copies 100] [--terms 1000]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.lifecycle import create_workspace  # noqa: E402
from workbench.checks import Summary, check_workspace, run_checks  # noqa: E402
from workbench.formats.po import export_po  # noqa: E402
from workbench.glossary import Glossary, Rendering, Term, list_terms, save_terms  # noqa: E402
from workbench.importer import import_paths  # noqa: E402
from workbench.store import Draft, Store  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

SEEDS = sorted((REPO / "data" / "statements").glob("*.txt"))
BIN = Path(sys.executable).parent
POFILTER_TESTS = ("numbers", "urls", "emails", "untranslated", "unchanged", "endpunc", "doublewords", "notranslatewords",
                  "doublespacing", "brackets", "doublequoting", "startcaps", "sentencecount")
CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
"""The children import this checkout's workbench, whichever one the venv's ``workbench`` script was installed from."""
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or our that the their them they this to was "
    "were will with we us not but all also more who which has been".split()
)
WORD = re.compile(r"[a-z]+")


def make_copies(folder: Path, copies: int) -> None:
    """Write ``copies`` variants of each seed file, different enough not to be deduplicated."""
    folder.mkdir(parents=True)
    for copy in range(copies):
        for seed in SEEDS:
            lines = seed.read_text(encoding="utf-8").split("\n")
            varied = [f"{line} (copy {copy})" if len(line.split()) > 8 else line for line in lines]
            (folder / f"{copy:03d}_{seed.name}").write_text("\n".join(varied), encoding="utf-8")


def synthetic_terms(sources: list[str], known: set[str], wanted: int, locales: list[str]) -> list[Term]:
    """Frequent two-word phrases of the corpus as glossary terms, rendered as reversed words.

    Every fifth term also forbids its English form, every seventh gets a prefix pattern,
    so forbidden-rendering and pattern matching are exercised at scale.
    """
    phrases: Counter[str] = Counter()
    for source in sources:
        words = WORD.findall(source.lower())
        for first, second in zip(words, words[1:], strict=False):
            if first not in STOPWORDS and second not in STOPWORDS and len(first) > 2 and len(second) > 2:
                phrases[f"{first} {second}"] += 1
    terms = []
    for phrase, _ in phrases.most_common():
        if len(terms) == wanted:
            break
        if phrase in known:
            continue
        rendered = " ".join(word[::-1] for word in phrase.split())
        n = len(terms)
        renderings = {
            locale: Rendering(
                preferred=rendered,
                forbidden=[phrase] if n % 5 == 0 else [],
                patterns=[" ".join(w[:-1] + "*" for w in rendered.split())] if n % 7 == 0 else [],
            )
            for locale in locales
        }
        terms.append(Term(id=0, term=phrase, kind="concept", treatment="translate", renderings=renderings))
    return terms


def synthetic_target(source: str, glossary: Glossary, locale: str, index: int) -> str:
    """The source with glossary terms rendered, and one known fault chosen by ``index``."""
    fault = index % 10
    if fault == 5:
        return source  # left untranslated
    pieces, cursor = [], 0
    for number, match in enumerate(glossary.find_in_source(source)):
        rendering = match.term.rendering(locale)
        if rendering is None or (fault == 1 and number == 0):
            continue  # fault 1: the first term stays in English
        pieces += [source[cursor:match.start], rendering]
        cursor = match.end
    target = "".join(pieces) + source[cursor:]
    if fault == 2:
        target = target.replace("1", "7", 1)
    elif fault == 3:
        words = target.split(" ")
        target = " ".join(words[:2] + words[1:])
    elif fault == 4:
        target = target.rstrip(".!?")
    return target


def fill_translations(workspace: Workspace, glossary: Glossary) -> int:
    """Store the synthetic targets: all as machine drafts, then every other one as translated."""
    store = workspace.store
    drafts = []
    for index, segment in enumerate(store.segments()):
        for locale in workspace.target_locales:
            drafts.append(Draft(segment["id"], locale, synthetic_target(segment["source"], glossary, locale, index), "bench"))
    written = store.save_machine_drafts(drafts)
    with store.transaction():  # bench shortcut: promote half the drafts without 56,000 audited edits
        store.db.execute("UPDATE translations SET status = 'translated' WHERE rowid % 2 = 0")
    return written


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of one child process.

    CPU time is what the ratio uses: it does not depend on what else the
    machine is doing while the bench runs.
    """

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f}s wall, {self.cpu:.2f}s CPU"


def timed_run(command: list[str]) -> tuple[Timing, subprocess.CompletedProcess[bytes]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False, env=CHILD_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description="workbench check vs pofilter")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--terms", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        root = Path(tmp)
        make_copies(root / "corpus", args.copies)
        workspace = create_workspace(root / "ws")
        store = workspace.store
        started = time.perf_counter()
        import_paths(workspace, [root / "corpus"])
        segments = store.segments()
        print(f"imported {len(segments)} segments in {time.perf_counter() - started:.1f}s")

        bundled = list_terms(store)
        known = {form.lower() for term in bundled for form in term.forms}
        extra = synthetic_terms([s["source"] for s in segments], known, args.terms - len(bundled), workspace.target_locales)
        save_terms(store, extra, root / "synthetic")
        glossary = Glossary.from_store(store)
        started = time.perf_counter()
        written = fill_translations(workspace, glossary)
        print(f"glossary: {len(glossary.terms)} terms; {written} synthetic translations stored in {time.perf_counter() - started:.1f}s")

        started = time.process_time()
        findings = run_checks(store, Glossary(list_terms(store)), workspace.target_locales)
        api_seconds = time.process_time() - started
        summary = Summary.of(findings)
        print(f"run_checks in process (cold glossary): {api_seconds:.2f}s CPU, {len(findings)} findings, {summary.errors} errors")

        compile_checkout()
        check = [str(BIN / "workbench"), "-w", str(workspace.root), "check", "--json"]
        cold = checked(check)

        po_dir, out_dir = root / "po", root / "pofilter-out"
        exported = export_po(workspace, out_dir=po_dir)
        keep_file = root / "keep-terms.txt"
        keep_file.write_text("\n".join(t.term for t in glossary.terms if t.is_keep) + "\n", encoding="utf-8")
        command = [str(BIN / "pofilter"), "--progress=none", "--notranslatefile", str(keep_file),
                   *(f"--test={test}" for test in POFILTER_TESTS), "-i", str(po_dir), "-o", str(out_dir)]
        theirs, result = timed_run(command)
        if result.returncode != 0:
            raise SystemExit(f"pofilter failed: {result.stderr.decode()[-2000:]}")
        their_findings = sum(p.read_text(encoding="utf-8").count("# (pofilter)") for p in out_dir.rglob("*.po"))

        warm = checked(check)
        edit_one(store, segments[len(segments) // 2]["id"], "es")
        edited = checked(check)
        edit_one(store, segments[len(segments) // 3]["id"], "tl")
        started = time.process_time()
        check_workspace(store, workspace.target_locales)
        review_seconds = time.process_time() - started

        print(f"workbench check --json, cold: {cold} for {len(segments)} segments x {len(workspace.target_locales)} languages, "
              f"{len(glossary.terms)} terms")
        print(f"pofilter ({len(POFILTER_TESTS)} tests) on {len(exported.files)} exported PO files: {theirs}, "
              f"{their_findings} findings")
        print(f"ratio cold workbench/pofilter (CPU time): {cold.cpu / theirs.cpu:.2f} ({theirs.cpu / cold.cpu:.1f}x faster)")
        print(f"workbench check --json, nothing changed: {warm}")
        print(f"workbench check --json, after one edit: {edited}")
        print(f"review screen's checks (check_workspace in process) after one edit: {review_seconds:.2f}s CPU")


def compile_checkout() -> None:
    """Compile the checkout's modules to bytecode, as ``pip install`` does.

    Where the environment says not to write bytecode (``PYTHONDONTWRITEBYTECODE``),
    every child would otherwise compile workbench's sources before checking
    anything: work an installed workbench never does, and pofilter is not timed doing.
    """
    compileall.compile_dir(REPO / "workbench", quiet=1)


def checked(command: list[str]) -> Timing:
    """Run ``workbench check``, which exits 1 when it finds errors (the synthetic corpus has them)."""
    timing, result = timed_run(command)
    if result.returncode not in (0, 1):
        raise SystemExit(f"workbench check failed: {result.stderr.decode()[-2000:]}")
    return timing


def edit_one(store: Store, segment_id: str, lang: str) -> None:
    """A volunteer's edit of one translation, through the store like the TUI's."""
    current = store.translation(segment_id, lang)
    store.save_translation(segment_id, lang, current["text"] + " Editado.", "translated", author="bench",
                           expected_version=current["version"])

if __name__ == "__main__":
    main()
