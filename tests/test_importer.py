"""Importing statement files: the sample corpus, re-imports, and bad input."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.lifecycle import create_workspace
from workbench.importer import ImportInputError, import_file, import_paths, read_text, slugify
from workbench.store import Draft
from workbench.workspace import Workspace

from .conftest import SAMPLE_STATEMENTS


def table_snapshot(workspace: Workspace) -> dict[str, list[tuple]]:
    """Every row of the content tables, to compare before and after an operation."""
    db = workspace.store.db
    return {
        "statements": db.execute("SELECT id, slug, title, date, truncated, fingerprint, metadata FROM statements ORDER BY id").fetchall(),
        "segments": db.execute("SELECT * FROM segments ORDER BY id").fetchall(),
        "translations": db.execute("SELECT * FROM translations ORDER BY segment_id, lang").fetchall(),
        "history": db.execute("SELECT COUNT(*) FROM history").fetchall(),
    }


def test_sample_corpus_imports_each_statement_once(sample_workspace: Workspace) -> None:
    statements = sample_workspace.store.statements()
    # 24 statements in the four files; three of them appear in two files.
    assert len(statements) == 21
    assert len({s["slug"] for s in statements}) == 21
    brussels = sample_workspace.store.find_statement(slug="ima-statement-on-brussels-bombing")
    assert brussels is not None and brussels["truncated"]
    [also_in] = brussels["metadata"]["also_in"]
    assert re.fullmatch(r"data/statements/002_644c2d3d14c04158-[0-9a-f]{8}\.txt:106", also_in)  # its copy in the workspace


def test_segments_are_typed_with_language_and_metadata_is_not_translatable(sample_workspace: Workspace) -> None:
    store = sample_workspace.store
    segments = store.segments()
    assert {s["kind"] for s in segments} <= {"title", "subtitle", "heading", "paragraph", "list-item", "slogan"}
    assert all(s["source_lang"] for s in segments)
    assert not any("Continue reading" == s["source"] for s in segments)
    statement = store.find_statement(slug="statement-on-the-2015-imd")
    assert statement["date"] == "2015-12-18"
    assert any(unit["kind"] == "date" for unit in statement["metadata"]["units"])


def test_importing_the_same_files_twice_changes_nothing(sample_workspace: Workspace) -> None:
    before = table_snapshot(sample_workspace)
    reports = import_paths(sample_workspace, [SAMPLE_STATEMENTS])
    assert sum(r.statements_added + r.statements_updated for r in reports) == 0
    assert table_snapshot(sample_workspace) == before


def test_reimporting_an_edited_file_keeps_unchanged_work(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "statements.txt"
    source.write_text(
        "Migrants unite for their rights\n\n"
        "The alliance calls on all migrants to unite and defend their rights.\n\n"
        "Families should never be broken apart by the need to survive.\n\n"
        "We will continue to fight for a world without forced migration.\n",
        encoding="utf-8",
    )
    import_file(workspace.store, source)
    store = workspace.store
    original = {s["source"]: s["id"] for s in store.segments()}
    for segment_id in original.values():
        store.save_translation(segment_id, "es", f"traducción {segment_id}", "translated", author="ana")

    source.write_text(
        "Migrants unite for their rights\n\n"
        "The alliance calls on all migrants to unite and defend their rights.\n\n"
        "Families must never be broken apart by the need to survive.\n\n"
        "A new paragraph that was not there before, about solidarity.\n",
        encoding="utf-8",
    )
    report = import_file(workspace.store, source)
    assert (report.statements_updated, report.segments_changed, report.segments_added) == (1, 1, 1)
    after = {s["source"]: s for s in store.segments()}

    kept = after["The alliance calls on all migrants to unite and defend their rights."]
    assert kept["id"] == original[kept["source"]]
    assert store.translation(kept["id"], "es")["status"] == "translated"

    changed = after["Families must never be broken apart by the need to survive."]
    assert changed["id"] == original["Families should never be broken apart by the need to survive."]
    assert changed["previous_source"] == "Families should never be broken apart by the need to survive."
    assert store.translation(changed["id"], "es")["status"] == "needs-review"

    assert "We will continue to fight for a world without forced migration." not in after
    assert store.translation(after["A new paragraph that was not there before, about solidarity."]["id"], "es")["status"] == "untranslated"


def test_tagalog_segments_are_detected(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "post.txt"
    source.write_text(
        "Mabuhay ang mga migrante\n\n"
        "Ang mga migrante ay patuloy na lumalaban para sa kanilang mga karapatan at kabuhayan.\n\n"
        "The alliance stands with all migrant workers around the world.\n",
        encoding="utf-8",
    )
    import_file(workspace.store, source)
    languages = [s["source_lang"] for s in workspace.store.segments()]
    assert languages[1:] == ["tl", "en"]


def imported_languages(workspace: Workspace, tmp_path: Path, post: str) -> list[tuple[str, str]]:
    """(source language, source) of each segment of one post of a page dump, in reading order."""
    source = tmp_path / "page.txt"
    source.write_text(f"Migrante Hong Kong\n\n10/12/2019\n{post}\n", encoding="utf-8")
    import_file(workspace.store, source)
    return [(s["source_lang"], s["source"]) for s in workspace.store.segments()]


def test_a_tagalog_post_stays_tagalog_whatever_its_english_headings_and_bilingual_lines(workspace: Workspace, tmp_path: Path) -> None:
    """Short and all-caps headings take the post's language; a bilingual paragraph is no foreign one."""
    post = (
        "Sobrang singil, itigil!\n"
        "What is the GCM?\n"
        "Mga kababayan, huwag nating hayaang ipagpatuloy ang sobrang singil ng mga ahensya! "
        "Sumama sa ating kampanya laban sa ilegal na pagkakaltas sa sahod.\n"
        "OUR DEMANDS TO THE LABOUR DEPARTMENT\n"
        "Salamat sa lahat ng dumalo! Thank you to everyone who joined the general assembly of domestic workers last Sunday.\n"
        "Hindi kami titigil hangga't hindi nakakamit ang hustisya para sa lahat ng mga manggagawang migrante sa Hong Kong."
    )
    languages = imported_languages(workspace, tmp_path, post)
    assert len(languages) == 6
    assert {lang for lang, _ in languages} == {"tl"}, languages


