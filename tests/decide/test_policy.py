"""The decide stage: record overrides (with_private_person, with_organisation) and policy loading."""

from __future__ import annotations

import random

import pytest
from tests import synth

from prepub_review.decide.policy import EntityPolicy, MaskSpec, Policy, VariantRule, parse_entity_policy
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.registry import build_recognizers
from prepub_review.errors import RulesError
from prepub_review.models import Detection, Segment, Severity, Zone
from prepub_review.rules_loader import RulesSource, load_yaml_file

INFO, REVIEW, BLOCK = Severity.INFO, Severity.REVIEW, Severity.BLOCK


def _entity(entity: str, **variants: VariantRule) -> EntityPolicy:
    return EntityPolicy(entity=entity, label=entity, mask=MaskSpec(), variants=variants)


# A small policy of its own, so these tests check the mechanism, not the shipped severities.
POLICY = Policy({
    "PHONE": _entity("PHONE", landline=VariantRule(
        "T-PH", REVIEW, "固话", with_private_person=BLOCK, with_organisation=INFO)),
    "ADDRESS": _entity("ADDRESS", door=VariantRule(
        "T-AD", BLOCK, "门牌", private_person=True, with_organisation=INFO)),
    "NAME": _entity("NAME", private=VariantRule("T-NM", REVIEW, "姓名", private_person=True)),
    "ORG": _entity("ORG", name=VariantRule("T-ORG", INFO, "单位", organisation=True)),
    "NOTE": _entity("NOTE", plain=VariantRule("T-NT", REVIEW, "无覆盖")),
})


def _row(record: str | None, *cells: tuple[str, str, str]) -> list[Detection]:
    """Detections of (entity, variant, text), one segment per cell, all in one record."""
    found = []
    for entity, variant, text in cells:
        seg = Segment(text, f"{record}", Zone.TABLE, record=record)
        found.append(Detection(entity, variant, 0, len(text), 0.9, seg, "test"))
    return found


def _severities(detections: list[Detection]) -> dict[str, Severity]:
    return {f.entity: f.severity for f in POLICY.judge(detections)}


@pytest.mark.parametrize("cells, expected", [
    # alone: each variant's own severity
    ([("PHONE", "landline", "0571-88123456")], {"PHONE": REVIEW}),
    ([("ADDRESS", "door", "幸福路12号")], {"ADDRESS": BLOCK}),
    # a private person's row: the phone is the person's
    ([("NAME", "private", "张三"), ("PHONE", "landline", "0571-88123456")], {"NAME": REVIEW, "PHONE": BLOCK}),
    # a door-level address alone marks the row as a person's
    ([("ADDRESS", "door", "幸福路12号"), ("PHONE", "landline", "0571-88123456")],
     {"ADDRESS": BLOCK, "PHONE": BLOCK}),
    # a company's row: its address and phone are the company's
    ([("ORG", "name", "恒信科技有限公司"), ("PHONE", "landline", "0571-88123456"), ("ADDRESS", "door", "幸福路12号")],
     {"ORG": INFO, "PHONE": INFO, "ADDRESS": INFO}),
    # a private person in the company's row wins
    ([("ORG", "name", "恒信科技有限公司"), ("NAME", "private", "张三"), ("PHONE", "landline", "0571-88123456"),
      ("ADDRESS", "door", "幸福路12号")],
     {"ORG": INFO, "NAME": REVIEW, "PHONE": BLOCK, "ADDRESS": BLOCK}),
    # a variant without with_organisation keeps its severity
    ([("ORG", "name", "恒信科技有限公司"), ("NOTE", "plain", "x")], {"ORG": INFO, "NOTE": REVIEW}),
])
def test_record_overrides(cells, expected):
    assert _severities(_row("r1", *cells)) == expected


def test_organisation_reaches_only_its_own_record():
    detections = _row("r1", ("ORG", "name", "恒信科技有限公司")) + _row("r2", ("ADDRESS", "door", "幸福路12号"))
    assert [f.severity for f in POLICY.judge(detections)] == [INFO, BLOCK]


def test_a_line_without_record_is_its_own_record():
    seg = Segment("1 恒信科技有限公司 0571-88123456", "第1页", Zone.BODY)
    other = Segment("0571-88123457", "第1页", Zone.BODY)
    detections = [Detection("ORG", "name", 2, 10, 0.6, seg, "t"), Detection("PHONE", "landline", 11, 24, 0.6, seg, "t"),
                  Detection("PHONE", "landline", 0, 13, 0.6, other, "t")]
    assert [f.severity for f in POLICY.judge(detections)] == [INFO, INFO, REVIEW]


def test_organisation_override_explains_itself():
    phone = next(f for f in POLICY.judge(_row("r1", ("ORG", "name", "恒信科技有限公司"),
                                              ("PHONE", "landline", "0571-88123456")))
                 if f.entity == "PHONE")
    assert "单位" in phone.reason and phone.reason != "固话"


# --- loading ---------------------------------------------------------------------------------------

