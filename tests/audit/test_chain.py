"""The hash chain: every way of tampering is caught and named, on both back ends (a real SQLite
file, a real PostgreSQL server: see conftest.py)."""

import sqlite3
from itertools import pairwise

import pytest

from prepub_review.act.audit import AuditError, AuditLog, parse_head, verify
from prepub_review.act.audit.records import GENESIS_HASH, record_hash
from tests.audit.helpers import record
from tests.conftest import run_prepub, run_prepub_process


@pytest.fixture
def log(backend):
    log = AuditLog(backend.new_target())
    log.target = log.location if backend.name == "sqlite" else log.dsn
    log.tamper = lambda *statements: backend.raw_sql(log.target, *statements)
    for i in range(1, 6):
        log.append(record(i))
    return log


def problem(log, saved_head=None):
    result = verify(log, saved_head)
    assert not result.ok
    return result.problem


def test_intact_chain_verifies(log):
    result = verify(log)
    assert result.ok and result.count == 5 and result.warnings == []
    assert result.head == log.head() and result.head.seq == 5


def test_each_record_links_to_the_previous(log):
    stored = log.records()
    assert [s.seq for s in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in pairwise(stored))
    assert stored[2].record.reviewer == "审查员甲" and len(stored[2].record.findings) == 2
    assert stored[2].record.recorded_utc.endswith("Z") and stored[2].record.tool_version


@pytest.mark.parametrize("statement", [
    "UPDATE records SET reviewer = 'x' WHERE seq = 2",
    "DELETE FROM records WHERE seq = 5",
    "UPDATE findings SET masked_value = 'x' WHERE record_seq = 1",
    "DELETE FROM findings WHERE record_seq = 1",
])
def test_triggers_refuse_update_and_delete(log, backend, statement):
    with pytest.raises(backend.refused_error(), match="只能追加"):
        backend.raw_sql(log.target, statement, drop_triggers=False)
    assert verify(log).ok


def test_postgres_triggers_refuse_truncate(pg_backend):
    target = pg_backend.new_target()
    log = AuditLog(target)
    log.append(record(1))
    for table in ("findings", "records"):
        with pytest.raises(pg_backend.refused_error(), match="只能追加"):
            pg_backend.raw_sql(target, f"TRUNCATE {table} CASCADE", drop_triggers=False)
    assert verify(log).ok and verify(log).count == 1


@pytest.mark.parametrize("statements, seq, detail", [
    (["UPDATE records SET reviewer = '审查员乙' WHERE seq = 3"], 3, "字段或其发现项被修改"),
    (["UPDATE records SET publishes_personal_info = 0 WHERE seq = 5"], 5, "字段或其发现项被修改"),
    (["UPDATE findings SET decision = 'keep' WHERE record_seq = 2 AND position = 1"], 2, "字段或其发现项被修改"),
    (["DELETE FROM findings WHERE record_seq = 4 AND position = 2"], 4, "原有发现项 2 条，现存 1 条"),
    ([("INSERT INTO findings SELECT record_seq, 3, entity, label, rule_id, severity, location, masked_value, "
       "decision, reason, value_hmac, replacement FROM findings WHERE record_seq = 1 AND position = 1")],
     1, "原有发现项 2 条，现存 3 条"),
])
def test_changed_content_is_named(log, statements, seq, detail):
    log.tamper(*statements)
    found = problem(log)
    assert (found.seq, found.kind) == (seq, "changed")
    assert detail in found.detail


@pytest.mark.parametrize("deleted, expected_seq, detail", [
    ([3], 3, "序号从 2 跳到 4，第 3 号记录被删除"),
    ([1], 1, "序号从 0 跳到 2"),
    ([2, 3], 2, "第 2–3 号记录被删除"),
])
def test_missing_record_is_named(log, deleted, expected_seq, detail):
    ids = ", ".join(map(str, deleted))
    log.tamper(f"DELETE FROM findings WHERE record_seq IN ({ids})", f"DELETE FROM records WHERE seq IN ({ids})")
    found = problem(log)
    assert (found.seq, found.kind) == (expected_seq, "missing")
    assert detail in found.detail


def test_swapped_sequence_numbers_are_named_reordered(log):
    log.tamper(
            "UPDATE records SET seq = -3 WHERE seq = 3", "UPDATE records SET seq = 3 WHERE seq = 4",
            "UPDATE records SET seq = 4 WHERE seq = -3",
            "UPDATE findings SET record_seq = -3 WHERE record_seq = 3",
            "UPDATE findings SET record_seq = 3 WHERE record_seq = 4",
            "UPDATE findings SET record_seq = 4 WHERE record_seq = -3")
    found = problem(log)
    assert (found.seq, found.kind) == (3, "reordered")
    assert "本应接在第 4 号记录之后" in found.detail   # it was written after the record now numbered 4


def test_rewritten_and_rehashed_record_breaks_the_next_link(log):
    """An attacker who knows the algorithm re-hashes #3; #4 no longer links to it."""
    columns, findings = next(row for row in log.raw_rows() if row[0]["seq"] == 3)
    columns["reviewer"] = "审查员乙"
    new_hash = record_hash(3, columns["prev_hash"], columns, findings)
    log.tamper(f"UPDATE records SET reviewer = '审查员乙', hash = '{new_hash}' WHERE seq = 3")
    found = problem(log)
    assert (found.seq, found.kind) == (4, "reordered")
    assert "前一条记录被改写后重新计算了哈希" in found.detail


