"""The Summary sheet: the status of the activities by working group, pillar, theme and country,
with a completion rate per row, and two charts beside the tables."""
from __future__ import annotations

from collections import Counter

from ..core.errors import Problem
from ..core.plan import Plan
from ..core.table import Table
from .sheets import Labels, WorkbookOutputError, check, printable, text, texts_of, words

DONE_COLOUR = "#70AD47"  # statuses that count as done: green; the others amber, red, grey, ...
SERIES_COLOURS = ("#FFC000", "#C00000", "#A5A5A5", "#5B9BD5", "#7030A0")


def summary_counts(matrix, plan: Plan) -> dict[str, Counter]:
    """Rows per (dimension key, status code); keys: group, pillar, theme ((pillar, theme)), country."""
    out = {"group": Counter(), "pillar": Counter(), "theme": Counter(), "country": Counter()}
    if len(matrix) == 0:
        return out
    frame = Table.of(matrix)
    group, country, pillar, theme, status = (texts_of(frame[c]) for c in ["working_group", "country", "pillar", "theme", "status"])
    out["group"].update(zip(group, status))
    out["pillar"].update(zip(pillar, status))
    out["theme"].update(zip(zip(pillar, theme), status))
    out["country"].update(zip(country, status))
    return out


def _keys(plan_keys: list, counter: Counter) -> list:
    """The plan's entries in plan order, then any code the data has that the plan does not."""
    seen = set(plan_keys)
    extra = []
    for key, _ in counter:
        if key not in seen:
            seen.add(key)
            extra.append(key)
    return list(plan_keys) + sorted(extra)


class _Statuses:
    """The status columns of every block: the plan's statuses, then "(other status)" if the data
    has a status the plan does not."""

    def __init__(self, plan: Plan, counts: dict[str, Counter], lang: str, w: dict):
        self.codes = [s.code for s in plan.statuses]
        self.done = {s.code for s in plan.statuses if s.done}
        self.known = set(self.codes)
        self.other = any(st not in self.known for c in counts.values() for (_, st) in c)
        self.headers = [s.label(lang) for s in plan.statuses] + ([w["other_status"]] if self.other else [])

    def counts(self, counter: Counter, key) -> tuple[list[int], int]:
        """(rows per status column, rows of a done status) of one entry."""
        per = [counter.get((key, s), 0) for s in self.codes]
        if self.other:
            per.append(sum(n for (k, s), n in counter.items() if k == key and s not in self.known))
        return per, sum(counter.get((key, s), 0) for s in self.done)


def _blocks(plan: Plan, labels: Labels, w: dict) -> list[tuple]:
    """(key, title, label headings, the plan's entries, entry -> its labels) of each table."""
    return [
        ("group", w["by_group"], [w["working_group"]], [g.code for g in plan.working_groups],
         lambda k: [labels.group.get(k, k)]),
        ("pillar", w["by_pillar"], [w["pillar"]], [p.code for p in plan.pillars],
         lambda k: [labels.pillar.get(k, k)]),
        ("theme", w["by_theme"], [w["pillar"], w["theme"]], [(p.code, t.code) for p in plan.pillars for t in p.themes],
         lambda k: [labels.pillar.get(k[0], k[0]), labels.theme.get(k, k[1])]),
        ("country", w["by_country"], [w["country"]], [c.code for c in plan.countries],
         lambda k: [labels.country.get(k, k)]),
    ]


