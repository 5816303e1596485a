"""The command line: workspaces, import, list and show, and its exit codes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from workbench.cli import cli

from .conftest import SAMPLE_STATEMENTS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, workspace: Path | None = None):
    prefix = ["--workspace", str(workspace)] if workspace else []
    return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)


def test_init_creates_the_layout(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "init", str(tmp_path / "ws"), "--lang", "es,tl")
    assert result.exit_code == 0, result.output
    for folder in ("data/statements", "glossary", "locales"):
        assert (tmp_path / "ws" / folder).is_dir()
    assert (tmp_path / "ws" / "data" / "workbench.db").is_file()
    assert 'target_locales = ["es", "tl"]' in (tmp_path / "ws" / "workbench.toml").read_text()


def test_commands_outside_a_workspace_name_init(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--workspace", str(tmp_path), "list"])
    assert result.exit_code == 2
    assert "workbench init" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_workspace_from_environment(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(runner, "init", str(tmp_path / "ws"))
    monkeypatch.setenv("WORKBENCH_WORKSPACE", str(tmp_path / "ws"))
    result = run(runner, "list", "--json")
    assert result.exit_code == 0 and json.loads(result.output) == []


def test_unknown_language_is_an_input_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", str(tmp_path / "ws"), "--lang", "es,xx"])
    assert result.exit_code == 2
    assert "unknown language 'xx'" in result.output


def test_init_refuses_english_the_statements_language_as_a_target_and_names_the_choices(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["init", str(tmp_path / "ws"), "--lang", "en,es"])

    assert result.exit_code == 2
    assert result.output == "error: 'en' is the language the statements are written in, not a target: choose from es, fr, fr_CA, id, tl\n"
    assert not (tmp_path / "ws").exists()
    unknown = runner.invoke(cli, ["init", str(tmp_path / "ws"), "--lang", "xx"])
    assert unknown.output == "error: unknown language 'xx': choose from es, fr, fr_CA, id, tl\n"


def test_init_help_offers_the_target_languages_without_english(runner: CliRunner) -> None:
    said = " ".join(runner.invoke(cli, ["init", "--help"]).output.split())

    assert "Target locales, from es, fr, fr_CA, id, tl (default: es,fr_CA,id,tl)." in said
    assert "en," not in said


def test_import_list_and_show(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run(runner, "init", str(ws))
    result = run(runner, "import", str(SAMPLE_STATEMENTS), workspace=ws)
    assert result.exit_code == 0, result.output
    digest = importer_digest(SAMPLE_STATEMENTS / "002_644c2d3d14c04158.txt")
    assert f"002_644c2d3d14c04158.txt (copied into data/statements/002_644c2d3d14c04158-{digest}.txt, where teammates get it): statements" in result.output

    listing = json.loads(run(runner, "list", "--json", workspace=ws).output)
    assert len(listing) == 21
    first = listing[0]
    assert set(first) >= {"id", "slug", "title", "date", "truncated", "segments", "progress"}
    assert set(first["progress"]) == {"es", "fr_CA", "id", "tl"}
    assert first["progress"]["es"]["untranslated"] == first["segments"]

    text_listing = run(runner, "list", workspace=ws).output
    assert "[excerpt]" in text_listing and "Brussels" in text_listing

    shown = json.loads(run(runner, "show", str(first["id"]), "--json", workspace=ws).output)
    assert {"id", "slug", "title", "date", "truncated", "segments"} <= set(shown)
    segment = shown["segments"][0]
    assert {"id", "kind", "source", "source_lang", "translations"} <= set(segment)
    assert segment["translations"]["fr_CA"] == {"text": "", "status": "untranslated", "version": 0, "origin": None, "author": None, "flags": []}
    by_slug = json.loads(run(runner, "show", first["slug"], "--json", workspace=ws).output)
    assert by_slug == shown


def test_show_unknown_statement_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "init", str(tmp_path / "ws"))
    result = runner.invoke(cli, ["--workspace", str(tmp_path / "ws"), "show", "999"])
    assert result.exit_code == 2
    assert "workbench list" in result.output


def test_import_of_a_bad_file_exits_2_and_keeps_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run(runner, "init", str(ws))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = runner.invoke(cli, ["--workspace", str(ws), "import", str(bad), str(SAMPLE_STATEMENTS / "003_f75089291fe9820d.txt")])
    assert result.exit_code == 2
    assert "binary" in result.output
    assert len(json.loads(run(runner, "list", "--json", workspace=ws).output)) == 3


def test_missing_path_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run(runner, "init", str(ws))
    result = runner.invoke(cli, ["--workspace", str(ws), "import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output


HOSTILE_TITLE = "Rally\x1b[2J\x1b]0;pwned\x07 today\x9b31m"


def hostile_workspace(workspace: Any) -> Any:
    """A statement whose title and paragraph carry terminal control sequences, as a scraped page can."""
    path = workspace.statements_dir / "hostile.txt"
    path.write_text(f"{HOSTILE_TITLE}\n\nWorkers\x1b[31m rallied\x1b[0m in the square today.\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["--workspace", str(workspace.root), "import", str(path)]).exit_code == 0
    return workspace


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["check"], ["glossary", "list"], ["search", "rall"]])
def test_human_output_never_sends_a_control_sequence_to_the_terminal(workspace: Any, command: list[str]) -> None:
    hostile_workspace(workspace)
    from workbench.glossary import add_term

    add_term(workspace.store, "rally\x1b]0;x\x07")
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), *command])

    assert result.exit_code in (0, 1), result.output
    assert not any(char in result.output for char in "\x1b\x07\x9b\x7f")
    if command[0] in ("list", "show"):
        assert "Rally␛[2J␛]0;pwned␇ today" in result.output
    if command[0] == "search":
        assert "[Rall]y␛[2J␛]0;pwned␇ today" in result.output


def test_json_output_escapes_every_control_character(workspace: Any) -> None:
    hostile_workspace(workspace)

    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "show", "1", "--json"])

    assert result.exit_code == 0
    assert not any(char in result.output for char in "\x1b\x07\x9b\x7f")
    assert json.loads(result.output)["title"] == HOSTILE_TITLE


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ("workspace = 3\n", "[workspace] must be a table"),
        ("[workspace]\ntarget_locales = [[1]]\n", "target_locales must be a list of language codes"),
        ('[workspace]\ntarget_locales = "es"\n', "target_locales must be a list of language codes"),
        ('[workspace]\ntarget_locales = ["xx"]\n', "unknown language 'xx'"),
        ("[mt]\nengine = 5\n", "[mt] engine and url must be text"),
        ("[mt]\ntimeout = -1\n", "[mt] timeout must be a number of seconds"),
        ("[workspace\n", "is not valid TOML"),
    ],
)
def test_settings_of_the_wrong_kind_are_one_line_that_names_the_file(workspace: Any, settings: str, said: str) -> None:
    workspace.config_path.write_text(settings, encoding="utf-8")

    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "list"])

    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"error: {workspace.config_path}") and said in line


STATEMENT = (
    "Migrants unite for their rights\n\n"
    "The alliance calls on all migrants to unite and defend their rights.\n\n"
    "Families should never be broken apart by the need to survive.\n\n"
    "We will continue to fight for a world without forced migration.\n"
)


def test_importing_an_edited_copy_says_which_statement_it_updated_and_from_where(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run(runner, "init", str(ws))
    original, copy = tmp_path / "a" / "statement.txt", tmp_path / "b" / "statement.txt"
    for path, text in ((original, STATEMENT), (copy, STATEMENT.replace("should never", "must never"))):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    run(runner, "import", str(original), workspace=ws)
    result = run(runner, "import", str(copy), workspace=ws)
    assert result.exit_code == 0, result.output
    first, second = (f"data/statements/statement-{importer_digest(path)}.txt" for path in (original, copy))
    assert result.output.splitlines() == [
        f"statement.txt (copied into {second}, where teammates get it): statements 0 new, 1 updated, 0 unchanged, 0 duplicate (segments: +0 ~1 -0)",
        (
            "  statement.txt: 'Migrants unite for their rights' is statement migrants-unite-for-their-rights, imported before from "
            f"{first}: updated from this file; changed paragraphs go to review"
        ),
    ]
    assert len(json.loads(run(runner, "list", "--json", workspace=ws).output)) == 1


def test_a_folder_with_nothing_to_import_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run(runner, "init", str(ws))
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(cli, ["--workspace", str(ws), "import", str(empty)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"error: {empty}: nothing to import: no .txt or .md files in this folder or its subfolders; give the statement files or the folder that holds them"
    ]


def test_what_was_imported_is_printed_even_when_a_later_file_stops_the_run(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.store import DatabaseError, Store

    ws = tmp_path / "ws"
    run(runner, "init", str(ws))
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "a.txt").write_text(STATEMENT, encoding="utf-8")
    (folder / "b.txt").write_text("Solidarity with fishers\n\nThe alliance stands with the fishers of the world today.\n", encoding="utf-8")
    real_insert = Store.insert_segments

    def full_disk_on_b(store: Store, records: list) -> None:
        if any("fishers" in record["source"] for record in records):
            raise DatabaseError("could not write workbench.db (disk is full): free some disk space and try again; nothing was saved")
        real_insert(store, records)

    monkeypatch.setattr(Store, "insert_segments", full_disk_on_b)
    result = runner.invoke(cli, ["--workspace", str(ws), "import", str(folder)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"a.txt (copied into data/statements/a-{importer_digest(folder / 'a.txt')}.txt, where teammates get it): "
        "statements 1 new, 0 updated, 0 unchanged, 0 duplicate (segments: +4 ~0 -0)",
        "error: could not write workbench.db (disk is full): free some disk space and try again; nothing was saved",
    ]


def importer_digest(path: Path) -> str:
    """The digits that name a file from outside the workspace in its copy there (see the importer)."""
    return hashlib.sha1(path.resolve().as_posix().encode()).hexdigest()[:8]


def command_groups(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Group]]:
    """``group`` and every group under it, each with the words that name it on the command line."""
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from command_groups(command, (*path, name))


@pytest.mark.parametrize(("path", "group"), list(command_groups(cli)), ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_help_shows_every_command_summary_whole_on_one_line_at_80_columns(path: tuple[str, ...], group: click.Group) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], env={"COLUMNS": "80"})  # as a terminal of 80 columns says

    rows = result.output.split("Commands:\n")[1].splitlines()
    assert [row for row in rows if "..." in row or "\u2026" in row or len(row) > 80] == []
    assert len(rows) == len(group.commands)  # a summary that wraps would take a second line


def test_a_workspace_file_that_targets_english_is_a_one_line_settings_error(tmp_path: Path) -> None:
    from workbench.workspace import NotAWorkspaceError, Workspace

    Workspace.init(tmp_path / "ws")
    config = tmp_path / "ws" / "workbench.toml"
    config.write_text('[workspace]\ntarget_locales = ["es", "en"]\n', encoding="utf-8")

    with pytest.raises(NotAWorkspaceError, match="'en' is the language the statements are written in, not a target"):
        Workspace.load(tmp_path / "ws")
