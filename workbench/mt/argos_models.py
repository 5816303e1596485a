"""Argos Translate model packages: list, install (from a file or the package index), remove.

Models live in ``$ARGOS_PACKAGES_DIR`` when it is set, else in the per-user data
directory Argos itself uses (``~/.local/share/argos-translate/packages`` on
Linux), so models installed with ``argospm`` show up here and the other way round.

Installing by language code needs the Argos package index, which volunteers
often cannot reach. ``argostranslate.package.get_available_packages()`` would
retry for about 95 s and end in a RecursionError, so this module fetches the
index itself, under one deadline for DNS, connection and reading, and fails in
at most :data:`INDEX_TIMEOUT` seconds with a message that says to install from a
``.argosmodel`` file instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import tempfile
import threading
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from workbench.mt.engine import EngineError

PACKAGES_DIR_ENV = "ARGOS_PACKAGES_DIR"
INDEX_ENV = "ARGOS_PACKAGE_INDEX"
DEFAULT_INDEX_BASE = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_TIMEOUT = 5.0
"""Seconds to wait for the package index before concluding the machine is offline."""
DOWNLOAD_TIMEOUT = 60.0
"""Seconds without progress before a model download is abandoned (models are 30-100 MB)."""
SOURCE_LANGUAGE = "en"
"""Statements are written in English: a bare target code such as ``es`` means en->es."""

T = TypeVar("T")


class ModelError(EngineError):
    """A model operation that cannot be done; the message says what to do instead."""


@dataclass(frozen=True)
class InstalledModel:
    """One installed translation package."""

    source: str
    target: str
    version: str
    path: Path
    size_bytes: int
    source_name: str = ""
    target_name: str = ""
    description: str = ""
    target_prefix: str = ""
    fingerprint: str = ""
    """A short digest of the package's metadata and model weights (see :func:`_fingerprint`)."""

    @property
    def pair(self) -> str:
        return f"{self.source}->{self.target}"

    @property
    def key(self) -> str:
        """Identity of the exact model, used to key the MT cache and recorded as the drafts' origin.

        The version alone is not enough: Argos's own en->es package and the toy
        test package are both "1.0", and a cache keyed by version would serve
        one's translations for the other.
        """
        return f"argos/{self.source}-{self.target}/{self.version}#{self.fingerprint}"


def packages_dir() -> Path:
    """Where models are installed: ``$ARGOS_PACKAGES_DIR`` or the per-user data directory."""
    configured = os.environ.get(PACKAGES_DIR_ENV)
    directory = Path(configured).expanduser() if configured else platformdirs.user_data_path("argos-translate") / "packages"
    return directory


def index_url() -> str:
    """The Argos package index, honouring Argos's own ``$ARGOS_PACKAGE_INDEX`` (a base URL)."""
    base = os.environ.get(INDEX_ENV) or DEFAULT_INDEX_BASE
    return base.rstrip("/") + "/index.json"


def _read_package(path: Path) -> InstalledModel:
    """Read one unpacked package folder through Argos, which is what will load it later."""
    from argostranslate.package import Package

    package = Package(path)
    if not package.from_code or not package.to_code:
        raise ModelError(f"{path} has no from_code/to_code in its metadata.json")
    size = sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    return InstalledModel(
        source=package.from_code,
        target=package.to_code,
        version=str(package.package_version or "0"),
        path=path,
        size_bytes=size,
        source_name=package.from_name,
        target_name=package.to_name,
        description=str(json.loads((path / "metadata.json").read_text(encoding="utf-8")).get("description", "")),
        target_prefix=package.target_prefix,
        fingerprint=_fingerprint(path),
    )


def _fingerprint(path: Path) -> str:
    """Digest of ``metadata.json`` and of the size, head and tail of ``model/model.bin``.

    Reading 128 KB rather than the whole 30-100 MB model keeps listing models
    instant; two different trainings never agree on size, head and tail.
    """
    digest = hashlib.sha256((path / "metadata.json").read_bytes())
    weights = path / "model" / "model.bin"
    if weights.is_file():
        size = weights.stat().st_size
        digest.update(str(size).encode())
        with weights.open("rb") as model:
            digest.update(model.read(65536))
            model.seek(max(0, size - 65536))
            digest.update(model.read(65536))
    return digest.hexdigest()[:10]


