"""The state of each expected return of a period: the one computation the Returns sheet and the
reminders share.

A (country, working group) pair is

- received: a return of it stands (accepted), whenever it arrived; `late` says it arrived after
  the due date, and is counted apart, never instead of received;
- rejected: files came for it, none could be accepted;
- missing: nothing came (`overdue(today)` once the due date has passed).

Superseded and rejected files are counted apart, beside the state. Pure: judged returns in, states
out; nothing is read or written.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.verdicts import Verdict

RECEIVED, REJECTED, MISSING = "received", "rejected", "missing"
STATES = (RECEIVED, REJECTED, MISSING)


@dataclass
class PairState:
    """One (country, working group) pair of a period, expected or seen."""

    country: str
    working_group: str
    state: str = MISSING  # received | rejected | missing
    late: bool = False  # received after the due date
    expected: bool = True  # a template was generated for the pair
    due: dt.date | None = None  # the due date the return was judged by
    returns: list = field(default_factory=list)  # the pair's files of the period (validate.Return)

    @property
    def standing(self):
        """The return that stands for the pair (the last one accepted), or None."""
        return next((r for r in reversed(self.returns) if r.verdict == Verdict.ACCEPTED), None)

    @property
    def superseded(self) -> int:
        return sum(1 for r in self.returns if r.verdict == Verdict.SUPERSEDED)

    @property
    def rejected(self) -> int:
        """Rejected files of the pair, the one that makes its state `rejected` included."""
        return sum(1 for r in self.returns if r.verdict == Verdict.REJECTED)

    def overdue(self, today: dt.date) -> bool:
        """Still missing once the due date has passed."""
        return self.state == MISSING and self.due is not None and today > self.due


def return_states(returns, expected, period: str, due: dt.date | None = None, *,
                  groups=None, countries=None) -> dict[tuple[str, str], PairState]:
    """The state of every expected pair of `period`, and of every other pair a file came for.

    `returns`: the judged files (ignored ones and other periods' are left out here); `expected`:
    the (country, group) pairs templates were generated for; `due`: the period's due date, for a
    return whose own `_meta` names none. `groups`/`countries`: the codes of the plan, when given;
    a file naming another code is left out (it is rejected, and shown among the files).
    """
    pairs: dict[tuple[str, str], PairState] = {}
    for country, group in expected:
        pairs[(country, group)] = PairState(country, group, due=due)
    for r in returns:
        if not r.identified or r.period != period or r.verdict == Verdict.IGNORED:
            continue
        if (groups is not None and r.working_group not in groups) or (countries is not None and r.country not in countries):
            continue
        key = (r.country, r.working_group)
        if key not in pairs:
            pairs[key] = PairState(r.country, r.working_group, expected=False, due=due)
        pairs[key].returns.append(r)
    for pair in pairs.values():
        standing = pair.standing
        if standing is not None:
            pair.state = RECEIVED
            pair.due = standing.due_date or due
            received = standing.received_at
            pair.late = bool(pair.due and received and received.date() > pair.due)
        elif pair.rejected:
            pair.state = REJECTED
    return pairs
