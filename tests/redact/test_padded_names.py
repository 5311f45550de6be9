"""Two-character names padded to the width of three ("王　芳", "李  强"), as clerks line up the name
column of a 公示 table: found under the name header, masked with the padding kept (王　*), and
compared without the padding when the site's mask patterns are summed up."""

from __future__ import annotations

import zipfile

import docx
import openpyxl

from tests.conftest import run_prepub

PADDED = ["王　芳", "李  强", "张\u00a0伟"]      # full-width space, two spaces, no-break space


def test_padded_names_in_a_table_are_found_and_masked(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["序号", "姓名", "家庭人口", "保障金额（元）"])
    for number, name in enumerate(PADDED + ["欧阳建国"], start=1):
        sheet.append([number, name, 2, 1120])
    source = tmp_path / "低保公示.xlsx"
    workbook.save(source)
    found = run_prepub("check", str(source), "--format", "json", "--reveal").json()["documents"][0]["findings"]
    assert [f["text"] for f in found if f["entity"] == "PERSON"] == PADDED + ["欧阳建国"]
    out = tmp_path / "发布.xlsx"
    assert run_prepub("redact", str(source), "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        stored = "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
    assert not any(name in stored or name[-1] in stored for name in PADDED)
    assert "王　*" in stored and "李  *" in stored
    rechecked = run_prepub("check", str(out), "--format", "json")
    report = rechecked.json()
    assert [f["variant"] for f in report["documents"][0]["findings"] if f["entity"] == "PERSON"] == ["masked"] * 4
    # one mask pattern per length: 王　* is a two-character name masked as 1+1*, not a mixed pattern (L3)
    assert {(p["length"], p["pattern"]) for p in report["linkage"]["mask_patterns"]} == {(2, "1+1*"), (4, "2+2*")}
    assert '"L3"' not in rechecked.stdout


def test_a_padded_name_in_a_word_form(tmp_path):
    document = docx.Document()
    document.add_paragraph("城南街道临时救助申请审批表")
    document.add_paragraph("申请人：王　芳　　性别：女　　联系电话：见附件")
    source = tmp_path / "审批表.docx"
    document.save(source)
    found = run_prepub("check", str(source), "--format", "json", "--reveal").json()["documents"][0]["findings"]
    assert [(f["text"], f["severity"]) for f in found if f["entity"] == "PERSON"] == [("王　芳", "review")]
