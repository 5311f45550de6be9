"""PDF redaction: true removal (text layer, raw bytes, decompressed streams), for PDFs made by
reportlab (CID font STSong-Light) and by LibreOffice, and loud failure where text cannot be found."""

import random
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pymupdf
import pypdfium2 as pdfium
import pytest

from prepub_review.formats.pdf.writer import pdf_strings
from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor, default_output
from prepub_review.errors import VerificationFailed
from prepub_review.pipeline import Checker
from tests import synth
from tests.read.make_files import PERSON_ID, pdf_bytes, pdf_table_bytes

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

RNG = random.Random(20240917)
ID, ID_X, PHONE, CARD = synth.cn_id(RNG), synth.cn_id_x(RNG), synth.mobile(RNG), synth.bank_card(RNG)
RECIPIENT_LINES = [
    "城乡最低生活保障对象公示",
    f"姓名：张三明 身份证号：{ID} 联系电话：{PHONE}",
    f"户主：李建国 银行卡号：{CARD} 家庭人口：3 保障金额：1200元",
    f"代领人身份证号码：{ID_X}",
]
GONE = [ID, ID_X, PHONE, CARD, "张三明"]
KEPT = ["城乡最低生活保障对象公示", "家庭人口：3", "保障金额：1200元", "身份证号："]


@pytest.fixture(scope="module")
def redactor():
    checker = Checker()
    return Redactor(checker, load_profile(checker.rules, "assistance-recipients"))


def text_layers(path: Path) -> str:
    """The text as both libraries read it: a value must be gone for both."""
    with pymupdf.open(path) as document:
        mupdf = "\n".join(page.get_text() for page in document)
    pages = pdfium.PdfDocument(str(path))
    try:
        return mupdf + "\n" + "\n".join(page.get_textpage().get_text_range() for page in pages)
    finally:
        pages.close()


def stored(path: Path) -> bytes:
    """Raw bytes, every decompressed stream and the bytes of their hex strings."""
    blobs = [path.read_bytes()]
    with pymupdf.open(path) as document:
        for xref in range(1, document.xref_length()):
            blobs.append(document.xref_object(xref).encode("latin-1", "replace"))
            if document.xref_is_stream(xref):
                data = document.xref_stream(xref) or b""
                blobs.append(data)
                blobs += [bytes.fromhex(re.sub(rb"\s", b"", h).decode()) for h in re.findall(rb"<([0-9a-fA-F\s]+)>", data)
                          if len(re.sub(rb"\s", b"", h)) % 2 == 0]
    return b"\n".join(blobs)


def leaked(path: Path, values: list[str]) -> list[str]:
    text, data = text_layers(path), stored(path)
    return [v for v in values if v in text or v.encode("utf-8") in data or v.encode("utf-16-be") in data]


def reportlab_pdf(folder: Path, **extra) -> Path:
    path = folder / "公示.pdf"
    path.write_bytes(pdf_bytes([RECIPIENT_LINES], author="王晓红", annotation=f"核对：身份证号 {ID}", **extra))
    return path


def test_reportlab_cid_pdf_values_removed_everywhere(tmp_path, redactor):
    source = reportlab_pdf(tmp_path)
    with pymupdf.open(source) as document:     # a CID font without ToUnicode: decoded through its CMap
        fonts = [font for font in document.get_page_fonts(0) if font[2] == "Type0"]
        assert fonts and document.xref_get_key(fonts[0][0], "ToUnicode")[0] == "null"
    assert not leaked(source, []) and leaked(source, GONE) == GONE      # the helper can see them before
    before = source.read_bytes()
    result = redactor.redact(source, default_output(source))
    assert result.written and result.output.name == "公示.去标识化.pdf"
    assert source.read_bytes() == before
    assert leaked(result.output, GONE) == []
    text = text_layers(result.output)
    assert all(value in text for value in KEPT)
    assert "张*明" in text                                     # the replacement is written in place
    with pymupdf.open(result.output) as document:
        assert not document.metadata["author"]
        assert list(document[0].annots()) == []
    assert {"properties", "annotations"} <= {step.code for step in result.cleanings}


def test_neighbours_and_layout_survive(tmp_path, redactor):
    source = reportlab_pdf(tmp_path)
    result = redactor.redact(source, tmp_path / "out.pdf")
    with pymupdf.open(source) as before, pymupdf.open(result.output) as after:
        assert len(before) == len(after) and before[0].rect == after[0].rect
        old = {w[4]: w[:4] for w in before[0].get_text("words")}
        new = {w[4]: w[:4] for w in after[0].get_text("words")}
    assert new["城乡最低生活保障对象公示"] == old["城乡最低生活保障对象公示"]
    assert new["姓名："][:2] == pytest.approx(old["姓名：张三明"][:2])     # same place, value gone


