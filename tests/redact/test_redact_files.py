"""End to end: real Office files (python-docx/openpyxl-made, raw XML and LibreOffice-saved)."""

import json
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor, default_output
from prepub_review.errors import RedactionRefused
from prepub_review.errors import ReadError
from prepub_review.pipeline import Checker
from tests import synth

FIXTURES = Path(__file__).parent.parent / "fixtures" / "office"
VALUES = json.loads((FIXTURES / "values.json").read_text(encoding="utf-8"))
# Values the fixtures hold as a private person's data (block level) or in what must be cleaned.
DOCX_GONE = ["id_split", "hidden_id", "hidden_style_mobile", "textbox_mobile", "comment_author",
             "row1_id", "row2_id", "row3_id", "nested_mobile", "creator", "last_modified_by", "del_address_2"]
XLSX_GONE = [key for key in VALUES if key.startswith("x_") and ("id" in key or "bank" in key or "phone" in key
                                                              or "comment" in key or key in ("x_creator", "x_custom"))]


@pytest.fixture(scope="module")
def redactor():
    checker = Checker()
    return Redactor(checker, load_profile(checker.rules, "assistance-recipients"))


def all_member_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("name", ["docx_pydocx.docx", "docx_lo.docx", "docx_raw.docx"])
def test_docx_raw_values_gone_from_every_member(tmp_path, redactor, name):
    source = tmp_path / name
    shutil.copy(FIXTURES / name, source)
    before = source.read_bytes()
    result = redactor.redact(source, default_output(source))
    assert result.written and source.read_bytes() == before     # the original is untouched
    blob = all_member_bytes(result.output)
    leaked = [key for key in DOCX_GONE if VALUES[key].encode() in blob]
    assert not leaked
    document = docx.Document(str(result.output))
    original = docx.Document(str(source))
    assert len(document.tables) == len(original.tables)
    assert [s.name for s in document.styles] == [s.name for s in original.styles]
    assert VALUES["shared_address"].encode() in blob          # village level is kept


@pytest.mark.parametrize("name", ["xlsx_openpyxl.xlsx", "xlsx_lo.xlsx"])
def test_xlsx_raw_values_gone_and_layout_kept(tmp_path, redactor, name):
    source = tmp_path / name
    shutil.copy(FIXTURES / name, source)
    result = redactor.redact(source, tmp_path / "out.xlsx")
    blob = all_member_bytes(result.output)
    assert not [key for key in XLSX_GONE if VALUES[key].encode() in blob]
    before, after = openpyxl.load_workbook(source), openpyxl.load_workbook(result.output)
    assert before.sheetnames == after.sheetnames
    for old, new in zip(before.worksheets, after.worksheets):
        assert old.merged_cells.ranges == new.merged_cells.ranges
        assert {k: v.width for k, v in old.column_dimensions.items()} == \
               {k: v.width for k, v in new.column_dimensions.items()}


def test_idempotent_and_dry_run(tmp_path, redactor):
    source = tmp_path / "a.docx"
    shutil.copy(FIXTURES / "docx_lo.docx", source)
    planned = redactor.redact(source, tmp_path / "x.docx", dry_run=True)
    assert planned.edits and not (tmp_path / "x.docx").exists()
    first = redactor.redact(source, tmp_path / "b.docx")
    second = redactor.redact(first.output, tmp_path / "c.docx")
    assert second.unchanged and not second.edits
    assert second.output_sha256 == second.input_sha256


