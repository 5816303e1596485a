"""``workbench sync``: the workspace shared through git, in one command.

git is the shared engine and nothing here replaces it: this module runs real
``git`` and only decides what goes into the files before a commit and what
comes out of them after a merge. One sync:

1. **catches up**: what git changed since the last sync without the database
   seeing it (a plain ``git pull``, a sync cut short, a PO file edited in
   Poedit) is imported first, three-way against the last synced commit;
2. **exports** what changed in the database: the PO file of each statement and
   language whose entries differ from the database, and the glossary TBX. A
   file whose entries already agree is left alone, so files never churn;
3. **commits** the shared files (``workbench.toml``, ``data/statements/``,
   ``locales/``, ``glossary/``, ``.gitattributes``) as the volunteer
   (:mod:`workbench.identity`);
4. **fetches and merges** the remote with the merge drivers of
   :mod:`workbench.merging`, then **imports** what came in, three-way against
   the commit of step 3 (which is exactly what the database held): statements,
   translations and comments by import-po's rules, the glossary term by term.
   A conflict the merge kept (:mod:`workbench.merging`: ours in msgstr, theirs
   in a ``#. workbench-conflict:`` note) comes in as a conflict kept both ways,
   theirs in the history and ours current and back to review; the file is
   exported again without its note and committed;
5. **pushes**. A push refused because someone pushed meanwhile goes back to 4,
   at most :data:`PUSH_ATTEMPTS` times.

Nothing is lost on the way. A remote that cannot be reached leaves the work
committed here (:class:`Offline`, one line); a merge git cannot finish is
aborted, so no file is left half merged. The commit whose files the database
has taken in is remembered in the repository's git folder
(``workbench-sync.json``, beside the database's identity), so a sync killed
at any step is completed by the next one: step 1 sees what was not imported.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from workbench.formats import export_file
from workbench.formats.common import file_stems, write_atomic
from workbench.formats.glossary_tbx import read_tbx
from workbench.formats.po import (
    FUZZY_STATUSES,
    ImportSummary,
    as_exported,
    comment_as_read,
    export_po,
    import_merged_po,
    import_po,
    kept_conflicts,
    po_safe,
)
from workbench.glossary import GlossaryError, Term, add_term, edit_term, list_terms, remove_term
from workbench.identity import Identity, identity
from workbench.importer import import_paths
from workbench.lifecycle import first_open
from workbench.merging import TERM_CONFLICT, UNLIMITED, merge_term, term_state
from workbench.workspace import CONFIG_NAME, Workspace

PUSH_ATTEMPTS = 5
"""Fetch, merge and push again this many times when teammates keep pushing first."""
NETWORK_TIMEOUT = 300
"""Seconds a fetch or a push may take before the remote counts as out of reach."""
CANCEL_POLL = 0.1
"""Seconds between two looks at the cancel event while a fetch or a push runs."""
STATE_FILE = "workbench-sync.json"
"""In the git folder: the last commit the database has taken in, and which database that was."""
MERGING_FILE = "workbench-sync.merging"
"""In the git folder while sync's own ``git merge`` runs: a merge left half done with it there is sync's to undo, not a person's."""
MERGE_DRIVERS = {"workbench-po": ("merge-po", "workbench: PO files merged entry by entry"),
                 "workbench-tbx": ("merge-tbx", "workbench: the glossary merged term by term")}
ATTRIBUTES = ("*.po merge=workbench-po", "*.pot merge=workbench-po", "*.tbx merge=workbench-tbx")
"""The ``.gitattributes`` lines that send the shared files to those drivers, for sync's merges and a plain ``git pull`` alike."""
STATEMENT_SUFFIXES = (".txt", ".md")
SHARED_FOLDERS = ("data/statements", "locales", "glossary")
"""The shared folders whose files come into the database: statements, translations, the glossary."""


class SyncError(Exception):
    """A sync that cannot start or go on; one line that says what to do. The work stays committed here."""


class Offline(SyncError):
    """The remote cannot be reached; the work is committed here and the next sync sends it."""


class Cancelled(SyncError):
    """The volunteer stopped the sync between two steps, or during a fetch or push; what was done is kept, the next sync goes on."""


