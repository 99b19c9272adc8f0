"""The registry: every accepted return across periods, in SQLite or PostgreSQL.

Strategic Plan 4.2 asks the Executive Secretariat to keep a registry of every activity of the
working groups and follow its status year after year. This module is that memory:

- `Registry.open(target)` opens (or creates) the database (a file path, or a postgresql:// URL:
  registry/db.py) and brings its schema up to date with the ordered MIGRATIONS (schema.py).
  `open_registry(ws, db)` opens the one a workspace uses (--db, $RCM_DB, templates/settings.yaml).
- `assign_refs(db, returns)` gives every accepted row of a standing return a stable ref
  (`GTM-PROT-0007`) before the frames are built; a row keeps the ref it came with.
- `record(db, result, plan)` writes one consolidation run in one transaction, with the bytes of
  every file it accepted (blobs.py).
- `history(db, ...)` is the status of activities across periods.

What templates carry forward from the registry, and the check that it came back, are in
registry.carry; the schema's migrations in registry.schema.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..core.fields import CODED, FIELDS
from ..core.periods import period_sort_key
from ..core.texts import say
from ..core.verdicts import Verdict
from ..core.version import __version__
from . import db as dbapi
from .blobs import keep_files
from .schema import MIGRATIONS, SCHEMA_VERSION

DB_NAME = dbapi.DB_NAME
ROW_FIELDS = FIELDS[1:]  # every field but the ref, stored one column each
_REF = re.compile(r"^([A-Z]{3})-([A-Z][A-Z0-9_]{0,15})-(\d{4,})$")


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


def _iso(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat(sep=" ") if value else None


def default_db_path(ws) -> Path:
    """The workspace's own registry file: registry.sqlite at its root."""
    return Path(ws.root) / DB_NAME


def registry_target(ws, given: str | Path | None = None) -> str | Path:
    """The registry a workspace uses: `given` (--db), $RCM_DB, the `registry:` key of
    templates/settings.yaml, or registry.sqlite at its root. A path or a postgresql:// URL."""
    return dbapi.locate(Path(ws.root), given)


def open_registry(ws, given: str | Path | None = None, **kwargs) -> Registry:
    return Registry.open(registry_target(ws, given), **kwargs)


