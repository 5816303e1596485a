"""The spell-check finds real misspellings with Debian's dictionaries, and is quietly absent without one.

These tests read the real hunspell dictionaries (hunspell-es, hunspell-fr,
hunspell-id, myspell-tl) and library (libhunspell-1.7-0) that ``.ci/run``
installs. A missing one fails the test with what to install: a silent skip
would let the spell-check go untested on the very machine meant to test it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from workbench.checks import GROUP_MACHINE, SourceFacts, check_segment, review_draft, spelling_note
from workbench.checks import spelling as spelling_module
from workbench.checks.spelling import (
    EXTRA_FOLDERS_VARIABLE,
    FOLDERS_VARIABLE,
    PACKAGES,
    STANDARD_FOLDERS,
    dictionary_folders,
    find_dictionary,
)
from workbench.glossary import Glossary, Rendering, Term
from workbench.languages import DEFAULT_TARGET_LOCALES

NO_GLOSSARY = Glossary([])


@pytest.fixture(autouse=True)
def standard_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dictionaries come from the standard folders, whatever the developer's environment says."""
    monkeypatch.delenv(FOLDERS_VARIABLE, raising=False)
    monkeypatch.delenv(EXTRA_FOLDERS_VARIABLE, raising=False)


@pytest.fixture
def dictionaries(standard_folders: None) -> None:
    """Fail, saying what to install, when a language's dictionary or the hunspell library is missing."""
    missing = [note for locale in DEFAULT_TARGET_LOCALES if (note := spelling_note(locale))]
    if missing:
        pytest.fail("the spell-check tests need Debian's dictionaries, as .ci/run installs them: " + "; ".join(missing))


def spelling(source: str, target: str, locale: str, glossary: Glossary = NO_GLOSSARY, **options: str) -> list[str]:
    """The spell-check's messages for one segment, as the editor's side panel gets them."""
    return [finding.message for finding in check_segment(source, target, locale, glossary, segment_id="s1", **options)
            if finding.check_id == "spelling"]


def test_each_workspace_language_finds_its_debian_dictionary(dictionaries: None) -> None:
    found = {locale: find_dictionary(locale, dictionary_folders()) for locale in DEFAULT_TARGET_LOCALES}
    names = {locale: stem.name for locale, stem in found.items() if stem}
    assert names == {"es": "es_ES", "fr_CA": "fr_CA", "id": "id_ID", "tl": "tl"}


def test_a_misspelled_spanish_word_is_found_with_a_suggestion(dictionaries: None) -> None:
    [message] = spelling("Migrant workers defend their rights.", "Los trabajadores migrantes defienden sus derechoz.", "es")
    assert message.startswith("“derechoz” is not in the Spanish dictionary: did you mean ")
    assert "“derechos”" in message


def test_a_missing_accent_is_suggested_first(dictionaries: None) -> None:
    [message] = spelling("We reject the detention.", "Rechazamos la detencion.", "es")
    assert message == "“detencion” is not in the Spanish dictionary: did you mean “detención”?"


def test_a_correct_sentence_is_clean_in_every_language(dictionaries: None) -> None:
    source = "The alliance condemns the arbitrary detention of migrant workers at the border."
    targets = {
        "es": "La alianza condena la detención arbitraria de trabajadores migrantes en la frontera.",
        "fr_CA": "L’alliance condamne la détention arbitraire de travailleurs migrants à la frontière.",
        "id": "Aliansi mengutuk penahanan sewenang-wenang terhadap pekerja migran di perbatasan.",
        "tl": "Kinokondena ng alyansa ang pagkulong sa mga manggagawang migrante sa hangganan.",
    }
    found = {locale: spelling(source, target, locale) for locale, target in targets.items()}
    # the Tagalog dictionary lacks many affixed verbs: "kinokondena" is Tagalog, unknown to it
    assert found == {"es": [], "fr_CA": [], "id": [], "tl": ["“Kinokondena” is not in the Tagalog dictionary"]}


def test_french_with_its_spacing_before_semicolon_colon_exclamation_and_question_marks_is_clean(dictionaries: None) -> None:
    target = ("Pourquoi\u202f? Parce que nous luttons\u00a0: aujourd’hui\u00a0; demain aussi\u202f! "
              "« Justice pour tous » : c’est notre mot d’ordre !")
    assert spelling("Why? Because we fight: today; tomorrow too!", target, "fr_CA") == []


def test_a_name_copied_from_the_source_is_not_flagged(dictionaries: None) -> None:
    target = "Kadamay encabeza la protesta en Quezon."
    assert spelling("Kadamay leads the protest in Quezon.", target, "es") == []
    # the same sentence-initial word is flagged when the source does not have it
    assert spelling("The urban poor lead the protest in Quezon.", target, "es") == [
        "“Kadamay” is not in the Spanish dictionary"]


