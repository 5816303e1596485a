"""Saving translations off the UI thread, in order, without losing anything.

Leaving a paragraph must never make a volunteer wait, so every write goes to a
:class:`SaveQueue`: one writer thread with its own SQLite connection that applies
requests in the order they were made. One writer means no two saves of this app
race each other; the store's version check still catches a teammate's newer
version, which comes back as a conflict with both texts.

After a conflict on a translation, later requests for it were based on the
version the UI believed in, so they are refused as conflicts too until a
request marked ``resolves`` (the volunteer's choice, :func:`settling_request`)
arrives. That keeps an optimistic UI from silently writing over a teammate's text.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from workbench.store import ConflictError, DraftSentence, Store, StoreError
from workbench.workflow import Version, choose_machine_text, keep_both, restore_version, save_comment

Key = tuple[str, str]
"""A translation: (segment id, locale)."""


@dataclass(frozen=True)
class SaveRequest:
    """One write the UI wants: a text with a status, an undo of the last version, a kept-both conflict, or a machine pick;
    from the history, a redo or a restored version; or a comment.

    ``keep-both`` writes this request's text as a version of its own and
    ``winner`` on top of it (:func:`workbench.workflow.keep_both`); ``machine``
    saves a machine rendering the volunteer picked, with its origin, flags and
    sentences (:func:`workbench.workflow.choose_machine_text`). ``redo`` and
    ``restore`` carry the text they bring back, so a conflict shows it beside
    the teammate's; ``comment`` keeps the text and settles a teammate's comment
    itself (:func:`workbench.workflow.save_comment`).
    """

    kind: Literal["save", "undo", "keep-both", "machine", "redo", "restore", "comment"]
    segment_id: str
    lang: str
    expected_version: int
    text: str = ""
    status: str = ""
    origin: str = "human"
    resolves: bool = False
    """Set on the write that settles a conflict; it lifts the block on this translation."""
    winner: Version | None = None
    """For ``keep-both``: the text that stays current."""
    flags: tuple[str, ...] = ()
    """For ``machine``: what the checks found in the rendering, as drafting flags a draft."""
    sentences: tuple[DraftSentence, ...] = ()
    """For ``machine``: the rendering's sentences with the engine's confidence."""
    version: int = 0
    """For ``restore``: the version of the history to bring back."""
    comment: str = ""
    """For ``comment``: the comment to save (empty removes it)."""

    @property
    def key(self) -> Key:
        return (self.segment_id, self.lang)


@dataclass(frozen=True)
class SaveOutcome:
    """What happened to a request; exactly one of ``row``, ``conflict``, ``error`` is set."""

    request: SaveRequest
    row: dict[str, Any] | None = None
    conflict: ConflictError | None = None
    error: str | None = None


def settling_request(request: SaveRequest, current: dict[str, Any], *, mine: bool, author: str) -> SaveRequest:
    """The write that settles a conflict the volunteer's way; either way both texts stay in the history.

    ``request`` is the refused save and ``current`` the teammate's version that
    refused it. Keeping ``mine`` saves the volunteer's text over it; otherwise
    it stays current and the volunteer's text goes into the history, for undo.
    """
    version = current["version"]
    if mine:  # a machine pick stays one, with its sentences
        return SaveRequest("machine" if request.kind == "machine" else "save", *request.key, expected_version=version,
                           text=request.text, status=request.status, origin=request.origin, resolves=True,
                           flags=request.flags, sentences=request.sentences)
    theirs = Version(current["text"], current["status"], current.get("origin") or "human", current.get("author") or author)
    return SaveRequest("keep-both", *request.key, expected_version=version, text=request.text,
                       status="needs-review", origin=request.origin, resolves=True, winner=theirs)


_STOP = object()


class SaveQueue:
    """A single writer thread for the UI's saves, fed by a FIFO queue."""

    def __init__(self, db_path: Path, author: str, report: Callable[[SaveOutcome], None]) -> None:
        self.db_path = db_path
        self.author = author
        self._report = report
        self._queue: queue.Queue[Any] = queue.Queue()
        self._pending: Counter[Key] = Counter()
        self._lock = threading.Lock()
        self._blocked: set[Key] = set()
        self._thread = threading.Thread(target=self._run, name="workbench-saves", daemon=True)
        self._thread.start()

    def submit(self, request: SaveRequest) -> None:
        """Queue a write and return at once."""
        with self._lock:
            self._pending[request.key] += 1
        self._queue.put(request)

    def is_pending(self, segment_id: str, lang: str) -> bool:
        """Whether a write for this translation is queued or running (so the DB is not yet current)."""
        with self._lock:
            return self._pending[(segment_id, lang)] > 0

    @property
    def busy(self) -> bool:
        with self._lock:
            return sum(self._pending.values()) > 0

    def join(self) -> None:
        """Block until every queued write has been applied (tests and shutdown)."""
        self._queue.join()

    def close(self) -> None:
        """Apply what is queued, then stop the writer thread."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        store = Store(self.db_path)
        try:
            while True:
                request = self._queue.get()
                try:
                    if request is _STOP:
                        return
                    outcome = self._apply(store, request)
                    with self._lock:
                        self._pending[request.key] -= 1
                        if self._pending[request.key] <= 0:
                            del self._pending[request.key]
                    self._report(outcome)
                finally:
                    self._queue.task_done()
        finally:
            store.close()

    def _apply(self, store: Store, request: SaveRequest) -> SaveOutcome:
        if request.resolves:
            self._blocked.discard(request.key)
        try:
            if request.key in self._blocked:
                current = store.translation(request.segment_id, request.lang)
                raise ConflictError(current, request.text)
            if request.kind == "undo":
                row = store.undo(request.segment_id, request.lang, author=self.author, expected_version=request.expected_version)
            elif request.kind == "redo":
                row = store.redo(request.segment_id, request.lang, author=self.author, expected_version=request.expected_version)
            elif request.kind == "restore":
                row = restore_version(store, request.segment_id, request.lang, request.version, author=self.author,
                                      expected_version=request.expected_version)
            elif request.kind == "comment":
                row = save_comment(store, request.segment_id, request.lang, request.comment, author=self.author,
                                   expected_version=request.expected_version)
            elif request.kind == "machine":
                row = choose_machine_text(store, request.segment_id, request.lang, text=request.text, origin=request.origin,
                                          author=self.author, expected_version=request.expected_version,
                                          flags=request.flags, sentences=request.sentences)
            elif request.kind == "keep-both" and request.winner is not None:
                loser = Version(request.text, request.status, request.origin, self.author)
                row = keep_both(store, request.segment_id, request.lang, winner=request.winner, loser=loser,
                                expected_version=request.expected_version)
            else:
                row = store.save_translation(
                    request.segment_id, request.lang, request.text, request.status,
                    author=self.author, origin=request.origin, expected_version=request.expected_version,
                )
        except ConflictError as conflict:
            self._blocked.add(request.key)
            return SaveOutcome(request, conflict=conflict)
        except (StoreError, OSError, ValueError) as error:
            return SaveOutcome(request, error=str(error))
        except Exception as error:  # noqa: BLE001 - a database error must reach the volunteer, not kill the writer
            return SaveOutcome(request, error=f"{type(error).__name__}: {error}")
        return SaveOutcome(request, row=row)
