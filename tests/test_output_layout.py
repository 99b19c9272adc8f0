"""The consolidated workbook as it prints and shows, checked without eyes: every sheet's page setup,
no heading wider than its column unless it wraps (whole words, on rows tall enough), label
columns as wide as their longest label up to a cap and wrapping beyond it, every wrapped text on
a row tall enough for its lines (LibreOffice does not grow rows by itself)."""
from __future__ import annotations

import dataclasses
import io
import re

import openpyxl
import pytest
from test_output_workbook import PERIOD, books, scenario  # noqa: F401 (fixtures)

from rcm_workbooks.core.table import Table
from rcm_workbooks.core.texts import CONSOLIDATED as WORDS
from rcm_workbooks.core.texts import PROGRESS
from rcm_workbooks.outputs import sheets as S
from rcm_workbooks.outputs.progress import COLUMNS, progress_counts
from rcm_workbooks.outputs.summary import LABEL_CAP
from rcm_workbooks.outputs.workbook import build_workbook
from tests.support.printing import assert_prints_one_page_wide

HEAD_FILL = "FF" + S.HEAD_FILL.lstrip("#")


def with_progress(result, plan):
    """`result` with a Progress sheet: every Matrix row compared with an earlier period, one
    activity completed then and not carried."""
    matrix = Table.of(result.matrix)
    records = [(d["ref"], d["working_group"], d["country"], d["pillar"], d["theme"], d["activity"], "2024-H2",
                "IN_PROCESS", PERIOD, d["status"], "still_in_process") for d in matrix.dicts()]
    records.append(("GTM-PROT-0099", "PROT", "GTM", "P1", "T1", "An activity completed earlier", "2024-H2",
                    "COMPLETED", PERIOD, "", "completed_earlier"))
    frame = Table(COLUMNS, records)
    return dataclasses.replace(result, progress=(frame, progress_counts(frame, plan)))


@pytest.fixture(scope="module")
def full(scenario):  # noqa: F811
    """Both languages' workbooks with every sheet, Progress included."""
    out = {}
    for lang in ("en", "es"):
        data = build_workbook(with_progress(scenario.results[lang], scenario.plan), scenario.plan, lang)
        out[lang] = openpyxl.load_workbook(io.BytesIO(data))
    return out


def header_row_of(ws) -> int | None:
    """The 1-based row of the last row of headings (dark fill) in the sheet's first 40 rows."""
    found = None
    for row in ws.iter_rows(max_row=40):
        if any(c.fill.fgColor.rgb == HEAD_FILL and c.value for c in row):
            found = row[0].row
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_sheet_prints_one_page_wide(full, lang):
    wb, w = full[lang], WORDS[lang]
    assert wb.sheetnames == [w[k] for k in ("sheet_matrix", "sheet_summary", "sheet_progress", "sheet_returns",
                                            "sheet_findings", "sheet_rejected")]
    said = {"en": "first half of 2025", "es": "primer semestre de 2025"}[lang]  # the period in words
    for name in ("sheet_matrix", "sheet_findings", "sheet_rejected"):
        assert_prints_one_page_wide(wb[w[name]], header_row=1, footer=said)
    assert_prints_one_page_wide(wb[w["sheet_summary"]], footer=said)
    assert_prints_one_page_wide(wb[w["sheet_returns"]], footer=said)
    progress = wb[w["sheet_progress"]]
    assert_prints_one_page_wide(progress, header_row=header_row_of(progress), footer=said)
    assert all(PERIOD not in wb[w[k]].oddFooter.left.text for k in ("sheet_matrix", "sheet_summary"))
    # what is for programs is left out of the printed pages: the files' SHA-256
    area = {w[k]: wb[w[k]].print_area for k in ("sheet_findings", "sheet_rejected", "sheet_returns")}
    assert re.fullmatch(r"'?[^!]+'?!\$A\$1:\$I\$\d+", area[w["sheet_findings"]])
    assert re.fullmatch(r"'?[^!]+'?!\$A\$1:\$T\$\d+", area[w["sheet_rejected"]])  # U: the SHA-256
    assert re.fullmatch(r"'?[^!]+'?!\$A\$1:\$L\$\d+", area[w["sheet_returns"]])  # M: the SHA-256


def width_of(ws, cell) -> float:
    """The width of the cell's column: openpyxl keys a range of columns of one width (<col min max>)
    by its first letter only."""
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= cell.column <= dim.max:
            return dim.width
    raise AssertionError(f"{ws.title}: no width for column {cell.column_letter}")


def needed(text: str, width: float, bold: bool) -> float:
    """The height the text's lines need in a column of the stored `width` (0.71 more than the
    writer set); a line of text fits a row of the default height."""
    lines = S.text_lines(text, width - S.STORED_EXTRA, bold)
    return S.row_height(lines) if lines > 1 else S.LINE_PT


