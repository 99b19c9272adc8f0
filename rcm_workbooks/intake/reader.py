"""A returned file -> raw cell values with their sheet and A1 positions.

Everything here distrusts the file: its kind is sniffed from its bytes (not its name), a zip's
declared sizes are checked before anything is inflated, XML with a DOCTYPE is refused, and sheets
are read only as far as the template's rows go. Values come from python-calamine (fast, never runs
macros); the few things calamine hides (formulas, error cells, protection) come from the XML.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cells import col_letter
from .package import SheetInfo, saved_time, workbook_sheets

_CELL = re.compile(rb'<c\s([^>]*?)(?:/>|>(.*?)</c>)', re.S)
JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", ".gitkeep", "icon\r"}


@dataclass(frozen=True)
class ReadLimits:
    """Bounds no genuine return comes near; a file beyond them is refused before parsing."""

    max_file_mb: float = 100.0
    max_unzipped_mb: float = 256.0
    max_ratio: float = 500.0  # per zip member larger than 10 MiB once inflated
    extra_rows: int = 1000  # rows read below the template's last input row
    max_cols: int = 64


class ReadFailure(Exception):
    """The file cannot be read as a return; carries the finding code and its parameters."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


def ignore_reason(path: Path) -> str | None:
    """Files that are never returns: Excel's lock files and the operating system's leftovers (a code of
    texts.TERMS['ignored'])."""
    name = path.name
    if name.startswith("~$"):
        return "lock-file"
    if name.lower() in JUNK_NAMES or name.startswith("._"):
        return "system-file"
    return None


