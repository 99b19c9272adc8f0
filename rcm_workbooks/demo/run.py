"""A whole round on synthetic returns, in a new folder: generate, fill, drop into inbox/, consolidate."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import Problem, WorkspaceError
from ..core.periods import parse_period
from ..core.texts import say
from ..workspace import init_workspace


@dataclass
class DemoResult:
    """What the demo did, to be told in words by `lines`."""

    root: Path  # the workspace, resolved
    folder: Path  # the workspace as it was named (for the `cd` the demo suggests)
    period: str
    seconds: float = 0.0
    workbooks: int = 0
    returned: int = 0
    summary: dict = field(default_factory=dict)
    second: dict | None = None  # the next period: period, workbooks, carried, returned, summary, year, report
    consolidation: object = None
    activities: dict | None = None  # the Activity Matrix round before: year, workbooks, returned, proposals,
    # activities, rows_rejected, book, adopted, version

    def lines(self, lang: str = "en") -> list[str]:
        s, out = self.summary, self.root / "outbox" / self.period

        def count(key: str, n: int) -> str:
            return say(key, lang, n=n)

        found = s["findings"]
        lines = [say("demo.title", lang, period=self.period, root=self.root, seconds=f"{self.seconds:.1f}")]
        if self.activities:
            a = self.activities
            lines += [
                say("demo.activities", lang, year=a["year"], workbooks=count("n.workbooks", a["workbooks"]),
                    n=a["returned"], proposals=count("n.proposals", a["proposals"]),
                    activities=count("n.activities", a["activities"]),
                    rows_rejected=count("n.rows_rejected", a["rows_rejected"])),
                say("demo.activities_book", lang, path=a["book"]),
                say("demo.adopted", lang, activities=count("n.activities", a["adopted"]), version=a["version"]),
            ]
        lines += [
            say("demo.generated", lang, workbooks=count("n.workbooks", self.workbooks), folder=out / "templates"),
            say("demo.returned", lang, n=self.returned, inbox=self.root / "inbox"),
            say("demo.consolidated", lang, files=count("n.files", s["files_seen"]), accepted=s["files_accepted"],
                rejected=s["files_rejected"], superseded=s["files_superseded"], ignored=s["files_ignored"],
                rows_merged=count("n.rows_merged", s["rows_accepted"]),
                rows_rejected=count("n.rows_rejected", s["rows_rejected"]), errors=count("n.errors", found["error"]),
                warnings=count("n.warnings", found["warning"]), notes=count("n.notes", found["info"])),
            say("demo.open", lang),
            say("demo.workbook", lang, path=out / f"consolidated_{self.period}.xlsx"),
            f"    {out / f'consolidated_{self.period}.csv'}",
            say("demo.feedback", lang, path=out / "feedback"),
        ]
        if self.second:
            nxt = self.second
            lines += [
                say("demo.next", lang, period=nxt["period"], workbooks=count("n.workbooks", nxt["workbooks"]),
                    activities=count("n.activities", nxt["carried"])),
                say("demo.next_returned", lang, n=nxt["returned"], period=self.period,
                    rows_merged=count("n.rows_merged", nxt["summary"]["rows_accepted"]),
                    rows_rejected=count("n.rows_rejected", nxt["summary"]["rows_rejected"])),
                "    " + str(self.root / "outbox" / nxt["period"] / f"consolidated_{nxt['period']}.xlsx"),
                say("demo.report", lang, year=nxt["year"], path=nxt["report"]),
            ]
        lines.append(say("demo.try", lang, root=self.folder, period=self.period))
        return lines


def _new_folder(directory: str | None) -> Path:
    if directory:
        root = Path(directory)
        if root.exists() and any(root.iterdir()):
            raise WorkspaceError(Problem.DEMO_FOLDER_NOT_EMPTY, path=root)
        return root
    n = 1
    while Path(f"rcm-demo-{n}").exists():
        n += 1
    return Path(f"rcm-demo-{n}")


def due_date_of(period: str) -> dt.date:
    year, _, half = period.partition("-")
    end = dt.date(int(year), 6, 30) if half == "H1" else dt.date(int(year), 12, 31)
    return end + dt.timedelta(days=15)


def run_demo(directory: str | None = None, period: str = "2025-H1", *, seed: int = 2025, rounds: int = 2) -> DemoResult:
    from ..registry.store import default_db_path
    from ..round import consolidate
    from ..template.generate import generate
    from .fill import fill_round, fill_workbook

    started = time.perf_counter()
    period = parse_period(period)
    root = _new_folder(directory)
    ws = init_workspace(root)
    activities = _activity_round(ws, ws.load_plan(), period, seed)
    plan = ws.load_plan()  # with the adopted priority activities
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
    # The demo's own registry, whatever RCM_DB says: synthetic returns never reach a shared one.
    result = consolidate(ws, plan, period=period, lang="en", db=default_db_path(ws))
    next_round = _second_round(ws, plan, period, seed) if rounds > 1 else None
    return DemoResult(ws.root, root, period, time.perf_counter() - started, len(made), len(manifest),
                      result.summary(), next_round, result, activities)


def _activity_round(ws, plan, period: str, seed: int) -> dict:
    """The year's Activity Matrix round before the follow-up rounds: the countries propose, the
    Secretariat marks the most proposed activities of each group and adopts them into the plan."""
    from ..planbook.adopt import adopt
    from ..planbook.in_use import codes_in_use
    from ..registry.store import default_db_path
    from ..round import consolidate
    from ..template.activities import generate_activities
    from .proposals import fill_proposals, mark_adoptions

    year = period.partition("-")[0]
    due = dt.date(int(year), 2, 15)
    made = generate_activities(ws, plan, year, due=due)
    saved = dt.datetime.combine(due, dt.time(12, 0)) - dt.timedelta(days=5)
    manifest, translations = fill_proposals([g.path for g in made], ws.inbox / year, plan, seed=seed, saved_at=saved)
    db = default_db_path(ws)  # the demo's own registry, never a shared one RCM_DB names
    result = consolidate(ws, plan, period=year, lang="en", db=db)
    book = ws.period_dir(year) / f"activities_{year}.xlsx"
    mark_adoptions(book, translations)
    adopted = adopt(ws.plan_path, book, codes_in_use(ws, plan, db))
    proposals = result.proposals[year].proposals
    return {"year": year, "workbooks": len(made), "returned": len(manifest), "proposals": len(proposals),
            "activities": len(set(proposals["cluster"])), "rows_rejected": result.rows_rejected, "book": book,
            "adopted": sum(len(acts) for acts in adopted.groups.values()), "version": adopted.plan.version}


def next_period(period: str) -> str:
    year, _, half = period.partition("-")
    if half == "H1":
        return f"{year}-H2"
    return f"{int(year) + 1}-H1" if half == "H2" else str(int(year) + 1)


def _second_round(ws, plan, period: str, seed: int) -> dict:
    """The next period: templates carry the first round's activities forward, the focal points
    update them, and the annual report is drafted from the registry."""
    from ..registry.report import report_data, write_report
    from ..registry.carry import carry_forward
    from ..registry.store import Registry, default_db_path
    from ..round import consolidate
    from ..template.generate import generate
    from .fill import fill_round

    second = next_period(period)
    due = due_date_of(second) if "-" in second else dt.date(int(second), 12, 31)
    with Registry.open(default_db_path(ws), create=False) as registry:
        hook = carry_forward(registry, plan, second)
        carried: list = []

        def prefill(group, country):
            rows = hook(group, country)
            carried.extend(rows)
            return rows

        made = generate(ws, plan, second, due=due, prefill=prefill)
    inbox = ws.inbox / second
    saved = dt.datetime.combine(due, dt.time(17, 0)) - dt.timedelta(days=5)
    manifest = fill_round([g.path for g in made], inbox, plan, seed=seed + 1, saved_at=saved, mistake_rate=0.3)
    result = consolidate(ws, plan, period=second, lang="en", db=default_db_path(ws))
    s = result.summary()
    year = int(period[:4])
    with Registry.open(default_db_path(ws), create=False) as registry:
        data = report_data(registry, plan, year)
    report = write_report(ws.outbox / f"report_{year}_en.docx", data, plan, "en")
    return {"period": second, "workbooks": len(made), "carried": len(carried), "returned": len(manifest),
            "summary": s, "year": year, "report": report}
