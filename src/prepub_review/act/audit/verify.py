"""Recomputes the hash chain and names the first broken record and how it broke.

Walking the records in sequence order, for each one:
  1. its number must be the previous number + 1        -> else "missing" (a record was deleted)
  2. its prev_hash must be the previous record's hash  -> else "reordered" (moved, inserted, or the
                                                          previous record was rewritten and re-hashed)
  3. its hash must equal the hash of its content       -> else "changed" (a field or a finding row)
Then, with a head the user saved elsewhere: that head must still be in the chain -> else
"head_mismatch" (the tail was cut off, or the chain was rewritten).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prepub_review.act.audit.records import GENESIS_HASH, record_hash
from prepub_review.act.audit.store import AuditLog, Head

PROBLEM_LABELS = {
    "missing": "记录缺失",
    "reordered": "顺序被打乱或链接被改写",
    "changed": "内容被改动",
    "head_mismatch": "与保存的链头不符",
}
_HEAD_PATTERN = re.compile(r"^(?:(\d+):)?([0-9a-fA-F]{64})$")


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int          # the first broken record
    kind: str         # a key of PROBLEM_LABELS
    detail: str       # Chinese, for the person reading it

    def describe(self) -> str:
        return f"第 {self.seq} 号记录：{PROBLEM_LABELS[self.kind]}。{self.detail}"


@dataclass(slots=True)
class Verification:
    count: int
    head: Head
    problem: Problem | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


def parse_head(text: str) -> tuple[int | None, str]:
    """'12:<64 hex>' (as `prepub audit head` prints it) or a bare hash -> (seq or None, hash)."""
    match = _HEAD_PATTERN.match(text.strip())
    if not match:
        raise ValueError("链头应为「序号:哈希」或 64 位十六进制哈希，如 12:9f86d081…")
    return (int(match.group(1)) if match.group(1) else None), match.group(2).lower()


def verify(log: AuditLog, saved_head: str | None = None) -> Verification:
    expected = parse_head(saved_head) if saved_head else None
    result = Verification(count=0, head=Head(0, GENESIS_HASH))
    seen: dict[str, int] = {}   # hash -> seq of the records verified so far
    stored_hashes = log.hashes()
    for columns, findings in log.raw_rows():
        seq = columns["seq"]
        result.problem = _check_record(columns, findings, result.head, stored_hashes)
        if result.problem:
            return result
        seen[columns["hash"]] = seq
        result.head = Head(seq, columns["hash"])
        result.count += 1
    result.problem = _check_tail(log, result.head, expected, seen)
    missing = log.missing_triggers()
    if missing:
        result.warnings.append(f"防改动触发器已被删除（{', '.join(missing)}）：有人绕过 prepub 直接改过数据库")
    return result


def _check_record(columns: dict, findings: list[dict], previous: Head,
                  stored_hashes: dict[str, int]) -> Problem | None:
    seq = columns["seq"]
    if seq != previous.seq + 1:
        gap = f"第 {previous.seq + 1} 号" if seq == previous.seq + 2 else f"第 {previous.seq + 1}–{seq - 1} 号"
        return Problem(previous.seq + 1, "missing",
                       f"序号从 {previous.seq} 跳到 {seq}，{gap}记录被删除")
    if columns["prev_hash"] != previous.hash:
        belongs_after = stored_hashes.get(columns["prev_hash"])
        why = (f"它本应接在第 {belongs_after} 号记录之后，记录的顺序被调换"
               if belongs_after is not None else "记录被插入，或前一条记录被改写后重新计算了哈希")
        return Problem(seq, "reordered", f"其「前一哈希」与第 {previous.seq} 号记录的哈希不符：{why}")
    if record_hash(seq, columns["prev_hash"], columns, findings) != columns["hash"]:
        if columns["findings_count"] != len(findings):
            detail = f"原有发现项 {columns['findings_count']} 条，现存 {len(findings)} 条（发现项被删除或添加）"
        else:
            detail = "记录的字段或其发现项被修改（重新计算的哈希与保存的哈希不符）"
        return Problem(seq, "changed", detail)
    return None


def _check_tail(log: AuditLog, last: Head, expected: tuple[int | None, str] | None,
                seen: dict[str, int]) -> Problem | None:
    orphans = [s for s in log.orphan_finding_seqs() if s > last.seq]
    if orphans:
        return Problem(last.seq + 1, "missing",
                       f"链尾第 {orphans[0]} 号记录已被删除（它的发现项仍在库中），记录被截断")
    if expected is None:
        return None
    saved_seq, saved_hash = expected
    if saved_hash == GENESIS_HASH and saved_seq in (None, 0):
        return None
    if saved_hash in seen and saved_seq in (None, seen[saved_hash]):
        return None
    if saved_seq is not None and saved_seq > last.seq:
        return Problem(last.seq + 1, "head_mismatch",
                       f"保存的链头是第 {saved_seq} 号记录，而库中只有 {last.seq} 条：链尾被截断")
    where = f"第 {saved_seq} 号记录的哈希与保存的不符" if saved_seq else "保存的链头哈希不在链中"
    return Problem(saved_seq or last.seq, "head_mismatch", f"{where}：记录被截断后重写，或链被整体改写")
