"""presidio, spaCy and jieba keep a real role: prepub's recognizers wrapped for anyone's presidio
AnalyzerEngine (blank Chinese spaCy pipeline, jieba segmentation, nothing downloaded), presidio's own
recognizers listed in rules/recognizers.yaml, and a `prepub check` that imports neither."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from tests import synth
from tests.conftest import run_prepub

from prepub_review.detect.base import ATTRS_KEY, VARIANT_KEY
from prepub_review.detect.recognizers.bank_card import CnBankCardRecognizer
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.pipeline import Checker
from prepub_review.rules_loader import shipped_rules_dir

RNG = random.Random(23)
ID = synth.cn_id(RNG)
MOBILE = synth.mobile(RNG)


@pytest.fixture(scope="module")
def jieba_nlp_engine():
    spacy = pytest.importorskip("spacy")
    pytest.importorskip("jieba")
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    engine = SpacyNlpEngine(models=[{"lang_code": "zh", "model_name": "blank-zh-jieba"}])
    engine.nlp = {"zh": nlp}   # a pipeline built here: presidio never looks the model name up
    return engine


@pytest.fixture(scope="module")
def analyzer(jieba_nlp_engine):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from prepub_review.presidio import presidio_recognizers

    registry = RecognizerRegistry(supported_languages=["zh"])
    for recognizer in presidio_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(nlp_engine=jieba_nlp_engine, registry=registry, supported_languages=["zh"])


def test_analyzer_engine_on_blank_chinese_with_jieba(analyzer):
    text = f"低保户主王秀英，身份证号{ID}，联系电话{MOBILE}，家住和平社区。"
    artifacts = analyzer.nlp_engine.process_text(text, "zh")
    assert "身份证号" in [token.text for token in artifacts.tokens]   # jieba's words, not single characters
    results = analyzer.analyze(text, language="zh", nlp_artifacts=artifacts)
    found = {(r.entity_type, text[r.start:r.end], r.recognition_metadata[VARIANT_KEY]) for r in results}
    assert {("CN_ID_CARD", ID, "valid"), ("PHONE_NUMBER", MOBILE, "mobile"), ("PERSON", "王秀英", "private")} <= found
    assert {r.recognition_metadata["recognizer_name"] for r in results} >= {
        "CnIdCardRecognizer", "CnPhoneRecognizer", "PersonRecognizer"}


def test_analyzer_entity_filter_and_attrs(analyzer):
    text = f"秘密★1年 户主王秀英，联系电话{MOBILE}"
    results = analyzer.analyze(text, language="zh", entities=["CLASSIFICATION_MARK"])
    assert [(r.entity_type, r.recognition_metadata[ATTRS_KEY]) for r in results] == [
        ("CLASSIFICATION_MARK", {"level": "秘密", "term": "1年"})]


def test_wrapped_recognizers_keep_their_checksums():
    from prepub_review.presidio import as_presidio

    id_card = as_presidio(CnIdCardRecognizer())
    assert id_card.validate_result(ID) is True
    assert id_card.validate_result(synth.cn_id_bad_checksum(RNG)) is False
    card = synth.bank_card(RNG)
    assert as_presidio(CnBankCardRecognizer()).validate_result(card) is True
    assert as_presidio(CnBankCardRecognizer()).validate_result(card[:-1] + str((int(card[-1]) + 1) % 10)) is False


# --- presidio's own recognizers listed in rules/recognizers.yaml ---------------------------------------------

IBAN_ENTRY = "  - class: presidio_analyzer.predefined_recognizers:IbanRecognizer\n    args: {supported_language: zh}\n"


@pytest.fixture
def rules_with_iban(tmp_path):
    listed = (shipped_rules_dir() / "recognizers.yaml").read_text(encoding="utf-8")
    (tmp_path / "recognizers.yaml").write_text(listed + IBAN_ENTRY, encoding="utf-8")
    return tmp_path


def test_presidio_recognizer_listed_in_rules_runs_in_the_engine(rules_with_iban):
    checker = Checker(rules_dir=rules_with_iban)
    findings = checker.check_text(f"收款账户 IBAN: DE89 3704 0044 0532 0130 00，户主王秀英，身份证号{ID}")
    by_entity = {f.entity: f for f in findings}
    assert by_entity["IBAN_CODE"].text == "DE89 3704 0044 0532 0130 00"
    assert by_entity["IBAN_CODE"].recognizer == "IbanRecognizer"
    assert by_entity["IBAN_CODE"].rule_id == "X-IBAN_CODE"   # no policy file: review, never ignored
    assert {"PERSON", "CN_ID_CARD"} <= set(by_entity)


def test_bad_presidio_arguments_are_a_rules_error(tmp_path):
    listed = (shipped_rules_dir() / "recognizers.yaml").read_text(encoding="utf-8")
    bad = "  - class: presidio_analyzer.predefined_recognizers:IbanRecognizer\n    args: {colour: blue}\n"
    (tmp_path / "recognizers.yaml").write_text(listed + bad, encoding="utf-8")
    (tmp_path / "page.txt").write_text("本局地址：和平路1号。", encoding="utf-8")   # a file to check builds the engine
    result = run_prepub("check", "--rules", str(tmp_path), str(tmp_path / "page.txt"))   # in this process: no module list wanted
    assert result.code == 2
    assert "recognizers.yaml" in result.stderr and "IbanRecognizer" in result.stderr
    assert "Traceback" not in result.stderr


# --- the command line stays free of presidio and spaCy -------------------------------------------------------

# Runs the real entry point and, at exit, lists every module the process imported
# (-X importtime misses modules loaded through importlib, as the recognizers are).
_RUN_AND_LIST = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n"))
from prepub_review.cli import main
sys.argv = ["prepub", *sys.argv[1:]]
main()
"""


def _prepub(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _RUN_AND_LIST, *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _imported(stderr: str) -> set[str]:
    return {m for line in stderr.splitlines() if line.startswith("MODULES ") for m in line.split()[1:]}


def test_check_does_not_import_presidio_or_spacy(tmp_path):
    page = tmp_path / "公示.txt"
    page.write_text(f"临时救助对象公示\n户主王秀英，身份证号{ID}，联系电话{MOBILE}。\n", encoding="utf-8")
    result = _prepub("check", str(page))
    assert result.returncode == 1, result.stderr[-2000:]   # the page is blocked: detection really ran
    assert "138" in result.stdout or "身份证" in result.stdout or "不得发布" in result.stdout
    modules = _imported(result.stderr)
    assert "prepub_review.detect.recognizers.person" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in {"presidio_analyzer", "spacy", "jieba", "thinc"})
    assert heavy == []


def test_check_imports_presidio_only_when_rules_list_one(rules_with_iban):
    page = rules_with_iban / "page.txt"
    page.write_text("收款账户 IBAN: DE89 3704 0044 0532 0130 00\n", encoding="utf-8")
    result = _prepub("check", "--rules", str(rules_with_iban), "--format", "json", str(page))
    assert '"IBAN_CODE"' in result.stdout, result.stderr[-2000:]
    assert "presidio_analyzer" in _imported(result.stderr)
