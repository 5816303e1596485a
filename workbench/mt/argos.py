"""The Argos engine: installed Argos Translate packages, run offline on CTranslate2.

Argos's own ``translate()`` splits sentences with a model it downloads at first
use (which fails offline) and calls the model once per paragraph. This engine
takes sentences the drafting code has already split, and translates them in a
few large ``translate_batch(batch_type="tokens")`` calls. Installing, listing
and removing packages is :mod:`workbench.mt.argos_models`.

A model reads and writes at most as many tokens as it has positions (a
published Argos model stores 512 position encodings; CTranslate2 raises "No
position encodings are defined for positions >= 512" past them). The engine
reads that limit from the model's own files (:func:`model_limits`) and splits
a sentence too long for it at its clause marks (``;`` ``:`` ``,`` dashes), or
failing that into windows of tokens, translates the pieces and joins them. A
sentence the model still fails on fails alone (:class:`SentencesFailed`).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import struct
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from workbench.mt.argos_models import SOURCE_LANGUAGE, InstalledModel, install, installed_models, packages_dir, remove, scan
from workbench.mt.engine import (
    Capabilities,
    Engine,
    EngineError,
    EngineListing,
    EngineSettings,
    Hypothesis,
    ModelInfo,
    Pair,
    SentencesFailed,
    lowest_confidence,
)

DECODING: dict[str, Any] = {"beam_size": 2, "length_penalty": 1.0, "repetition_penalty": 1.02, "no_repeat_ngram_size": 6}
"""CTranslate2 decoding settings against the word-salad loops small Argos models fall
into on unfamiliar input: no 6-token sequence may repeat within a sentence, output is
capped relative to the input (see :meth:`ArgosEngine.translate_sentences`), and a
mild repetition penalty tips close calls away from repeats. The penalty stays mild
because it applies to every earlier token: at 1.1 the toy Tagalog model dropped
7 of 200 correct sentences, since Tagalog rightly repeats "sa", "ng" and "mga".
Beam 2 keeps most of beam 4's quality at half the cost. ``length_penalty=1`` makes
each hypothesis's score its log-probability per token, which :func:`_confidence` reads."""

MAX_BATCH_TOKENS = 2048
"""``max_batch_size`` with ``batch_type="tokens"``: CTranslate2 sorts and packs sentences up to this many tokens."""

DEFAULT_POSITIONS = 512
"""Positions assumed when a model's files state none. A model that stores no
table of position encodings (the toy test models) has CTranslate2 compute
sinusoidal ones for any length, but it was trained on far shorter sentences;
512 is the table published Argos models carry."""

RUNAWAY_FACTOR, RUNAWAY_EXTRA = 2, 10
"""A translation may be at most ``2 * source tokens + 10`` long: a real one rarely
is, and the cap stops a model that loops (``max_decoding_length``)."""

CLAUSE_BREAK = re.compile(r"(?<=[;:,—–])\s+|(?<=[—–])(?=\S)|(?<=\s-)\s+")
"""Where a sentence too long for the model may be cut: after ``;`` ``:`` or ``,`` and a
space (so never inside 7,000 or https://), and after a dash (— or –, or a spaced -)."""

PARTIAL_WORD_HYPOTHESES = 4
"""Hypotheses searched for one whose next word finishes the word a volunteer is typing (:meth:`ArgosEngine.complete`)."""

_BINARY_VERSIONS = range(1, 7)
"""The ``model.bin`` layouts :func:`model_limits` reads (CTranslate2 1.x to 4.x write versions 1 to 6)."""


