"""What the site-aware reports share: the reporter interface and the JSON of what site mode adds.

Every report (text, json, sarif, html) receives documents one at a time (`document`) while the run
streams, then the run's summary (`finish`). None of them keeps a whole site's findings.
"""

from __future__ import annotations

from typing import Protocol

from prepub_review.site.approvals import Approval
from prepub_review.site.gate import RunSummary, SiteDocument


class Reporter(Protocol):
    def document(self, site_doc: SiteDocument) -> None: ...

    def finish(self, summary: RunSummary) -> None: ...


def approval_json(approval: Approval) -> dict:
    return {"status": approval.status, "reviewer": approval.reviewer, "reason": approval.reason,
            "date": approval.date, "record": approval.record, "record_hash": approval.record_hash,
            "text": approval.describe()}


def site_doc_extras(site_doc: SiteDocument) -> dict:
    """What site mode adds to a document: the pages publishing it and, for a page, its links."""
    links = site_doc.links
    return {
        "relative_path": site_doc.relative_path,
        "linked_from": list(site_doc.linked_from),
        "links": None if links is None else [
            {"href": link.href, "line": link.line, "kind": link.kind, "target": link.target}
            for link in links.links],
    }


def stale_json(summary: RunSummary) -> list[dict]:
    return [{"path": a.path, "entity": a.entity, "rule_id": a.rule_id, "fingerprint": a.fingerprint,
             "status": a.status, "reviewer": a.reviewer, "date": a.date, "record": a.record}
            for a in summary.stale]
