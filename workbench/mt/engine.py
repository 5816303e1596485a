"""The machine-translation engine protocol: what an MT system must offer workbench.

Everything above :mod:`workbench.mt` (drafting, the CLI, the TUI) talks to an
engine only through :class:`Engine`; none of it knows Argos, CTranslate2 or
HTTP. An engine is chosen by name (``[mt] engine`` in ``workbench.toml``, or
``--engine``) and opened by :func:`workbench.mt.open_engine`.

The contract, as Harlequin states its adapter protocol:

* :meth:`Engine.pairs` returns the direct language pairs the engine serves now;
  drafting routes anything else through English. It may raise
  :class:`EngineError` (a server that cannot be reached).
* :meth:`Engine.model_key` identifies the exact model behind a pair; drafts
  record it as their origin and the MT cache is keyed by it, so a new model
  never serves an old model's translations.
* :meth:`Engine.translate_sentences` translates sentences in one go and
  returns them in order; it raises :class:`EngineError` with a message that
  says what to do. When only some sentences fail, it raises
  :class:`SentencesFailed`, which carries the others' translations: one bad
  sentence costs its own paragraph, never the run.
* :meth:`Engine.how_to_get` says, in the engine's own words, how to obtain the
  missing pairs (install a model file, ask the server's keeper, ...).
* :meth:`Engine.translate_scored` is the same with a confidence per sentence
  (:class:`Hypothesis`) when the engine has ``scores``; drafting always calls
  it, and an engine without scores gets the default, which wraps
  :meth:`Engine.translate_sentences` with no confidence.
* Optional abilities are announced in :attr:`Engine.capabilities`; a method
  for an ability the engine lacks raises :class:`EngineError`. The UI asks
  the capabilities before offering a key, so nothing above this package
  knows which engine can do what.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from workbench.languages import base_language

Pair = tuple[str, str]
"""A direct translation direction in the engine's language codes, e.g. ``("en", "es")``."""

API_KEY_ENV = "WORKBENCH_LT_API_KEY"
"""Where a shared server's API key comes from: the environment, never a file in git."""


class EngineError(Exception):
    """An engine cannot do what was asked; the message says what happened and what to do."""


@dataclass(frozen=True)
class Hypothesis:
    """One translation of a sentence, and how sure the engine is of it.

    ``confidence`` is the model's own probability of the translation per
    token (the exponent of its length-normalised log-probability), from 0 to
    1; None when the engine gives no scores. It ranks risk, it is not a
    guarantee: a fluent but wrong sentence can still score high.
    """

    text: str
    confidence: float | None = None


def combined_confidence(confidences: Sequence[float | None]) -> float | None:
    """The confidence of a chain of translations (a pivot's two legs): the product, None if any is unknown."""
    total = 1.0
    for confidence in confidences:
        if confidence is None:
            return None
        total *= confidence
    return round(total, 4)


def lowest_confidence(confidences: Sequence[float | None]) -> float | None:
    """The least confident of several parts (a sentence cut into pieces, a paragraph's sentences); None if any is unknown."""
    known = [confidence for confidence in confidences if confidence is not None]
    return min(known) if known and len(known) == len(confidences) else None


