"""PO export and import: files Poedit, Weblate and msgfmt accept, and edits that come back whole."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from translate.storage import pypo

from workbench.lifecycle import create_workspace
from workbench.cli import NOTES_PER_FILE, cli
from workbench.formats.common import file_stems, write_atomic
from workbench.formats.po import EXPORT_HEADER, comment_as_read, export_po, import_po
from workbench.languages import language
from workbench.store import Draft, Store
from workbench.workspace import NotAWorkspaceError, Workspace

MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")

TRICKY = 'Quotes "double" and \'single\', back\\slash \\n (not a newline), tab\there,\nnew line, café, ñ, Ω, 漢字, emoji ✊🏽👩‍👩‍👧'


def add_statement(store: Store, slug: str, sources: list[str], *, kinds: list[str] | None = None, source_file: str = "data/statements/s.txt") -> list[str]:
    """A statement with one segment per source; returns the segment ids."""
    statement_id = store.save_statement({"slug": slug, "title": f"Title of {slug}", "date": "2016-12-18", "source_file": source_file})
    ids = [f"{slug}-{index}" for index in range(len(sources))]
    store.insert_segments(
        [
            {"id": ids[index], "statement_id": statement_id, "position": index, "kind": (kinds or ["paragraph"] * len(sources))[index],
             "source": source, "source_lang": "en", "line": 10 * index + 1}
            for index, source in enumerate(sources)
        ]
    )
    return ids


def po_path(workspace: Workspace, slug: str, locale: str = "es") -> Path:
    return workspace.locales_dir / locale / "LC_MESSAGES" / f"{slug}.po"


def entry(po: polib.POFile, segment_id: str) -> polib.POEntry:
    (found,) = [e for e in po if e.msgctxt == segment_id]
    return found


def translate_in_file(path: Path, msgstrs: dict[str, str], *, save_as: Path | None = None) -> polib.POFile:
    """Set msgstrs as a translator's editor would, and save; returns the file for further edits."""
    po = polib.pofile(str(path))
    for segment_id, text in msgstrs.items():
        entry(po, segment_id).msgstr = text
    po.save(str(save_as or path))
    return po


def msgfmt(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run([MSGFMT, "--check", *extra, "-o", os.devnull, str(path)], capture_output=True, text=True)


# -- export --------------------------------------------------------------------------------------


def test_export_writes_full_header_and_one_entry_per_segment(workspace: Workspace) -> None:
    store = workspace.store
    ids = add_statement(store, "imd-2016", ["Migrant workers demand justice.", "Second paragraph.", "Third.", "Fourth.", "Fifth."],
                        kinds=["title", "paragraph", "paragraph", "slogan", "paragraph"])
    store.save_translation(ids[1], "es", "Segundo párrafo.", "needs-review", author="carla", comment="revisar el tono")
    store.save_translation(ids[2], "es", "Tercero.", "translated", author="carla")
    store.save_translation(ids[3], "es", "Cuarto.", "approved", author="carla")
    store.save_machine_drafts([Draft(ids[0], "es", "Los trabajadores migrantes exigen justicia.", "mt:test")])

    result = export_po(workspace)

    assert sorted(result.files) == sorted(po_path(workspace, "imd-2016", locale) for locale in workspace.target_locales)
    for locale in workspace.target_locales:
        po = polib.pofile(str(po_path(workspace, "imd-2016", locale)))
        assert po.metadata["Language"] == locale
        assert po.metadata["Plural-Forms"] == language(locale).plural_forms
        assert po.metadata["Language-Team"] == language(locale).name
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert po.metadata["Project-Id-Version"] == "imd-2016"
        assert po.metadata["X-Generator"].startswith("workbench ")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", po.metadata["PO-Revision-Date"])
        assert [e.msgctxt for e in po] == ids

    po = polib.pofile(str(po_path(workspace, "imd-2016")))
    assert po.metadata["Last-Translator"] == "carla"  # the MT draft saved after her is no translator
    assert [(e.msgid, e.msgstr, e.fuzzy) for e in po] == [
        ("Migrant workers demand justice.", "Los trabajadores migrantes exigen justicia.", True),
        ("Second paragraph.", "Segundo párrafo.", True),
        ("Third.", "Tercero.", False),
        ("Fourth.", "Cuarto.", False),
        ("Fifth.", "", False),
    ]
    assert entry(po, ids[1]).tcomment == "revisar el tono"
    assert entry(po, ids[3]).occurrences == [("data/statements/s.txt", "31")]
    title = entry(po, ids[0]).comment.splitlines()
    assert title[0] == "kind: title"
    assert "glossary: migrant workers \u2192 trabajadores migrantes" in title
    assert entry(po, ids[3]).comment == "kind: slogan"


def test_changed_source_is_exported_fuzzy_with_the_previous_msgid(workspace: Workspace) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "changed", ["The old source\nin two lines."])
    store.save_translation(segment_id, "es", "La fuente antigua.", "translated", author="ana")
    store.change_segment_source(segment_id, "The new source.", author="import")

    export_po(workspace, locales=["es"])

    exported = entry(polib.pofile(str(po_path(workspace, "changed"))), segment_id)
    assert exported.fuzzy
    assert exported.previous_msgid == "The old source\nin two lines."
    assert (exported.msgid, exported.msgstr) == ("The new source.", "La fuente antigua.")


