"""Test workbooks made and read the way the tests need: zip members rewritten, dropped or added,
the saved time set, rows typed in with openpyxl, a template's dropdown lists read back."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def rewrite(data: bytes, edits: dict[str, Callable[[bytes], bytes]] | None = None, *,
            drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None) -> bytes:
    """The package `data` with each member named in `edits` replaced by edits[name](its bytes),
    the members in `drop` left out and those of `add` appended; the others as they were (name,
    time, compression)."""
    edits = edits or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info.filename)
            edit = edits.get(info.filename)
            dst.writestr(info, edit(body) if edit else body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def set_modified(data: bytes, when: str) -> bytes:
    """The package with docProps/core.xml's modified time set to `when` (e.g. "2025-06-20T10:00:00Z"),
    as a focal point's Excel would have saved it."""
    return rewrite(data, {"docProps/core.xml": lambda xml: _MODIFIED.sub(
        rb"\g<1>" + when.encode() + rb"\g<2>", xml, count=1)})


def meta_of(wb) -> dict[str, str]:
    """The `_meta` sheet of an openpyxl workbook as {key: value}; empty cells read as ''."""
    return {str(k): "" if v is None else str(v)
            for k, v, *_ in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if k is not None}


def type_rows(wb, rows: list[dict], start: int | None = None) -> dict[str, str]:
    """Type row dicts (field -> value) into the matrix of an openpyxl template, one row each from
    `start` (default: the first input row), at the columns its `_meta` names; return the `_meta`."""
    meta = meta_of(wb)
    ws = wb[meta["matrix_sheet"]]
    r = start or int(meta["first_row"])
    for values in rows:
        for f, v in values.items():
            ws[f"{meta['col.' + f]}{r}"] = v
        r += 1
    return meta


def dropdowns(template: Path) -> dict[str, list[str]]:
    """The dropdown lists exactly as the template shows them: {defined name: labels}."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    out = {}
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations)
        if name.startswith("_xlnm") or not dests:  # not a list: one of the check's formulas (_CK_...)
            continue
        sheet, ref = dests[0]
        out[name] = [c.value for (c,) in wb[sheet][ref.replace("$", "")]]
    return out
