"""The Progress sheet: each activity's status in a period against the previous period of the registry."""
from __future__ import annotations

from collections import Counter

from ..core.periods import period_sort_key
from ..core.plan import Plan
from ..core.table import Table
from ..core.texts import PROGRESS, period_words
from . import sheets
from .sheets import STREAMED, clip, fit_words, header_height, printable, row_height, row_heights, text_lines, write_rows
from .sheetxml import SheetRows

WIDTHS = {"ref": 15, "working_group": 20, "country": 16, "pillar": 24, "theme": 30, "activity": 50,
          "previous_period": 11, "previous_status": 20, "period": 10, "status": 20, "change": 18}

# The change of one ref between the previous period and this one, in reading order.
# completed_earlier: completed in the previous period and, being done, not carried into this one.
CHANGES = ("completed_since", "still_in_process", "regressed", "new", "not_reported", "completed_earlier",
           "unchanged")
COLUMNS = ["ref", "working_group", "country", "pillar", "theme", "activity", "previous_period",
           "previous_status", "period", "status", "change"]


def previous_period(db, period: str) -> str | None:
    from ..registry.store import periods

    earlier = [p for p in periods(db) if period_sort_key(p) < period_sort_key(period)]
    return earlier[-1] if earlier else None


def classify(prev: str | None, now: str | None, info) -> str:
    """The change from status `prev` (None: the ref was not in the previous period) to `now`
    (None: not in this period; '' : no status given)."""
    if prev is None:
        return "new"
    if now is None:
        # A completed activity is not carried forward: it stays completed.
        return "completed_earlier" if prev in info.done else "not_reported"
    if not now:
        return "not_reported"
    if now in info.done:
        return "unchanged" if prev in info.done else "completed_since"
    if prev and info.rank.get(now, 0) < info.rank.get(prev, 0):
        return "regressed"
    if now in info.in_process:
        return "still_in_process"
    return "unchanged" if now == prev else "still_in_process"


def progress_frame(db, period: str, plan: Plan):
    """One row per ref of `period` or of the previous period in the registry, with its change."""
    from ..registry.store import StatusInfo

    info = StatusInfo.of(plan)
    prev = previous_period(db, period)
    # Only the columns the sheet shows: at 100,000 rows the long texts would cost ~200 MB.
    query = ("SELECT ref, grp, country, pillar, theme, activity, status FROM rows "
             "WHERE period = ? AND current = 1")
    now_rows = {r["ref"]: r for r in db.q(query, period)}
    prev_rows = {r["ref"]: r for r in db.q(query, prev)} if prev else {}
    group_order = {g.code: i for i, g in enumerate(plan.working_groups)}
    records = []
    for ref in set(now_rows) | set(prev_rows):
        n, p = now_rows.get(ref), prev_rows.get(ref)
        base = n or p
        before, after = (p["status"] if p else None), (n["status"] if n else None)
        records.append((ref, base["grp"], base["country"], base["pillar"], base["theme"], base["activity"],
                        prev or "", before or "", period, after or "", classify(before, after, info)))
    return Table(COLUMNS, records).sorted(lambda r: (group_order.get(r[1], 99), r[2], r[0]))


def progress_counts(frame, plan: Plan):
    """Counts of each change per working group (every group of the plan, plus a total row)."""
    frame = Table.of(frame)
    groups = [g.code for g in plan.working_groups]
    pairs = list(zip(frame["working_group"], frame["change"]))
    extra = sorted({g for g, _ in pairs} - set(groups))
    rows = []
    for g in groups + extra + ["TOTAL"]:
        part = Counter(c for grp, c in pairs if g == "TOTAL" or grp == g)
        rows.append((g, *(part[c] for c in CHANGES), sum(part.values())))
    return Table(["working_group", *CHANGES, "total"], rows)


def progress(db, period: str, plan: Plan):
    """(frame, counts) for the Progress sheet of `period`."""
    frame = progress_frame(db, period, plan)
    return frame, progress_counts(frame, plan)


def _label(plan: Plan, field: str, code: str, lang: str, pillar: str = "") -> str:
    if not code:
        return ""
    if field == "working_group" and code == "TOTAL":
        return PROGRESS[lang]["total"]
    if field == "change":
        return PROGRESS[lang].get(code, code)
    if field in ("working_group", "country", "pillar", "theme", "status", "previous_status"):
        return plan.label_of("status" if field == "previous_status" else field, code, lang, pillar)
    return str(code)


def _legend(ws, row: int, lang: str, fmt, width: int) -> int:
    """The line that says what each change means, merged across the sheet; return the next row."""
    h = PROGRESS[lang]
    text = h["legend"] + " " + " ".join(f"{h[c]}: {h['means_' + c]}" for c in CHANGES)
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, text, fmt)
    ws.set_row(row, row_height(text_lines(text, width)))
    return row + 1


