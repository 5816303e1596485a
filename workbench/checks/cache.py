"""Checking a workspace again without redoing what did not change: the findings cache.

A translation's segment findings depend on its text and status, its
segment's source and source language, the glossary, and the checks' own code,
nothing else. The store keeps them per translation under a key made of all
of these (the translation's version stands for its text, since every change
bumps it), so a run after one edit recomputes one translation and reads the
rest. A key that does not match, or findings that cannot be read back, are
simply recomputed: a stale or broken cache costs time, never a wrong finding.

The consistency check compares translations across segments, so one edit
can change other segments' findings; it reads only the translations whose
source repeats, which is cheap, and is never cached.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
import uuid
from functools import cache
from pathlib import Path
from typing import NamedTuple

import workbench.glossary
import workbench.languages
import workbench.sentences
import workbench.textfacts
from workbench.checks.base import GROUPS, SEVERITIES, Finding
from workbench.checks.registry import (
    UNSAVED,
    SegmentChecker,
    check_glossary,
    consistency_findings,
    cycle_collection_paused,
)
from workbench.glossary import Glossary
from workbench.store import Store

_STALE_SHARE = 4
"""When more than one translation in this many must be rechecked, all texts are read at once rather than by id."""


@cache
def checks_fingerprint() -> str:
    """A digest of the code that decides findings: the checks, the glossary matcher, the text rules.

    Any change to them (a new check, a reworded message, a fixed pattern)
    makes every cached finding stale, with no version number to forget to
    bump. Where the source files cannot be read, the fingerprint is new in
    every process, so nothing cached is ever reused.
    """
    packages = [Path(__file__).parent, Path(workbench.glossary.__file__).parent]
    modules = [Path(module.__file__ or "") for module in (workbench.textfacts, workbench.sentences, workbench.languages)]
    digest = hashlib.blake2b(digest_size=8)
    try:
        for path in [*(path for package in packages for path in sorted(package.glob("*.py"))), *modules]:
            digest.update(path.read_bytes())
    except OSError:
        return uuid.uuid4().hex
    return digest.hexdigest()


def _source_digest(source: str, source_lang: str) -> str:
    return hashlib.blake2b(f"{source_lang}\n{source}".encode(), digest_size=8).hexdigest()


_QUOTE = json.encoder.encode_basestring
"""A string as a JSON string literal, in C: what ``json`` itself quotes strings with when ``ensure_ascii`` is off."""


def _encoded(findings: list[Finding]) -> str:
    """A translation's findings as stored (a JSON list): what its segment id and language do not already say.

    Written out from quoted strings: an encoder call builds its C encoder
    anew each time, which costs more than quoting a translation's few findings.
    """
    if not findings:
        return "[]"
    return "[" + ",".join(f"[{_QUOTE(f.severity)},{_QUOTE(f.check_id)},{_QUOTE(f.message)},{_QUOTE(f.group)}]"
                          for f in findings) + "]"


def _decoded(stored: str, segment_id: str, locale: str) -> list[Finding] | None:
    """Stored findings as :class:`Finding` objects, or None when they cannot be read back (then they are recomputed)."""
    if stored == "[]":
        return []  # most translations: no need to parse
    try:
        findings = [Finding(severity, check_id, segment_id, locale, message, group)
                    for severity, check_id, message, group in json.loads(stored)]
    except (TypeError, ValueError):
        return None
    if all(f.severity in SEVERITIES and f.group in GROUPS and type(f.check_id) is str and type(f.message) is str for f in findings):
        return findings
    return None


def check_workspace(store: Store, locales: list[str], statement_id: int | None = None) -> list[Finding]:
    """Every finding for ``locales`` (of one statement, or of all), as :func:`run_checks` gives them with the store's glossary.

    Translations whose inputs did not change since the last run are read
    from the findings cache; the others are checked and their findings kept
    for the next run. The glossary revision is read before the glossary: if
    the glossary changes meanwhile, what is kept is keyed to the older
    revision and is recomputed next time.
    """
    with cycle_collection_paused():
        context = f"{store.glossary_revision()}:{checks_fingerprint()}"
        glossary = Glossary.from_store(store)
        checker = SegmentChecker(glossary)
        segments = store.segment_sources(statement_id)
        texts = None
        if store.findings_kept_under(f":{context}"):
            cached = store.cached_findings(set(locales), statement_id)
        else:  # nothing kept fits (a first run, new checks, another glossary): every text is read now, once
            texts = store.translation_texts(set(locales), None if statement_id is None else {row[0] for row in segments})
            cached = {key: (version, status, "", "") for key, (_text, status, version) in texts.items()}
        per_translation: list[list[Finding]] = []  # in reading order; a stale translation's list is filled in by _recheck
        stale: list[Stale] = []
        digests: dict[tuple[str, str], str] = {}
        for segment_id, _statement, source, source_lang in segments:
            digest = digests.get((source, source_lang))
            if digest is None:
                digest = digests[source, source_lang] = _source_digest(source, source_lang)
            for locale in locales:
                row = cached.get((segment_id, locale))
                if row is None:  # never saved: nothing to cache, and only the untranslated note to give
                    per_translation.append(checker.findings(segment_id, source, source_lang, "", locale, "untranslated"))
                    continue
                version, status, key, stored = row
                kept = _decoded(stored, segment_id, locale) if key and key == f"{version}:{status}:{digest}:{context}" else None
                if kept is None:
                    kept = []
                    stale.append(Stale(segment_id, locale, source, source_lang, digest, kept))
                per_translation.append(kept)
        whole = texts is not None and statement_id is None  # every text in locales has been read
        if stale:
            if texts is None:
                every = len(stale) * _STALE_SHARE > len(cached)
                texts = store.translation_texts(set(locales), None if every else {item.segment_id for item in stale})
                whole = every
            store.remember_findings(_recheck(checker, stale, texts, context))
        findings = check_glossary(glossary, locales)
        for found in per_translation:
            findings += found
        findings += consistency_findings(store, locales, statement_id, segments=segments if statement_id is None else None,
                                         texts=texts if whole else None)
    return findings


class Stale(NamedTuple):
    """A translation whose kept findings do not fit its inputs, and the list its new findings go into.

    A named tuple: a cold run makes one per translation, and a tuple is made
    several times faster than a frozen dataclass.
    """

    segment_id: str
    locale: str
    source: str
    source_lang: str
    source_digest: str
    findings: list[Finding]


def _recheck(checker: SegmentChecker, stale: list[Stale], texts: dict[tuple[str, str], tuple[str, str, int]],
             context: str) -> list[tuple[str, str, str, str]]:
    """Check the ``stale`` translations into their lists; returns the cache rows to keep.

    Each is keyed by the version and status read with its text (``texts``),
    which may be newer than the ones the cache was compared with.
    """
    rows = []
    for item in stale:
        text, status, version = texts.get((item.segment_id, item.locale), UNSAVED)
        item.findings.extend(checker.findings(item.segment_id, item.source, item.source_lang, text, item.locale, status))
        rows.append((item.segment_id, item.locale, f"{version}:{status}:{item.source_digest}:{context}", _encoded(item.findings)))
    return rows