def test_polib_and_translate_toolkit_read_every_character_back(workspace: Workspace) -> None:
    store = workspace.store
    sources = [TRICKY, "Ends with a newline\n", "\x0b\x0c\x08\x07\x1b controls \u2028 separators \x85", "\\\\\"\"\\"]
    ids = add_statement(store, "tricky", sources, source_file="data/statements/with space.txt")
    for segment_id, source in zip(ids, sources, strict=True):
        store.save_translation(segment_id, "es", source.upper(), "translated", author="ana", comment="note: " + source.replace("\n", " ").strip())

    export_po(workspace, locales=["es"])
    path = po_path(workspace, "tricky")

    po = polib.pofile(str(path))
    toolkit = [unit for unit in pypo.pofile(path.read_bytes()).units if not unit.isheader()]
    assert [e.msgid for e in po] == [u.source for u in toolkit] == sources
    assert [e.msgstr for e in po] == [u.target for u in toolkit] == [source.upper() for source in sources]
    assert [e.msgctxt for e in po] == ids
    assert [e.tcomment for e in po] == [comment_as_read("note: " + s.replace("\n", " ").strip()) for s in sources]


@needs_msgfmt
def test_msgfmt_accepts_every_exported_file(sample_workspace: Workspace) -> None:
    store = sample_workspace.store
    segments = store.segments()
    store.save_machine_drafts([Draft(s["id"], "es", s["source"][::-1], "mt:test") for s in segments[::2]])
    store.save_translation(segments[1]["id"], "es", TRICKY, "translated", author="ana", comment="a\n\n  comment\twith tab")
    store.save_translation(segments[3]["id"], "fr_CA", "Ends with a newline the source lacks\n", "needs-review", author="ana")
    store.save_translation(segments[5]["id"], "tl", "\nstarts with one", "approved", author="ana")
    store.change_segment_source(segments[0]["id"], "An edited title", author="import")

    result = export_po(sample_workspace)

    assert len(result.files) == len(store.statements()) * len(sample_workspace.target_locales)
    for path in result.files:
        for extra in ((), ("--use-fuzzy",)):
            checked = msgfmt(path, *extra)
            assert (checked.returncode, checked.stderr) == (0, ""), path


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("data/statements/s.txt", "data/statements/s.txt"),  # imported from inside the workspace
        ("{root}/data/statements/s.txt", "data/statements/s.txt"),
        ("/home/organizer/Downloads/2016 statements.txt", "\u20682016 statements.txt\u2069"),
        ("C:/Users/organizer/statements/s.txt", "s.txt"),
    ],
)
def test_source_references_are_portable(workspace: Workspace, stored: str, shown: str) -> None:
    """``#:`` is relative to the workspace; a file from elsewhere is named, not located on the exporter's disk."""
    (segment_id,) = add_statement(workspace.store, "ref", ["Text."], source_file=stored.format(root=workspace.root.resolve()))

    export_po(workspace, locales=["es"])

    text = po_path(workspace, "ref").read_text(encoding="utf-8")
    assert f"\n#: {shown}:1\nmsgctxt \"{segment_id}\"\n" in text
    assert "organizer" not in text


def test_newline_mismatch_is_fixed_in_the_file_only(workspace: Workspace) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "newline", ["No newline at the end."])
    store.save_translation(segment_id, "es", "Con salto al final.\n", "translated", author="ana")

    result = export_po(workspace, locales=["es"])

    assert any(segment_id in warning and "line break" in warning for warning in result.warnings)
    assert entry(polib.pofile(str(po_path(workspace, "newline"))), segment_id).msgstr == "Con salto al final."
    summary = import_po(workspace, [po_path(workspace, "newline")])
    assert (summary.unchanged, summary.changed, summary.conflicts) == (1, 0, [])
    assert store.translation(segment_id, "es")["text"] == "Con salto al final.\n"


def test_unchanged_translations_export_byte_identical_files(workspace: Workspace) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "stable", ["Text."])
    store.save_translation(segment_id, "es", "Texto.", "translated", author="ana")
    export_po(workspace, locales=["es"])
    first = po_path(workspace, "stable").read_bytes()
    inode = po_path(workspace, "stable").stat().st_ino

    again = export_po(workspace, locales=["es"])
    assert po_path(workspace, "stable").read_bytes() == first
    assert (again.unchanged, po_path(workspace, "stable").stat().st_ino) == (1, inode)  # left alone, not rewritten

    store.save_translation(segment_id, "es", "Texto nuevo.", "translated", author="ana")
    export_po(workspace, locales=["es"])
    again = polib.pofile(str(po_path(workspace, "stable")))
    assert again.metadata[EXPORT_HEADER] != polib.pofile(first.decode()).metadata[EXPORT_HEADER]


@pytest.mark.parametrize(
    "slug",
    ["../../escape", "a/b/c", "..", ".hidden", "con", "spaces and ünïcode ✊", "back\\slash", "x" * 300],
)
def test_file_names_come_from_sanitized_slugs(workspace: Workspace, tmp_path: Path, slug: str) -> None:
    store = workspace.store
    add_statement(store, slug, ["Text."])
    add_statement(store, "plain-slug", ["Text."])
    out = tmp_path / "out"

    result = export_po(workspace, locales=["es"], out_dir=out)

    folder = (out / "es" / "LC_MESSAGES").resolve()
    names = [path.name for path in result.files]
    assert len(set(names)) == 2
    assert "plain-slug.po" in names
    for path in result.files:
        assert path.resolve().parent == folder
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.po", path.name) and len(path.name) <= 120
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_interrupted_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "statement.po"
    target.write_text("old content", encoding="utf-8")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new content")

    assert target.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["statement.po"]


# -- round trip ------------------------------------------------------------------------------------


