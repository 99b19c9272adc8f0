"""The Secretariat as a team: several `rcm consolidate` at once on one registry, on SQLite and on a
real PostgreSQL server.

Five real processes start together (two workspaces sharing the registry; the same period and
different periods; the same workspace twice) while the test holds the registry's write lock, so
every one of them has to wait (and says so) and then they all write in turn. Afterwards nothing
is lost or doubled: every standing return's rows are current exactly once, each (country, group)
handed out the numbers 1..N exactly once, each row's ref was issued for its country, group and
period, the later return of a pair stands, each accepted file's bytes are kept once, and the
registry holds what the same consolidations give one after another.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from test_registry import fill, row

from rcm_workbooks.core.files import Workspace
from rcm_workbooks.registry.store import Registry
from rcm_workbooks.round import consolidate
from rcm_workbooks.template.generate import generate
from rcm_workbooks.workspace import init_workspace

H1, H2 = "2025-H1", "2025-H2"
WAITING = "is in use: another rcm is writing to it"
JULY, AUGUST = dt.datetime(2025, 7, 1, 12), dt.datetime(2025, 8, 1, 12)


def rows_for(country: str, group: str, period: str, n: int, tag: str = "") -> list[dict]:
    return [row(f"{country} {group} {period} activity {i}{tag}", "IN_PROCESS", responsible="MC")
            for i in range(1, n + 1)]


class Team:
    """Two workspaces whose inboxes hold returns of two periods, some of them in both."""

    def __init__(self, root: Path, plan):
        self.w1, self.w2 = init_workspace(root / "w1"), init_workspace(root / "w2")
        self.plan = plan
        templates = {}
        for period in (H1, H2):
            for g in generate(self.w1, plan, period, groups=["PROT", "LABR"], countries=["GTM", "HND", "MEX"]):
                templates[g.country, g.working_group, period] = g.path
        self.templates = templates
        put = self.put
        # H1: GTM PROT in both inboxes (the same file); HND PROT in both, W2's saved later (it stands).
        put(self.w1, "GTM", "PROT", H1, 5, name="gtm_prot.xlsx")
        put(self.w1, "HND", "PROT", H1, 4, saved_at=JULY)
        put(self.w1, "GTM", "LABR", H1, 3)
        (self.w2.inbox / H1).mkdir(parents=True, exist_ok=True)
        (self.w2.inbox / H1 / "gtm_prot.xlsx").write_bytes((self.w1.inbox / H1 / "gtm_prot.xlsx").read_bytes())
        put(self.w2, "HND", "PROT", H1, 6, saved_at=AUGUST, tag=" (corrected)")
        put(self.w2, "HND", "LABR", H1, 3)
        put(self.w2, "MEX", "PROT", H1, 2)
        # H2: the same country and group as H1 (the same counters), from both workspaces.
        put(self.w1, "GTM", "PROT", H2, 3)
        put(self.w1, "MEX", "PROT", H2, 2)
        put(self.w2, "GTM", "LABR", H2, 4)
        put(self.w2, "HND", "PROT", H2, 3)
        # What stands in the end, (period, country, group) -> rows.
        self.standing = {(H1, "GTM", "PROT"): 5, (H1, "HND", "PROT"): 6, (H1, "GTM", "LABR"): 3,
                         (H1, "HND", "LABR"): 3, (H1, "MEX", "PROT"): 2, (H2, "GTM", "PROT"): 3,
                         (H2, "MEX", "PROT"): 2, (H2, "GTM", "LABR"): 4, (H2, "HND", "PROT"): 3}
        # The runs: (workspace, period), W1's H1 twice.
        self.runs = [(self.w1, H1), (self.w1, H2), (self.w2, H1), (self.w2, H2), (self.w1, H1)]

    def put(self, ws, country, group, period, n, *, name=None, saved_at=JULY, tag=""):
        dest = ws.inbox / period / (name or f"{country.lower()}_{group.lower()}.xlsx")
        fill(self.templates[country, group, period], dest, rows_for(country, group, period, n, tag),
             saved_at=saved_at)


@pytest.fixture(scope="module")
def team(tmp_path_factory, plan):
    return Team(tmp_path_factory.mktemp("team"), plan)


def attach(registries, team: Team):
    """Both workspaces onto one new registry: W1 by its settings, W2 by --db on its command line."""
    target = registries.new_target()
    registries.attach(team.w1, target)
    return target


def command(team: Team, ws: Workspace, period: str, target) -> list[str]:
    # one inbox folder per period: a return of another period would be rejected, not merged
    cmd = [sys.executable, "-m", "rcm_workbooks", "-C", str(ws.root), "consolidate", "--period", period,
           "--inbox", str(ws.inbox / period), "--json"]
    return cmd + (["--db", str(target)] if ws is team.w2 else [])


class Watched:
    """A process whose stderr is read as it comes, to see when it says it waits."""

    def __init__(self, cmd, env):
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.err: list[str] = []
        self.out = ""
        self.waiting = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.err.append(line)
            if WAITING in line:
                self.waiting.set()

    def finish(self, timeout: float) -> int:
        self.out = self.proc.stdout.read()
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code


def test_five_consolidations_at_once_lose_nothing_and_never_repeat_a_ref(team, registries, tmp_path):
    target = attach(registries, team)
    env = dict(os.environ)
    started = time.monotonic()
    with Registry.open(target) as holder, holder.transaction():
        procs = [Watched(command(team, ws, period, target), env) for ws, period in team.runs]
        for p in procs:  # every one reaches its first write and waits for the lock the test holds
            assert p.waiting.wait(timeout=120), "".join(p.err)
        all_waiting = time.monotonic() - started
    codes = [p.finish(timeout=300) for p in procs]
    took = time.monotonic() - started
    for p, code in zip(procs, codes):
        assert code == 0, "".join(p.err)
        assert "Traceback" not in "".join(p.err)
        assert sum(WAITING in line for line in p.err) >= 1
    summaries = [json.loads(p.out) for p in procs]
    assert [s["files_rejected"] for s in summaries] == [0] * 5
    print(f"\n[{registries.kind}] 5 consolidations: all waiting after {all_waiting:.1f} s, all done after {took:.1f} s")
    with Registry.open(target) as db:
        state = registry_state(db)
    check_nothing_lost_or_doubled(team, state)
    # The same consolidations one after another give the same registry (refs aside: their
    # numbers depend on the order in which the runs got the lock).
    other = registries.new_target()
    for ws, period in team.runs:
        consolidate(ws, team.plan, period=period, inbox=ws.inbox / period, db=other)
    with Registry.open(other) as db:
        sequential = registry_state(db)
    assert sequential["current"] == state["current"]
    assert sequential["numbers"] == state["numbers"]
    assert sequential["blobs"] == state["blobs"]
    assert len(state["runs"]) == len(sequential["runs"]) == 5


def registry_state(db) -> dict:
    current = db.q("SELECT ref, period, country, grp, source_row, activity, status, source_sha256 FROM rows "
                   "WHERE current = 1")
    issued = db.q("SELECT ref, country, grp, period, row_number FROM ref_keys")
    numbers: dict[tuple, list[int]] = {}
    for r in issued:
        numbers.setdefault((r["country"], r["grp"]), []).append(int(r["ref"].rsplit("-", 1)[1]))
    return {
        "current": sorted(tuple(r)[1:] for r in current),
        "current_refs": {(r["period"], r["country"], r["grp"], r["source_row"]): r["ref"] for r in current},
        "issued": {r["ref"]: (r["country"], r["grp"], r["period"], r["row_number"]) for r in issued},
        "issued_count": len(issued),
        "numbers": {k: sorted(v) for k, v in numbers.items()},
        "counters": {(r["country"], r["grp"]): r["last_number"] for r in db.q("SELECT * FROM refs")},
        "standing": {(r["period"], r["country"], r["grp"]): r["name"] for r in db.q("SELECT * FROM standing")},
        "blobs": sorted(r[0] for r in db.q("SELECT sha256 FROM blobs")),
        "accepted": sorted({r[0] for r in db.q("SELECT sha256 FROM files WHERE verdict = 'accepted'")}),
        "runs": [tuple(r) for r in db.q("SELECT id, periods FROM runs ORDER BY id")],
    }


def check_nothing_lost_or_doubled(team: Team, state: dict) -> None:
    # every standing return's rows, current once each
    per_key = Counter((c[0], c[1], c[2]) for c in state["current"])
    assert dict(per_key) == team.standing
    rows_once = Counter((c[0], c[1], c[2], c[3]) for c in state["current"])
    assert max(rows_once.values()) == 1
    # the later HND PROT of H1 stands, with its own rows
    assert state["standing"][H1, "HND", "PROT"].endswith("hnd_prot.xlsx")
    assert {c[4] for c in state["current"] if c[:3] == (H1, "HND", "PROT")} == {
        f"HND PROT {H1} activity {i} (corrected)" for i in range(1, 7)}
    # each (country, group) handed out 1..N, each number once, and its counter is at N
    assert state["issued_count"] == len(state["issued"])
    for key, numbers in state["numbers"].items():
        assert numbers == list(range(1, len(numbers) + 1)), (key, numbers)
        assert state["counters"][key] == len(numbers), key
    # every current row's ref was issued for its country, group, period and sheet row
    for (period, country, grp, source_row), ref in state["current_refs"].items():
        assert re.fullmatch(rf"{country}-{grp}-\d{{4}}", ref)
        assert state["issued"][ref] == (country, grp, period, source_row)
    # no ref current twice in a period
    refs = Counter((k[0], ref) for k, ref in state["current_refs"].items())
    assert max(refs.values()) == 1
    # the bytes of every accepted file, kept once
    assert state["blobs"] == state["accepted"]
