"""Writes a redacted image file: the values painted over (pixels.py), no metadata, same format.

A multi-frame GIF or TIFF is written as its first frame (the frame prepub read). The EXIF GPS
position and the EXIF text tags are removed with all other metadata, which places their edits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.formats.image import pixels
from prepub_review.formats.image import reader as image_reader
from prepub_review.models import Zone
from prepub_review.ocr.picture import open_picture


class ImageDocument:
    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        self.picture = open_picture(path.read_bytes())
        self.format = self.picture.format or "PNG"
        self.painted = self.picture

    def close(self) -> None:
        self.picture.close()

    def items(self) -> Iterator[ReaderItem]:
        return image_reader.read(self.path, self.limits, anchors=True)

    def cleaned(self, place) -> bool:
        """EXIF text tags and the GPS position (property segments) leave with the metadata in clean()."""
        return place.zone is Zone.PROPERTY

    def clean(self) -> list[Cleaning]:
        steps = []
        if pixels.has_metadata(self.picture):
            steps.append(Cleaning("image_metadata", "删除图片元数据（EXIF 含拍摄位置、XMP、注释）"))
        frames = getattr(self.picture, "n_frames", 1)
        if frames > 1:
            steps.append(Cleaning("image_frames", f"只保留第一帧（原图共 {frames} 帧，其余帧未审查）", frames - 1))
        return steps

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        self.painted, unplaced = pixels.paint(self.picture, edits)
        return unplaced, []

    def save(self, out: Path) -> None:
        out.write_bytes(pixels.encode(self.painted, self.format))


class VectorDocument:
    """A vector picture file (EMF/WMF/SVG): its strings rewritten in place (formats/image/vector.py)."""

    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        self.data = path.read_bytes()

    def close(self) -> None:
        pass

    def items(self) -> Iterator[ReaderItem]:
        return image_reader.read(self.path, self.limits, anchors=True)

    def cleaned(self, place) -> bool:
        return False

    def clean(self) -> list[Cleaning]:
        return []

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        self.data, _format, unplaced = pixels.redrawn(self.data, edits)
        return unplaced, []

    def save(self, out: Path) -> None:
        out.write_bytes(self.data)


def open_editable(path: Path, limits: Limits, fmt: str) -> ImageDocument | VectorDocument:
    return VectorDocument(path, limits) if fmt == "vector" else ImageDocument(path, limits)
