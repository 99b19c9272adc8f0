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


GUIDES = {"en": ROOT / "docs" / "guide-focal-points.md", "es": ROOT / "docs" / "guia-puntos-focales.md"}


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_focal_point_guides_show_the_check_and_the_limit(lang):
    """The guides' pictures exist and show the check (scripts/render_guide.py makes them); the text
    names the check column and the banner in the words the workbook shows, the rows there are and
    what to do past them, and that the check is stricter than the consolidator, never more lenient."""
    import re

    from rcm_workbooks.core.fields import DEFAULT_ROWS
    from rcm_workbooks.core.texts import CHECK

    text = GUIDES[lang].read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\((img/[^)]+)\)", text)
    for picture in pictures:
        assert (GUIDES[lang].parent / picture).stat().st_size > 5_000, picture
    assert {f"img/{lang}-check.png", f"img/{lang}-check-cells.png", f"img/{lang}-matrix.png"} <= set(pictures)
    words, flat = CHECK[lang], " ".join(text.split())  # the lines of a paragraph wrap anywhere
    for shown in (words["header"], words["ready"], words["empty"], words["many"].format(n=3, col="M"),
                  words["missing"].strip(), words["other_pillar"]):
        assert shown in flat, shown
    rows = {"en": f"**{DEFAULT_ROWS} rows** for activities, rows 6 to {DEFAULT_ROWS + 5}",
            "es": f"**{DEFAULT_ROWS} filas** para actividades, de la 6 a la {DEFAULT_ROWS + 5}"}[lang]
    assert rows in flat
    limit = {"en": ["Rows cannot be inserted", "workbook with more rows", "replaces the first one"],
             "es": ["No se pueden insertar filas", "libro con más filas", "reemplaza al primero"]}[lang]
    stricter = {"en": ["**stricter**", "**never more lenient**", "other accents"],
                "es": ["**más estricta**", "**nunca más permisiva**", "otros acentos"]}[lang]
    for needle in limit + stricter:
        assert needle in flat, needle
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):  # links inside the page lead to a heading
        headings = [re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                    for h in re.findall(r"^#+ (.+)$", text, re.M)]
        assert anchor in headings, anchor
