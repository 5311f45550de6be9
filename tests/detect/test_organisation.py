"""ORGANISATION: an organisation's name as a whole cell (it tells the policy the row is a company's)."""

from __future__ import annotations

import pytest

from prepub_review.detect.recognizers.organisation import OrganisationRecognizer


@pytest.fixture(scope="module")
def recognizer() -> OrganisationRecognizer:
    return OrganisationRecognizer()


def found(recognizer, text: str) -> list[str]:
    return [text[c.start:c.end] for c in recognizer.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("申请人：安吉恒信科技有限公司", ["安吉恒信科技有限公司"]),              # a table cell under its column
    ("安吉恒信科技有限公司", ["安吉恒信科技有限公司"]),
    ("1 安吉诚达律师事务所有限公司 0512-64129702 service@a.com.cn", ["安吉诚达律师事务所有限公司"]),   # PDF row
    ("名称：桐溪县老年人协会\n地址：幸福路12号", ["桐溪县老年人协会"]),
    ("杭州恒信科技有限公司（西湖分公司） 0571-88123456", ["杭州恒信科技有限公司（西湖分公司）"]),
    ("ｘ：杭州恒信科技股份有限公司", ["杭州恒信科技股份有限公司"]),
])
def test_names_as_cells(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "我局委托杭州恒信科技有限公司开展第三方评估。",     # mentioned in a sentence
    "经查，杭州恒信科技有限公司的申请已答复",
    "公司",                                          # a suffix alone is no name
    "本公司",
    "张三便利店",                                    # 个体工商户: the holder may be a private person
    "集中供养：桐溪县社会福利院",                      # a recipient's row, not an organisation's
    "张三 男 68 东风村敬老院",
    "工作单位：杭州恒信科技有限公司",                  # a person's employer
    "开户银行：中国农业银行",
])
def test_not_organisation_cells(recognizer, text):
    assert found(recognizer, text) == []


def test_never_across_lines(recognizer):
    assert found(recognizer, "杭州恒信\n科技有限公司") == ["科技有限公司"]
