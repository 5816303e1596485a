"""Reading and editing the glossary through the store.

The store keeps terms as rows (:mod:`workbench.store.glossary`); these
functions turn them into :class:`~workbench.glossary.model.Term` records and
back, validating every term before it is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.glossary.model import (
    FieldConflict,
    FieldValue,
    GlossaryError,
    ImportReport,
    Rendering,
    Term,
    TermConflictError,
    default_case_sensitive,
    validate_term,
)
from workbench.store import DatabaseError, Store, StoreError


def _term_from_rows(row: Mapping[str, Any], renderings: Iterable[Mapping[str, Any]]) -> Term:
    return Term(
        id=row["id"], term=row["term"], english_forms=json.loads(row["english_forms"] or "[]"),
        kind=row["kind"], treatment=row["treatment"], notes=row["notes"] or "",
        case_sensitive=bool(row["case_sensitive"]), version=row["version"],
        renderings={
            r["locale"]: Rendering(
                preferred=r["preferred"] or "", variants=json.loads(r["variants"] or "[]"),
                forbidden=json.loads(r["forbidden"] or "[]"), patterns=json.loads(r["patterns"] or "[]"),
                verified=bool(r["verified"]),
            )
            for r in renderings
        },
    )


def list_terms(store: Store) -> list[Term]:
    """Every term, in id order, with its renderings."""
    return [_term_from_rows(row, renderings) for row, renderings in store.glossary_rows()]


def get_term(store: Store, key: int | str) -> Term:
    """A term by id, or by its exact English text (as scripts know it)."""
    term_id = int(key) if isinstance(key, int) or str(key).isdigit() else store.glossary_term_id(str(key))
    found = store.glossary_rows(term_id) if term_id is not None else []
    if not found:
        raise GlossaryError(f"no glossary term {key!r}: run 'workbench glossary list' to see the ids")
    row, renderings = found[0]
    return _term_from_rows(row, renderings)


def _write_term(store: Store, term: Term, term_id: int | None) -> int:
    """Insert or replace a term and all its renderings."""
    record = {
        "term": term.term.strip(), "english_forms": json.dumps(term.english_forms, ensure_ascii=False),
        "kind": term.kind or "concept", "treatment": term.treatment, "notes": term.notes or "",
        "case_sensitive": int(term.case_sensitive),
    }
    renderings = [
        {"locale": locale, "preferred": r.preferred,
         "variants": json.dumps(r.variants, ensure_ascii=False), "forbidden": json.dumps(r.forbidden, ensure_ascii=False),
         "patterns": json.dumps(r.patterns, ensure_ascii=False), "verified": int(r.verified)}
        for locale, r in sorted(term.renderings.items())
    ]
    try:
        return store.save_glossary_term(record, renderings, term_id)
    except StoreError as error:
        if isinstance(error, DatabaseError):
            raise
        raise GlossaryError(str(error)) from None


def add_term(
    store: Store,
    term: str,
    *,
    english_forms: Iterable[str] = (),
    kind: str = "concept",
    treatment: str = "translate",
    renderings: Mapping[str, Rendering] | None = None,
    notes: str = "",
    case_sensitive: bool | None = None,
) -> Term:
    """Add a term; a term that already exists is refused (edit it instead)."""
    new = Term(
        id=0, term=term.strip(), english_forms=[f.strip() for f in english_forms if f.strip()], kind=kind,
        treatment=treatment, renderings=dict(renderings or {}), notes=notes,
        case_sensitive=default_case_sensitive(treatment) if case_sensitive is None else case_sensitive,
    )
    validate_term(new)
    with store.transaction():
        term_id = _write_term(store, new, None)
    return get_term(store, term_id)


RenderingChanges = Mapping[str, Rendering | None]
"""Renderings that change, by locale: a new rendering replaces, ``None`` removes."""


def edit_term(
    store: Store,
    term_id: int | str,
    *,
    term: str | None = None,
    english_forms: Iterable[str] | None = None,
    kind: str | None = None,
    treatment: str | None = None,
    renderings: RenderingChanges | Callable[[Mapping[str, Rendering]], RenderingChanges] | None = None,
    notes: str | None = None,
    case_sensitive: bool | None = None,
) -> Term:
    """Change the given fields; a rendering mapped to ``None`` is removed, others replace.

    The term is read, changed and written in one write transaction, so edits
    made at the same time by other processes are never overwritten: each one
    applies to the term as the previous one left it. ``renderings`` may be a
    function of the term's renderings as they are then (see
    :func:`changed_renderings`), for changes such as "add this variant".
    """
    with store.transaction():
        current = get_term(store, term_id)
        if term is not None:
            current.term = term.strip()
        if english_forms is not None:
            current.english_forms = [f.strip() for f in english_forms if f.strip()]
        if kind is not None:
            current.kind = kind
        if treatment is not None:
            current.treatment = treatment
        if notes is not None:
            current.notes = notes
        if case_sensitive is not None:
            current.case_sensitive = case_sensitive
        changes = renderings(current.renderings) if callable(renderings) else renderings
        for locale, rendering in (changes or {}).items():
            if rendering is None:
                current.renderings.pop(locale, None)
            else:
                current.renderings[locale] = rendering
        validate_term(current)
        _write_term(store, current, current.id)
    return get_term(store, current.id)


def changed_renderings(
    current: Mapping[str, Rendering],
    *,
    preferred: Mapping[str, str] | None = None,
    variants: Mapping[str, list[str]] | None = None,
    forbidden: Mapping[str, list[str]] | None = None,
    patterns: Mapping[str, list[str]] | None = None,
    verified: Mapping[str, bool] | None = None,
    add_variants: Mapping[str, list[str]] | None = None,
    add_forbidden: Mapping[str, list[str]] | None = None,
    add_patterns: Mapping[str, list[str]] | None = None,
    drop: Iterable[str] = (),
) -> dict[str, Rendering | None]:
    """Field-by-field changes to renderings, as ``add``/``edit`` options give them.

    Returns only the locales that change, in the form :func:`edit_term` takes
    (``None`` removes a rendering), so a script can set one variant list
    without restating the preferred rendering. ``variants`` and the like set
    a list; ``add_variants`` and the like append to it.
    """
    changes: dict[str, Rendering | None] = {locale: None for locale in drop}
    setting, adding = (variants or {}, forbidden or {}, patterns or {}), (add_variants or {}, add_forbidden or {}, add_patterns or {})
    touched = set(preferred or {}) | set(verified or {}) | {locale for part in (*setting, *adding) for locale in part}
    for locale in touched:
        old = current.get(locale) or Rendering("")
        lists = [
            [*set_to.get(locale, old_list), *added.get(locale, [])]
            for set_to, added, old_list in zip(setting, adding, (old.variants, old.forbidden, old.patterns), strict=True)
        ]
        changes[locale] = Rendering(
            preferred=(preferred or {}).get(locale, old.preferred),
            variants=lists[0], forbidden=lists[1], patterns=lists[2],
            verified=(verified or {}).get(locale, old.verified),
        )
    return changes


TERM_FIELDS = ("term", "english_forms", "kind", "treatment", "notes", "case_sensitive")
RENDERING_FIELDS = ("preferred", "variants", "forbidden", "patterns", "verified")
FieldKey = tuple[str, str | None]
"""A field of a term (name, None) or of its rendering in a locale (name, locale)."""


def _field_values(term: Term, renderings: Mapping[str, Rendering | None]) -> dict[FieldKey, FieldValue]:
    """The term's fields, and those of ``renderings`` (an absent rendering reads as empty and verified)."""
    values: dict[FieldKey, FieldValue] = {(name, None): getattr(term, name) for name in TERM_FIELDS}
    for locale, rendering in renderings.items():
        shown = rendering or Rendering("")
        values |= {(name, locale): getattr(shown, name) for name in RENDERING_FIELDS}
    return values


