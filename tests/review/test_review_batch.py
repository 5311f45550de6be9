"""`prepub review --accept-all` and `--decisions FILE`: the same flow without a terminal.

The first test runs review and redact as real processes; the rest run in this process."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from prepub_review.act.audit import AuditLog, file_sha256
from tests.conftest import run_prepub
from tests.review.helpers import command, env, marked_docx, recipients_docx

TIMEOUT = 60


def run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """`prepub review ARGS` in this process (CliRunner), with the clean environment of env()."""
    done = run_prepub("review", *args, env=env(tmp_path))
    return subprocess.CompletedProcess(["prepub", "review", *args], done.code, done.stdout, done.stderr)


def run_process(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), check=False, env=env(tmp_path), capture_output=True, text=True, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


def records(tmp_path):
    db = tmp_path / "audit.sqlite3"
    return [r.record for r in AuditLog(db).records()] if db.exists() else []


def document_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_accept_all_writes_what_redact_writes(tmp_path):
    draft = recipients_docx(tmp_path)
    out = tmp_path / "out.docx"
    proc = run_process(tmp_path, str(draft.path), "--accept-all", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "审查汇总" in proc.stdout and "已写入审查记录：第 1 号" in proc.stdout
    redacted = subprocess.run([sys.executable, "-m", "prepub_review", "redact", str(draft.path), "-o",
                               str(tmp_path / "r.docx")],
                              capture_output=True, text=True, timeout=TIMEOUT, env=env(tmp_path), check=False)
    assert redacted.returncode == 0
    assert document_xml(out) == document_xml(tmp_path / "r.docx")      # the same code path
    [record] = records(tmp_path)
    assert record.conclusion == "publish_redacted" and record.output_sha256 == file_sha256(out)
    assert {row.decision for row in record.findings} == {"redact"} and len(record.findings) == 8


def test_decisions_file_keep_replace_and_publish(tmp_path):
    draft = recipients_docx(tmp_path)
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("""
decisions:
  - match: {entity: CN_ID_CARD, location: "表格1 第2行 第2列"}
    decision: keep
    reason: 已获本人同意
  - match: {entity: 电话号码, location: "表格1 第*行 第3列"}
    decision: replace
    replacement: （略）
conclusion: 去标识化后公开
reason: 按公示方案处理
""", encoding="utf-8")
    out = tmp_path / "out.docx"
    proc = run(tmp_path, str(draft.path), "--decisions", str(decisions), "-o", str(out), "--reviewer", "审查员丙")
    assert proc.returncode == 0, proc.stderr
    text = document_xml(out)
    assert draft.ids[0] in text and draft.ids[1] not in text and text.count("（略）") == 2
    [record] = records(tmp_path)
    assert record.reviewer == "审查员丙" and record.conclusion_reason == "按公示方案处理"
    assert [r.decision for r in record.findings].count("edit") == 2
    assert [r.reason for r in record.findings if r.decision == "keep"] == ["已获本人同意"]


def test_decisions_file_can_publish_as_is_without_writing(tmp_path):
    draft = recipients_docx(tmp_path)
    decisions = tmp_path / "d.json"
    decisions.write_text('{"decisions": [{"match": {"location": "表格1*"}, "decision": "keep", '
                         '"reason": "依法应当公开"}], "conclusion": "publish"}', encoding="utf-8")
    proc = run(tmp_path, str(draft.path), "--decisions", str(decisions), "-o", str(tmp_path / "out.docx"))
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "out.docx").exists()
    [record] = records(tmp_path)
    assert record.conclusion == "publish" and record.publishes_personal_info == 1 and record.output_sha256 is None


def test_a_confirmed_marking_withholds_the_document(tmp_path):
    path = marked_docx(tmp_path)
    proc = run(tmp_path, str(path), "--accept-all", "-o", str(tmp_path / "out.docx"))
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "out.docx").exists()
    [record] = records(tmp_path)
    assert record.conclusion == "withhold_secret" and "第十四条" in record.legal_basis
    assert record.findings[0].entity == "CLASSIFICATION_MARK" and record.findings[0].decision == "confirm"


def test_forcing_publish_redacted_on_a_marked_document_is_refused(tmp_path):
    path = marked_docx(tmp_path)
    decisions = tmp_path / "d.yaml"
    decisions.write_text("conclusion: publish_redacted\n", encoding="utf-8")
    proc = run(tmp_path, str(path), "--decisions", str(decisions), "-o", str(tmp_path / "out.docx"))
    assert proc.returncode == 1 and "密级" in proc.stderr
    assert not (tmp_path / "out.docx").exists() and records(tmp_path) == []


@pytest.mark.parametrize("setup,message", [
    (lambda tmp: ["--accept-all", "--decisions", str(tmp / "d.yaml")], "只能选一个"),
    (lambda tmp: ["--decisions", str(tmp / "missing.yaml")], "决定文件不存在"),
    (lambda tmp: ["--decisions", str(tmp / "bad.yaml")], "reason"),
    (lambda tmp: ["--accept-all", "--profile", "nope"], "去标识化方案"),
])
def test_usage_errors_exit_2_and_record_nothing(tmp_path, setup, message):
    draft = recipients_docx(tmp_path)
    (tmp_path / "d.yaml").write_text("[]", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("- {match: {entity: PERSON}, decision: keep}\n", encoding="utf-8")
    proc = run(tmp_path, str(draft.path), *setup(tmp_path))
    assert proc.returncode == 2 and message in proc.stderr
    assert records(tmp_path) == []


def test_existing_output_is_refused_before_the_review(tmp_path):
    draft = recipients_docx(tmp_path)
    (tmp_path / "out.docx").write_bytes(b"old")
    proc = run(tmp_path, str(draft.path), "--accept-all", "-o", str(tmp_path / "out.docx"))
    assert proc.returncode == 2 and "--force" in proc.stderr and records(tmp_path) == []
    proc = run(tmp_path, str(draft.path), "--accept-all", "-o", str(tmp_path / "out.docx"), "--force")
    assert proc.returncode == 0 and (tmp_path / "out.docx").read_bytes() != b"old"
