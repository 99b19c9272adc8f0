"""The one place a consolidation runs for real: the lock, the registry, the outputs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .core.errors import Problem, RcmError
from .core.files import Workspace, WorkspaceError, workspace_lock
from .core.plan import Plan
from .core.verdicts import Verdict
from .intake.consolidate import (
    judge,
    periods_of,
    read_all,
    returns_of,
    scan,
)
from .intake.reader import ReadLimits
from .intake.report import Report
from .intake.validate import Return
from .outputs import write_periods
from .outputs.activities import write_proposals
from .outputs.feedback import start_feedback
from .outputs.progress import progress
from .registry.carry import check_carried
from .registry.store import assign_refs, open_registry, record


class NothingToConsolidate(RcmError):
    """The inbox holds no file at all: nothing is read, recorded or written (exit 1, not 2: the
    command could run, there was just nothing to run on)."""

    def __init__(self, inbox: Path):
        super().__init__(Problem.INBOX_EMPTY, inbox=inbox)


def consolidate(ws: Workspace, plan: Plan, *, period: str | None = None, inbox: Path | None = None,
                out: Path | None = None, lang: str = "en", limits: ReadLimits = ReadLimits(),
                write: bool = True, lock_wait: float = 30.0, db: str | Path | None = None,
                on_wait: Callable[[str], None] | None = None) -> Report:
    """Read every file of the inbox, judge it against the plan and the registry, and (unless
    `write` is false) record it and write the period's outputs.

    `db` is the registry (a path or a postgresql:// URL; default: the workspace's, see
    registry.store.registry_target); `on_wait(where)` is told when another rcm writing to the
    same registry makes this one wait."""
    inbox = Path(inbox) if inbox else ws.inbox
    out = Path(out) if out else ws.outbox
    if not inbox.is_dir():
        raise WorkspaceError(Problem.NO_INBOX, path=inbox)
    files = scan([inbox])
    if not files:  # before the registry is opened: an empty inbox leaves no trace
        raise NothingToConsolidate(inbox)
    returns = read_all(files, plan, period=period, limits=limits)
    with open_registry(ws, db, on_wait=on_wait) as registry:
        if period:
            _set_aside_earlier_rounds(registry, returns, period)
        assign_refs(registry, returns)  # every accepted row gets its stable ref before the frames
        check_carried(registry, returns)
        if not write:
            return judge(ws, plan, returns, period, lang)
        _check_output_folder(out)
        with workspace_lock(out, lock_wait):
            return _write(ws, plan, registry, returns, period, out, lang)


def _write(ws, plan, registry, returns, period, out, lang) -> Report:
    # The findings are final now, and the feedback copies need nothing else: for a round of one
    # period they are made on the other cores while the frames, the registry and the Progress are
    # done here (several periods begin theirs one after another, in outputs.write_periods).
    periods = periods_of(ws, returns, period)
    early = {}
    if len(periods) == 1:
        early[periods[0]] = start_feedback(out / periods[0] / "feedback", returns_of(returns, periods[0], period), plan)
    try:
        result = judge(ws, plan, returns, period, lang)
        record(registry, result, plan)
        for p, pr in result.periods.items():
            pr.progress = progress(registry, p, plan)
            if p not in early and p in result.proposals:  # one feedback folder for both rounds of p
                early[p] = start_feedback(out / p / "feedback", pr.returns + result.proposals[p].returns, plan)
        write_periods(out, result, plan, lang, early)
        for p, proposals in result.proposals.items():  # Activity Matrix rounds
            pending = early.pop(p, None)
            if pending is None and p not in result.periods:  # else its copies went with the follow-up ones
                pending = start_feedback(out / p / "feedback", proposals.returns, plan)
            proposals.outputs = write_proposals(out / p, proposals, plan, lang, pending)
            result.outputs.extend(proposals.outputs)
    finally:
        for pending in early.values():  # not reached: something failed before
            pending.abandon()
    return result


def _check_output_folder(out: Path) -> None:
    try:
        out.mkdir(exist_ok=True)  # only the last level: a mistyped --out must not grow folders
    except FileNotFoundError:
        raise WorkspaceError(Problem.OUTPUT_PARENT_MISSING, path=out, parent=out.parent) from None
    except OSError as exc:
        raise WorkspaceError(Problem.OUTPUT_NOT_CREATED, path=out, detail=exc.strerror or str(exc)) from None
    if not os.access(out, os.W_OK):
        raise WorkspaceError(Problem.OUTPUT_READ_ONLY, path=out)


def _set_aside_earlier_rounds(registry, returns: list[Return], period: str) -> None:
    """A return of another period that the registry already holds was consolidated in its own
    round: with one inbox kept across rounds it is no mistake, so it is ignored, not rejected.
    Another period's file never seen before stays rejected (last year's file sent by mistake)."""
    for r in returns:
        codes = {f.code for f in r.file_errors}
        if codes != {"meta-other-period"} or not r.sha256:
            continue
        if registry.q("SELECT 1 FROM files WHERE sha256 = ? AND period = ? AND verdict IN (?, ?)",
                      r.sha256, r.period, Verdict.ACCEPTED, Verdict.SUPERSEDED):
            # Its findings were reported in its own round: here it is only the note that sets it aside.
            r.findings = []
            for row in r.rows:
                row.findings = []
            r.ignore("earlier-round", period=r.period)