def _parse(tmp_path, text: str):
    path = tmp_path / "X.yaml"
    path.write_text(text, encoding="utf-8")
    return parse_entity_policy(load_yaml_file(path, "rules/policy/X.yaml"))


def test_parse_organisation_keys(tmp_path):
    policy = _parse(tmp_path, """
entity: X
label: 某
variants:
  a: {rule: X1, severity: review, reason: 甲, with_organisation: info, reason_with_organisation: 乙}
  b: {rule: X2, severity: info, reason: 丙, organisation: true}
""")
    assert policy.variants["a"].with_organisation is INFO
    assert policy.variants["a"].reason_with_organisation == "乙"
    assert policy.variants["b"].organisation is True and policy.variants["b"].with_organisation is None


def test_a_variant_may_have_its_own_display_mask(tmp_path):
    parsed = _parse(tmp_path, """
entity: X
label: 某
mask: {keep_prefix: 3, keep_suffix: 4}
variants:
  a: {rule: X1, severity: review, reason: 甲, mask: {keep_prefix: 4, keep_suffix: 2}}
  b: {rule: X2, severity: info, reason: 丙}
""")
    policy = Policy({"X": parsed})
    assert policy.mask_spec("X", "a") == MaskSpec(4, 2)
    assert policy.mask_spec("X", "b") == policy.mask_spec("X") == MaskSpec(3, 4)


@pytest.mark.parametrize("variant, message", [
    ("{rule: X1, severity: info, reason: 甲, mask: {keep_first: 2}}", "keep_first"),
    ("{rule: X1, severity: info, reason: 甲, mask: 3}", "mask"),
    ("{rule: X1, severity: info, reason: 甲, with_organisation: never}", "with_organisation"),
    ("{rule: X1, severity: info, reason: 甲, organisation: true, private_person: true}", "organisation"),
])
def test_parse_errors_name_the_key(tmp_path, variant, message):
    with pytest.raises(RulesError, match=message):
        _parse(tmp_path, f"entity: X\nlabel: 某\nvariants:\n  a: {variant}\n")


def test_shipped_policies_load_and_mark_organisations():
    policy = Policy.load(RulesSource())
    assert policy.rule_for("CN_USCC", "organisation").organisation
    assert not policy.rule_for("CN_USCC", "individual_business").organisation   # 92: maybe a person
    assert policy.rule_for("ORGANISATION", "name").organisation
    for entity, variant in [("PHONE_NUMBER", "landline"), ("PHONE_NUMBER", "institution_contact"),
                            ("EMAIL_ADDRESS", "personal"), ("EMAIL_ADDRESS", "institution_contact"),
                            ("ADDRESS", "door_level")]:
        assert policy.rule_for(entity, variant).with_organisation is INFO, (entity, variant)
    assert policy.rule_for("PHONE_NUMBER", "mobile").with_organisation is None


# --- end to end with the shipped rules ---------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    rules = RulesSource()
    return DetectionEngine(build_recognizers(rules)), Policy.load(rules)


def _check_row(shipped, cells: list[tuple[str, str]]) -> dict[str, Severity]:
    engine, policy = shipped
    segments = [Segment(text, "第3行", Zone.TABLE, field=field, record="r3") for field, text in cells]
    return {f.entity: f.severity for f in policy.judge(engine.detect(segments))}


RNG = random.Random(20)


def test_company_row_of_a_register_is_not_personal(shipped):
    found = _check_row(shipped, [("申请人", "安吉恒信科技有限公司"), ("联系电话", "0572-63437264"),
                                 ("电子邮箱", "service@hengxin.com.cn"), ("联系地址", "安吉区学前街175号")])
    assert found == {"ORGANISATION": INFO, "PHONE_NUMBER": INFO, "EMAIL_ADDRESS": INFO, "ADDRESS": INFO}


def test_company_row_with_uscc_is_not_personal(shipped):
    found = _check_row(shipped, [("统一社会信用代码", synth.uscc(RNG, "91")), ("联系电话", "0572-63437264"),
                                 ("联系地址", "安吉区学前街175号")])
    assert found == {"CN_USCC": INFO, "PHONE_NUMBER": INFO, "ADDRESS": INFO}


def test_individual_business_row_stays_personal(shipped):
    found = _check_row(shipped, [("统一社会信用代码", synth.uscc(RNG, "92")), ("联系电话", "0572-63437264"),
                                 ("联系地址", "幸福村3组12号")])
    assert found["ADDRESS"] is BLOCK and found["PHONE_NUMBER"] is BLOCK


def test_person_row_of_the_same_register_stays_personal(shipped):
    found = _check_row(shipped, [("申请人", "赵秀芳"), ("联系电话", "0572-63437264"),
                                 ("电子邮箱", "zhaoxf88@163.com"), ("联系地址", "红旗村8组43号")])
    assert found["PHONE_NUMBER"] is BLOCK and found["EMAIL_ADDRESS"] is BLOCK and found["ADDRESS"] is BLOCK