@dataclass
class _FieldEdit:
    """An edit of a term, field by field, beside the term as it was loaded (base) and as it is now (theirs)."""

    base: dict[FieldKey, FieldValue]
    mine: dict[FieldKey, FieldValue]
    theirs: dict[FieldKey, FieldValue]

    @classmethod
    def of(cls, loaded: Term, edited: Term, current: Term, locales: list[str]) -> _FieldEdit:
        return cls(_field_values(loaded, {locale: loaded.rendering_for(locale) for locale in locales}),
                   _field_values(edited, {locale: edited.renderings.get(locale) for locale in locales}),
                   _field_values(current, {locale: current.rendering_for(locale) for locale in locales}))

    @property
    def changed(self) -> list[FieldKey]:
        """The fields the edit changed."""
        return [key for key in self.mine if self.mine[key] != self.base[key]]

    def conflicts(self) -> list[FieldConflict]:
        """The fields the edit changed that were changed meanwhile too, to something else."""
        return [FieldConflict(name, locale, self.theirs[name, locale], self.mine[name, locale])
                for name, locale in self.changed if self.theirs[name, locale] not in (self.base[name, locale], self.mine[name, locale])]

    def merged(self, *, keep_theirs: bool = False) -> dict[FieldKey, FieldValue]:
        """Each field as the edit has it where it changed it (unless ``keep_theirs`` and in conflict), else as it is now."""
        conflicting = {(c.name, c.locale) for c in self.conflicts()} if keep_theirs else set()
        return {key: self.mine[key] if key in self.changed and key not in conflicting else self.theirs[key] for key in self.theirs}