def test_round_trip_keeps_every_character_of_a_translators_edit(workspace: Workspace) -> None:
    store = workspace.store
    ids = add_statement(store, "round-trip", [TRICKY, "Second.", "Third."])
    store.save_machine_drafts([Draft(ids[0], "es", "borrador", "mt:test"), Draft(ids[1], "es", "Segundo.", "mt:test")])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "round-trip")

    po = polib.pofile(str(path))  # the translator's editor
    edited = TRICKY.replace("Quotes", "Comillas")
    first = entry(po, ids[0])
    first.msgstr, first.flags, first.tcomment = edited, [], 'comentario "citado" \\ ✊'
    entry(po, ids[2]).msgstr = "Tercero, todavía dudoso."
    entry(po, ids[2]).flags.append("fuzzy")
    po.save()

    summary = import_po(workspace, [path])

    assert (summary.added, summary.changed, summary.unchanged, summary.conflicts, summary.skipped) == (1, 1, 1, [], [])
    assert summary.summary() == "added 1, changed 1, unchanged 1, conflicts 0, skipped 0"
    saved = store.translation(ids[0], "es")
    assert (saved["text"], saved["status"], saved["comment"]) == (edited, "translated", 'comentario "citado" \\ ✊')
    assert store.translation(ids[1], "es")["status"] == "machine"
    assert (store.translation(ids[2], "es")["text"], store.translation(ids[2], "es")["status"]) == ("Tercero, todavía dudoso.", "needs-review")

    export_po(workspace, locales=["es"])
    again = polib.pofile(str(path))
    assert (entry(again, ids[0]).msgstr, entry(again, ids[0]).fuzzy, entry(again, ids[0]).tcomment) == (edited, False, 'comentario "citado" \\ ✊')
    assert entry(again, ids[2]).fuzzy
    versions = [store.translation(i, "es")["version"] for i in ids]
    assert import_po(workspace, [path]).unchanged == 3
    assert [store.translation(i, "es")["version"] for i in ids] == versions


_counter = itertools.count()
_any_character = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x04\x00")
_paragraph = st.text(_any_character, max_size=80).map(lambda text: text.strip("\n"))
_comment_line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=50)


@pytest.fixture(scope="module")
def shared_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return create_workspace(tmp_path_factory.mktemp("property") / "ws")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=_paragraph.filter(bool),
    draft=_paragraph,
    draft_status=st.sampled_from(["machine", "needs-review", "translated", "approved"]),
    edited=_paragraph.filter(bool),
    comment_lines=st.lists(_comment_line, max_size=3),
)
def test_property_round_trip_preserves_every_character(
    shared_workspace: Workspace, source: str, draft: str, draft_status: str, edited: str, comment_lines: list[str]
) -> None:
    """Export, edit with polib as a translator would, import, export again: nothing is lost or altered.

    Sources and translations avoid a leading or trailing newline (msgfmt's rule,
    tested on its own above) and EOT (gettext's context separator); comment lines
    stay short, because polib's own save re-wraps long comment lines.
    """
    workspace = shared_workspace
    store = workspace.store
    slug = f"property-{next(_counter)}"
    (segment_id,) = add_statement(store, slug, [source])
    if draft:
        store.save_translation(segment_id, "es", draft, draft_status, author="ana")
    export_po(workspace, locales=["es"], statement=slug)
    path = po_path(workspace, slug)

    po = polib.pofile(str(path))
    exported = entry(po, segment_id)
    assert (exported.msgid, exported.msgstr) == (source, draft)
    assert exported.fuzzy == (bool(draft) and draft_status in ("machine", "needs-review"))
    comment = "\n".join(comment_lines)
    exported.msgstr, exported.tcomment = edited, comment
    if exported.fuzzy:
        exported.flags.remove("fuzzy")
    po.save()

    summary = import_po(workspace, [path])

    assert (summary.errors, summary.conflicts, summary.skipped) == ([], [], [])
    saved = store.translation(segment_id, "es")
    assert saved["text"] == edited
    assert (saved["comment"] or "") == comment_as_read(comment)
    kept_as_is = edited == draft and draft_status in ("translated", "approved")
    assert saved["status"] == (draft_status if kept_as_is else "translated")

    export_po(workspace, locales=["es"], statement=slug)
    again = entry(polib.pofile(str(path)), segment_id)
    assert (again.msgid, again.msgstr, again.tcomment, again.fuzzy) == (source, edited, comment_as_read(comment), False)
    assert import_po(workspace, [path]).unchanged == 1
    assert store.translation(segment_id, "es")["version"] == saved["version"]


any_saved_translation = given(
    source=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60),
    target=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    status=st.sampled_from(["machine", "needs-review", "translated", "approved"]),
    comment=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
"""Any text a volunteer might save (control characters included), in any status, with any comment."""


def export_one(workspace: Workspace, prefix: str, source: str, target: str, status: str, comment: str) -> str:
    """A new one-segment statement with this translation in es, exported as PO; returns its slug."""
    slug = f"{prefix}-{next(_counter)}"
    (segment_id,) = add_statement(workspace.store, slug, [source])
    workspace.store.save_translation(segment_id, "es", target, status, author="ana", comment=comment)
    export_po(workspace, locales=["es"], statement=slug)
    return slug


@needs_msgfmt
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@any_saved_translation
def test_property_msgfmt_accepts_any_text(shared_workspace: Workspace, source: str, target: str, status: str, comment: str) -> None:
    """Whatever volunteers type, including control characters, the file still compiles."""
    slug = export_one(shared_workspace, "msgfmt", source, target, status, comment)
    for extra in ((), ("--use-fuzzy",)):
        checked = msgfmt(po_path(shared_workspace, slug), *extra)
        assert (checked.returncode, checked.stderr) == (0, "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@any_saved_translation
def test_property_the_strict_reader_accepts_every_exported_file(shared_workspace: Workspace, source: str, target: str, status: str, comment: str) -> None:
    """Whatever volunteers type, the file the exporter writes imports back without an error and unchanged."""
    slug = export_one(shared_workspace, "reader", source, target, status, comment)

    summary = import_po(shared_workspace, [po_path(shared_workspace, slug)])

    assert (summary.errors, summary.conflicts, summary.skipped, summary.added, summary.changed) == ([], [], [], 0, 0)


# -- conflicts -------------------------------------------------------------------------------------


@pytest.fixture
def conflicting(workspace: Workspace) -> tuple[Workspace, str, Path]:
    """A file whose entry a translator changed while a volunteer changed it in the workspace."""
    store = workspace.store
    (segment_id,) = add_statement(store, "conflict", ["Source text."])
    store.save_translation(segment_id, "es", "Texto exportado.", "translated", author="ana")
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "conflict")
    po = translate_in_file(path, {segment_id: "Texto del archivo."})
    po.metadata["Last-Translator"] = "Jo <jo@example.org>"
    po.save()
    store.save_translation(segment_id, "es", "Texto del espacio de trabajo.", "approved", author="ben")
    return workspace, segment_id, path