def scan(directory: Path) -> tuple[list[InstalledModel], list[str]]:
    """The readable translation packages in ``directory``, and a note on each folder that is not one."""
    models: list[InstalledModel] = []
    broken: list[str] = []
    if not directory.is_dir():
        return models, broken
    for path in sorted(directory.iterdir()):
        if not path.is_dir():
            continue
        try:
            metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
            if metadata.get("type", "translate") != "translate":
                continue  # sentence-boundary and other helper packages
            models.append(_read_package(path))
        except (OSError, ValueError, ModelError) as error:
            broken.append(f"{path.name}: {error}")
    return models, broken


def installed_models(directory: Path | None = None) -> list[InstalledModel]:
    """Installed translation packages, sorted by pair."""
    models, _ = scan(directory or packages_dir())
    return sorted(models, key=lambda m: (m.source, m.target))


def find_model(source: str, target: str, directory: Path | None = None) -> InstalledModel | None:
    """The installed package for a direct pair (the newest version if several)."""
    from packaging.version import InvalidVersion, Version

    def version_of(model: InstalledModel) -> Version:
        try:
            return Version(model.version)
        except InvalidVersion:
            return Version("0")

    candidates = [m for m in installed_models(directory) if (m.source, m.target) == (source, target)]
    return max(candidates, key=version_of) if candidates else None


def parse_pair(text: str) -> tuple[str, str]:
    """``en->es``, ``en-es``, ``en_es`` or a bare ``es`` (from English) as ``("en", "es")``."""
    cleaned = text.strip().lower()
    parts = [part for part in re.split(r"\s*(?:->|→|-|_|\s)\s*", cleaned) if part]
    if len(parts) == 1 and re.fullmatch(r"[a-z]{2,3}", parts[0]):
        return SOURCE_LANGUAGE, parts[0]
    if len(parts) == 2 and all(re.fullmatch(r"[a-z]{2,3}", part) for part in parts):
        return parts[0], parts[1]
    raise ModelError(f"{text!r} is not a language pair: write it as en->es, tl-en or just es (from English)")


# -- install and remove -----------------------------------------------------------------------


@contextmanager
def _argos_installs_into(directory: Path) -> Iterator[None]:
    """Point Argos's install location at ``directory`` for the duration of an install.

    Argos reads ``ARGOS_PACKAGES_DIR`` once, at import time; workbench resolves
    the directory at each call, so a test or a changed environment is honoured.
    """
    from argostranslate import settings

    saved = settings.package_data_dir, list(settings.package_dirs)
    settings.package_data_dir = directory
    settings.package_dirs = [directory]
    try:
        yield
    finally:
        settings.package_data_dir, settings.package_dirs = saved[0], saved[1]


