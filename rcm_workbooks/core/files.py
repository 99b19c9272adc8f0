"""The workspace's folders, atomic writes and the lock that keeps two runs apart."""
from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, WordedError, WorkspaceError  # noqa: F401 (the workspace's errors, imported from here)
from .plan import Plan, load_plan


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


class NotAWorkspace(WorkspaceError):
    """No workspace where the command was pointed (`searched`: nor in any folder above `start`);
    `lost_plan`: a folder on the way that has a workspace's folders but lost templates/plan.yaml."""

    def __init__(self, start: Path, searched: bool, lost_plan: Path | None = None):
        super().__init__(Problem.NOT_A_WORKSPACE, start=start, searched=searched, lost_plan=lost_plan)


def _lost_plan(folders) -> Path | None:
    """The first folder that looks like a workspace (inbox/, outbox/, templates/) without its plan."""
    return next((f for f in folders if all((f / d).is_dir() for d in ("inbox", "outbox", "templates"))), None)


def open_workspace(path: str | Path | None = None) -> Workspace:
    """The workspace at `path`; without one, the first folder from the current one up that holds
    templates/plan.yaml, as git finds its repository from any sub-folder."""
    if path is not None:
        root = Path(path).resolve()
        if not Workspace(root).plan_path.is_file():
            raise NotAWorkspace(root, searched=False, lost_plan=_lost_plan([root]))
        return Workspace(root)
    start = Path.cwd().resolve()
    for folder in (start, *start.parents):
        if Workspace(folder).plan_path.is_file():
            return Workspace(folder)
    raise NotAWorkspace(start, searched=True, lost_plan=_lost_plan((start, *start.parents)))


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


@contextlib.contextmanager
def workspace_lock(folder: Path, wait_seconds: float = 30.0):
    """One consolidation at a time per workspace: a second run waits, then stops with a message."""
    import fcntl  # POSIX only, and only a consolidation needs it

    folder.mkdir(parents=True, exist_ok=True)
    fh = open(folder / ".rcm-consolidate.lock", "a+")
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WorkspaceError(Problem.CONSOLIDATION_RUNNING, folder=folder.parent,
                                         seconds=round(wait_seconds)) from None
                time.sleep(0.2)
        yield
    finally:
        fh.close()
