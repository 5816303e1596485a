"""The store keeps every version, refuses stale writes and never loses work."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from workbench.store import SCHEMA_VERSION, ConflictError, Draft, Store, StoreError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "workbench.db")
    statement_id = store.save_statement({"slug": "s", "title": "S"})
    store.insert_segments(
        [
            {"id": f"seg{i}", "statement_id": statement_id, "position": i, "kind": "paragraph", "source": f"Text {i}.", "source_lang": "en", "line": i + 1}
            for i in range(3)
        ]
    )
    return store


def test_schema_is_versioned_and_in_wal_mode(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened = Store(store.path)  # migrating twice is a no-op
    assert reopened.schema_version == SCHEMA_VERSION


def test_every_change_is_kept_in_history_and_can_be_undone(store: Store) -> None:
    store.save_machine_drafts([Draft("seg0", "es", "Texto 0.", "mt:test")])
    first = store.translation("seg0", "es")
    store.save_translation("seg0", "es", "El texto 0.", "translated", author="ana", expected_version=first["version"])
    store.set_status("seg0", "es", "approved", author="ben")
    assert [h["status"] for h in store.history("seg0", "es")] == ["machine", "translated", "approved"]

    store.undo("seg0", "es", author="ana")
    assert store.translation("seg0", "es")["status"] == "translated"
    store.undo("seg0", "es", author="ana")
    restored = store.translation("seg0", "es")
    assert (restored["text"], restored["status"], restored["version"]) == ("Texto 0.", "machine", 5)
    assert [h["action"] for h in store.history("seg0", "es")][-2:] == ["undo", "undo"]


def test_a_write_based_on_a_stale_version_is_refused(store: Store) -> None:
    store.save_translation("seg1", "fr_CA", "Texte", "translated", author="ana", expected_version=0)
    with pytest.raises(ConflictError) as conflict:
        store.save_translation("seg1", "fr_CA", "Autre texte", "translated", author="ben", expected_version=0)
    assert conflict.value.current["text"] == "Texte"
    assert conflict.value.attempted_text == "Autre texte"
    assert store.translation("seg1", "fr_CA")["text"] == "Texte"


def test_machine_drafts_never_overwrite_human_work(store: Store) -> None:
    for status in ("needs-review", "translated", "approved"):
        store.save_translation("seg2", "id", f"manusia {status}", status, author="ana")
        written = store.save_machine_drafts([Draft("seg2", "id", "mesin", "mt:test")], retranslate=True)
        assert written == 0
        assert store.translation("seg2", "id")["text"] == f"manusia {status}"


def test_retranslate_refreshes_only_machine_drafts(store: Store) -> None:
    store.save_machine_drafts([Draft("seg0", "tl", "luma", "mt:test")])
    assert store.save_machine_drafts([Draft("seg0", "tl", "bago", "mt:test")]) == 0
    assert store.save_machine_drafts([Draft("seg0", "tl", "bago", "mt:test")], retranslate=True) == 1
    assert store.translation("seg0", "tl")["text"] == "bago"


def test_changed_source_sends_work_back_to_review(store: Store) -> None:
    store.save_translation("seg0", "es", "Texto cero.", "approved", author="ana")
    store.change_segment_source("seg0", "Text zero.", author="import")
    segment = store.segment("seg0")
    assert (segment["source"], segment["previous_source"]) == ("Text zero.", "Text 0.")
    assert store.translation("seg0", "es")["status"] == "needs-review"
    assert store.translation("seg0", "es")["text"] == "Texto cero."


def test_progress_counts_every_segment(store: Store) -> None:
    store.save_translation("seg0", "es", "a", "translated", author="ana")
    store.save_machine_drafts([Draft("seg1", "es", "b", "mt")])
    counts = next(iter(store.progress(["es"]).values()))["es"]
    assert counts == {"untranslated": 1, "machine": 1, "needs-review": 0, "translated": 1, "approved": 0}


def test_unknown_status_and_segment_are_clear_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown status"):
        store.save_translation("seg0", "es", "x", "done", author="ana")
    with pytest.raises(StoreError, match="no segment"):
        store.save_translation("nope", "es", "x", "translated", author="ana")


def test_a_slug_family_is_the_slug_and_what_follows_it_after_a_hyphen(store: Store) -> None:
    for slug in ("imd", "imd-2", "imd-2015-statement", "imd.old", "imda", "im"):
        store.save_statement({"slug": slug, "title": slug})
    assert store.slugs_like("imd") == {"imd", "imd-2", "imd-2015-statement"}
    assert [row["slug"] for row in store.titles_like("imd")] == ["imd", "imd-2", "imd-2015-statement"]


def test_paragraph_overlap_counts_identical_live_segments_besides_the_title(store: Store) -> None:
    other = store.save_statement({"slug": "t", "title": "T"})
    store.insert_segments(
        [
            {"id": f"t{i}", "statement_id": other, "position": i, "kind": kind, "source": source, "source_lang": "en", "line": i + 1}
            for i, (kind, source) in enumerate([("title", "Text 0."), ("paragraph", "Text 1."), ("paragraph", "Text 1."), ("paragraph", "Other.")])
        ]
    )
    store.mark_obsolete(["seg2"])
    first = store.statement("s")["id"]
    assert store.paragraph_overlap([first, other], ["Text 0.", "Text 1.", "Text 2."]) == {
        first: (2, {"Text 0.": 1, "Text 1.": 1}),
        other: (3, {"Text 1.": 2}),
    }


def _edit_repeatedly(db_path: str, author: str, edits: int) -> int:
    """Append to one translation ``edits`` times, retrying on conflicts like a real client."""
    store = Store(db_path)
    conflicts = 0
    for _ in range(edits):
        while True:
            current = store.translation("seg0", "es")
            try:
                store.save_translation("seg0", "es", current["text"] + author, "translated", author=author, expected_version=current["version"])
                break
            except ConflictError:
                conflicts += 1
    return conflicts


def test_two_processes_editing_at_once_lose_no_update(store: Store) -> None:
    edits = 40
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.starmap(_edit_repeatedly, [(str(store.path), "a", edits), (str(store.path), "b", edits)])
    final = store.translation("seg0", "es")
    assert final["version"] == 2 * edits
    assert sorted(final["text"]) == ["a"] * edits + ["b"] * edits
    assert len(store.history("seg0", "es")) == 2 * edits


def test_an_older_database_is_migrated_step_by_step_keeping_its_data(tmp_path: Path) -> None:
    import sqlite3

    import sqlite_utils

    from workbench.store import MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    MIGRATIONS[0](old)
    old.execute("PRAGMA user_version = 1")
    old["statements"].insert({"slug": "kept", "title": "Kept"})
    old.conn.commit()
    old.close()

    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    assert {"glossary_terms", "po_exports", "mt_cache"} <= set(store.db.table_names())
    assert store.statement("kept")["title"] == "Kept"


def test_a_file_that_is_not_a_database_is_refused_in_words(tmp_path: Path) -> None:
    from workbench.store import DatabaseError

    path = tmp_path / "workbench.db"
    path.write_bytes(b"this is a text file, not SQLite\n" * 200)

    with pytest.raises(DatabaseError, match="is not a readable workbench database .* restore it from git"):
        Store(path)


def test_no_sqlite_error_leaves_a_store_method_untranslated(tmp_path: Path) -> None:
    from workbench.store import DatabaseError

    store = Store(tmp_path / "ws.db")
    store.close()

    with pytest.raises(DatabaseError, match="database error in"):
        store.statements()


def test_the_cli_reports_a_corrupt_database_in_one_line(workspace, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from workbench.cli import cli

    workspace.store.close()
    for leftover in workspace.db_path.parent.glob("workbench.db*"):
        leftover.unlink()
    workspace.db_path.write_bytes(b"\x00garbage" * 1000)

    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "list"], catch_exceptions=False)

    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and "not a readable workbench database" in line


def test_a_database_of_a_newer_workbench_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from workbench.store import DatabaseError

    path = tmp_path / "ws.db"
    Store(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match=f"newer workbench \\(schema {SCHEMA_VERSION + 1}; this one knows {SCHEMA_VERSION}\\)"):
        Store(path)

    assert path.read_bytes() == before


def test_another_programs_database_an_empty_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    from workbench.store import DatabaseError

    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE moz_places (id INTEGER)")
    connection.close()
    empty = tmp_path / "empty.db"
    empty.touch()
    folder = tmp_path / "folder.db"
    folder.mkdir()

    with pytest.raises(DatabaseError, match="database of another program \\(tables: moz_places\\)"):
        Store(other)
    with pytest.raises(DatabaseError, match="is an empty file, not a workbench database"):
        Store(empty)
    with pytest.raises(DatabaseError, match="is a folder, not a database"):
        Store(folder)


def test_a_write_lock_held_past_the_timeout_is_reported_as_busy(tmp_path: Path) -> None:
    from workbench.store import DatabaseError

    path = tmp_path / "ws.db"
    Store(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = Store(path, busy_timeout=0.2)
        with pytest.raises(DatabaseError, match="is busy: another workbench is writing to it"):
            store.save_statement({"slug": "s", "title": "S"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_full_disk_stops_an_import_in_words_and_keeps_the_database_whole(workspace, tmp_path: Path) -> None:
    from workbench.importer import import_paths
    from workbench.store import DatabaseError

    store = workspace.store
    store.db.execute("PRAGMA max_page_count = " + str(store.db.execute("PRAGMA page_count").fetchone()[0] + 2))
    statements = tmp_path / "statements"
    statements.mkdir()
    (statements / "big.txt").write_text("\n\n".join(f"Title {n}\n\nWorkers marched in city {n} today. " * 40 for n in range(40)),
                                        encoding="utf-8")

    with pytest.raises(DatabaseError, match="free some disk space and try again; nothing was saved"):
        import_paths(workspace, [statements])

    reopened = Store(workspace.db_path)
    assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert reopened.statements() == []


def test_glossary_terms_of_an_older_database_start_at_version_one_and_every_write_bumps_it(tmp_path: Path) -> None:
    import sqlite_utils

    from workbench.store import MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    for migrate in MIGRATIONS[:4]:
        migrate(old)
    old.execute("PRAGMA user_version = 4")
    old["glossary_terms"].insert({"term": "plunder", "kind": "concept", "treatment": "translate"})
    old.conn.commit()
    old.close()

    store = Store(path)
    (row, _), = store.glossary_rows()
    assert row["version"] == 1
    store.save_glossary_term({"term": "plunder", "kind": "concept", "treatment": "translate", "notes": "used often"}, [], row["id"])
    assert store.glossary_rows(row["id"])[0][0]["version"] == 2
    new_id = store.save_glossary_term({"term": "looting", "kind": "concept", "treatment": "translate"}, [])
    assert store.glossary_rows(new_id)[0][0]["version"] == 1


# -- redo, restore, comments in the history, provenance (issue 13) ------------------------------


def test_redo_brings_back_what_undo_took_back_and_the_two_walk_back_and_forth(store: Store) -> None:
    store.save_machine_drafts([Draft("seg0", "es", "Texto 0.", "mt:test")])
    store.save_translation("seg0", "es", "El texto 0.", "needs-review", author="ana")
    store.save_translation("seg0", "es", "El texto cero.", "translated", author="ana")

    texts = []
    for step in ("undo", "undo", "redo", "redo", "undo", "redo"):
        texts.append(getattr(store, step)("seg0", "es", author="ben")["text"])

    assert texts == ["El texto 0.", "Texto 0.", "El texto 0.", "El texto cero.", "El texto 0.", "El texto cero."]
    assert store.translation("seg0", "es")["status"] == "translated"
    with pytest.raises(StoreError, match="nothing to redo"):
        store.redo("seg0", "es", author="ben")


def test_a_new_change_after_an_undo_leaves_nothing_to_redo(store: Store) -> None:
    store.save_translation("seg0", "es", "Uno.", "translated", author="ana")
    store.save_translation("seg0", "es", "Dos.", "translated", author="ana")
    store.undo("seg0", "es", author="ana")
    store.save_translation("seg0", "es", "Tres.", "translated", author="ana")
    with pytest.raises(StoreError, match="nothing to redo"):
        store.redo("seg0", "es", author="ana")
    assert store.undo("seg0", "es", author="ana")["text"] == "Uno."


def test_redo_and_restore_based_on_a_stale_version_are_conflicts(store: Store) -> None:
    store.save_translation("seg0", "es", "Uno.", "translated", author="ana")
    store.save_translation("seg0", "es", "Dos.", "translated", author="ana")
    undone = store.undo("seg0", "es", author="ana")
    store.save_translation("seg0", "es", "Dos, de Ben.", "translated", author="ben", expected_version=undone["version"])
    with pytest.raises(ConflictError):
        store.redo("seg0", "es", author="ana", expected_version=undone["version"])
    with pytest.raises(ConflictError):
        store.restore("seg0", "es", 1, author="ana", expected_version=undone["version"])


def test_any_version_is_restored_as_a_new_version_with_its_status_origin_and_comment(store: Store) -> None:
    store.save_machine_drafts([Draft("seg1", "fr_CA", "Texte 1.", "mt:test", flags=("restored 7.000",))])
    store.save_translation("seg1", "fr_CA", "Le texte 1.", "translated", author="ana", comment="vérifier le ton")
    store.save_translation("seg1", "fr_CA", "Le texte un.", "approved", author="ben", comment="")

    machine = store.restore("seg1", "fr_CA", 1, author="ana", expected_version=3)
    assert (machine["text"], machine["status"], machine["origin"], machine["flags"], machine["version"]) == (
        "Texte 1.", "machine", "mt:test", ["restored 7.000"], 4)
    human = store.restore("seg1", "fr_CA", 2, author="ana", expected_version=4)
    assert (human["text"], human["status"], human["comment"]) == ("Le texte 1.", "translated", "vérifier le ton")
    assert [entry["action"] for entry in store.history("seg1", "fr_CA")][-2:] == ["restore", "restore"]
    assert store.undo("seg1", "fr_CA", author="ana")["text"] == "Texte 1."
    with pytest.raises(StoreError, match="no version 9"):
        store.restore("seg1", "fr_CA", 9, author="ana")


def test_every_history_entry_holds_its_versions_comment_and_undo_brings_the_comment_back(store: Store) -> None:
    store.save_translation("seg2", "id", "Teks.", "needs-review", author="ana")
    store.save_translation("seg2", "id", "Teks.", "needs-review", author="ben", comment="cek istilah", action="comment")
    store.set_status("seg2", "id", "translated", author="ana")

    assert [(entry["action"], entry["comment"]) for entry in store.history("seg2", "id")] == [
        ("edit", ""), ("comment", "cek istilah"), ("edit", "cek istilah")]
    store.undo("seg2", "id", author="ana")
    assert store.undo("seg2", "id", author="ana")["comment"] == ""
    assert store.redo("seg2", "id", author="ana")["comment"] == "cek istilah"


def test_an_older_database_gets_history_comments_from_its_translations_current_versions(tmp_path: Path) -> None:
    import sqlite_utils

    from workbench.store import MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    for migrate in MIGRATIONS[:7]:
        migrate(old)
    old.execute("PRAGMA user_version = 7")
    old["statements"].insert({"id": 1, "slug": "s", "title": "S"})
    old["segments"].insert({"id": "seg0", "statement_id": 1, "position": 0, "kind": "paragraph", "source": "Text."})
    old["translations"].insert({"segment_id": "seg0", "lang": "es", "text": "Texto.", "status": "translated",
                                "origin": "human", "author": "ana", "comment": "nota", "version": 2})
    for version, text in ((1, "Borrador."), (2, "Texto.")):
        old["history"].insert({"segment_id": "seg0", "lang": "es", "version": version, "text": text, "status": "translated",
                               "origin": "human", "author": "ana", "action": "edit", "at": "2016-01-01T00:00:00+00:00"})
    old.conn.commit()
    old.close()

    store = Store(path)
    assert [entry["comment"] for entry in store.history("seg0", "es")] == [None, "nota"]
    store.save_translation("seg0", "es", "Texto nuevo.", "translated", author="ana")
    assert store.undo("seg0", "es", author="ana")["comment"] == "nota"
    store.undo("seg0", "es", author="ana")
    assert store.translation("seg0", "es")["comment"] == "nota"  # the first version's comment was not recorded: kept


def test_memory_provenance_names_the_statement_the_volunteer_and_the_date(store: Store) -> None:
    store.save_translation("seg0", "es", "Texto 0.", "translated", author="ana")
    store.save_translation("seg1", "es", "Texto 1.", "approved", author="ben")
    found = store.memory_provenance(["seg0", "seg1", "seg2"], "es")
    assert {segment_id: (row["title"], row["author"]) for segment_id, row in found.items()} == {
        "seg0": ("S", "ana"), "seg1": ("S", "ben")}
    assert found["seg1"]["updated"] == store.translation("seg1", "es")["updated"]
