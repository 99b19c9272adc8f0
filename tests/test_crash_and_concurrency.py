"""A crash while writing leaves the previous outputs intact; two runs at once wait for each other or
the second stops with a clear message; an output folder that cannot be written is exit 2.

(a) Crash: run A consolidates an inbox; the inbox changes; run B is killed (a) at every rename that
    puts an output in place, after its temporary file is complete (os._exit in a forked child, no
    cleanup runs, as with SIGKILL), and (b) by SIGKILL at random times while the real CLI runs.
    Every output present must then be A's or B's complete file, the feedback folder A's or B's,
    and the next run must give exactly B's outputs.
(b) Concurrency: consolidate.workspace_lock (fcntl) held by the test -> a short wait ends with
    WorkspaceError / exit 2 and one line; released in time -> the waiting CLI finishes; two CLIs at
    once both finish with complete outputs.
(c) Output folder under a regular file, missing parent, period folder that is a file, read-only.

SOURCE_DATE_EPOCH makes the consolidated workbook reproducible byte for byte; feedback copies
are compared without docProps/core.xml (their saved time). Every test runs with the registry in
SQLite and in PostgreSQL (a copy of the workspace gets a copy of its database).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from rcm_workbooks import round as cons
from rcm_workbooks.cli import cli
from rcm_workbooks.core.files import Problem, Workspace, WorkspaceError
from rcm_workbooks.demo.fill import fill_round, fill_workbook, synthetic_rows
from rcm_workbooks.outputs import feedback as feedback_mod
from rcm_workbooks.registry.store import registry_target
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace
from tests.support.cli import one_line_exit_2

P = "2025-H1"
EPOCH = "1750000000"
KILLED = 9


# --- the world: run A done, the inbox changed since ------------------------------------------


def snapshot(root: Path) -> dict:
    """The outputs of period P in a workspace: bytes of the workbook and CSV, digests of feedback."""
    d = root / "outbox" / P
    out = {}
    for name in (f"consolidated_{P}.xlsx", f"consolidated_{P}.csv"):
        p = d / name
        out[name] = p.read_bytes() if p.is_file() else None
    fb = d / "feedback"
    out["feedback"] = ({str(p.relative_to(fb)): feedback_digest(p) for p in sorted(fb.rglob("*")) if p.is_file()}
                       if fb.is_dir() else None)
    return out


def feedback_digest(path: Path) -> str:
    h = hashlib.sha256()
    with zipfile.ZipFile(path) as z:  # a half-written copy fails here
        for n in sorted(z.namelist()):
            if n != "docProps/core.xml":
                h.update(n.encode() + b"\0" + z.read(n))
    return h.hexdigest()


def leftovers(root: Path) -> list[str]:
    d = root / "outbox" / P
    return sorted(p.name for p in d.iterdir() if p.name.startswith(".")) if d.is_dir() else []


def visible(root: Path) -> set[str]:
    d = root / "outbox" / P
    return {p.name for p in d.iterdir() if not p.name.startswith(".")} - {"templates"}


def copy_workspace(registries, src: Path, dst: Path) -> None:
    """A copy of a workspace, with a copy of its registry (on PostgreSQL: of its database)."""
    shutil.copytree(src, dst)
    if registries.kind == "postgresql":
        registries.attach(Workspace(dst), registries.clone(registry_target(Workspace(src))))


@pytest.fixture(scope="module")
def world(tmp_path_factory, module_registries):
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path_factory.mktemp("crash")
    ws = init_workspace(root / "ws")
    module_registries.attach(ws)
    plan = ws.load_plan()
    made = {(g.country, g.working_group): g.path
            for g in generate(ws, plan, P, groups=["PROT", "IRMM", "LABR"], countries=["GTM", "USA"], rows=6)}
    first = [made[k] for k in made if k[1] != "LABR"]
    fill_round(first, ws.inbox, plan, seed=3, rows_per_return=(2, 5), mistake_rate=1.0, missing=0.0,
               rename_rate=0.0, saved_at=dt.datetime(2025, 5, 1))
    cons.consolidate(ws, plan, lock_wait=5)
    a = snapshot(ws.root)
    assert all(v is not None for v in a.values()), a.keys()
    # The inbox changes: one return withdrawn, a new one with mistakes, one resent with other rows.
    (ws.inbox / "USA" / made["USA", "PROT"].name).unlink()
    rows = synthetic_rows(plan, "LABR", "GTM", "es", random.Random(5), 4)
    rows[0]["status"] = "Hecho"
    fill_workbook(made["GTM", "LABR"], ws.inbox / "GTM" / "labr nuevo.xlsx", rows, saved_at=dt.datetime(2025, 5, 2))
    fill_workbook(made["USA", "IRMM"], ws.inbox / "USA" / made["USA", "IRMM"].name,
                  synthetic_rows(plan, "IRMM", "USA", "en", random.Random(6), 3) + [{"activity": "no pillar"}],
                  saved_at=dt.datetime(2025, 5, 3))
    base = root / "base"
    copy_workspace(module_registries, ws.root, base)
    # The reference: run B to its end, recording the renames that put outputs in place.
    ref = root / "ref"
    copy_workspace(module_registries, base, ref)
    calls: list = []
    real_replace, real_rename = os.replace, os.rename

    def spy(real, kind):
        def f(src, dst, *args, **kw):
            if str(dst).startswith(str(ref)):
                calls.append((kind, Path(src).name, Path(dst).name))
            return real(src, dst, *args, **kw)
        return f

    mp2 = pytest.MonkeyPatch()
    mp2.setattr(os, "replace", spy(real_replace, "replace"))
    mp2.setattr(os, "rename", spy(real_rename, "rename"))
    mp2.setattr(feedback_mod, "_exchange", spy(feedback_mod._exchange, "exchange"))
    try:
        cons.consolidate(Workspace(ref), plan, lock_wait=5)
    finally:
        mp2.undo()
    b = snapshot(ref)
    for key in a:
        assert a[key] != b[key], f"the change of inbox must change {key}"
    yield {"root": root, "plan": plan, "base": base, "a": a, "b": b, "calls": calls, "registries": module_registries}
    mp.undo()


def fresh(world, name: str) -> Path:
    dst = world["root"] / name
    copy_workspace(world["registries"], world["base"], dst)
    return dst


def killed_at(root: Path, plan, k: int) -> int:
    """Run consolidate in a forked child that dies (os._exit, no cleanup) at its k-th rename into `root`."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            count = [0]

            def hook(real):
                def f(src, dst, *args, **kw):
                    if str(dst).startswith(str(root)):
                        if count[0] == k:
                            os._exit(KILLED)
                        count[0] += 1
                    return real(src, dst, *args, **kw)
                return f

            os.replace, os.rename = hook(os.replace), hook(os.rename)
            feedback_mod._exchange = hook(feedback_mod._exchange)
            result = cons.consolidate(Workspace(root), plan, lock_wait=5)
            code = 10 + result.exit_code
        except BaseException:
            code = 4
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def assert_old_or_new(world, root: Path, *, allow_feedback_between_renames: bool):
    a, b, now = world["a"], world["b"], snapshot(root)
    for key in (f"consolidated_{P}.xlsx", f"consolidated_{P}.csv"):
        assert now[key] in (a[key], b[key]), f"{key} is neither the previous nor the new output"
    if now["feedback"] is None and allow_feedback_between_renames:
        # Killed between "feedback -> .feedback-old-*" and ".feedback-new-* -> feedback": the old
        # folder is still whole under its temporary name (the next run puts it back).
        olds = [p for p in (root / "outbox" / P).glob(".feedback-old-*")]
        assert len(olds) == 1, leftovers(root)
        got = {str(p.relative_to(olds[0])): feedback_digest(p) for p in sorted(olds[0].rglob("*")) if p.is_file()}
        assert got == a["feedback"]
    else:
        assert now["feedback"] in (a["feedback"], b["feedback"]), "feedback/ is neither the previous nor the new one"
    # Nothing visible but the outputs themselves; a complete workbook opens.
    assert visible(root) <= {f"consolidated_{P}.xlsx", f"consolidated_{P}.csv", "feedback"}, visible(root)


