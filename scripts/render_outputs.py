#!/usr/bin/env python3
"""Render what the Secretariat and the focal points receive, page by page, as LibreOffice prints it.

    python3 scripts/render_outputs.py [--out DIR] [--resolution 60] [--max-pages N] [--keep DIR]

What it does, in a temporary folder (nothing in your own workspace is touched):

1. runs `rcm demo` (two rounds: 2025-H1 and 2025-H2, with the annual report), then
   `rcm report --lang es` and `rcm consolidate --period 2025-H2 --lang es` into a side folder,
   through the command line, as a user would;
2. picks the files people open: the consolidated workbooks (English, both periods; Spanish,
   2025-H2), a template in English and one in Spanish, a feedback copy in each language, and the
   report in English and in Spanish;
3. has LibreOffice (headless, with a private profile) print each to PDF: a workbook prints every
   visible sheet, in sheet order, with its own page setup;
4. turns every page into a PNG with pdftoppm: DIR/<name>/page-001.png, ...; and prints how many
   pages each PDF has and on which page each sheet of a workbook begins.

--out defaults to a new temporary folder (the pictures in docs/ are chosen by hand from it).
Needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdfinfo, pdftotext); on Debian:
    apt install libreoffice-calc libreoffice-writer poppler-utils
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support import libreoffice as lo  # noqa: E402

FIRST, SECOND, YEAR = "2025-H1", "2025-H2", "2025"
# Countries whose workbooks are in English and in Spanish in the default plan.
ENGLISH, SPANISH = ("USA", "CAN", "BLZ"), ("MEX", "GTM", "SLV", "HND", "NIC", "CRI", "PAN", "DOM")
TOOLS = ("soffice", "pdftoppm", "pdfinfo", "pdftotext")


def rcm(*args: str, cwd: Path) -> str:
    """`rcm ARGS` from this checkout (python -m, so it works whatever the modules are called)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "rcm_workbooks", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: some return was rejected, as in the demo
        raise SystemExit(f"render_outputs: rcm {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def first(paths, countries) -> Path | None:
    """The first of `paths` whose folder is one of `countries` (in that order of preference)."""
    paths = sorted(paths)
    for c in countries:
        for p in paths:
            if p.parent.name == c:
                return p
    return None


def demo_files(tmp: Path) -> dict[str, Path]:
    """Run the demo round and the Spanish outputs; return {picture name: file to render}."""
    ws = tmp / "demo"
    rcm("demo", str(ws), cwd=tmp)
    outbox = ws / "outbox"
    rcm("-C", str(ws), "report", "--year", YEAR, "--lang", "es", "--out", str(outbox / f"report_{YEAR}_es.docx"),
        cwd=tmp)
    es_out = tmp / "outbox-es"
    es_out.mkdir()
    rcm("-C", str(ws), "consolidate", "--period", SECOND, "--lang", "es", "--out", str(es_out), cwd=tmp)
    templates = list((outbox / FIRST / "templates").rglob("*.xlsx"))
    feedback = list((outbox / FIRST / "feedback").rglob("*.xlsx"))
    picks = {
        f"consolidated-{FIRST}-en": outbox / FIRST / f"consolidated_{FIRST}.xlsx",
        f"consolidated-{SECOND}-en": outbox / SECOND / f"consolidated_{SECOND}.xlsx",
        f"consolidated-{SECOND}-es": es_out / SECOND / f"consolidated_{SECOND}.xlsx",
        "template-en": first(templates, ENGLISH),
        "template-es": first(templates, SPANISH),
        "feedback-en": first(feedback, ENGLISH),
        "feedback-es": first(feedback, SPANISH),
        "report-en": outbox / f"report_{YEAR}_en.docx",
        "report-es": outbox / f"report_{YEAR}_es.docx",
    }
    missing = [k for k, p in picks.items() if p is None or not p.is_file()]
    if missing:
        raise SystemExit(f"render_outputs: the demo did not write {', '.join(missing)}")
    return picks


def to_pdf(files: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Every file printed to PDF by one headless LibreOffice with a private profile."""
    staged = folder / "in"
    staged.mkdir(parents=True)
    for name, src in files.items():
        shutil.copyfile(src, staged / f"{name}{src.suffix}")
    try:
        lo.convert_all([staged / f"{name}{src.suffix}" for name, src in files.items()], "pdf", folder, timeout=900)
    except lo.LibreOfficeError as exc:
        raise SystemExit(f"render_outputs: {exc}") from None
    return {name: folder / f"{name}.pdf" for name in files}


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])


def sheet_openings(xlsx: Path) -> list[tuple[str, str]]:
    """(name, first text of row 1) of each visible sheet of a workbook, in order."""
    import openpyxl

    wb = openpyxl.load_workbook(xlsx, read_only=True)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        row = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        out.append((ws.title, next((str(v).strip() for v in row if v not in (None, "")), "")))
    wb.close()
    return out


def sheet_starts(pdf: Path, xlsx: Path) -> list[tuple[str, int]]:
    """On which page each sheet begins: a sheet starts a new page whose first line opens with the
    text of its row 1 (the printed pages carry no sheet name). A sheet not found is left out."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                           capture_output=True).stdout.decode("utf-8", "replace").split("\f")
    heads = [next((line.strip() for line in p.splitlines() if line.strip()), "") for p in pages]
    out, page = [], 0
    for name, opening in sheet_openings(xlsx):
        key = opening[:30]
        hit = next((i for i in range(page, len(heads)) if key and heads[i].startswith(key)), None)
        if hit is not None:
            out.append((name, hit + 1))
            page = hit + 1
    return out


def to_png(pdf: Path, target: Path, resolution: int, max_pages: int) -> int:
    target.mkdir(parents=True, exist_ok=True)
    pages = page_count(pdf)
    last = pages if max_pages <= 0 else min(pages, max_pages)
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", str(last), str(pdf),
                    str(target / "page")], check=True)
    return last


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="where the PNGs go (default: a new temporary folder)")
    ap.add_argument("--resolution", type=int, default=60, help="dots per inch of the PNGs")
    ap.add_argument("--max-pages", type=int, default=0, help="at most this many pages per PDF (0: all)")
    ap.add_argument("--keep", type=Path, help="also keep the demo workspace and the PDFs in this folder")
    args = ap.parse_args(argv)
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        print(f"render_outputs: needs {', '.join(missing)}; on Debian: apt install libreoffice-calc "
              "libreoffice-writer poppler-utils", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="rcm-outputs-"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rcm-render-") as tmp:
        tmp = Path(tmp)
        files = demo_files(tmp)
        pdfs = to_pdf(files, tmp / "pdf")
        for name, pdf in pdfs.items():
            shutil.copyfile(pdf, out / pdf.name)
            pages = page_count(pdf)
            drawn = to_png(pdf, out / name, args.resolution, args.max_pages)
            line = f"{name:<28} {pages:>4} pages"
            if drawn < pages:
                line += f" ({drawn} drawn)"
            if files[name].suffix == ".xlsx":
                line += "  " + ", ".join(f"{s} p.{p}" for s, p in sheet_starts(pdf, files[name]))
            print(line)
        if args.keep:
            shutil.copytree(tmp, args.keep, dirs_exist_ok=True)
    print(f"PDFs and pictures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
