"""Making a new workspace: the default plan and an example list of focal points."""
from __future__ import annotations

import shutil
from pathlib import Path

from .core.files import Problem, Workspace, WorkspaceError
from .core.plan import DEFAULT_PLAN, load_plan
from .mail.focal_points import write_example


def init_workspace(path: str | Path) -> Workspace:
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(Problem.NOT_A_FOLDER, path=root)
    if (root / "templates" / "plan.yaml").exists():
        raise WorkspaceError(Problem.ALREADY_A_WORKSPACE, path=root)
    for sub in ("templates", "inbox", "outbox"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("inbox", "outbox"):
        (root / sub / ".gitkeep").touch()
    shutil.copyfile(DEFAULT_PLAN, root / "templates" / "plan.yaml")
    if not any((root / "templates" / f"focal_points.{ext}").exists() for ext in ("xlsx", "csv")):
        write_example(root / "templates" / "focal_points.xlsx", load_plan(root / "templates" / "plan.yaml"))
    gitignore = root / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("inbox/*\n!inbox/.gitkeep\noutbox/*\n!outbox/.gitkeep\nregistry.sqlite\n", encoding="utf-8")
    return Workspace(root.resolve())
