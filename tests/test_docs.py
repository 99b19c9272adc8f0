"""The README documents every command, and the set-up commands CI runs are the README's own."""
from pathlib import Path

import pytest

from rcm_workbooks.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=""):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


@pytest.mark.parametrize("command", list(_commands(cli)))
def test_every_command_is_documented(command):
    assert f"`rcm {command}" in README, f"rcm {command} is not in the README's commands table"


def test_readme_has_exactly_two_setup_commands():
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    ")]
    assert len(commands) == 2
    assert commands[0].endswith("rcm demo") and "pip install" in commands[0]
    assert "pytest" in commands[1] and "pip install" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "pytest" in ci  # it reads the command from the README itself


def test_docs_the_readme_links_exist():
    import re

    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / target).exists(), target
