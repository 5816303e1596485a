"""``workbench serve``: the TUI in a real browser (Debian's chromium, driven by Playwright).

A real server runs ``python -m workbench serve`` on a free loopback port, and
chromium opens it as a volunteer would: the page asks their name (an empty one
is refused under the field), then the terminal, drawn on a canvas, takes keys.
The canvas cannot be read, so the walk waits on the terminal's output as it
arrives on the websocket, and the result is asserted in the workspace: the
paragraph confirmed in the browser is ``translated``, in the browser
volunteer's name, not the server's; the paragraph being typed when the tab
goes away is saved too; and two browsers at once run two apps, each under
its own name.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE_STATEMENTS
from workbench.cli import cli
from workbench.importer import import_paths
from workbench.lifecycle import create_workspace
from workbench.store import Store
from workbench.tui.serving import loopback, served_command, volunteer_name
from workbench.workspace import Workspace

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Without the background-networking flags chromium keeps calling out, and a closed network refuses it."""
PATIENCE = 30.0
"""Seconds to wait for the server or the terminal before failing (a slow shared box, not a speed test)."""
VOLUNTEER = "Amina Diallo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def invoke(workspace: Workspace, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args])


# -- the parts that need no browser ----------------------------------------------------------


def test_a_name_is_tidied_and_an_empty_one_is_no_name() -> None:
    assert volunteer_name("Amina%20Diallo") == "Amina Diallo"
    assert volunteer_name("  Jos%C3%A9\t  Rizal <jose@example.org> ") == "José Rizal <jose@example.org>"
    assert volunteer_name("Eve%1B]0;pwned%07") == "Eve ]0;pwned"
    assert volunteer_name("x" * 500) == "x" * 100
    assert [volunteer_name(raw) for raw in (None, "", "%20%20", "%0A")] == [None, None, None, None]


def test_only_addresses_of_this_machine_alone_count_as_loopback() -> None:
    assert [loopback(host) for host in ("127.0.0.1", "::1", "localhost")] == [True, True, True]
    assert [loopback(host) for host in ("0.0.0.0", "192.0.2.1", "no such host")] == [False, False, False]


def test_each_tab_runs_this_very_interpreter_on_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "a workspace"
    assert shlex.split(served_command(root)) == [sys.executable, "-m", "workbench", "--workspace", str(root)]


def test_a_busy_port_is_one_line_that_says_to_choose_another(workspace: Workspace) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke(workspace, "serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.output == f"error: port {port} on 127.0.0.1 is in use: choose another with --port\n"


def test_an_address_of_another_machine_is_one_line_that_names_the_default(workspace: Workspace) -> None:
    result = invoke(workspace, "serve", "--host", "192.0.2.1", "--port", str(free_port()))  # TEST-NET-1: never this machine's
    assert result.exit_code == 2
    assert result.output == "error: 192.0.2.1 is not an address of this machine: leave --host out to serve on 127.0.0.1\n"


def test_a_port_out_of_range_is_refused_before_anything_starts(workspace: Workspace) -> None:
    result = invoke(workspace, "serve", "--port", "70000")
    assert result.exit_code == 2
    assert "70000 is not in the range 1<=x<=65535" in result.output


# -- a real server and a real browser -----------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Workspace]]:
    """``(URL, workspace)``: ``workbench serve`` on a free loopback port, serving the sample statements."""
    workspace = create_workspace(tmp_path_factory.mktemp("serve") / "ws")
    import_paths(workspace, [SAMPLE_STATEMENTS])
    port = free_port()
    log = workspace.root.parent / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "workbench", "--workspace", str(workspace.root), "serve", "--port", str(port)],
                                  stdout=output, stderr=subprocess.STDOUT, env=dict(os.environ, WORKBENCH_AUTHOR="server-owner"))
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as page:
                    if page.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"workbench serve did not start; its output:\n{log.read_text(errors='replace')}") from None
                time.sleep(0.2)
        yield url, workspace
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C: the server tells each tab's app to quit
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_websocket_without_a_volunteer_name_starts_no_app(served: tuple[str, Workspace]) -> None:
    url, _ = served
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "ws?width=80&height=24", timeout=5)
    assert refused.value.code == 403


@pytest.fixture(scope="module")
def launch() -> Iterator[Callable[[], Any]]:
    """Start Debian's chromium under Playwright, headless, with a fresh profile (user-data-dir) each time; all closed at the end.

    One browser per volunteer, as on two machines: a browser has one focused
    window, and Textual gives a web app's widgets the keys only while its
    terminal has the focus. Without chromium or Playwright the test fails
    under CI, saying what to install, and is skipped elsewhere.
    """
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright is missing: pip install -e '.[test]'"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as playwright:
        started: list[Any] = []

        def start() -> Any:
            started.append(playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS))
            return started[-1]

        try:
            yield start
        finally:
            for browser in started:
                browser.close()


