"""Approvals and the audit trail: `prepub review --approvals` turns every 保留原文 decision of a finished
review into an entry pointing at the audit record that holds it; `prepub approvals verify` checks
those pointers against an intact chain (the CI runner has no audit database; a person with it can)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prepub_review.act.review.finish import audit_decision
from prepub_review.site.approvals import APPROVED, LEGACY, Approval, ApprovalsFile, Matcher

PUBLISHING = {"publish", "publish_redacted"}


def record_keeps(approvals: ApprovalsFile, session, head, conclusion_key: str, published: Path,
                 reviewer: str, profile_label: str) -> str:
    """Adds the kept findings of `session` for the file being published; returns a line for the reviewer."""
    if conclusion_key not in PUBLISHING:
        return "结论为不予公开：未写入审批文件。"
    relative = Matcher(approvals, approvals.root).relative(str(published))
    today = date.today().isoformat()
    entries = []
    for item, decision in session.decided():
        kind, reason, _ = audit_decision(item, decision, profile_label)
        if kind != "keep":
            continue
        finding = item.finding
        entries.append(Approval(path=relative, entity=finding.entity, rule_id=finding.rule_id,
                                fingerprint=finding.fingerprint, status=APPROVED, reviewer=reviewer, reason=reason,
                                date=today, record=head.seq, record_hash=head.hash, label=finding.label))
    if not entries:
        return "没有保留原文的项：审批文件未改动。"
    approvals.add(entries)
    approvals.save()
    return f"已把 {len(entries)} 项保留原文的决定记入审批文件 {approvals.path}（{relative}，审查记录第 {head.seq} 号）"


def verify_against_audit(approvals: ApprovalsFile, log) -> tuple[list[str], str | None]:
    """(problems, chain problem): each approved entry must name a review record in `log` whose hash
    it holds and which kept a finding of that entity; and the chain itself must be intact."""
    from prepub_review.act.audit import verify

    chain = verify(log)
    problems = []
    for approval in approvals.approvals:
        if approval.status == LEGACY:
            continue
        where = f"{approval.path} {approval.label or approval.entity}（{approval.fingerprint[:8]}…）"
        if approval.record is None or not approval.record_hash:
            problems.append(f"{where}：没有写明审查记录号和哈希")
            continue
        stored = log.get(approval.record)
        if stored is None:
            problems.append(f"{where}：审查记录第 {approval.record} 号不存在")
        elif stored.hash != approval.record_hash:
            problems.append(f"{where}：审查记录第 {approval.record} 号的哈希与审批文件中的不符")
        elif stored.record.kind != "review":
            problems.append(f"{where}：第 {approval.record} 号不是审查记录（而是 {stored.record.kind}）")
        elif not any(row.decision == "keep" and row.entity == approval.entity for row in stored.record.findings):
            problems.append(f"{where}：第 {approval.record} 号审查记录中没有保留该类信息的决定")
    return problems, (chain.problem.describe() if chain.problem else None)