def test_names_and_acronyms_inside_a_sentence_are_not_flagged(dictionaries: None) -> None:
    assert spelling("The alliance met.", "Ayer la alianza se reunió con Bagong Alyansang Makabayan y la OIT.", "es") == []


def test_glossary_keep_terms_and_renderings_are_not_flagged(dictionaries: None) -> None:
    source, target = "Abolish the sponsorship system for undocumented people.", "Abolid la kafala para los sinpapeles."
    assert len(spelling(source, target, "es")) == 2
    glossary = Glossary([
        Term(1, "kafala", kind="name", treatment="keep"),
        Term(2, "undocumented people", renderings={"es": Rendering("sinpapeles")}),
    ])
    assert spelling(source, target, "es", glossary) == []


def test_numbers_links_addresses_hashtags_and_mentions_are_not_checked(dictionaries: None) -> None:
    target = ("Escriban a infoo@imaa-global.org o visiten www.imaa-global.org/declaracionn "
              "con #JunkKafalaa y @migrantee: 2do, 3ero, COVID19.")
    assert spelling("Write to us.", target, "es") == []


def test_a_target_in_another_language_is_one_finding(dictionaries: None) -> None:
    [message] = spelling("Stand up!", "We are standing together with the workers of the world today.", "es")
    assert message == ("9 words are not in the Spanish dictionary (“We”, “standing”, “together”, …): "
                       "is the text in Spanish?")


def test_a_machine_draft_is_noted_by_the_check_but_not_flagged_when_drafted(dictionaries: None) -> None:
    source, draft = "Migrant workers defend their rights.", "Los trabajadores migrantes defienden sus derechoz."
    [finding] = [f for f in check_segment(source, draft, "es", NO_GLOSSARY, status="machine") if f.check_id == "spelling"]
    assert (finding.severity, finding.group) == ("info", GROUP_MACHINE)
    assert review_draft(SourceFacts(source, NO_GLOSSARY), draft, "es") == []


def test_a_dictionary_in_a_folder_of_ones_own_is_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dictionaries: None) -> None:
    system = find_dictionary("tl", dictionary_folders())
    assert system is not None
    for suffix in (".aff", ".dic"):
        shutil.copy(system.with_suffix(suffix), tmp_path / f"tl{suffix}")
    monkeypatch.setenv(FOLDERS_VARIABLE, str(tmp_path))
    assert find_dictionary("tl", dictionary_folders()) == tmp_path / "tl"
    assert spelling("The workers.", "Ang mga manggagawaa.", "tl") == [
        "“manggagawaa” is not in the Tagalog dictionary: did you mean “manggagawa”?"]


def test_a_locale_with_no_dictionary_gives_no_findings_and_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FOLDERS_VARIABLE, str(tmp_path))
    for locale in DEFAULT_TARGET_LOCALES:
        assert spelling("Migrant workers defend their rights.", "Xyzzy qwrtp blargh derechoz.", locale) == []
    assert spelling_note("tl") == "no spell-check for tl: install myspell-tl"
    assert spelling_note("fr_CA") == f"no spell-check for fr_CA: install {PACKAGES['fr']}"


def test_an_empty_folder_list_turns_the_spell_check_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FOLDERS_VARIABLE, "")
    assert dictionary_folders() == ()
    assert spelling("Migrant workers defend their rights.", "Los trabajadores migrantes defienden sus derechoz.", "es") == []


def test_without_the_hunspell_library_there_is_no_spell_check_and_the_note_names_its_package(
        monkeypatch: pytest.MonkeyPatch, dictionaries: None) -> None:
    monkeypatch.setattr(spelling_module, "_hunspell", lambda: None)
    monkeypatch.setenv(FOLDERS_VARIABLE, os.pathsep.join(STANDARD_FOLDERS))  # a setting no speller was chosen under yet
    assert spelling("Migrant workers defend their rights.", "Los trabajadores migrantes defienden sus derechoz.", "es") == []
    assert spelling_note("es") == "no spell-check for es: install libhunspell-1.7-0"


def test_check_says_once_per_language_when_there_is_no_spell_check(sample_workspace: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from workbench.cli import cli

    monkeypatch.setenv("WORKBENCH_DICTIONARIES", "")
    result = CliRunner().invoke(cli, ["--workspace", str(sample_workspace.root), "check", "--lang", "es,tl"])

    assert result.output.count("no spell-check for es") == 1 and result.output.count("no spell-check for tl") == 1
