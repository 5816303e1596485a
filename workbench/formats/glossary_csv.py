"""Glossary CSV, for spreadsheets: read and written without loss.

One row per term; per language the columns ``es``, ``es_variants``,
``es_forbidden``, ``es_patterns``; several values in one cell are separated by
``;`` (see :func:`read_csv`). A file that cannot be used raises
:class:`~workbench.glossary.GlossaryError` with one line naming the file, the
line and what to do.

A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is written with a leading ``'``, as
OWASP advises against CSV injection, and read back without it
(:func:`escape_cell`, :func:`unescape_cell`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace

from workbench.formats.common import GLOSSARY_MAX_BYTES, file_locale, refuse_oversized_glossary
from workbench.glossary import KEEP, TREATMENTS, GlossaryError, Rendering, Term, default_case_sensitive, split_list

_CSV_FIELDS = {"term", "english_forms", "kind", "treatment", "case_sensitive", "notes", "unverified"}
_CSV_ALIASES = {"note": "notes", "unsure": "unverified", "forms": "english_forms"}
_CSV_INFORMATIONAL = {"corpus_count"}
_CSV_LANG_COLUMN = re.compile(r"(?P<lang>[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)(?:_(?P<part>variants|forbidden|patterns))?")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
"""A cell a spreadsheet runs as a formula, or one that would read back as such a cell once escaped."""
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_TRUE = {"1", "yes", "true", "y", "x"}
_FALSE = {"", "0", "no", "false", "n"}


def escape_cell(text: str) -> str:
    """``text`` as a cell that spreadsheets show as text and never run as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
    a leading ``'``; so does one that already starts with ``'`` before one of
    those, so that :func:`unescape_cell` gives back every text exactly.
    """
    return "'" + text if _FORMULA.match(text) else text


def unescape_cell(cell: str) -> str:
    """The text a cell written by :func:`escape_cell` holds: one ``'`` before a formula character is dropped."""
    return cell[1:] if _ESCAPED.match(cell) else cell


