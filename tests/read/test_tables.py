"""One table-header detector (formats/tables.py) for every table format: the same table gets the
same column context (each cell's field) as .docx, .xlsx, .html and .csv."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from prepub_review.formats.base import Limits
from prepub_review.formats.document import read_document
from prepub_review.formats.tables import HeaderCell, find_header, is_form
from prepub_review.models import Segment

TITLE = "2024年1月低保对象名单"
HEADER = ["序号", "姓名", "身份证号", "2024年补助"]      # one header holds digits: still a header row
ROWS = [["1", "赵小梅", "330483199001011234", "620"], ["2", "钱大军", "33048319850203431X", "580"]]


def as_docx(folder):
    document = docx.Document()
    table = document.add_table(rows=2 + len(ROWS), cols=len(HEADER))
    title = table.rows[0].cells[0].merge(table.rows[0].cells[-1])
    title.text = TITLE
    for row, values in zip(table.rows[1:], [HEADER, *ROWS]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(folder / "t.docx")
    return folder / "t.docx"


def as_xlsx(folder):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.append(HEADER)
    for values in ROWS:
        sheet.append(values)          # numbers as text, as offices type IDs
    workbook.save(folder / "t.xlsx")
    return folder / "t.xlsx"


def as_html(folder):
    cells = lambda values: "".join(f"<td>{v}</td>" for v in values)
    body = (f'<tr><td colspan="{len(HEADER)}">{TITLE}</td></tr><tr>{cells(HEADER)}</tr>'
            + "".join(f"<tr>{cells(values)}</tr>" for values in ROWS))
    (folder / "t.html").write_text(f"<html><body><table>{body}</table></body></html>", encoding="utf-8")
    return folder / "t.html"


def as_csv(folder):
    lines = [TITLE, ",".join(HEADER), *(",".join(values) for values in ROWS)]
    (folder / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "t.csv"


def fields(path) -> dict[str, str | None]:
    _fmt, items = read_document(path, Limits())
    return {s.text: s.field for s in items if isinstance(s, Segment) and s.text in {v for r in ROWS for v in r}}


def test_the_same_table_gets_the_same_column_context_in_every_format(tmp_path):
    expected = {value: header for values in ROWS for value, header in zip(values, HEADER)}
    found = {maker.__name__: fields(maker(tmp_path)) for maker in (as_docx, as_xlsx, as_html, as_csv)}
    for name, got in found.items():
        assert got == expected, name


@pytest.mark.parametrize("rows, expected", [
    ([[HeaderCell(0, "说明：本表由民政局编制")], [HeaderCell(0, "姓名"), HeaderCell(1, "电话")]], [1]),
    ([[HeaderCell(0, "赵小梅"), HeaderCell(1, "13812345678")]], []),            # a data row is no header
    ([[HeaderCell(0, "姓名", marked=True), HeaderCell(1, "123", marked=True)]], [0]),   # <th> row
    ([[HeaderCell(0, "姓名"), HeaderCell(1, "联系方式", span=2)],
      [HeaderCell(1, "手机"), HeaderCell(2, "邮箱")]], [0, 1]),                     # grouped header
])
def test_find_header(rows, expected):
    found, fields = find_header(rows)
    assert found == expected
    if expected == [0, 1]:
        assert fields == {0: "姓名", 1: "联系方式/手机", 2: "联系方式/邮箱"}


GROUPED = [["序号", "户主信息", None, "金额"], [None, "姓名", "身份证号", None]]   # 户主信息 over two columns


def grouped_docx(folder):
    document = docx.Document()
    table = document.add_table(rows=2 + len(ROWS), cols=len(HEADER))
    table.rows[0].cells[1].merge(table.rows[0].cells[2])
    for row, values in zip(table.rows, [*GROUPED, *ROWS]):
        for index, value in enumerate(values):
            if value is not None and not (row is table.rows[0] and index == 2):
                row.cells[index].text = value
    document.save(folder / "g.docx")
    return folder / "g.docx"


def grouped_xlsx(folder):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in [*GROUPED, *ROWS]:
        sheet.append(values)
    sheet.merge_cells("B1:C1")
    workbook.save(folder / "g.xlsx")
    return folder / "g.xlsx"


def grouped_html(folder):
    cells = lambda values: "".join(f"<td>{v}</td>" for v in values if v is not None)
    body = ('<tr><td rowspan="2">序号</td><td colspan="2">户主信息</td><td rowspan="2">金额</td></tr>'
            '<tr><td>姓名</td><td>身份证号</td></tr>' + "".join(f"<tr>{cells(values)}</tr>" for values in ROWS))
    (folder / "g.html").write_text(f"<html><body><table>{body}</table></body></html>", encoding="utf-8")
    return folder / "g.html"


def test_a_header_that_groups_columns_gives_the_same_fields_in_every_format(tmp_path):
    """Two header rows, a merged 户主信息 over 姓名 and 身份证号: the sub-header names the columns. In
    .xlsx (read row by row, the merges listed after the cells) the group header alone was taken."""
    expected = {value: header for values in ROWS for value, header in zip(values, ["序号", "户主信息/姓名",
                                                                                 "户主信息/身份证号", "金额"])}
    for maker in (grouped_docx, grouped_xlsx, grouped_html):
        assert fields(maker(tmp_path)) == expected, maker.__name__


FORM = [["申请人姓名", "赵小梅", "性别", "女"],
        ["身份证号码", "330483199001011234", "出生年月", "1990年1月"],
        ["联系电话", "13812345678", "家庭人口", "3人"],
        ["家庭住址", "城南街道和平村3组18号", "所属村（社区）", "和平村"]]


def cells_of(rows):
    return [[HeaderCell(column, text) for column, text in enumerate(row) if text] for row in rows]


@pytest.mark.parametrize("rows, form", [
    (FORM, True),
    ([["城南街道临时救助申请审批表"]] + FORM, True),                        # under a title row
    (FORM[:3], False),         # two numbers under 赵小梅 (an ID, a phone): a table's ID column looks the same
    (FORM[:2], False),                                                       # too few rows to tell
    ([["姓名", "身份证号", "村", "电话"], *[["赵小梅", "330483199001011234", "和平村", "13812345678"]] * 3], False),
    ([["姓名", "性别", "住址", "类别"], ["赵小梅", "女", "和平村", "低保"], ["钱大军", "男", "庆丰村", "特困"]], False),
    ([["序号", "姓名", "身份证号", "金额"], ["1", "赵小梅", "330483199001011234", "620"],
      ["2", "钱大军", "33048319850203431X", "580"]], False),                  # numbers in a label column
    ([["姓名", "身份证号", "住址"], ["赵小梅", "330483199001011234", "某村"], ["钱多多", "备注", "某村"]], False),
])
def test_a_key_value_form_is_told_from_a_table(rows, form):
    """A form (label | value | label | value) has no header row: taken for one, its first row's values
    became every column's field (the recipient's name as the field of their ID number)."""
    assert is_form(cells_of(rows)) is form
    assert find_header(cells_of(rows))[0] == ([] if form else [0])
