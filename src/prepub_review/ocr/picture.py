"""One picture -> Segments and Notices: what every format reader yields for an image.

Used for image files, scanned PDF pages and images inside .docx/.xlsx/.html. A picture is either
read (OCR, lines placed into rows and columns) or reported: too small to hold a list
(`small_image`, info: counted and listed), unreadable (`image_unreadable`) or not read because the
OCR extra is missing (`needs_ocr`, review). Never a silent pass.

Its EXIF is read too: a GPS position is offered as a property segment (the GPS_LOCATION recognizer
reports it), and the free-text tags (author, description, comment) are checked like document
properties.
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import ExifTags, Image, UnidentifiedImageError

from prepub_review.errors import ReadError
from prepub_review.formats.image import vector
from prepub_review.formats.image.vector import VectorTextAnchor
from prepub_review.models import Locator, Notice, Segment, Zone
from prepub_review.ocr import engine
from prepub_review.ocr.layout import place_lines

# Pictures smaller than this are icons, logos, bullets and small charts: skipped and listed.
# 15,000 px² is e.g. 150x100; a legible two-row table screenshot is larger.
MIN_PICTURE_AREA = 15_000
MIN_PICTURE_SIDE = 24
MAX_PICTURE_PIXELS = 80_000_000      # A4 at 600 dpi is 35 MP; more is a decompression bomb
TOP_ROWS = 5
EXIF_TEXT_TAGS = (("Artist", "作者"), ("ImageDescription", "图片说明"), ("XPAuthor", "作者"),
                  ("XPComment", "备注"), ("XPSubject", "主题"), ("XPTitle", "标题"), ("UserComment", "备注"),
                  ("Copyright", "版权"))
GPS_FIELD = "拍摄位置(GPS)"


@dataclass(frozen=True, slots=True)
class PictureTextAnchor:
    """An OCR'd line: `picture` is the format's key for the picture (a zip member name, a page
    index, a file), `box` = (left, top, right, bottom) in the picture's pixels."""

    picture: object
    box: tuple[int, int, int, int]
    line_text: str


@dataclass(frozen=True, slots=True)
class PictureMetadataAnchor:
    """An EXIF text tag or the GPS position of `picture`: removed with all metadata when written."""

    picture: object
    tag: str


def open_picture(data: bytes) -> Image.Image:
    """The first frame of a picture, decoded; ReadError when it is not a picture we can read."""
    Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            picture.seek(0)           # the first frame of a GIF / multi-page TIFF
            picture.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ReadError(f"图片像素过多（超过 {MAX_PICTURE_PIXELS // 1_000_000} 百万像素），未审查",
                        code="too_large") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReadError(f"图片已损坏或格式无法识别（{exc}），未能审查", code="corrupt_image") from exc
    return picture


def picture_items(data: bytes, where: str, key: object, *, anchors: bool = False,
                  locator_path: tuple = ()) -> Iterator[Segment | Notice]:
    """An embedded picture's items; a picture that does not decode is a Notice, not a failure of
    the whole document. A vector picture (EMF/WMF/SVG) is read from its text records, not by OCR."""
    if vector.kind_of(data):
        yield from vector_items(data, where, key, anchors=anchors, locator_path=locator_path)
        return
    try:
        picture = open_picture(data)
    except ReadError as exc:
        yield Notice("image_unreadable", where, exc.message)
        return
    yield from read_picture(picture, where, key, anchors=anchors, locator_path=locator_path)


def read_picture(picture: Image.Image, where: str, key: object, *, anchors: bool = False,
                 locator_path: tuple = ()) -> Iterator[Segment | Notice]:
    for segment in metadata_segments(picture, where):
        tag = segment.locator.path[-1]
        yield dataclasses.replace(segment, anchor=PictureMetadataAnchor(key, tag)) if anchors else segment
    width, height = picture.size
    if width * height < MIN_PICTURE_AREA or min(width, height) < MIN_PICTURE_SIDE:
        yield Notice("small_image", where,
                     f"图片较小（{width}×{height} 像素，小于 {MIN_PICTURE_AREA} 平方像素），按图标或装饰图片跳过，未识别文字")
        return
    if not engine.available():
        yield Notice("needs_ocr", where, f"图片中的文字未经核查（{width}×{height} 像素）。{engine.INSTALL_HINT}")
        return
    yield from text_segments(engine.recognise(picture), where, key, anchors=anchors, locator_path=locator_path)


