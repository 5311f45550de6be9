"""CN_ID_CARD: 居民身份证号码 (GB 11643), legacy 15-digit numbers, 港澳台居民居住证, masked values.

Variants (rules/policy/CN_ID_CARD.yaml):
  valid             18 digits: province code, real birth date, MOD 11-2 check character
  residence_permit  the same format with region 810000/820000/830000 (港澳台居民居住证)
  legacy_15         15 digits (region + YYMMDD + sequence) under an ID label, or bare when the region
                    is a county (not a province's or city's own code) and the birth date is
                    plausible for a number issued before 2000
  foreigner_permit  外国人永久居留身份证 (2023): 9 + province + nationality code + birth date +
                    sequence + the same MOD 11-2 check character
  bad_checksum      valid region and date but a wrong check character; only under an ID label
  spreadsheet_digits  the same, ending in 000: a number a spreadsheet kept to 15 significant digits
                    (330483195301140966 saved as a number reads 330483195301140000); the birth date
                    is whole. Only under an ID label
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
    STRIP_SEPARATORS,
    NumberRecognizer,
    Section,
    is_plausible_date,
)
from prepub_review.rules_loader import RulesSource

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
SPREADSHEET_ZEROS = "000"     # a spreadsheet keeps 15 significant digits: an 18-digit number ends in 000
# Digits, then a run of mask characters, then digits: "330483********1234", "35*************123".
_MASKED = re.compile(r"\d(?<![0-9A-Za-z*×]\d)\d*[*×Xx]{2,}\d*[Xx]?(?![0-9A-Za-z*×])")
_MASKED_PARTS = re.compile(r"(\d+)([*×Xx]+)(\d*[Xx]?)")


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
    VARIANTS = ("valid", "residence_permit", "legacy_15", "foreigner_permit", "bad_checksum",
                "spreadsheet_digits", "masked", "masked_weak")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "id_card", {
            "label_window", "province_codes", "residence_permit_regions", "min_birth_year",
            "id_labels", "account_labels", "other_number_labels", "foreigner_permit_first",
            "legacy_15_last_year",
        })
        self.foreigner_first = section.codes("foreigner_permit_first", r"\d")
        self.legacy_last_year = section.integer("legacy_15_last_year", 1999, 1900, 2100)
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
        number = normalize_width(pattern_text).translate(STRIP_SEPARATORS).upper()
        return len(number) == 18 and self.looks_like_id(number) and self.checksum_ok(number)

    @staticmethod
    def checksum_ok(number: str) -> bool:
        return number[:17].isdigit() and id_check_char(number[:17]) == number[17].upper()

    def looks_like_id(self, number: str) -> bool:
        """Province code and a real birth date (not in the future, not before min_birth_year)."""
        if not number[:-1].isdigit() or number[:2] not in self.provinces:
            return False
        return self.birth_date_ok(number)

    def birth_date_ok(self, number: str) -> bool:
        year, month, day = birth_date_of(number)
        today = dt.date.today().toordinal()
        return year >= self.min_birth_year and is_plausible_date(year, month, day, today)

    # --- detection -----------------------------------------------------------------------------

    def is_foreigner_permit(self, number: str) -> bool:
        """外国人永久居留身份证: first digit 9, a province code, a real birth date, MOD 11-2 check."""
        return (len(number) == 18 and number[0] in self.foreigner_first
                and number[1:3] in self.provinces and number[:-1].isdigit() and self.birth_date_ok(number)
                and self.checksum_ok(number))

    def _judge(self, text: str, number: Number) -> Candidate | None:
        value = number.value.upper()
        if len(value) not in (15, 18) or (len(value) == 15 and not value.isdigit()):
            return None
        foreigner = self.is_foreigner_permit(value)
        if not foreigner and not self.looks_like_id(value):
            return None
        label_kind = self._label_kind(text, number.start)
        if label_kind in ("account", "other"):
            return None
        year, month, day = birth_date_of(value)
        attrs = {"birth_date": f"{year:04d}-{month:02d}-{day:02d}", "region": value[:6]}
        if foreigner:
            return Candidate(number.start, number.end, "foreigner_permit", 0.9, attrs)
        if len(value) == 15:
            if label_kind != "id" and not self._bare_legacy_ok(value, year):
                return None   # 15-digit numbers are common: bare, only a county code and a pre-2000 birth
            return Candidate(number.start, number.end, "legacy_15", 0.7 if label_kind == "id" else 0.6, attrs)
        if not self.checksum_ok(value):
            if label_kind != "id":
                return None
            if value.endswith(SPREADSHEET_ZEROS):
                return Candidate(number.start, number.end, "spreadsheet_digits", 0.7, attrs)
            return Candidate(number.start, number.end, "bad_checksum", 0.4, attrs)
        variant = "residence_permit" if value[:6] in self.permit_regions else "valid"
        return Candidate(number.start, number.end, variant, 1.0, attrs)

    def _bare_legacy_ok(self, value: str, year: int) -> bool:
        """A bare 15-digit number reads as an old ID when its region is a county (the last two
        digits of the region code are not 00) and its holder was born well before the last issue."""
        return value[4:6] != "00" and value[2:4] != "00" and year <= self.legacy_last_year - 16

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
