"""Moving a registry between SQLite and PostgreSQL (`rcm registry copy`), looking at one (`check`),
getting a returned file back (`get`), and which registry a workspace uses (--db, RCM_DB,
templates/settings.yaml) without ever showing a password."""
from __future__ import annotations

import email.message
import hashlib
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.support.registries import Registries, without_password
from test_registry import H1, H2, Scenario, fill, row

from rcm_workbooks.cli import cli
from rcm_workbooks.core.files import WordedError, WorkspaceError
from rcm_workbooks.registry import db as dbapi
from rcm_workbooks.registry.copy import check_registry, copy_registry
from rcm_workbooks.registry.schema import MIGRATIONS, SCHEMA_VERSION, TABLES
from rcm_workbooks.registry.store import Registry, registry_target
from rcm_workbooks.round import consolidate
from rcm_workbooks.template.generate import generate


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def dump(target) -> dict[str, list[tuple]]:
    """Every row of every table, in one order (SQLite and PostgreSQL sort NULLs differently)."""
    with Registry.open(target, upgrade=False) as db:
        return {t: sorted((tuple(r) for r in db.q(f"SELECT * FROM {t}")), key=repr) for t in TABLES}


@pytest.fixture(scope="module")
def filled(tmp_path_factory, plan):
    """The two-period scenario of test_registry on SQLite: every table has rows; H1's returns are
    no longer in the inbox."""
    from rcm_workbooks.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("move") / "ws")
    return Scenario(ws, plan, plan.responsible_parties[0].code, Registries("sqlite"))


@pytest.fixture
def pg(postgres_server, new_database, monkeypatch):
    """make() -> the URL of a new empty database, without its password (it is in PGPASSWORD)."""
    monkeypatch.setenv("PGPASSWORD", postgres_server.password)
    return lambda: without_password(new_database())


# --- copy -------------------------------------------------------------------------------------


def test_copy_sqlite_to_postgresql_and_back_gives_the_same_registry(filled, pg, tmp_path):
    original = dump(filled.db)
    assert all(original[t] for t in TABLES), {t: len(v) for t, v in original.items()}
    url = pg()
    there = copy_registry(filled.db, url)
    assert there.counts == {t: len(original[t]) for t in TABLES} and there.version == SCHEMA_VERSION
    assert dump(url) == original
    back = tmp_path / "back.sqlite"
    copy_registry(url, back)
    assert dump(back) == original
    # bytes survive both ways
    with Registry.open(back) as db:
        for sha, size, data in db.q("SELECT sha256, size, data FROM blobs"):
            assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
    # the copy goes on where the source stopped: ids and refs after the copied ones
    for target in (url, back):
        with Registry.open(target) as db, db.transaction():
            for table in ("runs", "files", "rows"):
                top = db.q(f"SELECT max(id) FROM {table}")[0][0]
                assert _insert_one(db, table) == top + 1, (target, table)
            assert db.new_ref("GTM", "PROT", "2026-H1", None) == "GTM-PROT-0005"


def _insert_one(db, table: str) -> int:
    if table == "runs":
        return db.conn.insert("INSERT INTO runs(started_at, periods, tool_version) VALUES (?, ?, ?)",
                              ("2026-01-01 00:00:00", "2026-H1", "0"))
    if table == "files":
        return db.conn.insert("INSERT INTO files(run_id, name, verdict) VALUES (1, 'x.xlsx', 'rejected')")
    return db.conn.insert("INSERT INTO rows(ref, period, country, grp, source_sha256, source_name, source_row, "
                          "run_id, current) VALUES ('GTM-PROT-0099', '2026-H1', 'GTM', 'PROT', '', 'x', 6, 1, 0)")


