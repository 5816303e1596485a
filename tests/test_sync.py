"""A team shares one workspace through git: ``workbench sync``, the merge drivers, identity and offline work.

Every test runs real git: a bare repository in a temporary folder stands for
the team's server, and each volunteer is a clone with a database of its own.
git's remotes are file paths, so nothing needs the network (sockets stay
blocked). ``HOME`` and git's own settings point into the test's folder, so the
machine's git configuration never leaks in; each volunteer says who they are
in their clone's ``.git/config``, as a real one would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from workbench import identity
from workbench.formats.glossary_tbx import read_tbx, write_tbx
from workbench.formats.po import KeptConflict, export_po, kept_conflicts
from workbench.glossary import Rendering, Term, add_term, edit_term, get_term, list_terms
from workbench.importer import import_paths
from workbench.lifecycle import create_workspace, first_open
from workbench.merging import merge_po_files, merge_tbx_files, merge_term, term_state
from workbench.sync import Cancelled, Offline, SyncError, SyncReport, sync
from workbench.workspace import Workspace

CODE = Path(workbench.__file__).resolve().parent.parent
"""The workbench under test: subprocesses (the CLI, git's merge drivers) must run this code, not another install."""
LOCALES = ["es", "fr_CA"]
STATEMENT = (
    "Solidarity with fishers\n\n"
    "The alliance stands with the fishers of the world today.\n\n"
    "Migrant workers demand justice and decent wages.\n\n"
    "We call on all governments to respect the rights of migrants.\n"
)
SECOND_STATEMENT = (
    "Housing for all migrants\n\n"
    "Every migrant family deserves a safe and decent home.\n\n"
    "The alliance calls for an end to evictions.\n"
)
MARKERS = ("<<<<<<<", ">>>>>>>", "=======\n")


def git_environment(home: Path) -> dict[str, str]:
    """git settings from the test's folder only: no system or global configuration, a fixed author for set-up commits."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
               GIT_AUTHOR_NAME="Set Up", GIT_AUTHOR_EMAIL="setup@example.org",
               GIT_COMMITTER_NAME="Set Up", GIT_COMMITTER_EMAIL="setup@example.org",
               PYTHONPATH=os.pathsep.join([str(CODE), *filter(None, [os.environ.get("PYTHONPATH")])]))
    env.pop("WORKBENCH_AUTHOR", None)
    return env


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env or dict(os.environ), capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def team_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare repository holding a workspace with one statement, exported to PO in es and fr_CA: the team's server."""
    folder = tmp_path_factory.mktemp("origin")
    env = git_environment(folder)
    root = folder / "start"
    workspace = create_workspace(root, LOCALES)
    (root / "data" / "statements" / "fishers.txt").write_text(STATEMENT, encoding="utf-8")
    import_paths(workspace, [workspace.statements_dir])
    export_po(workspace)
    workspace.store.close()
    (root / ".gitignore").write_text("data/workbench.db*\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main", env=env)
    git(root, "add", "-A", env=env)
    git(root, "commit", "-qm", "the team's workspace", env=env)
    git(folder, "clone", "-q", "--bare", str(root), "team.git", env=env)
    return folder / "team.git"


@pytest.fixture(autouse=True)
def own_git_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's git settings only, and no $WORKBENCH_AUTHOR: each volunteer is named by their clone."""
    home = tmp_path / "home"
    home.mkdir()
    for key in [key for key in os.environ if key.startswith("GIT_")]:
        monkeypatch.delenv(key)
    for key, value in git_environment(home).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("WORKBENCH_AUTHOR", raising=False)
    identity._git_user.cache_clear()


@dataclass
class Volunteer:
    """One volunteer: a clone of the team's repository, a database of their own, and who they are."""

    name: str
    root: Path

    @cached_property
    def workspace(self) -> Workspace:
        return Workspace.find(self.root)

    @property
    def me(self) -> str:
        return f"{self.name.title()} <{self.name}@example.org>"

    def segments(self) -> list[str]:
        return [segment["id"] for segment in self.workspace.store.segments()]

    def edit(self, segment_id: str, lang: str, text: str, status: str = "translated") -> None:
        store = self.workspace.store
        row = store.translation(segment_id, lang)
        store.save_translation(segment_id, lang, text, status, author=self.me, expected_version=row["version"])

    def sync(self) -> SyncReport:
        return sync(self.workspace)

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``workbench ARGS`` in this clone, as a separate process (this code, this test's git settings)."""
        return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=self.root, env=dict(os.environ),
                              capture_output=True, text=True, timeout=timeout, check=False)

    def text(self, segment_id: str, lang: str) -> str:
        return self.workspace.store.translation(segment_id, lang)["text"]

    def kept(self, segment_id: str, lang: str) -> list[str]:
        """Every text the translation ever had here, oldest first (what undo can reach)."""
        return [entry["text"] for entry in self.workspace.store.history(segment_id, lang)]

    def content(self) -> dict[Any, Any]:
        """What the database holds that the team shares: each translation's text, status and comment, and each term."""
        store = self.workspace.store
        rows = {(segment_id, lang): (row["text"], row["status"], row["comment"] or "")
                for segment_id, by_lang in store.translations().items() for lang, row in by_lang.items() if row["text"]}
        terms = {("term", term.term): term_state(term) for term in list_terms(store)}
        return rows | terms

    def git(self, *args: str) -> str:
        return git(self.root, *args)


@dataclass
class Team:
    """The team's server (a bare repository) and the volunteers who cloned it."""

    remote: Path
    folder: Path
    volunteers: dict[str, Volunteer] = field(default_factory=dict)

    def join(self, name: str) -> Volunteer:
        git(self.folder, "clone", "-q", str(self.remote), name)
        root = self.folder / name
        git(root, "config", "user.name", name.title())
        git(root, "config", "user.email", f"{name}@example.org")
        volunteer = self.volunteers[name] = Volunteer(name, root)
        first_open(volunteer.workspace)  # as opening workbench on the clone does: its statements are imported
        return volunteer


@pytest.fixture
def team(team_repository: Path, tmp_path: Path) -> Iterator[Team]:
    remote = tmp_path / "team.git"
    shutil.copytree(team_repository, remote)
    built = Team(remote, tmp_path)
    yield built
    for volunteer in built.volunteers.values():
        if "workspace" in volunteer.__dict__:
            volunteer.workspace.store.close()


def shared_files_of(volunteer: Volunteer) -> list[Path]:
    return [path for path in (volunteer.root / "locales").rglob("*") if path.is_file()] + list((volunteer.root / "glossary").glob("*.tbx"))


def assert_clean(volunteer: Volunteer) -> None:
    """No half-done merge, no markers, nothing of the shared files left uncommitted."""
    assert not (volunteer.root / ".git" / "MERGE_HEAD").exists()
    assert volunteer.git("status", "--porcelain", "--", "locales", "glossary", "data/statements", "workbench.toml") == ""
    for path in shared_files_of(volunteer):
        text = path.read_text(encoding="utf-8")
        assert not any(marker in text for marker in MARKERS), path


# -- two languages, one paragraph; one language, two texts --------------------------------------


def test_two_volunteers_editing_two_languages_of_one_paragraph_both_end_with_both(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.edit(paragraph, "es", "Los trabajadores migrantes exigen justicia.")
    ben.edit(paragraph, "fr_CA", "Les travailleurs migrants exigent la justice.")

    first, second = ana.sync(), ben.sync()
    ana.sync()

    assert first.paragraphs_sent == 1 and second.paragraphs_sent == 1
    assert second.received.paragraphs == 1 and not second.conflicts
    statement_id = ben.workspace.store.segment(paragraph)["statement_id"]
    assert second.received.by_statement == {(statement_id, "es"): 1}
    assert second.received.first_paragraph == {(statement_id, "es"): paragraph}
    for volunteer in (ana, ben):
        assert volunteer.text(paragraph, "es") == "Los trabajadores migrantes exigen justicia."
        assert volunteer.text(paragraph, "fr_CA") == "Les travailleurs migrants exigent la justice."
        assert_clean(volunteer)
    assert ana.content() == ben.content()


def test_the_same_paragraph_edited_two_ways_is_one_conflict_for_the_second_to_sync_with_both_texts_kept(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.edit(paragraph, "es", "Texto de Ana.")
    ben.edit(paragraph, "es", "Texto de Ben.")

    assert not ana.sync().conflicts
    report = ben.sync()
    ana.sync()

    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert (conflict.segment_id, conflict.locale, conflict.yours, conflict.theirs) == (paragraph, "es", "Texto de Ben.", "Texto de Ana.")
    assert paragraph in str(conflict) and "Texto de Ben." in str(conflict) and "Texto de Ana." in str(conflict)
    for volunteer in (ana, ben):
        assert volunteer.text(paragraph, "es") == "Texto de Ben."  # the second to sync keeps theirs current, as import-po does
        assert volunteer.workspace.store.translation(paragraph, "es")["status"] == "needs-review"  # someone must choose
        assert {"Texto de Ana.", "Texto de Ben."} <= set(volunteer.kept(paragraph, "es"))
        assert_clean(volunteer)
    assert ben.kept(paragraph, "es")[-2:] == ["Texto de Ana.", "Texto de Ben."]  # one undo brings Ana's back
    assert ana.content() == ben.content()


def test_a_conflict_travels_through_git_as_a_note_beside_msgstr_and_leaves_the_file_once_imported(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.edit(paragraph, "es", "Texto de Ana,\ncon dos líneas y \"comillas\".")
    ben.edit(paragraph, "es", "Texto de Ben.")
    ana.sync()
    ben.sync()

    merge = ben.git("log", "--merges", "-1", "--format=%H").strip()
    merged = polib.pofile(ben.git("show", f"{merge}:locales/es/LC_MESSAGES/solidarity-with-fishers.po"))
    entry = next(entry for entry in merged if entry.msgctxt == paragraph)
    assert entry.msgstr == "Texto de Ben." and "fuzzy" not in entry.flags  # ours as it was: only the note says there is a choice
    assert kept_conflicts(entry.comment) == [KeptConflict("Texto de Ana,\ncon dos líneas y \"comillas\".", False, ana.me)]
    now = polib.pofile(str(ben.root / "locales" / "es" / "LC_MESSAGES" / "solidarity-with-fishers.po"))
    assert not kept_conflicts(next(entry for entry in now if entry.msgctxt == paragraph).comment)


def test_a_conflict_note_keeps_any_text_on_one_comment_line() -> None:
    hostile = KeptConflict("line one\nline two\r\t\"quoted\" \\ \u2028 \x85 \x7f end", True, "Ana <ana@example.org>")

    note = hostile.note()

    assert "\n" not in note and "\u2028" not in note and "\x85" not in note and "\x7f" not in note
    assert kept_conflicts(f"kind: paragraph\n{note}\nglossary: x") == [hostile]
    assert kept_conflicts("workbench-conflict: {not json") == []


# -- statements and the glossary -------------------------------------------------------------------


def test_a_glossary_term_and_a_statement_file_added_by_one_volunteer_reach_the_others_database(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    ben.sync()
    add_term(ana.workspace.store, "fishers", kind="role", renderings={"es": Rendering("pescadores"), "fr_CA": Rendering("pêcheurs")})
    (ana.root / "data" / "statements" / "housing.txt").write_text(SECOND_STATEMENT, encoding="utf-8")
    import_paths(ana.workspace, [ana.root / "data" / "statements" / "housing.txt"])
    sent = ana.sync()

    received = ben.sync().received

    assert sent.terms_sent == 1 and sent.statement_files_sent == 1
    assert received.terms_added == 1 and received.statements_added == 1
    assert received.terms == ["fishers"]
    housing = next(statement["id"] for statement in ben.workspace.store.statements() if statement["title"] == "Housing for all migrants")
    assert {key for key in received.by_statement if key[0] == housing} <= {(housing, "es"), (housing, "fr_CA")}
    assert get_term(ben.workspace.store, "fishers").rendering("es") == "pescadores"
    assert "Housing for all migrants" in [statement["title"] for statement in ben.workspace.store.statements()]
    assert (ben.root / "locales" / "es" / "LC_MESSAGES" / "housing-for-all-migrants.po").is_file()
    assert ana.content() == ben.content()


def test_one_term_edited_by_two_volunteers_keeps_both_renderings_and_says_so_in_its_notes(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    ana.sync(), ben.sync()
    ana_term = get_term(ana.workspace.store, "solidarity")
    edit_term(ana.workspace.store, ana_term.id, renderings={"es": Rendering("solidaridad plena")}, notes="Ana prefers it")
    ben_term = get_term(ben.workspace.store, "solidarity")
    edit_term(ben.workspace.store, ben_term.id, renderings={"es": Rendering("solidaridad mutua")})
    ana.sync()

    report = ben.sync()
    ana.sync()

    assert [conflict.term for conflict in report.conflicts] == ["solidarity"]
    for volunteer in (ana, ben):
        term = get_term(volunteer.workspace.store, "solidarity")
        assert term.renderings["es"].preferred == "solidaridad mutua"  # the second to sync keeps theirs...
        assert "solidaridad plena" in term.renderings["es"].variants  # ...and the other still counts, until a native speaker checks
        assert not term.renderings["es"].verified
        assert "Ana prefers it" in term.notes and "workbench-conflict" in term.notes
    assert ana.content() == ben.content()


def test_entries_of_paragraphs_a_clone_does_not_know_stay_in_the_files_it_writes(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.sync(), ben.sync()
    path = ana.root / "locales" / "es" / "LC_MESSAGES" / "solidarity-with-fishers.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.append(polib.POEntry(msgctxt="feedfacefeed", msgid="A paragraph only a teammate's workspace has.", msgstr="Un párrafo ajeno."))
    path.write_text(po.__unicode__(), encoding="utf-8")  # a teammate's entry, through a PO editor
    ana.sync()

    received = ben.sync().received
    ben.edit(paragraph, "es", "Ben escribe el archivo.")
    ben.sync()

    assert any("feedfacefeed" in note for note in received.notes)
    written = ben.git("show", "HEAD:locales/es/LC_MESSAGES/solidarity-with-fishers.po")
    assert "Ben escribe el archivo." in written and 'msgctxt "feedfacefeed"' in written and "Un párrafo ajeno." in written
    assert ben.sync().commit is None  # and an unknown entry is no reason to write the file again


def test_a_new_workspace_pushed_to_an_empty_repository_reaches_a_clone(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "team.git")
    workspace = create_workspace(tmp_path / "ana", LOCALES)
    (workspace.statements_dir / "fishers.txt").write_text(STATEMENT, encoding="utf-8")
    import_paths(workspace, [workspace.statements_dir])
    git(workspace.root, "init", "-q", "-b", "main")
    git(workspace.root, "remote", "add", "origin", str(tmp_path / "team.git"))
    git(workspace.root, "config", "user.name", "Ana")
    git(workspace.root, "config", "user.email", "ana@example.org")
    (workspace.root / ".gitignore").write_text("data/workbench.db*\n", encoding="utf-8")

    report = sync(workspace)
    workspace.store.close()
    git(tmp_path, "clone", "-q", str(tmp_path / "team.git"), "ben")

    assert report.pushed and report.commit
    assert (tmp_path / "ben" / "locales" / "es" / "LC_MESSAGES" / "solidarity-with-fishers.po").is_file()
    assert (tmp_path / "ben" / "data" / "statements" / "fishers.txt").is_file()
    assert not (tmp_path / "ben" / "data" / "workbench.db").exists()


def test_sync_commits_the_shared_files_only_and_leaves_what_the_volunteer_staged_alone(team: Team) -> None:
    ana = team.join("ana")
    paragraph = ana.segments()[2]
    ana.sync()
    (ana.root / "NOTES.txt").write_text("my own notes\n", encoding="utf-8")
    ana.git("add", "NOTES.txt")
    ana.edit(paragraph, "es", "Solo lo compartido.")

    ana.sync()

    assert ana.git("show", "--name-only", "--format=", "HEAD").split() == ["locales/es/LC_MESSAGES/solidarity-with-fishers.po"]
    assert ana.git("diff", "--cached", "--name-only").split() == ["NOTES.txt"]


def test_sync_outside_a_git_repository_or_without_the_remote_says_what_to_do_in_one_line(team: Team, tmp_path: Path) -> None:
    create_workspace(tmp_path / "alone").store.close()
    ana = team.join("ana")

    alone = subprocess.run([sys.executable, "-m", "workbench", "--workspace", str(tmp_path / "alone"), "sync"],
                           capture_output=True, text=True, env=dict(os.environ), check=False)
    elsewhere = ana.run("sync", "--remote", "upstream")

    for done, words in ((alone, "is not a git repository"), (elsewhere, "no remote 'upstream'")):
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith("error: ") and words in done.stderr and len(done.stderr.strip().splitlines()) == 1


# -- offline, broken and interrupted syncs ------------------------------------------------------


def test_a_remote_that_is_gone_keeps_the_work_committed_and_says_so_in_one_line(team: Team) -> None:
    ana = team.join("ana")
    paragraph = ana.segments()[2]
    ana.sync()
    ana.edit(paragraph, "es", "Trabajo sin conexión.")
    shutil.rmtree(team.remote)

    done = ana.run("sync")

    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and "could not reach origin" in lines[0] and "next sync will send it" in lines[0], done.stdout
    assert "Traceback" not in done.stderr
    assert_clean(ana)
    head = ana.git("show", "HEAD:locales/es/LC_MESSAGES/solidarity-with-fishers.po")
    assert "Trabajo sin conexión." in head
    assert ana.git("log", "-1", "--format=%an <%ae>").strip() == ana.me


def test_the_work_kept_offline_goes_out_with_the_next_sync(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.sync()
    ana.edit(paragraph, "es", "Escrito en el tren.")
    hidden = team.remote.with_name("away.git")
    team.remote.rename(hidden)
    with pytest.raises(Offline, match="next sync will send it"):
        ana.sync()
    hidden.rename(team.remote)

    assert ana.sync().pushed
    ben.sync()

    assert ben.text(paragraph, "es") == "Escrito en el tren."


def test_a_sync_cancelled_before_it_starts_sends_nothing_and_loses_nothing(team: Team) -> None:
    ana = team.join("ana")
    paragraph = ana.segments()[2]
    ana.edit(paragraph, "es", "Guardado aunque se cancele.")
    stop = threading.Event()
    stop.set()

    with pytest.raises(Cancelled, match="sync stopped at catching up: nothing was sent"):
        sync(ana.workspace, cancel=stop)

    assert ana.text(paragraph, "es") == "Guardado aunque se cancele."
    assert ana.sync().paragraphs_sent == 1


def test_a_fetch_that_hangs_stops_within_a_second_of_cancel_with_the_work_committed(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.sync()
    ana.edit(paragraph, "es", "Enviado después.")
    ana.git("config", "remote.origin.uploadpack", "sleep 60; git-upload-pack")  # a server that never answers
    stop = threading.Event()
    steps: list[str] = []

    def cancel_once_fetching(step: str) -> None:
        steps.append(step)
        if step == "fetching":
            threading.Timer(0.3, stop.set).start()

    began = time.monotonic()
    with pytest.raises(Cancelled, match=r"sync stopped at fetching: your work is committed here \([0-9a-f]{7}\)"):
        sync(ana.workspace, progress=cancel_once_fetching, cancel=stop)
    waited = time.monotonic() - began

    assert steps == ["catching up", "exporting", "committing", "fetching"]
    assert waited < 30  # not the minute the server would have taken
    assert_clean(ana)
    ana.git("config", "--unset", "remote.origin.uploadpack")
    assert ana.sync().pushed
    ben.sync()
    assert ben.text(paragraph, "es") == "Enviado después."


def test_ctrl_c_during_a_hanging_fetch_stops_the_command_in_one_line_with_the_work_committed(team: Team) -> None:
    ana = team.join("ana")
    paragraph = ana.segments()[2]
    ana.sync()
    ana.edit(paragraph, "es", "Interrumpido.")
    ana.git("config", "remote.origin.uploadpack", "sleep 60; git-upload-pack")
    process = subprocess.Popen([sys.executable, "-m", "workbench", "sync", "--progress"], cwd=ana.root, env=dict(os.environ),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None and process.stdout is not None
    for line in process.stderr:
        if line.startswith("fetching"):
            time.sleep(0.3)
            process.send_signal(signal.SIGINT)
            break
    output, errors = process.communicate(timeout=30)

    assert process.returncode == 1
    assert output.strip().startswith("sync stopped at fetching: your work is committed here") and len(output.strip().splitlines()) == 1
    assert "Traceback" not in errors
    assert_clean(ana)
    assert "Interrumpido." in ana.git("show", "HEAD:locales/es/LC_MESSAGES/solidarity-with-fishers.po")


def test_a_merge_git_cannot_finish_is_undone_and_the_work_stays_committed(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    (ana.root / "workbench.toml").write_text('[workspace]\ntarget_locales = ["es", "fr_CA", "id"]\n', encoding="utf-8")
    ana.sync()
    (ben.root / "workbench.toml").write_text('[workspace]\ntarget_locales = ["es", "fr_CA", "tl"]\n', encoding="utf-8")
    ben.edit(paragraph, "es", "El trabajo de Ben.")

    done = ben.run("sync")

    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and "workbench.toml" in done.stderr
    assert_clean(ben)
    assert "El trabajo de Ben." in ben.git("show", "HEAD:locales/es/LC_MESSAGES/solidarity-with-fishers.po")
    assert "<<<<<<<" not in (ben.root / "workbench.toml").read_text(encoding="utf-8")


def test_a_translation_file_broken_by_hand_stops_the_sync_before_anything_is_written_over_it(team: Team) -> None:
    ana = team.join("ana")
    ana.sync()
    path = ana.root / "locales" / "es" / "LC_MESSAGES" / "solidarity-with-fishers.po"
    broken = path.read_text(encoding="utf-8").replace('msgstr ""\n\n#. kind: subtitle', 'msgstr "sin cerrar\n\n#. kind: subtitle', 1)
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(SyncError, match="solidarity-with-fishers.po"):
        ana.sync()

    assert path.read_text(encoding="utf-8") == broken


def test_a_push_refused_because_a_teammate_pushed_first_is_merged_and_pushed_again(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.sync(), ben.sync()
    ana.edit(paragraph, "es", "Ana empuja.")
    ben.edit(paragraph, "fr_CA", "Ben pousse.")
    raced: list[str] = []

    def ben_pushes_first(step: str) -> None:
        if step == "pushing" and not raced:
            raced.append(step)
            ben.sync()

    report = sync(ana.workspace, progress=ben_pushes_first)
    ben.sync()

    assert report.pushed and raced
    assert report.received.paragraphs == 1
    assert ben.text(paragraph, "es") == "Ana empuja." and ana.text(paragraph, "fr_CA") == "Ben pousse."
    assert ana.git("rev-parse", "HEAD") == git(team.remote, "rev-parse", "main")


STEPS = ("catching up", "exporting", "committing", "fetching", "merging", "importing", "pushing")


def gits_in(root: Path) -> list[int]:
    """The git processes working in ``root`` (and the merge drivers they run there), from /proc.

    Found by folder, not by parent: a git whose sync was killed is nobody's
    child any more, and one forked just before the kill execs git after it.
    """
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(process / "cwd")) == root and (process / "comm").read_text().startswith(("git", "python")):
                found.append(int(process.name))
        except OSError:
            continue
    return [pid for pid in found if pid != os.getpid()]


def kill_during(volunteer: Volunteer, step: str, delay: float) -> bool:
    """Start ``workbench sync`` and kill -9 it ``delay`` seconds into ``step``; True if it was killed before it ended.

    Only the sync process is killed, as a crash or a closed laptop lid
    would stop it; git processes it started finish on their own, and are
    waited for, since a second git in the same repository would find
    their lock.
    """
    process = subprocess.Popen([sys.executable, "-m", "workbench", "sync", "--progress"], cwd=volunteer.root, env=dict(os.environ),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    killed = False
    for line in process.stderr:
        if line.strip().rstrip("\u2026") == step:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            killed = True
            process.wait(timeout=120)
            time.sleep(0.3)  # a git forked just before the kill is running by now
            deadline = time.monotonic() + 60
            while gits_in(volunteer.root.resolve()) and time.monotonic() < deadline:
                time.sleep(0.05)
            break
    process.wait(timeout=120)
    return killed and process.returncode == -signal.SIGKILL


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="finds the processes a sync started in /proc (Linux)")
@pytest.mark.parametrize("step", STEPS)
def test_a_sync_killed_during_any_step_is_completed_by_the_next_and_nothing_is_lost(team: Team, step: str) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    first, second, third = ana.segments()[1:4]
    ana.sync(), ben.sync()
    ben.edit(first, "es", "Ben primero.")
    ben.edit(third, "es", "Ben también.")
    ben.sync()
    ana.edit(second, "es", "Ana después.")
    ana.edit(third, "es", "Ana también.")

    killed = kill_during(ana, step, 0.0)  # the moment the step begins: later, a fast machine may finish the sync first
    report = ana.sync()
    ben.sync()
    ana.sync()

    assert killed or step == "pushing"  # the last step may end before the kill lands
    assert report.pushed
    for volunteer in (ana, ben):
        assert volunteer.text(first, "es") == "Ben primero."
        assert volunteer.text(second, "es") == "Ana después."
        assert {"Ben también.", "Ana también."} <= set(volunteer.kept(third, "es"))
        assert_clean(volunteer)
    assert ana.content() == ben.content()


def test_a_merge_a_sync_left_half_done_is_undone_and_done_again_but_a_persons_is_left_to_them(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.sync(), ben.sync()
    ana.edit(paragraph, "es", "De Ana.")
    ana.sync()
    ben.edit(paragraph, "fr_CA", "De Ben.")
    ben.sync()
    ana.git("fetch", "-q")
    ana.git("merge", "--no-commit", "--no-ff", "-q", "origin/main")

    with pytest.raises(SyncError, match="a merge is under way"):
        ana.sync()
    assert (ana.root / ".git" / "MERGE_HEAD").exists()  # a person's merge: theirs to finish

    (ana.root / ".git" / "workbench-sync.merging").touch()  # as a sync killed while git merged leaves it
    assert ana.sync().pushed
    assert ana.text(paragraph, "fr_CA") == "De Ben."
    assert_clean(ana)


# -- the merge drivers, as git runs them ------------------------------------------------------------


def test_a_plain_git_pull_uses_the_registered_drivers_and_leaves_no_markers(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraphs = ana.segments()
    ana.sync(), ben.sync()
    assert "workbench merge-po" in ben.git("config", "merge.workbench-po.driver")
    assert "*.po merge=workbench-po" in (ben.root / ".gitattributes").read_text(encoding="utf-8")
    ana.edit(paragraphs[1], "es", "Ana en la primera.")
    ana.edit(paragraphs[3], "es", "Ana en la tercera.")
    ana.sync()
    ben.edit(paragraphs[2], "es", "Ben en la segunda.")
    ben.edit(paragraphs[3], "es", "Ben en la tercera.")
    export_po(ben.workspace)
    ben.git("commit", "-qam", "Ben's work, committed by hand")

    ben.git("pull", "-q", "--no-rebase", "--no-edit")

    text = (ben.root / "locales" / "es" / "LC_MESSAGES" / "solidarity-with-fishers.po").read_text(encoding="utf-8")
    assert not any(marker in text for marker in MARKERS)
    assert "Ana en la primera." in text and "Ben en la segunda." in text
    assert "Ben en la tercera." in text and "Ana en la tercera." in text  # one in msgstr, the other in the note
    report = ben.sync()  # the database catches up with what the pull brought
    assert ben.text(paragraphs[1], "es") == "Ana en la primera."
    assert len(report.conflicts) == 1 and "Ana en la tercera." in ben.kept(paragraphs[3], "es")


def test_init_inside_a_repository_registers_the_merge_drivers_before_any_sync(tmp_path: Path) -> None:
    root = tmp_path / "new"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    done = subprocess.run([sys.executable, "-m", "workbench", "init", str(root), "--lang", "es"], env=dict(os.environ),
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert "-m workbench merge-po %O %A %B %P" in git(root, "config", "merge.workbench-po.driver")
    assert "-m workbench merge-tbx %O %A %B %P" in git(root, "config", "merge.workbench-tbx.driver")
    assert git(root, "check-attr", "merge", "--", "locales/es/LC_MESSAGES/x.po").strip().endswith("merge: workbench-po")
    assert git(root, "check-attr", "merge", "--", "glossary/glossary.tbx").strip().endswith("merge: workbench-tbx")


def test_init_outside_a_repository_writes_the_attributes_for_later(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", "init", str(tmp_path / "alone")], env=dict(os.environ),
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "alone" / ".gitattributes").read_text(encoding="utf-8").splitlines() == [
        "*.po merge=workbench-po", "*.pot merge=workbench-po", "*.tbx merge=workbench-tbx"]


def po_file(path: Path, entries: list[tuple[str, str, str, bool]], translator: str = "Ana <ana@example.org>",
            comments: dict[str, str] | None = None) -> Path:
    """A PO file as workbench exports it: (msgctxt, msgid, msgstr, fuzzy) per entry, and translator comments by msgctxt."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "test", "Last-Translator": translator, "Language": "es",
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    for msgctxt, msgid, msgstr, fuzzy in entries:
        po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], comment="kind: paragraph",
                                tcomment=(comments or {}).get(msgctxt, "")))
    path.write_text(po.__unicode__(), encoding="utf-8")
    return path


def test_merge_po_takes_each_sides_entries_and_keeps_a_double_change_both_ways(tmp_path: Path) -> None:
    base = po_file(tmp_path / "base.po", [("a", "A", "", False), ("b", "B", "bee", False), ("c", "C", "sea", False), ("d", "D", "dee", False)],
                   comments={"d": "check the tone"})
    ours = po_file(tmp_path / "ours.po", [("a", "A", "ours a", False), ("b", "B", "bee", False), ("c", "C", "ours c", False), ("d", "D", "dee", False)],
                   comments={"d": "check the tone\nours: fine now"})
    theirs = po_file(tmp_path / "theirs.po", [("a", "A", "", False), ("b", "B", "theirs b", True), ("c", "C", "theirs c", False),
                                              ("d", "D", "", False), ("e", "E", "new e", False)], translator="Ben <ben@example.org>",
                     comments={"d": "check the tone\ntheirs: too formal"})

    outcome = merge_po_files(base, ours, theirs)

    merged = {entry.msgctxt: entry for entry in polib.pofile(str(ours))}
    assert outcome.changed and outcome.conflicts == 1
    assert merged["a"].msgstr == "ours a" and merged["b"].msgstr == "theirs b" and "fuzzy" in merged["b"].flags
    assert merged["c"].msgstr == "ours c" and "fuzzy" not in merged["c"].flags
    assert kept_conflicts(merged["c"].comment) == [KeptConflict("theirs c", False, "Ben <ben@example.org>")]
    assert merged["d"].msgstr == "dee"  # a text emptied on one side never wins, as import-po never empties one
    assert merged["d"].tcomment == "check the tone\nours: fine now\ntheirs: too formal"  # comments changed both ways: both kept
    assert merged["e"].msgstr == "new e" and list(merged) == ["a", "b", "c", "d", "e"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (GNU gettext) is not installed")
def test_a_merged_file_with_a_kept_conflict_passes_msgfmt(tmp_path: Path) -> None:
    base = po_file(tmp_path / "base.po", [("c", "C", "sea", False)])
    ours = po_file(tmp_path / "ours.po", [("c", "C", "ours\nc", False)])
    theirs = po_file(tmp_path / "theirs.po", [("c", "C", "theirs \"c\"\n", False)])
    merge_po_files(base, ours, theirs)

    done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(ours)], capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr


def test_merge_po_leaves_ours_alone_when_theirs_brings_nothing_new(tmp_path: Path) -> None:
    base = po_file(tmp_path / "base.po", [("a", "A", "", False)])
    ours = po_file(tmp_path / "ours.po", [("a", "A", "ours", False)])
    theirs = po_file(tmp_path / "theirs.po", [("a", "A", "", False)])
    before = ours.read_bytes()

    assert merge_po_files(base, ours, theirs).changed is False
    assert ours.read_bytes() == before


def test_the_merge_driver_refuses_what_it_cannot_read_in_one_line_and_git_sees_a_conflict(tmp_path: Path) -> None:
    base = po_file(tmp_path / "base.po", [("a", "A", "", False)])
    ours = po_file(tmp_path / "ours.po", [("a", "A", "ours", False)])
    theirs = tmp_path / "theirs.po"
    theirs.write_text("this is no PO file\n", encoding="utf-8")

    done = subprocess.run([sys.executable, "-m", "workbench", "merge-po", str(base), str(ours), str(theirs), "x.po"],
                          capture_output=True, text=True, env=dict(os.environ), check=False)

    assert done.returncode == 1
    assert done.stderr.startswith("error: x.po:") and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_term_deleted_by_one_volunteer_and_changed_by_another_is_kept_and_said() -> None:
    base = Term(0, "fishers", renderings={"es": Rendering("pescadores")})
    changed = replace(base, renderings={"es": Rendering("pescadoras")})

    kept, conflict = merge_term(base, None, changed)

    assert conflict and kept is not None and kept.renderings["es"].preferred == "pescadoras"
    assert "workbench-conflict" in kept.notes
    assert merge_term(base, None, base) == (None, False)  # deleted, and left alone on the other side: gone


def test_merge_tbx_merges_term_by_term_and_keeps_a_rendering_changed_both_ways_as_a_variant(tmp_path: Path) -> None:
    def glossary(name: str, *terms: Term) -> Path:
        path = tmp_path / name
        path.write_text(write_tbx(terms, LOCALES), encoding="utf-8")
        return path

    solidarity = Term(0, "solidarity", renderings={"es": Rendering("solidaridad")})
    base = glossary("base.tbx", solidarity)
    ours = glossary("ours.tbx", replace(solidarity, notes="ours"), Term(0, "fishers", renderings={"es": Rendering("pescadores")}))
    theirs = glossary("theirs.tbx", replace(solidarity, kind="slogan"), Term(0, "fishers", renderings={"es": Rendering("pescadoras")}))

    outcome = merge_tbx_files(base, ours, theirs, LOCALES)

    merged = {term.term: term for term in read_tbx(ours, LOCALES)[0]}
    assert outcome.changed and outcome.conflicts == 1
    assert (merged["solidarity"].notes, merged["solidarity"].kind) == ("ours", "slogan")  # two fields, one each: no conflict
    fishers = merged["fishers"].renderings["es"]
    assert (fishers.preferred, fishers.variants, fishers.verified) == ("pescadores", ["pescadoras"], False)
    assert "workbench-conflict" in merged["fishers"].notes


# -- identity --------------------------------------------------------------------------------------


def test_the_volunteers_identity_names_the_commit_the_history_and_last_translator(team: Team) -> None:
    ana, ben = team.join("ana"), team.join("ben")
    paragraph = ana.segments()[2]
    ana.sync(), ben.sync()
    ana.edit(paragraph, "es", "Con la identidad de Ana.")

    done = ana.run("sync")
    ben.sync()

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("sent: 1 paragraph (commit ")

    assert ana.git("log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == f"{ana.me}|{ana.me}"
    head = (ana.root / "locales" / "es" / "LC_MESSAGES" / "solidarity-with-fishers.po").read_text(encoding="utf-8")
    assert f"Last-Translator: {ana.me}" in head
    assert ben.workspace.store.history(paragraph, "es")[-1]["author"] == ana.me


def test_identity_is_workbench_author_then_git_then_the_login_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    assert identity.identity(folder).name  # the login name, when nothing else says
    git(folder, "config", "user.name", "Ana Reyes")
    git(folder, "config", "user.email", "ana@example.org")
    identity._git_user.cache_clear()
    assert identity.author(folder) == "Ana Reyes <ana@example.org>"
    monkeypatch.setenv("WORKBENCH_AUTHOR", "  Ben   Cruz <ben@example.org> ")
    assert identity.identity(folder) == identity.Identity("Ben Cruz", "ben@example.org")
    monkeypatch.setenv("WORKBENCH_AUTHOR", "Ben")
    assert identity.author(folder) == "Ben"
    monkeypatch.setenv("WORKBENCH_WORKSPACE", str(folder))
    monkeypatch.delenv("WORKBENCH_AUTHOR")
    from workbench.workspace import default_author

    assert default_author() == "Ana Reyes <ana@example.org>"


# -- convergence -----------------------------------------------------------------------------------


NAMES = ("ana", "ben", "cai")
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from(NAMES), st.integers(1, 3), st.sampled_from(LOCALES),
                  st.sampled_from(["translated", "needs-review"])),
        st.tuples(st.just("term"), st.sampled_from(NAMES), st.sampled_from(["fishers", "solidarity"]), st.sampled_from(LOCALES)),
        st.tuples(st.just("sync"), st.sampled_from(NAMES)),
    ),
    min_size=1, max_size=8,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_random_edits_by_three_volunteers_in_any_order_of_syncs_converge_and_lose_nothing(
        team_repository: Path, tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[Any, ...]]) -> None:
    folder = tmp_path_factory.mktemp("team")
    remote = folder / "team.git"
    shutil.copytree(team_repository, remote)
    team = Team(remote, folder)
    volunteers = [team.join(name) for name in NAMES]
    segments = volunteers[0].segments()
    shared: dict[tuple[str, str, str], str] = {}
    """Each volunteer's last text of each translation that was current when they synced: the edits the team must keep."""
    edits: dict[str, list[tuple[str, str, str]]] = {name: [] for name in NAMES}
    try:
        for number, operation in enumerate(operations):
            volunteer = team.volunteers[operation[1]]
            if operation[0] == "edit":
                _, _, index, locale, status = operation
                text = f"{volunteer.name} {number}"
                volunteer.edit(segments[index], locale, text, status)
                edits[volunteer.name].append((segments[index], locale, text))
            elif operation[0] == "term":
                _, _, name, locale = operation
                set_rendering(volunteer, name, locale, f"{volunteer.name} {number}")
            else:
                shared |= sync_and_note(volunteer, edits)
        for _ in range(2):  # everyone syncs, twice round, and the team has converged
            for volunteer in volunteers:
                shared |= sync_and_note(volunteer, edits)

        contents = [volunteer.content() for volunteer in volunteers]
        assert contents[0] == contents[1] == contents[2]
        for (author, segment_id, locale), text in shared.items():
            others = [volunteer for volunteer in volunteers if volunteer.name != author]
            assert volunteers[0].text(segment_id, locale) == text or any(text in other.kept(segment_id, locale) for other in others), \
                f"{author}'s {text!r} ({locale}) is neither current nor kept by a teammate"
        for volunteer in volunteers:
            assert_clean(volunteer)
    finally:
        for volunteer in volunteers:
            volunteer.workspace.store.close()
        shutil.rmtree(folder, ignore_errors=True)


def set_rendering(volunteer: Volunteer, name: str, locale: str, text: str) -> None:
    store = volunteer.workspace.store
    if name in {term.term for term in list_terms(store)}:
        edit_term(store, name, renderings={locale: Rendering(text)})
    else:
        add_term(store, name, renderings={locale: Rendering(text)})


def sync_and_note(volunteer: Volunteer, edits: dict[str, list[tuple[str, str, str]]]) -> dict[tuple[str, str, str], str]:
    """Sync, and the volunteer's edits that were still current when it sent them (a later one of theirs replaces an earlier)."""
    current = {(volunteer.name, segment_id, locale): text for segment_id, locale, text in edits[volunteer.name]
               if volunteer.text(segment_id, locale) == text}
    assert volunteer.sync().pushed
    edits[volunteer.name] = []
    return current
