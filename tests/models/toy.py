"""The committed toy Argos packages and their held-out sentences, for the MT, model and TM tests.

``build_test_models.py`` (next to this file) trains the packages, and
``build_short_model.py`` derives from en->es the package with a short table of
position encodings (:data:`SHORT_POSITIONS`), whose limit long sentences reach;
this module only finds them and installs them, so tests never need torch.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parent
PAIRS: tuple[tuple[str, str], ...] = (("en", "es"), ("en", "fr"), ("en", "id"), ("en", "tl"), ("tl", "en"))


SHORT_POSITIONS = 40
"""Positions in the table of the short en->es package: it reads and writes at most 40 tokens."""


def package_file(source: str, target: str) -> Path:
    """The committed ``.argosmodel`` of a pair."""
    return MODELS_DIR / f"translate-{source}_{target}-1_0.argosmodel"


def short_package_file() -> Path:
    """The en->es package with :data:`SHORT_POSITIONS` positions: en->es's weights, so the same translations."""
    return MODELS_DIR / "translate-en_es-1_0-short.argosmodel"


@lru_cache(maxsize=1)
def _sentences() -> dict[str, Any]:
    return json.loads((MODELS_DIR / "toy_sentences.json").read_text(encoding="utf-8"))


def held_out(source: str, target: str, *, verified_only: bool = False) -> list[dict[str, Any]]:
    """Sentences training never saw, with the reference translation and whether the built model got it exactly.

    The list is in the same order for every pair, so entry ``i`` of en-es and
    entry ``i`` of tl-en are renderings of the same sentence.
    """
    sentences = _sentences()["pairs"][f"{source}-{target}"]["sentences"]
    return [s for s in sentences if s["verified"] or not verified_only]


def tagalog_sentence_and_its_spanish() -> tuple[str, str]:
    """A held-out Tagalog sentence that tl->en->es translates exactly, and that translation; free of glossary terms."""
    tl_en, en_es = held_out("tl", "en"), held_out("en", "es")
    i = next(i for i, (a, b) in enumerate(zip(tl_en, en_es, strict=True))
             if a["verified"] and b["verified"] and "IMA" not in b["source"] and "Alliance" not in b["source"])
    return tl_en[i]["source"], en_es[i]["expected"]


def install_all(directory: Path, pairs: tuple[tuple[str, str], ...] = PAIRS) -> Path:
    """Install the toy packages of ``pairs`` into ``directory`` with workbench's installer."""
    from workbench.mt.argos_models import install_file

    for source, target in pairs:
        install_file(package_file(source, target), directory)
    return directory
