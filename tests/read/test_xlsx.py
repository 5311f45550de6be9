"""The .xlsx reader on real files (openpyxl-made and LibreOffice-saved) and on hand-built sheets."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from prepub_review.errors import ReadError
from prepub_review.models import Segment, Zone
from prepub_review.formats.xlsx import reader as xlsx
from prepub_review.formats.base import Limits
from prepub_review.formats.xlsx.reader import column_index, column_letters, excel_date_text, is_date_format, number_text
from tests.read.office_parts import FIXTURES, roster_xlsx, xlsx_with_sheets

VALUES = json.loads((FIXTURES / "values.json").read_text(encoding="utf-8"))
LIST = "工作表「名单」"


def segments(path: Path, limits: Limits | None = None) -> list[Segment]:
    return [item for item in xlsx.read(path, limits or Limits()) if isinstance(item, Segment)]


def cells(path: Path, limits: Limits | None = None) -> list[Segment]:
    """Segments without the workbook-level ones (sheet names, properties)."""
    return [seg for seg in segments(path, limits) if seg.zone != Zone.PROPERTY]


def at(segs: list[Segment], location: str) -> Segment:
    [seg] = [s for s in segs if s.location == location]
    return seg


@pytest.fixture(scope="module", params=["xlsx_openpyxl.xlsx", "xlsx_lo.xlsx"])
def book(request) -> list[Segment]:
    return segments(FIXTURES / request.param)


def test_title_row_then_header_row_gives_fields(book):
    title = at(book, f"{LIST} A1")
    assert (title.text, title.field, title.zone) == (VALUES["x_title"], None, Zone.TABLE)
    header = at(book, f"{LIST} C2")
    assert (header.text, header.field) == ("身份证号", None)
    cell = at(book, f"{LIST} C3")
    assert (cell.text, cell.field, cell.record, cell.zone) == (VALUES["x_id_1"], "身份证号", f"{LIST} 第3行", Zone.TABLE)
    assert at(book, f"{LIST} B3").record == cell.record


def test_id_typed_as_a_number_keeps_its_digits_without_exponent(book):
    cell = at(book, f"{LIST} C4")
    assert cell.text.isdigit() and len(cell.text) == 18
    # a spreadsheet number holds 15-17 significant digits (LibreOffice rounds to 15)
    assert abs(int(cell.text) - int(VALUES["x_id_number"])) < 1000
    assert cell.field == "身份证号"


def test_hidden_column(book):
    cell = at(book, f"{LIST} D3 (隐藏列)")
    assert (cell.text, cell.zone, cell.field) == (VALUES["x_hidden_col_phone"], Zone.HIDDEN, "联系电话")


def test_hidden_row(book):
    name = at(book, f"{LIST} B5 (隐藏行)")
    assert (name.text, name.zone, name.field) == (VALUES["x_hidden_row_name"], Zone.HIDDEN, "姓名")
    assert at(book, f"{LIST} C5 (隐藏行)").text == VALUES["x_hidden_row_id"]


def test_dates_are_rendered_as_dates(book):
    assert at(book, f"{LIST} E3").text == "1990-01-01"
    assert at(book, f"{LIST} E4").text == "1985-06-30"


def test_cell_comment(book):
    [comment] = [s for s in book if s.zone == Zone.COMMENT]
    assert comment.text.endswith(VALUES["x_comment_text"])
    assert comment.location.startswith(f"{LIST} B4 批注")


def test_cell_comment_author_from_excel_style_file():
    segs = segments(FIXTURES / "xlsx_openpyxl.xlsx")
    [comment] = [s for s in segs if s.zone == Zone.COMMENT]
    assert comment.location == f"{LIST} B4 批注 (作者 {VALUES['x_comment_author']})"
    [author] = [s for s in segs if s.field == "批注作者"]
    assert (author.text, author.zone) == (VALUES["x_comment_author"], Zone.PROPERTY)


def test_hidden_sheet(book):
    cell = at(book, "工作表「备份」(隐藏工作表) A2")
    assert (cell.text, cell.zone) == (VALUES["x_hidden_sheet_id"], Zone.HIDDEN)


def test_very_hidden_sheet():
    segs = segments(FIXTURES / "xlsx_openpyxl.xlsx")
    cell = at(segs, "工作表「旧数据」(深度隐藏工作表) B2")
    assert (cell.text, cell.zone, cell.field) == (VALUES["x_very_hidden_bank"], Zone.HIDDEN, "银行卡号")


def test_very_hidden_sheet_after_libreoffice_is_still_read():
    """LibreOffice saves veryHidden as hidden; the content must still come out."""
    segs = segments(FIXTURES / "xlsx_lo.xlsx")
    assert VALUES["x_very_hidden_name"] in {s.text for s in segs if s.zone == Zone.HIDDEN}


@pytest.mark.parametrize("label, key", [("作者", "x_creator"), ("经办人", "x_custom")])
def test_workbook_properties(book, label, key):
    seg = at(book, f"文档属性: {label}")
    assert (seg.text, seg.field, seg.zone) == (VALUES[key], label, Zone.PROPERTY)


# -- hand-built sheets ------------------------------------------------------------------------------

def test_no_header_row_means_no_fields(tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>{i * 2.5}</v></c></row>' for i in range(1, 13))
    segs = cells(xlsx_with_sheets(tmp_path / "n.xlsx", {"数据": f"<sheetData>{rows}</sheetData>"}))
    assert len(segs) == 24 and {s.field for s in segs} == {None}
    assert segs[1].text == "2.5"


def test_header_found_after_eleven_rows_is_ignored(tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 12))
    rows += '<row r="12"><c r="A12" t="inlineStr"><is><t>姓名</t></is></c><c r="B12" t="inlineStr"><is><t>电话</t></is></c></row>'
    rows += '<row r="13"><c r="A13" t="inlineStr"><is><t>张三</t></is></c></row>'
    segs = cells(xlsx_with_sheets(tmp_path / "late.xlsx", {"表": f"<sheetData>{rows}</sheetData>"}))
    assert at(segs, "工作表「表」 A13").field is None


def test_cells_without_references_inline_strings_and_formula_results(tmp_path):
    sheet = ('<sheetData><row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
             '<row><c t="inlineStr"><is><r><t>张</t></r><r><t>三</t></r><rPh><t>ZHANG</t></rPh></is></c>'
             '<c t="str"><f>A1&amp;B1</f><v>13800000000</v></c><c t="e"><v>#N/A</v></c><c t="b"><v>1</v></c></row>'
             '</sheetData>')
    segs = cells(xlsx_with_sheets(tmp_path / "f.xlsx", {"表": sheet}, shared=["姓名", "电话"]))
    assert [(s.location, s.text, s.field) for s in segs] == [
        ("工作表「表」 A1", "姓名", None), ("工作表「表」 B1", "电话", None),
        ("工作表「表」 A2", "张三", "姓名"), ("工作表「表」 B2", "13800000000", "电话")]


def test_column_hidden_by_zero_width_and_range(tmp_path):
    sheet = ('<cols><col min="2" max="4" width="9" hidden="1"/><col min="5" max="5" width="0" customWidth="1"/></cols>'
             '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>2</v></c><c r="E1"><v>3</v></c>'
             '<c r="F1"><v>4</v></c></row></sheetData>')
    segs = cells(xlsx_with_sheets(tmp_path / "c.xlsx", {"表": sheet}))
    assert [(s.location, s.zone) for s in segs] == [
        ("工作表「表」 A1", Zone.TABLE), ("工作表「表」 C1 (隐藏列)", Zone.HIDDEN),
        ("工作表「表」 E1 (隐藏列)", Zone.HIDDEN), ("工作表「表」 F1", Zone.TABLE)]


def test_too_many_cells_is_a_read_error(tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>{i}</v></c></row>' for i in range(1, 11))
    path = xlsx_with_sheets(tmp_path / "big.xlsx", {"表": f"<sheetData>{rows}</sheetData>"})
    with pytest.raises(ReadError) as error:
        cells(path, Limits(max_sheet_cells=15))
    assert error.value.code == "too_large"
    assert len(cells(path, Limits(max_sheet_cells=20))) == 20


def test_a_long_roster_is_read_cell_by_cell(tmp_path):
    # Functional only: the 5000-row timing is in benchmarks/readers.py.
    segs = cells(roster_xlsx(tmp_path / "large.xlsx", rows=800))
    assert len(segs) == 10 + 800 * 10
    assert segs[-1].location == "工作表「名单」 J801" and segs[-1].field == "列10"
    assert segs[-10].text == "名字799" and segs[-10].field == "列1"


def test_sheet_names_headers_footers_and_text_boxes(tmp_path):
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet = ('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
             '<headerFooter><oddHeader>&amp;L&amp;"宋体,常规"&amp;12经办人 王小明&amp;R第&amp;P页</oddHeader>'
             '<oddFooter>&amp;C联系电话 0571-88886666</oddFooter></headerFooter><drawing r:id="rIdD"/>')
    drawing = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:sp><xdr:txBody>'
               '<a:p><a:r><a:t>备注：</a:t></a:r><a:r><a:t>李四已迁出</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
               '</xdr:twoCellAnchor></xdr:wsDr>')
    extra = {"xl/worksheets/_rels/sheet1.xml.rels": (
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rIdD" Type="{rel}/drawing" Target="../drawings/drawing1.xml"/></Relationships>'),
             "xl/drawings/drawing1.xml": drawing}
    segs = segments(xlsx_with_sheets(tmp_path / "hf.xlsx", {"张三家": sheet}, extra=extra))
    found = {(s.location, s.text, s.zone) for s in segs}
    assert ("工作表「张三家」 名称", "张三家", Zone.PROPERTY) in found
    assert ("工作表「张三家」 页眉", "经办人 王小明 第 页", Zone.HEADER) in found
    assert ("工作表「张三家」 页脚", "联系电话 0571-88886666", Zone.HEADER) in found
    assert ("工作表「张三家」 文本框", "备注：李四已迁出", Zone.BODY) in found


def pivot_workbook(path: Path) -> Path:
    """A workbook whose only copy of the register is a pivot cache (its source sheet deleted): names
    as shared items, an ID as text and one typed as a number, written into the records."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    s_ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    definition = (f'<pivotCacheDefinition {s_ns} xmlns:r="{rel}" r:id="rIdR"><cacheFields count="2">'
                  '<cacheField name="姓名"><sharedItems><s v="张三"/><s v="李四"/></sharedItems></cacheField>'
                  '<cacheField name="身份证号"><sharedItems/></cacheField></cacheFields></pivotCacheDefinition>')
    records = (f'<pivotCacheRecords {s_ns}><r><x v="0"/><s v="110105199001011234"/></r>'
               '<r><x v="1"/><n v="3.20106199001012E+17"/></r></pivotCacheRecords>')
    extra = {"xl/pivotCache/pivotCacheDefinition1.xml": definition,
             "xl/pivotCache/pivotCacheRecords1.xml": records,
             "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": (
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rIdR" Type="{rel}/pivotCacheRecords" Target="pivotCacheRecords1.xml"/>'
                 "</Relationships>")}
    return xlsx_with_sheets(path, {"汇总": "<sheetData/>"}, extra=extra)


