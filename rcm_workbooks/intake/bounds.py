"""What python-calamine (or openpyxl) would build from a worksheet's XML, counted before it reads it.

calamine builds every cell of the rectangle from A1 to the last row and the widest column, and
copies a shared text into each cell that refers to it: a 100 KB package can hold one megabyte of
text used by 12,000 cells, or one cell at column XFD, and cost gigabytes once read. These counts
are linear scans of the XML (fixed strings, a few regular expressions), done before any parser
sees it.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..core.cells import col_index

# Quotes of either kind and namespace prefixes, as python-calamine accepts them.
# cells past column Z (most sheets have none); a literal start keeps the scan fast
_WIDE_COLUMNS = (re.compile(rb'r="([A-Z]{2,3})\d'), re.compile(rb"r='([A-Z]{2,3})\d"))
_SHARED_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt=["\']s["\'][^>]*>\s*<(?:\w+:)?v>\s*(\d+)')
_ROW_NUMBER = re.compile(rb'[<:]row\b[^>]*?\br=["\'](\d+)')


def _last_row_number(xml: bytes) -> int:
    i = max(xml.rfind(b"<row "), xml.rfind(b":row "))
    m = _ROW_NUMBER.match(xml, i) if i >= 0 else None
    return int(m.group(1)) if m else xml.count(b"<row")


def cut_at(xml: bytes, max_row: int) -> int:
    """Where the first row below max_row begins in a worksheet's XML (the end when there is none)."""
    for m in re.finditer(rb'<row [^>]*?\br="(\d+)"', xml):
        if int(m.group(1)) > max_row:
            return m.start()
    return len(xml)


def cell_count(xml: bytes) -> int:
    """The cells python-calamine builds for a worksheet's XML: the rectangle from A1 to its last
    row and widest column, or the cells it names if they are more (cells without a reference)."""
    wide = {c for pattern in _WIDE_COLUMNS for c in pattern.findall(xml)}
    width = max((col_index(c.decode()) + 1 for c in wide), default=26)
    return max(_last_row_number(xml) * width, xml.count(b"<c") + xml.count(b":c "))  # <c ...>, and a few <col>


class SharedTexts:
    """The lengths of a package's shared texts, read only when a sheet refers to enough of them
    to matter."""

    def __init__(self, zf: zipfile.ZipFile | None):
        self.zf, self.lengths = zf, None
        try:
            self.whole = zf.getinfo("xl/sharedStrings.xml").file_size if zf is not None else 0
        except KeyError:
            self.whole = 0

    def text_size(self, xml: bytes, limit: int) -> int:
        """An upper bound of the characters of a sheet's texts: its own XML, plus each shared
        text's length (in bytes of XML) for every cell that refers to it."""
        refs = xml.count(b't="s"') + xml.count(b"t='s'")
        if not self.whole or len(xml) + refs * self.whole <= limit:  # the usual case: nothing to count
            return len(xml) + refs * self.whole
        if self.lengths is None:
            shared = self.zf.read("xl/sharedStrings.xml")
            self.lengths = [m.end(1) - m.start(1) for m in re.finditer(rb"<si>(.*?)</si>", shared, re.S)]
        lengths, n = self.lengths, len(self.lengths)
        return len(xml) + sum(lengths[i] for i in map(int, _SHARED_REF.findall(xml)) if i < n)


def package_size(data: bytes, text_limit: int = 0) -> tuple[int, int]:
    """(characters of text, cells) of every worksheet of an .xlsx package, counted as the reader
    counts a sheet before reading it: what a writer that loads the whole workbook would hold.
    The characters are an upper bound, exact enough to compare with `text_limit`."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        shared = SharedTexts(zf)
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        chars = cells = 0
        for name in sheets:
            xml = zf.read(name)
            cells += cell_count(xml)
            chars += shared.text_size(xml, text_limit)
        if chars > text_limit and shared.whole:
            # Sheets each under the limit by the rough bound (every shared-text reference counted
            # as the whole shared-text part) may be over it together: count their texts instead.
            chars = sum(shared.text_size(zf.read(name), -1) for name in sheets)
    return chars, cells


_ODS_TABLE = re.compile(rb"<table:table\b(?!-)([^>]*)>")
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def ods_sizes(content: bytes) -> list[tuple[str, int, int]]:
    """(table name, cells, characters of text) of each table of an OpenDocument content.xml, as
    python-calamine would build it: repeated rows and cells repeated, every cell of the rectangle
    from A1 to the last cell with content. A cell's text is measured in bytes of XML."""
    out = []
    starts = [(m.start(), m.group(1)) for m in _ODS_TABLE.finditer(content)]
    for i, (start, attrs) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(content)
        name = _ODS_NAME.search(attrs)
        cells, chars = _ods_table(content, start, end)
        out.append((name.group(1).decode("utf-8", "replace") if name else "", cells, chars))
    return out


def _ods_table(content: bytes, start: int, end: int) -> tuple[int, int]:
    row = last_row = width = chars = 0
    for m in _ODS_ROW.finditer(content, start, end):
        repeat = _ROWS_REPEATED.search(m.group(1))
        rows = int(repeat.group(1)) if repeat else 1
        if m.group(2):  # <table:table-row/>: no cells
            row += rows
            continue
        stop = content.find(b"</table:table-row>", m.end(), end)
        stop = end if stop < 0 else stop
        col = last_col = row_chars = 0
        for c in _ODS_CELL.finditer(content, m.end(), stop):
            repeat = _COLUMNS_REPEATED.search(c.group(1))
            cols = int(repeat.group(1)) if repeat else 1
            if not c.group(2):  # a cell with content
                close = content.find(b"</table:", c.end(), stop)
                row_chars += cols * ((stop if close < 0 else close) - c.end())
                last_col = col + cols
            col += cols
        if last_col:
            width, last_row = max(width, last_col), row + rows
            chars += rows * row_chars
        row += rows
    return last_row * width, chars
