"""A returned file -> raw cell values with their sheet and A1 positions.

Everything here distrusts the file: its kind is sniffed from its bytes (intake.sniff, never its
name), a zip's declared sizes are checked before anything is inflated, XML with a DOCTYPE is
refused, and sheets are read only as far as the template's rows go. Before python-calamine reads a
sheet, the cells it would build and the text they would hold (a shared text counted in every cell
that uses it) are counted from the XML, and the time spent on the file is checked between steps:
a file past a bound is refused with the bound it passed (ReadLimits). Values come from
python-calamine (fast, never runs macros); the few things calamine hides (formulas, error cells,
protection) come from the XML.

A failure is a ReadFailure naming, as codes core.kinds words, the kind of file (`kind`, `advice`),
what could not be read (`damage`) or the bound passed (`bound`); a library's exception text goes
only into `evidence`, for --debug and the JSON.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cells import col_letter
from .biff import biff_sizes
from .bounds import SharedTexts, cell_count, cut_at, ods_sizes
from .package import (SheetInfo, UnsafeXml, parts_of, repaired, saved_time, sheet_state, verify_members,
                      workbook_sheets)
from .peek import Malformed
from .sniff import Kind, sniff
from .strict import TooLarge, to_transitional

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
    max_seconds: float = 20.0  # spent on one file, checked between steps
    max_text_mchars: float = 32.0  # millions of characters the cells of one sheet may hold
    max_cells: int = 2_000_000  # cells python-calamine would build for one sheet (rows x columns)


class ReadFailure(Exception):
    """The file cannot be read as a return; carries the finding code and its parameters."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    @classmethod
    def of_kind(cls, kind, evidence: str = "") -> ReadFailure:
        """The failure a kind of file the reader takes no data from gets: its finding, the kind's
        words and its advice (both its slug, worded by core.kinds)."""
        if kind.finding == "file-damaged":
            return cls("file-damaged", damage=kind.value, evidence=evidence)
        return cls(kind.finding, kind=kind.value, advice=kind.value, evidence=evidence)


