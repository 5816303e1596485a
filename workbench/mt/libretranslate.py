"""The LibreTranslate engine: drafts from one LibreTranslate server a whole team shares.

A team that outgrows one laptop runs one server (as Weblate does) and points
every workspace at it with ``[mt] engine = "libretranslate"`` and ``url``.
Requests are batched (``q`` as a list), each has a timeout, and a failed
request is retried a bounded number of times. A server that cannot be reached,
refuses the API key or lacks a pair is one :class:`EngineError` that says what
to do; the drafting run then stores nothing.

The server does not say which model version serves a pair, so the cache key is
the server and the pair: after the server's keeper upgrades a model, re-draft
with ``--retranslate`` in a fresh workspace cache or wait for the old entries
to be replaced.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

from workbench.mt.engine import API_KEY_ENV, Capabilities, Engine, EngineError, EngineListing, EngineSettings, Hypothesis, ModelInfo, Pair

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for the server to answer ``/languages``: an unreachable server is reported within them."""
BATCH_SIZE = 64
"""Sentences per ``/translate`` request: big enough to keep the server busy, small enough for its timeout."""
RETRIES = 2
"""Further attempts after a request fails in a way that may pass (a dropped connection, a busy server)."""
RETRY_PAUSE = 0.5
"""Seconds before the first retry; each later one waits twice as long."""


