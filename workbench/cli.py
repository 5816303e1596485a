"""The ``workbench`` command: a thin click shell over the Python API.

Each command parses its options, calls one function of the core modules and
prints the result. Errors a volunteer can fix (a bad file, an unknown language,
running outside a workspace) end with a one-line message and exit code 2; exit
code 1 means the command ran and found something to look at (``check``'s errors,
``import-po``'s conflicts).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from workbench import glossary as glossary_api
from workbench import lifecycle, merging, workflow
from workbench.checks import Summary, check_workspace, cycle_collection_paused, report_lines, spelling_note
from workbench.formats import FORMATS, FormatError, export, export_file, import_file
from workbench.formats.po import Notice, import_po
from workbench.glossary import GlossaryError
from workbench.importer import ImportInputError, import_each
from workbench.languages import DEFAULT_TARGET_LOCALES, TARGET_LOCALES, UnknownLanguageError, parse_lang_option, resolve_locale, target_locale
from workbench.mt import ENGINES, PIVOT_LANGUAGE, Engine, EngineError, EngineSettings, MTCache, Progress, draft_translations, open_engine
from workbench.mt.source_language import correct_source_language
from workbench.mt.suggestions import Alternative, Suggester
from workbench.search import (
    Change,
    Match,
    Query,
    ReplacePlan,
    Scope,
    SearchError,
    apply_replace,
    context_after,
    context_before,
    find,
    plan_replace,
)
from workbench.store import ConflictError, StoreError
from workbench.sync import Cancelled, Offline, SyncError, register_merge_drivers, sync
from workbench.textfacts import visible
from workbench.tm import TranslationMemory
from workbench.workspace import NotAWorkspaceError, Workspace, default_author

F = TypeVar("F", bound=Callable[..., Any])
NOTES_PER_FILE = 20
"""import-po prints this many notes per file at most, then how many more there are: a broken file can hold thousands."""

class InputError(click.ClickException):
    """A usage or input error: exit code 2, one line that says what to do."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        say(f"error: {self.format_message()}", err=True)


FRIENDLY_ERRORS = (NotAWorkspaceError, ImportInputError, UnknownLanguageError, StoreError, ConflictError, OSError, FormatError, GlossaryError,
                   EngineError, SearchError)


