"""Argos model management: install from files and from an index, list, remove, and the offline error."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.models.toy import PAIRS, SHORT_POSITIONS, held_out, package_file, short_package_file
from workbench.mt import argos_models as models
from workbench.mt.argos import ArgosEngine
from workbench.mt.argos_models import ModelError


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty models directory that ``ARGOS_PACKAGES_DIR`` points at, and an index nobody serves.

    The index is a loopback address, so even the DNS lookup of the real index
    host is avoided; the blocked sockets make it fail like an offline laptop.
    """
    directory = tmp_path / "argos-packages"
    monkeypatch.setenv(models.PACKAGES_DIR_ENV, str(directory))
    monkeypatch.setenv(models.INDEX_ENV, "http://127.0.0.1:9/")
    return directory


def test_the_short_package_is_what_its_script_derives_from_the_committed_en_es_package() -> None:
    """The 40-position package stays in step with en->es: rebuilding en->es without deriving it again fails here."""
    from tests.models import build_short_model

    committed = short_package_file().read_bytes()

    assert build_short_model.derive() == committed
    assert len(committed) < 500_000
    with zipfile.ZipFile(short_package_file()) as archive:
        metadata = json.loads(archive.read(f"{short_package_file().stem}/metadata.json"))
    assert (metadata["from_code"], metadata["to_code"]) == ("en", "es") and f"{SHORT_POSITIONS} position" in metadata["description"]


def test_committed_packages_are_small_argos_zips() -> None:
    for source, target in PAIRS:
        path = package_file(source, target)
        assert path.stat().st_size < 1_000_000, f"{path.name} should stay well under 1 MB"
        with zipfile.ZipFile(path) as archive:
            top = {name.split("/")[0] for name in archive.namelist()}
            assert top == {path.stem}
            metadata = json.loads(archive.read(f"{path.stem}/metadata.json"))
        assert (metadata["from_code"], metadata["to_code"], metadata["type"]) == (source, target, "translate")


def test_install_from_file_then_list_shows_pair_version_size_and_missing_targets(packages: Path) -> None:
    installed = models.install([str(package_file("en", "es"))])

    assert [m.pair for m in installed] == ["en->es"]
    engine = ArgosEngine()
    listing = engine.listing()
    assert [(m.pair, m.version) for m in listing.models] == [("en->es", "1.0")]
    assert 100_000 < listing.models[0].size_bytes < 2_000_000
    assert listing.location == f"models in {packages}"
    assert engine.missing([("en", code) for code in ("es", "fr", "id", "tl")]) == [("en", "fr"), ("en", "id"), ("en", "tl")]
    assert listing.problems == []


def test_argos_itself_loads_and_translates_with_an_installed_toy_package(packages: Path) -> None:
    """The package is a real Argos package: Argos's own loader and translation function use it."""
    import ctranslate2
    from argostranslate.package import get_installed_packages
    from argostranslate.translate import apply_packaged_translation

    from workbench.sentences import split_sentences

    models.install_file(package_file("en", "fr"))
    (package,) = get_installed_packages(path=[packages])
    translator = ctranslate2.Translator(str(package.package_path / "model"))

    class OfflineSplitter:
        """Argos's default splitter downloads a model; Argos accepts any object with split_sentences."""

        def split_sentences(self, text: str) -> list[str]:
            return split_sentences(text)

    sentence = held_out("en", "fr", verified_only=True)[0]
    hypotheses = apply_packaged_translation(package, sentence["source"], translator, OfflineSplitter(), num_hypotheses=1)
    assert hypotheses[0].value == sentence["expected"]


def test_installing_the_same_pair_again_replaces_it(packages: Path) -> None:
    models.install_file(package_file("en", "tl"))
    models.install_file(package_file("en", "tl"))
    assert [m.pair for m in models.installed_models()] == ["en->tl"]
    assert len([p for p in packages.iterdir() if p.is_dir()]) == 1


def test_remove_by_pair_and_unknown_pair_message(packages: Path) -> None:
    models.install([str(package_file("en", "es")), str(package_file("tl", "en"))])

    removed = models.remove("tl->en")

    assert removed.pair == "tl->en"
    assert not removed.path.exists()
    assert [m.pair for m in models.installed_models()] == ["en->es"]
    with pytest.raises(ModelError, match=r"no tl->en model is installed \(installed: en->es\).*workbench models list"):
        models.remove("tl-en")


def test_offline_install_by_code_fails_at_once_with_what_to_do(packages: Path) -> None:
    """Sockets are blocked in the suite, as on an offline laptop: the index fetch fails, not Argos's 95 s retry."""
    with pytest.raises(ModelError) as caught:
        models.install(["es"])
    message = str(caught.value)
    assert "offline" in message and "workbench models install" in message and ".argosmodel" in message
    assert "\n" not in message
    assert models.installed_models() == []


def test_an_index_that_never_answers_is_abandoned_at_the_deadline(packages: Path, tmp_path: Path) -> None:
    """A lookup or read that hangs (a captive portal, a dead DNS server) ends in the offline message too.

    Opening a FIFO that nobody writes blocks the way a hung connection does,
    with no network and no mock.
    """
    fifo = tmp_path / "index.json"
    os.mkfifo(fifo)
    try:
        with pytest.raises(ModelError, match=r"cannot reach the Argos package index .*no answer within 0.2 s.*offline"):
            models.install(["es"], url=fifo.as_uri(), timeout=0.2)
    finally:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the abandoned reader see an empty file and end
    assert models.installed_models() == []


