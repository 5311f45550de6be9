"""The audit trail in one SQLite file: the default, for the processes of ONE machine.

Why it is safe with several writers on this machine and with crashes:
- WAL mode and a busy timeout: writers wait for each other instead of failing.
- `BEGIN IMMEDIATE` is the write lock (see store.py for the append rule).
- SQLite rolls a half-written transaction back on the next open.
Not on a network share: its file locks are unreliable there and WAL does not work at all
(SQLite's own documentation), so such a path is refused unless the user insists (location.py).
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from prepub_review.act.audit.location import network_share
from prepub_review.act.audit.records import FINDING_COLUMNS, RECORD_COLUMNS
from prepub_review.act.audit.store import (
    APPEND_ONLY_MESSAGE,
    SCHEMA_VERSION,
    TRIGGERS,
    AuditError,
    AuditLog,
    column_defs,
)

BUSY_TIMEOUT_S = 60

SCHEMA = [
    f"""CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  {column_defs(RECORD_COLUMNS)}
) STRICT""",
    f"""CREATE TABLE findings (
  record_seq INTEGER NOT NULL REFERENCES records(seq),
  position INTEGER NOT NULL,
  {column_defs(FINDING_COLUMNS)},
  PRIMARY KEY (record_seq, position)
) STRICT""",
    "CREATE INDEX records_by_time ON records(recorded_utc)",
    *(f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
      for name, when in TRIGGERS.items()),
    f"PRAGMA user_version = {SCHEMA_VERSION}",
]


def refuse_network_share(path: Path) -> None:
    kind = network_share(path)
    if kind:
        raise AuditError(
            f"审查记录库 {path} 位于网络共享（{kind}）上。SQLite 文件放在共享盘上不可靠：文件锁可能失效、"
            f"WAL 模式无法工作，多人同时写入会丢记录甚至损坏库。多台电脑共用审查记录时，请改用 PostgreSQL："
            f"--audit-db postgresql://用户@服务器/数据库（见 README「多人共用审查记录」）。"
            f"确需在共享盘上使用 SQLite（只有一台电脑写入）时，加 --i-know-sqlite-on-a-share，"
            f"或在配置文件中写 allow_sqlite_on_share: true。")


class SqliteAuditLog(AuditLog):
    def __init__(self, path: Path | str, *, create: bool = True, allow_share: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        if not allow_share:
            refuse_network_share(self.path)
        if not self.path.exists():
            if not create:
                raise AuditError(f"审查记录库不存在：{self.path}（尚未写入任何记录，或路径有误）")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AuditError(f"无法创建审查记录库目录 {self.path.parent}：{exc.strerror}") from None
        with self._connection() as conn:
            self._ensure_schema(conn, create)

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise AuditError(f"无法打开审查记录库 {self.path}：{exc}") from None

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")   # a committed record survives a power cut

    def _driver_errors(self) -> type[Exception]:
        return sqlite3.DatabaseError

    @contextlib.contextmanager
    def _write_transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("BEGIN IMMEDIATE")   # the write lock, taken before anything is read
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _trigger_names(self, conn: sqlite3.Connection) -> set[str]:
        return {r["name"] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}

    def _ensure_schema(self, conn: sqlite3.Connection, create: bool) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise AuditError(f"审查记录库 {self.path} 由更新版本的 prepub 创建，请升级 prepub")
        if version < SCHEMA_VERSION:
            if not create:
                raise AuditError(f"{self.path} 不是 prepub 审查记录库")
            with self._write_transaction(conn):   # waits (busy timeout) for a racing creator
                self._create_schema(conn)
        _use_wal(conn)

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return   # another process created it while we waited for the lock
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise AuditError(f"{self.path} 已是其他程序的数据库，不是 prepub 审查记录库")
        for statement in SCHEMA:
            conn.execute(statement)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (persistent, once). The switch needs an exclusive lock and SQLite
    answers "database is locked" at once, without the busy timeout, while another connection
    holds a lock, as happens when several processes create the database together: so wait here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return   # still usable in its old journal mode; the next open tries again
        time.sleep(0.02 + random.random() * 0.05)
