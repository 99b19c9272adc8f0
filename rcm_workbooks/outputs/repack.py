"""What an openpyxl load/save round trip drops from a workbook, put back from the original: the
cached results of formulas, and the saved time in docProps/core.xml; and where it stores the
notes, moved to where Excel stores them.

openpyxl writes a sheet's notes to `/xl/comments/comment1.xml` and their shapes to
`/xl/drawings/commentsDrawing1.vml`, named from the sheet's relationships by absolute targets.
Excel (and XlsxWriter) write `xl/comments1.xml` and `xl/drawings/vmlDrawing1.vml` with targets
relative to the sheet (`../comments1.xml`); readers that look for Excel's layout (ExcelJS among
them) find no notes in openpyxl's. The parts are renamed, their targets made relative and
[Content_Types].xml changed to match, so Excel, LibreOffice, openpyxl and ExcelJS all read them.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile

_CORE_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)([^<]*)(</dcterms:modified>)")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\st="([a-zA-Z]+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = {name: re.compile(rb"\b" + name + rb'="([^"]*)"') for name in (b"Type", b"Target", b"TargetMode")}
REL_COMMENTS = b"/relationships/comments"
REL_VML = b"/relationships/vmlDrawing"


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


def _resolve(rels_name: str, target: str) -> str:
    """The part a relationship's target names, from the folder of the part the rels file is of."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = posixpath.dirname(posixpath.dirname(rels_name))  # xl/worksheets/_rels/x.rels -> xl/worksheets
    return posixpath.normpath(posixpath.join(base, target))


def _relative_targets(parts: dict[str, bytes]) -> None:
    """Every internal target relative to its source part, as Excel writes them (openpyxl writes the
    workbook's sheets as /xl/worksheets/sheet1.xml too)."""
    for rels_name in [n for n in parts if n.endswith(".rels") and "/_rels/" in f"/{n}"]:
        base = posixpath.dirname(posixpath.dirname(rels_name)) or "."

        def relative(m, base=base):
            tag = m.group(0)
            target_m = _ATTR[b"Target"].search(tag)
            if not target_m or _ATTR[b"TargetMode"].search(tag) or not target_m.group(1).startswith(b"/"):
                return tag
            target = posixpath.relpath(target_m.group(1).decode("utf-8").lstrip("/"), base).encode("utf-8")
            return tag[:target_m.start(1)] + target + tag[target_m.end(1):]

        parts[rels_name] = _RELATIONSHIP.sub(relative, parts[rels_name])


def excel_part_names(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The package with each sheet's notes at Excel's own part names: `xl/commentsN.xml` and
    `xl/drawings/vmlDrawingN.vml`, and every internal target relative to its source, as Excel
    writes them. The parts' contents are untouched."""
    renames: dict[str, str] = {}
    taken = set(parts)
    numbers = {"comments": 0, "vml": 0}

    def new_name(kind: str) -> str:
        while True:
            numbers[kind] += 1
            name = (f"xl/comments{numbers[kind]}.xml" if kind == "comments"
                    else f"xl/drawings/vmlDrawing{numbers[kind]}.vml")
            if name not in taken:
                taken.add(name)
                return name

    sheet_rels = sorted((n for n in parts if re.fullmatch(r"xl/worksheets/_rels/[^/]+\.rels", n)),
                        key=lambda n: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", n)])
    for rels_name in sheet_rels:
        xml = parts[rels_name]

        def retarget(m, rels_name=rels_name):
            tag = m.group(0)
            kind_m, target_m = _ATTR[b"Type"].search(tag), _ATTR[b"Target"].search(tag)
            if not kind_m or not target_m or _ATTR[b"TargetMode"].search(tag):
                return tag
            kind = ("comments" if kind_m.group(1).endswith(REL_COMMENTS)
                    else "vml" if kind_m.group(1).endswith(REL_VML) else None)
            part = _resolve(rels_name, target_m.group(1).decode("utf-8"))
            if kind is None or part not in parts:
                return tag
            if part not in renames:
                wanted = re.fullmatch(r"xl/comments\d+\.xml" if kind == "comments" else r"xl/drawings/vmlDrawing\d+\.vml", part)
                renames[part] = part if wanted else new_name(kind)
            relative = posixpath.relpath(renames[part], "xl/worksheets").encode("utf-8")
            return tag[:target_m.start(1)] + relative + tag[target_m.end(1):]

        parts[rels_name] = _RELATIONSHIP.sub(retarget, xml)
    _relative_targets(parts)
    moves = {old: new for old, new in renames.items() if old != new}
    if not moves:
        return parts
    types = parts.get("[Content_Types].xml", b"")
    for old, new in moves.items():
        types = types.replace(f'PartName="/{old}"'.encode(), f'PartName="/{new}"'.encode())
    parts["[Content_Types].xml"] = types
    out: dict[str, bytes] = {}
    for name, data in parts.items():
        if name in moves:
            out[moves[name]] = data
        else:
            folder, base = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), base[:-len(".rels")]) if folder.endswith("_rels") else ""
            if source in moves:  # the renamed part's own relationships move with it
                folder_new, base_new = posixpath.split(moves[source])
                out[posixpath.join(folder_new, "_rels", base_new + ".rels")] = data
            else:
                out[name] = data
    return out


def repack(saved: bytes, original: bytes) -> bytes:
    """Put back what openpyxl drops (formulas' cached values, the workbook's saved time) and
    store the notes where Excel does."""
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
    parts = {info.filename: replace.get(info.filename) or dst_in.read(info.filename) for info in dst_in.infolist()}
    parts = excel_part_names(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for name, data in parts.items():
            dst.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
