"""A PDF table whose cells wrap is read as cells under their column's header (formats/pdf/cells.py)."""

from __future__ import annotations

from prepub_review.formats.base import Limits
from prepub_review.formats.pdf.reader import read
from prepub_review.models import Segment
from prepub_review.pipeline import Checker
from tests.read.make_files import PERSON_ID, pdf_table_bytes, write

WIDTHS = [40, 45, 45, 45, 45, 45]
HEADER = [["序号"], ["户主姓", "名"], ["身份证", "号"], ["所属社", "区"], ["家庭住", "址"], ["致贫原", "因"]]


def row(number: str, name: str, community: str, address: list[str], cause: list[str]) -> list[list[str]]:
    return [[number], [name], [PERSON_ID[i:i + 5] for i in range(0, 18, 5)], [community], address, cause]


ROWS = [row("1", "李水梓", "南庄村", ["南庄村", "后村", "94号"], ["肺癌"]),
        row("2", "胡涵", "永兴村", ["城南街", "道学前", "街43", "号"], ["智力残", "疾一级"])]


def segments(tmp_path, pages, **extra) -> list[Segment]:
    path = write(tmp_path, "table.pdf", pdf_table_bytes(pages, WIDTHS, **extra))
    return [item for item in read(path, Limits()) if isinstance(item, Segment) and item.field not in
            ("作者", "标题", "主题", "创建程序", "生成程序")]


def test_wrapped_cells_are_read_whole_under_their_header(tmp_path):
    found = segments(tmp_path, [[HEADER, *ROWS]], intro="根据规定，现予以公示。")
    cells = {(s.record, s.field): s.text for s in found if s.record}
    assert cells[("第1页表格第1行", "家庭住址")] == "南庄村后村94号"
    assert cells[("第1页表格第1行", "致贫原因")] == "肺癌"
    assert cells[("第1页表格第1行", "身份证号")] == PERSON_ID
    assert cells[("第1页表格第2行", "家庭住址")] == "城南街道学前街43号"
    assert cells[("第1页表格第2行", "所属社区")] == "永兴村"
    lines = [s.text for s in found if s.record is None]
    assert "根据规定，现予以公示。" in lines                  # the paragraph above stays a line
    assert not {"后村", "肺癌", "94号"} & set(lines)         # the table's lines are read as its cells only
    assert not [s for s in found if s.field == "跨行拼接"]    # the cell holds the whole ID already


def test_the_next_page_goes_on_with_the_tables_columns(tmp_path):
    found = segments(tmp_path, [[HEADER, *ROWS], [ROWS[1]]])
    cells = {(s.record, s.field): s.text for s in found if s.record}
    assert cells[("第2页表格第1行", "致贫原因")] == "智力残疾一级"
    assert cells[("第2页表格第1行", "家庭住址")] == "城南街道学前街43号"


def test_a_table_that_fits_its_lines_is_read_by_lines(tmp_path):
    wide = [[cell[0] for cell in HEADER], *[["".join(cell) for cell in r] for r in ROWS]]
    found = segments(tmp_path, [[[[c] for c in r] for r in wide]])
    assert not [s for s in found if s.record]
    assert any(PERSON_ID in s.text for s in found)


def test_addresses_and_illnesses_in_wrapped_cells_are_blocked(tmp_path):
    path = write(tmp_path, "list.pdf", pdf_table_bytes([[HEADER, *ROWS]], WIDTHS))
    blocked = {(f.entity, f.record) for f in Checker().check_file(path).findings if f.severity.value == "block"}
    for record in ("第1页表格第1行", "第1页表格第2行"):
        assert {("ADDRESS", record), ("SENSITIVE_HEALTH", record), ("CN_ID_CARD", record)} <= blocked


def test_a_line_of_prose_in_several_runs_is_not_taken_for_the_header(tmp_path):
    """A writer puts digits and Chinese in runs of their own: "以公示。（耿雷，身份证号" | "3504…" |
    "，因死亡注销）" is several short runs, but pieces of a sentence, not labels."""
    intro = ["以公示。（耿雷，身份证号", PERSON_ID, "，因死亡注销）"]
    found = segments(tmp_path, [[HEADER, *ROWS]], intro=intro)
    cells = {(s.record, s.field): s.text for s in found if s.record}
    assert cells[("第1页表格第1行", "身份证号")] == PERSON_ID
    assert cells[("第1页表格第1行", "家庭住址")] == "南庄村后村94号"


def test_a_run_opening_with_a_mark_on_the_baseline_is_a_run(tmp_path):
    import pypdfium2 as pdfium

    from prepub_review.formats.pdf.cells import page_runs

    path = write(tmp_path, "t.pdf", pdf_table_bytes([[HEADER, *ROWS]], WIDTHS,
                                                    intro=["以公示。（耿雷，身份证号", PERSON_ID, "，因死亡注销）"]))
    document = pdfium.PdfDocument(str(path))
    try:
        texts = [run.text for run in page_runs(document[0].get_textpage())]
    finally:
        document.close()
    assert texts[:3] == ["以公示。（耿雷，身份证号", PERSON_ID, "，因死亡注销）"]


def test_a_row_the_page_break_cuts_is_read_whole_where_it_starts(tmp_path):
    pieces = [PERSON_ID[i:i + 5] for i in range(0, 18, 5)]                  # 5/5/5/3 digits
    cut_top = [["3"], ["王芳"], pieces[:2], ["永兴村"], ["城南街"], ["智力残"]]
    cut_rest = [[""], [""], pieces[2:], [""], ["道学前", "街43号"], ["疾一级"]]  # no 序号: the same row
    found = segments(tmp_path, [[HEADER, ROWS[0], cut_top], [cut_rest, ROWS[1]]])
    cells = {(s.record, s.field): s.text for s in found if s.record}
    assert cells[("第1页表格第2行", "身份证号")] == PERSON_ID
    assert cells[("第1页表格第2行", "家庭住址")] == "城南街道学前街43号"
    assert cells[("第1页表格第2行", "致贫原因")] == "智力残疾一级"
    assert cells[("第2页表格第2行", "户主姓名")] == "胡涵"                  # the next row keeps its place
    assert not [record for record, _field in cells if record == "第2页表格第1行"]
    path = write(tmp_path, "cut.pdf", pdf_table_bytes([[HEADER, ROWS[0], cut_top], [cut_rest, ROWS[1]]], WIDTHS))
    blocked = {(f.entity, f.record) for f in Checker().check_file(path).findings if f.severity.value == "block"}
    assert {("CN_ID_CARD", "第1页表格第2行"), ("ADDRESS", "第1页表格第2行"), ("SENSITIVE_HEALTH", "第1页表格第2行")} <= blocked
