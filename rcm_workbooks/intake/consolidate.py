"""Many returns -> one verdict per file, supersession, the merged frames of each period: one Report."""
from __future__ import annotations

import datetime as dt
import operator
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.fields import CODED, FIELDS, MATRIX_FRAME_COLUMNS, REJECTED_COLUMNS
from ..core.files import Problem, Workspace, WorkspaceError
from ..core.findings import Finding, Severity
from ..core.parallel import fork_map
from ..core.periods import period_sort_key
from ..core.plan import Plan
from ..core.table import Table
from ..core.verdicts import Verdict
from .reader import ReadLimits, ignore_reason, sha256_of
from .report import Report
from .validate import Return, read_return


@dataclass
class PeriodResult:
    period: str
    returns: list[Return]  # every file this period's outputs report on
    matrix: Table  # MACHINE_COLUMNS + source_row, language (.to_pandas() for a DataFrame)
    rejected: Table  # REJECTED_COLUMNS
    expected: list[tuple[str, str]]  # (country, working_group) pairs a return is expected for
    due_date: dt.date | None = None
    outputs: list[Path] = field(default_factory=list)
    progress: tuple[Table, Table] | None = None  # (frame, counts) of outputs.progress, once recorded

    @property
    def findings(self) -> list[Finding]:
        """The findings of this round's files; a file set aside as an earlier round's has none here."""
        return [f for r in self.returns if not r.earlier_round for f in r.all_findings()]


