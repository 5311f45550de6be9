"""The unit's 保密审查台账: one row per record, Chinese column headers; csv, xlsx or json."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

from prepub_review.act.audit.records import DECISIONS, KINDS
from prepub_review.act.audit.store import StoredRecord

LEDGER_COLUMNS = [
    "序号", "审查时间", "类型", "文件名称", "标题/文号", "审查人", "批准人", "审查结论", "依据", "处理意见",
    "是否公开个人信息", "发现项数", "拟公开单位", "载体形式", "拟公开方式", "拟公开时间",
    "文件SHA-256", "发布文件SHA-256", "规则摘要", "工具版本", "记录哈希",
]
FINDING_COLUMNS = ["记录序号", "发现项序号", "类型", "规则", "级别", "位置", "脱敏值", "处理决定", "替换文本", "理由",
                   "值密钥哈希"]
ITEMS_COLUMN = "逐项处理"   # csv only: the finding rows of a record in one cell, one item per line


def safe_cell(value: object) -> object:
    """A text starting with = + - @ would run as a formula in Excel: keep it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def yes_no(flag: int | None) -> str:
    return {1: "是", 0: "否"}.get(flag, "未认定")


def title_and_number(record) -> str:
    return " ".join(part for part in (record.title, record.doc_number) if part)


def ledger_row(stored: StoredRecord) -> dict[str, object]:
    r = stored.record
    return {
        "序号": stored.seq,
        "审查时间": r.recorded_local,
        "类型": KINDS.get(r.kind, r.kind),
        "文件名称": r.document_name,
        "标题/文号": title_and_number(r),
        "审查人": r.reviewer,
        "批准人": r.approver or "",
        "审查结论": r.conclusion_label or r.conclusion,
        "依据": r.legal_basis,
        "处理意见": r.conclusion_reason,
        "是否公开个人信息": yes_no(r.publishes_personal_info),
        "发现项数": len(r.findings),
        "拟公开单位": r.drafting_unit or "",
        "载体形式": r.carrier or "",
        "拟公开方式": r.publish_channel or "",
        "拟公开时间": r.publish_date or "",
        "文件SHA-256": r.document_sha256 or "",
        "发布文件SHA-256": r.output_sha256 or "",
        "规则摘要": r.rules_digest,
        "工具版本": r.tool_version,
        "记录哈希": stored.hash,
    }


def finding_lines(stored: StoredRecord) -> list[list[object]]:
    """One list per finding row, in FINDING_COLUMNS order."""
    return [[stored.seq, i, row.label, row.rule_id, row.severity, row.location, row.masked_value,
             DECISIONS.get(row.decision, row.decision), row.replacement or "", row.reason, row.value_hmac or ""]
            for i, row in enumerate(stored.record.findings, 1)]


def items_text(stored: StoredRecord) -> str:
    """The per-item decisions of a record, one line each: what the ledger's 处理意见 refers to."""
    lines = []
    for i, row in enumerate(stored.record.findings, 1):
        decision = DECISIONS.get(row.decision, row.decision)
        if row.replacement:
            decision += f"（替换为「{row.replacement}」）"
        reason = f"；理由：{row.reason}" if row.reason else ""
        lines.append(f"{i}. {row.label}（{row.rule_id}）{row.location} {row.masked_value}：{decision}{reason}")
    return "\n".join(lines)


def to_csv(records: list[StoredRecord]) -> str:
    """UTF-8 with a BOM, so Excel shows the Chinese right when the file is double-clicked."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*LEDGER_COLUMNS, ITEMS_COLUMN], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in (ledger_row(s) | {ITEMS_COLUMN: items_text(s)}).items()}
                     for s in records)
    return "\ufeff" + out.getvalue()


def to_json(records: list[StoredRecord]) -> str:
    """Machine form: every field with its English key, the chain fields and the finding rows."""
    items = [{"seq": s.seq, "prev_hash": s.prev_hash, "hash": s.hash, **dataclasses.asdict(s.record)}
             for s in records]
    return json.dumps({"version": 1, "records": items}, ensure_ascii=False, indent=2)


def write_xlsx(records: list[StoredRecord], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ledger = book.active
    ledger.title = "保密审查台账"
    ledger.append(LEDGER_COLUMNS)
    for stored in records:
        ledger.append([safe_cell(v) for v in ledger_row(stored).values()])
    details = book.create_sheet("发现项明细")
    details.append(FINDING_COLUMNS)
    for stored in records:
        for line in finding_lines(stored):
            details.append([safe_cell(v) for v in line])
    for sheet in (ledger, details):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column[:200])
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.6))
    book.save(path)