class _Stop(Exception):
    """Raised where the cancel event is seen; :meth:`_Sync.run` words it as :class:`Cancelled`."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


Progress = Callable[[str], None]
"""Told the name of each step as it starts: ``catching up``, ``exporting``, ``committing``, ``fetching``, ``merging``,
``importing``, ``pushing`` (fetching to pushing again when a push is refused)."""
STEPS = ("catching up", "exporting", "committing", "fetching", "merging", "importing", "pushing")
"""The steps in the order a sync takes them, for a progress bar."""


@dataclass(frozen=True)
class SyncConflict:
    """Something changed here and by a teammate two ways: both are kept, and a volunteer chooses.

    A translation's conflict names its segment and locale (yours is current,
    theirs in the history); a glossary term's names the term (both sides are in
    its notes).
    """

    segment_id: str | None = None
    locale: str | None = None
    yours: str = ""
    theirs: str = ""
    term: str | None = None

    def __str__(self) -> str:
        if self.term is not None:
            return f"glossary term {self.term!r}: changed here and by a teammate; both kept, see its notes"
        return f"segment {self.segment_id} ({self.locale}): yours {_short(self.yours)} is current, theirs {_short(self.theirs)} is in the history"


@dataclass
class Received:
    """What one import from the files brought into the database."""

    statements_added: int = 0
    statements_updated: int = 0
    paragraphs: int = 0
    terms_added: int = 0
    terms_changed: int = 0
    terms_removed: int = 0
    conflicts: list[SyncConflict] = field(default_factory=list)
    by_statement: Counter[tuple[int, str]] = field(default_factory=Counter)
    """Paragraphs received per (statement id, locale): what the TUI lists, to open."""
    first_paragraph: dict[tuple[int, str], str] = field(default_factory=dict)
    """The first paragraph (segment id) received per (statement id, locale): where the TUI opens the statement."""
    terms: list[str] = field(default_factory=list)
    """The glossary terms added, changed or removed, by name."""
    notes: list[str] = field(default_factory=list)
    """Entries skipped, statement files refused: what a volunteer should look at, one line each."""
    errors: list[str] = field(default_factory=list)
    """Translation or glossary files refused whole: exporting over them would lose what they hold, so the sync stops."""

    def add(self, other: Received) -> None:
        for name in ("statements_added", "statements_updated", "paragraphs", "terms_added", "terms_changed", "terms_removed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.conflicts += other.conflicts
        self.by_statement += other.by_statement
        self.first_paragraph = {**other.first_paragraph, **self.first_paragraph}
        self.terms += other.terms
        self.notes += other.notes
        self.errors += other.errors

    def parts(self) -> list[str]:
        counts = [(self.statements_added, "new statement"), (self.statements_updated, "updated statement"),
                  (self.paragraphs, "paragraph"), (self.terms_added, "new term"), (self.terms_changed, "changed term"),
                  (self.terms_removed, "removed term")]
        return [_count(number, what) for number, what in counts if number]


@dataclass
class SyncReport:
    """What a sync sent, what it received, and the conflicts a volunteer has to settle."""

    commit: str | None = None
    """The commit of this volunteer's work (short), if there was any to commit."""
    paragraphs_sent: int = 0
    terms_sent: int = 0
    statement_files_sent: int = 0
    received: Received = field(default_factory=Received)
    pushed: bool = False

    @property
    def conflicts(self) -> list[SyncConflict]:
        return self.received.conflicts

    def sent_parts(self) -> list[str]:
        counts = [(self.paragraphs_sent, "paragraph"), (self.terms_sent, "term"), (self.statement_files_sent, "statement file")]
        return [_count(number, what) for number, what in counts if number]

    def sent_summary(self) -> str:
        """``3 paragraphs, 1 term (commit abc1234)``, or ``nothing new``."""
        sent = ", ".join(self.sent_parts()) or ("nothing new" if self.pushed else "nothing")
        return sent + (f" (commit {self.commit})" if self.commit else "")

    def received_summary(self) -> str:
        """``1 new statement, 5 paragraphs``, or ``nothing new``."""
        return ", ".join(self.received.parts()) or ("the conflicts below" if self.conflicts else "nothing new")

    def lines(self) -> list[str]:
        """The report ``workbench sync`` prints: sent, received, then each conflict and note."""
        lines = [f"sent: {self.sent_summary()}", f"received: {self.received_summary()}"]
        if self.conflicts:
            lines.append(f"{_count(len(self.conflicts), 'conflict')} to settle (both texts are kept; undo in the editor brings back the other):")
            lines += [f"  {conflict}" for conflict in self.conflicts]
        lines += [f"note: {note}" for note in self.received.notes]
        return lines


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


def driver_command(subcommand: str) -> str:
    """The command git runs as a merge driver: this very install of workbench, whatever ``PATH`` says.

    git runs drivers through the shell from the work tree; a volunteer's
    ``workbench`` may not be on its ``PATH`` (a virtual environment not
    activated), so the driver names the interpreter running sync.
    """
    return f"{shlex.quote(sys.executable)} -m workbench {subcommand} %O %A %B %P"


