"""Room for every activity (issue 13 item 2): 100 open rows by default, a limit the workbook
states, and the way past it that the consolidator supports: a workbook with more rows from the
Secretariat, sent instead of the first one (a second workbook for the same working group replaces
the first, it is not added to it)."""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import read_meta

from rcm_workbooks.cli import cli
from rcm_workbooks.core.fields import DEFAULT_ROWS
from rcm_workbooks.core.texts import CHECK, UI
from rcm_workbooks.demo.answers import synthetic_rows
from rcm_workbooks.demo.fill import fill_workbook
from rcm_workbooks.workspace import init_workspace

PERIOD = "2025-H1"
COUNTRY, GROUP = "GTM", "PROT"


def rcm(*args) -> str:
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exit_code in (0, 1), res.output
    return res.output


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    root = tmp_path_factory.mktemp("room")
    ws = init_workspace(root / "ws")
    rcm("-C", ws.root, "generate", "--period", PERIOD, "--due", "2025-06-30", "--country", COUNTRY,
        "--group", GROUP)
    template = ws.templates_dir(PERIOD) / COUNTRY / f"RCM_{PERIOD}_{COUNTRY}_{GROUP}.xlsx"
    plan = ws.load_plan()
    rows = synthetic_rows(plan, GROUP, COUNTRY, "es", random.Random(13), 130)
    return ws, plan, template, rows


def consolidated(ws, inbox: Path) -> list[dict]:
    rcm("-C", ws.root, "consolidate", "--period", PERIOD, "--inbox", inbox, "--out", inbox.parent / "out",
        "--db", inbox.parent / "registry.sqlite")
    with open(inbox.parent / "out" / PERIOD / f"consolidated_{PERIOD}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def texts_of(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_a_template_has_100_open_rows_and_says_so(round_):
    ws, plan, template, _ = round_
    meta = read_meta(template)
    first, last = int(meta["first_row"]), int(meta["last_row"])
    assert DEFAULT_ROWS == 100 and (first, last) == (6, 105)
    wb = openpyxl.load_workbook(template)
    matrix = wb[meta["matrix_sheet"]]
    ui = UI["es"]
    # the limit, where the focal point reads: the hint over the matrix and the Instructions
    assert ui["hint"].format(first=6, last=105, check="M") in texts_of(matrix)
    assert "filas 6 a 105" in ui["hint"].format(first=6, last=105, check="M")
    instructions = texts_of(wb[ui["instructions_sheet"]])
    limit = [t for t in instructions if "filas 6 a 105" in t and "no se pueden insertar" in t]
    assert len(limit) == 1 and "con más filas" in limit[0] and "reemplaza al primero" in limit[0]
    # ... and it is true: the sheet refuses inserted rows, the rows below the last one are locked
    assert matrix.protection.sheet and matrix.protection.insertRows
    for col in "BDIL":
        assert matrix[f"{col}{last}"].protection.locked is False
        assert matrix[f"{col}{last + 1}"].protection.locked is not False
    # the check column and the banner cover every open row
    assert matrix[f"M{last}"].value == "=_CK_check"
    assert f"$M$6:$M${last}" in matrix[meta["check_cell"]].value


def test_100_activities_fit_and_are_all_consolidated(round_, tmp_path):
    ws, _, template, rows = round_
    inbox = tmp_path / "inbox"
    fill_workbook(template, inbox / "guatemala.xlsx", rows[:100], saved_at=dt.datetime(2025, 6, 1, 9))
    got = consolidated(ws, inbox)
    assert len(got) == 100
    assert [r["activity"] for r in got] == [r["activity"] for r in rows[:100]]
    with pytest.raises(ValueError):  # a 101st does not fit: the template has no row for it
        fill_workbook(template, tmp_path / "more.xlsx", rows[:101])


def test_past_the_limit_a_workbook_with_more_rows_replaces_the_first(round_, tmp_path):
    """What the Instructions say: ask for a workbook with more rows, copy the rows into it, send
    only that one. The Secretariat writes it with `rcm generate --rows N --force` for the one pair."""
    ws, _, template, rows = round_
    inbox = tmp_path / "inbox"
    fill_workbook(template, inbox / "guatemala.xlsx", rows[:100], saved_at=dt.datetime(2025, 6, 1, 9))
    first_copy = tmp_path / "first-template.xlsx"
    first_copy.write_bytes(template.read_bytes())
    out = rcm("-C", ws.root, "generate", "--period", PERIOD, "--due", "2025-06-30", "--country", COUNTRY,
              "--group", GROUP, "--rows", 150, "--force")
    assert out.startswith("Wrote 1 workbook") and "Overwrote 1 template" in out
    meta = read_meta(template)
    assert (int(meta["first_row"]), int(meta["last_row"])) == (6, 155)
    instructions = texts_of(openpyxl.load_workbook(template)[UI["es"]["instructions_sheet"]])
    assert any("filas 6 a 155" in t for t in instructions)
    # the focal point pastes the 100 rows sent before and adds 30, then sends this one
    fill_workbook(template, inbox / "guatemala con más filas.xlsx", rows, saved_at=dt.datetime(2025, 6, 20, 9))
    got = consolidated(ws, inbox)
    assert len(got) == 130 and {r["source_file"] for r in got} == {"guatemala con más filas.xlsx"}
    assert [r["activity"] for r in got] == [r["activity"] for r in rows]
    first_copy.replace(template)  # the other tests use the 100-row template


def test_a_second_workbook_replaces_the_first_and_is_not_added(round_, tmp_path):
    """Why the Instructions say to send only one workbook: two workbooks of one working group and
    period are not added together; the one saved last stands."""
    ws, _, template, rows = round_
    inbox = tmp_path / "inbox"
    fill_workbook(template, inbox / "parte 1.xlsx", rows[:100], saved_at=dt.datetime(2025, 6, 1, 9))
    fill_workbook(template, inbox / "parte 2.xlsx", rows[100:], saved_at=dt.datetime(2025, 6, 2, 9))
    got = consolidated(ws, inbox)
    assert len(got) == 30 and {r["source_file"] for r in got} == {"parte 2.xlsx"}


def test_the_check_words_in_the_instructions_are_the_templates(round_):
    """The Instructions name the check column, its heading and the banner's words as the workbook
    shows them."""
    _, _, template, _ = round_
    wb = openpyxl.load_workbook(template)
    instructions = texts_of(wb[UI["es"]["instructions_sheet"]])
    step = [t for t in instructions if t.startswith("La columna M")]
    assert len(step) == 1
    assert f"«{CHECK['es']['header']}»" in step[0] and f"«{CHECK['es']['ready']}»" in step[0]
    stricter = [t for t in instructions if "más estricta" in t]
    assert len(stricter) == 1 and "otros acentos" in stricter[0] and "nunca más permisiva" in stricter[0]
    # the column table names the check column too, with its help
    table = {r[0]: r[1:3] for r in wb[UI["es"]["instructions_sheet"]].iter_rows(values_only=True) if r[0] == "M"}
    assert table == {"M": (CHECK["es"]["header"], CHECK["es"]["help"][1])}
