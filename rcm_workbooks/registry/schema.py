"""The registry's schema, as the ordered migrations that build it, the same for SQLite and
PostgreSQL.

The SQL is SQLite's; registry/db.py says it in PostgreSQL's words where they differ (ids, text
collation, bytes). Each database records how many migrations it has had (`schema_version`).
"""
from __future__ import annotations

# Each migration is a list of statements; migration N brings the schema version from N-1 to N.
# Never edit a migration that has shipped: add a new one.
MIGRATIONS: list[list[str]] = [
    # 1: the first schema
    [
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            periods TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            plan_id TEXT NOT NULL DEFAULT '',
            files_seen INTEGER NOT NULL DEFAULT 0,
            files_accepted INTEGER NOT NULL DEFAULT 0,
            files_rejected INTEGER NOT NULL DEFAULT 0,
            files_superseded INTEGER NOT NULL DEFAULT 0,
            files_ignored INTEGER NOT NULL DEFAULT 0,
            rows_accepted INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0,
            rows_replaced INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            sha256 TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL,
            received_at TEXT,
            verdict TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            period TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            grp TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            rows_accepted INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX files_key ON files(period, country, grp)",
        # The return that stands for each period, country and working group.
        """CREATE TABLE standing (
            period TEXT NOT NULL,
            country TEXT NOT NULL,
            grp TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            received_at TEXT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            PRIMARY KEY (period, country, grp)
        )""",
        """CREATE TABLE rows (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL,
            period TEXT NOT NULL,
            country TEXT NOT NULL,
            grp TEXT NOT NULL,
            pillar TEXT NOT NULL DEFAULT '',
            theme TEXT NOT NULL DEFAULT '',
            activity TEXT NOT NULL DEFAULT '',
            indicators TEXT NOT NULL DEFAULT '',
            measured_by TEXT NOT NULL DEFAULT '',
            responsible TEXT NOT NULL DEFAULT '',
            deadline TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            risks TEXT NOT NULL DEFAULT '',
            progress TEXT NOT NULL DEFAULT '',
            next_steps TEXT NOT NULL DEFAULT '',
            typed TEXT NOT NULL DEFAULT '{}',
            language TEXT NOT NULL DEFAULT '',
            source_sha256 TEXT NOT NULL,
            source_name TEXT NOT NULL,
            source_row INTEGER NOT NULL,
            received_at TEXT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            current INTEGER NOT NULL DEFAULT 1,
            replaced_by_run INTEGER
        )""",
        "CREATE INDEX rows_key ON rows(period, country, grp, current)",
        "CREATE UNIQUE INDEX rows_current_ref ON rows(period, ref) WHERE current = 1",
        # One counter per country and working group: a number is handed out once, ever.
        """CREATE TABLE refs (
            country TEXT NOT NULL,
            grp TEXT NOT NULL,
            last_number INTEGER NOT NULL,
            PRIMARY KEY (country, grp)
        )""",
        # Every ref the registry issued, and the sheet row it was issued for.
        """CREATE TABLE ref_keys (
            ref TEXT PRIMARY KEY,
            country TEXT NOT NULL,
            grp TEXT NOT NULL,
            period TEXT NOT NULL,
            row_number INTEGER,
            issued_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX ref_keys_row ON ref_keys(period, country, grp, row_number) WHERE row_number IS NOT NULL",
    ],
    # 2: carry-forward. What each generated template carried (the digest of a carried row's locked
    # cells, as validate checks them, tells which template carried which ref), and rows by ref.
    [
        """CREATE TABLE carried (
            period TEXT NOT NULL,
            country TEXT NOT NULL,
            grp TEXT NOT NULL,
            ref TEXT NOT NULL,
            from_period TEXT NOT NULL,
            digest_en TEXT NOT NULL,
            digest_es TEXT NOT NULL,
            generated_at TEXT NOT NULL,
            PRIMARY KEY (period, country, grp, ref)
        )""",
        "CREATE INDEX rows_ref ON rows(ref, current)",
    ],
    # 3: every return kept. The bytes of each file the registry accepted, once per SHA-256, so
    # that the history survives a cleaned inbox (`rcm registry get`).
    [
        """CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL,
            stored_at TEXT NOT NULL
        )""",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

# The tables in an order their references allow (a copy inserts them in this order).
TABLES = ("runs", "files", "standing", "rows", "refs", "ref_keys", "carried", "blobs")
