"""Three-way merges of the shared files, entry by entry and term by term: what git's merge drivers run.

git merges text line by line, which for a PO file or a TBX glossary means
``<<<<<<<`` markers whenever two volunteers touch neighbouring lines, and a
file no tool reads until someone edits them out. ``.gitattributes`` sends
``*.po`` to ``workbench merge-po %O %A %B`` and ``*.tbx`` to ``workbench
merge-tbx %O %A %B`` instead (git's base, ours and theirs), and these merge by
meaning, with the rules of ``import-po``:

* an entry (by msgctxt) changed on one side takes that side's change, so
  different entries merge silently, and different languages of one paragraph
  never meet (they are different files);
* an entry whose translation both sides changed, to different texts, is a
  conflict: ours stays in msgstr as it was, and theirs travels beside it as a
  ``#. workbench-conflict:`` note (:class:`~workbench.formats.po.KeptConflict`),
  which Poedit and Weblate show the translator. ``workbench sync`` imports the
  note as a conflict kept both ways (theirs in the history, for undo and the
  TUI; ours current, back to review), then exports the file again without it;
* a text emptied on one side never wins over the other side's text, as
  ``import-po`` never lets a file empty a translation;
* translator comments changed both ways are joined, each side's lines once.

The glossary merges term by term (by English text), field by field. Lists
(forms, variants, forbidden renderings, patterns) take both sides' additions
and removals; a preferred rendering changed both ways keeps ours and accepts
theirs as a variant, unverified until a native speaker chooses; other fields
changed both ways keep ours. Every term conflict is said in the term's notes,
on a ``workbench-conflict:`` line the glossary screen shows until someone
deletes it. A term deleted on one side and changed on the other is kept.

Nothing here knows git: each function takes three files or three states and
returns the merge, so the drivers and ``sync``'s own import share the rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import polib

from workbench.formats.common import write_atomic
from workbench.formats.glossary_tbx import read_tbx, write_tbx
from workbench.formats.po import CONFLICT_NOTE, KeptConflict, kept_conflicts
from workbench.glossary import GlossaryError, Rendering, Term
from workbench.languages import TARGET_LOCALES

T = TypeVar("T")
TERM_CONFLICT = CONFLICT_NOTE
"""How a term's notes say what a merge kept of the other side (the words a PO file's note starts with); the volunteer who settles it deletes the line."""
UNLIMITED = 1 << 62
"""A byte limit no glossary reaches: a merge must read whatever the team committed, however large."""


class MergeError(Exception):
    """A file a merge driver cannot read; git then reports it as conflicted, and ``sync`` undoes the merge."""


@dataclass(frozen=True)
class MergeOutcome:
    """What a driver did to the file git keeps (ours)."""

    changed: bool
    """Whether ours was rewritten (False: theirs brought nothing ours lacks)."""
    conflicts: int
    """Entries or terms changed both ways, kept both ways."""


def three_way(base: T, ours: T, theirs: T) -> tuple[T, bool]:
    """The merged value and whether both sides changed it to different values (then ours, and True)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def merged_list(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """A list merged item by item: what either side added is in, what either side removed is out; ours' order first."""
    removed = {item for item in base if item not in ours or item not in theirs}
    kept = [item for item in ours if item not in removed]
    return kept + [item for item in theirs if item not in removed and item not in kept]


def joined_text(ours: str, theirs: str) -> str:
    """Two versions of a free text kept both: ours, then the lines of theirs that ours lacks."""
    lines = ours.split("\n") if ours else []
    return "\n".join(lines + [line for line in theirs.split("\n") if line and line not in lines])


# -- PO files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Translation:
    """What a volunteer changes in an entry, compared as one: the text (and plural forms) with its fuzzy flag."""

    text: str
    plurals: tuple[tuple[int, str], ...]
    fuzzy: bool

    @property
    def empty(self) -> bool:
        return not self.text and not any(form for _, form in self.plurals)

    def shown(self) -> str:
        """The text a conflict note carries: the plural forms one per line, for the entries workbench never writes itself."""
        return "\n".join(form for _, form in self.plurals) if self.plurals else self.text


@dataclass(frozen=True)
class _PoEntry:
    """One entry split into what merges separately: the translation, the comment, the kept conflicts, and the rest.

    The rest (msgid, the exporter's ``#.`` notes, references, other flags,
    previous msgid) is written by the export from the database, so it is
    merged as a whole, ours winning when both changed it.
    """

    translation: _Translation
    comment: str
    notes: tuple[str, ...]
    derived: tuple[Any, ...]


_NO_ENTRY = _PoEntry(_Translation("", (), False), "", (), ())
"""The base of an entry both sides added: nothing, so any text either side wrote is a change."""


def _po_entry(entry: polib.POEntry) -> _PoEntry:
    extracted = (entry.comment or "").split("\n") if entry.comment else []
    notes = tuple(line for line in extracted if line.startswith(CONFLICT_NOTE))
    translation = _Translation(entry.msgstr, tuple(sorted(entry.msgstr_plural.items())), "fuzzy" in entry.flags)
    derived = (entry.msgctxt, entry.msgid, entry.msgid_plural, tuple(line for line in extracted if not line.startswith(CONFLICT_NOTE)),
               tuple(tuple(occurrence) for occurrence in entry.occurrences), tuple(flag for flag in entry.flags if flag != "fuzzy"),
               entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural)
    return _PoEntry(translation, entry.tcomment or "", notes, derived)


def _po_entry_out(state: _PoEntry) -> polib.POEntry:
    msgctxt, msgid, msgid_plural, extracted, occurrences, flags, previous_msgctxt, previous_msgid, previous_msgid_plural = state.derived
    return polib.POEntry(
        msgctxt=msgctxt, msgid=msgid, msgid_plural=msgid_plural, msgstr=state.translation.text,
        msgstr_plural=dict(state.translation.plurals), comment="\n".join([*extracted, *state.notes]), tcomment=state.comment,
        occurrences=list(occurrences), flags=[*(["fuzzy"] if state.translation.fuzzy else []), *flags],
        previous_msgctxt=previous_msgctxt, previous_msgid=previous_msgid, previous_msgid_plural=previous_msgid_plural,
    )


def _merge_po_entry(base: _PoEntry | None, ours: _PoEntry | None, theirs: _PoEntry | None, their_author: str) -> tuple[_PoEntry | None, bool]:
    """One entry merged, and whether its translation was changed both ways (then both are kept)."""
    if ours is None or theirs is None:
        present = ours if theirs is None else theirs
        if present is None or present == base:
            return None, False  # deleted on one side and left alone on the other (or deleted on both)
        return present, False  # added, or changed where the other side deleted it: a change is never dropped
    base = base or replace(_NO_ENTRY, derived=ours.derived)
    translation, conflict = _merged_translation(base.translation, ours.translation, theirs.translation)
    derived, _ = three_way(base.derived, ours.derived, theirs.derived)
    comment, both = three_way(base.comment, ours.comment, theirs.comment)
    if both:
        comment = joined_text(ours.comment, theirs.comment)
    notes = merged_list(base.notes, ours.notes, theirs.notes)
    if conflict:
        notes.append(KeptConflict(theirs.translation.shown(), theirs.translation.fuzzy, their_author).note())
    notes = [note for note in dict.fromkeys(notes) if all(kept.text != translation.shown() for kept in kept_conflicts(note))]
    return _PoEntry(translation, comment, tuple(notes), derived), conflict


def _merged_translation(base: _Translation, ours: _Translation, theirs: _Translation) -> tuple[_Translation, bool]:
    """The translation merged by import-po's rules; True when ours stays and theirs must be kept beside it.

    Ours stays exactly as it was, fuzzy flag included, so that importing the
    merge sees no change in it, whatever the database did since; only the note
    says there is something to settle.
    """
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return (ours, False) if theirs.empty and not base.empty else (theirs, False)
    if (ours.text, ours.plurals) == (theirs.text, theirs.plurals):
        return replace(ours, fuzzy=ours.fuzzy or theirs.fuzzy), False  # the same words; a review either side asked for stays
    if theirs.empty:
        return ours, False
    if ours.empty:
        return theirs, False
    return ours, True


def _read_po(path: Path) -> polib.POFile:
    """A PO file as polib reads it, unwrapped as workbench writes it; an empty file (git's base of two additions) is empty."""
    try:
        if path.stat().st_size == 0:
            return polib.POFile(wrapwidth=0)
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise MergeError(f"{path}: not a PO file workbench can merge ({error})") from None


def _key(entry: polib.POEntry) -> tuple[str, str]:
    """Entries are matched by msgctxt (the segment id), or by msgid where a file has none."""
    return ("msgctxt", entry.msgctxt) if entry.msgctxt is not None else ("msgid", entry.msgid)


def merge_po_files(base: Path, ours: Path, theirs: Path) -> MergeOutcome:
    """Merge three versions of a PO file entry by entry, writing the result over ``ours`` (what git keeps).

    Ours is left byte for byte as it is when theirs brings nothing new.
    """
    files = [_read_po(path) for path in (base, ours, theirs)]
    entries = [{_key(entry): _po_entry(entry) for entry in po if not entry.obsolete} for po in files]
    base_entries, our_entries, their_entries = entries
    their_author = files[2].metadata.get("Last-Translator", "").strip()
    merged: dict[tuple[str, str], _PoEntry] = {}
    conflicts = 0
    for key in _merged_order(list(our_entries), list(their_entries)):
        entry, conflict = _merge_po_entry(base_entries.get(key), our_entries.get(key), their_entries.get(key), their_author)
        conflicts += conflict
        if entry is not None:
            merged[key] = entry
    result = polib.POFile(wrapwidth=0, encoding=files[1].encoding)
    result.header, _ = three_way(files[0].header, files[1].header, files[2].header)
    result.metadata = _merged_header(files[0].metadata, files[1].metadata, files[2].metadata)
    result.metadata_is_fuzzy = files[1].metadata_is_fuzzy
    result.extend(_po_entry_out(entry) for entry in merged.values())
    result.extend(entry for entry in files[1] if entry.obsolete)
    text = result.__unicode__()
    if text == files[1].__unicode__():
        return MergeOutcome(False, conflicts)
    try:
        ours.write_bytes(text.encode(result.encoding))
    except (LookupError, UnicodeEncodeError) as error:
        raise MergeError(f"{ours}: the merged file does not fit its charset {result.encoding} ({error}): save it as UTF-8") from None
    return MergeOutcome(True, conflicts)


def _merged_order(ours: list[T], theirs: list[T]) -> list[T]:
    """Ours' order, each item only theirs have placed after the item theirs have before it."""
    order = list(ours)
    placed = set(ours)
    for index, item in enumerate(theirs):
        if item in placed:
            continue
        before = next((theirs[j] for j in range(index - 1, -1, -1) if theirs[j] in placed), None)
        order.insert(order.index(before) + 1 if before is not None else 0, item)
        placed.add(item)
    return order


def _merged_header(base: dict[str, str], ours: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """Header fields merged one by one; changed both ways: the later revision date, theirs' translator, else ours.

    ``Last-Translator`` takes theirs because the merge brings theirs' changes
    in: the import credits what came in to that name.
    """
    merged: dict[str, str] = {}
    for key in _merged_order(list(ours), list(theirs)):
        value, both = three_way(base.get(key), ours.get(key), theirs.get(key))
        if both and key == "PO-Revision-Date":
            value = max(ours[key], theirs[key]) if key in ours and key in theirs else ours.get(key)
        elif both and key == "Last-Translator":
            value = theirs.get(key)
        if value is not None:
            merged[key] = value
    return merged


# -- the glossary ------------------------------------------------------------------------


TERM_FIELDS = ("english_forms", "kind", "treatment", "notes", "case_sensitive")
RENDERING_FIELDS = ("preferred", "variants", "forbidden", "patterns", "verified")
LIST_FIELDS = frozenset({"english_forms", "variants", "forbidden", "patterns"})
FieldKey = tuple[str, str | None]
"""A field of a term (name, None) or of its rendering in a locale (name, locale)."""


def term_state(term: Term) -> dict[str, Any]:
    """What a term holds, without its id and version (which differ from one workspace to the next)."""
    state = term.to_dict()
    del state["id"]
    return state


def _fields(term: Term | None, locales: Iterable[str]) -> dict[FieldKey, Any]:
    """A term's fields, and its renderings' per locale (an absent rendering reads as empty); no term at all reads as nothing set."""
    if term is None:
        return {(name, None): [] if name in LIST_FIELDS else None for name in TERM_FIELDS} | {
            (name, locale): [] if name in LIST_FIELDS else None for locale in locales for name in RENDERING_FIELDS}
    values: dict[FieldKey, Any] = {(name, None): getattr(term, name) for name in TERM_FIELDS}
    for locale in locales:
        rendering = term.renderings.get(locale) or Rendering("")
        values |= {(name, locale): getattr(rendering, name) for name in RENDERING_FIELDS}
    return values


def merge_term(base: Term | None, ours: Term | None, theirs: Term | None) -> tuple[Term | None, bool]:
    """One term (the same English text on every side) merged, and whether it was changed both ways."""
    states = [term_state(term) if term is not None else None for term in (base, ours, theirs)]
    if ours is None or theirs is None:
        present = ours if theirs is None else theirs
        if present is None or term_state(present) == states[0]:
            return None, False  # deleted on one side and left alone on the other (or deleted on both)
        if base is None:
            return present, False  # added on one side
        said = TERM_CONFLICT + "deleted by one volunteer and changed by another: kept, delete it again if it must go"
        return replace(present, notes=joined_text(present.notes, said)), True
    if not three_way(states[0], states[1], states[2])[1]:
        return (theirs if states[1] == states[0] and states[2] != states[0] else ours), False
    locales = sorted({*ours.renderings, *theirs.renderings, *(base.renderings if base else ())})
    base_fields, our_fields, their_fields = (_fields(term, locales) for term in (base, ours, theirs))
    merged: dict[FieldKey, Any] = {}
    said: list[str] = []
    set_aside: dict[str, str] = {}
    for key in our_fields:
        name, locale = key
        value, conflict = three_way(base_fields[key], our_fields[key], their_fields[key])
        if conflict:
            value, note = _settled(name, locale, base_fields[key], our_fields[key], their_fields[key])
            said += [note] if note else []
            if name == "preferred" and locale is not None and their_fields[key]:
                set_aside[locale] = their_fields[key]
        merged[key] = value
    for locale, rendering in set_aside.items():  # theirs' preferred rendering is still accepted: a variant, to be checked
        merged["variants", locale] = merged_list([], merged["variants", locale], [rendering])
        merged["verified", locale] = False
    term = _term_of(ours, merged, locales)
    if said:
        term.notes = joined_text(term.notes, TERM_CONFLICT + "; ".join(said))
    return term, bool(said)


def _settled(name: str, locale: str | None, base: Any, ours: Any, theirs: Any) -> tuple[Any, str]:
    """A field changed both ways: its value, and what the term's notes must say (nothing when the value keeps both)."""
    if name in LIST_FIELDS:
        return merged_list(base, ours, theirs), ""
    if name == "notes":
        return joined_text(ours, theirs), ""
    if name == "verified":
        return False, ""
    label = f"{locale} {name}" if locale else name
    if name == "preferred":
        return ours, f"{label}: the other side's {json.dumps(theirs, ensure_ascii=False)} is kept as a variant" if theirs else ""
    return ours, f"{label}: the other side had {json.dumps(theirs, ensure_ascii=False)}"


def _term_of(ours: Term, fields: dict[FieldKey, Any], locales: Iterable[str]) -> Term:
    """A term from merged fields; a rendering whose texts are all empty is no rendering."""
    term = Term(id=ours.id, term=ours.term, version=ours.version, **{name: fields[name, None] for name in TERM_FIELDS})
    for locale in locales:
        values = {name: fields[name, locale] for name in RENDERING_FIELDS}
        if any(values[name] for name in ("preferred", "variants", "forbidden", "patterns")):
            if not values["preferred"] and values["variants"] and not term.is_keep:  # a rendering needs a preferred text
                values["preferred"], values["variants"] = values["variants"][0], values["variants"][1:]
            term.renderings[locale] = Rendering(**values)
    return term


def merge_glossaries(base: Iterable[Term], ours: Iterable[Term], theirs: Iterable[Term]) -> tuple[list[Term], list[str]]:
    """Three glossaries merged term by term; returns the terms (ours' order, then theirs' new ones) and the terms in conflict."""
    by_side = [{term.term: term for term in side} for side in (base, ours, theirs)]
    merged: list[Term] = []
    conflicts: list[str] = []
    for name in _merged_order(list(by_side[1]), list(by_side[2])):
        term, conflict = merge_term(by_side[0].get(name), by_side[1].get(name), by_side[2].get(name))
        if conflict:
            conflicts.append(name)
        if term is not None:
            merged.append(term)
    return merged, conflicts


def _read_tbx(path: Path, locales: list[str]) -> list[Term]:
    if path.stat().st_size == 0:
        return []
    try:
        terms, _ = read_tbx(path, locales, max_bytes=UNLIMITED)
    except GlossaryError as error:
        raise MergeError(f"not a glossary workbench can merge: {error}") from None
    return terms


def merge_tbx_files(base: Path, ours: Path, theirs: Path, locales: Sequence[str] = TARGET_LOCALES) -> MergeOutcome:
    """Merge three versions of a TBX glossary term by term, writing the result over ``ours`` (sorted, as workbench writes it).

    Ours is left byte for byte as it is when theirs brings nothing new.
    """
    sides = [_read_tbx(path, list(locales)) for path in (base, ours, theirs)]
    merged, conflicts = merge_glossaries(*sides)
    if [term_state(term) for term in merged] == [term_state(term) for term in sides[1]]:
        return MergeOutcome(False, len(conflicts))
    present = {locale for term in merged for locale in term.renderings}
    write_atomic(ours, write_tbx(sorted(merged, key=glossary_order), [locale for locale in locales if locale in present]))
    return MergeOutcome(True, len(conflicts))


def glossary_order(term: Term) -> tuple[str, str]:
    """The order workbench writes a glossary in (as ``glossary export`` does), so a file changes only where a term did."""
    return (term.term.casefold(), term.term)
