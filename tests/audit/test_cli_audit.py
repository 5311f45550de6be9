"""`prepub check --audit` and `prepub audit list/show/export`: check and redact through real processes,
the rest in this process (run_prepub: the same entry point under click's CliRunner)."""

import csv
import io
import json
import random

import openpyxl
import pytest

from prepub_review.act.audit import AuditLog, verify
from tests import synth
from tests.audit.helpers import db_bytes, record
from tests.conftest import run_prepub, run_prepub_process


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Two documents checked with --audit into a fresh database (and a private config dir)."""
    base = tmp_path_factory.mktemp("audit_cli")
    rng = random.Random(7)
    raw_id = synth.cn_id(rng)
    block = base / "公示.txt"
    block.write_text(f"X民发〔2026〕12号\n城南街道低保对象公示\n户主：李桂芬 身份证号：{raw_id}\n", encoding="utf-8")
    clean = base / "年报.txt"
    clean.write_text("2025年政府信息公开工作年度报告\n本机关全年主动公开政府信息120条。\n", encoding="utf-8")
    db = base / "audit.sqlite3"
    with pytest.MonkeyPatch.context() as patch:   # the key file goes to a private config dir
        patch.setenv("XDG_CONFIG_HOME", str(base / "config"))
        patch.delenv("PREPUB_AUDIT_KEY", raising=False)
        run = run_prepub_process("check", "--format", "json", "--audit", "--audit-db", str(db), str(block), str(clean))
    return base, db, raw_id, run


def test_check_audit_appends_one_record_per_document(checked):
    base, db, raw_id, run = checked
    assert run.code == 1, run.stderr
    json.loads(run.stdout)                       # stdout stays one JSON object
    assert "已写入 2 条审查记录" in run.stderr
    log = AuditLog(db, create=False)
    assert verify(log).ok
    first, second = log.records()
    assert (first.record.kind, first.record.conclusion, first.record.conclusion_label) == ("check", "block", "不得发布")
    assert first.record.title == "城南街道低保对象公示" and first.record.doc_number == "X民发〔2026〕12号"
    assert first.record.document_sha256 and len(first.record.rules_digest) == 64
    id_rows = [f for f in first.record.findings if f.entity == "CN_ID_CARD"]
    assert id_rows and id_rows[0].masked_value == f"{raw_id[:6]}********{raw_id[-4:]}"
    assert id_rows[0].decision == "detected" and id_rows[0].value_hmac
    assert second.record.conclusion == "pass" and second.record.findings == ()
    assert raw_id.encode() not in db_bytes(db)
    assert (base / "config" / "prepub" / "audit.key").exists()


def test_list_and_show(checked):
    _, db, raw_id, _ = checked
    run = run_prepub("audit", "list", "--audit-db", str(db))
    assert run.code == 0 and "公示.txt" in run.stdout and "不得发布" in run.stdout and "年报.txt" in run.stdout
    run = run_prepub("audit", "show", "1", "--audit-db", str(db))
    assert run.code == 0
    assert "X民发〔2026〕12号" in run.stdout and "身份证号" in run.stdout and "仅检出" in run.stdout
    assert raw_id not in run.stdout
    run = run_prepub("audit", "show", "99", "--audit-db", str(db))
    assert run.code == 2 and "没有第 99 号审查记录" in run.stderr


def test_export_csv_has_bom_and_chinese_headers(checked):
    base, db, _, _ = checked
    out = base / "台账.csv"
    run = run_prepub("audit", "export", "--format", "csv", "-o", str(out), "--audit-db", str(db))
    assert run.code == 0, run.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0])[:4] == ["序号", "审查时间", "类型", "文件名称"]
    assert {"审查人", "批准人", "审查结论", "依据", "是否公开个人信息", "发现项数", "记录哈希"} <= set(rows[0])
    assert [r["序号"] for r in rows] == ["1", "2"]
    assert rows[0]["标题/文号"] == "城南街道低保对象公示 X民发〔2026〕12号" and rows[0]["审查结论"] == "不得发布"


def test_export_xlsx_and_json(checked):
    base, db, raw_id, _ = checked
    out = base / "台账.xlsx"
    assert run_prepub("audit", "export", "--format", "xlsx", "-o", str(out), "--audit-db", str(db)).code == 0
    book = openpyxl.load_workbook(out)
    ledger, details = book["保密审查台账"], book["发现项明细"]
    assert [c.value for c in ledger[1]][:3] == ["序号", "审查时间", "类型"] and ledger.max_row == 3
    assert details.max_row > 1 and all(raw_id not in str(c.value) for row in details.iter_rows() for c in row)
    run = run_prepub("audit", "export", "--format", "json", "--audit-db", str(db))
    records = json.loads(run.stdout)["records"]
    assert [r["seq"] for r in records] == [1, 2] and records[0]["findings"][0]["masked_value"]
    assert run_prepub("audit", "export", "--format", "xlsx", "--audit-db", str(db)).code == 2  # needs -o


def test_since_filters_by_local_date(tmp_path):
    db = tmp_path / "a.sqlite3"
    AuditLog(db).append(record(1))
    assert "公示1.docx" in run_prepub("audit", "list", "--since", "2000-01-01", "--audit-db", str(db)).stdout
    run = run_prepub("audit", "list", "--since", "2999-01-01", "--audit-db", str(db))
    assert run.code == 0 and "没有审查记录" in run.stdout
    run = run_prepub("audit", "export", "--format", "json", "--since", "2999-01-01", "--audit-db", str(db))
    assert json.loads(run.stdout)["records"] == []
    assert run_prepub("audit", "list", "--since", "yesterday", "--audit-db", str(db)).code == 2


def test_formula_like_names_are_exported_as_text(tmp_path):
    from prepub_review.act.audit.export import to_csv

    log = AuditLog(tmp_path / "a.sqlite3")
    log.append(record(1, document_name="=HYPERLINK(\"http://x\")"))
    assert "'=HYPERLINK" in to_csv(log.records())


def test_redact_audit_appends_a_redact_record_without_raw_values(tmp_path):
    import random

    import docx

    from tests import synth
    number = synth.cn_id(random.Random(9))
    source = tmp_path / "名单.docx"
    document = docx.Document()
    document.add_paragraph("临时救助对象公示")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "户主姓名", "身份证号"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "王建华", number
    document.save(source)
    db = tmp_path / "audit.sqlite3"
    run = run_prepub_process("redact", str(source), "--audit-db", str(db))
    assert run.code == 0, run.stderr
    assert "审查记录第 1 号" in run.stderr
    shown = run_prepub("audit", "show", "1", "--audit-db", str(db))
    assert shown.code == 0, shown.stderr
    assert "去标识化" in shown.stdout and "身份证号" in shown.stdout
    assert number not in db.read_bytes().decode("latin-1")
    assert run_prepub("audit", "verify", "--audit-db", str(db)).code == 0