def _special_marks(xml: bytes) -> list[tuple[int, int]]:
    """Where a formula's element (<f>, <f .../>) or an error's type (t="e") stands, in order."""
    marks = []
    for needle, ok in ((b"<f", lambda i: xml[i + 2:i + 3] in (b">", b" ", b"/", b"\t", b"\r", b"\n")),
                       (b't="e"', lambda i: xml[i - 1:i].isspace())):
        i = xml.find(needle)
        while i >= 0:
            if ok(i):
                marks.append((i, i + len(needle)))
            i = xml.find(needle, i + 1)
    return sorted(marks)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kind_of_bytes(head: bytes) -> str:
    """What a file that is not a workbook looks like, as a code of texts.TERMS['file_kind'] (the slugs
    of intake.sniff.Kind, but for "opendocument": an OpenDocument file that is no spreadsheet)."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "word-processing"
    stripped = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if stripped.startswith(b"<"):
        return "html"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            return "unknown"
    first = text.splitlines()[0] if text.splitlines() else ""
    if first.count(",") >= 2 or first.count(";") >= 2 or first.count("\t") >= 2:
        return "csv"
    return "text"


@dataclass
class RawWorkbook:
    """An opened return: sheet list, values on demand, and the XML facts calamine does not give."""

    path: Path
    kind: str  # xlsx | xlsm | ods | xls
    data: bytes
    sha256: str
    sheets: list[SheetInfo]
    saved_at: dt.datetime | None
    structure_locked: bool | None
    limits: ReadLimits
    _zip: zipfile.ZipFile | None = None
    _cal: object = None
    _xml_cache: dict = field(default_factory=dict)
    values: dict | None = None  # sheet -> rows, for formats read up front (.xls)
    _shared: list | None = None
    broken: set = field(default_factory=set)  # sheets whose part is lost or damaged
    repairs: list = field(default_factory=list)  # damage that costs no data, to report
    cal_data: bytes | None = None  # what calamine reads when the package needed mending

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    def _sheet_xml(self, name: str) -> bytes | None:
        if name in self.broken:
            raise ReadFailure("file-damaged", detail=f"the part holding sheet '{name}' is missing or damaged")
        info = self.sheet(name)
        if not info or not info.part or self._zip is None:
            return None
        if name not in self._xml_cache:
            self._xml_cache[name] = self._zip.read(info.part)
        return self._xml_cache[name]

    def last_row(self, name: str) -> int | None:
        """The last row number the sheet's XML holds (rows are stored in order)."""
        xml = self._sheet_xml(name)
        if xml is None:
            return None
        i = xml.rfind(b"<row ")
        if i < 0:
            return 0
        m = re.compile(rb'\sr="(\d+)"').search(xml, i, i + 200)
        return int(m.group(1)) if m else None

    def rows(self, name: str, max_row: int) -> list[list]:
        """Values of rows 1..max_row (index 0 is row 1; column 0 is A), never reading further."""
        if self.values is not None:
            return self.values.get(name, [])[:max_row]
        xml = self._sheet_xml(name)
        last = self.last_row(name)
        if xml is not None and last is not None and last > max_row:
            # Reading a far-away cell would make calamine build a dense range of a million rows:
            # hand it a copy of the sheet cut after max_row instead.
            rows = self._rows_cut(name, xml, max_row)
        else:
            rows = self._calamine().get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=max_row)
        if xml is not None:
            self._restore_long_texts(xml, rows)
        return rows

    def last_cell(self, name: str) -> str:
        """The A1 reference of the last cell the sheet's XML holds."""
        xml = self._sheet_xml(name) or b""
        i = xml.rfind(b"<row ")
        refs = re.findall(rb'<c\b[^>]*?\br="([A-Z]+\d+)"', xml[max(i, 0):])
        return refs[-1].decode() if refs else ""

    def _restore_long_texts(self, xml: bytes, rows: list[list]) -> None:
        # calamine cuts a text at Excel's 32,767 characters; the XML may hold more, and nothing
        # typed may be lost, so such cells are read again from the XML.
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if isinstance(value, str) and len(value) >= 32_767:
                    full = self._cell_text(xml, f"{col_letter(c)}{r + 1}")
                    if full is not None and len(full) > len(value):
                        cells[c] = full

    def _cell_text(self, xml: bytes, ref: str) -> str | None:
        m = re.search(rb'<c\b[^>]*?\br="' + ref.encode() + rb'"([^>]*)>(.*?)</c>', xml, re.S)
        if not m:
            return None
        body = m.group(2)
        if b't="s"' in m.group(0)[: m.group(0).index(b">") + 1]:
            v = re.search(rb"<v>(\d+)</v>", body)
            shared = self._shared_strings()
            return shared[int(v.group(1))] if v and int(v.group(1)) < len(shared) else None
        return "".join(_unescape(t) for t in re.findall(rb"<t[^>]*>(.*?)</t>", body, re.S)) or None

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            try:
                xml = self._zip.read("xl/sharedStrings.xml")
            except KeyError:
                xml = b""
            self._shared = ["".join(_unescape(t) for t in re.findall(rb"<t[^>]*>(.*?)</t>", si, re.S))
                            for si in re.findall(rb"<si>(.*?)</si>", xml, re.S)]
        return self._shared

    def _rows_cut(self, name: str, xml: bytes, max_row: int) -> list[list]:
        from python_calamine import CalamineWorkbook

        cut = len(xml)
        for m in re.finditer(rb'<row [^>]*?\br="(\d+)"', xml):
            if int(m.group(1)) > max_row:
                cut = m.start()
                break
        head = xml[:cut]
        if b"<sheetData" in head and not head.rstrip().endswith(b"</sheetData>"):
            head += b"</sheetData></worksheet>"
        part = self.sheet(name).part
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for item in self._zip.infolist():
                z.writestr(item.filename, head if item.filename == part else self._zip.read(item.filename))
        out.seek(0)
        return CalamineWorkbook.from_filelike(out).get_sheet_by_name(name).to_python(
            skip_empty_area=False, nrows=max_row)

    def meta(self, name: str = "_meta") -> list[list] | None:
        if self.sheet(name) is None:
            return None
        return self.rows(name, 500)

    def specials(self, name: str, skip_column: str = "") -> dict[str, tuple[str, str]]:
        """Cells holding a formula or an error value: {A1: ("formula", "=SUM(..)") | ("error", "#N/A")}.

        skip_column: a column letter whose cells are not wanted (the template's own check).
        """
        if self.kind == "ods":
            return self._ods_sheet(name)[0]
        skip = b'<c r="' + skip_column.encode() if skip_column else b""
        xml = self._sheet_xml(name)
        if not xml or (b"<f>" not in xml and b"<f " not in xml and b"<f/>" not in xml and b't="e"' not in xml):
            return {}
        out = {}
        # Only the cells a formula or an error marks are parsed, and the skipped column's are
        # passed over on their first bytes: every template carries a column of formulas (its own
        # check), and parsing those or walking all of a sheet's cells cost more than the rest of
        # reading a return.
        pos = 0
        for at, end in _special_marks(xml):
            if at < pos:
                continue  # inside the cell just read
            start = xml.rfind(b"<c ", 0, at + 1)
            if skip and xml.startswith(skip, start) and xml[start + len(skip):start + len(skip) + 1].isdigit():
                continue
            m = _CELL.match(xml, start) if start >= 0 else None
            if m is None or m.end() < end:
                continue
            pos = m.end()
            attrs, body = m.group(1), m.group(2) or b""
            ref = re.search(rb'\br="([A-Z]+\d+)"', attrs)
            if not ref:
                continue
            cell = ref.group(1).decode()
            f = re.search(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", body, re.S)
            if b't="e"' in attrs:  # an error shown is an error, formula or not
                v = re.search(rb"<v>(.*?)</v>", body, re.S)
                out[cell] = ("error", _unescape(v.group(1)) if v else "#ERROR")
            elif f is not None:
                out[cell] = ("formula", "=" + _unescape(f.group(1) or b""))
        return out

    def _ods_sheet(self, name: str, max_row: int = 25_000) -> tuple[dict, bool | None]:
        """Formulas, error values and protection of one table of an .ods, from content.xml."""
        key = ("ods", name)
        if key in self._xml_cache:
            return self._xml_cache[key]
        from defusedxml.ElementTree import iterparse

        t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
        specials: dict = {}
        protected = None
        inside, row, col = False, 0, 0
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf, zf.open("content.xml") as fh:
            for event, el in iterparse(fh, events=("start", "end")):
                tag = el.tag
                if tag == f"{t}table":
                    if event == "start" and el.get(f"{t}name") == name:
                        inside, protected = True, el.get(f"{t}protected") == "true"
                    elif event == "end" and inside:
                        break
                    continue
                if not inside:
                    if event == "end":
                        el.clear()
                    continue
                if tag == f"{t}table-row" and event == "start":
                    row, col = row + 1, 0
                elif tag == f"{t}table-row" and event == "end":
                    row += int(el.get(f"{t}number-rows-repeated", "1")) - 1
                    el.clear()
                    if row > max_row:
                        break
                elif tag in (f"{t}table-cell", f"{t}covered-table-cell") and event == "end":
                    formula = el.get(f"{t}formula")
                    if formula:
                        ref = f"{col_letter(col)}{row}"
                        text = "".join(el.itertext()).strip()
                        if text.startswith(("#", "Err:")) and el.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type") in (None, "string"):
                            specials[ref] = ("error", text)
                        else:
                            specials[ref] = ("formula", "=" + formula.split(":=", 1)[-1].lstrip("="))
                    col += int(el.get(f"{t}number-columns-repeated", "1"))
        self._xml_cache[key] = (specials, protected)
        return specials, protected

    def sheet_protected(self, name: str) -> bool | None:
        if self.kind == "ods":
            return self._ods_sheet(name)[1]
        xml = self._sheet_xml(name)
        if xml is None:
            return None
        m = re.search(rb"<sheetProtection\b([^>]*)>", xml)
        return bool(m) and b'sheet="0"' not in m.group(1) and b'sheet="false"' not in m.group(1)

    def _calamine(self):
        if self._cal is None:
            from python_calamine import CalamineWorkbook

            try:
                self._cal = CalamineWorkbook.from_filelike(io.BytesIO(self.cal_data or self.data))
            except Exception as exc:  # calamine's own refusals: the file, not the tool, is at fault
                raise ReadFailure("file-damaged", detail=f"{type(exc).__name__}: {exc}") from None
        return self._cal


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def open_return(path: Path, limits: ReadLimits = ReadLimits(), data: bytes | None = None) -> RawWorkbook:
    """Open a returned file for reading, or raise ReadFailure saying why it is not a readable return."""
    if data is None:
        size = path.stat().st_size
        if size > limits.max_file_mb * 2**20:
            raise ReadFailure("file-too-large", detail=f"{size / 2**20:.0f} MB on disk", limit=f"{limits.max_file_mb:.0f} MB")
        data = path.read_bytes()
    if not data:
        raise ReadFailure("file-empty")
    digest = sha256_of(data)
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _open_zip(path, data, digest, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _open_ole(path, data, digest, limits)
    raise ReadFailure("file-not-spreadsheet", kind=_kind_of_bytes(data[:4096]))


def _open_ole(path: Path, data: bytes, digest: str, limits: ReadLimits) -> RawWorkbook:
    # An OLE container is either an encrypted OOXML package or an old binary .xls.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadFailure("file-encrypted")
    import tempfile

    from python_calamine import CalamineWorkbook

    # calamine tells .xls apart only by the file name, so it reads a private copy.
    with tempfile.TemporaryDirectory(prefix="rcm-xls-") as tmp:
        copy = Path(tmp) / "return.xls"
        copy.write_bytes(data)
        try:
            cal = CalamineWorkbook.from_path(str(copy))
            sheets = [SheetInfo(m.name, _state(m.visible)) for m in cal.sheets_metadata]
            values = {s.name: cal.get_sheet_by_name(s.name).to_python(skip_empty_area=False, nrows=limits.extra_rows + 20_000)
                      for s in sheets}
        except Exception as exc:
            if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
                raise ReadFailure("file-encrypted") from None
            raise ReadFailure("file-old-format", kind="xls") from None
    return RawWorkbook(path, "xls", data, digest, sheets, None, None, limits, None, None, values=values)


def _state(visible) -> str:
    name = str(getattr(visible, "name", visible)).lower()
    return {"visible": "visible", "hidden": "hidden", "veryhidden": "veryHidden"}.get(name, "visible")


def _open_zip(path: Path, data: bytes, digest: str, limits: ReadLimits) -> RawWorkbook:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadFailure("file-damaged", detail=f"not a complete zip package: {exc}") from None
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_mb * 2**20:
        raise ReadFailure("file-too-large", detail=f"{total / 2**20:,.0f} MB", limit=f"{limits.max_unzipped_mb:,.0f} MB")
    for i in infos:
        if i.file_size > 10 * 2**20 and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            raise ReadFailure("file-too-large",
                              detail=f"{i.file_size / 2**20:,.0f} MB from {i.compress_size / 2**10:,.0f} KB in {i.filename}",
                              limit=f"a ratio of {limits.max_ratio:,.0f}")
    names = {i.filename for i in infos}
    try:
        damaged = _verify_members(zf, infos)
        if "mimetype" in names and zf.read("mimetype").strip() == b"application/vnd.oasis.opendocument.spreadsheet":
            return _open_ods(path, data, digest, limits)
        if "xl/workbook.xml" not in names:
            if "word/document.xml" in names:
                raise ReadFailure("file-not-spreadsheet", kind="word-processing")
            if "ppt/presentation.xml" in names:
                raise ReadFailure("file-not-spreadsheet", kind="presentation")
            if "mimetype" in names:
                raise ReadFailure("file-not-spreadsheet", kind="opendocument")
            raise ReadFailure("file-not-spreadsheet", kind="zip")
        vital = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"}
        if damaged & vital:
            raise ReadFailure("file-damaged", detail=f"{sorted(damaged & vital)[0]} is damaged")
        sheets, structure_locked = workbook_sheets(zf)
        # A sheet whose part is lost or damaged fails only if it is read (`_meta`, the matrix);
        # the Instructions or the lists hold no data, so losing them loses nothing.
        broken = {s.name for s in sheets if s.part and (s.part not in names or s.part in damaged)}
        content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except ReadFailure:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
        raise ReadFailure("file-damaged", detail=f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # defusedxml's refusals and XML syntax errors
        if "Entities" in type(exc).__name__ or "DTD" in type(exc).__name__:
            raise ReadFailure("file-unsafe-xml") from None
        raise ReadFailure("file-damaged", detail=f"{type(exc).__name__}: {exc}") from None
    kind = "xlsm" if b"macroEnabled" in content_types or "xl/vbaProject.bin" in names else "xlsx"
    saved_at = None
    if "docProps/core.xml" not in damaged:
        saved_at = saved_time(zf, "docProps/core.xml", rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
    repairs = sorted(damaged - {s.part for s in sheets}) + (["_rels/.rels (missing)"] if "_rels/.rels" not in names else [])
    wb = RawWorkbook(path, kind, data, digest, sheets, saved_at, structure_locked, limits, zf)
    wb.broken, wb.repairs = broken, repairs
    if damaged or "_rels/.rels" not in names:
        wb.cal_data = _repaired(zf, damaged)
    return wb


_PACKAGE_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def _repaired(zf: zipfile.ZipFile, damaged: set[str]) -> bytes:
    """A copy for calamine without the damaged members and with the package relationships it
    needs to recognise the format; the file itself is never changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zf.infolist():
            if item.filename not in damaged:
                z.writestr(item.filename, zf.read(item.filename))
        if "_rels/.rels" not in zf.namelist():
            z.writestr("_rels/.rels", _PACKAGE_RELS)
    return out.getvalue()


def _verify_members(zf: zipfile.ZipFile, infos) -> set[str]:
    """Inflate each member once, never past its declared size (zipfile stops there and checks the
    CRC), so a member that lies about its size is refused before any parser inflates it; and look
    for DTDs anywhere in the XML, where entity bombs live. Returns the members that are damaged."""
    import zlib

    damaged = set()
    for info in infos:
        xml = info.filename.endswith((".xml", ".rels")) or info.filename == "mimetype"
        tail = b""
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    if xml:
                        window = (tail + chunk).upper()
                        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                            raise ReadFailure("file-unsafe-xml")
                        tail = chunk[-16:]
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            damaged.add(info.filename)
    return damaged


def _open_ods(path: Path, data: bytes, digest: str, limits: ReadLimits) -> RawWorkbook:
    from python_calamine import CalamineWorkbook

    try:
        cal = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [SheetInfo(m.name, _state(m.visible)) for m in cal.sheets_metadata]
    except Exception as exc:
        raise ReadFailure("file-damaged", detail=f"{type(exc).__name__}: {exc}") from None
    zf = zipfile.ZipFile(io.BytesIO(data))
    saved_at = saved_time(zf, "meta.xml", rb"<dc:date>([^<]+)</dc:date>")
    return RawWorkbook(path, "ods", data, digest, sheets, saved_at, None, limits, None, cal)