def test_idempotent_and_dry_run(tmp_path, redactor):
    source = reportlab_pdf(tmp_path)
    planned = redactor.redact(source, tmp_path / "plan.pdf", dry_run=True)
    assert planned.edits and not (tmp_path / "plan.pdf").exists()
    first = redactor.redact(source, tmp_path / "once.pdf")
    second = redactor.redact(first.output, tmp_path / "twice.pdf")
    assert second.unchanged and not second.edits and second.output_sha256 == second.input_sha256


def test_embedded_files_and_xmp_author_removed(tmp_path, redactor):
    source = reportlab_pdf(tmp_path)
    with pymupdf.open(source) as document:
        document.embfile_add("名单.csv", f"姓名,身份证号\n张三明,{ID}\n".encode())
        document.set_xml_metadata('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
                                  '02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>'
                                  '<dc:creator><rdf:Seq><rdf:li>王晓红</rdf:li></rdf:Seq></dc:creator>'
                                  '</rdf:Description></rdf:RDF></x:xmpmeta>')
        document.save(tmp_path / "with_files.pdf")
    result = redactor.redact(tmp_path / "with_files.pdf", tmp_path / "out.pdf")
    with pymupdf.open(result.output) as document:
        assert document.embfile_count() == 0 and not document.get_xml_metadata()
    assert "王晓红".encode() not in stored(result.output) and not leaked(result.output, GONE)
    assert "embedded_files" in {step.code for step in result.cleanings}
    # the attached file's notice leaves with the file: not kept for a person to review
    assert not [f for f in result.kept if f.variant == "embedded_object"]


