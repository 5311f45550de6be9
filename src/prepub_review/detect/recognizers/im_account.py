"""IM_ACCOUNT: QQ numbers and WeChat IDs, given after their label ("QQ：12345678", "微信号：wxid_ab12cd").

A person's chat account reaches them as a phone number does; 留言板 replies and 公示 pages print
them beside a citizen's name. An account number has no check digit and looks like any other
number, so only a label right before it (a colon or blanks between) makes it one.

Variants (rules/policy/IM_ACCOUNT.yaml):
  account   after a personal account label (QQ, 微信号…): whose account is not said
  group     after a public one (QQ群, 微信公众号…): a service group or an office's account
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import normalize_width
from prepub_review.detect.recognizers.common import Labels, Section
from prepub_review.rules_loader import RulesSource

_QQ = re.compile(r"[1-9][0-9]{4,10}(?![0-9A-Za-z])")
_WECHAT = re.compile(r"[A-Za-z][A-Za-z0-9_-]{5,19}(?![0-9A-Za-z_-])")
_VALUES = {"qq": (_QQ,), "wechat": (_WECHAT,), "group": (_QQ, _WECHAT)}   # a group is a QQ群 or an account
_BETWEEN_LABEL = re.compile(r"[ \t]*(?:[:(（]|号码|号|账号)?[ \t:]*")   # "QQ：", "QQ号码 ", "微信(…)"


class ImAccountRecognizer(PrepubRecognizer):
    ENTITY = "IM_ACCOUNT"
    VARIANTS = ("account", "group")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "im_account", {"qq_labels", "wechat_labels", "group_labels"})
        self.labels = Labels({"qq": section.words("qq_labels"), "wechat": section.words("wechat_labels"),
                              "group": section.words("group_labels")}, section.where())

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        for label in self.labels.find_all(norm):
            gap = _BETWEEN_LABEL.match(norm, label.end)
            start = gap.end()
            if start == label.end and label.word[-1:].isascii() and norm[start:start + 1].isalnum():
                continue          # "QQ12345" is fine only with a Chinese label; "QQmusic" is no account
            value = next((found for found in (pattern.match(norm, start) for pattern in _VALUES[label.kind])
                          if found), None)
            if value is None:
                continue
            variant = "group" if label.kind == "group" else "account"
            yield Candidate(value.start(), value.end(), variant, 0.8, {"label": label.word})
