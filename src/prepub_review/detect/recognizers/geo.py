"""GPS_LOCATION: the position a photo was taken at, from its EXIF GPS block.

The picture reader (prepub_review.ocr.picture) writes the position as a property segment
"GPS 纬度 31.230416 经度 121.473701"; a photo of a home visit taken on a phone carries the
family's address to a few metres. Variant `exif` (rules/policy/GPS_LOCATION.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer

POSITION = re.compile(r"GPS 纬度 (-?\d{1,2}\.\d+) 经度 (-?\d{1,3}\.\d+)")


class GpsLocationRecognizer(PrepubRecognizer):
    ENTITY = "GPS_LOCATION"
    VARIANTS = ("exif",)

    def __init__(self, rules=None, **kwargs):
        super().__init__(**kwargs)

    def find(self, text: str) -> Iterator[Candidate]:
        for match in POSITION.finditer(text):
            latitude, longitude = float(match.group(1)), float(match.group(2))
            if abs(latitude) <= 90 and abs(longitude) <= 180 and (latitude, longitude) != (0.0, 0.0):
                yield Candidate(match.start(), match.end(), "exif", 1.0,
                                {"latitude": latitude, "longitude": longitude})
