"""Wires the stages for one document: read -> detect -> decide.

The CLI calls `Checker`; no stage calls another stage directly. `check_file` opens a file
read-only; `check_document` checks a document `redact`/`review` opened for editing, so the
findings (each with its segment's anchor, a Locator and a fingerprint) point into the very
document that is then edited: one read per command.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from prepub_review.decide.genre import GenreRules, OpeningLines
from prepub_review.decide.policy import Policy, verdict_of
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.registry import build_recognizers
from prepub_review.errors import PrepubError
from prepub_review.models import Detection, DocumentResult, Finding, Notice, Segment, Verdict, Zone
from prepub_review.formats.base import Limits
from prepub_review.formats.document import Document, open_document
from prepub_review.rules_loader import RulesSource

logger = logging.getLogger("prepub")
MAX_DETECTIONS = 50_000  # per document; beyond this a document is surely blocked anyway
FIRST_LINES = 15         # lines of body text kept for the audit record's title and 文号


class Checker:
    """Checks documents with the rules in effect. Build once, check many files."""

    def __init__(self, rules_dir: Path | None = None, limits: Limits | None = None,
                 observer: DocumentObserver | None = None, *, rules: RulesSource | None = None,
                 policy: Policy | None = None):
        """`rules`, `policy`: already loaded from `rules_dir` by the caller (each file is read once)."""
        self.observer = observer   # sees every segment and each judged document (cross-document linkage)
        self.rules = rules if rules is not None else RulesSource(rules_dir)
        self.limits = limits or Limits()
        self.policy = policy if policy is not None else Policy.load(self.rules)
        self.genres = GenreRules.load(self.rules)
        self.engine = DetectionEngine(build_recognizers(self.rules))

    def check_file(self, path: Path) -> DocumentResult:
        try:
            document = open_document(Path(path), self.limits)
        except PrepubError as exc:
            return _failed(DocumentResult(path=str(path)), exc.message, exc.code)
        with document:
            return self.check_document(document)

    def check_document(self, document: Document, *, keep_segments: bool = False) -> DocumentResult:
        """Check an open document (its items are read now); with `keep_segments` the result holds
        the segments read (for the redactor: the whole text of each edited segment)."""
        path = document.path
        result = DocumentResult(path=str(path), format=document.format)
        if self.observer is not None:
            self.observer.start(result.path)
        opening = OpeningLines(self.genres.opening_lines)
        try:
            detections, notices = self.detect(
                opening.watch(_counted(document.items(), result, keep_segments, self.observer)))
        except PrepubError as exc:  # ReadError and friends: a clear message, verdict error
            return _failed(result, exc.message, exc.code)
        except MemoryError:
            return _failed(result, "内存不足，文件过大无法审查；请拆分文件或调小 --max-size", "out_of_memory")
        except Exception as exc:  # a bug must never turn into a silent pass or a traceback
            logger.debug("internal error on %s", path, exc_info=True)
            return _failed(result, f"内部错误，未能完成审查：{type(exc).__name__}: {exc}（请报告此问题）",
                           "internal_error")
        result.findings = self.policy.judge(detections, notices, self.genres.classify(opening.text))
        result.verdict = verdict_of(result.findings)
        if self.observer is not None:
            self.observer.document(result)
        return result

    def check_text(self, text: str) -> list[Finding]:
        """Judge a bare string (for tests and quick use)."""
        opening = "\n".join(text.splitlines()[:self.genres.opening_lines])
        return self.policy.judge(self.engine.detect_text(text), genre=self.genres.classify(opening))

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


class DocumentObserver(Protocol):
    """Sees each document start, each segment as it is read, then the judged document (not on error)."""

    def start(self, path: str) -> None: ...

    def segment(self, segment: Segment) -> None: ...

    def document(self, result: DocumentResult) -> None: ...


def _failed(result: DocumentResult, message: str, code: str) -> DocumentResult:
    result.verdict, result.error, result.error_code = Verdict.ERROR, message, code
    result.findings = []
    return result


def _counted(items: Iterable[Segment | Notice], result: DocumentResult, keep_segments: bool,
             observer: DocumentObserver | None = None) -> Iterator[Segment | Notice]:
    """The items, counted; the first lines of the body text (for a record's title and 文号) and,
    if asked, every segment are kept on the result. `observer` sees each segment as it passes (here,
    not in a generator of its own: a site's worth of segments each paid for one more generator step)."""
    see = observer.segment if observer is not None else None
    for item in items:
        if isinstance(item, Segment):
            result.segments_read += 1
            result.characters_read += len(item.text)
            if len(result.first_lines) < FIRST_LINES and item.zone in (Zone.TOP, Zone.BODY):
                result.first_lines.extend(item.text.splitlines()[:FIRST_LINES - len(result.first_lines)])
            if keep_segments:
                result.segments.append(item)
            if see is not None:
                see(item)
        yield item