def read_csv(path: Path, locales: list[str], known: Mapping[str, Term] | None = None, *,
             max_bytes: int = GLOSSARY_MAX_BYTES) -> tuple[list[Term], set[str]]:
    """Parse a glossary CSV (the reference layout, or what :func:`write_csv` writes).

    Columns: ``term``, ``english_forms`` (``;``-separated), ``kind``, ``treatment``,
    ``case_sensitive``, ``notes``/``note``, ``unverified``/``unsure`` (language
    codes), and per language ``es``, ``es_variants``, ``es_forbidden``, ``es_patterns``.
    ``known`` are the terms already in the glossary, by English text: where the
    file has no column for a field, such a term keeps its value, so a ``term,es``
    sheet changes the Spanish and leaves the forms, kind and notes alone.
    A file larger than ``max_bytes`` is refused before it is read.
    """
    refuse_oversized_glossary(path, max_bytes)
    raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)  # a spreadsheet's "CSV UTF-8" starts with one
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise GlossaryError(
            f"{path.name}, line {line}: not UTF-8 text (byte {raw[error.start]:#04x}): save the CSV as UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    while True:
        starts = reader.line_num + 1  # an unclosed quote fails at the end of the file, not where it opened
        try:
            rows.append(next(reader))
        except StopIteration:
            break
        except csv.Error as error:
            raise GlossaryError(
                f"{path.name}, line {starts}: malformed CSV ({error}): check the quoting on that line"
            ) from None
    if not rows:
        raise GlossaryError(f"{path.name}: the file is empty: a glossary CSV needs a header row with a 'term' column")
    header = [name.strip() for name in rows[0]]
    if len(header) == 1 and ";" in header[0]:
        raise GlossaryError(
            f"{path.name}: the columns are separated by semicolons: save it as comma-separated CSV (UTF-8)"
        )
    columns: dict[int, tuple[str, str | None]] = {}
    skipped: set[str] = set()
    for index, name in enumerate(header):
        key = _CSV_ALIASES.get(name.lower(), name.lower())
        if key in _CSV_FIELDS:
            columns[index] = (key, None)
        elif key in _CSV_INFORMATIONAL or not key:
            continue
        elif (lang_match := _CSV_LANG_COLUMN.fullmatch(name)) is not None:
            locale = file_locale(lang_match["lang"], locales)
            if locale is None:
                skipped.add(lang_match["lang"])
                continue
            columns[index] = (locale, lang_match["part"] or "preferred")
        else:
            raise GlossaryError(
                f"{path.name}: unknown column {name!r}: use term, english_forms, kind, treatment, "
                "case_sensitive, notes, unverified and language columns such as es, es_variants"
            )
    if "term" not in {key for key, _ in columns.values()}:
        raise GlossaryError(f"{path.name}: no 'term' column in the header row: add one")
    terms: list[Term] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise GlossaryError(f"{path.name}, line {line}: {len(row)} cells for {len(header)} columns: quote cells that contain commas")
        term = _term_from_csv_row(path, line, row, columns, locales)
        if known and (stored := known.get(term.term)) is not None:
            _keep_fields_without_column(term, stored, {key for key, part in columns.values() if part is None},
                                        {(key, part) for key, part in columns.values() if part is not None})
        if term.term in seen:
            raise GlossaryError(f"{path.name}, line {line}: term {term.term!r} appears twice: merge the rows")
        seen.add(term.term)
        terms.append(term)
    return terms, skipped


def _keep_fields_without_column(term: Term, stored: Term, present: set[str], parts: set[tuple[str, str]]) -> None:
    """Give ``term`` the stored value of every field the file has no column for.

    ``present`` are the term's columns, ``parts`` the ``(locale, part)`` of the
    language columns. Without an ``unverified`` column, a rendering keeps
    whether it is verified: a file that does not say is no native speaker's check.
    """
    for locale, rendering in term.renderings.items():
        before = stored.renderings.get(locale)
        if before is None:
            continue
        if "unverified" not in present:
            rendering.verified = before.verified
        for part in ("variants", "forbidden", "patterns"):
            if (locale, part) not in parts:
                setattr(rendering, part, list(getattr(before, part)))
    if "english_forms" not in present:
        term.english_forms = list(stored.english_forms)
    if "kind" not in present:
        term.kind = stored.kind
    if "notes" not in present:
        term.notes = stored.notes
    if "treatment" not in present:
        term.treatment = stored.treatment
        if "case_sensitive" not in present:
            term.case_sensitive = stored.case_sensitive


def _term_from_csv_row(path: Path, line: int, row: list[str], columns: dict[int, tuple[str, str | None]],
                       locales: list[str]) -> Term:
    fields: dict[str, str] = {}
    parts: dict[str, dict[str, str]] = {}
    for index, (key, part) in columns.items():
        value = unescape_cell(row[index]).strip() if index < len(row) else ""
        if part is None:
            fields[key] = value
        else:
            parts.setdefault(key, {})[part] = value
    where = f"{path.name}, line {line}"
    if not fields.get("term"):
        raise GlossaryError(f"{where}: the term cell is empty: fill it or delete the row")
    treatment = (fields.get("treatment") or "translate").lower()
    if treatment not in TREATMENTS:
        raise GlossaryError(f"{where}: treatment {treatment!r} is not one of {', '.join(TREATMENTS)}")
    flag = fields.get("case_sensitive", "").lower()
    if flag not in _TRUE | _FALSE:
        raise GlossaryError(f"{where}: case_sensitive {flag!r} should be yes or no")
    unverified: set[str] = set()
    for code in re.split(r"[\s,;]+", fields.get("unverified", "")):
        if code and (locale := file_locale(code, locales)) is not None:
            unverified.add(locale)
    renderings: dict[str, Rendering] = {}
    for locale, cells in parts.items():
        variants = split_list(cells.get("variants"))
        preferred = cells.get("preferred", "") or (variants.pop(0) if variants else "")
        forbidden, patterns = split_list(cells.get("forbidden")), split_list(cells.get("patterns"))
        if preferred or forbidden or patterns:
            if not preferred and treatment != KEEP:
                raise GlossaryError(f"{where}: {locale} has variants or forbidden forms but no rendering: fill the {locale} cell")
            renderings[locale] = Rendering(preferred, variants, forbidden, patterns, verified=locale not in unverified)
    return Term(
        id=0, term=fields["term"], english_forms=split_list(fields.get("english_forms")),
        kind=fields.get("kind") or "concept", treatment=treatment, renderings=renderings,
        notes=fields.get("notes", ""),
        case_sensitive=flag in _TRUE if flag else default_case_sensitive(treatment),
    )


def write_csv(terms: Iterable[Term], locales: list[str]) -> str:
    """The CSV layout :func:`read_csv` reads back without loss, every cell escaped by :func:`escape_cell`."""
    header = ["term", "english_forms", "kind", "treatment", "case_sensitive", "notes"]
    for locale in locales:
        header += [locale, f"{locale}_variants", f"{locale}_forbidden", f"{locale}_patterns"]
    header.append("unverified")
    lines = [header]
    for term in terms:
        row = [term.term, "; ".join(term.english_forms), term.kind, term.treatment,
               "yes" if term.case_sensitive else "no", term.notes]
        unverified = []
        for locale in locales:
            record = term.renderings.get(locale)
            if record is None:
                row += ["", "", "", ""]
                continue
            row += [record.preferred, "; ".join(record.variants), "; ".join(record.forbidden), "; ".join(record.patterns)]
            if not record.verified:
                unverified.append(locale)
        row.append(" ".join(unverified))
        lines.append([escape_cell(cell) for cell in row])
    # The writer quotes a cell holding any character of its line terminator: with "\r\n" a
    # carriage return inside a cell is quoted too (with "\n" it was written bare, and read
    # back as a line break). Each row, written in one call, then ends in "\n" as before.
    rows: list[str] = []
    csv.writer(SimpleNamespace(write=rows.append), lineterminator="\r\n").writerows(lines)
    return "".join(row.removesuffix("\r\n") + "\n" for row in rows)
