"""The corpus check: one source translated differently in different places."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import ClassVar

from workbench.checks.base import WARNING, CorpusCheck, Finding, Unit
from workbench.glossary import normalize


def _squash(text: str) -> str:
    """Text compared without regard to spacing or quote style."""
    return " ".join(normalize(text).split())


class Inconsistent(CorpusCheck):
    """The same source has different translations in one language: readers take two wordings for two meanings.

    Spacing and quote style do not count as differences.
    """

    id, name, severity = "inconsistent", "Same source translated differently", WARNING
    shown_others: ClassVar[int] = 3

    def check_corpus(self, units: Iterable[Unit]) -> Iterable[Finding]:
        groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        for unit in units:
            groups[(unit.locale, unit.source)].append(unit)
        for group in groups.values():
            if len(group) < 2:
                continue  # most sources occur once: no need to compare anything
            members = [(unit, _squash(unit.target)) for unit in group if unit.target.strip()]
            versions: dict[str, list[str]] = defaultdict(list)
            for unit, text in members:
                versions[text].append(unit.segment_id)
            if len(versions) < 2:
                continue
            for unit, mine in members:
                others = [sid for text, ids in versions.items() if text != mine for sid in ids[: self.shown_others]]
                shown = ", ".join(others[: self.shown_others]) + (" ..." if len(others) > self.shown_others else "")
                yield Finding(self.severity, self.id, unit.segment_id, unit.locale,
                              f"the same source has {len(versions)} different translations (see {shown}): agree on one",
                              unit.group)
