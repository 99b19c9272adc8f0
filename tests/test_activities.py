"""The Activity Matrix (Strategic Plan 3.9): its template, its returns judged, and a round of them
consolidated into the workbook of proposals the Secretariat marks."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl
import pytest
from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

from rcm_workbooks.core.fields import ACTIVITY_FIELDS, PROPOSAL_COLUMNS
from rcm_workbooks.core.plan import Label, parse_plan
from rcm_workbooks.demo.fill import fill_workbook
from rcm_workbooks.intake.adoptbook import read_book
from rcm_workbooks.intake.validate import read_return
from rcm_workbooks.round import consolidate
from rcm_workbooks.template.activities import (ActivitySpec, NotAYear, build_activities, file_name,
                                               generate_activities)
from rcm_workbooks.template.generate import TemplatesExist

YEAR = "2026"
DUE = dt.date(2026, 2, 15)
SAVED = dt.datetime(2026, 2, 1, 10, 0)
OBJECTIVE = Label("Protect migrants in vulnerable situations", "Proteger a las personas migrantes en situación vulnerable")
P3_T8 = {"en": ("Protection, preparedness, assistance and Irregular Migration", "Migrant children and adolescents"),
         "es": ("Protección, preparación, asistencia y migración irregular", "Niñez y adolescencia migrante")}


def priority_plan():
    """The default plan; PROT has an objective and the 2 priority activities of conftest (P1, P2)."""
    p = parse_plan(plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML))
    return dataclasses.replace(p, working_groups=tuple(
        dataclasses.replace(g, objective=OBJECTIVE) if g.code == "PROT" else g for g in p.working_groups))


@pytest.fixture
def pws(workspace):
    """A workspace whose plan is priority_plan()."""
    from rcm_workbooks.core.plan_yaml import dump_plan

    workspace.plan_path.write_text(dump_plan(priority_plan()), encoding="utf-8")
    return workspace


def meta_of(data: bytes) -> dict:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {str(a.value): str(b.value or "") for a, b in wb["_meta"].iter_rows(min_col=1, max_col=2)}


# --- the template -------------------------------------------------------------------------------


def test_the_template_carries_the_objective_and_the_current_priority_activities():
    plan = priority_plan()
    data, meta = build_activities(ActivitySpec(plan, YEAR, plan.group("PROT"), plan.country("GTM"), "es", DUE))
    assert meta_of(data) == meta
    assert meta["form"] == "activities" and meta["schema"] == "rcm-workbooks/1" and meta["proposals"] == "3"
    assert (meta["header_row"], meta["first_row"], meta["last_row"]) == ("6", "7", "11")  # 2 pre-filled + 3 blank
    assert [meta[f"col.{f}"] for f in ACTIVITY_FIELDS] == list("ABCDEFGHI")
    assert meta["prefilled_rows"] == "7,8" and (meta["ref.7"], meta["ref.8"]) == ("GTM-PROT-P1", "GTM-PROT-P2")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Instrucciones", "Matriz de actividades", "_lists", "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden" and wb["_lists"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb["Matriz de actividades"]
    assert ws.protection.sheet
    assert ws["C4"].value == OBJECTIVE.es and ws["C3"].value == "Protección" and ws["F3"].value == "Guatemala"
    assert [ws.cell(6, c).value for c in (1, 2, 5)] == ["Ref.", "Mantener o eliminar ▾", "Actividad propuesta"]
    assert [ws[f"{c}7"].value for c in "ABCDE"] == ["GTM-PROT-P1", "Mantener", *P3_T8["es"],
                                                   "Protocolo regional para niñez migrante no acompañada"]
    assert ws["F7"].value == "Protocolo adoptado por los países miembros"
    assert ws["A7"].protection.locked and not ws["B7"].protection.locked and not ws["E7"].protection.locked
    assert ws["A9"].protection.locked and ws["B9"].protection.locked and not ws["C9"].protection.locked
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["B7:B8"].formula1 == "Decisions" and rules["C7:C11"].formula1 == "Pillars"
    assert rules["D7:D11"].formula1 == 'INDIRECT("_T"&MATCH($C7,Pillars,0))'
    assert all(dv.errorStyle in (None, "stop") for dv in rules.values() if dv.type == "list")
    assert [c.value for c in wb["_lists"]["H"][:3]] == ["Decisions", "Mantener", "Eliminar"]


def test_a_round_of_templates(pws):
    plan = pws.load_plan()
    made = generate_activities(pws, plan, YEAR, due=DUE)
    assert len(made) == 44 and {p.path.name for p in made if p.country == "USA"} == {
        file_name(YEAR, g, "USA") for g in ("PROT", "IRMM", "LABR", "BORD")}
    assert made[0].path.parent == pws.templates_dir(YEAR) / made[0].country
    with pytest.raises(TemplatesExist):
        generate_activities(pws, plan, YEAR, groups=["PROT"], countries=["GTM"])
    with pytest.raises(NotAYear) as info:
        generate_activities(pws, plan, "2026-H1")
    assert info.value.params == {"period": "2026-H1", "year": "2026"}
    rows = generate_activities(pws, plan, YEAR, groups=["IRMM"], countries=["MEX"], rows=5, force=True)
    assert rows[0].replaced and rows[0].meta["last_row"] == str(6 + 5) and rows[0].meta["prefilled_rows"] == ""


# --- returns judged -------------------------------------------------------------------------------


def one_template(ws, group="PROT", country="GTM"):
    (made,) = generate_activities(ws, ws.load_plan(), YEAR, groups=[group], countries=[country], due=DUE, force=True)
    return made


def test_proposals_are_read_keep_change_drop_and_new(pws, tmp_path):
    made = one_template(pws)
    filled = tmp_path / "GTM.xlsx"
    fill_workbook(made.path, filled, [
        {"row": 8, "indicators": "Funcionarios capacitados\nProtocolos firmados"},  # P2 changed
        {"pillar": P3_T8["es"][0], "theme": P3_T8["es"][1], "activity": "Red regional de albergues",
         "expected_results": "Red creada\nAlbergues certificados", "responsible": "Países Miembros de la CRM"},
        {"pillar": "Gobernanza migratoria", "theme": "Niñez y adolescencia migrante", "activity": "Otra"},
        {"pillar": "Gobernanza migratoria", "theme": "Retorno"},  # no description
    ], saved_at=SAVED)
    ret = read_return(filled, "GTM.xlsx", pws.load_plan(), period=YEAR)
    assert ret.form == "activities" and ret.verdict == "accepted", [f.render() for f in ret.all_findings()]
    decisions = [(r.number, r.codes["decision"], r.accepted) for r in ret.rows]
    assert decisions == [(7, "keep", True), (8, "change", True), (9, "new", True), (10, "new", False),
                         (11, "new", False)]
    new = ret.rows[2]
    assert (new.codes["pillar"], new.codes["theme"], new.codes["responsible"]) == ("P3", "T8", "MC")
    assert new.values["expected_results"] == "Red creada\nAlbergues certificados"
    assert {(f.code, f.cell) for f in ret.rows[3].findings} == {("theme-other-pillar", "D10")}
    assert {(f.code, f.cell) for f in ret.rows[4].findings} == {("required-missing", "E11")}


def test_a_dropped_or_emptied_priority_activity_is_a_drop(pws, tmp_path):
    made = one_template(pws)
    filled = tmp_path / "GTM.xlsx"
    emptied = {f: "" for f in ACTIVITY_FIELDS if f not in ("ref", "decision")}
    fill_workbook(made.path, filled, [{"row": 7, "decision": "Eliminar"}, {"row": 8, **emptied, "ref": "GTM-PROT-P9"}],
                  saved_at=SAVED)
    ret = read_return(filled, "GTM.xlsx", pws.load_plan(), period=YEAR)
    assert [(r.values["ref"], r.codes["decision"], r.accepted) for r in ret.rows] == [
        ("GTM-PROT-P1", "drop", True), ("GTM-PROT-P2", "drop", True)]
    assert [f.code for f in ret.rows[1].findings] == ["ref-changed"]
    bad = tmp_path / "bad.xlsx"
    fill_workbook(made.path, bad, [{"row": 7, "decision": "Quizás"}], saved_at=SAVED)
    (row, _) = read_return(bad, "bad.xlsx", pws.load_plan(), period=YEAR).rows
    assert [(f.code, f.cell) for f in row.findings] == [("value-not-in-list", "B7")] and not row.accepted


# --- a round consolidated ---------------------------------------------------------------------------


def proposals_round(ws):
    """Four countries propose for PROT: three the same activity (one in other words' case and with a
    full stop), one in Spanish; GTM also a new, unique one with a mistake."""
    made = {g.country: g for g in generate_activities(ws, ws.load_plan(), YEAR, groups=["PROT"], due=DUE,
                                                      countries=["USA", "CAN", "BLZ", "GTM", "MEX"])}
    shared = {"pillar": "P3", "theme": "P3/T2", "activity": "Regional workshop on consular protection",
              "expected_results": "Consular staff trained", "indicators": "Officials trained"}
    fill_workbook(made["USA"].path, ws.inbox / "USA.xlsx", [shared], saved_at=SAVED)
    fill_workbook(made["CAN"].path, ws.inbox / "CAN.xlsx", [
        {**shared, "activity": "Regional workshop on consular PROTECTION."}, {"row": 7, "decision": "Drop"}],
        saved_at=SAVED)
    fill_workbook(made["BLZ"].path, ws.inbox / "BLZ.xlsx", [shared], saved_at=SAVED)
    fill_workbook(made["GTM"].path, ws.inbox / "GTM.xlsx", [
        {"pillar": "P3", "theme": "P3/T2", "activity": "Taller regional sobre protección consular"},
        {"pillar": "P1", "theme": "Retorno", "activity": "Guía de retorno"},
        {"pillar": "P1", "theme": "Apatridia", "activity": "Mal tema"}], saved_at=SAVED)
    return made


def test_a_round_of_proposals_is_counted_together_and_nothing_is_lost(pws):
    proposals_round(pws)
    result = consolidate(pws, pws.load_plan(), period=YEAR)
    assert set(result.proposals) == {YEAR} and result.periods == {}
    assert result.exit_code == 1 and result.rows_rejected == 1  # GTM's theme of another pillar
    pr = result.proposals[YEAR]
    assert pr.proposals.columns == PROPOSAL_COLUMNS
    rows = list(pr.proposals.dicts())
    by = {(r["country"], r["activity"][:14], r["decision"]): (r["cluster"], r["countries"]) for r in rows}
    # P1 and P2 kept by everyone but CAN, who dropped P1: each ref is one activity.
    assert by[("USA", "Regional proto", "keep")] == by[("BLZ", "Regional proto", "keep")]
    assert by[("CAN", "Regional proto", "drop")] == by[("USA", "Regional proto", "keep")]
    assert by[("USA", "Regional proto", "keep")][1] == 3  # USA, BLZ, GTM keep P1; CAN drops it
    shared = {by[(c, "Regional works", "new")] for c in ("USA", "CAN", "BLZ")}
    assert len(shared) == 1 and next(iter(shared))[1] == 3
    assert by[("GTM", "Taller regiona", "new")] != next(iter(shared))  # other words: another activity
    assert [r["cluster"] for r in rows][:1] == ["PROT-1"] and len({r["cluster"] for r in rows}) == 5
    # Nothing lost: every non-empty proposal is accepted or in the rejected rows, with its reason.
    assert len(rows) + len(pr.rejected) == 4 * 2 + 3 + 3  # 2 pre-filled rows each, 3 + 3 new ones
    (bad,) = pr.rejected.dicts()
    assert bad["country"] == "GTM" and bad["activity"] == "Mal tema" and bad["codes"] == "theme-other-pillar"
    book = pws.period_dir(YEAR) / f"activities_{YEAR}.xlsx"
    assert book in result.outputs and not (pws.period_dir(YEAR) / f"consolidated_{YEAR}.xlsx").exists()
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Proposals", "Returns", "Findings", "Rejected proposals", "_proposals"]
    assert wb["_proposals"].sheet_state == "veryHidden"


def test_the_workbook_of_proposals_keeps_the_marks_of_the_secretariat(pws):
    proposals_round(pws)
    consolidate(pws, pws.load_plan(), period=YEAR)
    path = pws.period_dir(YEAR) / f"activities_{YEAR}.xlsx"
    book = read_book(path)
    assert book.meta["period"] == YEAR and book.meta["plan_id"] == pws.load_plan().id
    first = book.rows[0]
    # The most proposed first: P2, which all four keep, as the plan words it in both languages.
    assert first.values["working_group"] == "Protection" and first.values["ref"] == "P2"
    assert first.values["activity_en"].startswith("Joint training") and first.values["activity_es"]
    spanish = next(r for r in book.rows if r.values["country"] == "Guatemala" and r.values["decision"] == "new")
    assert spanish.values["activity_es"] and not spanish.values["activity_en"]  # for the Secretariat to write
    wb = openpyxl.load_workbook(path)
    ws = wb[book.sheet]
    ws.cell(spanish.number, book.columns["adopt"] + 1).value = "x"
    ws.cell(spanish.number, book.columns["activity_en"] + 1).value = "Regional workshop (translated)"
    wb.save(path)
    consolidate(pws, pws.load_plan(), period=YEAR)  # again: a return was re-sent, say
    again = {r.values["key"]: r.values for r in read_book(path).rows}
    kept = again[spanish.values["key"]]
    assert kept["adopt"] == "x" and kept["activity_en"] == "Regional workshop (translated)"
    assert sum(1 for v in again.values() if v["adopt"]) == 1


def test_the_workbook_of_proposals_prints_on_pages_one_wide_with_whole_texts(pws):
    """Landscape, one page wide, the headings on every page, a footer; the tracing columns left
    off the page; rows and the note as tall as their wrapped texts; numbers centred."""
    from rcm_workbooks.core.fields import PROPOSALS_BOOK
    from rcm_workbooks.outputs.activities import WIDTHS
    from rcm_workbooks.outputs.sheets import capacity

    proposals_round(pws)
    consolidate(pws, pws.load_plan(), period=YEAR)
    path = pws.period_dir(YEAR) / f"activities_{YEAR}.xlsx"
    book = read_book(path)
    ws = openpyxl.load_workbook(path)[book.sheet]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)  # 1: the default
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    header = min(r.number for r in book.rows) - 1
    assert ws.print_title_rows == f"${header}:${header}"
    deadline = chr(ord("A") + PROPOSALS_BOOK.index("deadline"))  # source file, row and key: not printed
    assert ws.print_area == f"'{book.sheet}'!$A$1:${deadline}${ws.max_row}"
    assert "&P" in ws.oddFooter.right.text and ws.oddFooter.left.text
    # The note above the table is tall enough for its text wrapped across the merged columns.
    merged = sum(WIDTHS[k] for k in PROPOSALS_BOOK[:10])
    note = ws.cell(2, 1).value
    assert ws.row_dimensions[2].height >= 15 * -(-len(note) // capacity(merged))
    for r in book.rows:  # every text whole: each row at least as tall as its longest text needs
        for key in ("pillar", "theme", "activity_en", "activity_es", "results_en", "indicators_es"):
            width = WIDTHS[key]
            lines = sum(-(-max(1, len(line)) // capacity(width)) for line in r.values[key].split("\n"))
            assert (ws.row_dimensions[r.number].height or 15) >= 15 * lines, (r.number, key)
    count = ws.cell(book.rows[0].number, book.columns["countries"] + 1)
    assert count.alignment.horizontal == "center" and count.border.left.style == "thin"
    assert ws.cell(header, 1).fill.fgColor.rgb.endswith("1F3864")


def test_the_inbox_of_a_later_round_sets_the_proposals_aside(pws):
    from rcm_workbooks.template.generate import generate

    proposals_round(pws)
    consolidate(pws, pws.load_plan(), period=YEAR)
    (made,) = generate(pws, pws.load_plan(), "2026-H1", groups=["PROT"], countries=["USA"])
    fill_workbook(made.path, pws.inbox / "H1" / made.path.name, [{"row": 6, "status": "Completed"}])
    result = consolidate(pws, pws.load_plan(), period="2026-H1")
    verdicts = {r.name: r.verdict for r in result.files}
    assert {verdicts[n] for n in ("USA.xlsx", "CAN.xlsx", "BLZ.xlsx", "GTM.xlsx")} == {"ignored"}
    assert result.proposals == {} and set(result.periods) == {"2026-H1"}
    assert list(result.periods["2026-H1"].matrix["ref"]) == ["USA-PROT-P1", "USA-PROT-P2"]


# --- the workbook checks itself (template/selfcheck.py, over the Activity Matrix's columns) --------


def test_the_template_carries_the_check_column():
    plan = priority_plan()
    data, meta = build_activities(ActivitySpec(plan, YEAR, plan.group("PROT"), plan.country("GTM"), "es", DUE))
    assert (meta["col.check"], meta["check_cell"]) == ("J", "F1")
    ws = openpyxl.load_workbook(io.BytesIO(data))["Matriz de actividades"]
    assert ws["J6"].value == "Revisión" and ws["J7"].value == "=_CK_check" and ws["J11"].value == "=_CK_check"
    assert ws["F1"].value.startswith("=IF(")
    from rcm_workbooks.template import selfcheck
    from rcm_workbooks.template.activities import CHECKED

    sp = selfcheck.spellings(plan, CHECKED)
    assert selfcheck.evaluate({"decision": "Mantener", "pillar": "p3", "theme": "p3/t8", "activity": "x"}, sp, "es",
                              CHECKED) == "OK"
    assert selfcheck.evaluate({"decision": "Quizás", "pillar": "P3", "theme": "P1/T6"}, sp, "en", CHECKED) == (
        "Missing: Proposed activity; Value outside the list: Keep or drop; The theme does not belong to the pillar")
    assert selfcheck.evaluate({"decision": "", "expected_results": "  "}, sp, "en", CHECKED) == ""


def test_libreoffice_shows_the_check_as_the_consolidator_judges(pws, tmp_path):
    import os

    from tests.support import libreoffice as lo

    if not lo.available():
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("LibreOffice not usable (CI is set, so this is a failure, not a skip)")
        pytest.skip("LibreOffice not usable")
    made = one_template(pws)
    sheet = made.meta["matrix_sheet"]
    rows = {7: {"decision": "Eliminar"}, 8: {"decision": "Quizás"},
            9: {"pillar": P3_T8["es"][0], "theme": P3_T8["es"][1], "activity": "Red de albergues",
                "expected_results": "Red creada\nAlbergues certificados"},
            10: {"pillar": "Gobernanza migratoria", "theme": "Niñez y adolescencia migrante", "activity": "Otra"},
            11: {"pillar": "Gobernanza migratoria", "theme": "Retorno"}}
    edits = [{"sheet": sheet, "cell": f"{made.meta['col.' + f]}{r}", "value": v}
             for r, values in rows.items() for f, v in values.items()]
    (out,) = lo.fill(made.path, edits, [tmp_path / "typed.xlsx"], timeout=240, calculate=False)
    ws = openpyxl.load_workbook(out, data_only=True)[sheet]
    checks = {r: ws[f"J{r}"].value or "" for r in range(7, 12)}
    assert checks == {7: "OK", 8: "Valor fuera de la lista: Mantener o eliminar", 9: "OK",
                      10: "El tema no corresponde al pilar", 11: "Falta: Actividad propuesta"}
    assert ws["F1"].value == "3 filas requieren atención (vea la columna J)"
    ret = read_return(out, "typed.xlsx", pws.load_plan(), period=YEAR)
    judged = {r.number: sorted({f.code for f in r.findings if f.severity.value == "error"}) for r in ret.rows}
    assert judged == {7: [], 8: ["value-not-in-list"], 9: [], 10: ["theme-other-pillar"], 11: ["required-missing"]}
    assert not [f for f in ret.all_findings() if f.code in ("column-outside-range", "cell-formula")]
