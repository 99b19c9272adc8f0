"""The registry's connection: an SQLite file or a PostgreSQL database behind one small interface.

- `connect(target)`: a file path opens (or creates) an SQLite database; a `postgresql://` URL a
  PostgreSQL one, through psycopg 3, imported only then (it is an optional extra).
- SQL is written once, with `?` placeholders; rows allow both `row["col"]` and `row[0]`.
- `transaction()` is one writer at a time on both: `BEGIN IMMEDIATE` on SQLite, a transaction
  that first takes one advisory lock on PostgreSQL (READ COMMITTED, so each statement after the
  lock sees what the previous writer committed). A second writer is told it waits (`on_wait`),
  then waits up to `wait` seconds.
- `migrate()` applies the schema's migrations under that lock, recording the number applied in
  the `schema_version` table (and in SQLite's `user_version`, which older versions of the tool
  read to refuse a newer schema).
- `locate()` says which registry a workspace uses: --db, then $RCM_DB, then the `registry:` key
  of templates/settings.yaml, then registry.sqlite in the workspace.

A password is never shown: `mask()` hides it in every message that names a URL.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from ..core.files import WordedError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DB_NAME = "registry.sqlite"
ENV = "RCM_DB"
SETTINGS = Path("templates") / "settings.yaml"
WAIT_SECONDS = 120.0
_LOCK_KEY = 7_305_804_301_716_112  # one advisory lock for the whole registry ("rcm registry")
_SCHEMES = ("postgresql://", "postgres://")


def is_url(target) -> bool:
    return isinstance(target, str) and target.strip().lower().startswith(_SCHEMES)


def mask(target) -> str:
    """What a person may be shown of a registry's location: a URL without its password."""
    text = str(target)
    if not is_url(text):
        return text
    parts = urlsplit(text.strip())
    netloc = parts.netloc
    if "@" in netloc:
        who, host = netloc.rsplit("@", 1)
        netloc = f"{who.split(':', 1)[0]}{':***' if ':' in who else ''}@{host}"
    query = re.sub(r"(?i)(^|&)password=[^&]*", r"\1password=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _password(target: str) -> str | None:
    parts = urlsplit(target.strip())
    found = re.search(r"(?i)(?:^|&)password=([^&]*)", parts.query)
    return parts.password or (found.group(1) if found else None)


def _scrub(text: str, target) -> str:
    """An error text of the driver on one line, without the password even if it quoted it."""
    secret = _password(target) if is_url(target) else None
    text = " ".join(str(text).split())
    return text.replace(secret, "***") if secret else text


# --- which registry --------------------------------------------------------------------------


def locate(root: Path, given: str | Path | None = None, environ=None) -> str | Path:
    """The registry of the workspace at `root`: --db, $RCM_DB, settings.yaml, registry.sqlite."""
    environ = os.environ if environ is None else environ
    if given:
        return str(given) if is_url(str(given)) else Path(given)
    if environ.get(ENV, "").strip():
        value = environ[ENV].strip()
        return value if is_url(value) else Path(value)
    setting = _setting(Path(root))
    if setting:
        return setting if is_url(setting) else Path(root) / setting
    return Path(root) / DB_NAME


def _setting(root: Path) -> str | None:
    path = root / SETTINGS
    if not path.is_file():
        return None
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise WordedError("settings-broken", file=str(path), line=(mark.line + 1) if mark else "?") from None
    value = data.get("registry") if isinstance(data, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise WordedError("settings-registry", file=str(path))
    if is_url(value) and _password(value):
        raise WordedError("settings-password", file=str(path))
    return value.strip()


# --- rows ------------------------------------------------------------------------------------


class Row(tuple):
    """A row read from PostgreSQL: a tuple that also answers row["column"], keys() and dict(row),
    as sqlite3.Row does."""

    __slots__ = ()
    _index: dict = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _pg_rows(cursor):
    names = [c.name for c in cursor.description or ()]
    cls = type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})
    return cls


@functools.lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    # No `?` or `%` occurs inside the registry's string literals; a literal % becomes %%.
    return sql.replace("%", "%%").replace("?", "%s")


