"""CLASSIFICATION_MARK: markings on a document are findings; talk about secrecy is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.detect.helpers import each_example, found

from prepub_review.decide.policy import parse_entity_policy
from prepub_review.detect.base import ATTRS_KEY, VARIANT_KEY
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.recognizers.classification import ClassificationMarkRecognizer
from prepub_review.errors import RulesError
from prepub_review.models import Segment, Severity, Zone
from prepub_review.rules_loader import RulesSource, shipped_rules_dir

BLOCKING_ZONES = (Zone.BODY, Zone.TOP, Zone.TABLE)


@pytest.fixture(scope="module")
def recognizer() -> ClassificationMarkRecognizer:
    return ClassificationMarkRecognizer()


@pytest.fixture(scope="module")
def policy():
    return parse_entity_policy(RulesSource().yaml("policy/CLASSIFICATION_MARK.yaml"))


# --- C1: 密级★期限 ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, level, term", [
    ("秘密★1年", "秘密", "1年"),
    ("机密★10年", "机密", "10年"),
    ("绝密★长期", "绝密", "长期"),
    ("机密★会议开始前", "机密", "会议开始前"),
    ("秘密★公开发布前", "秘密", "公开发布前"),
    ("秘密☆5年", "秘密", "5年"),
    ("秘密*5年", "秘密", "5年"),
    ("秘密＊5年", "秘密", "5年"),
    ("机密★", "机密", ""),                      # no term: the default maximum
    ("秘　密★1年", "秘密", "1年"),               # 1999 format, ideographic space
    ("机 密 ★ 2年", "机密", "2年"),
    ("  秘密★1年      某市民政局", "秘密", "1年"),
    ("000123 秘密★1年", "秘密", "1年"),         # 份号 merged onto the line by a PDF reader
    ("密级：机密", "机密", None),
    ("密级:秘密★5年", "秘密", "5年"),
    ("密级：秘密  保密期限：1年", "秘密", None),
])
def test_level_marks(recognizer, text, level, term):
    cands = list(recognizer.find(text))
    assert [c.variant for c in cands] == ["mark"]
    expected = {"level": level} if term is None else {"level": level, "term": term}
    assert cands[0].attrs == expected


def test_mark_on_its_own_line_of_a_document(recognizer):
    text = "000123\n秘密★1年\n特急\n关于做好2024年低保提标工作的通知\n各县（市、区）民政局：\n……"
    assert found(recognizer, text) == [("秘密★1年", "mark")]


@pytest.mark.parametrize("text, expected", [
    ("秘密", [("秘密", "bare_level")]),
    ("  机密  ", [("机密", "bare_level")]),
    ("绝　密", [("绝　密", "bare_level")]),
    ("机 密", [("机 密", "bare_level")]),
    ("（秘密）本段所列数据不对外提供", [("秘密", "paragraph_mark")]),
    ("(机密)", [("机密", "paragraph_mark")]),
    ("【秘密】", [("秘密", "paragraph_mark")]),
    ("（秘密★1年）", [("秘密★1年", "paragraph_mark")]),
    ("该材料已标注为秘密★1年", [("秘密★1年", "mark_inline")]),
    ("解密", [("解密", "declassified")]),
    ("已解密 2020年3月1日", [("已解密", "declassified")]),
])
def test_bare_paragraph_inline_declassified(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- C2, C3: 不公开 and 内部 labels ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("（此件不公开）", [("此件不公开", "not_public")]),
    ("此件不予公开", [("此件不予公开", "not_public")]),
    ("（不予公开）", [("不予公开", "not_public")]),
    ("公开属性：不予公开", [("不予公开", "not_public")]),
    ("（此件不得翻印）", [("此件不得翻印", "not_public")]),
    ("不得翻印", [("不得翻印", "not_public")]),
    ("工作秘密", [("工作秘密", "work_secret")]),
    ("（工作秘密）", [("工作秘密", "work_secret")]),
    ("内部资料，注意保存", [("内部资料", "internal")]),
    ("内部资料，免费交流", [("内部资料", "internal")]),
    ("内部资料 2023年第3期", [("内部资料", "internal")]),
    ("（内部文件，不得外传）", [("内部文件", "internal"), ("不得外传", "internal")]),
    ("内部使用", [("内部使用", "internal")]),
    ("某某工作简报（内部资料）", [("内部资料", "internal")]),
    ("公开范围：内部", [("内部", "internal")]),
    ("涉密", [("涉密", "classified_label")]),
    ("会议纪要（涉密）", [("涉密", "classified_label")]),
])
def test_labels(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- C4: drafts are labels only where labels go -----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("征求意见稿", [("征求意见稿", "draft")]),
    ("（讨论稿）", [("讨论稿", "draft")]),
    ("版本：送审稿", [("送审稿", "draft")]),
    ("草稿", [("草稿", "draft")]),
    ("关于调整城乡低保标准的通知（征求意见稿）", [("征求意见稿", "draft_title")]),
    ("某市社会救助办法(过程稿)", [("过程稿", "draft_title")]),
    ("现将办法（征求意见稿）印发给你们，请提出意见。", [("征求意见稿", "draft_mention")]),
    ("各单位对讨论稿提出修改意见12条", [("讨论稿", "draft_mention")]),
    ("请对《某市社会救助办法（征求意见稿）》提出意见", []),   # inside 《》
    ("办公室起草稿件三篇", []),                              # 草稿 inside 起草稿件
])
def test_drafts(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- C5: mentions are never markings -----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "经保密审查，本信息可以公开",
    "保密审查及其他情况",
    "六、保密审查及其他情况",
    "本文件不涉及国家秘密",
    "不涉密",
    "非涉密",
    "涉密状态：非涉密",
    "是否涉密：否",
    "密级：无",
    "组织学习《保守国家秘密法》《保密法实施条例》",
    "国家秘密的密级分为绝密、机密、秘密三级。",
    "绝密级国家秘密是最重要的国家秘密",
    "秘密文件由专人保管",                      # a sentence that starts with the word
    "保护商业秘密和个人隐私",
    "印发《工作秘密管理办法》",
    "工作秘密管理办法",
    "数据的机密性和完整性",
    "加强保密工作，开展保密教育",
    "没有发生泄密事件",
    "1.属于国家秘密",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "（此件公开发布）",
    "（三）不予公开",
    "不予公开",                                # an annual-report table header cell
    "本年度不予公开的申请共3件",
    "坚持“公开为原则，不公开为例外”",
    "文件标注“秘密★10年”的，不得公开",        # quoted example
    "不属于内部资料",
    "加强内部管理",
    "二、内部控制",
    "涉密人员和涉密载体管理",
    "定期开展解密审查",
    "",
])
def test_mentions_are_not_flagged(recognizer, text):
    assert found(recognizer, text) == []


@pytest.mark.parametrize("text, expected", [
    ("严禁将内部资料带出办公场所", [("内部资料", "mention")]),
    ("工作秘密一律不得上网", [("工作秘密", "mention")]),
])
def test_prose_mentions_are_info(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- lines and the engine ----------------------------------------------------------------------

def test_never_crosses_a_line_break(recognizer):
    assert found(recognizer, "秘\n密★1年") == []
    assert found(recognizer, "关于某事的通知\n秘密★1年") == [("秘密★1年", "mark")]
    assert found(recognizer, "（\n内部资料\n）") == [("内部资料", "internal")]
    assert found(recognizer, "秘密\n★1年") == [("秘密", "bare_level")]


def test_engine_and_zones(recognizer, policy):
    engine = DetectionEngine([recognizer])
    segments = [
        Segment("秘密", "第1行", Zone.TOP),
        Segment("秘密", "第40段", Zone.BODY),
        Segment("秘密", "页眉", Zone.HEADER),
        Segment("机密", "文档属性", Zone.PROPERTY, field="密级"),
    ]
    hits = list(engine.detect(segments))
    assert [(d.text, d.variant) for d in hits] == [
        ("秘密", "bare_level"), ("秘密", "bare_level"), ("秘密", "bare_level"), ("机密", "mark")]
    severities = [policy.variants[d.variant].severity_for(d.segment.zone, False) for d in hits]
    assert severities == [Severity.BLOCK, Severity.INFO, Severity.BLOCK, Severity.BLOCK]


def test_presidio_analyze_carries_variant_and_attrs(recognizer):
    (result,) = recognizer.analyze("秘密★1年", ["CLASSIFICATION_MARK"])
    assert (result.start, result.end) == (0, 5)
    assert result.recognition_metadata[VARIANT_KEY] == "mark"
    assert result.recognition_metadata[ATTRS_KEY] == {"level": "秘密", "term": "1年"}


# --- policy and real documents -----------------------------------------------------------------

ALL_SAMPLES = [
    "秘密★1年", "（秘密）……", "秘密", "文中为秘密★1年", "解密", "（此件不公开）", "工作秘密", "内部资料",
    "涉密", "征求意见稿", "某通知（征求意见稿）", "对讨论稿提出意见", "严禁将内部资料带出",
]


def test_every_variant_has_a_policy(recognizer, policy):
    emitted = {c.variant for text in ALL_SAMPLES for c in recognizer.find(text)}
    assert emitted == set(policy.variants)


@pytest.mark.parametrize("variant, rule, severity", [
    ("mark", "C1", Severity.BLOCK),
    ("paragraph_mark", "C1", Severity.BLOCK),
    ("not_public", "C2", Severity.BLOCK),
    ("internal", "C3", Severity.REVIEW),
    ("work_secret", "C3", Severity.REVIEW),
    ("draft", "C4", Severity.REVIEW),
    ("draft_mention", "C4", Severity.INFO),
    ("mention", "C5", Severity.INFO),
])
def test_policy_rules(policy, variant, rule, severity):
    assert (policy.variants[variant].rule_id, policy.variants[variant].severity) == (rule, severity)


@pytest.mark.parametrize("path", each_example(), ids=lambda p: p.name)
def test_real_reports_have_no_marking(recognizer, policy, path):
    """Both reports talk about 保密审查 and 国家秘密 throughout; none of it is a marking."""
    text = path.read_text(encoding="utf-8")
    for cand in recognizer.find(text):
        rule = policy.variants[cand.variant]
        for zone in BLOCKING_ZONES:
            assert rule.severity_for(zone, False) == Severity.INFO, text[cand.start:cand.end]


# --- rules are data, validated on load ---------------------------------------------------------

def _override(tmp_path: Path, replace: tuple[str, str]) -> RulesSource:
    source = (shipped_rules_dir() / "classification.yaml").read_text(encoding="utf-8")
    assert replace[0] in source
    (tmp_path / "classification.yaml").write_text(source.replace(*replace, 1), encoding="utf-8")
    return RulesSource(tmp_path)


def test_user_rules_add_a_mention_phrase(tmp_path):
    rules = _override(tmp_path, ("  - 保密审查\n", "  - 保密审查\n  - 内部资料汇编\n"))
    assert found(ClassificationMarkRecognizer(rules), "内部资料汇编") == []
    # shipped rules: 汇编 is not a label word, so the bracket is prose (info only)
    assert found(ClassificationMarkRecognizer(), "（内部资料汇编）") == [("内部资料", "mention")]


@pytest.mark.parametrize("replace, message", [
    (("contexts: [anywhere]", "contexts: [everywhere]"), "everywhere"),
    (("quotes: [\"《》\"", "quotes: [\"《\""), "quotes"),
    (("levels: [绝密, 机密, 秘密]", "levels: 秘密"), "levels"),
    (("    words: [工作秘密]", "    words: [工作秘密, 内部资料]"), "内部资料"),
    (("negations:", "negation:"), "negation"),
])
def test_bad_rules_name_file_and_key(tmp_path, replace, message):
    with pytest.raises(RulesError) as err:
        ClassificationMarkRecognizer(_override(tmp_path, replace))
    assert "classification.yaml" in str(err.value) and message in str(err.value)
