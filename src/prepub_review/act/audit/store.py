"""The audit database: one SQLite file, append-only, every record chained to the previous one.

Why it is safe with several writers and with crashes:
- WAL mode and a busy timeout: writers wait for each other instead of failing.
- `BEGIN IMMEDIATE` takes the write lock *before* the previous head is read, so two writers
  can never both chain onto the same head.
- A record and its finding rows go in one transaction: a process killed half-way leaves
  nothing behind (SQLite rolls the half-written transaction back on the next open).
Triggers refuse UPDATE and DELETE; someone who drops them is caught by `verify` (verify.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import Iterator
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
from prepub_review.errors import PrepubError

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 60
INTEGER_COLUMNS = {"publishes_personal_info", "findings_count"}
TRIGGERS = {
    "records_no_update": "BEFORE UPDATE ON records",
    "records_no_delete": "BEFORE DELETE ON records",
    "findings_no_update": "BEFORE UPDATE ON findings",
    "findings_no_delete": "BEFORE DELETE ON findings",
}


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


def _column_defs(names: list[str]) -> str:
    return ",\n  ".join(f"{n} {'INTEGER' if n in INTEGER_COLUMNS else 'TEXT'}" for n in names)


SCHEMA = [
    f"""CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  {_column_defs(RECORD_COLUMNS)}
) STRICT""",
    f"""CREATE TABLE findings (
  record_seq INTEGER NOT NULL REFERENCES records(seq),
  position INTEGER NOT NULL,
  {_column_defs(FINDING_COLUMNS)},
  PRIMARY KEY (record_seq, position)
) STRICT""",
    "CREATE INDEX records_by_time ON records(recorded_utc)",
    *(f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '审查记录只能追加，不能修改或删除'); END"
      for name, when in TRIGGERS.items()),
    f"PRAGMA user_version = {SCHEMA_VERSION}",
]


class AuditLog:
    """`AuditLog(path).append(record) -> Head`; reading: `head()`, `records()`, `get(seq)`."""

    def __init__(self, path: Path, *, create: bool = True):
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise AuditError(f"审查记录库不存在：{self.path}（尚未写入任何记录，或路径有误）")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AuditError(f"无法创建审查记录库目录 {self.path.parent}：{exc.strerror}") from None
        with self._connection() as conn:
            self._ensure_schema(conn, create)

    # --- writing ----------------------------------------------------------------------------

    def append(self, record: AuditRecord) -> Head:
        """Adds `record` (with its finding rows) at the end of the chain; returns the new head."""
        validate(record)
        with self._connection() as conn, _write_transaction(conn):
            return self._append_locked(conn, record)

    def _append_locked(self, conn: sqlite3.Connection, record: AuditRecord) -> Head:
        now = datetime.now(UTC).replace(microsecond=0)
        record = dataclasses.replace(
            record,
            recorded_utc=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            recorded_local=now.astimezone().isoformat(),
            tool_version=record.tool_version or __version__,
        )
        columns = record.columns()
        findings = [dataclasses.asdict(row) for row in record.findings]
        previous = _read_head(conn)   # inside the write lock: no other writer can move the head now
        seq = previous.seq + 1
        digest = record_hash(seq, previous.hash, columns, findings)
        names = ["seq", "prev_hash", "hash", *RECORD_COLUMNS]
        conn.execute(f"INSERT INTO records ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                     [seq, previous.hash, digest, *(columns[n] for n in RECORD_COLUMNS)])
        names = ["record_seq", "position", *FINDING_COLUMNS]
        conn.executemany(f"INSERT INTO findings ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                         ([seq, i, *(row[n] for n in FINDING_COLUMNS)] for i, row in enumerate(findings, 1)))
        return Head(seq, digest)

    # --- reading ----------------------------------------------------------------------------

    def head(self) -> Head:
        with self._connection() as conn:
            return _read_head(conn)

    def get(self, seq: int) -> StoredRecord | None:
        with self._connection() as conn:
            row = conn.execute("SELECT * FROM records WHERE seq = ?", (seq,)).fetchone()
            return _stored(row, _finding_dicts(conn, seq)) if row else None

    def records(self, since_utc: str | None = None) -> list[StoredRecord]:
        """All records in sequence order, or those recorded at or after `since_utc` (ISO, ...Z)."""
        return [_stored(row, findings) for row, findings in self.raw_rows(since_utc)]

    def raw_rows(self, since_utc: str | None = None) -> Iterator[tuple[dict, list[dict]]]:
        """(record columns, finding rows) exactly as stored, for verification and export."""
        with self._connection() as conn:
            query, params = "SELECT * FROM records ORDER BY seq", ()
            if since_utc:
                query, params = "SELECT * FROM records WHERE recorded_utc >= ? ORDER BY seq", (since_utc,)
            for row in conn.execute(query, params).fetchall():
                yield dict(row), _finding_dicts(conn, row["seq"])

    def hashes(self) -> dict[str, int]:
        """Every stored record hash -> its number (to tell a moved record from a rewritten one)."""
        with self._connection() as conn:
            return {row[0]: row[1] for row in conn.execute("SELECT hash, seq FROM records")}

    def orphan_finding_seqs(self) -> list[int]:
        """Record numbers that have finding rows but no record: evidence of a deleted record."""
        with self._connection() as conn:
            rows = conn.execute("SELECT DISTINCT record_seq FROM findings WHERE record_seq NOT IN "
                                "(SELECT seq FROM records) ORDER BY record_seq").fetchall()
            return [r[0] for r in rows]

    def missing_triggers(self) -> list[str]:
        with self._connection() as conn:
            present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            return [name for name in TRIGGERS if name not in present]

    # --- plumbing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise AuditError(f"无法打开审查记录库 {self.path}：{exc}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")   # a committed record survives a power cut
            yield conn
        except sqlite3.DatabaseError as exc:
            raise AuditError(f"审查记录库 {self.path} 无法读写：{exc}") from None
        finally:
            conn.close()

    def _ensure_schema(self, conn: sqlite3.Connection, create: bool) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise AuditError(f"审查记录库 {self.path} 由更新版本的 prepub 创建，请升级 prepub")
        if not create:
            raise AuditError(f"{self.path} 不是 prepub 审查记录库")
        conn.execute("PRAGMA journal_mode = WAL")   # persistent: set once, in the file
        with _write_transaction(conn):
            if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return  # another process created it while we waited for the lock
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise AuditError(f"{self.path} 已是其他程序的数据库，不是 prepub 审查记录库")
            for statement in SCHEMA:
                conn.execute(statement)


@contextlib.contextmanager
def _write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")   # the write lock, taken before anything is read
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _read_head(conn: sqlite3.Connection) -> Head:
    row = conn.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(row[0], row[1]) if row else Head(0, GENESIS_HASH)


def _finding_dicts(conn: sqlite3.Connection, seq: int) -> list[dict]:
    rows = conn.execute("SELECT * FROM findings WHERE record_seq = ? ORDER BY position", (seq,))
    return [dict(r) for r in rows]


def _stored(row: sqlite3.Row | dict, findings: list[dict]) -> StoredRecord:
    row = dict(row)
    record = AuditRecord(
        **{n: row[n] for n in RECORD_COLUMNS if n != "findings_count"},
        findings=tuple(FindingRow(**{n: f[n] for n in FINDING_COLUMNS}) for f in findings),
    )
    return StoredRecord(seq=row["seq"], prev_hash=row["prev_hash"], hash=row["hash"], record=record)