def test_an_english_statement_keeps_its_one_long_tagalog_paragraph_tagalog(workspace: Workspace, tmp_path: Path) -> None:
    post = (
        "Justice for our sister in Sha Tin\n"
        "We demand justice and a full investigation into the death of our sister, who worked for six years in the same household.\n"
        "Filipino migrant workers in Sha Tin and Tuen Mun\n"
        "Her employer had refused to give her the rest days that the law requires, and the agency ignored every complaint she made.\n"
        "Hindi kami titigil hangga't hindi nakakamit ang hustisya para sa lahat ng mga manggagawang migrante sa Hong Kong, "
        "at patuloy kaming magmamartsa tuwing Linggo.\n"
        "We call on all migrant workers and their friends to join the vigil at Chater Garden this Sunday afternoon."
    )
    languages = imported_languages(workspace, tmp_path, post)
    assert [lang for lang, _ in languages] == ["en", "en", "en", "en", "tl", "en"], languages


def test_a_short_english_heading_in_an_english_statement_is_english(workspace: Workspace, tmp_path: Path) -> None:
    """The fast detector reads these headlines, full of Filipino names, as Tagalog: they stay with their statement."""
    post = (
        "Statement on the death of a Filipino domestic worker in Sha Tin\n"
        "We demand justice and a full investigation into the death of our sister, who worked for six years in the same household.\n"
        "Justice for Joy Balaba\n"
        "Her employer had refused to give her the rest days that the law requires, and the agency ignored every complaint she made."
    )
    languages = imported_languages(workspace, tmp_path, post)
    assert [lang for lang, _ in languages] == ["en", "en", "en", "en"], languages


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("empty.txt", b"  \n\n", "empty"),
        ("garbled.txt", b"Migrants \x81\x8d\x8f unite\n\nThe alliance stands.\n", "UTF-8"),
        ("notes.pdf", b"%PDF-1.4 statement", ".txt and .md"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(workspace: Workspace, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportInputError, match=message) as error:
        read_text(path)
    assert "\n" not in str(error.value)


def test_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportInputError, match="too large.*split it"):
        read_text(path)


def test_windows_1252_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Migrants’ rights – “now”\n\nThe café workers unite.\n".encode("cp1252"))
    text, warnings = read_text(path)
    assert "Migrants’ rights – “now”" in text
    assert len(warnings) == 1 and "cp1252" in warnings[0] and "UTF-8" in warnings[0]


