"""Real PostgreSQL and IMAP (dovecot) servers for the tests, on loopback, in temporary folders.

Each server is started once per test session by its session fixture (`postgres_server`,
`imap_daemon`) and stopped at its end; the function fixtures give every test its own empty
database (`postgres_url`, or several with `new_database()`) or its own empty mailbox
(`imap_server`), so tests never see each other's data.

- Nothing system-wide is touched: data, configuration, sockets, logs and certificates live in a
  temporary folder that is removed afterwards; ports are free ones picked at start.
- PostgreSQL refuses to run as root, and dovecot here runs "rootless" (everything as one user):
  when the tests run as root (CI), each is started as the user its Debian package created
  (`postgres`, `dovecot`); otherwise as the current user. A server also stops if the test
  process is killed outright (parent-death signal).
- The IMAP server speaks TLS (`port`, IMAPS) and STARTTLS (`starttls_port`) with a certificate
  signed by a throw-away CA (`ca_file`): a client trusts it through `ssl_context()`, or, for a
  subprocess that uses the default trust store, through `env()` (SSL_CERT_FILE).
- A server that cannot be found or started skips the test with the reason, except under CI=true,
  where it fails it: a CI image that lost PostgreSQL or dovecot must not pass by skipping.

Use: tests/conftest.py names this module in `pytest_plugins`, so every test module has these
fixtures (and the registry's two backends, tests/support/registries.py).
"""
from __future__ import annotations

import os

import pytest

from .imap import ImapAccount, ImapDaemon, start_dovecot
from .postgres import PostgresServer, start_postgres
from .processes import ServerUnavailable, with_retries

__all__ = ["ImapAccount", "ImapDaemon", "PostgresServer", "ServerUnavailable", "imap_daemon", "imap_server",
           "in_ci", "new_database", "postgres_server", "postgres_url", "unavailable"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(why: str):
    """Skip the test, or fail it under CI=true."""
    if in_ci():
        pytest.fail(why + " (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(why)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server():
    """The session's PostgreSQL (skips, or fails under CI=true, when it cannot be had)."""
    try:
        server = with_retries(start_postgres)
    except ServerUnavailable as exc:
        unavailable(str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database for this test (dropped afterwards)."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture
def new_database(postgres_server):
    """make() -> the URL of one more new, empty database; all of them are dropped afterwards."""
    made = []

    def make() -> str:
        made.append(postgres_server.create_database())
        return made[-1]

    yield make
    for url in made:
        postgres_server.drop_database(url)


@pytest.fixture(scope="session")
def imap_daemon():
    """The session's dovecot (skips, or fails under CI=true, when it cannot be had)."""
    try:
        daemon = with_retries(start_dovecot)
    except ServerUnavailable as exc:
        unavailable(str(exc))
    yield daemon
    daemon.stop()


@pytest.fixture
def imap_server(imap_daemon) -> ImapAccount:
    """A new, empty mailbox on the session's IMAP server."""
    return imap_daemon.account()
