"""Test setup shared by every test.

* Sockets are blocked by pytest-socket (``--disable-socket`` in pyproject): no
  test can reach the network, as on a volunteer's offline laptop.
* Per-user folders (Argos packages, caches) point into a throwaway directory
  *before* anything imports argostranslate, which reads them at import time, so
  the suite never touches the developer's real models.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores a fixed sequence of examples, so a red run is reproducible and not luck;
# `--hypothesis-profile thorough` explores far more on a developer's machine.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=1000)
if os.environ.get("CI"):
    settings.load_profile("ci")

_USER_DIRS = Path(tempfile.mkdtemp(prefix="workbench-tests-"))
os.environ["XDG_DATA_HOME"] = str(_USER_DIRS / "data")
os.environ["XDG_CACHE_HOME"] = str(_USER_DIRS / "cache")
os.environ["XDG_CONFIG_HOME"] = str(_USER_DIRS / "config")
os.environ["XDG_STATE_HOME"] = str(_USER_DIRS / "state")
os.environ["ARGOS_PACKAGES_DIR"] = str(_USER_DIRS / "argos-packages")
os.environ["WORKBENCH_AUTHOR"] = "tester"
os.environ.pop("WORKBENCH_WORKSPACE", None)

REPO = Path(__file__).resolve().parent.parent
SAMPLE_STATEMENTS = REPO / "data" / "statements"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_USER_DIRS, ignore_errors=True)


@pytest.fixture
def workspace(tmp_path: Path):
    """A fresh workspace with the bundled glossary and no statements."""
    from workbench.lifecycle import create_workspace

    return create_workspace(tmp_path / "ws")


@pytest.fixture
def sample_workspace(workspace):
    """A workspace with the bundled sample statements imported."""
    from workbench.importer import import_paths

    import_paths(workspace, [SAMPLE_STATEMENTS])
    return workspace


LIBRETRANSLATE_LANGUAGES = ["en", "es", "fr", "id", "tl"]
"""The languages of the five toy models, all loaded by the LibreTranslate fixtures."""

LIBRETRANSLATE_TEST_KEY = "workbench-test-key"
"""The only API key that ``libretranslate_server_with_key`` accepts."""


def _toy_model_files() -> list[Path]:
    from tests.models.toy import PAIRS, package_file

    return [package_file(source, target) for source, target in PAIRS]


@pytest.fixture(scope="session")
def libretranslate_server() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of a real LibreTranslate serving the five toy models.

    One server for the whole session, started offline on loopback by
    :func:`tests.libretranslate_server.running_server` (which builds
    ``.venv-libretranslate`` first if needed) and stopped at the end.

    Sockets stay blocked by pytest-socket, so a test that talks to the server
    must allow loopback, and only loopback, with pytest-socket's marker, on the
    test or for a whole module::

        pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

    Any other address still raises ``pytest_socket.SocketConnectBlockedError``.
    Use the URL as given (an IP address, so no name lookup happens). The
    fixture's own start-up needs no marker: it polls the server from a child
    process, out of pytest-socket's reach.
    """
    from tests.libretranslate_server import running_server

    with running_server(_toy_model_files(), LIBRETRANSLATE_LANGUAGES) as url:
        yield url


@pytest.fixture(scope="session")
def libretranslate_server_with_key() -> Iterator[tuple[str, str]]:
    """``(base URL, key)`` of a second real LibreTranslate that serves only requests carrying ``key``.

    A wrong key gets HTTP 403 ``{"error": "Invalid API key"}``; no key gets 400
    ``{"error": "Please contact the server operator to get an API key"}``;
    ``GET /languages`` needs no key. Tests opt into loopback as for
    ``libretranslate_server``.
    """
    from tests.libretranslate_server import running_server

    with running_server(_toy_model_files(), LIBRETRANSLATE_LANGUAGES, api_key=LIBRETRANSLATE_TEST_KEY) as url:
        yield url, LIBRETRANSLATE_TEST_KEY
