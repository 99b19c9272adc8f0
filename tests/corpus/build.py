#!/usr/bin/env python3
"""Build the corpus of bad, odd and hostile inputs that tests/test_corpus.py runs.

    python3 tests/corpus/build.py          # rewrites every corpus file and its .expect.json

Each input `<name>` gets `<name>.expect.json` beside it:

    {"verdict": "accepted|rejected|ignored|superseded",
     "findings": [{"code": ..., "sheet": ... or null, "cell": ... or null}, ...],   # the exact set
     "together": [...],      # optional: other corpus files read in the same run (duplicates, supersession)
     "rows": N,              # optional: rows of this file that must land in Matrix + Rejected rows
     "xfail": "needs: ...",  # optional: the package change the expectation waits for
     "note": "..."}          # why the expectation is what it is

The expectations are written here by hand from DESIGN.md and issue 4, not copied from what the code
says. Templates come from the project's own generator with SOURCE_DATE_EPOCH=1735689600 (period
2025-H1, due 2025-06-30); everything that carries a time is pinned, so two builds give the same
bytes, except the LibreOffice products (ods, xls, encrypted), which carry their own times and salts.
LibreOffice (soffice, and Debian's python3 with `uno` for the encrypted workbook) is needed to
rebuild those; without it they are left as they are.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

os.environ["SOURCE_DATE_EPOCH"] = "1735689600"

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import openpyxl  # noqa: E402

from rcm_workbooks.core.plan import load_plan  # noqa: E402
from rcm_workbooks.template.build import TemplateSpec, build, priority_rows  # noqa: E402
from tests.support import libreoffice as lo  # noqa: E402
from tests.support.workbooks import type_rows  # noqa: E402

PERIOD = "2025-H1"
DUE = dt.date(2025, 6, 30)
ON_TIME = "2025-06-20T10:30:00Z"  # docProps modified of a return sent in time
ZIP_TIME = (2025, 6, 20, 10, 30, 0)
EN_MATRIX = "Follow-up matrix"
ES_MATRIX = "Matriz de seguimiento"
META = "_meta"


def priority_plan_text() -> str:
    from conftest import PRIORITY_ACTIVITIES_YAML, plan_text_with_priorities

    return plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML)


def corpus_plan():
    """The plan every corpus file is read against: the default plan plus PROT's priority activities
    (same id, same codes; the priorities only matter for templates generated from it)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(priority_plan_text(), encoding="utf-8")
        return load_plan(path)


PLAN = corpus_plan()


# --- making and editing workbooks ----------------------------------------------------------


def template(group: str, country: str, *, period: str = PERIOD, lang: str | None = None, rows: int = 30,
             prefill: bool = False) -> bytes:
    g, c = PLAN.group(group), PLAN.country(country)
    pre = priority_rows(PLAN, g, c) if prefill else ()
    data, _ = build(TemplateSpec(PLAN, period, g, c, lang or c.language, DUE, rows, pre))
    return data


def row_values(lang: str, pillar: str, theme: str, status: str, n: int, **extra) -> dict:
    p = PLAN.pillar(pillar)
    t = p.theme(theme)
    st = next(s for s in PLAN.statuses if s.code == status)
    rp = PLAN.responsible_parties[n % len(PLAN.responsible_parties)]
    dl = PLAN.deadlines[n % len(PLAN.deadlines)]
    if lang == "es":
        texts = {"activity": f"Taller regional número {n} sobre {t.label.es.lower()}",
                 "indicators": "Número de funcionarios capacitados", "measured_by": "Dirección de Migración",
                 "risks": "Disponibilidad de fondos", "progress": f"Se realizaron {n + 1} sesiones en el período.",
                 "next_steps": "Ampliar a las zonas fronterizas"}
    else:
        texts = {"activity": f"Regional workshop number {n} on {t.label.en.lower()}",
                 "indicators": "Number of officials trained", "measured_by": "Immigration Department",
                 "risks": "Availability of funds", "progress": f"{n + 1} sessions were held in the period.",
                 "next_steps": "Extend to the border areas"}
    out = {"pillar": p.label(lang), "theme": t.label(lang), "responsible": rp.label(lang),
           "deadline": dl.label(lang), "status": st.label(lang), **texts}
    out.update(extra)
    return out