def scan(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every file under the given files/folders, sorted, with the name to show for it."""
    out = []
    for base in paths:
        base = Path(base)
        if base.is_file() or base.is_symlink():
            out.append((base, base.name))
            continue
        for root, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".rcm"))
            for d in list(dirs):  # a link to a folder is reported, not followed
                if (Path(root) / d).is_symlink():
                    out.append((Path(root) / d, str((Path(root) / d).relative_to(base))))
            for name in sorted(files):
                if name == ".gitkeep":  # the workspace's own placeholder, not something received
                    continue
                p = Path(root) / name
                out.append((p, str(p.relative_to(base))))
    return sorted(out, key=lambda x: x[1])


# Below this much to parse a second process costs more than it saves (fork, then pickling results).
PARALLEL_FROM_FILES = 64
PARALLEL_FROM_BYTES = 8 * 2**20


def read_all(files: list[tuple[Path, str]], plan: Plan, *, period: str | None = None,
             limits: ReadLimits = ReadLimits(), workers: int | None = None) -> list[Return]:
    """Read and validate every file; one bad file never stops the others."""
    seen: dict[str, str] = {}
    size = 0
    slots: list[Return | list[Return] | None] = []
    tasks: list[tuple[int, Path, str]] = []
    for path, name in files:
        ret = Return(path=path, name=name)
        try:
            reason = ignore_reason(path)
            if path.is_symlink():
                reason = "link"
            if reason:
                ret.ignore(reason)
                slots.append(ret)
                continue
            try:
                data = path.read_bytes() if path.stat().st_size <= limits.max_file_mb * 2**20 else None
            except OSError:
                data = None
            digest = sha256_of(data) if data is not None else ""
            if digest and digest in seen:
                ret.sha256, ret.size = digest, len(data)
                ret.ignore_as_duplicate(seen[digest])
                slots.append(ret)
                continue
            if digest:
                seen[digest] = name
            if data is not None and path.suffix.lower() == ".eml":  # a saved reply: one entry per attachment
                from .eml import read_email_returns

                slots.append(read_email_returns(path, name, data, plan, period=period, limits=limits, seen=seen))
                continue
            tasks.append((len(slots), path, name))
            slots.append(None)
            size += len(data) if data is not None else 0
        except Exception as exc:  # isolation: report and go on with the next file
            slots.append(_internal_error(path, name, exc))
    if workers is None and len(tasks) < PARALLEL_FROM_FILES and size < PARALLEL_FROM_BYTES:
        workers = 1
    for index, ret in _read_many(tasks, plan, period, limits, workers):
        slots[index] = ret
    out: list[Return] = []
    for item in slots:
        out.extend(item if isinstance(item, list) else [item])
    _supersede(out)
    return out


def _internal_error(path: Path, name: str, exc: BaseException) -> Return:
    ret = Return(path=path, name=name)
    ret.internal_error(exc)
    return ret


def _read_many(tasks, plan: Plan, period: str | None, limits: ReadLimits, workers: int | None):
    """Parse returns in as many processes as there are cores, when there are enough to pay."""
    def read_one(task: tuple[int, Path, str]) -> tuple[int, Return]:
        index, path, name = task
        try:
            return index, read_return(path, name, plan, period=period, limits=limits)
        except Exception as exc:  # isolation, inside a worker too
            return index, _internal_error(path, name, exc)

    return fork_map(read_one, tasks, workers=workers)


def _supersede(returns: list[Return]) -> None:
    """Of two valid returns for one group, country and period, the later saved one stands; but a
    later one with no activity filled in (a blank template sent by mistake) never replaces one
    that has some: it is set aside, for the Secretariat to check with the focal point."""
    groups: dict[tuple, list[Return]] = {}
    for r in returns:
        if r.verdict == Verdict.ACCEPTED and r.identified:
            groups.setdefault((r.form, r.period, r.working_group, r.country), []).append(r)
    for items in groups.values():
        if len(items) < 2:
            continue
        items.sort(key=lambda r: (r.saved_at or r.mtime or dt.datetime.min, r.mtime or dt.datetime.min, r.name))
        filled = [r for r in items if has_activities(r)]
        winner = filled[-1] if filled else items[-1]
        later = False
        for r in items:
            if r is winner:
                later = True
            elif later:  # empty, and after the standing one
                r.add("file-empty-later", params={"other": winner.name})
                r.set_verdict(Verdict.SUPERSEDED, "empty_later", other=winner.name)
            else:
                r.add("file-superseded", params={"other": winner.name})
                r.set_verdict(Verdict.SUPERSEDED, "superseded", other=winner.name)


def has_activities(r: Return) -> bool:
    """Whether the focal point filled in any activity: a row of their own, or a pre-filled one
    given a status (a blank template's pre-filled rows come back without one)."""
    return any(not row.prefilled or row.values.get("status", "").strip() for row in r.rows)


def frames(period: str, returns: list[Return], lang: str = "en"):
    """The Matrix (accepted rows of standing returns) and the Rejected rows, as Tables."""
    matrix, rejected = [], []
    coded = [f in CODED for f in FIELDS[1:]]
    for r in returns:
        if not r.identified or r.period != period or r.form != "followup":
            continue
        head, source = (r.period, r.working_group, r.country), (r.name, r.sha256)
        for row in r.rows:
            if r.verdict == Verdict.ACCEPTED and row.accepted:
                # One tuple in MATRIX_FRAME_COLUMNS order: 50,000 of them in a large round.
                values, codes = row.values, row.codes
                matrix.append((*head, values.get("ref", ""),  # from registry.assign_refs
                               *(codes.get(f, "") if c else values[f] for f, c in zip(FIELDS[1:], coded)),
                               *source, row.number, r.language))
            else:
                if r.verdict == Verdict.ACCEPTED:
                    reasons = [f for f in row.findings if f.severity is Severity.ERROR]
                else:
                    reasons = r.file_errors or [f for f in r.findings if f.code == "file-superseded"]
                rec = {"period": r.period, "working_group": r.working_group, "country": r.country,
                       "source_file": r.name, "sheet": r.matrix_sheet, "row": row.number}
                rec.update({f: row.values.get(f, "") for f in FIELDS})
                rec["codes"] = ", ".join(dict.fromkeys(f.code for f in reasons))
                rec["reasons"] = "\n".join(
                    (f"{f.cell}: " if f.cell else "") + f.message(lang, with_fix=False) for f in reasons)
                rec["source_sha256"] = r.sha256
                rejected.append(rec)
    m = Table(MATRIX_FRAME_COLUMNS, matrix)
    order = operator.itemgetter(*map(m.position, ["working_group", "country", "source_file", "source_row"]))
    return m.sorted(order), Table.from_dicts(rejected, REJECTED_COLUMNS)


def expected_pairs(ws: Workspace | None, plan: Plan, period: str) -> list[tuple[str, str]]:
    """Which (country, group) returns the period expects: the templates generated, else the whole plan."""
    from ..template.build import file_name

    offered = plan.current()  # retired groups and countries are no longer expected
    every = [(c.code, g.code) for c in offered.countries for g in offered.working_groups]
    folder = ws.templates_dir(period) if ws else None
    if folder and folder.is_dir():
        made = [(c, g) for c, g in every if (folder / c / file_name(period, g, c)).exists()]
        if made:
            return made
    return every


def periods_of(ws: Workspace | None, returns: list[Return], period: str | None) -> list[str]:
    """The periods a consolidation writes: the one asked for; else every period a return names,
    else the last one generated."""
    if period:
        return [period]
    found = sorted({r.period for r in returns if r.identified and r.verdict != Verdict.IGNORED}, key=period_sort_key)
    if not found and ws is not None:
        generated = sorted((p.name for p in ws.outbox.glob("*") if (p / "templates").is_dir()), key=_safe_key)
        found = generated[-1:]
    return found


def returns_of(returns: list[Return], p: str, period: str | None) -> list[Return]:
    """The files period `p`'s outputs report on: its own, the unidentified, and with a period
    asked for, every file that was read (another period's file is rejected there)."""
    return [r for r in returns if not r.identified or r.period == p or period]


def judge(ws: Workspace | None, plan: Plan, returns: list[Return], period: str | None,
          lang: str = "en") -> Report:
    """The report on the returns, with the frames of every period they speak for (and the
    proposals of every Activity Matrix round); reads and writes nothing."""
    from .proposals import is_proposal, judge_proposals

    result = Report(returns)
    for p in periods_of(ws, returns, period):
        mine = returns_of(returns, p, period)
        activities = [r for r in mine if r.identified and is_proposal(r, p)]
        followup = [r for r in mine if not (r.identified and is_proposal(r, p))]
        if activities or _generated(ws, p, "activities"):
            rest = not any(r.identified and r.period == p for r in followup) and not _generated(ws, p, "followup")
            result.proposals[p] = judge_proposals(ws, plan, activities + (followup if rest else []), p, lang)
            if rest:
                continue
        matrix, rejected = frames(p, followup, lang)
        dues = [r.due_date for r in followup if r.period == p and r.due_date]
        result.periods[p] = PeriodResult(p, followup, matrix, rejected, expected_pairs(ws, plan, p),
                                         max(dues) if dues else None)
    return result


def _generated(ws: Workspace | None, period: str, form: str) -> bool:
    """Whether templates of this form were generated for the period (Activity Matrix templates'
    names end in _activities)."""
    folder = ws.templates_dir(period) if ws else None
    if not folder or not folder.is_dir():
        return False
    names = [p.stem for p in folder.glob("*/*.xlsx")]
    return any(n.endswith("_activities") == (form == "activities") for n in names)


def _safe_key(name: str):
    try:
        return period_sort_key(name)
    except ValueError:
        return (0, 0)


def validate_paths(paths: list[Path], plan: Plan, *, period: str | None = None,
                   limits: ReadLimits = ReadLimits()) -> Report:
    """`rcm validate`: every file read and judged on its own; nothing merged, nothing written."""
    missing = [str(p) for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        raise WorkspaceError(Problem.NOT_FOUND, paths=missing)
    return Report.of_validation(read_all(scan([Path(p) for p in paths]), plan, period=period, limits=limits))