def test_conflict_keeps_the_workspace_text_and_puts_the_file_text_in_history(conflicting: tuple[Workspace, str, Path]) -> None:
    workspace, segment_id, path = conflicting
    store = workspace.store

    summary = import_po(workspace, [path])

    assert summary.summary() == "added 0, changed 0, unchanged 0, conflicts 1, skipped 0"
    (conflict,) = summary.conflicts
    assert (conflict.workspace_text, conflict.file_text, conflict.kept) == ("Texto del espacio de trabajo.", "Texto del archivo.", "workspace")
    assert "Texto del espacio de trabajo." in str(conflict) and "Texto del archivo." in str(conflict) and "--theirs" in str(conflict)
    current = store.translation(segment_id, "es")
    assert (current["text"], current["status"], current["author"]) == ("Texto del espacio de trabajo.", "approved", "ben")
    history = [(h["text"], h["author"]) for h in store.history(segment_id, "es")]
    assert ("Texto del archivo.", "Jo <jo@example.org>") in history

    import_po(workspace, [path])  # importing the same file again records nothing new
    assert [(h["text"], h["author"]) for h in store.history(segment_id, "es")] == history

    store.undo(segment_id, "es", author="ben")  # undo the kept workspace version: the file's text is one step back
    assert store.translation(segment_id, "es")["text"] == "Texto del archivo."


def test_conflict_with_theirs_makes_the_file_text_current(conflicting: tuple[Workspace, str, Path]) -> None:
    workspace, segment_id, path = conflicting
    store = workspace.store

    summary = import_po(workspace, [path], theirs=True)

    (conflict,) = summary.conflicts
    assert conflict.kept == "file"
    current = store.translation(segment_id, "es")
    assert (current["text"], current["status"]) == ("Texto del archivo.", "translated")
    assert "Texto del espacio de trabajo." in [h["text"] for h in store.history(segment_id, "es")]


def test_a_stale_file_never_overwrites_newer_work(workspace: Workspace) -> None:
    """A file from an older export is compared with what it held, not with the latest export."""
    store = workspace.store
    ids = add_statement(store, "stale", ["One.", "Two."])
    for segment_id, text in zip(ids, ["Uno.", "Dos."], strict=True):
        store.save_translation(segment_id, "es", text, "translated", author="ana")
    export_po(workspace, locales=["es"])
    old_copy = po_path(workspace, "stale").with_name("emailed.po")
    shutil.copyfile(po_path(workspace, "stale"), old_copy)
    store.save_translation(ids[0], "es", "Uno, corregido.", "approved", author="ben")
    export_po(workspace, locales=["es"])  # a newer export of the same statement

    assert import_po(workspace, [old_copy]).unchanged == 2
    assert store.translation(ids[0], "es")["text"] == "Uno, corregido."

    translate_in_file(old_copy, {ids[0]: "Uno (archivo viejo).", ids[1]: "Dos (archivo viejo)."})
    summary = import_po(workspace, [old_copy])
    assert [c.segment_id for c in summary.conflicts] == [ids[0]]
    assert summary.changed == 1
    assert store.translation(ids[0], "es")["text"] == "Uno, corregido."
    assert store.translation(ids[1], "es")["text"] == "Dos (archivo viejo)."


def test_two_copies_of_one_export_never_overwrite_each_other(workspace: Workspace, tmp_path: Path) -> None:
    """Two volunteers get the same file; the second one's edit of the same entry is a conflict."""
    store = workspace.store
    ids = add_statement(store, "copies", ["One.", "Two."])
    export_po(workspace, locales=["es"])
    copies = []
    for name, text in (("amina", "Uno, de Amina."), ("jo", "Uno, de Jo.")):
        copies.append(tmp_path / f"{name}.po")
        translate_in_file(po_path(workspace, "copies"), {ids[0]: text}, save_as=copies[-1])

    assert import_po(workspace, [copies[0]]).added == 1
    second = import_po(workspace, [copies[1]])

    assert [(c.workspace_text, c.file_text) for c in second.conflicts] == [("Uno, de Amina.", "Uno, de Jo.")]
    assert store.translation(ids[0], "es")["text"] == "Uno, de Amina."
    assert "Uno, de Jo." in [h["text"] for h in store.history(ids[0], "es")]


def test_file_stems_stay_unique_when_a_cleaned_slug_meets_a_real_one() -> None:
    statements = [{"id": 7, "slug": "report/"}, {"id": 8, "slug": "report-7"}, {"id": 9, "slug": "REPORT-7"}]

    stems = file_stems(statements)

    assert stems[7] == "report-7"
    assert len({stem.lower() for stem in stems.values()}) == 3


