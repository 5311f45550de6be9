"""BANK_CARD: Luhn-valid card numbers, labelled account numbers, masked values; IDs are not cards."""

from __future__ import annotations

import random

import pytest
from tests import synth
from tests.detect.helpers import found

from prepub_review.detect.recognizers.bank_card import CnBankCardRecognizer
from prepub_review.detect.recognizers.common import luhn_ok

RNG = random.Random(62)
CARD19 = synth.bank_card(RNG, 19)
CARD16 = synth.bank_card(RNG, 16)
BAD_LUHN = CARD19[:-1] + str((int(CARD19[-1]) + 1) % 10)
VISA = synth.luhn_complete("4" + "".join(str(RNG.randrange(10)) for _ in range(14)))


def _id_passing_luhn() -> str:
    rng = random.Random(1)
    while True:
        value = synth.cn_id(rng, region="620102")   # 甘肃 IDs start with 62, like UnionPay cards
        if value.isdigit() and luhn_ok(value):
            return value


ID_LUHN = _id_passing_luhn()


def grouped(value: str, sep: str = " ") -> str:
    return sep.join(value[i:i + 4] for i in range(0, len(value), 4))


@pytest.fixture(scope="module")
def recognizer() -> CnBankCardRecognizer:
    return CnBankCardRecognizer()


@pytest.mark.parametrize("text, expected", [
    (CARD19, CARD19),
    (CARD16, CARD16),
    (VISA, VISA),
    (f"银行卡号：{CARD19}", CARD19),
    (f"张三{CARD19}元", CARD19),
    (grouped(CARD19), grouped(CARD19)),                       # "6222 0212 3456 7890 123"
    (grouped(CARD19, "-"), grouped(CARD19, "-")),
    (f"代发账号：{grouped(CARD16)}", grouped(CARD16)),
    (f"1 {grouped(CARD19)}", grouped(CARD19)),                  # a row number before it
    (f"张三 {synth.cn_id(RNG)} {CARD19}", CARD19),             # PDF row: ID, then card
    (CARD19.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}), None),   # full-width
    (f"卡号：{ID_LUHN}", ID_LUHN),                               # the label says card
])
def test_valid_cards(recognizer, text, expected):
    expected = expected or text
    assert found(recognizer, text) == [(expected, "valid")]


@pytest.mark.parametrize("text, expected", [
    (f"账号：{BAD_LUHN}", BAD_LUHN),
    ("收款账号：1234 5678 9012 3", "1234 5678 9012 3"),
    ("开户账号 33050162663500000123", "33050162663500000123"),
    ("一卡通账号：123456789012", "123456789012"),
    ("银行帐号：12345678901234567890123", "12345678901234567890123"),
])
def test_labelled_accounts(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "labelled_account")]


@pytest.mark.parametrize("text, expected", [
    ("6222 **** **** 1234", "6222 **** **** 1234"),
    ("6222********1234", "6222********1234"),
    ("622202*********1234", "622202*********1234"),
    ("卡号：****1234", "****1234"),
    ("账号：6222 ×××× ×××× 1234", "6222 ×××× ×××× 1234"),
])
def test_masked(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "masked")]


@pytest.mark.parametrize("text", [
    ID_LUHN,                                  # an ID that passes Luhn: the ID wins
    f"身份证号：{ID_LUHN}",
    f"身份证号：{CARD19}",                    # the label says ID, not card
    BAD_LUHN,                                 # fails Luhn, no label
    "1234567890123456",                       # unknown issuer prefix
    "****1234",                               # masked tail without a label
    "330483********1234",                     # a masked ID
    "138****5678",
    "鄂公网安备 42070402000203号",
    "网站标识码：6222021234567890123",
    "账号：12345678901",                      # too short for an account number
    f"{CARD19}1234567",                       # 26 digits
    f"A{CARD19}",
])
def test_not_cards(recognizer, text):
    assert found(recognizer, text) == []


def test_never_across_lines(recognizer):
    assert found(recognizer, f"卡号：{CARD19[:8]}\n{CARD19[8:]}") == []


@pytest.mark.parametrize("value, ok", [
    (CARD19, True), (grouped(CARD19), True), (BAD_LUHN, False), ("1234567890123452", False),
])
def test_validate_result(recognizer, value, ok):
    assert recognizer.validate_result(value) is ok
