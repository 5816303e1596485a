"""A volunteer corrects a segment's source language, and its machine drafts are redone from it.

Detection (:func:`workbench.languages.detect_languages`) can be wrong: an
English heading in a Tagalog post takes the post's language, and a Tagalog
paragraph drafted as English (or the other way round) comes out of MT as
invented text. :func:`correct_source_language` stores the language the
volunteer gives and redraws the segment's untouched machine drafts
(:func:`~workbench.store.is_machine_draft`) from it, through
:func:`~workbench.mt.drafting.draft_translations` limited to that segment, so
volunteers' work is never touched. The command line (``workbench segment
lang``) and the editor's ``L`` key both call it.

Without an engine or a model for the new language, the language is stored all
the same and the change says, in one line, why the drafts were not redone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.languages import source_language
from workbench.mt.drafting import draft_translations
from workbench.mt.engine import Engine, EngineError
from workbench.store import Store, is_machine_draft

if TYPE_CHECKING:
    from workbench.glossary import Glossary


@dataclass
class SourceLanguageChange:
    """What correcting one segment's source language did."""

    segment_id: str
    before: str
    after: str
    drafted: list[str] = field(default_factory=list)
    """The locales whose untouched machine drafts were to be redone."""
    redone: list[str] = field(default_factory=list)
    """The locales whose machine drafts were redone from the new language."""
    flagged: list[str] = field(default_factory=list)
    """The locales whose new draft carries flags (a glossary term missing, a span restored, ...)."""
    not_redone: str | None = None
    """Why the other drafts were not redone (no engine, no model for the new language), in one line."""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def lines(self) -> list[str]:
        """What ``workbench segment lang`` prints, and the editor shows."""
        if not self.changed:
            return [f"segment {self.segment_id} is already marked {self.after}: nothing changed"]
        lines = [f"segment {self.segment_id}: source language {self.before} -> {self.after}"]
        if not self.drafted:
            lines.append("no untouched machine drafts to redo")
        if self.redone:
            lines.append(f"machine drafts redone from {self.after}: {', '.join(self.redone)}")
        lines += [f"{locale}: the new draft carries flags: see the side panel or 'workbench check --lang {locale}'" for locale in self.flagged]
        left = [locale for locale in self.drafted if locale not in self.redone]
        if left and self.not_redone:
            lines.append(f"machine drafts not redone ({', '.join(left)}): {self.not_redone}")
        return lines


def correct_source_language(
    store: Store,
    segment_id: str,
    lang: str,
    *,
    locales: Sequence[str],
    engine: Callable[[], Engine],
    glossary: Glossary | None = None,
) -> SourceLanguageChange:
    """Store ``lang`` as the source language of ``segment_id`` and redo its untouched machine drafts in ``locales``.

    ``engine`` opens the MT engine, and is called only when there are drafts
    to redo. An unknown language is an :class:`~workbench.languages.UnknownLanguageError`
    and an unknown segment a :class:`~workbench.store.StoreError`, both before
    anything is stored.
    """
    code = source_language(lang)
    segment = store.segment(segment_id)
    change = SourceLanguageChange(segment_id, segment["source_lang"] or "", code)
    if not change.changed:
        return change
    store.set_source_language(segment_id, code)
    change.drafted = [locale for locale in locales if is_machine_draft(store.translation(segment_id, locale))]
    if not change.drafted:
        return change
    try:
        opened = engine()
        if not opened.pairs():
            raise EngineError(f"no translation model is installed for the {opened.name} engine: {opened.how_to_get([])}")
        report = draft_translations(store, change.drafted, statement_id=segment["statement_id"], segment_ids=[segment_id],
                                    retranslate=True, engine=opened, glossary=glossary)
    except EngineError as error:
        change.not_redone = str(error)
        return change
    change.redone = [done.locale for done in report.languages if done.machine or done.memory or done.copied]
    change.flagged = [done.locale for done in report.languages if done.flagged]
    if report.missing:
        pairs = " and ".join(f"{a}->{b}" for a, b in report.missing)
        change.not_redone = f"no model for {pairs}" + (f": {report.hint}" if report.hint else "")
    return change