def test_existing_output_and_bad_folders(tmp_path, redactor):
    source = tmp_path / "a.docx"
    shutil.copy(FIXTURES / "docx_lo.docx", source)
    existing = tmp_path / "exists.docx"
    existing.write_bytes(b"keep me")
    with pytest.raises(ReadError, match="已存在"):
        redactor.redact(source, existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(ReadError, match="不存在"):
        redactor.redact(source, tmp_path / "missing" / "out.docx")
    with pytest.raises(ReadError):
        redactor.redact(source, source / "out.docx")            # a path under a file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "exists.docx"]


def test_read_only_folder(tmp_path, redactor, monkeypatch):
    source = tmp_path / "a.docx"
    shutil.copy(FIXTURES / "docx_lo.docx", source)
    monkeypatch.setattr("prepub_review.act.redact.redactor.os.access", lambda *a: False)
    with pytest.raises(ReadError, match="没有写入权限"):
        redactor.redact(source, tmp_path / "out.docx")


def test_classification_marking_is_refused(tmp_path, redactor):
    source = tmp_path / "m.txt"
    source.write_text("机密★1年\n关于低保的通知\n", encoding="utf-8")
    with pytest.raises(RedactionRefused, match="解密"):
        redactor.redact(source, tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("codec, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""),
                                        ("utf-16-le", b"\xff\xfe")])
def test_csv_keeps_encoding(tmp_path, redactor, codec, bom):

    number, phone = synth.cn_id(random.Random(3)), synth.mobile(random.Random(4))
    text = f"姓名,身份证号,联系电话,家庭人口,保障金额\r\n张三明,{number},{phone},3,1200\r\n"
    source = tmp_path / "list.csv"
    source.write_bytes(bom + text.encode(codec))
    result = redactor.redact(source, tmp_path / "out.csv")
    data = result.output.read_bytes()
    assert data.startswith(bom)
    out = data[len(bom):].decode(codec)
    assert number not in out and phone not in out
    assert ",3,1200\r\n" in out and "\r\n" in out


def test_html_comments_hidden_and_attributes(tmp_path, redactor):

    number = synth.cn_id(random.Random(5))
    page = (f"<html><head><meta charset='utf-8'></head><body><p>公示</p><!-- 身份证号：{number} -->"
            f"<div style='display:none'>身份证号：{number}</div><img alt='身份证号{number}'>"
            f"<table><tr><th>姓名</th><th>身份证号</th></tr><tr><td>李四</td><td>{number}</td></tr></table>"
            "</body></html>")
    source = tmp_path / "p.html"
    source.write_text(page, encoding="utf-8")
    result = redactor.redact(source, tmp_path / "out.html")
    assert number.encode() not in result.output.read_bytes()
    assert "<table>" in result.output.read_text(encoding="utf-8")


def test_html_values_split_over_runs_and_source_lines_are_replaced(tmp_path, redactor):
    """Word's and LibreOffice's HTML put each run in a <font>/<span> of its own, and wrap long source
    lines: a value across several text nodes is replaced as a browser shows it, the runs kept."""
    number, phone = synth.cn_id(random.Random(7)), synth.mobile(random.Random(8))
    font = '<font face="Cambria, serif"><font size="2" style="font-size: 11pt">{}</font></font>'
    cells = ["".join(font.format(part) for part in parts)
             for parts in (["张", "建国"], [number[:6], number[6:14], number[14:]], ["建设路", "34", "弄", "8", "号"])]
    page = ("<html><head><meta charset='utf-8'></head><body><p>低保对象公示</p><table>"
            "<tr><td><p>姓名</p></td><td><p>身份证号</p></td><td><p>家庭住址</p></td></tr>"
            f"<tr>{''.join(f'<td><p>{cell}</p></td>' for cell in cells)}</tr></table>"
            f"<p>户主联系电话：{phone[:3]}\n\t\t\t{phone[3:7]} {phone[7:]}，请核对。</p></body></html>")
    source = tmp_path / "p.html"
    source.write_text(page, encoding="utf-8")
    result = redactor.redact(source, tmp_path / "out.html")
    assert result.written
    out = result.output.read_text(encoding="utf-8")
    assert number[6:14] not in out and "34" not in out and f"{phone[3:7]} {phone[7:]}" not in out
    assert out.count("<font size") == page.count("<font size") and "，请核对。" in out
    assert "张*国" in out


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_still_opens_the_output(tmp_path, redactor):
    source = tmp_path / "a.docx"
    shutil.copy(FIXTURES / "docx_lo.docx", source)
    result = redactor.redact(source, tmp_path / "out.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(result.output)], check=True, timeout=120,
                   capture_output=True)
    assert (tmp_path / "out.pdf").stat().st_size > 1000


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_personal_data_in_kept_properties_is_edited_in_place(tmp_path, redactor, kind):
    """备注 and 关键词 stay in the file (unlike the author): a recipient's phone or name in them is masked
    where it stands, the rest of the property and the title are kept."""
    phone = synth.mobile(random.Random(6))
    source = tmp_path / f"名单.{kind}"
    if kind == "docx":
        document = docx.Document()
        document.add_paragraph("城乡低保对象公示")
        properties = document.core_properties
    else:
        document = openpyxl.Workbook()
        document.active.append(["序号", "所属村"])
        properties = document.properties
    properties.title = "城乡低保对象公示"
    if kind == "docx":
        properties.comments = f"买买提·热合曼家属电话{phone}"
    else:
        properties.description = f"买买提·热合曼家属电话{phone}"
    properties.keywords = f"低保 复核 {phone}"
    document.save(source)
    result = redactor.redact(source, tmp_path / f"out.{kind}")
    assert result.written
    with zipfile.ZipFile(result.output) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert phone not in core and "买买提·热合曼" not in core
    assert f"{phone[:3]}****{phone[-4:]}" in core and "家属电话" in core and "低保 复核" in core
    assert ">城乡低保对象公示</dc:title>" in core
