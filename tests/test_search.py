"""Search and replace across statements: matches, the preview, applying it, and the two commands."""

from __future__ import annotations

import json
from typing import Any

import click
import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.search import Query, Scope, SearchError, apply_replace, find, plan_replace
from workbench.store import Draft, Store
from workbench.workspace import Workspace

TARGETS = ("es", "fr_CA", "id", "tl")


@pytest.fixture
def corpus(workspace: Workspace) -> Workspace:
    """Two statements: sources in English and Tagalog, translations in every status a replace meets."""
    store: Store = workspace.store
    first = store.save_statement({"slug": "imd-2016", "title": "Migrant workers' day", "date": "2016-12-18", "source_file": "a.txt"})
    second = store.save_statement({"slug": "may-day", "title": "May Day", "date": None, "source_file": "b.txt"})
    store.insert_segments([
        {"id": "s1", "statement_id": first, "position": 0, "kind": "title", "source": "Migrant workers' day", "source_lang": "en", "line": 1},
        {"id": "s2", "statement_id": first, "position": 1, "kind": "paragraph", "source_lang": "en", "line": 3,
         "source": "The IMA salutes all migrant workers.\nMigrants are workers too, since 18\u00a0December 2015."},
        {"id": "s3", "statement_id": first, "position": 2, "kind": "slogan", "source": "Mabuhay ang mga manggagawang migrante!",
         "source_lang": "tl", "line": 5},
        {"id": "m1", "statement_id": second, "position": 0, "kind": "title", "source": "Workers of the world", "source_lang": "en", "line": 1},
    ])
    store.save_translation("s1", "es", "Día de los trabajadores migrantes", "approved", author="ana")
    store.save_translation("s2", "es", "La IMA saluda a los trabajadores migrantes. Los migrantes también son trabajadores.",
                           "translated", author="ana")
    store.save_machine_drafts([Draft("s3", "es", "¡Vivan los trabajadores migrantes!", "mt:test")])
    store.save_translation("s2", "fr_CA", "L'IMA salue tous les travailleurs migrants.", "needs-review", author="luc")
    store.save_translation("m1", "es", "Trabajadores del mundo", "translated", author="ana")
    return workspace


def places(matches: list[Any]) -> list[tuple[str, str, str, str]]:
    return [(match.segment_id, match.field, match.lang, match.text) for match in matches]


def invoke(workspace: Workspace, *args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args], input=input, catch_exceptions=False)


# -- finding -------------------------------------------------------------------------------------


def test_a_search_finds_matches_in_sources_and_in_every_target_language(corpus: Workspace) -> None:
    matches = find(corpus.store, Query("migrant"), Scope(langs=TARGETS))

    assert places(matches) == [
        ("s1", "source", "en", "Migrant"), ("s1", "target", "es", "migrant"),
        ("s2", "source", "en", "migrant"), ("s2", "source", "en", "Migrant"),
        ("s2", "target", "es", "migrant"), ("s2", "target", "es", "migrant"), ("s2", "target", "fr_CA", "migrant"),
        ("s3", "source", "tl", "migrant"), ("s3", "target", "es", "migrant"),
    ]
    es = matches[1]
    assert (es.statement_id, es.slug, es.start, es.end, es.status, es.version) == (1, "imd-2016", 24, 31, "approved", 1)
    assert (es.before, es.after) == ("Día de los trabajadores ", "es")
    assert matches[0].status is None and matches[0].version is None


def test_the_context_of_a_match_is_one_line_cut_with_an_ellipsis(corpus: Workspace) -> None:
    (match,) = find(corpus.store, Query("too"), Scope())

    assert match.before == "\u2026workers. Migrants are workers "
    assert match.after == ", since 18 December 2015."  # a no-break space shows as a space


