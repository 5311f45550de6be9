"""Builds audit records from what the other stages produce, never storing a raw personal value.

A finding's value is stored masked (the policy's mask spec, as reports show it). To recognise
the same ID number across records without storing it, a row may also carry an HMAC-SHA256 of
the value under a per-user key kept OUTSIDE the database (a plain sha256 of an ID number is
brute-forced in minutes: there are only ~10^11 plausible numbers).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from prepub_review import __version__
from prepub_review.act.audit.records import AuditRecord, FindingRow
from prepub_review.act.masking import mask_value
from prepub_review.act.present import VERDICT_LABELS, with_names_masked
from prepub_review.decide.policy import Policy
from prepub_review.formats.base import FILE_NAME_PART
from prepub_review.text import normalize_width
from prepub_review.errors import PrepubError
from prepub_review.models import DocumentResult, Finding
from prepub_review.rules_loader import LineDict, RulesSource, check_known_keys, require, string_list

KEY_BYTES = 32


class ValueKey:
    """The HMAC key for `value_hmac`. Lose the key and old hashes can no longer be matched, nothing else."""

    def __init__(self, key: bytes):
        self._key = key

    @property
    def key(self) -> bytes:
        """The key itself, to hand to the workers of the same run (never printed or stored elsewhere)."""
        return self._key

    @classmethod
    def load_or_create(cls, path: Path) -> ValueKey:
        path = Path(path)
        if not path.exists():
            _create_key_file(path)
        try:
            text = path.read_text(encoding="ascii").strip()
            return cls(bytes.fromhex(text))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise PrepubError(f"审查记录密钥文件 {path} 无法读取或已损坏：{exc}", code="audit_key") from None

    def digest(self, value: str) -> str | None:
        """Same digest for "330483 1990…" and "３３０４８３1990…": separators and width do not matter."""
        canonical = "".join(ch for ch in normalize_width(value) if ch.isalnum()).upper()
        if not canonical:
            return None
        return hmac.new(self._key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _create_key_file(path: Path) -> None:
    """Writes a fresh key readable by its owner only (0600); safe if two processes race."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            os.link(temp, path)          # atomic, and fails if another process got there first
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    except OSError as exc:
        raise PrepubError(f"无法创建审查记录密钥文件 {path}：{exc.strerror}", code="audit_key") from None


# --- finding rows -----------------------------------------------------------------------------

def finding_row(finding: Finding, policy: Policy, decision: str, reason: str | None = None,
                value_key: ValueKey | None = None, replacement: str | None = None) -> FindingRow:
    return FindingRow(
        entity=finding.entity,
        label=finding.label,
        rule_id=finding.rule_id,
        severity=finding.severity.value,
        location=finding.location,
        masked_value=mask_value(finding.text, policy.mask_spec(finding.entity, finding.variant)),
        decision=decision,
        reason=finding.reason if reason is None else reason,
        value_hmac=value_key.digest(finding.text) if value_key and finding.text else None,
        replacement=replacement,
    )


def finding_rows(findings: Iterable[Finding], policy: Policy, decision: str = "detected",
                 value_key: ValueKey | None = None) -> tuple[FindingRow, ...]:
    return tuple(finding_row(f, policy, decision, value_key=value_key) for f in findings)


# --- what the document is -------------------------------------------------------------------

_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,20}\s*[〔\[【(﹝]\s*(?:19|20)\d{2}\s*[〕\]】)﹞]\s*第?\s*\d{1,5}\s*号")
_NOT_A_TITLE = re.compile(r"^(?:\d{1,8}|（.*）|\(.*\))$")   # a 份号, or a line wholly in brackets


@dataclass(frozen=True, slots=True)
class TitleMarks:
    """What a GB/T 9704 head carries before the title (rules/audit_title.yaml)."""

    head_marks: tuple[str, ...]
    head_mark_max_chars: int
    not_title_endings: tuple[str, ...]
    not_title_symbols: tuple[str, ...]

    def is_title(self, line: str) -> bool:
        is_mark = len(line) <= self.head_mark_max_chars and line.startswith(self.head_marks)
        return (4 <= len(line) <= 80 and not is_mark and not _NOT_A_TITLE.match(line)
                and not line.endswith(self.not_title_endings)
                and not any(symbol in line for symbol in self.not_title_symbols))


def load_title_marks(rules: RulesSource | None = None) -> TitleMarks:
    rules = rules or RulesSource()
    data = rules.mapping("audit_title.yaml",
                         {"head_marks", "head_mark_max_chars", "not_title_endings", "not_title_symbols"})
    max_chars = require(data, "head_mark_max_chars", int)
    if max_chars < 1:
        raise PrepubError(f"{data.where('head_mark_max_chars')}: 应为正整数", code="rules_error")
    return TitleMarks(tuple(string_list(data, "head_marks")), max_chars,
                      tuple(string_list(data, "not_title_endings")), tuple(string_list(data, "not_title_symbols")))