def height_of(ws, row: int) -> float:
    return ws.row_dimensions[row].height or S.LINE_PT


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_heading_is_wider_than_its_column_unless_wrapped(full, lang):
    """A heading longer than its column wraps, every word of it fits the column, and its row is
    tall enough for its lines; so no heading runs into its neighbour or into the row below."""
    checked = 0
    for ws in full[lang].worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.fill.fgColor.rgb != HEAD_FILL or not isinstance(c.value, str) or c.coordinate in ws.merged_cells:
                    continue
                checked += 1
                width = width_of(ws, c)
                longest_word = max(map(len, c.value.split()))
                assert longest_word <= S.capacity(width, bold=True), (ws.title, c.coordinate, c.value)
                if len(c.value) > S.capacity(width, bold=True):
                    assert c.alignment.wrap_text, (ws.title, c.coordinate, c.value)
                assert height_of(ws, c.row) >= needed(c.value, width, True), (ws.title, c.coordinate, c.value)
    assert checked > 60


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_wrapped_text_has_a_row_tall_enough(full, lang):
    """Every text longer than its column wraps, on a row as tall as its lines (up to Excel's
    tallest row): nothing hides and nothing runs over the next row."""
    wb = full[lang]
    for key in ("sheet_matrix", "sheet_findings", "sheet_rejected", "sheet_returns", "sheet_progress"):
        ws = wb[WORDS[lang][key]]
        for row in ws.iter_rows(min_row=(header_row_of(ws) or 0) + 1):
            for c in row:
                if not isinstance(c.value, str) or c.coordinate in ws.merged_cells:
                    continue
                width = width_of(ws, c)
                if len(c.value) > S.capacity(width) or "\n" in c.value:
                    assert c.alignment.wrap_text, (ws.title, c.coordinate)
                # measured in the width the writer set (the file stores it with 0.71 more)
                lines = S.text_lines(c.value, width - S.STORED_EXTRA, False)
                if lines > 1:
                    assert c.alignment.wrap_text, (ws.title, c.coordinate)
                    assert height_of(ws, c.row) >= min(S.MAX_ROW_PT, S.row_height(lines)) - 0.75, \
                        (ws.title, c.coordinate, c.value[:40])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_label_columns_fit_their_longest_label(full, scenario, lang):  # noqa: F811
    """Summary: column A as wide as its longest label, up to LABEL_CAP; a longer label wraps on a
    row tall enough. Returns: the countries whole. Progress: the working groups whole."""
    wb, w, plan = full[lang], WORDS[lang], scenario.plan
    summary = wb[w["sheet_summary"]]
    labels = [c.value for c in summary["A"][2:] if isinstance(c.value, str) and not c.font.sz == 12]
    themes = [t.label(lang) for p in plan.pillars for t in p.themes]
    assert set(themes) <= set(labels) and set(g.label(lang) for g in plan.working_groups) <= set(labels)
    width = width_of(summary, summary["A1"])
    assert width >= min(LABEL_CAP, max(map(len, labels)))
    for c in summary["A"][2:]:
        if isinstance(c.value, str) and len(c.value) > S.capacity(width) and c.font.sz != 12:
            assert c.alignment.wrap_text and height_of(summary, c.row) >= needed(c.value, width, c.font.b), c.value
    returns = wb[w["sheet_returns"]]
    assert width_of(returns, returns["A1"]) >= max(len(c.label(lang)) for c in plan.countries)
    progress = wb[w["sheet_progress"]]
    names = [g.label(lang) for g in plan.working_groups] + [PROGRESS[lang]["total"]]
    assert width_of(progress, progress["A1"]) >= max(map(len, names))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_summary_number_stands_under_its_own_heading(full, lang):
    """Every block has its headings in the same row as wide as the block, the label in A and the
    numbers from B on: a column holds numbers in every block or in none."""
    ws = full[lang][WORDS[lang]["sheet_summary"]]
    heads = [[c.value for c in r] for r in ws.iter_rows() if r[0].fill.fgColor.rgb == HEAD_FILL]
    assert len(heads) == 4
    assert all(h[1:] == heads[0][1:] for h in heads)  # the same count, total and rate columns
    for row in ws.iter_rows(min_row=3):
        values = [c.value for c in row]
        if isinstance(values[1], (int, float)):
            n = len([h for h in heads[0] if h])
            assert all(isinstance(v, (int, float)) or v is None for v in values[1:n])
            assert all(v is None for v in values[n:])  # nothing beside the table
            rate = row[n - 1]
            assert rate.value is None or "%" in rate.number_format