# --- the connections -------------------------------------------------------------------------


class Database:
    """One open connection; `kind` is SQLITE or POSTGRESQL, `where` what a person may be shown."""

    kind = ""

    def __init__(self, conn, target, on_wait: Callable[[str], None] | None, wait: float):
        self.conn = conn
        self.target = target
        self.where = mask(target)
        self.on_wait = on_wait
        self.wait = wait
        self._in_tx = False

    # statements
    def execute(self, sql: str, params: Iterable = ()):
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable) -> None:
        self.conn.executemany(sql, rows)

    def q(self, sql: str, *args) -> list:
        return self.execute(sql, args).fetchall()

    def insert(self, sql: str, params: Iterable = ()) -> int:
        """Run an INSERT and return the id it gave the new row."""
        return self.execute(f"{sql} RETURNING id", params).fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    # transactions
    @contextlib.contextmanager
    def transaction(self):
        """One write transaction, one writer at a time (nested calls join the outer one)."""
        if self._in_tx:
            yield self
            return
        self._begin()
        self._in_tx = True
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        else:
            self.execute("COMMIT")
        finally:
            self._in_tx = False

    def _rollback(self) -> None:
        with contextlib.suppress(Exception):  # a lost connection has rolled back already
            self.execute("ROLLBACK")

    def _waiting(self) -> None:
        if self.on_wait is not None:
            self.on_wait(self.where)

    def _busy(self) -> WordedError:
        return WordedError("registry-busy", where=self.where, seconds=f"{self.wait:.0f}")

    # schema
    def ddl(self, sql: str) -> str:
        return sql

    def version(self) -> int:
        if not self.has_table("schema_version"):
            return 0
        row = self.q("SELECT max(version) FROM schema_version")
        return row[0][0] or 0

    def migrate(self, migrations: list[list[str]], known: int) -> None:
        """Apply the migrations this database has not had yet, under the write lock (two first
        openings at once apply each migration once), all in one transaction."""
        self._refuse_newer(self.version(), known)
        if self.version() >= len(migrations) and self.has_table("schema_version"):
            return
        with self.transaction():
            current = self.version()  # again, under the lock: another writer may have migrated
            self._refuse_newer(current, known)
            if not self.has_table("schema_version"):
                self.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                self.execute("INSERT INTO schema_version(version) VALUES (?)", (current,))
            for number, statements in enumerate(migrations, 1):
                if number > current:
                    for sql in statements:
                        self.execute(self.ddl(sql))
                    self._set_version(number)

    def _refuse_newer(self, current: int, known: int) -> None:
        if current > known:
            from ..core.version import __version__

            raise WordedError("registry-newer", where=self.where, version=current, tool=__version__, known=known)

    def _set_version(self, number: int) -> None:
        self.execute("UPDATE schema_version SET version = ?", (number,))

    def tables(self) -> list[str]:
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def after_copy(self, table: str) -> None:
        """After rows were inserted with their ids (registry copy) into a table with an `id`
        column: the next id follows them."""

    @contextlib.contextmanager
    def snapshot(self):
        """A read-only view that does not change while it is read (registry copy)."""
        self.execute("BEGIN")
        try:
            yield self
        finally:
            self._rollback()

    def stream(self, sql: str, size: int = 1000):
        """The rows of a query, `size` at a time, without holding all of them in memory."""
        cur = self.execute(sql)
        while rows := cur.fetchmany(size):
            yield rows