def test_a_folder_of_mixed_files_imports_the_good_ones_and_touches_nothing_else(sample_workspace: Workspace, tmp_path: Path) -> None:
    before = table_snapshot(sample_workspace)
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (folder / "image.png").write_bytes(b"\x89PNG")
    (folder / "good.md").write_text("Solidarity with fishers\n\nThe alliance stands with the fishers of the world today.\n", encoding="utf-8")
    reports = import_paths(sample_workspace, [folder])
    assert [(r.path.name, bool(r.error)) for r in reports] == [("broken.txt", True), ("good.md", False)]
    after = table_snapshot(sample_workspace)
    assert len(after["statements"]) == len(before["statements"]) + 1
    assert set(before["segments"]) <= set(after["segments"])
    assert after["translations"] == before["translations"]


def test_a_failed_file_rolls_back_completely(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    store = workspace.store

    def disk_full(records):
        raise OSError("disk full")

    monkeypatch.setattr(store, "insert_segments", disk_full)
    with pytest.raises(OSError):
        import_file(store, SAMPLE_STATEMENTS / "003_f75089291fe9820d.txt")
    assert store.statements() == []


def test_slugs_are_safe_file_names() -> None:
    assert slugify("Statement on the 2015 IMD") == "statement-on-the-2015-imd"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("¡Solidaridad!") == "solidaridad"
    assert slugify("🔥🔥") == "statement"


def test_machine_drafts_survive_reimport(sample_workspace: Workspace) -> None:
    store = sample_workspace.store
    segment = store.segments()[0]
    store.save_machine_drafts([Draft(segment["id"], "es", "borrador", "mt:test")])
    import_paths(sample_workspace, [SAMPLE_STATEMENTS])
    assert store.translation(segment["id"], "es")["text"] == "borrador"


SEED_LINES = [line for path in sorted(SAMPLE_STATEMENTS.glob("*.txt")) for line in path.read_text(encoding="utf-8").split("\n")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(st.sampled_from(SEED_LINES), st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)),
        min_size=1,
        max_size=40,
    )
)
def test_no_word_of_an_imported_file_is_lost(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    """Every word of every line ends up in a stored segment or in statement metadata."""
    text = "\n".join(lines)
    if not text.strip():
        return
    workspace = create_workspace(tmp_path_factory.mktemp("ws"))
    path = workspace.statements_dir / "generated.txt"
    path.write_text(text, encoding="utf-8")
    try:
        import_file(workspace.store, path)
    except ImportInputError as error:
        assert "nothing to translate" in str(error) or "binary" in str(error)
        return
    stored = [segment["source"] for segment in workspace.store.segments()]
    stored += [unit["text"] for statement in workspace.store.statements() for unit in statement["metadata"]["units"]]
    stored_words = {word for text in stored for word in text.split()}
    # An end mark glued to a word ("Magsasaka.#") is split into the paragraph and its mark.
    compact = "".join("".join(text.split()) for text in stored)
    lost = [word for line in lines for word in line.split() if word not in stored_words and word not in compact]
    assert lost == []


def test_a_missing_path_is_reported_and_the_other_files_still_import(workspace: Workspace, tmp_path: Path) -> None:
    reports = import_paths(workspace, [tmp_path / "nope.txt", SAMPLE_STATEMENTS / "003_f75089291fe9820d.txt"])
    assert [bool(r.error) for r in reports] == [True, False]
    assert "no such file" in reports[0].error
    assert len(workspace.store.statements()) == 3


# --- An edited copy of a statement in another file --------------------------------------

STATEMENT = (
    "Migrants unite for their rights\n\n"
    "The alliance calls on all migrants to unite and defend their rights.\n\n"
    "Families should never be broken apart by the need to survive.\n\n"
    "Governments must stop treating migrant workers as commodities for export.\n\n"
    "We will continue to fight for a world without forced migration.\n"
)


def translate_everything(workspace: Workspace) -> dict[str, str]:
    """Translate every live segment into Spanish; returns ``{source: segment id}``."""
    store = workspace.store
    segments = {s["source"]: s["id"] for s in store.segments()}
    for segment_id in segments.values():
        store.save_translation(segment_id, "es", f"traducción {segment_id}", "translated", author="ana")
    return segments


def test_an_edited_copy_in_another_folder_updates_the_known_statement_and_sends_its_changes_to_review(workspace: Workspace, tmp_path: Path) -> None:
    original = tmp_path / "site" / "statement.txt"
    original.parent.mkdir()
    original.write_text(STATEMENT, encoding="utf-8")
    import_paths(workspace, [original])
    before = translate_everything(workspace)

    copy = tmp_path / "edited" / "statement-v2.txt"
    copy.parent.mkdir()
    copy.write_text(
        STATEMENT.replace("should never be", "must never be") + "\nA new paragraph that was not there before, about solidarity.\n",
        encoding="utf-8",
    )
    [report] = import_paths(workspace, [copy])

    store = workspace.store
    assert (report.statements_added, report.statements_updated, report.segments_changed, report.segments_added) == (0, 1, 1, 1)
    assert report.summary().startswith(f"statement-v2.txt (copied into {report.copied_to}, where teammates get it): statements 0 new, 1 updated")
    [note] = report.notes
    assert "migrants-unite-for-their-rights" in note and "imported before from data/statements/statement-" in note
    [statement] = store.statements()
    assert statement["source_file"] == report.copied_to
    after = {s["source"]: s for s in store.segments()}
    changed = after["Families must never be broken apart by the need to survive."]
    assert changed["id"] == before["Families should never be broken apart by the need to survive."]
    assert changed["previous_source"] == "Families should never be broken apart by the need to survive."
    assert store.translation(changed["id"], "es")["status"] == "needs-review"
    kept = after["We will continue to fight for a world without forced migration."]
    assert store.translation(kept["id"], "es")["status"] == "translated"
    translations = store.translations(lang="es")
    assert all(translations[segment_id]["es"]["text"] == f"traducción {segment_id}" for segment_id in before.values())


def test_editing_the_original_after_importing_an_edited_copy_sends_the_original_to_review(workspace: Workspace, tmp_path: Path) -> None:
    original = tmp_path / "site" / "statement.txt"
    copy = tmp_path / "edited" / "statement.txt"
    original.parent.mkdir()
    copy.parent.mkdir()
    original.write_text(STATEMENT, encoding="utf-8")
    copy.write_text(STATEMENT.replace("should never be", "must never be"), encoding="utf-8")
    import_paths(workspace, [original, copy])
    before = translate_everything(workspace)

    original.write_text(STATEMENT.replace("as commodities for export", "as commodities"), encoding="utf-8")
    [report] = import_paths(workspace, [original])

    assert (report.statements_updated, report.duplicates, report.statements_added) == (1, 0, 0)
    store = workspace.store
    assert len(store.statements()) == 1
    reworded = next(s for s in store.segments() if s["source"] == "Governments must stop treating migrant workers as commodities.")
    assert reworded["id"] == before["Governments must stop treating migrant workers as commodities for export."]
    assert store.translation(reworded["id"], "es")["status"] == "needs-review"


def test_two_files_holding_two_versions_of_a_statement_do_not_undo_each_other_on_every_import(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "a.txt").write_text(STATEMENT, encoding="utf-8")
    (folder / "b.txt").write_text(STATEMENT.replace("should never be", "must never be"), encoding="utf-8")
    import_paths(workspace, [folder])
    translate_everything(workspace)
    before = table_snapshot(workspace)

    reports = import_paths(workspace, [folder])

    assert [(r.statements_unchanged, r.statements_updated) for r in reports] == [(1, 0), (1, 0)]
    assert table_snapshot(workspace) == before
    assert "Families must never be broken apart by the need to survive." in {s["source"] for s in workspace.store.segments()}


def imported_twice_then_original_edited(workspace: Workspace, tmp_path: Path) -> tuple[Path, Path, str]:
    """A statement file and an identical copy in another folder, both imported; then the original is edited.

    Returns both, and where the copy's own copy in the workspace is.
    """
    original, copy = tmp_path / "a.txt", tmp_path / "copies" / "a.txt"
    copy.parent.mkdir()
    original.write_text(STATEMENT, encoding="utf-8")
    copy.write_text(STATEMENT, encoding="utf-8")
    _, second = import_paths(workspace, [original, copy])
    original.write_text(STATEMENT.replace("should never be", "must never be"), encoding="utf-8")
    assert second.copied_to is not None
    return original, copy, second.copied_to


def test_a_stale_copy_does_not_undo_an_edit_made_to_the_original(workspace: Workspace, tmp_path: Path) -> None:
    original, copy, _ = imported_twice_then_original_edited(workspace, tmp_path)

    reports = import_paths(workspace, [original, copy])

    assert [(r.statements_updated, r.statements_unchanged) for r in reports] == [(1, 0), (0, 1)]
    assert "Families must never be broken apart by the need to survive." in {s["source"] for s in workspace.store.segments()}


def test_a_statement_keeps_the_files_it_also_appears_in_when_it_is_updated(workspace: Workspace, tmp_path: Path) -> None:
    original, _, shared_copy = imported_twice_then_original_edited(workspace, tmp_path)

    import_paths(workspace, [original])

    [statement] = workspace.store.statements()
    assert statement["metadata"]["also_in"] == [f"{shared_copy}:1"]


def test_a_statement_with_a_known_title_but_other_paragraphs_is_a_new_statement_and_the_report_says_so(workspace: Workspace, tmp_path: Path) -> None:
    first, second = tmp_path / "2015" / "imd.txt", tmp_path / "2016" / "imd.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(STATEMENT, encoding="utf-8")
    second.write_text(
        "Migrants unite for their rights\n\n"
        "This year the alliance marks the day with actions in twenty countries.\n\n"
        "Remittances kept whole economies afloat while migrants were left without protection.\n",
        encoding="utf-8",
    )
    import_paths(workspace, [first])
    [report] = import_paths(workspace, [second])

    assert report.statements_added == 1
    assert [s["slug"] for s in workspace.store.statements()] == ["migrants-unite-for-their-rights", "migrants-unite-for-their-rights-2"]
    [note] = report.notes
    assert "new statement, migrants-unite-for-their-rights-2" in note and "edited copy" in note


def test_an_excerpt_cut_by_continue_reading_is_not_taken_for_an_edited_copy_of_the_full_statement(workspace: Workspace, tmp_path: Path) -> None:
    full, excerpt = tmp_path / "full.txt", tmp_path / "listing.txt"
    full.write_text(STATEMENT, encoding="utf-8")
    excerpt.write_text(
        "Migrants unite for their rights\n\nThe alliance calls on all migrants to unite and defend their rights. Continue reading\n",
        encoding="utf-8",
    )
    import_paths(workspace, [full, excerpt])
    assert len(workspace.store.statements()) == 2


# --- Folders: what cannot be read is reported and skipped --------------------------------

GOOD = "Solidarity with fishers\n\nThe alliance stands with the fishers of the world today, {}.\n"


def statement_folder(tmp_path: Path, *names: str) -> Path:
    """A folder with one small, distinct statement file per name."""
    folder = tmp_path / "statements"
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(GOOD.format(name), encoding="utf-8")
    return folder


def test_an_unreadable_file_is_reported_and_the_files_after_it_still_import(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, where chmod cannot make a file unreadable: the OS call that opens it is refused instead."""
    folder = statement_folder(tmp_path, "a.txt", "b.txt", "c.txt")
    real_open = os.open

    def refuse_b(path, flags, *args, **kwargs):
        if Path(path).name == "b.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_b)
    reports = import_paths(workspace, [folder])
    assert [(r.path.name, r.statements_added) for r in reports] == [("a.txt", 1), ("b.txt", 0), ("c.txt", 1)]
    assert "permission denied" in reports[1].error and "check its permissions" in reports[1].error


def test_an_unreadable_subfolder_is_reported_and_the_rest_still_import(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = statement_folder(tmp_path, "a.txt", "locked/b.txt", "z.txt")
    real_scandir = os.scandir

    def refuse_locked(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    reports = import_paths(workspace, [folder])
    assert [(r.path.name, bool(r.error)) for r in reports] == [("a.txt", False), ("locked", True), ("z.txt", False)]
    assert str(folder / "locked") in reports[1].error and "its files were skipped" in reports[1].error


def test_files_and_folders_without_read_permission_are_reported_and_skipped(workspace: Workspace, tmp_path: Path) -> None:
    """The real thing, where permissions bind: not as root (nor on Windows), where chmod 0 stops no read."""
    folder = statement_folder(tmp_path, "a.txt", "b.txt", "locked/c.txt", "z.txt")
    (folder / "b.txt").chmod(0)
    try:
        (folder / "b.txt").read_bytes()
    except PermissionError:
        pass
    else:
        pytest.skip("permissions do not stop this user from reading (root)")
    (folder / "locked").chmod(0)
    try:
        reports = import_paths(workspace, [folder])
    finally:
        (folder / "b.txt").chmod(0o644)
        (folder / "locked").chmod(0o755)
    assert [(r.path.name, bool(r.error)) for r in reports] == [("a.txt", False), ("b.txt", True), ("locked", True), ("z.txt", False)]
    assert all("permission denied" in r.error for r in reports[1:3])


@pytest.mark.parametrize("content", [None, ["notes.pdf", "README"]])
def test_a_folder_with_nothing_to_import_says_so_naming_the_folder_and_the_suffixes(workspace: Workspace, tmp_path: Path, content: list[str] | None) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    for name in content or []:
        (folder / name).write_text("not a statement", encoding="utf-8")
    [report] = import_paths(workspace, [folder])
    assert report.error == f"{folder}: nothing to import: no .txt or .md files in this folder or its subfolders; give the statement files or the folder that holds them"


def test_a_symlink_loop_is_reported_as_a_loop(workspace: Workspace, tmp_path: Path) -> None:
    folder = statement_folder(tmp_path, "a.txt", "sub/b.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "ping").symlink_to("pong")
    (folder / "pong").symlink_to("ping")
    (folder / "sub" / "back").symlink_to("..", target_is_directory=True)
    reports = import_paths(workspace, [folder, folder / "loop.txt"])
    errors = {r.path.relative_to(folder).as_posix(): r.error for r in reports if r.error}
    assert set(errors) == {"loop.txt", "ping", "pong", "sub/back"}
    assert all("loop" in error and "no such file" not in error for error in errors.values())
    assert sum(r.statements_added for r in reports) == 2
    assert [r.path.name for r in reports].count("loop.txt") == 2


def test_a_named_pipe_is_refused_by_name_without_being_opened(workspace: Workspace, tmp_path: Path) -> None:
    folder = statement_folder(tmp_path, "a.txt", "z.txt")
    os.mkfifo(folder / "pipe.txt")
    reports: list = []
    worker = threading.Thread(target=lambda: reports.extend(import_paths(workspace, [folder, folder / "pipe.txt"])), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the import waited on the named pipe"
    assert [(r.path.name, bool(r.error)) for r in reports] == [("a.txt", False), ("pipe.txt", True), ("z.txt", False), ("pipe.txt", True)]
    assert all("named pipe (FIFO)" in r.error and "not opened" in r.error for r in reports if r.error)


def test_a_folder_is_not_read_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(ImportInputError, match="a folder, not a file"):
        read_text(tmp_path)


def test_a_link_to_a_missing_file_names_its_target(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "moved" / "statement.txt")
    with pytest.raises(ImportInputError, match="a link to .*moved/statement.txt, which does not exist"):
        read_text(tmp_path / "gone.txt")


def test_a_nul_byte_after_the_first_8_kib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "glued.txt"
    path.write_bytes(("The alliance stands with migrant workers everywhere.\n\n" * 200).encode() + b"tail\x00tail\n")
    with pytest.raises(ImportInputError, match=r"binary file, not text \(a NUL byte at offset 10804\)"):
        read_text(path)


def test_a_binary_part_after_pages_of_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "glued.txt"
    path.write_bytes(("The alliance stands with migrant workers everywhere.\n\n" * 2000).encode() + bytes(range(1, 9)) * 100)
    with pytest.raises(ImportInputError, match="binary"):
        read_text(path)


def test_a_truncated_utf16_file_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Migrants unite".encode("utf-16") + b"!")
    with pytest.raises(ImportInputError, match="starts like UTF-16 text but is not") as error:
        read_text(path)
    assert "\n" not in str(error.value)


def test_a_latin_1_file_is_imported_with_a_warning(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Solidarité avec les pêcheurs\n\nL'alliance est aux côtés des pêcheurs du monde entier, aujourd'hui.\n".encode("latin-1"))
    [report] = import_paths(workspace, [path])
    assert report.statements_added == 1
    [warning] = report.warnings
    assert "not UTF-8" in warning and "save it as UTF-8" in warning
    assert workspace.store.segments()[0]["source"] == "Solidarité avec les pêcheurs"
