"""The Findings sheet: every finding of the period's files, one per row."""
from __future__ import annotations

from ..core.fields import FIELDS
from .sheets import field_header, text, words, write_table


def write_findings(wb, result, lang: str) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_findings"])
    headers = [w[k] for k in ("code", "severity", "file", "sheet", "cell", "row", "column", "value", "message")]
    rows = []
    for f in result.findings:
        column = field_header(f.column, lang) if f.column in FIELDS else text(f.column)
        rows.append([
            f.code, w.get("severity_" + f.severity.value, f.severity.value), text(f.file), text(f.sheet),
            text(f.cell), f.row if isinstance(f.row, int) else "", column, text(f.value), text(f.message(lang)),
        ])
    write_table(ws, 0, headers, rows, "Findings", [22, 12, 34, 20, 8, 7, 24, 30, 90], stream=True)
    ws.freeze_panes(1, 0)
