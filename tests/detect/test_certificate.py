"""CN_CERTIFICATE: passports, travel permits, 台胞证, military IDs -- always by their label."""

from __future__ import annotations

import pytest
from tests.detect.helpers import found

from prepub_review.detect.recognizers.certificate import CnCertificateRecognizer


@pytest.fixture(scope="module")
def recognizer() -> CnCertificateRecognizer:
    return CnCertificateRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("护照号码：E12345678", [("E12345678", "passport")]),
    ("护照：EA1234567", [("EA1234567", "passport")]),
    ("护照号 G12345678", [("G12345678", "passport")]),
    ("公务护照：SE1234567", [("SE1234567", "passport")]),
    ("护照：DE1234567", [("DE1234567", "passport")]),
    ("持护照（号码e12345678）入境", [("e12345678", "passport")]),
    ("护照号码：ＥＡ１２３４５６７", [("ＥＡ１２３４５６７", "passport")]),     # full-width
    ("证件号码：E12345678", [("E12345678", "passport")]),        # generic column, E/G format
    ("证件号码：G12345678", [("G12345678", "passport")]),
    ("证件号码：H12345678", [("H12345678", "hk_macau_permit")]),
    ("证件号：军字第2544348号", [("军字第2544348号", "military_id")]),
    ("性别：证件号码\n男：E55548637", [("E55548637", "passport")]),   # form: label cell | value cell
    ("证件号码\nH14495448", [("H14495448", "hk_macau_permit")]),   # the label ends the line above
    ("护照\nE12345678", [("E12345678", "passport")]),
    ("性别：证件号码\n男：军字第2544348号", [("军字第2544348号", "military_id")]),
    ("港澳居民来往内地通行证：H12345678", [("H12345678", "hk_macau_permit")]),
    ("回乡证号码 M1234567801", [("M1234567801", "hk_macau_permit")]),
    ("通行证：H12345678", [("H12345678", "hk_macau_permit")]),      # the format decides the type
    ("往来港澳通行证：C12345678", [("C12345678", "travel_permit")]),
    ("往来港澳通行证：CA1234567", [("CA1234567", "travel_permit")]),
    ("台胞证号码：12345678", [("12345678", "taiwan_permit")]),
    ("台湾居民来往大陆通行证 1234567890", [("1234567890", "taiwan_permit")]),
    ("军官证号：南字第1234567号", [("南字第1234567号", "military_id")]),
    ("士兵证 12345678", [("12345678", "military_id")]),
])
def test_labelled_certificates(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "G12345678次列车",
    "护照办理须知",
    "护照：EI1234567",                    # I is not used
    "护照：E123456789",                   # too long
    "证件号码：C12345678",
    "证件号码：12345678",                 # 8 digits: a 台胞证 only under its own label
    "往来港澳通行证：H1234567",
    "台胞证有效期至20250101",              # a date, not a number
    "办理护照需要提供身份证：330483199001011234",   # an 18-digit ID is not a certificate
    "G12345678",                          # G + 8 digits without a label: train and product codes
    "护照号码：P123456",                   # too short even for the old format
])
def test_not_certificates(recognizer, text):
    assert found(recognizer, text) == []


@pytest.mark.parametrize("value, ok", [
    ("E12345678", True), ("EA1234567", True), ("H1234567801", True), ("C12345678", True),
    ("EI1234567", False), ("12345678", False),
])
def test_validate_result(recognizer, value, ok):
    assert recognizer.validate_result(value) is ok


@pytest.mark.parametrize("text, expected", [
    # issue 10: passports without a label, the old 7-digit and the diplomatic/service formats
    ("E12345678", [("E12345678", "passport_unlabelled")]),
    ("核查清单：EA1234567、DE1234567",
     [("EA1234567", "passport_unlabelled"), ("DE1234567", "passport_unlabelled")]),
    ("证件号码\n共有E55548637", [("E55548637", "passport_unlabelled")]),
    ("护照：E1234567", [("E1234567", "passport")]),                   # old format: letter + 7 digits
    ("外交护照D1234567", [("D1234567", "passport")]),
    ("公务护照号码：S12345678", [("S12345678", "passport")]),
    ("大陆居民往来台湾通行证号码L12345678", [("L12345678", "taiwan_travel_permit")]),
    ("外国人永久居留证号码：USA310085061201", [("USA310085061201", "foreigner_permit")]),
])
def test_issue10_certificates(recognizer, text, expected):
    assert found(recognizer, text) == expected


def test_old_foreigner_permit_needs_a_birth_date(recognizer):
    assert found(recognizer, "外国人永久居留证号码：USA310085136101") == []
