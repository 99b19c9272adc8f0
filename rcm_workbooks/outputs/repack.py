"""What an openpyxl load/save round trip drops from a workbook, put back from the original: the
cached results of formulas, and the saved time in docProps/core.xml."""
from __future__ import annotations

import io
import re
import zipfile

_CORE_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)([^<]*)(</dcterms:modified>)")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\st="([a-zA-Z]+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)


def _formula_cache(xml: bytes) -> dict[bytes, tuple[bytes | None, bytes]]:
    """{ref: (t, cached value)} of the formula cells of one sheet's XML."""
    out = {}
    if b"<f" not in xml:
        return out
    for m in _CELL.finditer(xml):
        body = m.group(2) or b""
        if b"<f" not in body:
            continue
        ref, v = _REF.search(m.group(1)), _VALUE.search(body)
        if ref and v and v.group(1):
            t = _TYPE.search(m.group(1))
            out[ref.group(1)] = (t.group(1) if t else None, v.group(1))
    return out


def _restore_cache(xml: bytes, cache: dict) -> bytes:
    def repl(m):
        attrs, body = m.group(1), m.group(2)
        ref = _REF.search(attrs)
        if body is None or b"<f" not in body or not ref or ref.group(1) not in cache:
            return m.group(0)
        t, value = cache[ref.group(1)]
        attrs = _TYPE.sub(b"", attrs)
        if t in (b"str", b"b", b"e"):
            attrs += b' t="' + t + b'"'
        body = re.sub(rb"<v\s*/>|<v>\s*</v>", b"", body)
        if b"<v>" not in body:
            body += b"<v>" + value + b"</v>"
        return b"<c" + attrs + b">" + body + b"</c>"

    return _CELL.sub(repl, xml)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    from ..intake.package import workbook_sheets

    sheets, _ = workbook_sheets(zf)
    return {s.name: s.part for s in sheets if s.part}


def repack(saved: bytes, original: bytes) -> bytes:
    """Put back what openpyxl drops: formulas' cached values and the workbook's saved time."""
    src = zipfile.ZipFile(io.BytesIO(original))
    dst_in = zipfile.ZipFile(io.BytesIO(saved))
    replace: dict[str, bytes] = {}
    src_names = set(src.namelist())
    if "docProps/core.xml" in src_names and "docProps/core.xml" in dst_in.namelist():
        m = _CORE_MODIFIED.search(src.read("docProps/core.xml"))
        core = dst_in.read("docProps/core.xml")
        kept = _CORE_MODIFIED.search(core)
        if m and (kept is None or kept.group(2) != m.group(2)):  # as written, unless openpyxl reworded it
            replace["docProps/core.xml"] = _CORE_MODIFIED.sub(
                lambda x: x.group(1) + m.group(2) + x.group(3), core, count=1)
    try:
        src_parts = _sheet_parts(src)
        dst_parts = _sheet_parts(dst_in)
    except Exception:  # an odd package: keep openpyxl's output as it is
        src_parts, dst_parts = {}, {}
    for name, part in src_parts.items():
        if part not in src_names or name not in dst_parts:
            continue
        cache = _formula_cache(src.read(part))
        if cache:
            replace[dst_parts[name]] = _restore_cache(dst_in.read(dst_parts[name]), cache)
    if not replace:
        return saved
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in dst_in.infolist():
            dst.writestr(info, replace.get(info.filename, dst_in.read(info.filename)))
    return out.getvalue()