def test_model_key_tells_apart_packages_of_the_same_pair_and_version(packages: Path, tmp_path: Path) -> None:
    """Argos's real en->es package is "1.0" too: the MT cache must not hand one model's output to the other."""
    first = models.install_file(package_file("en", "es"))
    assert models.install_file(package_file("en", "es")).key == first.key  # the same weights: the same key

    retrained = tmp_path / "translate-en_es-1_0.argosmodel"  # the same metadata, other weights
    with zipfile.ZipFile(package_file("en", "es")) as original, zipfile.ZipFile(retrained, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.endswith("model/model.bin"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            copy.writestr(item, data)
    second = models.install_file(retrained)

    assert (second.pair, second.version) == (first.pair, first.version)
    assert second.key != first.key and second.key.startswith("argos/en-es/1.0#")


def test_offline_error_says_which_files_were_installed_before_it(packages: Path) -> None:
    with pytest.raises(ModelError, match=r"^installed en->tl, but cannot reach the Argos package index"):
        models.install([str(package_file("en", "tl")), "es"])
    assert [m.pair for m in models.installed_models()] == ["en->tl"]


def test_unreachable_index_url_is_reported_the_same_way(packages: Path) -> None:
    with pytest.raises(ModelError, match="cannot reach the Argos package index http://127.0.0.1:1/index.json"):
        models.install(["fr"], url="http://127.0.0.1:1/index.json", timeout=1.0)


def test_install_by_code_from_an_index(packages: Path, tmp_path: Path) -> None:
    """The online path, served from file:// URLs so that no network is needed."""
    index = tmp_path / "index.json"
    index.write_text(json.dumps([
        {"from_code": "en", "to_code": "id", "package_version": "1.0", "links": [package_file("en", "id").as_uri()]},
        {"from_code": "tl", "to_code": "en", "package_version": "1.0", "links": [package_file("tl", "en").as_uri()]},
    ]), encoding="utf-8")

    installed = models.install(["id", "tl->en"], url=index.as_uri())

    assert [m.pair for m in installed] == ["en->id", "tl->en"]
    assert [m.pair for m in models.installed_models()] == ["en->id", "tl->en"]
    with pytest.raises(ModelError, match="no model for en->xx"):
        models.install(["xx"], url=index.as_uri())


@pytest.mark.parametrize("content", [b"not a zip", None])
def test_files_that_are_not_packages_are_refused(packages: Path, tmp_path: Path, content: bytes | None) -> None:
    bogus = tmp_path / "bogus.argosmodel"
    if content is None:
        with zipfile.ZipFile(bogus, "w") as archive:
            archive.writestr("translate-en_es/readme.txt", "no metadata here")
    else:
        bogus.write_bytes(content)
    with pytest.raises(ModelError, match="not an Argos model package"):
        models.install([str(bogus)])
    assert models.installed_models() == []


def test_missing_file_is_reported(packages: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        models.install([str(tmp_path / "translate-en_es-1_0.argosmodel")])


@pytest.mark.parametrize(
    ("text", "pair"),
    [("es", ("en", "es")), ("en->fr", ("en", "fr")), ("tl-en", ("tl", "en")), ("tl_en", ("tl", "en")), (" EN→ID ", ("en", "id"))],
)
def test_parse_pair(text: str, pair: tuple[str, str]) -> None:
    assert models.parse_pair(text) == pair


def test_parse_pair_rejects_nonsense() -> None:
    with pytest.raises(ModelError, match="not a language pair"):
        models.parse_pair("english to spanish please")


def test_default_directory_is_per_user_when_env_is_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(models.PACKAGES_DIR_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert models.packages_dir() == tmp_path / "share" / "argos-translate" / "packages"


# -- the command line -----------------------------------------------------------------------------


def invoke(*args: str) -> Any:
    from click.testing import CliRunner

    from workbench.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_install_list_remove(packages: Path) -> None:
    installed = invoke("models", "install", str(package_file("en", "es")), str(package_file("tl", "en")))
    assert installed.exit_code == 0, installed.output
    assert "installed en->es 1.0" in installed.output and "installed tl->en 1.0" in installed.output

    listed = invoke("models", "list")
    assert listed.exit_code == 0
    assert f"models in {packages}" in listed.output
    assert re.search(r"en->es\s+1\.0\s+\d+ KB\s+English -> Spanish", listed.output)
    assert "no model for: en->fr, en->id, en->tl" in listed.output  # the default targets es, fr_CA, id, tl

    removed = invoke("models", "remove", "tl-en")
    assert (removed.exit_code, removed.output.strip()) == (0, "removed tl->en 1.0")
    again = invoke("models", "remove", "tl-en")
    assert again.exit_code == 2 and len(again.output.strip().splitlines()) == 1


def test_cli_offline_install_is_one_line_and_exit_code_2(packages: Path) -> None:
    result = invoke("models", "install", "es", "fr")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: cannot reach the Argos package index") and ".argosmodel" in line
