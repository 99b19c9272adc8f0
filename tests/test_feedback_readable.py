"""A feedback copy a focal point can read, in Excel and in LibreOffice: rows as tall as their
wrapped text (no text drawn over the empty cell at fault below), the Corrections sheet's columns
aligned, the notes at Excel's own part names; LibreOffice renders it and reads the notes.

Without LibreOffice or poppler the rendering tests skip locally and FAIL when CI is set."""
from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from rcm_workbooks.core.texts import FEEDBACK, counted
from rcm_workbooks.intake.actions import corrections
from rcm_workbooks.intake.consolidate import read_all, scan
from rcm_workbooks.outputs.feedback import start_feedback
from rcm_workbooks.outputs.repack import excel_part_names
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace
from tests.support import libreoffice as lo
from tests.test_feedback import GOOD_ES, fill, set_saved

PERIOD = "2025-H1"
LONG = ("Talleres de capacitación para funcionarios de fronteras sobre protección de personas migrantes en "
        "situación de vulnerabilidad, en coordinación con organismos internacionales y la sociedad civil. ") * 2
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(why: str):
    if _in_ci():
        pytest.fail(why + " (CI is set, so this is a failure, not a skip)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """Guatemala's return: a long activity (row 6) above a row whose activity is missing (row 7,
    marked), a long activity with a theme of another pillar (row 8) above a missing status (row 9)."""
    root = tmp_path_factory.mktemp("readable")
    ws = init_workspace(root / "ws")
    plan = ws.load_plan()
    (made,) = generate(ws, plan, PERIOD, groups=["PROT"], countries=["GTM"], due=dt.date(2099, 12, 31))
    path = fill(made.path, ws.inbox / "matriz GTM.xlsx", {
        0: {**GOOD_ES, "activity": LONG + "PALABRAFINAL", "progress": LONG},
        1: {**GOOD_ES, "activity": None, "next_steps": "MARCADOR"},
        2: {**GOOD_ES, "theme": "Remesas", "activity": LONG},
        3: {**GOOD_ES, "status": None},
    })
    set_saved(path)
    (ret,) = read_all(scan([ws.inbox]), plan)
    (out,) = start_feedback(ws.outbox / PERIOD / "feedback", [ret], plan).finish()
    return {"path": out, "ret": ret, "root": root}


# --- rows as tall as their text ----------------------------------------------------------------


def test_rows_fit_their_wrapped_text(copy):
    wb = openpyxl.load_workbook(copy["path"])
    ret = copy["ret"]
    ws = wb[ret.matrix_sheet]
    for row in ret.rows:
        longest = max((len(v) / ws.column_dimensions[ret.meta[f"col.{f}"]].width, f)
                      for f, v in row.values.items() if v and f != "ref")
        lines = math.ceil(longest[0])
        height = ws.row_dimensions[row.number].height
        if lines > 1:
            assert height is not None and height >= 15 * lines, (row.number, height, lines)
        else:
            assert height is None or height < 30, (row.number, height)  # short rows stay as they were


def test_corrections_sheet_aligned(copy):
    ws = openpyxl.load_workbook(copy["path"])["Correcciones"]
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Hoja")
    rows = range(head, head + 1 + len(corrections(copy["ret"])))
    for c, align in enumerate(("left", "center", "center", "left", "left", "left", "center"), 1):
        for r in rows:  # the heading and the lines below it, alike
            cell = ws.cell(r, c)
            assert cell.alignment.horizontal == align, (cell.coordinate, cell.alignment.horizontal)
            assert cell.alignment.vertical == "top" and cell.alignment.wrap_text
            assert cell.font.name == "Calibri"
    assert [ws.cell(r, 2).value for r in rows][1:] == [7, 8, 9]
    assert ws["A2"].value == "Protección · Guatemala · primer semestre de 2025 · fecha límite: 31 de diciembre de 2099"
    for r in rows:
        assert ws.row_dimensions[r].height >= 15
    # the count line in the counted forms of the catalog: no "error(es)" or "advertencia(s)"
    counts = [c.value for r in range(1, head) for c in ws[r] if isinstance(c.value, str) and re.match(r"\d", c.value)]
    assert counts == ["3 errores, 0 advertencias."], counts
    one = {lang: FEEDBACK[lang]["counts"].format(errors=counted(FEEDBACK[lang]["errors"], 1),
                                                 warnings=counted(FEEDBACK[lang]["warnings"], 1)) for lang in ("en", "es")}
    assert one == {"en": "1 error, 1 warning.", "es": "1 error, 1 advertencia."}


# --- notes where Excel keeps them -----------------------------------------------------------------


def test_notes_at_excels_part_names(copy):
    z = zipfile.ZipFile(copy["path"])
    names = z.namelist()
    assert "xl/comments1.xml" in names and "xl/drawings/vmlDrawing1.vml" in names
    assert not [n for n in names if n.startswith("xl/comments/") or "commentsDrawing" in n]
    for rels in (n for n in names if n.endswith(".rels")):
        targets = re.findall(r'Target="([^"]*)"', z.read(rels).decode())
        assert not [t for t in targets if t.startswith("/")], (rels, targets)  # relative, as Excel writes
    matrix_rels = next(n for n in names if re.fullmatch(r"xl/worksheets/_rels/sheet\d+\.xml\.rels", n))
    text = z.read(matrix_rels).decode()
    assert 'Target="../comments1.xml"' in text and 'Target="../drawings/vmlDrawing1.vml"' in text
    types = z.read("[Content_Types].xml").decode()
    assert 'PartName="/xl/comments1.xml"' in types and "/xl/comments/" not in types
    # openpyxl reads them back: one note per marked cell, in the focal point's words
    ret = copy["ret"]
    ws = openpyxl.load_workbook(copy["path"])[ret.matrix_sheet]
    notes = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert set(notes) == {f.cell for f in corrections(ret)}
    for f in corrections(ret):
        assert f.for_focal_point("es") in notes[f.cell]


def test_part_names_of_several_sheets_and_a_taken_name():
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Type="{REL}/comments" Target="/xl/comments/comment{{n}}.xml" Id="comments"/>'
            f'<Relationship Type="{REL}/vmlDrawing" Target="/xl/drawings/commentsDrawing{{n}}.vml" Id="anysvml"/>'
            f'<Relationship Type="{REL}/hyperlink" Target="https://example.org/a" TargetMode="External" Id="h1"/>'
            '</Relationships>')
    parts = {
        "[Content_Types].xml": b'<Types><Override PartName="/xl/comments/comment1.xml" ContentType="c"/>'
                               b'<Override PartName="/xl/comments/comment2.xml" ContentType="c"/></Types>',
        "xl/worksheets/_rels/sheet2.xml.rels": rels.replace("{n}", "1").encode(),
        "xl/worksheets/_rels/sheet10.xml.rels": rels.replace("{n}", "2").encode(),
        "xl/comments/comment1.xml": b"<comments>one</comments>",
        "xl/comments/comment2.xml": b"<comments>two</comments>",
        "xl/drawings/commentsDrawing1.vml": b"<xml>one</xml>",
        "xl/drawings/commentsDrawing2.vml": b"<xml>two</xml>",
        "xl/drawings/vmlDrawing1.vml": b"<xml>someone else's</xml>",  # taken: not overwritten
    }
    out = excel_part_names(dict(parts))
    assert out["xl/comments1.xml"] == b"<comments>one</comments>"
    assert out["xl/comments2.xml"] == b"<comments>two</comments>"
    assert out["xl/drawings/vmlDrawing1.vml"] == b"<xml>someone else's</xml>"
    assert out["xl/drawings/vmlDrawing2.vml"] == b"<xml>one</xml>"
    assert out["xl/drawings/vmlDrawing3.vml"] == b"<xml>two</xml>"
    assert not [n for n in out if n.startswith("xl/comments/") or "commentsDrawing" in n]
    two = out["xl/worksheets/_rels/sheet2.xml.rels"].decode()
    assert 'Target="../comments1.xml"' in two and 'Target="../drawings/vmlDrawing2.vml"' in two
    assert 'Target="https://example.org/a"' in two  # an external target is left alone
    assert 'Target="../comments2.xml"' in out["xl/worksheets/_rels/sheet10.xml.rels"].decode()
    assert out["[Content_Types].xml"] == (b'<Types><Override PartName="/xl/comments1.xml" ContentType="c"/>'
                                          b'<Override PartName="/xl/comments2.xml" ContentType="c"/></Types>')
    assert excel_part_names(dict(out)) == out  # already Excel's: unchanged


# --- LibreOffice reads and renders it ----------------------------------------------------------------


@pytest.fixture(scope="module")
def office():
    if lo.find_soffice() is None:
        _missing("LibreOffice (soffice) not found")
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            _missing(f"{tool} not found (Debian: apt install poppler-utils)")


def test_libreoffice_reads_the_notes(copy, office, tmp_path):
    ods = lo.convert(copy["path"], "ods", tmp_path)
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    notes = re.findall(r"<office:annotation\b.*?</office:annotation>", content, re.S)
    found = corrections(copy["ret"])
    assert len(notes) == len({f.cell for f in found})
    text = html.unescape(re.sub(r"<[^>]+>", "", " ".join(notes)))
    for f in found:
        assert f.for_focal_point("es")[:60] in text


def _words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, yMin, yMax, word) of every word of the PDF (poppler's bounding boxes)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8", "replace")
    out, page = [], 0
    for m in re.finditer(r"<page\b|<word xMin=\"[\d.]+\" yMin=\"([\d.]+)\" xMax=\"[\d.]+\" yMax=\"([\d.]+)\">([^<]*)</word>",
                         html):
        if m.group(0).startswith("<page"):
            page += 1
        else:
            out.append((page, float(m.group(1)), float(m.group(2)), m.group(3)))
    return out


def test_rendered_text_ends_above_the_cell_at_fault(copy, office, tmp_path):
    """The last word of row 6's long activity is drawn above row 7, where the empty activity the
    note is on sits: before the rows were made to fit, it was drawn over that cell."""
    pdf = lo.convert(copy["path"], "pdf", tmp_path)
    words = _words(pdf)
    (end,) = [w for w in words if w[3] == "PALABRAFINAL"]
    (below,) = [w for w in words if w[3] == "MARCADOR"]
    assert end[0] == below[0]
    assert end[2] <= below[1], (end, below)
    # a picture of the page, as a person would see it
    subprocess.run(["pdftoppm", "-r", "60", "-f", str(end[0]), "-l", str(end[0]), "-png", str(pdf),
                    str(tmp_path / "matrix")], check=True, timeout=60)
    (png,) = list(tmp_path.glob("matrix*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000
    if os.environ.get("RCM_KEEP_RENDERING"):  # to look at it: RCM_KEEP_RENDERING=folder
        shutil.copy(png, Path(os.environ["RCM_KEEP_RENDERING"]) / "feedback-matrix.png")
