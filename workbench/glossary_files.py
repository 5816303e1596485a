"""Glossary files: reading and writing the CSV and TBX-Basic exchange formats.

The files in ``glossary/`` are the versioned copy of the glossary; the
workspace database holds the working copy (see :mod:`workbench.glossary` for
the term model, storage and matching). This module only translates between
the two:

* CSV, for spreadsheets: one row per term, ``;``-separated lists in a cell,
  per language ``es``, ``es_variants``, ``es_forbidden``, ``es_patterns``;
* TBX-Basic, the format Weblate, OmegaT and Lokalize exchange. XML is parsed
  with defusedxml and entity declarations are refused, so a hostile file
  cannot read local files or expand entities into gigabytes.

A file that cannot be used raises :class:`~workbench.glossary.GlossaryError`
with one line naming the file, the place and what to do.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from workbench.glossary import (
    KEEP,
    TREATMENTS,
    GlossaryError,
    ImportReport,
    Rendering,
    Term,
    default_case_sensitive,
    list_terms,
    save_terms,
    split_list,
)
from workbench.languages import UnknownLanguageError, resolve_locale
from workbench.store import Store

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ADMIN_PREFERRED = "preferredTerm-admn-sts"
_ADMIN_ADMITTED = "admittedTerm-admn-sts"
_ADMIN_DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = frozenset({_ADMIN_DEPRECATED.lower(), "supersededterm-admn-sts", "forbidden", "obsolete", "deprecated"})
"""Weblate writes "forbidden" or "obsolete"; TBX-Basic says deprecated or superseded."""
_WORKBENCH_NOTE = "workbench:"
"""TBX-Basic has no slot for treatment, patterns or verification; these travel as
``<note>workbench:...</note>``, which other tools show as an ordinary note."""


# -- both formats -----------------------------------------------------------------------------------


def _resolve(code: str, locales: list[str]) -> str | None:
    """The workspace locale a file's language code means, or None if the workspace lacks it."""
    for candidate in (code, code.replace("-", "_").split("_")[0]):
        try:
            return resolve_locale(candidate, locales)
        except UnknownLanguageError:
            continue
    return None


