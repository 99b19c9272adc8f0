"""Small workbooks that cost a reader far more than their size: one long shared text used by many
cells, or one cell far to the right. Built from bytes written here.

    shared_text_bomb()        about 60 KB: a 1 MB shared text used by 12,000 cells (12 GB of text
                              for a reader that copies it into each cell); no `_meta`
    share_text(xlsx, marker, text)
                              the inline texts `marker` of a package (openpyxl writes inline
                              texts) turned into references to one shared text `text`
"""
from __future__ import annotations

import io
import re
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _sst(texts: list[str]) -> bytes:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="{len(texts)}" '
            f'uniqueCount="{len(texts)}">{items}</sst>').encode()


def shared_text_bomb(cells: int = 12_000, size: int = 2**20, columns: int = 12) -> bytes:
    """A one-sheet workbook whose `cells` cells all show one shared text of `size` characters."""
    rows = []
    for r in range(cells // columns + (1 if cells % columns else 0)):
        n = min(columns, cells - r * columns)
        row = "".join(f'<c r="{chr(65 + c)}{r + 1}" t="s"><v>0</v></c>' for c in range(n))
        rows.append(f'<row r="{r + 1}">{row}</row>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>'
             f'{"".join(rows)}</sheetData></worksheet>')
    types = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{PKG}/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
             f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>')
    root = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}/relationships">'
               f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
               f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in (("[Content_Types].xml", types), ("_rels/.rels", root), ("xl/_rels/workbook.xml.rels", wb_rels),
                           ("xl/workbook.xml", workbook), ("xl/worksheets/sheet1.xml", sheet)):
            z.writestr(name, body)
        z.writestr("xl/sharedStrings.xml", _sst(["ab" * (size // 2)]))
    return out.getvalue()


def share_text(xlsx: bytes, marker: str, text: str) -> bytes:
    """Every inline text cell reading `marker` made a reference to one shared text `text` (added as
    the package's shared-text table, which must not exist yet)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    assert "xl/sharedStrings.xml" not in src.namelist()
    cell = re.compile(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>' + re.escape(marker.encode()) + rb"</t></is></c>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                body = cell.sub(rb'\1 t="s"><v>0</v></c>', body)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode())
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", f'<Relationship Id="rIdShared" Type="{RELS}/sharedStrings" '
                                    f'Target="sharedStrings.xml"/></Relationships>'.encode())
            dst.writestr(info, body)
        dst.writestr("xl/sharedStrings.xml", _sst([text]))
    return out.getvalue()


def sst_records(texts: list[str], room: int = 8224) -> bytes:
    """A BIFF8 shared-string table (SST) holding `texts`, split into CONTINUE records of at most
    `room` bytes as Excel splits it: character data that goes on in a CONTINUE record starts there
    with a flags byte (0: 8-bit characters, 1: 16-bit)."""
    import struct

    from kinds_biff import rec

    records: list[bytearray] = [bytearray(struct.pack("<II", len(texts), len(texts)))]
    for text in texts:
        wide = any(ord(ch) > 255 for ch in text)
        if len(records[-1]) + 3 + (2 if wide else 1) > room:
            records.append(bytearray())
        records[-1] += struct.pack("<HB", len(text), 1 if wide else 0)
        chars = text.encode("utf-16-le" if wide else "latin-1")
        width = 2 if wide else 1
        while chars:
            fit = (room - len(records[-1])) // width * width
            if fit <= 0:
                records.append(bytearray([1 if wide else 0]))
                continue
            records[-1] += chars[:fit]
            chars = chars[fit:]
    return rec(0x00FC, bytes(records[0])) + b"".join(rec(0x003C, bytes(r)) for r in records[1:])


def xls_shared_text_bomb(cells: int = 2_000, size: int = 30_000) -> bytes:
    """An .xls (BIFF8 in a compound file) whose `cells` cells all show one shared text of `size`
    characters (LABELSST records)."""
    import struct

    from kinds_biff import EOF, rec
    from kinds_cfb import cfb

    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 0x06)
    sheet_bof = struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0x41, 0x06)
    name = struct.pack("<BB", len("Hoja1"), 0) + b"Hoja1"
    sst = sst_records(["x" * size])
    globals_len = len(rec(0x0809, bof)) + len(rec(0x0085, bytes(6) + name)) + len(sst) + len(EOF)
    stream = rec(0x0809, bof) + rec(0x0085, struct.pack("<IBB", globals_len, 0, 0) + name) + sst + EOF
    stream += rec(0x0809, sheet_bof)
    stream += b"".join(rec(0x00FD, struct.pack("<HHHI", i // 10, i % 10, 15, 0)) for i in range(cells))
    return cfb({"Workbook": stream + EOF})
