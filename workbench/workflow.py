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
* A machine alternative the volunteer picks stays ``machine`` work with its
  engine as origin (and its sentences' confidence) until they edit it.
* Progress counts ``translated`` and ``approved`` as done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.store import HUMAN_STATUSES, REVIEWED_STATUSES, DraftSentence, Store, StoreError, is_machine_draft


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
