"""A round of templates: one workbook per working group x country for a period."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.files import Workspace, WorkspaceError, write_atomic
from ..core.plan import Plan
from .build import TemplateSpec, build, file_name, priority_rows


@dataclass(frozen=True)
class Generated:
    path: Path
    country: str
    working_group: str
    language: str
    meta: dict


def select(plan: Plan, groups: list[str] | None, countries: list[str] | None):
    """Resolve --group/--country codes (any case); unknown ones are refused with the valid list."""
    def pick(items, wanted, what):
        if not wanted:  # a retired group or country gets templates only when asked for by code
            return [i for i in items if not i.retired]
        by_code = {i.code: i for i in items}
        out, unknown = [], []
        for code in wanted:
            item = by_code.get(code.strip().upper())
            (out.append(item) if item else unknown.append(code)) if item not in out else None
        if unknown:
            raise WorkspaceError(
                f"unknown {what} {', '.join(repr(u) for u in unknown)}; valid codes: {', '.join(by_code)}")
        return out
    return pick(plan.working_groups, groups, "working group"), pick(plan.countries, countries, "country")


def generate(ws: Workspace, plan: Plan, period: str, *, groups=None, countries=None, lang: str | None = None,
             due: dt.date | None = None, rows: int = 30, prefill=None) -> list[Generated]:
    """Write the templates; `prefill(group, country)` may supply extra pre-filled rows (carry-forward)."""
    chosen_groups, chosen_countries = select(plan, groups, countries)
    out = []
    for country in chosen_countries:
        language = lang or country.language
        for group in chosen_groups:
            rows_pre = priority_rows(plan, group, country)
            if prefill is not None:
                rows_pre = rows_pre + tuple(prefill(group, country))
            spec = TemplateSpec(plan, period, group, country, language, due, rows, rows_pre)
            data, meta = build(spec)
            path = ws.templates_dir(period) / country.code / file_name(period, group.code, country.code)
            write_atomic(path, data)
            out.append(Generated(path, country.code, group.code, language, meta))
    return out
