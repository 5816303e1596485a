"""File formats: how translations and the glossary leave the workspace and come back.

Translations, by the name ``--format`` takes (:func:`export`):

* ``po``: gettext PO per statement and locale, for Poedit and Weblate, and the
  import that brings them back (:mod:`workbench.formats.po`);
* ``json``: one file per language for websites and scripts (:mod:`workbench.formats.json`);
* ``md``: Markdown per statement, ready to publish (:mod:`workbench.formats.markdown`).

The glossary, by file suffix (:func:`import_file`, :func:`export_file`):

* ``.csv`` for spreadsheets (:mod:`workbench.formats.glossary_csv`);
* ``.tbx`` (or ``.xml``), TBX-Basic for other CAT tools (:mod:`workbench.formats.glossary_tbx`).

What every format shares (scope, file names, atomic writes, :class:`FormatError`)
is :mod:`workbench.formats.common`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.formats.common import GLOSSARY_MAX_BYTES, ExportResult, FormatError, write_atomic
from workbench.formats.glossary_csv import read_csv, write_csv
from workbench.formats.glossary_tbx import read_tbx, write_tbx
from workbench.formats.json import export_json
from workbench.formats.markdown import export_markdown
from workbench.formats.po import PoInputError, export_po
from workbench.glossary import GlossaryError, ImportReport, list_terms, save_terms
from workbench.store import Store
from workbench.workspace import Workspace

__all__ = ["FORMATS", "ExportResult", "FormatError", "export", "export_file", "import_file", "load_bundled"]

FORMATS: tuple[str, ...] = ("po", "json", "md")


def export(
    workspace: Workspace,
    fmt: str,
    *,
    locales: Iterable[str] | None = None,
    statement: int | str | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    only_reviewed: bool = False,
) -> ExportResult:
    """Export in ``fmt`` (po, json or md); what the ``export`` command calls."""
    if fmt == "po":
        if only_reviewed:
            raise PoInputError("--only-reviewed is for --format json and md; PO files mark unreviewed drafts fuzzy instead: drop the option")
        return export_po(workspace, locales=locales, statement=statement, out_dir=out_dir)
    writers: dict[str, Callable[..., ExportResult]] = {"json": export_json, "md": export_markdown}
    if fmt not in writers:
        raise FormatError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return writers[fmt](workspace, locales=locales, statement=statement, out_dir=out_dir, only_reviewed=only_reviewed)


def import_file(store: Store, path: str | Path, locales: list[str], *, max_bytes: int = GLOSSARY_MAX_BYTES) -> ImportReport:
    """Import a ``.csv`` or ``.tbx`` glossary into the store (see :func:`~workbench.glossary.save_terms`).

    A file larger than ``max_bytes`` is refused before it is read.
    """
    path = Path(path)
    if not path.is_file():
        raise GlossaryError(f"{path}: no such file: check the path")
    suffix = path.suffix.lower()
    known = {term.term: term for term in list_terms(store)}  # what a file without some fields leaves as it is
    if suffix == ".csv":
        terms, skipped = read_csv(path, locales, known=known, max_bytes=max_bytes)
    elif suffix in (".tbx", ".xml"):
        terms, skipped = read_tbx(path, locales, known=known, max_bytes=max_bytes)
    else:
        raise GlossaryError(f"{path.name}: unknown glossary format {suffix or '(none)'}: use a .csv or .tbx file")
    report = save_terms(store, terms, path)
    report.skipped_languages = sorted(skipped)
    return report


def export_file(store: Store, path: str | Path, locales: list[str]) -> int:
    """Write the glossary to ``.csv`` or ``.tbx`` for ``locales``; returns the number of terms.

    The file is written atomically (a temporary file renamed into place): a
    reader never sees half of it, and an interrupted export leaves the old one.
    """
    path = Path(path)
    terms = sorted(list_terms(store), key=lambda t: (t.term.casefold(), t.term))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = write_csv(terms, locales)
    elif suffix in (".tbx", ".xml"):
        text = write_tbx(terms, locales)
    else:
        raise GlossaryError(f"{path.name}: unknown glossary format {suffix or '(none)'}: use a .csv or .tbx file")
    write_atomic(path, text)
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
