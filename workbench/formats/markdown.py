"""Markdown export: ``<out>/<locale>/<slug>.md``, each statement reassembled in the target language.

The file is ready to publish: title, date, paragraphs, lists, and the sign-off,
reference and contact lines the importer kept as metadata, where the source has
them. Drafts nobody has reviewed are marked in the text, or left out with
``only_reviewed``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from workbench.formats.common import EXPORTS_DIR, ExportResult, export_scope, file_stems, status_of, translations_for
from workbench.languages import language
from workbench.store import REVIEWED_STATUSES, Store
from workbench.workflow import is_reviewed
from workbench.workspace import Workspace

DRAFT_MARKS: dict[str, str] = {
    "untranslated": "[untranslated: source text]",
    "machine": "[draft: machine translation, not reviewed]",
    "needs-review": "[draft: needs review]",
}
"""How Markdown flags what is not ready to publish, by status."""

HEADINGS: dict[str, str] = {"title": "# ", "subtitle": "## ", "heading": "### "}

PUBLISHED_METADATA: tuple[str, ...] = ("signoff", "reference", "contact")
"""Metadata kinds a published statement carries: who signs it, who answers questions, and how to reach them.

The importer keeps them out of translation (names, titles, phone numbers); the
other metadata (dates, "Continue reading", page furniture) is not part of the text.
"""


def export_markdown(
    workspace: Workspace,
    *,
    locales: Iterable[str] | None = None,
    statement: int | str | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    only_reviewed: bool = False,
) -> ExportResult:
    """Write ``<out>/<locale>/<slug>.md``: each statement as a publishable document.

    A statement with nothing reviewed in a locale is not written with
    ``only_reviewed``: an empty page is nothing to publish.
    """
    scope = export_scope(workspace, locales, statement)
    stems = file_stems(scope.statements)
    root = Path(out_dir) if out_dir is not None else workspace.root / EXPORTS_DIR
    result = ExportResult()
    for locale in scope.locales:
        saved = translations_for(workspace.store, scope.statements, locale)
        lines = LineTranslations(workspace.store, locale)
        nothing_reviewed: list[str] = []
        for record in scope.statements:
            rows = [(segment, saved.get(segment["id"])) for segment in scope.segments[record["id"]]]
            left_out = sum(1 for _, row in rows if not is_reviewed(status_of(row)))
            if only_reviewed and left_out == len(rows):
                nothing_reviewed.append(record["slug"])
                continue
            if only_reviewed and left_out:
                result.warnings.append(f"{record['slug']} ({locale}): left out {left_out} of {len(rows)} segments not reviewed yet")
            path = root / locale / f"{stems[record['id']]}.md"
            result.write(path, render_markdown(record, rows, locale, only_reviewed=only_reviewed, metadata=lines.units(record)))
        if nothing_reviewed:
            shown = ", ".join(nothing_reviewed[:3]) + (", ..." if len(nothing_reviewed) > 3 else "")
            plural = "s" if len(nothing_reviewed) > 1 else ""
            result.warnings.append(f"{locale}: {len(nothing_reviewed)} statement{plural} with nothing reviewed yet, not written ({shown})")
    return result


class LineTranslations:
    """The sign-off, reference and contact units of statements, each line in one target language where one exists.

    These lines are never sent to translation, but the same line ("Eni
    Lestari, chairperson") may be a segment elsewhere that a volunteer has
    translated: a reviewed translation of exactly that source is used, and
    otherwise the line stays as in the source (names and numbers need none).
    Machine drafts are never used: a publishable line is a person's.
    """

    def __init__(self, store: Store, locale: str) -> None:
        self.store = store
        self.locale = locale
        self.known: dict[str, str] = {}

    def units(self, statement: dict[str, Any]) -> list[tuple[int, str, list[str]]]:
        """``(line, kind, lines)`` of each published metadata unit of ``statement``, in source order."""
        return [(unit["line"], unit["kind"], [self.line(line) for line in unit["text"].split("\n")])
                for unit in statement["metadata"].get("units", []) if unit["kind"] in PUBLISHED_METADATA]

    def line(self, source: str) -> str:
        if source not in self.known:
            rows = self.store.memory_rows(self.locale, REVIEWED_STATUSES, self.store.segments_with_source(source, besides=""))
            best = max(rows, key=lambda row: (row["status"] == "approved", row["updated"]), default=None)
            self.known[source] = best["target"] if best else source
        return self.known[source]


def render_markdown(
    statement: dict[str, Any], rows: list[tuple[dict[str, Any], dict[str, Any] | None]], locale: str, *, only_reviewed: bool,
    metadata: Sequence[tuple[int, str, list[str]]] = (),
) -> str:
    """One statement in the target language, in reading order.

    The date follows the title, as on the alliance's site; consecutive list items
    stay one list. ``metadata`` (sign-off, reference and contact units, see
    :class:`LineTranslations`) goes where it stands in the source, by line,
    each of its lines kept on its own line. Notes for the publisher are an HTML
    comment (invisible once published) and, while drafts remain, a visible warning.
    """
    drafts = sum(1 for _, row in rows if not is_reviewed(status_of(row)))
    excerpt = " An excerpt: the source statement is cut short." if statement["truncated"] else ""
    notes = [f"<!-- {statement['slug']} ({language(locale).name}), exported by workbench.{excerpt} -->"]
    if drafts and not only_reviewed:
        notes.append(f"> **Not ready to publish:** {drafts} of {len(rows)} segments are not reviewed yet; they are marked in brackets.")
    body: list[tuple[str, str]] = []
    lines: list[int | None] = []
    for segment, row in rows:
        status = status_of(row)
        if only_reviewed and not is_reviewed(status):
            continue
        text = row["text"] if row and status != "untranslated" else segment["source"]
        mark = "" if is_reviewed(status) else f" *{DRAFT_MARKS[status]}*"
        body.append((segment["kind"], _markdown_block(segment["kind"], text, mark)))
        lines.append(segment["line"])
    for line, kind, texts in metadata:
        place = next((index for index, segment_line in enumerate(lines) if segment_line is not None and segment_line > line), len(body))
        body.insert(place, (kind, "\\\n".join(escape_markdown(text.strip()) for text in texts)))
        lines.insert(place, line)
    if statement["date"]:
        after_title = next((index + 1 for index, (kind, _) in enumerate(body) if kind == "title"), 0)
        body.insert(after_title, ("date", f"*{statement['date']}*"))
    out = "\n\n".join(notes)
    for index, (kind, block) in enumerate(body):
        tight = kind == "list-item" and index > 0 and body[index - 1][0] == "list-item"
        out += ("\n" if tight else "\n\n") + block
    return out + "\n"


def _markdown_block(kind: str, text: str, mark: str) -> str:
    if kind in HEADINGS:
        return HEADINGS[kind] + escape_markdown(" ".join(text.split())) + mark
    if kind == "slogan":
        return "**" + escape_markdown(text.strip()) + "**" + mark
    if kind == "list-item":
        return "- " + escape_markdown(text.strip()).replace("\n", "\n  ") + mark
    return escape_markdown(text.strip()) + mark


_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START_SPECIALS = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Text that renders literally: ``Article 278 [263] (g)`` must not become a link.

    Inline markup characters are backslash-escaped everywhere; a ``#``, ``>``,
    ``-``, ``+``, ``=`` or ``1.`` starts a heading, quote or list only at the start
    of a line, so it is escaped only there.
    """
    escaped = _INLINE_SPECIALS.sub(r"\\\1", text)
    return _LINE_START_SPECIALS.sub(lambda found: found.group(1) + _escape_line_start(found.group(2)), escaped)


def _escape_line_start(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
