"""The Summary sheet: the status of the activities by working group, pillar, theme and country,
with a completion rate per row, and two charts beside the tables.

Every block has the same columns: the label in A (the themes under their pillar's sub-heading),
one count per status, the total and the completion rate; so a number always stands under its
own heading, and the charts take their categories from column A, as labels in the workbook's
language."""
from __future__ import annotations

from collections import Counter

from ..core.errors import Problem
from ..core.plan import Plan
from ..core.table import Table
from ..core.texts import period_words
from .sheets import (
    GRID,
    HEAD_FILL,
    HEAD_FONT,
    Labels,
    WorkbookOutputError,
    check,
    doc_title,
    fit_words,
    header_height,
    printable,
    row_height,
    text,
    text_lines,
    texts_of,
    words,
)

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


LABEL_CAP = 48  # the label column grows to its longest label up to this; longer ones wrap
COUNT_WIDTH, TOTAL_WIDTH, RATE_WIDTH = 13, 9, 13
CHART_WIDTH = 600  # pixels; the charts stand one column right of the tables


class _Block:
    """One table of the Summary: its title, the heading of its label column, its entries (plan
    order) and how an entry shows; `parents` gives the theme table its pillar sub-headings."""

    def __init__(self, key, title, heading, plan_keys, show, parent=None, parent_show=None):
        self.key, self.title, self.heading, self.plan_keys, self.show = key, title, heading, plan_keys, show
        self.parent, self.parent_show = parent, parent_show


def _blocks(plan: Plan, labels: Labels, w: dict) -> list[_Block]:
    return [
        _Block("group", w["by_group"], w["working_group"], [g.code for g in plan.working_groups],
               lambda k: labels.group.get(k, k)),
        _Block("pillar", w["by_pillar"], w["pillar"], [p.code for p in plan.pillars],
               lambda k: labels.pillar.get(k, k)),
        _Block("theme", w["by_theme"], w["theme"], [(p.code, t.code) for p in plan.pillars for t in p.themes],
               lambda k: labels.theme.get(k, k[1]), parent=lambda k: k[0],
               parent_show=lambda code: labels.pillar.get(code, code)),
        _Block("country", w["by_country"], w["country"], [c.code for c in plan.countries],
               lambda k: labels.country.get(k, k)),
    ]


class _Layout:
    """Where everything goes: the label column A as wide as its longest label (up to LABEL_CAP),
    then the same count, total and rate columns in every block."""

    def __init__(self, blocks: list[_Block], counts: dict, statuses: _Statuses, w: dict):
        self.nstat = len(statuses.headers)
        self.headers = statuses.headers + [w["total"], w["completion"]]
        self.rate_col = self.nstat + 2
        labels = [w["total"]]
        for b in blocks:
            keys = _keys(b.plan_keys, counts[b.key])
            labels += [b.heading] + [text(b.show(k)) for k in keys]
            if b.parent is not None:
                labels += [text(b.parent_show(b.parent(k))) for k in keys]
        self.label_width = min(LABEL_CAP, max(len(x) for x in labels) + 2)
        self.widths = fit_words([w["working_group"]] + self.headers,
                                [self.label_width] + [COUNT_WIDTH] * self.nstat + [TOTAL_WIDTH, RATE_WIDTH])
        self.chart_col = len(self.widths) + 1

    def set_columns(self, ws) -> None:
        for i, width in enumerate(self.widths):
            check(ws.set_column(i, i, width), "the width of a summary column")
        check(ws.set_column(len(self.widths), len(self.widths), 3), "the gap before the charts")

    def label_height(self, ws, row: int, label: str, bold: bool = False) -> None:
        """A label longer than its column wraps: its row gets the height of its lines."""
        lines = text_lines(label, self.label_width, bold)
        if lines > 1:
            check(ws.set_row(row, row_height(lines)), "the height of a summary row")


def _formats(wb) -> dict:
    add = wb.add_format
    grid = {"border": 1, "border_color": GRID}
    return {
        "bold": add({"bold": True, "font_size": 12, "font_color": HEAD_FILL}),
        "title": add({"bold": True, "font_size": 14, "font_color": HEAD_FILL}),
        "head_label": add({"bold": True, "bg_color": HEAD_FILL, "font_color": HEAD_FONT, "text_wrap": True,
                           "valign": "top", **grid}),
        "head": add({"bold": True, "bg_color": HEAD_FILL, "font_color": HEAD_FONT, "text_wrap": True,
                     "valign": "top", "align": "right", **grid}),
        "label": add({"text_wrap": True, "valign": "top", **grid}),
        "sub": add({"bold": True, "italic": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top",
                    **grid}),
        "count": add({"valign": "top", **grid}),
        "pct": add({"num_format": "0.0%", "valign": "top", **grid}),
        "total_label": add({"bold": True, "top": 2, **grid}),
        "total": add({"bold": True, "top": 2, **grid}),
        "pct_total": add({"num_format": "0.0%", "bold": True, "top": 2, **grid}),
    }


