"""Quality checks a reviewer runs before a statement is published (``workbench check``).

The checks are grouped by family, one module each:

* :mod:`~workbench.checks.glossary`: agreed renderings used, forbidden ones
  avoided, keep-terms kept, and the glossary agreeing with itself;
* :mod:`~workbench.checks.carried`: numbers, links, e-mail addresses and phone
  numbers carried over unchanged;
* :mod:`~workbench.checks.chars`: end punctuation, the capital at the start,
  double spaces, brackets and quotes that do not pair up, words said twice in a
  row, length and sentences against the source's;
* :mod:`~workbench.checks.same`: targets left as the source, or empty;
* :mod:`~workbench.checks.consistency`: one source translated differently;
* :mod:`~workbench.checks.spelling`: words not in the language's hunspell dictionary, where the machine has one.

:mod:`~workbench.checks.base` has what they share (findings, severities,
groups, what a check sees), :mod:`~workbench.checks.text` what a text contains,
:mod:`~workbench.checks.registry` the one list of checks and the functions that
run them, :mod:`~workbench.checks.cache` the run that redoes only what changed
since the last one (``workbench check`` and the review screen), and
:mod:`~workbench.checks.report` the text report.

Machine drafts are checked too, but their findings are grouped apart: a
reviewer fixes volunteers' work and triages MT output differently.
"""

from workbench.checks.base import (
    GROUP_GLOSSARY,
    GROUP_MACHINE,
    GROUP_TRANSLATIONS,
    GROUP_UNTRANSLATED,
    GROUPS,
    SEVERITIES,
    Finding,
    SourceFacts,
)
from workbench.checks.cache import check_workspace
from workbench.checks.registry import (
    ALL_CHECKS,
    check_glossary,
    check_segment,
    draft_flags,
    cycle_collection_paused,
    review_draft,
    run_checks,
    same_source_translations,
)
from workbench.checks.report import GROUP_TITLES, Summary, report_lines
from workbench.checks.spelling import spelling_note

__all__ = [
    "ALL_CHECKS",
    "GROUPS",
    "GROUP_GLOSSARY",
    "GROUP_MACHINE",
    "GROUP_TITLES",
    "GROUP_TRANSLATIONS",
    "GROUP_UNTRANSLATED",
    "SEVERITIES",
    "Finding",
    "Summary",
    "SourceFacts",
    "draft_flags",
    "review_draft",
    "check_glossary",
    "check_segment",
    "check_workspace",
    "cycle_collection_paused",
    "report_lines",
    "run_checks",
    "same_source_translations",
    "spelling_note",
]
