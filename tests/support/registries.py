"""The registry's two backends for the tests: SQLite files, and databases on the test PostgreSQL.

`Registries(kind)` gives a workspace its registry (`attach`: nothing for SQLite, whose file is
registry.sqlite in the workspace; for PostgreSQL a new database, named by the `registry:` key of
the workspace's templates/settings.yaml, the URL without its password, which is in PGPASSWORD
as a Secretariat would have it), or a new empty one (`new_target`), and drops its databases at
the end. The fixtures `registries` (per test) and `module_registries` (per module) run a test
once per backend.
"""
from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest

from rcm_workbooks.registry.store import DB_NAME

BACKENDS = ["sqlite", "postgresql"]


class Registries:
    def __init__(self, kind: str, server=None):
        self.kind = kind
        self.server = server
        self.urls: list[str] = []
        self._folder = None
        self._n = itertools.count(1)

    def new_target(self) -> str | Path:
        """A new, empty registry: a path where no file is yet, or the URL of a new database."""
        if self.kind == "sqlite":
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(prefix="rcm-reg-")
            return Path(self._folder.name) / f"registry-{next(self._n)}.sqlite"
        url = self.server.create_database()
        self.urls.append(url)
        return without_password(url)

    def clone(self, url: str) -> str:
        """A new database with the contents of `url`'s (PostgreSQL only: CREATE DATABASE ... TEMPLATE)."""
        import psycopg

        source = url.rsplit("/", 1)[1]
        name = f"{source}_c{next(self._n)}"
        with psycopg.connect(self.server.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        self.urls.append(self.server.url(name))
        return without_password(self.server.url(name))

    def attach(self, ws, target: str | Path | None = None) -> str | Path:
        """Make `target` (default: a new registry) the workspace's registry; return it."""
        if self.kind == "sqlite" and target is None:
            return Path(ws.root) / DB_NAME
        target = target or self.new_target()
        (Path(ws.root) / "templates" / "settings.yaml").write_text(f"registry: {target}\n", encoding="utf-8")
        return target

    def close(self) -> None:
        for url in self.urls:
            self.server.drop_database(url)
        if self._folder is not None:
            self._folder.cleanup()


def without_password(url: str) -> str:
    scheme, rest = url.split("://", 1)
    who, host = rest.rsplit("@", 1)
    return f"{scheme}://{who.split(':', 1)[0]}@{host}"


def open_backend(request, kind: str) -> Registries:
    if kind == "sqlite":
        return Registries(kind)
    server = request.getfixturevalue("postgres_server")
    os.environ["PGPASSWORD"] = server.password  # as a Secretariat's staff would have it
    return Registries(kind, server)


@pytest.fixture(params=BACKENDS)
def registries(request):
    backend = open_backend(request, request.param)
    yield backend
    backend.close()


@pytest.fixture(scope="module", params=BACKENDS)
def module_registries(request):
    backend = open_backend(request, request.param)
    yield backend
    backend.close()
