"""The Rejected rows sheet: every row left out of the Matrix, with the reasons why."""
from __future__ import annotations

from ..core.fields import REJECTED_COLUMNS
from ..core.table import Table
from .sheets import field_header, text, words, write_table

WIDTHS = {"period": 10, "working_group": 12, "country": 10, "source_file": 34, "sheet": 20, "row": 7,
          "activity": 40, "progress": 40, "codes": 28, "reasons": 70, "source_sha256": 66}


def write_rejected(wb, result, lang: str) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_rejected"])
    frame = Table.of(result.rejected)
    headers = [field_header(c, lang) for c in REJECTED_COLUMNS]
    rows = []
    if len(frame):  # the reasons are already in `lang`: consolidate.frames(period, returns, lang)
        rows = [[text(v) for v in rec] for rec in frame.records(REJECTED_COLUMNS)]
    write_table(ws, 0, headers, rows, "RejectedRows", [WIDTHS.get(c, 22) for c in REJECTED_COLUMNS],
                stream=True)
    ws.freeze_panes(1, 0)
