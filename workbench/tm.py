"""Translation memory: earlier human translations of the same or a similar source.

Two uses:

* MT drafting takes an **exact** match first: a paragraph a volunteer already
  translated elsewhere in the workspace ("Workers of the world, unite!") is
  reused as it is instead of being machine-translated again;
* the TUI shows **fuzzy** matches, scored 0-100, on every paragraph move, so a
  lookup must stay in the low milliseconds over a 10,000-statement workspace.

Only human work counts as memory (``translated`` and ``approved``, approved
first): offering machine drafts back as "memory" would launder MT output.

Scores are word-based, as in CAT tools: each normalized word (lower case, no
punctuation) is encoded as one character, and ``rapidfuzz.fuzz.ratio`` (the
normalized Indel similarity) compares those word strings. One changed word in
a 40-word paragraph scores 97.5, whatever the word's length, and a paragraph
becomes a string of ~40 characters instead of ~250, which is several times
faster to compare.

Speed comes from an in-memory index per language, built once and then kept
current from the store's append-only ``history`` table (one indexed query per
lookup finds what changed). An inverted index in numpy arrays bounds, for all
entries at once, how many words each can share with the query; only those
that could reach the cutoff (a few hundred of 120,000, typically) are scored,
in one ``rapidfuzz.process.extract`` call (C++). Nothing loops in Python over
the memory. Saved translations go to a small side list that is folded into
the index after a couple of thousand changes. numpy is imported by the index
itself, with the first lookup: a command or a screen that never looks up
memory does not pay its tenth of a second at start-up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process, utils

from workbench.store import Store

if TYPE_CHECKING:
    import numpy as np

MEMORY_STATUSES: tuple[str, ...] = ("approved", "translated")
"""Statuses whose text is offered as memory, best first."""

DEFAULT_MIN_SCORE = 60.0
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class TMMatch:
    """A remembered translation and how close its source is to the one looked up."""

    score: float
    """100 for an identical source; the same words with other case or punctuation score 99."""
    source: str
    target: str
    segment_id: str
    status: str

    @property
    def exact(self) -> bool:
        return self.score == 100.0


@dataclass(frozen=True)
class Provenance:
    """Where a match comes from: the statement whose paragraph it translates, who saved it, and when.

    A volunteer weighs a suggestion by its context ("the May Day call, Ana,
    last week") as much as by its score.
    """

    statement_id: int
    statement: str
    """The statement's title."""
    author: str | None
    updated: str | None
    """When the translation was last saved (ISO 8601, UTC)."""


@dataclass
class _Entry:
    segment_id: str
    source: str
    target: str
    status: str
    updated: str
    key: str  # the source's words, one character each (see _WordCodes)

    @property
    def status_rank(self) -> int:
        return MEMORY_STATUSES.index(self.status)


def _best_first(entries: list[_Entry]) -> list[_Entry]:
    """Approved before translated, and within each the most recently updated first."""
    newest_first = sorted(entries, key=lambda e: e.updated, reverse=True)
    return sorted(newest_first, key=lambda e: e.status_rank)


class _Postings:
    """An inverted index (word -> entries containing it) over a snapshot of the entries, in numpy arrays.

    It bounds, for every entry at once, how many words it can share with a
    query: the Indel similarity needs 2*LCS/(a+b) >= s and LCS cannot exceed
    the number of the entry's word occurrences that appear in the query. One
    ``bincount`` over the query words' postings gives that bound, so only
    entries that could reach the cutoff are handed to rapidfuzz. The filter is
    exact: it never drops a match.
    """

    def __init__(self, entries: list[_Entry]) -> None:
        import numpy as np

        self.entries = entries
        self.slot_of = {entry.segment_id: slot for slot, entry in enumerate(entries)}
        self.lengths = np.fromiter((len(e.key) for e in entries), dtype=np.int32, count=len(entries))
        words = _word_ids("".join(e.key for e in entries))
        slots = np.repeat(np.arange(len(entries), dtype=np.int32), self.lengths)
        order = np.argsort(words, kind="stable")
        self.postings = slots[order]
        counts = np.bincount(words, minlength=1) if len(words) else np.zeros(1, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(counts)))
        self.alive = np.ones(len(entries), dtype=bool)

    def retire(self, segment_id: str) -> None:
        slot = self.slot_of.get(segment_id)
        if slot is not None:
            self.alive[slot] = False

    def candidates(self, key: str, min_score: float) -> list[_Entry]:
        """Live entries that may score at least ``min_score`` against ``key``."""
        if not self.entries:
            return []
        import numpy as np

        words = np.unique(_word_ids(key))
        words = words[words < len(self.offsets) - 1]
        if not len(words):
            return []
        hits = np.concatenate([self.postings[self.offsets[w]:self.offsets[w + 1]] for w in words])
        shared = np.bincount(hits, minlength=len(self.entries))
        needed = (min_score / 100.0) * (len(key) + self.lengths) / 2.0
        slots = np.flatnonzero(self.alive & (shared >= needed - 1e-9))
        return [self.entries[slot] for slot in slots]


