"""CN_USCC: 统一社会信用代码 (GB 32100), the 18-character code of an organisation.

Variants (rules/policy/CN_USCC.yaml):
  individual_business  starts with 92: a 个体工商户, whose holder may be a private person
  organisation         any other valid code: an organisation's public registration data

The check character is verified. A code made only of digits that is also shaped like a resident
ID number is left to the ID recognizer unless a 信用代码 label stands before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import Labels, Section
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.rules_loader import RulesSource

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: index for index, char in enumerate(USCC_ALPHABET)}
# Registration authority (1-9, A, N, Y), organisation type (1-9), 6-digit region, 9-character
# organisation code, check character. The first character comes first and the "not glued to a letter
# or digit" condition right after it: a pattern that starts with a character set lets the regex engine
# skip the text between candidates (as common.DIGIT_RUN does).
_USCC = re.compile(r"[1-9ANY](?<![0-9A-Za-z][1-9ANY])[1-9]\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])")


def uscc_check_char(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_uscc(value: str) -> bool:
    """A well-formed 统一社会信用代码 with a correct check character."""
    return _USCC.fullmatch(value) is not None and uscc_check_char(value[:17]) == value[17]


class CnUsccRecognizer(PrepubRecognizer):
    ENTITY = "CN_USCC"
    VARIANTS = ("individual_business", "organisation")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "uscc", {"label_window", "labels", "individual_business_prefixes"})
        self.label_window = section.integer("label_window", 24, 1, 200)
        self.labels = Labels({"uscc": section.words("labels")}, section.where())
        self.individual_prefixes = tuple(section.codes("individual_business_prefixes", r"[0-9A-Z]{1,4}"))
        self.ids = CnIdCardRecognizer(rules)

    def validate_result(self, pattern_text: str) -> bool:
        value = normalize_width(pattern_text).strip().upper()
        return is_uscc(value)

    def find(self, text: str) -> Iterator[Candidate]:
        normalized = normalize_width(text)
        for match in _USCC.finditer(normalized):
            value = match.group()
            if uscc_check_char(value[:17]) != value[17]:
                continue
            shaped_like_id = value[:17].isdigit() and self.ids.looks_like_id(value)
            if shaped_like_id and self.labels.nearest_before(normalized, match.start(), self.label_window) is None:
                continue   # all digits, shaped like an ID number and no credit-code label: the ID recognizer decides
            variant = "individual_business" if value.startswith(self.individual_prefixes) else "organisation"
            yield Candidate(match.start(), match.end(), variant, 0.9, {"region": value[2:8]})
