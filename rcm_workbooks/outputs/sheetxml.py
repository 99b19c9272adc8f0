"""Data rows of big row sheets streamed straight into an .xlsx that XlsxWriter wrote without them.

XlsxWriter keeps every cell of a workbook in memory as Python objects and assembles the XML from
them; for the Matrix of a 100,000-row period that is most of the time and memory consolidate
spends (docs/performance.md). Its constant_memory mode cannot hold a table (add_table), and the
Matrix must stay an Excel table with filters. So XlsxWriter writes everything else -- the header
row, the table, widths, panes, formats -- and `splice` then copies its zip member by member,
unchanged except the named sheets, into whose `<sheetData>` it writes the data rows as they are
generated (CHUNK_ROWS rows joined, encoded and compressed at a time), and the tables over them,
whose range it sets to cover every row (see splice for why XlsxWriter is not given it):

- texts as inline strings (`t="inlineStr"`), never formulas, escaped as XlsxWriter escapes shared
  strings: &, < and > as entities; control characters XML 1.0 cannot hold as OOXML's `_xHHHH_`,
  with a literal `_xHHHH_` in the text written `_x005F_xHHHH_` so that it reads back as typed;
  `xml:space="preserve"` when the text starts or ends with white space;
- texts longer than an Excel cell cut with sheets.clip(); empty texts (and None) as no cell;
- int and float as `<v>` (the same "%.16G" as XlsxWriter), bool as `t="b"`.

A column's cells carry its format (`s`, the index XlsxWriter gave it in styles.xml) and a row
its height (`ht`, for wrapped text: LibreOffice does not grow a row to fit it). Zip members keep their order,
names, timestamps (XlsxWriter's fixed 1980-01-01) and compression, so the output is as
deterministic as XlsxWriter's own.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from math import isfinite

from ..core.cells import col_letter, parse_range

# Values a streamed row may hold; anything else (dates, ...) goes through XlsxWriter.
SIMPLE_TYPES = frozenset((str, int, float, bool, type(None)))
EXCEL_MAX_ROWS = 1_048_576
CHUNK_ROWS = 2_000  # rows joined and compressed at a time
CLIP_FROM = 16_383  # shorter texts fit a cell whatever their characters (see sheets.clip)

_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_LITERAL_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_DIMENSION = re.compile(r'<dimension ref="([^"]*)"\s*/>')
_ROW_NUMBER = re.compile(r'<row r="(\d+)"')
_TABLE_MEMBER = re.compile(r"xl/tables/table\d+\.xml")
_TABLE_START = re.compile(r"<table\s[^>]*>")


def escape_text(text: str) -> str:
    """Text as the content of an OOXML <t>: XML entities and _xHHHH_ escapes, as XlsxWriter does.

    The underscore starting a literal `_xHHHH_` becomes `_x005F_`, as in XlsxWriter, but also where
    two such sequences share an underscore ("_x005F_x0041_"), which XlsxWriter's escape loses.
    """
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = _LITERAL_ESCAPE.sub("_x005F_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def simple_rows(rows: Sequence[Sequence], ncols: int) -> bool:
    """True when every value is one `row_xml` writes and no row is wider than `ncols`."""
    simple = SIMPLE_TYPES
    for values in rows:
        if len(values) > ncols:
            return False
        for v in values:
            if v.__class__ not in simple:
                return False
    return True


def last_filled(rows: Sequence[Sequence]) -> int:
    """Index of the last row with a cell (a value other than '' and None); -1 when none has."""
    for i in range(len(rows) - 1, -1, -1):
        for v in rows[i]:
            if v is not None and v != "":
                return i
    return -1


def row_xml(rows: Iterable[Sequence], first_row: int, ncols: int, clip=None,
            styles: Sequence[int | None] | None = None,
            heights: Sequence[float | None] | None = None) -> Iterator[str]:
    """`<row>` elements of `rows`, the first at 0-based sheet row `first_row`; rows without a cell
    are left out. `clip` cuts texts too long for a cell (sheets.clip); `styles`: each column's
    cell format (its index in styles.xml, or None); `heights`: each row's height in points (None:
    the default)."""
    cols = [col_letter(i) for i in range(ncols)]
    styles = list(styles or [])
    marks = [f'" s="{x}' if x else "" for x in styles + [None] * (ncols - len(styles))]
    # Most cells repeat a label (group, country, status, ...): their markup is kept per column.
    caches = [{} for _ in range(ncols)]
    room = 4_096  # entries per column cache; unique texts stop being added once it is full
    needs_escape = _NEEDS_ESCAPE.search
    r = first_row + 1
    for k, values in enumerate(rows):
        rn = str(r)
        parts = []
        append = parts.append
        for col, cache, mark, v in zip(cols, caches, marks, values):
            cls = v.__class__
            if cls is str:
                tail = cache.get(v)
                if tail is None:
                    if not v:
                        continue
                    key = v
                    if clip is not None and len(v) > CLIP_FROM:
                        v = clip(v)
                    if needs_escape(v):
                        v = escape_text(v)
                    if v[0].isspace() or v[-1].isspace():
                        tail = f'{mark}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
                    else:
                        tail = f'{mark}" t="inlineStr"><is><t>{v}</t></is></c>'
                    if len(cache) < room:
                        cache[key] = tail
                append(f'<c r="{col}{rn}{tail}')
            elif cls is int or cls is float:
                if cls is float and not isfinite(v):
                    raise ValueError(f"cannot write {v} into cell {col}{rn}: Excel has no such number")
                append(f'<c r="{col}{rn}{mark}"><v>{v:.16G}</v></c>')
            elif cls is bool:
                append(f'<c r="{col}{rn}{mark}" t="b"><v>{int(v)}</v></c>')
            elif v is None:
                continue
            else:
                raise TypeError(f"cannot write a {cls.__name__} into cell {col}{rn}")
        if parts:
            height = heights[k] if heights is not None else None
            if height:
                yield f'<row r="{rn}" ht="{height:g}" customHeight="1">{"".join(parts)}</row>'
            else:
                yield f'<row r="{rn}">{"".join(parts)}</row>'
        r += 1


class SheetRows:
    """The data rows spliced into one sheet: 0-based first row, the rows, the number of columns;
    `table`: (name, full A1 range) of the Excel table over them, which XlsxWriter was given over its
    header and first row only (see splice); `styles` and `heights` as row_xml takes them."""

    def __init__(self, first_row: int, rows: Sequence[Sequence], ncols: int, clip=None,
                 table: tuple[str, str] | None = None, styles: Sequence[int | None] | None = None,
                 heights: Sequence[float | None] | None = None):
        self.first_row, self.rows, self.ncols, self.clip, self.table = first_row, rows, ncols, clip, table
        self.styles, self.heights = styles, heights

    def dimension(self, old: str | None) -> str:
        """The sheet's <dimension> ref once the rows are in: the old one grown to cover them."""
        last = last_filled(self.rows)
        if last < 0:
            return old or "A1"
        top, left = self.first_row + 1, 0
        bottom, right = self.first_row + last + 1, self.ncols - 1
        bounds = parse_range(old or "")
        if bounds:
            r1, c1, r2, c2 = bounds
            top, left = min(top, r1 + 1), min(left, c1)
            bottom, right = max(bottom, r2 + 1), max(right, c2)
        return f"{col_letter(left)}{top}:{col_letter(right)}{bottom}"


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    new.comment = info.comment
    return new


