"""PDF: text layer per page and line, properties, annotations, scanned pages, bad PDFs."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest

from prepub_review.errors import ReadError
from prepub_review.models import Notice, Segment, Zone
from prepub_review.formats.document import read_document
from prepub_review.formats.base import Limits
from prepub_review.formats.pdf.reader import read
from tests.read.make_files import PERSON_ID, PERSON_PHONE, pdf_bytes, write

PAGE_ONE = ["秘密★1年", "关于2023年低保对象的公示", "户主：赵小梅", f"身份证号：{PERSON_ID}", "第五行", "第六行"]


def items(tmp_path, data, name="a.pdf"):
    return list(read(write(tmp_path, name, data), Limits()))


def test_lines_per_page_with_locations_and_top(tmp_path):
    found = [s for s in items(tmp_path, pdf_bytes([PAGE_ONE, [f"联系电话：{PERSON_PHONE}"]]))
             if s.zone != Zone.PROPERTY]
    assert [(s.text, s.location, s.zone) for s in found] == [
        ("秘密★1年", "第1页 第1行", Zone.TOP),
        ("关于2023年低保对象的公示", "第1页 第2行", Zone.TOP),
        ("户主：赵小梅", "第1页 第3行", Zone.TOP),
        (f"身份证号：{PERSON_ID}", "第1页 第4行", Zone.TOP),
        ("第五行", "第1页 第5行", Zone.TOP),
        ("第六行", "第1页 第6行", Zone.BODY),
        (f"联系电话：{PERSON_PHONE}", "第2页 第1行", Zone.BODY),
    ]


def test_document_properties(tmp_path):
    found = items(tmp_path, pdf_bytes([["正文"]], author="赵小梅", title="低保名单"))
    assert Segment("赵小梅", "文档属性 Author", Zone.PROPERTY, "作者") in found
    assert Segment("低保名单", "文档属性 Title", Zone.PROPERTY, "标题") in found


def test_scanned_page_without_ocr_is_a_notice_never_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("PREPUB_OCR", "0")       # as without the [ocr] extra
    found = items(tmp_path, pdf_bytes([["第一页有文字"], "scan", ["第三页有文字"]]))
    notices = [item for item in found if isinstance(item, Notice)]
    assert [(n.code, n.location) for n in notices] == [("scanned_page", "第2页")]
    assert "扫描页无文字层" in notices[0].detail and "pip install 'prepub-review[ocr]'" in notices[0].detail


@pytest.mark.parametrize("page", ["logo", "blank"])
def test_text_with_a_small_image_or_a_blank_page_is_no_scan(tmp_path, page):
    found = items(tmp_path, pdf_bytes([["正文"], page]))
    assert not [item for item in found if isinstance(item, Notice)]


def test_annotation_text_is_a_comment(tmp_path):
    found = items(tmp_path, pdf_bytes([["正文"]], annotation=f"请核对赵小梅的电话{PERSON_PHONE}"))
    assert Segment(f"请核对赵小梅的电话{PERSON_PHONE}", "第1页 批注1", Zone.COMMENT) in found


def test_attachment_is_an_embedded_object_notice(tmp_path):
    document = pdfium.PdfDocument(pdf_bytes([["正文"]]))
    document.new_attachment("名单.xlsx").set_data(b"not checked")
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    found = items(tmp_path, buffer.getvalue())
    assert [item.code for item in found if isinstance(item, Notice)] == ["embedded_object"]


def test_user_password_is_encrypted(tmp_path):
    with pytest.raises(ReadError) as caught:
        items(tmp_path, pdf_bytes([["机密内容"]], user_password="pw"))
    assert caught.value.code == "encrypted"


def test_owner_password_only_still_reads(tmp_path):
    found = items(tmp_path, pdf_bytes([["可以打开"]], owner_password="owner-only"))
    assert "可以打开" in [s.text for s in found]


def test_garbage_after_header_is_corrupt(tmp_path):
    with pytest.raises(ReadError) as caught:
        items(tmp_path, b"%PDF-1.4\n" + b"\x00garbage" * 100)
    assert caught.value.code == "corrupt_pdf"


def test_read_document_dispatches_pdf_by_content(tmp_path):
    path = write(tmp_path, "report.doc", pdf_bytes([["正文"]]))
    fmt, found = read_document(path, Limits())
    assert fmt == "pdf"
    assert "正文" in [s.text for s in found]


@pytest.mark.parametrize("split", [12, 6, 17])
def test_a_number_wrapped_across_two_lines_is_offered_joined(tmp_path, split):
    # a narrow table cell wraps the ID; the pieces stand on consecutive lines among other cells
    lines = ["序号 户主姓名 身份证号 金额", f"1 张建国 {PERSON_ID[:split]} 860", f"{PERSON_ID[split:]} 元"]
    joined = [s for s in items(tmp_path, pdf_bytes([lines])) if s.field == "跨行拼接"]
    assert [(s.text, s.location) for s in joined] == [(PERSON_ID, "第1页 第2-3行（跨行数字）")]


def test_short_numbers_on_consecutive_lines_are_not_joined(tmp_path):
    lines = ["2025年 主动公开 356 条", "2026年 依申请 12 件 860 元", "统计 1234567 89012"]
    assert not [s for s in items(tmp_path, pdf_bytes([lines])) if s.field == "跨行拼接"]


def test_a_full_row_is_not_joined_with_the_figures_of_the_next_row(tmp_path):
    # the next row's line opens with its 序号: a number's rest would come first on a continuation line
    lines = ["序号 姓名 联系电话 人口 金额", f"1 张建国 {PERSON_PHONE} 3 860", "2 李秀英 5 1234567"]
    assert not [s for s in items(tmp_path, pdf_bytes([lines])) if s.field == "跨行拼接"]


def test_a_row_is_not_joined_with_the_next_rows_number(tmp_path):
    # "66 … 6228485921916900 1560" / "67 …": the card and the next 序号 make 17 digits
    lines = ["序号 姓名 银行卡号 金额", "66 王明 6228485921916900 1560", "67 韦桂芳 6236680869000222 2955"]
    assert not [s for s in items(tmp_path, pdf_bytes([lines])) if s.field == "跨行拼接"]


def test_a_wrapped_id_is_found_by_check(tmp_path):
    from prepub_review.pipeline import Checker

    lines = ["户主姓名 身份证号", f"张建国 {PERSON_ID[:12]}", PERSON_ID[12:]]
    result = Checker().check_file(write(tmp_path, "w.pdf", pdf_bytes([lines])))
    assert result.verdict.value == "block"
    assert any(f.entity == "CN_ID_CARD" and f.text == PERSON_ID for f in result.findings)


def narrow_cells(number: str, width: int) -> list[str]:
    """A number as a cell `width` digits wide wraps it: one piece per line."""
    return [number[i:i + width] for i in range(0, len(number), width)]


@pytest.mark.parametrize("width", [5, 4, 3])
def test_a_number_wrapped_down_a_narrow_cell_is_offered_joined(tmp_path, width):
    # LibreOffice's PDF of a nine-column 低保 table: the ID and phone cells wrap every few digits,
    # and each piece after the first stands alone on its line (the row's other cells are higher up)
    id_pieces, phone_pieces = narrow_cells(PERSON_ID, width), narrow_cells(PERSON_PHONE, width)
    lines = ["序号 户主姓名 身份证号 家庭人口 联系电话", f"1 李水梓 {id_pieces[0]}", *id_pieces[1:],
             "1 760 南庄村", phone_pieces[0], *phone_pieces[1:], "肺癌"]
    joined = [(s.text, s.location) for s in items(tmp_path, pdf_bytes([lines])) if s.field == "跨行拼接"]
    id_last, phone_first = 1 + len(id_pieces), 3 + len(id_pieces)
    assert (PERSON_ID, f"第1页 第2-{id_last}行（跨行数字）") in joined
    assert (PERSON_PHONE, f"第1页 第{phone_first}-{phone_first + len(phone_pieces) - 1}行（跨行数字）") in joined
    assert PERSON_ID[:15] not in {text for text, _ in joined}   # not also as an old-style 15-digit ID


def test_a_column_of_figures_of_other_widths_is_not_joined(tmp_path):
    lines = ["户数 13567", "8234", "5", "金额 1356", "82345", "1", "合计 135", "823 元", "45678"]
    assert not [s for s in items(tmp_path, pdf_bytes([lines])) if s.field == "跨行拼接"]


def test_ids_and_phones_wrapped_down_narrow_cells_are_found_by_check(tmp_path):
    from prepub_review.pipeline import Checker

    lines = ["户主姓名 身份证号 联系电话", f"张建国 {PERSON_ID[:5]}", *narrow_cells(PERSON_ID[5:], 5),
             PERSON_PHONE[:5], *narrow_cells(PERSON_PHONE[5:], 5)]
    result = Checker().check_file(write(tmp_path, "w.pdf", pdf_bytes([lines])))
    assert result.verdict.value == "block"
    found = {(f.entity, f.text) for f in result.findings}
    assert {("CN_ID_CARD", PERSON_ID), ("PHONE_NUMBER", PERSON_PHONE)} <= found


def test_line_box_is_the_union_of_its_characters_boxes(tmp_path):
    """Each line anchor's box is the union of pypdfium2's own char boxes of that line's non-space
    characters (the reader calls pdfium directly, without the per-call wrapper)."""
    path = write(tmp_path, "b.pdf", pdf_bytes([PAGE_ONE, [f"联系电话：{PERSON_PHONE}"]]))
    lines = [s for s in read(path, Limits()) if s.zone != Zone.PROPERTY]
    document = pdfium.PdfDocument(str(path))
    try:
        expected = []
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            text = textpage.get_text_range()
            for line in (m for m in re.finditer(r"[^\r\n]+", text) if m.group().strip()):
                found = [textpage.get_charbox(i) for i in range(line.start(), line.end()) if not text[i].isspace()]
                found = [b for b in found if b[2] > b[0] or b[3] > b[1]]
                expected.append((index, min(b[0] for b in found), min(b[1] for b in found),
                                 max(b[2] for b in found), max(b[3] for b in found)))
    finally:
        document.close()
    assert [(s.anchor.page, *s.anchor.box) for s in lines] == expected
    assert all(right > left and top > bottom for _page, left, bottom, right, top in expected)


def test_line_boxes_are_measured_only_when_asked_for_and_equal_the_writers(tmp_path, monkeypatch):
    """`prepub check` reads no char boxes (a pdfium call per character); a box asked for later is
    measured on its page then, once, and equals the box the writer's reading measures at once."""
    from prepub_review.formats.pdf import reader as pdf_reader

    path = write(tmp_path, "b.pdf", pdf_bytes([PAGE_ONE, [f"联系电话：{PERSON_PHONE}", "第二行"]]))
    measured = []
    line_boxes = pdf_reader._line_boxes
    monkeypatch.setattr(pdf_reader, "_line_boxes", lambda *args: measured.append(1) or line_boxes(*args))
    lazy = [s.anchor for s in read(path, Limits()) if s.zone != Zone.PROPERTY]
    assert measured == []
    lazy_boxes = [(a.page, a.line, a.box) for a in lazy]
    assert len(measured) == 2                     # one measuring per page, kept for its other lines
    eager = [s.anchor for s in read(path, Limits(), measure_boxes=True) if s.zone != Zone.PROPERTY]
    assert len(measured) == 4
    assert [(a.page, a.line, a.box) for a in eager] == lazy_boxes
    assert all(box is not None for _page, _line, box in lazy_boxes)
    assert eager == lazy                          # anchors compare by page and line, not by how measured


