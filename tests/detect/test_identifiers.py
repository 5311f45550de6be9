"""The identifier recognizers together: wrapped as presidio recognizers, listed in rules/recognizers.yaml,
covered by policy files, validated rules, and end to end through the engine and the policy."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from tests import synth
from tests.detect.helpers import example

from prepub_review.decide.policy import Policy, parse_entity_policy
from prepub_review.detect.base import VARIANT_KEY
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.recognizers.bank_card import CnBankCardRecognizer
from prepub_review.detect.recognizers.certificate import CnCertificateRecognizer
from prepub_review.detect.recognizers.common import split_runs
from prepub_review.detect.recognizers.email import CnEmailRecognizer
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.detect.recognizers.license_plate import CnLicensePlateRecognizer
from prepub_review.detect.recognizers.phone import CnPhoneRecognizer
from prepub_review.detect.recognizers.uscc import CnUsccRecognizer
from prepub_review.detect.registry import build_recognizers
from prepub_review.errors import RulesError
from prepub_review.models import Segment, Severity, Zone
from prepub_review.presidio import as_presidio
from prepub_review.rules_loader import RulesSource, shipped_rules_dir

CLASSES = (CnIdCardRecognizer, CnPhoneRecognizer, CnBankCardRecognizer, CnEmailRecognizer,
           CnCertificateRecognizer, CnUsccRecognizer, CnLicensePlateRecognizer)
ENTITIES = {cls.ENTITY for cls in CLASSES}
RNG = random.Random(11)
ID = synth.cn_id(RNG)
CARD = synth.bank_card(RNG)


@pytest.fixture(scope="module")
def recognizers():
    return [cls() for cls in CLASSES]


@pytest.fixture(scope="module")
def analyzer(recognizers):
    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "no_op", "models": [{"lang_code": "zh", "model_name": "none"}],
    }).create_engine()
    registry = RecognizerRegistry(supported_languages=["zh"])
    for recognizer in recognizers:
        registry.add_recognizer(as_presidio(recognizer))
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["zh"])


# --- real presidio recognizers ------------------------------------------------------------------

@pytest.mark.parametrize("text, entity, value, variant", [
    (f"身份证号：{ID}", "CN_ID_CARD", ID, "valid"),
    ("联系电话：0573-88123456", "PHONE_NUMBER", "0573-88123456", "institution_contact"),
    (f"卡号：{CARD}", "BANK_CARD", CARD, "valid"),
    ("联系邮箱zhangsan@example.com.cn", "EMAIL_ADDRESS", "zhangsan@example.com.cn", "institution_contact"),
    ("护照号码：E12345678", "CN_CERTIFICATE", "E12345678", "passport"),
    (f"统一社会信用代码：{synth.uscc(RNG, '92')}", "CN_USCC", None, "individual_business"),
    ("车牌号：粤B12345", "LICENSE_PLATE", "粤B12345", "labelled"),
])
def test_through_presidio_analyzer_engine(analyzer, text, entity, value, variant):
    results = analyzer.analyze(text, language="zh")
    assert [(r.entity_type, r.recognition_metadata[VARIANT_KEY]) for r in results] == [(entity, variant)]
    if value is not None:
        assert text[results[0].start:results[0].end] == value


def test_presidio_entity_filter(analyzer):
    text = f"身份证号：{ID} 手机号：13812345678"
    results = analyzer.analyze(text, language="zh", entities=["PHONE_NUMBER"])
    assert [r.entity_type for r in results] == ["PHONE_NUMBER"]


@pytest.mark.parametrize("cls", CLASSES)
def test_presidio_identity(cls):
    recognizer = cls()
    assert recognizer.supported_language == "zh"
    assert recognizer.supported_entities == [cls.ENTITY]
    assert recognizer.analyze("没有任何标识符的一行文字。", [cls.ENTITY], None) == []


def test_listed_in_recognizers_yaml():
    built = build_recognizers(RulesSource(), ENTITIES)
    assert {type(r) for r in built} == set(CLASSES)


@pytest.mark.parametrize("text", [
    "民发〔2021〕57号",
    "国办公开办函〔2021〕30号",
    "2021年1月1日至2021年12月31日",
    "2021-01-01 至 2021-12-31",
    "全年共发放低保金12,345,678.90元，惠及3,456户",
    "发放资金1234567890元",
    "网站标识码:4207000049 备案号:鄂ICP备05017375号 鄂公网安备 42070402000203号",
    "浏览数达37604次",
    "邮政编码：436000",
    "第20210101号",
    "GB/T 35273-2020",
    "GB 11643-1999",
])
def test_no_identifier_in_ordinary_numbers(recognizers, text):
    assert [(type(r).__name__, c.variant) for r in recognizers for c in r.find(text)] == []


# --- policy files -------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", CLASSES)
def test_every_variant_has_a_policy(cls):
    policy = parse_entity_policy(RulesSource().yaml(f"policy/{cls.ENTITY}.yaml"))
    assert policy.entity == cls.ENTITY
    assert set(policy.variants) == set(cls.VARIANTS)
    assert all(rule.reason and rule.rule_id for rule in policy.variants.values())


def test_rule_ids_are_unique():
    ids = [rule.rule_id for cls in CLASSES
           for rule in parse_entity_policy(RulesSource().yaml(f"policy/{cls.ENTITY}.yaml")).variants.values()]
    assert len(ids) == len(set(ids))


# --- rules are validated on load ----------------------------------------------------------------

def _override(tmp_path: Path, old: str, new: str) -> RulesSource:
    text = (shipped_rules_dir() / "identifiers.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "identifiers.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return RulesSource(tmp_path)


@pytest.mark.parametrize("cls, old, new, message", [
    (CnIdCardRecognizer, "province_codes: [11,", "province_codes: [1,", "province_codes"),
    (CnIdCardRecognizer, "  id_labels:", "  id_lables:", "id_lables"),
    (CnPhoneRecognizer, '"130-139",', '"139-130",', "mobile_prefixes"),
    (CnPhoneRecognizer, "  label_window: 16\n  # Mobile", "  label_window: many\n  # Mobile", "label_window"),
    (CnBankCardRecognizer, "account_labels: [卡号, 账号, 帐号, 银行账户, 银行帐户",
     "account_labels: [电话, 账号, 帐号, 银行账户, 银行帐户", "电话"),   # one word in two lists
    (CnEmailRecognizer, "institution_domains: [gov.cn]", "institution_domains: gov.cn", "institution_domains"),
    (CnLicensePlateRecognizer, "provinces: [京,", "provinces: [京津,", "provinces"),
])
def test_bad_rules_name_file_and_key(tmp_path, cls, old, new, message):
    with pytest.raises(RulesError) as error:
        cls(_override(tmp_path, old, new))
    assert "identifiers.yaml" in error.value.message and message in error.value.message


def test_missing_section(tmp_path):
    shutil.copy(shipped_rules_dir() / "identifiers.yaml", tmp_path / "identifiers.yaml")
    text = (tmp_path / "identifiers.yaml").read_text(encoding="utf-8").replace("\nuscc:", "\nuscc_old:")
    (tmp_path / "identifiers.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match="uscc"):
        CnUsccRecognizer(RulesSource(tmp_path))


def test_override_changes_a_keyword_list(tmp_path):
    rules = _override(tmp_path, "contact_labels: [联系电话,", "contact_labels: [联络专线, 联系电话,")
    (cand,) = CnPhoneRecognizer(rules).find("联络专线：0573-88123456")
    assert cand.variant == "institution_contact"


# --- digit runs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1 330483199001011234 13812345678", ["330483199001011234", "13812345678"]),
    ("138 1234 5678", ["13812345678"]),
    ("2021年 13812345678", ["13812345678"]),
])
def test_split_runs_offers_whole_runs_then_pieces(text, expected):
    accepted = []

    def accept(number):
        if len(number.value) in (11, 18):
            accepted.append(number.value)
            return number
        return None

    list(split_runs(text, 11, 25, accept))
    assert accepted == expected


# --- end to end: engine + policy ------------------------------------------------------------------

@pytest.fixture(scope="module")
def engine(recognizers):
    return DetectionEngine(recognizers)


@pytest.fixture(scope="module")
def policy():
    return Policy.load(RulesSource())


def _judge(engine, policy, segments):
    return policy.judge(engine.detect(segments))


def test_recipient_row_phone_is_blocked(engine, policy):
    row = [
        Segment("张三", "第2行", Zone.TABLE, field="姓名", record="r2"),
        Segment(ID, "第2行", Zone.TABLE, field="身份证号", record="r2"),
        Segment("0573-88123456", "第2行", Zone.TABLE, field="联系电话", record="r2"),
    ]
    findings = {f.entity: (f.variant, f.severity) for f in _judge(engine, policy, row)}
    assert findings["PHONE_NUMBER"] == ("institution_contact", Severity.BLOCK)   # escalated by the row
    assert findings["CN_ID_CARD"] == ("valid", Severity.BLOCK)


def test_office_contact_row_is_info(engine, policy):
    row = [
        Segment("某某镇民政办", "第3行", Zone.TABLE, field="单位", record="r3"),
        Segment("0573-88123456", "第3行", Zone.TABLE, field="联系电话", record="r3"),
        Segment("mzb@example.gov.cn", "第3行", Zone.TABLE, field="电子邮箱", record="r3"),
    ]
    assert {(f.entity, f.severity) for f in _judge(engine, policy, row)} == {
        ("PHONE_NUMBER", Severity.INFO), ("EMAIL_ADDRESS", Severity.INFO)}


def test_masked_recipient_list_passes(engine, policy):
    rows = [Segment(f"张*  35*************12{i}  138****567{i}  朝阳村", f"第{i}行", Zone.TABLE, record=f"r{i}")
            for i in range(3)]
    findings = _judge(engine, policy, rows)
    assert findings and all(f.severity == Severity.INFO for f in findings)


@pytest.mark.parametrize("name", ["real-annual-report-ezhou-2013.txt", "real-annual-report-tongxiang-2017.txt"])
def test_real_annual_reports_have_nothing_to_block(engine, policy, name):
    lines = example(name).read_text(encoding="utf-8").splitlines()
    segments = [Segment(line, f"第{i}行") for i, line in enumerate(lines, 1) if line.strip()]
    findings = _judge(engine, policy, segments)
    assert [f for f in findings if f.severity != Severity.INFO] == []


# --- any text: no crash, spans inside one line ------------------------------------------------------

_ALPHABET = "0123456789０１２３４５６７８９ -－()（）+*＊×xXEGHMC@.＠:：\n号码电话身份证卡账护照联系邮箱局粤B·张三"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_any_text_gives_spans_within_one_line(recognizers, text):
    for recognizer in recognizers:
        for cand in recognizer.find(text):
            assert 0 <= cand.start < cand.end <= len(text)
            assert "\n" not in text[cand.start:cand.end]
            assert cand.variant in type(recognizer).VARIANTS


def test_long_runs_of_small_numbers_stay_fast_and_still_yield_ids():
    text = " ".join(str(i % 10) for i in range(20000)) + f" {ID}"
    assert [(c.start, c.variant) for c in CnIdCardRecognizer().find(text)] == [(len(text) - 18, "valid")]
