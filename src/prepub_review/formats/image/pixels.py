"""Redaction of pictures: solid boxes over the pixels of each value, and no metadata.

`paint(picture, edits)` covers each edit's value on its OCR'd line. The value's place inside the
line is estimated from the line's box by character widths (a Chinese character is about twice as
wide as a digit or a Latin letter), widened by a margin; a masked value (张*明, 110***...) is drawn
in white inside the black box, a dropped one leaves the box empty. The caller then OCRs the output
again (the redactor re-checks it), so a value the box missed fails verification.

`clean_copy(picture)` is the picture with every metadata block gone (EXIF incl. GPS, XMP, ICC
comments, PNG text chunks): a new image holding only the pixels. Every picture prepub writes goes
through it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from prepub_review.formats.edits import Edit
from prepub_review.formats.image import vector
from prepub_review.formats.image.vector import VectorTextAnchor
from prepub_review.ocr.picture import PictureMetadataAnchor, PictureTextAnchor

NARROW_WIDTH = 0.55          # a digit / Latin letter relative to a Chinese character
MARGIN_EM = 0.35             # added on each side of the estimated span, in character heights
SAVE_FORMATS = {"JPEG": {"quality": 95}, "PNG": {"optimize": True}, "WEBP": {"quality": 95},
                "TIFF": {"compression": "tiff_lzw"}, "BMP": {}, "GIF": {}}


def paint(picture: Image.Image, edits: Iterable[Edit]) -> tuple[Image.Image, list[Edit]]:
    """(a painted copy of the picture, the edits that had no place on it)."""
    painted = clean_copy(picture)
    draw = ImageDraw.Draw(painted)
    unplaced = []
    for edit in edits:
        anchor = edit.finding.anchor
        if isinstance(anchor, PictureMetadataAnchor):
            continue              # gone with the metadata: the copy holds pixels only
        if not isinstance(anchor, PictureTextAnchor):
            unplaced.append(edit)
            continue
        box = value_box(anchor, edit.finding.start, edit.finding.end)
        draw.rectangle(box, fill="black")
        if edit.replacement.strip():
            _draw_text(draw, box, edit.replacement)
    return painted, unplaced


def redrawn(data: bytes, edits: list[Edit]) -> tuple[bytes, str | None, list[Edit]]:
    """(the picture's new bytes, its image format or None for a vector picture, the edits that had
    no place on it): a raster picture is painted over (`paint`), a vector one has its strings
    rewritten (formats/image/vector.py). ReadError when the picture does not decode."""
    from prepub_review.ocr.picture import open_picture

    if vector.kind_of(data):
        placed = [e for e in edits if isinstance(e.finding.anchor, VectorTextAnchor)]
        replacements = [(e.finding.anchor.run, e.finding.start, e.finding.end, e.replacement) for e in placed]
        return vector.rewrite(data, replacements), None, [e for e in edits if e not in placed]
    picture = open_picture(data)
    painted, unplaced = paint(picture, edits)
    return encode(painted, picture.format), picture.format, unplaced


def is_picture_edit(edit: Edit) -> bool:
    return isinstance(edit.finding.anchor, (PictureTextAnchor, PictureMetadataAnchor, VectorTextAnchor))


def value_box(anchor: PictureTextAnchor, start: int, end: int) -> tuple[int, int, int, int]:
    """The pixels of line_text[start:end] inside the line's box, with a margin."""
    left, top, right, bottom = anchor.box
    weights = [_width(char) for char in anchor.line_text] or [1.0]
    total = sum(weights)
    scale = (right - left) / total
    x0 = left + sum(weights[:start]) * scale
    x1 = left + sum(weights[:end]) * scale
    margin = MARGIN_EM * (bottom - top)
    pad_y = max(2, (bottom - top) // 8)
    return (max(left - 2, int(x0 - margin)), top - pad_y, min(right + 2, int(x1 + margin + 0.5)), bottom + pad_y)


def clean_copy(picture: Image.Image) -> Image.Image:
    """The pixels alone: no EXIF, XMP, ICC profile, comments or text chunks; first frame only."""
    mode = picture.mode if picture.mode in ("1", "L", "RGB", "RGBA") else "RGBA" if "A" in picture.getbands() \
        else "RGB"
    pixels = picture.convert(mode)
    copy = Image.new(mode, pixels.size)
    copy.paste(pixels)
    return copy


def encode(picture: Image.Image, image_format: str) -> bytes:
    """The picture saved in `image_format` (as the original was), with no metadata."""
    image_format = (image_format or "PNG").upper()
    if image_format not in SAVE_FORMATS:
        image_format = "PNG"
    picture = clean_copy(picture)
    if image_format == "JPEG" and picture.mode not in ("L", "RGB"):
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **SAVE_FORMATS[image_format])
    return buffer.getvalue()


def has_metadata(picture: Image.Image) -> bool:
    info_keys = set(picture.info) - {"dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density",
                                      "progressive", "progression", "transparency", "gamma", "aspect",
                                      "compression", "duration", "loop", "background", "version",
                                      "interlace", "adobe", "adobe_transform"}
    try:
        exif = len(picture.getexif()) > 0
    except Exception:
        exif = True
    return exif or bool(info_keys)


def _width(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else NARROW_WIDTH


def _draw_text(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str) -> None:
    height = box[3] - box[1]
    size = max(8, int(height * 0.7))
    face = _font(size, text.isascii())
    if face is None:
        return          # no font with these glyphs: the solid box alone (nothing of the value shows)
    width = draw.textlength(text, font=face)
    if width > box[2] - box[0] and width > 0:
        face = _font(max(6, int(size * (box[2] - box[0]) / width)), text.isascii()) or face
    draw.text((box[0] + 2, (box[1] + box[3]) / 2), text, font=face, fill="white", anchor="lm")


@cache
def _font(size: int, ascii_only: bool) -> ImageFont.ImageFont | None:
    if ascii_only:
        return ImageFont.load_default(size)
    found = cjk_font()
    return ImageFont.truetype(found[0], size, index=found[1]) if found else None


@cache
def cjk_font() -> tuple[str, int] | None:
    """A Simplified Chinese font from fontconfig, or None (then masked names are boxes only)."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listed = subprocess.run(["fc-list", "-f", "%{file}|%{index}|%{family}\n", ":lang=zh-cn"],
                                capture_output=True, text=True, timeout=20, check=False).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    faces = sorted((" SC" not in family, "Mono" in family, "Bold" in family, file, int(index))
                   for file, index, family in (line.split("|", 2) for line in listed if line.count("|") >= 2))
    return (faces[0][3], faces[0][4]) if faces else None
