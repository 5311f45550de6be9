"""A 审批表 laid out as a key/value grid (label cell | value cell) in .docx and .xlsx: no header is
taken from it, the name and the birth date are read from the label cell before them, and nothing in
the report shows the applicant's name (before, the first row was taken for a header and the name
became the field of the ID number, raw in every report)."""

from __future__ import annotations

import random

import docx
import openpyxl
import pytest

from tests import synth
from tests.conftest import run_prepub

RNG = random.Random(20261209)
ID, PHONE = synth.cn_id(RNG), synth.mobile(RNG)
NAME = "王　芳"            # padded to the width of three, as clerks type it
GRID = [["申请人姓名", NAME, "性别", "女", "出生年月", "1953.05"],
        ["身份证号码", ID, "联系电话", PHONE, "家庭人口", "2人"],
        ["家庭住址", "城南街道和平村3组18号", "所属村（社区）", "和平村", "", ""],
        ["申请理由", "本人患尿毒症，长期透析，家庭困难", "", "", "", ""]]


def as_docx(path):
    document = docx.Document()
    document.add_paragraph("城南街道临时救助申请审批表")
    table = document.add_table(rows=len(GRID), cols=len(GRID[0]))
    for row, values in zip(table.rows, GRID):
        for cell, value in zip(row.cells, values):
            if value:
                cell.text = value
    document.save(path)


def as_xlsx(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["城南街道临时救助申请审批表"])
    for values in GRID:
        sheet.append([value or None for value in values])
    workbook.save(path)


@pytest.mark.parametrize("make, suffix", [(as_docx, "docx"), (as_xlsx, "xlsx")])
def test_a_key_value_form(tmp_path, make, suffix):
    source = tmp_path / f"审批表.{suffix}"
    make(source)
    run = run_prepub("check", str(source), "--format", "json")
    findings = run.json()["documents"][0]["findings"]
    assert {f["entity"] for f in findings} >= {"PERSON", "BIRTH_DATE", "CN_ID_CARD", "PHONE_NUMBER", "ADDRESS",
                                               "SENSITIVE_HEALTH"}
    assert [f["text"] for f in findings if f["entity"] == "PERSON"] == ["王　*"]
    assert all(f["field"] is None for f in findings)
    assert "芳" not in run.stdout
