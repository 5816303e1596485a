"""JSON and Markdown exports, and the ``export`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.formats import FormatError, export
from workbench.formats.json import JSON_SCHEMA_ID, export_json
from workbench.formats.markdown import escape_markdown, export_markdown
from workbench.formats.po import PoInputError
from workbench.store import Draft, Store
from workbench.workspace import Workspace

SOURCES = [
    ("title", "Migrants' Day statement"),
    ("subtitle", "Fight back!"),
    ("paragraph", 'Article 278 [263] (g) says "no" \\ to *forced* labour_export.'),
    ("list-item", "Decent jobs at home"),
    ("list-item", "1. No to forced migration"),
    ("slogan", "Migrants are people!"),
    ("paragraph", "# Not a heading\n- not a list\nemoji ✊🏽 and ñ"),
]


@pytest.fixture
def statement(workspace: Workspace) -> tuple[Workspace, list[str]]:
    """A statement in every status: approved title, translated body, drafts and a gap."""
    store: Store = workspace.store
    statement_id = store.save_statement({"slug": "imd-2016", "title": "Migrants' Day statement", "date": "2016-12-18",
                                         "source_file": "data/statements/x.txt", "truncated": True})
    ids = [f"seg{index}" for index in range(len(SOURCES))]
    store.insert_segments([
        {"id": ids[index], "statement_id": statement_id, "position": index, "kind": kind, "source": source, "source_lang": "en", "line": index}
        for index, (kind, source) in enumerate(SOURCES)
    ])
    store.save_translation(ids[0], "es", "Declaración del Día del Migrante", "approved", author="ana")
    store.save_translation(ids[1], "es", "¡A luchar!", "translated", author="ana")
    store.save_translation(ids[2], "es", 'El artículo 278 [263] (g) dice "no" \\ al trabajo *forzado*_exportado.', "translated", author="ana")
    store.save_translation(ids[3], "es", "Empleo digno en casa", "translated", author="ana")
    store.save_translation(ids[4], "es", "1. No a la migración forzada", "needs-review", author="ana")
    store.save_machine_drafts([Draft(ids[5], "es", "¡Los migrantes son personas!", "mt:test")])
    return workspace, ids


def test_json_has_one_file_per_language_in_the_documented_schema(statement: tuple[Workspace, list[str]]) -> None:
    workspace, ids = statement

    result = export_json(workspace)

    assert sorted(path.name for path in result.files) == sorted(f"{locale}.json" for locale in workspace.target_locales)
    document = json.loads((workspace.root / "exports" / "es.json").read_text(encoding="utf-8"))
    assert (document["schema"], document["locale"], document["language"]) == (JSON_SCHEMA_ID, "es", "Spanish")
    (exported,) = document["statements"]
    assert {key: exported[key] for key in ("slug", "title", "date", "truncated")} == {
        "slug": "imd-2016", "title": "Migrants' Day statement", "date": "2016-12-18", "truncated": True}
    segments = exported["segments"]
    assert [s["id"] for s in segments] == ids
    assert [s["kind"] for s in segments] == [kind for kind, _ in SOURCES]
    assert [s["source"] for s in segments] == [source for _, source in SOURCES]
    assert [s["status"] for s in segments] == ["approved", "translated", "translated", "translated", "needs-review", "machine", "untranslated"]
    assert segments[2]["target"] == 'El artículo 278 [263] (g) dice "no" \\ al trabajo *forzado*_exportado.'
    assert segments[6]["target"] is None
    assert "ñ" in (workspace.root / "exports" / "es.json").read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_json_only_reviewed_leaves_drafts_out(statement: tuple[Workspace, list[str]], tmp_path: Path) -> None:
    workspace, ids = statement

    export_json(workspace, locales=["es"], out_dir=tmp_path, only_reviewed=True)

    (exported,) = json.loads((tmp_path / "es.json").read_text(encoding="utf-8"))["statements"]
    assert [s["id"] for s in exported["segments"]] == ids[:4]


def test_markdown_reassembles_the_statement_with_drafts_marked(statement: tuple[Workspace, list[str]]) -> None:
    workspace, _ = statement

    result = export_markdown(workspace, locales=["es"])

    assert result.files == [workspace.root / "exports" / "es" / "imd-2016.md"]
    text = result.files[0].read_text(encoding="utf-8")
    body = text.split("\n\n")
    assert body[0].startswith("<!-- imd-2016 (Spanish)") and "excerpt" in body[0]
    assert body[1].startswith("> **Not ready to publish:** 3 of 7 segments")
    assert body[2:] == [
        "# Declaración del Día del Migrante",
        "*2016-12-18*",
        "## ¡A luchar!",
        'El artículo 278 \\[263\\] (g) dice "no" \\\\ al trabajo \\*forzado\\*\\_exportado.',
        "- Empleo digno en casa\n- 1\\. No a la migración forzada *[draft: needs review]*",
        "**¡Los migrantes son personas!** *[draft: machine translation, not reviewed]*",
        "\\# Not a heading\n\\- not a list\nemoji ✊🏽 and ñ *[untranslated: source text]*\n",
    ]


def test_markdown_only_reviewed_is_ready_to_publish(statement: tuple[Workspace, list[str]], tmp_path: Path) -> None:
    workspace, _ = statement

    result = export_markdown(workspace, locales=["es", "tl"], out_dir=tmp_path, only_reviewed=True)

    assert result.files == [tmp_path / "es" / "imd-2016.md"]
    assert "tl: 1 statement with nothing reviewed yet, not written (imd-2016)" in result.warnings
    text = result.files[0].read_text(encoding="utf-8")
    assert "draft" not in text and "Not ready" not in text and "untranslated" not in text
    assert "# Declaración del Día del Migrante\n\n*2016-12-18*\n\n## ¡A luchar!" in text
    assert text.rstrip().endswith("- Empleo digno en casa")


SIGNED_STATEMENT = """Migrants demand justice

