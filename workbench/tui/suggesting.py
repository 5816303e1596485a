"""The editor's machine suggestions: the workspace's engine, opened once off the UI thread, asked one thing at a time.

The editor offers three things a machine can do beyond drafting: other
renderings of one sentence, whole-paragraph alternatives, and the rest of the
sentence the volunteer is typing. They go through
:class:`workbench.mt.suggestions.Suggester` (drafting's protection, glossary
and cache) and are only ever called from thread workers. The engine is opened
in the background as soon as an editor opens, so the keys for abilities it
lacks (``Capabilities``) can be hidden before anyone presses them.

One lock serialises the calls: a newer request replaces an older one in the
UI, but the older thread still runs to its end, and the engine, the cache and
this module's database connection are then never used by two threads at once.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from workbench.glossary import Glossary
from workbench.store import Store
from workbench.workspace import Workspace

if TYPE_CHECKING:
    from workbench.mt import Engine, MTCache
    from workbench.mt.engine import Hypothesis
    from workbench.mt.suggestions import Alternative, Suggester

ALTERNATIVES = 5
"""How many renderings of a sentence, or alternatives of a paragraph, the engine is asked for."""


class Suggestions:
    """The workspace's engine for suggestions, with a connection and an MT cache of its own."""

    def __init__(self, workspace: Workspace, engine: Engine | None = None) -> None:
        self.workspace = workspace
        self.engine = engine
        """None until opened (or given, e.g. a workspace's other engine)."""
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._cache: MTCache | None = None

    def can(self, ability: str) -> bool | None:
        """Whether the engine has ``ability`` (``alternatives``, ``prefix``…); None while it is not open."""
        return bool(getattr(self.engine.capabilities, ability)) if self.engine is not None else None

    def open(self) -> Engine:
        """The engine, opened on first use (worker thread); :class:`~workbench.mt.EngineError` says why it cannot be."""
        with self._lock:
            return self._open()

    def sentence_alternatives(self, segment: dict[str, Any], locale: str, index: int) -> list[Hypothesis]:
        """Other renderings of sentence ``index`` of a paragraph, best first (worker thread)."""
        with self._lock:
            return self._suggester().sentence_alternatives(segment, locale, index, ALTERNATIVES)

    def alternatives(self, segment: dict[str, Any], locale: str) -> list[Alternative]:
        """Whole-paragraph alternatives, best first (worker thread)."""
        with self._lock:
            return self._suggester().alternatives(segment, locale, ALTERNATIVES)

    def complete(self, segment: dict[str, Any], locale: str, prefix: str) -> Hypothesis:
        """The sentence being typed, finished from ``prefix`` (worker thread); it starts with ``prefix`` exactly."""
        with self._lock:
            return self._suggester().complete(segment, locale, prefix, whole=False)

    def close(self) -> None:
        """Close the connection, unless a call is still running: quitting never waits for a slow server."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self._store is not None:
                self._store.close()
                self._store = None
        finally:
            self._lock.release()

    def _open(self) -> Engine:
        if self.engine is None:
            from workbench.mt import open_engine  # the engine loads when an editor opens, not at start-up

            self.engine = open_engine(self.workspace.mt)
        return self.engine

    def _suggester(self) -> Suggester:
        """A suggester with the glossary as it is now (a term added a minute ago counts)."""
        from workbench.mt import MTCache
        from workbench.mt.suggestions import Suggester

        engine = self._open()
        if self._store is None:
            self._store = Store(self.workspace.db_path)
            self._cache = MTCache(self._store)
        return Suggester(engine, glossary=Glossary.from_store(self._store), cache=self._cache)