def test_search_ignores_case_unless_asked_and_matches_whole_words_or_a_regex_on_request(corpus: Workspace) -> None:
    store = corpus.store
    assert places(find(store, Query("ima"), Scope(langs=TARGETS))) == [
        ("s2", "source", "en", "IMA"), ("s2", "target", "es", "IMA"), ("s2", "target", "fr_CA", "IMA")]
    assert find(store, Query("ima", case_sensitive=True), Scope(langs=TARGETS)) == []
    assert len(find(store, Query("migrante"), Scope(source=False, langs=("es",)))) == 4
    assert find(store, Query("migrante", whole_word=True), Scope(source=False, langs=("es",))) == []
    assert places(find(store, Query("workers", whole_word=True), Scope())) == [
        ("s1", "source", "en", "workers"), ("s2", "source", "en", "workers"), ("s2", "source", "en", "workers"), ("m1", "source", "en", "Workers")]
    assert places(find(store, Query("worker", whole_word=True), Scope())) == []
    assert [match.text for match in find(store, Query(r"trabajador\w*\b", regex=True), Scope(source=False, langs=("es",)))] == [
        "trabajadores", "trabajadores", "trabajadores", "trabajadores", "Trabajadores"]


def test_a_space_in_plain_text_matches_a_no_break_space(corpus: Workspace) -> None:
    (match,) = find(corpus.store, Query("18 december"), Scope())

    assert match.text == "18\u00a0December"


def test_the_scope_keeps_to_the_source_the_languages_and_the_statement_asked_for(corpus: Workspace) -> None:
    store = corpus.store
    assert {match.field for match in find(store, Query("work"), Scope())} == {"source"}
    assert {match.lang for match in find(store, Query("migra"), Scope(source=False, langs=("fr_CA",)))} == {"fr_CA"}
    assert {match.segment_id for match in find(store, Query("trabajadores"), Scope(source=False, langs=("es",), statement="may-day"))} == {"m1"}


def test_an_empty_pattern_and_a_broken_regex_are_refused_in_one_line(corpus: Workspace) -> None:
    with pytest.raises(SearchError, match="give a word or phrase"):
        find(corpus.store, Query(""), Scope())
    with pytest.raises(SearchError) as refused:
        find(corpus.store, Query("(trabaj", regex=True), Scope())
    assert "'(trabaj' is not a valid regular expression" in str(refused.value) and "\n" not in str(refused.value)


# -- replacing -----------------------------------------------------------------------------------


def test_the_preview_lists_every_change_and_changes_nothing(corpus: Workspace) -> None:
    store = corpus.store
    before = store.translations()

    plan = plan_replace(store, Query("trabajadores"), "obreros", Scope(source=False, langs=("es",)))

    assert [(change.segment_id, change.lang, change.version, change.status, change.new_status) for change in plan.changes] == [
        ("s1", "es", 1, "approved", "translated"), ("s2", "es", 1, "translated", "translated"),
        ("s3", "es", 1, "machine", "needs-review"), ("m1", "es", 1, "translated", "translated")]
    assert plan.changes[1].new == "La IMA saluda a los obreros migrantes. Los migrantes también son obreros."
    assert plan.changes[3].new == "obreros del mundo"
    assert plan.replacements == 5
    change = plan.changes[1]
    assert [change.old[start:end] for start, end in change.old_spans] == ["trabajadores", "trabajadores"]
    assert [change.new[start:end] for start, end in change.new_spans] == ["obreros", "obreros"]
    assert store.translations() == before


def test_applying_changes_exactly_the_previewed_translations_by_the_workflow_rule(corpus: Workspace) -> None:
    store = corpus.store
    untouched = store.translation("s2", "fr_CA")
    plan = plan_replace(store, Query("trabajadores migrantes", whole_word=True), "personas migrantes", Scope(source=False, langs=("es",)))

    result = apply_replace(store, plan, author="tester")

    assert [change.segment_id for change in result.changed] == ["s1", "s2", "s3"] and result.conflicts == []
    assert [(store.translation(sid, "es")["text"], store.translation(sid, "es")["status"], store.translation(sid, "es")["version"])
            for sid in ("s1", "s2", "s3")] == [
        ("Día de los personas migrantes", "translated", 2),
        ("La IMA saluda a los personas migrantes. Los migrantes también son trabajadores.", "translated", 2),
        ("¡Vivan los personas migrantes!", "needs-review", 2),
    ]
    assert store.translation("m1", "es")["version"] == 1 and store.translation("s2", "fr_CA") == untouched
    history = store.history("s1", "es")
    assert [(entry["text"], entry["action"], entry["author"]) for entry in history] == [
        ("Día de los trabajadores migrantes", "edit", "ana"), ("Día de los personas migrantes", "edit", "tester")]