def _apply(term: Term, values: Mapping[FieldKey, FieldValue], keys: Iterable[FieldKey]) -> None:
    """Set the fields ``keys`` of ``term`` to ``values`` (renderings whole); a rendering whose texts end up empty is removed."""
    keys = list(keys)
    for name, locale in keys:
        if locale is None:
            setattr(term, name, values[name, locale])
    for locale in dict.fromkeys(locale for _, locale in keys if locale is not None):
        fields: dict[str, Any] = {name: values[name, locale] for name in RENDERING_FIELDS}
        if any(fields[name] for name in ("preferred", "variants", "forbidden", "patterns")):
            term.renderings[locale] = Rendering(**fields)
        else:
            term.renderings.pop(locale, None)


def save_edited_term(store: Store, loaded: Term, edited: Term, locales: Iterable[str]) -> Term:
    """Save an edit of ``loaded`` (as a form shows it, with a rendering per locale): only the fields it changed.

    The fields are applied to the term as it is now, in one write transaction:
    what someone else changed since ``loaded`` was read is kept. A field both
    changed, to different values, refuses the whole save with
    :class:`TermConflictError`, which holds both values; nothing is written.
    A rendering of ``edited`` whose texts are all empty is removed.
    """
    locales = list(locales)
    validate_term(edited)  # tidied as it would be stored, so an unchanged field compares equal
    with store.transaction():
        try:
            current = get_term(store, loaded.id)
        except GlossaryError:
            raise GlossaryError(f"term {loaded.term!r} was deleted by someone else meanwhile: "
                                "cancel, and add it again if it is still needed") from None
        edit = _FieldEdit.of(loaded, edited, current, locales)
        if not edit.changed:
            return current
        if conflicts := edit.conflicts():
            raise TermConflictError(current, conflicts)
        _apply(current, edit.merged(), edit.changed)
        validate_term(current)
        _write_term(store, current, current.id)
    return get_term(store, current.id)


def rebased_edit(loaded: Term, edited: Term, current: Term, locales: Iterable[str], *, keep_theirs: bool = False) -> Term:
    """``edited`` as if it had been made on ``current``: what only ``current`` changed since ``loaded`` is taken in.

    Where both changed a field, ``edited`` keeps its value, or with ``keep_theirs``
    takes ``current``'s. Saving the result with ``current`` as the loaded term
    then meets no conflict (unless the term changed again meanwhile).
    """
    locales = list(locales)
    edit = _FieldEdit.of(loaded, edited, current, locales)
    rebased = Term(id=current.id, term=current.term, version=current.version)
    merged = edit.merged(keep_theirs=keep_theirs)
    _apply(rebased, merged, merged)
    return rebased


def remove_term(store: Store, term_id: int | str) -> Term:
    """Delete a term and its renderings; returns what was removed."""
    with store.transaction():
        removed = get_term(store, term_id)
        store.delete_glossary_term(removed.id)
    return removed


def save_terms(store: Store, terms: Iterable[Term], path: Path) -> ImportReport:
    """Merge terms into the store by their English text: new ones added, known ones replaced.

    Renderings for languages the file does not mention are kept, so importing
    a Spanish-only file never erases the French work.
    """
    report = ImportReport(path=path)
    with store.transaction():
        for incoming in terms:
            validate_term(incoming)
            existing_id = store.glossary_term_id(incoming.term)
            if existing_id is None:
                _write_term(store, incoming, None)
                report.added += 1
                continue
            existing = get_term(store, existing_id)
            incoming.renderings = {**existing.renderings, **incoming.renderings}
            _write_term(store, incoming, existing.id)
            report.updated += 1
    return report

