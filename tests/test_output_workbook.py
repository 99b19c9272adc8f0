"""The consolidated workbook (DESIGN section 8), built from real returns and read back with openpyxl."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

import openpyxl
import pytest
from conftest import DUE, PERIOD

from rcm_workbooks.core.fields import MACHINE_COLUMNS, REJECTED_COLUMNS
from rcm_workbooks.demo.fill import fill_workbook
from rcm_workbooks.intake.consolidate import (
    PeriodResult,
    expected_pairs,
    frames,
    read_all,
    scan,
)
from rcm_workbooks.core.texts import CONSOLIDATED as WORDS
from rcm_workbooks.outputs import returns as R
from rcm_workbooks.outputs import sheets as S
from rcm_workbooks.outputs import workbook as W
from rcm_workbooks.outputs.matrix import MATRIX_COLUMNS
from rcm_workbooks.outputs.sheets import WorkbookOutputError
from rcm_workbooks.outputs.workbook import build_workbook, write_workbook
from rcm_workbooks.registry.store import Registry, assign_refs
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace

GROUPS = ["PROT", "LABR"]
COUNTRIES = ["BLZ", "CRI", "MEX"]
FORMULA_TEXT = "=SUM(1,1)"
LONG_TEXT = "Long report. " * 3500  # 45,500 characters: more than an Excel cell holds
BEFORE_DUE = dt.datetime(2025, 6, 20, 10, 0)
AFTER_DUE = dt.datetime(2025, 7, 15, 9, 30)


@dataclass
class Filled:
    """One row typed into a return: what was typed, and the codes it stands for (if accepted)."""

    country: str
    group: str
    typed: dict
    codes: dict | None  # None: the row must end up rejected


def _label(items, code, lang):
    return next(c.label(lang) for c in items if c.code == code)


def _row(plan, lang, pillar, theme, status, activity, **extra):
    p = plan.pillar(pillar)
    typed = {"pillar": p.label(lang), "theme": p.theme(theme).label(lang), "activity": activity,
             "status": _label(plan.statuses, status, lang) if status else "",
             "responsible": _label(plan.responsible_parties, plan.responsible_parties[0].code, lang),
             "deadline": _label(plan.deadlines, "Y2", lang), "indicators": f"Indicators of {activity[:20]}"}
    typed.update(extra)
    codes = {"pillar": pillar, "theme": theme, "status": status,
             "responsible": plan.responsible_parties[0].code, "deadline": "Y2"}
    return typed, codes


@dataclass
class Scenario:
    plan: object
    result: PeriodResult
    rows: list  # list[Filled], standing accepted rows and rejected ones
    superseded_rows: list  # typed dicts of the superseded return
    results: dict  # lang -> PeriodResult (the rejected rows' reasons are in that language)
    workspace: object


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    ws = init_workspace(tmp_path_factory.mktemp("outwb") / "ws")
    plan = ws.load_plan()
    made = {(g.country, g.working_group): g.path for g in
            generate(ws, plan, PERIOD, groups=GROUPS, countries=COUNTRIES, due=DUE)}
    inbox = ws.inbox
    rows: list[Filled] = []

    def fill(country, group, name, entries, saved_at):
        typed = []
        for t, codes in entries:
            typed.append(t)
            rows.append(Filled(country, group, t, codes))
        fill_workbook(made[(country, group)], inbox / name, typed, saved_at=saved_at)

    # BLZ/PROT (English): on time, a formula-like activity, a too-long text, one row with a bad status.
    t1, c1 = _row(plan, "en", "P3", "T8", "COMPLETED", FORMULA_TEXT)
    t2, c2 = _row(plan, "en", "P1", "T9", "IN_PROCESS", "Joint training", progress=LONG_TEXT)
    t3, _ = _row(plan, "en", "P3", "T2", "COMPLETED", "Row with a status nobody knows")
    t3["status"] = "Done-ish"
    fill("BLZ", "PROT", "belize/RCM_BLZ_PROT.xlsx", [(t1, c1), (t2, c2), (t3, None)], BEFORE_DUE)
    # CRI/PROT (Spanish): late.
    t4, c4 = _row(plan, "es", "P3", "T15", "COMPLETED", "Protocolo nacional de protección")
    t5, c5 = _row(plan, "es", "P1", "T6", "NOT_ACHIEVED", "Capacitación conjunta sobre trata")
    fill("CRI", "PROT", "costa rica/matriz final.xlsx", [(t4, c4), (t5, c5)], AFTER_DUE)
    # MEX/PROT: sent twice; the later one stands, the earlier one is superseded.
    old = [_row(plan, "es", "P3", "T5", "IN_PROCESS", "Versión preliminar")]
    fill_workbook(made[("MEX", "PROT")], inbox / "mex_v1.xlsx", [t for t, _ in old],
                  saved_at=dt.datetime(2025, 6, 1, 8, 0))
    fill("MEX", "PROT", "mex_v2.xlsx", [
        _row(plan, "es", "P3", "T5", "IN_PROCESS", "Versión final"),
        _row(plan, "es", "P3", "T7", "IN_PROCESS", "Mapeo de servicios"),
        _row(plan, "es", "P2", "T1", "COMPLETED", "Contratación equitativa"),
    ], dt.datetime(2025, 6, 25, 8, 0))
    # BLZ/LABR: its title block names another country, so the whole file is rejected.
    t9, _ = _row(plan, "en", "P2", "T3", "COMPLETED", "Labour fair in Belmopan")
    fill("BLZ", "LABR", "RCM_BLZ_LABR.xlsx", [(t9, None)], BEFORE_DUE)
    wb = openpyxl.load_workbook(inbox / "RCM_BLZ_LABR.xlsx")
    meta = {k: v for k, v, *_ in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if k}
    wb[meta["matrix_sheet"]][meta["title.country"]].value = "Canada"
    wb.save(inbox / "RCM_BLZ_LABR.xlsx")
    # Not returns: a PDF, Excel's lock file and an exact copy.
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4\n% not a workbook\n")
    (inbox / "~$RCM_BLZ_PROT.xlsx").write_bytes(b"lock")
    (inbox / "copy of belize.xlsx").write_bytes((inbox / "belize/RCM_BLZ_PROT.xlsx").read_bytes())

    returns = read_all(scan([inbox]), plan, period=PERIOD)
    with Registry.open(ws.root / "registry.sqlite") as db:
        assign_refs(db, returns)  # as consolidate does, before the frames
    pairs = expected_pairs(ws, plan, PERIOD)
    dues = [r.due_date for r in returns if r.period == PERIOD and r.due_date]
    results = {}
    for lang in ("en", "es"):
        matrix, rejected = frames(PERIOD, returns, lang)
        results[lang] = PeriodResult(PERIOD, returns, matrix, rejected, pairs, max(dues) if dues else None)
    return Scenario(plan, results["en"], rows, [t for t, _ in old], results, ws)


@pytest.fixture(scope="module")
def books(scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    out = {}
    for lang in ("en", "es"):
        path = write_workbook(folder / f"consolidated_{PERIOD}_{lang}.xlsx", scenario.results[lang], scenario.plan, lang)
        out[lang] = (path, openpyxl.load_workbook(path))
    return out


def accepted(scenario):
    return [r for r in scenario.rows if r.codes is not None]


def sheet(books, lang, key):
    return books[lang][1][WORDS[lang][key]]


def header(name, lang):
    return S.field_header(name, lang)


# --- the scenario itself ---------------------------------------------------------------------


def test_scenario_is_what_the_tests_assume(scenario):
    r = scenario.result
    verdicts = {x.name: x.verdict for x in r.returns}
    assert verdicts["mex_v1.xlsx"] == "superseded" and verdicts["mex_v2.xlsx"] == "accepted"
    assert verdicts["RCM_BLZ_LABR.xlsx"] == "rejected"
    assert verdicts["notes.pdf"] == "rejected"
    assert verdicts["copy of belize.xlsx"] == "ignored"
    assert len(r.matrix) == len(accepted(scenario)) == 7
    assert len(r.rejected) == 3  # the bad status, the superseded row, the rejected file's row
    assert sorted(r.expected) == sorted((c, g) for c in COUNTRIES for g in GROUPS)


# --- sheets ----------------------------------------------------------------------------------


def test_sheet_names_in_both_languages(books):
    assert books["en"][1].sheetnames == ["Matrix", "Summary", "Returns", "Findings", "Rejected rows"]
    assert books["es"][1].sheetnames == ["Matriz", "Resumen", "Respuestas", "Hallazgos", "Filas rechazadas"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_titles_say_the_period_and_due_date_in_words(books, lang):
    summary, returns = sheet(books, lang, "sheet_summary"), sheet(books, lang, "sheet_returns")
    words = {"en": ("Status of the activities, first half of 2025", "Returns for the first half of 2025: ",
                    "Due date: 30 June 2025"),
             "es": ("Estado de las actividades, primer semestre de 2025", "Respuestas sobre el primer semestre de 2025: ",
                    "Fecha límite: 30 de junio de 2025")}[lang]
    assert summary["A1"].value == words[0]
    assert returns["A1"].value.startswith(words[1]) and returns["A2"].value == words[2]


def test_document_properties(books, scenario):
    props = books["es"][1].properties
    assert "primer semestre de 2025" in props.title and "consolidada" in props.title  # the period in words
    assert props.subject == "Respuestas consolidadas sobre el primer semestre de 2025"
    assert props.created is not None


# --- Matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_matrix_is_a_table_covering_exactly_the_rows(books, scenario, lang):
    ws = sheet(books, lang, "sheet_matrix")
    n = len(scenario.result.matrix)
    assert list(ws.tables) == ["Matrix"]
    assert ws.tables["Matrix"].ref == f"A1:P{n + 1}"
    assert ws.tables["Matrix"].autoFilter is not None
    assert ws.freeze_panes == "A2"
    assert ws.max_row == n + 1
    heads = [c.value for c in ws[1]]
    assert heads == [header(f, lang) for f in MATRIX_COLUMNS]
    assert heads[3] == ("Programmatic pillar" if lang == "en" else "Pilar programático")
    assert all("▾" not in h for h in heads)
    for f, width in (("activity", 40), ("theme", 24), ("progress", 40)):
        column = chr(ord("A") + MATRIX_COLUMNS.index(f))
        assert ws.column_dimensions[column].width >= width
        assert all(c.alignment.wrap_text for c in ws[column][1:] if c.value)  # long texts wrap, whole


@pytest.mark.parametrize("lang", ["en", "es"])
def test_matrix_values_are_the_typed_rows_shown_with_labels(books, scenario, lang):
    plan = scenario.plan
    ws = sheet(books, lang, "sheet_matrix")
    got = Counter()
    for row in ws.iter_rows(min_row=2, values_only=True):
        rec = dict(zip(MATRIX_COLUMNS, row))
        got[(rec["working_group"], rec["country"], rec["pillar"], rec["theme"], rec["activity"][:40],
             rec["status"], rec["responsible"], rec["deadline"])] += 1
        assert isinstance(rec["source_row"], int) and rec["source_row"] >= 1
        assert rec["ref"]
    want = Counter()
    for r in accepted(scenario):
        p = plan.pillar(r.codes["pillar"])
        want[(plan.group(r.group).label(lang), plan.country(r.country).label(lang), p.label(lang),
              p.theme(r.codes["theme"]).label(lang), r.typed["activity"][:40],
              _label(plan.statuses, r.codes["status"], lang),
              _label(plan.responsible_parties, r.codes["responsible"], lang),
              _label(plan.deadlines, r.codes["deadline"], lang))] += 1
    assert got == want


def test_theme_labels_follow_their_pillar(books, scenario):
    """P1/T9 and P3/T15 have nearly the same label; T9 of P3 is another theme altogether."""
    plan = scenario.plan
    ws = sheet(books, "en", "sheet_matrix")
    rows = [dict(zip(MATRIX_COLUMNS, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    joint = next(r for r in rows if r["activity"] == "Joint training")
    assert joint["theme"] == plan.pillar("P1").theme("T9").label.en
    assert joint["theme"] != plan.pillar("P3").theme("T9").label.en


def test_formula_like_text_stays_text(books):
    path, wb = books["en"]
    ws = wb["Matrix"]
    col = MATRIX_COLUMNS.index("activity") + 1
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == FORMULA_TEXT]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in zf.read(name), name


def test_text_of_exactly_the_cell_limit_is_kept_whole(books, scenario):
    """openpyxl (standing in for Excel) saved the long text cut at 32,767: it fits, so no ellipsis."""
    ws = sheet(books, "en", "sheet_matrix")
    col = MATRIX_COLUMNS.index("progress") + 1
    texts = [ws.cell(r, col).value for r in range(2, ws.max_row + 1) if ws.cell(r, col).value]
    long = [t for t in texts if t.startswith("Long report.")]
    assert len(long) == 1
    assert long[0] in set(scenario.result.matrix["progress"])
    assert len(long[0]) == S.EXCEL_CELL_LIMIT and not long[0].endswith("…")


def test_too_long_texts_are_cut_with_an_ellipsis(tmp_path, plan):
    """Texts beyond a cell (in the frame; the CSV keeps them whole) end in '…' on every sheet."""
    import pandas as pd

    from rcm_workbooks.core.findings import Finding
    from rcm_workbooks.intake.validate import Return

    result = empty_result(plan)
    result.matrix = big_matrix(plan, 3)
    result.matrix.at[1, "activity"] = LONG_TEXT
    result.matrix.at[2, "risks"] = "😀" * 20_000  # 40,000 UTF-16 units in 20,000 characters
    rec = {c: "" for c in REJECTED_COLUMNS}
    rec.update(period="2026", source_file="x.xlsx", row=9, activity=LONG_TEXT, codes="required-missing")
    result.rejected = pd.DataFrame([rec], columns=REJECTED_COLUMNS, dtype=object)
    ret = Return(path=tmp_path / "x.xlsx", name="x.xlsx", verdict="accepted")
    ret.findings.append(Finding("cell-not-text", file="x.xlsx", value=LONG_TEXT, params={"kind": "number"}))
    result.returns = [ret]
    path = write_workbook(tmp_path / "long.xlsx", result, plan, "en")
    wb = openpyxl.load_workbook(path)
    cells = [wb["Matrix"]["F3"].value, wb["Findings"]["H2"].value,
             wb["Rejected rows"].cell(2, REJECTED_COLUMNS.index("activity") + 1).value]
    for value in cells:
        assert len(value) == S.EXCEL_CELL_LIMIT and value.endswith("…")
        assert LONG_TEXT.startswith(value[:-1])
    message = wb["Findings"]["I2"].value  # the message quotes the value: cut as well
    assert message.startswith("A number was typed") and len(message) == S.EXCEL_CELL_LIMIT and message.endswith("…")
    emoji = wb["Matrix"]["L4"].value
    assert emoji.endswith("…") and S.utf16_len(emoji) <= S.EXCEL_CELL_LIMIT
    assert wb["Matrix"]["F2"].value == result.matrix.at[0, "activity"]


def test_clip_counts_utf16_units():
    assert S.clip("abc") == "abc"
    exact = "x" * S.EXCEL_CELL_LIMIT
    assert S.clip(exact) == exact
    emoji = "😀" * 20_000  # 40,000 UTF-16 units in 20,000 characters
    cut = S.clip(emoji)
    assert cut.endswith("…") and S.utf16_len(cut) <= S.EXCEL_CELL_LIMIT
    assert S.text(None) == "" and S.text(float("nan")) == "" and S.text(7.0) == "7"


# --- Summary ---------------------------------------------------------------------------------


def summary_block(ws, title: str) -> tuple[list, dict, list]:
    """(headers, {key: row values}, total row) of the block under `title`. The label is in column
    A in every block; a row with a label and no number is a sub-heading (a pillar over its themes),
    and the rows under it are keyed (sub-heading, label); the others (label,)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    heads = [h for h in rows[start + 1] if h is not None]
    body, parent = {}, None
    for r in rows[start + 2:]:
        if r[0] == WORDS["en"]["total"] or r[0] == WORDS["es"]["total"]:
            return heads, body, list(r[:len(heads)])
        if all(x is None for x in r[1:len(heads)]):
            parent = r[0]
            continue
        key = (parent, r[0]) if parent is not None else (r[0],)
        body[key] = dict(zip(heads, r[:len(heads)]))
    raise AssertionError(f"block {title} has no total row")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_summary_counts_equal_the_filled_rows(books, scenario, lang):
    """Every block has the same columns: the label in A, a count per status, the total and the
    rate; so every number stands under its own heading."""
    plan = scenario.plan
    w = WORDS[lang]
    ws = sheet(books, lang, "sheet_summary")
    rows = accepted(scenario)
    status_heads = [s.label(lang) for s in plan.statuses]
    done = {s.code for s in plan.statuses if s.done}

    def check(title, label_head, key, plan_keys, show):
        heads, body, total = summary_block(ws, title)
        assert heads == [label_head] + status_heads + [w["total"], w["completion"]]
        assert len(body) == len(plan_keys)  # every plan entry, zeros included, in plan order
        assert list(body) == [tuple(show(k)) for k in plan_keys]
        for k in plan_keys:
            mine = [r for r in rows if key(r) == k]
            line = body[tuple(show(k))]
            for s in plan.statuses:
                assert line[s.label(lang)] == sum(1 for r in mine if r.codes["status"] == s.code), (title, k, s.code)
            assert line[w["total"]] == len(mine)
            if mine:
                assert line[w["completion"]] == pytest.approx(sum(1 for r in mine if r.codes["status"] in done) / len(mine))
            else:
                assert line[w["completion"]] is None
        assert total[1 + len(status_heads)] == len(rows)
        assert total[-1] == pytest.approx(sum(1 for r in rows if r.codes["status"] in done) / len(rows))

    check(w["by_group"], w["working_group"], lambda r: r.group, [g.code for g in plan.working_groups],
          lambda k: [plan.group(k).label(lang)])
    check(w["by_pillar"], w["pillar"], lambda r: r.codes["pillar"], [p.code for p in plan.pillars],
          lambda k: [plan.pillar(k).label(lang)])
    check(w["by_theme"], w["theme"], lambda r: (r.codes["pillar"], r.codes["theme"]),
          [(p.code, t.code) for p in plan.pillars for t in p.themes],
          lambda k: [plan.pillar(k[0]).label(lang), plan.pillar(k[0]).theme(k[1]).label(lang)])
    check(w["by_country"], w["country"], lambda r: r.country, [c.code for c in plan.countries],
          lambda k: [plan.country(k).label(lang)])


