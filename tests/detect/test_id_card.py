"""CN_ID_CARD: valid IDs anywhere, doubtful ones only under an ID label, masked ones as info."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from tests import synth
from tests.detect.helpers import found

from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer, id_check_char

RNG = random.Random(20240611)
ID = synth.cn_id(RNG, region="330483", birth=dt.date(1990, 1, 1))
ID_X = synth.cn_id_x(RNG)
ID_BAD = synth.cn_id_bad_checksum(RNG)
PERMIT_HK = synth.cn_id(RNG, region="810000")
PERMIT_TW = synth.cn_id(RNG, region="830000")


USCC_DIGITS = synth.uscc_that_is_also_an_id()


def full_width(value: str) -> str:
    return value.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})


def spaced(value: str, sep: str = " ") -> str:
    return sep.join(value[i:i + 4] for i in range(0, len(value), 4))


@pytest.fixture(scope="module")
def recognizer() -> CnIdCardRecognizer:
    return CnIdCardRecognizer()


@pytest.mark.parametrize("text, expected", [
    (f"身份证号：{ID}", ID),
    (ID, ID),                                          # a bare valid ID needs no label
    (f"申请人张三{ID}，男", ID),                        # glued to CJK on both sides
    (f"公民身份号码:{ID_X}", ID_X),                     # X check digit
    (f"公民身份号码:{ID_X.lower()}", ID_X.lower()),     # x check digit
    (f"身份证：{full_width(ID)}", full_width(ID)),      # full-width digits
    (f"身份证：{spaced(ID)}", spaced(ID)),              # "3304 8319 9001 0112 34"
    (f"身份证：{spaced(ID, '-')}", spaced(ID, "-")),
    (f"身份证：{ID[:6]} {ID[6:14]} {ID[14:]}", f"{ID[:6]} {ID[6:14]} {ID[14:]}"),
    (f"1 张三 {ID} 13812345678", ID),                   # PDF table row joined with spaces
    (f"社会保障号码 {ID}", ID),
    (f"账号：6222021234 {ID}", ID),                     # the 账号 label belongs to the other number
])
def test_valid_ids(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "valid")]


def test_attrs_carry_birth_date_and_region(recognizer):
    (cand,) = recognizer.find(f"身份证号：{ID}")
    assert cand.attrs == {"birth_date": "1990-01-01", "region": "330483"}


@pytest.mark.parametrize("value", [PERMIT_HK, PERMIT_TW])
def test_residence_permit(recognizer, value):
    assert found(recognizer, f"港澳台居民居住证号码：{value}") == [(value, "residence_permit")]


@pytest.mark.parametrize("text, expected", [
    (f"身份证号码：{ID_BAD}", [(ID_BAD, "bad_checksum")]),
    (f"证件号码 {ID_BAD}", [(ID_BAD, "bad_checksum")]),
    (f"公民身份号码：{ID_BAD}（待核实）", [(ID_BAD, "bad_checksum")]),
    (ID_BAD, []),                                       # no ID context: ignore
    (f"订单编号{ID_BAD}", []),
])
def test_bad_checksum_needs_id_context(recognizer, text, expected):
    assert found(recognizer, text) == expected


def spreadsheet_kept(rng) -> str:
    """An ID as a spreadsheet keeps a number: 15 significant digits, then 000 (one whose check fails)."""
    while True:
        kept = synth.cn_id(rng)[:15] + "000"
        if id_check_char(kept[:17]) != kept[17]:
            return kept


SHEET_ID = spreadsheet_kept(random.Random(11))


@pytest.mark.parametrize("text, expected", [
    (f"身份证号,{SHEET_ID}", [(SHEET_ID, "spreadsheet_digits")]),
    (f"公民身份号码：{SHEET_ID}", [(SHEET_ID, "spreadsheet_digits")]),
    (SHEET_ID, []),                                     # no ID context: ignore, as any bad check character
    (f"订单编号{SHEET_ID}", []),
])
def test_an_id_a_spreadsheet_kept_to_15_digits_is_its_own_variant(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("身份证号：330483900101123", [("330483900101123", "legacy_15")]),
    ("身份证号：33048390010112X", []),                  # 15-digit numbers have no check character
    ("330483900101123", []),                            # 15-digit numbers are common: label needed
    ("合同编号330483900101123", []),
    ("身份证号：330483901301123", []),                  # month 13
])
def test_legacy_15_digit(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "身份证号：000483199001011234",                      # no such province
    "身份证号：330483199013011234",                      # month 13
    "身份证号：330483189001011234",                      # born before 1900
    f"身份证号：330483{dt.date.today().year + 1}01011234",   # born in the future
    f"统一社会信用代码：{USCC_DIGITS}",                   # USCC, not an ID (though it passes as one)
    f"社会信用代码 {USCC_DIGITS}",
    f"账号：{ID}",                                       # the label says bank account
    f"{ID}1",                                            # 19 digits
    f"X{ID}",                                            # glued to a letter
    "民发〔2021〕57号",
    "金额：330,483,199,001.00元",
])
def test_not_ids(recognizer, text):
    assert found(recognizer, text) == []


@pytest.mark.parametrize("text, expected", [
    ("35*************123", [("35*************123", "masked")]),
    ("身份证号：330483********1234", [("330483********1234", "masked")]),
    ("3304**********1234", [("3304**********1234", "masked")]),
    ("330483××××××××123X", [("330483××××××××123X", "masked")]),
    ("330483xxxxxxxx1234", [("330483xxxxxxxx1234", "masked")]),
    ("３５＊＊＊＊＊＊＊＊＊＊＊＊＊１２３", [("３５＊＊＊＊＊＊＊＊＊＊＊＊＊１２３", "masked")]),
    ("33048319900101****", [("33048319900101****", "masked_weak")]),   # birth date still visible
    ("330483******011234", [("330483******011234", "masked")]),
    ("00**************12", []),                          # no such province
    ("138****5678", []),                                 # a masked phone
    ("卡号：622202********1234", []),                    # a masked card
    ("3*5", []),
])
def test_masked(recognizer, text, expected):
    assert found(recognizer, text) == expected


def test_never_across_lines(recognizer):
    assert found(recognizer, f"身份证号：{ID[:9]}\n{ID[9:]}") == []


def test_uscc_label_is_what_keeps_the_code_from_being_an_id(recognizer):
    assert recognizer.validate_result(USCC_DIGITS)
    assert found(recognizer, USCC_DIGITS) == [(USCC_DIGITS, "valid")]


def test_offsets_index_raw_text(recognizer):
    text = f"张三，身份证号{full_width(ID)}。"
    (cand,) = recognizer.find(text)
    assert text[cand.start:cand.end] == full_width(ID)


@pytest.mark.parametrize("value, ok", [
    (ID, True), (ID_X, True), (spaced(ID), True), (full_width(ID), True),
    (ID_BAD, False), (ID[:-1], False), ("11010519491231002X", True), ("110105194912310021", False),
])
def test_validate_result(recognizer, value, ok):
    assert recognizer.validate_result(value) is ok


def test_check_char_matches_gb11643_example():
    assert id_check_char("11010519491231002") == "X"
    assert all(id_check_char(synth.cn_id(RNG)[:17]) for _ in range(10))


def test_matches_synth_generator(recognizer):
    rng = random.Random(7)
    values = [synth.cn_id(rng) for _ in range(300)]
    assert all(recognizer.validate_result(v) for v in values)
    assert not any(recognizer.validate_result(synth.cn_id_bad_checksum(rng)) for _ in range(300))


def test_an_id_a_spreadsheet_kept_blocks_a_list(tmp_path):
    from prepub_review.pipeline import Checker

    path = tmp_path / "名单.csv"
    path.write_text(f"姓名,身份证号\n赵小梅,{SHEET_ID}\n", encoding="utf-8")
    findings = [(f.entity, f.rule_id, f.severity.value) for f in Checker().check_file(path).findings
                if f.entity == "CN_ID_CARD"]
    assert findings == [("CN_ID_CARD", "P1-XLS", "block")]
