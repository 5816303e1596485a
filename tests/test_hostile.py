"""Hostile and unlucky files: each gets one line that says what to do, and nothing saved is lost.

Every file under ``tests/fixtures/hostile/`` has a sibling ``<file>.expect`` of
two lines: the command as typed after ``workbench --workspace DIR`` (``{file}``
stands for the fixture's path) and a phrase the error line must contain. Each
runs against one workspace holding the sample statements, whose database must
come out of all of them unchanged.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from workbench.cli import cli

from .conftest import SAMPLE_STATEMENTS

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
CASES = sorted(path.with_suffix("") for path in HOSTILE.rglob("*.expect"))


def contents(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """What a volunteer would miss if it changed: statements, segments, translations and glossary terms."""
    return {
        "statements": [(s["id"], s["slug"], s["title"]) for s in store.statements()],
        "segments": [(s["id"], s["source"]) for s in store.segments()],
        "translations": sorted((seg, lang, row["text"], row["status"], row["version"])
                               for seg, by_lang in store.translations().items() for lang, row in by_lang.items()),
        "terms": sorted(row["term"] for row, _ in store.glossary_rows()),
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from workbench.importer import import_paths
    from workbench.lifecycle import create_workspace

    workspace = create_workspace(tmp_path_factory.mktemp("hostile") / "ws")
    import_paths(workspace, [SAMPLE_STATEMENTS])
    first = workspace.store.segments()[0]["id"]
    workspace.store.save_translation(first, "es", "Declaración", "translated", author="ana")
    return workspace


def test_there_are_hostile_fixtures_to_try() -> None:
    assert CASES, f"no *.expect files under {HOSTILE}"


@pytest.mark.parametrize("case", CASES, ids=[str(case.relative_to(HOSTILE)) for case in CASES])
def test_a_hostile_file_gets_one_line_that_says_what_to_do(sample: Any, case: Path) -> None:
    command, phrase = case.with_name(case.name + ".expect").read_text(encoding="utf-8").splitlines()[:2]
    before = contents(sample.store)

    result = CliRunner().invoke(cli, ["--workspace", str(sample.root), *shlex.split(command.replace("{file}", shlex.quote(str(case))))])

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert phrase in lines[0]
    assert contents(sample.store) == before
