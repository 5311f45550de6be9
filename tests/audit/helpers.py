"""Shared by the audit tests: synthetic records."""

from __future__ import annotations

from prepub_review.act.audit import AuditRecord, FindingRow


def record(i: int, findings: int = 2, **changes) -> AuditRecord:
    rows = tuple(
        FindingRow(entity="PHONE_NUMBER", label="手机号码", rule_id="P3", severity="block",
                   location=f"第{n}段", masked_value="138****5678", decision="redact", reason="私人手机号")
        for n in range(1, findings + 1)
    )
    fields = {
        "kind": "review", "document_name": f"公示{i}.docx", "document_sha256": f"{i:064x}", "reviewer": "审查员甲",
        "conclusion": "publish_redacted", "conclusion_label": "去标识化后公开（区分处理）",
        "legal_basis": "《政府信息公开条例》第十五条、第三十七条", "publishes_personal_info": True, "findings": rows,
    }
    fields.update(changes)
    if "findings_override" in fields:
        fields["findings"] = fields.pop("findings_override")
        fields["conclusion_reason"] = "去标识化后公开，理由见逐项记录"
    return AuditRecord(**fields)


def decided_record(i: int) -> AuditRecord:
    """A reviewed record with one item of each decision: kept with a reason, rewritten, redacted."""
    rows = (
        FindingRow(entity="PERSON", label="姓名", rule_id="P5", severity="block", location="第3段",
                   masked_value="张*明", decision="keep", reason="公职人员履职信息"),
        FindingRow(entity="PHONE_NUMBER", label="电话号码", rule_id="P2", severity="block",
                   location="表格1 第2行 第8列", masked_value="138****5678", decision="edit",
                   reason="审查人改写", replacement="（略）"),
        FindingRow(entity="CN_ID_CARD", label="身份证号", rule_id="P1", severity="block",
                   location="表格1 第2行 第3列", masked_value="330483********1234", decision="redact",
                   reason="按方案打码"),
    )
    return record(i, findings=0, findings_override=rows)