def test_a_kill_at_every_rename_leaves_old_or_new_outputs(world):
    calls = world["calls"]
    assert [c[0] for c in calls].count("replace") >= 2 and any(c[2] == "feedback" for c in calls), calls
    for k in range(len(calls) + 1):
        root = fresh(world, f"kill{k}")
        code = killed_at(root, world["plan"], k)
        if k < len(calls):
            assert code == KILLED, (k, calls[k], code)
        else:
            assert code == 11, code  # ran to the end: exit 1 (a row was rejected)
        assert_old_or_new(world, root, allow_feedback_between_renames=True)
        # The next run finishes the job: exactly B's outputs, no leftovers of the crash.
        cons.consolidate(Workspace(root), world["plan"], lock_wait=5)
        assert snapshot(root) == world["b"], k
        assert not [x for x in leftovers(root) if x.startswith(".feedback")], leftovers(root)


def test_a_killed_run_leaves_no_temporary_file_after_the_next_run(world):
    root = fresh(world, "tmpleft")
    assert killed_at(root, world["plan"], 0) == KILLED
    assert any(x.startswith(".tmp-") for x in leftovers(root)), leftovers(root)
    cons.consolidate(Workspace(root), world["plan"], lock_wait=5)
    assert not [x for x in leftovers(root) if x.startswith(".tmp-")], leftovers(root)