def activity_rows(frame, plan: Plan, lang: str) -> list[tuple]:
    """Each row of the frame as the sheet shows it (COLUMNS): labels for codes (an unknown code as
    it is); an activity completed earlier, and so not carried, says so where its status would be.
    Built column by column, one look-up per value (30,000 rows over the 14 periods of a round)."""
    frame = Table.of(frame)
    if not len(frame):
        return []
    h = PROGRESS[lang]
    labels = {"working_group": {g.code: g.label(lang) for g in plan.working_groups},
              "country": {c.code: c.label(lang) for c in plan.countries},
              "pillar": {p.code: p.label(lang) for p in plan.pillars},
              "status": {s.code: s.label(lang) for s in plan.statuses}}
    labels["previous_status"], labels["change"] = labels["status"], h
    themes = {(p.code, t.code): t.label(lang) for p in plan.pillars for t in p.themes}

    def column(name: str) -> list[str]:
        table = labels.get(name)
        if table is not None:  # unknown codes show as they are; no code, nothing
            return [table.get(v, str(v)) if v else "" for v in frame[name]]
        return ["" if v is None else clip(str(v)) for v in frame[name]]  # what a focal point typed fits a cell

    columns = {name: column(name) for name in COLUMNS if name != "theme"}
    columns["theme"] = [themes.get((p, t), str(t)) if t else "" for p, t in zip(frame["pillar"], frame["theme"])]
    columns["status"] = [h["completed_in"].format(period=before) if not now and change == "completed_earlier" else shown
                         for shown, now, change, before in zip(columns["status"], frame["status"], frame["change"],
                                                               frame["previous_period"])]
    return list(zip(*(columns[name] for name in COLUMNS)))


def write_progress_sheet(workbook, worksheet_name: str, frame, counts, plan: Plan, lang: str = "en",
                         stream: bool = False):
    """Add the Progress sheet to an XlsxWriter workbook: a legend, the counts per working group on
    top, then one row per activity. Every cell is written as text or a number (never a formula).

    With `stream` (and sheets.STREAM_ROWS) the activity rows are left to workbook.splice_rows, which
    writes them into the finished file with their format and heights (sheetxml): a period's
    Progress holds the activities of two periods, and written cell by cell through XlsxWriter it
    cost more than the rest of the workbook (docs/performance.md)."""
    lang = lang if lang in PROGRESS else "en"
    h = PROGRESS[lang]
    ws = workbook.add_worksheet(worksheet_name)
    f_title = workbook.add_format({"bold": True, "font_size": 13, "font_color": "#1F3864"})
    f_head = workbook.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1,
                                  "text_wrap": True, "valign": "top"})
    f_cell = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"})
    f_num = workbook.add_format({"border": 1, "border_color": "#BFBFBF"})
    f_total = workbook.add_format({"bold": True, "border": 1, "border_color": "#BFBFBF"})
    f_legend = workbook.add_format({"italic": True, "text_wrap": True, "valign": "top", "font_color": "#404040"})
    frame, counts = Table.of(frame), Table.of(counts)
    period = frame["period"][0] if len(frame) else ""
    prev = next((p for p in frame["previous_period"] if p), "")
    period, prev = period_words(period, lang), period_words(prev, lang)
    title = h["title"] + (f": {period} / {prev}" if prev else (f": {period}" if period else ""))
    ws.write_string(0, 0, title, f_title)
    widths = [WIDTHS[name] for name in COLUMNS]
    # The counts table's group names share the first column with the refs: it fits the longest.
    groups = [g.label(lang) for g in plan.working_groups] + [h["total"], h["working_group"]]
    widths[0] = max(widths[0], max(len(x) for x in groups) + 3)
    widths = fit_words([h[c] for c in COLUMNS], fit_words([h[c] for c in ["working_group", *CHANGES, "total"]], widths))
    r = _legend(ws, 1, lang, f_legend, sum(widths))
    if not prev:
        ws.write_string(r, 0, h["none"])
        r += 1
    r += 1
    ws.write_string(r, 0, h["counts"], f_title)
    r += 1
    count_cols = ["working_group", *CHANGES, "total"]
    heads = [h[name] for name in count_cols]
    for c, text in enumerate(heads):
        ws.write_string(r, c, text, f_head)
    ws.set_row(r, header_height(heads, widths))
    for d in counts.dicts():
        r += 1
        fmt = f_total if d["working_group"] == "TOTAL" else f_num
        ws.write_string(r, 0, _label(plan, "working_group", d["working_group"], lang), fmt)
        for c, name in enumerate(count_cols[1:], 1):
            ws.write_number(r, c, int(d[name]), fmt)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    printable(ws, period)  # the header row to repeat is set below, once it is known
    if not prev:
        # With no earlier period every activity is new: the counts say it, and a copy of the
        # Matrix (50,000 rows at the benchmark's scale) would add nothing but time and size.
        return ws
    r += 2
    header_row = r
    heads = [h[name] for name in COLUMNS]
    for c, text in enumerate(heads):
        ws.write_string(r, c, text, f_head)
    ws.set_row(r, header_height(heads, widths))
    rows = activity_rows(frame, plan, lang)
    heights = row_heights(rows, widths, list(range(len(COLUMNS))))
    index = sheets._xf_index(f_cell) if stream and sheets.STREAM_ROWS and rows else None
    if index is not None:
        setattr(ws, STREAMED, SheetRows(header_row + 1, rows, len(COLUMNS), clip, styles=[index] * len(COLUMNS),
                                        heights=heights if any(heights) else None))
    else:
        write_rows(ws, header_row + 1, rows, "Progress", [f_cell] * len(COLUMNS))
        for i, height in enumerate(heights, header_row + 1):
            if height is not None:
                ws.set_row(i, height)
    if rows:
        ws.autofilter(header_row, 0, header_row + len(rows), len(COLUMNS) - 1)
    ws.freeze_panes(header_row + 1, 1)
    ws.repeat_rows(header_row)
    return ws

