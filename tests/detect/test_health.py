"""SENSITIVE_HEALTH: a health/disability word attached to a person is a finding, a policy mention is not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests import synth
from tests.detect.helpers import each_example, found

from prepub_review.decide.policy import parse_entity_policy
from prepub_review.detect.base import VARIANT_KEY
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.recognizers.health import SensitiveHealthRecognizer
from prepub_review.errors import RulesError
from prepub_review.models import Segment, Severity, Zone
from prepub_review.rules_loader import RulesSource, shipped_rules_dir



@pytest.fixture(scope="module")
def recognizer() -> SensitiveHealthRecognizer:
    return SensitiveHealthRecognizer()


@pytest.fixture(scope="module")
def policy():
    return parse_entity_policy(RulesSource().yaml("policy/SENSITIVE_HEALTH.yaml"))


# --- attached to a person: a field value or a line with person attributes ---------------------

@pytest.mark.parametrize("text, expected", [
    # table cells, written by the engine as "列名：单元格"
    ("致贫原因：尿毒症", [("尿毒症", "attached")]),
    ("困难原因：因病", [("因病", "attached")]),
    ("救助原因：肺癌术后化疗", [("肺癌", "attached")]),
    ("病种：白血病", [("白血病", "attached")]),
    ("疾病名称：脑梗塞", [("脑梗塞", "attached")]),
    ("备注：患精神分裂症", [("精神分裂症", "attached")]),
    ("致贫原因（主要）：因残", [("因残", "attached")]),
    # the whole value of a field that describes one person's health
    ("健康状况：长期慢性病", [("长期慢性病", "attached")]),
    ("残疾等级：二级", [("二级", "attached")]),
    ("残疾类别：肢体", [("肢体", "attached")]),
    ("残疾情况：视力残疾一级", [("视力残疾一级", "attached")]),
    # a prose line that also names a person's attributes
    ("李某，男，68岁，患尿毒症", [("尿毒症", "attached")]),
    ("户主张三因病致贫", [("因病致贫", "attached")]),
    ("王某 女 52岁 乳腺癌", [("乳腺癌", "attached")]),
    ("姓名：赵某某，因残致贫", [("因残致贫", "attached")]),
    ("申请人：钱某，患有糖尿病、高血压", [("糖尿病", "attached"), ("高血压", "attached")]),
    ("孙某，性别：男，偏瘫", [("偏瘫", "attached")]),
    # grades are part of the disability
    ("周某，女，二级肢体残疾", [("二级肢体残疾", "attached")]),
    ("吴某，男，肢体残疾（二级）", [("肢体残疾（二级）", "attached")]),
    ("郑某，男，智力三级", [("智力三级", "attached")]),
    ("冯某，女，一级残疾", [("一级残疾", "attached")]),
    # a disability's cause, the lost capacity to work
    ("申请人陈某，男，因车祸致残，丧失劳动能力。", [("致残", "attached"), ("丧失劳动能力", "attached")]),
    ("户主王某，女，智力低下", [("智力低下", "attached")]),
])
def test_attached(recognizer, text, expected):
    assert found(recognizer, text) == expected


def test_attached_with_synthetic_id(recognizer):
    rng = random.Random(5)
    fake = synth.faker(5)
    text = f"{fake.name()} {synth.cn_id(rng)} 因病致贫"
    assert found(recognizer, text) == [("因病致贫", "attached")]


# --- mentions: policy text, statistics ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("为全市残疾人发放两项补贴", [("残疾人", "mention")]),
    ("开展重度残疾人护理补贴工作", [("重度残疾人", "mention")]),
    ("高血压、糖尿病等慢性病患者可申请门诊补助",
     [("高血压", "mention"), ("糖尿病", "mention"), ("慢性病", "mention")]),
    ("为全市80岁以上失能老人发放补贴", [("失能", "mention")]),
    ("防止因病致贫返贫", [("因病致贫", "mention")]),
    # counts after the term: statistics, even under a reason label
    ("因病致贫1234户，因残致贫56户", [("因病致贫", "mention"), ("因残致贫", "mention")]),
    ("致贫原因：因病致贫1234户", [("因病致贫", "mention")]),
    ("其中尿毒症患者共32人", [("尿毒症", "mention")]),
    ("年满60岁、患重病的老人可申请", [("重病", "mention")]),   # an age threshold is not a person
    ("备注：低保对象中的重度残疾人按每人每月100元标准发放护理补贴，由乡镇（街道）统一造册报县民政局",
     [("重度残疾人", "mention")]),                           # a long note is a policy sentence
    ("对因病因残丧失劳动能力的低保对象，按规定增发保障金", [("因病因残丧失劳动能力", "mention")]),
])
def test_mention(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text", [
    "医疗救助",
    "稳步开展医疗救助工作，共救助1.03万人次",
    "中风险地区人员返乡须报备",              # 中风 inside 中风险
    "高中风险地区",
    "ARCHIVE HIVE",                         # HIV inside Latin words
    "市残疾人联合会召开年度工作会议",
    "健康状况：健康",                       # empty values
    "健康状况：良好",
    "备注：无",
    "残疾等级：",
    "宗教信仰：无",
    "宗教信仰：不信教",
    "依法管理宗教事务",
    "年龄：68",
    "全市0-14岁儿童",
    "未满1岁婴儿",
    "张某，男，35岁",
    "",
])
def test_nothing(recognizer, text):
    assert found(recognizer, text) == []


# --- disability card, religion, minors ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("残疾证号：33048319900101123442", [("33048319900101123442", "disability_card")]),
    ("残疾人证号：3504811985030212X11", [("3504811985030212X11", "disability_card")]),
    # a field in brackets ends where they close: "）" is not part of the value (redaction removed it)
    ("户主王大明（残疾证号：33048319900101123442），妻子李秀英", [("33048319900101123442", "disability_card")]),
    ("户主王大明（致贫原因：因残），妻子李秀英", [("因残", "attached")]),
    ("残疾证号：无", []),
    ("宗教信仰：佛教", [("佛教", "religion")]),
    ("信仰：基督教", [("基督教", "religion")]),
    ("陈某，女，汉族，信仰佛教", [("信仰佛教", "religion")]),
    ("佛教协会换届", []),                    # no person on the line
    ("年龄：9岁", [("9岁", "minor")]),
    ("年龄：9", [("9", "minor")]),
    ("年龄：6个月", [("6个月", "minor")]),
    ("年龄：14", []),
    ("张小明，男，9岁，就读于某小学", [("9岁", "minor")]),
    ("李某某 女 13周岁", [("13周岁", "minor")]),
    ("9岁", []),                             # an age alone says nothing about a person
    ("为9岁以下儿童接种", []),
    ("不满14周岁的，男、女均可", []),
])
def test_identifier_religion_minor(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- lines and the engine ----------------------------------------------------------------------

def test_never_crosses_a_line_break(recognizer):
    text = "李某，男，68岁\n患尿毒症的群众可申请救助\n年龄：\n9"
    assert found(recognizer, text) == [("尿毒症", "mention")]


@pytest.mark.parametrize("text, expected", [
    # a form laid out label cell | value cell: the label ends the line above the value
    ("致贫原因：\n尿毒症", [("尿毒症", "attached")]),
    ("申请人姓名：申请理由\n王小红：本人患胃癌晚期，家庭收入低于当地低保标准，特申请救助。",
     [("胃癌", "attached")]),
    ("申请理由\n本人双下肢瘫痪，特申请救助。", [("瘫痪", "attached")]),
    ("申请理由：\n因病致贫123户", [("因病致贫", "mention")]),                 # a count, not a person
    ("备注：\n本年度共为2340名重度残疾人发放护理补贴，各地要做好复核工作。", [("重度残疾人", "mention")]),
    ("申请理由：同意\n全县尿毒症患者可申请救助", [("尿毒症", "mention")]),   # the label does not end the line
])
def test_label_cell_above_the_value(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("申请理由：本人于2019年确诊为乳腺癌，长期化疗，丈夫常年在外务工收入微薄，两个孩子均在上学，家中无其他收入来源。",
     "attached"),                                      # a long first-person narrative
    ("申请理由：根据《社会救助暂行办法》第二十八条规定，对于家庭成员罹患重特大疾病、生活陷入困境的可以申请医疗救助。",
     "mention"),                                       # a long policy sentence
])
def test_long_reason_values(recognizer, text, expected):
    assert [v for _, v in found(recognizer, text)][-1] == expected


@pytest.mark.parametrize("text, expected", [
    ("申请理由 本人患先天性心脏病，家庭收入低于当地低保标准，特申请救助。", "attached"),   # a PDF form row
    ("致贫原因 因病 因残 因学 其他", "mention"),      # a statistics table's header row
    ("申请理由 全县尿毒症患者可申请大病救助", "mention"),
])
def test_label_and_value_separated_by_a_space(recognizer, text, expected):
    assert [v for _, v in found(recognizer, text)][-1] == expected


def test_full_width_and_half_width_labels(recognizer):
    assert found(recognizer, "致贫原因:尿毒症") == found(recognizer, "致贫原因：尿毒症") == [("尿毒症", "attached")]


def test_prose_field_value_ends_at_comma(recognizer):
    text = "姓名：张某，健康状况：残疾，年龄：70"
    assert found(recognizer, text) == [("残疾", "attached")]


def test_engine_maps_cell_under_its_header(recognizer):
    engine = DetectionEngine([recognizer])
    row = [
        Segment("张某", "表1 第2行 A列", Zone.TABLE, field="姓名", record="r2"),
        Segment("尿毒症", "表1 第2行 C列", Zone.TABLE, field="致贫原因", record="r2"),
        Segment("重度残疾人护理补贴", "第3段", Zone.BODY),
    ]
    hits = [(d.text, d.variant, d.segment.location) for d in engine.detect(row)]
    assert hits == [("尿毒症", "attached", "表1 第2行 C列"), ("重度残疾人", "mention", "第3段")]


def test_presidio_analyze_carries_variant(recognizer):
    results = recognizer.analyze("致贫原因：尿毒症", ["SENSITIVE_HEALTH"])
    assert [(r.entity_type, r.start, r.end, r.recognition_metadata[VARIANT_KEY]) for r in results] == [
        ("SENSITIVE_HEALTH", 5, 8, "attached")]
    assert recognizer.analyze("致贫原因：尿毒症", ["PHONE_NUMBER"]) == []


# --- policy and real documents -----------------------------------------------------------------

ALL_SAMPLES = [
    "致贫原因：尿毒症", "为全市残疾人发放两项补贴", "残疾证号：33048319900101123442", "宗教信仰：佛教",
    "年龄：9岁", "周某，女，二级肢体残疾",
]


def test_every_variant_has_a_policy(recognizer, policy):
    emitted = {c.variant for text in ALL_SAMPLES for c in recognizer.find(text)}
    assert emitted == set(policy.variants)


def test_policy_severities(policy):
    assert policy.variants["attached"].severity_for(Zone.TABLE, False) == Severity.BLOCK
    assert policy.variants["mention"].severity_for(Zone.BODY, False) == Severity.INFO
    assert policy.variants["mention"].severity_for(Zone.TABLE, True) == Severity.BLOCK
    assert policy.variants["minor"].rule_id == "P8"


@pytest.mark.parametrize("path", each_example(), ids=lambda p: p.name)
def test_real_reports_have_nothing_to_block(recognizer, policy, path):
    text = path.read_text(encoding="utf-8")
    for cand in recognizer.find(text):
        rule = policy.variants[cand.variant]
        assert rule.severity_for(Zone.BODY, False) == Severity.INFO, text[cand.start:cand.end]
        assert not rule.private_person


# --- rules are data, validated on load ---------------------------------------------------------

def _override(tmp_path: Path, replace: tuple[str, str]) -> RulesSource:
    source = (shipped_rules_dir() / "health.yaml").read_text(encoding="utf-8")
    assert replace[0] in source
    (tmp_path / "health.yaml").write_text(source.replace(*replace, 1), encoding="utf-8")
    return RulesSource(tmp_path)


def test_user_rules_add_a_term(tmp_path):
    rules = _override(tmp_path, ("    - 尿毒症\n", "    - 尿毒症\n    - 甲病\n"))
    assert found(SensitiveHealthRecognizer(rules), "致贫原因：甲病") == [("甲病", "attached")]


@pytest.mark.parametrize("replace, message", [
    (("minor_age_limit: 14", "minor_age_limit: 十四"), "minor_age_limit"),
    (("  illness:", "  sickness:"), "sickness"),
    (("age_pattern: '(\\d(?<!", "age_pattern: '((\\d(?<!"), "age_pattern"),
    (("  age:\n    - 年龄", "  age:\n    - 尿毒症"), "尿毒症"),
    (("age_pattern: '(\\d(?<![\\d.\\-~满过到至达超]\\d)\\d{0,2})", "age_pattern: '\\d{1,3}"), "age_pattern"),
])
def test_bad_rules_name_file_and_key(tmp_path, replace, message):
    with pytest.raises(RulesError) as err:
        SensitiveHealthRecognizer(_override(tmp_path, replace))
    assert "health.yaml" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize("text, expected", [
    ("李小龙（化名），今年9岁，患有白血病。", {("9岁", "minor"), ("白血病", "attached")}),
    ("王芳（化名）因病致贫", {("因病致贫", "attached")}),
])
def test_this_years_age_and_an_alias_mark_a_person_line(text, expected):
    from prepub_review.detect.recognizers.health import SensitiveHealthRecognizer

    recognizer = SensitiveHealthRecognizer()
    found = {(text[r.start:r.end], r.recognition_metadata["prepub_variant"]) for r in recognizer.analyze(text)}
    assert expected <= found


@pytest.mark.parametrize("text", ["今年以来，全市新增低保对象120户。", "今年60岁以上老人补贴提高。"])
def test_this_year_in_policy_prose_is_no_person(text):
    from prepub_review.detect.recognizers.health import SensitiveHealthRecognizer

    assert SensitiveHealthRecognizer().analyze(text) == []