class LibreTranslateEngine(Engine):
    """A LibreTranslate server reached over HTTP."""

    name = "libretranslate"
    capabilities = Capabilities(alternatives=True)

    def __init__(self, url: str, *, api_key: str | None = None, timeout: float = 60.0) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EngineError(f"{url!r} is not a LibreTranslate server address: write it as http://HOST:PORT ([mt] url in workbench.toml)")
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._pairs: set[Pair] | None = None
        self._names: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> LibreTranslateEngine:
        if not settings.url:
            raise EngineError("the libretranslate engine needs the server's address: add url = \"http://HOST:PORT\" under [mt] in workbench.toml")
        return cls(settings.url, api_key=settings.api_key, timeout=settings.timeout)

    # -- what the server serves ------------------------------------------------------------

    def pairs(self) -> set[Pair]:
        """The server's pairs, read once from ``GET /languages``."""
        if self._pairs is None:
            languages = self._request("GET", "/languages", None, timeout=CONNECT_TIMEOUT)
            if not isinstance(languages, list):
                raise EngineError(f"{self.url}/languages did not answer with a list of languages: is this a LibreTranslate server?")
            self._names = {entry.get("code", ""): entry.get("name", "") for entry in languages if isinstance(entry, dict)}
            self._pairs = {
                (entry["code"], target)
                for entry in languages if isinstance(entry, dict) and entry.get("code")
                for target in entry.get("targets", []) if target != entry["code"]
            }
        return self._pairs

    def model_key(self, source: str, target: str) -> str | None:
        return f"libretranslate/{source}-{target}@{self.url}" if (source, target) in self.pairs() else None

    def listing(self) -> EngineListing:
        pairs = sorted(self.pairs())
        return EngineListing(
            location=f"pairs served by the LibreTranslate server {self.url}",
            models=[ModelInfo(a, b, description=f"{self._names.get(a, a)} -> {self._names.get(b, b)}") for a, b in pairs],
        )

    def how_to_get(self, missing: Sequence[Pair]) -> str:
        codes = ",".join(sorted({code for pair in missing for code in pair})) or "en,es,fr,id,tl"
        return (f"ask whoever runs the LibreTranslate server at {self.url} to load those languages "
                f"(libretranslate --load-only {codes}), or draft with this machine's Argos models (--engine argos for one run, engine = \"argos\" under [mt] in workbench.toml)")

    # -- translating ---------------------------------------------------------------------------

    def translate_sentences(self, sentences: list[str], source: str, target: str) -> list[str]:
        outputs: list[str] = []
        for start in range(0, len(sentences), BATCH_SIZE):
            batch = sentences[start:start + BATCH_SIZE]
            answer = self._translate(batch, source, target)
            translated = answer.get("translatedText")
            if not isinstance(translated, list) or len(translated) != len(batch):
                raise EngineError(f"the LibreTranslate server at {self.url} answered {len(batch)} sentences with "
                                  f"{len(translated) if isinstance(translated, list) else 'no list of'} translations: update the server")
            outputs += [str(text).strip() for text in translated]
        return outputs

    def alternatives(self, sentence: str, source: str, target: str, count: int) -> list[Hypothesis]:
        """The server's translation and up to ``count - 1`` alternatives (its ``alternatives`` field), each once, unscored."""
        answer = self._translate([sentence], source, target, alternatives=max(0, count - 1))
        best = answer.get("translatedText") or [""]
        others = answer.get("alternatives") or [[]]
        candidates = [str(best[0]).strip(), *(str(text).strip() for text in others[0])]
        return [Hypothesis(text) for text in dict.fromkeys(text for text in candidates if text)][:count]

    def _translate(self, batch: list[str], source: str, target: str, *, alternatives: int = 0) -> dict[str, Any]:
        body: dict[str, Any] = {"q": batch, "source": source, "target": target, "format": "text"}
        if alternatives:
            body["alternatives"] = alternatives
        if self.api_key:
            body["api_key"] = self.api_key
        answer = self._request("POST", "/translate", body, timeout=self.timeout)
        if not isinstance(answer, dict):
            raise EngineError(f"the LibreTranslate server at {self.url} gave an answer workbench cannot read: update the server")
        return answer

    def _request(self, method: str, path: str, body: dict[str, Any] | None, *, timeout: float) -> Any:
        """One JSON request, retried on failures that may pass; every failure ends as an :class:`EngineError`."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        pause = RETRY_PAUSE
        for attempt in range(RETRIES + 1):
            request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked in __init__
                    return json.loads(response.read())
            except urllib.error.HTTPError as error:
                message = _server_message(error)
                if error.code in (429, 502, 503, 504) and attempt < RETRIES:
                    time.sleep(pause)
                    pause *= 2
                    continue
                raise EngineError(self._http_advice(error.code, message)) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                reason = getattr(error, "reason", error)
                if attempt < RETRIES and not isinstance(reason, ConnectionRefusedError):
                    time.sleep(pause)
                    pause *= 2
                    continue
                raise EngineError(f"cannot reach the LibreTranslate server at {self.url} ({reason}): "
                                  "check that it is running and that [mt] url in workbench.toml is right, "
                                  "or draft with this machine's Argos models (--engine argos for one run, engine = \"argos\" under [mt] in workbench.toml)") from None
            except ValueError:
                raise EngineError(f"{self.url}{path} did not answer with JSON: is this a LibreTranslate server?") from None
            except RuntimeError as error:  # a sandbox that blocks sockets outright (pytest-socket raises one)
                raise EngineError(f"cannot reach the LibreTranslate server at {self.url} ({error}): this machine blocks the network") from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _http_advice(self, status: int, message: str) -> str:
        said = f" ({message})" if message else ""
        if status in (401, 403):
            key = "no API key was given" if not self.api_key else "the API key was refused"
            return (f"the LibreTranslate server at {self.url} refused the request{said}: {key}; "
                    f"set {API_KEY_ENV} to a key the server accepts")
        if status == 429:
            return f"the LibreTranslate server at {self.url} is busy{said}: try again in a minute"
        if status == 400:
            return f"the LibreTranslate server at {self.url} refused the request{said}: check that it serves these languages ('workbench models list')"
        return f"the LibreTranslate server at {self.url} failed (HTTP {status}{said}): try again, or ask its keeper to look at its log"


def _server_message(error: urllib.error.HTTPError) -> str:
    """The ``error`` field LibreTranslate puts in its JSON error answers, if any."""
    try:
        payload = json.loads(error.read() or b"{}")
    except (ValueError, OSError):
        return ""
    return str(payload.get("error", "")) if isinstance(payload, dict) else ""
