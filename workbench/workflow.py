"""The workflow rules: what status an edit gets, keep-both on a conflict, revert, progress.

These rules decide what happens to a volunteer's work, so they live in one
place that the CLI, PO import and the TUI all call; none of them re-derives a
status or a version on its own.

* An edit without an explicit confirm becomes ``needs-review`` work, except
  that editing a confirmed text keeps it ``translated`` (dropping an approval
  that was for the old wording).
* On a conflict nothing is lost: :func:`keep_both` writes the text that loses
  as a version of its own and the one that wins on top, so the history holds
  both and undo walks back to the other.
* Revert restores the latest machine draft of any kind, from the history.
* Undo and redo walk a translation's history back and forth; restoring any
  version brings it back as it was, as a new version, so it is undone too.
* A conflict a sync kept (both texts, one current and back to review) is
  settled by choosing: the text kept counts as translated again.
* A comment is written with the text it is about, as a version of its own; a
  comment a teammate changed meanwhile is kept as :func:`keep_both` keeps texts.
* A machine alternative the volunteer picks stays ``machine`` work with its
  engine as origin (and its sentences' confidence) until they edit it.
* Progress counts ``translated`` and ``approved`` as done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.store import HUMAN_STATUSES, REVIEWED_STATUSES, DraftSentence, Store, StoreError, is_machine_draft, replay_history


class NoMachineDraftError(StoreError):
    """Revert was asked for a translation that never had a machine draft."""


# -- statuses ------------------------------------------------------------------------------------


def edited_status(previous: str, text: str) -> str:
    """The status a volunteer's edit gets without an explicit confirm.

    Typing over a machine draft makes it human work awaiting review; editing a
    confirmed or approved text keeps it confirmed but drops the approval, which
    was for the old wording. Emptying a translation makes it untranslated.
    """
    if not text.strip():
        return "untranslated"
    if previous in REVIEWED_STATUSES:
        return "translated"
    return "needs-review"


def imported_status(*, fuzzy: bool, source_changed: bool) -> str:
    """The status of a translation taken from an edited PO file.

    A fuzzy entry, or one translated against a source that has changed since,
    still needs a reviewer; any other entry counts as the translator's confirmed work.
    """
    return "needs-review" if fuzzy or source_changed else "translated"


def is_reviewed(status: str) -> bool:
    """Whether a status counts as done (confirmed or approved)."""
    return status in REVIEWED_STATUSES


# -- conflicts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One text of a translation with what goes with it, as :func:`keep_both` writes it."""

    text: str
    status: str
    origin: str
    author: str
    comment: str | None = None


def keep_both(store: Store, segment_id: str, lang: str, *, winner: Version, loser: Version, expected_version: int) -> dict[str, Any]:
    """Settle a conflict without losing either text; returns the row now current.

    ``loser`` is written first, as a version of its own, and ``winner`` on top
    of it, in one transaction based on ``expected_version``. The history then
    holds both, and one undo brings the loser back.
    """
    with store.transaction():
        store.save_translation(segment_id, lang, loser.text, loser.status, author=loser.author,
                               origin=loser.origin, expected_version=expected_version, comment=loser.comment)
        return store.save_translation(segment_id, lang, winner.text, winner.status, author=winner.author,
                                      origin=winner.origin, expected_version=expected_version + 1, comment=winner.comment)


def merged_conflict_status(status: str) -> str:
    """The status of the text that stays current when a merge of teammates' work found another text for it.

    Two volunteers translated the paragraph differently and nobody has
    chosen yet, so a volunteer's text goes back to review, where the team looks.
    """
    return "needs-review" if status in HUMAN_STATUSES else status


def chosen_over_teammate_status(status: str) -> str:
    """The status of the text a volunteer keeps after weighing a teammate's other text for it (a conflict a sync kept).

    Seeing both and choosing is the confirmation the merge sent the text back
    to review for, so a volunteer's text counts as translated again.
    """
    return "translated" if status in HUMAN_STATUSES else status


# -- revert ------------------------------------------------------------------------------------


