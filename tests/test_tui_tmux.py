"""The real ``workbench`` command in a real terminal (tmux), driven as a volunteer would.

It starts ``workbench`` with no subcommand in a fresh workspace holding the
sample statements (so the first-run import runs too), opens a statement,
types a translation, moves on (which saves it) and quits; then the database
must hold the text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_STATEMENTS
from workbench.lifecycle import create_workspace
from workbench.store import Store
from workbench.workspace import Workspace

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORKBENCH = Path(sys.executable).with_name("workbench")
PATIENCE = 60.0
"""Seconds to wait for the terminal to show something before giving up (a slow CI box, not a speed test)."""


class Terminal:
    """A detached tmux session running one command, with keys in and screen text out."""

    def __init__(self, command: str, cwd: Path, env: dict[str, str]) -> None:
        self.name = f"workbench-test-{uuid.uuid4().hex[:8]}"
        self.socket = f"workbench-test-{uuid.uuid4().hex[:8]}"
        self._tmux("new-session", "-d", "-s", self.name, "-x", "140", "-y", "40", "-c", str(cwd),
                   *(arg for key, value in env.items() for arg in ("-e", f"{key}={value}")), command)

    def _tmux(self, *args: str) -> str:
        # The tmux server passes its own environment on: COLUMNS/LINES from pytest would
        # override the pane size that Textual reads.
        server_env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True, env=server_env)
        return result.stdout

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, condition: Callable[[str], bool], what: str) -> str:
        """Poll the screen until ``condition`` holds; fail with the last screen if it never does."""
        deadline = time.monotonic() + PATIENCE
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"the terminal never showed {what}; last screen:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def statements_workspace(tmp_path: Path) -> Workspace:
    """A new workspace with the sample statement files in data/statements, not yet imported."""
    workspace = create_workspace(tmp_path / "ws")
    for path in SAMPLE_STATEMENTS.glob("*.txt"):
        shutil.copy(path, workspace.statements_dir / path.name)
    return workspace


@pytest.fixture
def terminal(statements_workspace: Workspace) -> Iterator[Terminal]:
    env = {key: value for key, value in os.environ.items() if key.startswith(("XDG_", "ARGOS_"))}
    env.update({"WORKBENCH_AUTHOR": "tmux-volunteer", "TERM": "xterm-256color", "COLORFGBG": "15;0"})
    # `; sleep` keeps the pane (and its last screen) after the app quits, for the failure message.
    session = Terminal(f"{WORKBENCH} ; sleep 30", statements_workspace.root, env)
    yield session
    session.close()


def test_workbench_opens_a_statement_and_saves_an_edit(terminal: Terminal, statements_workspace: Workspace) -> None:
    terminal.wait_for(lambda screen: "Statements" in screen and "of" in screen and "statements" in screen, "the statements list")
    terminal.type("2015 IMD")
    terminal.wait_for(lambda screen: "1 of " in screen, "the filtered list")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "¶ 1 of" in screen and "enter to type" in screen, "the editor, navigating")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "Type the Spanish translation" in screen and "typing" in screen, "the editor, typing")
    terminal.type("Declaración sobre el Día [bold] 2015")
    terminal.send("C-Down")
    terminal.wait_for(lambda screen: "¶ 2 of" in screen, "the second paragraph")
    terminal.send("C-Up")
    terminal.wait_for(lambda screen: "¶ 1 of" in screen and "needs review" in screen, "the saved first paragraph")
    terminal.send("C-q")
    terminal.wait_for(lambda screen: "Statements" not in screen and "¶" not in screen, "the app quitting")

    store = Store(statements_workspace.db_path)
    statement = next(s for s in store.statements() if "2015 IMD" in " ".join(s["title"].split()))
    first = store.segments(statement["id"])[0]
    saved = store.translation(first["id"], "es")
    store.close()
    assert (saved["text"], saved["status"], saved["author"]) == (
        "Declaración sobre el Día [bold] 2015", "needs-review", "tmux-volunteer")