def test_the_feedback_folder_is_replaced_in_one_step(world):
    calls = world["calls"]
    # the old folder is never renamed away first: new and old are exchanged in one step
    assert not [c for c in calls if c[1] == "feedback"], calls
    k = next(i for i, c in enumerate(calls) if c[2] == "feedback")
    assert calls[k][0] == "exchange", calls
    root = fresh(world, "between")
    assert killed_at(root, world["plan"], k) == KILLED
    assert snapshot(root)["feedback"] == world["a"]["feedback"]


def _cli(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "rcm_workbooks", "-C", str(root), "consolidate", *args]


def _env() -> dict:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def test_sigkill_of_the_real_cli_at_random_times(world):
    # How long a whole run takes here, to aim the kills at it.
    root = fresh(world, "timed")
    started = time.monotonic()
    done = subprocess.run(_cli(root), env=_env(), capture_output=True, text=True, timeout=120)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert snapshot(root) == world["b"]
    rng = random.Random(2025)
    for i in range(3):
        root = fresh(world, f"sigkill{i}")
        proc = subprocess.Popen(_cli(root), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.0) * took)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert_old_or_new(world, root, allow_feedback_between_renames=True)
        cons.consolidate(Workspace(root), world["plan"], lock_wait=5)
        assert snapshot(root) == world["b"]


# --- (b) two runs at once ----------------------------------------------------------------------


def test_lock_held_short_wait_stops_with_a_clear_message(world):
    root = fresh(world, "locked")
    before = snapshot(root)
    with cons.workspace_lock(root / "outbox", 0):
        started = time.monotonic()
        with pytest.raises(WorkspaceError) as info:
            cons.consolidate(Workspace(root), world["plan"], lock_wait=0.5)
        assert time.monotonic() - started < 10
    assert info.value.problem is Problem.CONSOLIDATION_RUNNING
    assert info.value.params == {"folder": root, "seconds": 0}
    assert snapshot(root) == before  # nothing written while it waited


def test_lock_held_cli_exit_2_one_line(world, monkeypatch):
    root = fresh(world, "locked-cli")
    real = cons.workspace_lock
    monkeypatch.setattr(cons, "workspace_lock", lambda folder, wait=30.0: real(folder, 0.5))
    with cons.workspace_lock(root / "outbox", 0):
        res = CliRunner().invoke(cli, ["-C", str(root), "consolidate"])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert err.startswith("Error: another rcm consolidate is running") and "\n" not in err, err
    assert "Traceback" not in res.output