def friendly_errors(command: F) -> F:
    """Turn the core's expected errors into one-line messages instead of tracebacks."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            raise  # output piped into `head`: not the volunteer's mistake, nothing to explain
        except FRIENDLY_ERRORS as error:
            raise InputError(str(error)) from error

    return wrapper  # type: ignore[return-value]


def workspace_of(ctx: click.Context) -> Workspace:
    """The workspace chosen by --workspace, $WORKBENCH_WORKSPACE or the cwd (opened once)."""
    state = ctx.find_root().obj
    if state.get("workspace") is None:
        try:
            state["workspace"] = Workspace.find(state.get("workspace_option"))
        except NotAWorkspaceError as error:
            raise InputError(str(error)) from error
    return state["workspace"]


def say(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print human-readable output with every control character shown as a symbol.

    Statement, translation and term text is printed as it was imported: an ESC
    or an OSC sequence in it must not clear the volunteer's terminal or retitle it.
    """
    click.echo(visible(str(message)), err=err, nl=nl)


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def echo_json_text(text: str) -> None:
    """Print encoded JSON; C0 controls are escaped by ``json`` itself, and DEL, C1 and line separators here."""
    click.echo(_JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def emit_json(value: Any) -> None:
    """Print JSON, indented for people who read it."""
    echo_json_text(json.dumps(value, ensure_ascii=False, indent=2))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", "-w", "workspace_option", metavar="DIR", help="Workspace folder (default: $WORKBENCH_WORKSPACE, else the current folder).")
@click.version_option(package_name="workbench")
@click.pass_context
def cli(ctx: click.Context, workspace_option: str | None) -> None:
    """Translate the alliance's statements offline: import, draft, review, export.

    Run without a command to open the translation workbench.
    """
    ctx.obj = {"workspace_option": workspace_option}
    if ctx.invoked_subcommand is None:
        open_workbench(ctx)


@friendly_errors
def open_workbench(ctx: click.Context) -> None:
    """Open the workspace; the first time, load its glossary and import its statements.

    This is what lets a fresh clone of the repository, itself a workspace, open
    straight onto the bundled sample statements.
    """
    workspace = workspace_of(ctx)
    for report in lifecycle.first_open(workspace):
        say(report.summary(), err=True)
    from workbench.tui import run  # Textual loads only for the TUI, never for subcommands

    run(workspace)


@cli.command(short_help="Serve the workbench to browsers (one app per tab).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only (see the README before opening it wider).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the workbench to browsers until Ctrl+C: each tab runs its own app on this workspace.

    Each browser is asked its volunteer's name the first time, and keeps it. There is no
    password: put a reverse proxy that asks for one in front before serving beyond loopback.
    """
    workspace = workspace_of(ctx)
    for report in lifecycle.first_open(workspace):  # once here, not racing in the first tabs
        say(report.summary(), err=True)
    from workbench.tui.serving import ServeError, serve as serve_workbench  # Textual loads only to serve

    try:
        serve_workbench(workspace.root, host, port)
    except ServeError as error:
        raise InputError(str(error)) from error


@cli.command(short_help="Create a workspace in DIRECTORY.")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--lang", "langs", metavar="L,L",
              help=f"Target locales, from {', '.join(TARGET_LOCALES)} (default: {','.join(DEFAULT_TARGET_LOCALES)}).")
@friendly_errors
def init(directory: str, langs: str | None) -> None:
    """Create a workspace (data/, glossary/, locales/) in DIRECTORY.

    Its .gitattributes sends PO and TBX files to workbench's merge drivers, and
    inside a git repository they are registered at once, so a plain 'git pull'
    merges translations entry by entry too.
    """
    targets = [target_locale(part.strip()) for part in langs.split(",") if part.strip()] if langs else None
    workspace = lifecycle.create_workspace(directory, targets)
    try:
        register_merge_drivers(workspace.root)
    except SyncError as error:  # no git on this machine: the workspace works alone, and its first sync says what to install
        say(f"note: {error}", err=True)
    say(f"workspace ready in {workspace.root} (targets: {', '.join(workspace.target_locales)})")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.pass_context
@friendly_errors
def import_command(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Import statement files (.txt, .md) or folders of them."""
    failed = False
    for report in import_each(workspace_of(ctx), paths):
        for warning in report.warnings:
            say(f"warning: {warning}", err=True)
        if report.error:
            failed = True
            say(f"error: {report.error}", err=True)
        else:
            say(report.summary())
            for note in report.notes:
                say(f"  {note}")
    if failed:
        ctx.exit(2)


def print_statement_list(workspace: Workspace) -> None:
    rows = workspace.statement_summaries()
    if not rows:
        say("no statements yet: run 'workbench import data/statements'")
        return
    langs = workspace.target_locales
    header = f"{'id':>4}  {'date':10}  {'segs':>4}  " + "  ".join(f"{lang:>6}" for lang in langs) + "  title"
    say(header)
    for row in rows:
        cells = []
        for lang in langs:
            counts = row["progress"][lang]
            cells.append(f"{workflow.done_percent(counts):>5}%")
        mark = " [excerpt]" if row["truncated"] else ""
        say(f"{row['id']:>4}  {row['date'] or '':10}  {row['segments']:>4}  " + "  ".join(cells) + f"  {row['title']}{mark}")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def list_command(ctx: click.Context, as_json: bool) -> None:
    """List statements with their progress per language."""
    workspace = workspace_of(ctx)
    if as_json:
        emit_json(workspace.statement_summaries())
    else:
        print_statement_list(workspace)


@cli.command(short_help="Show a statement with its segments and translations.")
@click.argument("statement")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, statement: str, as_json: bool) -> None:
    """Show a statement (by id or slug) with its segments and translations."""
    workspace = workspace_of(ctx)
    document = workspace.statement_document(statement)
    if as_json:
        emit_json(document)
        return
    mark = "  [excerpt: cut by 'Continue reading']" if document["truncated"] else ""
    say(f"#{document['id']} {document['title']}{mark}")
    say(f"date: {document['date'] or '-'}   slug: {document['slug']}   from: {document['source_file']}")
    for segment in document["segments"]:
        say(f"\n[{segment['id']}] {segment['kind']} ({segment['source_lang']})")
        say(f"  {segment['source']}")
        for lang, translation in segment["translations"].items():
            if translation["text"]:
                say(f"  {lang} [{translation['status']}] {translation['text']}")


@cli.command("export", short_help="Export translations as PO, JSON or Markdown.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="po", show_default=True, help="PO files per statement, one JSON file per language, or Markdown per statement.")
@click.option("--lang", "langs", metavar="L,L", help="Target locales (default: all of the workspace's).")
@click.option("--statement", metavar="ID", help="Only this statement (id or slug).")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False), help="Folder to write to (default: locales/ for PO, exports/ otherwise).")
@click.option("--only-reviewed", is_flag=True, help="json/md: leave out translations nobody has reviewed yet.")
@click.pass_context
@friendly_errors
def export_command(ctx: click.Context, fmt: str, langs: str | None, statement: str | None, out_dir: str | None, only_reviewed: bool) -> None:
    """Export translations as PO (for Poedit, Weblate), JSON or Markdown."""
    workspace = workspace_of(ctx)
    result = export(workspace, fmt, locales=parse_lang_option(langs, workspace.target_locales), statement=statement,
                    out_dir=out_dir, only_reviewed=only_reviewed)
    for warning in result.warnings:
        say(f"warning: {warning}", err=True)
    say(result.summary())


@cli.command("import-po", short_help="Bring back PO files edited in Poedit or Weblate.")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--theirs", is_flag=True, help="On a conflict make the file's text current (the workspace's goes to history).")
@click.option("--lang", metavar="L", help="The language of the files' translations, when their Language header disagrees with their export.")
@click.pass_context
@friendly_errors
def import_po_command(ctx: click.Context, files: tuple[str, ...], theirs: bool, lang: str | None) -> None:
    """Import PO files edited in Poedit, Weblate or a text editor (a folder: every .po in it).

    Exit code 1 when there are conflicts to look at, 2 when a file was refused.
    """
    summary = import_po(workspace_of(ctx), files, theirs=theirs, lang=lang)
    for conflict in summary.conflicts:
        say(str(conflict))
    for line in capped_notes(summary.skipped + summary.notices):
        say(line)
    for error in summary.errors:
        say(f"error: {error}", err=True)
    if summary.files or not summary.errors:  # a lone refused file: its error line says it all
        say(summary.summary())
    if summary.errors:
        ctx.exit(2)
    if summary.conflicts:
        ctx.exit(1)