18 December 2015

The International Migrants Alliance stands with migrant workers everywhere, and it will keep standing with them until justice is done.

Eni Lestari, chairperson

Reference: Eni Lestari, chairperson

We call on governments to end forced migration now and to respect the rights of every migrant worker.

For reference:
Eni Lestari
International Migrants Alliance
+852 9123 4567
"""


def test_markdown_keeps_the_sign_off_reference_and_contact_lines_where_the_source_has_them(workspace: Workspace, tmp_path: Path) -> None:
    from workbench.importer import import_paths

    path = tmp_path / "signed.txt"
    path.write_text(SIGNED_STATEMENT, encoding="utf-8")
    import_paths(workspace, [path])
    store = workspace.store
    (statement,) = store.statements()
    assert [unit["kind"] for unit in statement["metadata"]["units"]] == ["date", "signoff", "reference", "contact"]
    title, first, second = store.segments(statement["id"])
    for segment, text in ((title, "Las personas migrantes exigen justicia"), (first, "La Alianza está con los trabajadores migrantes."),
                          (second, "Pedimos a los gobiernos que pongan fin a la migración forzada.")):
        store.save_translation(segment["id"], "es", text, "translated", author="ana")
    elsewhere = store.save_statement({"slug": "elsewhere", "title": "Elsewhere"})  # the sign-off, translated as a segment of another statement
    store.insert_segments([{"id": "sig", "statement_id": elsewhere, "position": 0, "kind": "paragraph",
                            "source": "Eni Lestari, chairperson", "source_lang": "en", "line": 1}])
    store.save_translation("sig", "es", "Eni Lestari, presidenta", "approved", author="ana")

    result = export_markdown(workspace, locales=["es", "fr_CA"], statement=statement["id"], out_dir=tmp_path / "md", only_reviewed=True)

    spanish = (tmp_path / "md" / "es" / f"{statement['slug']}.md").read_text(encoding="utf-8")
    assert spanish.split("\n\n")[1:] == [
        "# Las personas migrantes exigen justicia",
        "*2015-12-18*",
        "La Alianza está con los trabajadores migrantes.",
        "Eni Lestari, presidenta",
        "Reference: Eni Lestari, chairperson",
        "Pedimos a los gobiernos que pongan fin a la migración forzada.",
        "For reference:\\\nEni Lestari\\\nInternational Migrants Alliance\\\n\\+852 9123 4567\n",
    ]
    assert result.warnings == [f"fr_CA: 1 statement with nothing reviewed yet, not written ({statement['slug']})"]
    french = export_markdown(workspace, locales=["fr_CA"], statement=statement["id"], out_dir=tmp_path / "md").files[0].read_text(encoding="utf-8")
    assert "\n\nEni Lestari, chairperson\n\nReference: Eni Lestari, chairperson\n\n" in french


@pytest.mark.parametrize(
    ("text", "rendered_literally"),
    [
        ("Article 278 [263](g)", "Article 278 \\[263\\](g)"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("1) first\n2. second", "1\\) first\n2\\. second"),
        ("  > quoted", "  \\> quoted"),
        ("`code` and ~~strike~~ | pipe", "\\`code\\` and \\~\\~strike\\~\\~ \\| pipe"),
        ("plain words, 2016-12-18", "plain words, 2016-12-18"),
    ],
)
def test_markdown_escaping(text: str, rendered_literally: str) -> None:
    assert escape_markdown(text) == rendered_literally


def test_markdown_file_names_are_sanitized(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    statement_id = store.save_statement({"slug": "../../../etc/passwd", "title": "Evil"})
    store.insert_segments([{"id": "evil0", "statement_id": statement_id, "position": 0, "kind": "paragraph", "source": "x", "source_lang": "en"}])

    result = export_markdown(workspace, locales=["es"], out_dir=tmp_path / "out")

    (path,) = result.files
    assert path.resolve().parent == (tmp_path / "out" / "es").resolve()
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.md", path.name)


def test_only_reviewed_with_po_is_refused(workspace: Workspace) -> None:
    with pytest.raises(PoInputError, match="--only-reviewed"):
        export(workspace, "po", only_reviewed=True)


def test_an_unknown_export_format_is_refused_with_the_formats_to_choose_from(workspace: Workspace) -> None:
    with pytest.raises(FormatError, match="unknown export format 'xliff': use one of po, json, md"):
        export(workspace, "xliff")


def test_cli_export_each_format(statement: tuple[Workspace, list[str]], tmp_path: Path) -> None:
    workspace, _ = statement
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--workspace", str(workspace.root), "export", *args], catch_exceptions=False)

    po = run("--lang", "es,fr", "--statement", "imd-2016")
    assert po.exit_code == 0, po.output
    assert (workspace.locales_dir / "es" / "LC_MESSAGES" / "imd-2016.po").is_file()
    assert (workspace.locales_dir / "fr_CA" / "LC_MESSAGES" / "imd-2016.po").is_file()
    assert po.output.strip() == f"exported 3 files in 3 folders under {workspace.locales_dir}"  # and the statement's template
    again = run("--lang", "es,fr", "--statement", "imd-2016")
    assert again.output.strip() == f"exported 3 files in 3 folders under {workspace.locales_dir} (3 already up to date)"

    as_json = run("--format", "json", "--out", str(tmp_path / "json"))
    assert as_json.exit_code == 0 and len(list((tmp_path / "json").glob("*.json"))) == len(workspace.target_locales)

    markdown = run("--format", "md", "--lang", "es", "--only-reviewed", "--out", str(tmp_path / "md"))
    assert markdown.exit_code == 0 and (tmp_path / "md" / "es" / "imd-2016.md").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only-reviewed"], "--only-reviewed is for --format json and md"),
        (["--lang", "de"], "unknown target language 'de'"),
        (["--statement", "nope"], "no statement 'nope'"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_cli_export_input_errors_exit_2(workspace: Workspace, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "export", *args])

    assert result.exit_code == 2
    assert message in result.output


def test_cli_export_of_an_empty_workspace_says_so(workspace: Workspace) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "export"])

    assert (result.exit_code, result.output.strip()) == (0, "exported 0 files")
