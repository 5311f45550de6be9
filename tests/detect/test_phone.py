"""PHONE_NUMBER: mobiles and landlines; an office's published number is institution_contact."""

from __future__ import annotations

import random

import pytest
from tests import synth
from tests.detect.helpers import found

from prepub_review.detect.recognizers.phone import CnPhoneRecognizer

RNG = random.Random(86)
MOBILE = synth.mobile(RNG)
LANDLINE = synth.landline(RNG)
ID = synth.cn_id(RNG, region="130102")      # starts with 1 like a mobile
CARD = synth.bank_card(RNG)


@pytest.fixture(scope="module")
def recognizer() -> CnPhoneRecognizer:
    return CnPhoneRecognizer()


@pytest.mark.parametrize("text, expected", [
    (MOBILE, MOBILE),
    (f"张三，{MOBILE}，李四", MOBILE),
    ("户主王某某手机号13812345678", "13812345678"),
    ("138-1234-5678", "138-1234-5678"),
    ("138 1234 5678", "138 1234 5678"),
    ("+86 138 1234 5678", "+86 138 1234 5678"),
    ("+8613812345678", "+8613812345678"),
    ("0086-13812345678", "0086-13812345678"),
    ("86-13812345678", "86-13812345678"),
    ("１３８１２３４５６７８", "１３８１２３４５６７８"),         # full-width
    ("1381234 5678", "1381234 5678"),
    ("家庭电话：13812345678", "13812345678"),                   # a personal label
    (f"张三 {ID} {MOBILE}", MOBILE),                            # PDF row: the ID is not a phone
    ("16612345678", "16612345678"),
    ("联系电话：13812345678", "13812345678"),          # an applicant's form field, no office around
    ("联系电话 139 0157 5691 家庭人口 3人", "139 0157 5691"),
    ("申请人姓名：联系电话\n王小红：15051609141", "15051609141"),   # form: label cell | value cell
    ("6 刘建平 南门社区 2 1970 158 0652 7008 校场路92号", "158 0652 7008"),   # PDF row: cells joined
    ("12 祖金凤 195 2134 1778 2923867923@qq.com 龙翔街道", "195 2134 1778"),   # an e-mail's digits follow
    ("19912345678", "19912345678"),
])
def test_mobile(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "mobile")]


@pytest.mark.parametrize("text, expected", [
    ("027-60896800", "027-60896800"),
    ("(027)60896800", "(027)60896800"),
    ("（０２７）６０８９６８００", "（０２７）６０８９６８００"),
    ("0573-88123456", "0573-88123456"),
    ("0573-8812345", "0573-8812345"),                           # 7-digit local number
    ("010 6234 5678", "010 6234 5678"),
    ("027-60896800-801", "027-60896800-801"),                   # extension
    ("+86-10-62345678", "+86-10-62345678"),
    ("张三家中电话0573-88123456", "0573-88123456"),
    ("5 梁义 东升村 1 450 0598-5543816 东升村3组", "0598-5543816"),   # "450 0598" is not a phone
    ("申请人姓名：联系电话\n王小红：0571-65097178", "0571-65097178"),   # an applicant's form, label cell above
    ("订单号20210101 0573-88123456", "0573-88123456"),     # the 订单号 label belongs to the other number
    (LANDLINE, LANDLINE),
])
def test_landline(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "landline")]


