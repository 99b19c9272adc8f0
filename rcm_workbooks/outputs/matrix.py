"""The Matrix sheet: every accepted row of the period, codes shown with their labels."""
from __future__ import annotations

from ..core.plan import Plan
from ..core.table import Table
from .sheets import (
    Labels,
    doc_title,
    field_header,
    printable,
    styles,
    text,
    texts_of,
    words,
    write_table,
)

MATRIX_COLUMNS = ("working_group", "country", "ref", "pillar", "theme", "activity", "indicators",
                  "measured_by", "responsible", "deadline", "status", "risks", "progress", "next_steps",
                  "source_file", "source_row")
# Narrow enough for the sheet to print one page wide at a readable scale: the texts wrap.
MATRIX_WIDTHS = {"working_group": 16, "country": 13, "ref": 15, "pillar": 20, "theme": 24, "activity": 40,
                 "indicators": 28, "measured_by": 18, "responsible": 18, "deadline": 10, "status": 16,
                 "risks": 24, "progress": 44, "next_steps": 30, "source_file": 24, "source_row": 8}


def _source_row(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return text(value)


def matrix_rows(matrix, labels: Labels) -> list[tuple]:
    """The Matrix's rows (text() of each value, codes shown with their labels), column by column."""
    if len(matrix) == 0:
        return []
    frame = Table.of(matrix)
    v = {name: texts_of(frame[name]) for name in MATRIX_COLUMNS[:-1]}
    pillar, theme = v["pillar"], v["theme"]

    def shown(name: str, table: dict) -> list[str]:
        return list(map(table.get, v[name], v[name]))

    return list(zip(
        shown("working_group", labels.group), shown("country", labels.country), v["ref"],
        shown("pillar", labels.pillar), list(map(labels.theme.get, zip(pillar, theme), theme)),
        v["activity"], v["indicators"], v["measured_by"], shown("responsible", labels.responsible),
        shown("deadline", labels.deadline), shown("status", labels.status), v["risks"], v["progress"],
        v["next_steps"], v["source_file"], list(map(_source_row, frame["source_row"])),
    ))


def write_matrix(wb, result, plan: Plan, lang: str, labels: Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_matrix"])
    headers = [field_header(f, lang) for f in MATRIX_COLUMNS]
    rows = matrix_rows(result.matrix, labels)
    first, last = write_table(ws, 0, headers, rows, "Matrix", [MATRIX_WIDTHS[f] for f in MATRIX_COLUMNS],
                              stream=True, look=styles(wb))
    ws.freeze_panes(1, 0)
    printable(ws, doc_title(w, result.period, lang), header_row=0, columns=len(headers), last_row=last)
