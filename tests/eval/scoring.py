"""Scores checker findings against the evaluation manifest: recall and precision per entity.

Only block/review findings count as "found" (an info finding is logged, not acted on).
A truth item is found when a block/review finding of the same entity in the same document
covers it:
- identifiers and names: the finding's text contains the truth text (spaces and hyphens
  ignored on both sides, full-width folded), so "138-1234-5678" may be reported as written;
- addresses, health data, markings, certificates: either text contains the other, because a
  checker may rightly report only the part below the village ("3组12号") or the disease
  inside "患尿毒症".
Precision: a block/review finding is correct when it covers some truth item of its entity in
its document; every block/review finding in a clean document is a false positive.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ACTED_ON = ("block", "review")
STRICT_ENTITIES = {"CN_ID_CARD", "PHONE_NUMBER", "BANK_CARD", "EMAIL_ADDRESS", "PERSON"}
_SEPARATORS = re.compile(r"[\s\-]")
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True, slots=True)
class Hit:
    """The part of a finding scoring needs (from a models.Finding or a JSON report)."""

    entity: str
    text: str
    severity: str


def normalize(entity: str, text: str) -> str:
    text = str(text).translate(_WIDTH)
    return _SEPARATORS.sub("", text) if entity in STRICT_ENTITIES else text.strip()


def covers(entity: str, finding_text: str, truth_text: str) -> bool:
    found, truth = normalize(entity, finding_text), normalize(entity, truth_text)
    if not found or not truth:
        return False
    if entity in STRICT_ENTITIES:
        return truth in found
    return truth in found or (found in truth and len(found) >= 2)


@dataclass
class EntityScore:
    truth: int = 0
    found: int = 0            # truth items covered by a block/review finding
    info_only: int = 0        # truth items covered only by an info finding
    reported: int = 0         # block/review findings of this entity
    correct: int = 0          # of those, the ones that cover a truth item
    missed: list[tuple[str, str]] = field(default_factory=list)          # (file, text)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)   # (file, text, severity)

    @property
    def recall(self) -> float | None:
        return self.found / self.truth if self.truth else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.reported if self.reported else None


@dataclass
class Evaluation:
    per_entity: dict[str, EntityScore]
    clean_violations: list[tuple[str, str, str, str]]   # (file, entity, text, severity)
    errors: list[tuple[str, str]]                       # (file, error)


def score(manifest: Mapping, hits_by_file: Mapping[str, Iterable[Hit]],
          errors: Mapping[str, str] | None = None) -> Evaluation:
    per_entity: dict[str, EntityScore] = defaultdict(EntityScore)
    clean_violations = []
    for filename, entry in manifest["documents"].items():
        hits = list(hits_by_file.get(filename, ()))
        acted = [h for h in hits if h.severity in ACTED_ON]
        info = [h for h in hits if h.severity not in ACTED_ON]
        truth = entry["expected"]
        for item in truth:
            entity, text = item["entity"], item["text"]
            stats = per_entity[entity]
            stats.truth += 1
            if any(h.entity == entity and covers(entity, h.text, text) for h in acted):
                stats.found += 1
            else:
                stats.missed.append((filename, text))
                if any(h.entity == entity and covers(entity, h.text, text) for h in info):
                    stats.info_only += 1
        for hit in acted:
            stats = per_entity[hit.entity]
            stats.reported += 1
            if any(item["entity"] == hit.entity and covers(hit.entity, hit.text, item["text"]) for item in truth):
                stats.correct += 1
            else:
                stats.false_positives.append((filename, hit.text, hit.severity))
            if entry.get("clean"):
                clean_violations.append((filename, hit.entity, hit.text, hit.severity))
    return Evaluation(dict(per_entity), clean_violations, sorted((errors or {}).items()))


def check_all(checker, folder, manifest: Mapping) -> tuple[dict[str, list[Hit]], dict[str, str]]:
    """Run a pipeline.Checker over every document of a manifest: (hits by file, read errors by file)."""
    hits, errors = {}, {}
    for name in manifest["documents"]:
        result = checker.check_file(folder / name)
        if result.error:
            errors[name] = result.error
        hits[name] = [Hit(f.entity, f.text, str(f.severity)) for f in result.findings]
    return hits, errors


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def table(evaluation: Evaluation) -> str:
    lines = [(f"{'entity':<22}{'truth':>6}{'found':>7}{'recall':>8}{'info-only':>10}"
             f"{'reported':>9}{'precision':>10}")]
    for entity in sorted(evaluation.per_entity):
        s = evaluation.per_entity[entity]
        lines.append(f"{entity:<22}{s.truth:>6}{s.found:>7}{_pct(s.recall):>8}{s.info_only:>10}"
                     f"{s.reported:>9}{_pct(s.precision):>10}")
    lines.append(f"block/review findings on clean documents: {len(evaluation.clean_violations)}; "
                 f"documents with a read error: {len(evaluation.errors)}")
    return "\n".join(lines)


def details(evaluation: Evaluation, limit: int = 12) -> str:
    """Examples of misses and false positives, for the person tuning a recognizer."""
    lines = []
    for entity, s in sorted(evaluation.per_entity.items()):
        if s.missed:
            lines.append(f"{entity} missed ({len(s.missed)}): " + "; ".join(f"{t} [{f}]" for f, t in s.missed[:limit]))
        if s.false_positives:
            lines.append(f"{entity} false positives ({len(s.false_positives)}): "
                         + "; ".join(f"{t} ({sev}) [{f}]" for f, t, sev in s.false_positives[:limit]))
    for filename, error in evaluation.errors:
        lines.append(f"error: {filename}: {error}")
    return "\n".join(lines)
