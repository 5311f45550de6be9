"""BIRTH_DATE: a date said to be a birth date by a label or a birth word (domain-rules P9)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.detect.helpers import found

from prepub_review.detect.recognizers.birth_date import BirthDateRecognizer
from prepub_review.pipeline import Checker


@pytest.fixture(scope="module")
def recognizer() -> BirthDateRecognizer:
    return BirthDateRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("出生日期：1953-05-27", [("1953-05-27", "full")]),
    ("出生日期:19530527", [("19530527", "full")]),                      # a compact cell, under its label
    ("出生年月：1953.05", [("1953.05", "year_month")]),
    ("出生年月（1953年5月）", [("1953年5月", "year_month")]),
    ("生日 1953/5/27", [("1953/5/27", "full")]),
    ("赵桂英，女，1953年5月27日生，二级肢体残疾。", [("1953年5月27日", "full")]),
    ("张三，男，1968年3月出生，中共党员", [("1968年3月", "year_month")]),
    ("李四，生于1950年1月2日。", [("1950年1月2日", "full")]),
    ("出生日期：１９５３年０５月２７日", [("１９５３年０５月２７日", "full")]),    # full-width
])
def test_birth_dates(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "本办法自2026年5月1日起施行，2026年5月生效。",                      # a date with 生 in another word
    "2025年我市出生人口1.2万人，出生率8.1‰。",
    "公示期：2026年10月15日至2026年10月21日。",
    "张三，男，1968年出生",                                             # a year alone: an age band
    "出生日期：1953-13-27", "出生日期：1953-02-30",                      # not a date
    "出生日期：1853-05-27",                                             # before rules' earliest_year
    f"出生日期：{dt.date.today().year + 1}-01-01",                      # in the future
    "出生日期、户籍地和联系电话由申请人填写，截止日期2026年5月1日",      # the label not right before
    "文号：2026.05",
])
def test_not_birth_dates(recognizer, text):
    assert found(recognizer, text) == []


def test_an_officials_birth_month_is_published_by_design_in_a_pre_appointment_notice():
    checker = Checker()
    notice = checker.check_text("关于张三同志任前公示\n张三，男，汉族，1968年3月出生，现任城南街道党工委副书记。")
    recipient = checker.check_text("城南街道临时救助对象公示\n户主赵桂英，女，1953年5月出生，和平村，救助金额2000元。")
    assert [(f.variant, f.severity.value) for f in notice if f.entity == "BIRTH_DATE"] == [("year_month", "info")]
    assert [(f.variant, f.severity.value) for f in recipient if f.entity == "BIRTH_DATE"] == [("year_month", "review")]
