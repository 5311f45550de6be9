"""BANK_CARD: bank card and account numbers.

Variants (rules/policy/BANK_CARD.yaml):
  valid             16-19 digits, a known issuer prefix (62 UnionPay...), Luhn check passes
  labelled_account  12-25 digits under an account label (账号, 卡号, 一卡通...) that are not a valid
                    card: an account number is still an account number
  masked            already de-identified ("6222 **** **** 1234", "账号：****1234")

An 18-digit 统一社会信用代码 that happens to pass Luhn is an organisation's code, not a card (the
credit code is checked first). An 18-digit number shaped like a resident ID (province code and
birth date) is left to the ID
recognizer unless its label says 卡号/账号.
"""

from __future__ import annotations

import re

from prepub_review.detect.base import Candidate
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import (
    Labels,
    Number,
    STRIP_SEPARATORS,
    NumberRecognizer,
    Section,
    luhn_ok,
)
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.detect.recognizers.uscc import is_uscc
from prepub_review.rules_loader import RulesSource

# An optional visible prefix, mask runs, the visible tail: "6222 **** **** 1234", "****1234".
_MASKED = re.compile(
    r"(?=[\d*×])(?<![0-9A-Za-z*×])(?:\d{4,6}[ \-]?)?(?:[*×]{2,}[ \-]?){1,4}\d{3,4}(?![0-9A-Za-z*×])"
)


class CnBankCardRecognizer(NumberRecognizer):
    ENTITY = "BANK_CARD"
    MIN_LEN, MAX_LEN = 12, 25
    MASKED = _MASKED
    VARIANTS = ("valid", "labelled_account", "masked")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "bank_card", {"label_window", "issuer_prefixes", "account_labels",
                                               "not_card_labels"})
        self.label_window = section.integer("label_window", 24, 1, 200)
        self.issuer_prefixes = tuple(section.codes("issuer_prefixes", r"\d{1,6}"))
        self.labels = Labels({
            "account": section.words("account_labels"),
            "not_card": section.words("not_card_labels"),
        }, section.where(), negative=frozenset({"not_card"}))
        self.ids = CnIdCardRecognizer(rules)

    def validate_result(self, pattern_text: str) -> bool:
        """True for a 16-19 digit number with a known issuer prefix that passes Luhn."""
        return self._valid_digits(normalize_width(pattern_text).translate(STRIP_SEPARATORS))

    def _valid_digits(self, digits: str) -> bool:
        return (digits.isdigit() and 16 <= len(digits) <= 19 and digits.startswith(self.issuer_prefixes)
                and luhn_ok(digits))

    def _judge(self, text: str, number: Number) -> Candidate | None:
        value = number.value
        if not value.isdigit():
            return None
        label_kind = self._label_kind(text, number.start)
        if label_kind == "not_card":
            return None
        if label_kind != "account" and len(value) == 18 and is_uscc(value):
            return None   # a valid credit code is an organisation's, even when it also passes Luhn
        if self._valid_digits(value):   # a Number's value is already width-normalized, without separators
            if label_kind != "account" and len(value) == 18 and self.ids.looks_like_id(value):
                return None   # an ID number that happens to pass Luhn: the ID recognizer reports it
            return Candidate(number.start, number.end, "valid", 1.0, {"length": len(value)})
        if label_kind == "account":
            return Candidate(number.start, number.end, "labelled_account", 0.7, {"length": len(value)})
        return None

    def _judge_masked(self, text: str, start: int, end: int) -> Candidate | None:
        compact = text[start:end].translate(STRIP_SEPARATORS)
        label_kind = self._label_kind(text, start)
        if label_kind == "not_card":
            return None
        if label_kind == "account":
            return Candidate(start, end, "masked", 0.6, {})
        prefix = compact[:len(compact) - len(compact.lstrip("0123456789"))]
        if len(prefix) < 4 or not 16 <= len(compact) <= 19 or not prefix.startswith(self.issuer_prefixes):
            return None
        if len(compact) == 18 and prefix[:2] in self.ids.provinces:
            return None   # shaped like a masked ID number
        return Candidate(start, end, "masked", 0.6, {})