def vector_items(data: bytes, where: str, key: object, *, anchors: bool = False,
                 locator_path: tuple = (), strict: bool = False) -> Iterator[Segment | Notice]:
    """A vector picture's drawn strings placed into rows and columns like OCR'd lines; what it holds
    that cannot be read (strings stored as glyph numbers, bitmaps) is a Notice. One that does not
    parse is a Notice too, or a ReadError when `strict`."""
    try:
        found = vector.read_text(data)
    except ReadError as exc:
        if strict:
            raise
        yield Notice("image_unreadable", where, exc.message)
        return
    lines, run_of = [], {}
    for index, run in found.shown_runs():
        line = engine.OcrLine(run.text, run.box, 1.0)
        run_of[id(line)] = index
        lines.append(line)
    make_anchor = (lambda line: VectorTextAnchor(key, run_of[id(line)], line.text)) if anchors else None
    label = f"{where}（{found.kind}）" if where.endswith("矢量图") else f"{where}（{found.kind} 矢量图）"
    yield from text_segments(lines, label, key, make_anchor=make_anchor,
                             locator_path=locator_path, pixels=False)
    if found.glyph_strings:
        yield Notice("vector_glyphs", where, f"矢量图（{found.kind}）中有 {found.glyph_strings} 段文字以字形编号保存，"
                                             "不是字符，本工具无法核查，需人工审查")
    if found.bitmaps:
        yield Notice("vector_bitmap", where, f"矢量图（{found.kind}）中嵌有 {found.bitmaps} 张位图，其中的文字未经核查，"
                                             "需人工审查")


def text_segments(lines: list[engine.OcrLine], where: str, key: object, *, anchors: bool = False,
                  locator_path: tuple = (), make_anchor: Callable[[engine.OcrLine], object] | None = None,
                  pixels: bool = True) -> Iterator[Segment]:
    """Lines placed into rows and columns as segments. Anchors: `make_anchor(line)` if given, else a
    PictureTextAnchor when `anchors`. `pixels`: whether boxes are in pixels (shown in the location)."""
    if make_anchor is None and anchors:
        make_anchor = lambda line: PictureTextAnchor(key, line.box, line.text)     # noqa: E731
    placed = place_lines(lines)
    first_table_row = min((p.row for p in placed if p.is_header), default=None)
    for item in placed:
        left, top, right, bottom = item.line.box
        place = f"{where} 第{item.row}行" + (f" 第{item.column}列" if item.column else "")
        location = f"{place}（像素 {left},{top}–{right},{bottom}）" if pixels else place
        if item.column is not None:
            zone = Zone.TABLE
        elif item.row <= TOP_ROWS and (first_table_row is None or item.row < first_table_row):
            zone = Zone.TOP
        else:
            zone = Zone.BODY
        record = f"{where} 第{item.row}行" if item.header is not None else None
        yield Segment(item.line.text, location, zone, field=item.header, record=record,
                      locator=Locator("image", (*locator_path, item.row, item.column or 0, left, top, right, bottom)),
                      anchor=make_anchor(item.line) if make_anchor else None)


def metadata_segments(picture: Image.Image, where: str) -> Iterator[Segment]:
    """EXIF free-text tags and the GPS position, as property segments."""
    try:
        exif = picture.getexif()
    except Exception:   # a malformed EXIF block must not stop the pixels being read
        return
    named = {ExifTags.TAGS.get(tag, str(tag)): value for tag, value in exif.items()}
    try:
        named.update({ExifTags.TAGS.get(tag, str(tag)): value
                      for tag, value in exif.get_ifd(ExifTags.IFD.Exif).items()})
    except Exception:
        pass
    for tag, label in EXIF_TEXT_TAGS:
        text = _exif_text(named.get(tag))
        if text:
            yield Segment(text, f"{where} 图片属性 {tag}", Zone.PROPERTY, field=label,
                          locator=Locator("property", (where, tag)))
    position = gps_position(exif)
    if position is not None:
        latitude, longitude = position
        yield Segment(f"GPS 纬度 {latitude:.6f} 经度 {longitude:.6f}", f"{where} 图片属性 GPS", Zone.PROPERTY,
                      field=GPS_FIELD, locator=Locator("property", (where, "GPS")))


def gps_position(exif: Image.Exif) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees from the EXIF GPS block, or None."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    return latitude, longitude


def _degrees(value, ref) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    sign = -1 if str(ref).strip().upper() in ("S", "W") else 1
    return sign * (degrees + minutes / 60 + seconds / 3600)


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        if value.startswith((b"ASCII\0\0\0", b"UNICODE\0")):      # UserComment's character code
            code, value = value[:8], value[8:]
            value = value.decode("utf-16-le" if code.startswith(b"UNICODE") else "ascii", errors="ignore")
        else:
            value = value.decode("utf-16-le" if value.endswith(b"\0\0") else "utf-8", errors="ignore")
    return str(value).replace("\0", "").strip() if value is not None else ""