def splice(xlsx: bytes, sheets: dict[str, SheetRows]) -> bytes:
    """`xlsx` with the rows of each member named in `sheets` written at the end of its sheetData.

    A table over the rows (SheetRows.table) gets its full range in xl/tables/: XlsxWriter's
    add_table over the full range would note each of its cells in a dict (for 100,000 rows of
    16 columns about 1 s and 200 MB), so it is given the header and first row only.
    """
    tables = {spec.table[0]: spec.table[1] for spec in sheets.values() if spec.table}
    patched: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        missing = set(sheets) - set(zin.namelist())
        if missing:
            raise ValueError(f"no member {sorted(missing)[0]} in the workbook")
        for info in zin.infolist():
            data = zin.read(info)
            target = _copy_info(info)
            spec = sheets.get(info.filename)
            if spec is None:
                if tables and _TABLE_MEMBER.fullmatch(info.filename):
                    data = _table_range(data, tables, patched)
                zout.writestr(target, data)
                continue
            head, tail = _split(data.decode("utf-8"), spec)
            big = len(spec.rows) * max(spec.ncols, 1) > 4_000_000  # may pass 2 GiB of XML
            with zout.open(target, "w", force_zip64=big) as fh:
                fh.write(head.encode("utf-8"))
                chunk: list[str] = []
                for xml in row_xml(spec.rows, spec.first_row, spec.ncols, spec.clip, spec.styles, spec.heights):
                    chunk.append(xml)
                    if len(chunk) >= CHUNK_ROWS:
                        fh.write("".join(chunk).encode("utf-8"))
                        chunk.clear()
                if chunk:
                    fh.write("".join(chunk).encode("utf-8"))
                fh.write(tail.encode("utf-8"))
    if set(tables) - patched:
        raise ValueError(f"no table {sorted(set(tables) - patched)[0]} in the workbook")
    return out.getvalue()


def _table_range(data: bytes, tables: dict[str, str], patched: set) -> bytes:
    """A table part whose name is in `tables`, with the ref of the table and its autoFilter set."""
    xml = data.decode("utf-8")
    start = _TABLE_START.search(xml)
    name = re.search(r'\sname="([^"]*)"', start.group()) if start else None
    if name is None or name.group(1) not in tables:
        return data
    ref = tables[name.group(1)]
    head, n = re.subn(r'\sref="[^"]*"', f' ref="{ref}"', start.group(), count=1)
    rest = re.sub(r'<autoFilter ref="[^"]*"', f'<autoFilter ref="{ref}"', xml[start.end():], count=1)
    if n != 1:
        raise ValueError(f"the table {name.group(1)} has no range")
    patched.add(name.group(1))
    return (xml[:start.start()] + head + rest).encode("utf-8")


def _split(xml: str, spec: SheetRows) -> tuple[str, str]:
    """(the sheet XML up to where the rows go, with the dimension updated; the rest)."""
    if len(spec.rows) and spec.first_row + len(spec.rows) > EXCEL_MAX_ROWS:
        raise ValueError(f"row {spec.first_row + len(spec.rows)} is beyond Excel's last row")
    m = _DIMENSION.search(xml)
    if m:
        xml = xml[:m.start()] + f'<dimension ref="{spec.dimension(m.group(1))}"/>' + xml[m.end():]
    empty = xml.find("<sheetData/>")
    if empty >= 0:
        return xml[:empty] + "<sheetData>", "</sheetData>" + xml[empty + len("<sheetData/>"):]
    end = xml.find("</sheetData>")
    if end < 0:
        raise ValueError("the sheet has no <sheetData>")
    start = xml.find("<sheetData>")
    existing = [int(n) for n in _ROW_NUMBER.findall(xml, start, end)]
    if existing and max(existing) > spec.first_row:  # rows are 1-based in the XML
        raise ValueError(f"the sheet already has row {max(existing)} where the data rows go")
    return xml[:end], xml[end:]
