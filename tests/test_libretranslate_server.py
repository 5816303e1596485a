"""The LibreTranslate fixtures run a real server on loopback that translates with the toy models.

These tests prove the fixtures, not workbench's engine: they talk to the server
with the standard library only.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any

import pytest
from pytest_socket import SocketConnectBlockedError

from tests.conftest import LIBRETRANSLATE_LANGUAGES
from tests.models.toy import held_out

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _post(url: str, payload: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def _two_english_sentences() -> list[dict[str, Any]]:
    return held_out("en", "es", verified_only=True)[:2]


def test_the_server_lists_the_toy_languages_at_get_languages(libretranslate_server):
    languages = {entry["code"]: entry for entry in _get(f"{libretranslate_server}/languages")}

    assert set(languages) == set(LIBRETRANSLATE_LANGUAGES)
    assert {"es", "fr", "id", "tl"} <= set(languages["en"]["targets"])
    assert "en" in languages["tl"]["targets"]


def test_a_list_of_two_english_sentences_comes_back_as_two_spanish_translations(libretranslate_server):
    sentences = _two_english_sentences()

    status, body = _post(
        f"{libretranslate_server}/translate",
        {"q": [s["source"] for s in sentences], "source": "en", "target": "es", "format": "text"},
    )

    assert status == 200
    translations = body["translatedText"]
    assert isinstance(translations, list) and len(translations) == 2
    for sentence, translation in zip(sentences, translations):
        assert translation.strip() and translation != sentence["source"]
    # The toy models got these held-out sentences exactly right when built.
    assert any(t == s["expected"] for s, t in zip(sentences, translations)), translations


def test_asking_for_two_alternatives_returns_alternatives_for_each_sentence(libretranslate_server):
    sentences = _two_english_sentences()

    status, body = _post(
        f"{libretranslate_server}/translate",
        {"q": [s["source"] for s in sentences], "source": "en", "target": "es", "alternatives": 2},
    )

    assert status == 200
    assert len(body["translatedText"]) == 2
    alternatives = body["alternatives"]
    assert len(alternatives) == 2
    for translation, options in zip(body["translatedText"], alternatives):
        assert 1 <= len(options) <= 2
        assert all(option.strip() and option != translation for option in options)


def test_a_request_with_a_wrong_key_is_refused_with_403_and_a_json_error(libretranslate_server_with_key):
    url, _key = libretranslate_server_with_key

    status, body = _post(f"{url}/translate", {"q": "Workers unite.", "source": "en", "target": "es", "api_key": "wrong"})

    assert status == 403
    assert body == {"error": "Invalid API key"}


def test_a_request_without_a_key_is_refused_with_400_and_a_json_error(libretranslate_server_with_key):
    url, _key = libretranslate_server_with_key

    status, body = _post(f"{url}/translate", {"q": "Workers unite.", "source": "en", "target": "es"})

    assert status == 400
    assert "API key" in body["error"]


def test_a_request_with_the_right_key_is_translated(libretranslate_server_with_key):
    url, key = libretranslate_server_with_key
    sentence = _two_english_sentences()[0]

    status, body = _post(f"{url}/translate", {"q": sentence["source"], "source": "en", "target": "es", "api_key": key})

    assert status == 200
    assert body["translatedText"].strip()
    settings = _get(f"{url}/frontend/settings")
    assert settings["apiKeys"] is True and settings["keyRequired"] is True


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket.connect")
def test_a_connection_beyond_loopback_is_still_blocked_inside_such_a_test(libretranslate_server):
    assert _get(f"{libretranslate_server}/languages")  # loopback is allowed here

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Should pytest-socket ever let the connect through, the socket is tied
        # to the loopback interface, so nothing leaves the machine regardless.
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")
        except (OSError, AttributeError):
            pytest.skip("cannot tie a socket to the loopback interface here (needs Linux and CAP_NET_RAW)")
        probe.settimeout(2)
        with pytest.raises(SocketConnectBlockedError):
            probe.connect(("192.0.2.1", 80))  # TEST-NET-1, an address for documentation only