def test_a_file_without_export_record_only_fills_empty_translations(workspace: Workspace) -> None:
    store = workspace.store
    ids = add_statement(store, "foreign", ["One.", "Two."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "foreign")
    po = polib.pofile(str(path))
    del po.metadata[EXPORT_HEADER]
    entry(po, ids[0]).msgstr = "Uno."
    entry(po, ids[1]).msgstr = "Dos (de fuera)."
    po.save()
    store.save_translation(ids[1], "es", "Dos.", "translated", author="ana")

    summary = import_po(workspace, [path])

    assert summary.added == 1 and [c.segment_id for c in summary.conflicts] == [ids[1]]
    assert store.translation(ids[0], "es")["text"] == "Uno."
    assert store.translation(ids[1], "es")["text"] == "Dos."


def test_a_machine_draft_never_blocks_a_translators_text(workspace: Workspace) -> None:
    """A draft no volunteer touched is replaced, not a conflict: with or without an export record."""
    store = workspace.store
    ids = add_statement(store, "drafted", ["One.", "Two."])
    store.save_machine_drafts([Draft(ids[0], "es", "Uno (máquina).", "mt:test")])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "drafted")
    po = translate_in_file(path, {ids[0]: "Uno.", ids[1]: "Dos."})
    entry(po, ids[0]).flags.remove("fuzzy")
    del po.metadata[EXPORT_HEADER]
    po.save()
    store.save_machine_drafts([Draft(ids[1], "es", "Dos (máquina).", "mt:test")])  # drafted after the export

    summary = import_po(workspace, [path])

    assert (summary.changed, summary.conflicts) == (2, [])
    assert [(store.translation(i, "es")["text"], store.translation(i, "es")["status"]) for i in ids] == [
        ("Uno.", "translated"), ("Dos.", "translated")]
    assert "Uno (máquina)." in [version["text"] for version in store.history(ids[0], "es")]


def test_an_emptied_msgstr_never_erases_work(workspace: Workspace) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "emptied", ["One."])
    store.save_translation(segment_id, "es", "Uno.", "translated", author="ana")
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "emptied")
    translate_in_file(path, {segment_id: ""})

    summary = import_po(workspace, [path])

    assert len(summary.skipped) == 1 and "emptied" in str(summary.skipped[0])
    assert store.translation(segment_id, "es")["text"] == "Uno."


def test_last_translator_is_the_author_only_when_a_tool_changed_it(workspace: Workspace) -> None:
    store = workspace.store
    ids = add_statement(store, "authors", ["One.", "Two."])
    store.save_translation(ids[0], "es", "Uno.", "translated", author="ana")
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "authors")
    translate_in_file(path, {ids[1]: "Dos."})
    import_po(workspace, [path])
    assert store.translation(ids[1], "es")["author"] == "tester"  # $WORKBENCH_AUTHOR: the header still says "ana"

    export_po(workspace, locales=["es"])
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = "Jo <jo@example.org>"  # as Poedit sets it on save
    entry(po, ids[1]).msgstr = "Dos, de Jo."
    po.save()
    import_po(workspace, [path])
    assert store.translation(ids[1], "es")["author"] == "Jo <jo@example.org>"


# -- what gets reported ------------------------------------------------------------------------------


def test_unknown_msgctxt_and_changed_msgid_are_reported(workspace: Workspace) -> None:
    store = workspace.store
    ids = add_statement(store, "reported", ["One.", "Two."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "reported")
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgctxt="no-such-segment", msgid="Ghost.", msgstr="Fantasma."))
    po.append(polib.POEntry(msgid="No context.", msgstr="Sin contexto."))
    changed = entry(po, ids[1])
    changed.msgid, changed.msgstr = "Two, edited by the translator.", "Dos."
    po.save()

    summary = import_po(workspace, [path])

    assert summary.summary() == "added 1, changed 0, unchanged 1, conflicts 0, skipped 2"
    skipped = "\n".join(map(str, summary.skipped))
    assert "unknown msgctxt \"no-such-segment\"" in skipped and "no msgctxt" in skipped
    assert str(path) in skipped
    (notice,) = summary.notices
    assert ids[1] in str(notice) and "msgid differs" in str(notice)
    saved = store.translation(ids[1], "es")
    assert (saved["text"], saved["status"]) == ("Dos.", "needs-review")


def _bad_lines(ids: list[str]) -> list[tuple[str, str]]:
    return [
        ('msgstr "unterminated', "not a valid PO line"),
        ("msgstr no quotes", "not a valid PO line"),
        ('msgstr "a"b"', "not a valid PO line"),
        ('msgfoo "x"', "not a valid PO line"),
        ("just some words", "not a valid PO line"),
        (f'msgctxt "{ids[0]}"\nmsgid "One."\nmsgstr "Otra vez."', "appears twice"),
        ('#| msgid "previous"\n#| bogus', "not a valid PO file"),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr[0] "Tres."', "msgstr[N] without msgid_plural"),
        ('msgctxt "extra"\nmsgid "Three."', "this entry has no msgstr"),  # polib reads it as an empty translation
        ('msgctxt "extra"\nmsgid "Three."\n\n#. kind: paragraph\nmsgctxt "more"\nmsgid "Four."\nmsgstr "Cuatro."', "this entry has no msgstr"),
        ('msgctxt "extra"\nmsgstr "Tres."', "msgstr cannot come after msgctxt"),
        ('msgctxt "extra"\n#. kind: paragraph\nmsgid "Three."\nmsgstr ""', "msgctxt with no msgid"),
        ('#. kind: paragraph\n"a string on its own"', "a string with no msgctxt, msgid or msgstr before it"),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tres \\q."', "\\q is not a PO escape (msgfmt refuses it)"),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tres \\a."', "the escape \\a is not read alike by every PO tool"),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tres \\101."', "the escape \\1 is not read alike by every PO tool"),
        ("\x1b]0;title\x07", 'a raw control character "\\x1b" outside a string'),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tres."\x0c', 'a raw control character "\\x0c" outside a string'),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tr\x04es."', "a raw NUL or EOT control character in a string"),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tr\x00es."', "a raw NUL or EOT control character in a string"),
        ('msgctxt "extra"\rmsgid "Three."\rmsgstr "Tres."', "a carriage return (CR) without a line feed"),
        ('msgctxt "extra"\nmsgid "Three."\nmsgstr "Tres, cortado a', 'a string not closed with " (is the file cut short?)'),
    ]


