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