class Registry:
    """One open registry database. Use `Registry.open(target)`; close it (or use `with`).

    `conn` is the connection (registry/db.py): `conn.execute(sql, params)` and
    `conn.executemany(sql, rows)` with `?` placeholders, on SQLite and PostgreSQL alike.
    """

    def __init__(self, db: dbapi.Database):
        self.conn = db
        self.kind = db.kind
        self.where = db.where

    @classmethod
    def open(cls, target: str | Path, *, migrations: list[list[str]] | None = None, create: bool = True,
             upgrade: bool = True, on_wait: Callable[[str], None] | None = None,
             wait: float = dbapi.WAIT_SECONDS) -> Registry:
        """Open the registry at `target` (a path or a postgresql:// URL) and bring its schema up to
        date (unless `upgrade` is false). `on_wait(where)` is called when another writer makes it wait."""
        db = dbapi.connect(target, create=create, on_wait=on_wait, wait=wait)
        try:
            if upgrade:
                db.migrate(MIGRATIONS if migrations is None else migrations, SCHEMA_VERSION)
        except BaseException:
            db.close()
            raise
        return cls(db)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def version(self) -> int:
        return self.conn.version()

    def migrate(self, migrations: list[list[str]]) -> None:
        self.conn.migrate(migrations, SCHEMA_VERSION)

    def transaction(self):
        """One write transaction, one writer at a time (nested calls join the outer one)."""
        return self.conn.transaction()

    def q(self, sql: str, *args) -> list:
        return self.conn.q(sql, *args)

    # --- refs --------------------------------------------------------------------------------

    def ref_owner(self, ref: str) -> tuple[str, str] | None:
        """The (country, group) a ref belongs to, if the registry knows it."""
        row = self.q("SELECT country, grp FROM ref_keys WHERE ref = ?", ref)
        if not row:
            row = self.q("SELECT country, grp FROM rows WHERE ref = ? LIMIT 1", ref)
        return (row[0]["country"], row[0]["grp"]) if row else None

    def new_ref(self, country: str, group: str, period: str, row_number: int | None) -> str:
        """Hand out the next number of this country and working group; it is never handed out again."""
        return self._issue(country, group, period, [row_number])[0]

    def _issue(self, country: str, group: str, period: str, row_numbers: list[int | None]) -> list[str]:
        """New refs, one per row number, in one transaction: a round of 50,000 rows issues them
        all at once rather than in six statements each."""
        prefix = f"{country}-{group}-"
        with self.transaction():
            row = self.q("SELECT last_number FROM refs WHERE country = ? AND grp = ?", country, group)
            n = row[0]["last_number"] if row else 0
            # Refs typed by hand into a sheet may sit above the counter: never hand those out.
            span = (prefix, prefix[:-1] + chr(ord("-") + 1))
            known = {r[0] for r in self.q("SELECT ref FROM ref_keys WHERE ref >= ? AND ref < ? "
                                          "UNION SELECT ref FROM rows WHERE ref >= ? AND ref < ?", *span, *span)}
            refs = []
            for _ in row_numbers:
                n += 1
                while f"{prefix}{n:04d}" in known:
                    n += 1
                refs.append(f"{prefix}{n:04d}")
            self.conn.execute(
                "INSERT INTO refs(country, grp, last_number) VALUES (?, ?, ?) "
                "ON CONFLICT(country, grp) DO UPDATE SET last_number = excluded.last_number", (country, group, n))
            now = now_utc()
            self.conn.executemany(
                "INSERT INTO ref_keys(ref, country, grp, period, row_number, issued_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(ref, country, group, period, number, now) for ref, number in zip(refs, row_numbers)])
        return refs

    def refs_for_rows(self, country: str, group: str, period: str, row_numbers: list[int]) -> dict[int, str]:
        """The ref of each sheet row that came without one: the same row always gets the same ref."""
        keyed = {r["row_number"]: r["ref"] for r in self.q(
            "SELECT row_number, ref FROM ref_keys WHERE period = ? AND country = ? AND grp = ? "
            "AND row_number IS NOT NULL", period, country, group)}
        missing = [n for n in row_numbers if n not in keyed]
        if missing:
            keyed.update(zip(missing, self._issue(country, group, period, missing)))
        return {n: keyed[n] for n in row_numbers}

    def note_ref(self, ref: str) -> None:
        """A ref in our own format seen in a return: never hand its number out again."""
        m = _REF.match(ref)
        if not m:
            return
        country, group, n = m.group(1), m.group(2), int(m.group(3))
        self.conn.execute(
            "INSERT INTO refs(country, grp, last_number) VALUES (?, ?, ?) "
            "ON CONFLICT(country, grp) DO UPDATE SET last_number = CASE WHEN excluded.last_number > "
            "refs.last_number THEN excluded.last_number ELSE refs.last_number END",
            (country, group, n))


# --- consolidation: refs, the run -----------------------------------------------------------


def standing(returns):
    """The follow-up returns that stand for their period, country and working group (an Activity
    Matrix return proposes activities: it reports on none)."""
    return [r for r in returns if r.verdict == Verdict.ACCEPTED and r.identified and r.form == "followup"]


def assign_refs(db: Registry, returns) -> None:
    """Give every accepted row of a standing return a ref, before consolidate.frames().

    A row keeps the ref it came with (pre-filled and carried rows), unless that ref is already
    used by another row of the same return or belongs to another country or working group: then
    it gets a new one and a `ref-duplicate` warning. A row without a ref gets the ref of its sheet
    row (period, country, group, row number), issued the first time that row is seen.
    """
    from ..core.findings import Finding

    claimed: dict[str, tuple[str, str]] = {}  # refs kept in this run -> their country and group
    with db.transaction():
        for r in standing(returns):
            mine = (r.country, r.working_group)
            used: set[str] = set()
            keep: dict[int, str] = {}
            for row in r.rows:
                if not row.accepted:
                    continue
                ref = row.values.get("ref", "").strip()
                if not ref:
                    continue
                owner = db.ref_owner(ref) or claimed.get(ref)
                m = _REF.match(ref)
                foreign = (owner and owner != mine) or (m and (m.group(1), m.group(2)) != mine)
                if ref in used or foreign:
                    col = r.columns.get("ref", 0)
                    from ..core.cells import col_letter

                    row.findings.append(Finding(
                        "ref-duplicate", file=r.name, sheet=r.matrix_sheet, row=row.number, column="ref",
                        cell=f"{col_letter(col)}{row.number}" if col >= 0 else "", value=ref))
                    continue
                used.add(ref)
                keep[row.number] = ref
                claimed[ref] = mine
                db.note_ref(ref)
            bare = [row for row in r.rows if row.accepted and row.number not in keep]
            keyed = db.refs_for_rows(r.country, r.working_group, r.period, [row.number for row in bare])
            for row in r.rows:
                if row.accepted and row.number in keep:
                    row.values["ref"] = keep[row.number]
            for row in bare:
                ref = keyed[row.number]
                if ref in used:  # its keyed ref was typed on another row: issue a fresh one
                    ref = db.new_ref(r.country, r.working_group, r.period, None)
                used.add(ref)
                row.values["ref"] = ref


_INSERT_ROW = (f"INSERT INTO rows(ref, period, country, grp, {', '.join(ROW_FIELDS)}, typed, language, "
               "source_sha256, source_name, source_row, received_at, run_id, current) "
               f"VALUES (?, ?, ?, ?, {', '.join('?' for _ in ROW_FIELDS)}, ?, ?, ?, ?, ?, ?, ?, ?)")
_DUMPS = json.JSONEncoder(ensure_ascii=False).encode


def record(db: Registry, result, plan) -> int:
    """Write one consolidation run, its files (and the bytes of those it accepted) and its rows,
    in one transaction; return the run id.

    For each period, country and working group with a standing return, that return's rows become
    the current ones, unless the same file is already registered (nothing changes: idempotent) or
    the registry already holds a return received later (its rows are kept, this one's are stored
    as not current). Replaced rows stay in the registry, marked not current.
    """
    summary = result.summary()
    with db.transaction():
        run_id = db.conn.insert(
            "INSERT INTO runs(started_at, periods, tool_version, plan_id, files_seen, files_accepted, "
            "files_rejected, files_superseded, files_ignored, rows_accepted, rows_rejected) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now_utc(), ",".join(summary["periods"]), __version__, plan.id, summary["files_seen"],
             summary["files_accepted"], summary["files_rejected"], summary["files_superseded"],
             summary["files_ignored"], summary["rows_accepted"], summary["rows_rejected"]))
        for r in result.files:
            accepted = sum(1 for x in r.rows if x.accepted) if r.verdict == Verdict.ACCEPTED else 0
            db.conn.execute(
                "INSERT INTO files(run_id, sha256, name, received_at, verdict, reason, period, country, grp, "
                "language, rows_accepted, rows_rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, r.sha256 or "", r.name, _iso(r.received_at), r.verdict, r.reason or "", r.period or "",
                 r.country or "", r.working_group or "", r.language if r.identified else "", accepted,
                 len(r.rows) - accepted))
        keep_files(db, result.files)
        replaced = 0
        for r in standing(result.files):
            if r.period not in result.periods:
                continue
            key = (r.period, r.country, r.working_group)
            now = db.q("SELECT sha256, received_at FROM standing WHERE period = ? AND country = ? AND grp = ?", *key)
            received = _iso(r.received_at)
            if now and now[0]["sha256"] == r.sha256:
                continue  # the same file again: nothing changes
            older = bool(now and now[0]["received_at"] and received and received < now[0]["received_at"])
            if older and db.q("SELECT 1 FROM rows WHERE source_sha256 = ? AND period = ? AND country = ? AND grp = ? "
                              "LIMIT 1", r.sha256, *key):
                continue  # an older return, already kept as history
            if not older:
                replaced += db.conn.execute(
                    "UPDATE rows SET current = 0, replaced_by_run = ? WHERE period = ? AND country = ? AND grp = ? "
                    "AND current = 1", (run_id, *key)).rowcount
                db.conn.execute(
                    "INSERT INTO standing(period, country, grp, sha256, name, received_at, run_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(period, country, grp) DO UPDATE SET "
                    "sha256 = excluded.sha256, name = excluded.name, received_at = excluded.received_at, "
                    "run_id = excluded.run_id", (*key, r.sha256, r.name, received, run_id))
            tail = (r.language, r.sha256, r.name)
            db.conn.executemany(_INSERT_ROW, (
                (row.values["ref"], *key,
                 *(row.codes.get(f, "") if f in CODED else row.values.get(f, "") for f in ROW_FIELDS),
                 _DUMPS({f: row.values.get(f, "") for f in CODED}), *tail, row.number, received, run_id,
                 0 if older else 1)
                for row in r.rows if row.accepted))
        db.conn.execute("UPDATE runs SET finished_at = ?, rows_replaced = ? WHERE id = ?", (now_utc(), replaced, run_id))
    return run_id


