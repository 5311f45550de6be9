"""Builders for the read-stage tests: real files made on the fly, synthetic data only."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from tests import synth

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LEGACY = FIXTURES / "legacy"

RNG = random.Random(4242)
PERSON_ID = synth.cn_id(RNG)
PERSON_PHONE = synth.mobile(RNG)


def content(items) -> list:
    """A document's items without its file name, which an opened document yields first
    (formats/base.file_name_segment)."""
    return [item for item in items if getattr(item, "locator", None) is None or item.locator.part != "file_name"]


def docx_bytes(paragraphs: tuple[str, ...] = ("关于低保对象的公示", f"身份证号 {PERSON_ID}")) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号"])
    workbook.active.append(["赵小梅", PERSON_ID])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted_docx_bytes(password: str = "Secret-123") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(docx_bytes())
    out = io.BytesIO()
    OOXMLFile(plain).encrypt(password, out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def pdf_bytes(pages: list[list[str] | str], *, author: str | None = None, title: str | None = None,
              user_password: str | None = None, owner_password: str | None = None,
              annotation: str | None = None) -> bytes:
    """A PDF whose pages hold Chinese text lines (list) or are a scan ("scan": one image, no text),
    "blank", or "logo" (a line of text and a small image)."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    encrypt = None
    if user_password is not None or owner_password is not None:
        encrypt = pdfencrypt.StandardEncryption(user_password or "", ownerPassword=owner_password or "owner")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    if author:
        pdf.setAuthor(author)
    if title:
        pdf.setTitle(title)
    for page in pages:
        if page == "scan":
            pdf.drawImage(ImageReader(_gray_image(600, 800)), 30, 30, 535, 780)
        elif page == "logo":
            pdf.setFont("STSong-Light", 12)
            pdf.drawString(72, 770, "某某县民政局2023年政府信息公开工作年度报告正文第一段")
            pdf.drawImage(ImageReader(_gray_image(40, 40)), 500, 780, 40, 40)
        elif page == "blank":
            pass
        else:
            pdf.setFont("STSong-Light", 12)
            for number, line in enumerate(page):
                pdf.drawString(72, 770 - 20 * number, line)
        if annotation:
            pdf.textAnnotation(annotation, Rect=(72, 100, 200, 150))
            annotation = None
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _gray_image(width: int, height: int):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, height - 20, 30):   # lines of "scanned text"
        draw.rectangle((20, y, width - 20, y + 8), fill="gray")
    return image


def pdf_table_bytes(pages: list[list[list[list[str]]]], widths: list[int], intro: str | list[str] = "") -> bytes:
    """A PDF of a table drawn cell by cell, as LibreOffice and Word place it: each page a list of
    rows, each row a list of cells, each cell its wrapped lines; columns `widths` points wide.
    `intro`: a line above the table on the first page; a list: its pieces drawn one after another
    as runs of their own (as a writer does when the font changes with the script)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    lefts = [60 + sum(widths[:i]) for i in range(len(widths))]
    for number, rows in enumerate(pages):
        pdf.setFont("STSong-Light", 10)
        y = 780
        if intro and number == 0:
            x = 60
            for piece in [intro] if isinstance(intro, str) else intro:
                pdf.drawString(x, y, piece)
                x += pdfmetrics.stringWidth(piece, "STSong-Light", 10) + 4
            y -= 30
        for row in rows:
            for left, cell in zip(lefts, row):
                for line_number, line in enumerate(cell):
                    pdf.drawString(left + 2, y - 12 * line_number, line)
            y -= 12 * max(len(cell) for cell in row) + 8
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
