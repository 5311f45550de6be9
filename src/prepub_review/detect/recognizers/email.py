"""EMAIL_ADDRESS: e-mail addresses, without the Chinese text glued to them.

Variants (rules/policy/EMAIL_ADDRESS.yaml):
  institution_contact  a government domain (gov.cn), or an address under a mailbox label (电子邮箱,
                       邮箱...) as a form field (not a free-mail address: qq.com, 163.com…,
                       unless an office is named around it or on the line above), or stated
                       ("邮箱：…", "邮箱为…") in a line about
                       an office. The policy escalates it
                       when the record is a private person's.
  personal             any other address: a private mailbox is personal information

presidio's EmailRecognizer relies on \\b, which does not fire between CJK and Latin letters
("联系邮箱zhangsan@example.com.cn"); here the local part is read backwards from the "@" over
ASCII characters only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import Labels, OfficeContext, Section, is_field
from prepub_review.rules_loader import RulesSource

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+[A-Za-z]{{2,24}}(?![A-Za-z0-9\-])")
_ADDRESS = re.compile(rf"[A-Za-z0-9._%+\-]+@(?:{_LABEL}\.)+[A-Za-z]{{2,24}}")
_MAX_LOCAL = 64
# Between label and address in a line about an office: the office states its mailbox
# ("我局电子邮箱：…", "邮箱为…"). Prose that only names a mailbox someone used ("刘芳通过电子邮箱
# x@126.com申请", "通过电子邮件（x@139.com）提交") does not make it the office's.
_STATES_VALUE = re.compile(r"[ \t\u3000]*(?:[:：]|为|是)[ \t\u3000:：]*")


class CnEmailRecognizer(PrepubRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    VARIANTS = ("personal", "institution_contact")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "email", {"label_window", "institution_domains", "contact_labels",
                                           "free_mail_domains"})
        self.free_mail_domains = frozenset(d.lower().lstrip(".") for d in section.words("free_mail_domains"))
        self.label_window = section.integer("label_window", 16, 1, 200)
        self.institution_domains = tuple(d.lower().lstrip(".") for d in section.words("institution_domains"))
        self.labels = Labels({"contact": section.words("contact_labels")}, section.where())
        self.office = OfficeContext(rules)

    def validate_result(self, pattern_text: str) -> bool:
        return _ADDRESS.fullmatch(normalize_width(pattern_text)) is not None

    def find(self, text: str) -> Iterator[Candidate]:
        normalized = normalize_width(text)
        at = normalized.find("@")
        while at >= 0:
            span = self._address_around(normalized, at)
            if span is not None:
                yield self._judge(normalized, *span)
            at = normalized.find("@", at + 1)

    @staticmethod
    def _address_around(text: str, at: int) -> tuple[int, int, str] | None:
        start = at
        while start > 0 and at - start < _MAX_LOCAL and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        while start < at and text[start] in ".-":
            start += 1
        if start == at or text[at - 1] == ".":
            return None
        domain = _DOMAIN.match(text, at + 1)
        if domain is None:
            return None
        return start, domain.end(), domain.group().lower()

    def _judge(self, text: str, start: int, end: int, domain: str) -> Candidate:
        attrs = {"domain": domain}
        if any(domain == d or domain.endswith("." + d) for d in self.institution_domains):
            return Candidate(start, end, "institution_contact", 0.9, attrs)
        label = self.labels.nearest_before(text, start, self.label_window)
        field = label is not None and is_field(text, label, start) and (
            domain not in self.free_mail_domains or self.office.around(text, start, end)
            or self.office.above(text, label.start))   # "联系人：王科长" on the line above
        if label is not None and (field or (
                _STATES_VALUE.fullmatch(text, label.end, start) and self.office.around(text, start, end))):
            return Candidate(start, end, "institution_contact", 0.8, attrs | {"label": label.word})
        return Candidate(start, end, "personal", 0.9, attrs)
