"""One small sample of every kind of file `sniff` names, built from bytes written here.

    python3 tests/kinds/build.py OUT_DIR     writes the samples (and lists them with their kind)

`samples()` returns them as (file name, bytes, expected Kind); no file is downloaded or copied
from elsewhere. `real_encrypted_xlsx()` encrypts a sample with msoffcrypto-tool (a test-only
dependency) to check the hand-built encrypted packages against a genuine one.
"""
from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
if __name__ == "__main__":  # run as a script from anywhere: the package is two folders up
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kinds_biff import (biff5, biff8, biff234, filepass_cryptoapi, filepass_rc4, filepass_xor,  # noqa: E402
                  lotus_wk1, lotus_wk3, quattro_qpw_stream, quattro_wb1, quattro_wq1, works_contents, works_wks)
from kinds_cfb import cfb  # noqa: E402

from rcm_workbooks.intake.sniff import Kind  # noqa: E402

CELLS = {(0, 0): "Pillar", (0, 1): "Status", (1, 0): 1.0, (1, 1): "completed"}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_RELS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"


def _zip(members: list[tuple[str, bytes]], stored: tuple[str, ...] = ("mimetype",)) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members:
            z.writestr(name, body, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ooxml(strict: bool = False, macro: bool = False, binary: bool = False) -> bytes:
    """A one-sheet Excel package: transitional, strict, macro-enabled or binary (.xlsb)."""
    main, rels = (STRICT_MAIN, STRICT_RELS) if strict else (MAIN, RELS)
    ext = "bin" if binary else "xml"
    kind = ("application/vnd.ms-excel.sheet.binary.macroEnabled.main" if binary
            else "application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    types = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{PKG}/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             f'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.{ext}" ContentType="{kind}"/>'
             f'<Override PartName="/xl/worksheets/sheet1.{ext}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}/relationships">'
                 f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.{ext}"/></Relationships>')
    wb_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}/relationships">'
               f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.{ext}"/></Relationships>')
    members = [("[Content_Types].xml", types.encode()), ("_rels/.rels", root_rels.encode()),
               (f"xl/_rels/workbook.{ext}.rels", wb_rels.encode())]
    if binary:
        # BrtBeginBook, BrtBundleSh naming Sheet1, BrtEndBook; the sheet part empty but for its bounds
        sheet = "Sheet1".encode("utf-16-le")
        bundle = struct.pack("<II", 0, 1) + struct.pack("<I", 4) + "rId1".encode("utf-16-le") + struct.pack("<I", 6) + sheet
        members += [("xl/workbook.bin", bytes([0x83, 0x01, 0x00, 0x9C, 0x01, len(bundle)]) + bundle + bytes([0x84, 0x01, 0x00])),
                    ("xl/worksheets/sheet1.bin", bytes([0x81, 0x01, 0x00, 0x82, 0x01, 0x00]))]
    else:
        workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{main}" xmlns:r="{rels}">'
                    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}"><sheetData>'
                 '<row r="1"><c r="A1" t="inlineStr"><is><t>Pillar</t></is></c><c r="B1" t="inlineStr"><is><t>Status</t></is></c></row>'
                 '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>completed</t></is></c></row>'
                 '</sheetData></worksheet>')
        members += [("xl/workbook.xml", workbook.encode()), ("xl/worksheets/sheet1.xml", sheet.encode())]
    if macro:
        members.append(("xl/vbaProject.bin", cfb({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'})))
    return _zip(members)


def _odf_members(media: str, body: str, encrypted: bool = False) -> list[tuple[str, bytes]]:
    crypt = ('<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
             'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
             'manifest:initialisation-vector="AAAAAAAAAAAAAAAAAAAAAA=="/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" '
             'manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAAAAAAAAAAAAAAAAAAAA=="/>'
             '</manifest:encryption-data>') if encrypted else ""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{media}"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="{len(body)}">{crypt}</manifest:file-entry>'
                '</manifest:manifest>')
    content = random.Random(7).randbytes(len(body)) if encrypted else body.encode()
    return [("mimetype", media.encode()), ("content.xml", content), ("META-INF/manifest.xml", manifest.encode())]


ODS_BODY = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
            '<table:table-cell office:value-type="string"><text:p>Pillar</text:p></table:table-cell></table:table-row>'
            '</table:table></office:spreadsheet></office:body></office:document-content>')


def encryption_info_agile() -> bytes:
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
           'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" blockSize="16" keyBits="256" '
           'hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
           '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey spinCount="100000" '
           'saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
           'saltValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" '
           'encryptedVerifierHashValue="AAAA" encryptedKeyValue="AAAA"/></keyEncryptor></keyEncryptors></encryption>')
    return struct.pack("<HHI", 4, 4, 0x40) + xml.encode()


def encryption_info_standard() -> bytes:
    csp = "Microsoft Enhanced RSA and AES Cryptographic Provider\0".encode("utf-16-le")
    header = struct.pack("<IIIIIIII", 0x24, 0, 0x660E, 0x8004, 128, 0x18, 0, 0) + csp
    verifier = struct.pack("<I", 16) + bytes(16) + bytes(16) + struct.pack("<I", 20) + bytes(32)
    return struct.pack("<HHII", 4, 2, 0x24, len(header)) + header + verifier


def encrypted_ooxml(info: bytes) -> bytes:
    package = random.Random(1).randbytes(8192)
    return cfb({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 6000) + package})