def test_summary_specific_numbers(books):
    """Hand-counted: PROT has 7 accepted rows, 3 completed (BLZ 1, CRI 1, MEX 1)."""
    _, body, _ = summary_block(books["en"][1]["Summary"], "By working group")
    prot = next(v for k, v in body.items() if k[0] == "Protection")
    assert list(prot.values())[1:5] == [3, 3, 1, 7]
    assert prot["Completion rate"] == pytest.approx(3 / 7)
    labr = next(v for k, v in body.items() if k[0] == "Labor migration")
    assert list(labr.values())[1:6] == [0, 0, 0, 0, None]  # the only LABR return was rejected
    _, body, _ = summary_block(books["en"][1]["Summary"], "By country")
    mex = next(v for k, v in body.items() if k[0] == "Mexico")
    assert list(mex.values())[1:5] == [1, 2, 0, 3]
    assert mex["Completion rate"] == pytest.approx(1 / 3)


def test_completion_rate_is_a_percent(books):
    ws = books["en"][1]["Summary"]
    rates = [c for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert rates and all("%" in c.number_format for c in rates)


def test_two_native_charts(books):
    path, wb = books["en"]
    assert len(wb["Summary"]._charts) == 2
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names
        c1, c2 = zf.read("xl/charts/chart1.xml").decode(), zf.read("xl/charts/chart2.xml").decode()
    assert '<c:barDir val="col"/>' in c1 and '<c:grouping val="stacked"/>' in c1
    assert c1.count("<c:ser>") == 3  # one series per status
    assert c1.index("70AD47") < c1.index("FFC000") < c1.index("C00000")  # completed green, then amber, red
    assert "Status of the activities by working group" in c1
    assert '<c:barDir val="bar"/>' in c2 and 'formatCode="0%"' in c2
    assert "Completion rate by country" in c2


# --- Returns ---------------------------------------------------------------------------------


def returns_grid(ws, lang):
    """{(country label, group label): (text, fill rgb)} and the header row."""
    rows = list(ws.iter_rows())
    top = next(i for i, r in enumerate(rows) if r[0].value == WORDS[lang]["country"])
    heads = [c.value for c in rows[top]]
    grid, totals = {}, {}
    for r in rows[top + 1:]:
        if r[0].value is None:
            break
        if r[0].value == WORDS[lang]["total"]:  # one row: the count columns' totals
            totals["_grand"] = [c.value for c in r]
            continue
        if r[0].value in (WORDS[lang][s] for s in R.COUNTS):  # a row per state: each group's count
            totals[r[0].value] = [c.value for c in r]
            continue
        for h, c in zip(heads[1:], r[1:]):
            if h in WORDS[lang].values():
                continue
            grid[(r[0].value, h)] = (c.value, c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None)
        grid[(r[0].value, "_totals")] = {h: c.value for h, c in zip(heads[1:], r[1:]) if h in WORDS[lang].values()}
    return heads, grid, totals


@pytest.mark.parametrize("lang", ["en", "es"])
def test_returns_grid_states(books, scenario, lang):
    plan = scenario.plan
    w = WORDS[lang]
    heads, grid, totals = returns_grid(sheet(books, lang, "sheet_returns"), lang)
    C = lambda c: plan.country(c).label(lang)  # noqa: E731
    G = lambda g: plan.group(g).label(lang)  # noqa: E731
    assert heads[1:3] == [G("PROT"), G("LABR")]
    assert [k[0] for k in grid if k[1] == "_totals"] == [C(c) for c in COUNTRIES]
    state = {k: v for k, v in grid.items() if k[1] != "_totals"}
    assert state[(C("BLZ"), G("PROT"))] == (w["state_received"], "FFC6EFCE")
    assert state[(C("CRI"), G("PROT"))] == (w["state_late"], "FFFFEB9C")
    text, fill = state[(C("MEX"), G("PROT"))]
    assert text == {"en": "received; 1 superseded", "es": "recibido; 1 reemplazado"}[lang]  # counted, no "(s)"
    assert fill == "FFC6EFCE"
    assert state[(C("BLZ"), G("LABR"))] == (w["state_rejected"], "FFFFC7CE")
    assert state[(C("CRI"), G("LABR"))] == (w["state_missing"], "FFD9D9D9")
    assert state[(C("MEX"), G("LABR"))] == (w["state_missing"], "FFD9D9D9")
    # totals per country and per group
    assert grid[(C("BLZ"), "_totals")] == {w["received"]: 1, w["late"]: 0, w["rejected"]: 1, w["missing"]: 0,
                                          w["superseded"]: 0}
    assert grid[(C("MEX"), "_totals")][w["superseded"]] == 1
    # A late return was received: counted under Received, and again, apart, under Late.
    assert grid[(C("CRI"), "_totals")] == {w["received"]: 1, w["late"]: 1, w["rejected"]: 0, w["missing"]: 1,
                                          w["superseded"]: 0}
    assert totals[w["received"]][1:4] == [3, 0, None]  # PROT (BLZ, CRI late, MEX), LABR; nothing beside
    assert totals[w["missing"]][1:3] == [0, 2]
    assert totals[w["late"]][1:3] == [1, 0]
    # one row of totals under the count columns, every one in its own column: no staircase
    assert totals["_grand"][3:3 + len(R.COUNTS)] == [3, 1, 1, 2, 1]
    assert totals["_grand"][1:3] == [None, None]
    for s in R.COUNTS:
        assert totals[w[s]][3:] == [None] * (len(totals[w[s]]) - 3)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_returns_files_table_lists_every_file(books, scenario, lang):
    ws = sheet(books, lang, "sheet_returns")
    assert list(ws.tables) == ["Files"]
    ref = ws.tables["Files"].ref
    first, last = map(int, re.match(r"^A(\d+):M(\d+)$", ref).groups())
    assert last - first == len(scenario.result.returns)
    w = WORDS[lang]
    heads = [c.value for c in ws[first]]
    assert heads == [w[k] for k in R.FILE_COLUMNS]
    assert heads[0] == w["file"] and heads[-3:] == [w["reason"], w["todo"], w["sha256"]]  # the wide ones last
    rows = {r[0]: dict(zip(heads, r)) for r in ws.iter_rows(min_row=first + 1, max_row=last, values_only=True)}
    assert set(rows) == {x.name for x in scenario.result.returns}
    assert rows["notes.pdf"][w["verdict"]] == w["verdict_rejected"]
    assert rows["~$RCM_BLZ_PROT.xlsx"][w["verdict"]] == w["verdict_ignored"]
    assert rows["copy of belize.xlsx"][w["verdict"]] == w["verdict_ignored"]
    assert rows["mex_v1.xlsx"][w["verdict"]] == w["verdict_superseded"]
    assert "mex_v2.xlsx" in rows["mex_v1.xlsx"][w["reason"]]
    blz = rows["belize/RCM_BLZ_PROT.xlsx"]
    assert blz[w["verdict"]] == w["verdict_accepted"]
    assert (blz[w["rows_accepted"]], blz[w["rows_rejected"]]) == (2, 1)
    assert (blz[w["errors"]], blz[w["warnings"]]) == (1, 0)
    assert rows["costa rica/matriz final.xlsx"][w["warnings"]] == 1  # late
    # what the Secretariat does about each file: its own steps, the feedback copy to send, or nothing
    todo = {name: row[w["todo"]] for name, row in rows.items()}
    send = {"en": "Send the feedback copy to the focal point (1 correction): rcm mail --period 2025-H1 --kind feedback.",
            "es": "Envíe la copia con observaciones al punto focal (1 corrección): rcm mail --period 2025-H1 "
                  "--kind feedback."}[lang]
    assert todo["belize/RCM_BLZ_PROT.xlsx"] == send
    assert todo["costa rica/matriz final.xlsx"] == {"en": "Nothing to do.", "es": "Nada que hacer."}[lang]  # late only
    assert {"en": "ask the focal point", "es": "pida al punto focal"}[lang] in todo["notes.pdf"].lower()  # the PDF's advice
    assert todo["~$RCM_BLZ_PROT.xlsx"] is None
    assert blz[w["received_at"]] == BEFORE_DUE
    assert blz[w["period"]] == PERIOD
    assert blz[w["country"]] == scenario.plan.country("BLZ").label(lang)
    assert blz[w["sha256"]] == next(x.sha256 for x in scenario.result.returns if x.name == "belize/RCM_BLZ_PROT.xlsx")
    assert rows["costa rica/matriz final.xlsx"][w["received_at"]] == AFTER_DUE
    if lang == "es":
        assert blz[w["reason"]] == "2 filas aceptadas, 1 rechazada"  # counted, each number its own form
        assert "Reemplazado por" in rows["mex_v1.xlsx"][w["reason"]]
    # the count columns stand centred, headings and numbers, apart from the Reason's text beside
    # them (set right, "0" touched "7 filas aceptadas")
    for k in ("rows_accepted", "rows_rejected", "errors", "warnings"):
        col = heads.index(w[k]) + 1
        assert {ws.cell(r, col).alignment.horizontal for r in range(first, last + 1)} == {"center"}, k
    assert {ws.cell(r, heads.index(w["reason"]) + 1).alignment.horizontal for r in range(first, last + 1)} == {None}


# --- Findings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_findings_sheet_has_every_finding(books, scenario, lang):
    ws = sheet(books, lang, "sheet_findings")
    findings = scenario.result.findings
    assert len(findings) > 5
    assert ws.tables["Findings"].ref == f"A1:I{len(findings) + 1}"
    assert ws.max_row == len(findings) + 1
    heads = [c.value for c in ws[1]]
    w = WORDS[lang]
    assert heads == [w[k] for k in ("code", "severity", "file", "sheet", "cell", "row", "column", "value", "message")]
    got = [dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert Counter(r[w["code"]] for r in got) == Counter(f.code for f in findings)
    assert [r[w["message"]] for r in got] == [f.message(lang) for f in findings]
    bad = next(r for r in got if r[w["code"]] == "value-not-in-list")
    assert bad[w["value"]] == "Done-ish" and bad[w["file"]] == "belize/RCM_BLZ_PROT.xlsx"
    assert bad[w["severity"]] == w["severity_error"]
    assert bad[w["column"]] == header("status", lang)
    late = [r for r in got if r[w["code"]] == "return-late"]
    assert late and all(r[w["severity"]] == w["severity_warning"] for r in late)


# --- Rejected rows -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_rejected_rows_keep_every_value_as_text(books, scenario, lang):
    ws = sheet(books, lang, "sheet_rejected")
    frame = scenario.results[lang].rejected.to_pandas()
    assert ws.tables["RejectedRows"].ref.endswith(str(len(frame) + 1))
    heads = [c.value for c in ws[1]]
    assert heads == [header(c, lang) for c in REJECTED_COLUMNS]
    assert len(set(heads)) == len(heads)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            assert c.value is None or c.data_type == "s", (c.coordinate, c.value)
    got = [dict(zip(REJECTED_COLUMNS, (v or "" for v in r))) for r in ws.iter_rows(min_row=2, values_only=True)]
    by_activity = {r["activity"]: r for r in got}
    bad = by_activity["Row with a status nobody knows"]
    assert bad["status"] == "Done-ish" and bad["codes"] == "value-not-in-list"
    assert bad["country"] == scenario.plan.country("BLZ").label(lang)  # shown as the Matrix shows it
    assert bad["working_group"] == scenario.plan.group("PROT").label(lang)
    assert bad["source_file"] == "belize/RCM_BLZ_PROT.xlsx"
    assert bad["row"].isdigit()
    assert "Done-ish" in bad["reasons"]
    sup = by_activity[scenario.superseded_rows[0]["activity"]]
    assert sup["codes"] == "file-superseded" and sup["source_file"] == "mex_v1.xlsx"
    assert sup["pillar"] == scenario.superseded_rows[0]["pillar"]  # as typed, not a code
    other = by_activity["Labour fair in Belmopan"]
    assert other["codes"] == "title-mismatch"
    # every value of the frame, as text
    for rec in frame.to_dict("records"):
        line = next(r for r in got if r["source_file"] == rec["source_file"] and r["row"] == str(rec["row"]))
        for c in REJECTED_COLUMNS:
            value = "" if rec[c] is None else str(rec[c])
            if c == "country":
                value = scenario.plan.country(value).label(lang)
            elif c == "working_group":
                value = scenario.plan.group(value).label(lang)
            assert line[c] == value, c
    assert bad["reasons"] == next(r for r in frame.to_dict("records") if r["activity"] == bad["activity"])["reasons"]
    if lang == "es":
        assert "no es uno de los valores permitidos" in bad["reasons"]
        assert "Reemplazado por" in sup["reasons"]


# --- edge cases ------------------------------------------------------------------------------


def empty_result(plan, expected=()):
    import pandas as pd

    return PeriodResult("2026", [], pd.DataFrame([], columns=MACHINE_COLUMNS + ["source_row", "language"], dtype=object),
                        pd.DataFrame([], columns=REJECTED_COLUMNS, dtype=object), list(expected))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_empty_period_is_still_a_valid_workbook(tmp_path, plan, lang):
    path = write_workbook(tmp_path / "consolidated_2026.xlsx", empty_result(plan), plan, lang)
    wb = openpyxl.load_workbook(path)
    m = wb[WORDS[lang]["sheet_matrix"]]
    # Excel has no table without a data row: header plus one blank row, as Excel itself makes it.
    assert m.tables["Matrix"].ref == "A1:P2"
    assert [c.value for c in m[1]][:2] == [WORDS[lang]["working_group"], WORDS[lang]["country"]]
    assert all(c.value is None for c in m[2])
    assert wb[WORDS[lang]["sheet_findings"]].tables["Findings"].ref == "A1:I2"
    assert wb[WORDS[lang]["sheet_rejected"]].tables["RejectedRows"].ref.endswith("2")
    s = wb[WORDS[lang]["sheet_summary"]]
    assert WORDS[lang]["no_rows"] in [c.value for c in s["A"]]
    assert WORDS[lang]["nothing_expected"] in [c.value for c in wb[WORDS[lang]["sheet_returns"]]["A"]]


def test_expected_pairs_without_returns_are_missing(tmp_path, plan):
    path = write_workbook(tmp_path / "x.xlsx", empty_result(plan, [("GTM", "PROT"), ("USA", "BORD")]), plan, "en")
    _, grid, totals = returns_grid(openpyxl.load_workbook(path)["Returns"], "en")
    assert grid[("Guatemala", "Protection")] == ("missing", "FFD9D9D9")
    assert grid[("United States", "Border management")][0] == "missing"
    assert grid[("Guatemala", "Border management")] == (None, None)  # not expected
    assert totals["Missing"][1:3] == [1, 1]
    assert totals["_grand"][3 + R.COUNTS.index("missing")] == 2  # under the Missing column
    assert totals["Received"][1:3] == [0, 0]
    assert totals["_grand"][3 + R.COUNTS.index("received")] == 0


def big_matrix(plan, n, seed=1):
    import random

    import pandas as pd

    rng = random.Random(seed)
    recs = []
    for i in range(n):
        p = rng.choice(plan.pillars)
        t = rng.choice(p.themes)
        g, c = rng.choice(plan.working_groups), rng.choice(plan.countries)
        recs.append({
            "period": "2026", "working_group": g.code, "country": c.code, "ref": f"{c.code}-{g.code}-{i:05d}",
            "pillar": p.code, "theme": t.code, "activity": f"Activity {i}: regional workshop" if i % 97 else "=1+1",
            "indicators": "Officials trained", "measured_by": "Ministry", "responsible": rng.choice(plan.responsible_parties).code,
            "deadline": rng.choice(plan.deadlines).code, "status": rng.choice(plan.statuses).code, "risks": "",
            "progress": f"Done {i}", "next_steps": "Continue", "source_file": f"{c.code}_{g.code}.xlsx",
            "source_sha256": "0" * 64, "source_row": 7 + i % 500, "language": "en"})
    return pd.DataFrame(recs, columns=MACHINE_COLUMNS + ["source_row", "language"], dtype=object)


def test_a_larger_matrix(tmp_path, plan):
    result = empty_result(plan)
    result.matrix = big_matrix(plan, 3000)
    path = write_workbook(tmp_path / "big.xlsx", result, plan, "en")
    wb = openpyxl.load_workbook(path)
    ws = wb["Matrix"]
    assert ws.tables["Matrix"].ref == "A1:P3001" and ws.tables["Matrix"].autoFilter.ref == "A1:P3001"
    assert ws.max_row == 3001 and ws.freeze_panes == "A2"
    frame = result.matrix
    for i in (0, 97, 1234, 2999):
        row = [c.value for c in ws[i + 2]]
        assert row[2] == frame.at[i, "ref"] and row[5] == frame.at[i, "activity"] and row[15] == frame.at[i, "source_row"]
        assert row[10] == next(s.label.en for s in plan.statuses if s.code == frame.at[i, "status"])
        assert ws.cell(i + 2, 6).data_type == "s"
    _, body, total = summary_block(wb["Summary"], "By country")
    assert total[len(plan.statuses) + 1] == 3000
    for c in plan.countries:
        line = next(v for k, v in body.items() if k[0] == c.label.en)
        assert line["Total"] == int((frame["country"] == c.code).sum())


def test_reproducible_with_source_date_epoch(monkeypatch, scenario):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    one = build_workbook(scenario.result, scenario.plan, "es")
    two = build_workbook(scenario.result, scenario.plan, "es")
    assert one == two
    import io

    assert openpyxl.load_workbook(io.BytesIO(one)).properties.created == dt.datetime(2025, 1, 1)


def test_fast_and_plain_writers_make_the_same_workbook(monkeypatch, scenario):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    monkeypatch.setattr(S, "STREAM_ROWS", False)  # every row through XlsxWriter, fast or plain
    fast = build_workbook(scenario.result, scenario.plan, "en")
    monkeypatch.setattr(S, "FAST_WRITE", False)
    plain = build_workbook(scenario.result, scenario.plan, "en")
    assert fast == plain


def test_refusals_of_xlsxwriter_raise(plan):
    import io

    import xlsxwriter

    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = wb.add_worksheet("S")
    with pytest.warns(UserWarning), pytest.raises(WorkbookOutputError, match="table"):
        S.write_table(ws, 0, ["a", "b"], [["x", "y"]], "A1", [10, 10])  # a table named like a cell
    with pytest.raises(WorkbookOutputError, match="row 1048577"):
        S.write_rows(ws, 1_048_576, [["x"]], "T")  # beyond Excel's last row
    with pytest.raises(WorkbookOutputError):
        S.check(-2, "something")
    S.check(0, "fine")
    S.check(None, "fine")


def test_written_atomically(tmp_path, scenario, monkeypatch):
    target = tmp_path / f"consolidated_{PERIOD}.xlsx"
    target.write_bytes(b"previous")

    def boom(*a, **k):
        raise RuntimeError("crash while building")

    monkeypatch.setattr(W, "write_findings", boom)
    with pytest.raises(RuntimeError):
        write_workbook(target, scenario.result, scenario.plan, "en")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    monkeypatch.undo()
    assert write_workbook(target, scenario.result, scenario.plan, "en") == target
    assert zipfile.is_zipfile(target)


def test_xlsxwriter_warnings_become_errors(monkeypatch, scenario):
    """A call whose code is not checked (e.g. in a helper sheet) still cannot warn silently."""
    import warnings

    def warn_only(wb, result, lang):
        warnings.warn("something was refused")  # not from xlsxwriter: ignored
        ws = wb.add_worksheet("Extra")
        ws.add_table(0, 0, 0, 1, {"name": "T1"})  # a table with no row: a warning and -2, unchecked

    monkeypatch.setattr(W, "write_findings", warn_only)
    with pytest.raises(WorkbookOutputError, match="at least one data row"):
        build_workbook(scenario.result, scenario.plan, "en")


def test_consolidate_writes_it_with_the_progress_sheet(tmp_path, scenario):
    """The whole command: consolidate() writes this workbook, with the registry's Progress sheet."""
    import shutil

    from rcm_workbooks.round import consolidate

    root = tmp_path / "ws"
    shutil.copytree(scenario.workspace.root, root)
    (root / "registry.sqlite").unlink(missing_ok=True)
    ws = type(scenario.workspace)(root)
    done = consolidate(ws, scenario.plan, period=PERIOD, lang="es")
    path = root / "outbox" / PERIOD / f"consolidated_{PERIOD}.xlsx"
    assert path in done.outputs
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Matriz", "Resumen", "Avance", "Respuestas", "Hallazgos", "Filas rechazadas"]
    assert wb["Matriz"].tables["Matrix"].ref == f"A1:P{len(accepted(scenario)) + 1}"
    refs = [r[2] for r in wb["Matriz"].iter_rows(min_row=2, values_only=True)]
    assert all(refs) and len(set(refs)) == len(refs)
    assert wb["Hallazgos"].max_row == len(done.periods[PERIOD].findings) + 1


# --- the data rows streamed into the file (sheetxml) -------------------------------------------

# Texts both writers must keep as typed (openpyxl reads the shared and the inline form alike).
NASTY = [FORMULA_TEXT, "=A1&\"x\"", "a & b < c > d \"q\" 'a'", "  leading spaces", "trailing spaces  ",
         " both ", " ", "line 1\nline 2", "tab\there", "\ttab first", "ctl \x01 and \x1f", "\x0b", "cr\r\nlf",
         "_x0041_", "text _x0041_ and _x00e9_ inside", "_x0001_\x01", "]]> & ]]&gt;", "😀 emoji 👩‍👩‍👧",
         "Café ñandú àèìòù ÀÉÎ", "\ufffe", "x" * 40_000, "😀" * 20_000, "0042", "1e5", "TRUE", "#N/A"]
# Texts only the streamed rows keep: XlsxWriter loses the second underscore of two _xHHHH_ sharing it,
# and writes a text that looks like rich text ("<r>...</r>") into sharedStrings.xml unescaped.
STREAM_ONLY = ["_x005F_x0041_", "<r>rich?</r>", "<r><t>a</t></r>"]


def nasty_result(plan, texts, extra_rows=200):
    """A period whose Matrix, Findings and Rejected rows hold `texts` in several columns."""
    from pathlib import Path

    import pandas as pd

    from rcm_workbooks.core.findings import Finding
    from rcm_workbooks.intake.validate import Return

    n = len(texts)
    result = empty_result(plan)
    frame = big_matrix(plan, n + extra_rows)
    for i, t in enumerate(texts):
        frame.at[i, "activity"] = t
        frame.at[i, "progress"] = texts[(i + 1) % n]
        frame.at[i, "risks"] = "" if i % 2 else t
        frame.at[i, "ref"] = f"R{i} {t[:50]}"
    frame.at[n, "source_row"] = 12345678901234  # numbers: ints, a big one
    frame.at[n + 1, "indicators"] = None  # no cell
    frame.at[n + 2, "measured_by"] = float("nan")
    result.matrix = frame
    recs = []
    for i, t in enumerate(texts):
        rec = {c: "" for c in REJECTED_COLUMNS}
        rec.update(period="2026", source_file=f"file {i}.xlsx", row=7 + i, activity=t, reasons=texts[-1 - i],
                   codes="required-missing")
        recs.append(rec)
    result.rejected = pd.DataFrame(recs, columns=REJECTED_COLUMNS, dtype=object)
    ret = Return(path=Path("x.xlsx"), name="x.xlsx", verdict="accepted")
    for i, t in enumerate(texts):
        ret.findings.append(Finding("cell-not-text", file="x.xlsx", sheet="Matrix", cell=f"F{7 + i}", row=7 + i,
                                    column="activity", value=t, params={"kind": "number"}))
    result.returns = [ret]
    return result


def _fingerprint(cell) -> tuple:
    """What a cell shows: value (openpyxl reads '_x005F_' back only from shared strings), type, style."""
    value = cell.value
    if isinstance(value, str):
        value = value.replace("_x005F_", "_")
    return (value, cell.data_type, cell.font.b, cell.font.sz, cell.font.color and cell.font.color.rgb,
            cell.fill.fgColor.rgb, cell.number_format, cell.alignment.wrap_text, cell.alignment.horizontal,
            cell.border.bottom.style, cell.border.top.style)


def _read_back(data: bytes) -> dict:
    import io

    wb = openpyxl.load_workbook(io.BytesIO(data))
    out = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        out[ws.title] = {
            "tables": {t.name: (t.ref, t.autoFilter and t.autoFilter.ref, t.tableStyleInfo.name,
                                t.tableStyleInfo.showRowStripes, [c.name for c in t.tableColumns])
                       for t in ws.tables.values()},
            "freeze": ws.freeze_panes,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "size": (ws.max_row, ws.max_column),
            "cells": [[_fingerprint(c) for c in row] for row in ws.iter_rows()],
        }
    return out


def _build(monkeypatch, result, plan, lang, stream: bool) -> bytes:
    monkeypatch.setattr(S, "STREAM_ROWS", stream)
    try:
        return build_workbook(result, plan, lang)
    finally:
        monkeypatch.setattr(S, "STREAM_ROWS", True)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_streamed_rows_read_back_as_xlsxwriter_writes_them(monkeypatch, plan, lang):
    """Same sheets, cells (values, types, styles), tables, filters, panes and widths both ways."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    result = nasty_result(plan, NASTY)
    streamed = _build(monkeypatch, result, plan, lang, True)
    plain = _build(monkeypatch, result, plan, lang, False)
    assert streamed != plain  # inline strings instead of shared ones
    one, two = _read_back(streamed), _read_back(plain)
    assert one["sheets"] == two["sheets"]
    for name in one["sheets"]:
        assert one[name]["tables"] == two[name]["tables"], name
        assert one[name]["freeze"] == two[name]["freeze"], name
        assert one[name]["widths"] == two[name]["widths"], name
        assert one[name]["heights"] == two[name]["heights"], name
        assert one[name]["size"] == two[name]["size"], name
        for i, (a, b) in enumerate(zip(one[name]["cells"], two[name]["cells"])):
            assert a == b, (name, i + 1)
    w = WORDS[lang]
    n = len(NASTY)
    assert one[w["sheet_matrix"]]["tables"]["Matrix"][:2] == (f"A1:P{n + 201}",) * 2
    assert one[w["sheet_findings"]]["tables"]["Findings"][:2] == (f"A1:I{n + 1}",) * 2
    assert one[w["sheet_rejected"]]["tables"]["RejectedRows"][:2] == (f"A1:U{n + 1}",) * 2
    # the values themselves, as typed (clipped) in the frame; openpyxl leaves _xHHHH_ escapes as they are
    matrix = one[w["sheet_matrix"]]["cells"]
    col = MATRIX_COLUMNS.index("activity")
    for i, t in enumerate(NASTY):
        value, kind = matrix[i + 1][col][:2]
        shown = re.sub("[\x00-\x08\x0b-\x1f\ufffe]", lambda m: f"_x{ord(m.group()):04X}_", S.clip(t))
        assert kind == "s" and value == shown, i
    assert matrix[n + 1][MATRIX_COLUMNS.index("source_row")][:2] == (12345678901234, "n")
    assert matrix[n + 2][MATRIX_COLUMNS.index("indicators")][0] is None
    assert matrix[n + 3][MATRIX_COLUMNS.index("measured_by")][0] is None
    # same zip members in the same order, with XlsxWriter's fixed timestamps
    with zipfile.ZipFile(io.BytesIO(streamed)) as a, zipfile.ZipFile(io.BytesIO(plain)) as b:
        assert a.namelist() == b.namelist()
        assert {i.date_time for i in a.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert [(i.compress_type, i.external_attr) for i in a.infolist()] == \
               [(i.compress_type, i.external_attr) for i in b.infolist()]
        for name in a.namelist():
            if not name.startswith(("xl/worksheets/sheet", "xl/sharedStrings")):
                assert a.read(name) == b.read(name), name  # everything else untouched


def _progress_of(plan, texts, extra: int):
    """A Progress (frame, counts) of two periods: the texts as activities and refs, codes known and
    unknown, empty statuses, and `extra` plain rows."""
    from rcm_workbooks.core.table import Table
    from rcm_workbooks.outputs.progress import COLUMNS, progress_counts

    rows = []
    statuses = [s.code for s in plan.statuses] + ["", "NO-SUCH-STATUS"]
    groups = [g.code for g in plan.working_groups] + ["ZZZ"]
    for i in range(len(texts) + extra):
        text = texts[i] if i < len(texts) else f"Activity {i}"
        rows.append((f"R{i} {text[:30]}", groups[i % len(groups)], plan.countries[i % 11].code, "P1",
                     "T1" if i % 3 else "T99", text, "2025-H1", statuses[i % len(statuses)], "2025-H2",
                     statuses[(i + 1) % len(statuses)], ("new", "regressed", "unchanged", "xyz")[i % 4]))
    frame = Table(COLUMNS, rows)
    return frame, progress_counts(frame, plan)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_progress_rows_streamed_read_back_as_xlsxwriter_writes_them(monkeypatch, plan, lang):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    result = empty_result(plan)
    result.progress = _progress_of(plan, NASTY, 300)
    streamed = _build(monkeypatch, result, plan, lang, True)
    plain = _build(monkeypatch, result, plan, lang, False)
    name = WORDS[lang]["sheet_progress"]
    one, two = _read_back(streamed)[name], _read_back(plain)[name]
    # title, legend, counts (every group, the one the plan lacks, the total), a blank row, the header
    assert one["size"] == two["size"] == (9 + len(plan.working_groups) + len(NASTY) + 300, 11)
    assert (one["freeze"], one["widths"]) == (two["freeze"], two["widths"])
    for i, (a, b) in enumerate(zip(one["cells"], two["cells"])):
        assert a == b, i + 1
    # every cell of the activity rows has the bordered, wrapped format (an empty value is no cell, as in the Matrix)
    last = one["cells"][-1]
    assert all(c[7] is True and c[9] == "thin" for c in last if c[0] is not None)
    assert last[0][0] == f"R{len(NASTY) + 299} Activity {len(NASTY) + 299}"
    heights = []
    for data in (streamed, plain):
        ws = openpyxl.load_workbook(io.BytesIO(data))[name]
        assert ws.auto_filter.ref == f"A{one['size'][0] - len(NASTY) - 300}:K{one['size'][0]}"
        heights.append({r: d.height for r, d in ws.row_dimensions.items() if d.height})
    assert heights[0] == heights[1] and len(heights[0]) > 5  # long activities: rows as tall as their text
    with zipfile.ZipFile(io.BytesIO(streamed)) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and b"inlineStr" in z.read(n))
        assert z.read(sheet).count(b't="inlineStr"') > 300  # the rows went through sheetxml


def _decode_ooxml(text: str) -> str:
    """What Excel reads from a <t>: _xHHHH_ decoded left to right (so '_x005F_' is an underscore)."""
    return re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _sheet_xml(data: bytes, title: str) -> bytes:
    """The XML of the sheet named `title` in an .xlsx."""
    import xml.etree.ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get(f"{{{ns['r']}}}id") for s in book.iter(f"{{{ns['m']}}}sheet") if s.get("name") == title)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        return zf.read("xl/" + target.lstrip("/").removeprefix("xl/"))


def test_streamed_rows_xml(monkeypatch, plan):
    """The spliced sheet XML itself: well-formed, in order, no formula, texts exactly as typed."""
    import xml.etree.ElementTree as ET

    from rcm_workbooks.core.cells import col_letter as column_letters

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    texts = NASTY + STREAM_ONLY
    result = nasty_result(plan, texts, extra_rows=20)
    data = build_workbook(result, plan, "en")
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    xml = _sheet_xml(data, "Matrix")
    assert b"<f>" not in xml and b"<f " not in xml
    root = ET.fromstring(xml)  # well-formed XML 1.0: no raw control character, & or <
    rows = list(root.iter(m + "row"))
    assert [int(r.get("r")) for r in rows] == list(range(1, len(texts) + 22))
    assert root.find(m + "dimension").get("ref") == f"A1:P{len(texts) + 21}"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xfs = list(ET.fromstring(zf.read("xl/styles.xml")).find(m + "cellXfs"))
    got, styles, tall = {}, set(), 0
    for row in rows:
        refs = [c.get("r") for c in row]
        cols = [re.match(r"[A-Z]+", ref).group() for ref in refs]
        assert all(ref == col + row.get("r") for ref, col in zip(refs, cols))
        assert cols == sorted(cols, key=lambda c: (len(c), c))  # left to right
        if row.get("customHeight") == "1":
            tall += 1
            assert 15 < float(row.get("ht")) <= 409
        for c in row:
            kind = c.get("t")
            if int(row.get("r")) > 1:
                assert kind in ("inlineStr", None)
                styles.add(c.get("s"))  # the column's format, on every cell
            if kind == "inlineStr":
                t = c.find(f"{m}is/{m}t")
                raw = t.text or ""
                if raw != raw.strip():
                    assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
                got[c.get("r")] = _decode_ooxml(raw)
            elif kind is None and int(row.get("r")) > 1:
                got[c.get("r")] = float(c.find(m + "v").text)
    # every streamed cell carries a format of styles.xml that wraps its text and aligns it on top
    assert None not in styles
    for index in styles:
        alignment = xfs[int(index)].find(m + "alignment")
        assert alignment.get("wrapText") == "1" and alignment.get("vertical") == "top"
    assert tall >= len(texts) // 2  # rows of long or multi-line texts are as tall as their lines
    activity, progress = (column_letters(MATRIX_COLUMNS.index(f)) for f in ("activity", "progress"))
    for i, t in enumerate(texts):
        assert got[f"{activity}{i + 2}"] == S.clip(t), i
        assert got[f"{progress}{i + 2}"] == S.clip(texts[(i + 1) % len(texts)]), i
    assert f"{column_letters(MATRIX_COLUMNS.index('risks'))}3" not in got  # "" is no cell
    assert len(got[f"{activity}{NASTY.index('x' * 40_000) + 2}"]) == S.EXCEL_CELL_LIMIT
    assert got[f"P{len(texts) + 2}"] == 12345678901234.0
    for title, width in (("Findings", 9), ("Rejected rows", len(REJECTED_COLUMNS))):
        sheet_root = ET.fromstring(_sheet_xml(data, title))
        assert sheet_root.find(m + "dimension").get("ref") == f"A1:{column_letters(width - 1)}{len(texts) + 1}"
        assert len(list(sheet_root.iter(m + "row"))) == len(texts) + 1


def test_streamed_table_writes_numbers_and_booleans_as_xlsxwriter(monkeypatch):
    """_write_table(stream=True) then _splice_rows against XlsxWriter's own cells, any simple value."""
    import xlsxwriter

    rows = [["a", 1, 0.1, -3.5, True, None, "", 2 ** 53 + 1],
            ["", 1e20, 1.5e-9, -0.0, False, "b", 12345678901234567890, 7.0],
            ["", "", None, "", "", "", "", ""],  # no cell at all: no row element
            [" c ", 0, 100, 3, 4, 5, 6, 1 / 3]]

    def book(stream: bool) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
        ws = wb.add_worksheet("T")
        ws.write_string(0, 10, "beside")  # the sheet's dimension grows from what XlsxWriter wrote
        S.write_table(ws, 0, list("ABCDEFGH"), rows, "T", [10] * 8, stream=stream)
        ws.freeze_panes(1, 0)
        wb.close()
        return W.splice_rows(wb, buf.getvalue())

    streamed, plain = book(True), book(False)
    assert b"inlineStr" in _sheet_xml(streamed, "T") and b"inlineStr" not in _sheet_xml(plain, "T")
    assert _read_back(streamed) == _read_back(plain)
    assert b'<dimension ref="A1:K5"/>' in _sheet_xml(streamed, "T")
    wb = openpyxl.load_workbook(io.BytesIO(streamed))
    assert wb["T"].tables["T"].ref == "A1:H5"
    assert [c.value for c in wb["T"][3]][:8] == [None, 1e20, 1.5e-9, 0, False, "b", 1.234567890123457e19, 7]


def test_streamed_rows_must_be_the_last_of_their_sheet():
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("T")
    S.write_table(ws, 0, ["a", "b"], [["x", 1], ["y", 2], ["z", 3]], "T", [10, 10], stream=True)
    ws.write_string(2, 0, "written where a streamed row goes")
    wb.close()
    with pytest.raises(WorkbookOutputError, match="already has row 3"):
        W.splice_rows(wb, buf.getvalue())


def test_streamed_rows_fall_back_to_xlsxwriter_for_other_values():
    """A date (which needs a number format) cannot be streamed: the table goes through XlsxWriter."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("T")
    S.write_table(ws, 0, ["a", "b"], [["x", dt.datetime(2025, 1, 2)]], "T", [10, 10], stream=True)
    assert getattr(ws, S.STREAMED, None) is None
    wb.close()
    assert W.splice_rows(wb, buf.getvalue()) == buf.getvalue()
    assert openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["T"]["B2"].value == dt.datetime(2025, 1, 2)


def _in_ci() -> bool:
    import os

    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def test_streamed_workbook_opens_in_libreoffice(monkeypatch, plan, tmp_path):
    """LibreOffice opens the spliced file and reads what XlsxWriter's own file holds (and more)."""
    from python_calamine import CalamineWorkbook

    from tests.support import libreoffice as lo

    if lo.find_soffice() is None:
        why = "LibreOffice (soffice) not found"
        if _in_ci():
            pytest.fail(why + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(why)
    texts = NASTY + STREAM_ONLY
    result = nasty_result(plan, texts, extra_rows=2000)
    read = {}
    for stream in (True, False):
        path = tmp_path / f"book_{'streamed' if stream else 'xlsxwriter'}.xlsx"
        path.write_bytes(_build(monkeypatch, result, plan, "en", stream))
        ods = lo.convert(path, "ods", tmp_path / "ods")
        book = CalamineWorkbook.from_path(str(ods))
        read[stream] = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    streamed, plain = read[True], read[False]
    assert list(streamed) == list(plain) == ["Matrix", "Summary", "Returns", "Findings", "Rejected rows"]
    matrix = streamed["Matrix"]
    assert len(matrix) == len(texts) + 2001
    assert matrix[0] == [S.field_header(f, "en") for f in MATRIX_COLUMNS]
    col = MATRIX_COLUMNS.index("activity")
    seen = [row[col] for row in matrix[1:len(texts) + 1]]
    # .ods cannot hold control characters (nor calamine read its tabs); both files lose them alike
    plain_seen = [row[col] for row in plain["Matrix"][1:len(texts) + 1]]
    for i, t in enumerate(texts):
        if t in STREAM_ONLY or not re.search("[\x00-\x1f\ufffe]", t):
            assert seen[i] == S.clip(t), i
        if t not in ("<r>rich?</r>", "<r><t>a</t></r>"):  # XlsxWriter's file loses these
            assert seen[i] == plain_seen[i], i
    assert seen[NASTY.index(FORMULA_TEXT)] == FORMULA_TEXT  # text, not a formula's result
    last = matrix[-1]
    frame = result.matrix
    assert last[MATRIX_COLUMNS.index("ref")] == frame.at[len(frame) - 1, "ref"]
    assert last[MATRIX_COLUMNS.index("source_row")] == frame.at[len(frame) - 1, "source_row"]
    for name in ("Findings", "Rejected rows", "Summary", "Returns"):
        assert len(streamed[name]) == len(plain[name]), name
    assert streamed["Summary"] == plain["Summary"]