def register_merge_drivers(root: Path) -> None:
    """Send the shared files to workbench's merge drivers: ``.gitattributes`` always, ``.git/config`` inside a repository.

    ``workbench init`` calls this, so that even a plain ``git pull`` before the
    first sync merges PO files entry by entry; a workspace that is not a
    repository yet gets the attributes now and the drivers with its first sync.
    """
    _write_attributes(root)
    git = _Git(root, identity(root))
    inside = git.run("rev-parse", "--is-inside-work-tree", check=False)
    if inside.returncode == 0 and inside.stdout.strip() == b"true":
        settings = git.run("config", "-z", "--get-regexp", r"^merge\.", check=False).stdout.decode("utf-8", "replace")
        _configure_drivers(git, dict(item.partition("\n")[::2] for item in settings.split("\0") if item))


def _configure_drivers(git: _Git, settings: dict[str, str]) -> None:
    """The drivers' commands in the repository's ``.git/config``, unless it names them already."""
    for name, (subcommand, description) in MERGE_DRIVERS.items():
        if f"merge.{name}.driver" not in settings:
            git.run("config", f"merge.{name}.name", description)
            git.run("config", f"merge.{name}.driver", driver_command(subcommand))


def _write_attributes(root: Path) -> None:
    """Add the lines of :data:`ATTRIBUTES` that ``.gitattributes`` lacks, keeping the rest of it."""
    path = root / ".gitattributes"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in ATTRIBUTES if line not in text.splitlines()]
    if missing:
        path.write_text(text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(missing) + "\n", encoding="utf-8")


# -- git ------------------------------------------------------------------------------------


