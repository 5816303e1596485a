"""The cost of ``workbench sync`` against plain ``git pull`` and ``git push`` on the same repository.

A team's repository holds the sample corpus in 4 locales (21 statements, 84 PO
files), in a bare repository in a temporary folder, with two clones. Each run
starts from copies of the same two clones, then:

* Ben translates 100 paragraphs into French and syncs (untimed), so the remote
  has something to merge;
* Ana translates the same 100 paragraphs into Spanish: the paragraphs Ben
  touched, in other files, so git merges without a driver on both sides;
* timed, **sync**: ``workbench sync`` in Ana's clone, the command a volunteer
  runs: export the 100 paragraphs, commit, fetch, merge, import Ben's 100,
  push;
* timed, **git**: in a second copy, Ana's 100 paragraphs exported and committed
  beforehand (untimed, as a git user would have them), then ``git pull`` and
  ``git push``: git's own share of the same sync.

Both are separate processes, best of 3. The same sync called in-process (no
interpreter start-up, which the command pays to import workbench) says how
much of the difference is workbench's work, and a sync with nothing to send or
receive what a volunteer pays for syncing often.

    python bench/sync.py [--runs 3] [--paragraphs 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.formats.po import export_po  # noqa: E402
from workbench.importer import import_paths  # noqa: E402
from workbench.lifecycle import create_workspace, first_open  # noqa: E402
from workbench.sync import sync  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def environment(home: Path) -> None:
    """This run's git settings only (no global or system configuration), and workbench from this checkout for subprocesses."""
    for key in [key for key in os.environ if key.startswith("GIT_")]:
        del os.environ[key]
    os.environ.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
                      GIT_AUTHOR_NAME="Set Up", GIT_AUTHOR_EMAIL="setup@example.org",
                      GIT_COMMITTER_NAME="Set Up", GIT_COMMITTER_EMAIL="setup@example.org",
                      PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    os.environ.pop("WORKBENCH_AUTHOR", None)


def team(root: Path) -> tuple[Path, Path, Path]:
    """The team's bare repository and two synced clones (ana, ben), each with its database."""
    start = root / "start"
    workspace = create_workspace(start)
    shutil.copytree(REPO / "data" / "statements", workspace.statements_dir, dirs_exist_ok=True)
    import_paths(workspace, [workspace.statements_dir])
    export_po(workspace)
    workspace.store.close()
    (start / ".gitignore").write_text("data/workbench.db*\n", encoding="utf-8")
    git(start, "init", "-q", "-b", "main")
    git(start, "add", "-A")
    git(start, "commit", "-qm", "the team's workspace")
    git(root, "clone", "-q", "--bare", str(start), "team.git")
    clones = []
    for name in ("ana", "ben"):
        git(root, "clone", "-q", str(root / "team.git"), name)
        git(root / name, "config", "user.name", name.title())
        git(root / name, "config", "user.email", f"{name}@example.org")
        clone = Workspace.find(root / name)
        first_open(clone)
        sync(clone)
        clone.store.close()
        clones.append(root / name)
    for clone in clones:  # both have the other's first commit (.gitattributes), so a run starts level
        clone_workspace = Workspace.find(clone)
        sync(clone_workspace)
        clone_workspace.store.close()
    return root / "team.git", clones[0], clones[1]


def copy_team(origin: tuple[Path, Path, Path], into: Path) -> tuple[Path, Path]:
    """Copies of the repository and the clones, the clones pointed at the copied repository."""
    remote, ana, ben = origin
    shutil.copytree(remote, into / "team.git")
    copies = []
    for clone in (ana, ben):
        shutil.copytree(clone, into / clone.name)
        git(into / clone.name, "remote", "set-url", "origin", str(into / "team.git"))
        copies.append(into / clone.name)
    return copies[0], copies[1]


def translate(root: Path, locale: str, count: int) -> Workspace:
    """Translate the first ``count`` paragraphs into ``locale`` in the clone at ``root``."""
    workspace = Workspace.find(root)
    store = workspace.store
    with store.transaction():
        for segment in store.segments()[:count]:
            row = store.translation(segment["id"], locale)
            store.save_translation(segment["id"], locale, f"{segment['source']} ({locale})", "translated",
                                   author=root.name.title(), expected_version=row["version"])
    return workspace


def timed(action: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def command(root: Path, *args: str) -> None:
    subprocess.run(args, cwd=root, check=True, capture_output=True)


def pull_and_push(root: Path) -> None:
    command(root, "git", "pull", "-q", "--no-rebase", "--no-edit")
    command(root, "git", "push", "-q")


def one_run(origin: tuple[Path, Path, Path], folder: Path, paragraphs: int) -> tuple[float, float, float, float]:
    """(sync command, git pull + push, sync in-process, sync with nothing new) for one fresh copy of the team."""
    times = []
    for kind in ("command", "git", "in-process"):
        ana, ben = copy_team(origin, folder / kind)
        if kind != "git":  # a copied database is a new one to sync: it catches up once, as a volunteer's did before
            settled = Workspace.find(ana)
            sync(settled)
            settled.store.close()
        sync(translate(ben, "fr_CA", paragraphs))
        workspace = translate(ana, "es", paragraphs)
        if kind == "command":
            workspace.store.close()
            times.append(timed(command, ana, sys.executable, "-m", "workbench", "sync"))
            idle = timed(command, ana, sys.executable, "-m", "workbench", "sync")
        elif kind == "git":
            export_po(workspace, locales=["es"])
            workspace.store.close()
            git(ana, "commit", "-qam", "Ana's paragraphs")
            times.append(timed(pull_and_push, ana))
        else:
            times.append(timed(sync, workspace))
            workspace.store.close()
    return times[0], times[1], times[2], idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paragraphs", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "home").mkdir()
        environment(root / "home")
        setup = time.perf_counter()
        origin = team(root)
        print(f"team: sample corpus, 4 locales, 2 clones (set up in {time.perf_counter() - setup:.1f} s); "
              f"{options.paragraphs} paragraphs out, {options.paragraphs} in; best of {options.runs}")
        runs = [one_run(origin, root / f"run-{number}", options.paragraphs) for number in range(options.runs)]
    ours, theirs, inside, idle = (min(figures) for figures in zip(*runs, strict=True))
    print(f"workbench sync (command):      {ours:6.2f} s")
    print(f"git pull + git push:           {theirs:6.2f} s")
    print(f"workbench sync (in-process):   {inside:6.2f} s")
    print(f"workbench sync, nothing new:   {idle:6.2f} s")
    print(f"ratio sync/git: {ours / theirs:.1f}x (command), {inside / theirs:.1f}x (in-process); "
          f"sync adds {ours - theirs:.2f} s to git's own work, {idle:.2f} s when there is nothing to do")


if __name__ == "__main__":
    main()
