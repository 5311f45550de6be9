"""The audit database: append-only, every record chained to the previous one.

`AuditLog(target)` opens the back end the target names: a path is a SQLite file on this machine
(sqlite_store.py), a `postgresql://…` URL a PostgreSQL server shared by many machines
(postgres_store.py). Both keep the same tables, the same records and the same hash chain; this
module holds what they share: appending under the back end's write lock, and reading.

The append rule: take the back end's write lock, THEN read the head, chain onto it, insert the
record and its finding rows, commit. One transaction, so a process killed half-way leaves
nothing behind; the lock is taken before the head is read, so two writers never chain onto the
same head. Triggers refuse UPDATE and DELETE; someone who drops them is caught by `verify`.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from prepub_review import __version__
from prepub_review.act.audit.records import (
    FINDING_COLUMNS,
    GENESIS_HASH,
    RECORD_COLUMNS,
    AuditRecord,
    FindingRow,
    record_hash,
    validate,
)
from prepub_review.config import is_postgres_url
from prepub_review.errors import PrepubError

SCHEMA_VERSION = 1
INTEGER_COLUMNS = {"publishes_personal_info", "findings_count"}
TRIGGERS = {
    "records_no_update": "BEFORE UPDATE ON records",
    "records_no_delete": "BEFORE DELETE ON records",
    "findings_no_update": "BEFORE UPDATE ON findings",
    "findings_no_delete": "BEFORE DELETE ON findings",
}
APPEND_ONLY_MESSAGE = "审查记录只能追加，不能修改或删除"
RECORD_INSERT_COLUMNS = ["seq", "prev_hash", "hash", *RECORD_COLUMNS]
FINDING_INSERT_COLUMNS = ["record_seq", "position", *FINDING_COLUMNS]


class AuditError(PrepubError):
    code = "audit_error"


@dataclass(frozen=True, slots=True)
class Head:
    seq: int       # 0 for an empty log
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True, slots=True)
class StoredRecord:
    seq: int
    prev_hash: str
    hash: str
    record: AuditRecord


def column_defs(names: list[str]) -> str:
    return ",\n  ".join(f"{n} {'INTEGER' if n in INTEGER_COLUMNS else 'TEXT'}" for n in names)


class AuditLog:
    """`AuditLog(path or postgresql://…).append(record) -> Head`; reading: `head()`, `records()`, `get(seq)`.

    Subclasses supply the connection, the write lock and the schema; SQL here is written with
    `?` placeholders, which a back end may translate (`PLACEHOLDER`).
    """

    PLACEHOLDER = "?"
    location: str   # what may be shown to people: a path, or a DSN without its password

    def __new__(cls, target: Path | str, **options):
        if cls is AuditLog:
            if is_postgres_url(target):
                from prepub_review.act.audit.postgres_store import PostgresAuditLog
                cls = PostgresAuditLog
            else:
                from prepub_review.act.audit.sqlite_store import SqliteAuditLog
                cls = SqliteAuditLog
        return super().__new__(cls)

    # --- writing ----------------------------------------------------------------------------

    def append(self, record: AuditRecord) -> Head:
        """Adds `record` (with its finding rows) at the end of the chain; returns the new head."""
        validate(record)
        with self._connection() as conn, self._write_transaction(conn):
            return self._append_locked(conn, record)

    def _append_locked(self, conn, record: AuditRecord) -> Head:
        now = self._now(conn)
        record = dataclasses.replace(
            record,
            recorded_utc=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            recorded_local=now.astimezone().isoformat(),
            tool_version=record.tool_version or __version__,
        )
        columns = record.columns()
        findings = [dataclasses.asdict(row) for row in record.findings]
        previous = self._read_head(conn)   # inside the write lock: no other writer can move the head now
        seq = previous.seq + 1
        digest = record_hash(seq, previous.hash, columns, findings)
        self._insert(conn, {"seq": seq, "prev_hash": previous.hash, "hash": digest, **columns},
                     [{"record_seq": seq, "position": i, **row} for i, row in enumerate(findings, 1)])
        return Head(seq, digest)

    def copy_chain(self, rows: Iterable[tuple[dict, list[dict]]]) -> int:
        """Copies stored rows (from another log's `raw_rows`) exactly, hashes and all, into this EMPTY log."""
        count = 0
        with self._connection() as conn, self._write_transaction(conn):
            if self._read_head(conn).seq:
                raise AuditError(f"目标审查记录库 {self.location} 已有记录；只能迁移到空库")
            for columns, findings in rows:
                self._insert(conn, columns, findings)
                count += 1
        return count

    def _insert(self, conn, columns: dict, findings: list[dict]) -> None:
        conn.execute(self._sql(f"INSERT INTO records ({', '.join(RECORD_INSERT_COLUMNS)}) "
                               f"VALUES ({', '.join('?' * len(RECORD_INSERT_COLUMNS))})"),
                     [columns[n] for n in RECORD_INSERT_COLUMNS])
        if findings:
            conn.cursor().executemany(
                self._sql(f"INSERT INTO findings ({', '.join(FINDING_INSERT_COLUMNS)}) "
                          f"VALUES ({', '.join('?' * len(FINDING_INSERT_COLUMNS))})"),
                [[row[n] for n in FINDING_INSERT_COLUMNS] for row in findings])

    # --- reading ----------------------------------------------------------------------------

    def head(self) -> Head:
        with self._connection() as conn:
            return self._read_head(conn)

    def get(self, seq: int) -> StoredRecord | None:
        with self._connection() as conn:
            row = conn.execute(self._sql("SELECT * FROM records WHERE seq = ?"), (seq,)).fetchone()
            return stored_record(row, self._finding_dicts(conn, seq)) if row else None

    def records(self, since_utc: str | None = None) -> list[StoredRecord]:
        """All records in sequence order, or those recorded at or after `since_utc` (ISO, ...Z)."""
        return [stored_record(row, findings) for row, findings in self.raw_rows(since_utc)]

    def raw_rows(self, since_utc: str | None = None) -> Iterator[tuple[dict, list[dict]]]:
        """(record columns, finding rows) exactly as stored, for verification, export and migration."""
        with self._connection() as conn:
            query, params = "SELECT * FROM records ORDER BY seq", ()
            if since_utc:
                query, params = "SELECT * FROM records WHERE recorded_utc >= ? ORDER BY seq", (since_utc,)
            for row in conn.execute(self._sql(query), params).fetchall():
                yield dict(row), self._finding_dicts(conn, row["seq"])

    def hashes(self) -> dict[str, int]:
        """Every stored record hash -> its number (to tell a moved record from a rewritten one)."""
        with self._connection() as conn:
            return {row["hash"]: row["seq"] for row in conn.execute("SELECT hash, seq FROM records")}

    def orphan_finding_seqs(self) -> list[int]:
        """Record numbers that have finding rows but no record: evidence of a deleted record."""
        with self._connection() as conn:
            rows = conn.execute("SELECT DISTINCT record_seq FROM findings WHERE record_seq NOT IN "
                                "(SELECT seq FROM records) ORDER BY record_seq").fetchall()
            return [r["record_seq"] for r in rows]

    def missing_triggers(self) -> list[str]:
        with self._connection() as conn:
            present = self._trigger_names(conn)
        return [name for name in self.trigger_names() if name not in present]

    # --- what a back end provides -------------------------------------------------------------

    def trigger_names(self) -> list[str]:
        return list(TRIGGERS)

    def _sql(self, query: str) -> str:
        return query if self.PLACEHOLDER == "?" else query.replace("?", self.PLACEHOLDER)

    def _read_head(self, conn) -> Head:
        row = conn.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        return Head(row["seq"], row["hash"]) if row else Head(0, GENESIS_HASH)

    def _finding_dicts(self, conn, seq: int) -> list[dict]:
        rows = conn.execute(self._sql("SELECT * FROM findings WHERE record_seq = ? ORDER BY position"), (seq,))
        return [dict(r) for r in rows]

    def _now(self, conn) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    @contextlib.contextmanager
    def _connection(self) -> Iterator:
        """An open connection for one operation; the driver's errors become a plain AuditError."""
        conn = self._connect()
        try:
            self._configure(conn)
            yield conn
        except self._driver_errors() as exc:
            raise AuditError(f"审查记录库 {self.location} 无法读写：{self._describe(exc)}") from None
        finally:
            conn.close()

    def _describe(self, exc: Exception) -> str:
        return str(exc)

    def _connect(self):
        raise NotImplementedError

    def _configure(self, conn) -> None:
        raise NotImplementedError

    def _driver_errors(self) -> type[Exception] | tuple[type[Exception], ...]:
        raise NotImplementedError

    def _write_transaction(self, conn) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def _trigger_names(self, conn) -> set[str]:
        raise NotImplementedError


def stored_record(row, findings: list[dict]) -> StoredRecord:
    row = dict(row)
    record = AuditRecord(
        **{n: row[n] for n in RECORD_COLUMNS if n != "findings_count"},
        findings=tuple(FindingRow(**{n: f[n] for n in FINDING_COLUMNS}) for f in findings),
    )
    return StoredRecord(seq=row["seq"], prev_hash=row["prev_hash"], hash=row["hash"], record=record)