def two_rows(lang: str) -> list[dict]:
    return [row_values(lang, "P1", "T1", "COMPLETED", 1), row_values(lang, "P3", "T2", "IN_PROCESS", 2)]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def meta_of(wb) -> dict:
    return {str(r[0].value): ("" if r[1].value is None else str(r[1].value))
            for r in wb[META].iter_rows(min_col=1, max_col=2) if r[0].value is not None}


def set_meta(wb, key: str, value: str) -> None:
    for r in wb[META].iter_rows(min_col=1, max_col=2):
        if r[0].value == key:
            r[1].value = value
            return
    wb[META].append([key, value])


def save(wb, modified: str = ON_TIME) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return pin(buf.getvalue(), modified)


def pin(data: bytes, modified: str | None = ON_TIME) -> bytes:
    """Fixed zip times and docProps modified time: the same bytes on every build."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml" and modified:
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{modified}\g<2>", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", r"\g<1>2025-01-01T00:00:00Z\g<2>", text)
                body = text.encode("utf-8")
            if info.filename == "meta.xml" and modified:  # OpenDocument
                text = body.decode("utf-8")
                text = re.sub(r"(<dc:date>)[^<]*(</dc:date>)", rf"\g<1>{modified.rstrip('Z')}\g<2>", text)
                text = re.sub(r"(<meta:creation-date>)[^<]*(</meta:creation-date>)", r"\g<1>2025-01-01T00:00:00\g<2>", text)
                body = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            # an OpenDocument mimetype member must stay first and stored
            zi.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def filled(group: str, country: str, rows: list[dict] | None = None, *, edit=None, modified: str = ON_TIME,
           **kw) -> bytes:
    wb = load(template(group, country, **kw))
    lang = meta_of(wb)["language"]
    type_rows(wb, two_rows(lang) if rows is None else rows)
    if edit:
        edit(wb)
    return save(wb, modified)


def sheet_part(data: bytes, sheet: str) -> str:
    z = zipfile.ZipFile(io.BytesIO(data))
    wbx = z.read("xl/workbook.xml").decode("utf-8")
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wbx).group(1)
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = target.group(1)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


def edit_members(data: bytes, edits: dict, drop: tuple = (), add: dict | None = None) -> bytes:
    """Rewrite zip members: edits[name] is a function bytes -> bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info.filename)
            if info.filename in edits:
                body = edits[info.filename](body)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
        for name, body in (add or {}).items():
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def set_cells_xml(data: bytes, sheet: str, cells: dict[str, str]) -> bytes:
    """Replace (or add) cells in a sheet's XML: cells[A1] is the inside of <c> plus its t attribute,
    given as (t, inner), e.g. ("e", "<v>#N/A</v>") or ("str", "<f>A1</f><v>x</v>")."""

    def edit(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        for ref, (t, inner) in cells.items():
            m = re.search(rf'<c r="{ref}"((?:\s[^>]*?)?)(/>|>.*?</c>)', text, re.S)
            style = ""
            if m:
                s = re.search(r'\ss="(\d+)"', m.group(1))
                style = f' s="{s.group(1)}"' if s else ""
            tattr = f' t="{t}"' if t else ""
            new = f'<c r="{ref}"{style}{tattr}>{inner}</c>'
            if m:
                text = text[:m.start()] + new + text[m.end():]
                continue
            row = re.match(r"[A-Z]+(\d+)", ref).group(1)
            rm = re.search(rf'<row r="{row}"[^>]*?(/>|>.*?</row>)', text, re.S)
            if rm:
                body = rm.group(0)
                if body.endswith("/>"):
                    body = body[:-2] + ">" + new + "</row>"
                else:
                    body = body[:-len("</row>")] + new + "</row>"
                text = text[:rm.start()] + body + text[rm.end():]
            else:
                text = text.replace("</sheetData>", f'<row r="{row}">{new}</row></sheetData>', 1)
        return text.encode("utf-8")

    return edit_members(data, {sheet_part(data, sheet): edit})


def inline(text: str) -> tuple[str, str]:
    return "inlineStr", f"<is><t>{text}</t></is>"


# --- LibreOffice ---------------------------------------------------------------------------

def soffice_convert(data: bytes, src_name: str, fmt: str) -> bytes | None:
    """`data` converted by LibreOffice (tests.support.libreoffice); None without LibreOffice."""
    if lo.find_soffice() is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / src_name
        src.write_bytes(data)
        try:
            out = lo.convert(src, fmt, Path(tmp) / "out", timeout=300)
        except lo.LibreOfficeError:
            return None
        return out.read_bytes()


def soffice_encrypt(data: bytes, suffix: str) -> bytes | None:
    """`data` saved by LibreOffice as an encrypted `suffix` file (password "secret"); None
    without LibreOffice and a Python that can `import uno`."""
    if not lo.available():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "plain.xlsx", Path(tmp) / f"secret{suffix}"
        src.write_bytes(data)
        try:
            lo.fill(src, [], [{"path": dst, "filter": lo.FILTERS[suffix], "password": "secret"}], timeout=300)
        except lo.LibreOfficeError:
            return None
        return dst.read_bytes()


# --- the cases -----------------------------------------------------------------------------

CASES: dict[str, object] = {}  # name -> function returning bytes (or a dict name -> bytes for a folder)


def case(name: str):
    def register(fn):
        CASES[name] = fn
        return fn
    return register


@case("empty.xlsx")
def _():
    return b""


@case("cover-letter.xlsx")
def _():
    return ("Dear Secretariat,\r\n\r\nPlease find attached the follow-up matrix of Belize for the first half "
            "of 2025.\r\n\r\nKind regards,\r\nThe focal point\r\n").encode("utf-8")


@case("matrix-export.xlsx")
def _():
    return ("pillar,theme,activity,status\r\nMigration governance,Generation and use of migration data,"
            "Regional workshop,Completed\r\n").encode("utf-8")


@case("report-as-pdf.xlsx")
def _():
    pdf = soffice_convert(filled("PROT", "BLZ"), "RCM_2025-H1_BLZ_PROT.xlsx", "pdf")
    return pdf


@case("truncated.xlsx")
def _():
    data = filled("PROT", "BLZ")
    return data[: len(data) * 6 // 10]


def _bomb(mib: int, lie: bool = False) -> bytes:
    """A template whose matrix sheet is followed by `mib` MiB of blanks inside <sheetData>; the sheet
    is compressed with deflate level 9 (about 1 KB per MB). With `lie`, the zip's declared sizes of
    that member are rewritten to its original size."""
    data = template("PROT", "BLZ")
    part = sheet_part(data, EN_MATRIX)
    src = zipfile.ZipFile(io.BytesIO(data))
    original = src.read(part)
    head, tail = original.split(b"</sheetData>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            if info.filename != part:
                dst.writestr(zi, src.read(info.filename), compresslevel=9)
                continue
            zi._compresslevel = 9
            with dst.open(zi, "w", force_zip64=False) as fh:
                fh.write(head)
                chunk = b" " * 2**20
                for _ in range(mib):
                    fh.write(chunk)
                fh.write(b"</sheetData>" + tail)
    blob = out.getvalue()
    if not lie:
        return blob
    # Declare the member's original size in both the local header and the central directory.
    z = zipfile.ZipFile(io.BytesIO(blob))
    info = z.getinfo(part)
    buf = bytearray(blob)
    small = len(original).to_bytes(4, "little")
    lh = info.header_offset
    buf[lh + 22:lh + 26] = small
    name = part.encode()
    pos = 0
    while True:
        pos = blob.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        nlen = int.from_bytes(blob[pos + 28:pos + 30], "little")
        if blob[pos + 46:pos + 46 + nlen] == name:
            buf[pos + 24:pos + 28] = small
            break
        pos += 4
    return bytes(buf)


@case("zip-bomb.xlsx")
def _():
    return _bomb(300)


@case("zip-bomb-ratio.xlsx")
def _():
    return _bomb(100)


@case("zip-bomb-lying-sizes.xlsx")
def _():
    return _bomb(200, lie=True)


def entities(root: str) -> str:
    """A billion laughs: entity j expands to 10**9 characters."""
    return (f'<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")


def _with_doctype(xml: bytes, root: str, padding: int, use) -> bytes:
    text = xml.decode("utf-8")
    decl, rest = text.split("?>", 1) if text.startswith("<?xml") else ('<?xml version="1.0" encoding="UTF-8"', text)
    pad = f"<!--{'x' * padding}-->" if padding else ""
    return (decl + "?>" + pad + entities(root) + use(rest)).encode("utf-8")


@case("entity-bomb.xlsx")
def _():
    # in the shared strings of an untouched template (XlsxWriter writes shared strings)
    data = template("PROT", "BLZ")
    edit = lambda xml: _with_doctype(xml, "sst", 0, lambda rest: rest.replace("<si><t>", "<si><t>&j;", 1))  # noqa: E731
    return edit_members(data, {"xl/sharedStrings.xml": edit})


@case("entity-bomb-late-doctype.xlsx")
def _():
    # in the matrix sheet of a filled return, the DOCTYPE after a 4,000-character comment
    data = set_cells_xml(filled("PROT", "BLZ"), EN_MATRIX, {"K7": inline("&j;")})
    edit = lambda xml: _with_doctype(xml, "worksheet", 4000, lambda rest: rest)  # noqa: E731
    return edit_members(data, {sheet_part(data, EN_MATRIX): edit})


@case("password-to-open.xlsx")
def _():
    return soffice_encrypt(filled("PROT", "BLZ"), ".xlsx")


@case("password-to-open.xls")
def _():
    return soffice_encrypt(filled("PROT", "BLZ"), ".xls")


@case("old-format.xls")
def _():
    return soffice_convert(filled("LABR", "HND"), "RCM_2025-H1_HND_LABR.xlsx", "xls")


def foreign_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Item", "Amount (USD)", "Notes"])
    ws.append(["Workshop venue", 1200, "Two days"])
    ws.append(["Interpretation", 800, "English-Spanish"])
    return save(wb)


@case("old-format-no-meta.xls")
def _():
    return soffice_convert(foreign_workbook(), "budget.xlsx", "xls")


@case("resaved-as.ods")
def _():
    ods = soffice_convert(filled("LABR", "GTM"), "RCM_2025-H1_GTM_LABR.xlsx", "ods")
    return pin(ods) if ods else None


@case("libreoffice-resaved.xlsx")
def _():
    data = soffice_convert(filled("PROT", "CRI"), "RCM_2025-H1_CRI_PROT.xlsx", "xlsx")
    return pin(data) if data else None


@case("macro-enabled.xlsm")
def _():
    data = filled("PROT", "CAN")
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # a stand-in project: never run, never read

    def types(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        text = text.replace("spreadsheetml.sheet.main+xml", "PLACEHOLDER")
        text = text.replace('<Override PartName="/xl/workbook.xml" ContentType="PLACEHOLDER"/>',
                            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>')
        text = text.replace("PLACEHOLDER", "spreadsheetml.sheet.main+xml")
        text = text.replace("<Default Extension=\"xml\"",
                            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension="xml"', 1)
        return text.encode("utf-8")

    def rels(xml: bytes) -> bytes:
        return xml.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')

    return edit_members(data, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
                        add={"xl/vbaProject.bin": vba})


@case("~$RCM_2025-H1_BLZ_PROT.xlsx")
def _():
    owner = "Focal point"
    return (bytes([len(owner)]) + owner.encode("ascii").ljust(53, b" ") + b"\x00\x00"
            + owner.encode("utf-16-le").ljust(110, b"\x00"))


@case(".DS_Store")
def _():
    return b"\x00\x00\x00\x01Bud1" + bytes(range(256)) * 4


@case("Thumbs.db")
def _():
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016


@case("no-meta.xlsx")
def _():
    def edit(wb):
        del wb[META]
    return filled("PROT", "BLZ", edit=edit)


@case("foreign-workbook.xlsx")
def _():
    return foreign_workbook()


@case("last-period.xlsx")
def _():
    return filled("PROT", "BLZ", period="2024-H2", modified="2024-12-10T09:00:00Z")


def _meta_edit(key, value, group="PROT", country="BLZ"):
    return filled(group, country, edit=lambda wb: set_meta(wb, key, value))


@case("other-plan.xlsx")
def _():
    return _meta_edit("plan_id", "RCM-SP-2023-2026")


@case("unknown-country.xlsx")
def _():
    return _meta_edit("country", "ATL")


@case("unknown-group.xlsx")
def _():
    return _meta_edit("working_group", "HEALTH")


@case("meta-disagrees-with-title.xlsx")
def _():
    # the focal point of Belize's border group "fixed" the hidden sheet to Canada
    return _meta_edit("country", "CAN", group="BORD")


@case("meta-damaged.xlsx")
def _():
    return _meta_edit("col.status", "??")


def _unprotect(wb):
    meta = meta_of(wb)
    ws = wb[meta["matrix_sheet"]]
    ws.protection.sheet = False
    return ws


@case("column-inserted.xlsx")
def _():
    def edit(wb):
        ws = _unprotect(wb)
        ws.insert_cols(10)  # a new column J, before "Assumptions or risks"
        ws["J5"] = "Budget (USD)"
        ws["J6"] = 1500
        ws["J7"] = 300
    return filled("PROT", "DOM", edit=edit)


@case("column-inserted-early.xlsx")
def _():
    def edit(wb):
        ws = _unprotect(wb)
        ws.insert_cols(4)  # a new column D, before "Description of the activity"
        ws["D5"] = "Código interno"
        ws["D6"] = "A-17"
        ws["D7"] = "A-18"
    return filled("IRMM", "DOM", edit=edit)


@case("column-deleted.xlsx")
def _():
    def edit(wb):
        ws = _unprotect(wb)
        ws.delete_cols(10)  # "Assumptions or risks" (J) is gone; K and L move left
    return filled("PROT", "HND", edit=edit)


@case("columns-moved.xlsx")
def _():
    def edit(wb):
        ws = _unprotect(wb)
        for r in range(5, 9):  # "Assumptions or risks" (J) and "Recommendations / next steps" (L) swapped
            ws[f"J{r}"].value, ws[f"L{r}"].value = ws[f"L{r}"].value, ws[f"J{r}"].value
    return filled("PROT", "SLV", edit=edit)


@case("renamed-matrix-sheet.xlsx")
def _():
    def edit(wb):
        wb[EN_MATRIX].title = "USA 2025"
    return filled("PROT", "USA", edit=edit)


@case("prefilled-rows-edited.xlsx")
def _():
    def edit(wb):
        ws = wb[EN_MATRIX]
        # row 6 is priority activity BLZ-PROT-P1: its locked description was rewritten, its status set;
        # row 7 (BLZ-PROT-P2) was left without a status; rows 8-9 are new activities
        ws["D6"] = "Regional protocol for unaccompanied children (revised by Belize)"
        ws["I6"] = "Completed"
        ws["K6"] = "The protocol was adopted in March."
    wb = load(template("PROT", "BLZ", prefill=True))
    type_rows(wb, two_rows("en"), start=8)
    edit(wb)
    return save(wb)


@case("cell-of-40000-characters.xlsx")
def _():
    long_text = ("Se realizaron talleres de capacitación en las fronteras. " * 800)[:40_000]
    rows = two_rows("es")
    rows[0]["progress"] = long_text
    return filled("PROT", "NIC", rows)


@case("cell-in-last-row.xlsx")
def _():
    data = filled("IRMM", "NIC")
    return set_cells_xml(data, ES_MATRIX, {"K1048576": inline("fin")})


@case("cell-in-last-column.xlsx")
def _():
    data = filled("IRMM", "SLV")
    return set_cells_xml(data, ES_MATRIX, {"XFD6": inline("nota al margen")})


@case("odd-values.xlsx")
def _():
    # Values that are not text, in dropdown and text cells, as Excel stores them.
    rows = [row_values("en", "P1", "T1", "COMPLETED", n) for n in range(1, 7)]
    wb = load(template("IRMM", "BLZ"))
    type_rows(wb, rows)
    ws = wb[EN_MATRIX]
    ws["D6"] = 42                                   # activity: a number
    ws["K6"] = dt.datetime(2025, 3, 14)             # progress: a date
    ws["K6"].number_format = "yyyy-mm-dd"
    ws["J6"] = True                                 # risks: a boolean
    ws["I7"] = 1                                    # status: a number
    ws["B10"] = dt.datetime(2025, 1, 1)             # pillar: a date
    ws["B10"].number_format = "yyyy-mm-dd"
    ws["H10"] = False                               # deadline: a boolean
    data = save(wb)
    return set_cells_xml(data, EN_MATRIX, {
        "I8": ("e", "<v>#N/A</v>"),                                        # status: an error
        "D9": ("str", '<f>"Training "&amp;"course"</f><v>Training course</v>'),  # activity: a formula
        "I9": ("str", '<f>IF(TRUE,"Completed","")</f><v>Completed</v>'),        # status: a formula
        "E11": ("e", "<f>1/0</f><v>#DIV/0!</v>"),                           # indicators: an error formula
    })


@case("typed-labels.xlsx")
def _():
    # A Spanish template typed over with English labels, odd case, no accents and extra spaces.
    rows = [row_values("es", "P1", "T1", "COMPLETED", 1), row_values("es", "P3", "T2", "IN_PROCESS", 2)]
    rows[0].update(pillar="  MIGRATION governance ", status="completed", deadline="1st YEAR")
    rows[1].update(pillar="proteccion, preparacion, asistencia y migracion irregular",
                   theme="ASISTENCIA,  atencion y PROTECCION consular", status="in process of being IMPLEMENTED",
                   responsible="ES")
    return filled("IRMM", "MEX", rows)


DUP = None


@case("same-bytes-1.xlsx")
def _():
    global DUP
    DUP = filled("IRMM", "CAN")
    return DUP


@case("same-bytes-2.xlsx")
def _():
    return DUP


@case("resent-first.xlsx")
def _():
    return filled("LABR", "CAN", modified="2025-06-10T08:00:00Z")


@case("resent-second.xlsx")
def _():
    rows = two_rows("en")
    rows[1]["status"] = "Completed"
    return filled("LABR", "CAN", rows, modified="2025-06-25T16:45:00Z")


@case("Informe de Panamá – versión final (2).xlsx")
def _():
    return filled("IRMM", "PAN")


@case("folder.xlsx")
def _():
    return {"RCM_2025-H1_HND_BORD.xlsx": filled("BORD", "HND")}


@case("returned-empty.xlsx")
def _():
    return save(load(template("BORD", "GTM")))


@case("returned-late.xlsx")
def _():
    return filled("IRMM", "USA", modified="2025-07-15T12:00:00Z")


@case("sheet-part-missing.xlsx")
def _():
    data = filled("PROT", "BLZ")
    return edit_members(data, {}, drop=(sheet_part(data, EN_MATRIX),))


@case("zip-of-documents.xlsx")
def _():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo("informe.txt", date_time=ZIP_TIME)
        z.writestr(zi, "Informe de avance\n" * 20)
    return out.getvalue()


# --- expectations (by hand; see the module docstring) ------------------------------------

sys.path.insert(0, str(HERE))
from expectations import EXPECT  # noqa: E402  (beside this file)


def write_case(name: str, data, out: Path) -> None:
    path = out / name
    if isinstance(data, dict):
        if path.exists():
            shutil.rmtree(path)
        path.mkdir()
        for inner, body in data.items():
            (path / inner).write_bytes(body)
    else:
        path.write_bytes(data)


def main(argv: list[str]) -> int:
    out = HERE
    only = set(argv)
    for name, fn in CASES.items():
        if only and name not in only:
            continue
        data = fn()
        if data is None:
            print(f"skipped {name}: LibreOffice is not available; the committed file is kept", file=sys.stderr)
            continue
        write_case(name, data, out)
        expect = EXPECT.get(name)
        if expect is None:
            print(f"no expectation for {name}", file=sys.stderr)
            continue
        (out / f"{name}.expect.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    stale = {p.name for p in out.iterdir()} - set(CASES) - {f"{n}.expect.json" for n in CASES} - {
        "build.py", "expectations.py", "__pycache__", "README.md"}
    for name in sorted(stale):
        print(f"not part of the corpus any more: {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
