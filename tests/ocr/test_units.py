"""Fast parts without the OCR engine: rows/columns from line boxes, the encrypted cache, small
pictures skipped and listed, EXIF GPS found, metadata stripped, a painted box over a value."""

from __future__ import annotations

import io
import math

from PIL import Image

from prepub_review.formats.edits import Edit
from prepub_review.formats.image import pixels
from prepub_review.models import Finding, Notice, Segment, Severity, Zone
from prepub_review.ocr import cache
from prepub_review.ocr.engine import OcrLine
from prepub_review.ocr.layout import place_lines
from prepub_review.ocr.picture import PictureTextAnchor, gps_position, read_picture

ID = "110101199003077578"


def table_lines(slope: float = 0.0) -> list[OcrLine]:
    """A title, a header row and two data rows, optionally tilted by `slope`."""
    rows = [[("城南街道低保公示", 20)], [("姓名", 100), ("身份证号", 260), ("住址", 640)],
            [("张伟明", 100), (ID, 260), ("和平村3组12号", 640)], [("李秀英", 100), ("320106198512123453", 260),
                                                                ("幸福路8号", 640)]]
    lines = []
    for r, row in enumerate(rows):
        for text, x in row:
            width = 30 * len(text) if not text.isascii() else 16 * len(text)
            y = 40 + 60 * r + slope * x
            lines.append(OcrLine(text, (x, int(y), x + width, int(y + 30 + abs(slope) * width)), 0.99, slope))
    return lines


def test_a_table_picture_gets_headers_as_fields_and_rows_as_records():
    for slope in (0.0, math.tan(math.radians(5)), -math.tan(math.radians(5))):
        placed = {p.line.text: p for p in place_lines(table_lines(slope))}
        assert placed["城南街道低保公示"].column is None
        assert placed["姓名"].is_header and placed["身份证号"].is_header
        assert (placed[ID].row, placed[ID].column, placed[ID].header) == (3, 2, "身份证号"), slope
        assert placed["张伟明"].header == "姓名" and placed["张伟明"].row == placed[ID].row
        assert placed["李秀英"].row == 4 and placed["幸福路8号"].header == "住址"


def test_cache_entries_are_encrypted_and_only_the_pixels_open_them(tmp_path):
    digest, other = b"\x01" * 32, b"\x02" * 32
    cache.store(tmp_path, digest, [[ID, [1, 2, 3, 4], 0.9, 0.0]])
    files = list((tmp_path / "ocr").rglob("*"))
    stored = b"".join(f.read_bytes() for f in files if f.is_file())
    assert ID.encode() not in stored and digest.hex() not in "".join(str(f) for f in files)
    assert cache.load(tmp_path, digest) == [[ID, [1, 2, 3, 4], 0.9, 0.0]]
    assert cache.load(tmp_path, other) is None
    entry = next(f for f in files if f.is_file())
    entry.write_bytes(entry.read_bytes()[:-1] + b"x")           # tampered: a miss, OCR runs again
    assert cache.load(tmp_path, digest) is None


def test_a_small_picture_is_skipped_and_listed():
    items = list(read_picture(Image.new("RGB", (64, 64), "white"), "嵌入图片「logo.png」", "m"))
    assert [(i.code, i.location) for i in items if isinstance(i, Notice)] == [("small_image", "嵌入图片「logo.png」")]


def gps_jpeg() -> bytes:
    picture = Image.new("RGB", (400, 300), "white")
    exif = Image.Exif()
    exif[0x013B] = "王某某"                                     # Artist
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 13.0, 49.44), 3: "E", 4: (121.0, 28.0, 25.32)})
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_gps_position_and_exif_text_are_read_as_properties(monkeypatch):
    monkeypatch.setenv("PREPUB_OCR", "0")
    picture = Image.open(io.BytesIO(gps_jpeg()))
    latitude, longitude = gps_position(picture.getexif())
    assert round(latitude, 4) == 31.2304 and round(longitude, 4) == 121.4737
    segments = [i for i in read_picture(picture, "图片", None) if isinstance(i, Segment)]
    assert {s.field for s in segments} == {"作者", "拍摄位置(GPS)"}
    assert all(s.zone is Zone.PROPERTY for s in segments)


def test_gps_is_a_block_finding(checker, tmp_path, monkeypatch):
    monkeypatch.setenv("PREPUB_OCR", "0")
    path = tmp_path / "走访照片.jpg"
    path.write_bytes(gps_jpeg())
    doc = checker.check_file(path)
    gps = [f for f in doc.findings if f.entity == "GPS_LOCATION"]
    assert gps and gps[0].severity is Severity.BLOCK and doc.verdict.value == "block"


def test_painted_picture_hides_the_value_and_keeps_no_metadata():
    picture = Image.open(io.BytesIO(gps_jpeg()))
    line = f"身份证号{ID}"
    anchor = PictureTextAnchor(None, (20, 100, 380, 130), line)
    finding = Finding("CN_ID_CARD", "valid", "P1", Severity.BLOCK, "身份证号", "", ID, "图片", Zone.BODY,
                      4, 4 + len(ID), 1.0, "test", anchor=anchor)
    painted, unplaced = pixels.paint(picture, [Edit(finding, "drop", "", line)])
    assert not unplaced
    box = pixels.value_box(anchor, 4, 4 + len(ID))
    assert box[0] > 20 + 30 and box[2] >= 378           # starts after 身份证号, runs to the line's end
    assert painted.getpixel(((box[0] + box[2]) // 2, 115)) == (0, 0, 0)
    written = Image.open(io.BytesIO(pixels.encode(painted, "JPEG")))
    assert len(written.getexif()) == 0 and not pixels.has_metadata(written)
