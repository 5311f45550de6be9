"""LICENSE_PLATE: mainland motor vehicle plates (省简称 + letter + 5 characters, 6 for new energy).

Variants (rules/policy/LICENSE_PLATE.yaml):
  plate     a plate in running text; personal only when the record is a private person's
  labelled  a plate under a label (车牌号...), typically a column of a list of people
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import Labels, Section
from prepub_review.errors import RulesError
from prepub_review.rules_loader import RulesSource

_LETTER = "A-HJ-NP-Z"   # Latin capitals without I and O
_MIN_DIGITS = 3


class CnLicensePlateRecognizer(PrepubRecognizer):
    ENTITY = "LICENSE_PLATE"
    VARIANTS = ("plate", "labelled")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "license_plate", {"label_window", "provinces", "labels"})
        self.label_window = section.integer("label_window", 16, 1, 200)
        provinces = section.words("provinces")
        for province in provinces:
            if len(province) != 1:
                raise RulesError(f"{section.where('provinces')}: 键「provinces」中的「{province}」应为单个汉字（省份简称）")
        self.labels = Labels({"plate": section.words("labels")}, section.where())
        self.pattern = re.compile(
            rf"[{''.join(provinces)}][{_LETTER}][·•\. ]?[{_LETTER}0-9]{{5,6}}(?![0-9A-Za-z])"
        )

    def validate_result(self, pattern_text: str) -> bool:
        value = normalize_width(pattern_text).strip()
        return self.pattern.fullmatch(value) is not None and self._tail_ok(value)

    @staticmethod
    def _tail_ok(value: str) -> bool:
        tail = value[2:].lstrip("·•. ")
        digits = sum(c.isdigit() for c in tail)
        if len(tail) == 6:   # new energy: D/F first (small vehicles) or last (large vehicles)
            return (tail[0] in "DF" or tail[-1] in "DF") and digits >= 4
        return digits >= _MIN_DIGITS

    def find(self, text: str) -> Iterator[Candidate]:
        normalized = normalize_width(text)
        for match in self.pattern.finditer(normalized):
            if not self._tail_ok(match.group()):
                continue
            label = self.labels.nearest_before(normalized, match.start(), self.label_window)
            variant = "labelled" if label else "plate"
            attrs = {"label": label.word if label else None}
            yield Candidate(match.start(), match.end(), variant, 0.7, attrs)