def test_a_consolidation_goes_on_in_the_copy(filled, pg, tmp_path):
    """A copied registry is the registry: consolidating the same returns again changes no row."""
    url = pg()
    copy_registry(filled.db, url)
    before = dump(url)
    consolidate(filled.ws, filled.plan, period=H2, db=url)
    after = dump(url)
    assert after["rows"] == before["rows"] and after["refs"] == before["refs"]
    assert len(after["runs"]) == len(before["runs"]) + 1


def test_copy_refuses_a_target_that_is_not_empty_or_the_source_itself(filled, pg, tmp_path):
    url = pg()
    res = run("registry", "copy", "--from", filled.db, "--to", url)
    assert res.exit_code == 0, res.output
    assert "Every table has as many rows in the copy as in the source." in res.output
    for table, rows in dump(filled.db).items():
        assert any(line.split() == [table, str(len(rows))] for line in res.output.splitlines()), table
    before = dump(url)
    res = run("registry", "copy", "--from", filled.db, "--to", url)
    assert res.exit_code == 2 and "is not empty" in res.output and "runs: 2" in res.output, res.output
    assert dump(url) == before
    res = run("registry", "copy", "--from", filled.db, "--to", filled.db)
    assert res.exit_code == 2 and "are the same registry" in res.output
    res = run("registry", "copy", "--from", tmp_path / "none.sqlite", "--to", tmp_path / "new.sqlite")
    assert res.exit_code == 2 and "there is no registry at" in res.output
    assert not (tmp_path / "new.sqlite").exists()


def test_a_copy_that_fails_leaves_the_target_empty(filled, pg, monkeypatch):
    import rcm_workbooks.registry.copy as copy_mod

    url = pg()
    real = copy_mod._copy_table

    def broken(src, dst, table):
        if table == "carried":
            raise RuntimeError("connection lost")
        real(src, dst, table)

    monkeypatch.setattr(copy_mod, "_copy_table", broken)
    with pytest.raises(RuntimeError):
        copy_registry(filled.db, url)
    assert all(not rows for rows in dump(url).values())


# --- check ------------------------------------------------------------------------------------


def test_check_reports_version_and_counts_and_changes_nothing(filled, tmp_path):
    res = run("registry", "check", "--db", filled.db)
    assert res.exit_code == 0, res.output
    counts = dump(filled.db)
    assert f"schema version {SCHEMA_VERSION} (this rcm: {SCHEMA_VERSION})" in res.output
    for table in TABLES:
        assert any(line.split() == [table, str(len(counts[table]))] for line in res.output.splitlines()), table
    assert f"Files kept: {len(counts['blobs'])} of the {len(counts['blobs'])} accepted files" in res.output
    old = tmp_path / "old.sqlite"
    Registry.open(old, migrations=MIGRATIONS[:1]).close()
    res = run("registry", "check", "--db", old, "--lang", "es")
    assert res.exit_code == 0 and "versión de esquema 1" in res.output and "Se actualizará a la versión" in res.output
    assert check_registry(old).version == 1  # still: check changes nothing


def test_check_of_a_postgresql_registry_never_shows_the_password(filled, postgres_server, new_database):
    url = new_database()
    copy_registry(filled.db, url)
    res = run("registry", "check", "--db", url)
    assert res.exit_code == 0, res.output
    assert postgres_server.password not in res.output
    assert "(PostgreSQL): schema version" in res.output and f"rcm:***@127.0.0.1:{postgres_server.port}" in res.output
    wrong = url.replace(postgres_server.password, "Not-The-Password-42")
    res = run("-C", filled.ws.root, "history", "--db", wrong)
    assert res.exit_code == 2, res.output
    assert "Not-The-Password-42" not in res.output and "cannot connect to the registry" in res.output
    assert len(res.output.strip().splitlines()) == 1


# --- get --------------------------------------------------------------------------------------


def returns_sheet_hashes(path: Path) -> dict[str, str]:
    """name -> SHA-256, as the consolidated workbook's Returns sheet shows them."""
    import openpyxl

    ws = openpyxl.load_workbook(path, read_only=True)["Returns"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if "SHA-256" in r)
    sha, name = rows[head].index("SHA-256"), 0
    for i, h in enumerate(rows[head]):
        if h in ("File", "file"):
            name = i
    return {r[name]: r[sha] for r in rows[head + 1:] if r[sha]}


