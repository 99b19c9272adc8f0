"""A Strict Open XML workbook (ISO/IEC 29500 Strict, Excel's 'Strict Open XML Spreadsheet') as
the transitional package it mirrors, so that the reader's look-ups, which name the transitional
namespaces, find its sheets, states, protection and formulas.

Strict differs from transitional in its namespace URIs (and may store dates as ISO text, which
python-calamine reads); the copy swaps the URIs in the XML parts and keeps every other byte.
The file itself is never changed; its digest stays the digest of what arrived.
"""
from __future__ import annotations

import io
import zipfile

# Longest first: the relationship URIs share the officeDocument prefix.
URIS = [
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties", b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties", b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/", b"http://schemas.openxmlformats.org/officeDocument/2006/"),
    (b"http://purl.oclc.org/ooxml/drawingml/", b"http://schemas.openxmlformats.org/drawingml/2006/"),
]


class TooLarge(Exception):
    """The package would unpack to more than the limit; carries both sizes in bytes."""

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"{size} > {limit}")


def to_transitional(data: bytes, max_unzipped: int) -> bytes:
    """A transitional copy of a strict package. Members that cannot be inflated are left out
    (the reader then reports the part as missing); sizes are checked before anything inflates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    infos = src.infolist()
    total = sum(i.file_size for i in infos)
    if total > max_unzipped:
        raise TooLarge(total, max_unzipped)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in infos:
            try:
                body = src.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
                continue
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in URIS:
                    body = body.replace(strict, transitional)
            dst.writestr(info.filename, body)
    return out.getvalue()