def import_file(store: Store, path: str | Path, locales: list[str]) -> ImportReport:
    """Import a ``.csv`` or ``.tbx`` glossary into the store (see :func:`save_terms`)."""
    path = Path(path)
    if not path.is_file():
        raise GlossaryError(f"{path}: no such file: check the path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        terms, skipped = read_csv(path, locales, known={term.term: term for term in list_terms(store)})
    elif suffix in (".tbx", ".xml"):
        terms, skipped = read_tbx(path, locales)
    else:
        raise GlossaryError(f"{path.name}: unknown glossary format {suffix or '(none)'}: use a .csv or .tbx file")
    report = save_terms(store, terms, path)
    report.skipped_languages = sorted(skipped)
    return report


def export_file(store: Store, path: str | Path, locales: list[str]) -> int:
    """Write the glossary to ``.csv`` or ``.tbx`` for ``locales``; returns the number of terms."""
    path = Path(path)
    terms = sorted(list_terms(store), key=lambda t: (t.term.casefold(), t.term))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = write_csv(terms, locales)
    elif suffix in (".tbx", ".xml"):
        text = write_tbx(terms, locales)
    else:
        raise GlossaryError(f"{path.name}: unknown glossary format {suffix or '(none)'}: use a .csv or .tbx file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return len(terms)


def load_bundled(store: Store, path: Path, locales: list[str]) -> ImportReport | None:
    """Load the bundled glossary file ``path`` into a new workspace, once.

    The store remembers the load, so a team that deleted a bundled term does
    not see it come back when the workspace is opened or initialised again.
    """
    if store.bundled_glossary_loaded() or not path.is_file():
        return None
    with store.transaction():
        report = import_file(store, path, locales)
        store.mark_bundled_glossary_loaded()
    return report


# -- CSV -------------------------------------------------------------------------------------------

_CSV_FIELDS = {"term", "english_forms", "kind", "treatment", "case_sensitive", "notes", "unverified"}
_CSV_ALIASES = {"note": "notes", "unsure": "unverified", "forms": "english_forms"}
_CSV_INFORMATIONAL = {"corpus_count"}
_CSV_LANG_COLUMN = re.compile(r"(?P<lang>[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)(?:_(?P<part>variants|forbidden|patterns))?")
_TRUE = {"1", "yes", "true", "y", "x"}
_FALSE = {"", "0", "no", "false", "n"}


def read_csv(path: Path, locales: list[str], known: Mapping[str, Term] | None = None) -> tuple[list[Term], set[str]]:
    """Parse a glossary CSV (the reference layout, or what :func:`write_csv` writes).

    Columns: ``term``, ``english_forms`` (``;``-separated), ``kind``, ``treatment``,
    ``case_sensitive``, ``notes``/``note``, ``unverified``/``unsure`` (language
    codes), and per language ``es``, ``es_variants``, ``es_forbidden``, ``es_patterns``.
    ``known`` are the terms already in the glossary, by English text: where the
    file has no column for a field, such a term keeps its value, so a ``term,es``
    sheet changes the Spanish and leaves the forms, kind and notes alone.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
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
    except UnicodeDecodeError as error:
        raise GlossaryError(f"{path.name}: not UTF-8 text (byte {error.start}): save the CSV as UTF-8") from None
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
            locale = _resolve(lang_match["lang"], locales)
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
            _keep_fields_without_column(term, stored, {key for key, part in columns.values() if part is None})
        if term.term in seen:
            raise GlossaryError(f"{path.name}, line {line}: term {term.term!r} appears twice: merge the rows")
        seen.add(term.term)
        terms.append(term)
    return terms, skipped


def _keep_fields_without_column(term: Term, stored: Term, present: set[str]) -> None:
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
        value = row[index].strip() if index < len(row) else ""
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
        if code and (locale := _resolve(code, locales)) is not None:
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
    """The CSV layout :func:`read_csv` reads back without loss."""
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
        lines.append(row)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


# -- TBX -----------------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    """An element's name without its namespace (TBX v3 files use one)."""
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def read_tbx(path: Path, locales: list[str]) -> tuple[list[Term], set[str]]:
    """Parse a TBX(-Basic) file safely: entity declarations are refused outright.

    Reads what :func:`write_tbx` writes, and the TBX Weblate, OmegaT and
    Lokalize export: the English ``langSet`` gives the term and its forms;
    per language, the preferred (or first) term is the rendering, admitted
    terms are variants, and deprecated/forbidden ones are forbidden.
    """
    try:
        tree = SafeET.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise GlossaryError(
            f"{path.name}: refused: it declares XML entities (external entities and entity expansion are "
            "not allowed in glossary files): export it again without a DOCTYPE entity section"
        ) from None
    except ET.ParseError as error:
        raise GlossaryError(f"{path.name}: not well-formed XML ({error}): export the glossary again") from None
    root = tree.getroot()
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(f"{path.name}: not a TBX file (root element <{_local(root.tag)}>): export the glossary as TBX")
    source_lang = (root.get(_XML_LANG) or "en").lower()
    terms: list[Term] = []
    skipped: set[str] = set()
    seen: set[str] = set()
    for number, entry in enumerate((e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")), start=1):
        term = _term_from_tbx_entry(path, number, entry, source_lang, locales, skipped)
        if term.term in seen:
            raise GlossaryError(f"{path.name}: term {term.term!r} appears in two entries: merge them")
        seen.add(term.term)
        terms.append(term)
    return terms, skipped


def _tbx_tigs(lang_set: ET.Element) -> list[tuple[str, str, list[str]]]:
    """(term text, administrative status, workbench notes) of each term in a langSet."""
    result = []
    for tig in _children(lang_set, "tig", "ntig", "termSec"):
        term_el = next((e for e in tig.iter() if _local(e.tag) == "term"), None)
        if term_el is None or not _text(term_el):
            continue
        status = ""
        notes: list[str] = []
        for element in tig.iter():
            name = _local(element.tag)
            if name in ("termNote", "descrip") and element.get("type") == "administrativeStatus":
                status = _text(element).lower()
            elif name == "termNote" and element.get("type") == "translationNote" and _text(element).lower() == "no":
                notes.append("treatment=keep")  # Weblate's "read-only": a term that is not translated
            elif name == "termNote" and element.get("type") == "termType" and _text(element).lower() == "acronym":
                notes.append("kind=acronym")
            elif name == "note" and _text(element).startswith(_WORKBENCH_NOTE):
                notes.append(_text(element)[len(_WORKBENCH_NOTE):])
        result.append((_text(term_el), status, notes))
    return result


def _term_from_tbx_entry(path: Path, number: int, entry: ET.Element, source_lang: str, locales: list[str],
                         skipped: set[str]) -> Term:
    settings: dict[str, str] = {}
    human_notes: list[str] = []
    for note in _children(entry, "note", "descrip"):
        text = "".join(note.itertext()).strip()
        if text.startswith(_WORKBENCH_NOTE):
            key, _, value = text[len(_WORKBENCH_NOTE):].partition("=")
            settings[key.strip()] = value.strip()
        elif text:
            human_notes.append(text)
    english: list[tuple[str, str, list[str]]] | None = None
    renderings: dict[str, Rendering] = {}
    for lang_set in _children(entry, "langSet", "langSec"):
        lang = lang_set.get(_XML_LANG) or ""
        tigs = _tbx_tigs(lang_set)
        if lang.lower() == source_lang or lang.lower().split("-")[0] == "en":
            english = tigs
            continue
        locale = _resolve(lang, locales)
        if locale is None:
            skipped.add(lang)
            continue
        patterns = [text[len(_WORKBENCH_NOTE) + len("pattern="):]
                    for note in _children(lang_set, "note")
                    if (text := "".join(note.itertext()).strip()).startswith(_WORKBENCH_NOTE + "pattern=")]
        allowed = [(text, status, notes) for text, status, notes in tigs if status not in _FORBIDDEN_STATUSES]
        preferred = next((t for t in allowed if t[1] == _ADMIN_PREFERRED.lower()), allowed[0] if allowed else None)
        if preferred is None:
            continue
        renderings[locale] = Rendering(
            preferred=preferred[0],
            variants=[text for text, _, _ in allowed if text != preferred[0]],
            forbidden=[text for text, status, _ in tigs if status in _FORBIDDEN_STATUSES],
            patterns=patterns,
            verified="unverified" not in preferred[2],
        )
    if not english:
        raise GlossaryError(f"{path.name}: entry {number} has no English term: every entry needs an <langSet xml:lang=\"en\">")
    english_allowed = [t for t in english if t[1] not in _FORBIDDEN_STATUSES] or english
    main = next((t for t in english_allowed if t[1] == _ADMIN_PREFERRED.lower()), english_allowed[0])
    for note in main[2]:
        key, _, value = note.partition("=")
        settings.setdefault(key.strip(), value.strip())
    treatment = settings.get("treatment", "translate")
    if treatment not in TREATMENTS:
        raise GlossaryError(f"{path.name}: entry {number} ({main[0]!r}): treatment {treatment!r} is not one of {', '.join(TREATMENTS)}")
    if "case-sensitive" in settings or "case-insensitive" in settings:
        case_sensitive = "case-sensitive" in settings
    else:
        case_sensitive = default_case_sensitive(treatment)
    return Term(
        id=0, term=main[0], english_forms=[text for text, _, _ in english_allowed if text != main[0]],
        kind=settings.get("kind") or "concept", treatment=treatment, renderings=renderings,
        notes="\n".join(human_notes), case_sensitive=case_sensitive,
    )


def _tbx_slug(term: Term, taken: set[str]) -> str:
    base = "t-" + (re.sub(r"[^a-z0-9]+", "-", term.term.lower()).strip("-") or str(term.id))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _tig(parent: ET.Element, text: str, status: str, notes: Iterable[str] = (), term_type: str | None = None) -> None:
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    ET.SubElement(tig, "termNote", type="administrativeStatus").text = status
    if term_type:
        ET.SubElement(tig, "termNote", type="termType").text = term_type
    for note in notes:
        ET.SubElement(tig, "note").text = _WORKBENCH_NOTE + note


def write_tbx(terms: Iterable[Term], locales: list[str]) -> str:
    """TBX-Basic that :func:`read_tbx` reads back without loss, and other CAT tools read too."""
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = ET.SubElement(root, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "titleStmt"), "title").text = "workbench glossary"
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = "Exported by workbench"
    ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    taken: set[str] = set()
    for term in terms:
        entry = ET.SubElement(body, "termEntry", id=_tbx_slug(term, taken))
        if term.notes:
            ET.SubElement(entry, "note").text = term.notes
        ET.SubElement(entry, "note").text = f"{_WORKBENCH_NOTE}kind={term.kind}"
        ET.SubElement(entry, "note").text = f"{_WORKBENCH_NOTE}treatment={term.treatment}"
        if term.case_sensitive != default_case_sensitive(term.treatment):
            sensitivity = "case-sensitive" if term.case_sensitive else "case-insensitive"
            ET.SubElement(entry, "note").text = _WORKBENCH_NOTE + sensitivity
        english = ET.SubElement(entry, "langSet", {_XML_LANG: "en"})
        _tig(english, term.term, _ADMIN_PREFERRED, term_type="acronym" if term.kind == "acronym" else None)
        for form in term.english_forms:
            _tig(english, form, _ADMIN_ADMITTED)
        for locale in locales:
            record = term.renderings.get(locale)
            if record is None:
                continue
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: locale.replace("_", "-")})
            for pattern in record.patterns:
                ET.SubElement(lang_set, "note").text = f"{_WORKBENCH_NOTE}pattern={pattern}"
            _tig(lang_set, record.preferred, _ADMIN_PREFERRED, () if record.verified else ("unverified",))
            for variant in record.variants:
                _tig(lang_set, variant, _ADMIN_ADMITTED)
            for forbidden in record.forbidden:
                _tig(lang_set, forbidden, _ADMIN_DEPRECATED)
    ET.indent(root, space="  ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )
