"""The workspace shared through git: which files are shared, with paths every clone agrees on, written so they diff and merge cleanly.

Also the files Weblate writes into the same repository (PO files and glossary
TBX), which must come back in without losing what Weblate does not carry.
The Weblate fixtures in ``tests/fixtures/weblate/`` are described in its README.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input
from translate.storage import pypo

from tests.test_tui import SIZE, glossary_open, make_app, pilot_test, wait_for, wait_for_screen
from workbench.cli import cli
from workbench.formats import import_file
from workbench.formats.po import EXPORT_HEADER, PLACEHOLDER_TRANSLATOR, export_po, import_po
from workbench.formats.glossary_tbx import read_tbx
from workbench.glossary import Rendering, add_term, edit_term, get_term, list_terms, remove_term
from workbench.importer import import_paths
from workbench.lifecycle import create_workspace, first_open, save_glossary_file
from workbench.store import Draft
from workbench.tui.screens.glossary import GlossaryScreen, TermForm
from workbench.workspace import BUNDLED_GLOSSARY, Workspace

REPO = Path(__file__).resolve().parent.parent
WEBLATE = Path(__file__).resolve().parent / "fixtures" / "weblate"
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")

STATEMENT = """Migrants unite for their rights

The alliance calls on all migrants to unite and defend their rights.

Governments must stop treating migrant workers as commodities for export.
"""


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert GIT is not None
    return subprocess.run([GIT, "-C", str(root), *args], capture_output=True, text=True, check=False)


def statement_in(workspace: Workspace, name: str, text: str = STATEMENT) -> Path:
    """A statement file in the workspace's shared folder, imported."""
    path = workspace.statements_dir / name
    path.write_text(text, encoding="utf-8")
    [report] = import_paths(workspace, [path])
    assert report.error is None, report.error
    return path


def po_file(workspace: Workspace, slug: str, locale: str = "es") -> Path:
    return workspace.locales_dir / locale / "LC_MESSAGES" / f"{slug}.po"


def exported_tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# -- what lives in git ---------------------------------------------------------------------------


@needs_git
def test_init_writes_a_gitignore_that_keeps_each_volunteers_database_out_of_git(workspace: Workspace) -> None:
    root = workspace.root
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == [
        "data/workbench.db", "data/workbench.db-wal", "data/workbench.db-shm"]
    git(root, "init", "-q")
    for name in ("workbench.db-wal", "workbench.db-shm"):
        (workspace.data_dir / name).touch(exist_ok=True)
    ignored = git(root, "check-ignore", "data/workbench.db", "data/workbench.db-wal", "data/workbench.db-shm")
    assert ignored.returncode == 0 and len(ignored.stdout.splitlines()) == 3
    shared = git(root, "status", "--porcelain", "--untracked-files=all").stdout
    assert "workbench.db" not in shared
    assert {".gitignore", "workbench.toml", "glossary/glossary.tbx", "glossary/movement-terms.tbx"} <= {line[3:] for line in shared.splitlines()}


def test_init_adds_the_missing_lines_to_an_existing_gitignore_and_keeps_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".gitignore").write_text("*.bak\ndata/workbench.db", encoding="utf-8")  # no newline at the end

    create_workspace(root)

    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "*.bak", "data/workbench.db", "# workbench: each volunteer's own database; git shares the files workbench writes",
        "data/workbench.db-wal", "data/workbench.db-shm"]


def test_init_leaves_a_gitignore_that_already_ignores_the_database_alone(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".gitignore").write_text(".venv/\ndata/workbench.db*\n", encoding="utf-8")  # this repository's own rule

    create_workspace(root)

    assert (root / ".gitignore").read_text(encoding="utf-8") == ".venv/\ndata/workbench.db*\n"


# -- relative paths ------------------------------------------------------------------------------


def test_a_statement_file_inside_the_workspace_is_stored_relative_to_it_however_it_is_named(workspace: Workspace) -> None:
    path = workspace.statements_dir / "imd.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    link = workspace.root.parent / "link-to-ws"
    link.symlink_to(workspace.root)

    [report] = import_paths(workspace, [link / "data" / "statements" / "imd.txt"])

    assert (report.copied_to, report.error) == (None, None)
    [statement] = workspace.store.statements()
    assert statement["source_file"] == "data/statements/imd.txt"


