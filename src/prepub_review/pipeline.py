"""Wires the stages for one document: read -> detect -> decide.

The CLI (and later redact/review) call `Checker`; no stage calls another stage directly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from prepub_review.decide.policy import Policy, verdict_of
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.registry import build_recognizers
from prepub_review.errors import PrepubError
from prepub_review.models import Detection, DocumentResult, Finding, Notice, Segment, Verdict
from prepub_review.formats.document import read_document
from prepub_review.formats.base import Limits
from prepub_review.rules_loader import RulesSource

logger = logging.getLogger("prepub")
MAX_DETECTIONS = 50_000  # per document; beyond this a document is surely blocked anyway


class Checker:
    """Checks documents with the rules in effect. Build once, check many files."""

    def __init__(self, rules_dir: Path | None = None, limits: Limits | None = None):
        self.rules = RulesSource(rules_dir)
        self.limits = limits or Limits()
        self.policy = Policy.load(self.rules)
        self.engine = DetectionEngine(build_recognizers(self.rules))

    def check_file(self, path: Path) -> DocumentResult:
        result = DocumentResult(path=str(path))
        try:
            result.format, items = read_document(Path(path), self.limits)
            detections, notices = self.detect(_counted(items, result))
        except PrepubError as exc:  # ReadError and friends: a clear message, verdict error
            return _failed(result, exc.message, exc.code)
        except MemoryError:
            return _failed(result, "内存不足，文件过大无法审查；请拆分文件或调小 --max-size", "out_of_memory")
        except Exception as exc:  # a bug must never turn into a silent pass or a traceback
            logger.debug("internal error on %s", path, exc_info=True)
            return _failed(result, f"内部错误，未能完成审查：{type(exc).__name__}: {exc}（请报告此问题）",
                           "internal_error")
        result.findings = self.policy.judge(detections, notices)
        result.verdict = verdict_of(result.findings)
        return result

    def check_text(self, text: str) -> list[Finding]:
        """Judge a bare string (for tests and quick use)."""
        return self.policy.judge(self.engine.detect_text(text))

    def detect(self, items: Iterable[Segment | Notice]) -> tuple[list[Detection], list[Notice]]:
        """Run the engine over a reader's items: (detections, notices), detections capped per document."""
        detections: list[Detection] = []
        notices: list[Notice] = []
        for hit in self.engine.detect(items):
            if isinstance(hit, Notice):
                notices.append(hit)
            elif len(detections) < MAX_DETECTIONS:
                detections.append(hit)
            elif len(detections) == MAX_DETECTIONS:
                notices.append(Notice("too_many_findings", "全文",
                                      f"发现项超过 {MAX_DETECTIONS} 项，其余未逐项列出"))
                detections.append(hit)  # sentinel so the notice is added once
        return detections[:MAX_DETECTIONS], notices


def _failed(result: DocumentResult, message: str, code: str) -> DocumentResult:
    result.verdict, result.error, result.error_code = Verdict.ERROR, message, code
    result.findings = []
    return result


def _counted(items: Iterable[Segment | Notice], result: DocumentResult) -> Iterator[Segment | Notice]:
    for item in items:
        if isinstance(item, Segment):
            result.segments_read += 1
            result.characters_read += len(item.text)
        yield item
