"""Docs keep up with the code: every problem code, command, flag and deadline kind is documented."""
from pathlib import Path

import pytest

from kpi import text
from kpi.rules import comparators
from kpi.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("code", sorted(text.PROBLEMS))
def test_problem_code_is_documented(code):
    assert f"`{code}`" in (DOCS / "upload-errors.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, prefix + (name,))
        else:
            yield " ".join(prefix + (name,))


@pytest.mark.parametrize("command", sorted(_commands(main)))
def test_command_is_documented(command):
    assert f"python -m kpi {command}" in (DOCS / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("flag", sorted(text.FLAGS))
def test_flag_is_documented(flag):
    assert f"`{flag}`" in (DOCS / "plan-model.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(text.DEADLINE_KINDS))
def test_deadline_kind_is_documented(kind):
    assert f"`{kind}`" in (DOCS / "deadlines.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", [c.key for c in comparators.COMPARATORS])
def test_comparator_is_documented(key):
    assert f"`{key}`" in (DOCS / "cli.md").read_text(encoding="utf-8")
