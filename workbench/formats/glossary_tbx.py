"""Glossary TBX-Basic, the format Weblate, OmegaT and Lokalize exchange, read and written.

XML is parsed with defusedxml and entity declarations are refused, so a hostile
file cannot read local files or expand entities into gigabytes. What TBX-Basic
has no slot for (treatment, patterns, verification) travels in
``<note>workbench:...</note>``. A file that cannot be used raises
:class:`~workbench.glossary.GlossaryError` with one line naming the file, the
entry and what to do.

An entry without workbench's notes was written by another tool (Weblate, which
writes one target language per file and none of those notes): it says only
what it carries. A term the glossary already has keeps every field such an
entry does not carry (treatment, kind, case, patterns, whether a rendering is
verified, the renderings of other languages), instead of taking defaults.

Written files are deterministic, so git diffs and merges them cleanly: terms
sorted by the caller, one ``termEntry`` per term with an id made from the term
itself (``t-migrant-workers``), no date or version anywhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from workbench.formats.common import GLOSSARY_MAX_BYTES, file_locale, refuse_oversized_glossary
from workbench.glossary import TREATMENTS, GlossaryError, Rendering, Term, default_case_sensitive

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ADMIN_PREFERRED = "preferredTerm-admn-sts"
_ADMIN_ADMITTED = "admittedTerm-admn-sts"
_ADMIN_DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = frozenset({_ADMIN_DEPRECATED.lower(), "supersededterm-admn-sts", "forbidden", "obsolete", "deprecated"})
"""Weblate writes "forbidden" or "obsolete"; TBX-Basic says deprecated or superseded."""
_WORKBENCH_NOTE = "workbench:"
"""TBX-Basic has no slot for treatment, patterns or verification; these travel as
``<note>workbench:...</note>``, which other tools show as an ordinary note."""


def _local(tag: str) -> str:
    """An element's name without its namespace (TBX v3 files use one)."""
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def read_tbx(path: Path, locales: list[str], known: Mapping[str, Term] | None = None, *,
             max_bytes: int = GLOSSARY_MAX_BYTES) -> tuple[list[Term], set[str]]:
    """Parse a TBX(-Basic) file safely: entity declarations are refused outright.

    Reads what :func:`write_tbx` writes, and the TBX Weblate, OmegaT and
    Lokalize export: the English ``langSet`` gives the term and its forms;
    per language, the preferred (or first) term is the rendering, admitted
    terms are variants, and deprecated/forbidden ones are forbidden. ``known``
    are the terms already in the glossary, by English text: an entry another
    tool wrote leaves what it does not carry as ``known`` has it. A file
    larger than ``max_bytes`` is refused before it is read.
    """
    refuse_oversized_glossary(path, max_bytes)
    try:
        tree = SafeET.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise GlossaryError(
            f"{path.name}: refused: it declares XML entities (external entities and entity expansion are "
            "not allowed in glossary files): export it again without a DOCTYPE entity section"
        ) from None
    except LookupError as error:  # the XML declaration names an encoding no codec reads
        raise GlossaryError(f"{path.name}, line 1: {error}: export the glossary again as UTF-8") from None
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(": line ")[0]
        raise GlossaryError(
            f"{path.name}, line {line}, column {column + 1}: not well-formed XML ({reason}): export the glossary again"
        ) from None
    root = tree.getroot()
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(f"{path.name}: not a TBX file (root element <{_local(root.tag)}>): export the glossary as TBX")
    source_lang = (root.get(_XML_LANG) or "en").lower()
    terms: list[Term] = []
    skipped: set[str] = set()
    seen: set[str] = set()
    for number, entry in enumerate((e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")), start=1):
        term, carried = _term_from_tbx_entry(path, number, entry, source_lang, locales, skipped)
        if carried is not None and known and (stored := known.get(term.term)) is not None:
            _keep_what_the_entry_lacks(term, stored, carried)
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
            elif _is_read_only(element):
                notes.append("treatment=keep")  # Weblate's "read-only": a term that is not translated
            elif name == "termNote" and element.get("type") == "termType" and _text(element).lower() == "acronym":
                notes.append("kind=acronym")
            elif name == "note" and _text(element).startswith(_WORKBENCH_NOTE):
                notes.append(_text(element)[len(_WORKBENCH_NOTE):])
        result.append((_text(term_el), status, notes))
    return result


def _is_read_only(element: ET.Element) -> bool:
    """Weblate's mark of a term that is not translated: ``<descrip type="Translation needed">No</descrip>``, or the older termNote."""
    name, kind = _local(element.tag), element.get("type")
    return ((name == "descrip" and kind == "Translation needed") or (name == "termNote" and kind == "translationNote")) \
        and _text(element).lower() == "no"


_Carried = set[tuple[str, str | None]]
"""The fields an entry from another tool carries: ``(name, None)`` for a term's, ``(name, locale)`` for a rendering's."""


def _term_from_tbx_entry(path: Path, number: int, entry: ET.Element, source_lang: str, locales: list[str],
                         skipped: set[str]) -> tuple[Term, _Carried | None]:
    """The entry's term, and the fields it carries if another tool wrote it (None: workbench did, and it carries all)."""
    settings: dict[str, str] = {}
    human_notes: list[str] = []
    ours = False
    for note in _children(entry, "note", "descrip"):
        text = "".join(note.itertext()).strip()
        if _is_read_only(note):
            settings["treatment"] = "keep"
        elif text.startswith(_WORKBENCH_NOTE):
            key, _, value = text[len(_WORKBENCH_NOTE):].partition("=")
            settings[key.strip()] = value.strip()
            ours = ours or key.strip() in ("kind", "treatment")  # workbench writes both on every entry
        elif text:
            human_notes.append(text)
    carried: _Carried = set()
    english: list[tuple[str, str, list[str]]] | None = None
    renderings: dict[str, Rendering] = {}
    for lang_set in _children(entry, "langSet", "langSec"):
        lang = lang_set.get(_XML_LANG) or ""
        tigs = _tbx_tigs(lang_set)
        if lang.lower() == source_lang or lang.lower().split("-")[0] == "en":
            english = tigs
            continue
        locale = file_locale(lang, locales)
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
        carried.add(("preferred", locale))
        carried |= {(name, locale) for name, listed in (("variants", len(allowed) > 1), ("forbidden", len(allowed) < len(tigs)),
                                                        ("patterns", bool(patterns))) if listed}
        carried |= {("verified", locale)} if "unverified" in preferred[2] else set()
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
    carried |= {(name, None) for name in ("kind", "treatment", "notes") if settings.get(name) or (name == "notes" and human_notes)}
    carried |= {("english_forms", None)} if len(english_allowed) > 1 else set()
    carried |= {("case_sensitive", None)} if {"case-sensitive", "case-insensitive"} & settings.keys() else set()
    treatment = settings.get("treatment", "translate")
    if treatment not in TREATMENTS:
        raise GlossaryError(f"{path.name}: entry {number} ({main[0]!r}): treatment {treatment!r} is not one of {', '.join(TREATMENTS)}")
    if "case-sensitive" in settings or "case-insensitive" in settings:
        case_sensitive = "case-sensitive" in settings
    else:
        case_sensitive = default_case_sensitive(treatment)
    term = Term(
        id=0, term=main[0], english_forms=[text for text, _, _ in english_allowed if text != main[0]],
        kind=settings.get("kind") or "concept", treatment=treatment, renderings=renderings,
        notes="\n".join(human_notes), case_sensitive=case_sensitive,
    )
    return term, None if ours else carried


def _keep_what_the_entry_lacks(term: Term, stored: Term, carried: _Carried) -> None:
    """Give ``term``, read from another tool's entry, the stored value of every field that entry does not carry."""
    explicit_case = ("case_sensitive", None) in carried
    new_treatment = ("treatment", None) in carried and term.treatment != stored.treatment
    if not explicit_case and not new_treatment:  # a new treatment brings its own default case, as read
        term.case_sensitive = stored.case_sensitive
    for name in ("english_forms", "kind", "treatment", "notes"):
        if (name, None) not in carried:
            setattr(term, name, getattr(stored, name))
    for locale, rendering in term.renderings.items():
        before = stored.renderings.get(locale)
        if before is None:
            continue
        for name in ("variants", "forbidden", "patterns", "verified"):
            if (name, locale) not in carried:
                setattr(rendering, name, getattr(before, name))


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
