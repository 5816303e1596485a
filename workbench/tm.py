"""Translation memory: earlier human translations of the same or a similar source.

Two uses:

* MT drafting takes an **exact** match first: a paragraph a volunteer already
  translated elsewhere in the workspace ("Workers of the world, unite!") is
  reused as it is instead of being machine-translated again;
* the TUI shows **fuzzy** matches, scored 0-100, on every paragraph move, so a
  lookup must stay in the low milliseconds over a 10,000-statement workspace.

Only human work counts as memory (``translated`` and ``approved``, approved
first): offering machine drafts back as "memory" would launder MT output.

Speed comes from an in-memory index per language, built once and then kept
current from the store's append-only ``history`` table (one indexed query per
lookup finds what changed). Sources are normalized once (lower case, no
punctuation), kept sorted by length, and a lookup scores only the slice of
lengths that can reach the cutoff, in one ``rapidfuzz.process.extract`` call
(C++), never a Python loop over the memory.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from workbench.store import Store

MEMORY_STATUSES: tuple[str, ...] = ("approved", "translated")
"""Statuses whose text is offered as memory, best first."""

DEFAULT_MIN_SCORE = 60.0
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class TMMatch:
    """A remembered translation and how close its source is to the one looked up."""

    score: float
    """100 for an identical source; a normalized-identical source (case, punctuation) scores 99."""
    source: str
    target: str
    segment_id: str
    status: str

    @property
    def exact(self) -> bool:
        return self.score == 100.0


@dataclass
class _Entry:
    segment_id: str
    source: str
    target: str
    status: str
    updated: str
    key: str  # the normalized source that is scored

    @property
    def status_rank(self) -> int:
        return MEMORY_STATUSES.index(self.status)


def _best_first(entries: list[_Entry]) -> list[_Entry]:
    """Approved before translated, and within each the most recently updated first."""
    newest_first = sorted(entries, key=lambda e: e.updated, reverse=True)
    return sorted(newest_first, key=lambda e: e.status_rank)


@dataclass
class _LanguageIndex:
    """All memory of one target language."""

    by_segment: dict[str, _Entry] = field(default_factory=dict)
    by_source: dict[str, set[str]] = field(default_factory=dict)
    # Sorted views for fuzzy lookup, rebuilt lazily after changes.
    keys: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    dirty: bool = True

    def put(self, entry: _Entry) -> None:
        self.drop(entry.segment_id)
        self.by_segment[entry.segment_id] = entry
        self.by_source.setdefault(entry.source, set()).add(entry.segment_id)
        self.dirty = True

    def drop(self, segment_id: str) -> None:
        old = self.by_segment.pop(segment_id, None)
        if old is None:
            return
        same_source = self.by_source.get(old.source)
        if same_source is not None:
            same_source.discard(segment_id)
            if not same_source:
                del self.by_source[old.source]
        self.dirty = True

    def sorted_views(self) -> None:
        if not self.dirty:
            return
        ordered = sorted((e for e in self.by_segment.values() if e.key), key=lambda e: len(e.key))
        self.entries = ordered
        self.keys = [e.key for e in ordered]
        self.lengths = [len(k) for k in self.keys]
        self.dirty = False


def normalize(text: str) -> str:
    """What fuzzy scores compare: lower case, punctuation and extra spaces removed."""
    return utils.default_process(" ".join(text.split()))


def length_window(length: int, min_score: float) -> tuple[int, int]:
    """Lengths that can score at least ``min_score`` against a key of ``length``.

    ``fuzz.ratio`` is the normalized Indel similarity 2*M/(a+b)*100 with
    M <= min(a, b), so for a cutoff s (0-1) the other length b must lie in
    [a*s/(2-s), a*(2-s)/s]. Pruning by it is exact, not a heuristic.
    """
    s = max(min_score, 1.0) / 100.0
    return int(length * s / (2 - s)), int(length * (2 - s) / s + 1)


class TranslationMemory:
    """Exact and fuzzy lookup over a workspace's human translations.

    Safe to share between the TUI's thread and a drafting worker: the index is
    guarded by a lock and refreshed from the store on each lookup.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._indexes: dict[str, _LanguageIndex] = {}
        self._history_seen: dict[str, int] = {}

    # -- public API ---------------------------------------------------------------------------

    def exact(self, source: str, lang: str, *, exclude_segment: str | None = None) -> TMMatch | None:
        """The best human translation of exactly this source text, if any."""
        with self._lock:
            index = self._index(lang)
            ids = index.by_source.get(source, set()) - {exclude_segment}
            if not ids:
                return None
            best = _best_first([index.by_segment[i] for i in ids])[0]
            return TMMatch(100.0, best.source, best.target, best.segment_id, best.status)

    def lookup(
        self,
        source: str,
        lang: str,
        *,
        limit: int = DEFAULT_LIMIT,
        min_score: float = DEFAULT_MIN_SCORE,
        exclude_segment: str | None = None,
    ) -> list[TMMatch]:
        """Up to ``limit`` distinct translations whose source scores at least ``min_score``, best first."""
        key = normalize(source)
        with self._lock:
            index = self._index(lang)
            index.sorted_views()
            low, high = length_window(len(key), min_score)
            start = bisect.bisect_left(index.lengths, low)
            stop = bisect.bisect_right(index.lengths, high)
            # Extra candidates so that dropping the segment itself and duplicates still leaves `limit`.
            found = process.extract(
                key, index.keys[start:stop], scorer=fuzz.ratio, processor=None,
                score_cutoff=min_score, limit=max(limit * 4, limit + 8),
            )
            scores = {id(entry): self._score(source, score, entry) for _, score, position in found
                      for entry in [index.entries[start + position]]}
            candidates = _best_first([index.entries[start + position] for _, _, position in found])
        candidates.sort(key=lambda entry: -scores[id(entry)])
        matches: list[TMMatch] = []
        seen: set[tuple[str, str]] = set()
        for entry in candidates:
            if entry.segment_id == exclude_segment or (entry.source, entry.target) in seen:
                continue
            seen.add((entry.source, entry.target))
            matches.append(TMMatch(scores[id(entry)], entry.source, entry.target, entry.segment_id, entry.status))
            if len(matches) == limit:
                break
        return matches

    def for_segment(self, segment_id: str, lang: str, *, limit: int = DEFAULT_LIMIT,
                    min_score: float = DEFAULT_MIN_SCORE) -> list[TMMatch]:
        """Matches for a workspace segment, leaving out its own translation."""
        segment = self.store.segment(segment_id)
        return self.lookup(segment["source"], lang, limit=limit, min_score=min_score, exclude_segment=segment_id)

    def invalidate(self, lang: str | None = None) -> None:
        """Forget the index (of one language or all); the next lookup rebuilds it from the store."""
        with self._lock:
            for key in [lang] if lang else list(self._indexes):
                self._indexes.pop(key, None)
                self._history_seen.pop(key, None)

    # -- index maintenance ------------------------------------------------------------------

    @staticmethod
    def _score(source: str, score: float, entry: _Entry) -> float:
        if entry.source == source:
            return 100.0
        return min(round(float(score), 1), 99.0)

    def _index(self, lang: str) -> _LanguageIndex:
        """The language's index, built on first use and caught up with the history since (lock held)."""
        latest = self._latest_history_id()
        index = self._indexes.get(lang)
        if index is None:
            index = _LanguageIndex()
            for row in self._memory_rows(lang):
                index.put(self._entry(row))
            self._indexes[lang] = index
        elif latest != self._history_seen.get(lang):
            changed = [row[0] for row in self.store.db.execute(
                "SELECT DISTINCT segment_id FROM history WHERE id > ? AND lang = ?", [self._history_seen.get(lang, 0), lang])]
            current = {row["segment_id"]: row for row in self._memory_rows(lang, changed)} if changed else {}
            for segment_id in changed:
                if segment_id in current:
                    index.put(self._entry(current[segment_id]))
                else:
                    index.drop(segment_id)
        self._history_seen[lang] = latest
        return index

    def _latest_history_id(self) -> int:
        return self.store.db.execute("SELECT COALESCE(MAX(id), 0) FROM history").fetchone()[0]

    def _memory_rows(self, lang: str, segment_ids: list[str] | None = None) -> list[dict[str, Any]]:
        statuses = ", ".join("?" for _ in MEMORY_STATUSES)
        sql = (
            "SELECT t.segment_id AS segment_id, s.source AS source, t.text AS target, t.status AS status, "
            "t.updated AS updated FROM translations t JOIN segments s ON s.id = t.segment_id "
            f"WHERE t.lang = ? AND t.status IN ({statuses}) AND t.text != ''"
        )
        params: list[Any] = [lang, *MEMORY_STATUSES]
        if segment_ids is not None:
            rows: list[dict[str, Any]] = []
            for chunk_start in range(0, len(segment_ids), 500):
                chunk = segment_ids[chunk_start:chunk_start + 500]
                marks = ", ".join("?" for _ in chunk)
                rows += list(self.store.db.query(sql + f" AND t.segment_id IN ({marks})", params + chunk))
            return rows
        return list(self.store.db.query(sql, params))

    @staticmethod
    def _entry(row: dict[str, Any]) -> _Entry:
        return _Entry(row["segment_id"], row["source"], row["target"], row["status"], row["updated"] or "", normalize(row["source"]))