@pytest.mark.parametrize("case", range(len(_bad_lines(["x"]))))
def test_malformed_file_names_file_and_line_and_imports_nothing(workspace: Workspace, case: int) -> None:
    store = workspace.store
    ids = add_statement(store, "malformed", ["One.", "Two."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "malformed")
    translate_in_file(path, {ids[1]: "Dos, un cambio válido antes del error."})
    bad, message = _bad_lines(ids)[case]
    good = path.read_text(encoding="utf-8").rstrip("\n")
    bad_line = good.count("\n") + 3
    path.write_text(f"{good}\n\n{bad}\n", encoding="utf-8")

    summary = import_po(workspace, [path])

    (error,) = summary.errors
    assert "\n" not in error and message in error
    line = int(re.match(rf"{re.escape(str(path))}:(\d+): ", error).group(1))
    assert bad_line <= line <= bad_line + 2
    assert store.translations(lang="es") == {}


def test_invalid_utf8_is_reported_with_its_line(workspace: Workspace) -> None:
    store = workspace.store
    ids = add_statement(store, "bytes", ["One."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "bytes")
    empty = f'msgctxt "{ids[0]}"\nmsgid "One."\nmsgstr ""'.encode()
    data = path.read_bytes().replace(empty, empty[:-1] + b'Un \xe9"')  # a Latin-1 byte in a UTF-8 file
    path.write_bytes(data)
    bad_line = data.split(b"\n").index(b'msgstr "Un \xe9"') + 1

    (error,) = import_po(workspace, [path]).errors

    assert error.startswith(f"{path}:{bad_line}: not valid UTF-8 text")
    assert store.translations(lang="es") == {}


def test_a_file_exported_with_control_characters_imports_back_unchanged(workspace: Workspace) -> None:
    """The strict reader refuses no file the exporter writes: control characters stay raw in strings and comments."""
    store = workspace.store
    source = "Bell\x07, escape\x1b, form feed\x0c, vertical tab\x0b, next line\x85 and separator\u2028 in the source."
    (segment_id,) = add_statement(store, "controls-back", [source])
    store.save_translation(segment_id, "es", source.upper(), "translated", author="ana", comment="nul\x00 eot\x04 bell\x07 in a comment")
    export_po(workspace, locales=["es"])

    summary = import_po(workspace, [po_path(workspace, "controls-back")])

    assert (summary.errors, summary.unchanged) == ([], 1)


def _relabelled(workspace: Workspace) -> tuple[list[str], Path]:
    """A file exported for es, translated, then relabelled ``Language: fr``; fr_CA already has a translation of its own."""
    store = workspace.store
    ids = add_statement(store, "relabelled", ["Declaration.", "Second."])
    store.save_translation(ids[1], "fr_CA", "Deuxième.", "translated", author="ana")
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "relabelled")
    po = translate_in_file(path, {ids[0]: "Declaración.", ids[1]: "Segundo."})
    po.metadata["Language"] = "fr"
    po.save()
    return ids, path


def test_a_file_relabelled_to_another_language_is_refused_and_changes_nothing(workspace: Workspace) -> None:
    """The export record decides the language: Spanish text never lands in fr_CA because a header says fr."""
    store = workspace.store
    _, path = _relabelled(workspace)
    before = store.translations()

    summary = import_po(workspace, [path])

    (error,) = summary.errors
    assert error.startswith(f"{path}: the header says Language: fr, but the file was exported for es")
    assert "\n" not in error and "--lang" in error
    assert summary.files == 0
    assert store.translations() == before


def test_lang_says_which_language_a_relabelled_file_is_in(workspace: Workspace) -> None:
    store = workspace.store
    ids, path = _relabelled(workspace)

    assert import_po(workspace, [path], lang="es").added == 2
    assert [store.translation(i, "es")["text"] for i in ids] == ["Declaración.", "Segundo."]

    as_french = import_po(workspace, [path], lang="fr")  # fr_CA's own translation is not what this export held: a conflict
    assert as_french.added == 1 and [c.segment_id for c in as_french.conflicts] == [ids[1]]
    assert [store.translation(i, "fr_CA")["text"] for i in ids] == ["Declaración.", "Deuxième."]


def test_without_an_export_record_the_language_header_decides(workspace: Workspace) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "no-record", ["One."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "no-record")
    po = translate_in_file(path, {segment_id: "Un."})
    del po.metadata[EXPORT_HEADER]
    po.metadata["Language"] = "fr"
    po.save()

    assert import_po(workspace, [path]).added == 1
    assert store.translation(segment_id, "fr_CA")["text"] == "Un."


def _charset_file(workspace: Workspace, charset: str, encoding: str) -> tuple[str, Path]:
    """An exported file translated to "Declaración del Día", its header saying ``charset``, its bytes in ``encoding``."""
    (segment_id,) = add_statement(workspace.store, "charset", ["Declaration of the Day"])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "charset")
    translate_in_file(path, {segment_id: "Declaración del Día"})
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", f"charset={charset}")
    path.write_bytes(text.encode(encoding))
    return segment_id, path


def test_a_legacy_charset_is_decoded_as_declared(workspace: Workspace) -> None:
    segment_id, path = _charset_file(workspace, "ISO-8859-1", "iso-8859-1")

    assert import_po(workspace, [path]).added == 1
    assert workspace.store.translation(segment_id, "es")["text"] == "Declaración del Día"


