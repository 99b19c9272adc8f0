#!/usr/bin/env python3
"""Render the pictures of the focal-point guides (docs/img/) from the current templates.

    python3 scripts/render_guide.py [--out docs/img] [--resolution 70]

What it does, in a temporary workspace (nothing in your own workspace is touched):

1. generates the Protection templates of the United States (English) and Guatemala (Spanish)
   with the project's own generator (the default plan, the current half-year);
2. types a few rows into each with LibreOffice Calc, as a person would (tests.support.libreoffice),
   and has LibreOffice print the workbook to PDF (the banner says the workbook is ready to send);
3. fills a second copy with typical mistakes and prints it as LibreOffice shows it while typing:
   the workbook's own check marks the cells at fault, says what is wrong in its column, and the
   banner counts the rows that need attention;
4. sends that copy back, runs `consolidate`, and has LibreOffice print the feedback copy it
   writes (its Corrections sheet and the marked matrix) to PDF;
5. turns the pages that matter into small PNGs with pdftoppm and writes them to --out.

Needs LibreOffice Calc with python3-uno, and poppler-utils (pdftoppm, pdftotext); on Debian:
    apt install libreoffice-calc python3-uno poppler-utils
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rcm_workbooks.core.fields import FIELDS  # noqa: E402
from rcm_workbooks.round import consolidate  # noqa: E402
from rcm_workbooks.template.generate import generate  # noqa: E402
from rcm_workbooks.workspace import init_workspace  # noqa: E402
from tests.support import libreoffice as lo  # noqa: E402
from tests.support.workbooks import dropdowns  # noqa: E402

# The current half-year, due a month after it ends: a return saved today is never late, so the
# feedback pictures show only the mistakes made on purpose below.
TODAY = dt.date.today()
PERIOD = f"{TODAY.year}-H{1 if TODAY.month <= 6 else 2}"
DUE = dt.date(TODAY.year, 7, 31) if TODAY.month <= 6 else dt.date(TODAY.year + 1, 1, 31)
GROUP = "PROT"
COUNTRIES = {"USA": "en", "GTM": "es"}
COL = {f: chr(ord("A") + i) for i, f in enumerate(FIELDS)}

TEXTS = {
    "en": [
        ("Training of border officials on identifying victims of trafficking",
         "Officials trained (target: 120)", "National Migration Institute",
         "Two workshops held in March and May; 85 officials trained.", "Third workshop in September."),
        ("Protocol for the care of unaccompanied migrant children",
         "Protocol adopted", "Ministry of Social Development",
         "Draft reviewed with the child protection agency.", "Adoption by the end of the year."),
        ("Information campaign on safe and regular migration",
         "People reached", "Communications office", "", ""),
    ],
    "es": [
        ("Capacitación de funcionarios de frontera en identificación de víctimas de trata",
         "Funcionarios capacitados (meta: 120)", "Instituto Guatemalteco de Migración",
         "Dos talleres en marzo y mayo; 85 funcionarios capacitados.", "Tercer taller en septiembre."),
        ("Protocolo de atención a niñez migrante no acompañada",
         "Protocolo adoptado", "Secretaría de Bienestar Social",
         "Borrador revisado con la Procuraduría de la Niñez.", "Adopción antes de fin de año."),
        ("Campaña de información sobre migración segura y regular",
         "Personas alcanzadas", "Oficina de comunicación", "", ""),
    ],
}


def good_rows(lists: dict, lang: str) -> dict[int, dict]:
    p, st, resp, dl = lists["Pillars"], lists["Statuses"], lists["Responsible"], lists["Deadlines"]
    picks = [(p[0], lists["_T1"][5], resp[0], dl[0], st[1]),
             (p[2], lists["_T3"][7], resp[0], dl[1], st[1]),
             (p[0], lists["_T1"][3], resp[6], dl[0], st[0])]
    rows = {}
    for i, ((pillar, theme, who, deadline, status), texts) in enumerate(zip(picks, TEXTS[lang])):
        activity, indicators, measured_by, progress, next_steps = texts
        rows[6 + i] = {"pillar": pillar, "theme": theme, "activity": activity, "indicators": indicators,
                       "measured_by": measured_by, "responsible": who, "deadline": deadline,
                       "status": status, "progress": progress, "next_steps": next_steps}
    return rows


def mistaken_rows(lists: dict, lang: str) -> dict[int, dict]:
    rows = good_rows(lists, lang)
    rows[6]["status"] = "done" if lang == "en" else "listo"          # typed, not picked
    rows[7]["theme"] = lists["_T1"][0]                                # a theme of another pillar
    rows[8]["activity"] = ""                                          # a required cell left empty
    rows[8]["indicators"] = {"formula": "=100+20"}                    # a formula pasted into text
    return rows


def edits(sheet: str, rows: dict[int, dict]) -> list[tuple]:
    out = []
    for r, values in rows.items():
        for f, v in values.items():
            if isinstance(v, dict):
                out.append((sheet, f"{COL[f]}{r}", v["formula"], "formula"))
            elif v != "":
                out.append((sheet, f"{COL[f]}{r}", v))
    return out


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8", "replace")
    return out.split("\f")


def find_page(pdf: Path, *needles: str) -> int:
    """1-based number of the first page holding any of the needles."""
    for i, text in enumerate(page_texts(pdf), 1):
        if any(n in text for n in needles):
            return i
    raise SystemExit(f"render_guide: none of {needles} found in {pdf.name}")


def png(pdf: Path, page: int, target: Path, resolution: int,
        box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)) -> Path:
    """Page `page` of `pdf` as a PNG, cut to `box` = (left, top, right, bottom) page fractions."""
    args = ["pdftoppm", "-png", "-singlefile", "-r", str(resolution), "-f", str(page), "-l", str(page)]
    if box != (0.0, 0.0, 1.0, 1.0):
        info = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)], check=True,
                              capture_output=True, text=True).stdout
        line = next(x for x in info.splitlines() if x.startswith("Page") and "size:" in x)
        w_pt, h_pt = (float(v) for v in line.split(":", 1)[1].split("pts")[0].split(" x "))
        w_px, h_px = w_pt * resolution / 72, h_pt * resolution / 72
        left, top, right, bottom = box
        args += ["-x", str(round(left * w_px)), "-y", str(round(top * h_px)),
                 "-W", str(round((right - left) * w_px)), "-H", str(round((bottom - top) * h_px))]
    subprocess.run(args + [str(pdf), str(target.with_suffix(""))], check=True)
    return target


# The matrix is printed fit to the page width, so its text is small: that picture is cut to the
# columns from Ref. to Status and rendered at a higher resolution to stay readable.
MATRIX_BOX, MATRIX_DPI = (0.03, 0.05, 0.675, 0.31), 150
CELLS_BOX = (0.03, 0.05, 0.675, 0.2)  # the cells at fault of the first rows
# The right part of the same page: the banner (E1:G1) and the columns up to the check column M.
CHECK_BOX = (0.315, 0.05, 0.955, 0.2)
CORRECTIONS_BOX = (0.05, 0.1, 0.97, 0.52)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="where the PNGs go")
    ap.add_argument("--resolution", type=int, default=70, help="dots per inch (60-80 keeps files small)")
    ap.add_argument("--keep", type=Path, help="also keep the PDFs and workbooks in this folder")
    args = ap.parse_args(argv)
    missing = [t for t in ("pdftoppm", "pdftotext", "pdfinfo") if shutil.which(t) is None]
    if not lo.available() or missing:
        print("render_guide: needs LibreOffice Calc with python3-uno and poppler-utils "
              f"(missing: {', '.join(missing) or 'LibreOffice/python3-uno'}); on Debian: "
              "apt install libreoffice-calc python3-uno poppler-utils", file=sys.stderr)
        return 2
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")  # same template ids on every run
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="rcm-guide-") as tmp:
        tmp = Path(tmp)
        ws = init_workspace(tmp / "ws")
        plan = ws.load_plan()
        made = generate(ws, plan, PERIOD, groups=[GROUP], countries=list(COUNTRIES), due=DUE)
        for g in made:
            lang, sheet = g.language, g.meta["matrix_sheet"]
            lists = dropdowns(g.path)
            # a correctly filled workbook, printed by LibreOffice
            xlsx, pdf = lo.fill(g.path, edits(sheet, good_rows(lists, lang)),
                                [tmp / lang / f"filled-{lang}.xlsx", tmp / lang / f"filled-{lang}.pdf"])
            instructions = find_page(pdf, "How to fill in", "Cómo completar")
            matrix = find_page(pdf, "Fill in the white cells", "Complete solo las celdas")
            written.append(png(pdf, instructions, args.out / f"{lang}-instructions.png", args.resolution))
            written.append(png(pdf, matrix, args.out / f"{lang}-matrix.png", MATRIX_DPI, MATRIX_BOX))
            # the same workbook with mistakes, as the check shows them while typing; then sent back
            _, pdf = lo.fill(g.path, edits(sheet, mistaken_rows(lists, lang)),
                             [ws.inbox / f"{g.path.stem}-{lang}.xlsx", tmp / lang / f"mistaken-{lang}.pdf"])
            matrix = find_page(pdf, "Fill in the white cells", "Complete solo las celdas")
            written.append(png(pdf, matrix, args.out / f"{lang}-check-cells.png", MATRIX_DPI, CELLS_BOX))
            written.append(png(pdf, matrix, args.out / f"{lang}-check.png", MATRIX_DPI, CHECK_BOX))
        consolidate(ws, plan, period=PERIOD)
        feedback = sorted((ws.outbox / PERIOD / "feedback").rglob("*.xlsx"))
        if len(feedback) != len(made):
            raise SystemExit(f"render_guide: expected {len(made)} feedback copies, got {feedback}")
        for copy in feedback:
            lang = "es" if copy.parent.name == "GTM" else "en"
            pdf = lo.convert(copy, "pdf", tmp / "feedback" / lang)
            corrections = find_page(pdf, "Corrections", "Correcciones")
            marked = find_page(pdf, "Fill in the white cells", "Complete solo las celdas")
            written.append(png(pdf, corrections, args.out / f"{lang}-feedback-corrections.png",
                               args.resolution + 20, CORRECTIONS_BOX))
            written.append(png(pdf, marked, args.out / f"{lang}-feedback-matrix.png", MATRIX_DPI,
                               MATRIX_BOX))
        if args.keep:
            shutil.copytree(tmp, args.keep, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("registry.sqlite*"))
    total = sum(p.stat().st_size for p in written)
    for p in written:
        print(f"{p.relative_to(REPO) if p.is_relative_to(REPO) else p}  {p.stat().st_size / 1024:.0f} KB")
    print(f"{len(written)} pictures, {total / 1024:.0f} KB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
