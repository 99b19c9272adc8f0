"""A whole round on synthetic returns, in a new folder: generate, fill, drop into inbox/, consolidate."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .workspace import WorkspaceError, init_workspace, parse_period


@dataclass
class DemoResult:
    root: Path
    lines: list[str] = field(default_factory=list)
    consolidation: object = None


def _new_folder(directory: str | None) -> Path:
    if directory:
        root = Path(directory)
        if root.exists() and any(root.iterdir()):
            raise WorkspaceError(f"{root} exists and is not empty; the demo needs a new folder.")
        return root
    n = 1
    while Path(f"rcm-demo-{n}").exists():
        n += 1
    return Path(f"rcm-demo-{n}")


def due_date_of(period: str) -> dt.date:
    year, _, half = period.partition("-")
    end = dt.date(int(year), 6, 30) if half == "H1" else dt.date(int(year), 12, 31)
    return end + dt.timedelta(days=15)


def run_demo(directory: str | None = None, period: str = "2025-H1", *, seed: int = 2025) -> DemoResult:
    from .consolidate import consolidate
    from .fill import fill_round, fill_workbook
    from .generate import generate

    started = time.perf_counter()
    period = parse_period(period)
    root = _new_folder(directory)
    ws = init_workspace(root)
    plan = ws.load_plan()
    due = due_date_of(period)
    made = generate(ws, plan, period, due=due)
    saved = dt.datetime.combine(due, dt.time(17, 0)) - dt.timedelta(days=3)
    manifest = fill_round([g.path for g in made], ws.inbox, plan, seed=seed, saved_at=saved, mistake_rate=0.5)
    # What else lands in a real inbox: a stray PDF, a file sent twice, Excel's lock file,
    # a corrected re-send that supersedes the first, and a return sent after the due date.
    (ws.inbox / "minutes of the meeting.pdf").write_bytes(b"%PDF-1.4\n% synthetic\n%%EOF\n")
    if len(manifest) >= 3:
        first, second, third = (Path(m["path"]) for m in manifest[:3])
        shutil.copyfile(first, ws.inbox / f"copy of {first.name}")
        (first.parent / f"~${first.name}").write_bytes(b"\x00" * 165)
        rows = [{k: v for k, v in r.items() if k != "row"} for r in manifest[1]["rows"]]
        fill_workbook(Path(manifest[1]["template"]), second.with_name(second.stem + " (corrected).xlsx"),
                      rows, saved_at=saved + dt.timedelta(days=1))
        late = [{k: v for k, v in r.items() if k != "row"} for r in manifest[2]["rows"]]
        third.unlink()
        fill_workbook(Path(manifest[2]["template"]), third, late, saved_at=saved + dt.timedelta(days=20))
    result = consolidate(ws, plan, period=period, lang="en")
    s = result.summary()
    elapsed = time.perf_counter() - started
    out = ws.period_dir(period)
    lines = [
        f"Demo round {period} in {ws.root} ({elapsed:.1f} s)",
        f"  1. generated {len(made)} workbooks: {ws.templates_dir(period)}",
        f"  2. focal points returned {len(manifest)} of them, with typical mistakes, into {ws.inbox}",
        f"  3. consolidated {s['files_seen']} files: {s['files_accepted']} accepted, {s['files_rejected']} rejected, "
        f"{s['files_superseded']} superseded, {s['files_ignored']} ignored; "
        f"{s['rows_accepted']} rows merged, {s['rows_rejected']} rows rejected; "
        f"findings: {s['findings']['error']} errors, {s['findings']['warning']} warnings, {s['findings']['info']} notes",
        "  Open:",
        f"    {out / f'consolidated_{period}.xlsx'}   (Matrix, Summary, Returns, Findings, Rejected rows)",
        f"    {out / f'consolidated_{period}.csv'}",
        f"    {out / 'feedback'}/<COUNTRY>/   (a copy of each return that needs fixing, cells marked)",
        f"  Try it yourself: cd {root} && rcm consolidate",
    ]
    return DemoResult(ws.root, lines, result)