def test_get_gives_back_a_file_of_a_cleaned_inbox(filled, tmp_path):
    hashes = returns_sheet_hashes(filled.ws.outbox / H1 / f"consolidated_{H1}.xlsx")
    assert len(hashes) == 3 and not (filled.ws.inbox / "h1").exists()
    for name, sha in hashes.items():
        res = run("-C", filled.ws.root, "registry", "get", sha[:10], "--out", tmp_path / "back")
        assert res.exit_code == 0, res.output
        got = tmp_path / "back" / Path(name).name
        assert hashlib.sha256(got.read_bytes()).hexdigest() == sha
        assert f"first received as {name}" in res.output
    # again: the same file is there already; a different file of that name is left alone
    name, sha = next(iter(hashes.items()))
    (tmp_path / "back" / Path(name).name).write_bytes(b"something else")
    res = run("-C", filled.ws.root, "registry", "get", sha, "--out", tmp_path / "back")
    assert res.exit_code == 0 and (tmp_path / "back" / f"{Path(name).stem}-{sha[:12]}.xlsx").is_file()
    assert (tmp_path / "back" / Path(name).name).read_bytes() == b"something else"


def test_get_refuses_what_it_cannot_find(filled, tmp_path):
    res = run("-C", filled.ws.root, "registry", "get", "0000000000")
    assert res.exit_code == 2 and "keeps no file whose SHA-256 begins with 0000000000" in res.output
    res = run("-C", filled.ws.root, "registry", "get", "xyz", "--lang", "es")
    assert res.exit_code == 2 and "xyz no es un SHA-256" in res.output


def test_every_return_kept_once_also_from_an_email_on_both_backends(workspace, plan, registries, tmp_path):
    target = registries.attach(workspace)
    template = generate(workspace, plan, H1, groups=["PROT"], countries=["GTM"])[0].path
    book = fill(template, tmp_path / "GTM.xlsx", [row("One", "IN_PROCESS", responsible="MC")])
    msg = email.message.EmailMessage()
    msg["From"], msg["Subject"] = "focal@example.org", "GTM PROT"
    msg.set_content("attached")
    msg.add_attachment(book.read_bytes(), maintype="application", subtype="octet-stream", filename="GTM.xlsx")
    (workspace.inbox / "reply.eml").write_bytes(bytes(msg))
    (workspace.inbox / "copy.xlsx").write_bytes(book.read_bytes())  # the same workbook twice
    consolidate(workspace, plan, period=H1)
    consolidate(workspace, plan, period=H1)  # and once more
    sha = hashlib.sha256(book.read_bytes()).hexdigest()
    with Registry.open(target) as db:
        assert [tuple(r) for r in db.q("SELECT sha256, size FROM blobs")] == [(sha, book.stat().st_size)]
    res = run("-C", workspace.root, "registry", "get", sha, "--out", tmp_path / "out")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "copy.xlsx").read_bytes() == book.read_bytes()  # first seen as copy.xlsx


# --- which registry ---------------------------------------------------------------------------


