"""Which round the e-mails of a period are about: the follow-up matrix (Strategic Plan 4.3) or the
Activity Matrix (3.9), and what differs between the two for the messages.

The form is the one of the templates generated for the period. Each generator names its files
(template.build and template.activities), and a template's `_meta` `form` is the one its name
says, as consolidate also tells them apart; a period with templates of both forms needs the form
named. Templates, expected pairs, returns and words then come from that form only.
"""
from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem, WorkspaceError
from ..core.files import Workspace
from ..core.plan import Plan
from ..core.texts import WORDS
from ..intake.validate import FORMS
from ..template import activities, build

FOLLOWUP, ACTIVITIES = FORMS
_SUFFIX = "_activities"  # the Activity Matrix's names end so (template.activities.file_name)


def round_form(ws: Workspace, period: str, form: str | None = None) -> str:
    """The form of the period's round: `form` when given, else that of its templates (follow-up
    when there are none of either); both present and none named raises MAIL_FORM_AMBIGUOUS."""
    if form is not None:
        if form not in FORMS:
            raise WorkspaceError(Problem.UNKNOWN_MAIL_FORM, form=form, forms=list(FORMS))
        if form == ACTIVITIES and "-" in period:  # the Activity Matrix is yearly (3.9)
            raise activities.NotAYear(period)
        return form
    folder = ws.templates_dir(period)
    stems = [p.stem for p in folder.glob("*/*.xlsx")] if folder.is_dir() else []
    found = {ACTIVITIES if s.endswith(_SUFFIX) else FOLLOWUP for s in stems}
    if len(found) > 1:
        raise WorkspaceError(Problem.MAIL_FORM_AMBIGUOUS, period=period, forms=list(FORMS))
    return found.pop() if found else FOLLOWUP


def template_path(ws: Workspace, period: str, group: str, country: str, form: str) -> Path:
    name = activities.file_name if form == ACTIVITIES else build.file_name
    return ws.templates_dir(period) / country / name(period, group, country)


def expected_pairs(ws: Workspace, plan: Plan, period: str, form: str) -> list[tuple[str, str]]:
    """The (country, group) pairs the round expects: its templates, else the whole plan."""
    if form == ACTIVITIES:
        from ..intake.proposals import expected_pairs as proposal_pairs

        return proposal_pairs(ws, plan, period)
    from ..intake.consolidate import expected_pairs as followup_pairs

    return followup_pairs(ws, plan, period)


def of_form(returns: list, form: str) -> list:
    """The returns of the round: identified ones of its form, and every unidentified one."""
    return [r for r in returns if not r.identified or r.form == form]


def word(key: str, form: str) -> str:
    """The catalog key of `key` for the form: the Activity Matrix's own words (act.<key>) where it
    has them, else the shared ones."""
    own = f"act.{key}"
    return own if form == ACTIVITIES and own in WORDS["en"] else key


def drafts_folder(ws: Workspace, period: str, kind: str, form: str) -> Path:
    """outbox/<P>/mail/<kind>/; an Activity Matrix round's under mail/activities/, so that a year
    with both rounds keeps the drafts of each."""
    base = ws.period_dir(period) / "mail"
    return base / ACTIVITIES / kind if form == ACTIVITIES else base / kind
