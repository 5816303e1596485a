"""Issue 12 outside the TUI: ``workbench alternatives``, ``workbench complete``, confidence in ``show --json`` and PO files.

Every test runs the real ``workbench`` command on the real toy Argos models
(no engine is mocked; sockets are blocked by the test setup).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import polib
import pytest

from tests.models.toy import held_out, install_all
from tests.test_mt import add_statement, invoke
from tests.test_po import MSGFMT, msgfmt, po_path
from workbench.store import Store, lowest_sentence_confidence

DOUBTFUL = "The workers demand justice."
"""A sentence the toy en->es model renders several ways: it has alternatives to offer."""
UNKNOWN_WORDS = "Zorblat quimfrex vandosh plimber gracknel."
"""Words no toy model has seen: a draft of them scores low."""


@pytest.fixture(scope="module")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All five toy packages, installed once for the module."""
    return install_all(tmp_path_factory.mktemp("toy-models"))


@pytest.fixture
def models(toy_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The workspace's Argos engine finds the toy models, as a volunteer's would find installed ones."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(toy_dir))
    return toy_dir


def known_sentences(count: int) -> list[dict[str, Any]]:
    """Held-out en->es sentences the toy model translates exactly, free of glossary terms and acronyms."""
    return [s for s in held_out("en", "es", verified_only=True) if "IMA" not in s["source"] and "Alliance" not in s["source"]][:count]


def one_line_error(result: Any) -> str:
    """The message of a command that failed as a volunteer's mistake: exit 2, one ``error:`` line, no traceback."""
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and "Traceback" not in result.output
    return line


# -- workbench alternatives ----------------------------------------------------------------------------


def test_alternatives_json_lists_distinct_texts_best_first(workspace: Any, models: Path) -> None:
    sure = known_sentences(1)[0]
    (segment,) = add_statement(workspace.store, [(f"{sure['source']} {DOUBTFUL}", "en")])

    result = invoke(workspace, "alternatives", segment, "--lang", "es", "--json")

    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    texts = [alternative["text"] for alternative in found]
    assert len(texts) == len(set(texts)) >= 2
    best = found[0]
    assert set(best) == {"text", "confidence", "origin", "flags", "sentences"}
    assert best["origin"].startswith("mt:argos/en-es/")
    assert [s["source"] for s in best["sentences"]] == [sure["source"], DOUBTFUL]
    assert best["sentences"][0]["text"] == sure["expected"] and best["text"].startswith(sure["expected"] + " ")
    assert best["confidence"] == min(s["confidence"] for s in best["sentences"])
    assert all(0 < alternative["confidence"] <= best["confidence"] for alternative in found)
    second = found[1]
    assert second["sentences"][0] == best["sentences"][0], "the sure sentence is kept"
    assert second["sentences"][1]["text"] != best["sentences"][1]["text"], "the doubtful one is varied first"


def test_alternatives_are_numbered_with_a_figure_and_a_glyph_for_each_confidence(workspace: Any, models: Path) -> None:
    (segment,) = add_statement(workspace.store, [(DOUBTFUL, "en")])

    result = invoke(workspace, "alternatives", segment, "--lang", "es", "-n", "3")

    assert result.exit_code == 0, result.output
    heading, origin, *rows = result.output.splitlines()
    assert heading == f"[{segment}] {DOUBTFUL}"
    assert origin.startswith("es, best first, from mt:argos/en-es/")
    expected = json.loads(invoke(workspace, "alternatives", segment, "--lang", "es", "-n", "3", "--json").output)
    assert len(rows) == len(expected) <= 3
    for number, (row, alternative) in enumerate(zip(rows, expected, strict=True), 1):
        shown = re.fullmatch(r" ?(\d+)\. (\d\.\d\d) ([▁▃▅▇])  (.+)", row)
        assert shown is not None, row
        assert int(shown.group(1)) == number and shown.group(4) == alternative["text"]
        assert shown.group(2) == f"{alternative['confidence']:.2f}"
        assert shown.group(3) == "▁▃▅▇"[min(3, int(alternative["confidence"] * 4))]


def test_alternatives_n_caps_how_many_come_back(workspace: Any, models: Path) -> None:
    (segment,) = add_statement(workspace.store, [(DOUBTFUL, "en")])

    two = json.loads(invoke(workspace, "alternatives", segment, "--lang", "es", "--n", "2", "--json").output)
    one = json.loads(invoke(workspace, "alternatives", segment, "--lang", "es", "--n", "1", "--json").output)

    assert len(two) == 2 and [a["text"] for a in one] == [two[0]["text"]]


def test_alternatives_take_the_language_as_volunteers_type_it(workspace: Any, models: Path) -> None:
    (segment,) = add_statement(workspace.store, [(known_sentences(1)[0]["source"], "en")])

    result = invoke(workspace, "alternatives", segment, "--lang", "fr", "--json")  # the workspace's French is fr_CA

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["origin"].startswith("mt:argos/en-fr/")


def test_alternatives_show_what_the_checks_found_under_each_text(workspace: Any, models: Path) -> None:
    """The toy model drops "migrant workers", a glossary term: every alternative carries the flag a draft would."""
    (segment,) = add_statement(workspace.store, [("The union of migrant workers demands justice.", "en")])
    flag = "glossary-missing: “migrant workers” should be rendered “trabajadores migrantes”"

    rows = invoke(workspace, "alternatives", segment, "--lang", "es", "-n", "2").output.splitlines()[2:]
    found = json.loads(invoke(workspace, "alternatives", segment, "--lang", "es", "-n", "2", "--json").output)

    assert all(alternative["flags"] == [flag] for alternative in found)
    assert rows[1::2] == [f"{'':12}flag: {flag}"] * len(found)


def test_alternatives_of_a_segment_with_no_sentence_say_there_are_none(workspace: Any, models: Path) -> None:
    (segment,) = add_statement(workspace.store, [(" ", "en")])

    result = invoke(workspace, "alternatives", segment, "--lang", "es")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "es: no alternatives: the segment has no sentence to translate"
    assert json.loads(invoke(workspace, "alternatives", segment, "--lang", "es", "--json").output) == []


# -- workbench complete ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cut", ["first word", "half a word", "a start of my own", "a space after"])
def test_complete_prints_the_translation_starting_with_the_prefix_exactly(workspace: Any, models: Path, cut: str) -> None:
    sure = known_sentences(1)[0]
    expected = sure["expected"]
    prefix = {
        "first word": expected.split(" ")[0],
        "half a word": expected[:expected.index(" ") + 4],
        "a start of my own": "Hoy, ",
        "a space after": expected.split(" ")[0] + " ",
    }[cut]
    (segment,) = add_statement(workspace.store, [(sure["source"], "en")])

    result = invoke(workspace, "complete", segment, "--lang", "es", "--prefix", prefix)

    assert result.exit_code == 0, result.output
    printed = result.output.removesuffix("\n")
    assert printed.startswith(prefix) and len(printed) > len(prefix) + 5 and "\n" not in printed
    if cut != "a start of my own":
        assert printed == expected


def test_complete_json_gives_the_text_and_its_confidence_and_finishes_the_later_sentences(workspace: Any, models: Path) -> None:
    first, second = known_sentences(2)
    (segment,) = add_statement(workspace.store, [(f"{first['source']} {second['source']}", "en")])
    prefix = first["expected"].split(" ")[0] + " "

    result = invoke(workspace, "complete", segment, "--lang", "es", "--prefix", prefix, "--json")

    assert result.exit_code == 0, result.output
    completed = json.loads(result.output)
    assert set(completed) == {"text", "confidence"}
    assert completed["text"] == f"{first['expected']} {second['expected']}"
    assert 0 < completed["confidence"] <= 1


def test_complete_with_an_engine_that_cannot_continue_says_so_in_one_line(workspace: Any, models: Path) -> None:
    """LibreTranslate has no prefix: said before any request, so even a server that is down gives this answer."""
    (segment,) = add_statement(workspace.store, [(DOUBTFUL, "en")])
    with workspace.config_path.open("a", encoding="utf-8") as config:
        config.write('\n[mt]\nengine = "libretranslate"\nurl = "http://127.0.0.1:9"\n')

    line = one_line_error(invoke(workspace, "complete", segment, "--lang", "es", "--prefix", "Los"))

    assert "libretranslate engine cannot continue a translation" in line and "--engine argos" in line
    assert invoke(workspace, "complete", segment, "--lang", "es", "--prefix", "Los", "--engine", "argos").exit_code == 0


# -- errors ------------------------------------------------------------------------------------------------


COMMANDS = {
    "alternatives": ("alternatives", "{segment}", "--lang", "{lang}"),
    "complete": ("complete", "{segment}", "--lang", "{lang}", "--prefix", "Los "),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(
    ("segment", "lang", "said"),
    [
        ("nope", "es", "error: no segment 'nope': 'workbench show STATEMENT' lists segment ids"),
        (None, "xx", "error: unknown target language 'xx': this workspace translates into es, fr_CA, id, tl"),
    ],
    ids=["unknown-segment", "unknown-language"],
)
def test_an_unknown_segment_or_language_is_a_one_line_error(workspace: Any, models: Path, command: str, segment: str | None,
                                                            lang: str, said: str) -> None:
    (real,) = add_statement(workspace.store, [(DOUBTFUL, "en")])
    args = [arg.format(segment=segment or real, lang=lang) for arg in COMMANDS[command]]

    assert one_line_error(invoke(workspace, *args)) == said


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_model_is_a_one_line_error_that_says_how_to_get_it(workspace: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      command: str) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(install_all(tmp_path / "models", (("en", "fr"),))))
    (segment,) = add_statement(workspace.store, [(DOUBTFUL, "en")])
    args = [arg.format(segment=segment, lang="es") for arg in COMMANDS[command]]

    line = one_line_error(invoke(workspace, *args))

    assert line.startswith("error: no model for en->es: ") and "workbench models install es" in line


# -- show --json -------------------------------------------------------------------------------------------


def test_show_json_gives_a_machine_draft_its_sentences_and_human_work_none(workspace: Any, models: Path) -> None:
    store: Store = workspace.store
    sure = known_sentences(1)[0]
    drafted, human = add_statement(store, [(f"{sure['source']} {UNKNOWN_WORDS}", "en"), (DOUBTFUL, "en")])
    store.save_translation(human, "es", "Los trabajadores exigen justicia.", "translated", author="ana")
    assert invoke(workspace, "translate", "--lang", "es").exit_code == 0

    document = json.loads(invoke(workspace, "show", "toy", "--json").output)

    by_id = {segment["id"]: segment["translations"] for segment in document["segments"]}
    sentences = by_id[drafted]["es"]["sentences"]
    assert [s["source"] for s in sentences] == [sure["source"], UNKNOWN_WORDS]
    assert sentences[0]["text"] == sure["expected"]
    assert sentences[0]["confidence"] > 0.8 and sentences[1]["confidence"] < 0.6
    assert "sentences" not in by_id[human]["es"]
    assert "sentences" not in by_id[human]["fr_CA"], "nor while untranslated"


# -- PO export -----------------------------------------------------------------------------------------------


def test_po_export_tells_reviewers_a_drafts_lowest_confidence_and_import_changes_nothing(workspace: Any, models: Path) -> None:
    store: Store = workspace.store
    sure = known_sentences(1)[0]
    drafted, human = add_statement(store, [(f"{sure['source']} {UNKNOWN_WORDS}", "en"), (DOUBTFUL, "en")])
    store.save_translation(human, "es", "Los trabajadores exigen justicia.", "translated", author="ana")
    assert invoke(workspace, "translate", "--lang", "es").exit_code == 0
    lowest = lowest_sentence_confidence(store.translation(drafted, "es"))
    assert lowest is not None and lowest < 0.6
    assert invoke(workspace, "export", "--lang", "es").exit_code == 0
    path = po_path(workspace, "toy")

    po = polib.pofile(str(path))
    notes = {entry.msgctxt: entry.comment.splitlines() for entry in po}
    assert f"MT confidence: {lowest:.2f}" in notes[drafted]
    assert not any(line.startswith("MT confidence") for line in notes[human])
    assert f"#. MT confidence: {lowest:.2f}\n" in path.read_text(encoding="utf-8")

    before = {segment: store.translation(segment, "es") for segment in (drafted, human)}
    imported = invoke(workspace, "import-po", str(path))

    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines()[-1] == "added 0, changed 0, unchanged 2, conflicts 0, skipped 0"
    assert {segment: store.translation(segment, "es") for segment in before} == before
    assert not store.translation(drafted, "es")["comment"], "the note is not taken for a translator comment"


@pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")
def test_msgfmt_accepts_a_po_file_with_confidence_notes(workspace: Any, models: Path) -> None:
    add_statement(workspace.store, [(f"{known_sentences(1)[0]['source']} {UNKNOWN_WORDS}", "en"), (DOUBTFUL, "en")])
    assert invoke(workspace, "translate", "--lang", "es").exit_code == 0
    assert invoke(workspace, "export", "--lang", "es").exit_code == 0
    path = po_path(workspace, "toy")
    assert path.read_text(encoding="utf-8").count("#. MT confidence: ") == 2

    for extra in ((), ("--use-fuzzy",)):
        checked = msgfmt(path, *extra)
        assert (checked.returncode, checked.stderr) == (0, "")


def test_po_export_of_unscored_drafts_and_human_work_has_no_confidence_line(workspace: Any) -> None:
    """No scores, no line: files of workspaces drafted before scores existed stay byte for byte the same."""
    from workbench.store import Draft

    store: Store = workspace.store
    drafted, human = add_statement(store, [("Migrants unite.", "en"), ("Workers unite.", "en")])
    store.save_machine_drafts([Draft(drafted, "es", "Migrantes, uníos.", "mt:libretranslate/en-es@http://127.0.0.1:9")])
    store.save_translation(human, "es", "Trabajadores, uníos.", "approved", author="ana")

    assert invoke(workspace, "export", "--lang", "es").exit_code == 0

    assert "MT confidence" not in po_path(workspace, "toy").read_text(encoding="utf-8")