def capped_notes(notices: list[Notice], per_file: int = NOTES_PER_FILE) -> Iterator[str]:
    """``note:`` lines, at most ``per_file`` for each file, then how many more that file has."""
    by_file: dict[Path, list[Notice]] = {}
    for notice in notices:
        by_file.setdefault(notice.path, []).append(notice)
    for path, notes in by_file.items():
        yield from (f"note: {notice}" for notice in notes[:per_file])
        if len(notes) > per_file:
            yield f"\u2026 and {len(notes) - per_file:,} more notes in {path}"


# -- glossary and checks ------------------------------------------------------------------


@cli.group(short_help="The glossary: list, add, edit, remove, import, export.")
def glossary() -> None:
    """The glossary of movement terms: import, export, list, add, edit, remove."""


@glossary.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
@friendly_errors
def glossary_import(ctx: click.Context, file: str) -> None:
    """Merge a glossary file (.csv or .tbx) into the workspace glossary."""
    workspace = workspace_of(ctx)
    max_bytes = round(workspace.limits.glossary_max_mb * 1_000_000)
    say(import_file(workspace.store, file, workspace.target_locales, max_bytes=max_bytes).summary())
    lifecycle.save_glossary_file(workspace)


@glossary.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lang", "langs", metavar="L,L", help="Languages to export (default: all targets).")
@click.pass_context
@friendly_errors
def glossary_export(ctx: click.Context, file: str, langs: str | None) -> None:
    """Write the glossary to FILE (.csv or .tbx, TBX-Basic)."""
    workspace = workspace_of(ctx)
    count = export_file(workspace.store, file, parse_lang_option(langs, workspace.target_locales))
    say(f"wrote {count} terms to {file}")