# --- reading ---------------------------------------------------------------------------------


def periods(db: Registry) -> list[str]:
    """Every period the registry has current rows or a standing return for, in order."""
    found = {r[0] for r in db.q("SELECT DISTINCT period FROM rows WHERE current = 1 "
                                "UNION SELECT DISTINCT period FROM standing")}
    return sorted(found, key=period_sort_key)


@dataclass(frozen=True)
class StatusInfo:
    """How a plan's statuses order: done first, then the plan's own order (earlier = further on)."""

    done: frozenset
    rank: dict
    in_process: frozenset

    @classmethod
    def of(cls, plan) -> StatusInfo:
        codes = [s.code for s in plan.statuses]
        done = frozenset(s.code for s in plan.statuses if s.done)
        n = len(codes)
        rank = {c: (n + 1 if c in done else n - i) for i, c in enumerate(codes)}
        lowest = min((rank[c] for c in codes if c not in done), default=0)
        in_process = frozenset(c for c in codes if c not in done and rank[c] > lowest)
        return cls(done, rank, in_process)

    def category(self, status: str) -> str:
        """achieved | in_process | pending (not achieved, or no status given)."""
        if status in self.done:
            return "achieved"
        if status in self.in_process:
            return "in_process"
        return "pending"


def history(db: Registry, *, ref: str | None = None, country: str | None = None,
            group: str | None = None) -> list[dict]:
    """Each activity (ref) with its current row in every period, in period order."""
    where, args = ["current = 1"], []
    for col, value in (("ref", ref), ("country", country), ("grp", group)):
        if value:
            where.append(f"{col} = ?")
            args.append(value.strip().upper() if col != "ref" else value.strip())
    out: dict[str, dict] = {}
    rows = db.q(f"SELECT * FROM rows WHERE {' AND '.join(where)}", *args)
    for row in sorted(rows, key=lambda r: (r["ref"], period_sort_key(r["period"]))):
        item = out.setdefault(row["ref"], {"ref": row["ref"], "country": row["country"],
                                           "working_group": row["grp"], "periods": []})
        item.update({"pillar": row["pillar"], "theme": row["theme"], "activity": row["activity"]})
        item["periods"].append({"period": row["period"], "status": row["status"], "progress": row["progress"],
                                "next_steps": row["next_steps"], "source_file": row["source_name"],
                                "source_row": row["source_row"]})
    return list(out.values())


def render_history(items: list[dict], plan, lang: str = "en") -> str:
    """The history as a text table: one line per activity, one column per period."""
    if not items:
        return say("history.none", lang)
    labels = {s.code: s.label(lang) for s in plan.statuses}
    all_periods = sorted({p["period"] for i in items for p in i["periods"]}, key=period_sort_key)
    missing = "—"
    head = [say("history.ref", lang), say("history.country", lang), say("history.group", lang), *all_periods,
            say("history.activity", lang)]
    table = [head]
    for i in items:
        by = {p["period"]: p["status"] for p in i["periods"]}
        cells = []
        for p in all_periods:
            if p not in by:
                cells.append(missing)
            else:
                cells.append(labels.get(by[p], by[p]) or say("history.no_status", lang))
        activity = " ".join(i["activity"].split())
        table.append([i["ref"], i["country"], i["working_group"], *cells,
                      activity[:60] + ("…" if len(activity) > 60 else "")])
    widths = [max(len(r[c]) for r in table) for c in range(len(head) - 1)]
    lines = ["  ".join(r[c].ljust(widths[c]) for c in range(len(head) - 1)) + "  " + r[-1] for r in table]
    return "\n".join(lines)