def _evidence(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


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
    _lengths: object = None  # SharedTexts, once a sheet's size is checked
    broken: set = field(default_factory=set)  # sheets whose part is lost or damaged
    repairs: list = field(default_factory=list)  # damage that costs no data, to report
    cal_data: bytes | None = None  # what calamine reads when the package needed mending
    deadline: float = float("inf")  # time.monotonic() by which reading this file must be done

    def check_time(self) -> None:
        """Refuse the file once it has taken longer than ReadLimits.max_seconds (between steps)."""
        if time.monotonic() > self.deadline:
            raise ReadFailure("file-over-limit", bound="time", limit=f"{self.limits.max_seconds:g}")

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    def _sheet_xml(self, name: str) -> bytes | None:
        if name in self.broken:
            raise ReadFailure("file-damaged", damage="sheet", name=name)
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
        self.check_time()
        xml = self._sheet_xml(name)
        last = self.last_row(name)
        cut = xml is not None and last is not None and last > max_row
        if xml is not None:
            self._check_size(name, xml[:cut_at(xml, max_row)] if cut else xml)
        if cut:
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

    def _check_size(self, name: str, xml: bytes) -> None:
        """Refuse a sheet python-calamine would build too many cells for, or too much text: it
        builds every cell of the rectangle from A1, and copies a shared text into each cell that
        uses it. Counted from the XML, before calamine reads it."""
        if self._lengths is None:
            self._lengths = SharedTexts(self._zip)
        _refuse_beyond(self.limits, name, cell_count(xml),
                       self._lengths.text_size(xml, int(self.limits.max_text_mchars * 1e6)))

    def _rows_cut(self, name: str, xml: bytes, max_row: int) -> list[list]:
        from python_calamine import CalamineWorkbook

        head = xml[:cut_at(xml, max_row)]
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
                raise ReadFailure("file-damaged", damage="values", evidence=_evidence(exc)) from None
        return self._cal


def _refuse_beyond(limits: ReadLimits, name: str, cells: int, chars: int) -> None:
    if cells > limits.max_cells:
        raise ReadFailure("file-over-limit", bound="cells", name=name, value=f"{cells:,}", limit=f"{limits.max_cells:,}")
    if chars > limits.max_text_mchars * 1e6:
        raise ReadFailure("file-over-limit", bound="text", name=name, value=f"{chars / 1e6:,.0f}",
                          limit=f"{limits.max_text_mchars:,g}")


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def open_return(path: Path, limits: ReadLimits = ReadLimits(), data: bytes | None = None) -> RawWorkbook:
    """Open a returned file for reading, or raise ReadFailure saying why it is not a readable return."""
    started = time.monotonic()
    if data is None:
        size = path.stat().st_size
        if size > limits.max_file_mb * 2**20:
            raise ReadFailure("file-too-large", detail=f"{size / 2**20:,.0f} MB", limit=f"{limits.max_file_mb:,.0f} MB")
        data = path.read_bytes()
    if not data:
        raise ReadFailure("file-empty")
    digest = sha256_of(data)
    found = sniff(data, path.name)
    kind = found.kind
    if kind is Kind.XLSX_STRICT:  # calamine reads strict; the look-ups here name the transitional namespaces
        try:
            data = to_transitional(data, int(limits.max_unzipped_mb * 2**20))
        except TooLarge as big:
            raise ReadFailure("file-too-large", detail=f"{big.size / 2**20:,.0f} MB",
                              limit=f"{limits.max_unzipped_mb:,.0f} MB") from None
    if kind in (Kind.XLSX, Kind.XLSM, Kind.ODS, Kind.XLSX_STRICT):
        wb = _open_zip(path, data, digest, limits)
    elif kind in (Kind.XLS, Kind.XLS_BIFF5):
        wb = _open_ole(path, data, digest, limits)
    else:
        raise ReadFailure.of_kind(kind, found.detail)
    wb.deadline = started + limits.max_seconds
    wb.check_time()
    return wb


def _open_ole(path: Path, data: bytes, digest: str, limits: ReadLimits) -> RawWorkbook:
    # The sniffer found a Workbook or Book stream and no encryption; calamine has the last word.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadFailure.of_kind(Kind.OOXML_PROTECTED)
    import tempfile

    from python_calamine import CalamineWorkbook

    max_rows = limits.extra_rows + 20_000
    try:  # calamine reads every sheet when it opens the file: measure them first
        sizes = biff_sizes(data, max_rows)
    except Malformed as exc:  # the sniffer read the same directory: the file changed in between
        raise ReadFailure("file-damaged", damage="xls-content", evidence=_evidence(exc)) from None
    for name, cells, chars in sizes:
        _refuse_beyond(limits, name, cells, chars)

    # calamine tells .xls apart only by the file name, so it reads a private copy.
    with tempfile.TemporaryDirectory(prefix="rcm-xls-") as tmp:
        copy = Path(tmp) / "return.xls"
        copy.write_bytes(data)
        try:
            cal = CalamineWorkbook.from_path(str(copy))
            sheets = [SheetInfo(m.name, sheet_state(m.visible)) for m in cal.sheets_metadata]
            values = {s.name: cal.get_sheet_by_name(s.name).to_python(skip_empty_area=False, nrows=max_rows)
                      for s in sheets}
        except Exception as exc:
            if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
                raise ReadFailure.of_kind(Kind.XLS_RC4, _evidence(exc)) from None
            raise ReadFailure("file-damaged", damage="xls-content", evidence=_evidence(exc)) from None
    return RawWorkbook(path, "xls", data, digest, sheets, None, None, limits, None, None, values=values)


def _open_zip(path: Path, data: bytes, digest: str, limits: ReadLimits) -> RawWorkbook:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadFailure("file-damaged", damage="package", evidence=_evidence(exc)) from None
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_mb * 2**20:
        raise ReadFailure("file-too-large", detail=f"{total / 2**20:,.0f} MB", limit=f"{limits.max_unzipped_mb:,.0f} MB")
    for i in infos:
        if i.file_size > 10 * 2**20 and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            raise ReadFailure("file-over-limit", bound="ratio", value=f"{i.file_size / max(i.compress_size, 1):,.0f}",
                              limit=f"{limits.max_ratio:,.0f}", evidence=f"{i.filename}: {i.file_size:,} bytes "
                              f"from {i.compress_size:,}")
    names = {i.filename for i in infos}
    try:
        damaged = verify_members(zf, infos)
        if "content.xml" in names and "xl/workbook.xml" not in names:  # sniffed as an OpenDocument spreadsheet
            return _open_ods(path, data, digest, limits)
        if "xl/workbook.xml" not in names:  # the sniffer saw it: the package changed in between
            raise ReadFailure("file-damaged", damage="sheets", evidence="no xl/workbook.xml")
        vital = {"xl/workbook.xml": "sheets", "xl/_rels/workbook.xml.rels": "relationships",
                 "xl/sharedStrings.xml": "shared-strings", "xl/styles.xml": "styles"}
        lost = sorted(damaged & set(vital))
        if lost:
            raise ReadFailure("file-damaged", damage=vital[lost[0]], evidence=f"{lost[0]} cannot be inflated")
        try:
            sheets, structure_locked = workbook_sheets(zf)
        except KeyError as exc:
            raise ReadFailure("file-damaged", damage="sheets", evidence=_evidence(exc)) from None
        except Exception as exc:  # defusedxml's refusals and XML syntax errors
            if "Entities" in type(exc).__name__ or "DTD" in type(exc).__name__:
                raise ReadFailure("file-unsafe-xml") from None
            raise ReadFailure("file-damaged", damage="sheets", evidence=_evidence(exc)) from None
        # A sheet whose part is lost or damaged fails only if it is read (`_meta`, the matrix);
        # the Instructions or the lists hold no data, so losing them loses nothing.
        broken = {s.name for s in sheets if s.part and (s.part not in names or s.part in damaged)}
        content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except ReadFailure:
        raise
    except UnsafeXml:
        raise ReadFailure("file-unsafe-xml") from None
    except Exception as exc:  # zipfile's refusals of a member
        raise ReadFailure("file-damaged", damage="package", evidence=_evidence(exc)) from None
    kind = "xlsm" if b"macroEnabled" in content_types or "xl/vbaProject.bin" in names else "xlsx"
    saved_at = None
    if "docProps/core.xml" not in damaged:
        saved_at = saved_time(zf, "docProps/core.xml", rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
    repairs = parts_of(sorted(damaged - {s.part for s in sheets}) + (["_rels/.rels"] if "_rels/.rels" not in names else []))
    wb = RawWorkbook(path, kind, data, digest, sheets, saved_at, structure_locked, limits, zf)
    wb.broken, wb.repairs = broken, repairs
    if damaged or "_rels/.rels" not in names:
        wb.cal_data = repaired(zf, damaged)
    return wb


def _open_ods(path: Path, data: bytes, digest: str, limits: ReadLimits) -> RawWorkbook:
    from python_calamine import CalamineWorkbook

    # calamine reads every table of an .ods when it opens it, repeated rows and cells repeated:
    # count them first (content.xml was inflated within bounds by verify_members).
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sizes = ods_sizes(zf.read("content.xml"))
    for name, cells, chars in sizes:
        _refuse_beyond(limits, name, cells, chars)
    try:
        cal = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [SheetInfo(m.name, sheet_state(m.visible)) for m in cal.sheets_metadata]
    except Exception as exc:
        raise ReadFailure("file-damaged", damage="ods-content", evidence=_evidence(exc)) from None
    zf = zipfile.ZipFile(io.BytesIO(data))
    saved_at = saved_time(zf, "meta.xml", rb"<dc:date>([^<]+)</dc:date>")
    return RawWorkbook(path, "ods", data, digest, sheets, saved_at, None, limits, None, cal)
