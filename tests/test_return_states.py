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


def test_states_of_a_hand_counted_inbox():
    expected = [(c, g) for c in ("BLZ", "CRI", "MEX", "GTM") for g in ("PROT", "LABR")]
    returns = [
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
    states = return_states(returns, expected, P, DUE, groups={"PROT", "LABR", "BORD"},
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
