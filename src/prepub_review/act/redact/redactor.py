"""Orchestrates one redaction: open for editing -> clean -> detect -> decide -> plan -> write a
temp file beside the output -> verify it with the same checker -> atomic rename -> summary.

The original is never written to. Nothing is left behind when anything fails.

A format writer (docx.py, xlsx.py, html.py, text.py, pdf.py; legacy.py wraps a LibreOffice
conversion) offers segments(), clean(), apply(edits), save(path), close(), and may offer
leftovers(saved_path) -> the edits whose raw value it can still find in the saved file by its own
means (pdf.py: the text layer and the decompressed streams); those fail verification too.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from prepub_review.act.masking import mask_value
from prepub_review.act.redact import operators
from prepub_review.act.redact.plan import Cleaning, Edit, FindingKey, Override, finding_keys
from prepub_review.act.redact.profiles import Action, Profile
from prepub_review.errors import ReadError, RedactionRefused, VerificationFailed
from prepub_review.models import Finding, Severity
from prepub_review.pipeline import Checker
from prepub_review.formats import registry
from prepub_review.formats.document import read_document

MARKING_ENTITY = "CLASSIFICATION_MARK"
UNVERIFIED_ENTITY = "UNVERIFIED_CONTENT"
SUFFIX = ".去标识化"


@dataclass
class RedactionResult:
    input: Path
    output: Path
    format: str
    profile: str
    edits: list[Edit] = field(default_factory=list)
    cleanings: list[Cleaning] = field(default_factory=list)
    kept: list[Finding] = field(default_factory=list)        # review/block findings the profile keeps
    kept_by_reviewer: list[Finding] = field(default_factory=list)  # findings an override keeps as they are
    findings: list[Finding] = field(default_factory=list)    # every judged finding of the read it edited
    unplaced: list[Edit] = field(default_factory=list)
    unchanged: bool = False
    written: bool = False
    input_sha256: str = ""
    output_sha256: str = ""


def default_output(path: Path) -> Path:
    """draft.docx -> draft.去标识化.docx; a legacy draft.doc -> draft.去标识化.docx (its output format)."""
    return path.with_name(f"{path.stem}{SUFFIX}{registry.converted_suffix(path.suffix) or path.suffix}")


class Redactor:
    def __init__(self, checker: Checker, profile: Profile):
        self.checker = checker
        self.profile = profile
        self.compound_surnames = frozenset(w for w in checker.rules.words("surnames.txt") if len(w) == 2)

    def redact(self, source: Path, output: Path, *, force: bool = False, dry_run: bool = False,
               overrides: Mapping[FindingKey, Override] | None = None) -> RedactionResult:
        """`overrides` are a reviewer's decisions (`prepub review`), by finding_keys(); findings
        without one get the profile's action. A value the reviewer keeps is allowed to remain
        when the output is verified, and a marking the reviewer keeps does not refuse the run."""
        source, output = Path(source), Path(output)
        overrides = overrides or {}
        fmt, _items = read_document(source, self.checker.limits)   # the same input checks as `check`
        spec = registry.spec_of(fmt)
        if not spec.writable:
            raise ReadError(f"本版本暂不支持对此类文件（{fmt}）去标识化；请另存为 .docx/.xlsx/.html/.txt/.csv 后再处理",
                            code="unsupported_format")
        if not dry_run:
            _check_output(source, output, force)
            if spec.converts_to:
                _check_modern_suffix(output, spec.converts_to)
        result = RedactionResult(source, output, fmt, self.profile.name)
        document = registry.open_editable(fmt, source, self.checker.limits)
        try:
            result.cleanings = document.clean()
            segment_texts: dict[int, str] = {}
            findings = self._judge(document.segments(), segment_texts)
            result.findings = findings
            keys = finding_keys(findings)
            reviewer_keeps = {id(f) for f in findings if getattr(overrides.get(keys[id(f)]), "keep", False)}
            result.kept_by_reviewer = [f for f in findings if id(f) in reviewer_keeps]
            to_plan = [f for f in findings if id(f) not in reviewer_keeps]
            _refuse_markings(to_plan)
            result.edits, result.kept = self._plan(to_plan, segment_texts, overrides, keys)
            result.unplaced, extra = document.apply(result.edits)
            result.cleanings += extra
            result.input_sha256 = _sha256(source)
            result.unchanged = not result.edits and not result.cleanings
            if dry_run:
                return result
            self._write(document, result)
        finally:
            document.close()
        return result

    # -- detect and decide: the checker's engine and policy ----------------------------------
    def _judge(self, items, segment_texts: dict[int, str]) -> list[Finding]:
        def remember(stream):
            for item in stream:
                if getattr(item, "anchor", None) is not None:
                    segment_texts[id(item.anchor)] = item.text
                yield item
        detections, notices = self.checker.detect(remember(items))
        return self.checker.policy.judge(detections, notices)

    def proposal(self, finding: Finding) -> tuple[Action, str]:
        """What the profile does with one finding and the text that would replace it ("" = removed)."""
        action = self.profile.action_for(finding.entity, finding.variant, finding.severity.value)
        replacement = finding.text if action.kind == "keep" else self._replacement(finding, action)
        return action, replacement

    def _plan(self, findings: list[Finding], segment_texts: dict[int, str],
              overrides: Mapping[FindingKey, Override] | None = None,
              keys: dict[int, FindingKey] | None = None) -> tuple[list[Edit], list[Finding]]:
        overrides, keys = overrides or {}, keys or {}
        edits, kept = [], []
        taken: dict[int, list[tuple[int, int]]] = {}
        for finding in sorted(findings, key=lambda f: (f.location, f.start, -(f.end - f.start))):
            if finding.entity in (MARKING_ENTITY, UNVERIFIED_ENTITY):
                if finding.severity != Severity.INFO:
                    kept.append(finding)
                continue
            action = self.profile.action_for(finding.entity, finding.variant, finding.severity.value)
            override = overrides.get(keys.get(id(finding)))
            if override is not None and override.replacement is not None:
                action = Action("replace")
            if action.kind == "keep":
                if finding.severity != Severity.INFO:
                    kept.append(finding)
                continue
            spans = taken.setdefault(id(finding.anchor), [])
            if finding.anchor is not None and any(s < finding.end and finding.start < e for s, e in spans):
                continue          # overlaps a value already being replaced
            spans.append((finding.start, finding.end))
            replacement = override.replacement if action.kind == "replace" else self._replacement(finding, action)
            edits.append(Edit(finding, action.kind, replacement, segment_texts.get(id(finding.anchor), finding.text)))
        return edits, kept

    def _replacement(self, finding: Finding, action: Action) -> str:
        if action.kind == "drop":
            return ""
        if action.kind == "generalise":
            return operators.generalise_address(finding.text, finding.attrs, action.level)
        if action.style == "name":
            return operators.mask_name(finding.text, self.compound_surnames)
        if action.keep_prefix or action.keep_suffix:
            return operators.mask_keep(finding.text, action.keep_prefix, action.keep_suffix)
        return mask_value(finding.text, self.checker.policy.mask_spec(finding.entity))

    # -- write, verify, rename ------------------------------------------------------------------
    def _write(self, document, result: RedactionResult) -> None:
        output = result.output
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=f".tmp{output.suffix}",
                                             dir=output.parent)
        os.close(handle)
        temp = Path(temp_name)
        try:
            if result.unchanged:
                shutil.copyfile(result.input, temp)
            else:
                document.save(temp)
            remaining = self._verify(temp, allowed={(f.entity, f.text) for f in result.kept_by_reviewer})
            leftovers = getattr(document, "leftovers", None)
            if leftovers is not None and not result.unchanged:
                remaining += [edit.finding for edit in leftovers(temp)]
            if remaining:
                shown = "；".join(f"{f.location} {f.label}（{mask_value(f.text, self.checker.policy.mask_spec(f.entity))}）"
                                 for f in remaining[:10])
                raise VerificationFailed(
                    f"校验未通过：去标识化后的文件中仍有 {len(remaining)} 处必须处理的内容：{shown}。"
                    "已删除输出文件，请人工处理后再试", code="verification_failed")
            os.replace(temp, output)
            result.written = True
            result.output_sha256 = _sha256(output)
        finally:
            if temp.exists():
                temp.unlink()

    def _verify(self, path: Path, allowed: set[tuple[str, str]] = frozenset()) -> list[Finding]:
        """Block-level findings left in the output, except values a reviewer decided to keep."""
        checked = self.checker.check_file(path)
        if checked.error:
            raise VerificationFailed(f"校验未通过：无法重新读取输出文件（{checked.error}），已删除输出文件",
                                     code="verification_failed")
        return [f for f in checked.findings if f.severity == Severity.BLOCK and (f.entity, f.text) not in allowed]


def _refuse_markings(findings: list[Finding]) -> None:
    marks = [f for f in findings if f.entity == MARKING_ENTITY and f.severity == Severity.BLOCK]
    if marks:
        shown = "；".join(f"{f.location}「{f.text}」" for f in marks[:5])
        raise RedactionRefused(
            f"拒绝去标识化：文件含密级或不予公开标志（{shown}）。密级标志不能被“涂掉”：该文件须先按规定办理解密，"
            "或确认标志有误并更正后，再行处理", code="classification_marking")


def _check_output(source: Path, output: Path, force: bool) -> None:
    if output.resolve() == source.resolve():
        raise ReadError("输出文件不能与原文件相同：去标识化从不修改原文件，请用 -o 指定另一个文件名", code="bad_output")
    folder = output.parent
    if not folder.is_dir():
        raise ReadError(f"输出目录不存在：{folder}", code="bad_output")
    if not os.access(folder, os.W_OK):
        raise ReadError(f"输出目录没有写入权限：{folder}", code="bad_output")
    if output.exists() and not force:
        raise ReadError(f"输出文件已存在：{output}。如需覆盖，请加 --force", code="output_exists")
    if output.is_dir():
        raise ReadError(f"输出路径是一个文件夹：{output}", code="bad_output")


check_output = _check_output     # public: `prepub review` checks the output path before the session starts


def _check_modern_suffix(output: Path, target: str) -> None:
    if output.suffix.lower() != f".{target}":
        raise ReadError(f"旧版文档去标识化后输出为 .{target} 格式，输出文件名请以 .{target} 结尾：{output}",
                        code="bad_output")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