@pytest.mark.parametrize("charset", ["ISO-8859-1", "windows-1252", "ASCII"])
def test_a_utf8_file_declaring_a_legacy_charset_is_refused_not_read_as_mojibake(workspace: Workspace, charset: str) -> None:
    """Every byte decodes in ISO-8859-1, so polib turned "Declaración" into "DeclaraciÃ³n" without a word."""
    _, path = _charset_file(workspace, charset, "utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index('msgstr "Declaración del Día"') + 1

    (error,) = import_po(workspace, [path]).errors

    assert error.startswith(f"{path}:{line}: the Content-Type header (line ")
    assert f"declares charset={charset}, but the file is UTF-8" in error
    assert error.endswith("fix the Content-Type header to charset=UTF-8 and import it again")
    if charset == "ISO-8859-1":
        assert '"Declaración" would read as "DeclaraciÃ³n"' in error
    assert workspace.store.translations(lang="es") == {}


@pytest.mark.parametrize(
    ("charset", "message"),
    [
        ("KLINGON-8", 'unknown charset "KLINGON-8" in the Content-Type header: write charset=UTF-8 there'),
        ("base64", 'unknown charset "base64"'),  # a codec Python knows, but no text encoding
        ("UTF-16", 'charset "UTF-16" cannot hold a PO file'),
    ],
)
def test_an_unknown_or_unusable_charset_is_refused(workspace: Workspace, charset: str, message: str) -> None:
    _, path = _charset_file(workspace, charset, "utf-8")
    header_line = path.read_text(encoding="utf-8").split("\n").index(f'"Content-Type: text/plain; charset={charset}\\n"') + 1

    (error,) = import_po(workspace, [path]).errors

    assert error.startswith(f"{path}:{header_line}: {message}")
    assert workspace.store.translations(lang="es") == {}


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(workspace: Workspace) -> None:
    assert workspace.limits.po_max_mb == 20
    (segment_id,) = add_statement(workspace.store, "large", ["A long paragraph. " * 1000])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "large")
    translate_in_file(path, {segment_id: "Un párrafo largo."})
    with workspace.config_path.open("a", encoding="utf-8") as config:
        config.write("\n[limits]\npo_max_mb = 0.01\n")
    limited = Workspace.find(workspace.root)

    (error,) = import_po(limited, [path]).errors

    assert path.stat().st_size > 10_000
    assert error == (f"{path}: {path.stat().st_size / 1_000_000:.2f} MB is above the 0.01 MB limit for a PO file: "
                     "check that it is the file you meant, or raise po_max_mb under [limits] in workbench.toml")
    assert limited.store.translations(lang="es") == {}


@pytest.mark.parametrize(
    ("settings_text", "message"),
    [
        ('[limits]\npo_max_mb = "20"', "[limits] po_max_mb must be a number of megabytes above 0, e.g. po_max_mb = 20"),
        ("[limits]\npo_max_mb = 0", "[limits] po_max_mb must be a number of megabytes above 0, e.g. po_max_mb = 20"),
        ("[limits]\npo_max_mb = -5", "[limits] po_max_mb must be a number of megabytes above 0, e.g. po_max_mb = 20"),
        ("[limits]\npo_max_mb = true", "[limits] po_max_mb must be a number of megabytes above 0, e.g. po_max_mb = 20"),
        ("[limits]\npo_max_mb = nan", "[limits] po_max_mb must be a number of megabytes above 0, e.g. po_max_mb = 20"),
        ("[limits]\npo_max_mb = inf", "[limits] po_max_mb must be a number of megabytes above 0, e.g. po_max_mb = 20"),
        ("limits = 20", "[limits] must be a table (po_max_mb = 20)"),
    ],
)
def test_po_max_mb_must_be_a_number_of_megabytes_above_zero(workspace: Workspace, settings_text: str, message: str) -> None:
    workspace.config_path.write_text(f"{settings_text}\n{workspace.config_path.read_text(encoding='utf-8')}", encoding="utf-8")

    with pytest.raises(NotAWorkspaceError) as refused:
        Workspace.find(workspace.root)

    assert str(refused.value) == f"{workspace.config_path}: {message}: fix it and try again"
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "import-po", str(workspace.locales_dir)])
    assert (result.exit_code, result.output) == (2, f"error: {refused.value}\n")


def test_one_bad_file_does_not_stop_the_others(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "good", ["One."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "good")
    translate_in_file(path, {segment_id: "Uno."})
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "x"\nmsgstr oops\n', encoding="utf-8")

    summary = import_po(workspace, [broken, path, tmp_path / "missing.po"])

    assert summary.added == 1 and summary.files == 1
    assert [e.split(":")[0] for e in summary.errors] == [str(broken), str(tmp_path / "missing.po")]


def test_the_language_comes_from_the_header(workspace: Workspace, tmp_path: Path) -> None:
    store = workspace.store
    (segment_id,) = add_statement(store, "language", ["One."])
    export_po(workspace, locales=["fr_CA"])
    source = polib.pofile(str(po_path(workspace, "language", "fr_CA")))
    entry(source, segment_id).msgstr = "Un."
    copy = tmp_path / "anywhere.po"
    source.save(str(copy))
    assert import_po(workspace, [copy]).added == 1
    assert store.translation(segment_id, "fr_CA")["text"] == "Un."

    source.metadata["Language"] = "de"
    source.save(str(copy))
    (error,) = import_po(workspace, [copy]).errors
    assert "Language" in error and "es, fr_CA, id, tl" in error


# -- the command line --------------------------------------------------------------------------------


def test_cli_import_po_reports_conflicts_and_summary(conflicting: tuple[Workspace, str, Path]) -> None:
    workspace, segment_id, path = conflicting
    runner = CliRunner()

    result = runner.invoke(cli, ["--workspace", str(workspace.root), "import-po", str(path)], catch_exceptions=False)

    assert result.exit_code == 1, result.output  # conflicts to look at, as `check` exits 1 on errors
    assert "conflict on segment" in result.output and "Texto del archivo." in result.output
    assert result.output.strip().endswith("added 0, changed 0, unchanged 0, conflicts 1, skipped 0")

    theirs = runner.invoke(cli, ["--workspace", str(workspace.root), "import-po", "--theirs", str(workspace.locales_dir)], catch_exceptions=False)
    assert theirs.exit_code == 1  # still a conflict, resolved the other way: the workspace's text is in the history now
    assert workspace.store.translation(segment_id, "es")["text"] == "Texto del archivo."


def test_cli_import_po_exits_2_on_a_malformed_file(workspace: Workspace, tmp_path: Path) -> None:
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")

    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "import-po", str(broken)])

    assert result.exit_code == 2
    assert f"error: {broken}:2: not a valid PO line" in result.output