_REBUILD_AFTER = 2000
"""Changed entries kept outside the postings before they are rebuilt (a rebuild of 120,000 takes about a second)."""


@dataclass
class _LanguageIndex:
    """All memory of one target language: postings over a snapshot, plus what changed since."""

    by_segment: dict[str, _Entry] = field(default_factory=dict)
    by_source: dict[str, set[str]] = field(default_factory=dict)
    snapshot: _Postings = field(default_factory=lambda: _Postings([]))
    recent: dict[str, _Entry] = field(default_factory=dict)
    """Entries added or changed since the snapshot: few, so scored directly."""

    def put(self, entry: _Entry) -> None:
        self.drop(entry.segment_id)
        self.by_segment[entry.segment_id] = entry
        self.by_source.setdefault(entry.source, set()).add(entry.segment_id)
        self.recent[entry.segment_id] = entry

    def drop(self, segment_id: str) -> None:
        old = self.by_segment.pop(segment_id, None)
        if old is None:
            return
        same_source = self.by_source.get(old.source)
        if same_source is not None:
            same_source.discard(segment_id)
            if not same_source:
                del self.by_source[old.source]
        self.snapshot.retire(segment_id)
        self.recent.pop(segment_id, None)

    def compact(self) -> None:
        """Fold recent changes into fresh postings once there are many of them."""
        if len(self.recent) > _REBUILD_AFTER or (self.recent and not self.snapshot.entries):
            self.snapshot = _Postings([e for e in self.by_segment.values() if e.key])
            self.recent.clear()

    def candidates(self, key: str, min_score: float) -> list[_Entry]:
        low, high = length_window(len(key), min_score)
        recent = [e for e in self.recent.values() if low <= len(e.key) <= high]
        return self.snapshot.candidates(key, min_score) + recent


def _word_ids(key: str) -> np.ndarray:
    """The word numbers of a key (see :class:`_WordCodes`)."""
    import numpy as np

    return np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.int64) - _FIRST_CODE


_FIRST_CODE = 0x10000  # past the Basic Multilingual Plane: no clash with anything a tokenizer would keep
_CODE_SPAN = 0x10FFFF - _FIRST_CODE


class _WordCodes:
    """Encode each distinct word as one character, so that rapidfuzz compares words, not letters."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def encode(self, text: str) -> str:
        codes = self.codes
        out = []
        for word in normalize(text).split():
            code = codes.get(word)
            if code is None:
                # Past a million distinct words codes repeat; a collision only nudges a score.
                code = codes[word] = chr(_FIRST_CODE + len(codes) % _CODE_SPAN)
            out.append(code)
        return "".join(out)


def normalize(text: str) -> str:
    """The words that fuzzy scores compare: lower case, punctuation removed."""
    return utils.default_process(text)


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
        self._words = _WordCodes()  # shared by all languages: the keys are source texts

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
        with self._lock:
            index = self._index(lang)
            key = self._words.encode(source)
            if not key:
                return []
            entries = index.candidates(key, min_score)
            keys = [entry.key for entry in entries]
            # Extra candidates so that dropping the segment itself and duplicates still leaves `limit`.
            found = process.extract(
                key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=min_score, limit=max(limit * 4, limit + 8),
            )
            scores = {id(entries[position]): self._score(source, score, entries[position]) for _, score, position in found}
            candidates = _best_first([entries[position] for _, _, position in found])
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

    def provenance(self, matches: list[TMMatch], lang: str) -> dict[str, Provenance]:
        """Where each match comes from, by segment id, in one read: only for the few matches shown, never for the index."""
        rows = self.store.memory_provenance([match.segment_id for match in matches], lang)
        return {segment_id: Provenance(row["statement_id"], row["title"], row["author"], row["updated"])
                for segment_id, row in rows.items()}

    def warm(self, lang: str) -> None:
        """Build a language's index now (about a second per 20,000 translations), e.g. in a worker at start-up."""
        with self._lock:
            self._index(lang)

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
            index.compact()
        elif latest != self._history_seen.get(lang):
            changed = self.store.segments_changed_since(self._history_seen.get(lang, 0), lang)
            current = {row["segment_id"]: row for row in self._memory_rows(lang, changed)} if changed else {}
            for segment_id in changed:
                if segment_id in current:
                    index.put(self._entry(current[segment_id]))
                else:
                    index.drop(segment_id)
            index.compact()
        self._history_seen[lang] = latest
        return index

    def _latest_history_id(self) -> int:
        return self.store.latest_history_id()

    def _memory_rows(self, lang: str, segment_ids: list[str] | None = None) -> list[dict[str, Any]]:
        return self.store.memory_rows(lang, MEMORY_STATUSES, segment_ids)

    def _entry(self, row: dict[str, Any]) -> _Entry:
        return _Entry(row["segment_id"], row["source"], row["target"], row["status"], row["updated"] or "",
                      self._words.encode(row["source"]))
