"""The ``workbench`` command: a thin click shell over the Python API.

Each command parses its options, calls one function of the core modules and
prints the result. Errors a volunteer can fix (a bad file, an unknown language,
running outside a workspace) end with a one-line message and exit code 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from workbench.export import FORMATS, export
from workbench.importer import ImportInputError, import_paths
from workbench.languages import UnknownLanguageError, parse_lang_option
from workbench.po import PoInputError, import_po
from workbench.store import REVIEWED_STATUSES, ConflictError, StoreError
from workbench.workspace import NotAWorkspaceError, Workspace

F = TypeVar("F", bound=Callable[..., Any])

class InputError(click.ClickException):
    """A usage or input error: exit code 2, one line that says what to do."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


FRIENDLY_ERRORS = (NotAWorkspaceError, ImportInputError, UnknownLanguageError, StoreError, ConflictError, OSError, PoInputError)


def friendly_errors(command: F) -> F:
    """Turn the core's expected errors into one-line messages instead of tracebacks."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
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


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


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


def open_workbench(ctx: click.Context) -> None:
    """Open the workspace, importing its bundled statements the first time."""
    workspace = workspace_of(ctx)
    if not workspace.store.statements() and workspace.statements_dir.is_dir():
        for report in import_paths(workspace, [workspace.statements_dir]):
            click.echo(report.summary(), err=True)
    print_statement_list(workspace)


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--lang", "langs", metavar="L,L", help="Target locales (default: es,fr_CA,id,tl).")
@friendly_errors
def init(directory: str, langs: str | None) -> None:
    """Create a workspace (data/, glossary/, locales/) in DIRECTORY."""
    targets = [part.strip() for part in langs.split(",")] if langs else None
    workspace = Workspace.init(directory, targets)
    click.echo(f"workspace ready in {workspace.root} (targets: {', '.join(workspace.target_locales)})")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.pass_context
@friendly_errors
def import_command(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Import statement files (.txt, .md) or folders of them."""
    reports = import_paths(workspace_of(ctx), paths)
    failed = False
    for report in reports:
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if report.error:
            failed = True
            click.echo(f"error: {report.error}", err=True)
        else:
            click.echo(report.summary())
    if failed:
        ctx.exit(2)


def print_statement_list(workspace: Workspace) -> None:
    rows = workspace.statement_summaries()
    if not rows:
        click.echo("no statements yet: run 'workbench import data/statements'")
        return
    langs = workspace.target_locales
    header = f"{'id':>4}  {'date':10}  {'segs':>4}  " + "  ".join(f"{lang:>6}" for lang in langs) + "  title"
    click.echo(header)
    for row in rows:
        cells = []
        for lang in langs:
            counts = row["progress"][lang]
            done, total = sum(counts[s] for s in REVIEWED_STATUSES), sum(counts.values())
            cells.append(f"{(100 * done // total) if total else 0:>5}%")
        mark = " [excerpt]" if row["truncated"] else ""
        click.echo(f"{row['id']:>4}  {row['date'] or '':10}  {row['segments']:>4}  " + "  ".join(cells) + f"  {row['title']}{mark}")


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


@cli.command()
@click.argument("statement")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, statement: str, as_json: bool) -> None:
    """Show a statement (by id or slug) with its segments and translations."""
    document = workspace_of(ctx).statement_document(statement)
    if as_json:
        emit_json(document)
        return
    mark = "  [excerpt: cut by 'Continue reading']" if document["truncated"] else ""
    click.echo(f"#{document['id']} {document['title']}{mark}")
    click.echo(f"date: {document['date'] or '-'}   slug: {document['slug']}   from: {document['source_file']}")
    for segment in document["segments"]:
        click.echo(f"\n[{segment['id']}] {segment['kind']} ({segment['source_lang']})")
        click.echo(f"  {segment['source']}")
        for lang, translation in segment["translations"].items():
            if translation["text"]:
                click.echo(f"  {lang} [{translation['status']}] {translation['text']}")


@cli.command("export")
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
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary())


@cli.command("import-po")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--theirs", is_flag=True, help="On a conflict make the file's text current (the workspace's goes to history).")
@click.pass_context
@friendly_errors
def import_po_command(ctx: click.Context, files: tuple[str, ...], theirs: bool) -> None:
    """Import PO files edited in Poedit, Weblate or a text editor (a folder: every .po in it)."""
    summary = import_po(workspace_of(ctx), files, theirs=theirs)
    for conflict in summary.conflicts:
        click.echo(str(conflict))
    for notice in summary.skipped + summary.notices:
        click.echo(f"note: {notice}")
    for error in summary.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(summary.summary())
    if summary.errors:
        ctx.exit(2)


def main() -> None:
    """Console-script entry point."""
    cli()