class SentencesFailed(EngineError):
    """Some sentences of a batch could not be translated; the translations of the others are kept.

    ``translations`` has an entry per sentence given, in order, None for each
    one that failed; ``reasons`` says why each failed, by its position;
    ``confidences`` are the translations' confidences, when the engine scores.
    """

    def __init__(self, translations: list[str | None], reasons: dict[int, str],
                 confidences: list[float | None] | None = None) -> None:
        self.translations = translations
        self.reasons = reasons
        self.confidences = confidences if confidences is not None else [None] * len(translations)
        first = reasons[min(reasons)] if reasons else "no reason given"
        super().__init__(f"{len(reasons)} of {len(translations)} sentences could not be translated ({first}): "
                         "translate them by hand or split them into shorter sentences")


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do beyond translating sentences, so the UI offers only what works."""

    scores: bool = False
    """Gives a confidence per sentence (:meth:`Engine.translate_scored`)."""
    alternatives: bool = False
    """Gives other translations of a sentence (:meth:`Engine.alternatives`)."""
    prefix: bool = False
    """Continues a translation from a prefix the volunteer typed (:meth:`Engine.complete`)."""
    install: bool = False
    """Installs and removes models on this machine (:meth:`Engine.install`, :meth:`Engine.remove`)."""


@dataclass(frozen=True)
class ModelInfo:
    """One pair an engine serves, as ``workbench models list`` shows it."""

    source: str
    target: str
    version: str = ""
    size_bytes: int | None = None
    description: str = ""

    @property
    def pair(self) -> str:
        return f"{self.source}->{self.target}"


@dataclass(frozen=True)
class EngineListing:
    """What an engine has: where its models are, which pairs it serves, and what it could not read."""

    location: str
    models: list[ModelInfo]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EngineSettings:
    """How to open an engine: the ``[mt]`` table of ``workbench.toml`` plus the environment."""

    engine: str = "argos"
    url: str | None = None
    """A server's address, for engines that run elsewhere (LibreTranslate)."""
    api_key: str | None = None
    timeout: float = 60.0
    """Seconds a server may take to answer one batch."""
    packages_dir: Path | None = None
    """Where local models live, for engines that install them (default: the engine's own)."""

    def with_environment(self) -> EngineSettings:
        """These settings with the API key from :data:`API_KEY_ENV`, when it is set."""
        key = os.environ.get(API_KEY_ENV) or self.api_key
        return EngineSettings(self.engine, self.url, key, self.timeout, self.packages_dir)


class Engine(ABC):
    """A machine-translation system that drafting can use (see the module docstring for the contract)."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities] = Capabilities()

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: EngineSettings) -> Engine:
        """Open the engine as the workspace's settings describe it (may raise :class:`EngineError`)."""

    @abstractmethod
    def pairs(self) -> set[Pair]:
        """The direct pairs served now."""

    @abstractmethod
    def model_key(self, source: str, target: str) -> str | None:
        """Identity (engine, model and version) of the direct ``source->target`` model, or None if there is none."""

    @abstractmethod
    def translate_sentences(self, sentences: list[str], source: str, target: str) -> list[str]:
        """Translate sentences (never empty ones) with the direct model; the result is in the same order.

        Raises :class:`SentencesFailed` when some sentences cannot be translated but the others could.
        """

    @abstractmethod
    def listing(self) -> EngineListing:
        """The models or pairs the engine has, for ``workbench models list``."""

    @abstractmethod
    def how_to_get(self, missing: Sequence[Pair]) -> str:
        """One sentence that tells a volunteer how to obtain the ``missing`` pairs."""

    def code(self, locale: str) -> str:
        """The engine's code for a workspace locale (``fr_CA`` -> ``fr``); an engine with other codes overrides this."""
        return base_language(locale)

    def missing(self, wanted: Sequence[Pair]) -> list[Pair]:
        """The pairs of ``wanted`` the engine does not serve directly, in order, each once."""
        have = self.pairs()
        return [pair for pair in dict.fromkeys(wanted) if pair[0] != pair[1] and pair not in have]

    def translate_scored(self, sentences: list[str], source: str, target: str) -> list[Hypothesis]:
        """:meth:`translate_sentences` with each translation's confidence (None without ``capabilities.scores``).

        Raises :class:`SentencesFailed` as :meth:`translate_sentences` does.
        """
        return [Hypothesis(text) for text in self.translate_sentences(sentences, source, target)]

    def alternatives(self, sentence: str, source: str, target: str, count: int) -> list[Hypothesis]:
        """Up to ``count`` distinct translations of one sentence, best first (needs ``capabilities.alternatives``)."""
        raise EngineError(f"the {self.name} engine gives no alternative translations")

    def complete(self, sentence: str, prefix: str, source: str, target: str) -> Hypothesis:
        """The translation of ``sentence`` continued from ``prefix``, the start a volunteer typed (needs ``capabilities.prefix``).

        The returned text starts with ``prefix`` exactly, character for character.
        """
        raise EngineError(f"the {self.name} engine cannot continue a translation from your words: "
                          "type the rest, or draft with the Argos engine (engine = \"argos\" under [mt] in workbench.toml)")

    def install(self, items: Sequence[str]) -> list[ModelInfo]:
        """Install models named by codes, pairs or files (needs ``capabilities.install``)."""
        raise EngineError(f"the {self.name} engine installs no models here: {self.how_to_get([])}")

    def remove(self, pair: str) -> ModelInfo:
        """Uninstall the model for ``pair`` (needs ``capabilities.install``)."""
        raise EngineError(f"the {self.name} engine has no models to remove here")
