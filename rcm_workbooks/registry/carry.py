"""Carry-forward: what a period's templates carry from the registry, and the check that it came back.

- `carry_forward(db, plan, period)` is generate's `prefill` hook for `--carry-forward`: each
  template gets the latest rows of earlier periods, with their refs, and what it carried is
  recorded;
- `check_carried(db, returns)` warns about carried rows a return did not bring back.
"""
from __future__ import annotations

from ..core.periods import period_sort_key
from .store import Registry, now_utc, periods, standing


def check_carried(db: Registry, returns) -> None:
    """Warn (`carried-row-missing`) about each carried row a standing return did not bring back.

    A template carried a ref if the digest of one of its pre-filled rows (in `_meta`) is the digest
    recorded when it was generated with --carry-forward. A carried row that came back with its
    status empty already has the `prefilled-empty` warning from validation.
    """
    for r in standing(returns):
        digests = {v for k, v in r.meta.items() if k.startswith("locked.")}
        if not digests:
            continue
        carried = db.q("SELECT ref, from_period, digest_en, digest_es FROM carried "
                       "WHERE period = ? AND country = ? AND grp = ? ORDER BY ref",
                       r.period, r.country, r.working_group)
        present = {row.values.get("ref", "").strip() for row in r.rows}
        for c in carried:
            if c["digest_en"] not in digests and c["digest_es"] not in digests:
                continue
            if c["ref"] in present:
                continue
            last = db.q("SELECT activity FROM rows WHERE ref = ? AND period = ? AND current = 1",
                        c["ref"], c["from_period"])
            activity = last[0]["activity"] if last else ""
            r.add("carried-row-missing", value=c["ref"],
                  params={"detail": activity[:80], "other": c["from_period"]})


def latest_rows(db: Registry, before: str, country: str | None = None, group: str | None = None) -> list[dict]:
    """For each ref, its current row of the latest period earlier than `before`."""
    earlier = [p for p in periods(db) if period_sort_key(p) < period_sort_key(before)]
    if not earlier:
        return []
    where, args = [f"period IN ({', '.join('?' for _ in earlier)})", "current = 1"], list(earlier)
    if country:
        where.append("country = ?")
        args.append(country)
    if group:
        where.append("grp = ?")
        args.append(group)
    best: dict[str, dict] = {}
    for row in db.q(f"SELECT * FROM rows WHERE {' AND '.join(where)}", *args):
        d = dict(row)
        old = best.get(d["ref"])
        if old is None or period_sort_key(d["period"]) > period_sort_key(old["period"]):
            best[d["ref"]] = d
    return [best[k] for k in sorted(best)]


# Carried: what the focal point would otherwise retype. Not carried: status, progress and next
# steps, which describe the new period and must be given by the focal point (an untouched carried
# row then comes back without a status, and validation flags it with `prefilled-empty`).
CARRIED_FIELDS = ("pillar", "theme", "activity", "indicators", "measured_by", "responsible", "deadline", "risks")


def carry_forward(db: Registry, plan, period: str, *, lang: str | None = None):
    """generate's `prefill(group, country)` hook: the latest rows of earlier periods, with their refs.

    Rows whose latest status is a done status (completed) are not carried: they need no update.
    Rows of the group's priority activities are not carried either: the template has them already.
    What each template carries is recorded, so a carried row that does not come back is noticed.
    """
    from ..template.build import (
        PREFILL_LOCKED,
        PrefilledRow,
        _prefill_text,
        priority_rows,
        row_digest,
    )

    done = {s.code for s in plan.statuses if s.done}

    def prefill(group, country) -> list:
        priority = {p.ref for p in priority_rows(plan, group, country)}
        out = []
        for row in latest_rows(db, period, country.code, group.code):
            if row["status"] in done or row["ref"] in priority:
                continue
            out.append((row, PrefilledRow(ref=row["ref"], values={f: row[f] for f in CARRIED_FIELDS})))
        with db.transaction():
            db.conn.execute("DELETE FROM carried WHERE period = ? AND country = ? AND grp = ?",
                            (period, country.code, group.code))
            for row, pre in out:
                digests = [row_digest([_prefill_text(plan, pre, lg).get(f, "") for f in PREFILL_LOCKED])
                           for lg in ("en", "es")]
                db.conn.execute(
                    "INSERT INTO carried(period, country, grp, ref, from_period, digest_en, digest_es, generated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (period, country.code, group.code, pre.ref, row["period"], *digests, now_utc()))
        return [pre for _, pre in out]

    return prefill