def real_encrypted_xlsx(password: str = "secreto") -> bytes:
    """An xlsx encrypted by msoffcrypto-tool, as Excel encrypts (agile, AES-256)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(ooxml())).encrypt(password, out)
    return out.getvalue()


def _without(data: bytes, member: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    return _zip([(i.filename, src.read(i)) for i in src.infolist() if i.filename != member])


def _zip_flag_encrypted(data: bytes) -> bytes:
    """The same zip with every member marked encrypted (traditional PKWARE encryption's flag)."""
    raw = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = raw.find(sig)
        while i >= 0:
            raw[i + at] |= 1
            i = raw.find(sig, i + 4)
    return bytes(raw)


SPREADSHEETML = ('<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
                 '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
                 '<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">Pillar</Data></Cell></Row></Table></Worksheet></Workbook>')
HTML_XLS = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" '
            'xmlns="http://www.w3.org/TR/REC-html40"><head><meta name=ProgId content=Excel.Sheet></head>'
            '<body><table><tr><td>Pillar</td><td>Status</td></tr></table></body></html>')
FODS = ('<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet/>'
        '</office:body></office:document>')
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0) + bytes(4)


def samples() -> list[tuple[str, bytes, Kind]]:
    """(file name, bytes, the Kind sniff must name) for every kind."""
    xlsx = ooxml()
    K = Kind
    return [
        ("return.xlsx", xlsx, K.XLSX),
        ("return.xlsm", ooxml(macro=True), K.XLSM),
        ("return.ods", _zip(_odf_members("application/vnd.oasis.opendocument.spreadsheet", ODS_BODY)), K.ODS),
        ("return.xls", cfb({"Workbook": biff8(CELLS)}), K.XLS),
        ("capitals.xls", cfb({"WORKBOOK": biff8(CELLS)}), K.XLS),
        ("works-9.xlr", cfb({"Workbook": biff8(CELLS), "WksSSWorkBook": bytes(64)}), K.XLS),
        ("strict.xlsx", ooxml(strict=True), K.XLSX_STRICT),
        ("binary.xlsb", ooxml(binary=True), K.XLSB),
        ("excel95.xls", cfb({"Book": biff5(CELLS)}), K.XLS_BIFF5),
        ("excel95-stream.xls", biff5(CELLS), K.XLS_STREAM),
        ("excel4.xls", biff234(4, CELLS), K.XLS_BIFF4),
        ("excel4-workbook.xlw", biff234(4, CELLS, workbook=True), K.XLS_BIFF4),
        ("excel3.xls", biff234(3, CELLS), K.XLS_BIFF3),
        ("excel2.xls", biff234(2, CELLS), K.XLS_BIFF2),
        ("spreadsheet-2003.xml", SPREADSHEETML.encode(), K.SPREADSHEETML_2003),
        ("flat.fods", FODS.encode(), K.FODS),
        ("apple.numbers", _zip([("Index/Document.iwa", bytes(40)), ("Index/CalculationEngine.iwa", bytes(40)),
                                ("Metadata/Properties.plist", b"bplist00")]), K.NUMBERS),
        ("apple.pages", _zip([("Index/Document.iwa", bytes(40)), ("Metadata/Properties.plist", b"bplist00")]), K.IWORK),
        ("lotus.wk1", lotus_wk1(), K.LOTUS),
        ("lotus.wk3", lotus_wk3(0x1000), K.LOTUS),
        ("lotus.wk4", lotus_wk3(0x1002), K.LOTUS),
        ("quattro.wq1", quattro_wq1(), K.QUATTRO),
        ("quattro.wb1", quattro_wb1(), K.QUATTRO),
        ("quattro.qpw", cfb({"NativeContent_MAIN": quattro_qpw_stream()}), K.QUATTRO),
        ("quattro.wb3", cfb({"PerfectOffice_MAIN": quattro_wb1()}), K.QUATTRO),
        ("works.wks", works_wks(), K.WORKS),
        ("works.wps", cfb({"CONTENTS": works_contents(), "SPELLING": bytes(16)}), K.WORKS),
        ("agile.xlsx", encrypted_ooxml(encryption_info_agile()), K.OOXML_AGILE),
        ("standard.xlsx", encrypted_ooxml(encryption_info_standard()), K.OOXML_STANDARD),
        ("extensible.xlsx", encrypted_ooxml(struct.pack("<HHI", 4, 3, 0) + bytes(64)), K.OOXML_PROTECTED),
        ("rights-managed.xlsx", cfb({"\tDRMContent": bytes(5000), "\x06Primary": bytes(64)}), K.OOXML_PROTECTED),
        ("rc4.xls", cfb({"Workbook": biff8(CELLS, filepass_rc4())}), K.XLS_RC4),
        ("cryptoapi.xls", cfb({"Workbook": biff8(CELLS, filepass_cryptoapi())}), K.XLS_CRYPTOAPI),
        ("xor.xls", cfb({"Workbook": biff8(CELLS, filepass_xor(True))}), K.XLS_XOR),
        ("xor-excel95.xls", cfb({"Book": biff5(CELLS, filepass_xor(False))}), K.XLS_XOR),
        ("xor-excel4.xls", biff234(4, CELLS, filepass_xor(False)), K.XLS_XOR),
        ("password.ods", _zip(_odf_members("application/vnd.oasis.opendocument.spreadsheet", ODS_BODY, encrypted=True)), K.ODS_ENCRYPTED),
        ("zip-password.xlsx", _zip_flag_encrypted(xlsx), K.ZIP_ENCRYPTED),
        ("export.csv", b"pillar,theme,activity,status\r\n1,1.1,Training,completed\r\n2,2.3,Workshop,in process\r\n", K.CSV),
        ("export-es.csv", "pilar;tema;actividad;estado\r\n1;1.1;Capacitación;completada\r\n".encode("cp1252"), K.CSV),
        ("one-column.csv", b"activity\r\nTraining\r\nWorkshop\r\n", K.CSV),
        ("unicode-text.txt", "\ufeffpilar\ttema\testado\r\n1\t1.1\tcompletada\r\n".encode("utf-16-le"), K.TSV),
        ("export.tsv", b"pillar\ttheme\r\n1\t1.1\r\n", K.TSV),
        ("export.slk", b"ID;PWXL;N;E\r\nC;Y1;X1;K\"Pillar\"\r\nE\r\n", K.SYLK),
        ("export.dif", b'TABLE\r\n0,1\r\n"EXCEL"\r\nVECTORS\r\n0,1\r\n""\r\nEOD\r\n0,0\r\n""\r\n', K.DIF),
        ("web-page.xls", HTML_XLS.encode(), K.HTML_XLS),
        ("page.html", b"<!DOCTYPE html><html><body><p>Informe</p></body></html>", K.HTML),
        ("data.xml", b'<?xml version="1.0"?><report><row/></report>', K.XML),
        ("report.pdf", PDF, K.PDF),
        ("scan.png", PNG, K.IMAGE),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100), K.IMAGE),
        ("report.docx", _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]), K.WORD),
        ("report.doc", cfb({"WordDocument": bytes(5000), "1Table": bytes(100)}), K.WORD),
        ("report.rtf", b"{\\rtf1\\ansi Informe}", K.WORD),
        ("report.odt", _zip(_odf_members("application/vnd.oasis.opendocument.text", "<office:document-content/>")), K.WORD),
        ("slides.pptx", _zip([("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p:presentation/>")]), K.PRESENTATION),
        ("message.msg", cfb({"__substg1.0_0037001F": "Informe".encode("utf-16-le"), "__properties_version1.0": bytes(32)}), K.EMAIL),
        ("returns.zip", _zip([("informe.xlsx", xlsx)]), K.ZIP),
        ("returns.rar", b"Rar!\x1a\x07\x01\x00" + bytes(40), K.ARCHIVE),
        ("thumbs.db", cfb({"Catalog": bytes(64)}), K.OLE_OTHER),
        ("notes.txt", "Adjunto el informe del grupo de trabajo.\r\nSaludos cordiales.\r\n".encode(), K.TEXT),
        ("noise.bin", random.Random(3).randbytes(3000), K.UNKNOWN),
        ("cut.xlsx", xlsx[:len(xlsx) // 2], K.TRUNCATED),
        ("empty-zip.xlsx", b"PK\x05\x06" + bytes(18), K.TRUNCATED),
        ("cut.xls", cfb({"Workbook": biff8(CELLS)})[:600], K.TRUNCATED),
        ("header-only.xls", cfb({"Workbook": biff8(CELLS)})[:300], K.TRUNCATED),
        ("no-workbook.xlsx", _without(xlsx, "xl/workbook.xml"), K.DAMAGED),
        ("empty.xlsx", b"", K.EMPTY),
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2])
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, data, kind in samples():
        (out / name).write_bytes(data)
        print(f"{kind.value:28} {len(data):8,d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
