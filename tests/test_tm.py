"""Translation memory: exact and fuzzy matches over human work, kept current, pruned without losing matches."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from workbench import tm
from workbench.store import Draft, Store
from workbench.tm import TranslationMemory, length_window, normalize


def add_segments(store: Store, sources: list[str], slug: str = "tm") -> list[str]:
    statement_id = store.save_statement({"slug": slug, "title": slug})
    ids = [f"{slug}-{i}" for i in range(len(sources))]
    store.insert_segments([
        {"id": seg, "statement_id": statement_id, "position": i, "kind": "paragraph", "source": text, "source_lang": "en"}
        for i, (seg, text) in enumerate(zip(ids, sources, strict=True))
    ])
    return ids


def test_exact_match_prefers_approved_work_and_ignores_machine_drafts(workspace: Any) -> None:
    store: Store = workspace.store
    source = "Migrant workers defend their rights in Hong Kong."
    ids = add_segments(store, [source] * 4)
    store.save_machine_drafts([Draft(ids[0], "es", "borrador de la máquina", "mt:test")])
    store.save_translation(ids[1], "es", "traducción revisada", "translated", author="ana")
    store.save_translation(ids[2], "es", "traducción aprobada", "approved", author="luz")
    memory = TranslationMemory(store)

    match = memory.exact(source, "es", exclude_segment=ids[3])

    assert match is not None and match.exact
    assert (match.target, match.segment_id, match.status) == ("traducción aprobada", ids[2], "approved")
    assert memory.exact(source, "fr") is None
    assert memory.exact(source + " ", "es") is None  # exact means exact


def test_fuzzy_matches_are_scored_ranked_distinct_and_exclude_the_segment_itself(workspace: Any) -> None:
    store: Store = workspace.store
    sources = [
        "Migrant workers defend their rights in Hong Kong.",
        "Migrant workers defend their rights in Canada.",
        "Migrant workers defend their rights in Hong Kong!",
        "Governments do not protect refugees.",
        "Migrant workers defend their rights in Canada.",
    ]
    ids = add_segments(store, sources)
    targets = ["... en Hong Kong.", "... en Canadá.", "... en Hong Kong!", "Los gobiernos ...", "... en Canadá."]
    for seg, text in zip(ids, targets, strict=True):
        store.save_translation(seg, "es", text, "translated", author="ana")
    memory = TranslationMemory(store)

    matches = memory.for_segment(ids[0], "es")

    assert matches[0].segment_id == ids[2] and matches[1].target == "... en Canadá."
    assert matches[0].score == 99.0  # the same words, other punctuation: near-exact, not exact
    assert 60 <= matches[1].score < 99
    assert [m.target for m in matches].count("... en Canadá.") == 1  # one offer per distinct translation
    assert all(m.segment_id != ids[0] for m in matches)
    assert all("gobiernos" not in m.target for m in matches)
    assert memory.lookup(sources[3], "es", limit=1)[0].exact


@pytest.mark.parametrize("rebuild_after", [2000, 1])
def test_memory_follows_edits_without_a_manual_refresh(workspace: Any, monkeypatch: pytest.MonkeyPatch, rebuild_after: int) -> None:
    """Edits reach lookups whether they sit in the side list or were folded into the postings."""
    monkeypatch.setattr(tm, "_REBUILD_AFTER", rebuild_after)
    store: Store = workspace.store
    ids = add_segments(store, ["No one is illegal!", "Stop racism!"])
    memory = TranslationMemory(store)
    assert memory.lookup("No one is illegal!", "es") == []

    store.save_translation(ids[0], "es", "¡Nadie es ilegal!", "translated", author="ana")
    assert memory.exact("No one is illegal!", "es").target == "¡Nadie es ilegal!"

    store.save_translation(ids[0], "es", "¡Nadie es ilegal!!", "translated", author="ana")
    assert memory.exact("No one is illegal!", "es").target == "¡Nadie es ilegal!!"

    store.set_status(ids[0], "es", "needs-review", author="luz")
    assert memory.exact("No one is illegal!", "es") is None

    store.change_segment_source(ids[1], "Stop racism now!", author="import")
    store.save_translation(ids[1], "es", "¡Alto al racismo ya!", "approved", author="ana")
    assert memory.lookup("Stop racism now!", "es")[0].target == "¡Alto al racismo ya!"
    assert memory.exact("Stop racism!", "es") is None


@given(st.text(alphabet="abcde ", max_size=30), st.text(alphabet="abcde ", max_size=30), st.integers(30, 100))
@settings(max_examples=500)
def test_length_window_never_prunes_a_match(a: str, b: str, cutoff: int) -> None:
    a, b = normalize(a), normalize(b)
    if fuzz.ratio(a, b) >= cutoff:
        low, high = length_window(len(a), cutoff)
        assert low <= len(b) <= high


def test_lookup_finds_what_a_brute_force_scan_finds(workspace: Any) -> None:
    """The length-sorted slice and one extract call return the same best scores as scoring everything."""
    rng = random.Random(7)
    words = "migrants workers defend rights alliance solidarity families justice wages jobs war racism the of and in".split()
    sources = list(dict.fromkeys(" ".join(rng.choice(words) for _ in range(rng.randint(2, 12))) for _ in range(400)))
    store: Store = workspace.store
    ids = add_segments(store, sources)
    for seg, text in zip(ids, sources, strict=True):
        store.save_translation(seg, "id", text.upper(), "translated", author="dewi")
    memory = TranslationMemory(store)

    def word_ratio(a: str, b: str) -> float:
        """The documented score, computed the slow way: Indel similarity over word lists."""
        return fuzz.ratio(normalize(a).split(), normalize(b).split())

    for query in rng.sample(sources, 25):
        query = query + " jobs"
        scored = [(100.0 if s == query else min(word_ratio(query, s), 99.0), word_ratio(query, s)) for s in sources]
        brute = sorted((score for score, raw in scored if raw >= 70), reverse=True)[:5]
        found = [m.score for m in memory.lookup(query, "id", limit=5, min_score=70)]
        assert found == [round(score, 1) for score in brute]
