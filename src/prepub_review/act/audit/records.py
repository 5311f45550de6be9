"""What one audit record holds, and the canonical bytes its hash is computed over.

A record is one review session (or one document of a `check`/`redact` run); its finding
rows are the decided findings, in order. Values are stored masked, never raw: see build.py.

Every field is a str, an int or None, exactly as SQLite hands it back, so the hash computed
when writing equals the hash recomputed from the stored row when verifying.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field

CHAIN_VERSION = 1
GENESIS_HASH = "0" * 64    # the "previous hash" of record 1

KINDS = {"review": "审查", "check": "自动检查", "redact": "去标识化"}
DECISIONS = {
    "redact": "去标识化",        # accepted the proposed masking/removal
    "keep": "保留原文",          # kept as is, with a reason (e.g. 公职人员履职信息)
    "edit": "改写",              # the reviewer typed a replacement
    "detected": "仅检出",        # automated run: found, nobody decided
    "confirm": "确认",           # the reviewer confirmed a marking or content to check by hand
}


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One decided finding. `masked_value` is what a report shows; the raw value is never stored."""

    entity: str                    # CN_ID_CARD, PERSON, ...
    label: str                     # 身份证号
    rule_id: str                   # P1
    severity: str                  # block / review / info
    location: str                  # 表格1 第2行 第3列
    masked_value: str              # 330483********1234
    decision: str                  # a key of DECISIONS
    reason: str = ""               # why (the policy's reason, or the reviewer's)
    value_hmac: str | None = None  # keyed hash of the raw value (key not in the database), or None
    replacement: str | None = None  # for decision "edit": the text put in its place


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One 保密审查记录. Fields marked (R1) follow domain-rules.md rule R1."""

    kind: str                               # a key of KINDS
    document_name: str                      # file name
    document_sha256: str | None             # of the file as reviewed
    reviewer: str                           # 审查人 ("" for automated runs)
    conclusion: str                         # review: a key of audit_conclusions.yaml; check: the verdict
    conclusion_label: str = ""              # 同意公开 / 不得发布 ...
    legal_basis: str = ""                   # 依据, e.g. 《政府信息公开条例》第十五条、第三十七条
    conclusion_reason: str = ""             # 处理意见 / 理由
    publishes_personal_info: bool | None = None  # PIPL Art. 55 flag (stored as 1/0); None: not decided
    document_path: str = ""
    output_sha256: str | None = None        # of the published (redacted) file, if one was written
    title: str | None = None                # 标题 (R1)
    doc_number: str | None = None           # 文号 (R1), e.g. X民发〔2026〕12号
    approver: str | None = None             # 批准人 (R1)
    drafting_unit: str | None = None        # 拟公开单位 (R1)
    carrier: str | None = None              # 载体形式: 公文类 / 非公文类 (R1)
    publish_channel: str | None = None      # 拟公开方式: 网站 / 公开栏 / ... (R1)
    publish_date: str | None = None         # 拟公开时间 (R1)
    started_utc: str | None = None          # when the review session began
    recorded_utc: str = ""                  # set by AuditLog.append: 2026-03-01T02:03:04Z
    recorded_local: str = ""                # the same instant in local time, with offset
    tool_version: str = ""
    rules_digest: str = ""                  # RulesSource.digest(): which rules/profiles were in effect
    findings: tuple[FindingRow, ...] = field(default=())

    def columns(self) -> dict:
        """The record's own fields (no findings), as stored in the `records` table."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "findings"}
        values = {name: int(v) if isinstance(v, bool) else v for name, v in values.items()}
        values["findings_count"] = len(self.findings)
        return values


RECORD_COLUMNS = [f.name for f in dataclasses.fields(AuditRecord) if f.name != "findings"] + ["findings_count"]
FINDING_COLUMNS = [f.name for f in dataclasses.fields(FindingRow)]


def validate(record: AuditRecord) -> None:
    """Refuse a malformed record before it enters the chain (a programming error, not a user one)."""
    if record.kind not in KINDS:
        raise ValueError(f"unknown audit record kind {record.kind!r}")
    for row in record.findings:
        if row.decision not in DECISIONS:
            raise ValueError(f"unknown finding decision {row.decision!r}")
    for name, value in record.columns().items():
        if value is not None and not isinstance(value, (str, int)):
            raise TypeError(f"audit field {name} must be str, int or None, not {type(value).__name__}")


def canonical_bytes(seq: int, prev_hash: str, columns: dict, findings: list[dict]) -> bytes:
    """JSON with sorted keys, no whitespace, UTF-8: the same record always gives the same bytes."""
    document = {
        "v": CHAIN_VERSION,
        "seq": seq,
        "prev_hash": prev_hash,
        "record": {name: columns[name] for name in RECORD_COLUMNS},
        "findings": [{name: row[name] for name in FINDING_COLUMNS} for row in findings],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_hash(seq: int, prev_hash: str, columns: dict, findings: list[dict]) -> str:
    return hashlib.sha256(canonical_bytes(seq, prev_hash, columns, findings)).hexdigest()