@dataclass(frozen=True)
class ModelLimits:
    """How many tokens a CTranslate2 model can read and write: the positions it has encodings for."""

    source_positions: int = DEFAULT_POSITIONS
    target_positions: int = DEFAULT_POSITIONS
    source_extra: int = 0
    """Tokens CTranslate2 adds to every source (``add_source_bos`` and ``add_source_eos`` in ``config.json``)."""
    stated: bool = False
    """Whether the model's files state the limits; if not, :data:`DEFAULT_POSITIONS` stands in for them."""

    @property
    def max_tokens(self) -> int:
        """The longest sentence, in tokens, translated whole: it fits the encoder, and the longest
        translation the runaway cap allows it (:data:`RUNAWAY_FACTOR`) fits the decoder."""
        return max(1, min(self.source_positions - self.source_extra, (self.target_positions - RUNAWAY_EXTRA) // RUNAWAY_FACTOR))

    def max_decoding_length(self, longest: int) -> int:
        """The runaway cap for a batch whose longest source has ``longest`` tokens, within the decoder's positions."""
        return min(self.target_positions, RUNAWAY_FACTOR * longest + RUNAWAY_EXTRA)


def model_limits(model_dir: Path) -> ModelLimits:
    """The limits of the CTranslate2 model in ``model_dir``, from its files, without loading its weights.

    ``model.bin`` lists every variable with its shape before its bytes; the
    first dimension of ``encoder/position_encodings/encodings`` (and of the
    decoder's) is the number of positions. A model that stores no table, or a
    file this function cannot read, gets :data:`DEFAULT_POSITIONS`.
    """
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    extra = int(bool(config.get("add_source_bos"))) + int(bool(config.get("add_source_eos")))
    try:
        with (model_dir / "model.bin").open("rb") as weights:
            shapes = _variable_shapes(weights)
    except (OSError, ValueError, struct.error, UnicodeDecodeError):
        shapes = {}
    source = shapes.get("encoder/position_encodings/encodings")
    target = shapes.get("decoder/position_encodings/encodings")
    return ModelLimits(
        source_positions=source[0] if source else DEFAULT_POSITIONS,
        target_positions=target[0] if target else DEFAULT_POSITIONS,
        source_extra=extra,
        stated=bool(source or target),
    )


def _variable_shapes(weights: BinaryIO) -> dict[str, tuple[int, ...]]:
    """Every variable's shape in a CTranslate2 ``model.bin`` (aliases too), skipping the weights themselves.

    The layout is CTranslate2's ``Model::load``: a version, the spec's name and
    revision (version 2 on), then each variable's name, rank, dimensions, type
    and byte count before its bytes, then (version 3 on) aliases.
    """

    def unpack(layout: str) -> tuple[int, ...]:
        return struct.unpack(layout, weights.read(struct.calcsize(layout)))

    def string() -> str:
        (length,) = unpack("<H")
        return weights.read(length).split(b"\0", 1)[0].decode("utf-8")

    (version,) = unpack("<I")
    if version not in _BINARY_VERSIONS:
        raise ValueError(f"model.bin binary version {version}")
    if version >= 2:
        string()  # the spec's name
        unpack("<I")  # its revision
    shapes: dict[str, tuple[int, ...]] = {}
    (count,) = unpack("<I")
    for _ in range(count):
        name = string()
        (rank,) = unpack("<B")
        shape = unpack(f"<{rank}I")
        if version >= 4:
            _, size = unpack("<BI")  # type id, byte count
        else:
            item_size, items = unpack("<BI")
            size = item_size * items
        weights.seek(size, os.SEEK_CUR)
        shapes[name] = shape
    if version >= 3:
        (aliases,) = unpack("<I")
        for _ in range(aliases):
            alias, name = string(), string()
            if name in shapes:
                shapes[alias] = shapes[name]
    return shapes


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
    limits: ModelLimits


@dataclass(frozen=True)
class _Failure:
    """Why the model could not translate a sentence (CTranslate2's own words)."""

    reason: str


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
    capabilities = Capabilities(scores=True, alternatives=True, prefix=True, install=True)

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
                try:
                    if (model.path / "sentencepiece.model").is_file():
                        tokenizer: Any = _SentencePieceTokenizer(model.path / "sentencepiece.model")
                    else:  # older packages ship a BPE model: Argos's tokenizer handles it (Moses + BPE)
                        from argostranslate.tokenizer import BPETokenizer

                        tokenizer = BPETokenizer(model.path / "bpe.model", source, target)
                    translator = self.translator_factory(model.path / "model")
                except (RuntimeError, ValueError, OSError) as error:
                    raise EngineError(f"the Argos model for {source}->{target} in {model.path} cannot be loaded ({_reason(error)}): "
                                      f"install it again ({self.how_to_get([(source, target)])})") from None
                loaded = _LoadedModel(model, translator, tokenizer, model_limits(model.path / "model"))
                self._loaded[(source, target)] = loaded
            return loaded

    def translate_sentences(self, sentences: list[str], source: str, target: str) -> list[str]:
        try:
            return [hypothesis.text for hypothesis in self.translate_scored(sentences, source, target)]
        except SentencesFailed as failure:
            raise SentencesFailed(failure.translations, failure.reasons) from None

    def translate_scored(self, sentences: list[str], source: str, target: str) -> list[Hypothesis]:
        """Each sentence's best translation with its confidence (CTranslate2's length-normalised score, exponentiated)."""
        outcomes = self._translate(sentences, source, target, 1)
        reasons = {i: outcome.reason for i, outcome in enumerate(outcomes) if isinstance(outcome, _Failure)}
        if reasons:
            best = [None if isinstance(outcome, _Failure) else outcome[0] for outcome in outcomes]
            raise SentencesFailed([h.text if h else None for h in best], reasons, [h.confidence if h else None for h in best])
        return [outcome[0] for outcome in outcomes if not isinstance(outcome, _Failure)]

    def alternatives(self, sentence: str, source: str, target: str, count: int) -> list[Hypothesis]:
        """The beam's ``count`` best translations (CTranslate2's ``num_hypotheses``), best first, each text once."""
        (outcome,) = self._translate([sentence], source, target, count)
        if isinstance(outcome, _Failure):
            raise EngineError(f"the {source}->{target} model cannot translate this sentence ({outcome.reason}): "
                              "translate it by hand or split it into shorter sentences")
        return list({hypothesis.text: hypothesis for hypothesis in reversed(outcome)}.values())[::-1]

    def complete(self, sentence: str, prefix: str, source: str, target: str) -> Hypothesis:
        """The model's translation forced to begin with ``prefix`` (CTranslate2's ``target_prefix``), continued from there.

        A half-typed last word ("Los trab") is not forced as it stands, since
        its pieces rarely begin the word the model would write: the words
        before it are forced, and the first of the beam's hypotheses whose next
        word starts with it is taken ("trabajadores"); failing that, the
        whole prefix is forced. The continuation is the decoded output past
        the decoded prefix, so the result starts with ``prefix`` exactly,
        whatever SentencePiece normalises.
        """
        if (source, target) not in self.models:
            raise EngineError(f"no Argos model for {source}->{target}: {self.how_to_get([(source, target)])}")
        loaded = self._load(source, target)
        tokens = loaded.tokenizer.encode(sentence)
        if len(tokens) > loaded.limits.max_tokens:
            raise EngineError(f"this sentence is longer than the {source}->{target} model reads at once: "
                              "type the rest, or split the sentence in the source")
        typed = prefix.rstrip()
        head, partial = typed, ""
        if prefix == typed and typed[-1:].isalnum():
            cut = max(typed.rfind(" "), typed.rfind("\n")) + 1
            head, partial = typed[:cut].rstrip(), typed[cut:]
        if partial:
            for continuation, score in self._continuations(loaded, tokens, head, PARTIAL_WORD_HYPOTHESES):
                if continuation.lstrip().startswith(partial):
                    rest = continuation.lstrip()[len(partial):]
                    return Hypothesis(prefix + rest.rstrip(), _confidence(score))
        ((continuation, score),) = self._continuations(loaded, tokens, typed, 1)
        if prefix != typed or not typed:  # the volunteer ended on a space (or typed nothing): a new word starts
            continuation = continuation.lstrip()
        return Hypothesis(prefix + continuation.rstrip(), _confidence(score))

    def _continuations(self, loaded: _LoadedModel, tokens: list[str], forced_text: str, hypotheses: int) -> list[tuple[str, float]]:
        """The model's continuations of ``forced_text`` as a translation of ``tokens``, best first, with their scores."""
        source, target = loaded.model.source, loaded.model.target
        forced = loaded.tokenizer.encode(forced_text) if forced_text else []
        model_prefix = [loaded.model.target_prefix] if loaded.model.target_prefix else []
        try:
            (result,) = loaded.translator.translate_batch(
                [tokens], target_prefix=[model_prefix + forced],
                max_decoding_length=loaded.limits.max_decoding_length(len(tokens)) + len(forced),
                replace_unknowns=True, return_scores=True,
                **{**self.decoding, "beam_size": max(hypotheses, self.decoding.get("beam_size", 1)), "num_hypotheses": hypotheses},
            )
        except (RuntimeError, ValueError, IndexError) as error:
            raise EngineError(f"the {source}->{target} model cannot continue this sentence ({_reason(error)}): type the rest") from None
        said = loaded.tokenizer.decode(forced)
        continuations = []
        for pieces, score in zip(result.hypotheses, result.scores, strict=True):
            pieces = pieces[len(model_prefix):]
            whole = loaded.tokenizer.decode(pieces)
            continuations.append((whole[len(said):] if whole.startswith(said) else " " + loaded.tokenizer.decode(pieces[len(forced):]), score))
        return continuations

    def _translate(self, sentences: list[str], source: str, target: str, hypotheses: int) -> list[list[Hypothesis] | _Failure]:
        """Each sentence's translations, best first, or why the model failed on it.

        A sentence longer than the model takes is translated in pieces
        (:func:`_pieces`); its pieces' translations are joined with spaces,
        and its confidence is its least confident piece's.
        """
        if not sentences:
            return []
        if (source, target) not in self.models:
            raise EngineError(f"no Argos model for {source}->{target}: {self.how_to_get([(source, target)])}")
        loaded = self._load(source, target)
        pieces = [_pieces(sentence, loaded.tokenizer.encode, loaded.limits.max_tokens) for sentence in sentences]
        outputs = iter(self._run(loaded, [piece for parts in pieces for piece in parts], hypotheses))
        outcomes: list[list[Hypothesis] | _Failure] = []
        for parts in pieces:
            translated = [next(outputs) for _ in parts]
            failures = [output for output in translated if isinstance(output, _Failure)]
            if failures:
                outcomes.append(failures[0])
                continue
            options = [output for output in translated if not isinstance(output, _Failure)]
            if len(options) == 1:
                outcomes.append(options[0])
                continue
            # The i-th translation of a split sentence joins each piece's i-th (or last) one.
            joined = []
            for i in range(max(map(len, options))):
                chosen = [o[min(i, len(o) - 1)] for o in options]
                joined.append(Hypothesis(" ".join(h.text for h in chosen), lowest_confidence([h.confidence for h in chosen])))
            outcomes.append(joined)
        return outcomes

    def _run(self, loaded: _LoadedModel, batch: list[list[str]], hypotheses: int) -> list[list[Hypothesis] | _Failure]:
        """``translate_batch`` on tokenized sentences; when it fails, each half again, down to the sentences that fail alone."""
        prefix = loaded.model.target_prefix
        try:
            results = loaded.translator.translate_batch(
                batch,
                target_prefix=[[prefix]] * len(batch) if prefix else None,
                batch_type="tokens",
                max_batch_size=self.max_batch_tokens,
                max_decoding_length=loaded.limits.max_decoding_length(max(len(tokens) for tokens in batch)),
                replace_unknowns=True,
                return_scores=True,
                **{**self.decoding, **({"beam_size": max(hypotheses, self.decoding.get("beam_size", 1)),
                                        "num_hypotheses": hypotheses} if hypotheses > 1 else {})},
            )
        except (RuntimeError, ValueError, IndexError) as error:  # what CTranslate2's C++ exceptions become
            if len(batch) == 1:
                return [_Failure(_reason(error))]
            half = len(batch) // 2
            return self._run(loaded, batch[:half], hypotheses) + self._run(loaded, batch[half:], hypotheses)
        return [
            [Hypothesis(self._decoded(loaded, pieces, prefix), _confidence(score))
             for pieces, score in zip(result.hypotheses, result.scores or [None] * len(result.hypotheses), strict=True)]
            for result in results
        ]

    @staticmethod
    def _decoded(loaded: _LoadedModel, pieces: list[str], prefix: str) -> str:
        if prefix and pieces and pieces[0] == prefix:
            pieces = pieces[1:]
        return loaded.tokenizer.decode(pieces).strip()


def _confidence(score: float | None) -> float | None:
    """A hypothesis's score as a 0-1 confidence.

    With beam search and ``length_penalty=1`` (:data:`DECODING`), CTranslate2
    divides the log-probability by the number of tokens, so ``exp`` of it is
    the geometric mean of the model's per-token probabilities: a sentence of
    unknown words scores far below one the model knows, whatever its length.
    """
    return None if score is None else round(min(1.0, max(0.0, math.exp(score))), 4)


def _reason(error: BaseException) -> str:
    """An error's first line, to quote in a one-line message."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _pieces(sentence: str, encode: Callable[[str], list[str]], limit: int) -> list[list[str]]:
    """The sentence's tokens, cut into pieces of at most ``limit`` tokens: one piece when it fits.

    A sentence too long is cut at clause marks (:data:`CLAUSE_BREAK`), with as
    many clauses per piece as fit; a clause still too long is cut into windows
    of tokens (:func:`_windows`).
    """
    tokens = encode(sentence)
    if len(tokens) <= limit:
        return [tokens]
    cuts = [match.end() for match in CLAUSE_BREAK.finditer(sentence) if 0 < match.start() and match.end() < len(sentence)]
    bounds = list(dict.fromkeys([0, *cuts, len(sentence)]))
    clauses = [sentence[a:b] for a, b in itertools.pairwise(bounds)]
    groups = _pack([len(encode(clause.strip())) for clause in clauses], limit)
    if len(groups) > 1:
        return [piece for first, last in groups for piece in _pieces("".join(clauses[first:last + 1]).strip(), encode, limit)]
    return _windows(tokens, limit)


def _pack(sizes: list[int], limit: int) -> list[tuple[int, int]]:
    """Consecutive items, as (first, last) index pairs, as many to a group as fit in ``limit`` (an item too big is alone)."""
    groups: list[tuple[int, int]] = []
    first, total = 0, 0
    for index, size in enumerate(sizes):
        if index > first and total + size > limit:
            groups.append((first, index - 1))
            first, total = index, 0
        total += size
    groups.append((first, len(sizes) - 1))
    return groups


def _windows(tokens: list[str], limit: int) -> list[list[str]]:
    """``tokens`` in windows of at most ``limit``, each cut before a word's first token (SentencePiece's ▁) when one is near."""
    windows = []
    start = 0
    while len(tokens) - start > limit:
        end = start + limit
        cut = next((i for i in range(end, start + limit // 2, -1) if tokens[i].startswith("\u2581")), end)
        windows.append(tokens[start:cut])
        start = cut
    windows.append(tokens[start:])
    return windows
