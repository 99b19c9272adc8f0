"""What kind of file a return is, from its bytes alone: one Kind for every workbook format and
every other file a focal point may send instead.

Pure and bounded: `sniff` reads the head of the file, the zip central directory or the OLE
directory, and at most a few hundred kilobytes of a few members or streams; it never parses
XML (it looks for fixed strings) and never raises. The name of the file breaks ties only
(a one-column .csv, an HTML page saved as .xls); it never overrules the bytes.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from enum import Enum

from .peek import OLE_MAGIC, Malformed, Ole, Truncated, zip_entries, zip_read, zip_truncated_names

G_READ, G_ENCRYPTED, G_OLD, G_OTHER, G_TEXT, G_NOT, G_DAMAGED, G_EMPTY = (
    "workbook", "encrypted", "old-format", "other-format", "text-export", "not-spreadsheet", "damaged", "empty")

# The finding each group of kinds raises; `file-other-format` is new: a spreadsheet in a
# format the data cannot be read from (a text export is not a spreadsheet: file-not-spreadsheet).
FINDING = {G_READ: None, G_ENCRYPTED: "file-encrypted", G_OLD: "file-old-format", G_OTHER: "file-other-format",
           G_TEXT: "file-not-spreadsheet", G_NOT: "file-not-spreadsheet", G_DAMAGED: "file-damaged", G_EMPTY: "file-empty"}


class Kind(Enum):
    """A kind of file, with its group (which finding it raises) and, for Excel's binary
    formats, the Excel version that wrote it."""

    XLSX = ("xlsx", G_READ)
    XLSM = ("xlsm", G_READ)
    ODS = ("ods", G_READ)
    XLS = ("xls", G_READ, "Excel 97-2003", "BIFF8")
    XLSX_STRICT = ("xlsx-strict", G_READ)
    XLSB = ("xlsb", G_OTHER)
    XLS_BIFF5 = ("xls-biff5", G_READ, "Excel 5.0/95", "BIFF5")
    XLS_STREAM = ("xls-stream", G_OLD, "Excel 5.0-2003")
    XLS_BIFF4 = ("xls-biff4", G_OLD, "Excel 4.0", "BIFF4")
    XLS_BIFF3 = ("xls-biff3", G_OLD, "Excel 3.0", "BIFF3")
    XLS_BIFF2 = ("xls-biff2", G_OLD, "Excel 2.x", "BIFF2")
    SPREADSHEETML_2003 = ("spreadsheetml-2003", G_OTHER, "Excel 2002-2003")
    FODS = ("fods", G_OTHER)
    NUMBERS = ("numbers", G_OTHER)
    LOTUS = ("lotus", G_OLD)
    QUATTRO = ("quattro-pro", G_OLD)
    WORKS = ("works", G_OLD)
    OOXML_AGILE = ("encrypted-ooxml-agile", G_ENCRYPTED)
    OOXML_STANDARD = ("encrypted-ooxml-standard", G_ENCRYPTED)
    OOXML_PROTECTED = ("encrypted-ooxml-other", G_ENCRYPTED)
    XLS_RC4 = ("xls-rc4", G_ENCRYPTED, "Excel 97-2003", "BIFF8")
    XLS_CRYPTOAPI = ("xls-rc4-cryptoapi", G_ENCRYPTED, "Excel 97-2003", "BIFF8")
    XLS_XOR = ("xls-xor", G_ENCRYPTED)
    ODS_ENCRYPTED = ("ods-encrypted", G_ENCRYPTED)
    ZIP_ENCRYPTED = ("zip-encrypted", G_ENCRYPTED)
    CSV = ("csv", G_TEXT)
    TSV = ("tsv", G_TEXT)
    SYLK = ("sylk", G_TEXT)
    DIF = ("dif", G_TEXT)
    HTML_XLS = ("html-as-excel", G_NOT)
    HTML = ("html", G_NOT)
    XML = ("xml", G_NOT)
    PDF = ("pdf", G_NOT)
    IMAGE = ("image", G_NOT)
    WORD = ("word-processing", G_NOT)
    PRESENTATION = ("presentation", G_NOT)
    IWORK = ("iwork-other", G_NOT)
    EMAIL = ("outlook-message", G_NOT)
    ZIP = ("zip", G_NOT)
    ARCHIVE = ("archive", G_NOT)
    OLE_OTHER = ("ole-other", G_NOT)
    TEXT = ("text", G_NOT)
    UNKNOWN = ("unknown", G_NOT)
    TRUNCATED = ("truncated", G_DAMAGED)
    DAMAGED = ("damaged", G_DAMAGED)
    EMPTY = ("empty", G_EMPTY)

    def __new__(cls, slug: str, group: str, excel_version: str = "", biff: str = ""):
        member = object.__new__(cls)
        member._value_ = slug
        member.group, member.excel_version, member.biff = group, excel_version, biff
        return member

    @property
    def readable(self) -> bool:
        """A workbook the reader can take data from."""
        return self.group == G_READ

    @property
    def encrypted(self) -> bool:
        return self.group == G_ENCRYPTED

    @property
    def finding(self) -> str | None:
        return FINDING[self.group]


@dataclass(frozen=True)
class Sniffed:
    """A kind and the evidence for it, in English, for the log and --debug (never a reason)."""

    kind: Kind
    detail: str = ""


HEAD = 8192  # bytes of a text file looked at
BIFF_BOF = {0x0009: Kind.XLS_BIFF2, 0x0209: Kind.XLS_BIFF3, 0x0409: Kind.XLS_BIFF4, 0x0809: Kind.XLS_BIFF5}
BIFF_TYPES = {0x0005, 0x0006, 0x0010, 0x0020, 0x0040, 0x0100}
LOTUS_SHORT = {0x0404: "Lotus 1-2-3 1A (.wks)", 0x0405: "Symphony (.wrk)", 0x0406: "Lotus 1-2-3 2 (.wk1)"}
QUATTRO_SHORT = {0x5120: "Quattro Pro for DOS (.wq1)", 0x5121: "Quattro Pro for DOS (.wq2)",
                 0x1001: "Quattro Pro for Windows (.wb1)", 0x1002: "Quattro Pro for Windows (.wb2)",
                 0x1007: "Quattro Pro for Windows (.wb3)"}
IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
ARCHIVES = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")
STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


def sniff(data, name: str = "") -> Sniffed:
    """The kind of a file from its bytes (bytes, bytearray, memoryview or mmap); never raises."""
    try:
        return _sniff(data, name)
    except Truncated as cut:
        return Sniffed(Kind.TRUNCATED, f"cut short: {cut}")
    except Malformed as bad:
        return Sniffed(Kind.DAMAGED, f"structure broken: {bad}")
    except Exception as exc:  # a gap in the sniffer must not cost the file its verdict
        return Sniffed(Kind.UNKNOWN, f"sniffer failed: {type(exc).__name__}")


def _sniff(data, name: str) -> Sniffed:
    head = bytes(data[:HEAD])
    if not head:
        return Sniffed(Kind.EMPTY)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data, name)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(Ole(data))
    found = _magic(head, len(data)) or _records(head) or _text(head, name)
    return found or Sniffed(Kind.UNKNOWN, "binary data of no known kind")


def _magic(head: bytes, size: int) -> Sniffed | None:
    if b"%PDF-" in head[:1024]:
        return Sniffed(Kind.PDF)
    if head.startswith(IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") \
            or (head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif")):
        return Sniffed(Kind.IMAGE)
    if head.startswith(b"BM") and len(head) >= 18 and struct.unpack_from("<I", head, 2)[0] == size:
        return Sniffed(Kind.IMAGE, "bitmap")
    if head.startswith(ARCHIVES):
        return Sniffed(Kind.ARCHIVE)
    if head.startswith(b"{\\rtf"):
        return Sniffed(Kind.WORD, "RTF")
    return None


# --- binary record formats at offset 0: Excel 2-5, Lotus, Quattro Pro, Works ---------------------


def _records(head: bytes) -> Sniffed | None:
    if len(head) < 8:
        return None
    rid, length, version = struct.unpack_from("<HHH", head)
    kind = BIFF_BOF.get(rid)
    if kind is not None and 4 <= length <= 20 and struct.unpack_from("<H", head, 6)[0] in BIFF_TYPES:
        if rid == 0x0809:  # a BIFF5 or BIFF8 stream lifted out of its compound file
            biff8 = length >= 16 and version == 0x0600
            return _biff_encryption(head, Kind.XLS_STREAM, "BIFF8" if biff8 else "BIFF5", "at offset 0")
        return _biff_encryption(head, kind, kind.biff, "at offset 0")
    if rid == 0x0000 and length == 2:
        if version in LOTUS_SHORT:
            return Sniffed(Kind.LOTUS, LOTUS_SHORT[version])
        if version in QUATTRO_SHORT:
            return Sniffed(Kind.QUATTRO, QUATTRO_SHORT[version])
    if rid == 0x0000 and length == 0x1A and 0x1000 <= version <= 0x1005:
        return Sniffed(Kind.LOTUS, f"Lotus 1-2-3 release 3 or later (BOF {version:#06x})")
    if rid == 0x0000 and length == 0x0E:
        return Sniffed(Kind.QUATTRO, "Quattro Pro for Windows")
    if head[4:7] == b"QPW":
        return Sniffed(Kind.QUATTRO, "Quattro Pro 9 or later")
    if rid == 0x00FF and length == 2:
        return Sniffed(Kind.WORKS, "Microsoft Works spreadsheet")
    if head[2] == 0 and head[3] in (8, 9) and len(head) >= 16 and head[14:16] == b"\x05\x6c":
        return Sniffed(Kind.WORKS, "Microsoft Works 3 for Mac")
    if head[0] < 6 and head[1] == 0xFE and not _looks_textual(head):
        return Sniffed(Kind.WORKS, "Microsoft Works for DOS document")
    return None


def _biff_encryption(stream: bytes, kind: Kind, biff: str, where: str) -> Sniffed:
    """Look past the BOF for a FILEPASS record, which comes before the first sheet's records:
    BIFF8 names its method (XOR, RC4, RC4 CryptoAPI); earlier versions only had XOR."""
    at = 0
    for _ in range(64):
        if at + 4 > len(stream):
            break
        rid, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        if rid == 0x002F:
            if biff == "BIFF8" and len(body) >= 4:
                method, major = struct.unpack_from("<HH", body)
                if method == 0x0001 and major == 1:
                    return Sniffed(Kind.XLS_RC4, f"{biff} {where}, FILEPASS RC4")
                if method == 0x0001:
                    return Sniffed(Kind.XLS_CRYPTOAPI, f"{biff} {where}, FILEPASS RC4 CryptoAPI {major}")
            return Sniffed(Kind.XLS_XOR, f"{biff} {where}, FILEPASS XOR obfuscation")
        if rid in (0x000A, 0x0085, 0x0008) and at > 0:
            break  # EOF, the first sheet's name or its first ROW: FILEPASS would have come by now
        at += 4 + length
    return Sniffed(kind, f"{biff} {where}")


# --- containers ----------------------------------------------------------------------------------


def _sniff_zip(data, name: str) -> Sniffed:
    try:
        entries = zip_entries(data)
    except Truncated:
        first = zip_truncated_names(data)
        what = _package_of(first)
        return Sniffed(Kind.TRUNCATED, f"zip cut short, no central directory{'; ' + what if what else ''}")
    if not entries:
        return Sniffed(Kind.TRUNCATED, "an empty zip archive")
    by_name = {e.name: e for e in entries}

    def read(member: str, limit: int = 4096) -> bytes:
        entry = by_name.get(member)
        return (zip_read(data, entry, limit) or b"") if entry else b""

    if "mimetype" in by_name or "META-INF/manifest.xml" in by_name:
        found = _odf(read("mimetype", 200), read("META-INF/manifest.xml", 256 * 1024), by_name)
        if found:
            return found
    if any(e.encrypted for e in entries):
        return Sniffed(Kind.ZIP_ENCRYPTED, _package_of(list(by_name)) or "members encrypted")
    if "xl/workbook.bin" in by_name:
        return Sniffed(Kind.XLSB)
    if "xl/workbook.xml" in by_name:
        if STRICT_NS in read("xl/workbook.xml", 16_384):
            return Sniffed(Kind.XLSX_STRICT, "strict namespace in xl/workbook.xml")
        macro = b"macroEnabled" in read("[Content_Types].xml", 64 * 1024) or "xl/vbaProject.bin" in by_name
        return Sniffed(Kind.XLSM if macro else Kind.XLSX)
    if any(n.endswith(".iwa") for n in by_name) or "Index.zip" in by_name:
        numbers = any("CalculationEngine" in n for n in by_name) or name.lower().endswith(".numbers")
        return Sniffed(Kind.NUMBERS if numbers else Kind.IWORK)
    if "word/document.xml" in by_name:
        return Sniffed(Kind.WORD, "Word document (.docx)")
    if "ppt/presentation.xml" in by_name:
        return Sniffed(Kind.PRESENTATION, "PowerPoint presentation (.pptx)")
    if b"spreadsheetml" in read("[Content_Types].xml", 64 * 1024):
        return Sniffed(Kind.DAMAGED, "an Excel package without its workbook part")
    inside = [n for n in by_name if n.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))]
    return Sniffed(Kind.ZIP, f"a zip archive holding {len(inside)} workbook{'' if len(inside) == 1 else 's'}" if inside else "a zip archive")


def _odf(mimetype: bytes, manifest: bytes, by_name: dict) -> Sniffed | None:
    media = mimetype.strip().decode("ascii", "replace")
    if not media:
        m = re.search(rb'full-path="/"[^>]*?media-type="([^"]+)"|media-type="([^"]+)"[^>]*?full-path="/"', manifest)
        media = (m.group(1) or m.group(2)).decode("ascii", "replace") if m else ""
    if b"encryption-data" in manifest and (media.startswith("application/vnd.oasis.opendocument.spreadsheet")
                                           or "encrypted-package" in by_name):
        return Sniffed(Kind.ODS_ENCRYPTED, "OpenDocument with encryption-data in its manifest")
    if media.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        if "content.xml" not in by_name:
            return Sniffed(Kind.DAMAGED, "OpenDocument spreadsheet without content.xml")
        return Sniffed(Kind.ODS)
    if media.startswith("application/vnd.oasis.opendocument.text"):
        return Sniffed(Kind.WORD, "OpenDocument text (.odt)")
    if media.startswith("application/vnd.oasis.opendocument.presentation"):
        return Sniffed(Kind.PRESENTATION, "OpenDocument presentation (.odp)")
    if media.startswith("application/vnd.oasis.opendocument"):
        return Sniffed(Kind.UNKNOWN, f"OpenDocument {media.rsplit('.', 1)[-1]}")
    return None


def _package_of(names: list[str]) -> str:
    if any(n.startswith("xl/") for n in names) or "[Content_Types].xml" in names:
        return "an Office Open XML package"
    if "mimetype" in names or "content.xml" in names:
        return "an OpenDocument package"
    return ""


def _sniff_ole(ole: Ole) -> Sniffed:
    # Names in a compound file compare without case; writers other than Office spell them in capitals.
    names = ole.top_names() or {e.name for e in ole.entries[1:]}
    top = {n.upper() for n in names}
    if top & {"ENCRYPTEDPACKAGE", "ENCRYPTIONINFO"}:
        return _ooxml_encryption(ole)
    if "\tDRMCONTENT" in top:
        return Sniffed(Kind.OOXML_PROTECTED, "rights-managed (IRM) package")
    for stream, kind in (("Workbook", Kind.XLS), ("Book", Kind.XLS_BIFF5)):
        entry = ole.find(stream) if stream.upper() in top else None
        if entry is not None:
            return _ole_biff(ole.read(entry, 16_384), kind, stream)
    if top & {"PERFECTOFFICE_MAIN", "NATIVECONTENT_MAIN"}:
        return Sniffed(Kind.QUATTRO, "Quattro Pro for Windows 7 or later")
    if top & {"WKSSSWORKBOOK", "MATOST", "MN0"}:
        return Sniffed(Kind.WORKS, "Microsoft Works file")
    if "CONTENTS" in top:
        entry = ole.find("CONTENTS")
        if entry is not None and ole.read(entry, 8)[:7] in (b"CHNKWKS", b"CHNKINK"):
            return Sniffed(Kind.WORKS, "Microsoft Works word-processing document")
    if "WORDDOCUMENT" in top:
        return Sniffed(Kind.WORD, "Word 97-2003 document (.doc)")
    if "POWERPOINT DOCUMENT" in top:
        return Sniffed(Kind.PRESENTATION, "PowerPoint 97-2003 presentation (.ppt)")
    if any(n.startswith("__SUBSTG1.0_") for n in top) or "__PROPERTIES_VERSION1.0" in top:
        return Sniffed(Kind.EMAIL)
    return Sniffed(Kind.OLE_OTHER, "streams: " + ", ".join(sorted(repr(n) for n in names)[:8]))


def _ooxml_encryption(ole: Ole) -> Sniffed:
    entry = ole.find("EncryptionInfo")
    info = ole.read(entry, 8) if entry is not None else b""
    if len(info) < 4:
        return Sniffed(Kind.OOXML_PROTECTED, "EncryptionInfo missing or empty")
    major, minor = struct.unpack_from("<HH", info)
    if (major, minor) == (4, 4):
        return Sniffed(Kind.OOXML_AGILE, "EncryptionInfo 4.4 (agile)")
    if minor == 2 and major in (2, 3, 4):
        return Sniffed(Kind.OOXML_STANDARD, f"EncryptionInfo {major}.{minor} (standard)")
    return Sniffed(Kind.OOXML_PROTECTED, f"EncryptionInfo {major}.{minor}")


def _ole_biff(stream: bytes, kind: Kind, name: str) -> Sniffed:
    if len(stream) < 8:
        return Sniffed(Kind.DAMAGED, f"stream {name!r} holds {len(stream)} bytes")
    rid, length, version = struct.unpack_from("<HHH", stream)
    if rid != 0x0809:
        if rid in BIFF_BOF:
            return _biff_encryption(stream, BIFF_BOF[rid], BIFF_BOF[rid].biff, f"in stream {name!r}")
        return Sniffed(Kind.DAMAGED, f"stream {name!r} does not begin with a BOF record")
    if version == 0x0600 or (kind is Kind.XLS and version != 0x0500):
        kind = Kind.XLS
    else:
        kind = Kind.XLS_BIFF5
    return _biff_encryption(stream, kind, kind.biff, f"in stream {name!r}")


# --- text ----------------------------------------------------------------------------------------


def _decode(head: bytes) -> str | None:
    """The text of a head that is text, or None for binary data."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].decode("utf-8", "replace")
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:len(head) & ~1].decode(codec, "replace")
    if b"\x00" in head:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd > len(head) * 0.4 and even < len(head) * 0.05:  # Excel's 'Unicode Text' has no BOM at times
            return head[:len(head) & ~1].decode("utf-16-le", "replace")
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = head.decode("utf-8", "replace") if exc.start >= len(head) - 3 else head.decode("cp1252", "replace")
    return text if _looks_textual(text) else None


