"""Findings as people read them: the text report of ``workbench check``, and its counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.checks.base import (
    ERROR,
    GROUP_GLOSSARY,
    GROUP_MACHINE,
    GROUP_TRANSLATIONS,
    GROUP_UNTRANSLATED,
    GROUPS,
    INFO,
    SEVERITIES,
    WARNING,
    Finding,
)

GROUP_TITLES = {
    GROUP_GLOSSARY: "glossary", GROUP_TRANSLATIONS: "translations",
    GROUP_MACHINE: "machine drafts (not reviewed yet)", GROUP_UNTRANSLATED: "untranslated",
}


_PLURALS = {ERROR: "errors", WARNING: "warnings", INFO: "notes"}


def report_lines(findings: list[Finding]) -> list[str]:
    """The findings as text, one group after another, for ``workbench check``.

    Untranslated segments are progress, not mistakes: they are counted per
    language instead of listed, unless their status claims otherwise.
    """
    lines: list[str] = []
    for group in GROUPS:
        members = [f for f in findings if f.group == group]
        if not members:
            continue
        counts = Counter(f.severity for f in members)
        tally = ", ".join(f"{counts[s]} {s if counts[s] == 1 else _PLURALS[s]}" for s in SEVERITIES if counts[s])
        lines.append(f"== {GROUP_TITLES[group]}: {tally}")
        listed = [f for f in members if f.severity != INFO or group != GROUP_UNTRANSLATED]
        for f in sorted(listed, key=lambda f: SEVERITIES.index(f.severity)) if group == GROUP_GLOSSARY else listed:
            where = f"{f.lang:5} {f.segment_id}" if f.segment_id else f"{f.lang or '-':5}"
            lines.append(f"{f.severity:7} {where}  {f.check_id}: {f.message}")
        pending = Counter(f.lang for f in members if f.severity == INFO and group == GROUP_UNTRANSLATED)
        if pending:
            lines.append("not translated yet: " + ", ".join(f"{lang} {n}" for lang, n in sorted(pending.items())))
    summary = Summary.of(findings)
    warnings = sum(counter[WARNING] for counter in summary.counts.values())
    lines.append(f"{summary.errors} errors, {warnings} warnings" if findings else "no problems found")
    return lines


@dataclass
class Summary:
    """Counts per group and severity, for the CLI's closing line and exit code."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Summary:
        summary = cls()
        for finding in findings:
            summary.counts[finding.group][finding.severity] += 1
        return summary

    @property
    def errors(self) -> int:
        return sum(counter[ERROR] for counter in self.counts.values())
