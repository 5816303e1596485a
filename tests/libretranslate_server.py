"""A real LibreTranslate server for the tests, offline on loopback, serving the toy Argos models.

The LibreTranslate engine (``workbench/mt/libretranslate.py``) is tested against
the real server, never a mock. This module builds that server's environment and
runs it:

* :func:`ensure_environment` builds, once, a virtual environment of its own at
  ``<repo>/.venv-libretranslate`` with :data:`LIBRETRANSLATE_VERSION` pinned.
  It cannot share workbench's venv: LibreTranslate pins ``rich<13`` through
  Flask-Limiter while Textual needs a newer rich.
* :func:`running_server` unpacks ``.argosmodel`` files into a throwaway folder,
  starts ``libretranslate`` on a free port of 127.0.0.1 with a minimal
  environment, waits until ``GET /languages`` answers, yields the base URL and
  always stops the server afterwards.

Why the server never reaches the network (each point read in LibreTranslate
1.9.6 and argos-translate-lt 1.12.1):

* At boot LibreTranslate downloads the package index and models only when
  fewer than two packages are installed (or with ``--update-models`` /
  ``--force-update-models``, never passed here). ``ARGOS_PACKAGE_INDEX``
  points at a local ``file://`` folder holding an empty ``index.json`` and
  ``$XDG_DATA_HOME/argos-translate/index.json`` is ``[]``, so even that path
  reads a local empty index instead of retrying GitHub for ~37 s.
* ``--load-only`` names the languages; without it the install path above would
  also try to download MiniSBD sentence splitters for every language.
* Sentence splitting: Argos's default splitter (MiniSBD) downloads an ONNX
  model from GitHub on the first ``/translate``. ``ARGOS_CHUNK_TYPE=SPACY``
  switches Argos to spaCy, and each unpacked package gets a ``spacy/`` folder
  holding a blank spaCy pipeline of its source language (``spacy.blank``: a
  rule-based tokenizer, no trained weights), to which Argos adds spaCy's
  rule-based ``sentencizer``. Argos also caches a multilingual spaCy model at
  import time unless ``$XDG_CACHE_HOME/argos-translate/spacy/senter/model``
  exists; that folder is created, beside a blank multilingual (``xx``)
  pipeline that serves as the fallback. spaCy is therefore installed in the
  LibreTranslate venv too.
* ``--disable-files-translation`` and ``--disable-web-ui``: the tests use the
  JSON API only; they are not needed to boot offline, but they spare the
  upload-folder cleaner and the web page.
* HOME, XDG_*, TMPDIR and the working directory are throwaway folders, and no
  proxy or ``LT_*`` variable of the caller reaches the server.

API keys: with ``api_key`` set, the server runs with ``--api-keys`` (a sqlite
database made with LibreTranslate's own ``ltmanage keys add``) and
``--require-api-key-origin`` naming an origin no test sends. Then a request
with a wrong key gets 403 ``{"error": "Invalid API key"}``, one without a key
gets 400 ``{"error": "Please contact the server operator to get an API key"}``,
and ``GET /frontend/settings`` reports ``"apiKeys": true, "keyRequired": true``.

Run this file (``python3 tests/libretranslate_server.py``) to build the
environment ahead of the tests, as ``.ci/run`` does. It needs only the standard
library, so any Python 3.11+ can run it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv-libretranslate"

LIBRETRANSLATE_VERSION = "1.9.6"
"""The newest LibreTranslate on PyPI when this was written; it boots offline as described above."""

SPACY_VERSION = "3.8.18"
"""spaCy, for Argos's offline sentence splitting (``ARGOS_CHUNK_TYPE=SPACY``)."""

REQUIREMENTS: tuple[str, ...] = (
    f"libretranslate=={LIBRETRANSLATE_VERSION}",
    f"spacy=={SPACY_VERSION}",
    # requests 2.31 (pinned by LibreTranslate) warns on every start when chardet
    # is 6 or newer, which a dependency (pysrt) would otherwise pull in.
    "chardet==5.2.0",
)

_READY_MARKER = ".workbench-ready"
"""Written last by a build that finished: a venv without it was interrupted and is rebuilt."""

_SPACY_BLANKS = "workbench-spacy-blank"
"""Folder of the venv caching one blank spaCy pipeline per source language."""

_BOOT_TIMEOUT = 60.0
_STOP_TIMEOUT = 10.0
_API_KEY_ORIGIN = "https://origin-no-test-sends.invalid"


# --------------------------------------------------------------------------- environment


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _expected_marker() -> str:
    return json.dumps(
        {"requirements": list(REQUIREMENTS), "python": f"{sys.version_info.major}.{sys.version_info.minor}"},
        sort_keys=True,
    )