class TerminalOutput:
    """What the app has written to the browser's terminal, read off the websocket (the canvas itself cannot be read)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.text = ""
        page.on("websocket", lambda socket: socket.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        chunk = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        self.text += re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", chunk)  # cursor moves and colours cut words apart

    def mark(self) -> int:
        """Where the output is now: :meth:`wait_for` looks only at what comes after."""
        return len(self.text)

    def wait_for(self, words: str, since: int = 0) -> None:
        deadline = time.monotonic() + PATIENCE
        while words not in self.text[since:]:
            if time.monotonic() > deadline:
                raise AssertionError(f"the terminal never showed {words!r}; it showed:\n{self.text[since:][-2000:]}")
            self.page.wait_for_timeout(100)  # lets Playwright deliver the frames, unlike time.sleep

    def press(self, key: str, then: str) -> None:
        """Press a key, and wait for the terminal to show ``then`` after it."""
        since = self.mark()
        self.page.keyboard.press(key)
        self.wait_for(then, since)


def volunteer_page(browser: Any, url: str, name: str) -> tuple[Any, TerminalOutput]:
    """A page on the workbench, the name given, the statements list shown."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    terminal = TerminalOutput(page)
    page.goto(url)
    page.fill("#name", name)
    page.press("#name", "Enter")
    terminal.wait_for("Filter by title")
    return page, terminal


def open_statement(page: Any, terminal: TerminalOutput, title: str) -> None:
    """Filter the list down to one statement and open it, navigating."""
    since = terminal.mark()
    page.keyboard.type(title)
    terminal.wait_for(" 1 of 21", since)  # not "21 of 21"
    terminal.press("Enter", "enter to type")


def wait_until(condition: Callable[[], Any], what: str, page: Any) -> Any:
    deadline = time.monotonic() + PATIENCE
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        page.wait_for_timeout(200)
    return found


def translation(workspace: Workspace, title: str, index: int, lang: str = "es") -> dict[str, Any]:
    """A paragraph's translation in the statement whose title holds ``title``, as the database holds it now."""
    store = Store(workspace.db_path)
    try:
        statement = next(s for s in store.statements() if title in " ".join(s["title"].split()))
        return store.translation(store.segments(statement["id"])[index]["id"], lang)
    finally:
        store.close()


def test_a_volunteer_gives_their_name_in_the_browser_and_confirms_a_paragraph_under_it(
        served: tuple[str, Workspace], launch: Callable[[], Any], tmp_path: Path) -> None:
    url, workspace = served
    page = launch().new_page(viewport={"width": 1280, "height": 800})
    terminal = TerminalOutput(page)
    page.goto(url)
    page.click("button[type=submit]")  # no name yet
    assert page.text_content("#name-error") == "Type your name: it is written next to every translation you make."
    assert terminal.text == ""  # refused: no app was started
    page.fill("#name", f"  {VOLUNTEER} ")
    page.press("#name", "Enter")
    terminal.wait_for("Filter by title")

    open_statement(page, terminal, "2015 IMD")
    terminal.press("Enter", "esc to stop")  # letters are commands until then
    page.keyboard.type("Declaración sobre el Día 2015")
    page.keyboard.press("Control+u")  # confirm, and move on to the next paragraph
    saved = wait_until(lambda: (row := translation(workspace, "2015 IMD", 0))["status"] == "translated" and row,
                       "the paragraph confirmed in the browser reaching the database", page)
    terminal.wait_for("¶ 2 of")
    page.screenshot(path=str(tmp_path / "serve.png"))
    assert (saved["text"], saved["author"]) == ("Declaración sobre el Día 2015", VOLUNTEER)

    page.keyboard.type("Defendamos")  # ¶2, still typing: then the tab goes away without a word
    terminal.wait_for("Defendamos")
    page.reload()  # the next visit: the name is kept, the terminal starts without asking
    left = wait_until(lambda: (row := translation(workspace, "2015 IMD", 1))["text"] and row,
                      "the paragraph typed in a closed tab reaching the database", page)
    assert (left["text"], left["author"]) == ("Defendamos", VOLUNTEER)
    terminal.wait_for("Filter by title", terminal.mark())
    assert not page.is_visible("#name")
    page.goto(url + "?rename")  # another volunteer at this browser: the kept name is offered, to change
    assert page.input_value("#name") == VOLUNTEER


def test_two_browsers_run_two_apps_at_once_each_under_its_own_volunteer(
        served: tuple[str, Workspace], launch: Callable[[], Any]) -> None:
    url, workspace = served
    rosa, rosa_terminal = volunteer_page(launch(), url, "Rosa Santos")
    bilal, bilal_terminal = volunteer_page(launch(), url, "Bilal Haddad")
    for page, terminal in ((rosa, rosa_terminal), (bilal, bilal_terminal)):
        open_statement(page, terminal, "Brussels Bombing")
    bilal_terminal.press("Tab", "fr_CA")  # Bilal works in French, on the same paragraph, at the same time
    for page, terminal, text in ((rosa, rosa_terminal, "Declaración de la IMA"), (bilal, bilal_terminal, "Déclaration de l’IMA")):
        terminal.press("Enter", "esc to stop")
        page.keyboard.type(text)
    for page in (rosa, bilal):
        page.keyboard.press("Control+u")

    def both_confirmed() -> tuple[dict[str, Any], dict[str, Any]] | None:
        spanish, french = (translation(workspace, "Brussels Bombing", 0, lang) for lang in ("es", "fr_CA"))
        return (spanish, french) if spanish["status"] == french["status"] == "translated" else None

    spanish, french = wait_until(both_confirmed, "both paragraphs confirmed", rosa)
    assert (spanish["text"], spanish["author"]) == ("Declaración de la IMA", "Rosa Santos")
    assert (french["text"], french["author"]) == ("Déclaration de l’IMA", "Bilal Haddad")
