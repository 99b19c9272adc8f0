"""The codes workbooks already carry, which an edit of the plan may retire but never remove.

Two places hold them: the templates in outbox/ (a template of this plan offered every code of its
plan version in its dropdowns, and names its working group, country and the refs of its
pre-filled rows) and the registry (every code of every accepted row). Codes are named as
`write.plan_codes` names them, plus ("activity", "GROUP/REF") for the refs of priority
activities, which a new activity must never take again.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..core.files import Workspace
from ..core.plan import Plan, PlanError, load_plan
from .write import plan_codes

# A pre-filled priority row's ref: COUNTRY-GROUP-REF, REF not the registry's own four digits.
_PRIORITY_REF = re.compile(r"^[A-Z]{3}-([A-Z][A-Z0-9_]{0,15})-([A-Z][A-Z0-9_]{0,15})$")


def codes_in_use(ws: Workspace, plan: Plan, db: str | Path | None = None) -> set[tuple[str, str]]:
    """Every code of `plan` that templates in outbox/ or the registry carry (`db`: the registry as
    --db names it; default: the workspace's)."""
    from ..registry.store import registry_target

    return templates_codes(ws, plan) | registry_codes(registry_target(ws, db))


def templates_codes(ws: Workspace, plan: Plan) -> set[tuple[str, str]]:
    """The codes the outbox's templates of this plan offered or name."""
    from ..intake.meta import read_meta

    out: set[tuple[str, str]] = set()
    versions: set[str] = set()
    for path in sorted(ws.outbox.glob("*/templates/**/*.xlsx")):
        meta = read_meta(path)
        if meta.get("plan_id") != plan.id:
            continue
        versions.add(meta.get("plan_version", ""))
        out |= {("working_group", meta.get("working_group", "")), ("country", meta.get("country", ""))}
        for key, value in meta.items():
            m = _PRIORITY_REF.match(value) if key.startswith("ref.") else None
            if m:
                out.add(("activity", f"{m.group(1)}/{m.group(2)}"))
    for version in versions:
        out |= plan_codes(_version(ws, plan, version))
    return {(kind, code) for kind, code in out if code}


def _version(ws: Workspace, plan: Plan, version: str) -> Plan:
    """The plan as it was at `version`: the current one, else its dated backup, else (no backup
    kept) the current one, whose codes are the safe guess."""
    if version == plan.version:
        return plan
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", version)
    for backup in sorted(ws.plan_path.parent.glob(f"backups/{ws.plan_path.stem}_v{safe}_*.yaml")):
        try:
            return load_plan(backup)
        except PlanError:
            continue
    return plan


def registry_codes(db: str | Path) -> set[tuple[str, str]]:
    """The codes of the registry's rows and files; none without a registry."""
    if not str(db).startswith(("postgresql:", "postgres:")) and not Path(db).is_file():
        return set()
    from ..registry.store import Registry

    out: set[tuple[str, str]] = set()
    with Registry.open(db, create=False) as registry:
        for row in registry.q("SELECT DISTINCT ref, country, grp, pillar, theme, responsible, deadline, status "
                              "FROM rows"):
            out |= {("country", row["country"]), ("working_group", row["grp"]), ("pillar", row["pillar"]),
                    ("responsible", row["responsible"]), ("deadline", row["deadline"]), ("status", row["status"])}
            if row["pillar"] and row["theme"]:
                out.add(("theme", f"{row['pillar']}/{row['theme']}"))
            m = _PRIORITY_REF.match(row["ref"])
            if m:
                out.add(("activity", f"{m.group(1)}/{m.group(2)}"))
        for row in registry.q("SELECT DISTINCT country, grp FROM files WHERE verdict IN ('accepted', 'superseded')"):
            out |= {("country", row["country"]), ("working_group", row["grp"])}
    return {(kind, code) for kind, code in out if code}