def _write_block(ws, row: int, block: _Block, counter: Counter, statuses: _Statuses, fmt: dict,
                 layout: _Layout, w: dict):
    """One table: title, headings, a row per entry (under its parent's sub-heading) and the total;
    return (the next free row, (first data row, last data row) for the charts)."""
    name = block.title
    check(ws.write_string(row, 0, name, fmt["bold"]), f"the title of {name}")
    check(ws.write_string(row + 1, 0, block.heading, fmt["head_label"]), f"the headers of {name}")
    check(ws.write_row(row + 1, 1, layout.headers, fmt["head"]), f"the headers of {name}")
    check(ws.set_row(row + 1, header_height([block.heading] + layout.headers, layout.widths)), f"the headers of {name}")
    row = first = row + 2
    sums = [0] * (layout.nstat + 1)
    done_sum, parent = 0, None
    for k in _keys(block.plan_keys, counter):
        if block.parent is not None and block.parent(k) != parent:
            parent = block.parent(k)
            heading = text(block.parent_show(parent))
            check(ws.write_string(row, 0, heading, fmt["sub"]), f"a sub-heading of {name}")
            for c in range(1, len(layout.widths)):
                check(ws.write_blank(row, c, None, fmt["sub"]), f"a sub-heading of {name}")
            layout.label_height(ws, row, heading, bold=True)
            row += 1
        per, finished = statuses.counts(counter, k)
        total = sum(per)
        label = text(block.show(k))
        check(ws.write_string(row, 0, label, fmt["label"]), f"the labels of {name}")
        layout.label_height(ws, row, label)
        check(ws.write_row(row, 1, per + [total], fmt["count"]), f"the counts of {name}")
        if total:
            check(ws.write_number(row, layout.rate_col, finished / total, fmt["pct"]), f"a rate of {name}")
        else:
            check(ws.write_blank(row, layout.rate_col, None, fmt["pct"]), f"a rate of {name}")
        sums = [a + b for a, b in zip(sums, per + [total])]
        done_sum += finished
        row += 1
    last = row - 1
    check(ws.write_string(row, 0, w["total"], fmt["total_label"]), f"the total of {name}")
    check(ws.write_row(row, 1, sums, fmt["total"]), f"the total of {name}")
    if sums[-1]:
        check(ws.write_number(row, layout.rate_col, done_sum / sums[-1], fmt["pct_total"]), f"the total rate of {name}")
    else:
        check(ws.write_blank(row, layout.rate_col, None, fmt["pct_total"]), f"the total rate of {name}")
    return row + 2, (first, last)


def _status_chart(wb, sheet: str, where: tuple, plan: Plan, layout: _Layout, w: dict):
    first, last = where
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    if chart is None:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail="XlsxWriter refused the status chart")
    others = iter(SERIES_COLOURS)
    kinds = [s.done for s in plan.statuses] + [False] * (layout.nstat - len(plan.statuses))
    for i in range(layout.nstat):
        colour = DONE_COLOUR if kinds[i] else next(others, "#7F7F7F")
        chart.add_series({
            "name": [sheet, first - 1, 1 + i],
            "categories": [sheet, first, 0, last, 0],  # the labels, in the workbook's language
            "values": [sheet, first, 1 + i, last, 1 + i],
            "fill": {"color": colour},
            "gap": 60,
        })
    chart.set_title({"name": w["chart_status"], "name_font": {"size": 12}})
    chart.set_y_axis({"name": w["activities"], "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": CHART_WIDTH, "height": 360})
    return chart


def _completion_chart(wb, sheet: str, where: tuple, layout: _Layout, w: dict):
    first, last = where
    chart = wb.add_chart({"type": "bar"})
    if chart is None:
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail="XlsxWriter refused the completion chart")
    chart.add_series({
        "name": w["completion"],
        "categories": [sheet, first, 0, last, 0],
        "values": [sheet, first, layout.rate_col, last, layout.rate_col],
        "fill": {"color": DONE_COLOUR},
        "data_labels": {"value": True, "num_format": "0%"},
    })
    chart.set_title({"name": w["chart_completion"], "name_font": {"size": 12}})
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1, "major_unit": 0.25,
                      "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": CHART_WIDTH, "height": 120 + 22 * (last - first + 1)})
    return chart


def write_summary(wb, result, plan: Plan, lang: str, labels: Labels) -> None:
    w = words(lang)
    sheet = w["sheet_summary"]
    ws = wb.add_worksheet(sheet)
    printable(ws, doc_title(w, result.period, lang))
    fmt = _formats(wb)
    counts = summary_counts(result.matrix, plan)
    statuses = _Statuses(plan, counts, lang, w)
    blocks = _blocks(plan, labels, w)
    layout = _Layout(blocks, counts, statuses, w)
    layout.set_columns(ws)

    check(ws.write_string(0, 0, w["summary_title"].format(period=period_words(result.period, lang)), fmt["title"]), "the summary title")
    check(ws.set_row(0, 22), "the height of the summary title")
    if len(result.matrix) == 0:
        check(ws.write_string(1, 0, w["no_rows"]), "the summary note")
    row = 2
    where, tops = {}, {}  # block -> (first data row, last data row); the row of its title
    for block in blocks:
        tops[block.key] = row
        row, where[block.key] = _write_block(ws, row, block, counts[block.key], statuses, fmt, layout, w)
    # Each chart beside the table it shows.
    if where["group"][1] >= where["group"][0]:
        check(ws.insert_chart(tops["group"], layout.chart_col, _status_chart(wb, sheet, where["group"], plan, layout, w)),
              "the status chart")
    if where["country"][1] >= where["country"][0]:
        check(ws.insert_chart(tops["country"], layout.chart_col, _completion_chart(wb, sheet, where["country"], layout, w)),
              "the completion chart")
