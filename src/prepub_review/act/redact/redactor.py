"""Orchestrates one redaction over a document opened once for editing:
open (formats.open_document) -> check it (the same Checker as `prepub check`) -> plan (profile,
reviewer's overrides) -> clean -> apply the edits -> save to a temp file beside the output ->
verify the temp file with the same checker -> atomic rename -> summary.

`prepub redact` does all of it in `redact()`; `prepub review` opens and checks the document once
(`open_checked`), shows the plan as proposals (`plan`), and then `write`s the same open document.
Edits refer to the findings directly; a reviewer's overrides are keyed by the finding's index in
the checked document's findings. The original is never written to; nothing is left behind when
anything fails. The output gets the input's permission bits.
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
from prepub_review.act.present import Presenter
from prepub_review.text import shown_place
from prepub_review.act.redact import operators
from prepub_review.act.redact.plan import Override
from prepub_review.act.redact.profiles import Action, Profile
from prepub_review.entities import CLASSIFICATION_MARK, UNVERIFIED_CONTENT
from prepub_review.errors import ReadError, RedactionRefused, VerificationFailed
from prepub_review.formats import registry
from prepub_review.formats.base import FileNameAnchor
from prepub_review.formats.document import Document, open_document
from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.models import DocumentResult, Finding, Severity
from prepub_review.pipeline import Checker

SUFFIX = ".去标识化"


@dataclass
class Plan:
    """What the profile (and a reviewer's overrides) will do with the findings of one document."""

    edits: list[Edit] = field(default_factory=list)
    kept: list[Finding] = field(default_factory=list)              # review/block findings the profile keeps
    kept_by_reviewer: list[Finding] = field(default_factory=list)  # findings an override keeps as they are
    cleaned: list[Finding] = field(default_factory=list)           # in content clean() removes
    covered: list[Finding] = field(default_factory=list)           # inside a value already being replaced
    edit_of: dict[int, Edit] = field(default_factory=dict)         # finding index -> its edit
    fate: dict[int, str] = field(default_factory=dict)  # finding index -> edit|kept|reviewer|cleaned|covered|info


    def keep(self, index: int, finding: Finding) -> None:
        """The value stays as it is; review/block ones are listed for a person to look at."""
        if finding.severity != Severity.INFO:
            self.kept.append(finding)
        self.fate[index] = "kept"


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
    findings: list[Finding] = field(default_factory=list)    # every judged finding of the document it edited
    unplaced: list[Edit] = field(default_factory=list)
    unchanged: bool = False
    written: bool = False
    input_sha256: str = ""
    output_sha256: str = ""
    output_first_lines: list[str] = field(default_factory=list)   # of the written copy, read when verifying
    renamed: dict[str, str] = field(default_factory=dict)   # names quoted in locations, as shown (masked)

    def where(self, finding: Finding) -> str:
        """The finding's location as shown: a sheet or file named after a person is masked."""
        return shown_place(finding.location, self.renamed)


def default_output(path: Path, stem: str | None = None) -> Path:
    """draft.docx -> draft.去标识化.docx. A legacy draft.doc is written as .docx and keeps its own
    suffix in the name, draft.doc.去标识化.docx, so it never collides with the copy of a draft.docx.
    `stem`: the name to use instead of the draft's own (without its suffix)."""
    stem = path.stem if stem is None else stem
    converted = registry.converted_suffix(path.suffix)
    if converted:
        return path.with_name(f"{stem}{path.suffix}{SUFFIX}{converted}")
    return path.with_name(f"{stem}{SUFFIX}{path.suffix}")


# Characters a mask may bring that Windows does not allow in a file name: their full-width forms.
_NAME_SAFE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in '*?"<>|:/\\'})


def names_file(edit: Edit) -> bool:
    """Does the edit change the file's name (not its content)?"""
    return isinstance(edit.finding.anchor, FileNameAnchor)


def stem_with_edits(stem: str, edits: list[Edit]) -> str:
    """The file name `stem` with the edits of its values made (right to left), kept a valid file name."""
    for edit in sorted(edits, key=lambda e: e.finding.start, reverse=True):
        stem = stem[:edit.finding.start] + edit.replacement.translate(_NAME_SAFE) + stem[edit.finding.end:]
    return stem.strip() or "已去标识化"


