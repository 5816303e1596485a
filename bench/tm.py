"""Translation-memory speed on a 10,000-statement workspace: is a lookup per paragraph move affordable?

Builds a workspace database with 10,000 statements of 12 segments (120,000
segments), every one with a human Spanish translation. Sources are sentences
of the sample corpus recombined and numbered, so lengths and vocabulary are
realistic and most of them are distinct; the "translations" are synthetic
(the source upper-cased), since only the lookup is timed.

Prints the time to build the index (the first lookup), the median and 95th
percentile of 500 lookups of segment sources with a word changed, the time a
lookup takes after a volunteer saves a translation (index catch-up), and the
same lookups scored against the whole memory with no length pruning, for
comparison.

Run: .venv/bin/python bench/tm.py [--statements 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz, process  # noqa: E402

from workbench.sentences import split_sentences  # noqa: E402
from workbench.store import Store, now  # noqa: E402
from workbench.tm import TranslationMemory, normalize  # noqa: E402

SEGMENTS_PER_STATEMENT = 12


def corpus_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted((REPO / "data" / "statements").glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            sentences += [s for s in split_sentences(block) if len(s.split()) >= 4]
    return list(dict.fromkeys(sentences))


def build(store: Store, statements: int, rng: random.Random) -> list[str]:
    """Fill the store; returns every segment source."""
    pool = corpus_sentences()
    sources: list[str] = []
    stamp = now()
    with store.transaction():
        store.db["statements"].insert_all(
            ({"id": i + 1, "slug": f"s{i + 1}", "title": f"Statement {i + 1}"} for i in range(statements)), batch_size=5000)
        segments, translations = [], []
        for statement in range(1, statements + 1):
            for position in range(SEGMENTS_PER_STATEMENT):
                source = " ".join(rng.sample(pool, rng.randint(1, 3))) + f" ({statement}.{position})"
                segment_id = f"{statement}-{position}"
                sources.append(source)
                segments.append({"id": segment_id, "statement_id": statement, "position": position, "kind": "paragraph",
                                 "source": source, "source_lang": "en"})
                translations.append({"segment_id": segment_id, "lang": "es", "text": source.upper(), "status": "translated",
                                     "origin": "human", "author": "bench", "created": stamp, "updated": stamp, "version": 1})
        store.db["segments"].insert_all(segments, batch_size=5000)
        store.db["translations"].insert_all(translations, batch_size=5000)
    return sources


def changed(source: str, rng: random.Random) -> str:
    words = source.split()
    words[rng.randrange(len(words))] = "solidarity"
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "workbench.db")
        started = time.perf_counter()
        sources = build(store, args.statements, rng)
        print(f"{len(sources)} segments with human es translations (built in {time.perf_counter() - started:.1f} s)")

        memory = TranslationMemory(store)
        queries = [changed(source, rng) for source in rng.sample(sources, 500)]
        started = time.perf_counter()
        memory.lookup(queries[0], "es")
        print(f"index build (first lookup): {time.perf_counter() - started:.2f} s")

        timings = []
        for query in queries:
            started = time.perf_counter()
            matches = memory.lookup(query, "es")
            timings.append(time.perf_counter() - started)
            assert matches, "a one-word change must still find its origin"
        timings.sort()
        print(f"lookup: median {statistics.median(timings) * 1000:.1f} ms, p95 {timings[int(len(timings) * 0.95)] * 1000:.1f} ms")

        store.save_translation("1-0", "es", "nuevo texto", "approved", author="bench")
        started = time.perf_counter()
        memory.lookup(queries[1], "es")
        print(f"lookup right after a volunteer saves (catch-up): {(time.perf_counter() - started) * 1000:.1f} ms")

        keys = [normalize(source) for source in sources]
        started = time.perf_counter()
        for query in queries[:100]:
            process.extract(normalize(query), keys, scorer=fuzz.ratio, processor=None, score_cutoff=60, limit=5)
        print(f"for comparison, scoring all {len(keys)} keys per lookup: {(time.perf_counter() - started) * 10:.1f} ms")


if __name__ == "__main__":
    main()
