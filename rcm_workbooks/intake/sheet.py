"""What the two forms of return share: a row and its findings, and the check of the title block
(the follow-up matrix, intake.validate; the Activity Matrix, intake.proposals)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.cells import parse_cell
from ..core.findings import Finding, Severity
from ..core.plan import Plan
from ..core.texts import period_words
from .values import norm, to_text


@dataclass
class Row:
    number: int  # the row in the sheet, 1-based
    values: dict[str, str]  # every field, as the person typed it (ref included)
    codes: dict[str, str] = field(default_factory=dict)  # coded fields resolved to plan codes
    findings: list[Finding] = field(default_factory=list)
    prefilled: bool = False

    @property
    def accepted(self) -> bool:
        # Asked several times per row by the registry and the frames; most rows have no findings.
        return not self.findings or not any(f.severity is Severity.ERROR for f in self.findings)


def check_title(ret, rows, meta: dict, plan: Plan, group, country, sheet: str) -> None:
    """The title block names the plan, working group, country and period `_meta` names."""
    expected = {
        "plan": [plan.title.en, plan.title.es],
        "working_group": [group.label.en, group.label.es, group.code],
        "country": [country.label.en, country.label.es, country.code],
        # The period as templates write it now (in words, either language) or as earlier ones did (its code).
        "period": [meta["period"], period_words(meta["period"], "en"), period_words(meta["period"], "es")],
    }
    header_row = int(float(meta.get("header_row", "1") or 1))
    above = {norm(to_text(v)[0]) for r in rows[: header_row - 1] for v in r}
    for key, options in expected.items():
        cell = meta.get(f"title.{key}", "")
        rc = parse_cell(cell)
        if rc is None:
            continue
        r, c = rc
        value = to_text(rows[r][c])[0] if r < len(rows) and c < len(rows[r]) else ""
        wanted = {norm(o) for o in options}
        if norm(value) in wanted:
            continue
        # A column inserted before the title cell moves it; the title is still right if the
        # expected value stands in the title block and the cell itself names nothing else.
        if wanted & above and not _names_other(norm(value), key, plan):
            continue
        ret.add("title-mismatch", sheet=sheet, cell=cell, value=value,
                params={"what": key, "expected": plan.title(ret.language) if key == "plan"
                        else period_words(options[0], ret.language) if key == "period" else options[0]})


def _names_other(value: str, key: str, plan: Plan) -> bool:
    if not value:
        return False
    items = {"plan": [plan.title], "working_group": [g.label for g in plan.working_groups],
             "country": [c.label for c in plan.countries]}.get(key)
    if items is None:  # a period: its code, or its words ("first half of 2025": a year in it)
        return bool(re.match(r"^\d{4}(-h[12])?$", value) or re.search(r"\b\d{4}\b", value))
    return any(value in (norm(l.en), norm(l.es)) for l in items)
