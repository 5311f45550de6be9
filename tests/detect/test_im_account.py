"""IM_ACCOUNT: QQ numbers and WeChat IDs, right after their label."""

from __future__ import annotations

import pytest
from tests.detect.helpers import found

from prepub_review.detect.recognizers.im_account import ImAccountRecognizer
from prepub_review.pipeline import Checker


@pytest.fixture(scope="module")
def recognizer() -> ImAccountRecognizer:
    return ImAccountRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("QQ：123456789", [("123456789", "account")]),
    ("QQ号码 10001", [("10001", "account")]),
    ("微信号：wxid_ab12cd34", [("wxid_ab12cd34", "account")]),
    ("申请人李四（微信：lisi_1990，手机13812345678）", [("lisi_1990", "account")]),
    ("ＱＱ：１２３４５６７８９", [("１２３４５６７８９", "account")]),              # full-width
    ("关注微信公众号：cnmz2026，服务QQ群：654321987", [("cnmz2026", "group"), ("654321987", "group")]),
])
def test_accounts(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "QQ音乐、微信支付已开通",
    "微信：13812345678",                  # a phone number: the phone recognizer's
    "QQ12345678",                         # no separator after a Latin label: a product code as likely
    "微信公众号：城南民政",                # a name, not an account ID
    "QQ：0123",
])
def test_not_accounts(recognizer, text):
    assert found(recognizer, text) == []


def test_a_citizens_account_blocks_and_an_offices_group_is_published():
    checker = Checker()
    reply = checker.check_text("来信人李四，女，联系QQ：123456789，反映低保评议不公。")
    notice = checker.check_text("扫码关注城南街道官方微信：cnjd_gov，或加入服务QQ群：654321987。")
    assert [(f.variant, f.severity.value) for f in reply if f.entity == "IM_ACCOUNT"] == [("account", "block")]
    assert [(f.variant, f.severity.value) for f in notice if f.entity == "IM_ACCOUNT"] == [("group", "info")] * 2
