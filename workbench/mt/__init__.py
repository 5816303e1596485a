"""Machine translation: engines behind one protocol, and drafting through them.

* :mod:`workbench.mt.engine`: the :class:`Engine` protocol every MT system
  implements, with its capabilities and errors;
* :mod:`workbench.mt.argos` (+ :mod:`~workbench.mt.argos_models`): Argos
  Translate packages run offline on this machine;
* :mod:`workbench.mt.libretranslate`: a shared LibreTranslate server;
* :mod:`workbench.mt.drafting`: batching, caching, pivoting and progress,
  and :func:`draft_translations`, which fills a workspace with drafts.

Engines are found by name in :data:`ENGINES` and imported only when opened,
so nothing above this package imports a concrete engine, and the CLI pays for
CTranslate2 only when it drafts with Argos.
"""

from __future__ import annotations

import importlib

from workbench.mt.drafting import PIVOT_LANGUAGE, BatchTranslator, DraftReport, LanguageReport, MTCache, Progress, draft_translations
from workbench.mt.engine import (
    API_KEY_ENV,
    Capabilities,
    Engine,
    EngineError,
    EngineListing,
    EngineSettings,
    ModelInfo,
    Pair,
    SentencesFailed,
)

ENGINES: dict[str, str] = {
    "argos": "workbench.mt.argos:ArgosEngine",
    "libretranslate": "workbench.mt.libretranslate:LibreTranslateEngine",
}
"""Engine names (as ``[mt] engine`` and ``--engine`` give them) and where each is defined."""


def open_engine(settings: EngineSettings) -> Engine:
    """The engine ``settings.engine`` names, opened with those settings; an unknown name is an :class:`EngineError`."""
    target = ENGINES.get(settings.engine)
    if target is None:
        raise EngineError(f"unknown MT engine {settings.engine!r}: use one of {', '.join(ENGINES)} ([mt] engine in workbench.toml)")
    module_name, class_name = target.split(":")
    engine_class: type[Engine] = getattr(importlib.import_module(module_name), class_name)
    return engine_class.from_settings(settings.with_environment())


__all__ = [
    "API_KEY_ENV", "ENGINES", "PIVOT_LANGUAGE", "BatchTranslator", "Capabilities", "DraftReport", "Engine", "EngineError", "EngineListing",
    "EngineSettings", "LanguageReport", "MTCache", "ModelInfo", "Pair", "Progress", "SentencesFailed", "draft_translations", "open_engine",
]
