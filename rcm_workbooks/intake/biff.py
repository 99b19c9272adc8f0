"""What python-calamine would build from an Excel 5.0-2003 workbook (BIFF5, BIFF8), counted from
its records before it reads them.

The reader takes every sheet of an .xls up front. A cell record (LABELSST) refers to a text of
the shared-string table (SST) by number, so one text of 30,000 characters used by thousands of
cells costs calamine a copy per cell; and calamine builds every cell of the rectangle from A1 to
the last row and column a cell record names. One pass over the records of the `Workbook` (or
`Book`) stream counts both per sheet; it reads the SST's string lengths only, across its
CONTINUE records, never the characters.
"""
from __future__ import annotations

import struct

BOF, EOF, BOUNDSHEET, SST, CONTINUE = 0x0809, 0x000A, 0x0085, 0x00FC, 0x003C
LABELSST, LABEL, RSTRING, MULRK, MULBLANK = 0x00FD, 0x0204, 0x00D6, 0x00BD, 0x00BE
# Records of one cell whose first two fields are its row and column.
CELLS = {0x0203, 0x027E, 0x0205, 0x0006, 0x0201, LABELSST, LABEL, RSTRING, 0x0204}


class BadRecords(Exception):
    """The records do not hold together (a length past the end, an SST that lies)."""


def biff_sizes(data: bytes, max_rows: int) -> list[tuple[str, int, int]]:
    """The sheets of an .xls, measured from the records of its Workbook (or Book) stream; raises
    peek.Malformed when the compound file does not hold together."""
    from .peek import Ole

    ole = Ole(data)
    entry = ole.find("Workbook") or ole.find("Book")
    return xls_sizes(ole.read(entry, entry.size), max_rows) if entry else []


def records(stream: bytes):
    """(type, body) of each record, in order."""
    at, end = 0, len(stream)
    while at + 4 <= end:
        rid, size = struct.unpack_from("<HH", stream, at)
        yield rid, stream[at + 4:at + 4 + size]
        at += 4 + size


def xls_sizes(stream: bytes, max_rows: int) -> list[tuple[str, int, int]]:
    """(sheet, cells, characters of text) of each sheet of a BIFF5/BIFF8 stream, rows counted up
    to `max_rows` (as far as the reader reads). The stream is the workbook's globals, then one
    substream per sheet, each from its BOF to its EOF (charts nest their own inside a sheet)."""
    names: list[str] = []
    lengths: list[int] = []
    sizes: list[tuple[str, int, int]] = []
    depth = substreams = 0
    sst = None
    last_row = last_col = chars = 0
    for rid, body in records(stream):
        if sst is not None and rid != CONTINUE:
            lengths, sst = _sst_lengths(sst), None
        if rid == BOF:
            depth += 1
            if depth == 1:
                substreams += 1
                last_row = last_col = chars = 0
        elif rid == EOF:
            if depth == 1 and substreams >= 2:  # the end of a sheet (the first substream is the globals)
                name = names[len(sizes)] if len(sizes) < len(names) else f"#{len(sizes) + 1}"
                sizes.append((name, min(last_row, max_rows) * last_col, chars))
            depth = max(depth - 1, 0)
        elif substreams == 1:
            if rid == BOUNDSHEET:
                names.append(_sheet_name(body))
            elif rid == SST:
                sst = [body]
            elif rid == CONTINUE and sst is not None:
                sst.append(body)
        elif len(body) >= 4 and (rid in CELLS or rid in (MULRK, MULBLANK)):
            row, col = struct.unpack_from("<HH", body)
            if rid in (MULRK, MULBLANK) and len(body) >= 6:
                col = struct.unpack_from("<H", body, len(body) - 2)[0]
            last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
            if rid == LABELSST and len(body) >= 10:
                index = struct.unpack_from("<I", body, 6)[0]
                chars += lengths[index] if index < len(lengths) else 0
            elif rid in (LABEL, RSTRING):
                chars += len(body)
    return sizes


def _sheet_name(body: bytes) -> str:
    if len(body) < 8:
        return ""
    cch, flags = body[6], body[7] if len(body) > 7 else 0
    if flags in (0, 1):  # BIFF8: a flags byte, then 8- or 16-bit characters
        raw = body[8:8 + cch * (2 if flags else 1)]
        return raw.decode("utf-16-le" if flags else "latin-1", "replace")
    return body[7:7 + cch].decode("latin-1", "replace")  # BIFF5: 8-bit characters


def _sst_lengths(parts: list[bytes]) -> list[int]:
    """The character count of each string of the SST (and its CONTINUE records)."""
    if not parts or len(parts[0]) < 8:
        return []
    unique = struct.unpack_from("<I", parts[0], 4)[0]
    cursor = _Cursor([parts[0][8:], *parts[1:]])
    out: list[int] = []
    limit = sum(map(len, parts)) // 3 + 1  # each string takes at least three bytes
    try:
        while len(out) < min(unique, limit) and not cursor.done():
            cch, flags = struct.unpack("<HB", cursor.take(3))
            runs = struct.unpack("<H", cursor.take(2))[0] if flags & 0x08 else 0
            ext = struct.unpack("<I", cursor.take(4))[0] if flags & 0x04 else 0
            cursor.skip_chars(cch, bool(flags & 0x01))
            cursor.skip(4 * runs + ext)
            out.append(cch)
    except BadRecords:
        pass  # what was counted stands; calamine judges the rest
    return out


class _Cursor:
    """A position in the SST's data across its records: character data that goes on in the next
    record begins there with a new flags byte (8- or 16-bit characters)."""

    def __init__(self, parts: list[bytes]):
        self.parts, self.i, self.at = parts, 0, 0

    def done(self) -> bool:
        while self.i < len(self.parts) and self.at >= len(self.parts[self.i]):
            self.i, self.at = self.i + 1, 0
        return self.i >= len(self.parts)

    def take(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            if self.done():
                raise BadRecords("the SST ends inside a string")
            part = self.parts[self.i]
            piece = part[self.at:self.at + n - len(out)]
            self.at += len(piece)
            out += piece
        return out

    def skip(self, n: int) -> None:
        while n > 0:
            if self.done():
                raise BadRecords("the SST ends inside a string")
            step = min(n, len(self.parts[self.i]) - self.at)
            self.at += step
            n -= step

    def skip_chars(self, cch: int, wide: bool) -> None:
        while cch > 0:
            part = self.parts[self.i] if self.i < len(self.parts) else b""
            room = len(part) - self.at
            if room <= 0:
                self.i, self.at = self.i + 1, 0
                if self.i >= len(self.parts):
                    raise BadRecords("the SST ends inside a string")
                wide = bool(self.parts[self.i][:1] and self.parts[self.i][0] & 0x01)
                self.at = 1
                continue
            n = min(cch, room // (2 if wide else 1))
            if n == 0:
                raise BadRecords("a character split across records")
            self.at += n * (2 if wide else 1)
            cch -= n
