"""A workspace nobody may write to (a mounted backup, a shared folder) can still be read and exported elsewhere.

Root ignores file permissions, so as root these tests run the real
``workbench`` command as the unprivileged user ``nobody`` (with ``setpriv``);
as anyone else, the permissions alone make the workspace read-only.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.importer import import_paths
from workbench.lifecycle import create_workspace

from .conftest import SAMPLE_STATEMENTS

WORKBENCH = Path(sys.executable).with_name("workbench")
NOBODY = 65534


def as_reader() -> list[str]:
    """The command prefix that runs a program without write access to files it does not own."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop the right to write")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def readable_by_all(path: Path) -> bool:
    return all(os.stat(part).st_mode & stat.S_IXOTH for part in [path, *path.parents])


@pytest.fixture
def read_only_workspace() -> Iterator[Path]:
    """A workspace with the sample statements and a confirmed translation, then made read-only for everyone."""
    if not readable_by_all(WORKBENCH.parent):
        pytest.skip(f"{WORKBENCH.parent} is not readable by other users")
    root = Path(tempfile.mkdtemp(prefix="workbench-readonly-"))
    os.chmod(root, 0o755)
    workspace = create_workspace(root / "ws")
    import_paths(workspace, [SAMPLE_STATEMENTS])
    segment = workspace.store.segments()[0]
    workspace.store.save_translation(segment["id"], "es", "Declaración", "translated", author="ana")
    workspace.store.close()
    for leftover in workspace.data_dir.glob("workbench.db-*"):
        leftover.unlink()  # a clean shutdown leaves no -wal/-shm beside the database
    for path in [workspace.root, *workspace.root.rglob("*")]:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    try:
        yield workspace.root
    finally:
        for path in [workspace.root, *workspace.root.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        shutil.rmtree(root)


def workbench(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(root.parent), "XDG_DATA_HOME": str(root.parent / "data")}
    return subprocess.run([*as_reader(), str(WORKBENCH), "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, env=environment)


def test_list_show_and_check_read_a_read_only_workspace(read_only_workspace: Path) -> None:
    listed = workbench(read_only_workspace, "list")
    shown = workbench(read_only_workspace, "show", "1")
    checked = workbench(read_only_workspace, "check", "--lang", "es")

    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^\s+1\s+5\s+20%", listed.stdout, re.MULTILINE), "statement 1: 1 of 5 segments confirmed in es"
    assert shown.returncode == 0 and "Declaración" in shown.stdout, shown.stderr
    assert checked.returncode in (0, 1) and "Traceback" not in checked.stderr


def test_export_to_another_folder_works_and_says_it_is_not_recorded(read_only_workspace: Path) -> None:
    out = read_only_workspace.parent / "out"
    out.mkdir()
    os.chmod(out, 0o777)

    result = workbench(read_only_workspace, "export", "--lang", "es", "--out", str(out))

    assert result.returncode == 0, result.stderr
    assert "the workspace is read-only, so this export is not recorded" in result.stderr
    assert any("Declaración" in path.read_text(encoding="utf-8") for path in out.rglob("*.po"))


def test_a_write_to_a_read_only_workspace_is_one_line_that_says_so(read_only_workspace: Path) -> None:
    result = workbench(read_only_workspace, "glossary", "add", "mutual aid network")

    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "is read-only: reading works, but to save, make the workspace writable" in line
