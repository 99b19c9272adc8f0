"""Writing a Plan back to YAML, in the shape, key order and comments of the shipped plan.yaml.

Written by hand rather than by yaml.dump so that the file stays the one a person reads: flow
mappings one entry a line, comments where the shipped plan has them, quotes only where needed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import yaml

from .plan import Label, Plan, PlanError, parse_plan

HEADER = """\
# The plan behind every follow-up workbook: {title} (sections 3.8-4.3).
# Codes are short, stable and ASCII: returns and the registry refer to them, so never change a
# code once workbooks are out; mark it `retired: true` instead. Labels (en/es) may change at any time.
# A theme is identified by its pillar and its code together (P1/T9 and P3/T15 read almost alike).
"""
COMMENTS = {
    "return_to": "# Where focal points send their workbook back (shown on the Instructions sheet).",
    "protection_password": "# Sheet protection is a guard rail against accidents, not a secret (its hash is weak).",
    "working_groups": """\
# Section 3.9. Each group may have a specific objective (`objective: {en: ..., es: ...}`) and list up
# to 3 priority activities (topic = pillar + theme, expected results, indicators); templates carry
# them as pre-filled rows, with the ref (the activity's stable id in the group). Example:
#   priority_activities:
#     - ref: P1
#       pillar: P3
#       theme: T8
#       activity: {en: "...", es: "..."}
#       expected_results: {en: "...", es: "..."}
#       indicators: {en: "...", es: "..."}""",
    "countries": "# ISO 3166-1 alpha-3 codes; language = the language of the country's templates.",
    "responsible_parties": "# The actors of Table 2 and section 4.2 item 5.",
    "statuses": "# Section 4.2 item 7. `done: true` marks the status that counts as completed in completion rates.",
    "deadlines": "# Section 4.2 item 6: deadline for monitoring the indicators, targets and outcomes.",
}
# Characters that end or change a plain scalar in a flow mapping, and starts YAML reads specially.
_UNSAFE = re.compile(r"[,\[\]{}#&*!|>'\"%@`\\]|:(\s|$)|^[-?:](\s|$)|^\s|\s$|[\x00-\x1f\x7f\u2028\u2029\ufeff]")


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when YAML reads it back as the same string, else double-quoted."""
    if text and not _UNSAFE.search(text):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _flow_label(label: Label) -> str:
    return f"{{en: {scalar(label.en)}, es: {scalar(label.es)}}}"


def _block_label(key: str, label: Label, indent: str) -> list[str]:
    return [f"{indent}{key}:", f"{indent}  en: {scalar(label.en)}", f"{indent}  es: {scalar(label.es)}"]


def _flags(item, *names: str) -> str:
    return "".join(f", {n}: true" for n in names if getattr(item, n))


def dump_plan(plan: Plan) -> str:
    """The plan as plan.yaml text; `parse_plan` of it gives back an equal Plan."""
    out = HEADER.format(title=plan.title.en).splitlines()
    out += ["schema: rcm-plan/1", f"id: {scalar(plan.id)}", f"version: {scalar(plan.version)}"]
    out += _block_label("title", plan.title, "")
    for key in ("organization", "return_to"):
        label = getattr(plan, key)
        if label.en or label.es:
            out += ([COMMENTS[key]] if key in COMMENTS else []) + _block_label(key, label, "")
    if plan.protection_password:
        out += [COMMENTS["protection_password"], f"protection_password: {scalar(plan.protection_password)}"]
    out += ["", "pillars:"]
    for p in plan.pillars:
        out.append(f"  - code: {scalar(p.code)}")
        if p.retired:
            out.append("    retired: true")
        out += _block_label("label", p.label, "    ")
        out.append("    themes:")
        out += [f"      - {{code: {scalar(t.code)}{_flags(t, 'retired')}, label: {_flow_label(t.label)}}}"
                for t in p.themes]
    out += ["", COMMENTS["working_groups"], "working_groups:"]
    for g in plan.working_groups:
        out.append(f"  - code: {scalar(g.code)}")
        if g.retired:
            out.append("    retired: true")
        out.append(f"    label: {_flow_label(g.label)}")
        if g.objective.en or g.objective.es:
            out.append(f"    objective: {_flow_label(g.objective)}")
        if g.priority_activities:
            out.append("    priority_activities:")
        for a in g.priority_activities:
            out += [f"      - ref: {scalar(a.ref)}" if a.ref else "      -",
                    f"        pillar: {scalar(a.pillar)}", f"        theme: {scalar(a.theme)}",
                    f"        activity: {_flow_label(a.activity)}"]
            for key in ("expected_results", "indicators"):
                label = getattr(a, key)
                if label.en or label.es:
                    out.append(f"        {key}: {_flow_label(label)}")
            out += [f"        {key}: {scalar(getattr(a, key))}" for key in ("responsible", "deadline") if getattr(a, key)]
    out += ["", COMMENTS["countries"], "countries:"]
    out += [f"  - {{code: {scalar(c.code)}, language: {scalar(c.language)}{_flags(c, 'retired')}, "
            f"label: {_flow_label(c.label)}}}" for c in plan.countries]
    for key in ("responsible_parties", "statuses", "deadlines"):
        out += ["", COMMENTS[key], f"{key}:"]
        out += [f"  - {{code: {scalar(c.code)}{_flags(c, 'done', 'retired')}, label: {_flow_label(c.label)}}}"
                for c in getattr(plan, key)]
    return "\n".join(out) + "\n"


def next_version(version: str) -> str:
    """The version after `version`: its last number raised (1 -> 2, 2.3 -> 2.4, v7-rc -> v8-rc), else .1 added."""
    m = re.search(r"(\d+)(\D*)$", version)
    if not m:
        return f"{version}.1" if version else "1"
    return f"{version[:m.start(1)]}{int(m.group(1)) + 1}{m.group(2)}"


def backup_path(plan_path: Path, version: str, now: dt.datetime) -> Path:
    """templates/backups/plan_v<version>_<date>.yaml, numbered when that name is taken."""
    folder = plan_path.parent / "backups"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", version) or "0"
    base = f"{plan_path.stem}_v{safe}_{now:%Y-%m-%d}"
    candidate, n = folder / f"{base}.yaml", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base}_{n}.yaml"
    return candidate


def save_plan(plan_path: Path, plan: Plan, now: dt.datetime | None = None) -> tuple[Plan, Path | None]:
    """Write `plan` with its version raised, atomically; keep the previous file as a dated backup.

    Return the plan as written and the backup's path (None when there was no previous file)."""
    from dataclasses import replace

    from .files import write_atomic

    now = now or dt.datetime.now()
    new = replace(plan, version=next_version(plan.version), source=str(plan_path))
    text = dump_plan(new)
    # Never write a file that would not load back to this very plan (PlanError says why).
    if parse_plan(text, str(plan_path)) != new:
        raise PlanError([f"{plan_path}: the plan could not be written back as YAML: it reads back differently"])
    backup = None
    if plan_path.exists():
        backup = backup_path(plan_path, plan.version, now)
        write_atomic(backup, plan_path.read_bytes())
    write_atomic(plan_path, text.encode("utf-8"))
    return new, backup
