"""A PostgreSQL cluster of our own in a temporary folder, on a free loopback port."""
from __future__ import annotations

import glob
import itertools
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .processes import (LOOPBACK, RunAs, ServerUnavailable, free_port, run, spawn, stop, wait_until, which,
                        workdir, write_owned)


def postgres_bindirs() -> list[str]:
    """Debian's versioned folders, newest first (PATH is searched after them)."""
    dirs = glob.glob("/usr/lib/postgresql/*/bin")
    return sorted(dirs, key=lambda d: int(re.sub(r"\D", "", Path(d).parent.name) or 0), reverse=True)


@dataclass
class PostgresServer:
    """A PostgreSQL cluster of our own; `user` is its superuser, who logs in with `password`."""

    host: str
    port: int
    user: str
    password: str
    root: Path
    process: subprocess.Popen
    started_in: float = 0.0
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str | None = None, *, icu_locale: str | None = "en-US") -> str:
        """A new empty database (from template0); its URL.

        By default it sorts and compares text by ICU's en-US rules, as a server set up in a
        Secretariat's language would (case-blind first, unlike SQLite's byte order); code that
        needs SQLite's order must say COLLATE "C". icu_locale=None gives the cluster's C locale.
        """
        import psycopg

        name = name or f"rcm_test_{os.getpid()}_{next(self._names)}"
        locale = f" LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'" if icu_locale else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'{locale}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, even with connections left open (FORCE)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        stop(self.process, signal.SIGINT)  # SIGINT is PostgreSQL's "fast" shutdown
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """initdb a cluster in a temporary folder and start it on a free loopback port.

    Durability is off (fsync, synchronous_commit, full_page_writes): a test cluster dies with the
    session anyway, and it makes CREATE DATABASE and commits quick.
    """
    began = time.monotonic()
    try:
        import psycopg  # noqa: F401  (the fixtures and the readiness check speak through it)
    except ImportError:
        raise ServerUnavailable("psycopg is not installed (pip install 'psycopg[binary]')") from None
    dirs = postgres_bindirs()
    initdb, postgres = which("initdb", dirs), which("postgres", dirs)
    if not (initdb and postgres):
        raise ServerUnavailable("PostgreSQL is not installed (no initdb/postgres; apt-get install postgresql)")
    owner = RunAs.service("postgres")
    root, proc = workdir("rcm-pg-", owner), None
    try:
        password = secrets.token_hex(12)
        pwfile = write_owned(root / "pw", password + "\n", owner)
        run([initdb, "-D", str(root / "data"), "-U", "rcm", f"--pwfile={pwfile}", "--auth=scram-sha-256",
             "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], owner, "initdb", cwd=root)
        pwfile.unlink()
        port = free_port()
        settings = {"listen_addresses": LOOPBACK, "port": port, "unix_socket_directories": str(root),
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    "max_connections": 60, "shared_buffers": "32MB", "logging_collector": "off"}
        cmd = [postgres, "-D", str(root / "data")]
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        log = root / "postgres.log"
        proc = spawn(cmd, owner, log, signal.SIGINT, cwd=root)
        server = PostgresServer(LOOPBACK, port, "rcm", password, root, proc)
        wait_until(lambda: _pg_ready(server), proc, log, "PostgreSQL")
    except BaseException:
        if proc is not None:
            stop(proc, signal.SIGINT)
        shutil.rmtree(root, ignore_errors=True)
        raise
    server.started_in = time.monotonic() - began
    return server


def _pg_ready(server: PostgresServer) -> bool:
    import psycopg

    try:
        with psycopg.connect(server.url(), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False
