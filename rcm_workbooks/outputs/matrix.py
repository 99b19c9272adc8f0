"""The Matrix sheet: every accepted row of the period, codes shown with their labels."""
from __future__ import annotations

from ..core.plan import Plan
from ..core.table import Table
from .sheets import Labels, field_header, text, texts_of, words, write_table

MATRIX_COLUMNS = ("working_group", "country", "ref", "pillar", "theme", "activity", "indicators",
                  "measured_by", "responsible", "deadline", "status", "risks", "progress", "next_steps",
                  "source_file", "source_row")
MATRIX_WIDTHS = {"working_group": 24, "country": 18, "ref": 20, "pillar": 28, "theme": 36, "activity": 50,
                 "indicators": 34, "measured_by": 24, "responsible": 28, "deadline": 13, "status": 24,
                 "risks": 30, "progress": 50, "next_steps": 36, "source_file": 34, "source_row": 10}


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
    write_table(ws, 0, headers, rows, "Matrix", [MATRIX_WIDTHS[f] for f in MATRIX_COLUMNS], stream=True)
    ws.freeze_panes(1, 0)
