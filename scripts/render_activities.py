#!/usr/bin/env python3
"""Render the pictures of the Activity Matrix (docs/img/) from the current templates and outputs.

    python3 scripts/render_activities.py [--out docs/img]

In a temporary workspace (nothing in your own workspace is touched):

1. gives the Protection working group a specific objective and two priority activities, as if
   adopted the year before, and generates its Activity Matrix for the United States (English)
   and Guatemala (Spanish);
2. has LibreOffice Calc fill each as a focal point would (one current activity dropped, two new
   proposals, several expected results one per line) and print it to PDF;
3. consolidates the two returns and prints the workbook of proposals, an activity marked to adopt;
4. turns the parts that matter into PNGs with pdftoppm: {en,es}-activities.png, en-proposals.png.

Needs what scripts/render_guide.py needs: LibreOffice Calc with python3-uno, and poppler-utils.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from render_guide import find_page, png  # noqa: E402

from rcm_workbooks.core.plan import Label, PriorityActivity  # noqa: E402
from rcm_workbooks.core.plan_yaml import dump_plan  # noqa: E402
from rcm_workbooks.round import consolidate  # noqa: E402
from rcm_workbooks.template.activities import COLUMNS, generate_activities  # noqa: E402
from rcm_workbooks.workspace import init_workspace  # noqa: E402
from tests.support import libreoffice as lo  # noqa: E402
from tests.support.workbooks import dropdowns  # noqa: E402

YEAR, GROUP, COUNTRIES = "2026", "PROT", {"USA": "en", "GTM": "es"}
DUE = dt.date(2026, 2, 15)
OBJECTIVE = Label("Strengthen the protection of migrants in vulnerable situations across the region",
                  "Fortalecer la protección de las personas migrantes en situación de vulnerabilidad en la región")
ACTIVITIES = (
    PriorityActivity("P3", "T8", Label("Regional protocol for unaccompanied migrant children",
                                       "Protocolo regional para niñez migrante no acompañada"),
                     Label("Protocol adopted by the member countries\nReferral routes agreed",
                           "Protocolo adoptado por los países miembros\nRutas de referencia acordadas"),
                     Label("Countries applying the protocol", "Países que aplican el protocolo"), "P1", "MC", "Y2"),
    PriorityActivity("P1", "T6", Label("Joint training on identifying victims of trafficking",
                                       "Capacitación conjunta sobre identificación de víctimas de trata"),
                     Label("Border officials trained", "Funcionarios de frontera capacitados"),
                     Label("Officials trained (target: 200)", "Funcionarios capacitados (meta: 200)"), "P2", "MC", "Y1"),
)
NEW = {
    "en": [("Regional guide on consular protection of migrants in transit",
            "Guide published\nConsular staff of every member country trained", "Consulates applying the guide"),
           ("Early-warning system for large movements of migrants", "System agreed\nFirst alerts shared",
            "Alerts shared between countries")],
    "es": [("Guía regional de protección consular de personas migrantes en tránsito",
            "Guía publicada\nPersonal consular de todos los países miembros capacitado",
            "Consulados que aplican la guía"),
           ("Sistema de alerta temprana ante movimientos masivos de personas migrantes",
            "Sistema acordado\nPrimeras alertas compartidas", "Alertas compartidas entre países")],
}
# The matrix printed fit to the page width: cut to its title block and rows.
MATRIX_BOX, MATRIX_DPI = (0.02, 0.04, 0.98, 0.4), 130
PROPOSALS_BOX, PROPOSALS_DPI = (0.03, 0.06, 0.98, 0.47), 120
HIDDEN = ("results_en", "results_es", "indicators_en", "indicators_es", "responsible", "deadline", "source_file",
          "row", "key")


def proposals(lists: dict, lang: str, sheet: str, first: int) -> list[tuple]:
    """The focal point's edits: the second current activity dropped, two new proposals below."""
    drop = lists["Decisions"][1]
    edits = [(sheet, f"{COLUMNS['decision']}{first + 1}", drop)]
    picks = [(lists["Pillars"][2], lists["_T3"][1]), (lists["Pillars"][2], lists["_T3"][9])]
    for i, ((pillar, theme), (activity, results, indicators)) in enumerate(zip(picks, NEW[lang])):
        r = first + len(ACTIVITIES) + i
        for f, v in (("pillar", pillar), ("theme", theme), ("activity", activity), ("expected_results", results),
                     ("indicators", indicators), ("responsible", lists["Responsible"][0]),
                     ("deadline", lists["Deadlines"][1])):
            edits.append((sheet, f"{COLUMNS[f]}{r}", v))
    return edits


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="where the PNGs go")
    args = ap.parse_args(argv)
    if not lo.available() or shutil.which("pdftoppm") is None:
        print("render_activities: needs LibreOffice Calc with python3-uno and poppler-utils", file=sys.stderr)
        return 2
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="rcm-activities-") as tmp:
        tmp = Path(tmp)
        ws = init_workspace(tmp / "ws")
        plan = ws.load_plan()
        plan = dataclasses.replace(plan, working_groups=tuple(
            dataclasses.replace(g, objective=OBJECTIVE, priority_activities=ACTIVITIES) if g.code == GROUP else g
            for g in plan.working_groups))
        ws.plan_path.write_text(dump_plan(plan), encoding="utf-8")
        made = generate_activities(ws, plan, YEAR, groups=[GROUP], countries=list(COUNTRIES), due=DUE)
        for g in made:
            sheet, first = g.meta["matrix_sheet"], int(g.meta["first_row"])
            edits = proposals(dropdowns(g.path), g.language, sheet, first)
            _, pdf = lo.fill(g.path, edits, [ws.inbox / g.path.name, tmp / f"{g.language}.pdf"])
            page = find_page(pdf, "Activity Matrix: proposed", "Matriz de Actividades: actividades")
            written.append(png(pdf, page, args.out / f"{g.language}-activities.png", MATRIX_DPI, MATRIX_BOX))
        consolidate(ws, ws.load_plan(), period=YEAR)
        written.append(_proposals_picture(ws.period_dir(YEAR) / f"activities_{YEAR}.xlsx", tmp, args.out))
    for p in written:
        print(f"{p.relative_to(REPO) if p.is_relative_to(REPO) else p}  {p.stat().st_size / 1024:.0f} KB")
    return 0


