"""Charts (ooxml/charts.py): a chart draws from its own copy of the labels, which stays in the file
when the sheet is redacted or deleted. It is read, and redaction edits it."""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from prepub_review.formats.ooxml.charts import same_values_replaced
from prepub_review.formats.ooxml.editable import EditablePackage
from prepub_review.formats.base import Limits
from prepub_review.formats.edits import Edit
from prepub_review.models import Finding, Severity, Zone
from tests import synth
from tests.conftest import run_prepub
from tests.read.test_vector import soffice

RNG = random.Random(20261205)
FAKE = synth.faker(20261205)
PEOPLE = [(FAKE.name(), synth.cn_id(RNG)) for _ in range(3)]


def workbook_with_chart(path: Path, rows: list[tuple[str, int]], cached: list[str] | None = None) -> Path:
    """A workbook whose bar chart has the rows' first column as categories. openpyxl writes no cached
    labels; `cached` puts them in the chart part as Excel does (c:strRef/c:strCache)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "保障金额"])
    for row in rows:
        sheet.append(list(row))
    chart = BarChart()
    chart.title = "各户保障金额"
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(rows) + 1))
    sheet.add_chart(chart, "D2")
    workbook.save(path)
    if cached is not None:
        points = "".join(f"<pt idx=\"{index}\"><v>{value}</v></pt>" for index, value in enumerate(cached))
        with zipfile.ZipFile(path) as source:
            members = {info.filename: source.read(info.filename) for info in source.infolist()}
        chart_xml = members["xl/charts/chart1.xml"].decode()
        chart_xml = re.sub(r"<cat><numRef><f>([^<]*)</f></numRef></cat>",
                           lambda m: f"<cat><strRef><f>{m.group(1)}</f><strCache><ptCount val=\"{len(cached)}\"/>"
                                     f"{points}</strCache></strRef></cat>", chart_xml)
        members["xl/charts/chart1.xml"] = chart_xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in members.items():
                target.writestr(name, data)
    return path


def json_findings(path: Path, entity: str) -> list[dict]:
    run = run_prepub("check", str(path), "--format", "json")
    return [f for f in run.json()["documents"][0]["findings"] if f["entity"] == entity]


def test_labels_only_the_chart_still_holds_are_found(tmp_path):
    """The sheet was cleared after the chart was made: only the chart's copy holds the ID numbers."""
    ids = [id_number for _name, id_number in PEOPLE]
    path = workbook_with_chart(tmp_path / "图表.xlsx", [("", 560), ("", 480), ("", 620)], cached=ids)
    found = json_findings(path, "CN_ID_CARD")
    assert [f["location"] for f in found] == [f"图表「chart1」 系列1 第{n}项" for n in (1, 2, 3)]
    assert {f["severity"] for f in found} == {"block"} and found[0]["locator"]["part"] == "chart"


def test_chart_labels_are_redacted_with_the_sheet(tmp_path):
    names = [name for name, _id in PEOPLE]
    path = workbook_with_chart(tmp_path / "图表.xlsx", [(name, 560) for name in names], cached=names)
    assert len(json_findings(path, "PERSON")) == 2 * len(names)          # the cell and the chart's copy
    out = tmp_path / "out.xlsx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        chart = package.read("xl/charts/chart1.xml").decode()
    assert all(name not in chart for name in names)
    assert f"{names[0][0]}*" in chart and "各户保障金额" in chart


def test_a_value_redacted_in_the_sheet_is_replaced_in_every_chart_copy(tmp_path):
    """The safety net: the chart's copy of a value changes with the value, flagged there or not."""
    name = PEOPLE[0][0]
    path = workbook_with_chart(tmp_path / "图表.xlsx", [(name, 560)], cached=[name, f"{name}户"])
    finding = Finding("PERSON", "private", "P10", Severity.REVIEW, "姓名", "", name, "工作表「名单」 A2",
                      Zone.TABLE, 0, len(name), 0.85, "PersonRecognizer")
    package = EditablePackage(path, Limits(), "Excel 工作簿")
    try:
        assert same_values_replaced(package, [Edit(finding, "mask", "某某", name)]) == 2
        package.save(tmp_path / "out.xlsx")
    finally:
        package.close()
    with zipfile.ZipFile(tmp_path / "out.xlsx") as saved:
        chart = saved.read("xl/charts/chart1.xml").decode()
    assert name not in chart and "<v>某某</v>" in chart and "<v>某某户</v>" in chart


@pytest.mark.libreoffice
def test_chart_saved_by_libreoffice(tmp_path):
    """LibreOffice writes the cached labels itself (c: prefixes); the redacted file opens in it again."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    names = [name for name, _id in PEOPLE]
    made = workbook_with_chart(tmp_path / "chart.xlsx", [(name, 500 + n) for n, name in enumerate(names)])
    saved = soffice(made, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    with zipfile.ZipFile(saved) as package:
        assert all(name in package.read("xl/charts/chart1.xml").decode() for name in names)
    out = tmp_path / "out" / "chart.xlsx"
    out.parent.mkdir()
    assert run_prepub("redact", str(saved), "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        chart = package.read("xl/charts/chart1.xml").decode()
    assert all(name not in chart for name in names)
    assert soffice(out, "pdf").stat().st_size > 0
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["名单"]
    assert all(name not in str(sheet["A2"].value) for name in names)


def test_word_chart_is_read(tmp_path):
    """A Word chart keeps its own part (word/charts/) with the same cache; its data workbook is an
    embedded file (test_embedded.py)."""
    import docx

    report = tmp_path / "报告.docx"
    document = docx.Document()
    document.add_paragraph("各户保障金额见下图")
    document.save(report)
    workbook = workbook_with_chart(tmp_path / "chart.xlsx", [("", 560)], cached=[PEOPLE[1][1]])
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(report, "a") as package:
        package.writestr("word/charts/chart1.xml", source.read("xl/charts/chart1.xml"))
    [found] = json_findings(report, "CN_ID_CARD")
    assert found["location"] == "图表「chart1」 系列1 第1项" and found["severity"] == "block"
