"""Reading and editing the glossary through the store.

The store keeps terms as rows (:mod:`workbench.store.glossary`); these
functions turn them into :class:`~workbench.glossary.model.Term` records and
back, validating every term before it is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from workbench.glossary.model import GlossaryError, ImportReport, Rendering, Term, default_case_sensitive, validate_term
from workbench.store import DatabaseError, Store, StoreError


def _term_from_rows(row: Mapping[str, Any], renderings: Iterable[Mapping[str, Any]]) -> Term:
    return Term(
        id=row["id"], term=row["term"], english_forms=json.loads(row["english_forms"] or "[]"),
        kind=row["kind"], treatment=row["treatment"], notes=row["notes"] or "",
        case_sensitive=bool(row["case_sensitive"]),
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


def edit_term(
    store: Store,
    term_id: int | str,
    *,
    term: str | None = None,
    english_forms: Iterable[str] | None = None,
    kind: str | None = None,
    treatment: str | None = None,
    renderings: Mapping[str, Rendering | None] | None = None,
    notes: str | None = None,
    case_sensitive: bool | None = None,
) -> Term:
    """Change the given fields; a rendering mapped to ``None`` is removed, others replace."""
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
        for locale, rendering in (renderings or {}).items():
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
    drop: Iterable[str] = (),
) -> dict[str, Rendering | None]:
    """Field-by-field changes to renderings, as ``add``/``edit`` options give them.

    Returns only the locales that change, in the form :func:`edit_term` takes
    (``None`` removes a rendering), so a script can set one variant list
    without restating the preferred rendering.
    """
    changes: dict[str, Rendering | None] = {locale: None for locale in drop}
    touched = set(preferred or {}) | set(variants or {}) | set(forbidden or {}) | set(patterns or {}) | set(verified or {})
    for locale in touched:
        old = current.get(locale) or Rendering("")
        changes[locale] = Rendering(
            preferred=(preferred or {}).get(locale, old.preferred),
            variants=list((variants or {}).get(locale, old.variants)),
            forbidden=list((forbidden or {}).get(locale, old.forbidden)),
            patterns=list((patterns or {}).get(locale, old.patterns)),
            verified=(verified or {}).get(locale, old.verified),
        )
    return changes


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