def test_a_translation_edited_since_the_preview_is_a_conflict_and_is_not_overwritten(corpus: Workspace) -> None:
    store = corpus.store
    plan = plan_replace(store, Query("trabajadores"), "obreros", Scope(source=False, langs=("es",), statement="imd-2016"))
    store.save_translation("s2", "es", "La IMA saluda a las trabajadoras y los trabajadores migrantes.", "translated",
                           author="ana", expected_version=1)

    result = apply_replace(store, plan, author="tester")

    assert [change.segment_id for change in result.changed] == ["s1", "s3"]
    (conflict,) = result.conflicts
    assert conflict.change.segment_id == "s2" and conflict.current["version"] == 2
    assert "s2 (es) was changed by ana since the preview (now version 2): not replaced" in str(conflict)
    assert store.translation("s2", "es")["text"] == "La IMA saluda a las trabajadoras y los trabajadores migrantes."


def test_a_regex_replacement_may_refer_to_groups_and_a_bad_reference_is_refused(corpus: Workspace) -> None:
    store = corpus.store
    scope = Scope(source=False, langs=("es",), statement="may-day")

    plan = plan_replace(store, Query(r"(\w+) del (\w+)", regex=True), r"\2: \1", scope)

    assert [change.new for change in plan.changes] == ["mundo: Trabajadores"]
    with pytest.raises(SearchError, match=r"'\\3' is not a valid replacement"):
        plan_replace(store, Query(r"(\w+) del (\w+)", regex=True), r"\3", scope)


def test_a_regex_that_matches_empty_text_replaces_only_what_it_really_matched(corpus: Workspace) -> None:
    plan = plan_replace(corpus.store, Query("x*", regex=True), "X", Scope(source=False, langs=TARGETS))

    assert plan.changes == ()


def test_replacing_in_the_source_is_refused(corpus: Workspace) -> None:
    with pytest.raises(SearchError, match="sources are not replaced: they come from the statement files"):
        plan_replace(corpus.store, Query("IMA"), "AIM", Scope(langs=("es",)))


# -- the commands --------------------------------------------------------------------------------


def test_search_prints_each_match_with_the_matched_text_in_brackets_and_a_count(corpus: Workspace) -> None:
    result = invoke(corpus, "search", "ima")

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "#1 [s2] en source     4  The [IMA] salutes all migrant workers.\u2026",
        "#1 [s2] es            3  La [IMA] saluda a los trabajadores\u2026",
        "#1 [s2] fr_CA         2  L'[IMA] salue tous les travailleurs\u2026",
        "3 matches in 1 segment of 1 statement",
    ]
    assert invoke(corpus, "search", "ima", "--case").output == "no match for 'ima'\n"


def test_search_json_gives_each_match_its_statement_segment_language_position_and_context(corpus: Workspace) -> None:
    result = invoke(corpus, "search", "migrant", "--lang", "fr", "--source", "--statement", "1", "--word", "--json")

    assert result.exit_code == 0
    assert json.loads(result.output) == [
        {"statement_id": 1, "slug": "imd-2016", "segment_id": "s1", "field": "source", "lang": "en", "start": 0, "end": 7,
         "match": "Migrant", "before": "", "after": " workers' day", "status": None, "version": None},
        {"statement_id": 1, "slug": "imd-2016", "segment_id": "s2", "field": "source", "lang": "en", "start": 20, "end": 27,
         "match": "migrant", "before": "The IMA salutes all ", "after": " workers. Migrants are workers\u2026", "status": None, "version": None},
    ]
    only_targets = json.loads(invoke(corpus, "search", "migra", "--lang", "fr", "--json").output)
    assert [(match["field"], match["lang"], match["status"], match["version"]) for match in only_targets] == [("target", "fr_CA", "needs-review", 1)]


