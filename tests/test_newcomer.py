"""Issue 15's whole path, as a newcomer walks it on the command line: export the plan, add a theme
and a Spanish label in Excel, import it, run an Activity Matrix round on filled returns, adopt three
activities for one working group, find them pre-filled with their refs in the next follow-up
templates, and their statuses in the following report."""
from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner
from conftest import read_meta

from rcm_workbooks.cli import cli
from rcm_workbooks.demo.fill import fill_workbook
from rcm_workbooks.intake.adoptbook import read_book
from rcm_workbooks.planbook.sheets import GROUPS, THEMES

SAVED = dt.datetime(2026, 2, 1, 9, 0)


def test_a_newcomer_goes_from_the_plan_to_the_report(tmp_path):
    root = tmp_path / "rcm"

    def rcm(*args, ok=(0,)):
        res = CliRunner().invoke(cli, ["-C", str(root), *map(str, args)])
        assert res.exit_code in ok, (args, res.output)
        return res.output

    CliRunner().invoke(cli, ["init", str(root)])
    # 1. The plan in Excel: a new theme of pillar 2, and the Spanish name of the LABR group changed.
    rcm("plan", "export", tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    themes = wb[THEMES.name]
    for col, value in enumerate(["P2", "T12", "Circular migration", "Migración circular"], 1):
        themes.cell(38, col).value = value
    wb[GROUPS.name]["C5"] = "Migración laboral y movilidad"
    wb.save(tmp_path / "plan.xlsx")
    assert rcm("plan", "import", tmp_path / "plan.xlsx").startswith("templates/plan.yaml is now version 2")

    # 2. The Activity Matrix round: three countries propose for LABR, two of them the new theme.
    rcm("generate", "--form", "activities", "--period", "2026", "--due", "2026-02-15")
    folder = root / "outbox" / "2026" / "templates"
    circular = {"pillar": "P2", "theme": "P2/T12", "expected_results": "Agreement signed\nPilot run",
                "indicators": "Workers moving under the agreement"}
    fill_workbook(folder / "MEX" / "RCM_2026_MEX_LABR_activities.xlsx", root / "inbox" / "MEX.xlsx", [
        {**circular, "pillar": "Integración, migración y su vínculo con el desarrollo", "theme": "Migración circular",
         "activity": "Acuerdo regional de migración circular", "expected_results": "Acuerdo firmado\nPiloto realizado",
         "indicators": "Trabajadores que se movilizan con el acuerdo"},
        {"pillar": "P2", "theme": "P2/T6", "activity": "Remesas e inclusión financiera"}], saved_at=SAVED)
    fill_workbook(folder / "USA" / "RCM_2026_USA_LABR_activities.xlsx", root / "inbox" / "USA.xlsx", [
        {**circular, "activity": "Regional agreement on circular migration"},
        {"pillar": "P2", "theme": "P2/T1", "activity": "Fair recruitment guide"}], saved_at=SAVED)
    fill_workbook(folder / "CAN" / "RCM_2026_CAN_LABR_activities.xlsx", root / "inbox" / "CAN.xlsx", [
        {**circular, "activity": "Regional agreement on circular migration."},
        {"pillar": "P2", "theme": "P2/T1", "activity": "Fair recruitment guide"}], saved_at=SAVED)
    out = rcm("consolidate", "--period", "2026")
    book_path = root / "outbox" / "2026" / "activities_2026.xlsx"
    assert f"wrote {book_path}" in out

    # 3. The Secretariat marks three proposals of LABR and writes the missing translations.
    book = read_book(book_path)
    wb = openpyxl.load_workbook(book_path)
    ws = wb[book.sheet]
    col = {k: c + 1 for k, c in book.columns.items()}
    picks = {"Regional agreement on circular migration": ("Acuerdo regional de migración circular",
                                                          "Acuerdo firmado\nPiloto realizado",
                                                          "Trabajadores que se movilizan con el acuerdo"),
             "Fair recruitment guide": ("Guía de contratación equitativa", "", ""),
             "Remesas e inclusión financiera": ("Remittances and financial inclusion", "", "")}
    for row in book.rows:
        text = row.values["activity_en"] or row.values["activity_es"]
        if text in picks and row.values["country"] in ("United States", "Mexico"):
            ws.cell(row.number, col["adopt"]).value = "x"
            side = "es" if row.values["activity_en"] else "en"
            for key, value in zip(("activity", "results", "indicators"), picks.pop(text)):
                if value:
                    ws.cell(row.number, col[f"{key}_{side}"]).value = value
    wb.save(book_path)
    assert not picks
    out = rcm("plan", "adopt", book_path)
    assert out.startswith("Adopted 3 proposals: templates/plan.yaml is now version 3")
    assert "  LABR: P1 Regional agreement on circular migration, P2 Fair recruitment guide, P3 Remittances" in out

    # 4. The next follow-up templates carry them, with their refs, in every country's language.
    rcm("generate", "--period", "2026-H1", "--due", "2026-07-15")
    h1 = root / "outbox" / "2026-H1" / "templates"
    meta = read_meta(h1 / "GTM" / "RCM_2026-H1_GTM_LABR.xlsx")
    assert [meta[f"ref.{r}"] for r in meta["prefilled_rows"].split(",")] == ["GTM-LABR-P1", "GTM-LABR-P2", "GTM-LABR-P3"]
    matrix = openpyxl.load_workbook(h1 / "GTM" / "RCM_2026-H1_GTM_LABR.xlsx")[meta["matrix_sheet"]]
    assert [matrix[f"{c}6"].value for c in "ABCD"] == [
        "GTM-LABR-P1", "Integración, migración y su vínculo con el desarrollo", "Migración circular",
        "Acuerdo regional de migración circular"]
    assert "Acuerdo firmado\nPiloto realizado" in matrix["E6"].value
    assert matrix["C3"].value == "Migración laboral y movilidad"  # the Spanish name given in Excel
    assert read_meta(h1 / "GTM" / "RCM_2026-H1_GTM_PROT.xlsx")["prefilled_rows"] == ""

    # 5. Two countries report on them; the report says where each stands.
    for country, statuses in (("GTM", ["Cumplido", "En proceso de implementación", "No alcanzado"]),
                              ("USA", ["Completed", "Completed", "In process of being implemented"])):
        path = h1 / country / f"RCM_2026-H1_{country}_LABR.xlsx"
        rows = read_meta(path)["prefilled_rows"].split(",")
        fill_workbook(path, root / "inbox" / "H1" / path.name,
                      [{"row": int(r), "status": s} for r, s in zip(rows, statuses)], saved_at=SAVED)
    out = rcm("consolidate", "--period", "2026-H1", ok=(0, 1))
    assert "4 ignored" not in out and "2026-H1" in out
    rcm("report", "--year", "2026")
    import docx

    doc = docx.Document(root / "outbox" / "report_2026_en.docx")
    heading = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("Priority activities"))
    assert heading > 0
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Priority activity")
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [
        ["LABR-P1", "Regional agreement on circular migration", "2", "0", "0", _others("GTM", "USA")],
        ["LABR-P2", "Fair recruitment guide", "1", "1", "0", _others("GTM", "USA")],
        ["LABR-P3", "Remittances and financial inclusion", "0", "1", "1", _others("GTM", "USA")]]


def _others(*reported: str) -> str:
    from rcm_workbooks.core.plan import DEFAULT_PLAN, load_plan

    return ", ".join(c.code for c in load_plan(DEFAULT_PLAN).countries if c.code not in reported)
