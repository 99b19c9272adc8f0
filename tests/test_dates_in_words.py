"""Periods and dates in words for people ("primer semestre de 2025", "30 June 2025"); the codes stay
in `_meta` and the file names, and a return's title block is accepted in either form (templates
made before wrote the code)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from rcm_workbooks.core.texts import format_date, period_words
from rcm_workbooks.intake.validate import read_return
from rcm_workbooks.template.generate import generate
from tests.test_feedback import GOOD_EN, fill

PERIOD = "2025-H1"


@pytest.mark.parametrize("period,lang,words,with_article", [
    ("2025-H1", "en", "first half of 2025", "the first half of 2025"),
    ("2025-H2", "en", "second half of 2025", "the second half of 2025"),
    ("2025-H1", "es", "primer semestre de 2025", "el primer semestre de 2025"),
    ("2025-H2", "es", "segundo semestre de 2025", "el segundo semestre de 2025"),
    ("2025", "en", "2025", "2025"),
    ("2025", "es", "2025", "2025"),
    (" 2026-h2 ", "es", "segundo semestre de 2026", "el segundo semestre de 2026"),
])
def test_period_words(period, lang, words, with_article):
    assert period_words(period, lang) == words
    assert period_words(period, lang, article=True) == with_article


def test_not_a_period_is_shown_as_it_is():
    for text in ("", "2025-H3", "H1", "primer semestre"):
        assert period_words(text, "es") == text


def test_dates():
    assert format_date(dt.date(2025, 6, 30), "en") == "30 June 2025"
    assert format_date(dt.date(2025, 6, 30), "es") == "30 de junio de 2025"
    assert format_date("2025-01-02", "es") == "2 de enero de 2025"  # an ISO date as `_meta` keeps it
    assert format_date("someday", "en") == "someday"
    assert format_date(None, "en") == "no due date was set"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from rcm_workbooks.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("dates") / "ws")
    plan = ws.load_plan()
    (made,) = generate(ws, plan, PERIOD, groups=["PROT"], countries=["USA"], due=dt.date(2025, 6, 30))
    return ws, plan, made


def _with_title(template, tmp_path, text: str):
    ws, plan, made = template
    path = fill(made.path, tmp_path / "usa.xlsx", {0: GOOD_EN})
    wb = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    wb[meta["matrix_sheet"]][meta["title.period"]] = text
    wb.save(path)
    return read_return(path, path.name, plan, period=PERIOD)


def test_template_title_block_in_words(template):
    _, _, made = template
    wb = openpyxl.load_workbook(made.path)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    ws = wb[meta["matrix_sheet"]]
    assert ws[meta["title.period"]].value == "first half of 2025"
    assert ws[meta["title.due_date"]].value == "30 June 2025"
    assert (meta["period"], meta["due_date"]) == (PERIOD, "2025-06-30")  # the codes, for programs
    assert made.path.name == "RCM_2025-H1_USA_PROT.xlsx"


@pytest.mark.parametrize("title", ["first half of 2025", "primer semestre de 2025", "2025-H1", " FIRST HALF OF 2025 "])
def test_title_block_accepted_in_either_form(template, tmp_path, title):
    ret = _with_title(template, tmp_path, title)
    assert ret.verdict == "accepted" and not [f for f in ret.findings if f.code == "title-mismatch"], ret.reason


@pytest.mark.parametrize("title", ["second half of 2025", "segundo semestre de 2025", "2025-H2", "2024"])
def test_title_block_of_another_period_is_refused(template, tmp_path, title):
    ret = _with_title(template, tmp_path, title)
    (f,) = [f for f in ret.findings if f.code == "title-mismatch"]
    assert f.value.strip() == title
    assert f.message("en", with_fix=False).endswith("but the workbook was made for 'first half of 2025'.")
