"""PHONE_NUMBER: mobile and landline numbers, an office's published contact numbers, masked values.

Variants (rules/policy/PHONE_NUMBER.yaml):
  mobile               an 11-digit mobile number (+86/0086/86- prefixes, "138 1234 5678", a leading 0)
  landline             a number with an area code ("(027)60896800", "0573-88123456-801")
  institution_contact  a number under a label only offices use (监督电话, 咨询电话, 传真...); a number
                       under a contact label (联系电话, 电话) in a line about an office, or a landline
                       under it as a form field / table column; also 400/800 service numbers.
                       The policy escalates it when the record is a private person's.
  masked               already de-identified ("138****5678")

A local number without area code ("电话：88123456") is reported only right after a phone label.
A label normally stands before the number on its line; when the number opens its line, a label
ending the previous line counts too (a wrapped PDF line, a form's label cell: Labels.label_above).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import (
    SEPARATORS,
    Labels,
    OfficeContext,
    Section,
    glued_to_digits,
    is_field,
)
from prepub_review.errors import RulesError
from prepub_review.rules_loader import RulesSource

_SEP = r"[ \-\u00a0]?"
_LOCAL8 = rf"[2-9]\d{{3}}{_SEP}\d{{4}}"
_LOCAL78 = rf"[2-9]\d{{2,3}}{_SEP}\d{{4}}"
# Area codes: 010 and 02x have three digits and 8-digit local numbers; 03xx-09xx have four.
_AREA_AND_LOCAL = rf"(?:(?:10|2\d)\)?{_SEP}{_LOCAL8}|[3-9]\d{{2}}\)?{_SEP}{_LOCAL78})"
_MASK = r"[*×Xx]"

# The leading lookahead is only for speed: the regex engine rejects most positions with it
# before trying the lookbehind and the alternatives (8x faster on Chinese prose).
_PHONE = re.compile(rf"""
    (?=[\d(+])(?<![0-9A-Za-z+*×])
    (?:
        (?P<masked>1\d{{2}}{_SEP}{_MASK}{{4}}{_SEP}\d{{4}}|1\d{{2,6}}{_MASK}{{3,6}}\d{{0,4}})
      | (?P<mobile>(?:(?:\+|00)?86{_SEP}|0)?1\d{{2}}{_SEP}\d{{4}}{_SEP}\d{{4}})
      | (?P<landline>(?:(?:\+|00)86{_SEP}\(?0?|\(?0){_AREA_AND_LOCAL}(?:(?:-|转|分机|ext\.?)\d{{1,5}})?)
      | (?P<service>[48]00{_SEP}\d{{3}}{_SEP}\d{{4}})
      | (?P<local>{_LOCAL78})
    )
    (?![0-9A-Za-z*×])
""", re.VERBOSE)

_NON_DIGITS = re.compile(r"\D")
_WORD = re.compile(r"[^\s，,;；、]+")


class CnPhoneRecognizer(PrepubRecognizer):
    ENTITY = "PHONE_NUMBER"
    VARIANTS = ("mobile", "landline", "institution_contact", "masked")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "phone", {
            "label_window", "mobile_prefixes", "public_labels", "contact_labels", "personal_labels",
            "not_phone_labels",
            "amount_units", "currency_marks",
        })
        self.label_window = section.integer("label_window", 16, 1, 200)
        self.mobile_prefixes = section.number_ranges("mobile_prefixes")
        if any(len(p) != 3 for p in self.mobile_prefixes):
            raise RulesError(f"{section.where('mobile_prefixes')}: 手机号段应为三位数字，如 138 或 130-139")
        self.labels = Labels({
            "public": section.words("public_labels"),
            "contact": section.words("contact_labels"),
            "personal": section.words("personal_labels"),
            "not_phone": section.words("not_phone_labels"),
        }, section.where(), negative=frozenset({"not_phone"}))
        self.amount_units = tuple(section.words("amount_units"))
        self.currency_marks = tuple(section.words("currency_marks"))
        self.office = OfficeContext(rules)

    def validate_result(self, pattern_text: str) -> bool:
        """True for a mobile number with a current prefix (country code allowed)."""
        digits = _NON_DIGITS.sub("", normalize_width(pattern_text))
        for prefix in ("0086", "86", "0"):   # "013812345678": a mobile dialled with a leading 0
            if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
                digits = digits[len(prefix):]
        return len(digits) == 11 and digits[:3] in self.mobile_prefixes

    def find(self, text: str) -> Iterator[Candidate]:
        normalized = normalize_width(text)
        pos = 0
        while (match := _PHONE.search(normalized, pos)) is not None:
            candidate = self._judge(normalized, match)
            if candidate is not None:
                yield candidate
                pos = match.end()
            else:   # a refused match may hide a phone that starts inside it ("450 0598-5543816")
                pos = match.start() + 1

    def _judge(self, text: str, match: re.Match) -> Candidate | None:
        kind = match.lastgroup
        start, end = match.span()
        value = match.group()
        formatted = any(c in SEPARATORS for c in value)
        if formatted and glued_to_digits(text, start, end) and not self._spaced_mobile(text, match):
            return None   # a piece of a longer formatted number (a bank card, a spaced ID)
        if self._is_amount(text, start, end):
            return None
        # checks on the value alone come first: they need no label or office lookup
        if kind == "masked" and not self._masked_ok(value):
            return None
        if kind == "mobile" and not self.validate_result(value):
            return None
        label = self.labels.nearest_before(text, start, self.label_window)
        field = label is not None and is_field(text, label, start)
        above = None
        if label is None:
            # the label ends the previous line (a wrapped PDF line, a form's label cell): so may
            # its office context. An applicant's form is laid out so too: no field status alone.
            label = above = self.labels.label_above(text, start, self.label_window)
        office_found: list[bool] = []

        def office() -> bool:
            """An office word around the number (or around the label above it), looked up when first needed."""
            if not office_found:
                office_found.append(self.office.around(text, start, end) or (
                    above is not None and self.office.around(text, above.start, above.end)))
            return office_found[0]

        label_kind = label.kind if label else None
        if label_kind == "not_phone":
            return None
        attrs = {"kind": kind, "label": label.word if label else None}
        if kind == "masked":
            return Candidate(start, end, "masked", 0.6, attrs)
        if kind == "local" and (label is None or start - label.end > 3):
            return None   # 7-8 digits without area code: a phone only right after its label
        plain = not formatted and value[0] not in "(+"
        if kind in ("landline", "service") and plain and label is None and not office():
            return None   # an unformatted 0xxx... run needs a label or an office around it
        if label_kind == "public":   # 监督电话, 咨询电话...: only an office publishes one
            return Candidate(start, end, "institution_contact", 0.8, attrs)
        # a mobile in a bare "联系电话" field (an applicant's form) is a person's unless an
        # office shows up around it or on the line above ("联系人：王科长")
        if label_kind == "contact" and (office() or (field and (
                kind != "mobile" or self.office.above(text, label.start)))):
            return Candidate(start, end, "institution_contact", 0.8, attrs)
        if kind == "service":
            return Candidate(start, end, "institution_contact", 0.8, attrs)
        if kind == "mobile":
            return Candidate(start, end, "mobile", 0.9, attrs)
        if label_kind != "personal" and office():
            return Candidate(start, end, "institution_contact", 0.7, attrs)
        return Candidate(start, end, "landline", 0.6, attrs)

    @staticmethod
    def _spaced_mobile(text: str, match: re.Match) -> bool:
        """True for a mobile written 3-4-4 with spaces that no further group continues on the
        right ("… 1970 138 1234 5678 …", cells a PDF joined): no card or ID is grouped so. A word
        that only starts with digits is no group ("138 1234 5678 2923867923@qq.com")."""
        value = match.group()
        if match.lastgroup != "mobile" or [len(g) for g in value.split(" ")] != [3, 4, 4]:
            return False
        end = match.end()
        if not (end + 1 < len(text) and text[end] == " "):
            return True
        following = _WORD.match(text, end + 1)
        return following is None or not following.group().isdigit()

    def _is_amount(self, text: str, start: int, end: int) -> bool:
        if text.startswith(self.amount_units, end):
            return True
        if end + 1 < len(text) and text[end] == "." and text[end + 1].isdigit():
            return True
        before = text[max(0, start - 4):start].rstrip()
        return before.endswith(self.currency_marks)

    def _masked_ok(self, value: str) -> bool:
        compact = value.replace(" ", "").replace("-", "").replace("\u00a0", "")
        return len(compact) == 11 and compact[:3] in self.mobile_prefixes
