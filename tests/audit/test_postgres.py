"""What only the PostgreSQL back end has: migration from SQLite, credentials, server-side times.
Needs a real server (PREPUB_TEST_PG_DSN, see conftest.py)."""

from __future__ import annotations

import os
import secrets
from urllib.parse import urlsplit

import pytest

from prepub_review.act.audit import AuditLog, verify
from tests.audit.conftest import make_backend, superuser_sql, with_database
from tests.audit.helpers import decided_record, record
from tests.conftest import run_prepub

# .ci/postgres.sh gives the members of this group role password (scram) authentication in pg_hba.conf
# ("+prepub_pw"). Each test logs in as a member role of its own: tests in parallel workers that shared one
# role would change each other's password.
PASSWORD_GROUP = "prepub_pw"


def test_migrate_copies_the_chain_exactly_and_checks_the_copy(tmp_path, pg_backend):
    source = tmp_path / "old.sqlite3"
    old = AuditLog(source)
    for i in range(1, 5):
        old.append(record(i))
    old.append(decided_record(5))
    target = pg_backend.new_target()
    run = run_prepub("audit", "migrate", "--from", str(source), "--to", target)
    assert run.code == 0, run.stderr
    assert "已复制 5 条记录" in run.stdout and "迁移完成并已校验：共 5 条记录" in run.stdout
    new = AuditLog(target, create=False)
    assert [s for s in new.records()] == [s for s in old.records()]     # every field, every finding row
    assert verify(new, str(old.head())).ok
    assert run_prepub("audit", "verify", "--audit-db", target, "--head", str(old.head())).code == 0
    assert new.append(record(6)).seq == 6 and verify(new).ok              # and the chain goes on

    again = run_prepub("audit", "migrate", "--from", str(source), "--to", target)
    assert again.code == 2 and "已有记录" in again.stderr


def test_migrate_refuses_a_broken_source_and_copies_nothing(tmp_path, pg_backend):
    backend = make_backend("sqlite", tmp_path)
    source = backend.new_target("old")
    old = AuditLog(source)
    for i in range(1, 4):
        old.append(record(i))
    backend.raw_sql(source, "UPDATE records SET reviewer = '审查员乙' WHERE seq = 2")
    target = pg_backend.new_target()
    run = run_prepub("audit", "migrate", "--from", source, "--to", target)
    assert run.code == 1 and "原库的哈希链已被破坏，未迁移" in run.stdout and "第 2 号记录" in run.stdout
    assert run_prepub("audit", "head", "--audit-db", target).code == 2   # nothing was created there


@pytest.fixture
def password_role(pg_backend):
    """A role of its own that must give a password (scram), and a database it owns; skipped (by the tests)
    if the server trusts everyone."""
    role, password = f"{PASSWORD_GROUP}_{secrets.token_hex(4)}", "Pw-" + secrets.token_hex(8)
    superuser_sql(pg_backend.dsn, CREATE_GROUP, f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE {PASSWORD_GROUP}")
    target = pg_backend.new_target()
    database = urlsplit(target).path.lstrip("/")
    superuser_sql(pg_backend.dsn, f"ALTER DATABASE {database} OWNER TO {role}")
    host = urlsplit(pg_backend.dsn).hostname
    port = urlsplit(pg_backend.dsn).port or 5432
    yield {"role": role, "password": password, "host": host, "port": port, "database": database,
           "with_password": f"postgresql://{role}:{password}@{host}:{port}/{database}",
           "without_password": f"postgresql://{role}@{host}:{port}/{database}"}
    superuser_sql(pg_backend.dsn, f"DROP DATABASE {database} WITH (FORCE)", f"DROP ROLE {role}")


# Several workers may create the group at once: the loser of that race sees it exist, which is fine.
CREATE_GROUP = f"""DO $$ BEGIN CREATE ROLE {PASSWORD_GROUP} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"""


def test_a_password_in_the_dsn_never_reaches_output_or_records(tmp_path, pg_backend, password_role, monkeypatch):
    draft = tmp_path / "公示.txt"
    draft.write_text("城南街道低保对象公示\n联系人：王建华 13812345678\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dsn = password_role["with_password"]
    runs = [run_prepub("check", "--audit", "--audit-db", dsn, str(draft)),
            run_prepub("audit", "head", "--audit-db", dsn),
            run_prepub("audit", "list", "--audit-db", dsn),
            run_prepub("audit", "export", "--format", "json", "--audit-db", dsn)]
    assert runs[0].code == 1 and "已写入 1 条审查记录" in runs[0].stderr
    assert f"{password_role['role']}:***@" in runs[0].stderr + runs[1].stdout
    for run in runs:
        assert password_role["password"] not in run.stdout + run.stderr
    stored = pg_backend.stored_bytes(with_database(pg_backend.dsn, password_role["database"]))
    assert stored and password_role["password"].encode() not in stored and b"postgresql://" not in stored


def test_libpq_password_file_and_environment_are_used(tmp_path, password_role, monkeypatch):
    """The password comes from a password file (PGPASSFILE / ~/.pgpass), as libpq users expect."""
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"{password_role['host']}:{password_role['port']}:{password_role['database']}:"
                        f"{password_role['role']}:{password_role['password']}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    monkeypatch.setenv("PREPUB_AUDIT_DB", password_role["without_password"])   # the DSN from the environment
    AuditLog(password_role["without_password"]).append(record(1))
    run = run_prepub("audit", "verify")
    assert run.code == 0 and "共 1 条记录" in run.stdout, run.stderr

    monkeypatch.delenv("PGPASSFILE")
    monkeypatch.setenv("PGPASSWORD", "definitely-wrong-" + password_role["password"][:4])
    run = run_prepub("audit", "verify")
    if "无法连接" not in run.stderr:
        pytest.skip("this server does not ask for passwords (pg_hba.conf trusts every role)")
    assert run.code == 2 and "password authentication failed" in run.stderr and "Traceback" not in run.stderr
    assert os.environ["PGPASSWORD"] not in run.stderr


def test_config_file_names_the_postgres_trail(tmp_path, pg_backend, monkeypatch):
    target = pg_backend.new_target()
    config = tmp_path / "config.yaml"
    config.write_text(f"audit_db: {target}\n", encoding="utf-8")
    monkeypatch.setenv("PREPUB_CONFIG", str(config))
    monkeypatch.delenv("PREPUB_AUDIT_DB", raising=False)
    AuditLog(target).append(record(1))
    run = run_prepub("audit", "head")
    assert run.code == 0 and run.stdout.strip().splitlines()[-1] == str(AuditLog(target).head())


def test_record_times_come_from_the_server_in_chain_order(pg_backend):
    log = AuditLog(pg_backend.new_target())
    for i in range(3):
        log.append(record(i))
    times = [s.record.recorded_utc for s in log.records()]
    assert times == sorted(times) and all(t.endswith("Z") for t in times)