def title_and_number(lines: Iterable[str], max_lines: int = 15,
                     marks: TitleMarks | None = None) -> tuple[str | None, str | None]:
    """(title, 文号) from a document's first lines, e.g. ("关于…的通知", "X民发〔2026〕12号").

    Skips what a GB/T 9704 head carries before the title: 份号, 密级, 紧急程度, the issuing
    organ's banner ("…文件"), the 文号 line itself; a line ending in "：" is a 主送 line.
    """
    marks = marks or load_title_marks()
    title = number = None
    for raw in list(lines)[:max_lines]:
        line = normalize_width(raw).strip().replace("\u3000", " ")
        if not line:
            continue
        match = _DOC_NUMBER.search(line)
        if match and number is None:
            number = re.sub(r"\s+", "", match.group(0))
            continue
        if title is None and marks.is_title(line):
            title = line
    return title, number


def file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


# --- conclusions and their legal basis (rules/audit_conclusions.yaml) ---------------------------

@dataclass(frozen=True, slots=True)
class Conclusion:
    key: str
    label: str
    basis: str


def load_conclusions(rules: RulesSource) -> dict[str, Conclusion]:
    data = rules.mapping("audit_conclusions.yaml", {"conclusions"})
    conclusions = {}
    for key, node in require(data, "conclusions", dict).items():
        if not isinstance(node, LineDict):
            raise PrepubError(f"{data['conclusions'].where(key)}: 结论「{key}」应为映射", code="rules_error")
        check_known_keys(node, {"label", "basis"})
        conclusions[str(key)] = Conclusion(str(key), require(node, "label", str), require(node, "basis", str))
    return conclusions


# --- the record of one checked document --------------------------------------------------------

def masked_file_name(path: str | Path, findings: Iterable[Finding], policy: Policy) -> str:
    """`path` with each value found in the file's own name masked: a record names the file without
    the personal data its name may hold (the file's SHA-256 identifies it)."""
    shown = str(path)
    for finding in findings:
        if finding.locator is not None and finding.locator.part == FILE_NAME_PART and finding.text:
            masked = mask_value(finding.text, policy.mask_spec(finding.entity, finding.variant))
            shown = shown.replace(finding.text, masked)
    return shown


def check_record(doc: DocumentResult, policy: Policy, rules_digest: str, value_key: ValueKey | None = None,
                 lines: Iterable[str] = (), marks: TitleMarks | None = None) -> AuditRecord:
    """The lighter record `prepub check --audit` appends for each document."""
    title, number = title_and_number(lines, marks=marks)
    reason = f"无法审查：{doc.error}" if doc.error else ""
    return AuditRecord(
        kind="check",
        document_name=masked_file_name(Path(doc.path).name, doc.findings, policy),
        document_path=masked_file_name(doc.path, doc.findings, policy),
        document_sha256=file_sha256(Path(doc.path)),
        reviewer="",
        conclusion=doc.verdict.value,
        conclusion_label=VERDICT_LABELS[doc.verdict],
        conclusion_reason=reason,
        title=title,
        doc_number=number,
        tool_version=__version__,
        rules_digest=rules_digest,
        findings=finding_rows(doc.findings, policy, value_key=value_key),
    )


def redact_record(result, policy: Policy, rules_digest: str, value_key: ValueKey | None = None,
                  lines: Iterable[str] = (), marks: TitleMarks | None = None) -> AuditRecord:
    """The record `prepub redact --audit` appends: what was masked, dropped, kept and cleaned."""
    title, number = title_and_number(lines, marks=marks)
    shown = functools.partial(with_names_masked, renamed=result.renamed)
    rows = [finding_row(shown(e.finding), policy, "redact", f"按方案「{result.profile}」处理：{e.action}",
                        value_key, replacement=e.replacement) for e in result.edits]
    rows += [finding_row(shown(f), policy, "keep", f"按方案「{result.profile}」保留", value_key) for f in result.kept]
    cleaned = "；".join(c.description for c in result.cleanings)
    return AuditRecord(
        kind="redact",
        document_name=masked_file_name(result.input.name, result.findings, policy),
        document_path=masked_file_name(result.input, result.findings, policy),
        document_sha256=result.input_sha256 or None,
        output_sha256=result.output_sha256 or None,
        reviewer="",
        conclusion="publish_redacted",
        conclusion_label="去标识化副本（未经人工审查）",
        conclusion_reason=f"输出：{masked_file_name(result.output.name, result.findings, policy)}"
                          + (f"；清理：{cleaned}" if cleaned else ""),
        publishes_personal_info=any(e.action == "mask" for e in result.edits) or bool(result.kept),
        title=title,
        doc_number=number,
        tool_version=__version__,
        rules_digest=rules_digest,
        findings=tuple(rows),
    )


def open_log(audit_db: Path | str | None, *, create: bool = True, allow_share: bool = False):
    """The AuditLog named by --audit-db, the environment or the config file (see config.py).

    A SQLite file on a network share is refused unless `allow_share` or the config allows it."""
    from prepub_review import config
    from prepub_review.act.audit.store import AuditLog

    settings = config.load_config()
    return AuditLog(config.audit_db_path(audit_db, settings), create=create,
                    allow_share=allow_share or settings.allow_sqlite_on_share)


def open_for_writing(audit_db: Path | str | None, allow_share: bool = False):
    """(AuditLog, ValueKey): where records go, and the key for their value hashes."""
    from prepub_review import config

    return open_log(audit_db, allow_share=allow_share), ValueKey.load_or_create(config.audit_key_path())
