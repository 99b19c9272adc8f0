"""The Returns sheet: the grid of the period's expected returns (country x working group) with
their states (intake.states, shared with the reminders), totals, and a table of every file."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from ..core.findings import Severity
from ..core.plan import Plan
from ..core.verdicts import Verdict
from ..intake.states import MISSING, RECEIVED, REJECTED, PairState, return_states
from .sheets import Labels, check, printable, text, words, write_table

# The grid's count columns: received counts every return that arrived, on time or not; late
# counts the late ones among them again, apart.
COUNTS = (RECEIVED, "late", REJECTED, MISSING, "superseded")
FILLS = {  # what a cell shows -> (fill, font): Excel's own good / neutral / bad / grey styles
    RECEIVED: ("#C6EFCE", "#006100"),
    "late": ("#FFEB9C", "#9C5700"),
    REJECTED: ("#FFC7CE", "#9C0006"),
    MISSING: ("#D9D9D9", "#404040"),
}


def shown(pair: PairState) -> str:
    """What the pair's cell shows: its state, a late return as late."""
    return "late" if pair.late else pair.state


def pair_counts(pair: PairState) -> Counter:
    """The pair's part of each count column."""
    counts = Counter({pair.state: 1, "superseded": pair.superseded})
    counts["late"] += pair.late
    return counts


def _state_text(pair: PairState, w: dict) -> str:
    parts = [w["state_" + shown(pair)]]
    if pair.superseded:
        parts.append(w["state_superseded"].format(n=pair.superseded))
    others = pair.rejected - (pair.state == REJECTED)  # the state says one; the note counts the others
    if others:
        parts.append(w["state_also_rejected"].format(n=others))
    return "; ".join(parts)


def _reason(r, lang: str, w: dict) -> str:
    if lang == "en" or not r.verdict:
        return r.reason
    if r.verdict == Verdict.ACCEPTED:
        bad = sum(1 for x in r.rows if not x.accepted)
        ok = len(r.rows) - bad
        return (w["reason_accepted_bad"] if bad else w["reason_accepted"]).format(ok=ok, bad=bad)
    code = {Verdict.SUPERSEDED: ("file-superseded",), Verdict.IGNORED: ("file-ignored", "file-duplicate")}.get(r.verdict)
    if code:
        f = next((f for f in r.findings if f.code in code), None)
    else:
        f = next(iter(r.file_errors), None)
    return f.message(lang, with_fix=False) if f else r.reason


def _write_grid(wb, ws, row: int, states: dict, plan: Plan, labels: Labels, w: dict) -> int:
    """The country x working group grid with a count row per state under it; return the next row."""
    head = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top",
                          "align": "center"})
    side = wb.add_format({"bold": True, "right": 1})
    total_fmt = wb.add_format({"bold": True, "top": 1})
    fills = {s: wb.add_format({"bg_color": f, "font_color": c, "border": 1, "border_color": "#FFFFFF",
                               "align": "center"}) for s, (f, c) in FILLS.items()}
    country_codes = [c.code for c in plan.countries if any(k[0] == c.code for k in states)]
    group_codes = [g.code for g in plan.working_groups if any(k[1] == g.code for k in states)]
    headers = [w["country"]] + [labels.group.get(g, g) for g in group_codes] + [w[s] for s in COUNTS]
    check(ws.write_row(row, 0, headers, head), "the returns grid headers")
    check(ws.set_row(row, 32), "the height of the grid headers")
    row += 1
    per_group = {g: Counter() for g in group_codes}
    for c in country_codes:
        check(ws.write_string(row, 0, labels.country.get(c, c), side), "a country of the returns grid")
        per_country = Counter()
        for j, g in enumerate(group_codes, 1):
            pair = states.get((c, g))
            if pair is None:
                continue  # not expected and nothing came back
            check(ws.write_string(row, j, _state_text(pair, w), fills[shown(pair)]), "a cell of the returns grid")
            per_country.update(pair_counts(pair))
            per_group[g].update(pair_counts(pair))
        check(ws.write_row(row, len(group_codes) + 1, [per_country[s] for s in COUNTS]), "the totals of a country")
        row += 1
    for k, s in enumerate(COUNTS):
        check(ws.write_string(row, 0, w[s], total_fmt), "a total of the returns grid")
        check(ws.write_row(row, 1, [per_group[g][s] for g in group_codes], total_fmt), "the totals of the groups")
        check(ws.write_number(row, len(group_codes) + 1 + k, sum(per_group[g][s] for g in group_codes), total_fmt),
              "a grand total")
        row += 1
    return row + 1


def _file_rows(result, lang: str, labels: Labels, w: dict) -> list[list]:
    rows = []
    for r in result.returns:
        accepted = r.verdict == Verdict.ACCEPTED
        ok = sum(1 for x in r.rows if x.accepted) if accepted else 0
        found = r.all_findings()
        received = r.received_at
        rows.append([
            text(r.name), w.get("verdict_" + r.verdict, r.verdict), text(_reason(r, lang, w)), text(r.period),
            labels.country.get(r.country, text(r.country)), labels.group.get(r.working_group, text(r.working_group)),
            received if isinstance(received, dt.datetime) else "",
            ok, len(r.rows) - ok,
            sum(1 for f in found if f.severity is Severity.ERROR),
            sum(1 for f in found if f.severity is Severity.WARNING),
            text(r.sha256),
        ])
    return rows


def write_returns(wb, result, plan: Plan, lang: str, labels: Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_returns"])
    printable(ws)
    title = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True})
    check(ws.write_string(0, 0, w["returns_title"].format(period=result.period), title), "the returns title")
    due = result.due_date
    check(ws.write_string(1, 0, w["due"].format(due=due.isoformat()) if due else w["no_due"]), "the due date")

    states = return_states(result.returns, result.expected, result.period, due,
                           groups={g.code for g in plan.working_groups}, countries={c.code for c in plan.countries})
    row = 3
    if not states:
        check(ws.write_string(row, 0, w["nothing_expected"]), "the returns note")
        row += 2
    else:
        row = _write_grid(wb, ws, row, states, plan, labels, w)

    check(ws.write_string(row, 0, w["files_title"], bold), "the files title")
    headers = [w[k] for k in ("file", "verdict", "reason", "period", "country", "working_group", "received_at",
                              "rows_accepted", "rows_rejected", "errors", "warnings", "sha256")]
    write_table(ws, row + 1, headers, _file_rows(result, lang, labels, w), "Files",
                [36, 22, 50, 22, 22, 24, 18, 12, 12, 10, 12, 66])
    check(ws.set_column(0, 0, 36), "the width of the first column")
