"""The Returns sheet: the grid of the period's expected returns (country x working group) with
their states (intake.states, shared with the reminders), totals, and a table of every file."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from ..core.findings import Severity
from ..core.plan import Plan
from ..core.texts import counted, format_date, period_words, say
from ..core.verdicts import Verdict
from ..intake.actions import secretariat_steps
from ..intake.states import MISSING, RECEIVED, REJECTED, PairState, return_states
from .sheets import (
    GRID,
    Labels,
    check,
    doc_title,
    fit_words,
    header_height,
    printable,
    row_height,
    styles,
    text,
    text_lines,
    words,
    write_table,
)

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
        parts.append(counted(w["state_superseded"], pair.superseded))
    others = pair.rejected - (pair.state == REJECTED)  # the state says one; the note counts the others
    if others:
        parts.append(counted(w["state_also_rejected"], others))
    return "; ".join(parts)


def _reason(r, lang: str, w: dict) -> str:
    if lang == "en" or not r.verdict:
        return r.reason
    if r.verdict == Verdict.ACCEPTED:
        bad = sum(1 for x in r.rows if not x.accepted)
        ok = len(r.rows) - bad
        accepted = counted(w["reason_accepted"], ok)
        return w["reason_accepted_bad"].format(accepted=accepted, rejected=counted(w["reason_rejected"], bad)) \
            if bad else accepted
    code = {Verdict.SUPERSEDED: ("file-superseded", "file-empty-later"), Verdict.IGNORED: ("file-ignored", "file-duplicate")}.get(r.verdict)
    if code:
        f = next((f for f in r.findings if f.code in code), None)
    else:
        f = next(iter(r.file_errors), None)
    return f.message(lang, with_fix=False) if f else r.reason


# The file table's columns, the wide Reason and What to do last but the hash: the grid above shares
# the sheet's columns, and with them beyond the grid's count columns the grid keeps its narrow ones.
FILE_COLUMNS = ("file", "country", "working_group", "period", "verdict", "received_at", "rows_accepted",
                "rows_rejected", "errors", "warnings", "reason", "todo", "sha256")
FILE_WIDTHS = {"file": 30, "country": 16, "working_group": 16, "period": 9, "verdict": 12, "received_at": 17,
               "rows_accepted": 10, "rows_rejected": 10, "errors": 8, "warnings": 12, "reason": 44, "todo": 44,
               "sha256": 66}
GROUP_WIDTH, COUNT_WIDTH = 16, 11


def _widths(country_labels: list[str], group_labels: list[str], w: dict) -> list[float]:
    """The sheet's columns: each as wide as the grid or the file table under it needs there."""
    grid = [max(len(x) for x in [*country_labels, w["country"], w["superseded"]]) + 2]
    grid += [GROUP_WIDTH] * len(group_labels) + [COUNT_WIDTH] * len(COUNTS)
    grid = fit_words([w["country"], *group_labels, *(w[s] for s in COUNTS)], grid)
    files = fit_words([w[k] for k in FILE_COLUMNS], [FILE_WIDTHS[k] for k in FILE_COLUMNS])
    return [max(grid[i] if i < len(grid) else 0, files[i] if i < len(files) else 0)
            for i in range(max(len(grid), len(files)))]


def set_aside_note(returns, w: dict) -> str:
    """The line that counts the files set aside as earlier rounds' (empty when there is none)."""
    earlier = [r for r in returns if r.earlier_round]
    if not earlier:
        return ""
    periods = ", ".join(sorted({r.period for r in earlier}))
    return w["set_aside"][0 if len(earlier) == 1 else 1].format(n=len(earlier), periods=periods)


