"""EMAIL_ADDRESS: the address only (never adjacent CJK); office mailboxes are institution_contact."""

from __future__ import annotations

import pytest
from tests.detect.helpers import found

from prepub_review.detect.recognizers.email import CnEmailRecognizer


@pytest.fixture(scope="module")
def recognizer() -> CnEmailRecognizer:
    return CnEmailRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("邮箱是zhangsan@example.com.cn，请查收", "zhangsan@example.com.cn"),
    ("张三的邮箱li.si+tag@qq.com。", "li.si+tag@qq.com"),
    ("zhangsan@example.com联系我", "zhangsan@example.com"),
    ("wang_wu-1@mail.example.org", "wang_wu-1@mail.example.org"),
    ("ｚｈａｎｇｓａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｚｈａｎｇｓａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ"),   # full-width
    ("(.zhangsan@example.com)", "zhangsan@example.com"),
    # a private applicant's mailbox in an office's report: the office only names it
    ("其中，刘芳通过电子邮箱liufang88@126.com申请公开本人低保审批材料，我局依法答复。", "liufang88@126.com"),
    ("你于2026年9月8日通过电子邮件（zhou145@139.com）提交的政府信息公开申请收悉。县民政局", "zhou145@139.com"),
])
def test_personal(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "personal")]


@pytest.mark.parametrize("text, expected", [
    ("受理邮箱mzj@ezhou.gov.cn", "mzj@ezhou.gov.cn"),                  # a government domain
    ("xxgk@mca.gov.cn", "xxgk@mca.gov.cn"),
    ("主办单位：某某县民政局 电子邮箱：mzj2020@163.com", "mzj2020@163.com"),   # office line + label
    ("电子邮箱：mzj2020@tongxi.org.cn", "mzj2020@tongxi.org.cn"),         # a form field
    ("我局电子邮箱为mzj2020@163.com，欢迎来信。", "mzj2020@163.com"),       # stated by the office
    ("联系邮箱zhangsan@example.com.cn", None),
])
def test_institution_contact(recognizer, text, expected):
    (cand,) = recognizer.find(text)
    assert cand.variant == "institution_contact"
    if expected:
        assert text[cand.start:cand.end] == expected


def test_label_away_from_line_start_is_not_a_field(recognizer):
    assert found(recognizer, "张三的电子邮箱：zs@163.com") == [("zs@163.com", "personal")]


@pytest.mark.parametrize("text", [
    "@", "a@b", "user@localhost", "x.@example.com", "用户@例子.中国", "@example.com", "邮箱：无",
    "zhangsan@example.c",
])
def test_not_emails(recognizer, text):
    assert found(recognizer, text) == []


def test_two_addresses_on_a_line(recognizer):
    text = "a1@example.com；b2@example.org"
    assert [t for t, _ in found(recognizer, text)] == ["a1@example.com", "b2@example.org"]


def test_validate_result(recognizer):
    assert recognizer.validate_result("zhangsan@example.com.cn")
    assert not recognizer.validate_result("联系邮箱zhangsan@example.com.cn")


@pytest.mark.parametrize("text", [
    # issue 10: a free-mail address under a mailbox label is an office's only in a line about an office
    "电子邮箱：zhang2020@163.com",
    "来信人，邮箱：li88@qq.com",
    "申请人的电子邮箱：wang7@gmail.com",
])
def test_free_mail_field_is_personal(recognizer, text):
    assert [variant for _, variant in found(recognizer, text)] == ["personal"]
