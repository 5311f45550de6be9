"""`--format json`: the JSON of one document. Keys are stable English; see README.

report_json_stream.py writes the whole report from it and its findings (`finding_text`), one document
at a time, on one line without indentation: json's C encoder handles only the unindented form; over a 5 MB corpus the
indented dump took ~15 % of the whole run (sampled).
"""

from __future__ import annotations

from collections import Counter

from prepub_review.models import DocumentResult

FORMAT_VERSION = 1


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
