"""Receipts: a short acknowledgement for each focal point with a return, in their language.

For each working group of theirs the receipt says which workbook arrived (its file name and the
day it was saved), how many activities were accepted, and whether a copy with corrections follows
(intake.actions.needs_feedback, the rule the feedback folder is written by); a working group of
theirs with nothing yet is said to be missing. A focal point whose returns were all accepted gets
this and nothing else. The states are those of the Returns sheet (intake.states). An Activity
Matrix's rows are counted as proposals (mail.forms.word).
"""
from __future__ import annotations

from pathlib import PurePosixPath

from ..core.plan import Plan
from ..core.texts import format_date, say
from ..core.verdicts import Verdict
from ..intake.actions import needs_feedback
from ..intake.states import MISSING, RECEIVED, PairState
from .forms import FOLLOWUP, word


def _file(ret, lang: str) -> str:
    """The file as the focal point named it (never a folder of the Secretariat's inbox)."""
    name = PurePosixPath(ret.name.replace("\\", "/")).name or ret.name
    if ret.saved_at:
        return say("receipt.file_saved", lang, file=name, date=format_date(ret.saved_at.date(), lang))
    return name


def _received(ret, plan: Plan, lang: str, form: str) -> tuple[str, bool]:
    accepted = sum(1 for row in ret.rows if row.accepted)
    if not ret.rows:
        rows = say(word("receipt.no_rows", form), lang)
    elif accepted == len(ret.rows):
        rows = say(word("receipt.accepted", form), lang, n=accepted)
    else:
        rows = say(word("receipt.accepted_some", form), lang, n=len(ret.rows), ok=accepted)
    follows = needs_feedback(ret, plan)
    return f"{_file(ret, lang)}: {rows}" + ("; " + say("receipt.copy_follows", lang) if follows else ""), follows


def _rejected(ret, plan: Plan, lang: str) -> tuple[str, bool]:
    errors = ret.file_errors
    reason = errors[0].for_focal_point(lang) if errors else say("email.unreadable", lang)
    follows = needs_feedback(ret, plan)
    text = say("receipt.rejected", lang, file=_file(ret, lang), reason=reason.rstrip("."))
    return text + ("; " + say("receipt.copy_follows", lang) if follows else ""), follows


def receipt_lines(plan: Plan, groups, country: str, states: dict[tuple[str, str], PairState],
                  lang: str, form: str = FOLLOWUP) -> tuple[list[str], bool]:
    """(one line per working group, whether any correction copy follows) for one focal point's
    `groups` of `country`; no lines when none of them has a return."""
    lines, follows, any_return = [], False, False
    for g in groups:
        st = states.get((country, g.code))
        label = f"{g.label(lang)} ({g.code})"
        if st is None or st.state == MISSING:
            lines.append(f"{label}: " + say("receipt.missing", lang) + ".")
            continue
        any_return = True
        if st.state == RECEIVED:
            text, copy = _received(st.standing, plan, lang, form)
        else:
            text, copy = _rejected([r for r in st.returns if r.verdict == Verdict.REJECTED][-1], plan, lang)
        follows = follows or copy
        lines.append(f"{label}: {text}.")
    return (lines, follows) if any_return else ([], False)
