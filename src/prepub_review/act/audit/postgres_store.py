"""The audit trail on a PostgreSQL server: one trail written by many reviewers on many machines.

Same tables, records and hash chain as the SQLite file, in the schema `prepub_audit`.

Serialising the chain across machines: every append runs in one transaction that first takes
a transaction-scoped ADVISORY LOCK (`pg_advisory_xact_lock`) on a key that names this trail,
then reads the head, inserts and commits. Why this mechanism:
- it is held by exactly one writer at a time and queues the others (no retry loop, unlike a
  SERIALIZABLE transaction, which would make the losers fail and start again);
- it needs no extra state that could itself drift from the chain (unlike a chain-head row);
- the server releases it at commit, at rollback, or when the client's connection dies (a
  reviewer's PC killed mid-append leaves neither a lock nor a half-written record);
- readers (`list`, `verify`, export) never wait for it.
Belt and braces: `seq` is the primary key and `prev_hash` is UNIQUE, so even a writer that
bypassed the lock could not put two records at one place in the chain.

Append-only: row triggers refuse UPDATE and DELETE, statement triggers refuse TRUNCATE. The
owner of the tables can drop or disable them, but only on purpose, and `verify` then warns and
finds every changed, deleted or reordered record. Grant reviewers INSERT and SELECT only.

Credentials are never taken on the command line by necessity: libpq's conventions apply (a
password file ~/.pgpass or PGPASSFILE, PGPASSWORD, PGUSER, PGHOST, PGSERVICE…), and any password
in a DSN is masked whenever the DSN is shown (location.py). Records never hold the DSN.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

from prepub_review.act.audit.location import mask_dsn, scrub_secret
from prepub_review.act.audit.records import FINDING_COLUMNS, RECORD_COLUMNS
from prepub_review.act.audit.store import (
    APPEND_ONLY_MESSAGE,
    SCHEMA_VERSION,
    TRIGGERS,
    AuditError,
    AuditLog,
    column_defs,
)

SCHEMA_NAME = "prepub_audit"
LOCK_KEYS = (0x70726570, 0x61756474)   # ('prep', 'audt'): the advisory lock that serialises appends
CONNECT_TIMEOUT_S = 15
TRUNCATE_TRIGGERS = {
    "records_no_truncate": "BEFORE TRUNCATE ON records",
    "findings_no_truncate": "BEFORE TRUNCATE ON findings",
}

SCHEMA = [
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA_NAME}",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"""CREATE TABLE records (
  seq BIGINT PRIMARY KEY,
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  {column_defs(RECORD_COLUMNS)}
)""",
    f"""CREATE TABLE findings (
  record_seq BIGINT NOT NULL,
  position INTEGER NOT NULL,
  {column_defs(FINDING_COLUMNS)},
  PRIMARY KEY (record_seq, position)
)""",
    "CREATE INDEX records_by_time ON records(recorded_utc)",
    f"""CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$""",
    *(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION refuse_change()"
      for name, when in TRIGGERS.items()),
    *(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
      for name, when in TRUNCATE_TRIGGERS.items()),
    f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
]


class PostgresAuditLog(AuditLog):
    PLACEHOLDER = "%s"

    def __init__(self, dsn: str, *, create: bool = True, allow_share: bool = False):
        self.dsn = dsn
        self.location = mask_dsn(dsn)
        with self._connection() as conn:
            self._ensure_schema(conn, create)

    def trigger_names(self) -> list[str]:
        return [*TRIGGERS, *TRUNCATE_TRIGGERS]

    def _connect(self):
        psycopg, dict_row = _driver()
        try:
            return psycopg.connect(self.dsn, autocommit=True, row_factory=dict_row,
                                   connect_timeout=CONNECT_TIMEOUT_S, application_name="prepub")
        except psycopg.Error as exc:
            raise AuditError(f"无法连接审查记录库 {self.location}：{self._describe(exc)}") from None

    def _configure(self, conn) -> None:
        conn.execute(f"SET search_path TO {SCHEMA_NAME}")

    def _driver_errors(self) -> type[Exception]:
        return _driver()[0].Error

    @contextlib.contextmanager
    def _write_transaction(self, conn) -> Iterator[None]:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", LOCK_KEYS)
            yield

    def _now(self, conn) -> datetime:
        """The server's clock, read under the lock: record times follow the chain's order even when
        the reviewers' PCs disagree about the time."""
        return conn.execute("SELECT date_trunc('second', clock_timestamp()) AS now").fetchone()["now"]

    def _trigger_names(self, conn) -> set[str]:
        rows = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' AND tgrelid IN "
            f"(to_regclass('{SCHEMA_NAME}.records'), to_regclass('{SCHEMA_NAME}.findings'))")
        return {r["tgname"] for r in rows}

    def _ensure_schema(self, conn, create: bool) -> None:
        version = self._schema_version(conn)
        if version is None and create:
            # Racing creators take turns on the same lock, held for the session: the transaction
            # that follows starts after the lock, so it sees the catalog a previous creator committed.
            conn.execute("SELECT pg_advisory_lock(%s, %s)", LOCK_KEYS)
            try:
                with conn.transaction():
                    if self._schema_version(conn) is None:
                        for statement in SCHEMA:
                            conn.execute(statement)
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s, %s)", LOCK_KEYS)
            version = SCHEMA_VERSION
        if version is None:
            raise AuditError(f"审查记录库 {self.location} 中没有 prepub 审查记录（尚未写入任何记录，或数据库有误）")
        if version > SCHEMA_VERSION:
            raise AuditError(f"审查记录库 {self.location} 由更新版本的 prepub 创建，请升级 prepub")

    @staticmethod
    def _schema_version(conn) -> int | None:
        if conn.execute(f"SELECT to_regclass('{SCHEMA_NAME}.meta') AS t").fetchone()["t"] is None:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row["value"]) if row else None

    def _describe(self, exc: Exception) -> str:
        """The driver's first line, without the DSN's password."""
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return scrub_secret(first_line, self.dsn)


def _driver():
    try:
        import psycopg
        from psycopg.rows import dict_row
    except ImportError:
        raise AuditError("使用 PostgreSQL 审查记录库须安装可选组件 psycopg："
                         "pip install 'prepub-review[postgres]'") from None
    return psycopg, dict_row
