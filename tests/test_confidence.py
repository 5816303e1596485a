"""Confidence per sentence, alternatives and completion, with the real engine on the toy Argos models."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.toy import held_out, install_all, tagalog_sentence_and_its_spanish
from tests.test_mt import add_statement
from workbench.glossary import Glossary
from workbench.mt import EngineError, draft_translations
from workbench.mt.argos import ArgosEngine
from workbench.mt.engine import Engine, EngineListing, combined_confidence
from workbench.mt.suggestions import Suggester
from workbench.store import Store

UNKNOWN_WORDS = "Zorblat quimfrex vandosh plimber gracknel."
"""Words no toy model has seen."""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> ArgosEngine:
    return ArgosEngine(packages_dir=install_all(tmp_path_factory.mktemp("toy-models")))


def known_sentences(count: int = 5) -> list[dict[str, Any]]:
    """Held-out en->es sentences the toy model translates exactly, free of glossary terms and acronyms."""
    return [s for s in held_out("en", "es", verified_only=True) if "IMA" not in s["source"] and "Alliance" not in s["source"]][:count]


# -- the engine's scores -----------------------------------------------------------------------------


def test_scores_are_between_0_and_1_and_known_sentences_score_clearly_above_unknown_words(engine: ArgosEngine) -> None:
    known = [s["source"] for s in known_sentences()]

    scored = engine.translate_scored([*known, UNKNOWN_WORDS], "en", "es")

    assert all(h.confidence is not None and 0.0 <= h.confidence <= 1.0 for h in scored)
    *in_vocabulary, unknown = [h.confidence or 0.0 for h in scored]
    assert min(in_vocabulary) > 0.8 and unknown < 0.6
    assert min(in_vocabulary) - unknown > 0.3
    assert [h.text for h in scored[:-1]] == [s["expected"] for s in known_sentences()]


def test_translate_sentences_gives_the_same_texts_as_the_scored_call(engine: ArgosEngine) -> None:
    known = [s["source"] for s in known_sentences(3)]

    assert engine.translate_sentences(known, "en", "es") == [h.text for h in engine.translate_scored(known, "en", "es")]


def test_the_capabilities_say_what_the_argos_engine_can_do() -> None:
    assert ArgosEngine.capabilities.scores and ArgosEngine.capabilities.alternatives and ArgosEngine.capabilities.prefix


def test_a_pivots_confidence_is_the_product_of_its_legs() -> None:
    assert combined_confidence([0.9, 0.5]) == pytest.approx(0.45)
    assert combined_confidence([0.9, None]) is None


# -- drafts remember their sentences ---------------------------------------------------------------------


def test_a_machine_draft_stores_each_sentence_with_its_source_and_confidence(workspace: Any, engine: ArgosEngine) -> None:
    store: Store = workspace.store
    first, second = known_sentences(2)
    (segment_id, odd_id) = add_statement(store, [(f"{first['source']} {second['source']}", "en"), (UNKNOWN_WORDS, "en")])

    draft_translations(store, ["es"], engine=engine)

    row = store.translation(segment_id, "es")
    assert [(s["source"], s["text"]) for s in row["sentences"]] == [
        (first["source"], first["expected"]), (second["source"], second["expected"])]
    assert all(0.8 < s["confidence"] <= 1.0 for s in row["sentences"])
    (odd,) = store.translation(odd_id, "es")["sentences"]
    assert odd["confidence"] < 0.6


def test_a_redraft_from_the_cache_keeps_the_confidence(workspace: Any, engine: ArgosEngine) -> None:
    store: Store = workspace.store
    (segment_id,) = add_statement(store, [(known_sentences(1)[0]["source"], "en")])
    draft_translations(store, ["es"], engine=engine)
    before = store.translation(segment_id, "es")["sentences"]

    reopened = Store(store.path)
    draft_translations(reopened, ["es"], engine=engine, retranslate=True)

    assert reopened.translation(segment_id, "es")["sentences"] == before


def test_a_volunteers_edit_has_no_sentences_and_undo_brings_them_back(workspace: Any, engine: ArgosEngine) -> None:
    store: Store = workspace.store
    (segment_id,) = add_statement(store, [(known_sentences(1)[0]["source"], "en")])
    draft_translations(store, ["es"], engine=engine)
    drafted = store.translation(segment_id, "es")["sentences"]

    store.save_translation(segment_id, "es", "Texto de Ana.", "needs-review", author="ana")
    assert store.translation(segment_id, "es")["sentences"] == []

    store.undo(segment_id, "es", author="ana")
    assert store.translation(segment_id, "es")["sentences"] == drafted


def test_a_pivoted_draft_scores_below_either_leg(workspace: Any, engine: ArgosEngine) -> None:
    store: Store = workspace.store
    tagalog, spanish = tagalog_sentence_and_its_spanish()
    (segment_id,) = add_statement(store, [(tagalog, "tl")])

    draft_translations(store, ["es"], engine=engine)

    (sentence,) = store.translation(segment_id, "es")["sentences"]
    english = engine.translate_scored([tagalog], "tl", "en")[0]
    onward = engine.translate_scored([english.text], "en", "es")[0]
    assert sentence["text"] == spanish
    assert sentence["confidence"] == pytest.approx((english.confidence or 0) * (onward.confidence or 0), abs=1e-3)


class UnscoredEngine(Engine):
    """An engine without scores: the real Argos engine's translations, passed through the protocol's default."""

    name = "unscored"

    def __init__(self, real: ArgosEngine) -> None:
        self.real = real

    @classmethod
    def from_settings(cls, settings: Any) -> Engine:
        raise NotImplementedError

    def pairs(self) -> set[tuple[str, str]]:
        return self.real.pairs()

    def model_key(self, source: str, target: str) -> str | None:
        return self.real.model_key(source, target)

    def translate_sentences(self, sentences: list[str], source: str, target: str) -> list[str]:
        return self.real.translate_sentences(sentences, source, target)

    def listing(self) -> EngineListing:
        return self.real.listing()

    def how_to_get(self, missing: Any) -> str:
        return self.real.how_to_get(missing)


def test_an_engine_without_scores_drafts_with_no_sentences(workspace: Any, engine: ArgosEngine) -> None:
    store: Store = workspace.store
    (segment_id,) = add_statement(store, [(known_sentences(1)[0]["source"], "en")])

    draft_translations(store, ["es"], engine=UnscoredEngine(engine))

    row = store.translation(segment_id, "es")
    assert row["text"] == known_sentences(1)[0]["expected"] and row["sentences"] == []


# -- alternatives -----------------------------------------------------------------------------------------


def test_an_ambiguous_sentence_has_at_least_two_distinct_alternatives_best_first(engine: ArgosEngine) -> None:
    options = engine.alternatives("The workers demand justice.", "en", "es", 4)

    texts = [option.text for option in options]
    assert len(set(texts)) == len(texts) >= 2
    confidences = [option.confidence or 0 for option in options]
    assert confidences == sorted(confidences, reverse=True)


def test_paragraph_alternatives_vary_the_least_confident_sentence_first(engine: ArgosEngine) -> None:
    sure = known_sentences(1)[0]
    segment = {"source": f"{sure['source']} The workers demand justice.", "source_lang": "en"}

    alternatives = Suggester(engine).alternatives(segment, "es", 4)

    assert len({a.text for a in alternatives}) == len(alternatives) >= 2
    best, second = alternatives[:2]
    assert [s.text for s in best.sentences][0] == sure["expected"]
    assert second.sentences[0] == best.sentences[0], "the confident sentence is kept"
    assert second.sentences[1].text != best.sentences[1].text, "the doubtful one is varied"
    assert best.confidence == min(s.confidence or 0 for s in best.sentences)
    assert best.origin.startswith("mt:argos/en-es/")


def test_alternatives_keep_protected_spans_and_apply_the_glossary(engine: ArgosEngine) -> None:
    segment = {"source": "On 18 December 2015, 7,000 workers marched.", "source_lang": "en"}

    alternatives = Suggester(engine, glossary=Glossary([])).alternatives(segment, "es", 3)

    assert alternatives and all("7.000" in a.text and "18 de diciembre de 2015" in a.text for a in alternatives)


def test_tagalog_alternatives_go_through_english(engine: ArgosEngine) -> None:
    tagalog, spanish = tagalog_sentence_and_its_spanish()

    alternatives = Suggester(engine).alternatives({"source": tagalog, "source_lang": "tl"}, "es", 3)

    assert alternatives[0].text == spanish and ">" in alternatives[0].origin


# -- completion ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.8])
def test_a_completion_starts_with_the_prefix_and_finishes_as_the_model_translates(engine: ArgosEngine, cut: float) -> None:
    sentence = known_sentences(1)[0]
    words = sentence["expected"].split(" ")
    prefix = " ".join(words[:max(1, int(len(words) * cut))]) + " "

    completed = Suggester(engine).complete({"source": sentence["source"], "source_lang": "en"}, "es", prefix)

    assert completed.text.startswith(prefix)
    assert completed.text == sentence["expected"]
    assert completed.confidence is not None and 0 < completed.confidence <= 1


def test_a_half_typed_word_is_finished_not_broken(engine: ArgosEngine) -> None:
    sentence = known_sentences(1)[0]
    expected = sentence["expected"]
    second_word_start = expected.index(" ") + 1
    prefix = expected[:second_word_start + 3]

    completed = engine.complete(sentence["source"], prefix, "en", "es")

    assert completed.text == expected


def test_a_completion_follows_a_different_start_the_volunteer_chose(engine: ArgosEngine) -> None:
    sentence = known_sentences(1)[0]
    prefix = "Hoy, "

    completed = engine.complete(sentence["source"], prefix, "en", "es")

    assert completed.text.startswith(prefix) and len(completed.text) > len(prefix) + 10


def test_completing_the_second_sentence_keeps_the_first_and_appends_the_rest(engine: ArgosEngine) -> None:
    first, second, third = known_sentences(3)
    segment = {"source": f"{first['source']} {second['source']} {third['source']}", "source_lang": "en"}
    prefix = f"{first['expected']} {second['expected'].split(' ')[0]}"

    whole = Suggester(engine).complete(segment, "es", prefix)
    current = Suggester(engine).complete(segment, "es", prefix, whole=False)

    assert whole.text == f"{first['expected']} {second['expected']} {third['expected']}"
    assert current.text == f"{first['expected']} {second['expected']}"


def test_a_completion_puts_numbers_back_in_the_locales_form(engine: ArgosEngine) -> None:
    segment = {"source": "On 18 December 2015, 7,000 workers marched.", "source_lang": "en"}

    completed = Suggester(engine).complete(segment, "es", "El ")

    assert completed.text.startswith("El ") and "7.000" in completed.text and "7,000" not in completed.text


def test_an_engine_without_prefix_says_so_in_one_line(engine: ArgosEngine) -> None:
    with pytest.raises(EngineError, match="cannot continue a translation") as raised:
        Suggester(UnscoredEngine(engine)).complete({"source": "Hello.", "source_lang": "en"}, "es", "Hola")
    assert "\n" not in str(raised.value)


def test_statements_report_their_least_confident_sentence_per_language(workspace: Any, engine: ArgosEngine) -> None:
    store: Store = workspace.store
    add_statement(store, [(known_sentences(1)[0]["source"], "en")], slug="sure")
    add_statement(store, [(known_sentences(1)[0]["source"], "en"), (UNKNOWN_WORDS, "en")], slug="doubtful")
    add_statement(store, [("Not drafted.", "en")], slug="empty")
    draft_translations(store, ["es"], engine=engine, segment_ids=["sure-0", "doubtful-0", "doubtful-1"])

    least = store.least_confidence(["es"])

    by_slug = {statement["slug"]: least.get(statement["id"]) for statement in store.statements()}
    assert by_slug["empty"] is None
    assert by_slug["doubtful"] < 0.6 < by_slug["sure"]
    assert store.least_confidence(["fr_CA"]) == {}