def _proposals_picture(book: Path, tmp: Path, out: Path) -> Path:
    """The Proposals sheet as the Secretariat marks it, a few columns hidden to fit the page."""
    import openpyxl

    from rcm_workbooks.intake.adoptbook import read_book

    found = read_book(book)
    wb = openpyxl.load_workbook(book)
    ws = wb[found.sheet]
    row = next(r for r in found.rows if r.values["decision"] == "new" and r.values["activity_en"])
    ws.cell(row.number, found.columns["adopt"] + 1).value = "x"
    ws.cell(row.number, found.columns["activity_es"] + 1).value = "Guía regional de protección consular"
    hidden = {found.columns[key] + 1 for key in HIDDEN}
    widths = {}
    for dim in list(ws.column_dimensions.values()):  # openpyxl keeps ranges of columns: one each
        for c in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            widths[c] = dim.width
    ws.column_dimensions.clear()
    for c, width in widths.items():
        dim = ws.column_dimensions[openpyxl.utils.get_column_letter(c)]
        dim.width, dim.hidden = width, c in hidden
    for other in wb.sheetnames[1:]:
        wb[other].sheet_state = "hidden"
    ws.page_setup.fitToWidth, ws.sheet_properties.pageSetUpPr.fitToPage = 1, True
    ws.page_setup.fitToHeight = 0
    marked = tmp / "proposals.xlsx"
    wb.save(marked)
    pdf = lo.convert(marked, "pdf", tmp / "proposals")
    return png(pdf, 1, out / "en-proposals.png", PROPOSALS_DPI, PROPOSALS_BOX)


if __name__ == "__main__":
    sys.exit(main())