def test_which_registry_a_workspace_uses(workspace, tmp_path):
    root = workspace.root
    assert dbapi.locate(root, None, {}) == root / "registry.sqlite"
    settings = root / "templates" / "settings.yaml"
    settings.write_text("registry: shared/reg.sqlite\n", encoding="utf-8")
    assert dbapi.locate(root, None, {}) == root / "shared" / "reg.sqlite"
    settings.write_text("registry: postgresql://rcm@db.example.org/rcm\n", encoding="utf-8")
    assert dbapi.locate(root, None, {}) == "postgresql://rcm@db.example.org/rcm"
    env = {"RCM_DB": "postgresql://staff@other.example.org/reg"}
    assert dbapi.locate(root, None, env) == env["RCM_DB"]
    assert dbapi.locate(root, "given.sqlite", env) == Path("given.sqlite")
    settings.write_text("registry: postgresql://rcm:secret@db.example.org/rcm\n", encoding="utf-8")
    with pytest.raises(WordedError, match="contains a password") as info:
        dbapi.locate(root, None, {})
    assert "secret" not in str(info.value)
    settings.write_text("registry: [unclosed\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"cannot be read as YAML \(line 2\)"):
        dbapi.locate(root, None, {})
    settings.write_text("registry: 5\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="must be a file path or a postgresql:// URL"):
        dbapi.locate(root, None, {})
    settings.write_text("# nothing set\n", encoding="utf-8")
    assert dbapi.locate(root, None, {}) == root / "registry.sqlite"


def test_rcm_db_and_the_settings_reach_every_command(filled, tmp_path, monkeypatch):
    copy = tmp_path / "copy.sqlite"
    copy_registry(filled.db, copy)
    res = run("-C", filled.ws.root, "history", "--format", "json", env={"RCM_DB": str(copy)})
    assert res.exit_code == 0 and "GTM-PROT-0001" in res.output
    empty = tmp_path / "empty.sqlite"
    res = run("-C", filled.ws.root, "history", env={"RCM_DB": str(empty)})
    assert res.exit_code == 2 and f"there is no registry at {empty}" in res.output
    res = run("-C", filled.ws.root, "report", "--year", "2025", "--out", tmp_path / "r.docx", env={"RCM_DB": str(empty)})
    assert res.exit_code == 2 and "there is no registry at" in res.output
    res = run("registry", "check", env={"RCM_DB": str(copy)})  # no workspace needed
    assert res.exit_code == 0 and str(copy) in res.output


def test_masked_urls():
    assert dbapi.mask("postgresql://rcm:s3cret@db.example.org:5432/rcm") == "postgresql://rcm:***@db.example.org:5432/rcm"
    assert dbapi.mask("postgresql://rcm@db.example.org/rcm?sslmode=require&password=s3cret") == \
        "postgresql://rcm@db.example.org/rcm?sslmode=require&password=***"
    assert dbapi.mask("postgres://db.example.org/rcm") == "postgres://db.example.org/rcm"
    assert dbapi.mask(Path("/data/registry.sqlite")) == "/data/registry.sqlite"


def test_without_psycopg_a_postgresql_registry_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(WordedError, match=r"pip install 'rcm-workbooks\[postgresql\]'") as info:
        Registry.open("postgresql://rcm:s3cret@127.0.0.1:1/rcm")
    assert "s3cret" not in str(info.value)


def test_registry_target_of_a_workspace(workspace, monkeypatch):
    monkeypatch.delenv("RCM_DB", raising=False)
    assert registry_target(workspace) == workspace.root / "registry.sqlite"
    monkeypatch.setenv("RCM_DB", "postgresql://rcm@h/db")
    assert registry_target(workspace) == "postgresql://rcm@h/db"
    assert registry_target(workspace, "x.sqlite") == Path("x.sqlite")


def test_the_demo_never_writes_into_a_shared_registry(tmp_path, monkeypatch):
    import rcm_workbooks.round as round_mod
    from rcm_workbooks.demo.run import run_demo

    monkeypatch.setenv("RCM_DB", str(tmp_path / "shared.sqlite"))
    seen = []

    def spy(ws, plan, **kwargs):
        seen.append(kwargs.get("db"))
        raise KeyboardInterrupt  # enough: where it would have written

    monkeypatch.setattr(round_mod, "consolidate", spy)
    with pytest.raises(KeyboardInterrupt):
        run_demo(str(tmp_path / "demo"), rounds=1)
    assert seen == [tmp_path / "demo" / "registry.sqlite"]
    assert not (tmp_path / "shared.sqlite").exists()