@pytest.mark.parametrize("text, expected", [
    ("主办单位:鄂州市民政局 地址:鄂州市凤凰北路21号 联系人:何威 电话:(027)60896800", "(027)60896800"),
    ("联系人：王科长\n联系电话：13812345678", "13812345678"),   # an office's contact block
    ("审核人：张三    联系电话：0571-88123456", "0571-88123456"),   # a form's footer line
    ("公示期7天。监督电话：0512-83652457。", "0512-83652457"),    # a closing sentence
    ("梧桐街道公示：公示期7天。联系电话：0512-83652457。", "0512-83652457"),
    ("社会救助科（联系人：张三，电话：\n0571-65097178，邮箱：x@a.gov.cn）", "0571-65097178"),   # wrapped
    ("联系电话：0573-88123456", "0573-88123456"),
    ("咨询电话:027-60896800", "027-60896800"),
    ("我局设立举报电话0711-3221234，受理群众举报。", "0711-3221234"),
    ("某某县民政局办公室 传真 0573-88123456", "0573-88123456"),
    ("某某县民政局 0573-88123456", "0573-88123456"),     # an office line, no label
    ("监督电话：62345678", "62345678"),                 # local number right after its label
    ("服务热线：400-123-4567", "400-123-4567"),
    ("400 123 4567", "400 123 4567"),
    ("联系人：王科长 电话：13812345678", "13812345678"),
    ("联系电话号码：0573-88123456", "0573-88123456"),
    ("邮编314500 0573-88123456", "0573-88123456"),        # an address line; 邮编 is not its label
    ("【联系电话】 0573-88123456", "0573-88123456"),
])
def test_institution_contact(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "institution_contact")]


@pytest.mark.parametrize("text, expected", [
    ("户主联系电话：13812345678", "mobile"),            # the label names a person
    ("申请人电话：0573-88123456", "landline"),
    ("张三的联系电话是13812345678", "mobile"),          # contact label, but no office around
    ("电话是13812345678", "mobile"),                    # prose, not a field
    # a reply letter names the bureau, but the number is the recipient's
    ("送达地址：某县民政局转新民村13幢1单元501，收件人：张三，电话：13812345678", "mobile"),
    ("送达地址：新民村梧桐苑13幢1单元501，收件人：张三，电话：\n177-0814-7143", "mobile"),
])
def test_person_labels_beat_contact_labels(recognizer, text, expected):
    assert [v for _, v in found(recognizer, text)] == [expected]


@pytest.mark.parametrize("text", ["138****5678", "138 **** 5678", "138xxxx5678", "1381234****", "１３８＊＊＊＊５６７８"])
def test_masked(recognizer, text):
    assert found(recognizer, text) == [(text, "masked")]


@pytest.mark.parametrize("text", [
    ID,                                              # 11 digits inside an 18-digit ID
    f"身份证号：{ID}",
    CARD,
    " ".join(CARD[i:i + 4] for i in range(0, 19, 4)),   # "6222 0212 3456 7890 123"
    "卡号 6217 195 2134 1778 581",                     # a card grouped 4-3-4-4-3 holds "195 2134 1778"
    "金额13812345678元",
    "共计13812345678.50",
    "￥13812345678",
    "2021-01-01",
    "20210101",
    "民发〔2021〕57号",
    "鄂公网安备 42070402000203号",
    "网站标识码:4207000049 备案号:鄂ICP备05017375号",
    "网站标识码：0573881234",
    "62345678",                                      # a local number without label
    "监督电话：12345678",                              # local numbers do not start with 1
    "共88123456人",
    "02760896800",                                   # unformatted 0xxx run: no label, no office
    "19412345678",                                   # 194 is not a mobile prefix
    "1381234567",                                    # 10 digits
    "138123456789",                                  # 12 digits
    "QQ13812345678",
    "138****567",
    "浏览数达37604次",
    "邮编：430000",
])
def test_not_phones(recognizer, text):
    assert found(recognizer, text) == []


def test_never_across_lines(recognizer):
    assert found(recognizer, "电话：0573-\n88123456") == []
    assert found(recognizer, "电话：\n13812345678") == [("13812345678", "mobile")]


def test_attrs(recognizer):
    (cand,) = recognizer.find("联系电话：(027)60896800")
    assert cand.attrs == {"kind": "landline", "label": "联系电话"}


@pytest.mark.parametrize("value, ok", [
    ("13812345678", True), ("+86 138 1234 5678", True), ("0086-13812345678", True),
    ("19412345678", False), ("027-60896800", False), ("1381234567", False),
])
def test_validate_result(recognizer, value, ok):
    assert recognizer.validate_result(value) is ok


def test_all_synth_mobiles_found(recognizer):
    rng = random.Random(3)
    values = [synth.mobile(rng) for _ in range(200)]
    text = "\n".join(f"第{i}户：{v}" for i, v in enumerate(values))
    assert [text[c.start:c.end] for c in recognizer.find(text)] == values
