"""The end of a review: the 保密审查记录 (one audit record of kind "review", one row per decided
finding) and, on 去标识化后公开, the redacted copy written through the Redactor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prepub_review import __version__
from prepub_review.act.audit import AuditRecord, Conclusion, ValueKey, finding_row
from prepub_review.act.audit.build import masked_file_name
from prepub_review.act.review.session import PROPOSAL_ZH, Decision, ReviewItem, Session
from prepub_review.decide.policy import Policy

INCOMPLETE = "incomplete"
INCOMPLETE_LABEL = "审查未完成（部分记录）"


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """What a record says about the session besides the decisions."""

    document: Path
    document_sha256: str | None
    reviewer: str
    approver: str | None
    started_utc: str
    rules_digest: str
    profile_label: str
    title: str | None = None
    doc_number: str | None = None


def audit_decision(item: ReviewItem, decision: Decision, profile_label: str) -> tuple[str, str, str | None]:
    """(audit decision key, reason, replacement) for one decided item.

    Confirming a marking or content the tool could not read changes nothing in the text:
    it is stored as "confirm" with what the reviewer confirmed as the reason.
    """
    proposal = item.proposal
    if decision.kind == "keep":
        return "keep", decision.reason, None
    if decision.kind == "replace":
        return "edit", decision.reason or "审查人改写", decision.replacement
    if proposal.kind == "keep":
        return "keep", f"按去标识化方案（{profile_label}）保留", None
    if proposal.kind == "withhold":
        return "confirm", "审查人确认为密级或不予公开标志：文件不予公开", None
    if proposal.kind == "manual":
        return "confirm", f"审查人已知悉，须对照原件人工核对：{item.finding.reason}", None
    return "redact", f"按去标识化方案（{profile_label}）{PROPOSAL_ZH[proposal.kind]}", proposal.replacement


def review_record(session: Session, context: ReviewContext, policy: Policy, conclusion: Conclusion | None,
                  reason: str, value_key: ValueKey | None, output_sha256: str | None = None) -> AuditRecord:
    """The record of a finished session, or (conclusion None) of a partial one the reviewer saved."""
    findings = [item.finding for item in session.items]
    rows = []
    for item, decision in session.decided():
        kind, why, replacement = audit_decision(item, decision, context.profile_label)
        rows.append(finding_row(item.finding, policy, kind, why, value_key, replacement))
    return AuditRecord(
        kind="review",
        document_name=masked_file_name(context.document.name, findings, policy),
        document_path=masked_file_name(context.document, findings, policy),
        document_sha256=context.document_sha256,
        output_sha256=output_sha256,
        reviewer=context.reviewer,
        approver=context.approver,
        conclusion=conclusion.key if conclusion else INCOMPLETE,
        conclusion_label=conclusion.label if conclusion else INCOMPLETE_LABEL,
        legal_basis=conclusion.basis if conclusion else "",
        conclusion_reason=reason,
        publishes_personal_info=session.publishes_personal_info(conclusion.key) if conclusion else None,
        title=context.title,
        doc_number=context.doc_number,
        started_utc=context.started_utc,
        tool_version=__version__,
        rules_digest=context.rules_digest,
        findings=tuple(rows),
    )
