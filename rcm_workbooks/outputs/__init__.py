"""What consolidate writes for a period: the consolidated workbook, the CSV and feedback copies."""
from __future__ import annotations

from pathlib import Path

from ..core.parallel import Background, beside
from ..core.plan import Plan

# Below this many rows the workbook is written in this process: a fork costs more than it saves.
PARALLEL_FROM_ROWS = 5_000


def write_periods(out: Path, consolidation, plan: Plan, lang: str = "en", early: dict | None = None) -> None:
    """Write every period's outputs into out/<period>/ (write_period); set each period's and the
    consolidation's `outputs`. `early`: feedback copies already begun, by period.

    With several periods, a second core writes the consolidated workbooks of every other period
    while this one writes the rest with the CSVs and the feedback copies: a round of 14 periods
    writes 14 workbooks, and each is pure-Python XML work (docs/performance.md).
    """
    from .workbook import write_workbook

    early = early or {}
    periods = list(consolidation.periods.values())
    for pr in periods:
        _prepare(out / pr.period)  # before a worker writes into the folder
    aside = periods[1::2] if len(periods) > 1 else []

    def book(i: int) -> Path:
        pr = aside[i]
        return write_workbook(out / pr.period / f"consolidated_{pr.period}.xlsx", pr, plan, lang)

    job = Background(book, range(len(aside)), workers=1, beside=True) if aside else None
    try:
        for pr in periods:
            pr.outputs = write_period(out / pr.period, pr, plan, lang, feedback=early.pop(pr.period, None),
                                      workbook=not any(pr is a for a in aside))
            consolidation.outputs.extend(pr.outputs)
    except BaseException:
        if job is not None:
            job.close()
        raise
    if job is not None:
        job.results()  # what writing a workbook there raised, it raises here


def _prepare(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for left in folder.glob(".tmp-*"):  # half-written files of a run that was killed (we hold the lock)
        left.unlink(missing_ok=True)


def write_period(folder: Path, result, plan: Plan, lang: str = "en", feedback=None,
                 workbook: bool = True) -> list[Path]:
    """Write every output of one period into `folder`, each atomically; return their paths.

    `feedback`: the period's copies already begun (start_feedback(folder / "feedback", ...)), so
    they were made while the caller did other work; by default they are begun here. `workbook`:
    false when the caller has the consolidated workbook written elsewhere (write_periods).
    """
    from .csv import write_csv
    from .feedback import start_feedback
    from .workbook import write_workbook

    if workbook:
        _prepare(folder)
    book = folder / f"consolidated_{result.period}.xlsx"
    job = None
    try:
        # Writing the workbook is pure-Python XML work and the slowest step at scale (see
        # docs/performance.md); on a second core it runs while the CSV and feedback copies are made.
        if not workbook:
            pass
        elif len(result.matrix) >= PARALLEL_FROM_ROWS:
            job = beside(write_workbook, book, result, plan, lang)
        else:
            write_workbook(book, result, plan, lang)
        feedback = feedback or start_feedback(folder / "feedback", result.returns, plan)
        paths = [book, write_csv(folder / f"consolidated_{result.period}.csv", result.matrix)]
    except BaseException:
        if feedback is not None:
            feedback.abandon()
        if job is not None:
            job.close()
        raise
    paths.extend(feedback.finish())
    if job is not None:
        job.results()  # what the workbook's writing raised, it raises here
    return paths
