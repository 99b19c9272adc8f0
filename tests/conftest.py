"""Shared fixtures: the default plan, a fresh workspace, one full generated round, and helpers.

Helpers are plain functions (importable with `from conftest import read_meta`) so that tests of
other commands can reuse them.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rcm_workbooks.core.files import Workspace
from rcm_workbooks.core.plan import DEFAULT_PLAN, Plan, load_plan
from rcm_workbooks.workspace import init_workspace

# The test servers (PostgreSQL, IMAP) and the registry's two backends, as fixtures for every module.
pytest_plugins = ["tests.support.servers", "tests.support.registries"]

REPO = Path(__file__).resolve().parents[1]
PLAN_YAML = REPO / "templates" / "plan.yaml"

PERIOD = "2025-H1"
DUE = dt.date(2025, 6, 30)


# --- helpers -------------------------------------------------------------------------------


def read_meta(path) -> dict[str, str]:
    """The `_meta` sheet of a workbook as {key: value}; empty cells read as ''."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb["_meta"]
        out: dict[str, str] = {}
        for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
            key = row[0] if row else None
            if key is None:
                continue
            value = row[1] if len(row) > 1 else None
            out[str(key)] = "" if value is None else str(value)
        return out
    finally:
        wb.close()


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int):
    import openpyxl

    return openpyxl.load_workbook(path)


def load_workbook(path):
    """openpyxl workbook (full mode, styles and validations), cached per file version.

    Shared between tests: treat it as read-only.
    """
    p = Path(path)
    return _load_cached(str(p), p.stat().st_mtime_ns)


def plan_text_with_priorities(activities: str, group: str = "PROT") -> str:
    """The default plan's YAML with `activities` (YAML lines, indented 4) as the group's
    priority_activities."""
    text = PLAN_YAML.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == f"- code: {group}":
            # the group's `label:` line follows; insert after it
            assert lines[i + 1].lstrip().startswith("label:"), lines[i + 1]
            lines.insert(i + 2, "    priority_activities:\n" + activities)
            return "".join(lines)
    raise AssertionError(f"group {group} not found in {PLAN_YAML}")


PRIORITY_ACTIVITIES_YAML = """\
      - pillar: P3
        theme: T8
        activity:
          en: Regional protocol for unaccompanied migrant children
          es: Protocolo regional para niñez migrante no acompañada
        expected_results:
          en: Protocol adopted by the member countries
          es: Protocolo adoptado por los países miembros
        indicators:
          en: Number of countries applying the protocol
          es: Número de países que aplican el protocolo
      - pillar: P1
        theme: T6
        activity:
          en: Joint training on identifying victims of trafficking
          es: Capacitación conjunta sobre identificación de víctimas de trata
        indicators:
          en: Officials trained
          es: Funcionarios capacitados
"""


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def plan() -> Plan:
    """The default plan (the Strategic Plan 2019-2022 shipped with the package)."""
    return load_plan(DEFAULT_PLAN)


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    """A fresh workspace made by init_workspace in a temporary folder."""
    return init_workspace(tmp_path / "ws")


@pytest.fixture
def priority_plan_text() -> str:
    """YAML text of the default plan with 2 priority activities for PROT."""
    return plan_text_with_priorities(PRIORITY_ACTIVITIES_YAML)


@pytest.fixture
def priority_plan_file(tmp_path, priority_plan_text) -> Path:
    path = tmp_path / "plan_priorities.yaml"
    path.write_text(priority_plan_text, encoding="utf-8")
    return path


@pytest.fixture
def priority_workspace(workspace, priority_plan_text) -> Workspace:
    """A workspace whose plan gives PROT 2 priority activities."""
    workspace.plan_path.write_text(priority_plan_text, encoding="utf-8")
    return workspace


@dataclass
class Round:
    workspace: Workspace
    plan: Plan
    period: str
    due: dt.date
    made: list = field(default_factory=list)  # list[generate.Generated]

    def path(self, country: str, group: str) -> Path:
        for g in self.made:
            if g.country == country and g.working_group == group:
                return g.path
        raise KeyError((country, group))

    def get(self, country: str, group: str):
        return next(g for g in self.made if g.country == country and g.working_group == group)


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Round:
    """One full round (4 groups x 11 countries = 44 templates) for 2025-H1, due 2025-06-30."""
    from rcm_workbooks.template.generate import generate

    ws = init_workspace(tmp_path_factory.mktemp("round") / "ws")
    p = ws.load_plan()
    made = generate(ws, p, PERIOD, due=DUE)
    return Round(ws, p, PERIOD, DUE, list(made))