class SqliteDatabase(Database):
    kind = SQLITE

    @classmethod
    def open(cls, path: Path, *, create: bool, on_wait=None, wait: float = WAIT_SECONDS) -> SqliteDatabase:
        if not create and not path.is_file():
            raise WordedError("registry-missing", where=str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=wait, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            db = cls(conn, path, on_wait, wait)
            db.tables()  # reads the file's header: a file that is no database fails here
        except sqlite3.DatabaseError as exc:
            raise WordedError("registry-unusable", where=str(path), detail=str(exc)) from None
        return db

    def _begin(self) -> None:
        # The first try does not wait, so that a second writer can say that it waits.
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            self._waiting()
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise self._busy() from None
                raise
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")

    def version(self) -> int:
        if self.has_table("schema_version"):
            return super().version()
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _set_version(self, number: int) -> None:
        super()._set_version(number)
        self.execute(f"PRAGMA user_version = {int(number)}")

    def tables(self) -> list[str]:
        return [r[0] for r in self.q("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]

    def indexes(self) -> list[str]:
        return [r[0] for r in self.q("SELECT name FROM sqlite_master WHERE type = 'index' "
                                     "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]


class PostgresDatabase(Database):
    kind = POSTGRESQL

    @classmethod
    def open(cls, url: str, *, create: bool, on_wait=None, wait: float = WAIT_SECONDS) -> PostgresDatabase:
        try:
            import psycopg
        except ImportError:
            raise WordedError("registry-no-driver", where=mask(url),
                              command="python3 -m pip install 'rcm-workbooks[postgresql]'") from None
        try:
            conn = psycopg.connect(url.strip(), autocommit=True, connect_timeout=15,
                                   application_name="rcm-workbooks")
        except psycopg.Error as exc:
            raise WordedError("registry-connect", where=mask(url), detail=_scrub(exc, url)) from None
        conn.row_factory = _pg_rows
        db = cls(conn, url, on_wait, wait)
        if not create and db.version() == 0:
            db.close()
            raise WordedError("registry-missing", where=mask(url))
        return db

    def execute(self, sql: str, params: Iterable = ()):
        params = tuple(params)
        return self.conn.execute(_pg_sql(sql) if params else sql, params or None)

    def executemany(self, sql: str, rows: Iterable) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_pg_sql(sql), rows)

    def _begin(self) -> None:
        import psycopg

        self.execute("BEGIN")
        try:
            if self.q("SELECT pg_try_advisory_xact_lock(?)", _LOCK_KEY)[0][0]:
                return
            self._waiting()
            self.execute(f"SET LOCAL lock_timeout = {int(self.wait * 1000)}")
            try:
                self.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))
            except psycopg.errors.LockNotAvailable:
                raise self._busy() from None
            self.execute("SET LOCAL lock_timeout = DEFAULT")
        except BaseException:
            self._rollback()
            raise

    def ddl(self, sql: str) -> str:
        """The schema's SQLite words in PostgreSQL's: ids from an identity (BY DEFAULT, so that a
        copy keeps them), text compared byte by byte as SQLite does, bytes as bytea."""
        sql = sql.replace("INTEGER PRIMARY KEY", "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
        sql = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', sql)
        return re.sub(r"\bBLOB\b", "BYTEA", sql)

    def has_table(self, name: str) -> bool:
        # A query of the catalog, not to_regclass(): that one reads a cache that an advisory lock
        # does not refresh, so a writer that waited would miss the table the other one created.
        return self.q("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                      "AND tablename = ?)", name)[0][0]

    def tables(self) -> list[str]:
        return [r[0] for r in self.q("SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                                     "ORDER BY table_name")]

    def indexes(self) -> list[str]:
        return [r[0] for r in self.q("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                     "ORDER BY indexname")]

    def after_copy(self, table: str) -> None:
        if self.q("SELECT pg_get_serial_sequence(?, 'id')", table)[0][0]:  # an id from an identity
            self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}")

    @contextlib.contextmanager
    def snapshot(self):
        self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield self
        finally:
            self._rollback()

    def stream(self, sql: str, size: int = 1000):
        # A server-side cursor: the rows come `size` at a time (the snapshot's transaction holds it).
        with self.conn.cursor(name="rcm_stream") as cur:
            cur.execute(sql)
            while rows := cur.fetchmany(size):
                yield rows


def connect(target: str | Path, *, create: bool = True, on_wait: Callable[[str], None] | None = None,
            wait: float = WAIT_SECONDS) -> Database:
    """Open the registry database at `target`: a postgresql:// URL, else an SQLite file path."""
    if is_url(str(target)):
        return PostgresDatabase.open(str(target), create=create, on_wait=on_wait, wait=wait)
    return SqliteDatabase.open(Path(target), create=create, on_wait=on_wait, wait=wait)
