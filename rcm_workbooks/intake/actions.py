"""Who acts on a judged return: the focal point (a feedback copy of their file, with the cells to
correct) or the Secretariat (a step of its own). The one place this is decided: the feedback
folder, the e-mails (feedback and receipts) and the Returns sheet all ask here.
"""
from __future__ import annotations

from ..core.findings import Actor, Finding, Severity
from ..core.verdicts import Verdict

# Kinds of file a feedback copy can be made of (an .ods or .xls one is rebuilt as .xlsx).
WORKBOOK_KINDS = ("xlsx", "xlsm", "ods", "xls")


def corrections(ret) -> list[Finding]:
    """The findings a focal point can fix in their file: errors and warnings of their own codes.
    Notes (info), lateness and whatever the Secretariat acts on are left out."""
    return [f for f in ret.all_findings()
            if f.actor is Actor.FOCAL_POINT and f.severity in (Severity.ERROR, Severity.WARNING)]


def secretariat_findings(ret) -> list[Finding]:
    """Errors and warnings the Secretariat acts on, in the order they were found."""
    return [f for f in ret.all_findings()
            if f.actor is Actor.SECRETARIAT and f.severity in (Severity.ERROR, Severity.WARNING)]


def needs_feedback(ret, plan) -> bool:
    """Whether the focal point gets a feedback copy of this return: a standing or rejected file,
    read from a workbook and identified as one of the plan's working groups and countries, with
    at least one error or warning they can fix in it, and no error the Secretariat must act on
    first (the wrong period consolidated, another plan, a damaged identity: a copy would tell the
    focal point to correct what is not theirs). A file that is not an identified return gets
    none: it is not the focal point's template, and copying a stranger's workbook costs what its
    content makes it cost."""
    if ret.verdict not in (Verdict.ACCEPTED, Verdict.REJECTED) or ret.kind not in WORKBOOK_KINDS:
        return False
    if not (ret.identified and plan.group(ret.working_group) is not None and plan.country(ret.country) is not None):
        return False
    if any(f.severity is Severity.ERROR for f in secretariat_findings(ret)):
        return False
    return bool(corrections(ret))


def secretariat_steps(ret, plan, lang: str = "en") -> list[str]:
    """What the Secretariat does about one file, in `lang`: the fix of each of its own findings
    (once per code), and the feedback copy to send where one is written."""
    from ..core.texts import say

    steps: list[str] = []
    seen: set[str] = set()
    for f in secretariat_findings(ret):
        if f.code in seen:
            continue
        seen.add(f.code)
        fix = f.fix(lang)
        if fix:
            steps.append(fix)
    if needs_feedback(ret, plan):
        steps.append(say("todo.feedback", lang, n=len(corrections(ret)), period=ret.period))
    return steps
