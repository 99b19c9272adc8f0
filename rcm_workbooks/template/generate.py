"""A round of templates: one workbook per working group x country for a period."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.fields import DEFAULT_ROWS
from ..core.files import Problem, Workspace, WorkspaceError, write_atomic
from ..core.periods import period_start
from ..core.plan import Plan
from .build import TemplateSpec, build, file_name, priority_rows


@dataclass(frozen=True)
class Generated:
    path: Path
    country: str
    working_group: str
    language: str
    meta: dict
    replaced: bool = False  # a template of the same name was there before (overwritten on purpose)


class TemplatesExist(WorkspaceError):
    """Templates of this round are on disk already: they may have been e-mailed, and returns are
    matched by the ids written in them, so a new copy is only written when asked for."""

    def __init__(self, period: str, paths: list[Path]):
        super().__init__(Problem.TEMPLATES_EXIST, period=period, paths=list(paths))


class DueBeforePeriod(WorkspaceError):
    def __init__(self, due: dt.date, period: str, start: dt.date):
        super().__init__(Problem.DUE_BEFORE_PERIOD, due=due, period=period, start=start)


def select(plan: Plan, groups: list[str] | None, countries: list[str] | None):
    """Resolve working-group and country codes (any case); unknown ones are refused with the valid list."""
    def pick(items, wanted, problem):
        if not wanted:  # a retired group or country gets templates only when asked for by code
            return [i for i in items if not i.retired]
        by_code = {i.code: i for i in items}
        out, unknown = [], []
        for code in wanted:
            item = by_code.get(code.strip().upper())
            (out.append(item) if item else unknown.append(code)) if item not in out else None
        if unknown:
            raise WorkspaceError(problem, codes=unknown, valid=list(by_code))
        return out
    return (pick(plan.working_groups, groups, Problem.UNKNOWN_GROUP),
            pick(plan.countries, countries, Problem.UNKNOWN_COUNTRY))


def generate(ws: Workspace, plan: Plan, period: str, *, groups=None, countries=None, lang: str | None = None,
             due: dt.date | None = None, rows: int = DEFAULT_ROWS, prefill=None, force: bool = False) -> list[Generated]:
    """Write the templates; `prefill(group, country)` may supply extra pre-filled rows (carry-forward).
    Refuses, before writing anything, to replace an existing template unless `force`."""
    chosen_groups, chosen_countries = select(plan, groups, countries)
    if due is not None and due < period_start(period):
        raise DueBeforePeriod(due, period, period_start(period))
    existing = [path for path in (_path(ws, period, g, c) for c in chosen_countries for g in chosen_groups)
                if path.exists()]
    if existing and not force:
        raise TemplatesExist(period, existing)
    out = []
    for country in chosen_countries:
        language = lang or country.language
        for group in chosen_groups:
            rows_pre = priority_rows(plan, group, country)
            if prefill is not None:
                rows_pre = rows_pre + tuple(prefill(group, country))
            spec = TemplateSpec(plan, period, group, country, language, due, rows, rows_pre)
            data, meta = build(spec)
            path = _path(ws, period, group, country)
            write_atomic(path, data)
            out.append(Generated(path, country.code, group.code, language, meta, replaced=path in existing))
    return out


def _path(ws: Workspace, period: str, group, country) -> Path:
    return ws.templates_dir(period) / country.code / file_name(period, group.code, country.code)
