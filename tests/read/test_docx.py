"""The .docx reader on real files: hand-written XML, the same file re-saved by LibreOffice, python-docx."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from prepub_review.models import Notice, Segment, Zone
from prepub_review.formats.docx import reader as docx
from prepub_review.formats.base import Limits
from tests.fixtures.make_fixtures import W_NS
from tests.read.office_parts import FIXTURES, docx_with_body, p, r

VALUES = json.loads((FIXTURES / "values.json").read_text(encoding="utf-8"))
WORD_FIXTURES = ["docx_raw.docx", "docx_lo.docx"]      # same content; LibreOffice rewrites the markup


def read_all(path: Path) -> list[Segment | Notice]:
    return list(docx.read(path, Limits()))


def segments(path: Path) -> list[Segment]:
    return [item for item in read_all(path) if isinstance(item, Segment)]


def find(segs: list[Segment], text: str) -> list[Segment]:
    return [seg for seg in segs if text in seg.text]


@pytest.fixture(scope="module", params=WORD_FIXTURES)
def word(request) -> list[Segment]:
    return segments(FIXTURES / request.param)


@pytest.fixture(scope="module")
def raw() -> list[Segment]:
    return segments(FIXTURES / "docx_raw.docx")


# -- text in runs, revisions, hidden text ------------------------------------------------------

def test_id_split_over_three_formatted_runs_is_one_string(word):
    [seg] = find(word, VALUES["id_split"])
    assert seg.text == f"申请人{VALUES['name_split']}，身份证号：{VALUES['id_split']}。"
    assert (seg.location, seg.zone) == ("第2段", Zone.TOP)


def test_tracked_insertion_is_visible_text_once_and_its_author_is_reported(word):
    [visible] = find(word, VALUES["ins_mobile"])          # not again as 修订-插入的文字
    assert visible.text == f"联系电话：{VALUES['ins_mobile']}" and visible.zone == Zone.TOP
    assert visible.location == "第3段"
    assert VALUES["ins_author"] in [s.text for s in word if s.location == "修订记录 作者"]


def test_tracked_insertion_is_one_finding_at_the_paragraphs_severity(tmp_path):
    """issue 10: an inserted mobile number was reported twice, in the paragraph and as the
    insertion, at different severities; it is one finding, judged with its sentence."""
    from prepub_review.pipeline import Checker

    result = Checker().check_file(FIXTURES / "docx_raw.docx")
    mobile = [f for f in result.findings if f.text == VALUES["ins_mobile"]]
    assert len(mobile) == 1 and mobile[0].location == "第3段"
    assert "插入" not in " ".join(f.location for f in result.findings)


def test_tracked_deletion_split_over_runs_is_joined(word):
    deleted = VALUES["del_address_1"] + VALUES["del_address_2"]
    [seg] = find(word, deleted)
    assert seg.text == deleted
    assert seg.zone == Zone.REVISION
    assert seg.location == f"第4段 修订-删除的文字 (作者 {VALUES['del_author']})"
    [visible] = [s for s in word if s.location == "第4段"]
    assert visible.text == "家庭住址：（已删除）"


def test_partly_deleted_id_comes_back_whole_from_the_deletion(word):
    """Digits 9-14 deleted and replaced by ****** as a tracked change: the file still holds the ID."""
    masked = VALUES["masked_id"]
    [visible] = [s for s in word if s.location == "第5段"]
    assert visible.text == f"代领人身份证号：{masked[:8]}******{masked[14:]}"
    [deleted] = [s for s in word if s.location.startswith("第5段 修订-删除")]
    assert deleted.text == masked and deleted.zone == Zone.REVISION


@pytest.mark.parametrize("key, paragraph", [("hidden_id", "第6段"), ("hidden_style_mobile", "第7段")])
def test_hidden_text_direct_and_through_style(word, key, paragraph):
    [seg] = find(word, VALUES[key])
    assert (seg.text, seg.location, seg.zone) == (VALUES[key], f"{paragraph} 隐藏文字", Zone.HIDDEN)
    [visible] = [s for s in word if s.location == paragraph]
    assert VALUES[key] not in visible.text


def test_top_zone_is_the_first_five_paragraphs(word):
    body = [s for s in word if s.location.startswith("第") and s.location.endswith("段")]
    assert [s.zone for s in body[:5]] == [Zone.TOP] * 5
    assert {s.zone for s in body[5:]} == {Zone.BODY}


# -- text boxes, notes, comments ---------------------------------------------------------------

def test_text_box_read_once_despite_vml_fallback(word):
    hits = find(word, VALUES["textbox_mobile"])
    assert len(hits) == 1
    assert hits[0].text == f"联系人{VALUES['textbox_name']} {VALUES['textbox_mobile']}"
    assert hits[0].location == "第9段 > 文本框1" and hits[0].zone == Zone.BODY


@pytest.mark.parametrize("key, location", [("footnote_name", "脚注1"), ("endnote_phone", "尾注1")])
def test_footnote_and_endnote(word, key, location):
    [seg] = find(word, VALUES[key])
    assert (seg.location, seg.zone) == (location, Zone.NOTE)


def test_comment_text_and_author(word):
    [comment] = find(word, VALUES["comment_subject"])
    assert comment.zone == Zone.COMMENT
    assert comment.location == f"批注1 (作者 {VALUES['comment_author']})"
    [author] = [s for s in word if s.field == "批注作者"]
    assert (author.text, author.zone) == (VALUES["comment_author"], Zone.PROPERTY)


def test_revision_authors_are_reported_as_properties(word):
    authors = {s.text for s in word if s.field == "修订作者"}
    assert authors == {VALUES["ins_author"], VALUES["del_author"]}


# -- headers and footers --------------------------------------------------------------------------

def test_headers_and_footers_of_two_sections(raw):
    found = {s.location: s.text for s in raw if s.zone == Zone.HEADER}
    assert found == {
        "页眉(第1节)": "某某县民政局",
        "页眉(第1节, 首页)": f"首页页眉 经办人{VALUES['header_first_name']}",
        "页脚(第1节)": "第一节页脚",
        "页眉(第2节)": "第二节页眉",
        "页脚(第2节, 偶数页)": f"偶数页页脚 {VALUES['footer_even_phone']}",
    }


def test_libreoffice_headers_keep_sections_and_variants():
    """LibreOffice moves the footers around when it saves; every header text still gets a section."""
    found = [(s.location, s.text) for s in segments(FIXTURES / "docx_lo.docx") if s.zone == Zone.HEADER]
    assert ("页眉(第2节)", "第二节页眉") in found
    assert ("页脚(第2节, 偶数页)", f"偶数页页脚 {VALUES['footer_even_phone']}") in found
    assert any(VALUES["header_first_name"] in text and location.startswith("页眉(第1节")
               for location, text in found)


# -- tables ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("row, column, key, header", [
    (3, 2, "row1_name", "姓名"), (3, 3, "row1_id", "身份证号"),
    (4, 3, "row2_id", "身份证号"), (5, 2, "row3_name", "姓名"),
])
def test_table_cells_get_column_header_and_row_record(word, row, column, key, header):
    [seg] = find(word, VALUES[key])
    assert seg.location == f"表格1 第{row}行 第{column}列"
    assert (seg.zone, seg.field, seg.record) == (Zone.TABLE, header, f"表格1 第{row}行")


def test_title_row_and_header_row_have_no_field(word):
    title = [s for s in word if s.record == "表格1 第1行"]
    header = [s for s in word if s.record == "表格1 第2行"]
    assert [s.text for s in title] == ["2024年低保对象名单"]
    assert [s.text for s in header] == ["序号", "姓名", "身份证号", "家庭住址"]
    assert all(s.field is None for s in title + header)


def test_vertically_merged_cell_read_once(word):
    [seg] = find(word, VALUES["shared_address"])
    assert (seg.location, seg.field) == ("表格1 第4行 第4列", "家庭住址")


def test_horizontal_merge_keeps_columns_aligned(word):
    [total] = [s for s in word if s.text == "3户"]
    assert (total.location, total.field) == ("表格1 第6行 第4列", "家庭住址")


def test_nested_table_location_and_header(word):
    [seg] = find(word, VALUES["nested_mobile"])
    assert seg.location == "表格2 第1行 第2列 > 表格1 第2行 第2列"
    assert (seg.field, seg.record) == ("电话", "表格2 第1行 第2列 > 表格1 第2行")


# -- properties and embedded objects -------------------------------------------------------------------

@pytest.mark.parametrize("label, key", [
    ("作者", "creator"), ("最后修改者", "last_modified_by"), ("单位", "company"), ("经理", "manager"),
    ("经办人", "custom_handler"),
])
def test_document_properties(word, label, key):
    [seg] = [s for s in word if s.location == f"文档属性: {label}"]
    assert (seg.text, seg.field, seg.zone) == (VALUES[key], label, Zone.PROPERTY)


def test_embedded_workbook_is_read_as_a_workbook():
    items = read_all(FIXTURES / "docx_raw.docx")
    assert [item for item in items if isinstance(item, Notice)] == []
    [cell] = [item for item in items if item.text == "嵌入的表格"]
    assert cell.location == "嵌入对象「Microsoft_Excel_Worksheet.xlsx」 工作表「Sheet」 A1"
    assert cell.locator.part == "embedded" and cell.locator.path[0] == "word/embeddings/Microsoft_Excel_Worksheet.xlsx"


def test_python_docx_file():
    segs = segments(FIXTURES / "docx_pydocx.docx")
    [split] = find(segs, VALUES["id_split"])
    assert split.text == f"身份证号：{VALUES['id_split']}"
    [address] = find(segs, VALUES["shared_address"])
    assert (address.location, address.field) == ("表格1 第4行 第4列", "家庭住址")
    [nested] = find(segs, VALUES["nested_mobile"])
    assert nested.location == "表格2 第1行 第2列 > 表格1 第2行 第2列" and nested.field == "电话"
    assert ("页眉(第2节)", "第二节页眉") in [(s.location, s.text) for s in segs]
    assert [s.location for s in find(segs, VALUES["comment_subject"])] == [f"批注1 (作者 {VALUES['comment_author']})"]


# -- edge cases on small hand-built files ------------------------------------------------------------------

def test_paragraph_mixing_visible_deleted_and_hidden_runs(tmp_path):
    body = p(r("甲"), '<w:del w:author="审核员"><w:r><w:delText>乙1</w:delText></w:r>'
             '<w:r><w:delText>2</w:delText></w:r></w:del>', r("丙"), r("丁", "<w:vanish/>"), r("戊"))
    segs = segments(docx_with_body(tmp_path / "mixed.docx", body))
    assert [(s.text, s.zone) for s in segs if s.zone != Zone.PROPERTY] == [
        ("甲丙戊", Zone.TOP), ("乙12", Zone.REVISION), ("丁", Zone.HIDDEN)]


def test_vanish_switched_off_is_visible(tmp_path):
    segs = segments(docx_with_body(tmp_path / "v.docx", p(r("可见", '<w:vanish w:val="0"/>'))))
    assert [(s.text, s.zone) for s in segs] == [("可见", Zone.TOP)]


def test_hidden_digits_inside_a_number_come_back_with_the_number(tmp_path):
    body = p(r("卡号 6222"), r("0212", "<w:vanish/>"), r("34567890"))
    segs = segments(docx_with_body(tmp_path / "h.docx", body))
    assert [s.text for s in segs] == ["卡号 622234567890", "6222021234567890"]


def test_header_row_with_grouped_columns_and_grid_before(tmp_path):
    def tc(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(r(text)) if text else p()}</w:tc>"

    rows = [
        tc("姓名", '<w:vMerge w:val="restart"/>') + tc("联系方式", '<w:gridSpan w:val="2"/>'),
        tc("", "<w:vMerge/>") + tc("电话") + tc("身份证号"),
        tc("张三") + tc("13800000000") + tc("110105199001011234"),
        '<w:trPr><w:gridBefore w:val="1"/></w:trPr>' + tc("13900000000") + tc("320106199001011234"),
    ]
    table = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>" + "".join(
        f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"
    segs = segments(docx_with_body(tmp_path / "t.docx", table))
    fields = {s.text: (s.location, s.field) for s in segs}
    assert fields["张三"] == ("表格1 第3行 第1列", "姓名")
    assert fields["110105199001011234"] == ("表格1 第3行 第3列", "联系方式/身份证号")
    assert fields["13900000000"] == ("表格1 第4行 第2列", "联系方式/电话")


def test_table_without_header_row_has_no_fields(tmp_path):
    rows = "".join(f"<w:tr><w:tc>{p(r(a))}</w:tc><w:tc>{p(r(b))}</w:tc></w:tr>"
                   for a, b in [("2024", "123.5"), ("2023", "110.0")])
    segs = segments(docx_with_body(tmp_path / "n.docx", f"<w:tbl>{rows}</w:tbl>"))
    assert [s.field for s in segs] == [None] * 4
    assert segs[0].record == "表格1 第1行"


def test_content_control_and_hyperlink_text_is_read(tmp_path):
    body = ('<w:sdt><w:sdtPr><w:alias w:val="封面"/></w:sdtPr><w:sdtContent>'
            + p('<w:hyperlink r:id="x">' + r("链接里的文字") + "</w:hyperlink>") + "</w:sdtContent></w:sdt>")
    segs = segments(docx_with_body(tmp_path / "c.docx", body))
    assert [(s.text, s.location) for s in segs] == [("链接里的文字", "第1段")]


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_saved_file_made_now(tmp_path):
    """Re-save the hand-written fixture with the installed LibreOffice and read the result."""
    from tests.fixtures.make_fixtures import libreoffice_resave

    target = tmp_path / "fresh.docx"
    libreoffice_resave(FIXTURES / "docx_raw.docx", target, "docx:MS Word 2007 XML")
    segs = segments(target)
    assert find(segs, VALUES["id_split"])[0].location == "第2段"
    assert [s.text for s in segs if s.location.startswith("第5段 修订-删除")] == [VALUES["masked_id"]]
    assert len(find(segs, VALUES["textbox_mobile"])) == 1


def test_libreoffice_fixture_is_really_from_libreoffice():
    import zipfile

    with zipfile.ZipFile(FIXTURES / "docx_lo.docx") as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")



def test_text_box_in_a_paragraph_without_text(tmp_path):
    from tests.fixtures.make_fixtures import text_box

    segs = segments(docx_with_body(tmp_path / "tb.docx", p(text_box("框内文字"))))
    assert [(s.text, s.location, s.zone) for s in segs] == [("框内文字", "文本框1", Zone.BODY)]


def test_header_part_no_section_uses_is_still_read(tmp_path):
    from tests.fixtures.make_fixtures import W_NS

    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" '
            'Target="header9.xml"/></Relationships>')
    extra = {"word/_rels/document.xml.rels": rels,
             "word/header9.xml": f"<w:hdr {W_NS}>{p(r('旧页眉 经办人王五'))}</w:hdr>"}
    segs = segments(docx_with_body(tmp_path / "orphan.docx", p(r("正文")), extra))
    assert ("页眉(未使用)", "旧页眉 经办人王五", Zone.HEADER) in [(s.location, s.text, s.zone) for s in segs]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_style_that_hides_text_is_read_whatever_the_styles_part_encoding(tmp_path, encoding):
    """The styles part is searched for w:vanish before it is parsed; a UTF-16 part is parsed anyway."""
    styles = (f'<?xml version="1.0" encoding="{encoding.upper()}"?><w:styles {W_NS}>'
              '<w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>'
              '</w:styles>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"'
            ' Target="styles.xml"/></Relationships>')
    path = docx_with_body(tmp_path / "s.docx", p(r("联系电话 "), r("13812345678", '<w:rStyle w:val="Secret"/>')),
                          {"word/_rels/document.xml.rels": rels, "word/styles.xml": styles.encode(encoding)})
    segs = segments(path)
    assert [(s.text, s.zone) for s in segs if s.zone in (Zone.TOP, Zone.HIDDEN)] == [
        ("联系电话", Zone.TOP), ("13812345678", Zone.HIDDEN)]


def test_a_revision_author_in_a_footnote_is_reported_when_the_body_has_none(tmp_path):
    """Parts whose bytes hold no "author" are not searched for revision authors; a part that does is."""
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    footnotes = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W_NS}><w:footnote w:id="1"><w:p>'
                 f'<w:ins w:id="1" w:author="王审核">{r("见附件")}</w:ins></w:p></w:footnote></w:footnotes>')
    path = docx_with_body(tmp_path / "f.docx", p(r("正文没有修订")),
                          {"word/_rels/document.xml.rels": rels, "word/footnotes.xml": footnotes})
    found = segments(path)
    assert [s.text for s in found if s.field == "修订作者"] == ["王审核"]
    assert [s.location for s in found if s.text == "见附件"] == ["脚注1"]
