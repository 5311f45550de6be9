"""Synthetic pictures of recipient lists, and the ways real photos degrade them.

`recipient_table(rng, rows, dpi)` renders a 低保 list (title, header, rows of 序号/姓名/身份证号/家庭住址/
人数) with a CJK system font and returns the picture and its truth (names, IDs). The degradations
mimic what arrives on a government site: a slightly rotated scan, a JPEG saved at quality 60, a
150 dpi scan, a phone photo's uneven lighting and perspective. Used by tests/ocr and
benchmarks/ocr.py. All data is synthetic (Faker zh_CN names, IDs with valid check digits).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from prepub_review.formats.image.pixels import cjk_font
from tests import synth
from tests.eval import people

POINT_SIZE = 10.5                 # 五号字, the usual size of a printed list
COLUMNS = (("序号", 3), ("姓名", 5), ("身份证号", 13), ("家庭住址", 15), ("人数", 3))   # width in em


def font(px: int) -> ImageFont.FreeTypeFont:
    found = cjk_font()
    if found is None:
        raise RuntimeError("no Chinese font (install fonts-noto-cjk)")
    return ImageFont.truetype(found[0], px, index=found[1])


@dataclass
class Table:
    picture: Image.Image
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def recipient_rows(rng: random.Random, count: int) -> list[list[str]]:
    fake = synth.faker(rng.randrange(1 << 30))
    village = rng.choice(people.VILLAGES)
    return [[str(n), fake.name(), synth.cn_id(rng), people.door_address(rng, village)[:14], str(rng.randint(1, 5))]
            for n in range(1, count + 1)]


def recipient_table(rng: random.Random, rows: int = 4, dpi: int = 150, title: str | None = None) -> Table:
    data = recipient_rows(rng, rows)
    picture = render_table([name for name, _w in COLUMNS], data, dpi, title or "城南街道2026年10月最低生活保障对象公示")
    return Table(picture, [r[1] for r in data], [r[2] for r in data], data)


def render_table(header: list[str], rows: list[list[str]], dpi: int, title: str | None = None) -> Image.Image:
    em = round(POINT_SIZE / 72 * dpi)
    face = font(em)
    widths = [round(w * em) for _name, w in COLUMNS][:len(header)]
    row_height, margin = round(em * 1.9), em * 2
    top = margin + (row_height if title else 0)
    picture = Image.new("RGB", (sum(widths) + 2 * margin, top + row_height * (len(rows) + 1) + margin), "white")
    draw = ImageDraw.Draw(picture)
    if title:
        draw.text((margin, margin), title, font=face, fill="black")
    for r, cells in enumerate([header, *rows]):
        x, y = margin, top + r * row_height
        for text, width in zip(cells, widths):
            draw.rectangle([x, y, x + width, y + row_height], outline="black", width=max(1, em // 20))
            draw.text((x + em // 3, y + (row_height - em) // 2), text, font=face, fill="black")
            x += width
    return picture


def page_with_table(table: Image.Image, dpi: int) -> Image.Image:
    """An A4 page at `dpi` with the table near its top, as a scanner delivers it."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("RGB", (width, height), "white")
    scale = min(1.0, (width - dpi) / table.width)
    if scale < 1.0:
        table = table.resize((round(table.width * scale), round(table.height * scale)), Image.LANCZOS)
    page.paste(table, (dpi // 2, dpi))
    return page


# -- degradations ------------------------------------------------------------------------------
def rotate(picture: Image.Image, degrees: float) -> Image.Image:
    return picture.rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor="white")


def jpeg(picture: Image.Image, quality: int = 60) -> Image.Image:
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def downsample(picture: Image.Image, factor: float) -> Image.Image:
    """A scan at `factor` times the resolution (0.5: 300 dpi -> 150 dpi)."""
    return picture.resize((round(picture.width * factor), round(picture.height * factor)), Image.BILINEAR)


def uneven_light(picture: Image.Image, darkest: float = 0.45) -> Image.Image:
    """Light falling from the top left: brightness from 1.0 down to `darkest`, grey paper."""
    pixels = np.asarray(picture.convert("RGB"), dtype=np.float32)
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width]
    light = 1.0 - (1.0 - darkest) * ((xs / width) * 0.6 + (ys / height) * 0.4)
    return Image.fromarray(np.clip(pixels * 0.92 * light[..., None], 0, 255).astype(np.uint8))


def perspective(picture: Image.Image, tilt: float = 0.08) -> Image.Image:
    """A phone held above the paper at an angle: the far edge is narrower than the near one."""
    width, height = picture.size
    inset = tilt * width
    # corners of the source quad (ul, ll, lr, ur) that map onto the output rectangle
    quad = (-inset, -inset * 0.3, 0, height, width, height, width + inset, -inset * 0.3)
    return picture.transform(picture.size, Image.QUAD, quad, resample=Image.BICUBIC, fillcolor="white")


def phone_photo(picture: Image.Image) -> Image.Image:
    return jpeg(uneven_light(perspective(rotate(picture, 3))), 70)


DEGRADATIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "clean": lambda p: p,
    "rotate +5°": lambda p: rotate(p, 5),
    "rotate -5°": lambda p: rotate(p, -5),
    "JPEG q60": lambda p: jpeg(p, 60),
    "150 dpi": lambda p: downsample(p, 0.5),
    "uneven light": uneven_light,
    "perspective": perspective,
    "phone photo (all)": phone_photo,
}


def png_bytes(picture: Image.Image, **info) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", **info)
    return buffer.getvalue()


def scanned_pdf(pictures: list[Image.Image], dpi: int = 150) -> bytes:
    """An image-only PDF: each picture is one A4 page's scan (no text layer)."""
    pages = [page_with_table(p, dpi) for p in pictures]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


# -- files that hold a picture -------------------------------------------------------------------
def write_bytes(path, data: bytes):
    path.write_bytes(data)
    return path


def write_png(path, picture: Image.Image, **info):
    return write_bytes(path, png_bytes(picture, **info))


def write_docx_with_picture(path, picture: Image.Image):
    """A Word document with a line of text and a pasted screenshot of the list."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_paragraph("关于2026年10月城南街道最低生活保障对象的公示（名单见下图）")
    document.add_picture(io.BytesIO(png_bytes(picture)), width=Cm(16))
    document.save(str(path))
    return path


def write_xlsx_with_picture(path, picture: Image.Image):
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "名单见图"
    sheet.add_image(SheetImage(io.BytesIO(png_bytes(picture))), "A3")
    book.save(str(path))
    return path


def write_html_with_picture(path, picture: Image.Image, name: str = "名单.png"):
    """A site page that shows the list as a picture kept beside it."""
    write_png(path.with_name(name), picture)
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>低保公示</title></head><body>"
                    f"<p>城南街道2026年10月低保对象公示如下：</p><img src='{name}' alt='公示名单'></body></html>",
                    encoding="utf-8")
    return path
