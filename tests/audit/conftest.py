"""The audit back ends the tests run against: a SQLite file, and a real PostgreSQL server.

PostgreSQL needs `PREPUB_TEST_PG_DSN` (a superuser DSN on a throwaway cluster; `.ci/run` starts
one on 127.0.0.1). Without it the PostgreSQL tests are skipped with that reason, except in CI
(CI=true), where a missing server is a failure: CI can never silently skip them.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from prepub_review.act.audit.postgres_store import TRUNCATE_TRIGGERS
from prepub_review.act.audit.store import TRIGGERS

PG_DSN_VARIABLE = "PREPUB_TEST_PG_DSN"


def postgres_dsn() -> str:
    dsn = os.environ.get(PG_DSN_VARIABLE)
    if dsn:
        return dsn
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI 中须有 PostgreSQL：{PG_DSN_VARIABLE} 未设置（.ci/run 应启动测试用服务器）")
    pytest.skip(f"PostgreSQL tests need a server: set {PG_DSN_VARIABLE} (e.g. postgresql://postgres@127.0.0.1:55432/postgres)")


def with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def superuser_sql(dsn: str, *statements: str, database: str | None = None) -> list:
    """Runs statements as the test cluster's superuser (autocommit); returns the last result rows."""
    import psycopg

    rows: list = []
    with psycopg.connect(with_database(dsn, database) if database else dsn, autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
            rows = cursor.fetchall() if cursor.description else []
    return rows


@dataclass
class Backend:
    """Makes fresh audit targets of one kind and tampers with them the way an attacker would."""

    name: str
    tmp_path: Path
    dsn: str | None = None
    databases: list[str] | None = None

    def new_target(self, stem: str = "audit") -> str:
        if self.name == "sqlite":
            return str(self.tmp_path / f"{stem}.sqlite3")
        database = f"prepub_test_{uuid.uuid4().hex[:12]}"
        superuser_sql(self.dsn, f"CREATE DATABASE {database}")
        self.databases.append(database)
        return with_database(self.dsn, database)

    def raw_sql(self, target: str, *statements: str, drop_triggers: bool = True) -> None:
        """Plain SQL with the owner's powers: triggers dropped first (on purpose), then the statements."""
        if self.name == "sqlite":
            conn = sqlite3.connect(target, isolation_level=None)
            try:
                for name in TRIGGERS if drop_triggers else ():
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                for statement in statements:
                    conn.execute(statement)
            finally:
                conn.close()
            return
        drops = [f"DROP TRIGGER IF EXISTS {name} ON {when.split()[-1]}"
                 for name, when in {**TRIGGERS, **TRUNCATE_TRIGGERS}.items()] if drop_triggers else []
        superuser_sql(target, "SET search_path TO prepub_audit", *drops, *statements)

    def stored_bytes(self, target: str) -> bytes:
        """Everything the database holds, as an attacker who copies it would see it."""
        if self.name == "sqlite":
            return b"".join(p.read_bytes() for p in (Path(target), Path(target + "-wal")) if p.exists())
        rows = superuser_sql(target, "SELECT string_agg(r::text, chr(10)) FROM ("
                             "SELECT t::text AS r FROM prepub_audit.records t UNION ALL "
                             "SELECT f::text FROM prepub_audit.findings f) x")
        return (rows[0][0] or "").encode("utf-8")

    def refused_error(self) -> type[Exception]:
        if self.name == "sqlite":
            return sqlite3.DatabaseError
        import psycopg

        return psycopg.Error

    def cleanup(self) -> None:
        for database in self.databases or []:
            superuser_sql(self.dsn, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def make_backend(name: str, tmp_path: Path) -> Backend:
    return Backend(name, tmp_path, dsn=postgres_dsn() if name == "postgres" else None, databases=[])


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    made = make_backend(request.param, tmp_path)
    yield made
    made.cleanup()


@pytest.fixture
def pg_backend(tmp_path):
    made = make_backend("postgres", tmp_path)
    yield made
    made.cleanup()
