"""`--format json`: the JSON of one document and of one finding. Keys are stable English; see README.

report_json_stream.py writes the whole report from these, one document at a time, on one line
without indentation: json's C encoder handles only the unindented form; over a 5 MB corpus the
indented dump took ~15 % of the whole run (sampled).
"""

from __future__ import annotations

from collections import Counter

from prepub_review.act.present import Presenter
from prepub_review.models import DocumentResult, Finding

FORMAT_VERSION = 1


def finding_json(finding: Finding, presenter: Presenter) -> dict:
    row = {
        "entity": finding.entity,
        "text": presenter.value(finding),
        "severity": finding.severity.value,
        "location": finding.location,
        "score": finding.score,
        "rule_id": finding.rule_id,
        "variant": finding.variant,
        "label": finding.label,
        "reason": finding.reason,
        "zone": finding.zone.value,
        "field": finding.field,
        "record": finding.record,
        "context": presenter.context(finding),
        "start": finding.start,
        "end": finding.end,
        "recognizer": finding.recognizer,
        "masked": not presenter.reveal,
    }
    if "linked" in finding.attrs:   # cross-document linkage: where the other halves are
        row["linked"] = finding.attrs["linked"]
        row["revealed"] = finding.attrs["revealed"]
    return row


def document_json(doc: DocumentResult, findings: list[dict]) -> dict:
    """One document's JSON, holding `findings` (its findings' JSON, in order)."""
    counts = Counter(f.severity.value for f in doc.findings)
    return {
        "path": doc.path,
        "format": doc.format,
        "verdict": doc.verdict.value,
        "error": doc.error,
        "error_code": doc.error_code,
        "summary": {"block": counts["block"], "review": counts["review"], "info": counts["info"]},
        "findings": findings,
    }
