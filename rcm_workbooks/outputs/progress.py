"""The Progress sheet: each activity's status in a period against the previous period of the registry."""
from __future__ import annotations

from collections import Counter

from ..core.periods import period_sort_key
from ..core.plan import Plan
from ..core.table import Table
from ..core.texts import PROGRESS

# The change of one ref between the previous period and this one, in reading order.
CHANGES = ("completed_since", "still_in_process", "regressed", "new", "not_reported", "unchanged")
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
        return "unchanged" if prev in info.done else "not_reported"
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


def write_progress_sheet(workbook, worksheet_name: str, frame, counts, plan: Plan, lang: str = "en"):
    """Add the Progress sheet to an XlsxWriter workbook: the counts per working group on top, then
    one row per activity. Every cell is written with write_string/write_number (never a formula)."""
    lang = lang if lang in PROGRESS else "en"
    h = PROGRESS[lang]
    ws = workbook.add_worksheet(worksheet_name)
    f_title = workbook.add_format({"bold": True, "font_size": 13, "font_color": "#1F3864"})
    f_head = workbook.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1,
                                  "text_wrap": True, "valign": "top"})
    f_cell = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"})
    f_num = workbook.add_format({"border": 1, "border_color": "#BFBFBF"})
    f_total = workbook.add_format({"bold": True, "border": 1, "border_color": "#BFBFBF"})
    frame, counts = Table.of(frame), Table.of(counts)
    period = frame["period"][0] if len(frame) else ""
    prev = next((p for p in frame["previous_period"] if p), "")
    title = h["title"] + (f": {period} / {prev}" if prev else (f": {period}" if period else ""))
    ws.write_string(0, 0, title, f_title)
    r = 1
    if not prev:
        ws.write_string(r, 0, h["none"])
        r += 1
    r += 1
    ws.write_string(r, 0, h["counts"], f_title)
    r += 1
    count_cols = ["working_group", *CHANGES, "total"]
    for c, name in enumerate(count_cols):
        ws.write_string(r, c, h[name], f_head)
    for d in counts.dicts():
        r += 1
        fmt = f_total if d["working_group"] == "TOTAL" else f_num
        ws.write_string(r, 0, _label(plan, "working_group", d["working_group"], lang), fmt)
        for c, name in enumerate(count_cols[1:], 1):
            ws.write_number(r, c, int(d[name]), fmt)
    widths = {"ref": 15, "working_group": 20, "country": 16, "pillar": 24, "theme": 30, "activity": 50,
              "previous_period": 11, "previous_status": 20, "period": 10, "status": 20, "change": 18}
    for c, name in enumerate(COLUMNS):
        ws.set_column(c, c, widths[name])
    if not prev:
        # With no earlier period every activity is new: the counts say it, and a copy of the
        # Matrix (50,000 rows at the benchmark's scale) would add nothing but time and size.
        return ws
    r += 2
    header_row = r
    for c, name in enumerate(COLUMNS):
        ws.write_string(r, c, h[name], f_head)
    for d in frame.dicts():
        r += 1
        for c, name in enumerate(COLUMNS):
            if name in ("working_group", "country", "pillar", "status", "previous_status", "change"):
                text = _label(plan, name, d[name], lang)
            elif name == "theme":
                text = _label(plan, "theme", d["theme"], lang, d["pillar"])
            else:
                text = "" if d[name] is None else str(d[name])
            ws.write_string(r, c, text, f_cell)
    if len(frame):
        ws.autofilter(header_row, 0, r, len(COLUMNS) - 1)
    ws.freeze_panes(header_row + 1, 1)
    return ws
