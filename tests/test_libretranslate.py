"""The LibreTranslate engine, against a real LibreTranslate server on loopback serving the toy models.

A team shares one server: drafting through it follows the same workflow as
Argos on a laptop (translation memory first, glossary, cache, progress, human
work untouched), and every way it can fail is one line that says what to do,
with nothing stored.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.libretranslate_server import running_server
from tests.models.toy import held_out, install_all, package_file
from workbench.mt import API_KEY_ENV, EngineError, EngineSettings, draft_translations, open_engine
from workbench.mt.libretranslate import LibreTranslateEngine
from workbench.mt.suggestions import Suggester

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

SENTENCES = held_out("en", "es", verified_only=True)[:3]


def invoke(workspace: Any, *args: str) -> Any:
    from click.testing import CliRunner

    from workbench.cli import cli

    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args], catch_exceptions=False)


def use_server(workspace: Any, url: str) -> None:
    """Point the workspace at a server, as a team does in ``workbench.toml``."""
    with workspace.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[mt]\nengine = "libretranslate"\nurl = "{url}"\n')


def add_statement(workspace: Any, sources: list[str]) -> list[str]:
    store = workspace.store
    statement_id = store.save_statement({"slug": "toy", "title": "Toy", "source_file": "toy.txt", "fingerprint": "toy"})
    ids = [f"toy{n}" for n in range(len(sources))]
    store.insert_segments([
        {"id": segment_id, "statement_id": statement_id, "position": n, "kind": "paragraph", "source": source,
         "source_lang": "en", "line": n + 1}
        for n, (segment_id, source) in enumerate(zip(ids, sources, strict=True))
    ])
    return ids


def closed_port_url() -> str:
    """A loopback address where nothing listens (the port was free a moment ago)."""
    import _socket

    probe = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


class CountingEngine(LibreTranslateEngine):
    """The real engine, counting the HTTP requests it sends."""

    def __init__(self, url: str, **options: Any) -> None:
        super().__init__(url, **options)
        self.requests: list[tuple[str, str]] = []

    def _request(self, method: str, path: str, body: dict[str, Any] | None, *, timeout: float) -> Any:
        self.requests.append((method, path))
        return super()._request(method, path, body, timeout=timeout)


def test_the_engine_reads_the_servers_pairs_from_its_languages(libretranslate_server: str) -> None:
    engine = open_engine(EngineSettings(engine="libretranslate", url=libretranslate_server))

    assert {("en", "es"), ("en", "fr"), ("en", "id"), ("en", "tl"), ("tl", "en")} <= engine.pairs()
    assert engine.model_key("en", "es") == f"libretranslate/en-es@{libretranslate_server}"
    assert engine.capabilities.alternatives and not engine.capabilities.install and not engine.capabilities.scores


def test_a_batch_of_sentences_is_one_request_with_q_as_a_list(libretranslate_server: str) -> None:
    engine = CountingEngine(libretranslate_server)

    outputs = engine.translate_sentences([s["source"] for s in SENTENCES], "en", "es")

    assert outputs == [s["expected"] for s in SENTENCES]
    assert engine.requests == [("POST", "/translate")]


def test_alternatives_come_from_the_servers_alternatives_field(libretranslate_server: str) -> None:
    engine = LibreTranslateEngine(libretranslate_server)

    options = engine.alternatives(SENTENCES[0]["source"], "en", "es", 3)

    texts = [option.text for option in options]
    assert texts[0] == SENTENCES[0]["expected"]
    assert 1 < len(texts) <= 3 and len(set(texts)) == len(texts)
    assert all(option.confidence is None for option in options)  # the server gives no scores


def test_the_capabilities_say_the_server_neither_continues_a_prefix_nor_scores(libretranslate_server: str) -> None:
    """The editor hides the completion key and the heat map for this engine: it asks the capabilities, not the server."""
    engine = open_engine(EngineSettings(engine="libretranslate", url=libretranslate_server))

    assert not engine.capabilities.prefix and not engine.capabilities.scores


def test_completion_through_the_server_is_one_line_saying_it_cannot_continue_a_translation(libretranslate_server: str) -> None:
    suggester = Suggester(LibreTranslateEngine(libretranslate_server))

    with pytest.raises(EngineError) as raised:
        suggester.complete({"source": SENTENCES[0]["source"], "source_lang": "en"}, "es", "Los trab", whole=False)

    (line,) = str(raised.value).splitlines()
    assert "cannot continue a translation" in line


def test_paragraph_alternatives_through_the_server_are_distinct_and_unscored(libretranslate_server: str) -> None:
    paragraph = f"{SENTENCES[0]['source']} {SENTENCES[1]['source']}"

    alternatives = Suggester(LibreTranslateEngine(libretranslate_server)).alternatives({"source": paragraph, "source_lang": "en"}, "es", 4)

    texts = [alternative.text for alternative in alternatives]
    assert texts[0] == f"{SENTENCES[0]['expected']} {SENTENCES[1]['expected']}"
    assert len(texts) > 1 and len(set(texts)) == len(texts)
    assert all(alternative.confidence is None for alternative in alternatives)
    assert all(sentence.confidence is None for alternative in alternatives for sentence in alternative.sentences)


def test_a_draft_through_the_server_stores_no_sentences_since_it_has_no_confidence(workspace: Any, libretranslate_server: str) -> None:
    """Sentences exist to carry confidence (the heat map, least-confident sorting): an unscored draft has none to show."""
    (segment_id,) = add_statement(workspace, [f"{SENTENCES[0]['source']} {SENTENCES[1]['source']}"])

    draft_translations(workspace.store, ["es"], engine=LibreTranslateEngine(libretranslate_server))

    row = workspace.store.translation(segment_id, "es")
    assert (row["text"], row["status"]) == (f"{SENTENCES[0]['expected']} {SENTENCES[1]['expected']}", "machine")
    assert row["sentences"] == []


def test_drafting_through_the_server_keeps_the_workflow(workspace: Any, libretranslate_server: str) -> None:
    """TM first, human work untouched, drafts recorded with the server as origin, a re-draft served by the cache."""
    ids = add_statement(workspace, [s["source"] for s in SENTENCES] + [SENTENCES[1]["source"]])
    store = workspace.store
    store.save_translation(ids[1], "es", "Mi traducción", "translated", author="ana")
    engine = CountingEngine(libretranslate_server)

    report = draft_translations(store, ["es"], engine=engine)

    (spanish,) = report.languages
    assert (spanish.machine, spanish.memory, spanish.human) == (2, 1, 1)
    assert store.translation(ids[1], "es")["text"] == "Mi traducción"
    assert store.translation(ids[3], "es")["text"] == "Mi traducción", "the same source's human translation came first"
    for segment_id, sentence in ((ids[0], SENTENCES[0]), (ids[2], SENTENCES[2])):
        row = store.translation(segment_id, "es")
        assert (row["text"], row["status"]) == (sentence["expected"], "machine")
        assert row["origin"] == f"mt:libretranslate/en-es@{libretranslate_server}"
    translate_calls = engine.requests.count(("POST", "/translate"))

    draft_translations(store, ["es"], engine=engine, retranslate=True)

    assert engine.requests.count(("POST", "/translate")) == translate_calls, "the re-draft came from the cache"


def test_cli_translate_uses_the_server_named_in_workbench_toml(workspace: Any, libretranslate_server: str) -> None:
    ids = add_statement(workspace, [s["source"] for s in SENTENCES])
    use_server(workspace, libretranslate_server)

    result = invoke(workspace, "translate", "--lang", "es")

    assert result.exit_code == 0, result.output
    assert "es: 3 machine-translated" in result.output
    assert workspace.store.translation(ids[0], "es")["text"] == SENTENCES[0]["expected"]


def test_models_list_shows_the_servers_pairs(workspace: Any, libretranslate_server: str) -> None:
    use_server(workspace, libretranslate_server)

    result = invoke(workspace, "models", "list")

    assert result.exit_code == 0, result.output
    assert f"pairs served by the LibreTranslate server {libretranslate_server}" in result.output
    assert "en->es" in result.output and "tl->en" in result.output
    assert "no model for" not in result.output


def test_an_unreachable_server_is_one_line_within_five_seconds_and_nothing_is_stored(workspace: Any) -> None:
    ids = add_statement(workspace, [s["source"] for s in SENTENCES])
    use_server(workspace, closed_port_url())

    started = time.monotonic()
    result = invoke(workspace, "translate")

    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: cannot reach the LibreTranslate server") and "--engine argos" in line
    assert all(workspace.store.translation(segment_id, "es")["version"] == 0 for segment_id in ids)


def test_a_refused_api_key_is_one_line_and_nothing_is_stored(
    workspace: Any, libretranslate_server_with_key: tuple[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, key = libretranslate_server_with_key
    ids = add_statement(workspace, [s["source"] for s in SENTENCES])
    use_server(workspace, url)
    monkeypatch.setenv(API_KEY_ENV, "not-the-key")

    result = invoke(workspace, "translate", "--lang", "es")

    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "the API key was refused" in line and API_KEY_ENV in line
    assert all(workspace.store.translation(segment_id, "es")["version"] == 0 for segment_id in ids)

    monkeypatch.setenv(API_KEY_ENV, key)
    assert invoke(workspace, "translate", "--lang", "es").exit_code == 0
    assert workspace.store.translation(ids[0], "es")["text"] == SENTENCES[0]["expected"]


def test_a_server_without_a_pair_is_one_line_and_nothing_is_stored(workspace: Any) -> None:
    ids = add_statement(workspace, [s["source"] for s in SENTENCES])
    with running_server([package_file("en", "es")], ["en", "es"]) as url:
        use_server(workspace, url)

        result = invoke(workspace, "translate", "--lang", "es,fr_CA")

    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "cannot translate en->fr" in line and "--load-only" in line
    assert all(workspace.store.translation(segment_id, lang)["version"] == 0 for segment_id in ids for lang in ("es", "fr_CA"))


def test_engine_option_overrides_the_setting_for_one_run(
    workspace: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = add_statement(workspace, [s["source"] for s in SENTENCES])
    use_server(workspace, closed_port_url())
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(install_all(tmp_path / "argos", (("en", "es"),))))

    result = invoke(workspace, "translate", "--lang", "es", "--engine", "argos")

    assert result.exit_code == 0, result.output
    assert workspace.store.translation(ids[0], "es")["origin"].startswith("mt:argos/en-es/")


def test_an_unknown_engine_or_a_missing_url_is_a_settings_error(workspace: Any) -> None:
    with pytest.raises(EngineError, match="unknown MT engine 'deepl'"):
        open_engine(EngineSettings(engine="deepl"))
    with workspace.config_path.open("a", encoding="utf-8") as config:
        config.write('\n[mt]\nengine = "libretranslate"\n')

    result = invoke(workspace, "translate")

    assert result.exit_code == 2
    assert "needs the server's address" in result.output
