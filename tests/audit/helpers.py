"""Shared by the audit tests: synthetic records and the bytes of a database file."""

from __future__ import annotations

from pathlib import Path

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
    return AuditRecord(**fields)


def db_bytes(db: Path) -> bytes:
    """The database file and its WAL, as they sit on disk."""
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())
