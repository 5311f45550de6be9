"""Places `check` reads outside the body and the cells: an Excel sheet's printed header and footer, a
text box over a sheet, a SmartArt graphic. `redact` used to list their edits as done while the output
kept the values (the writers had no anchor there and nothing re-checked review-level values); now each
is edited in place, and an edit no writer can make refuses the output instead of passing unnoticed."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import openpyxl

from tests import synth
from tests.conftest import run_prepub
from tests.read.office_parts import xlsx_with_sheets

RNG = random.Random(20261206)
FAKE = synth.faker(20261206)
NAME, ID, PHONE = FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def members(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def redacted(source: Path) -> Path:
    out = source.with_name(f"out-{source.name}")
    run = run_prepub("redact", str(source), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert run_prepub("check", str(out)).code == 0
    return out


def test_sheet_header_and_footer(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["序号", "金额"])
    sheet.append([1, 560])
    sheet.oddHeader.left.text = f"经办：{NAME}（手机 {PHONE}）"
    sheet.oddFooter.center.text = f"户主身份证号 {ID}"
    source = tmp_path / "header.xlsx"
    workbook.save(source)
    assert PHONE in members(source) and ID in members(source)
    stored = members(redacted(source))
    assert PHONE not in stored and ID not in stored
    assert f"{PHONE[:3]}****{PHONE[-4:]}" in stored and "户主身份证号" in stored


def test_text_box_over_a_sheet(tmp_path):
    drawing = (f'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               f'xmlns:a="{A_NS}"><xdr:twoCellAnchor><xdr:sp><xdr:txBody><a:p><a:r><a:t>  备注：户主{NAME}，身份证</a:t>'
               f'</a:r><a:r><a:t>号{ID}，已迁出</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>')
    extra = {"xl/worksheets/_rels/sheet1.xml.rels": (
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rIdD" Type="{REL}/drawing" Target="../drawings/drawing1.xml"/></Relationships>'),
             "xl/drawings/drawing1.xml": drawing}
    sheet = '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><drawing r:id="rIdD"/>'
    source = xlsx_with_sheets(tmp_path / "box.xlsx", {"汇总": sheet}, extra=extra)
    stored = members(redacted(source))
    assert ID not in stored and NAME not in stored
    assert "<a:t>  备注：户主" in stored and "，已迁出</a:t>" in stored     # the runs keep the rest


def test_smartart_text_and_its_drawn_copy(tmp_path):
    """SmartArt keeps its text twice: the data part (read) and the drawn shapes (what Word shows)."""
    report = docx.Document()
    report.add_paragraph("帮扶责任人结对情况")
    source = tmp_path / "smartart.docx"
    report.save(source)
    shape = (f'<a:p><a:r><a:t>帮扶对象：</a:t></a:r><a:r><a:t>{NAME}</a:t></a:r></a:p>'
             f'<a:p><a:r><a:t>联系电话 {PHONE}</a:t></a:r></a:p>')
    with zipfile.ZipFile(source, "a") as package:
        package.writestr("word/diagrams/data1.xml",
                         f'<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
                         f'xmlns:a="{A_NS}"><dgm:ptLst><dgm:pt><dgm:t>{shape}</dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>')
        package.writestr("word/diagrams/drawing1.xml",
                         f'<dsp:drawing xmlns:dsp="http://schemas.microsoft.com/office/drawing/2008/diagram" '
                         f'xmlns:a="{A_NS}"><dsp:spTree><dsp:sp><dsp:txBody>{shape}</dsp:txBody></dsp:sp>'
                         '</dsp:spTree></dsp:drawing>')
    found = run_prepub("check", str(source), "--format", "json").json()["documents"][0]["findings"]
    assert {f["entity"] for f in found if f["location"] == "SmartArt 图形1"} >= {"PHONE_NUMBER"}
    stored = members(redacted(source))
    assert PHONE not in stored
    assert stored.count(f"联系电话 {PHONE[:3]}****{PHONE[-4:]}") == 2          # data and drawn copy


def test_an_edit_no_writer_can_make_refuses_the_output(tmp_path):
    """A sheet named after a household: renaming a sheet would break every reference to it, so the
    value stays; the clerk is told, and no output is written that claims otherwise."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"户主{NAME}家"
    sheet.append(["户主", "人口"])
    sheet.append([NAME, 3])
    source = tmp_path / "household.xlsx"
    workbook.save(source)
    out = tmp_path / "out.xlsx"
    assert run_prepub("redact", str(source), "-o", str(out), "--dry-run").code == 1      # the rehearsal says so
    run = run_prepub("redact", str(source), "-o", str(out))
    assert run.code == 1 and not out.exists()
    shown = f"{NAME[0]}{'*' * (len(NAME) - 1)}"       # the sheet's name is shown with the value masked
    assert f"无法在原处修改 1 处：工作表「户主{shown}家」 名称 姓名（{shown}）" in run.stderr + run.stdout
    assert NAME not in run.stderr + run.stdout
