"""Build ``glossary/movement-terms.tbx`` from the reference list ``glossary/reference.csv``.

Run from the repository root::

    .venv/bin/python glossary/build.py [--reference glossary/reference.csv]

The reference CSV is imported with the same code volunteers use
(``workbench glossary import``), so the bundled file can never drift from what
the importer understands. On top of a plain import, this script:

* turns the reference's notes "id also: buruh migran" and
  "acronyms: ONU / ONU / PBB / UN" (es / fr / id / tl) into accepted variants;
* adds prefix forms so inflected renderings count as correct: Spanish and
  French words lose their gender/number ending ("trabajador* migrante*"),
  and a Tagalog rendering also counts without the plural marker "mga".
  Names, acronyms and slogans get none: they do not inflect.

Renderings the reference lists under "unsure" stay marked unverified. The
output has no timestamps, so rebuilding an unchanged reference changes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.formats import export_file, import_file  # noqa: E402
from workbench.glossary import Rendering, Term, edit_term, list_terms  # noqa: E402
from workbench.languages import DEFAULT_TARGET_LOCALES  # noqa: E402
from workbench.store import Store  # noqa: E402

DEFAULT_REFERENCE = REPO / "glossary" / "reference.csv"
DEFAULT_OUTPUT = REPO / "glossary" / "movement-terms.tbx"
REFERENCE_LANG_ORDER = ("es", "fr", "id", "tl")
"""The order of the "acronyms: a / b / c / d" notes, as in the reference's columns."""
INFLECTING_KINDS = frozenset({"concept", "role"})
ALSO_NOTE = re.compile(r"\b(?P<lang>[a-z]{2}) also: (?P<variant>[^;,]+)")
ACRONYMS_NOTE = re.compile(r"acronyms: (?P<list>[^;]+)")
MIN_STEM = 4


def romance_stem(word: str, lang: str) -> str | None:
    """The word without its Spanish or French gender/number ending, or None if too short.

    "trabajadores" -> "trabajador", "migración" -> "migraci", "réfugiés" -> "réfugié".
    """
    if len(word) < 5 or not word.isalpha():
        return None
    stem = word
    if lang == "es" and stem.endswith("ión"):
        stem = stem[:-2]
    elif lang == "es" and stem.endswith("es") and len(stem) > 5:
        stem = stem[:-2]
    elif stem.endswith(("s", "x")):
        stem = stem[:-1]
    if stem[-1] in ("aeo" if lang == "es" else "e"):
        stem = stem[:-1]
    return stem if len(stem) >= MIN_STEM else None


def inflection_patterns(rendering: str, lang: str) -> list[str]:
    """Prefix forms accepting the inflected rendering, or [] where nothing inflects."""
    if lang in ("es", "fr"):
        words = []
        for word in rendering.split():
            stem = romance_stem(word, lang)
            words.append(f"{stem}*" if stem else word)
        pattern = " ".join(words)
        return [pattern] if pattern != rendering else []
    if lang == "tl" and rendering.startswith("mga "):
        return [rendering[len("mga "):]]
    return []


def variants_from_note(note: str, lang: str) -> list[str]:
    """Accepted variants the reference put in its free-text note."""
    found = [m["variant"].strip() for m in ALSO_NOTE.finditer(note) if m["lang"] == lang]
    acronyms = ACRONYMS_NOTE.search(note)
    if acronyms:
        parts = [part.strip() for part in acronyms["list"].split("/")]
        if len(parts) == len(REFERENCE_LANG_ORDER):
            found.append(parts[REFERENCE_LANG_ORDER.index(lang)])
    return found


def enrich(term: Term) -> dict[str, Rendering]:
    """The term's renderings with note variants and inflection patterns added."""
    renderings: dict[str, Rendering] = {}
    for locale, record in term.renderings.items():
        lang = locale.split("_")[0]
        variants = list(record.variants)
        for variant in variants_from_note(term.notes, lang):
            if variant != record.preferred and variant not in variants:
                variants.append(variant)
        patterns = list(record.patterns)
        if term.kind in INFLECTING_KINDS and term.treatment != "keep":
            for text in (record.preferred, *variants):
                patterns += [p for p in inflection_patterns(text, lang) if p not in patterns]
        renderings[locale] = Rendering(record.preferred, variants, list(record.forbidden), patterns, record.verified)
    return renderings


def build(reference: Path, output: Path) -> int:
    """Import the reference into a scratch database, enrich it, export TBX; returns the term count."""
    locales = list(DEFAULT_TARGET_LOCALES)
    with tempfile.TemporaryDirectory(prefix="glossary-build-") as scratch:
        store = Store(Path(scratch) / "build.db")
        try:
            import_file(store, reference, locales)
            for term in list_terms(store):
                edit_term(store, term.id, renderings=enrich(term))
            return export_file(store, output, locales)
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    count = build(args.reference, args.output)
    print(f"wrote {count} terms to {args.output}")


if __name__ == "__main__":
    main()