def _write_grid(wb, ws, row: int, states: dict, plan: Plan, labels: Labels, widths: list, w: dict) -> int:
    """The country x working group grid, one totals row under the count columns, then a row per
    state with each group's count; return the next row."""
    look = styles(wb)
    side = wb.add_format({"bold": True, "border": 1, "border_color": GRID, "valign": "top", "text_wrap": True})
    total_fmt = wb.add_format({"bold": True, "top": 2, "border": 1, "border_color": GRID})
    total_number = wb.add_format({"bold": True, "top": 2, "border": 1, "border_color": GRID, "align": "center"})
    first_rule = wb.add_format({"bold": True, "top": 2, "border": 1, "border_color": GRID})
    group_fmt = wb.add_format({"border": 1, "border_color": GRID, "align": "center"})
    fills = {s: wb.add_format({"bg_color": f, "font_color": c, "border": 1, "border_color": "#FFFFFF",
                               "align": "center", "valign": "top", "text_wrap": True}) for s, (f, c) in FILLS.items()}
    country_codes = [c.code for c in plan.countries if any(k[0] == c.code for k in states)]
    group_codes = [g.code for g in plan.working_groups if any(k[1] == g.code for k in states)]
    headers = [w["country"]] + [labels.group.get(g, g) for g in group_codes] + [w[s] for s in COUNTS]
    check(ws.write_row(row, 0, headers[:len(group_codes) + 1], look.head), "the returns grid headers")
    check(ws.write_row(row, len(group_codes) + 1, headers[len(group_codes) + 1:], look.head_number),
          "the returns grid headers")  # over numbers: centred, as they are
    check(ws.set_row(row, header_height(headers, widths)), "the height of the grid headers")
    row += 1
    per_group = {g: Counter() for g in group_codes}
    sums = Counter()
    count_col = len(group_codes) + 1
    for c in country_codes:
        check(ws.write_string(row, 0, labels.country.get(c, c), side), "a country of the returns grid")
        per_country, lines = Counter(), 1
        for j, g in enumerate(group_codes, 1):
            pair = states.get((c, g))
            if pair is None:
                continue  # not expected and nothing came back
            shown_text = _state_text(pair, w)
            lines = max(lines, text_lines(shown_text, widths[j]))
            check(ws.write_string(row, j, shown_text, fills[shown(pair)]), "a cell of the returns grid")
            per_country.update(pair_counts(pair))
            per_group[g].update(pair_counts(pair))
        if lines > 1:
            check(ws.set_row(row, row_height(lines)), "the height of a row of the grid")
        check(ws.write_row(row, count_col, [per_country[s] for s in COUNTS], look.number), "the totals of a country")
        sums.update(per_country)
        row += 1
    check(ws.write_string(row, 0, w["total"], total_fmt), "the total of the returns grid")
    for j in range(1, count_col):
        check(ws.write_blank(row, j, None, total_fmt), "the total of the returns grid")
    check(ws.write_row(row, count_col, [sums[s] for s in COUNTS], total_number), "the totals of the returns grid")
    row += 1
    for k, s in enumerate(COUNTS):  # each group's count of each state, under the group's column
        fmt = first_rule if k == 0 else side
        check(ws.write_string(row, 0, w[s], fmt), "a total of the returns grid")
        check(ws.write_row(row, 1, [per_group[g][s] for g in group_codes], total_number if k == 0 else group_fmt),
              "the totals of the groups")
        row += 1
    return row + 1


def _todo(r, plan: Plan, lang: str) -> str:
    """What the Secretariat does about the file: its own steps, or sending the feedback copy."""
    quiet = not any(f.severity is Severity.ERROR or f.code == "file-empty-later" for f in r.findings)
    if r.verdict in (Verdict.IGNORED, Verdict.SUPERSEDED) and quiet:
        return ""
    return " ".join(secretariat_steps(r, plan, lang)) or say("todo.none", lang)


def _file_rows(returns, plan: Plan, lang: str, labels: Labels, w: dict) -> list[list]:
    rows = []
    for r in returns:
        accepted = r.verdict == Verdict.ACCEPTED
        ok = sum(1 for x in r.rows if x.accepted) if accepted else 0
        found = r.all_findings()
        received = r.received_at
        rows.append([
            text(r.name), labels.country.get(r.country, text(r.country)),
            labels.group.get(r.working_group, text(r.working_group)), text(r.period),
            w.get("verdict_" + r.verdict, r.verdict), received if isinstance(received, dt.datetime) else "",
            ok, len(r.rows) - ok,
            sum(1 for f in found if f.severity is Severity.ERROR),
            sum(1 for f in found if f.severity is Severity.WARNING),
            text(_reason(r, lang, w)), text(_todo(r, plan, lang)), text(r.sha256),
        ])
    return rows


def write_returns(wb, result, plan: Plan, lang: str, labels: Labels) -> None:
    w = words(lang)
    ws = wb.add_worksheet(w["sheet_returns"])
    look = styles(wb)
    title = w["returns_title"].format(in_period=period_words(result.period, lang, article=True))
    check(ws.write_string(0, 0, title, look.title), "the returns title")
    due = result.due_date
    check(ws.write_string(1, 0, w["due"].format(due=format_date(due, lang)) if due else w["no_due"]), "the due date")

    states = return_states(result.returns, result.expected, result.period, due,
                           groups={g.code for g in plan.working_groups}, countries={c.code for c in plan.countries})
    countries = [labels.country.get(c, c) for c in {k[0] for k in states}]
    groups = [labels.group.get(g.code, g.code) for g in plan.working_groups if any(k[1] == g.code for k in states)]
    widths = _widths(countries, groups, w)
    row = 3
    if not states:
        check(ws.write_string(row, 0, w["nothing_expected"]), "the returns note")
        row += 2
    else:
        row = _write_grid(wb, ws, row, states, plan, labels, widths, w)

    check(ws.write_string(row, 0, w["files_title"], look.bold), "the files title")
    headers = [w[k] for k in FILE_COLUMNS]
    files = [r for r in result.returns if not r.earlier_round]
    _, last = write_table(ws, row + 1, headers, _file_rows(files, plan, lang, labels, w), "Files",
                          widths[:len(headers)], look=look, wrap=list(range(len(headers) - 1)))
    for i in range(len(headers), len(widths)):  # grid columns beyond the file table's
        check(ws.set_column(i, i, widths[i]), "the width of a grid column")
    row = last + 2
    note = set_aside_note(result.returns, w)
    if note:
        check(ws.write_string(row, 0, note), "the set-aside note")
    printable(ws, doc_title(w, result.period, lang), columns=len(headers) - 1, last_row=row)
