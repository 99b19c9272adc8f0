"""The Rejected rows sheet: every row left out of the Matrix, with the reasons why."""
from __future__ import annotations

from ..core.fields import REJECTED_COLUMNS
from ..core.table import Table
from .sheets import (
    Labels,
    doc_title,
    field_header,
    printable,
    styles,
    text,
    words,
    write_table,
)

WIDTHS = {"period": 9, "working_group": 14, "country": 12, "source_file": 24, "sheet": 14, "row": 6, "ref": 12,
          "pillar": 18, "theme": 20, "activity": 30, "indicators": 20, "measured_by": 14, "responsible": 14,
          "deadline": 9, "status": 14, "risks": 18, "progress": 30, "next_steps": 20, "codes": 20,
          "reasons": 44, "source_sha256": 66}
# The file's SHA-256 is for a program to match the file by; it is left out of the printed pages.
PRINTED = REJECTED_COLUMNS.index("source_sha256")


def write_rejected(wb, result, lang: str, labels: Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_rejected"])
    frame = Table.of(result.rejected)
    headers = [field_header(c, lang) for c in REJECTED_COLUMNS]
    rows = []
    if len(frame):  # the reasons are already in `lang`: consolidate.frames(period, returns, lang)
        group, country = REJECTED_COLUMNS.index("working_group"), REJECTED_COLUMNS.index("country")
        for rec in frame.records(REJECTED_COLUMNS):
            row = [text(v) for v in rec]
            row[group] = labels.group.get(row[group], row[group])  # codes shown as the Matrix shows them
            row[country] = labels.country.get(row[country], row[country])
            rows.append(row)
    widths = [WIDTHS.get(c, 22) for c in REJECTED_COLUMNS]
    _, last = write_table(ws, 0, headers, rows, "RejectedRows", widths, stream=True, look=styles(wb))
    ws.freeze_panes(1, 0)
    printable(ws, doc_title(w, result.period, lang), header_row=0, columns=PRINTED, last_row=last)
