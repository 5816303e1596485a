"""``workbench serve``: the same TUI in a browser, one app per browser tab, through textual-serve.

textual-serve starts its command in a shell for each websocket, with the
server's own environment; nothing of the browser reaches the app but the
terminal's size. So the name is asked by the page, not by the app: the
page (``templates/app_index.html``, in place of textual-serve's own) shows a
name field the first time and keeps the answer in a cookie, which the browser
sends with the websocket's handshake on every visit. :class:`WorkbenchServer`
reads it there and starts that tab's app with ``$WORKBENCH_AUTHOR`` set to it,
which :mod:`workbench.identity` puts first: the history, ``translations.author``
and the PO files' ``Last-Translator`` name the browser volunteer, and each
volunteer finds their own remembered places (:mod:`workbench.tui.positions`).
The name stays with the browser, not with the server, so a volunteer is asked
once per browser, and two people on two laptops are never confused.

The tabs share the workspace's database as two terminals do; the store's
versions turn a concurrent edit into a conflict to settle, never a lost one.

textual-serve has no authentication, so the server binds to loopback unless
told otherwise; the README says how to put it behind a reverse proxy that asks
for a password. The page uses relative addresses only, so such a proxy may
serve it under any host and path without the server knowing its public URL.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import shlex
import socket
import sys
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from workbench.identity import AUTHOR_ENV

NAME_COOKIE = "workbench_volunteer"
"""The cookie in which the page keeps the volunteer's name (set by ``templates/app_index.html``)."""
NAME_MAX = 100
"""Characters kept of a name: enough for any name and e-mail address, not a page of text in every history row."""
TEMPLATES = Path(__file__).resolve().parent / "templates"
WEB_DRIVER = "workbench.tui.web_driver:WebDriver"
"""The driver each tab's app runs on, in place of Textual's own (``$TEXTUAL_DRIVER``)."""

log = logging.getLogger("textual-serve")


class ServeError(Exception):
    """The server cannot start where it was asked to (a busy port, an address not on this machine)."""


def volunteer_name(raw: str | None) -> str | None:
    """The name in the cookie's (percent-encoded) text, tidied, or ``None`` when there is none.

    Control and format characters go (an ESC in a name would reach every
    terminal that shows the history), runs of spaces become one space, and a
    name is cut to :data:`NAME_MAX` characters.
    """
    text = unquote(raw or "", errors="replace")
    text = "".join(" " if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char for char in text)
    name = " ".join(text.split())[:NAME_MAX].strip()
    return name or None


def served_command(workspace_root: Path) -> str:
    """The shell command each tab runs: this very interpreter's workbench, so a venv not on PATH works."""
    return shlex.join([sys.executable, "-m", "workbench", "--workspace", str(workspace_root)])


def check_address(host: str, port: int) -> None:
    """Fail with a one-line :class:`ServeError` if the server could not listen on ``host:port``.

    Probing first, as aiohttp binds (``SO_REUSEADDR``), turns a busy port or a
    foreign address into a sentence before the server prints that it is serving.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise ServeError(f"cannot serve on host {host!r}: {error.strerror}; the default, 127.0.0.1, serves this machine only") from error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} on {host} is in use: choose another with --port") from error
            if error.errno == errno.EADDRNOTAVAIL:
                raise ServeError(f"{host} is not an address of this machine: leave --host out to serve on 127.0.0.1") from error
            if error.errno == errno.EACCES:
                raise ServeError(f"port {port} needs administrator rights: choose one above 1023 with --port") from error
            raise ServeError(f"cannot serve on {host}:{port}: {error.strerror}") from error


def loopback(host: str) -> bool:
    """Whether ``host`` serves this machine only (``127.0.0.1``, ``::1``, ``localhost``), so nobody else can reach it."""
    try:
        addresses = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        return all(ipaddress.ip_address(str(address[4][0]).split("%")[0]).is_loopback for address in addresses)
    except (socket.gaierror, ValueError):
        return False


class VolunteerSession(AppService):
    """One tab's app, started with the tab's volunteer as ``$WORKBENCH_AUTHOR``, on workbench's web driver (see there)."""

    def __init__(self, command: str, *, author: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.author = author

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment[AUTHOR_ENV] = self.author
        environment["TEXTUAL_DRIVER"] = WEB_DRIVER
        return environment


class WorkbenchServer(Server):
    """textual-serve's server with workbench's page, and each tab's app named after its volunteer."""

    def __init__(self, workspace_root: Path, host: str, port: int) -> None:
        super().__init__(served_command(workspace_root), host=host, port=port, title="workbench", templates_path=TEMPLATES)
        self.workspace_root = workspace_root

    async def on_startup(self, app: web.Application) -> None:
        """Say where to point the browser, instead of textual-serve's banner and the long command."""
        self.console.print(f"Serving the workbench of {self.workspace_root} on {self.public_url}/ (Ctrl+C stops)", highlight=False, soft_wrap=True)
        if not loopback(self.host):
            self.console.print(f"warning: no password protects {self.host}: anyone who reaches it can edit this workspace; "
                               "see the README's \"Volunteers in a browser\" for a reverse proxy that asks for one",
                               highlight=False, soft_wrap=True, markup=False)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's handler, but the app learns who is at the browser, and a tab without a name gets none.

        The page asks the name before it connects; a handshake without one
        (cookies refused, an old tab) is turned away, and the page's "Restart"
        asks again.
        """
        author = volunteer_name(request.cookies.get(NAME_COOKIE))
        if author is None:
            raise web.HTTPForbidden(text="No volunteer name: reload the page and give your name.")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: VolunteerSession | None = None
        try:
            await websocket.prepare(request)
            session = VolunteerSession(self.command, author=author, write_bytes=websocket.send_bytes,
                                       write_str=websocket.send_str, close=websocket.close,
                                       download_manager=self.download_manager, debug=self.debug)
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one tab's failure is logged; the server goes on serving the others
            log.exception("a tab's app failed")
        finally:
            if session is not None:
                await session.stop()  # tells the app to quit, and waits for it
        return websocket


def serve(workspace_root: Path, host: str, port: int) -> None:
    """Serve the workbench of ``workspace_root`` on ``host:port`` until Ctrl+C.

    Raises :class:`ServeError` when the address cannot be used.
    """
    check_address(host, port)
    WorkbenchServer(workspace_root, host, port).serve()
