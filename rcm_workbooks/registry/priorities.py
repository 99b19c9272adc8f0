"""The report's section on the working groups' priority activities (Strategic Plan 3.9): each one's
status as the countries reported it, from the rows that carry its ref (COUNTRY-GROUP-REF)."""
from __future__ import annotations

from ..core.plan import Plan
from ..core.texts import ACT_REPORT, HEADERS

CATEGORIES = ("achieved", "in_process", "pending")


def priority_status(data, plan: Plan) -> list[dict]:
    """One entry per priority activity of the plan's current groups: group, ref, activity, the
    countries in each category, and the expected countries that did not report it."""
    current = plan.current()
    latest = {a["ref"]: a for a in data.activities}
    countries = [c.code for c in current.countries]
    out = []
    for g in current.working_groups:
        for act in g.priority_activities:
            entry = {"group": g.code, "ref": act.ref, "activity": act.activity,
                     **{k: [] for k in CATEGORIES}, "not_reported": []}
            for c in countries:
                row = latest.get(f"{c}-{g.code}-{act.ref}")
                entry[row["category"] if row else "not_reported"].append(c)
            out.append(entry)
    return out


def write_priorities(w) -> None:
    """The section, written by the report's writer `w` (its headings join the contents): per
    working group, a table of its priority activities and where they stand."""
    from .document import Column, TableSpec, add_table

    t = {**w.t, **ACT_REPORT[w.lang]}
    w.heading(t["priorities"], 1)
    entries = priority_status(w.data, w.plan)
    if not entries:
        w.doc.add_paragraph(t["priorities_none"])
        return
    w.doc.add_paragraph(t["priorities_intro"])
    widths = (2.4, 6.2, 1.9, 1.9, 1.9, 3.1)  # cm: 17.4 in all, the report's text width
    heads = [HEADERS[w.lang]["ref"], t["priority_activity"], t["achieved"], t["in_process"], t["pending"],
             t["not_reported_col"]]
    columns = [Column(h, width, number=2 <= i <= 4) for i, (h, width) in enumerate(zip(heads, widths))]
    for g in w.plan.current().working_groups:
        mine = [e for e in entries if e["group"] == g.code]
        if not mine:
            continue
        w.heading(g.label(w.lang), 2)
        rows = [[f"{g.code}-{e['ref']}", e["activity"](w.lang), *(str(len(e[k])) for k in CATEGORIES),
                 ", ".join(e["not_reported"]) or "—"] for e in mine]
        add_table(w.doc, TableSpec(columns, rows, font_pt=9))