def test_a_statement_file_from_outside_the_workspace_is_copied_into_the_shared_folder_and_stored_there(workspace: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "downloads" / "imd.txt"
    outside.parent.mkdir()
    outside.write_text(STATEMENT, encoding="utf-8")

    [report] = import_paths(workspace, [outside])

    assert report.copied_to is not None and report.copied_to.startswith("data/statements/imd-") and report.copied_to.endswith(".txt")
    assert report.summary().startswith(f"imd.txt (copied into {report.copied_to}, where teammates get it): statements 1 new")
    copy = workspace.root / report.copied_to
    assert copy.read_bytes() == outside.read_bytes()
    [statement] = workspace.store.statements()
    assert statement["source_file"] == report.copied_to
    export_po(workspace, locales=["es"])
    text = po_file(workspace, statement["slug"]).read_text(encoding="utf-8")
    assert f"#: {report.copied_to}:3\n" in text and str(tmp_path) not in text

    outside.write_text(STATEMENT.replace("must stop", "must now stop"), encoding="utf-8")
    [again] = import_paths(workspace, [outside])

    assert again.copied_to == report.copied_to  # the same file keeps its copy, which takes the new version
    assert (again.statements_updated, again.segments_changed) == (1, 1)
    assert "must now stop" in copy.read_text(encoding="utf-8")
    assert sorted(path.name for path in workspace.statements_dir.iterdir()) == [copy.name]


def test_two_files_of_the_same_name_from_outside_get_two_copies(workspace: Workspace, tmp_path: Path) -> None:
    first, second = tmp_path / "2015" / "imd.txt", tmp_path / "2016" / "imd.txt"
    for path, title in ((first, "Day of the migrants 2015"), (second, "Day of the migrants 2016")):
        path.parent.mkdir()
        path.write_text(STATEMENT.replace("Migrants unite for their rights", title), encoding="utf-8")

    reports = import_paths(workspace, [first, second])

    assert len({report.copied_to for report in reports}) == 2
    assert sorted(s["source_file"] for s in workspace.store.statements()) == sorted(r.copied_to for r in reports)  # type: ignore[type-var]


def test_a_refused_file_from_outside_leaves_no_copy(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")

    [report] = import_paths(workspace, [empty])

    assert report.error is not None and report.copied_to is None
    assert list(workspace.statements_dir.iterdir()) == []


def test_absolute_paths_inside_the_workspace_become_relative_when_it_is_opened(workspace: Workspace) -> None:
    root = workspace.root.resolve().as_posix()
    workspace.store.save_statement({
        "slug": "old", "title": "Old", "source_file": f"{root}/data/statements/old.txt", "fingerprint": "f",
        "metadata": {"sources": {f"{root}/data/statements/old.txt": "f", "/elsewhere/old.txt": "g"},
                     "also_in": [f"{root}/data/statements/copy.txt:4", "/elsewhere/old.txt:1"]},
    })

    reopened = Workspace.find(workspace.root)

    [statement] = reopened.store.statements()
    assert statement["source_file"] == "data/statements/old.txt"
    assert statement["metadata"]["sources"] == {"data/statements/old.txt": "f", "/elsewhere/old.txt": "g"}
    assert statement["metadata"]["also_in"] == ["data/statements/copy.txt:4", "/elsewhere/old.txt:1"]


def test_a_file_stored_by_its_absolute_path_before_is_moved_to_its_copy_when_imported_again(workspace: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "imd.txt"
    outside.write_text(STATEMENT, encoding="utf-8")
    from workbench.importer import import_file as import_one

    import_one(workspace.store, outside)  # as older versions did: the absolute path is stored
    assert workspace.store.statements()[0]["source_file"] == outside.resolve().as_posix()

    [report] = import_paths(workspace, [outside])

    assert (report.statements_unchanged, report.statements_added, report.duplicates) == (1, 0, 0)
    [statement] = workspace.store.statements()
    assert statement["source_file"] == report.copied_to


# -- deterministic, mergeable PO files -----------------------------------------------------------


@pytest.fixture
def two_statements(workspace: Workspace) -> Workspace:
    """Two imported statements with a volunteer's translation and a machine draft each, exported."""
    statement_in(workspace, "a.txt")
    statement_in(workspace, "b.txt", STATEMENT.replace("Migrants unite for their rights", "Solidarity with fishers"))
    store = workspace.store
    for statement in store.statements():
        title, first, _ = store.segments(statement["id"])
        store.save_translation(title["id"], "es", f"Título {statement['id']}", "translated", author="Carla <carla@example.org>")
        store.save_machine_drafts([Draft(first["id"], "es", "La alianza llama a todos.", "mt:argos/en-es/1.0")])
    export_po(workspace)
    return workspace


def test_two_exports_of_unchanged_content_are_byte_identical(two_statements: Workspace, tmp_path: Path) -> None:
    workspace = two_statements
    before = exported_tree(workspace.locales_dir)

    again = export_po(workspace)
    export_po(workspace, out_dir=tmp_path / "elsewhere")

    assert exported_tree(workspace.locales_dir) == before
    assert again.unchanged == len(again.files) == 2 * (4 + 1)  # four languages and a template each
    assert exported_tree(tmp_path / "elsewhere") == before  # the same bytes in a fresh folder: nothing comes from the clock
    segment = two_statements.store.segments()[0]
    two_statements.store.set_status(segment["id"], "es", "approved", author="Dana")  # approved reads as translated in a PO file
    export_po(workspace)
    assert exported_tree(workspace.locales_dir) == before


def test_one_changed_entry_changes_only_that_files_po_revision_date(two_statements: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = two_statements
    before = exported_tree(workspace.locales_dir)
    monkeypatch.setattr("workbench.store.content.now", lambda: "2031-01-02T03:04:05+00:00")
    statement = workspace.store.statements()[0]
    title = workspace.store.segments(statement["id"])[0]
    workspace.store.save_translation(title["id"], "es", "Un título nuevo", "translated", author="Dana <dana@example.org>")

    export_po(workspace)

    after = exported_tree(workspace.locales_dir)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == [f"es/LC_MESSAGES/{statement['slug']}.po"]
    old, new = (polib.pofile(tree[changed[0]].decode()).metadata for tree in (before, after))
    assert old["PO-Revision-Date"] != new["PO-Revision-Date"] == "2031-01-02 03:04+0000"
    assert new["Last-Translator"] == "Dana <dana@example.org>"
    assert {key: value for key, value in old.items() if key not in ("PO-Revision-Date", "Last-Translator", EXPORT_HEADER)} == \
        {key: value for key, value in new.items() if key not in ("PO-Revision-Date", "Last-Translator", EXPORT_HEADER)}


def test_last_translator_is_the_person_who_changed_an_entry_last_and_never_the_mt_engine(workspace: Workspace,
                                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    statement_in(workspace, "a.txt")
    store = workspace.store
    title, first, second = store.segments()
    slug = store.statements()[0]["slug"]

    def last_translator() -> str:
        export_po(workspace, locales=["es"])
        return polib.pofile(str(po_file(workspace, slug))).metadata["Last-Translator"]

    store.save_machine_drafts([Draft(title["id"], "es", "Migrantes, uníos", "mt:argos/en-es/1.0")])
    assert last_translator() == PLACEHOLDER_TRANSLATOR  # only an engine worked on it: nobody yet

    store.save_translation(first["id"], "es", "La alianza llama a todos los migrantes.", "translated", author="Carla <carla@example.org>")
    assert last_translator() == "Carla <carla@example.org>"

    store.save_machine_drafts([Draft(second["id"], "es", "Los gobiernos deben parar.", "mt:argos/en-es/1.0")])
    assert last_translator() == "Carla <carla@example.org>"  # a newer MT draft changes the file, not who translated it

    store.set_status(title["id"], "es", "translated", author="Dana <dana@example.org>")  # confirming a draft is a person's change
    assert last_translator() == "Dana <dana@example.org>"

    store.change_segment_source(first["id"], "The alliance calls on every migrant to unite.", author="import")
    text = po_file(workspace, slug).read_text(encoding="utf-8")
    assert last_translator() == "Dana <dana@example.org>"  # an edited source sends work back to review: no one translated
    assert po_file(workspace, slug).read_text(encoding="utf-8") != text
    assert "mt:" not in polib.pofile(str(po_file(workspace, slug))).metadata["Last-Translator"]
    assert "X-Generator: workbench\\n" in text


def test_a_file_a_teammate_exported_with_the_same_translations_keeps_its_header(two_statements: Workspace) -> None:
    """A clone that imported a teammate's file exports it again untouched, so the two never take turns rewriting it."""
    workspace = two_statements
    path = po_file(workspace, workspace.store.statements()[0]["slug"])
    theirs = polib.pofile(str(path))  # as the teammate's clone wrote it, in another minute, after Eni's work
    theirs.metadata["PO-Revision-Date"] = "2020-01-01 00:00+0000"
    theirs.metadata["Last-Translator"] = "Eni <eni@example.org>"
    theirs.save(str(path))

    export_po(workspace, locales=["es"])

    metadata = polib.pofile(str(path)).metadata
    assert (metadata["PO-Revision-Date"], metadata["Last-Translator"]) == ("2020-01-01 00:00+0000", "Eni <eni@example.org>")


@needs_msgfmt
def test_a_pot_template_per_statement_holds_the_po_files_entries_with_empty_translations_and_msgfmt_accepts_it(two_statements: Workspace) -> None:
    workspace = two_statements
    for statement in workspace.store.statements():
        template = workspace.templates_dir / f"{statement['slug']}.pot"
        pot = polib.pofile(str(template))
        po = polib.pofile(str(po_file(workspace, statement["slug"])))
        assert [(e.msgctxt, e.msgid, e.occurrences) for e in pot] == [(e.msgctxt, e.msgid, e.occurrences) for e in po]
        assert all(e.msgstr == "" and not e.fuzzy for e in pot)
        assert pot.metadata["POT-Creation-Date"] == po.metadata["POT-Creation-Date"]
        assert "Language" in pot.metadata and pot.metadata["Language"] == ""
        checked = subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null", str(template)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        assert all("initial default value" in line for line in checked.stderr.splitlines())  # a template's placeholders, as xgettext writes
        assert [e.getcontext() for e in pypo.pofile(template.read_bytes()).units if not e.isheader()] == [e.msgctxt for e in pot]


def test_the_pot_creation_date_is_the_statements_import_and_stays_while_the_source_does(two_statements: Workspace,
                                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = two_statements
    first, second = workspace.store.statements()
    template = workspace.templates_dir / f"{first['slug']}.pot"
    created = polib.pofile(str(template)).metadata["POT-Creation-Date"]
    assert created.startswith(first["imported_at"][:10])

    monkeypatch.setattr("workbench.store.content.now", lambda: "2031-01-02T03:04:05+00:00")
    (workspace.statements_dir / "a.txt").write_text(STATEMENT.replace("must stop", "must now stop"), encoding="utf-8")
    import_paths(workspace, [workspace.statements_dir / "a.txt"])
    export_po(workspace)

    assert polib.pofile(str(template)).metadata["POT-Creation-Date"] == "2031-01-02 03:04+0000"
    other = polib.pofile(str(workspace.templates_dir / f"{second['slug']}.pot"))
    assert other.metadata["POT-Creation-Date"] != "2031-01-02 03:04+0000"


# -- the glossary in git -------------------------------------------------------------------------


def test_a_new_workspace_writes_its_glossary_file_from_the_bundled_seed(workspace: Workspace) -> None:
    assert workspace.glossary_file == workspace.root / "glossary" / "glossary.tbx"
    assert workspace.glossary_file.read_bytes() == BUNDLED_GLOSSARY.read_bytes()  # the seed is what workbench writes, byte for byte


def test_the_repositorys_glossary_file_is_what_workbench_writes_from_the_bundled_seed(tmp_path: Path) -> None:
    workspace = create_workspace(tmp_path / "ws")
    assert (REPO / "glossary" / "glossary.tbx").read_bytes() == workspace.glossary_file.read_bytes()


def test_the_glossary_file_is_sorted_with_stable_ids_one_term_per_entry_and_byte_identical_on_re_export(workspace: Workspace) -> None:
    store = workspace.store
    add_term(store, "zapatista", kind="name", treatment="keep")
    add_term(store, "Aardvark union", renderings={"es": Rendering("sindicato oso hormiguero", verified=False)})
    first = save_glossary_file(workspace).read_bytes()

    import xml.etree.ElementTree as ET

    entries = ET.fromstring(first).iter("termEntry")
    terms = [(entry.get("id"), entry.find("langSet/tig/term").text) for entry in entries]  # type: ignore[union-attr]
    names = [term for _, term in terms]
    assert names == sorted(names, key=lambda term: (term.casefold(), term))
    assert len(set(names)) == len(names) == len(list_terms(store))
    assert ("t-aardvark-union", "Aardvark union") in terms and ("t-zapatista", "zapatista") in terms
    assert save_glossary_file(workspace).read_bytes() == first

    edit_term(store, "Aardvark union", notes="a made-up union")
    changed = save_glossary_file(workspace).read_bytes()
    assert [line for line in changed.decode().splitlines() if line not in first.decode().splitlines()] == ["        <note>a made-up union</note>"]
    assert ("t-zapatista", "zapatista") in [(e.get("id"), e.find("langSet/tig/term").text)  # type: ignore[union-attr]
                                            for e in ET.fromstring(changed).iter("termEntry")]


def test_a_clone_loads_the_teams_glossary_file_not_the_seed(tmp_path: Path) -> None:
    team = create_workspace(tmp_path / "team")
    add_term(team.store, "wage theft", renderings={"es": Rendering("robo de salarios")})
    remove_term(team.store, "crackdown")
    save_glossary_file(team)
    clone = tmp_path / "clone"
    shutil.copytree(team.root, clone, ignore=shutil.ignore_patterns("workbench.db*"))

    first_open(Workspace.find(clone))

    terms = {term.term for term in list_terms(Workspace.find(clone).store)}
    assert "wage theft" in terms and "crackdown" not in terms


@needs_git
def test_every_glossary_change_from_the_cli_rewrites_the_glossary_file_at_once(workspace: Workspace, tmp_path: Path) -> None:
    root = workspace.root
    git(root, "init", "-q")
    git(root, "add", "-A")
    assert git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start").returncode == 0
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(cli, ["--workspace", str(root), "glossary", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    def in_file() -> dict[str, dict[str, str]]:
        terms, _ = read_tbx(workspace.glossary_file, workspace.target_locales)
        return {term.term: {locale: r.preferred for locale, r in term.renderings.items()} for term in terms}

    run("add", "wage theft", "--render", "es=robo de salarios")
    assert git(root, "status", "--porcelain").stdout.splitlines() == [" M glossary/glossary.tbx"]
    assert in_file()["wage theft"] == {"es": "robo de salarios"}
    run("edit", "wage theft", "--render", "fr=vol de salaire")
    assert in_file()["wage theft"] == {"es": "robo de salarios", "fr_CA": "vol de salaire"}
    run("remove", "crackdown")
    assert "crackdown" not in in_file()
    csv = tmp_path / "more.csv"
    csv.write_text("term,es\nliving wage,salario digno\n", encoding="utf-8")
    run("import", str(csv))
    assert in_file()["living wage"] == {"es": "salario digno"}
    assert in_file() == {t.term: {loc: r.preferred for loc, r in t.renderings.items()} for t in list_terms(workspace.store)}


@pilot_test
async def test_a_term_added_or_deleted_in_the_tui_reaches_the_glossary_file(tmp_path: Path) -> None:
    from tests.test_tui import build_workspace

    workspace = build_workspace(tmp_path / "ws")

    def in_file() -> set[str]:
        return {term.term for term in read_tbx(workspace.glossary_file, workspace.target_locales)[0]}

    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        table = (await glossary_open(pilot)).query_one(DataTable)
        await pilot.press("a")
        form = await wait_for_screen(pilot, TermForm)
        form.query_one("#f-term", Input).value = "wage theft"
        form.query_one("#f-es-preferred", Input).value = "robo de salarios"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: table.row_count == 3, "the new term in the table")
        assert in_file() == {"migrant workers", "International Migrants Alliance", "wage theft"}
        await wait_for(pilot, lambda: app.focused is table, "the term table to take the focus back")
        table.move_cursor(row=table.get_row_index(str(get_term(workspace.store, "wage theft").id)))
        await pilot.press("d")
        await wait_for(pilot, lambda: not isinstance(app.screen, GlossaryScreen) and app.screen.is_mounted, "the delete question")
        await pilot.press("y")
        await wait_for(pilot, lambda: table.row_count == 2, "the term to leave the table")
        assert in_file() == {"migrant workers", "International Migrants Alliance"}


# -- Weblate beside it ---------------------------------------------------------------------------


def test_a_glossary_tbx_weblate_wrote_keeps_what_it_does_not_carry(workspace: Workspace) -> None:
    store = workspace.store
    before = {term.term: term for term in list_terms(store)}
    assert not before["crackdown"].renderings["es"].verified and not before["Rohingya"].renderings["es"].verified

    report = import_file(store, WEBLATE / "es.tbx", workspace.target_locales)

    assert (report.added, report.updated) == (1, 6)
    after = {term.term: term for term in list_terms(store)}
    for name in ("crackdown", "IMA", "GFMD", "United Nations", "Rohingya", "migrant workers"):
        old, new = before[name], after[name]
        assert (new.kind, new.treatment, new.case_sensitive, new.english_forms) == (old.kind, old.treatment, old.case_sensitive, old.english_forms), name
        assert {loc: r for loc, r in new.renderings.items() if loc != "es"} == {loc: r for loc, r in old.renderings.items() if loc != "es"}, name
        assert (new.renderings["es"].verified, new.renderings["es"].patterns) == (old.renderings["es"].verified, old.renderings["es"].patterns), name
    assert after["crackdown"].renderings["es"] == before["crackdown"].renderings["es"]  # unverified stays unverified
    assert after["United Nations"].renderings["es"].variants == ["ONU"]
    assert after["Rohingya"].renderings["es"].preferred == "rohinyá" and not after["Rohingya"].renderings["es"].verified
    assert after["migrant workers"].renderings["es"].forbidden == ["trabajadores extranjeros"]
    assert after["GFMD"].treatment == "established" and after["GFMD"].kind == "acronym"
    new = after["wage theft"]
    assert (new.treatment, new.kind, new.notes, new.renderings["es"].preferred) == (
        "translate", "concept", "Employers keeping back pay that is owed to workers.", "robo de salarios")


def test_weblates_read_only_mark_makes_a_new_term_a_keep_term(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "es.tbx"
    path.write_text((WEBLATE / "es.tbx").read_text(encoding="utf-8").replace(">IMA<", ">ASEAN-X<"), encoding="utf-8")

    import_file(workspace.store, path, workspace.target_locales)

    term = get_term(workspace.store, "ASEAN-X")
    assert (term.treatment, term.case_sensitive) == ("keep", True)


def test_a_csv_without_an_unverified_column_keeps_whether_each_rendering_is_verified(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "es.csv"
    path.write_text("term,es\ncrackdown,ofensiva represiva\nforced migration,migración forzada\n", encoding="utf-8")

    import_file(workspace.store, path, workspace.target_locales)

    assert not get_term(workspace.store, "crackdown").renderings["es"].verified
    assert get_term(workspace.store, "forced migration").renderings["es"].verified
    assert get_term(workspace.store, "crackdown").renderings["es"].patterns == ["ofensiv* represiv*"]


@pytest.fixture
def weblate_workspace(tmp_path: Path) -> Workspace:
    """The workspace ``tests/fixtures/weblate/es.po`` was exported from, as it was then (see the README there)."""
    workspace = create_workspace(tmp_path / "ws")
    statement_in(workspace, "imd-2016.txt", (WEBLATE / "imd-2016.txt").read_text(encoding="utf-8"))
    store = workspace.store
    store.save_machine_drafts([
        Draft("fd87749d1e56", "es", "Los trabajadores migrantes exigen justicia en el Día Internacional del Migrante", "mt:argos/en-es/1.0"),
        Draft("16f511d88a33", "es", "¡Nadie es ilegal!", "mt:argos/en-es/1.0"),
    ])
    store.save_translation("058cf265c7f5", "es", "Los gobiernos deben dejar de tratar a los trabajadores migrantes como mercancías de exportación.",
                           "translated", author="ana")
    export_po(workspace, locales=["es"])
    return workspace


WEBLATE_SLUG = "migrant-workers-demand-justice-on-international-migrants-day"


def test_a_po_file_weblate_wrote_imports_cleanly(weblate_workspace: Workspace) -> None:
    workspace = weblate_workspace
    ours = polib.pofile(str(po_file(workspace, WEBLATE_SLUG)))
    theirs = polib.pofile(str(WEBLATE / "es.po"))
    assert theirs.metadata[EXPORT_HEADER] == ours.metadata[EXPORT_HEADER]  # Weblate keeps the header it does not know
    assert theirs.metadata["X-Generator"].startswith("Weblate ")
    assert '\n"(IMA) está con los millones de trabajadores migrantes que mantienen en "\n' in (WEBLATE / "es.po").read_text(encoding="utf-8")

    summary = import_po(workspace, [WEBLATE / "es.po"])

    assert (summary.errors, summary.conflicts, summary.notices) == ([], [], [])
    assert (summary.added, summary.changed, summary.unchanged) == (1, 1, 2)
    [plural] = summary.skipped
    assert "plural entry" in str(plural) and "\n" not in str(plural)
    store = workspace.store
    weblate_translator = "María Santos <maria.santos@example.org>"
    title = store.translation("fd87749d1e56", "es")
    assert (title["text"], title["status"], title["author"]) == (
        "Trabajadores migrantes exigen justicia en el Día Internacional del Migrante", "translated", weblate_translator)
    paragraph = store.translation("1b9840cf9dbe", "es")
    assert paragraph["status"] == "needs-review"
    assert paragraph["text"] == ("En el Día Internacional del Migrante, la Alianza Internacional de Migrantes (IMA) está con los millones "
                                 "de trabajadores migrantes que mantienen en marcha economías enteras mientras se les niegan sus derechos.")
    assert store.translation("16f511d88a33", "es")["status"] == "machine"  # Weblate kept it fuzzy and unchanged

    export_po(workspace, locales=["es"])
    again = polib.pofile(str(po_file(workspace, WEBLATE_SLUG)))
    assert again.metadata["Last-Translator"] == weblate_translator
    assert again.metadata["X-Generator"] == "workbench"
    assert [(e.msgctxt, e.msgstr, e.fuzzy) for e in again] == [
        (e.msgctxt, e.msgstr, e.fuzzy) for e in theirs if not e.msgid_plural]


def test_a_po_file_round_trips_through_weblate_unchanged(weblate_workspace: Workspace) -> None:
    """Weblate rewraps every string at 77 columns and rewrites the header; nothing it did changes a translation."""
    workspace = weblate_workspace
    path = po_file(workspace, WEBLATE_SLUG)
    exported = path.read_bytes()
    store = pypo.pofile(exported)
    for unit in store.units:
        if not unit.isheader():
            unit.source, unit.target = unit.source, unit.target
    store.updateheader(add=True, **{"PO-Revision-Date": "2024-06-12 09:41+0000", "X-Generator": "Weblate 5.8.4",
                                    "Language-Team": "Spanish <https://weblate.example.org/projects/alliance/imd-2016/es/>"})
    rewrapped = bytes(store)
    assert rewrapped != exported
    path.write_bytes(rewrapped)

    summary = import_po(workspace, [path])

    assert (summary.errors, summary.conflicts, summary.skipped, summary.added, summary.changed, summary.unchanged) == ([], [], [], 0, 0, 4)
    export_po(workspace, locales=["es"])
    back = polib.pofile(str(path))
    assert [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in back] == [
        (e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(exported.decode())]
    assert back.metadata["PO-Revision-Date"] == "2024-06-12 09:41+0000"  # no translation changed, so Weblate's date stays


def test_the_weblate_fixtures_are_documented(tmp_path: Path) -> None:
    readme = (WEBLATE / "README.md").read_text(encoding="utf-8")
    assert "es.po" in readme and "es.tbx" in readme and "imd-2016.txt" in readme
    docs = (REPO / "docs" / "weblate.md").read_text(encoding="utf-8")
    for needed in ("locales/*/LC_MESSAGES/", "locales/templates/{{ component }}.pot", "glossary/glossary.tbx", "65535"):
        assert needed in docs, needed
