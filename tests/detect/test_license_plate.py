"""LICENSE_PLATE: 省简称 + letter + 5 characters (6 for new energy plates)."""

from __future__ import annotations

import pytest
from tests.detect.helpers import found

from prepub_review.detect.recognizers.license_plate import CnLicensePlateRecognizer


@pytest.fixture(scope="module")
def recognizer() -> CnLicensePlateRecognizer:
    return CnLicensePlateRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("车牌号：粤B12345", [("粤B12345", "labelled")]),
    ("车牌号码 鄂G·A1234", [("鄂G·A1234", "labelled")]),
    ("张三驾驶京A12345号小型轿车", [("京A12345", "plate")]),
    ("沪AD12345", [("沪AD12345", "plate")]),           # new energy, small vehicle
    ("浙A12345F", [("浙A12345F", "plate")]),           # new energy, large vehicle
    ("粤Ｂ１２３４５", [("粤Ｂ１２３４５", "plate")]),     # full-width
])
def test_plates(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "创新ABCDE", "浙江省", "京A股", "粤BI2345", "沪A1234", "鄂A123456", "沪AB12345", "京AB1CD", "鄂A12345678",
])
def test_not_plates(recognizer, text):
    assert found(recognizer, text) == []