def _write_block(ws, row: int, block: tuple, counter: Counter, statuses: _Statuses, fmt: dict, w: dict):
    """One table: title, headings, a row per entry and the total; return (next row, where)."""
    key, block_title, label_headers, plan_keys, show = block
    nlab = len(label_headers)
    check(ws.write_string(row, 0, block_title, fmt["bold"]), f"the title of {block_title}")
    headers = label_headers + statuses.headers + [w["total"], w["completion"]]
    check(ws.write_row(row + 1, 0, headers, fmt["head"]), f"the headers of {block_title}")
    row = first = row + 2
    sums = [0] * (len(statuses.headers) + 1)
    done_sum = 0
    for k in _keys(plan_keys, counter):
        per, finished = statuses.counts(counter, k)
        total = sum(per)
        check(ws.write_row(row, 0, [text(x) for x in show(k)]), f"the labels of {block_title}")
        check(ws.write_row(row, nlab, per + [total]), f"the counts of {block_title}")
        if total:
            check(ws.write_number(row, nlab + len(per) + 1, finished / total, fmt["pct"]), f"a rate of {block_title}")
        for i, n in enumerate(per + [total]):
            sums[i] += n
        done_sum += finished
        row += 1
    last = row - 1
    check(ws.write_string(row, 0, w["total"], fmt["total"]), f"the total of {block_title}")
    for i in range(1, nlab):
        check(ws.write_blank(row, i, None, fmt["total"]), f"the total of {block_title}")
    check(ws.write_row(row, nlab, sums, fmt["total"]), f"the total of {block_title}")
    rate_col = nlab + len(sums)
    if sums[-1]:
        check(ws.write_number(row, rate_col, done_sum / sums[-1], fmt["pct_total"]), f"the total rate of {block_title}")
    else:
        check(ws.write_blank(row, rate_col, None, fmt["pct_total"]), f"the total rate of {block_title}")
    return row + 2, (first, last, nlab, len(statuses.headers))


def _status_chart(wb, sheet: str, where: tuple, plan: Plan, w: dict):
    first, last, nlab, nstat = where
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    if chart is None:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail="XlsxWriter refused the status chart")
    others = iter(SERIES_COLOURS)
    kinds = [s.done for s in plan.statuses] + [False] * (nstat - len(plan.statuses))
    for i in range(nstat):
        colour = DONE_COLOUR if kinds[i] else next(others, "#7F7F7F")
        chart.add_series({
            "name": [sheet, first - 1, nlab + i],
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, nlab + i, last, nlab + i],
            "fill": {"color": colour},
            "gap": 60,
        })
    chart.set_title({"name": w["chart_status"]})
    chart.set_y_axis({"name": w["activities"], "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 400})
    return chart


def _completion_chart(wb, sheet: str, where: tuple, w: dict):
    first, last, nlab, nstat = where
    chart = wb.add_chart({"type": "bar"})
    if chart is None:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail="XlsxWriter refused the completion chart")
    chart.add_series({
        "name": w["completion"],
        "categories": [sheet, first, 0, last, 0],
        "values": [sheet, first, nlab + nstat + 1, last, nlab + nstat + 1],
        "fill": {"color": DONE_COLOUR},
        "data_labels": {"value": True, "num_format": "0%"},
    })
    chart.set_title({"name": w["chart_completion"]})
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "major_unit": 0.25,
                      "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 460})
    return chart


def write_summary(wb, result, plan: Plan, lang: str, labels: Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_summary"])
    printable(ws)
    fmt = {
        "bold": wb.add_format({"bold": True}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "head": wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}),
        "total": wb.add_format({"bold": True, "top": 1}),
        "pct": wb.add_format({"num_format": "0.0%"}),
        "pct_total": wb.add_format({"num_format": "0.0%", "bold": True, "top": 1}),
    }
    sheet = w["sheet_summary"]
    counts = summary_counts(result.matrix, plan)
    statuses = _Statuses(plan, counts, lang, w)

    check(ws.write_string(0, 0, w["summary_title"].format(period=result.period), fmt["title"]), "the summary title")
    if len(result.matrix) == 0:
        check(ws.write_string(1, 0, w["no_rows"]), "the summary note")
    row = 2
    where = {}  # block -> (first data row, last data row, label cols, status cols)
    for block in _blocks(plan, labels, w):
        row, where[block[0]] = _write_block(ws, row, block, counts[block[0]], statuses, fmt, w)

    nstat = len(statuses.headers)
    check(ws.set_column(0, 0, 34), "the width of the summary labels")
    check(ws.set_column(1, 1, 40), "the width of the summary labels")
    check(ws.set_column(2, 2 + nstat + 2, 16), "the width of the summary counts")
    # Charts, to the right of the blocks.
    chart_col = 2 + nstat + 3
    if where["group"][1] >= where["group"][0]:
        check(ws.insert_chart(2, chart_col, _status_chart(wb, sheet, where["group"], plan, w)), "the status chart")
    if where["country"][1] >= where["country"][0]:
        check(ws.insert_chart(24, chart_col, _completion_chart(wb, sheet, where["country"], w)), "the completion chart")