def test_waiting_cli_finishes_once_the_lock_is_released(world):
    root = fresh(world, "waits")
    with cons.workspace_lock(root / "outbox", 0):
        proc = subprocess.Popen(_cli(root), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        assert proc.poll() is None, proc.communicate()  # still waiting for the lock
        released = time.time()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert snapshot(root) == world["b"]
    assert (root / "outbox" / P / f"consolidated_{P}.csv").stat().st_mtime >= released - 1


def test_two_clis_at_once_both_finish_with_complete_outputs(world):
    root = fresh(world, "twice")
    procs = [subprocess.Popen(_cli(root), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 1, err
        assert "Traceback" not in err
    assert snapshot(root) == world["b"]
    assert not leftovers(root) or all(x == ".rcm-consolidate.lock" for x in leftovers(root)), leftovers(root)


# --- (c) an output folder that cannot be written ------------------------------------------------


def test_out_under_a_regular_file(world, tmp_path):
    root = fresh(world, "outfile")
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    res = CliRunner().invoke(cli, ["-C", str(root), "consolidate", "--out", str(blocker / "out")])
    one_line_exit_2(res, str(blocker))


def test_out_is_a_regular_file(world, tmp_path):
    root = fresh(world, "outisfile")
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    res = CliRunner().invoke(cli, ["-C", str(root), "consolidate", "--out", str(blocker)])
    # Refused by click's own check of the option: a usage error (exit 2), its usual lines.
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and str(blocker) in last, res.stderr
    assert blocker.read_text() == "not a folder"


def test_period_folder_is_a_regular_file(world):
    root = fresh(world, "periodfile")
    (root / "outbox" / P).rename(root / "outbox" / "moved")
    (root / "outbox" / P).write_text("in the way")
    res = CliRunner().invoke(cli, ["-C", str(root), "consolidate"])
    one_line_exit_2(res)


def test_out_with_a_missing_parent(world, tmp_path):
    root = fresh(world, "outparent")
    target = tmp_path / "no such folder" / "deeper" / "out"
    res = CliRunner().invoke(cli, ["-C", str(root), "consolidate", "--out", str(target)])
    assert not (tmp_path / "no such folder").exists()
    one_line_exit_2(res, "no such folder")


def test_read_only_outbox(world):
    root = fresh(world, "readonly")
    out = root / "outbox"
    mode = out.stat().st_mode
    os.chmod(out, 0o555)
    real_access = os.access
    mp = pytest.MonkeyPatch()
    if real_access(out, os.W_OK):
        # root writes through chmod (as in CI): make the check see what a normal user would see
        mp.setattr(os, "access", lambda p, m, *a, **k: False if Path(p) == out and m & os.W_OK
                   else real_access(p, m, *a, **k))
    try:
        before = snapshot(root)
        res = CliRunner().invoke(cli, ["-C", str(root), "consolidate"])
        one_line_exit_2(res, str(out))
        assert snapshot(root) == before
    finally:
        mp.undo()
        os.chmod(out, mode)


@pytest.mark.parametrize("spread", [False, True])
def test_a_failure_after_the_feedback_began_leaves_the_previous_outputs(world, monkeypatch, spread):
    """The feedback copies begin before the frames and the registry are done: a failure there
    must stop their workers, throw their temporary folder away and keep run A's outputs."""

    root = fresh(world, f"failafter{int(spread)}")
    if spread:
        monkeypatch.setattr(feedback_mod, "PARALLEL_FROM_COPIES", 1)  # made by worker processes

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(cons, "record", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        cons.consolidate(Workspace(root), world["plan"], lock_wait=5)
    assert snapshot(root) == world["a"] and world["a"]["feedback"]
    assert leftovers(root) == []
    monkeypatch.undo()
    cons.consolidate(Workspace(root), world["plan"], lock_wait=5)
    assert snapshot(root) == world["b"]
