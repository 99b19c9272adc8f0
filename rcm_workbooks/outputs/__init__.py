"""What consolidate writes for a period: the consolidated workbook, the CSV and feedback copies."""
from __future__ import annotations

import os
from pathlib import Path

from ..core.files import WorkspaceError
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
    try:
        # Writing the workbook is pure-Python XML work and the slowest step at scale (see
        # docs/performance.md); on a second core it runs while the CSV and feedback copies are made.
        child = _start(write_workbook, book, result, plan, lang) if len(result.matrix) >= PARALLEL_FROM_ROWS else None
        if child is None:
            write_workbook(book, result, plan, lang)
        feedback = feedback or start_feedback(folder / "feedback", result.returns, plan)
        paths = [book, write_csv(folder / f"consolidated_{result.period}.csv", result.matrix)]
    except BaseException:
        if feedback is not None:
            feedback.abandon()
        raise
    paths.extend(feedback.finish())
    if child is not None:
        _finish(child)
    return paths


def _start(fn, *args):
    """Run fn(*args) in a forked process; None where fork is not available."""
    import multiprocessing

    if (os.cpu_count() or 1) < 2:
        return None
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        return None
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_child, args=(writer, fn, args), daemon=True)
    proc.start()
    writer.close()
    return proc, reader


def _run_child(pipe, fn, args) -> None:
    try:
        fn(*args)
        pipe.send(None)
    except BaseException as exc:  # reported by the parent, which owns the user's messages
        pipe.send(f"{type(exc).__name__}: {exc}")
    finally:
        pipe.close()


def _finish(child) -> None:
    proc, reader = child
    try:
        error = reader.recv()
    except EOFError:
        error = "the process writing it stopped unexpectedly"
    proc.join()
    if error:
        raise WorkspaceError(f"could not write the consolidated workbook ({error}); the previous one is intact.")