@glossary.command("list", short_help="List the terms with their renderings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def glossary_list(ctx: click.Context, as_json: bool) -> None:
    """List the terms with their renderings ('?' marks an unverified rendering)."""
    terms = glossary_api.list_terms(workspace_of(ctx).store)
    if as_json:
        emit_json([term.to_dict() for term in terms])
        return
    for term in terms:
        renderings = " | ".join(
            f"{locale} {record.preferred}{'' if record.verified else ' ?'}" for locale, record in term.renderings.items()
        )
        say(f"{term.id:>4}  {term.term} [{term.treatment}, {term.kind}]  {renderings}")


def term_options(command: F) -> F:
    """Options shared by 'glossary add' and 'glossary edit'; lists are separated by ';'."""
    options = [
        click.option("--forms", help="English forms and variants, e.g. 'migrant worker; migrant workers'."),
        click.option("--kind", help="name, acronym, concept, slogan, role ..."),
        click.option("--treatment", type=click.Choice(glossary_api.TREATMENTS)),
        click.option("--notes"),
        click.option("--case-sensitive/--case-insensitive", "case_sensitive", default=None),
        click.option("--render", multiple=True, metavar="LANG=TEXT", help="Preferred rendering."),
        click.option("--variants", multiple=True, metavar="LANG=A;B", help="Accepted variants."),
        click.option("--forbidden", multiple=True, metavar="LANG=A;B", help="Forbidden renderings."),
        click.option("--patterns", multiple=True, metavar="LANG=A;B", help="Inflected forms: 'trabajador* migrante*' or 're:REGEX'."),
        click.option("--unverified", multiple=True, metavar="LANG", help="The rendering needs a native speaker's check."),
        click.option("--verified", multiple=True, metavar="LANG", help="A native speaker checked the rendering."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def locale_values(values: tuple[str, ...], locales: list[str], *, lists: bool) -> dict[str, Any]:
    """Parse repeated LANG=TEXT options into {locale: text} (or {locale: [texts]})."""
    parsed: dict[str, Any] = {}
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep:
            raise InputError(f"{value!r}: write LANG=TEXT, for example es=trabajadores migrantes")
        parsed[resolve_locale(lang, locales)] = glossary_api.split_list(text) if lists else text.strip()
    return parsed


def rendering_options(workspace: Workspace, options: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The rendering options of 'add'/'edit', parsed into the changes :func:`~workbench.glossary.changed_renderings` takes."""
    locales = workspace.target_locales
    verified = {resolve_locale(lang, locales): False for lang in options["unverified"]}
    verified |= {resolve_locale(lang, locales): True for lang in options["verified"]}
    return {
        "preferred": locale_values(options["render"], locales, lists=False),
        **{name: locale_values(options[name], locales, lists=True)
           for name in ("variants", "forbidden", "patterns", "add_variants", "add_forbidden", "add_patterns") if name in options},
        "verified": verified,
        "drop": [resolve_locale(lang, locales) for lang in drop],
    }


@glossary.command("add", short_help="Add a term with its renderings.")
@click.argument("term")
@term_options
@click.pass_context
@friendly_errors
def glossary_add(ctx: click.Context, term: str, **options: Any) -> None:
    """Add TERM, e.g.: add "migrant workers" --render es="trabajadores migrantes"."""
    workspace = workspace_of(ctx)
    renderings = glossary_api.changed_renderings({}, **rendering_options(workspace, options))
    added = glossary_api.add_term(
        workspace.store, term, english_forms=glossary_api.split_list(options["forms"]),
        kind=options["kind"] or "concept", treatment=options["treatment"] or "translate",
        renderings={locale: r for locale, r in renderings.items() if r is not None},
        notes=options["notes"] or "", case_sensitive=options["case_sensitive"],
    )
    lifecycle.save_glossary_file(workspace)
    say(f"added #{added.id} {added.term!r}")


@glossary.command("edit", short_help="Change a term; options not given stay as they are.")
@click.argument("term_key", metavar="TERM")
@click.option("--term", "new_term", help="New English text for the term.")
@term_options
@click.option("--add-variants", multiple=True, metavar="LANG=A;B", help="Accept these variants too (the others stay).")
@click.option("--add-forbidden", multiple=True, metavar="LANG=A;B", help="Forbid these renderings too (the others stay).")
@click.option("--add-patterns", multiple=True, metavar="LANG=A;B", help="Accept these inflected forms too (the others stay).")
@click.option("--drop", multiple=True, metavar="LANG", help="Remove the rendering for LANG.")
@click.pass_context
@friendly_errors
def glossary_edit(ctx: click.Context, term_key: str, new_term: str | None, drop: tuple[str, ...], **options: Any) -> None:
    """Change TERM (its id or exact text); options not given stay as they are.

    The changes apply to the term as it is when they are saved, so edits run
    at the same time by teammates all take effect.
    """
    workspace = workspace_of(ctx)
    changes = rendering_options(workspace, options, drop)
    edited = glossary_api.edit_term(
        workspace.store, term_key, term=new_term,
        english_forms=None if options["forms"] is None else glossary_api.split_list(options["forms"]),
        kind=options["kind"], treatment=options["treatment"], notes=options["notes"],
        case_sensitive=options["case_sensitive"],
        renderings=lambda current: glossary_api.changed_renderings(current, **changes),
    )
    lifecycle.save_glossary_file(workspace)
    say(f"edited #{edited.id} {edited.term!r}")


@glossary.command("remove")
@click.argument("term_key", metavar="TERM")
@click.pass_context
@friendly_errors
def glossary_remove(ctx: click.Context, term_key: str) -> None:
    """Remove TERM (its id or exact text)."""
    workspace = workspace_of(ctx)
    removed = glossary_api.remove_term(workspace.store, term_key)
    lifecycle.save_glossary_file(workspace)
    say(f"removed #{removed.id} {removed.term!r}")


@cli.command(short_help="Review translations and drafts; exit 1 on errors.")
@click.option("--lang", "langs", metavar="L,L", help="Languages to check (default: all targets).")
@click.option("--statement", metavar="ID", help="Check one statement (id or slug).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
@friendly_errors
def check(ctx: click.Context, langs: str | None, statement: str | None, as_json: bool) -> None:
    """Check translations and machine drafts (listed apart); exit code 1 when errors exist."""
    workspace = workspace_of(ctx)
    locales = parse_lang_option(langs, workspace.target_locales)
    statement_id = workspace.store.statement(statement)["id"] if statement else None
    with cycle_collection_paused():  # a hundred thousand findings become text, and none of them is garbage yet
        findings = check_workspace(workspace.store, locales, statement_id)
        if as_json:
            emit_json_lines([finding.to_dict() for finding in findings])
        else:
            say("\n".join(report_lines(findings)))
            for note in filter(None, map(spelling_note, locales)):
                say(note)
    if Summary.of(findings).errors:
        ctx.exit(1)


# -- search and replace --------------------------------------------------------------------


def search_options(command: F) -> F:
    """The options 'search' and 'replace' share: where to look and how the pattern matches."""
    options = [
        click.option("--lang", "langs", metavar="L,L", help="Look in these target languages (default: all, and the source)."),
        click.option("--source", "in_source", is_flag=True, help="Look in the source text (with --lang: there too)."),
        click.option("--statement", metavar="ID", help="Only this statement (id or slug)."),
        click.option("--regex", is_flag=True, help="PATTERN is a Python regular expression."),
        click.option("--word", is_flag=True, help="Match whole words only."),
        click.option("--case", is_flag=True, help="Match upper and lower case exactly."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _highlighted(before: str, piece: str, after: str, *, colour: str | None) -> str:
    """``before[piece]after``, the piece in ``colour`` instead of brackets on a terminal; controls made visible first."""
    shown = visible(piece)
    marked = click.style(shown, fg=colour, bold=True) if colour else f"[{shown}]"
    return visible(before) + marked + visible(after)


def _colour(name: str) -> str | None:
    """``name`` when stdout is a terminal that shows colour, None when brackets must mark the pieces."""
    return name if sys.stdout.isatty() else None


def _match_line(match: Match) -> str:
    where = f"{match.lang} source" if match.field == "source" else match.lang
    return f"#{match.statement_id} [{match.segment_id}] {where:<9} {match.start:>5}  " + _highlighted(
        match.before, match.text, match.after, colour=_colour("yellow"))


@cli.command("search", short_help="Find text in sources and translations.")
@click.argument("pattern")
@search_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def search_command(ctx: click.Context, pattern: str, langs: str | None, in_source: bool, statement: str | None,
                   regex: bool, word: bool, case: bool, as_json: bool) -> None:
    """Find PATTERN in every statement's source and translations, case-insensitively unless --case.

    Each match is printed with its statement, segment id, language, position
    (characters from the start of the text) and a snippet of context.
    """
    workspace = workspace_of(ctx)
    targets = () if in_source and not langs else tuple(parse_lang_option(langs, workspace.target_locales))
    scope = Scope(source=in_source or not langs, langs=targets, statement=statement)
    matches = find(workspace.store, Query(pattern, regex=regex, whole_word=word, case_sensitive=case), scope)
    if as_json:
        emit_json([match.to_dict() for match in matches])
        return
    for match in matches:
        click.echo(_match_line(match))
    segments = len({match.segment_id for match in matches})
    statements = len({match.statement_id for match in matches})
    say(f"{_count(len(matches), 'match', 'matches')} in {_count(segments, 'segment')} of {_count(statements, 'statement')}"
        if matches else f"no match for '{pattern}'")


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _change_lines(change: Change) -> Iterator[str]:
    """A change as the preview prints it: its translation, then each replaced piece in context, old then new."""
    status = change.status if change.new_status == change.status else f"{change.status} \u2192 {change.new_status}"
    yield f"#{change.statement_id} [{change.segment_id}] {change.lang} (version {change.version}, {status})"
    for (old_start, old_end), (new_start, new_end) in zip(change.old_spans, change.new_spans, strict=True):
        yield "  - " + _highlighted(context_before(change.old, old_start), change.old[old_start:old_end],
                                    context_after(change.old, old_end), colour=_colour("red"))
        yield "  + " + _highlighted(context_before(change.new, new_start), change.new[new_start:new_end],
                                    context_after(change.new, new_end), colour=_colour("green"))


def _plan_summary(plan: ReplacePlan) -> str:
    return f"{_count(plan.replacements, 'replacement')} in {_count(len(plan.changes), 'translation')}"


@cli.command("replace", short_help="Replace text in translations, after a preview.")
@click.argument("pattern")
@click.argument("replacement")
@search_options
@click.option("--yes", is_flag=True, help="Replace without showing the preview and asking.")
@click.pass_context
@friendly_errors
def replace_command(ctx: click.Context, pattern: str, replacement: str, langs: str | None, in_source: bool, statement: str | None,
                    regex: bool, word: bool, case: bool, yes: bool) -> None:
    """Replace PATTERN by REPLACEMENT in the --lang translations: shows every change and asks first, unless --yes.

    Only the matched text changes. Each change is an edit in the history, and
    its status follows the editing rule (a machine draft goes to needs-review,
    an approved text back to translated). A translation someone changed after
    the preview is left as it is and reported; exit code 1 when that happens.
    With --regex, REPLACEMENT may refer to groups as \\1 or \\g<name>.
    """
    workspace = workspace_of(ctx)
    targets = tuple(parse_lang_option(langs, workspace.target_locales)) if langs else ()
    scope = Scope(source=in_source, langs=targets, statement=statement)  # the source, or no language, is refused with what to do
    plan = plan_replace(workspace.store, Query(pattern, regex=regex, whole_word=word, case_sensitive=case), replacement, scope)
    if not plan.changes:
        say(f"nothing to replace: no {', '.join(targets)} translation would change")
        return
    if not yes:
        for change in plan.changes:
            for line in _change_lines(change):
                click.echo(line)
        try:
            confirmed = click.confirm(f"Make these {_plan_summary(plan)}?", default=False)
        except click.Abort:
            say()  # the question is left without its line end
            raise InputError("nothing replaced: answer the question in a terminal, or add --yes to replace without asking") from None
        if not confirmed:
            say("nothing replaced")
            return
    result = apply_replace(workspace.store, plan, author=default_author())
    for conflict in result.conflicts:
        say(str(conflict))
    say(f"replaced: {_plan_summary(ReplacePlan(tuple(result.changed)))}"
        + (f"; {_count(len(result.conflicts), 'conflict')}, not replaced" if result.conflicts else ""))
    if result.conflicts:
        ctx.exit(1)


def emit_json_lines(items: list[dict[str, Any]]) -> None:
    """Print a JSON list with one item per line, for a hundred thousand findings.

    :func:`emit_json`'s indentation makes ``json`` encode in Python, several
    times slower; one encoder, made once, encodes each line in C.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    echo_json_text("[\n" + ",\n".join(map(encode, items)) + "\n]" if items else "[]")


# -- machine translation: models, drafts, translation memory ---------------------------------


def _engine(ctx: click.Context, name: str | None = None) -> Engine:
    """The MT engine of the workspace's ``[mt]`` settings (or ``name``); outside a workspace, Argos."""
    try:
        settings = workspace_of(ctx).mt
    except InputError:  # managing models needs no workspace
        settings = EngineSettings()
    return open_engine(replace(settings, engine=name) if name else settings)


def _size(size_bytes: int | None) -> str:
    if size_bytes is None:
        return ""
    return f"{size_bytes / 1_000_000:.1f} MB" if size_bytes >= 1_000_000 else f"{size_bytes // 1000} KB"


@cli.group(short_help="Machine-translation models: list, install, remove.")
def models() -> None:
    """Machine-translation models: list, install (codes or .argosmodel files), remove."""


@models.command("list", short_help="The engine's models, and the targets it cannot draft.")
@click.option("--engine", "engine_name", type=click.Choice(sorted(ENGINES)), help="List this engine's models (default: the workspace's).")
@click.pass_context
@friendly_errors
def models_list(ctx: click.Context, engine_name: str | None) -> None:
    """The engine's models or pairs, and the workspace's targets it cannot draft."""
    try:
        locales = workspace_of(ctx).target_locales
    except InputError:  # listing models needs no workspace: then check the default targets
        locales = list(DEFAULT_TARGET_LOCALES)
    engine = _engine(ctx, engine_name)
    listing = engine.listing()
    say(listing.location)
    for model in listing.models:
        say(f"  {model.pair:8}  {model.version:6}  {_size(model.size_bytes):>8}  {model.description}".rstrip())
    if not listing.models:
        say("  (none)")
    for problem in listing.problems:
        say(f"warning: {problem}", err=True)
    missing = engine.missing([(PIVOT_LANGUAGE, engine.code(locale)) for locale in locales])
    if missing:
        say(f"no model for: {', '.join(f'{a}->{b}' for a, b in missing)}: {engine.how_to_get(missing)}")


@models.command("install", short_help="Install models from the Argos index or .argosmodel files.")
@click.argument("items", nargs=-1, required=True, metavar="CODE|FILE...")
@click.pass_context
@friendly_errors
def models_install(ctx: click.Context, items: tuple[str, ...]) -> None:
    """Install models: target codes (es fr id tl, or a pair like tl-en) from the Argos index, or .argosmodel files."""
    for model in _engine(ctx).install(items):
        say(f"installed {model.pair} {model.version} ({_size(model.size_bytes)}) in {model.description}")


@models.command("remove")
@click.argument("pair")
@click.pass_context
@friendly_errors
def models_remove(ctx: click.Context, pair: str) -> None:
    """Uninstall the model for PAIR (en->es, en-es, or es)."""
    model = _engine(ctx).remove(pair)
    say(f"removed {model.pair} {model.version}")


@cli.command(short_help="Draft machine translations where nobody has worked.")
@click.option("--lang", "langs", metavar="L,L", help="Target locales (default: all of the workspace's).")
@click.option("--statement", metavar="ID", help="Only this statement (id or slug).")
@click.option("--retranslate", is_flag=True, help="Also refresh existing machine drafts (human work is never touched).")
@click.option("--engine", "engine_name", type=click.Choice(sorted(ENGINES)), help="Draft with this engine for this run (default: [mt] engine in workbench.toml).")
@click.pass_context
@friendly_errors
def translate(ctx: click.Context, langs: str | None, statement: str | None, retranslate: bool, engine_name: str | None) -> None:
    """Draft machine translations of every segment no volunteer has translated (Ctrl-C stops cleanly).

    Exits 0 when every segment it could draft got a draft, 1 when MT failed on
    some (they are listed, and every other draft is saved), 130 when cancelled.
    """
    workspace = workspace_of(ctx)
    locales = parse_lang_option(langs, workspace.target_locales)
    store = workspace.store
    statement_id = store.statement(statement)["id"] if statement else None
    engine = _engine(ctx, engine_name)
    if not engine.pairs():
        raise InputError(f"no translation model is installed for the {engine.name} engine: {engine.how_to_get([])}")
    show = _progress_bar() if sys.stderr.isatty() else None
    report = _cancellable(lambda cancel: draft_translations(
        store, locales, statement_id=statement_id, retranslate=retranslate, engine=engine,
        glossary=glossary_api.Glossary.from_store(store), progress=show, cancel=cancel))
    if show is not None:
        say(err=True)
    for line in report.lines():
        say(line)
    if report.cancelled:
        ctx.exit(130)  # what a shell expects after Ctrl-C, so `translate && export` stops here
    if report.failed:
        ctx.exit(1)


def _progress_bar() -> Callable[[Progress], None]:
    """A one-line bar on stderr, redrawn in place: pair, bar, done/total sentences, rate, time left."""

    def show(progress: Progress) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        eta = "--:--" if progress.eta is None else f"{int(progress.eta // 60)}:{int(progress.eta % 60):02d}"
        digits = len(str(progress.total))
        figures = f" {progress.done:>{digits}}/{progress.total} sentences {progress.rate:5.0f}/s {eta:>6} left"
        label = f"{progress.label} " if progress.label else ""
        cells = max(10, min(40, width - len(label) - len(figures) - 3))  # the same width all run long
        filled = cells * progress.done // progress.total if progress.total else cells
        line = f"{label}[{'#' * filled}{'-' * (cells - filled)}]{figures}"
        click.echo(f"\r{visible(line[:width - 1]):<{width - 1}}", nl=False, err=True)  # \r redraws the bar in place

    return show


def _cancellable(work: Callable[[threading.Event], Any]) -> Any:
    """Run ``work`` in a worker thread so that Ctrl-C cancels between batches and keeps finished drafts.

    The wait polls an Event, never ``Thread.join``: a Ctrl-C that interrupts
    ``join`` on Python 3.11 can mark a still-running thread as finished, and the
    result was then read before the worker had produced it. A second Ctrl-C
    stops at once; the drafts of the unfinished run are not saved.
    """
    cancel = threading.Event()
    finished = threading.Event()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work(cancel)
        except BaseException as error:  # re-raised in the main thread below
            outcome["error"] = error
        finally:
            finished.set()

    try:
        threading.Thread(target=run, name="workbench-translate", daemon=True).start()
        while not finished.wait(0.2):
            pass
    except KeyboardInterrupt:
        cancel.set()
        say("\ncancelling after the current batch (Ctrl-C again stops at once)...", err=True)
        try:
            while not finished.wait(0.2):
                pass
        except KeyboardInterrupt:
            say("stopped: the drafts of this run were not saved", err=True)
            sys.stderr.flush()
            os._exit(130)  # a daemon worker inside CTranslate2 would abort a normal interpreter exit
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@cli.command("tm", short_help="Translation-memory matches for a segment, scored 0-100.")
@click.argument("segment_id")
@click.option("--lang", "langs", metavar="L,L", help="Target locales (default: all of the workspace's).")
@click.option("--limit", default=5, show_default=True, help="Matches per language.")
@click.option("--min-score", default=60.0, show_default=True, help="Lowest score shown (0-100).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def tm_command(ctx: click.Context, segment_id: str, langs: str | None, limit: int, min_score: float, as_json: bool) -> None:
    """Translation-memory matches for SEGMENT_ID from the workspace's human translations, scored 0-100."""
    workspace = workspace_of(ctx)
    memory = TranslationMemory(workspace.store)
    segment = workspace.store.segment(segment_id)
    found = {locale: memory.for_segment(segment_id, locale, limit=limit, min_score=min_score)
             for locale in parse_lang_option(langs, workspace.target_locales)}
    if as_json:
        emit_json({"segment_id": segment_id, "source": segment["source"], "matches": {
            locale: [{"score": m.score, "source": m.source, "target": m.target, "segment_id": m.segment_id, "status": m.status}
                     for m in matches] for locale, matches in found.items()}})
        return
    say(f"[{segment_id}] {segment['source']}")
    for locale, matches in found.items():
        say(f"{locale}:" + ("" if matches else f" no match scoring {min_score:g} or more"))
        for match in matches:
            say(f"  {match.score:5.1f}  [{match.status}] {match.target}")
            say(f"         from {match.segment_id}: {match.source}")


MAX_ALTERNATIVES = 10
"""The most alternatives ``workbench alternatives`` asks for: the engine's beam, and its time, grow with the number."""
CONFIDENCE_GLYPHS = "\u2581\u2583\u2585\u2587"
"""▁▃▅▇: a confidence's quarter of 0-1 at a glance, beside its figure, so no colour is needed."""


def _suggester(ctx: click.Context, engine: Engine) -> Suggester:
    """Suggestions through ``engine`` with the workspace's glossary and MT cache, as drafting has them."""
    store = workspace_of(ctx).store
    return Suggester(engine, glossary=glossary_api.Glossary.from_store(store), cache=MTCache(store))


def _confidence_cell(confidence: float | None) -> str:
    """``0.93 ▇``; a dash where the engine gives no score, so the texts still line up."""
    if confidence is None:
        return "  --  "
    return f"{confidence:.2f} {CONFIDENCE_GLYPHS[min(3, int(confidence * 4))]}"


def _alternative_document(alternative: Alternative) -> dict[str, Any]:
    """One alternative as ``alternatives --json`` prints it (docs/json-schema.md): plain lists and dicts."""
    return {"text": alternative.text, "confidence": alternative.confidence, "origin": alternative.origin,
            "flags": list(alternative.flags), "sentences": [sentence.as_dict() for sentence in alternative.sentences]}


@cli.command("alternatives", short_help="Other machine translations of a segment, best first.")
@click.argument("segment_id")
@click.option("--lang", "lang", metavar="L", required=True, help="Target locale.")
@click.option("-n", "--n", "count", default=5, show_default=True, type=click.IntRange(1, MAX_ALTERNATIVES), help="How many alternatives at most.")
@click.option("--engine", "engine_name", type=click.Choice(sorted(ENGINES)), help="Ask this engine (default: [mt] engine in workbench.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def alternatives_command(ctx: click.Context, segment_id: str, lang: str, count: int, engine_name: str | None, as_json: bool) -> None:
    """Other machine translations of SEGMENT_ID, best first, each with the engine's confidence (0-1).

    The second one varies the paragraph's least confident sentence: the one most likely to be better.
    """
    workspace = workspace_of(ctx)
    locale = resolve_locale(lang, workspace.target_locales)
    segment = workspace.store.segment(segment_id)
    found = _suggester(ctx, _engine(ctx, engine_name)).alternatives(segment, locale, count)
    if as_json:
        emit_json([_alternative_document(alternative) for alternative in found])
        return
    say(f"[{segment_id}] {segment['source']}")
    if not found:
        say(f"{locale}: no alternatives: the segment has no sentence to translate")
        return
    say(f"{locale}, best first, from {found[0].origin}:")
    for number, alternative in enumerate(found, 1):
        say(f"{number:>2}. {_confidence_cell(alternative.confidence)}  {alternative.text}")
        for flag in alternative.flags:
            say(f"{'':>12}flag: {flag}")


@cli.command("complete", short_help="Finish a segment's translation from the words typed.")
@click.argument("segment_id")
@click.option("--lang", "lang", metavar="L", required=True, help="Target locale.")
@click.option("--prefix", required=True, metavar="TEXT", help="The start of the translation, as typed; kept exactly.")
@click.option("--engine", "engine_name", type=click.Choice(sorted(ENGINES)), help="Ask this engine (default: [mt] engine in workbench.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def complete_command(ctx: click.Context, segment_id: str, lang: str, prefix: str, engine_name: str | None, as_json: bool) -> None:
    """Print SEGMENT_ID's translation continued from --prefix: the machine finishes what a volunteer started.

    The output starts with the prefix exactly; the sentences after the one it
    ends in are translated as a draft would translate them.
    """
    workspace = workspace_of(ctx)
    locale = resolve_locale(lang, workspace.target_locales)
    segment = workspace.store.segment(segment_id)
    engine = _engine(ctx, engine_name)
    if not engine.capabilities.prefix:  # asked before the engine is, so a server that is down is not the answer
        raise InputError(f"the {engine.name} engine cannot continue a translation from your words: "
                         "use --engine argos, or engine = \"argos\" under [mt] in workbench.toml")
    completed = _suggester(ctx, engine).complete(segment, locale, prefix)
    if as_json:
        emit_json({"text": completed.text, "confidence": completed.confidence})
    else:
        say(completed.text)


@cli.group("segment")
def segment_group() -> None:
    """One segment: correct what import got wrong about it."""


@segment_group.command("lang", short_help="Correct a segment's source language; redo its drafts.")
@click.argument("segment_id")
@click.argument("lang")
@click.pass_context
@friendly_errors
def segment_lang(ctx: click.Context, segment_id: str, lang: str) -> None:
    """Set SEGMENT_ID's source language to LANG (en, tl, ...) and redo its untouched machine drafts from it."""
    workspace = workspace_of(ctx)
    store = workspace.store
    change = correct_source_language(store, segment_id, lang, locales=workspace.target_locales, engine=lambda: _engine(ctx),
                                     glossary=glossary_api.Glossary.from_store(store))
    for line in change.lines():
        say(line)


# -- working as a team: sync through git, and git's merge drivers ----------------------------


@cli.command("sync", short_help="Share work through git: export, commit, merge, import, push.")
@click.option("--remote", default="origin", show_default=True, help="The git remote the team shares.")
@click.option("--progress", "show_progress", is_flag=True, help="Name each step as it starts, on stderr (the default on a terminal).")
@click.pass_context
@friendly_errors
def sync_command(ctx: click.Context, remote: str, show_progress: bool) -> None:
    """Send your work to the team's repository and bring theirs in.

    Exports what changed, commits it as you (git's user.name and user.email,
    or $WORKBENCH_AUTHOR), fetches and merges the remote (PO files entry by
    entry, the glossary term by term), imports what teammates changed, and
    pushes. Exit code 1 when there are conflicts to settle (both texts are
    kept), the remote cannot be reached, or ctrl+c stopped the sync (your
    work stays committed here, and the next sync goes on).
    """
    workspace = workspace_of(ctx)
    steps = show_progress or sys.stderr.isatty()
    stop = threading.Event()
    interrupted = signal.signal(signal.SIGINT, lambda *_: stop.set())  # ctrl+c stops between steps, or the fetch or push at once
    try:
        report = sync(workspace, remote, progress=(lambda step: say(f"{step}\u2026", err=True)) if steps else None, cancel=stop)
    except (Offline, Cancelled) as kept:
        say(str(kept))
        ctx.exit(1)
    except SyncError as error:
        raise InputError(str(error)) from error
    finally:
        signal.signal(signal.SIGINT, interrupted)
    for line in report.lines():
        say(line)
    if report.conflicts:
        ctx.exit(1)


def driver_arguments(command: F) -> F:
    """The arguments git gives a merge driver: ``%O %A %B %P``."""
    for argument in reversed([click.argument("base", type=click.Path(dir_okay=False)), click.argument("ours", type=click.Path(dir_okay=False)),
                              click.argument("theirs", type=click.Path(dir_okay=False)), click.argument("name", required=False)]):
        command = argument(command)
    return command


def run_merge_driver(ctx: click.Context, merge: Callable[[Path, Path, Path], merging.MergeOutcome], what: str,
                     base: str, ours: str, theirs: str, name: str | None) -> None:
    """Merge into OURS; exit 1, which git reads as a conflicted file, when a version cannot be read."""
    try:
        outcome = merge(Path(base), Path(ours), Path(theirs))
    except merging.MergeError as error:
        say(f"error: {name or ours}: {error}", err=True)
        ctx.exit(1)
    if outcome.conflicts:
        say(f"{name or ours}: {_count(outcome.conflicts, what)} changed both ways, both kept (workbench sync settles them)", err=True)


@cli.command("merge-po", short_help="git's merge driver for PO files, entry by entry.")
@driver_arguments
@click.pass_context
def merge_po_command(ctx: click.Context, base: str, ours: str, theirs: str, name: str | None) -> None:
    """git's merge driver for PO files (.gitattributes: merge=workbench-po): BASE, OURS and THEIRS merged into OURS.

    An entry changed both ways keeps ours, fuzzy, with theirs in a
    '#. workbench-conflict:' note that 'workbench sync' imports as a conflict.
    """
    run_merge_driver(ctx, merging.merge_po_files, "entry", base, ours, theirs, name)


@cli.command("merge-tbx", short_help="git's merge driver for the glossary TBX, term by term.")
@driver_arguments
@click.pass_context
def merge_tbx_command(ctx: click.Context, base: str, ours: str, theirs: str, name: str | None) -> None:
    """git's merge driver for glossary TBX files (.gitattributes: merge=workbench-tbx): BASE, OURS and THEIRS merged into OURS.

    A term changed both ways keeps both sides' values where it can (lists,
    theirs' rendering as a variant) and says the rest in its notes.
    """
    run_merge_driver(ctx, merging.merge_tbx_files, "term", base, ours, theirs, name)


def main() -> None:
    """Console-script entry point."""
    cli()
