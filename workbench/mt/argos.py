"""The Argos engine: installed Argos Translate packages, run offline on CTranslate2.

Argos's own ``translate()`` splits sentences with a model it downloads at first
use (which fails offline) and calls the model once per paragraph. This engine
takes sentences the drafting code has already split, and translates them in a
few large ``translate_batch(batch_type="tokens")`` calls. Installing, listing
and removing packages is :mod:`workbench.mt.argos_models`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.mt.argos_models import SOURCE_LANGUAGE, InstalledModel, install, installed_models, packages_dir, remove, scan
from workbench.mt.engine import Capabilities, Engine, EngineError, EngineListing, EngineSettings, ModelInfo, Pair

DECODING: dict[str, Any] = {"beam_size": 2, "repetition_penalty": 1.02, "no_repeat_ngram_size": 6}
"""CTranslate2 decoding settings against the word-salad loops small Argos models fall
into on unfamiliar input: no 6-token sequence may repeat within a sentence, output is
capped relative to the input (see :meth:`ArgosEngine.translate_sentences`), and a
mild repetition penalty tips close calls away from repeats. The penalty stays mild
because it applies to every earlier token: at 1.1 the toy Tagalog model dropped
7 of 200 correct sentences, since Tagalog rightly repeats "sa", "ng" and "mga".
Beam 2 keeps most of beam 4's quality at half the cost."""

MAX_BATCH_TOKENS = 2048
"""``max_batch_size`` with ``batch_type="tokens"``: CTranslate2 sorts and packs sentences up to this many tokens."""


class _SentencePieceTokenizer:
    """Tokenize with the package's SentencePiece model, without Argos's lossy decode (it turns "_" into spaces)."""

    def __init__(self, path: Path) -> None:
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, sentence: str) -> list[str]:
        return self.processor.encode(sentence, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self.processor.decode(tokens)


@dataclass
class _LoadedModel:
    model: InstalledModel
    translator: Any  # ctranslate2.Translator, or whatever the factory wraps it in
    tokenizer: Any  # encode(str) -> list[str], decode(list[str]) -> str


def default_translator_factory(model_dir: Path) -> Any:
    """A CTranslate2 translator on the CPU using every core (int8 models stay int8)."""
    import ctranslate2

    return ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1, intra_threads=os.cpu_count() or 1)


