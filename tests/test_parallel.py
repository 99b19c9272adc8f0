"""Work spread over forked processes gives the same results as work done in one."""
from __future__ import annotations

import os
import zipfile

import pytest
from test_feedback import world  # noqa: F401  (its fixture: an inbox with corrections to make)

from rcm_workbooks.core import parallel
from rcm_workbooks.outputs import feedback
from rcm_workbooks.outputs.feedback import start_feedback

PARENT = os.getpid()


def square_and_pid(x):
    return x * x, os.getpid()


def test_fork_map_keeps_order_and_runs_in_workers():
    out = parallel.fork_map(square_and_pid, range(200), workers=2)
    assert [v for v, _ in out] == [x * x for x in range(200)]
    assert {pid for _, pid in out} - {PARENT}  # at least some ran in another process


def test_fork_map_in_this_process_with_one_worker_or_one_item():
    assert parallel.fork_map(square_and_pid, [3], workers=2) == [(9, PARENT)]
    assert parallel.fork_map(square_and_pid, [1, 2], workers=1) == [(1, PARENT), (4, PARENT)]
    assert parallel.fork_map(square_and_pid, [], workers=2) == []


def fails_on_seven(x):
    if x == 7:
        raise ValueError("seven")
    return x


def test_an_exception_of_the_function_reaches_the_caller():
    with pytest.raises(ValueError, match="seven"):
        parallel.fork_map(fails_on_seven, range(20), workers=2)


def dies_in_a_worker(x):
    if os.getpid() != PARENT:
        os._exit(3)  # a worker killed, as by the out-of-memory killer
    return -x


def test_a_broken_pool_is_done_again_here():
    assert parallel.fork_map(dies_in_a_worker, range(10), workers=2) == [-x for x in range(10)]


def test_without_fork_the_work_is_done_here(monkeypatch):
    import multiprocessing

    def no_fork(method=None):
        raise ValueError("cannot find context for 'fork'")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    assert parallel.fork_map(square_and_pid, range(5), workers=2) == [(x * x, PARENT) for x in range(5)]


def test_beside_runs_one_job_in_another_process_while_this_one_goes_on():
    job = parallel.beside(square_and_pid, 7)
    forked = job.forked
    assert forked == ((os.cpu_count() or 1) > 1)  # one worker is enough: this process is the other
    ((value, pid),) = job.results()
    assert value == 49 and (pid != PARENT) == forked


def test_beside_with_one_core_is_done_here_and_now(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    calls = []
    job = parallel.beside(lambda x: calls.append(x) or x * 2, 5)
    assert not job.forked and calls == [5]  # done before beside returned, in the caller's order
    assert job.results() == [10] and calls == [5]


def test_a_failure_beside_reaches_the_caller_as_it_is():
    with pytest.raises(ValueError, match="seven"):
        parallel.beside(fails_on_seven, 7).results()


def test_a_killed_worker_beside_means_the_job_is_done_here():
    assert parallel.beside(dies_in_a_worker, 4).results() == [-4]


@pytest.mark.parametrize("beside", [False, True], ids=["here", "beside"])
def test_the_workbook_fails_with_the_same_error_written_here_or_beside(world, tmp_path, monkeypatch, beside):  # noqa: F811
    import rcm_workbooks.outputs as outputs
    from rcm_workbooks.core.errors import Problem
    from rcm_workbooks.outputs import workbook
    from rcm_workbooks.outputs.sheets import WorkbookOutputError

    def refuse(*args, **kwargs):
        raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail=f"refused in {os.getpid()}")

    monkeypatch.setattr(outputs, "PARALLEL_FROM_ROWS", 0 if beside else 10**9)
    monkeypatch.setattr(workbook, "build_workbook", refuse)
    with pytest.raises(WorkbookOutputError) as caught:
        outputs.write_period(tmp_path / "out", world["result"], world["plan"])
    assert caught.value.problem is Problem.WORKBOOK_NOT_WRITTEN  # the same error, code and data, from either
    pid = int(caught.value.params["detail"].rsplit(" ", 1)[1])
    assert (pid != PARENT) == (beside and (os.cpu_count() or 1) > 1)


