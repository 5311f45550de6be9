"""Issue 10: each class of real-world miss or false alarm, through the whole checker.

Every case here failed before the change that fixed its class (see git log).
"""

from __future__ import annotations

import random

import pytest

from tests import synth

RNG = random.Random(10)
ID = synth.cn_id(RNG, region="330483")
CARD = synth.bank_card(RNG, 19)
MOBILE = synth.mobile(RNG)


def judged(checker, text):
    return [(f.entity, f.text, f.severity.value) for f in checker.check_text(text)]


def severity_of(checker, text, entity):
    return {f.severity.value for f in checker.check_text(text) if f.entity == entity}


@pytest.mark.parametrize("text, name", [
    ("王建平的手机号是" + MOBILE + "。", "王建平"),
    ("客户是叶俊先生，反映其父朱凯患尿毒症。", "叶俊"),
    ("客户是叶俊先生，反映其父朱凯患尿毒症。", "朱凯"),
    ("经查，刘宝系幸福村村民，白血病，家中无劳动力。", "刘宝"),
    ("冒领其母沈强的高龄津贴，其身份证号为" + ID + "。", "沈强"),
    ("據介紹，獨居長者袁珍今年80歲，患有尿毒症。", "袁珍"),
    ("经查，阿依古丽·买买提系幸福村村民，患尿毒症。", "阿依古丽·买买提"),   # a dotted name, not led by a surname
])
def test_name_tied_to_private_data_in_its_sentence(checker, text, name):
    found = [(f.text, f.severity.value) for f in checker.check_text(text) if f.entity == "PERSON"]
    assert (name, "review") in found


@pytest.mark.parametrize("text, name", [
    ("客户是吐尔逊·艾买提，电话" + MOBILE + "。", "吐尔逊·艾买提"),        # not "客户是吐尔逊·艾买提"
    ("独居长者阿依古丽·买买提，电话" + MOBILE + "。", "阿依古丽·买买提"),
    ("经查，阿卜杜热依木·买买提系幸福村村民，患尿毒症。", "阿卜杜热依木·买买提"),   # six characters before the dot
    ("患者热依拉·艾力，电话" + MOBILE + "。", "热依拉·艾力"),
])
def test_dotted_name_in_a_private_sentence_starts_after_the_words_before_it(checker, text, name):
    assert [f.text for f in checker.check_text(text) if f.entity == "PERSON"] == [name]


def test_officials_in_a_private_sentence_stay_officials(checker):
    found = {f.text: f.severity.value for f in checker.check_text("副局长李明带队走访了低保户，了解困难情况。")
             if f.entity == "PERSON"}
    assert found.get("李明") == "info"


def test_disease_is_not_a_name(checker):
    assert "白血病" not in [f.text for f in checker.check_text("经查，刘宝系幸福村村民，白血病。") if f.entity == "PERSON"]


@pytest.mark.parametrize("written", [
    ID[:6] + "  " + ID[6:14] + "  " + ID[14:],          # two blanks
    ID[:6] + "\u3000" + ID[6:14] + "\u3000" + ID[14:],  # ideographic spaces
    ID[:6] + "." + ID[6:14] + "." + ID[14:],            # dots
    ID[:6] + "-" + ID[6:14] + "-" + ID[14:],
])
def test_id_split_by_separators(checker, written):
    assert ("CN_ID_CARD", written, "block") in judged(checker, "身份证号 " + written)


def test_card_split_by_two_blanks(checker):
    written = "  ".join(CARD[i:i + 4] for i in range(0, 19, 4))
    assert ("BANK_CARD", written, "block") in judged(checker, "银行卡号：" + written)


def test_mobile_with_a_leading_zero(checker):
    assert ("PHONE_NUMBER", "0" + MOBILE, "block") in judged(checker, "联系电话：0" + MOBILE)


def test_bare_15_digit_id(checker):
    assert severity_of(checker, "张三  330483550216248  男", "CN_ID_CARD") == {"block"}
    assert severity_of(checker, "订单 330000550216248", "CN_ID_CARD") == set()   # a province's own code


def test_foreigner_permanent_residence_card_18(checker):
    first17 = "933840" + "19800101" + "123"
    number = first17 + synth.id_check_digit(first17)
    assert severity_of(checker, "外国人永久居留身份证号码：" + number, "CN_ID_CARD") == {"block"}
    wrong = first17 + ("0" if number[-1] != "0" else "1")
    assert severity_of(checker, "编号 " + wrong, "CN_ID_CARD") == set()


def test_credit_code_that_passes_luhn_is_not_a_bank_card(checker):
    from tests.realworld.fill import uscc_like_bank_card
    code = uscc_like_bank_card(random.Random(3))
    assert severity_of(checker, "统一社会信用代码：" + code, "BANK_CARD") == set()
    assert severity_of(checker, "中标供应商代码 " + code, "BANK_CARD") == set()


@pytest.mark.parametrize("text", [
    "桐溪恒信科技有限公司的地址是人民路88号，联系电话：0571-88123456。",
    "城南养老服务中心的地址是建设路12号。",
])
def test_an_organisations_address_is_info(checker, text):
    assert severity_of(checker, text, "ADDRESS") == {"info"}
    assert severity_of(checker, text, "PHONE_NUMBER") <= {"info"}


def test_masked_persons_disability_is_review(checker):
    assert severity_of(checker, "幸福村村民王某，肢体残疾二级，妻子长期卧病在床。", "SENSITIVE_HEALTH") == {"review"}
    assert severity_of(checker, "幸福村村民王建国，男，68岁，肢体残疾二级。", "SENSITIVE_HEALTH") == {"block"}


def test_one_finding_per_health_detail(checker):
    found = [f for f in checker.check_text("致贫原因：因病（尿毒症）") if f.entity == "SENSITIVE_HEALTH"]
    assert [(f.text, f.severity.value) for f in found] == [("因病（尿毒症）", "block")]


def test_bare_name_list_is_reviewed_only_where_nobody_looks(checker):
    from prepub_review.models import Segment, Zone

    for zone, expected in ((Zone.COMMENT, "review"), (Zone.HIDDEN, "review"), (Zone.BODY, "info")):
        segment = Segment("待核实：荣兴、孙贵、谢雪", "批注1", zone=zone)
        findings = checker.policy.judge(checker.engine.detect([segment]))
        assert {f.severity.value for f in findings if f.entity == "PERSON"} == {expected}, zone


@pytest.mark.parametrize("text, entity, variant", [
    ("身份证号码：\n330483850216248", "CN_ID_CARD", "legacy_15"),        # the label ends the line above
    ("开户账号\n62220212345678", "BANK_CARD", "labelled_account"),       # a form's label cell, then the value
])
def test_label_above_the_number(checker, text, entity, variant):
    found = [(f.entity, f.variant) for f in checker.check_text(text) if f.entity == entity]
    assert found == [(entity, variant)]
