"""CN_ID_CARD: 居民身份证号码 (GB 11643), legacy 15-digit numbers, 港澳台居民居住证, masked values.

Variants (rules/policy/CN_ID_CARD.yaml):
  valid             18 digits: province code, real birth date, MOD 11-2 check character
  residence_permit  the same format with region 810000/820000/830000 (港澳台居民居住证)
  legacy_15         15 digits (region + YYMMDD + sequence); only under an ID label
  bad_checksum      valid region and date but a wrong check character; only under an ID label
  masked            already de-identified (35*************123)
  masked_weak       masked, but the birth date is still readable (33048319900101****)
"""

from __future__ import annotations

import datetime as dt
import re

from prepub_review.detect.base import Candidate
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import (
    Labels,
    Number,
    NumberRecognizer,
    Section,
    is_plausible_date,
)
from prepub_review.rules_loader import RulesSource

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Digits, then a run of mask characters, then digits: "330483********1234", "35*************123".
_MASKED = re.compile(r"\d(?<![0-9A-Za-z*×]\d)\d*[*×Xx]{2,}\d*[Xx]?(?![0-9A-Za-z*×])")
_MASKED_PARTS = re.compile(r"(\d+)([*×Xx]+)(\d*[Xx]?)")
_SEPARATORS = str.maketrans("", "", " -\u00a0")


def id_check_char(first17: str) -> str:
    """The MOD 11-2 check character of the first 17 digits."""
    return ID_CHECK_CHARS[sum((ord(c) - 48) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def birth_date_of(number: str) -> tuple[int, int, int]:
    """(year, month, day) as written in an 18- or 15-digit number (15: 19YY)."""
    if len(number) == 18:
        return int(number[6:10]), int(number[10:12]), int(number[12:14])
    return 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])


class CnIdCardRecognizer(NumberRecognizer):
    ENTITY = "CN_ID_CARD"
    MIN_LEN, MAX_LEN = 15, 18
    MASKED = _MASKED
    MASK_MARKERS = ("*", "×", "xx", "XX")
    VARIANTS = ("valid", "residence_permit", "legacy_15", "bad_checksum", "masked", "masked_weak")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "id_card", {
            "label_window", "province_codes", "residence_permit_regions", "min_birth_year",
            "id_labels", "account_labels", "other_number_labels",
        })
        self.label_window = section.integer("label_window", 24, 1, 200)
        self.provinces = set(section.codes("province_codes", r"[1-9]\d"))
        self.permit_regions = set(section.codes("residence_permit_regions", r"\d{6}"))
        self.min_birth_year = section.integer("min_birth_year", 1900, 1800, 2100)
        self.labels = Labels({
            "id": section.words("id_labels"),
            "account": section.words("account_labels"),
            "other": section.words("other_number_labels"),
        }, section.where(), negative=frozenset({"account", "other"}))

    # --- presidio-style validation -------------------------------------------------------------

    def validate_result(self, pattern_text: str) -> bool:
        """True for a complete, valid 18-digit number (province, birth date, check character)."""
        number = normalize_width(pattern_text).translate(_SEPARATORS).upper()
        return len(number) == 18 and self.looks_like_id(number) and self.checksum_ok(number)

    @staticmethod
    def checksum_ok(number: str) -> bool:
        return number[:17].isdigit() and id_check_char(number[:17]) == number[17].upper()

    def looks_like_id(self, number: str) -> bool:
        """Province code and a real birth date (not in the future, not before min_birth_year)."""
        if not number[:-1].isdigit() or number[:2] not in self.provinces:
            return False
        year, month, day = birth_date_of(number)
        today = dt.date.today().toordinal()
        return year >= self.min_birth_year and is_plausible_date(year, month, day, today)

    # --- detection -----------------------------------------------------------------------------

    def _judge(self, text: str, number: Number) -> Candidate | None:
        value = number.value.upper()
        if len(value) not in (15, 18) or (len(value) == 15 and not value.isdigit()):
            return None
        if not self.looks_like_id(value):
            return None
        label_kind = self._label_kind(text, number.start)
        if label_kind in ("account", "other"):
            return None
        year, month, day = birth_date_of(value)
        attrs = {"birth_date": f"{year:04d}-{month:02d}-{day:02d}", "region": value[:6]}
        if len(value) == 15:
            if label_kind != "id":
                return None   # 15-digit numbers are common; only an ID label makes one an ID
            return Candidate(number.start, number.end, "legacy_15", 0.7, attrs)
        if not self.checksum_ok(value):
            if label_kind != "id":
                return None
            return Candidate(number.start, number.end, "bad_checksum", 0.4, attrs)
        variant = "residence_permit" if value[:6] in self.permit_regions else "valid"
        return Candidate(number.start, number.end, variant, 1.0, attrs)

    def _judge_masked(self, text: str, start: int, end: int) -> Candidate | None:
        value = text[start:end]
        parts = _MASKED_PARTS.fullmatch(value)
        if len(value) not in (15, 18) or parts is None:
            return None
        prefix, suffix = parts.group(1), parts.group(3)
        label_kind = self._label_kind(text, start)
        if label_kind in ("account", "other"):
            return None
        if len(prefix) < 2 and label_kind != "id":
            return None
        if len(prefix) >= 2 and prefix[:2] not in self.provinces:
            return None
        if len(value) == 18 and len(prefix) >= 10 and not self.min_birth_year <= int(prefix[6:10]) <= 2100:
            return None
        birth_positions = range(6, 14) if len(value) == 18 else range(6, 12)
        visible = sum(1 for i in birth_positions if i < len(prefix) or i >= len(value) - len(suffix))
        variant = "masked_weak" if visible >= 4 else "masked"
        return Candidate(start, end, variant, 0.6, {"visible_birth_digits": visible})