def _looks_textual(text) -> bool:
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v\x1a")
    return control <= len(text) * 0.01


def _text(head: bytes, name: str) -> Sniffed | None:
    text = _decode(head)
    if text is None:
        return None
    body = text.lstrip("\ufeff \t\r\n")
    low = body[:HEAD].lower()
    ext = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if low.startswith("<"):
        return _markup(low, ext)
    if body.startswith("ID;P") and re.match(r"ID;P[^\n]*\r?\n(B|C|F|P|O|NN|NE|NU|W|E)\b", body):
        return Sniffed(Kind.SYLK)
    if re.match(r"table\r?\n0,1\r?\n", low):
        return Sniffed(Kind.DIF)
    lines = [ln for ln in body.splitlines()[:-1 if len(head) >= HEAD else None] if ln.strip()][:30]
    delimiter = _delimiter(lines)
    if delimiter == "\t" or (delimiter is None and ext in ("tsv", "tab")):
        return Sniffed(Kind.TSV)
    if delimiter is not None or ext == "csv":
        return Sniffed(Kind.CSV, f"separated by {delimiter!r}" if delimiter else "one column")
    return Sniffed(Kind.TEXT)


def _markup(low: str, ext: str) -> Sniffed:
    if "urn:schemas-microsoft-com:office:spreadsheet" in low or 'progid="excel.sheet"' in low:
        return Sniffed(Kind.SPREADSHEETML_2003)
    if "<office:document" in low and "opendocument.spreadsheet" in low:
        return Sniffed(Kind.FODS)
    if re.search(r"<(!doctype html|html|table|body)\b", low):
        excel = "urn:schemas-microsoft-com:office:excel" in low or ext in ("xls", "xlsx", "xlsm", "xlt")
        return Sniffed(Kind.HTML_XLS if excel else Kind.HTML)
    return Sniffed(Kind.XML)


def _delimiter(lines: list[str]) -> str | None:
    """The separator a text export uses: the one found the same number of times (at least once)
    on most lines, or at least twice on a single line."""
    best = None
    for sep in ("\t", ";", ",", "|"):
        counts = [ln.count(sep) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        common = max(set(counts), key=counts.count)
        agree = counts.count(common) / len(counts)
        if common >= (2 if len(lines) == 1 else 1) and agree >= 0.8:
            if best is None or common > best[1]:
                best = (sep, common)
    return best[0] if best else None
