"""The findings cache: a second check reuses what did not change, redoes what did, and never gives a wrong finding.

Each test compares :func:`check_workspace` (cached) with :func:`run_checks`
(computed afresh) on the same workspace. To see whether a translation's
findings came from the cache, a test plants a marker finding under the key
the cache itself stored: it comes back while the key holds, and is gone once
an input of the translation changes.
"""

from __future__ import annotations

import json

import pytest

from workbench.checks import Finding, check_workspace, run_checks
from workbench.glossary import Glossary, Rendering, add_term
from workbench.store import Store
from workbench.workspace import Workspace

LOCALES = ["es", "fr_CA"]
MARKER = "planted in the cache"


@pytest.fixture
def store(workspace: Workspace) -> Store:
    """Two statements sharing a slogan, translated in es and fr_CA; a paragraph with a fault."""
    store = workspace.store
    first = store.save_statement({"slug": "first", "title": "First"})
    second = store.save_statement({"slug": "second", "title": "Second"})
    store.insert_segments([
        {"id": "a1", "statement_id": first, "position": 0, "kind": "slogan", "source": "Junk the GCM!", "source_lang": "en"},
        {"id": "a2", "statement_id": first, "position": 1, "kind": "paragraph",
         "source": "The IMA held 3 rallies. We marched.", "source_lang": "en"},
        {"id": "b1", "statement_id": second, "position": 0, "kind": "slogan", "source": "Junk the GCM!", "source_lang": "en"},
    ])
    store.save_translation("a1", "es", "¡Abajo el GCM!", "translated", author="tester")
    store.save_translation("b1", "es", "¡Abajo el GCM!", "translated", author="tester")
    store.save_translation("a2", "es", "La IMA celebró 4 mítines.", "translated", author="tester")
    store.save_translation("a2", "fr_CA", "L'IMA a tenu 3 rassemblements. Nous avons marché.", "machine", author="tester")
    return store


def fresh(store: Store, locales: list[str] = LOCALES, statement_id: int | None = None) -> list[Finding]:
    return run_checks(store, Glossary.from_store(store), locales, statement_id)


def plant(store: Store, segment_id: str, lang: str) -> None:
    """Replace a translation's cached findings with a marker, under the key the cache stored for it."""
    _version, _status, key, _findings = store.cached_findings({lang})[segment_id, lang]
    store.remember_findings([(segment_id, lang, key, json.dumps([["info", "marker", MARKER, "translations"]]))])


def planted(findings: list[Finding]) -> set[tuple[str | None, str]]:
    return {(f.segment_id, f.lang) for f in findings if f.message == MARKER}


def test_a_second_run_gives_what_a_fresh_run_gives_and_keeps_every_saved_translation(store: Store) -> None:
    assert check_workspace(store, LOCALES) == fresh(store)
    kept = store.cached_findings(set(LOCALES))
    assert set(kept) == {("a1", "es"), ("b1", "es"), ("a2", "es"), ("a2", "fr_CA")}
    assert all(key for _version, _status, key, _findings in kept.values())
    assert check_workspace(store, LOCALES) == fresh(store)


def test_unchanged_translations_are_read_from_the_cache(store: Store) -> None:
    check_workspace(store, LOCALES)
    plant(store, "a2", "es")
    assert planted(check_workspace(store, LOCALES)) == {("a2", "es")}


def test_an_edit_rechecks_that_translation_and_no_other(store: Store) -> None:
    check_workspace(store, LOCALES)
    plant(store, "a2", "es")
    plant(store, "a2", "fr_CA")
    store.save_translation("a2", "es", "La IMA celebró 3 mítines. Marchamos.", "translated", author="tester")
    findings = check_workspace(store, LOCALES)
    assert planted(findings) == {("a2", "fr_CA")}
    assert not [f for f in findings if f.segment_id == "a2" and f.lang == "es"]


@pytest.mark.parametrize("change", ["status", "source", "source language", "glossary"])
def test_a_new_status_source_source_language_or_glossary_rechecks(store: Store, change: str) -> None:
    check_workspace(store, LOCALES)
    plant(store, "a2", "es")
    if change == "status":  # as a script might (bench/check.py does): no new version
        with store.transaction():
            store.db.execute("UPDATE translations SET status = 'approved' WHERE segment_id = 'a2' AND lang = 'es'")
    elif change == "source":  # the segment alone, its translations untouched
        store.update_segment("a2", source="The IMA held 4 rallies. We marched.")
    elif change == "source language":
        store.set_source_language("a2", "tl")
    else:
        add_term(store, "rallies", renderings={"es": Rendering("mítines")})
    findings = check_workspace(store, LOCALES)
    assert planted(findings) == set()
    assert findings == fresh(store)


def test_findings_kept_by_other_checks_code_are_recomputed(store: Store) -> None:
    check_workspace(store, LOCALES)
    version, status, key, _findings = store.cached_findings({"es"})["a2", "es"]
    older = key.rsplit(":", 1)[0] + ":0123456789abcdef"  # the same inputs, checked by another version of the checks
    store.remember_findings([("a2", "es", older, json.dumps([["info", "marker", MARKER, "translations"]]))])
    assert planted(check_workspace(store, LOCALES)) == set()


@pytest.mark.parametrize("stored", ["not json", '{"a": 1}', '[["too", "short"]]', "[1]",
                                    '[["fatal", "numbers", "a message", "translations"]]', '[["error", 7, "a message", "translations"]]'])
def test_cached_findings_that_cannot_be_read_back_are_recomputed(store: Store, stored: str) -> None:
    check_workspace(store, LOCALES)
    _version, _status, key, _findings = store.cached_findings({"es"})["a2", "es"]
    store.remember_findings([("a2", "es", key, stored)])
    assert check_workspace(store, LOCALES) == fresh(store)
    assert store.cached_findings({"es"})["a2", "es"][3] != stored


def test_consistency_follows_an_edit_of_one_of_the_segments_that_share_a_source(store: Store) -> None:
    def inconsistent() -> set[str | None]:
        findings = check_workspace(store, LOCALES)
        assert findings == fresh(store)
        return {f.segment_id for f in findings if f.check_id == "inconsistent"}

    assert inconsistent() == set()
    store.save_translation("b1", "es", "¡Fuera el GCM!", "translated", author="tester")
    assert inconsistent() == {"a1", "b1"}
    store.save_translation("b1", "es", "¡Abajo el GCM!", "translated", author="tester")
    assert inconsistent() == set()


def test_one_statement_is_checked_from_the_cache_against_the_whole_workspace(store: Store) -> None:
    second = store.statement("second")["id"]
    store.save_translation("b1", "es", "¡Fuera el GCM!", "translated", author="tester")
    check_workspace(store, LOCALES)
    assert check_workspace(store, LOCALES, second) == fresh(store, statement_id=second)
    assert {(f.segment_id, f.check_id) for f in check_workspace(store, ["es"], second)} == {("b1", "inconsistent")}


def test_a_language_checked_for_the_first_time_is_computed_and_kept(store: Store) -> None:
    check_workspace(store, ["es"])
    assert check_workspace(store, LOCALES) == fresh(store)
    assert ("a2", "fr_CA") in store.cached_findings({"fr_CA"})
