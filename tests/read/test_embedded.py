"""Office files embedded in a Word or Excel file (ooxml/embedded.py): an Excel table inserted into a
report as an object is read as a workbook, and redacted in place, with its preview picture."""

from __future__ import annotations

import io
import random
import shutil
import tempfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from prepub_review.formats.image import vector
from tests import synth
from tests.conftest import run_prepub
from tests.read.test_vector import emf, soffice, text_w

RNG = random.Random(20261204)
FAKE = synth.faker(20261204)
PEOPLE = [(FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)) for _ in range(3)]
HEADER = ["序号", "姓名", "身份证号", "联系电话", "保障金额（元）"]
PACKAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def register_xlsx(author: str = "赵晓芳") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(HEADER)
    for number, (name, id_number, phone) in enumerate(PEOPLE, 1):
        sheet.append([number, name, id_number, phone, 560])
    workbook.properties.creator = author
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_emf() -> bytes:
    """What Word shows of the object: a picture of the table, drawn as text (see test_vector.py)."""
    rows = [HEADER, *[[str(n), name, id_number, phone, "560"] for n, (name, id_number, phone) in enumerate(PEOPLE, 1)]]
    return emf(*(text_w(10 + 150 * column, 10 + 30 * row, cell)
                 for row, cells in enumerate(rows) for column, cell in enumerate(cells)))


def word_with_object(path: Path, embedded: bytes, *, member: str = "Microsoft_Excel_Worksheet.xlsx",
                     preview: bytes | None = None) -> Path:
    """A report with an Excel object inserted as Word does it: <w:object> showing a preview picture,
    the workbook itself in word/embeddings/ (relationship type "package")."""
    report = docx.Document()
    report.add_paragraph("2026年城乡低保工作情况报告")
    report.add_paragraph("本月保障对象见下表：")
    report.add_paragraph("[OBJECT]")
    plain = io.BytesIO()
    report.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = _declared(data.decode(), v="urn:schemas-microsoft-com:vml",
                                 o="urn:schemas-microsoft-com:office:office").replace(
                    "<w:r><w:t>[OBJECT]</w:t></w:r>",
                    '<w:r><w:object w:dxaOrig="9000" w:dyaOrig="2400"><v:shape id="_x0000_i1025" type="#_x0000_t75" '
                    'style="width:450pt;height:120pt" o:ole=""><v:imagedata r:id="rIdPreview" o:title=""/></v:shape>'
                    '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content" '
                    'ObjectID="_1790000001" r:id="rIdObject"/></w:object></w:r>').encode()
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.decode().replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdPreview" Type="{IMAGE_REL}" Target="media/image1.emf"/>'
                    f'<Relationship Id="rIdObject" Type="{PACKAGE_REL}" Target="embeddings/{member}"/>'
                    "</Relationships>").encode()
            elif info.filename == "[Content_Types].xml":
                data = data.decode().replace(
                    "</Types>", '<Default Extension="emf" ContentType="image/x-emf"/><Default Extension="xlsx" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/></Types>').encode()
            target.writestr(info, data)
        target.writestr("word/media/image1.emf", preview if preview is not None else emf(text_w(10, 10, "表")))
        target.writestr(f"word/embeddings/{member}", embedded)
    return path


def _declared(xml: str, **namespaces: str) -> str:
    """The document part with these prefixes declared on its root (python-docx's template has some)."""
    for prefix, uri in namespaces.items():
        if f"xmlns:{prefix}=" not in xml:
            xml = xml.replace("<w:document ", f'<w:document xmlns:{prefix}="{uri}" ', 1)
    return xml


def findings(run, entity: str | None = None) -> list[dict]:
    return [f for document in run.json()["documents"] for f in document["findings"]
            if entity is None or f["entity"] == entity]


def test_inserted_workbook_is_read_as_a_workbook(tmp_path):
    report = word_with_object(tmp_path / "报告.docx", register_xlsx())
    run = run_prepub("check", str(report), "--format", "json")
    assert run.code == 1
    ids = findings(run, "CN_ID_CARD")
    assert [f["location"] for f in ids] == [f"嵌入对象「Microsoft_Excel_Worksheet.xlsx」 工作表「名单」 C{row}"
                                            for row in (2, 3, 4)]
    assert {f["severity"] for f in ids + findings(run, "PHONE_NUMBER")} == {"block"}
    assert {f["field"] for f in ids} == {"身份证号"}
    assert ids[0]["locator"]["part"] == "embedded"
    assert not [f for f in findings(run) if f["variant"] == "embedded_object"]     # read, so no "not checked"