def test_truncated_tail_needs_the_saved_head(log):
    saved = str(log.head())
    log.tamper("DELETE FROM findings WHERE record_seq = 5", "DELETE FROM records WHERE seq = 5")
    assert verify(log).ok  # a clean cut of the tail is invisible without the saved head...
    found = problem(log, saved)  # ...and caught with it
    assert (found.seq, found.kind) == (5, "head_mismatch")
    assert "只有 4 条：链尾被截断" in found.detail
    found = problem(log, saved.split(":")[1])  # a bare hash works too
    assert found.kind == "head_mismatch" and "不在链中" in found.detail


def test_deleted_tail_record_with_findings_left_behind_is_missing(log):
    log.tamper("DELETE FROM records WHERE seq = 5")
    found = problem(log)
    assert (found.seq, found.kind) == (5, "missing")


def test_older_saved_head_still_verifies_after_growth(log):
    older = str(next(s for s in log.records() if s.seq == 3).seq) + ":" + log.records()[2].hash
    log.append(record(6))
    assert verify(log, older).ok


def test_saved_head_with_wrong_hash_is_a_mismatch(log):
    found = problem(log, "3:" + "ab" * 32)
    assert (found.seq, found.kind) == (3, "head_mismatch")


def test_empty_log_verifies_and_has_genesis_head(backend):
    log = AuditLog(backend.new_target("empty"))
    assert log.head().seq == 0 and verify(log).ok and verify(log, f"0:{GENESIS_HASH}").ok
    assert verify(log, "1:" + "ab" * 32).problem.kind == "head_mismatch"


def test_dropped_triggers_are_reported_as_a_warning(log):
    log.tamper()
    result = verify(log)
    assert result.ok and "触发器已被删除" in result.warnings[0]


@pytest.mark.parametrize("text, expected", [
    ("12:" + "A" * 64, (12, "a" * 64)),
    ("b" * 64, (None, "b" * 64)),
    (" 3:" + "c" * 64 + "\n", (3, "c" * 64)),
])
def test_parse_head(text, expected):
    assert parse_head(text) == expected


@pytest.mark.parametrize("text", ["12:abc", "x:" + "a" * 64, "", "g" * 64])
def test_parse_head_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_head(text)


def test_not_an_audit_database_is_a_clear_error(tmp_path):
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(AuditError, match="不是 prepub 审查记录库"):
        AuditLog(other)
    with pytest.raises(AuditError, match="不存在"):
        AuditLog(tmp_path / "nothing.sqlite3", create=False)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(AuditError):
        AuditLog(garbage)


# --- through the real command ------------------------------------------------------------------

def test_cli_verify_exit_codes_and_diagnosis(log):
    db = log.target
    run = run_prepub_process("audit", "verify", "--audit-db", db)
    assert run.code == 0 and "审查记录链完整：共 5 条记录" in run.stdout
    head = run_prepub("audit", "head", "--audit-db", db)
    assert head.code == 0 and head.stdout.strip().splitlines()[-1] == str(log.head())
    saved = head.stdout.strip().splitlines()[-1]

    log.tamper("DELETE FROM findings WHERE record_seq = 5", "DELETE FROM records WHERE seq = 5")
    assert run_prepub("audit", "verify", "--audit-db", db).code == 0
    run = run_prepub("audit", "verify", "--audit-db", db, "--head", saved)
    assert run.code == 1 and "链尾被截断" in run.stdout and "problem: head_mismatch seq=5" in run.stdout

    log.tamper("UPDATE records SET document_name = '另一文件.docx' WHERE seq = 2")
    run = run_prepub("audit", "verify", "--audit-db", db)
    assert run.code == 1
    assert "第 2 号记录：内容被改动" in run.stdout and "problem: changed seq=2" in run.stdout
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args", [
    ["audit", "verify", "--head", "not-a-hash"],
    ["audit", "verify"],
    ["audit", "head"],
    ["audit", "list"],
])
def test_cli_usage_and_io_errors_exit_2(tmp_path, args):
    run = run_prepub(*args, "--audit-db", str(tmp_path / "missing.sqlite3"))
    assert run.code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and run.stderr.strip()
    assert not (tmp_path / "missing.sqlite3").exists()  # reading never creates a database


def test_postgres_database_without_a_trail_is_a_clear_error(pg_backend):
    target = pg_backend.new_target()
    with pytest.raises(AuditError, match="没有 prepub 审查记录"):
        AuditLog(target, create=False)
    run = run_prepub("audit", "list", "--audit-db", target)
    assert run.code == 2 and "没有 prepub 审查记录" in run.stderr


def test_postgres_server_unreachable_is_a_clear_error_without_the_password():
    dsn = "postgresql://clerk:Secret-Pw-77@127.0.0.1:1/nowhere?connect_timeout=2"
    run = run_prepub("audit", "head", "--audit-db", dsn)
    assert run.code == 2 and "无法连接审查记录库" in run.stderr and "Traceback" not in run.stderr
    assert "Secret-Pw-77" not in run.stdout + run.stderr and "clerk:***@127.0.0.1" in run.stderr
