"""The workspace folder: plan, inbox, outbox, registry; periods; generating a round of templates."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .plan import DEFAULT_PLAN, Plan, load_plan

_PERIOD = re.compile(r"^(\d{4})(?:-(H1|H2))?$")


class WorkspaceError(Exception):
    """A problem with the command's input that stops it (exit 2)."""


def parse_period(text: str) -> str:
    value = (text or "").strip().upper()
    m = _PERIOD.match(value)
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise WorkspaceError(
            f"'{text}' is not a reporting period. Use a year or a half-year, for example 2025, 2025-H1 or 2025-H2.")
    return value


def period_sort_key(period: str) -> tuple[int, int]:
    year, _, half = period.partition("-")
    return int(year), {"": 0, "H1": 1, "H2": 2}.get(half, 0)


def parse_date(text: str | None, what: str = "--due") -> dt.date | None:
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WorkspaceError(f"{what} '{text}' is not a date. Write it as YYYY-MM-DD, for example 2025-06-30.") from None


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def plan_path(self) -> Path:
        return self.root / "templates" / "plan.yaml"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def period_dir(self, period: str) -> Path:
        return self.outbox / period

    def templates_dir(self, period: str) -> Path:
        return self.period_dir(period) / "templates"

    def load_plan(self) -> Plan:
        return load_plan(self.plan_path)


def open_workspace(path: str | Path = ".") -> Workspace:
    root = Path(path).resolve()
    ws = Workspace(root)
    if not ws.plan_path.is_file():
        raise WorkspaceError(
            f"{root} is not a workspace: templates/plan.yaml is missing. "
            "Run the command inside a workspace, or make one with `rcm init DIR`.")
    return ws


def init_workspace(path: str | Path) -> Workspace:
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder; choose another name.")
    if (root / "templates" / "plan.yaml").exists():
        raise WorkspaceError(f"{root} is already a workspace (templates/plan.yaml exists); nothing was changed.")
    for sub in ("templates", "inbox", "outbox"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("inbox", "outbox"):
        (root / sub / ".gitkeep").touch()
    shutil.copyfile(DEFAULT_PLAN, root / "templates" / "plan.yaml")
    if not any((root / "templates" / f"focal_points.{ext}").exists() for ext in ("xlsx", "csv")):
        from .focal_points import write_example  # who receives which workbooks (rcm mail)

        write_example(root / "templates" / "focal_points.xlsx", load_plan(root / "templates" / "plan.yaml"))
    gitignore = root / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("inbox/*\n!inbox/.gitkeep\noutbox/*\n!outbox/.gitkeep\nregistry.sqlite\n", encoding="utf-8")
    return Workspace(root.resolve())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are for the team
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