def test_inserted_workbook_and_its_preview_are_redacted(tmp_path, monkeypatch):
    temporary = tmp_path / "temp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    report = word_with_object(tmp_path / "报告.docx", register_xlsx(), preview=preview_emf())
    out = tmp_path / "报告.去标识化.docx"
    run = run_prepub("redact", str(report), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert "嵌入对象「Microsoft_Excel_Worksheet.xlsx」：清除文档属性：作者" in run.stdout
    assert run_prepub("check", str(out)).code == 0
    assert list(temporary.iterdir()) == []                  # the embedded files' working copies are gone

    with zipfile.ZipFile(out) as package:
        workbook = package.read("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
        preview = package.read("word/media/image1.emf")
    stored = b"".join(zipfile.ZipFile(io.BytesIO(workbook)).read(name)
                      for name in zipfile.ZipFile(io.BytesIO(workbook)).namelist()).decode("utf-8", "replace")
    drawn = " ".join(r.text for r in vector.read_text(preview).runs)
    for name, id_number, phone in PEOPLE:
        for value in (name, id_number, phone):
            assert value not in stored and value not in drawn
    assert "赵晓芳" not in stored
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["名单"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["D2"].value == f"{PEOPLE[0][2][:3]}****{PEOPLE[0][2][-4:]}"


@pytest.mark.libreoffice
def test_report_saved_by_libreoffice(tmp_path):
    """LibreOffice keeps the object as word/embeddings/oleObject1.xlsx and draws a new preview; the
    redacted report still opens in it."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    made = word_with_object(tmp_path / "report.docx", register_xlsx())
    saved = soffice(made, "docx:MS Word 2007 XML", tmp_path / "lo")
    assert "word/embeddings/oleObject1.xlsx" in zipfile.ZipFile(saved).namelist()
    run = run_prepub("check", str(saved), "--format", "json")
    assert run.code == 1 and len(findings(run, "CN_ID_CARD")) == len(PEOPLE)
    assert all(f["location"].startswith("嵌入对象「") for f in findings(run, "CN_ID_CARD"))
    out = tmp_path / "out" / "report.docx"
    out.parent.mkdir()
    assert run_prepub("redact", str(saved), "-o", str(out)).code == 0
    pdf = soffice(out, "pdf")
    assert pdf.stat().st_size > 0


def test_word_file_inside_a_workbook(tmp_path):
    letter = docx.Document()
    letter.add_paragraph(f"申请人{PEOPLE[0][0]}，身份证号{PEOPLE[0][1]}。")
    inner = io.BytesIO()
    letter.save(inner)
    host = tmp_path / "台账.xlsx"
    host.write_bytes(register_xlsx())
    with zipfile.ZipFile(host, "a") as package:
        package.writestr("xl/embeddings/Microsoft_Word_Document.docx", inner.getvalue())
    run = run_prepub("check", str(host), "--format", "json")
    embedded = [f for f in findings(run, "CN_ID_CARD") if f["location"].startswith("嵌入对象「Microsoft_Word_Document.docx」")]
    assert len(embedded) == 1 and embedded[0]["severity"] == "block"


def test_file_embedded_in_an_embedded_file_is_not_opened(tmp_path):
    middle = word_with_object(tmp_path / "middle.docx", register_xlsx())
    report = word_with_object(tmp_path / "outer.docx", middle.read_bytes(), member="Microsoft_Word_Document.docx")
    run = run_prepub("check", str(report), "--format", "json")
    document = run.json()["documents"][0]
    notices = [f for f in document["findings"] if f["variant"] == "embedded_object"]
    assert [f["location"] for f in notices] == ["嵌入对象「Microsoft_Word_Document.docx」 嵌入对象「Microsoft_Excel_Worksheet.xlsx」"]
    assert notices[0]["severity"] == "review" and document["verdict"] == "review"


def test_embedded_file_that_does_not_open_is_for_review(tmp_path):
    report = word_with_object(tmp_path / "报告.docx", b"PK\x03\x04 not a workbook")
    run = run_prepub("check", str(report), "--format", "json")
    document = run.json()["documents"][0]
    assert document["verdict"] == "review"
    [notice] = [f for f in document["findings"] if f["variant"] == "embedded_object"]
    assert "无法打开" in notice["reason"] and "未检查" in notice["reason"]


def test_ole_object_is_still_a_notice(tmp_path):
    report = word_with_object(tmp_path / "报告.docx", b"\xd0\xcf\x11\xe0" + bytes(508), member="oleObject1.bin")
    document = run_prepub("check", str(report), "--format", "json").json()["documents"][0]
    assert document["verdict"] == "review"
    assert [f["variant"] for f in document["findings"]] == ["embedded_object"]