@pytest.mark.parametrize("hidden", ["张三明", ID])
def test_text_the_search_cannot_find_fails_loudly(tmp_path, redactor, monkeypatch, hidden):
    """pdfium reads a value PyMuPDF cannot locate: the output is refused, never left with the value.
    A name is only review level, so the checker's re-check would let it pass: the edit the writer could
    not place refuses the write (as any unplaced edit does, whatever the format)."""
    source = reportlab_pdf(tmp_path)
    search = pymupdf.Page.search_for
    monkeypatch.setattr(pymupdf.Page, "search_for",
                        lambda self, text, **kwargs: [] if text == hidden else search(self, text, **kwargs))
    with pytest.raises(VerificationFailed, match="无法在原处修改 1 处：第1页 第2行"):
        redactor.redact(source, tmp_path / "out.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["公示.pdf"]


@pytest.mark.parametrize("stored_as", [f"({ID})", "<FEFF" + "张三明".encode("utf-16-be").hex() + ">"])
def test_hidden_copy_in_the_file_fails_loudly(tmp_path, redactor, monkeypatch, stored_as):
    """A removed value still stored where no text extractor looks (here a catalog entry) is found
    in the file's objects and refused."""
    from prepub_review.formats.pdf.writer import PdfDocument

    save = PdfDocument.save

    def save_with_copy(self, out):
        self.doc.xref_set_key(self.doc.pdf_catalog(), "Note", stored_as)
        save(self, out)

    monkeypatch.setattr(PdfDocument, "save", save_with_copy)
    with pytest.raises(VerificationFailed, match="校验未通过"):
        redactor.redact(reportlab_pdf(tmp_path), tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("source, expected", [
    (b"BT (3304) Tj ET", b"3304"),
    (b"[(3304) -20 (8319) 5 (90)] TJ", b"3304831990"),
    (b"(a\\(b\\)c) (x(nested)y)", b"a(b)cx(nested)y"),
    (b"(\\063\\0623) (line\\\ncontinued)", b"323linecontinued"),
    (b"<< /Type /Page >> <5F20 4E09> <414>", b"\x5f\x20\x4e\x09\x41\x40"),
    (b"(unterminated", b"unterminated"),
    (b"no strings here 0 0 1 rg", b""),
])
def test_pdf_strings(source, expected):
    assert pdf_strings(source) == expected


# -- PDFs made by LibreOffice --------------------------------------------------------------------

def libreoffice_pdf(folder: Path) -> Path:
    document = docx.Document()
    document.core_properties.author = "王晓红"
    document.add_paragraph("城乡最低生活保障对象公示")
    document.add_paragraph(f"申请人张三明，身份证号：{ID}，联系电话：{PHONE}。家庭人口：3，保障金额：1200元。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "身份证号码", "银行卡号")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("李建国", ID_X, CARD)):
        cell.text = text
    document.add_paragraph("某某县民政局")
    source = folder / "lo.docx"
    document.save(source)
    return soffice_pdf(source)


def soffice_pdf(source: Path) -> Path:
    """`source` saved as PDF by LibreOffice, beside it."""
    folder = source.parent
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=120, env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    return source.with_suffix(".pdf")


@pytest.fixture(scope="module")
def lo_pdf(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    return libreoffice_pdf(tmp_path_factory.mktemp("lo"))


@pytest.mark.libreoffice
def test_libreoffice_pdf_values_removed_everywhere(tmp_path, redactor, lo_pdf):
    values = [ID, ID_X, PHONE, CARD, "张三明"]
    assert leaked(lo_pdf, values) == values
    result = redactor.redact(lo_pdf, tmp_path / "out.pdf")
    assert leaked(result.output, values) == []
    text = text_layers(result.output)
    assert "城乡最低生活保障对象公示" in text and "1200" in text and "某某县民政局" in text


@pytest.mark.libreoffice
def test_font_without_unicode_map_is_refused(tmp_path, redactor, lo_pdf):
    """Without ToUnicode the text layer is glyph codes: nothing can be found, so nothing is written."""
    with pymupdf.open(lo_pdf) as document:
        for xref in range(1, document.xref_length()):
            if document.xref_get_key(xref, "ToUnicode")[0] != "null":
                document.xref_set_key(xref, "ToUnicode", "null")
        document.save(tmp_path / "unmapped.pdf")
    checked = redactor.checker.check_file(tmp_path / "unmapped.pdf")     # `check` says so too
    assert "unmapped_text" in {f.variant for f in checked.findings if f.entity == "UNVERIFIED_CONTENT"}
    with pytest.raises(VerificationFailed, match="文字层无法识别"):
        redactor.redact(tmp_path / "unmapped.pdf", tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_numbers_wrapped_down_narrow_cells_are_removed_from_every_line(tmp_path, redactor):
    number, phone = synth.cn_id(random.Random(5)), synth.mobile(random.Random(5))
    id_pieces = [number[i:i + 5] for i in range(0, 18, 5)]
    phone_pieces = [phone[i:i + 5] for i in range(0, 11, 5)]
    source = tmp_path / "narrow.pdf"
    source.write_bytes(pdf_bytes([["户主姓名 身份证号 金额 联系电话", f"张建国 {id_pieces[0]}", *id_pieces[1:],
                                   "860 和平村", *phone_pieces, "因病"]]))
    output = tmp_path / "out.pdf"
    assert redactor.redact(source, output).written
    layers = text_layers(output)
    printed = re.sub(r"\s", "", layers)
    assert number not in printed and phone not in printed
    lines = [line.strip() for line in layers.splitlines()]
    for piece in id_pieces[1:] + phone_pieces[1:]:        # each line of both cells lost its piece
        assert piece not in lines
    assert "860 和平村" in lines                          # the row's other cells stay
    assert not blocked_identifiers(output)                # the masked name 张*国 may still ask a review


@pytest.mark.parametrize("split", [12, 7])
def test_an_id_wrapped_over_two_lines_is_removed_from_both(tmp_path, redactor, split):
    number = synth.cn_id(random.Random(split))
    source = tmp_path / "wrapped.pdf"
    source.write_bytes(pdf_bytes([["序号 户主姓名 身份证号 金额", f"1 张建国 {number[:split]} 860", f"{number[split:]} 元"]]))
    output = tmp_path / "out.pdf"
    result = redactor.redact(source, output)
    assert result.written
    layers = text_layers(output)
    assert number[:split] not in layers and number[split:] not in layers
    assert number[split:].encode() not in stored(output)
    assert "860" in layers                       # the amount on the same line stays
    assert Checker().check_file(output).verdict.value == "pass"


def blocked_count(path: Path, entity: str) -> int:
    return sum(1 for f in Checker().check_file(path).findings if f.entity == entity and f.severity.value == "block")


def blocked_identifiers(path: Path) -> set[tuple[str, str]]:
    return {(f.entity, f.text) for f in Checker().check_file(path).findings
            if f.entity in ("CN_ID_CARD", "PHONE_NUMBER") and f.severity.value == "block"}


@pytest.mark.libreoffice
def test_a_recipient_list_saved_as_pdf_by_libreoffice_is_checked_as_its_docx(tmp_path, redactor):
    """The shipped 低保 list has nine narrow columns: in LibreOffice's PDF every ID and mobile number
    wraps over two to four lines of a few digits each, and every address and illness over several.
    All are found as in the .docx, and all are redacted."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    source = tmp_path / "list.docx"
    shutil.copy(SAMPLES / "低保公示-城南街道-2026年10月.docx", source)
    pdf = soffice_pdf(source)
    in_docx, in_pdf = blocked_identifiers(source), blocked_identifiers(pdf)
    printed = re.sub(r"\s", "", text_layers(pdf))     # a comment of the .docx is not in its PDF
    ids = {value for entity, value in in_docx if entity == "CN_ID_CARD"}
    assert len(ids) >= 10 and {value for entity, value in in_pdf if entity == "CN_ID_CARD"} == ids
    assert {(e, v) for e, v in in_docx if e == "PHONE_NUMBER" and v in printed} <= in_pdf
    # the door-level addresses and illnesses, known by their column (the cells rebuilt, cells.py)
    for entity in ("ADDRESS", "SENSITIVE_HEALTH"):
        assert blocked_count(pdf, entity) == blocked_count(source, entity) > 0
    result = redactor.redact(pdf, tmp_path / "out.pdf")
    assert not {value for _, value in in_pdf if value in re.sub(r"\s", "", text_layers(result.output))}
    assert not [f for f in Checker().check_file(result.output).findings if f.severity.value == "block"]



def test_a_table_in_wrapped_cells_is_redacted_cell_by_cell(tmp_path, redactor):
    """Each value goes from its own cell: the address is cut back to its village, the illness and the
    ID go, the 所属社区 cell beside them stays."""
    from tests.read.test_pdf_cells import HEADER, ROWS, WIDTHS

    source = tmp_path / "table.pdf"
    source.write_bytes(pdf_table_bytes([[HEADER, *ROWS]], WIDTHS))
    result = redactor.redact(source, tmp_path / "out.pdf")
    printed = re.sub(r"\s", "", text_layers(result.output))
    for gone in (PERSON_ID[:5], PERSON_ID[5:10], "后村94号", "94号", "学前街", "肺癌", "智力残", "疾一级"):
        assert gone not in printed
    assert "永兴村" in printed and "南庄村" in printed
    assert not [f for f in Checker().check_file(result.output).findings if f.severity.value == "block"]


def test_a_row_the_page_break_cuts_is_redacted_on_both_pages(tmp_path, redactor):
    from tests.read.test_pdf_cells import HEADER, ROWS, WIDTHS

    pieces = [PERSON_ID[i:i + 5] for i in range(0, 18, 5)]
    cut_top = [["3"], ["王芳"], pieces[:2], ["永兴村"], ["城南街"], ["智力残"]]
    cut_rest = [[""], [""], pieces[2:], [""], ["道学前", "街43号"], ["疾一级"]]
    source = tmp_path / "table.pdf"
    source.write_bytes(pdf_table_bytes([[HEADER, ROWS[0], cut_top], [cut_rest, ROWS[1]]], WIDTHS))
    result = redactor.redact(source, tmp_path / "out.pdf")
    assert result.written
    printed = re.sub(r"\s", "", text_layers(result.output))
    for gone in (*pieces, "智力残", "疾一级", "道学前", "街43号"):
        assert gone not in printed
    assert "永兴村" in printed


def test_a_name_with_a_middle_dot_is_removed_though_mupdf_cannot_read_the_dot(tmp_path, redactor):
    """MuPDF reads no character for U+00B7 of a non-embedded CJK font (买买提·热合曼 reads 买买提热合曼),
    where pdfium, the reader, reads it: the value is searched for as MuPDF reads the line."""
    names = ["买买提·热合曼", "阿迪力·艾力"]
    source = tmp_path / "发放名单.pdf"
    source.write_bytes(pdf_bytes([["临时救助资金发放名单",
                                   f"1 {names[0]} 身份证号：{ID} 救助金额：1040元",
                                   f"2 {names[1]} 联系电话：{PHONE} 救助金额：520元"]]))
    with pymupdf.open(source) as document:
        assert "买买提热合曼" in document[0].get_text()            # the premise: MuPDF skips the dot
    result = redactor.redact(source, tmp_path / "out.pdf")
    assert result.written
    assert leaked(result.output, names + [ID, PHONE]) == []
    text = text_layers(result.output)
    assert "买买提热合曼" not in text and "阿迪力艾力" not in text
    assert "救助金额：1040元" in text and "临时救助资金发放名单" in text


def test_a_diagnosis_broken_by_the_wrap_is_removed_from_both_lines_and_nothing_else(tmp_path, redactor):
    from tests.read.test_pdf import PARAGRAPH

    source = tmp_path / "公示.pdf"
    source.write_bytes(pdf_bytes([PARAGRAPH]))
    result = redactor.redact(source, tmp_path / "out.pdf")
    assert result.written
    with pymupdf.open(result.output) as document:
        lines = document[0].get_text().splitlines()
    assert not [line for line in lines if line.endswith("重") or line.startswith("度残疾")]
    assert leaked(result.output, ["重度残疾", "陈娟信"]) == []
    text = text_layers(result.output)
    assert "住重庆路新民村" in text and "，拟月保障金额330元。" in text     # the other 重 on the line stays