def latest_machine_draft(history: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The newest entry of a translation's history that a machine wrote, of any kind.

    That is a draft written by drafting (clean or flagged for review), or a
    ``machine`` text a volunteer restored earlier.
    """
    for entry in reversed(history):
        if entry["action"] == "draft" or is_machine_draft(entry):
            return entry
    return None


def machine_draft_for(store: Store, segment_id: str, lang: str) -> Mapping[str, Any]:
    """The draft that revert restores, or :class:`NoMachineDraftError` with what to do."""
    draft = latest_machine_draft(store.history(segment_id, lang))
    if draft is None:
        raise NoMachineDraftError(f"segment {segment_id} ({lang}) has no machine draft yet: draft it first ('workbench translate' or f5)")
    return draft


# -- history: undo, redo, restore -----------------------------------------------------------------


class NothingToRestoreError(StoreError):
    """Restore was asked for the version the translation already holds."""


def same_state(entry: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """Whether a history entry reads as the translation does now: the same text, status and comment."""
    return (entry["text"], entry["status"]) == (current["text"], current["status"]) and (
        entry.get("comment") is None or (entry["comment"] or "") == (current.get("comment") or ""))


def restore_version(store: Store, segment_id: str, lang: str, version: int, *, author: str, expected_version: int) -> dict[str, Any]:
    """Bring back an earlier version as a new one, as it was: text, status, origin, flags and comment.

    Restoring is undoing the changes since in one step, so nothing is re-judged:
    a restored machine draft is machine work again (reviewed as any draft is),
    a restored approval is approved again. The text it replaces stays in the
    history, and undo takes the restore back. Restoring what the translation
    holds now would add a version that changes nothing: it is refused in words.
    """
    with store.transaction():
        current = store.translation(segment_id, lang)
        entry = next((entry for entry in store.history(segment_id, lang) if entry["version"] == version), None)
        if entry is not None and current["version"] == expected_version and same_state(entry, current):
            raise NothingToRestoreError(f"version {version} reads as the translation does now: nothing to restore")
        return store.restore(segment_id, lang, version, author=author, expected_version=expected_version)


def can_undo_redo(history: Sequence[Mapping[str, Any]]) -> tuple[bool, bool]:
    """Whether undo and redo have something to do, from a translation's history (oldest first)."""
    in_effect, undone = replay_history([dict(entry) for entry in history])
    return bool(in_effect), bool(undone)


# -- comments ----------------------------------------------------------------------------------


def save_comment(store: Store, segment_id: str, lang: str, comment: str, *, author: str, expected_version: int) -> dict[str, Any]:
    """Write a translation's comment, based on the version the volunteer saw; returns the row now current.

    The text, status, origin, flags and sentences stay as saved, so a comment
    on a machine draft leaves it a machine draft. A teammate's change of the
    text meanwhile is no conflict: the comment goes on top of it. A teammate's
    change of the comment is: both are kept as :func:`keep_both` keeps texts,
    theirs current and this one in the history, where restoring brings it back.
    """
    with store.transaction():
        current = store.translation(segment_id, lang)
        theirs = current.get("comment") or ""
        if theirs == comment:
            return current
        if current["version"] != expected_version:
            seen = next((entry for entry in store.history(segment_id, lang) if entry["version"] == expected_version), None)
            seen_comment = "" if expected_version == 0 else (seen or {}).get("comment")
            if seen_comment is None or (seen_comment or "") != theirs:
                _write_comment(store, current, comment, author=author)
                return _write_comment(store, store.translation(segment_id, lang), theirs, author=current["author"] or author)
        return _write_comment(store, current, comment, author=author)


def _write_comment(store: Store, current: Mapping[str, Any], comment: str, *, author: str) -> dict[str, Any]:
    """``current`` again with another comment, as a version of its own (caller holds the transaction)."""
    return store.save_translation(
        current["segment_id"], current["lang"], current["text"], current["status"], author=author,
        origin=current["origin"] or "human", expected_version=current["version"], comment=comment,
        flags=current["flags"], sentences=[DraftSentence(**sentence) for sentence in current["sentences"]], action="comment",
    )


# -- machine alternatives ----------------------------------------------------------------------


def choose_machine_text(store: Store, segment_id: str, lang: str, *, text: str, origin: str, author: str,
                        expected_version: int, flags: Sequence[str] = (), sentences: Sequence[DraftSentence] = ()) -> dict[str, Any]:
    """Save a machine rendering a volunteer picked (an alternative): still ``machine``, still the engine's.

    Picking is not translating: the text keeps its MT origin, flags and
    confidence, so it is reviewed as any draft is; the volunteer's next edit
    makes it their work (:func:`edited_status`). The history names who picked it.
    """
    return store.save_translation(segment_id, lang, text, "machine", author=author, origin=origin,
                                  expected_version=expected_version, flags=flags, sentences=sentences)


# -- where a text came from --------------------------------------------------------------------


def origin_kind(origin: str | None) -> str:
    """A translation's origin as ``show --json`` and the TUI name it: ``human``, ``mt:<engine>/<pair>/<version>``,
    ``tm``, ``po`` or ``copy`` (the source was already in the target language)."""
    if not origin:
        return "human"
    if origin.startswith("tm:"):
        return "tm"
    return origin


# -- progress ----------------------------------------------------------------------------------


def done_percent(counts: Mapping[str, int]) -> int:
    """Share of segments confirmed or approved, rounded down, from status counts."""
    total = sum(counts.values())
    return (100 * sum(counts.get(status, 0) for status in REVIEWED_STATUSES) // total) if total else 0
