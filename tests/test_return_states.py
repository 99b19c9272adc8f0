"""The state of each expected return (intake.states): one computation for the Returns sheet and the
reminders. Received is every return that arrived, late ones included; late is counted apart."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from rcm_workbooks.intake.states import return_states
from rcm_workbooks.intake.validate import Return

P, DUE = "2025-H1", dt.date(2025, 6, 30)
ON_TIME, LATE = dt.datetime(2025, 6, 20, 9, 0), dt.datetime(2025, 7, 3, 9, 0)


def ret(name, country, group, verdict, saved=ON_TIME, period=P, due=DUE):
    return Return(Path(name), name, period=period, country=country, working_group=group, verdict=verdict,
                  saved_at=saved, due_date=due)


EXPECTED = [(c, g) for c in ("BLZ", "CRI", "MEX", "GTM") for g in ("PROT", "LABR")]


def hand_counted_inbox() -> list[Return]:
    return [
        ret("blz-prot.xlsx", "BLZ", "PROT", "accepted"),
        ret("cri-prot.xlsx", "CRI", "PROT", "accepted", saved=LATE),
        ret("mex-prot-1.xlsx", "MEX", "PROT", "superseded"),
        ret("mex-prot-2.xlsx", "MEX", "PROT", "accepted"),
        ret("blz-labr-1.xlsx", "BLZ", "LABR", "rejected"),
        ret("blz-labr-2.xlsx", "BLZ", "LABR", "rejected"),
        ret("cri-labr.xlsx", "CRI", "LABR", "rejected"),
        ret("cri-labr-2.xlsx", "CRI", "LABR", "accepted", saved=LATE, due=None),  # the period's due date applies
        ret("gtm-prot.xlsx", "GTM", "PROT", "ignored"),  # set aside: not a return
        ret("gtm-labr.xlsx", "GTM", "LABR", "accepted", period="2024-H2"),  # another period
        ret("usa-bord.xlsx", "USA", "BORD", "accepted"),  # not expected, but it came
        ret("xyz-prot.xlsx", "XYZ", "PROT", "rejected"),  # a country the plan does not have
        Return(Path("notes.pdf"), "notes.pdf", verdict="rejected"),  # unidentified
    ]


def test_states_of_a_hand_counted_inbox():
    returns = hand_counted_inbox()
    states = return_states(returns, EXPECTED, P, DUE, groups={"PROT", "LABR", "BORD"},
                           countries={"BLZ", "CRI", "MEX", "GTM", "USA"})
    got = {k: (s.state, s.late, s.superseded, s.rejected, s.expected) for k, s in states.items()}
    assert got == {
        ("BLZ", "PROT"): ("received", False, 0, 0, True),
        ("BLZ", "LABR"): ("rejected", False, 0, 2, True),
        ("CRI", "PROT"): ("received", True, 0, 0, True),
        ("CRI", "LABR"): ("received", True, 0, 1, True),
        ("MEX", "PROT"): ("received", False, 1, 0, True),
        ("MEX", "LABR"): ("missing", False, 0, 0, True),
        ("GTM", "PROT"): ("missing", False, 0, 0, True),
        ("GTM", "LABR"): ("missing", False, 0, 0, True),
        ("USA", "BORD"): ("received", False, 0, 0, False),
    }
    assert states[("MEX", "PROT")].standing.name == "mex-prot-2.xlsx"
    received = [k for k, s in states.items() if s.state == "received"]
    late = [k for k, s in states.items() if s.late]
    assert len(received) == 5 and len(late) == 2 and set(late) <= set(received)


def test_a_missing_return_is_overdue_once_the_due_date_has_passed():
    (state,) = return_states([], [("GTM", "PROT")], P, DUE).values()
    assert state.state == "missing" and state.standing is None
    assert not state.overdue(DUE) and state.overdue(DUE + dt.timedelta(days=1))
    (no_due,) = return_states([], [("GTM", "PROT")], P).values()
    assert not no_due.overdue(dt.date(2099, 1, 1))
    received = return_states([ret("a.xlsx", "GTM", "PROT", "accepted", saved=LATE)], [("GTM", "PROT")], P, DUE)
    assert not received[("GTM", "PROT")].overdue(dt.date(2099, 1, 1))  # late, but received: nothing to remind


def test_the_returns_sheet_shows_the_hand_counted_states(plan):
    """The same hand-counted inbox through the consolidated workbook: the grid shows each pair's
    state, each country's counts, one row of totals (received 5 of which late 2, rejected 1,
    missing 3, superseded 1) and each group's counts under it."""
    import io

    import openpyxl

    from rcm_workbooks.core.fields import MATRIX_FRAME_COLUMNS, REJECTED_COLUMNS
    from rcm_workbooks.core.table import Table
    from rcm_workbooks.intake.consolidate import PeriodResult
    from rcm_workbooks.outputs.returns import COUNTS
    from rcm_workbooks.outputs.workbook import build_workbook

    result = PeriodResult(P, hand_counted_inbox(), Table(MATRIX_FRAME_COLUMNS, []), Table(REJECTED_COLUMNS, []),
                          EXPECTED, DUE)
    ws = openpyxl.load_workbook(io.BytesIO(build_workbook(result, plan, "en")))["Returns"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0] == "Country")
    heads = rows[top]
    groups = ["Protection", "Labor migration", "Border management"]
    counts = ["Received", "Late", "Rejected", "Missing", "Superseded files"]
    assert heads[:1 + len(groups) + len(counts)] == ["Country", *groups, *counts]
    body = {r[0]: r for r in rows[top + 1:top + 6]}
    assert list(body) == [c.label("en") for c in plan.countries if c.code in {"BLZ", "CRI", "MEX", "GTM", "USA"}]
    cells = {c: dict(zip(groups, r[1:4])) for c, r in body.items()}
    assert cells["Belize"] == {"Protection": "received", "Labor migration": "rejected; 1 rejected",
                               "Border management": None}
    assert cells["Costa Rica"] == {"Protection": "late", "Labor migration": "late; 1 rejected",
                                   "Border management": None}
    assert cells["Mexico"]["Protection"] == "received; 1 superseded"
    assert cells["Guatemala"] == {"Protection": "missing", "Labor migration": "missing", "Border management": None}
    assert cells["United States"]["Border management"] == "received"
    per_country = {c: dict(zip(counts, r[4:9])) for c, r in body.items()}
    assert per_country["Costa Rica"] == {"Received": 2, "Late": 2, "Rejected": 0, "Missing": 0,
                                         "Superseded files": 0}
    assert per_country["Mexico"] == {"Received": 1, "Late": 0, "Rejected": 0, "Missing": 1,
                                     "Superseded files": 1}
    total = rows[top + 6]
    assert total[0] == "Total" and total[1:4] == [None] * 3
    assert dict(zip(counts, total[4:9])) == {"Received": 5, "Late": 2, "Rejected": 1, "Missing": 3,
                                             "Superseded files": 1}
    per_group = {r[0]: r[1:4] for r in rows[top + 7:top + 7 + len(COUNTS)]}
    assert per_group == {"Received": [3, 1, 1], "Late": [1, 1, 0], "Rejected": [0, 1, 0],
                         "Missing": [1, 2, 0], "Superseded files": [1, 0, 0]}
    assert all(r[4:] == [None] * (len(r) - 4) for r in rows[top + 7:top + 7 + len(COUNTS)])  # no staircase