class ArgosEngine(Engine):
    """Installed Argos packages, run directly on CTranslate2 and SentencePiece, on this machine.

    Models load lazily, once per pair. ``translator_factory`` builds the
    CTranslate2 translator from a model folder; it is the one seam where a test
    can wrap the real translator to count its calls.
    """

    name = "argos"
    capabilities = Capabilities(alternatives=True, install=True)

    def __init__(
        self,
        models: Iterable[InstalledModel] | None = None,
        *,
        packages_dir: Path | None = None,
        decoding: dict[str, Any] | None = None,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
        translator_factory: Callable[[Path], Any] = default_translator_factory,
    ) -> None:
        self.packages_dir = packages_dir
        chosen = list(models) if models is not None else installed_models(packages_dir)
        self.models: dict[tuple[str, str], InstalledModel] = {(m.source, m.target): m for m in chosen}
        self.decoding = dict(DECODING if decoding is None else decoding)
        self.max_batch_tokens = max_batch_tokens
        self.translator_factory = translator_factory
        self._loaded: dict[tuple[str, str], _LoadedModel] = {}
        self._load_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> ArgosEngine:
        return cls(packages_dir=settings.packages_dir)

    def pairs(self) -> set[Pair]:
        return set(self.models)

    def model_key(self, source: str, target: str) -> str | None:
        model = self.models.get((source, target))
        return model.key if model else None

    def listing(self) -> EngineListing:
        found, broken = scan(self.packages_dir or packages_dir())
        return EngineListing(
            location=f"models in {self.packages_dir or packages_dir()}",
            models=[ModelInfo(m.source, m.target, m.version, m.size_bytes, f"{m.source_name} -> {m.target_name}")
                    for m in sorted(found, key=lambda m: (m.source, m.target))],
            problems=[f"unreadable package {problem}" for problem in broken],
        )

    def how_to_get(self, missing: Sequence[Pair]) -> str:
        codes = " ".join(target if source == SOURCE_LANGUAGE else f"{source}-{target}" for source, target in missing) or "es fr id tl"
        return (f"run 'workbench models install {codes}' when online, "
                "or copy the .argosmodel files onto this machine and run 'workbench models install FILE.argosmodel'")

    def install(self, items: Sequence[str]) -> list[ModelInfo]:
        installed = install(items, directory=self.packages_dir)
        for model in installed:
            self.models[(model.source, model.target)] = model
            self._loaded.pop((model.source, model.target), None)
        return [ModelInfo(m.source, m.target, m.version, m.size_bytes, str(m.path.parent)) for m in installed]

    def remove(self, pair: str) -> ModelInfo:
        model = remove(pair, self.packages_dir)
        self.models.pop((model.source, model.target), None)
        self._loaded.pop((model.source, model.target), None)
        return ModelInfo(model.source, model.target, model.version, model.size_bytes, str(model.path.parent))

    def _load(self, source: str, target: str) -> _LoadedModel:
        with self._load_lock:
            loaded = self._loaded.get((source, target))
            if loaded is None:
                model = self.models[(source, target)]
                if (model.path / "sentencepiece.model").is_file():
                    tokenizer: Any = _SentencePieceTokenizer(model.path / "sentencepiece.model")
                else:  # older packages ship a BPE model: Argos's tokenizer handles it (Moses + BPE)
                    from argostranslate.tokenizer import BPETokenizer

                    tokenizer = BPETokenizer(model.path / "bpe.model", source, target)
                loaded = _LoadedModel(model, self.translator_factory(model.path / "model"), tokenizer)
                self._loaded[(source, target)] = loaded
            return loaded

    def translate_sentences(self, sentences: list[str], source: str, target: str) -> list[str]:
        return [hypotheses[0] for hypotheses in self._translate(sentences, source, target, 1)]

    def alternatives(self, sentence: str, source: str, target: str, count: int) -> list[str]:
        """The beam's ``count`` best translations (CTranslate2's ``num_hypotheses``), best first, each once."""
        (hypotheses,) = self._translate([sentence], source, target, count)
        return list(dict.fromkeys(hypotheses))

    def _translate(self, sentences: list[str], source: str, target: str, hypotheses: int) -> list[list[str]]:
        if not sentences:
            return []
        if (source, target) not in self.models:
            raise EngineError(f"no Argos model for {source}->{target}: {self.how_to_get([(source, target)])}")
        loaded = self._load(source, target)
        tokens = [loaded.tokenizer.encode(sentence) for sentence in sentences]
        prefix = loaded.model.target_prefix
        longest = max(len(t) for t in tokens)
        results = loaded.translator.translate_batch(
            tokens,
            target_prefix=[[prefix]] * len(tokens) if prefix else None,
            batch_type="tokens",
            max_batch_size=self.max_batch_tokens,
            # A real translation is rarely twice as long as its source; the cap bounds runaway output.
            max_decoding_length=min(512, 2 * longest + 10),
            replace_unknowns=True,
            **{**self.decoding, **({"beam_size": max(hypotheses, self.decoding.get("beam_size", 1)),
                                    "num_hypotheses": hypotheses} if hypotheses > 1 else {})},
        )
        return [[self._decoded(loaded, pieces, prefix) for pieces in result.hypotheses] for result in results]

    @staticmethod
    def _decoded(loaded: _LoadedModel, pieces: list[str], prefix: str) -> str:
        if prefix and pieces and pieces[0] == prefix:
            pieces = pieces[1:]
        return loaded.tokenizer.decode(pieces).strip()
