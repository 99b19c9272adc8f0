"""The Findings sheet: every finding of the period's files, one per row."""
from __future__ import annotations

from ..core.fields import FIELDS
from .sheets import doc_title, field_header, printable, styles, text, words, write_table

WIDTHS = [20, 10, 28, 14, 7, 6, 18, 26, 60]


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
    _, last = write_table(ws, 0, headers, rows, "Findings", WIDTHS, stream=True, look=styles(wb))
    ws.freeze_panes(1, 0)
    printable(ws, doc_title(w, result.period, lang), header_row=0, columns=len(headers), last_row=last)
