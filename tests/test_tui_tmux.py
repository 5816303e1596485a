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
    terminal.wait_for(lambda screen: "esc to stop" in screen, "the editor, typing")
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


def test_a_volunteer_opens_confirms_and_moves_on_comments_searches_and_exports(terminal: Terminal, statements_workspace: Workspace) -> None:
    """The journey of issue 13: open, confirm and next, comment, search, export, in a real terminal."""
    terminal.wait_for(lambda screen: "Statements" in screen and "of" in screen, "the statements list")
    terminal.type("2015 IMD")
    terminal.wait_for(lambda screen: "1 of " in screen, "the filtered list")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "¶ 1 of" in screen and "enter to type" in screen, "the editor, navigating")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "esc to stop" in screen, "the editor, typing")  # letters are commands until then
    terminal.type("Declaración sobre el Día 2015")
    terminal.send("C-u")  # confirm and go to the next unfinished paragraph
    terminal.wait_for(lambda screen: "¶ 2 of" in screen and "es ● Declaración sobre el Día 2015" in screen, "¶2, with ¶1 confirmed above it")

    terminal.send("Escape")
    terminal.wait_for(lambda screen: "enter to type" in screen, "navigation mode")  # Esc then # at once would read as alt+#
    terminal.send("Up")
    terminal.wait_for(lambda screen: "¶ 1 of" in screen, "back on ¶1")
    terminal.send("#")
    terminal.wait_for(lambda screen: "Comment" in screen and "ctrl+s" in screen.lower(), "the comment dialog")
    terminal.type("Revisar el título con el equipo")
    terminal.send("C-s")
    terminal.wait_for(lambda screen: "comment saved" in screen, "the comment saved")

    terminal.send("F9")
    terminal.wait_for(lambda screen: "Search and replace" in screen, "the search screen")
    terminal.type("Declaración")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "1 match" in screen and "Declaración sobre el Día 2015" in screen, "the match")
    terminal.send("Escape")
    terminal.wait_for(lambda screen: "Search and replace" not in screen, "back from the search")

    terminal.send("F8")
    terminal.wait_for(lambda screen: "Export translations" in screen, "the export dialog")
    terminal.send("Enter")
    terminal.wait_for(lambda screen: "Exported" in screen, "the export done")
    terminal.send("C-q")
    terminal.wait_for(lambda screen: "¶" not in screen and "Statements" not in screen, "the app quitting")

    store = Store(statements_workspace.db_path)
    statement = next(s for s in store.statements() if "2015 IMD" in " ".join(s["title"].split()))
    first = store.segments(statement["id"])[0]
    saved = store.translation(first["id"], "es")
    store.close()
    assert (saved["text"], saved["status"], saved["comment"]) == (
        "Declaración sobre el Día 2015", "translated", "Revisar el título con el equipo")
    po_files = list((statements_workspace.root / "locales" / "es" / "LC_MESSAGES").glob("*.po"))
    assert len(po_files) == 1
    exported = po_files[0].read_text(encoding="utf-8")
    assert '# Revisar el título con el equipo\n' in exported and 'msgstr "Declaración sobre el Día 2015"' in exported
