"""Several writers at once lose nothing; a writer killed with SIGKILL leaves a verifiable database.
Each test runs against both back ends (a SQLite file, a real PostgreSQL server: conftest.py)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from prepub_review.act.audit import AuditLog, verify
from tests.audit.helpers import record
from tests.conftest import ROOT

pytestmark = pytest.mark.slow   # every test runs real processes: scheduled first

WRITER = """
import sys, time
from prepub_review.act.audit import AuditLog
from tests.audit.helpers import record
db, writer, count, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
time.sleep(max(0.0, start - time.time()))   # all writers start together
for i in range(count):
    AuditLog(db).append(record(writer * 1000 + i, findings=3, reviewer=f"审查员{writer}"))
"""

KILLED_MID_TRANSACTION = """
import sys, time
from prepub_review.act.audit import AuditLog
from tests.audit.helpers import record
log = AuditLog(sys.argv[1])
with log._connection() as conn, log._write_transaction(conn):
    log._append_locked(conn, record(99, findings=20000))   # written, not yet committed
    print("written", flush=True)
    time.sleep(120)
"""

ENDLESS_WRITER = """
import sys
from prepub_review.act.audit import AuditLog
from tests.audit.helpers import record
log = AuditLog(sys.argv[1])
for i in range(10_000):
    log.append(record(i, findings=3000))
"""


def spawn(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_writers_lose_nothing(backend):
    db = backend.new_target("shared/audit")   # not created yet: the writers race to create it too
    writers, each = 6, 8
    start = time.time() + 2.0
    procs = [spawn(WRITER, db, w, each, start) for w in range(1, writers + 1)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    log = AuditLog(db)
    result = verify(log)
    assert result.ok, result.problem
    assert result.count == writers * each
    stored = log.records()
    assert [s.seq for s in stored] == list(range(1, writers * each + 1))
    names = sorted(s.record.document_name for s in stored)
    assert names == sorted(f"公示{w * 1000 + i}.docx" for w in range(1, writers + 1) for i in range(each))
    assert all(len(s.record.findings) == 3 for s in stored)


def test_killed_in_the_middle_of_a_write_leaves_nothing_half_written(backend):
    db = backend.new_target()
    log = AuditLog(db)
    for i in range(3):
        log.append(record(i))
    child = spawn(KILLED_MID_TRANSACTION, db)
    try:
        assert child.stdout.readline().strip() == "written", child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    result = verify(log)
    assert result.ok and result.count == 3
    assert log.append(record(4)).seq == 4     # the dead writer's lock is gone
    assert verify(log).ok


@pytest.mark.parametrize("wait_for_records", [1, 3])
def test_killed_at_an_arbitrary_moment_leaves_a_verifiable_chain(backend, wait_for_records):
    db = backend.new_target()
    AuditLog(db)
    child = spawn(ENDLESS_WRITER, db)
    deadline = time.time() + 60
    try:
        while AuditLog(db).head().seq < wait_for_records:
            assert child.poll() is None, child.stderr.read()
            assert time.time() < deadline
            time.sleep(0.05)
        time.sleep(0.1 * wait_for_records)   # somewhere inside the next append
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    log = AuditLog(db)
    result = verify(log)
    assert result.ok, result.problem
    assert result.count >= wait_for_records
    assert all(len(s.record.findings) == 3000 for s in log.records())


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")                 # a writer's lock on a brand-new (not yet WAL) file
conn.execute("CREATE TABLE IF NOT EXISTS other_program (x)")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def test_creating_a_database_waits_for_another_writer_instead_of_failing(tmp_path):
    """Issue 7: switching a new file to WAL answered "database is locked" at once, outside the busy
    timeout, while another process held a lock on it (as racing creators do)."""
    db = tmp_path / "new.sqlite3"
    holder = spawn(HOLD_WRITE_LOCK, db, 1.5)
    assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
    log = AuditLog(db)                               # must wait for the lock, then create the schema
    holder.communicate(timeout=30)
    assert log.append(record(1)).seq == 1 and verify(log).ok
