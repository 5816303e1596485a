"""Each check finds what it is for and stays quiet otherwise; run_checks and the CLI around them."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from workbench.checks import (
    ALL_CHECKS,
    GROUP_GLOSSARY,
    GROUP_MACHINE,
    GROUP_TRANSLATIONS,
    GROUP_UNTRANSLATED,
    SEVERITIES,
    Finding,
    SourceFacts,
    check_glossary,
    check_segment,
    report_lines,
    review_draft,
    run_checks,
    same_source_translations,
)
from workbench.checks.spelling import _TOKEN_WORDS, _WORD
from workbench.checks.text import (
    sentence_marks,
    sentence_marks_at_least,
    unbalanced_brackets,
)
from workbench.cli import cli
from workbench.glossary import Glossary, Rendering, Term, normalize
from workbench.glossary.text import _NORMALIZE, odd_spacing
from workbench.store import Draft
from workbench.textfacts import DIGIT_RUN
from workbench.workspace import Workspace


def make_glossary() -> Glossary:
    terms = [
        Term(0, "IMA", kind="acronym", treatment="keep", case_sensitive=True),
        Term(0, "migrant workers", english_forms=["migrant worker"], renderings={
            "es": Rendering("trabajadores migrantes", patterns=["trabajador* migrante*"]),
            "tl": Rendering("mga manggagawang migrante", verified=False),
        }),
        Term(0, "undocumented migrants", renderings={
            "es": Rendering("migrantes indocumentados", forbidden=["migrantes ilegales"]),
        }),
    ]
    for number, term in enumerate(terms, start=1):
        term.id = number
    return Glossary(terms)


GLOSSARY = make_glossary()


def ids(findings: list[Finding]) -> list[str]:
    return [finding.check_id for finding in findings]


def run(source: str, target: str, locale: str = "es", **options: object) -> list[str]:
    return ids(check_segment(source, target, locale, GLOSSARY, segment_id="s1", **options))  # type: ignore[arg-type]


# Each case: check id, (source, target) that must be found, (source, target) that must not.
CASES = [
    ("glossary-missing",
     ("Migrant workers march.", "Los trabajadores extranjeros marchan."),
     ("Migrant workers march.", "Las trabajadoras migrantes marchan.")),
    ("glossary-forbidden",
     ("Defend undocumented migrants.", "Defender a los migrantes ilegales."),
     ("Defend undocumented migrants.", "Defender a los migrantes indocumentados.")),
    ("keep-term",
     ("The IMA says no.", "La AIM dice no."),
     ("The IMA says no.", "La IMA dice no.")),
    ("numbers",
     ("On 18 December 2015, 1,000 marched.", "El 18 de diciembre de 2016, 1.000 marcharon."),
     ("On 18 December 2015, 1,000 marched.", "El 18 de diciembre de 2015, 1 000 marcharon.")),
    ("urls",
     ("Read it at www.ima-global.org/statement.", "Léalo en www.ima-global.org/declaracion."),
     ("Read it at www.ima-global.org/statement.", "Léalo en www.ima-global.org/statement.")),
    ("emails",
     ("Write to info@ima-global.org now.", "Escriba a info@ima.org ahora."),
     ("Write to info@ima-global.org now.", "Escriba a info@ima-global.org ahora.")),
    ("phones",
     ("Call +63 2 927 7060 today.", "Llame al +63 2 927 7061 hoy."),
     ("Call +63 2 927 7060 today.", "Llame al +63 2 927 7060 hoy.")),
    ("unchanged",
     ("Stand up for justice!", "Stand up for justice!"),
     ("Stand up for justice!", "¡Defiende la justicia!")),
    ("end-punctuation",
     ("Stand up for justice!", "Defiende la justicia."),
     ("Stand up for justice!", "Défendez la justice\u00a0!")),
    ("start-case",
     ("Stand up for justice!", "¡defiende la justicia!"),
     ("Stand up for justice!", "¡Defiende la justicia!")),
    ("double-space",
     ("We stand together.", "Nos mantenemos  unidos."),
     ("We stand  together.", "Nos mantenemos  unidos.")),
    ("brackets",
     ("The IMA (founded in 2008) grows.", "La IMA (fundada en 2008 crece."),
     ("1) The IMA grows.", "1) La IMA crece.")),
    ("quotes",
     ('They said "no".', "Dijeron «no”."),
     ('They said "no".', "Dijeron «no».")),
    ("sentence-count",
     ("We march. We win.", "Marchamos."),
     ("We march. We win.", "Marchamos. Ganamos.")),
    ("repeated-words",
     ("We stand together.", "Nos mantenemos mantenemos unidos."),
     ("Junk, junk the deal!", "¡Abajo, abajo el acuerdo!")),
    ("length",
     ("Migrant workers from twelve countries marched to the consulate to demand their unpaid wages.", "Los trabajadores."),
     ("Migrant workers from twelve countries marched to the consulate to demand their unpaid wages.",
      "Trabajadores migrantes de doce países marcharon al consulado para exigir sus salarios impagos.")),
]


@pytest.mark.parametrize(("check_id", "must_find", "must_not"), CASES, ids=[case[0] for case in CASES])
def test_each_segment_check_finds_and_stays_quiet(check_id: str, must_find: tuple[str, str], must_not: tuple[str, str]) -> None:
    assert check_id in run(*must_find)
    assert check_id not in run(*must_not)


def test_every_registered_check_has_a_case() -> None:
    covered = {case[0] for case in CASES} | {"untranslated", "inconsistent", "glossary-conflict", "spelling"}  # spelling: test_spelling.py
    assert {check.id for check in ALL_CHECKS} == covered


def test_every_registered_check_has_its_own_id_a_name_a_severity_and_a_description() -> None:
    assert len({check.id for check in ALL_CHECKS}) == len(ALL_CHECKS)
    for check in ALL_CHECKS:
        assert check.name and check.severity in SEVERITIES
        assert type(check).__doc__, f"{check.id} has no description"


def make_inflecting_glossary() -> Glossary:
    terms = [
        Term(0, "migrant workers", english_forms=["migrant worker"], renderings={
            "es": Rendering("trabajadores migrantes", forbidden=["trabajadores ilegales"]),
            "fr_CA": Rendering("travailleurs migrants"),
            "id": Rendering("pekerja migran", ["buruh migran"]),
            "tl": Rendering("mga manggagawang migrante"),
        }),
        Term(0, "undocumented migrants", renderings={
            "es": Rendering("migrantes indocumentados", forbidden=["migrantes ilegales"]),
            "fr_CA": Rendering("migrants sans papiers", forbidden=["migrants illégaux"]),
            "id": Rendering("migran tidak berdokumen", forbidden=["migran gelap"]),
            "tl": Rendering("mga migranteng walang dokumento", forbidden=["mga ilegal"]),
        }),
        Term(0, "chairperson", kind="role", renderings={
            "es": Rendering("presidenta"), "fr_CA": Rendering("présidente", forbidden=["président"]),
        }),
    ]
    for number, term in enumerate(terms, start=1):
        term.id = number
    return Glossary(terms)


INFLECTING = make_inflecting_glossary()
GLOSSARY_CHECKS = {"glossary-missing", "glossary-forbidden", "keep-term"}
WORKERS, WORKER, UNDOCUMENTED, UNDOCUMENTED_ONE, CHAIR = (
    "Migrant workers march.", "A migrant worker spoke.", "Defend undocumented migrants.", "An undocumented migrant spoke.",
    "Our chairperson spoke.")
TL_WORKERS, TL_UNDOCUMENTED = "Nagmartsa ang mga manggagawang migrante.", "Ipagtanggol ang mga migranteng walang dokumento."

# Each case: target locale, source language, source, target, the glossary checks it must raise (none: it must pass).
INFLECTION_CASES = [
    ("es", "en", WORKERS, "Las trabajadoras migrantes marchan.", set()),
    ("es", "en", WORKER, "Habló una trabajadora migrante.", set()),
    ("es", "en", UNDOCUMENTED_ONE, "Habló un migrante indocumentado.", set()),
    ("es", "en", CHAIR, "Habló nuestra presidenta.", set()),
    ("es", "en", WORKERS, "Los trabajadores extranjeros marchan.", {"glossary-missing"}),
    ("es", "en", CHAIR, "Habló nuestro presidente.", {"glossary-missing"}),
    ("es", "en", UNDOCUMENTED_ONE, "Habló una migrante ilegal.", {"glossary-missing", "glossary-forbidden"}),
    ("es", "en", WORKER, "Habló un trabajador ilegal.", {"glossary-missing", "glossary-forbidden"}),
    ("fr_CA", "en", WORKERS, "Les travailleuses migrantes marchent.", set()),
    ("fr_CA", "en", WORKER, "Un travailleur migrant a parlé.", set()),
    ("fr_CA", "en", CHAIR, "Nos présidentes ont parlé.", set()),
    ("fr_CA", "en", WORKERS, "Les travailleurs étrangers marchent.", {"glossary-missing"}),
    ("fr_CA", "en", WORKERS, "Les travailleuses migrants marchent.", set()),  # gender agreement is not the glossary's business
    ("fr_CA", "en", CHAIR, "Notre président a parlé.", {"glossary-missing", "glossary-forbidden"}),
    ("fr_CA", "en", CHAIR, "Nos présidents ont parlé.", {"glossary-missing", "glossary-forbidden"}),
    ("fr_CA", "en", UNDOCUMENTED_ONE, "Un migrant illégal a parlé.", {"glossary-missing", "glossary-forbidden"}),
    ("id", "en", WORKERS, "Pekerja-pekerja migran berbaris.", set()),
    ("id", "en", WORKERS, "Buruh-buruh migran berbaris.", set()),
    ("id", "en", WORKERS, "Pekerja asing berbaris.", {"glossary-missing"}),
    ("id", "en", UNDOCUMENTED, "Bela migran-migran gelap.", {"glossary-missing", "glossary-forbidden"}),
    ("tl", "en", WORKERS, "Nagmartsa ang manggagawang migrante.", set()),
    ("tl", "en", WORKERS, "Nagmartsa ang mga dayuhang manggagawa.", {"glossary-missing"}),
    ("es", "tl", TL_WORKERS, "Marcharon las trabajadoras migrantes.", set()),
    ("es", "tl", TL_WORKERS, "Marcharon los trabajadores extranjeros.", {"glossary-missing"}),
    ("es", "tl", TL_UNDOCUMENTED, "Defender a los migrantes ilegales.", {"glossary-missing", "glossary-forbidden"}),
    ("fr_CA", "tl", TL_WORKERS, "Les travailleuses migrantes ont marché.", set()),
    ("fr_CA", "tl", TL_WORKERS, "Les travailleurs étrangers ont marché.", {"glossary-missing"}),
    ("id", "tl", TL_WORKERS, "Buruh-buruh migran berbaris.", set()),
    ("id", "tl", TL_WORKERS, "Pekerja asing berbaris.", {"glossary-missing"}),
]


def case_id(case: tuple[str, str, str, str, set[str]]) -> str:
    locale, source_lang, _, target, flagged = case
    return f"{source_lang}>{locale}: {target} ({'flagged' if flagged else 'passes'})"


@pytest.mark.parametrize(("locale", "source_lang", "source", "target", "flagged"), INFLECTION_CASES,
                         ids=[case_id(case) for case in INFLECTION_CASES])
def test_inflected_renderings_pass_and_wrong_or_forbidden_ones_are_flagged(
        locale: str, source_lang: str, source: str, target: str, flagged: set[str]) -> None:
    findings = check_segment(source, target, locale, INFLECTING, segment_id="s1", source_lang=source_lang)
    assert {finding.check_id for finding in findings} & GLOSSARY_CHECKS == flagged


def test_the_bundled_glossary_accepts_the_feminine_plural_of_migrant_workers(workspace: Workspace) -> None:
    glossary = Glossary.from_store(workspace.store)
    assert check_segment("Migrant workers march.", "Les travailleuses migrantes marchent.", "fr_CA", glossary) == []
    assert ids(check_segment("Migrant workers march.", "Les travailleurs étrangers marchent.", "fr_CA", glossary)) == [
        "glossary-missing"]


def test_untranslated_is_progress_unless_the_status_claims_otherwise() -> None:
    [pending] = check_segment("Stand up!", "", "es", GLOSSARY, status="untranslated")
    assert (pending.check_id, pending.severity, pending.group) == ("untranslated", "info", GROUP_UNTRANSLATED)
    [claimed] = check_segment("Stand up!", "  ", "es", GLOSSARY, status="translated")
    assert (claimed.check_id, claimed.severity) == ("untranslated", "error")
    assert "untranslated" not in run("Stand up!", "¡De pie!")


def test_unverified_rendering_is_a_warning_and_verified_an_error() -> None:
    found = check_segment("Migrant workers march.", "Nagmartsa ang mga OFW.", "tl", GLOSSARY)
    [tagalog] = [finding for finding in found if finding.check_id != "spelling"]  # the tl dictionary lacks "Nagmartsa"
    assert (tagalog.check_id, tagalog.severity) == ("glossary-missing", "warning")
    [spanish] = check_segment("Migrant workers march.", "Marchan los obreros.", "es", GLOSSARY)
    assert spanish.severity == "error"


def test_keep_term_only_and_same_language_segments_may_stay_unchanged() -> None:
    assert "unchanged" not in run("IMA", "IMA")
    assert "unchanged" not in run("Mabuhay ang IMA!", "Mabuhay ang IMA!", "tl", source_lang="tl")


def test_repetition_the_source_or_the_grammar_has_is_not_reported() -> None:
    assert "repeated-words" not in run("Bora Bora is far.", "Bora Bora está lejos.")
    assert "repeated-words" not in run("We fight on.", "Nous nous battons.", "fr_CA")
    assert "repeated-words" in run("We fight on.", "Nous battons battons.", "fr_CA")


def test_repeated_words_are_quoted_as_the_target_writes_them() -> None:
    [loop] = check_segment("The IMA held a rally.", "La IMA IMA celebró una marcha.", "es", GLOSSARY)
    assert loop.check_id == "repeated-words" and loop.message.startswith("“IMA” is repeated")


def test_inconsistent_in_the_side_panel() -> None:
    found = check_segment("Stand up!", "¡De pie!", "es", GLOSSARY, segment_id="a", same_source=[("b", "¡Levántate!")])
    assert ids(found) == ["inconsistent"] and "b" in found[0].message
    same = check_segment("Stand up!", "¡De pie!", "es", GLOSSARY, segment_id="a", same_source=[("b", "¡De  pie!")])
    assert same == []


def test_glossary_contradictions() -> None:
    terms = [
        Term(1, "plunder", renderings={"es": Rendering("saqueo", forbidden=["saqueo"])}),
        Term(2, "looting", english_forms=["plunder"], renderings={"es": Rendering("pillaje")}),
        Term(3, "GCM", treatment="keep", renderings={"es": Rendering("PMM")}),
        Term(4, "robbery", renderings={"es": Rendering("robo", forbidden=["pillaje"])}),
    ]
    messages = [f.message for f in check_glossary(Glossary(terms), ["es"])]
    assert any("both accepted and forbidden" in m for m in messages)
    assert any("“plunder” belongs to “plunder” and “looting”" in m for m in messages)
    assert any("“GCM” must stay as it is but has the rendering “PMM”" in m for m in messages)
    assert any("“pillaje”, the rendering of “looting”, is forbidden by “robbery”" in m for m in messages)
    assert all(f.group == GROUP_GLOSSARY and f.segment_id is None for f in check_glossary(Glossary(terms), ["es"]))
    assert check_glossary(GLOSSARY, ["es", "fr_CA", "id", "tl"]) == []


def test_the_bundled_glossary_does_not_contradict_itself(workspace: Workspace) -> None:
    assert check_glossary(Glossary.from_store(workspace.store), workspace.target_locales) == []


# -- run_checks over a workspace ------------------------------------------------------------------------


@pytest.fixture
def checked(workspace: Workspace) -> Workspace:
    """Two statements sharing a slogan; translations in es, one a machine draft."""
    store = workspace.store
    first = store.save_statement({"slug": "first", "title": "First"})
    second = store.save_statement({"slug": "second", "title": "Second"})
    store.insert_segments([
        {"id": "a1", "statement_id": first, "position": 0, "kind": "slogan", "source": "Junk the GCM!", "source_lang": "en"},
        {"id": "a2", "statement_id": first, "position": 1, "kind": "paragraph",
         "source": "The IMA held 3 rallies.", "source_lang": "en"},
        {"id": "b1", "statement_id": second, "position": 0, "kind": "slogan", "source": "Junk the GCM!", "source_lang": "en"},
    ])
    store.save_translation("a1", "es", "¡Abajo el GCM!", "translated", author="tester")
    store.save_translation("b1", "es", "¡Fuera el GCM!", "approved", author="tester")
    store.save_machine_drafts([Draft("a2", "es", "La AIM celebró 4 mítines.", "argos")])
    return workspace


def test_run_checks_groups_machine_drafts_apart(checked: Workspace) -> None:
    glossary = Glossary.from_store(checked.store)
    findings = run_checks(checked.store, glossary, ["es"])
    machine = {f.check_id for f in findings if f.group == GROUP_MACHINE}
    assert machine == {"keep-term", "numbers"}
    assert all(f.segment_id == "a2" for f in findings if f.group == GROUP_MACHINE)
    inconsistent = sorted(f.segment_id for f in findings if f.check_id == "inconsistent")
    assert inconsistent == ["a1", "b1"]
    assert all(f.group == GROUP_TRANSLATIONS for f in findings if f.check_id == "inconsistent")


def test_run_checks_for_one_statement_still_compares_with_the_others(checked: Workspace) -> None:
    glossary = Glossary.from_store(checked.store)
    statement = checked.store.statement("second")["id"]
    findings = run_checks(checked.store, glossary, ["es", "tl"], statement_id=statement)
    assert {f.segment_id for f in findings} == {"b1"}
    assert {(f.check_id, f.lang) for f in findings} == {("inconsistent", "es"), ("untranslated", "tl")}
    assert same_source_translations(checked.store, "b1", "es") == [("a1", "¡Abajo el GCM!")]


def test_run_checks_reviews_the_targets_of_a_tagalog_source_through_its_tagalog_forms(workspace: Workspace) -> None:
    store = workspace.store
    statement = store.save_statement({"slug": "mixed", "title": "Mixed"})
    source = "Nagmartsa ang mga manggagawang migrante."
    store.insert_segments([  # the same text, once as Tagalog, once (mistaken) as English: each is read in its own language
        {"id": "t1", "statement_id": statement, "position": 0, "kind": "paragraph", "source": source, "source_lang": "tl"},
        {"id": "e1", "statement_id": statement, "position": 1, "kind": "paragraph", "source": source, "source_lang": "en"},
    ])
    for segment in ("t1", "e1"):
        store.save_translation(segment, "es", "Marcharon los trabajadores extranjeros.", "translated", author="tester")
        store.save_translation(segment, "fr_CA", "Les travailleuses migrantes ont marché.", "translated", author="tester")
        store.save_translation(segment, "id", "Buruh-buruh migran berbaris.", "translated", author="tester")
    findings = run_checks(store, Glossary.from_store(store), ["es", "fr_CA", "id"])
    glossary_findings = [(f.segment_id, f.lang, f.check_id, f.message) for f in findings if f.check_id in GLOSSARY_CHECKS]
    assert glossary_findings == [
        ("t1", "es", "glossary-missing", "“mga manggagawang migrante” should be rendered “trabajadores migrantes”")]


def test_report_lists_groups_and_counts_untranslated(checked: Workspace) -> None:
    findings = run_checks(checked.store, Glossary.from_store(checked.store), ["es", "tl"])
    lines = report_lines(findings)
    assert lines[0].startswith("== translations")
    assert any(line.startswith("== machine drafts") for line in lines)
    assert "not translated yet: tl 3" in lines
    assert lines[-1] == "2 errors, 2 warnings"


def test_cli_check_exit_codes_and_json(checked: Workspace) -> None:
    runner = CliRunner()
    base = ["-w", str(checked.root), "check"]
    failing = runner.invoke(cli, [*base, "--lang", "es"])
    assert failing.exit_code == 1, failing.output
    assert "keep-term" in failing.output
    as_json = runner.invoke(cli, [*base, "--lang", "es", "--json"])
    parsed = json.loads(as_json.output)
    assert {"severity", "check", "segment_id", "lang", "message", "group"} <= set(parsed[0])
    clean = runner.invoke(cli, [*base, "--lang", "es", "--statement", "second"])
    assert clean.exit_code == 0, clean.output
    unknown = runner.invoke(cli, [*base, "--lang", "de"])
    assert unknown.exit_code == 2 and "unknown target language" in unknown.output
    no_statement = runner.invoke(cli, [*base, "--statement", "nope"])
    assert no_statement.exit_code == 2 and "no statement 'nope'" in no_statement.output
    assert runner.invoke(cli, [*base, "--lang", "es", "--json"]).exit_code == 1


# -- the checks pofilter has: per-language cases --------------------------------------------------

FRENCH_SOURCE = 'We say: "No!" Why? Because we can.'


@pytest.mark.parametrize("target", [
    "Nous disons\u00a0: «\u00a0Non\u00a0!\u00a0» Pourquoi\u202f? Parce que nous le pouvons.",
    "Nous disons : « Non ! » Pourquoi ? Parce que nous le pouvons.",
], ids=["no-break spaces", "plain spaces"])
def test_french_spacing_before_marks_and_inside_guillemets_is_not_a_fault(target: str) -> None:
    assert run(FRENCH_SOURCE, target, "fr_CA") == []


def test_a_french_double_space_before_a_mark_is_still_a_double_space() -> None:
    assert run(FRENCH_SOURCE, "Nous disons  : « Non ! » Pourquoi ? Parce que nous le pouvons.", "fr_CA") == ["double-space"]


def test_start_case_looks_through_opening_marks_and_works_both_ways() -> None:
    assert "start-case" not in run("Why do we march?", "¿Por qué marchamos?")
    assert "start-case" in run("and we march on.", "Y seguimos marchando.")
    assert "start-case" not in run("2015 was hard.", "el año 2015 fue duro.")
    assert "start-case" not in run("www.ima-global.org has it.", "La tiene www.ima-global.org.")


def test_start_case_names_the_first_word_of_the_translation() -> None:
    [finding] = check_segment("Stand up!", "¡defiende!", "es", GLOSSARY)
    assert finding.message == "the source starts with a capital, the translation with “defiende”"


def test_quotes_allow_apostrophes_nesting_and_a_quotation_the_source_leaves_open() -> None:
    assert "quotes" not in run("“It’s ours,” she said.", "«\u00a0C’est à nous\u00a0», dit-elle.", "fr_CA")
    assert "quotes" not in run('He said "we say ‘no’".', "Dijo «decimos “no”».")
    assert "quotes" not in run("“We march on, and on.", "«Seguimos marchando.")
    assert "quotes" in run("“We march on,” and on.", "«Seguimos marchando, y seguimos.")


def test_brackets_report_what_is_never_closed_and_what_closes_nothing() -> None:
    [finding] = check_segment("The IMA (2008) grows.", "La IMA 2008) (crece (mucho.", "es", GLOSSARY)
    assert finding.message == "“(” is never closed (2 times); “)” closes nothing"


def test_sentence_count_trusts_abbreviations_and_only_reports_fewer_sentences() -> None:
    assert "sentence-count" not in run("Sec. Gen. Cruz spoke. We left.", "El Secretario General Cruz habló. Nos fuimos.")
    assert "sentence-count" not in run("We march.", "Marchamos. Ganamos.")
    [finding] = check_segment("We march. We win. We stay.", "Marchamos. Ganamos.", "es", GLOSSARY)
    assert finding.message == "the source has 3 sentences, the translation 2: one may be missing"


def test_machine_drafts_carry_the_new_checks_as_flags_that_read_as_sentences() -> None:
    facts = SourceFacts("We march. We win.", GLOSSARY)
    flags = [f"{finding.check_id}: {finding.message}" for finding in review_draft(facts, "marchamos  juntos.", "es")]
    assert flags == [
        "start-case: the source starts with a capital, the translation with “marchamos”",
        "double-space: two spaces in a row after “marchamos”: one is enough",
        "sentence-count: the source has 2 sentences, the translation 1: one may be missing",
    ]


# -- the fast paths find what the plain scans find ----------------------------------------------------

TRICKY_TEXTS = [
    "", " ", "We march. We win!  We stay?", "Hi... yes. No!\nNext line.", "?.) x", "« Non ! » dit-elle.\u202f!",
    "The IMA (2008) grows.", "(copy 12)", ")(", "((a)", "[x] {y} (z", "( 2015) and (02) 8927-7060", "(a) (b)",
    "+63 2 927 7060, 12, 13 and 14", "call 09974182478 or 1,000,000 (", "++5 +(", "l’homme d'Amnesty anti-kafala McDonald 2nd",
    "#tag @me x@y.org www.a.org/b", "tab\there", "new\nline\r\n", "nbsp\u00a0here", "odd\u2003space", "ctrl\x0bchar", "soft\u00adhyphen",
    "`tick`", "İstanbul ΟΔΟΣ ſ \u212a", "a\u2028b", "trailing  ", "  leading", "éèà ùç", "ﬁnance", "one.\ttwo!\u00a0three",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_a_texts_words_are_found_token_by_token_as_in_the_whole_text(text: str) -> None:
    plain = normalize(text)
    assert {word for token in plain.split() for word in _TOKEN_WORDS[token]} == set(_WORD.findall(plain))


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_the_quick_tests_agree_with_the_patterns_they_spare(text: str) -> None:
    assert all(sentence_marks_at_least(text, wanted) == (sentence_marks(text) >= wanted) for wanted in range(8))
    assert odd_spacing(text) == (re.search(r"\s\s|[^\S ]", text) is not None)


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_normalize_and_brackets_give_what_the_full_scans_give(text: str) -> None:
    replaced = text
    for odd, plain in _NORMALIZE:
        replaced = replaced.replace(odd, plain)
    assert normalize(text) == replaced
    opened: list[str] = []
    stray: list[str] = []
    for mark in re.findall(r"[()\[\]{}]", text):
        if mark in "([{":
            opened.append(mark)
        elif opened and opened[-1] == {")": "(", "]": "[", "}": "{"}[mark]:
            opened.pop()
        else:
            stray.append(mark)
    assert unbalanced_brackets(text) == "".join(sorted(opened + stray))


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_digit_runs_are_those_of_the_plain_pattern_that_hold_a_digit(text: str) -> None:
    plain = re.compile(r"[+(0-9][0-9 \t().,\-\u00a0\u202f]*")
    assert [match.span() for match in DIGIT_RUN.finditer(text)] == [
        match.span() for match in plain.finditer(text) if re.search("[0-9]", match.group())]
