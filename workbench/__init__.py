"""workbench: an offline translation workbench for volunteer translators.

The core modules (store, importer, segmenter, mt, tm, glossary, checks, po) form
one Python API; the CLI (:mod:`workbench.cli`) and the TUI (:mod:`workbench.tui`)
are thin shells over it. Start from :class:`workbench.workspace.Workspace`.
"""

__version__ = "0.1.0"
