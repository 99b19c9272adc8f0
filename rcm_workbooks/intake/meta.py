"""The `_meta` sheet a generated workbook carries: the one reader of it, and the check of the
layout it describes (where the header, the input rows and each field's column are)."""
from __future__ import annotations

from pathlib import Path

from ..core.cells import col_index, is_column
from ..core.fields import FIELDS
from ..template.build import META_SHEET
from .reader import RawWorkbook, ReadLimits, open_return
from .values import to_text

MAX_INPUT_ROWS = 20_000  # a layout with more input rows than this is not one we generate


def meta_rows(wb: RawWorkbook) -> list[list] | None:
    """The rows of the workbook's `_meta` sheet (its name in another case too); None without one."""
    rows = wb.meta(META_SHEET)
    if rows is None:
        hidden = next((s.name for s in wb.sheets if s.name.strip().lower() == META_SHEET), None)
        rows = wb.meta(hidden) if hidden else None
    return rows


def meta_dict(rows: list[list]) -> dict[str, str]:
    """`_meta` rows as {key: value}, both as the text the cells show, trimmed."""
    meta = {}
    for r in rows:
        if len(r) >= 2:
            key, _ = to_text(r[0])
            value, _ = to_text(r[1])
            if key.strip():
                meta[key.strip()] = value.strip()
    return meta


def read_meta(path: Path, limits: ReadLimits = ReadLimits()) -> dict[str, str]:
    """The `_meta` of a workbook on disk, for files that are not judged as returns (templates,
    feedback copies); {} when it has none or cannot be read."""
    try:
        rows = meta_rows(open_return(Path(path), limits))
    except Exception:  # whatever stops the reading, the answer is the same: no usable `_meta`
        return {}
    return meta_dict(rows) if rows is not None else {}


def layout_of(meta: dict[str, str], fields=FIELDS) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """(rows, columns, problems): header_row/first_row/last_row as numbers, each field's zero-based
    column (of the follow-up matrix's `fields`, or the Activity Matrix's), and what makes the
    layout unusable (empty when it is usable)."""
    problems = []
    layout = {}
    for key in ("header_row", "first_row", "last_row"):
        try:
            layout[key] = int(float(meta.get(key, "")))
        except ValueError:
            problems.append(f"{key} is '{meta.get(key, '')}', not a row number")
    columns = {}
    for f in fields:
        letter = meta.get(f"col.{f}", "")
        if not is_column(letter):
            problems.append(f"col.{f} is '{letter}', not a column letter")
        else:
            columns[f] = col_index(letter)
    for key in ("period", "working_group", "country", "matrix_sheet", "plan_id"):
        if not meta.get(key):
            problems.append(f"{key} is missing")
    if layout and not problems:
        if not (1 <= layout["header_row"] < layout["first_row"] <= layout["last_row"] + 1
                and layout["last_row"] - layout["first_row"] <= MAX_INPUT_ROWS):
            problems.append(f"rows {layout['header_row']}/{layout['first_row']}/{layout['last_row']} are not a valid layout")
    if len(set(columns.values())) != len(columns):
        problems.append("two fields share one column")
    return layout, columns, problems