class _Git:
    """``git`` run in the workspace, with messages in English (they are read) and never a prompt (nobody may be there)."""

    def __init__(self, root: Path, author: Identity) -> None:
        self.root = root
        email = author.email or f"{author.name.replace(' ', '.') or 'volunteer'}@workbench.invalid"
        self.env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANGUAGE": "C",
                    "GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": email,
                    "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": email}

    def run(self, *args: str, check: bool = True, input: bytes | None = None, timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run(["git", *args], cwd=self.root, env=self.env, input=input, capture_output=True, timeout=timeout, check=False)
        except FileNotFoundError:
            raise SyncError("git is not installed: install it (e.g. 'apt install git') to share the workspace") from None
        except subprocess.TimeoutExpired:  # a network that swallows packets: as good as no network
            return _no_answer(args, timeout)
        if check and done.returncode != 0:
            raise SyncError(f"git {args[0]} failed: {last_line(done)}")
        return done

    def talk(self, *args: str, cancel: threading.Event, timeout: float) -> subprocess.CompletedProcess[bytes]:
        """A fetch or a push: ``git`` run so that the volunteer can stop it (the whole process group is killed).

        Stopping either is safe: git moves a ref only once all it needs has
        arrived, so a stopped fetch or push leaves the ref where it was or where
        it was going, and the next sync picks up from there.
        """
        try:
            process = subprocess.Popen(["git", *args], cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        except FileNotFoundError:
            raise SyncError("git is not installed: install it (e.g. 'apt install git') to share the workspace") from None
        deadline = time.monotonic() + timeout
        while True:
            try:
                stdout, stderr = process.communicate(timeout=CANCEL_POLL)
                return subprocess.CompletedProcess(["git", *args], process.returncode, stdout, stderr)
            except subprocess.TimeoutExpired:
                stopped = cancel.is_set()
                if stopped or time.monotonic() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.communicate()
                    if stopped:
                        raise _Stop(f"{args[0]}ing")
                    return _no_answer(args, timeout)

    def paths(self, *args: str) -> list[str]:
        """The NUL-separated paths a ``-z`` command prints."""
        return [path for path in self.run(*args).stdout.decode("utf-8", "surrogateescape").split("\0") if path]

    def commit_of(self, rev: str) -> str | None:
        found = self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        return found.stdout.decode().strip() if found.returncode == 0 else None

    def blobs(self, rev: str, paths: list[str]) -> dict[str, bytes | None]:
        """Each file's content at ``rev`` (None where it did not exist), in one ``git cat-file`` run."""
        if not paths:
            return {}
        output = self.run("cat-file", "--batch", input="".join(f"{rev}:./{path}\n" for path in paths).encode()).stdout
        found: dict[str, bytes | None] = {}
        position = 0
        for path in paths:
            end = output.index(b"\n", position)
            header = output[position:end].split()
            if len(header) == 3:
                size = int(header[2])
                found[path] = output[end + 1:end + 1 + size]
                position = end + 1 + size + 1
            else:  # "<object> missing"
                found[path] = None
                position = end + 1
        return found


def _no_answer(args: tuple[str, ...], timeout: float | None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.CompletedProcess(["git", *args], 124, b"", f"no answer in {timeout or 0:.0f} s".encode())


def last_line(done: subprocess.CompletedProcess[bytes]) -> str:
    """git's last message line (its own error, usually), for a one-line report."""
    text = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("hint:")]
    return lines[-1] if lines else f"exit code {done.returncode}"


# -- the sync -------------------------------------------------------------------------------


def sync(workspace: Workspace, remote: str = "origin", *, progress: Progress | None = None,
         cancel: threading.Event | None = None) -> SyncReport:
    """Export, commit, fetch and merge, import, push: see the module's description.

    Raises :class:`Offline` when the remote cannot be reached (the work is
    committed first), :class:`SyncError` when the sync cannot start or a merge
    cannot be finished (it is undone), :class:`Cancelled` when ``cancel`` is
    set: before a step, or during a fetch or a push. Merging and importing go
    on to their end once begun, so the files and the database never part.
    Either way nothing is lost, and the next sync completes what was stopped.
    """
    return _Sync(workspace, remote, progress or (lambda step: None), cancel or threading.Event()).run()


@dataclass(frozen=True)
class _FileCheck:
    """A PO file that needs writing: what it sends, and what it must keep."""

    differing: set[str]
    """Segments whose translation, status or comment the file does not have yet."""
    foreign: list[polib.POEntry]
    """Entries of segments this database does not know, kept in the file as they are."""


class _Sync:
    def __init__(self, workspace: Workspace, remote: str, progress: Progress, cancel: threading.Event) -> None:
        self.workspace = workspace
        self.store = workspace.store
        self.remote = remote
        self.progress = progress
        self.cancel = cancel
        volunteer = identity(workspace.root)
        self.author = str(volunteer)
        self.git = _Git(workspace.root, volunteer)
        self.report = SyncReport()
        self.sent: set[tuple[str, str]] = set()
        """The (segment, locale) entries this sync wrote into PO files: what it sends."""
        self.absorbed: list[str] = []
        """The shared files the last import read, relative to the workspace: their PO files are checked for export."""
        self.head: str | None = None
        """The commit HEAD is at, as this sync last moved it (None on a branch with no commit yet)."""

    # the steps

    def run(self) -> SyncReport:
        try:
            return self._run()
        except _Stop as stop:
            kept = (f"your work is committed here ({self.report.commit})" if self.report.commit
                    else "nothing was sent, your work is in the database")
            raise Cancelled(f"sync stopped at {stop.step}: {kept}; the next sync sends it and brings the team's") from None

    def _run(self) -> SyncReport:
        self._check_repository()
        self.head = self.git.commit_of("HEAD")
        first_open(self.workspace)
        self._register_drivers()
        state = self._state()
        self._step("catching up")
        self.report.received.add(self._catch_up(state))
        self._step("exporting")
        self._export(state)
        self._commit(f"workbench sync: {', '.join(self.report.sent_parts()) or 'shared files'}")
        for _ in range(PUSH_ATTEMPTS):
            self._step("fetching")
            self._fetch()
            self._merge_remote()
            self._step("pushing")
            if self._push():
                self.report.pushed = True
                return self.report
        raise SyncError(f"teammates pushed to {self.remote} {PUSH_ATTEMPTS} times while this sync merged: sync again in a moment")

    def _step(self, name: str) -> None:
        """Say that a step begins, unless the volunteer asked to stop: then stop here, between two steps."""
        if self.cancel.is_set():
            raise _Stop(name)
        self.progress(name)

    def _check_repository(self) -> None:
        """A git work tree on a branch, with the remote; its settings read once; a merge a sync left half done undone."""
        found = self.git.run("rev-parse", "--is-inside-work-tree", "--absolute-git-dir", check=False)
        lines = found.stdout.decode("utf-8", "surrogateescape").splitlines()
        if found.returncode != 0 or lines[:1] != ["true"]:
            raise SyncError(f"{self.workspace.root} is not a git repository: clone the team's repository "
                            "(git clone URL) and work in it, or run 'git init' and 'git remote add origin URL' here")
        self.git_dir = Path(lines[1])
        settings = self.git.run("config", "-z", "--get-regexp", r"^(remote|merge)\.", check=False).stdout.decode("utf-8", "replace")
        self.settings = dict(item.partition("\n")[::2] for item in settings.split("\0") if item)
        if f"remote.{self.remote}.url" not in self.settings:
            raise SyncError(f"this repository has no remote {self.remote!r}: add the team's with 'git remote add {self.remote} URL', "
                            "or name another with --remote")
        branch = self.git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        if branch.returncode != 0:
            raise SyncError("the repository is on no branch (a detached HEAD): 'git switch main' (or your branch) and sync again")
        self.branch = branch.stdout.decode().strip()
        ours = self.git_dir / MERGING_FILE
        if (self.git_dir / "MERGE_HEAD").exists():
            if not ours.exists():
                raise SyncError("a merge is under way in this repository (git merge or git pull): finish it with 'git commit', "
                                "or undo it with 'git merge --abort', then sync again")
            self.git.run("merge", "--abort")  # a sync cut short while merging: its work was committed first, so merge again
        ours.unlink(missing_ok=True)

    def _register_drivers(self) -> None:
        """The merge drivers in ``.git/config`` (for a plain ``git pull`` too) and ``.gitattributes`` (committed, so every clone has them)."""
        _configure_drivers(self.git, self.settings)
        _write_attributes(self.workspace.root)

    # what the database has taken in

    def _database_id(self) -> list[int]:
        info = self.workspace.db_path.stat()
        return [info.st_dev, info.st_ino]

    def _state(self) -> dict[str, Any] | None:
        """The last commit this database took in, if the state file describes this very database and that commit exists."""
        try:
            state = json.loads((self.git_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("database") != self._database_id():
            return None
        if not all(isinstance(state.get(key), int) for key in ("history", "glossary")) or not isinstance(state.get("commit"), str):
            return None
        return state if self.git.commit_of(state["commit"]) is not None else None

    def _save_state(self, head: str | None) -> dict[str, Any] | None:
        """Remember that the database holds everything in ``head``'s files, with the history and glossary revision it had then."""
        if head is None:
            return None
        state = {"commit": head, "database": self._database_id(), "history": self.store.latest_history_id(),
                 "glossary": self.store.glossary_revision()}
        temporary = self.git_dir / f".{STATE_FILE}.tmp"
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.git_dir / STATE_FILE)
        return state

    # 1. catch up

    def _catch_up(self, state: dict[str, Any] | None) -> Received:
        """Import what the files hold that the database has not seen: every shared file the first time, else what changed since the last sync."""
        folders = [folder for folder in SHARED_FOLDERS if (self.workspace.root / folder).exists()]
        if not folders:
            return Received()
        untracked = self.git.paths("ls-files", "-z", "--others", "--exclude-standard", "--", *folders)
        if state is None:
            changed = self.git.paths("ls-files", "-z", "--", *folders) + untracked
        else:
            changed = self.git.paths("diff", "-z", "--name-only", "--no-renames", "--relative", state["commit"], "--", *folders) + untracked
        self.absorbed = sorted(set(changed))
        return self._absorb(self.absorbed, state["commit"] if state else None)

    def _absorb(self, paths: list[str], base: str | None) -> Received:
        """Import ``paths`` (statements, then the glossary, then PO files), three-way against their versions at ``base``.

        A translation or glossary file refused whole stops the sync here, before
        anything is exported over it or remembered as taken in.
        """
        root = self.workspace.root
        received = Received()
        existing = [path for path in paths if (root / path).is_file()]
        statements = [root / path for path in existing if path.startswith("data/statements/") and path.endswith(STATEMENT_SUFFIXES)]
        for report in import_paths(self.workspace, statements):
            if report.error:
                received.notes.append(report.error)
            received.statements_added += report.statements_added
            received.statements_updated += report.statements_updated
        glossary = self._glossary_path()
        po_files = [path for path in existing if path.startswith("locales/") and path.endswith(".po")]
        wanted = po_files + ([glossary] if glossary in existing else [])
        bases = self.git.blobs(base, wanted) if base else dict.fromkeys(wanted)
        if glossary in existing:
            received.add(self._absorb_glossary(bases[glossary], full=base is None))
        statement_of = {stem: statement_id for statement_id, stem in file_stems(self.store.statements()).items()}
        for path in po_files:
            base_text = bases[path]
            if base is None:
                summary = import_po(self.workspace, [root / path])
            else:
                summary = import_merged_po(self.workspace, root / path, base=base_text.decode("utf-8", "replace") if base_text else None,
                                           volunteer=self.author)
            received.add(_received_from(summary, statement_of.get(Path(path).stem), Path(path).parts[1]))
        if received.errors:
            more = f" (and {_count(len(received.errors) - 1, 'more file')})" if len(received.errors) > 1 else ""
            raise SyncError(f"{received.errors[0]}{more}: nothing was exported over it; fix the file and sync again")
        return received

    @property
    def glossary_file(self) -> Path:
        """The team's glossary file: the one a new workspace starts with and its database loads, the one sync keeps in step."""
        return self.workspace.glossary_file

    def _glossary_path(self) -> str:
        """:attr:`glossary_file` relative to the workspace, as git names it."""
        return self.glossary_file.relative_to(self.workspace.root).as_posix()

    def _absorb_glossary(self, base_text: bytes | None, *, full: bool) -> Received:
        """The glossary file's changes since ``base_text``, term by term; a term the database changed meanwhile merges both ways.

        Without a base (``full``: the first sync of this database), a term the
        file has is merged with the database's, and none is removed.
        """
        received = Received()
        locales = self.workspace.target_locales
        try:
            incoming = {term.term: term for term in read_tbx(self.glossary_file, locales, max_bytes=UNLIMITED)[0]}
            base = {term.term: term for term in _terms_of(base_text, locales)} if base_text else {}
        except GlossaryError as error:
            received.errors.append(f"{self._glossary_path()}: {error}")
            return received
        current = {term.term: term for term in list_terms(self.store)}
        names = list(incoming) if full else list(dict.fromkeys([*base, *incoming]))
        with self.store.transaction():
            for name in names:
                was, now, mine = base.get(name), incoming.get(name), current.get(name)
                states = [term_state(term) if term is not None else None for term in (was, now, mine)]
                if states[1] == states[0] or states[1] == states[2]:
                    continue
                if states[2] == states[0]:
                    target, conflict = now, False
                else:
                    target, conflict = merge_term(was, mine, now)
                try:
                    self._write_term(mine, target, received)
                except GlossaryError as error:
                    received.notes.append(f"{self._glossary_path()}: term {name!r} not imported: {error}")
                    continue
                if conflict or _new_conflict_note(mine, target):
                    received.conflicts.append(SyncConflict(term=name))
        return received

    def _write_term(self, mine: Term | None, target: Term | None, received: Received) -> None:
        if target is None:
            if mine is not None:
                remove_term(self.store, mine.id)
                received.terms_removed += 1
                received.terms.append(mine.term)
            return
        if mine is None:
            add_term(self.store, target.term, english_forms=target.english_forms, kind=target.kind, treatment=target.treatment,
                     renderings=target.renderings, notes=target.notes, case_sensitive=target.case_sensitive)
            received.terms_added += 1
            received.terms.append(target.term)
            return
        dropped: dict[str, Any] = {locale: None for locale in mine.renderings if locale not in target.renderings and locale in self.workspace.target_locales}
        edit_term(self.store, mine.id, term=target.term, english_forms=target.english_forms, kind=target.kind, treatment=target.treatment,
                  renderings={**target.renderings, **dropped}, notes=target.notes, case_sensitive=target.case_sensitive)
        received.terms_changed += 1
        received.terms.append(target.term)

    # 2. export

    def _export(self, state: dict[str, Any] | None) -> None:
        """Write the PO files whose entries differ from the database, and the glossary; count what changed."""
        store = self.store
        statements = store.statements()
        stems = file_stems(statements)
        by_stem = {stem: statement_id for statement_id, stem in stems.items()}
        locales = self.workspace.target_locales
        pairs: set[tuple[int, str]] = set()
        if state is None:
            pairs = {(statement["id"], locale) for statement in statements for locale in locales}
        else:
            owner = {segment["id"]: segment["statement_id"] for segment in store.segments(include_obsolete=True)}
            for locale in locales:
                pairs |= {(owner[segment_id], locale) for segment_id in store.segments_changed_since(state["history"], locale) if segment_id in owner}
            for path in self.absorbed:
                parts = Path(path).parts
                if len(parts) == 4 and parts[0] == "locales" and parts[2] == "LC_MESSAGES" and Path(path).stem in by_stem and parts[1] in locales:
                    pairs.add((by_stem[Path(path).stem], parts[1]))
                elif path.startswith("data/statements/"):
                    pairs |= {(statement["id"], locale) for statement in store.statements_from(path) for locale in locales}
            pairs |= {(statement["id"], locale) for statement in statements for locale in locales
                      if not self._po_path(stems[statement["id"]], locale).exists()}
        known = {segment["id"] for segment in store.segments(include_obsolete=True)}
        for statement_id, locale in sorted(pairs):
            path = self._po_path(stems[statement_id], locale)
            check = self._check_file(statement_id, locale, path, known)
            if check is None:
                continue
            export_po(self.workspace, locales=[locale], statement=statement_id)
            if check.foreign:
                written = polib.pofile(str(path), wrapwidth=0)
                written.extend(check.foreign)
                write_atomic(path, written.__unicode__())
            self.sent |= {(segment_id, locale) for segment_id in check.differing}
        self.report.paragraphs_sent = len(self.sent)
        if state is None or state["glossary"] != store.glossary_revision() or not self.glossary_file.exists():
            self.report.terms_sent += self._export_glossary()

    def _po_path(self, stem: str, locale: str) -> Path:
        return self.workspace.locales_dir / locale / "LC_MESSAGES" / f"{stem}.po"

    def _check_file(self, statement_id: int, locale: str, path: Path, known: set[str]) -> _FileCheck | None:
        """What writing the file would change, or None when its entries already say what the database does.

        Entries of segments this database never had (a teammate's statement
        imported another way) are no reason to write the file, and are kept in
        it when it is written: the file is the team's, not this clone's.
        """
        expected: dict[str, tuple[str, str, bool, str, bool]] = {}
        saved = self.store.translations(statement_id=statement_id, lang=locale)
        for segment in self.store.segments(statement_id):
            row = saved.get(segment["id"], {}).get(locale)
            text = as_exported(segment["source"], row["text"]) if row else ""
            expected[segment["id"]] = (po_safe(segment["source"]), text, bool(row) and row["status"] in FUZZY_STATUSES,
                                       comment_as_read(row["comment"]) if row else "", False)
        try:
            entries = [entry for entry in polib.pofile(str(path), wrapwidth=0) if entry.msgctxt is not None and not entry.obsolete]
        except (OSError, ValueError):  # no file yet, or one polib cannot read: written whole
            return _FileCheck({key for key, value in expected.items() if value[1]}, [])
        found = {entry.msgctxt: (entry.msgid, entry.msgstr, "fuzzy" in entry.flags, comment_as_read(entry.tcomment),
                                 bool(kept_conflicts(entry.comment or ""))) for entry in entries if entry.msgctxt in known}
        nothing = ("", "", False, "", False)
        stale = any(found[key] != expected.get(key) for key in found)  # also an entry of a segment the source no longer has
        missing = any(value[1] and key not in found for key, value in expected.items())
        if not stale and not missing:
            return None
        return _FileCheck({key for key, value in expected.items() if value[1:4] != found.get(key, nothing)[1:4]},
                          [entry for entry in entries if entry.msgctxt not in known])

    def _export_glossary(self) -> int:
        """Write the glossary file from the database; how many terms it changed."""
        path = self.glossary_file
        locales = self.workspace.target_locales
        try:
            before = {term.term: term_state(term) for term in read_tbx(path, locales, max_bytes=UNLIMITED)[0]} if path.exists() else {}
        except GlossaryError:
            before = {}
        now = {term.term: term_state(term) for term in list_terms(self.store)}
        changed = sum(1 for name in {*before, *now} if before.get(name) != now.get(name))
        if changed:
            export_file(self.store, path, locales)
        return changed

    # 3. commit

    def _shared_paths(self) -> list[str]:
        names = [CONFIG_NAME, ".gitattributes", *SHARED_FOLDERS]
        return [name for name in names if (self.workspace.root / name).exists()]

    def _commit(self, message: str, *, step: bool = True) -> None:
        """Commit the shared files that changed, and nothing else the volunteer may have staged; the database holds it all.

        The commit after a merge is the end of ``importing`` (``step`` False): it is not a step of its own to announce or stop at.
        """
        shared = self._shared_paths()
        if step:
            self._step("committing")
        self.git.run("add", "-A", "--", *shared)
        staged = self.git.paths("diff", "--cached", "-z", "--name-only", "--relative", "--", *shared)
        if staged:
            self.git.run("commit", "--quiet", "-m", message, "--pathspec-from-file=-", "--pathspec-file-nul",
                         input="\0".join(staged).encode("utf-8", "surrogateescape"))
            self.head = self.git.commit_of("HEAD")
            self.report.commit = self.head[:7] if self.head else None
            self.report.statement_files_sent += sum(1 for path in staged if path.startswith("data/statements/"))
        self._save_state(self.head)

    # 4. fetch, merge, import

    def _fetch(self) -> None:
        done = self.git.talk("fetch", "--quiet", self.remote, cancel=self.cancel, timeout=NETWORK_TIMEOUT)
        if done.returncode != 0:
            raise Offline(self._offline(done))

    def _offline(self, done: subprocess.CompletedProcess[bytes]) -> str:
        kept = f"your work is committed here ({self.report.commit})" if self.report.commit else "your work is safe here"
        return f"could not reach {self.remote} ({last_line(done)}): {kept}, and the next sync will send it"

    def _merge_remote(self) -> None:
        theirs = self.git.commit_of(f"refs/remotes/{self.remote}/{self.branch}")
        if theirs is None or self.git.run("merge-base", "--is-ancestor", theirs, "HEAD", check=False).returncode == 0:
            return  # an empty remote, or nothing there this clone lacks
        before = self.head
        self.progress("merging")
        drivers = [option for name, (subcommand, _) in MERGE_DRIVERS.items()
                   for option in ("-c", f"merge.{name}.driver={driver_command(subcommand)}")]
        merging = self.git_dir / MERGING_FILE
        merging.touch()
        done = self.git.run(*drivers, "merge", "--no-edit", "--quiet", "-m", f"workbench sync: merge {self.remote}/{self.branch}",
                            theirs, check=False)
        if done.returncode != 0:
            conflicted = self.git.paths("diff", "-z", "--name-only", "--diff-filter=U")
            self.git.run("merge", "--abort", check=False)
        merging.unlink(missing_ok=True)
        if done.returncode != 0:
            what = f"{', '.join(conflicted[:3])}{' ...' if len(conflicted) > 3 else ''} changed both here and on {self.remote}" if conflicted else last_line(done)
            raise SyncError(f"could not merge {self.remote}/{self.branch}: {what}; nothing was merged and your work is committed here: "
                            "settle those files with git (git pull), then sync again")
        self.progress("importing")
        if before is None:  # this clone had no commit yet: everything is new
            self.absorbed = self.git.paths("ls-files", "-z", "--", *SHARED_FOLDERS)
        else:
            self.absorbed = self.git.paths("diff", "-z", "--name-only", "--no-renames", "--relative", before, "HEAD", "--", *SHARED_FOLDERS)
        self.report.received.add(self._absorb(self.absorbed, before))
        self.head = self.git.commit_of("HEAD")
        self._export(self._save_state(self.head))  # kept conflicts leave the files; what the database keeps goes back out
        self._commit(f"workbench sync: after merging {self.remote}/{self.branch}", step=False)

    # 5. push

    def _push(self) -> bool:
        """Push; False when the remote moved meanwhile (fetch and merge again)."""
        done = self.git.talk("push", "--quiet", self.remote, f"HEAD:refs/heads/{self.branch}", cancel=self.cancel, timeout=NETWORK_TIMEOUT)
        if done.returncode == 0:
            return True
        message = (done.stderr or b"").decode("utf-8", "replace")
        if "[rejected]" in message and ("fetch first" in message or "non-fast-forward" in message):
            return False
        if "[remote rejected]" in message:
            raise SyncError(f"{self.remote} refused the push ({last_line(done)}): your work is committed here; ask who runs the repository")
        raise Offline(self._offline(done))


def _new_conflict_note(before: Term | None, after: Term | None) -> bool:
    """Whether a merge said a new conflict in the term's notes (:data:`~workbench.merging.TERM_CONFLICT`)."""
    said = {line for line in (before.notes if before else "").split("\n") if line.startswith(TERM_CONFLICT)}
    return any(line.startswith(TERM_CONFLICT) and line not in said for line in (after.notes if after else "").split("\n"))


def _received_from(summary: ImportSummary, statement_id: int | None, locale: str) -> Received:
    """What one PO file brought; its paragraphs are counted against its statement (``None``: a file of no statement here)."""
    received = Received(paragraphs=summary.added + summary.changed)
    if statement_id is not None and summary.received:
        received.by_statement[(statement_id, locale)] = len(summary.received)
        received.first_paragraph[(statement_id, locale)] = summary.received[0]
    received.conflicts += [SyncConflict(conflict.segment_id, conflict.locale, conflict.workspace_text, conflict.file_text)
                           for conflict in summary.conflicts]
    received.errors += summary.errors
    skipped = summary.skipped
    if skipped:
        received.notes.append(f"{skipped[0].path}: {_count(len(skipped), 'entry')} not imported, e.g. {skipped[0].message}")
    return received


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return json.dumps(flat if len(flat) <= limit else flat[:limit - 1] + "\u2026", ensure_ascii=False)


def _terms_of(data: bytes, locales: list[str]) -> list[Term]:
    """The terms of a glossary file's older version (``read_tbx`` reads files, so it goes through a temporary one)."""
    with _temporary_file(data, ".tbx") as path:
        return read_tbx(path, locales, max_bytes=UNLIMITED)[0]


@contextmanager
def _temporary_file(data: bytes, suffix: str) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        yield Path(name)
    finally:
        os.unlink(name)

