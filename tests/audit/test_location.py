"""Where the trail may live: SQLite refused on network shares (NFS, CIFS/SMB, Windows UNC paths)
unless the user insists; DSNs shown without passwords; Windows paths in the config file."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from prepub_review import config
from prepub_review.act.audit import AuditError, AuditLog
from prepub_review.act.audit.location import is_unc_path, mask_dsn, network_share, scrub_secret
from tests.audit.helpers import record
from tests.conftest import run_prepub

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
fileserver:/export/office /mnt/office nfs4 rw,relatime,vers=4.2 0 0
//nas/保密审查 /mnt/share cifs rw,vers=3.0 0 0
/dev/sdb1 /mnt/share/local-disk ext4 rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/mnt/office/审查/audit.sqlite3", "nfs4"),
    ("/mnt/share/audit.sqlite3", "cifs"),
    ("/mnt/share/local-disk/audit.sqlite3", None),     # a local disk mounted inside the share
    ("/mnt/officework/audit.sqlite3", None),           # a prefix of a mount point is not inside it
    ("/home/clerk/audit.sqlite3", None),
])
def test_network_filesystems_are_found_from_the_mount_table(path, kind):
    assert network_share(path, MOUNTS) == kind


@pytest.mark.parametrize("text, unc", [
    (r"\\fileserver\保密办\audit.sqlite3", True),
    ("//fileserver/share/audit.sqlite3", True),
    (r"C:\Users\clerk\audit.sqlite3", False),
    (r"Z:\audit.sqlite3", False),
    ("/home/clerk/audit.sqlite3", False),
])
def test_unc_paths_are_recognised_as_windows_reads_them(text, unc):
    assert is_unc_path(text) is unc
    assert (PureWindowsPath(text).drive.startswith("\\\\")) is unc


def test_sqlite_on_a_share_is_refused_with_a_pointer_to_postgres(tmp_path):
    share = r"\\fileserver\保密办\audit.sqlite3"
    with pytest.raises(AuditError, match="PostgreSQL"):
        AuditLog(share)
    run = run_prepub("audit", "list", "--audit-db", share)
    assert run.code == 2 and "网络共享" in run.stderr and "postgresql://" in run.stderr
    assert "--i-know-sqlite-on-a-share" in run.stderr and "Traceback" not in run.stderr
    draft = tmp_path / "a.txt"
    draft.write_text("年度报告\n", encoding="utf-8")
    run = run_prepub("check", "--audit-db", share, str(draft))
    assert run.code == 2 and "网络共享" in run.stderr


def test_the_user_may_insist_by_flag_or_config(tmp_path, monkeypatch):
    # A UNC name on Linux is an ordinary (odd) file name in the working directory: it can be created.
    share = r"\\fileserver\share\audit.sqlite3"
    run = run_prepub("check", "--audit-db", share, "--i-know-sqlite-on-a-share", str(write_draft(tmp_path)),
                     cwd=tmp_path)
    assert run.code == 0 and "已写入 1 条审查记录" in run.stderr, run.stderr
    assert run_prepub("audit", "verify", "--audit-db", share, cwd=tmp_path).code == 2
    settings = tmp_path / "config.yaml"
    settings.write_text("allow_sqlite_on_share: true\n", encoding="utf-8")
    monkeypatch.setenv("PREPUB_CONFIG", str(settings))
    run = run_prepub("audit", "verify", "--audit-db", share, cwd=tmp_path)
    assert run.code == 0 and "共 1 条记录" in run.stdout
    assert AuditLog(tmp_path / share, allow_share=True).head().seq == 1


def write_draft(tmp_path: Path) -> Path:
    draft = tmp_path / "年报.txt"
    draft.write_text("2025年政府信息公开工作年度报告\n", encoding="utf-8")
    return draft


@pytest.mark.parametrize("dsn, shown", [
    ("postgresql://clerk:p%40ss@db.example:5432/audit", "postgresql://clerk:***@db.example:5432/audit"),
    ("postgresql://clerk@db.example/audit?sslmode=require&password=xyz",
     "postgresql://clerk@db.example/audit?sslmode=require&password=***"),
    ("postgres://db.example/audit", "postgres://db.example/audit"),
])
def test_dsn_passwords_are_masked(dsn, shown):
    assert mask_dsn(dsn) == shown


def test_driver_messages_are_scrubbed_of_the_password():
    dsn = "postgresql://clerk:Hunter2x@db/audit"
    assert "Hunter2x" not in scrub_secret("failed: password=Hunter2x for clerk", dsn)
    assert scrub_secret("host=db password='a b' port=1", "postgresql://db/x") == "host=db password=*** port=1"


@pytest.mark.parametrize("value, expected", [
    (r"C:\审查记录\audit.sqlite3", PureWindowsPath(r"C:\审查记录\audit.sqlite3")),
    (r"\\fileserver\保密办\audit.sqlite3", PureWindowsPath(r"\\fileserver\保密办\audit.sqlite3")),
])
def test_windows_paths_in_the_config_file_are_absolute(tmp_path, monkeypatch, value, expected):
    """A config written on Windows keeps its absolute paths: never joined to the config directory."""
    settings = tmp_path / "config.yaml"
    settings.write_text(f"audit_db: '{value}'\naudit_key: '{value}.key'\n", encoding="utf-8")
    loaded = config.load_config(settings)
    assert PureWindowsPath(str(loaded.audit_db)) == expected
    assert PureWindowsPath(str(loaded.audit_key)) == PureWindowsPath(str(expected) + ".key")
    assert config.is_windows_absolute(value)
    assert not config.is_windows_absolute("审查记录/audit.sqlite3")
    assert config.load_config(write_config(tmp_path, "audit_db: 记录/a.sqlite3\n")).audit_db == tmp_path / "记录/a.sqlite3"


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "relative.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_postgres_urls_stay_text_everywhere(monkeypatch, tmp_path):
    dsn = "postgresql://clerk@db.example/audit"
    assert config.audit_db_path(dsn) == dsn
    monkeypatch.setenv("PREPUB_AUDIT_DB", dsn)
    assert config.audit_db_path() == dsn
    monkeypatch.delenv("PREPUB_AUDIT_DB")
    monkeypatch.setenv("PREPUB_CONFIG", str(write_config(tmp_path, f"audit_db: {dsn}\n")))
    assert config.audit_db_path() == dsn


def test_a_local_sqlite_file_is_not_a_share(tmp_path):
    assert network_share(tmp_path / "audit.sqlite3") is None
    assert AuditLog(tmp_path / "audit.sqlite3").append(record(1)).seq == 1