def _environment_works() -> bool:
    """Whether a finished build of the same requirements is there and its Python runs."""
    marker = VENV / _READY_MARKER
    executable = VENV / "bin" / "libretranslate"
    try:
        if marker.read_text(encoding="utf-8") != _expected_marker() or not executable.is_file():
            return False
    except OSError:
        return False
    check = (
        "import importlib.metadata as m; "
        "print(m.version('libretranslate'), m.version('spacy'))"
    )
    try:
        result = subprocess.run(
            [str(_venv_python()), "-I", "-c", check], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and result.stdout.split() == [LIBRETRANSLATE_VERSION, SPACY_VERSION]


def _run_or_raise(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        # pip's "Location ... is ignored" lines about absent local mirrors are noise.
        output = [line for line in output if "is ignored: it is neither a file nor a directory" not in line]
        tail = "\n".join(output[-40:])
        raise RuntimeError(f"{what} failed (exit {result.returncode}): {' '.join(command)}\n{tail}")


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """One build at a time per venv path, across processes (pytest-xdist, .ci/run then pytest)."""
    digest = hashlib.sha256(str(VENV).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"workbench-libretranslate-{digest}.lock"
    with open(lock_path, "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def ensure_environment() -> Path:
    """Build the LibreTranslate venv unless a finished, working one is there; return its ``libretranslate``.

    The venv is made with this Python's ``-m venv`` and pip from the package
    registry. A venv that lacks the ready marker (an interrupted build), was
    built for other requirements or another Python, or whose Python no longer
    runs, is deleted and built again. Prints nothing on success; raises
    ``RuntimeError`` with the tail of pip's output on failure.
    """
    executable = VENV / "bin" / "libretranslate"
    if _environment_works():
        return executable
    with _build_lock():
        if _environment_works():  # another process built it while we waited
            return executable
        shutil.rmtree(VENV, ignore_errors=True)
        _run_or_raise([sys.executable, "-m", "venv", str(VENV)], "Creating the LibreTranslate venv")
        _run_or_raise(
            [str(_venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
            "Installing LibreTranslate",
        )
        if not executable.is_file():
            raise RuntimeError(f"pip installed LibreTranslate but {executable} is missing")
        (VENV / _READY_MARKER).write_text(_expected_marker(), encoding="utf-8")
        if not _environment_works():
            raise RuntimeError(f"The LibreTranslate venv at {VENV} was built but does not run")
    return executable


def _spacy_blank_pipelines(languages: set[str]) -> dict[str, Path]:
    """A blank spaCy pipeline folder per language code (and ``xx``), made once and cached in the venv.

    A code spaCy does not know gets the multilingual ``xx`` pipeline.
    """
    cache = VENV / _SPACY_BLANKS
    wanted = sorted(languages | {"xx"})
    missing = [code for code in wanted if not (cache / code / "config.cfg").is_file()]
    if missing:
        script = (
            "import sys, shutil, spacy\n"
            "from pathlib import Path\n"
            "cache = Path(sys.argv[1])\n"
            "for code in sys.argv[2:]:\n"
            "    try:\n"
            "        nlp = spacy.blank(code)\n"
            "    except Exception:\n"
            "        nlp = spacy.blank('xx')\n"
            "    partial = cache / (code + '.partial')\n"
            "    shutil.rmtree(partial, ignore_errors=True)\n"
            "    nlp.to_disk(partial)\n"
            "    shutil.rmtree(cache / code, ignore_errors=True)\n"
            "    partial.rename(cache / code)\n"
        )
        cache.mkdir(exist_ok=True)
        _run_or_raise([str(_venv_python()), "-I", "-W", "ignore", "-c", script, str(cache), *missing],
                      "Making blank spaCy pipelines")
    return {code: cache / code for code in wanted}


# --------------------------------------------------------------------------- server


def _unpack_package(archive: Path, packages_dir: Path) -> Path:
    """Unzip one ``.argosmodel`` (a zip with one top folder) into ``packages_dir``; return that folder."""
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        if len(tops) != 1 or any(name.startswith("/") or ".." in Path(name).parts for name in names):
            raise ValueError(f"{archive} is not an Argos package: one top folder expected, found {sorted(tops)}")
        zipped.extractall(packages_dir)
    folder = packages_dir / tops.pop()
    if not (folder / "metadata.json").is_file():
        raise ValueError(f"{archive} has no metadata.json in its top folder")
    return folder


def _free_loopback_port() -> int:
    """A port of 127.0.0.1 free right now.

    Uses the C-level ``_socket`` type: pytest-socket replaces ``socket.socket``
    (and would refuse this in a test without ``allow_hosts``), and binding to
    loopback sends nothing anywhere.
    """
    import _socket

    probe = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
    finally:
        probe.close()


def _server_environment(root: Path, packages_dir: Path, index_dir: Path) -> dict[str, str]:
    """The server's whole environment: nothing of the caller's leaks in but OpenBLAS's processor settings."""
    env = {
        "PATH": f"{VENV / 'bin'}:/usr/bin:/bin",
        "HOME": str(root / "home"),
        "TMPDIR": str(root / "tmp"),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "ARGOS_PACKAGES_DIR": str(packages_dir),
        "ARGOS_PACKAGE_INDEX": index_dir.as_uri() + "/",
        "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_DEVICE_TYPE": "cpu",
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
    }
    # Set on some processors of this workplace because older OpenBLAS builds crash there.
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _log_tail(log: Path, lines: int = 40) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


_POLLER = """
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
while time.monotonic() < deadline:
    try:
        with opener.open(url, timeout=5) as response:
            sys.stdout.write(response.read().decode("utf-8"))
            sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
"""
"""Polls ``GET /languages`` from a child process, so pytest-socket's blocking in this one does not matter."""


def _stop(process: subprocess.Popen) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # The group may hold children even after the leader exited.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _wait_until_ready(process: subprocess.Popen, base_url: str, languages: list[str], log: Path,
                      command: list[str]) -> None:
    poller = subprocess.Popen(
        [sys.executable, "-I", "-c", _POLLER, f"{base_url}/languages", str(_BOOT_TIMEOUT)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"LibreTranslate exited with {process.returncode} before answering.\n"
                    f"Command: {' '.join(command)}\nLog tail:\n{_log_tail(log)}"
                )
            if poller.poll() is not None:
                break
            time.sleep(0.1)
        body = poller.stdout.read() if poller.stdout else ""
    finally:
        if poller.poll() is None:
            poller.kill()
        poller.wait()
        if poller.stdout:
            poller.stdout.close()
    if poller.returncode != 0:
        raise RuntimeError(
            f"LibreTranslate did not answer GET /languages within {_BOOT_TIMEOUT:.0f} s.\n"
            f"Command: {' '.join(command)}\nLog tail:\n{_log_tail(log)}"
        )
    served = {entry["code"] for entry in json.loads(body)}
    if not set(languages) <= served:
        raise RuntimeError(
            f"LibreTranslate serves {sorted(served)}, not all of {sorted(languages)}.\nLog tail:\n{_log_tail(log)}"
        )


@contextlib.contextmanager
def running_server(models: list[Path], languages: list[str], api_key: str | None = None) -> Iterator[str]:
    """Run LibreTranslate on 127.0.0.1 with ``models`` installed; yield its base URL ``http://127.0.0.1:PORT``.

    ``languages`` are the codes passed to ``--load-only``; the server must list
    them all at ``GET /languages`` before this yields. With ``api_key``, the
    server accepts requests carrying that key only (see the module docstring).
    Raises ``RuntimeError`` with the tail of the server's log if it dies or does
    not answer within 60 s. The server and its folder are always removed
    afterwards.
    """
    executable = ensure_environment()
    root = Path(tempfile.mkdtemp(prefix="workbench-libretranslate-"))
    process: subprocess.Popen | None = None
    try:
        for sub in ("home", "tmp", "config", "packages", "offline-index", "data/argos-translate",
                    "cache/argos-translate/spacy"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        packages_dir, index_dir = root / "packages", root / "offline-index"
        (index_dir / "index.json").write_text("[]\n", encoding="utf-8")
        (root / "data" / "argos-translate" / "index.json").write_text("[]\n", encoding="utf-8")

        folders = [_unpack_package(Path(model), packages_dir) for model in models]
        source_of = {
            folder: json.loads((folder / "metadata.json").read_text(encoding="utf-8"))["from_code"]
            for folder in folders
        }
        blanks = _spacy_blank_pipelines(set(source_of.values()))
        for folder, source in source_of.items():
            shutil.copytree(blanks[source], folder / "spacy")  # Argos's per-package spaCy model
        spacy_cache = root / "cache" / "argos-translate" / "spacy"
        shutil.copytree(blanks["xx"], spacy_cache, dirs_exist_ok=True)
        (spacy_cache / "senter" / "model").mkdir(parents=True)  # Argos's "already cached" check

        env = _server_environment(root, packages_dir, index_dir)
        key_flags: list[str] = []
        if api_key is not None:
            database = root / "db" / "api_keys.db"
            database.parent.mkdir()
            database.touch()  # ltmanage refuses a database file that does not exist yet
            _run_or_raise(
                [str(VENV / "bin" / "ltmanage"), "keys", "--api-keys-db-path", str(database),
                 "add", "1000000", "--key", api_key],
                "Adding the API key",
            )
            key_flags = ["--api-keys", "--api-keys-db-path", str(database),
                         "--require-api-key-origin", _API_KEY_ORIGIN]

        log = root / "server.log"
        for attempt in range(3):
            port = _free_loopback_port()
            base_url = f"http://127.0.0.1:{port}"
            command = [
                str(executable), "--host", "127.0.0.1", "--port", str(port),
                "--load-only", ",".join(languages),
                "--disable-files-translation", "--disable-web-ui",
                *key_flags,
            ]
            with open(log, "w") as log_file:
                process = subprocess.Popen(
                    command, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                    stderr=subprocess.STDOUT, start_new_session=True,
                )
            try:
                _wait_until_ready(process, base_url, languages, log, command)
                break
            except RuntimeError:
                _stop(process)
                if attempt < 2 and "Address already in use" in _log_tail(log):
                    continue  # another process took the port between the probe and the bind
                raise
        yield base_url
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    ensure_environment()