def test_a_bad_regex_is_a_one_line_error_for_both_commands(corpus: Workspace) -> None:
    for args in (["search", "(", "--regex"], ["replace", "(", "x", "--lang", "es", "--regex"]):
        result = CliRunner().invoke(cli, ["--workspace", str(corpus.root), *args])
        assert result.exit_code == 2
        assert result.output.startswith("error: '(' is not a valid regular expression") and result.output.count("\n") == 1


def test_replace_shows_the_preview_and_changes_nothing_when_declined(corpus: Workspace) -> None:
    before = corpus.store.translations()

    result = invoke(corpus, "replace", "trabajadores", "obreros", "--lang", "es", "--statement", "may-day", input="n\n")

    assert result.output.splitlines() == [
        "#2 [m1] es (version 1, translated)",
        "  - [Trabajadores] del mundo",
        "  + [obreros] del mundo",
        "Make these 1 replacement in 1 translation? [y/N]: n",
        "nothing replaced",
    ]
    assert corpus.store.translations() == before


def test_replace_asks_and_applies_then_says_how_many_translations_changed(corpus: Workspace) -> None:
    result = invoke(corpus, "replace", "IMA", "AIM", "--lang", "es,fr", input="y\n")

    assert result.exit_code == 0
    assert "  - La [IMA] saluda" in result.output and "  + L'[AIM] salue" in result.output
    assert "#1 [s2] fr_CA (version 1, needs-review)" in result.output
    assert result.output.endswith("replaced: 2 replacements in 2 translations\n")
    assert corpus.store.translation("s2", "fr_CA")["text"] == "L'AIM salue tous les travailleurs migrants."
    assert corpus.store.history("s2", "fr_CA")[-1]["author"] == "tester"


def test_replace_with_yes_applies_without_asking(corpus: Workspace) -> None:
    result = invoke(corpus, "replace", "migrantes", "migrant", "--lang", "es", "--yes", "--case")

    assert result.output == "replaced: 4 replacements in 3 translations\n"
    assert corpus.store.translation("s3", "es")["status"] == "needs-review"
    assert invoke(corpus, "replace", "migrantes", "migrant", "--lang", "es,fr", "--yes").output == (
        "nothing to replace: no es, fr_CA translation would change\n")


def test_replace_without_an_answer_or_languages_or_in_the_source_says_what_to_do_in_one_line(corpus: Workspace) -> None:
    unanswered = CliRunner().invoke(cli, ["--workspace", str(corpus.root), "replace", "IMA", "AIM", "--lang", "es"], input="")
    assert unanswered.exit_code == 2 and unanswered.output.splitlines()[-1] == (
        "error: nothing replaced: answer the question in a terminal, or add --yes to replace without asking")
    for args, said in ((["--lang", "es", "--source"], "error: sources are not replaced"), (["--source"], "error: sources are not replaced"),
                       ([], "error: say which translations to change, e.g. --lang es")):
        result = CliRunner().invoke(cli, ["--workspace", str(corpus.root), "replace", "IMA", "AIM", *args])
        assert result.exit_code == 2 and result.output.startswith(said) and result.output.count("\n") == 1
    assert corpus.store.translation("s2", "es")["version"] == 1


def test_replace_confirmed_after_a_teammates_edit_reports_the_conflict_and_exits_1(corpus: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def teammate_edits_then_yes(*args: Any, **kwargs: Any) -> bool:
        corpus.store.save_translation("s1", "es", "Día de las trabajadoras migrantes", "approved", author="ana", expected_version=1)
        return True

    monkeypatch.setattr(click, "confirm", teammate_edits_then_yes)
    result = invoke(corpus, "replace", "migrantes", "migrantas", "--lang", "es", "--statement", "1")

    assert result.exit_code == 1
    assert "conflict: s1 (es) was changed by ana since the preview (now version 2): not replaced" in result.output
    assert result.output.endswith("replaced: 3 replacements in 2 translations; 1 conflict, not replaced\n")
    assert corpus.store.translation("s1", "es")["text"] == "Día de las trabajadoras migrantes"
