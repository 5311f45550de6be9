"""The tamper-evident audit trail (保密审查记录): an append-only, hash-chained log.

    records.py  what a record and a finding row hold; the canonical bytes that are hashed
    store.py    AuditLog: append (safe with many writers and crashes), reading; picks the back end
    sqlite_store.py    the default: one SQLite file, for the processes of one machine
    postgres_store.py  a PostgreSQL server, for many machines (advisory lock per append)
    location.py where the trail lives: network shares (refused for SQLite), DSN masking
    verify.py   recomputes the chain, names the first broken record and how it broke
    build.py    builds records from findings (masked values, keyed hashes), title/文号, conclusions
    export.py   the 保密审查台账: csv / xlsx / json with Chinese headers

Typical use (what `prepub check --audit`, `redact` and `review` do):

    log = open_log(cli_value)     # AuditLog(path) or AuditLog("postgresql://…")
    rows = finding_rows(findings, policy, decision="redact", value_key=ValueKey.load_or_create(key_path))
    head = log.append(AuditRecord(kind="review", document_name=..., ..., findings=rows))
"""

from prepub_review.act.audit.build import (
    Conclusion,
    ValueKey,
    check_record,
    file_sha256,
    finding_row,
    finding_rows,
    load_conclusions,
    load_title_marks,
    open_for_writing,
    open_log,
    redact_record,
    title_and_number,
)
from prepub_review.act.audit.records import DECISIONS, KINDS, AuditRecord, FindingRow
from prepub_review.act.audit.store import AuditError, AuditLog, Head, StoredRecord
from prepub_review.act.audit.verify import Problem, Verification, parse_head, verify

__all__ = [
    "DECISIONS",
    "KINDS",
    "AuditError",
    "AuditLog",
    "AuditRecord",
    "Conclusion",
    "FindingRow",
    "Head",
    "Problem",
    "StoredRecord",
    "ValueKey",
    "Verification",
    "check_record",
    "file_sha256",
    "finding_row",
    "finding_rows",
    "load_conclusions",
    "load_title_marks",
    "open_for_writing",
    "open_log",
    "parse_head",
    "redact_record",
    "title_and_number",
    "verify",
]