# A paragraph wrapped at the right margin: each full line holds 30 characters (12 pt each, from x=72).
PARAGRAPH = ["户主陈娟信，女，58岁，住重庆路新民村，家庭人口1人，本人重",
             "度残疾，拟月保障金额330元。经入户调查、民主评议，拟同意纳",
             "入最低生活保障。"]


def test_a_paragraph_broken_by_the_wrap_is_also_read_joined(tmp_path):
    assert len(PARAGRAPH[0]) == len(PARAGRAPH[1]) == 30
    segments = [s for s in items(tmp_path, pdf_bytes([PARAGRAPH])) if isinstance(s, Segment) and "页" in s.location]
    assert [s.text for s in segments if not s.seams] == PARAGRAPH       # the lines as before
    joined = [s for s in segments if s.seams]
    assert [(s.text, s.seams, s.location) for s in joined] == [
        ("".join(PARAGRAPH), (30, 60), "第1页 第1-3行（跨行）")]


@pytest.mark.parametrize("lines", [
    ["序号 姓名 家庭住址 致贫原因", "1 陈娟信 新民村 重", "度残疾 2 人"],            # rows short of the margin
    [PARAGRAPH[0], "　　度残疾，拟月保障金额330元。"],                           # the next line is indented
    [PARAGRAPH[0], "。度残疾，拟月保障金额330元。"],                             # no word runs across
])
def test_lines_that_do_not_go_on_are_not_joined(tmp_path, lines):
    assert not [s for s in items(tmp_path, pdf_bytes([lines])) if isinstance(s, Segment) and s.seams]


def test_a_diagnosis_broken_by_the_wrap_is_found_once_in_its_paragraph(tmp_path):
    from prepub_review.pipeline import Checker

    result = Checker().check_file(write(tmp_path, "p.pdf", pdf_bytes([PARAGRAPH])))
    health = [(f.text, f.severity.value, f.location) for f in result.findings
              if f.entity == "SENSITIVE_HEALTH" and f.severity.value != "info"]
    assert health == [("重度残疾", "block", "第1页 第1-3行（跨行）")]        # the person is named in the paragraph
    names = [(f.text, f.location) for f in result.findings if f.entity == "PERSON"]
    assert names == [("陈娟信", "第1页 第1行")]                              # a line's own finding is not repeated
