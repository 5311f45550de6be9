"""What the site-aware reports share: one finding as plain data (masked), and the reporter interface.

Every report (text, json, sarif, html) receives documents one at a time (`document`) while the run
streams, then the run's summary (`finish`). None of them keeps a whole site's findings.
"""

from __future__ import annotations

from typing import Protocol

from prepub_review.act.present import Presenter
from prepub_review.act.report_json import finding_json
from prepub_review.models import Finding
from prepub_review.site.approvals import Approval
from prepub_review.site.gate import RunSummary, SiteDocument


class Reporter(Protocol):
    def document(self, site_doc: SiteDocument) -> None: ...

    def finish(self, summary: RunSummary) -> None: ...


def approval_json(approval: Approval) -> dict:
    return {"status": approval.status, "reviewer": approval.reviewer, "reason": approval.reason,
            "date": approval.date, "record": approval.record, "record_hash": approval.record_hash,
            "text": approval.describe()}


def finding_data(finding: Finding, approval: Approval | None, presenter: Presenter) -> dict:
    """The JSON finding, plus its fingerprint, structured locator and approval (if any)."""
    data = finding_json(finding, presenter)
    data["fingerprint"] = finding.fingerprint
    locator = finding.locator
    data["locator"] = None if locator is None else {
        "part": locator.part, "path": list(locator.path), "line": locator.line, "column": locator.column}
    data["approval"] = approval_json(approval) if approval is not None else None
    return data


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