def _check_package_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The top folder and metadata of a ``.argosmodel`` file, refusing anything Argos could not load."""
    hint = "download a .argosmodel package (a zip with metadata.json, model/ and sentencepiece.model)"
    if not path.is_file():
        raise ModelError(f"{path} does not exist: {hint} and give its path")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path} is not an Argos model package (not a zip archive): {hint}")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        if len(tops) != 1 or not all("/" in name for name in names):
            raise ModelError(f"{path} is not an Argos model package (it must hold exactly one folder): {hint}")
        top = tops.pop()
        if top in ("", ".", "..") or any(".." in Path(name).parts for name in names):
            raise ModelError(f"{path} has unsafe paths in it: it was not installed")
        try:
            metadata = json.loads(archive.read(f"{top}/metadata.json"))
        except KeyError:
            raise ModelError(f"{path} is not an Argos model package (no metadata.json): {hint}") from None
        except ValueError as error:
            raise ModelError(f"{path} has an unreadable metadata.json ({error}): get a fresh copy of the package") from None
        if metadata.get("type", "translate") != "translate" or not metadata.get("from_code") or not metadata.get("to_code"):
            raise ModelError(f"{path} is not a translation package (metadata.json lacks from_code/to_code): {hint}")
        if f"{top}/model/model.bin" not in names:
            raise ModelError(f"{path} has no CTranslate2 model (model/model.bin): get a fresh copy of the package")
        if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
            raise ModelError(f"{path} has no tokenizer (sentencepiece.model): get a fresh copy of the package")
    return top, metadata


def install_file(path: str | os.PathLike[str], directory: Path | None = None) -> InstalledModel:
    """Install a ``.argosmodel`` file, replacing an installed package of the same pair."""
    from argostranslate.package import install_from_path

    target_dir = directory or packages_dir()
    source = Path(path).expanduser()
    top, metadata = _check_package_file(source)
    target_dir.mkdir(parents=True, exist_ok=True)
    for old in installed_models(target_dir):
        if (old.source, old.target) == (metadata["from_code"], metadata["to_code"]):
            shutil.rmtree(old.path)
    with _argos_installs_into(target_dir):
        install_from_path(source)
    return _read_package(target_dir / top)


def _with_deadline(action: Callable[[], T], seconds: float, what: str) -> T:
    """Run ``action`` in a daemon thread and give up after ``seconds``.

    ``urlopen(timeout=...)`` bounds each socket operation but not the DNS
    lookup, which can hang far longer on a captive or half-dead network.
    """
    results: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            results.put((True, action()))
        except BaseException as error:  # reported to the caller's thread below
            results.put((False, error))

    threading.Thread(target=run, name=f"workbench-{what}", daemon=True).start()
    try:
        ok, value = results.get(timeout=seconds)
    except queue.Empty:
        raise TimeoutError(f"no answer within {seconds:g} s") from None
    if ok:
        return value
    raise value


def _offline_message(url: str, reason: object) -> str:
    return (
        f"cannot reach the Argos package index {url} ({reason}): this machine looks offline. "
        "Copy the .argosmodel files onto it (from another computer or a USB stick) and run: "
        "workbench models install FILE.argosmodel"
    )


def fetch_index(url: str | None = None, timeout: float = INDEX_TIMEOUT) -> list[dict[str, Any]]:
    """The package index as a list of package metadata, or a :class:`ModelError` within ``timeout``."""
    url = url or index_url()

    def fetch() -> list[dict[str, Any]]:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - http(s)/file URLs only
            return json.loads(response.read())

    try:
        index = _with_deadline(fetch, timeout, "index")
    except (OSError, ValueError, RuntimeError) as error:
        # OSError: DNS, refused, timeouts (URLError is one); ValueError: a bad URL or bad JSON;
        # RuntimeError: a sandbox that blocks sockets outright (pytest-socket raises one).
        raise ModelError(_offline_message(url, error)) from None
    if not isinstance(index, list):
        raise ModelError(f"the package index at {url} is not a list of packages: check {INDEX_ENV}")
    return index


def _download(links: list[str], destination: Path) -> None:
    errors: list[str] = []
    for link in links:
        try:
            with urllib.request.urlopen(link, timeout=DOWNLOAD_TIMEOUT) as response, destination.open("wb") as out:  # noqa: S310
                shutil.copyfileobj(response, out)
            return
        except (OSError, ValueError) as error:
            errors.append(f"{link}: {error}")
    raise ModelError(f"could not download the model ({'; '.join(errors) or 'no download link'}): try again or install from a file")


def install(items: Iterable[str], *, url: str | None = None, timeout: float = INDEX_TIMEOUT,
            directory: Path | None = None) -> list[InstalledModel]:
    """Install each item: a ``.argosmodel`` path, a pair (``tl->en``) or a target code (``es``).

    Files are installed first and need no network; codes are looked up in the
    package index, fetched once for all of them.
    """
    items = [item for item in items if item.strip()]
    if not items:
        raise ModelError("nothing to install: give language codes (es fr) or .argosmodel files")
    files = [item for item in items if item.lower().endswith(".argosmodel") or Path(item).expanduser().is_file()]
    pairs = [parse_pair(item) for item in items if item not in files]
    installed = [install_file(path, directory) for path in files]
    if not pairs:
        return installed
    try:
        index = fetch_index(url, timeout)
        for source, target in pairs:
            entry = next((e for e in index if e.get("from_code") == source and e.get("to_code") == target), None)
            if entry is None:
                raise ModelError(f"the Argos index has no model for {source}->{target}: check the code, or install from a file")
            with tempfile.TemporaryDirectory(prefix="workbench-model-") as tmp:
                archive = Path(tmp) / f"translate-{source}_{target}.argosmodel"
                _download([str(link) for link in entry.get("links", [])], archive)
                installed.append(install_file(archive, directory))
    except ModelError as error:
        if installed:  # the error alone would hide that some models did get installed
            raise ModelError(f"installed {', '.join(m.pair for m in installed)}, but {error}") from None
        raise
    return installed


def remove(pair: str, directory: Path | None = None) -> InstalledModel:
    """Uninstall the package for ``pair`` (``en->es``, ``en-es`` or ``es``)."""
    from argostranslate.package import Package, uninstall

    source, target = parse_pair(pair)
    model = find_model(source, target, directory)
    if model is None:
        have = ", ".join(m.pair for m in installed_models(directory)) or "none"
        raise ModelError(f"no {source}->{target} model is installed (installed: {have}): see 'workbench models list'")
    uninstall(Package(model.path))
    return model