class Redactor:
    def __init__(self, checker: Checker, profile: Profile):
        self.checker = checker
        self.profile = profile
        self.compound_surnames = frozenset(w for w in checker.rules.words("surnames.txt") if len(w) == 2)

    # -- open once --------------------------------------------------------------------------------
    def open_checked(self, source: Path) -> tuple[Document, DocumentResult]:
        """The document opened for editing (the caller closes it) and its check, read once."""
        document = open_document(Path(source), self.checker.limits, editable=True)
        try:
            checked = self.checker.check_document(document, keep_segments=True)
        except BaseException:
            document.close()
            raise
        if checked.error:
            document.close()
            raise ReadError(checked.error, code=checked.error_code)
        return document, checked

    def redact(self, source: Path, output: Path, *, force: bool = False, dry_run: bool = False,
               overrides: Mapping[int, Override] | None = None) -> RedactionResult:
        """`prepub redact`: open and check `source` once, then write() it."""
        document, checked = self.open_checked(source)
        with document:
            return self.write(document, checked, output, force=force, dry_run=dry_run, overrides=overrides)

    def write(self, document: Document, checked: DocumentResult, output: Path | None, *, force: bool = False,
              dry_run: bool = False, overrides: Mapping[int, Override] | None = None) -> RedactionResult:
        """Clean and edit the open document and write it to `output` (verified, atomic), or None: the
        default name beside it (`output_path`).

        `overrides` are a reviewer's decisions (`prepub review`) by finding index; findings without
        one get the profile's action. A value the reviewer keeps may remain when the output is
        verified, and a marking the reviewer keeps does not refuse the run."""
        source = document.path
        spec = registry.spec_of(document.format)
        plan = self.plan(document, checked, overrides)
        renamed = Presenter(self.checker.policy).renamed(checked.findings)
        output = self.output_path(source, output, plan.edits)
        if not dry_run:
            _check_output(source, output, force)
            if spec.converts_to:
                _check_modern_suffix(output, spec.converts_to)
        refusal = getattr(document, "cannot_edit", lambda: None)()
        if refusal is not None:
            raise refusal
        _refuse_markings(plan.kept)       # a marking neither cleaned away nor kept by the reviewer
        result = RedactionResult(source, output, document.format, self.profile.name, edits=plan.edits, kept=plan.kept,
                                 kept_by_reviewer=plan.kept_by_reviewer, findings=checked.findings, renamed=renamed)
        result.cleanings = document.clean()
        result.unplaced, extra = document.apply([edit for edit in result.edits if not names_file(edit)])
        result.cleanings += extra
        if result.unplaced:             # a rehearsal (dry_run) says so too
            raise self._unplaced_error(result)
        result.input_sha256 = _sha256(source)
        result.unchanged = not result.edits and not result.cleanings
        if not dry_run:
            self._write(document, result)
        return result

    def output_path(self, source: Path, output: Path | None, edits: list[Edit]) -> Path:
        """Where the copy goes: `output`, or beside `source` under the default name with the edits of
        the file's own name made (a file's name is published with it). A given name that still holds
        a value the edits take out of the file's name is refused."""
        named = [edit for edit in edits if names_file(edit)]
        if output is None:
            return default_output(source, stem_with_edits(source.stem, named) if named else None)
        output = Path(output)
        left = [edit.finding for edit in named if edit.finding.text in output.name]
        if left:
            shown = "；".join(f"{f.label}（{self._masked(f)}）" for f in left[:5])
            raise RedactionRefused(
                f"输出文件名仍含个人信息：{shown}。文件名会随文件一起公开；请另取输出文件名，"
                "或不指定 -o，由本工具按去标识化后的名称命名", code="output_name")
        return output

    # -- decide: what the profile does with each finding -----------------------------------------
    def proposal(self, finding: Finding) -> tuple[Action, str]:
        """What the profile does with one finding and the text that would replace it ("" = removed)."""
        action = self.profile.action_for(finding.entity, finding.variant, finding.severity.value)
        replacement = finding.text if action.kind == "keep" else self._replacement(finding, action)
        return action, replacement

    def plan(self, document: Document, checked: DocumentResult,
             overrides: Mapping[int, Override] | None = None) -> Plan:
        """The edits for the checked findings (pure: the document is not changed)."""
        overrides = overrides or {}
        texts = {segment.anchor: segment.text for segment in checked.segments if segment.anchor is not None}
        plan = Plan()
        taken: dict[object, list[tuple[int, int]]] = {}
        order = sorted(range(len(checked.findings)), key=lambda i: _reading_key(checked.findings[i]))
        for index in order:
            finding = checked.findings[index]
            override = overrides.get(index)
            if override is not None and override.keep:
                plan.kept_by_reviewer.append(finding)
                plan.fate[index] = "reviewer"
                continue
            if not isinstance(finding.anchor, FileNameAnchor) and document.cleaned(finding):
                plan.cleaned.append(finding)
                plan.fate[index] = "cleaned"
                continue
            if finding.entity in (CLASSIFICATION_MARK, UNVERIFIED_CONTENT):
                plan.keep(index, finding)
                continue
            action = self.profile.action_for(finding.entity, finding.variant, finding.severity.value)
            if override is not None and override.replacement is not None:
                action = Action("replace")
            if action.kind == "keep":
                plan.keep(index, finding)
                continue
            spans = taken.setdefault(finding.anchor, [])
            if finding.anchor is not None and any(s < finding.end and finding.start < e for s, e in spans):
                plan.covered.append(finding)       # overlaps a value already being replaced
                plan.fate[index] = "covered"
                continue
            spans.append((finding.start, finding.end))
            replacement = override.replacement if action.kind == "replace" else self._replacement(finding, action)
            edit = Edit(finding, action.kind, replacement, texts.get(finding.anchor, finding.text))
            plan.edits.append(edit)
            plan.edit_of[index] = edit
            plan.fate[index] = "edit"
        return plan

    def _replacement(self, finding: Finding, action: Action) -> str:
        if action.kind == "drop":
            return ""
        if action.kind == "generalise":
            return operators.generalise_address(finding.text, finding.attrs, action.level)
        if action.style == "name":
            return operators.mask_name(finding.text, self.compound_surnames)
        if action.style == "display":
            return mask_value(finding.text, self.checker.policy.mask_spec(finding.entity, finding.variant))
        return operators.mask_keep(finding.text, action.keep_prefix, action.keep_suffix)

    def _unplaced_error(self, result: RedactionResult) -> VerificationFailed:
        """Edits the writer could not make: never reported as done. (A block-level value left in place
        would fail verification too; a review-level one would not.)"""
        unplaced = result.unplaced
        shown = "；".join(f"{result.where(e.finding)} {e.finding.label}（{self._masked(e.finding)}）"
                         for e in unplaced[:10])
        return VerificationFailed(
            f"无法在原处修改 {len(unplaced)} 处：{shown}。本工具不能编辑这些位置，未写出输出文件；"
            "请在原文件中手工修改或删除这些内容后再试", code="unplaced_edits")

    def _masked(self, finding: Finding) -> str:
        return mask_value(finding.text, self.checker.policy.mask_spec(finding.entity, finding.variant))

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
            remaining = self._verify(temp, result, allowed={(f.entity, f.text) for f in result.kept_by_reviewer})
            leftovers = getattr(document, "leftovers", None)
            if leftovers is not None and not result.unchanged:
                remaining += [edit.finding for edit in leftovers(temp)]
            if remaining:
                shown = "；".join(f"{result.where(f)} {f.label}（{self._masked(f)}）" for f in remaining[:10])
                raise VerificationFailed(
                    f"校验未通过：去标识化后的文件中仍有 {len(remaining)} 处必须处理的内容：{shown}。"
                    "已删除输出文件，请人工处理后再试", code="verification_failed")
            shutil.copymode(result.input, temp)        # a web server must be able to serve it as it did the input
            os.replace(temp, output)
            result.written = True
            result.output_sha256 = _sha256(output)
        finally:
            if temp.exists():
                temp.unlink()

    def _verify(self, path: Path, result: RedactionResult,
                allowed: set[tuple[str, str]] = frozenset()) -> list[Finding]:
        """Block-level findings left in the output, except values a reviewer decided to keep. The
        output's first lines are kept on `result` (the audit record's title and 文号: no second read)."""
        checked = self.checker.check_file(path)
        result.output_first_lines = checked.first_lines
        if checked.error:
            raise VerificationFailed(f"校验未通过：无法重新读取输出文件（{checked.error}），已删除输出文件",
                                     code="verification_failed")
        return [f for f in checked.findings if f.severity == Severity.BLOCK and (f.entity, f.text) not in allowed]


def _reading_key(finding: Finding) -> tuple:
    """Findings of one segment in order of position, the longer of two starting together first."""
    return (finding.location, finding.start, -(finding.end - finding.start))


def _refuse_markings(findings: list[Finding]) -> None:
    marks = [f for f in findings if f.entity == CLASSIFICATION_MARK and f.severity == Severity.BLOCK]
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