def parts(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_feedback_copies_made_in_workers_equal_those_made_here(world, tmp_path, monkeypatch):  # noqa: F811
    here = start_feedback(tmp_path / "here" / "feedback", world["result"].returns, world["plan"]).finish()
    monkeypatch.setattr(feedback, "PARALLEL_FROM_COPIES", 2)
    spread = start_feedback(tmp_path / "spread" / "feedback", world["result"].returns, world["plan"]).finish()
    assert len(here) == len(spread) == 5
    assert [p.relative_to(tmp_path / "here") for p in here] == [p.relative_to(tmp_path / "spread") for p in spread]
    for a, b in zip(here, spread):
        assert parts(a) == parts(b), a.name


def test_a_small_round_runs_in_one_process(tmp_path):
    """Forking, and even importing the process pool (~30 ms), would cost a real round more than it
    saves: 44 returns and a few feedback copies are done in the one process."""
    import subprocess
    import sys

    code = f"""
import datetime as dt, sys
from pathlib import Path
from rcm_workbooks.workspace import init_workspace
from rcm_workbooks.template.generate import generate
from rcm_workbooks.demo.fill import fill_round
from rcm_workbooks.round import consolidate
ws = init_workspace(Path({str(tmp_path / "ws")!r}))
plan = ws.load_plan()
made = generate(ws, plan, "2025-H1", groups=["PROT"], countries=["GTM", "MEX", "USA"], due=dt.date(2025, 6, 30))
fill_round([m.path for m in made], ws.inbox, plan, seed=1, rows_per_return=(3, 3), mistake_rate=1.0,
           missing=0.0, rename_rate=0.0, saved_at=dt.datetime(2025, 6, 1), workers=1)
before = {{m for m in sys.modules if m.startswith(("multiprocessing", "concurrent"))}}
result = consolidate(ws, plan, period="2025-H1")
after = {{m for m in sys.modules if m.startswith(("multiprocessing", "concurrent"))}}
print(len(result.periods["2025-H1"].outputs), sorted(after - before))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    copies, imported = out.stdout.strip().split(" ", 1)
    assert int(copies) > 2  # the workbook, the CSV and at least one feedback copy were written
    assert imported == "[]"


def _three_periods(world):  # noqa: F811
    import dataclasses

    from rcm_workbooks.intake.report import Report

    periods = {p: dataclasses.replace(world["result"], period=p, outputs=[]) for p in ("2025-H1", "2025-H2", "2026-H1")}
    return Report(files=world["result"].returns, periods=periods)


def test_several_periods_share_their_workbooks_with_a_second_core(world, tmp_path, monkeypatch):  # noqa: F811
    import rcm_workbooks.outputs as outputs
    from rcm_workbooks.outputs import workbook

    monkeypatch.setattr(workbook, "build_workbook", lambda result, plan, lang: f"{result.period} {os.getpid()}".encode())
    consolidation = _three_periods(world)
    outputs.write_periods(tmp_path / "out", consolidation, world["plan"])
    written = {p: (tmp_path / "out" / p / f"consolidated_{p}.xlsx").read_text().split() for p in consolidation.periods}
    assert {p: period for p, (period, _) in written.items()} == {p: p for p in consolidation.periods}
    pids = {p: int(pid) for p, (_, pid) in written.items()}
    assert pids["2025-H1"] == pids["2026-H1"] == PARENT
    assert (pids["2025-H2"] != PARENT) == ((os.cpu_count() or 1) > 1)  # every other period on the second core
    for p, pr in consolidation.periods.items():  # each period lists its workbook, CSV and feedback copies
        assert pr.outputs[:2] == [tmp_path / "out" / p / f"consolidated_{p}.xlsx", tmp_path / "out" / p / f"consolidated_{p}.csv"]
        assert len(pr.outputs) == 2 + 5  # the five feedback copies of the test_feedback world
    assert consolidation.outputs == [x for pr in consolidation.periods.values() for x in pr.outputs]


def test_a_workbook_that_fails_on_the_second_core_fails_the_run(world, tmp_path, monkeypatch):  # noqa: F811
    import rcm_workbooks.outputs as outputs
    from rcm_workbooks.core.errors import Problem
    from rcm_workbooks.outputs import workbook
    from rcm_workbooks.outputs.sheets import WorkbookOutputError

    def refuse(result, plan, lang):
        if result.period == "2025-H2":
            raise WorkbookOutputError(Problem.WORKBOOK_NOT_WRITTEN, detail=f"refused in {os.getpid()}")
        return b"fine"

    monkeypatch.setattr(workbook, "build_workbook", refuse)
    with pytest.raises(WorkbookOutputError) as caught:
        outputs.write_periods(tmp_path / "out", _three_periods(world), world["plan"])
    assert caught.value.problem is Problem.WORKBOOK_NOT_WRITTEN and caught.value.params["detail"].startswith("refused in")
