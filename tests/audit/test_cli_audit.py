"""`prepub check --audit` and `prepub audit list/show/export` on both back ends (a SQLite file and
a real PostgreSQL server: conftest.py); check and redact through real processes, the rest in this
process (run_prepub: the same entry point under click's CliRunner)."""

import csv
import io
import json
import os
import random
import re
import sys

import openpyxl
import pytest

from prepub_review.act.audit import AuditLog, verify
from tests import synth
from tests.audit.conftest import make_backend
from tests.audit.helpers import decided_record, record
from tests.conftest import run_prepub, run_prepub_process


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def checked(request, tmp_path_factory):
    """Two documents checked with --audit into a fresh database (and a private config dir)."""
    base = tmp_path_factory.mktemp("audit_cli")
    backend = make_backend(request.param, base)
    rng = random.Random(7)
    raw_id = synth.cn_id(rng)
    block = base / "公示.txt"
    block.write_text(f"X民发〔2026〕12号\n城南街道低保对象公示\n户主：李桂芬 身份证号：{raw_id}\n", encoding="utf-8")
    clean = base / "年报.txt"
    clean.write_text("2025年政府信息公开工作年度报告\n本机关全年主动公开政府信息120条。\n", encoding="utf-8")
    db = backend.new_target()
    with pytest.MonkeyPatch.context() as patch:   # the key file goes to a private config dir
        patch.setenv("XDG_CONFIG_HOME", str(base / "config"))
        patch.delenv("PREPUB_AUDIT_KEY", raising=False)
        run = run_prepub_process("check", "--format", "json", "--audit", "--audit-db", str(db), str(block), str(clean))
    yield base, db, raw_id, run, backend
    backend.cleanup()


def test_check_audit_appends_one_record_per_document(checked):
    base, db, raw_id, run, backend = checked
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
    assert raw_id.encode() not in backend.stored_bytes(db)
    assert (base / "config" / "prepub" / "audit.key").exists()


def test_list_and_show(checked):
    _, db, raw_id, _, _ = checked
    run = run_prepub("audit", "list", "--audit-db", str(db))
    assert run.code == 0 and "公示.txt" in run.stdout and "不得发布" in run.stdout and "年报.txt" in run.stdout
    run = run_prepub("audit", "show", "1", "--audit-db", str(db))
    assert run.code == 0
    assert "X民发〔2026〕12号" in run.stdout and "身份证号" in run.stdout and "仅检出" in run.stdout
    assert raw_id not in run.stdout
    run = run_prepub("audit", "show", "99", "--audit-db", str(db))
    assert run.code == 2 and "没有第 99 号审查记录" in run.stderr


def test_export_csv_has_bom_and_chinese_headers(checked):
    base, db, _, _, _ = checked
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
    base, db, raw_id, _, _ = checked
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


# --- issue 7: tables that fit an 80-column terminal or a pipe; complete exports ------------------

LONG_NAME = "关于城南街道二〇二六年第四季度最低生活保障对象及特困供养人员名单公示的请示（修改稿第三版）.docx"


@pytest.fixture
def decided(tmp_path):
    db = tmp_path / "audit.sqlite3"
    log = AuditLog(db)
    log.append(record(1, document_name=LONG_NAME, reviewer="审查员欧阳某某", title="二〇二六年第四季度低保对象名单公示"))
    log.append(decided_record(2))
    return db


def test_list_and_show_in_a_pipe_print_every_field_whole(decided):
    run = run_prepub("audit", "list", "--audit-db", str(decided))
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert any(line.startswith("文件名称") and line.endswith(LONG_NAME) for line in lines), run.stdout
    assert any(line.startswith("审查人") and line.endswith("审查员欧阳某某") for line in lines)
    assert "…" not in run.stdout
    run = run_prepub("audit", "show", "2", "--audit-db", str(decided))
    assert run.code == 0 and "…" not in run.stdout
    lines = run.stdout.splitlines()
    assert any(line.startswith("替换文本") and line.endswith("（略）") for line in lines)
    assert any(line.startswith("位置") and line.endswith("表格1 第2行 第8列") for line in lines)


def test_list_and_show_in_an_80_column_terminal_wrap_instead_of_cutting(decided):
    import pexpect
    from rich.cells import cell_len

    from tests.conftest import ROOT

    for args in (["audit", "list"], ["audit", "show", "1"]):
        child = pexpect.spawn(sys.executable, ["-m", "prepub_review", *args, "--audit-db", str(decided)], cwd=str(ROOT),
                              env=dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1", COLUMNS="80", LINES="24"),
                              dimensions=(24, 80), encoding="utf-8", timeout=60)
        output = re.sub(r"\x1b\[[0-9;]*m", "", child.read())   # NO_COLOR leaves bold on
        child.close()
        assert child.exitstatus == 0, output
        assert "…" not in output
        assert all(cell_len(line.rstrip("\r")) <= 80 for line in output.splitlines())   # display columns
        letters = "".join(ch for ch in output if "\u4e00" <= ch <= "\u9fff")
        assert all(letters.count(ch) >= LONG_NAME.count(ch) for ch in set(LONG_NAME) if "\u4e00" <= ch <= "\u9fff")


def test_export_csv_carries_every_item_decision_and_reason(decided):
    run = run_prepub("audit", "export", "--format", "csv", "--audit-db", str(decided))
    rows = list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"))))
    items = rows[1]["逐项处理"].splitlines()
    assert rows[1]["处理意见"] == "去标识化后公开，理由见逐项记录"
    assert items[0] == "1. 姓名（P5）第3段 张*明：保留原文；理由：公职人员履职信息"
    assert items[1] == "2. 电话号码（P2）表格1 第2行 第8列 138****5678：改写（替换为「（略）」）；理由：审查人改写"
    assert items[2].startswith("3. 身份证号（P1）") and "去标识化" in items[2]


def test_export_xlsx_carries_the_replacement_text(decided, tmp_path):
    out = tmp_path / "台账.xlsx"
    assert run_prepub("audit", "export", "--format", "xlsx", "-o", str(out), "--audit-db", str(decided)).code == 0
    details = openpyxl.load_workbook(out)["发现项明细"]
    header = [c.value for c in details[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in details.iter_rows(min_row=2)]
    edited = next(r for r in rows if r["处理决定"] == "改写")
    assert edited["替换文本"] == "（略）" and edited["理由"] == "审查人改写"
