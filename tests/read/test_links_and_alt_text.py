"""A hyperlink's address and a picture's alt text are published with a Word or Excel file though no page
shows them: a query string can carry an ID number, alt text is often a photo's file name (张三身份证.jpg)."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from tests import synth
from tests.conftest import run_prepub
from tests.read.test_vector import soffice

RNG = random.Random(20261207)
FAKE = synth.faker(20261207)
NAME, ID, PHONE = FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)
QUERY = f"http://mz.example.gov.cn/dibao/query?sfzh={ID}&lxdh={PHONE}"


def report_with_link_and_picture(path: Path) -> Path:
    report = docx.Document()
    paragraph = report.add_paragraph("审核结果可在线查询：")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), report.part.relate_to(QUERY, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "点击查询"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    photo = path.with_suffix(".png")
    Image.new("RGB", (32, 32), "white").save(photo)
    report.add_picture(str(photo))
    report.inline_shapes[0]._inline.docPr.set("descr", f"{NAME}身份证正面 {ID}")
    report.save(path)
    return path


def findings(path: Path) -> list[dict]:
    return run_prepub("check", str(path), "--format", "json").json()["documents"][0]["findings"]


def stored(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_word_link_address_and_alt_text_are_read(tmp_path):
    found = {(f["location"], f["entity"], f["severity"]) for f in findings(report_with_link_and_picture(tmp_path / "a.docx"))}
    assert ("正文 超链接地址", "CN_ID_CARD", "block") in found
    assert ("正文 超链接地址", "PHONE_NUMBER", "block") in found
    assert ("正文 图片替代文字", "CN_ID_CARD", "block") in found


def test_word_link_address_and_alt_text_are_redacted(tmp_path):
    out = tmp_path / "out.docx"
    run = run_prepub("redact", str(report_with_link_and_picture(tmp_path / "a.docx")), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    text = stored(out)
    assert ID not in text and PHONE not in text and NAME not in text
    assert f"lxdh={PHONE[:3]}****{PHONE[-4:]}" in text and "http://mz.example.gov.cn/dibao/query?sfzh=" in text
    assert run_prepub("check", str(out)).code == 0


def test_excel_cell_link(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet["A1"] = "查询"
    sheet["A1"].hyperlink = QUERY
    path = tmp_path / "links.xlsx"
    workbook.save(path)
    found = {(f["location"], f["entity"]) for f in findings(path)}
    assert ("工作表「名单」 超链接地址", "CN_ID_CARD") in found
    out = tmp_path / "out.xlsx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    assert ID not in stored(out) and PHONE not in stored(out)


@pytest.mark.libreoffice
def test_saved_by_libreoffice(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    saved = soffice(report_with_link_and_picture(tmp_path / "a.docx"), "docx:MS Word 2007 XML", tmp_path / "lo")
    found = {(f["location"], f["entity"]) for f in findings(saved)}
    assert ("正文 超链接地址", "CN_ID_CARD") in found and ("正文 图片替代文字", "CN_ID_CARD") in found
    out = tmp_path / "out.docx"
    assert run_prepub("redact", str(saved), "-o", str(out)).code == 0
    assert ID not in stored(out)


def test_word_hyperlink_field_code(tmp_path):
    """A link made as a field: its address is in w:instrText runs (split as Word splits it)."""
    report = docx.Document()
    paragraph = report.add_paragraph("查询：")

    def run_with(child):
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    for kind, code in (("begin", None), (None, ' HYPERLINK "http://mz.example.gov.cn/q?sfzh='), (None, f'{ID}" '),
                       ("separate", None), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.text = code
        run_with(element)
    path = tmp_path / "field.docx"
    report.save(path)
    assert {(f["location"], f["entity"]) for f in findings(path)} == {("正文 域代码", "CN_ID_CARD")}
    out = tmp_path / "out.docx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    assert ID not in stored(out) and 'HYPERLINK "http://mz.example.gov.cn/q?sfzh=' in stored(out)


def test_page_link_with_a_query_string_or_a_phone_number(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body><p>审核结果：<a href="query.jsp?sfzh={ID}">查询</a>'
                    f'，咨询请<a href="tel:{PHONE}">致电</a></p></body></html>', encoding="utf-8")
    run = run_prepub("check", str(page), "--format", "json")
    document = run.json()["documents"][0]
    assert {(f["entity"], f["field"]) for f in document["findings"] if f["severity"] == "block"} == {
        ("CN_ID_CARD", "href"), ("PHONE_NUMBER", "href")}
    assert ID not in run.stdout and PHONE not in run.stdout      # the missing query.jsp is listed as query.jsp?…
    out = tmp_path / "out.html"
    assert run_prepub("redact", str(page), "-o", str(out)).code == 0
    written = out.read_text(encoding="utf-8")
    assert ID not in written and PHONE not in written and "query.jsp?sfzh=" in written


def pdf_stored(path: Path) -> bytes:
    import pymupdf

    with pymupdf.open(path) as document:
        return document.tobytes(garbage=0, expand=255)          # every object, streams uncompressed


def test_pdf_link_address(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "link.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 700, "审核结果查询（点击）")
    page.linkURL(QUERY, (72, 690, 300, 715))
    page.save()
    assert {(f["location"], f["entity"]) for f in findings(path)} == {("第1页 链接1", "CN_ID_CARD"),
                                                                     ("第1页 链接1", "PHONE_NUMBER")}
    out = tmp_path / "out.pdf"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    assert ID.encode() not in pdf_stored(out)
    assert run_prepub("check", str(out)).code == 0



def test_page_inside_an_iframe_srcdoc(tmp_path):
    """An <iframe srcdoc="…"> holds a whole page in one attribute: the list shown in the frame."""
    from html import escape

    inner = f"<table><tr><td>户主{NAME}</td><td>身份证号 {ID}</td></tr></table>"
    page = tmp_path / "frame.html"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body><iframe srcdoc="{escape(inner)}"></iframe>'
                    "</body></html>", encoding="utf-8")
    assert ("CN_ID_CARD", "srcdoc") in {(f["entity"], f["field"]) for f in findings(page)}
    out = tmp_path / "out.html"
    assert run_prepub("redact", str(page), "-o", str(out)).code == 0
    assert ID not in out.read_text(encoding="utf-8") and NAME not in out.read_text(encoding="utf-8")
