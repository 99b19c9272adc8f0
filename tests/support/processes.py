"""Starting and stopping the test servers' processes: as whom, where, on which port, and waiting for them."""
from __future__ import annotations

import ctypes
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0


class ServerUnavailable(Exception):
    """A server's program is missing or would not start; the message says why (with its log)."""


@dataclass(frozen=True)
class RunAs:
    """Who a server runs as: its package's user when we are root, else ourselves."""

    uid: int
    gid: int
    name: str

    @classmethod
    def service(cls, package_user: str) -> RunAs:
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid())
            return cls(me.pw_uid, me.pw_gid, me.pw_name)
        try:
            pw = pwd.getpwnam(package_user)
        except KeyError:
            raise ServerUnavailable(f"running as root and there is no user {package_user!r} to run the "
                                    f"server as (install its Debian package)") from None
        return cls(pw.pw_uid, pw.pw_gid, pw.pw_name)

    @property
    def switch(self) -> bool:
        return self.uid != os.geteuid()

    def popen_args(self) -> dict:
        if not self.switch:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def _die_with_parent(sig: int):
    """A preexec_fn: the server gets `sig` if the test process dies without its teardown (SIGKILL)."""
    def hook():
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, sig)  # PR_SET_PDEATHSIG; subprocess runs this after switching user
    return hook


def workdir(prefix: str, owner: RunAs) -> Path:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if owner.switch:
        os.chown(root, owner.uid, owner.gid)
    return root


def write_owned(path: Path, text: str, owner: RunAs, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    if owner.switch:
        os.chown(path, owner.uid, owner.gid)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def spawn(cmd: list[str], owner: RunAs, log: Path, stop_signal: int, **kw) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_die_with_parent(stop_signal),
                                **owner.popen_args(), **kw)


def run(cmd: list[str], owner: RunAs, what: str, **kw) -> None:
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          **owner.popen_args(), **kw)
    if done.returncode != 0:
        raise ServerUnavailable(f"{what} failed ({done.returncode}): {(done.stdout + done.stderr).strip()[-2000:]}")


def wait_until(ready, proc: subprocess.Popen, log: Path, what: str) -> None:
    """Poll `ready()` until it is true; the server exiting or the timeout raises with the log's tail
    (the caller stops the process)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            raise ServerUnavailable(f"{what} exited with {proc.returncode} while starting: {tail(log)}")
        try:
            if ready():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerUnavailable(f"{what} did not start within {START_TIMEOUT:.0f} s: {tail(log)}")
        time.sleep(0.02)


def stop(proc: subprocess.Popen, sig: int, *, group: bool = False) -> None:
    """Signal the server (or its whole process group, which it leads) and wait for it to exit."""
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def tail(log: Path, n: int = 2000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-n:].strip()
    except OSError:
        return "(no log)"


def which(name: str, dirs: list[str]) -> str | None:
    for d in dirs:
        p = Path(d) / name
        if p.is_file() and os.access(p, os.X_OK):
            return str(p)
    return shutil.which(name)


def with_retries(start, attempts: int = 3):
    """start(), again if a port picked as free was taken meanwhile by another program."""
    for attempt in range(attempts):
        try:
            return start()
        except ServerUnavailable as exc:
            if "already in use" not in str(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
