"""What consolidate writes for a period: the consolidated workbook, the CSV and feedback copies."""
from __future__ import annotations

from pathlib import Path

from ..core.parallel import beside
from ..core.plan import Plan

# Below this many rows the workbook is written in this process: a fork costs more than it saves.
PARALLEL_FROM_ROWS = 5_000


def write_period(folder: Path, result, plan: Plan, lang: str = "en", feedback=None) -> list[Path]:
    """Write every output of one period into `folder`, each atomically; return their paths.

    `feedback`: the period's copies already begun (start_feedback(folder / "feedback", ...)), so
    they were made while the caller did other work; by default they are begun here.
    """
    from .csv import write_csv
    from .feedback import start_feedback
    from .workbook import write_workbook

    folder.mkdir(parents=True, exist_ok=True)
    for left in folder.glob(".tmp-*"):  # half-written files of a run that was killed (we hold the lock)
        left.unlink(missing_ok=True)
    book = folder / f"consolidated_{result.period}.xlsx"
    job = None
    try:
        # Writing the workbook is pure-Python XML work and the slowest step at scale (see
        # docs/performance.md); on a second core it runs while the CSV and feedback copies are made.
        if len(result.matrix) >= PARALLEL_FROM_ROWS:
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
