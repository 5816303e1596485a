"""The glossary of movement terms: the term model, storage, matching, and MT hooks.

The alliance's terms ("migrant workers", "forced migration", "IMA") must read
the same in every statement and language. This package keeps them in the
workspace database and answers three questions fast enough to ask for every
segment:

* which glossary terms does this source contain? (:meth:`Glossary.find_in_source`:
  one Aho-Corasick pass over the segment, whole words, the longest match wins;
  an English source through the terms' English forms, plurals and inflections,
  a Tagalog one with ``lang="tl"`` through their tl renderings, variants and patterns);
* does this target use an accepted rendering of a term? (:meth:`Glossary.find_in_target`:
  preferred rendering, variants, their regular plural and feminine forms, and
  per-term pattern forms, because plain equality floods reviewers with false
  alarms on inflected words);
* can a machine draft be made to respect the glossary? Drafting masks the keep
  terms :meth:`Glossary.find_in_source` finds (with links, numbers and the like,
  :mod:`workbench.mt.protection`), then ``fixed, problems = glossary.enforce(source,
  draft, locale, lang)`` replaces forbidden renderings; what is still wrong is
  reported by the checks and stored with the draft as flags, never passed as clean.

The package, from the bottom up:

* :mod:`~workbench.glossary.text`: normalisation, case folding, and what a pattern form means;
* :mod:`~workbench.glossary.inflection`: the forms a term or rendering takes in running text;
* :mod:`~workbench.glossary.model`: what a term is (:class:`Term`, :class:`Rendering`, ...)
  and what may be stored;
* :mod:`~workbench.glossary.terms`: reading and editing the glossary through the store;
* :mod:`~workbench.glossary.matching`: the :class:`Glossary` matcher, answering the
  three questions above.

Reading and writing the CSV and TBX files in ``glossary/`` is
:mod:`workbench.formats` (``glossary_csv`` and ``glossary_tbx``).
"""

from workbench.glossary.matching import Glossary, TargetReview
from workbench.glossary.model import (
    KEEP,
    TREATMENTS,
    FieldConflict,
    FieldValue,
    GlossaryError,
    ImportReport,
    Rendering,
    Term,
    TermConflictError,
    TermMatch,
    default_case_sensitive,
    split_list,
    term_key,
)
from workbench.glossary.terms import (
    add_term,
    changed_renderings,
    edit_term,
    get_term,
    list_terms,
    rebased_edit,
    remove_term,
    save_edited_term,
    save_terms,
)
from workbench.glossary.text import fold, normalize

__all__ = [
    "KEEP",
    "TREATMENTS",
    "FieldConflict",
    "FieldValue",
    "Glossary",
    "GlossaryError",
    "ImportReport",
    "Rendering",
    "TargetReview",
    "Term",
    "TermConflictError",
    "TermMatch",
    "add_term",
    "changed_renderings",
    "default_case_sensitive",
    "edit_term",
    "fold",
    "get_term",
    "list_terms",
    "normalize",
    "rebased_edit",
    "remove_term",
    "save_edited_term",
    "save_terms",
    "split_list",
    "term_key",
]
