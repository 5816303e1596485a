"""The workflow rules every shell shares: edit status, keep-both, revert, progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.store import Draft, Store
from workbench.workflow import (
    NoMachineDraftError,
    Version,
    done_percent,
    edited_status,
    imported_status,
    keep_both,
    latest_machine_draft,
    machine_draft_for,
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "ws.db")
    statement_id = store.save_statement({"slug": "s", "title": "S"})
    store.insert_segments([{"id": "s1p0", "statement_id": statement_id, "position": 0, "kind": "paragraph", "source": "Hello."}])
    return store


@pytest.mark.parametrize(
    ("previous", "text", "expected"),
    [
        ("untranslated", "Hola.", "needs-review"),
        ("machine", "Hola.", "needs-review"),
        ("needs-review", "Hola.", "needs-review"),
        ("translated", "Hola.", "translated"),
        ("approved", "Hola.", "translated"),
        ("approved", "  ", "untranslated"),
    ],
)
def test_an_edit_without_a_confirm_gets_the_status_of_its_kind(previous: str, text: str, expected: str) -> None:
    assert edited_status(previous, text) == expected


def test_a_fuzzy_or_outdated_po_entry_needs_review_and_any_other_counts_as_translated() -> None:
    assert imported_status(fuzzy=True, source_changed=False) == "needs-review"
    assert imported_status(fuzzy=False, source_changed=True) == "needs-review"
    assert imported_status(fuzzy=False, source_changed=False) == "translated"


def test_keep_both_writes_the_loser_then_the_winner_so_undo_brings_the_loser_back(store: Store) -> None:
    store.save_translation("s1p0", "es", "Texto de Ana", "translated", author="ana")

    row = keep_both(store, "s1p0", "es", expected_version=1,
                    winner=Version("Texto de Ana", "translated", "human", "ana"),
                    loser=Version("Mi texto", "needs-review", "human", "ben"))

    assert (row["text"], row["status"], row["version"], row["author"]) == ("Texto de Ana", "translated", 3, "ana")
    assert [entry["text"] for entry in store.history("s1p0", "es")] == ["Texto de Ana", "Mi texto", "Texto de Ana"]
    undone = store.undo("s1p0", "es", author="ben")
    assert (undone["text"], undone["status"]) == ("Mi texto", "needs-review")


def test_keep_both_on_a_stale_version_writes_nothing(store: Store) -> None:
    from workbench.store import ConflictError

    store.save_translation("s1p0", "es", "Uno", "translated", author="ana")
    store.save_translation("s1p0", "es", "Dos", "translated", author="ana")

    with pytest.raises(ConflictError):
        keep_both(store, "s1p0", "es", expected_version=1,
                  winner=Version("Uno", "translated", "human", "ana"), loser=Version("Tres", "needs-review", "human", "ben"))

    assert [entry["text"] for entry in store.history("s1p0", "es")] == ["Uno", "Dos"]


def test_revert_finds_the_latest_machine_draft_of_any_kind(store: Store) -> None:
    store.save_machine_drafts([Draft("s1p0", "es", "Hola (borrador).", "mt:argos/en-es", status="needs-review")])
    store.save_translation("s1p0", "es", "Hola.", "translated", author="ana", expected_version=1)

    draft = machine_draft_for(store, "s1p0", "es")

    assert (draft["text"], draft["status"]) == ("Hola (borrador).", "needs-review")
    assert latest_machine_draft([]) is None


def test_revert_without_any_machine_draft_says_what_to_do(store: Store) -> None:
    store.save_translation("s1p0", "es", "Hola.", "translated", author="ana")

    with pytest.raises(NoMachineDraftError, match="draft it first"):
        machine_draft_for(store, "s1p0", "es")


def test_progress_counts_confirmed_and_approved_as_done() -> None:
    assert done_percent({"untranslated": 1, "machine": 1, "needs-review": 1, "translated": 2, "approved": 1}) == 50
    assert done_percent({}) == 0
