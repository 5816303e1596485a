"""JSON export: one file per language, ``<out>/<locale>.json``, for websites and scripts.

The schema, documented in ``docs/json-schema.md``::

    {
      "schema": "workbench-translations/1",
      "locale": "es",                        # workspace locale (gettext code)
      "language": "Spanish",
      "statements": [
        {
          "id": 3, "slug": "statement-on-the-2015-imd",
          "title": "Statement on the 2015 IMD",   # the source title
          "date": "2015-12-18",                   # ISO 8601, or null
          "truncated": false,                     # the source is an excerpt
          "segments": [
            {"id": "c64990ac0c3e", "kind": "title", "source": "...", "source_lang": "en",
             "target": "..." , "status": "translated"}
          ]
        }
      ]
    }

``target`` is null while a segment is untranslated. With ``only_reviewed`` the
segments whose translation is not reviewed (``translated`` or ``approved``) are left
out. Keys are stable: new ones may be added, none renamed without a new schema id.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from workbench.formats.common import EXPORTS_DIR, ExportResult, export_scope, status_of, translations_for
from workbench.languages import language
from workbench.workflow import is_reviewed
from workbench.workspace import Workspace

JSON_SCHEMA_ID = "workbench-translations/1"


def export_json(
    workspace: Workspace,
    *,
    locales: Iterable[str] | None = None,
    statement: int | str | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    only_reviewed: bool = False,
) -> ExportResult:
    """Write ``<out>/<locale>.json`` per locale, in the schema of the module docstring."""
    scope = export_scope(workspace, locales, statement)
    root = Path(out_dir) if out_dir is not None else workspace.root / EXPORTS_DIR
    result = ExportResult()
    for locale in scope.locales:
        saved = translations_for(workspace.store, scope.statements, locale)
        documents = []
        for record in scope.statements:
            items = []
            for segment in scope.segments[record["id"]]:
                row = saved.get(segment["id"])
                status = status_of(row)
                if only_reviewed and not is_reviewed(status):
                    continue
                items.append(
                    {
                        "id": segment["id"],
                        "kind": segment["kind"],
                        "source": segment["source"],
                        "source_lang": segment["source_lang"],
                        "target": row["text"] if row and status != "untranslated" else None,
                        "status": status,
                    }
                )
            documents.append(
                {
                    "id": record["id"],
                    "slug": record["slug"],
                    "title": record["title"],
                    "date": record["date"],
                    "truncated": record["truncated"],
                    "segments": items,
                }
            )
        payload = {"schema": JSON_SCHEMA_ID, "locale": locale, "language": language(locale).name, "statements": documents}
        path = root / f"{locale}.json"
        result.write(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return result