def test_cli_import_po_lang_imports_a_relabelled_file_into_the_language_named(workspace: Workspace) -> None:
    ids, path = _relabelled(workspace)
    runner = CliRunner()

    refused = runner.invoke(cli, ["--workspace", str(workspace.root), "import-po", str(path)])
    chosen = runner.invoke(cli, ["--workspace", str(workspace.root), "import-po", "--lang", "es", str(path)])
    unknown = runner.invoke(cli, ["--workspace", str(workspace.root), "import-po", "--lang", "de", str(path)])

    assert (refused.exit_code, refused.output.splitlines()) == (2, [f"error: {path}: the header says Language: fr, but the file was exported "
                                                                    "for es: put 'Language: es' back, or import it with --lang to say which "
                                                                    "language its translations are in"])
    assert (chosen.exit_code, chosen.output) == (0, "added 2, changed 0, unchanged 0, conflicts 0, skipped 0\n")
    assert workspace.store.translation(ids[0], "es")["text"] == "Declaración."
    assert (unknown.exit_code, unknown.output) == (2, "error: unknown target language 'de': this workspace translates into es, fr_CA, id, tl\n")


def test_cli_import_po_prints_at_most_20_notes_per_file_and_counts_the_rest(workspace: Workspace) -> None:
    """A file of 51,325 unknown entries once printed 51,325 notes."""
    (segment_id,) = add_statement(workspace.store, "noisy", ["One."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "noisy")
    po = translate_in_file(path, {segment_id: "Uno."})
    for number in range(NOTES_PER_FILE + 1000):
        po.append(polib.POEntry(msgctxt=f"ghost-{number}", msgid="Ghost.", msgstr="Fantasma."))
    po.save()

    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "import-po", str(path)])

    assert NOTES_PER_FILE == 20
    lines = result.output.splitlines()
    assert [line.split(": ")[2] for line in lines[:-2]] == [f'unknown msgctxt "ghost-{n}"' for n in range(20)]
    assert lines[-2:] == [f"\u2026 and 1,000 more notes in {path}", "added 1, changed 0, unchanged 0, conflicts 0, skipped 1020"]
    assert result.exit_code == 0


def test_notes_show_control_characters_as_escapes_not_raw(workspace: Workspace) -> None:
    """An escape sequence in a file never reaches the terminal, and a line separator never splits a note."""
    add_statement(workspace.store, "escapes", ["One."])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "escapes")
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgctxt="ghost\x1b[2J\u2028\x85", msgid="Ghost.", msgstr="Fantasma."))
    po.save()

    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "import-po", str(path)])

    (note,) = [line for line in result.output.split("\n") if line.startswith("note: ")]
    assert note.endswith('unknown msgctxt "ghost\\x1b[2J\\u2028\\x85": no such segment in this workspace (was the file exported from another one?)')
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", result.output)


@needs_msgfmt
def test_characters_no_gettext_string_can_hold_are_written_as_visible_symbols(workspace: Workspace) -> None:
    """NUL ends a C string and EOT separates msgctxt: msgfmt refuses both, so ␀ and ␄ stand in."""
    store = workspace.store
    (segment_id,) = add_statement(store, "controls", ["Nul\x00 and eot\x04 in the source"])
    store.save_translation(segment_id, "es", "Nulo\x00 y eot\x04", "translated", author="ana")
    export_po(workspace, locales=["es"], statement="controls")
    path = po_path(workspace, "controls")
    exported = entry(polib.pofile(str(path)), segment_id)
    assert (exported.msgid, exported.msgstr) == ("Nul\u2400 and eot\u2404 in the source", "Nulo\u2400 y eot\u2404")
    assert msgfmt(path).returncode == 0


def test_a_comment_saved_with_the_history_leaves_as_a_translator_comment_and_an_edited_one_comes_back(workspace: Workspace) -> None:
    from workbench.workflow import save_comment

    store = workspace.store
    ids = add_statement(store, "comments", ["Migrants unite.", "Second."])
    saved = store.save_translation(ids[0], "es", "Migrantes, uníos.", "translated", author="ana")
    save_comment(store, ids[0], "es", "¿“uníos” o “únanse”?\npreguntar a Ben", author="ana", expected_version=saved["version"])
    export_po(workspace, locales=["es"])
    path = po_path(workspace, "comments")

    po = polib.pofile(str(path))
    assert entry(po, ids[0]).tcomment == "¿“uníos” o “únanse”?\npreguntar a Ben"
    entry(po, ids[0]).tcomment = "“uníos”, como siempre (Ben)"
    po.save()
    summary = import_po(workspace, [path])

    assert (summary.changed, summary.conflicts) == (1, [])
    now = store.translation(ids[0], "es")
    assert (now["text"], now["comment"]) == ("Migrantes, uníos.", "“uníos”, como siempre (Ben)")
    assert [entry["comment"] for entry in store.history(ids[0], "es")] == [
        "", "¿“uníos” o “únanse”?\npreguntar a Ben", "“uníos”, como siempre (Ben)"]
