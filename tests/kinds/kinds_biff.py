"""Record streams of Excel's binary formats (BIFF2-BIFF8) and of Lotus, Quattro Pro and Works,
as small as a reader accepts, written record by record for test samples.

Encrypted samples carry a real FILEPASS record; the records after it are left in clear, which
a reader that decrypts would reject but which is all a sniffer looks at (record headers are
never encrypted in these formats anyway).
"""
from __future__ import annotations

import struct


def rec(rid: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", rid, len(body)) + body


EOF = rec(0x000A)


def filepass_xor(biff8: bool) -> bytes:
    # XOR obfuscation: the key and its verifier (BIFF8 prefixes the method, 0)
    return rec(0x002F, (b"\x00\x00" if biff8 else b"") + struct.pack("<HH", 0x4A3C, 0xCE4B))


def filepass_rc4() -> bytes:
    # RC4: method 1, version 1.1, then salt, encrypted verifier and its hash (16 bytes each)
    return rec(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(range(16)) + bytes(range(16, 32)) + bytes(range(32, 48)))


def filepass_cryptoapi() -> bytes:
    # RC4 CryptoAPI: method 1, version 4.2, then an EncryptionHeader and verifier (abridged)
    header = struct.pack("<IIiiIIII", 0x04, 0, 0x6801, 0x8004, 128, 1, 0, 0) + "Microsoft Enhanced Cryptographic Provider v1.0\0".encode("utf-16-le")
    return rec(0x002F, struct.pack("<HHHII", 1, 4, 2, 0x04, len(header)) + header + struct.pack("<I", 16) + bytes(56))


def _xl_unicode(text: str, length_bytes: int) -> bytes:
    raw = text.encode("latin-1")
    return struct.pack("<B" if length_bytes == 1 else "<H", len(text)) + b"\x00" + raw


def biff8(cells: dict[tuple[int, int], object], filepass: bytes = b"", sheet: str = "Sheet1") -> bytes:
    """A BIFF8 'Workbook' stream: one sheet with numbers and texts (LABEL records)."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 0x06)
    fonts = rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _xl_unicode("Arial", 1)) * 5
    xfs = rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)) * 16 \
        + rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    sheet_name = _xl_unicode(sheet, 1)
    head_len = len(rec(0x0809, bof) + filepass + rec(0x0042, struct.pack("<H", 1200)) + fonts + xfs) \
        + len(rec(0x0085, bytes(6) + sheet_name)) + len(EOF)
    globals_ = (rec(0x0809, bof) + filepass + rec(0x0042, struct.pack("<H", 1200)) + fonts + xfs
                + rec(0x0085, struct.pack("<IBB", head_len, 0, 0) + sheet_name) + EOF)
    body = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0x41, 0x06))
    rows = [r for r, _ in cells] or [0]
    cols = [c for _, c in cells] or [0]
    body += rec(0x0200, struct.pack("<IIHHH", min(rows), max(rows) + 1, min(cols), max(cols) + 1, 0))
    for (r, c), value in sorted(cells.items()):
        if isinstance(value, str):
            body += rec(0x0204, struct.pack("<HHH", r, c, 16) + _xl_unicode(value, 2))
        else:
            body += rec(0x0203, struct.pack("<HHHd", r, c, 16, float(value)))
    return globals_ + body + EOF


def biff5(cells: dict[tuple[int, int], object], filepass: bytes = b"") -> bytes:
    """A BIFF5 'Book' stream (Excel 5.0/95)."""
    bof = struct.pack("<HHHH", 0x0500, 0x0005, 0x096C, 0x07C9)
    name = b"\x06Sheet1"
    head_len = len(rec(0x0809, bof) + filepass) + len(rec(0x0085, bytes(6) + name)) + len(EOF)
    out = rec(0x0809, bof) + filepass + rec(0x0085, struct.pack("<IBB", head_len, 0, 0) + name) + EOF
    out += rec(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0x096C, 0x07C9))
    for (r, c), value in sorted(cells.items()):
        if isinstance(value, str):
            out += rec(0x0204, struct.pack("<HHHH", r, c, 15, len(value)) + value.encode("latin-1"))
        else:
            out += rec(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    return out + EOF


def biff234(version: int, cells: dict[tuple[int, int], object], filepass: bytes = b"", workbook: bool = False) -> bytes:
    """A bare BIFF2, BIFF3 or BIFF4 worksheet file (these were never in a compound file)."""
    if version == 2:
        out = rec(0x0009, struct.pack("<HH", 0x0002, 0x0010))
    else:
        out = rec(0x0009 | (version - 2) << 9, struct.pack("<HHH", 0, 0x0100 if workbook else 0x0010, 0))
    out += filepass
    for (r, c), value in sorted(cells.items()):
        if version == 2 and isinstance(value, str):
            out += rec(0x0004, struct.pack("<HH", r, c) + b"\0\0\0" + bytes([len(value)]) + value.encode("latin-1"))
        elif version == 2:
            out += rec(0x0003, struct.pack("<HH", r, c) + b"\0\0\0" + struct.pack("<d", float(value)))
        elif isinstance(value, str):
            out += rec(0x0204, struct.pack("<HHHH", r, c, 15, len(value)) + value.encode("latin-1"))
        else:
            out += rec(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    return out + EOF


def lotus_wk1() -> bytes:
    """Lotus 1-2-3 release 2 (.wk1): BOF 0x0406, a range, a number, a label, EOF."""
    return (rec(0x0000, struct.pack("<H", 0x0406)) + rec(0x0006, struct.pack("<4H", 0, 0, 1, 0))
            + rec(0x000E, b"\xff" + struct.pack("<HHd", 0, 0, 42.0))
            + rec(0x000F, b"\xff" + struct.pack("<HH", 1, 0) + b"'Total\0") + rec(0x0001))


def lotus_wk3(version: int = 0x1000) -> bytes:
    """Lotus 1-2-3 release 3 (.wk3, 0x1000) or 4 (.wk4, 0x1002): the 26-byte BOF."""
    bof = struct.pack("<HHIHBBHHBBII", version, 0x0004, 0, 1, 1, 1, 0, 0, 1, 2, 0, 0)
    return rec(0x0000, bof) + rec(0x0016, struct.pack("<HBB", 0, 0, 0) + b"'Total\0") + rec(0x0001)


def quattro_wq1() -> bytes:
    """Quattro Pro for DOS (.wq1): a Lotus-like stream with BOF 0x5120."""
    return (rec(0x0000, struct.pack("<H", 0x5120)) + rec(0x0006, struct.pack("<4H", 0, 0, 1, 0))
            + rec(0x000E, b"\xff" + struct.pack("<HHd", 0, 0, 42.0)) + rec(0x0001))


def quattro_wb1() -> bytes:
    """Quattro Pro for Windows 1.0 (.wb1): BOF 0x1001."""
    return rec(0x0000, struct.pack("<H", 0x1001)) + rec(0x0006, bytes(8)) + rec(0x0001)


def quattro_qpw_stream() -> bytes:
    """The NativeContent_MAIN stream of Quattro Pro 9 and later (.qpw): BOF 'QPW' and version."""
    return rec(0x0001, b"QPW\0" + struct.pack("<HHHH", 0x0200, 0x0002, 0, 0x0200)) + rec(0x0002)


def works_wks() -> bytes:
    """A Microsoft Works spreadsheet for DOS/Windows 3-4 (.wks): Lotus-like, BOF record 0x00FF."""
    return rec(0x00FF, struct.pack("<H", 0x0404)) + rec(0x0006, bytes(8)) + rec(0x0001)


def works_contents() -> bytes:
    """The CONTENTS stream of a Works 6-9 word-processing document (.wps)."""
    return b"CHNKWKS " + struct.pack("<8H", 4, 8, 1, 0x300, 0x200, 0, 0x2600, 0) + bytes(200)