def test_pivot_cache_keeps_rows_of_a_deleted_sheet(tmp_path):
    segs = cells(pivot_workbook(tmp_path / "pivot.xlsx"))
    assert [(s.location, s.field, s.text, s.zone) for s in segs] == [
        ("数据透视表缓存1 第1条", "姓名", "张三", Zone.HIDDEN),
        ("数据透视表缓存1 第1条", "身份证号", "110105199001011234", Zone.HIDDEN),
        ("数据透视表缓存1 第2条", "姓名", "李四", Zone.HIDDEN),
        ("数据透视表缓存1 第2条", "身份证号", "320106199001012000", Zone.HIDDEN)]


def test_pivot_cache_is_redacted_in_place(tmp_path):
    """Before, `redact` refused such a file (the cache was read but could not be edited). The values
    are edited where they are; the cache's structure (shared items and their indexes) stays."""
    from tests.conftest import run_prepub

    out = tmp_path / "out.xlsx"
    run = run_prepub("redact", str(pivot_workbook(tmp_path / "pivot.xlsx")), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    with zipfile.ZipFile(out) as package:
        definition = package.read("xl/pivotCache/pivotCacheDefinition1.xml").decode()
        records = package.read("xl/pivotCache/pivotCacheRecords1.xml").decode()
    assert '<s v="张*"/><s v="李*"/>' in definition and 'containsBlank="1"' in definition
    assert "110105199001011234" not in records and "3.20106199001012E+17" not in records
    assert records.count("<x v=") == 2 and "<m/>" in records
    assert run_prepub("check", str(out)).code == 0


@pytest.mark.parametrize("raw, expected", [
    ("3.30483199001012E+17", "330483199001012000"), ("3.3048319900101203E+17", "330483199001012030"),
    ("12.0", "12"), ("0.5", "0.5"), ("1E-3", "0.001"), ("-42", "-42"), ("1234.50", "1234.5"), ("abc", "abc"),
    # whole numbers take a shortcut past Decimal; it must give the same text
    ("007", "7"), (" 42 ", "42"), ("0", "0"), ("9" * 30, "9" * 30), ("1" + "0" * 30, "1" + "0" * 30),
    ("１２", "12"),
])
def test_number_text(raw, expected):
    assert number_text(raw) == expected


@pytest.mark.parametrize("raw, date1904, expected", [
    ("32874", False, "1990-01-01"), ("32874.5", False, "1990-01-01 12:00:00"), ("0.25", False, "06:00:00"),
    ("31412", True, "1990-01-01"), ("1", False, "1900-01-01"),
])
def test_excel_date_text(raw, date1904, expected):
    assert excel_date_text(raw, date1904) == expected


@pytest.mark.parametrize("code, is_date", [
    ("yyyy-mm-dd", True), ('yyyy"年"m"月"d"日"', True), ("h:mm:ss", True), ("[h]:mm", True),
    ("0.00", False), ('#,##0"元"', False), ("0.00E+00", False), ("[Red]0.00", False), ("@", False), ("General", False),
])
def test_is_date_format(code, is_date):
    assert is_date_format(code) is is_date


@pytest.mark.parametrize("ref, index", [("A1", 1), ("Z9", 26), ("AA10", 27), ("XFD1", 16384)])
def test_column_refs(ref, index):
    assert column_index(ref) == index
    assert column_letters(index) == ref.rstrip("0123456789")


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_saved_workbook_made_now(tmp_path):
    from tests.fixtures.make_fixtures import libreoffice_resave

    target = tmp_path / "fresh.xlsx"
    libreoffice_resave(FIXTURES / "xlsx_openpyxl.xlsx", target, "xlsx:Calc MS Excel 2007 XML")
    segs = cells(target)
    assert at(segs, f"{LIST} C3").field == "身份证号"
    assert at(segs, f"{LIST} D3 (隐藏列)").zone == Zone.HIDDEN


@pytest.mark.parametrize("ref", ["A1", "c7", "Ab12", "XFD1048576", "AB12X", "1A", "", "Ａ1", "é3", "B", "B2B"])
def test_column_index_shortcut_reads_the_leading_letters_as_the_general_rule_does(ref):
    from prepub_review.formats.xlsx.reader import _leading_letters_index

    assert column_index(ref) == _leading_letters_index(ref)
