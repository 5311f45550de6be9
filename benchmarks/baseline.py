"""The benchmark baseline: presidio's AnalyzerEngine used the straightforward way on Chinese.

A blank spaCy "zh" pipeline with the jieba segmenter and a component that copies each token's
text into its lemma (so presidio's context words work at all), PatternRecognizers for the same
identifiers prepub checks (ID with its check digit, mobile, landline, bank card with Luhn,
e-mail), and jieba.posseg "nr" words as PERSON. One analyze() per line (paragraph / table row),
the way presidio's documentation analyses text.

Run as a script it analyses the lines of a UTF-8 file and prints timings as JSON:
    python benchmarks/baseline.py LINES.txt
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import spacy
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpEngineProvider
from spacy.language import Language

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@Language.component("lemma_copy")
def lemma_copy(doc):
    """Blank pipelines leave lemma_ empty, which silently disables presidio's context words."""
    for token in doc:
        token.lemma_ = token.text
    return doc


class IdNumberRecognizer(PatternRecognizer):
    def __init__(self):
        super().__init__(supported_entity="CN_ID_CARD", supported_language="zh", name="IdNumber",
                         patterns=[Pattern("id18", r"(?<!\d)\d{17}[\dXx](?!\d)", 0.5)],
                         context=["身份", "证件", "号码"])

    def validate_result(self, pattern_text: str) -> bool:
        total = sum(int(c) * w for c, w in zip(pattern_text[:17], ID_WEIGHTS))
        return "10X98765432"[total % 11] == pattern_text[17].upper()


class BankCardRecognizer(PatternRecognizer):
    def __init__(self):
        super().__init__(supported_entity="BANK_CARD", supported_language="zh", name="BankCard",
                         patterns=[Pattern("unionpay", r"(?<!\d)62\d{14,17}(?!\d)", 0.4)],
                         context=["银行", "卡号", "账号"])

    def validate_result(self, pattern_text: str) -> bool:
        digits = [int(c) for c in pattern_text]
        odd = digits[-1::-2]
        even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
        return (sum(odd) + sum(even)) % 10 == 0


class JiebaPersonRecognizer(EntityRecognizer):
    """PERSON = words jieba.posseg tags nr/nrfg/nrt."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], supported_language="zh", name="JiebaPerson")

    def load(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        self._posseg = jieba.posseg

    def analyze(self, text, entities, nlp_artifacts=None):
        results, offset = [], 0
        for pair in self._posseg.cut(text):
            start = text.find(pair.word, offset)
            if start < 0:
                continue
            offset = start + len(pair.word)
            if pair.flag in ("nr", "nrfg", "nrt"):
                results.append(RecognizerResult("PERSON", start, offset, 0.6))
        return results


def recognizers() -> list[EntityRecognizer]:
    return [
        IdNumberRecognizer(),
        PatternRecognizer(supported_entity="PHONE_NUMBER", supported_language="zh", name="Mobile",
                          patterns=[Pattern("mobile", r"(?<!\d)1[3-9]\d{9}(?!\d)", 0.5),
                                    Pattern("landline", r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)", 0.3)],
                          context=["电话", "手机", "联系"]),
        BankCardRecognizer(),
        PatternRecognizer(supported_entity="EMAIL_ADDRESS", supported_language="zh", name="Email",
                          patterns=[Pattern("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", 0.6)],
                          context=["邮箱", "邮件"]),
        JiebaPersonRecognizer(),
    ]


def build_analyzer(model_dir: Path) -> AnalyzerEngine:
    """Build the blank zh pipeline, save it, and load it by path (an unknown model *name* would
    make spaCy try to download a model)."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("lemma_copy")
    nlp.to_disk(model_dir)
    engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "zh", "model_name": str(model_dir)}],
    }).create_engine()
    registry = RecognizerRegistry(supported_languages=["zh"])
    for recognizer in recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["zh"])


def main(argv: list[str]) -> int:
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    lines = [line for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        analyzer = build_analyzer(Path(tmp) / "zh_blank_jieba")
        analyzer.analyze(text="户主张三，联系电话13812345678。", language="zh")   # loads jieba's dictionary
        setup = time.perf_counter() - started
        started = time.perf_counter()
        found = sum(len(analyzer.analyze(text=line, language="zh")) for line in lines)
        analysis = time.perf_counter() - started
    chars = sum(len(line) for line in lines)
    print(json.dumps({"setup_s": setup, "analyze_s": analysis, "chars": chars,
                      "bytes": sum(len(line.encode("utf-8")) for line in lines), "lines": len(lines),
                      "results": found}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
