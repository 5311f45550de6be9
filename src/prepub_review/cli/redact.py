"""`prepub redact`: write a de-identified, format-preserving copy of one document.

Exit codes: 0 written and verified (or, with --dry-run, planned); 1 refused (classification
marking, an edit no writer can make in place) or verification failed; 2 usage, rules or read error
(bad input, bad output path).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from prepub_review.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, cli, console, write_utf8
from prepub_review.cli.audit_options import allow_sqlite_on_share, audit_db_options

ACTION_ZH = {"mask": "打码", "drop": "删除", "generalise": "泛化", "replace": "改写"}


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出文件（默认：原文件名.去标识化.扩展名，放在原文件旁）。")
@click.option("--profile", "profile_name", default="assistance-recipients", show_default=True,
              help="去标识化方案（rules/profiles/ 下的文件名，如 web-general）。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖它。")
@click.option("--dry-run", is_flag=True, help="只显示将做的修改，不写文件。")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 供人阅读，json 供程序处理。")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
              help="自定义规则目录：同名文件覆盖内置规则。")
@click.option("--audit", is_flag=True, help="写出后在审查记录库追加一条「去标识化」记录（见 prepub audit）。")
@audit_db_options
def redact(file: Path, output: Path | None, profile_name: str, force: bool, dry_run: bool, output_format: str,
           rules_dir: Path | None, audit: bool, audit_db: str | None) -> None:
    """生成去标识化副本：按方案处理个人信息，清除批注、修订、隐藏内容和文档属性，原文件不变。"""
    from prepub_review.act.redact.profiles import load_profile
    from prepub_review.act.redact.redactor import Redactor
    from prepub_review.errors import PrepubError, RedactionRefused, VerificationFailed
    from prepub_review.pipeline import Checker

    checker = Checker(rules_dir=rules_dir)
    redactor = Redactor(checker, load_profile(checker.rules, profile_name))
    try:
        result = redactor.redact(file, output, force=force, dry_run=dry_run)
    except (RedactionRefused, VerificationFailed) as exc:
        _fail(exc, output_format)
        sys.exit(EXIT_FINDINGS)
    except PrepubError as exc:
        _fail(exc, output_format)
        sys.exit(EXIT_ERROR)
    if output_format == "json":
        write_utf8(json.dumps(_as_json(result, redactor, dry_run), ensure_ascii=False, indent=2) + "\n")
    else:
        _print(result, redactor, dry_run)
    if (audit or audit_db) and result.written:
        _append_audit_record(result, checker, audit_db)
    sys.exit(EXIT_OK)


def _append_audit_record(result, checker, audit_db: str | None) -> None:
    from prepub_review.act.audit import load_title_marks, open_for_writing, redact_record

    log, value_key = open_for_writing(audit_db, allow_sqlite_on_share())
    lines = result.output_first_lines        # read when the copy was verified
    head = log.append(redact_record(result, checker.policy, checker.rules.digest(), value_key, lines,
                                    load_title_marks(checker.rules)))
    click.echo(f"已写入审查记录第 {head.seq} 号（{log.location}）", err=True)


def _fail(exc, output_format: str) -> None:
    if output_format == "json":
        failure = {"ok": False, "error": exc.message, "error_code": exc.code}
        write_utf8(json.dumps(failure, ensure_ascii=False) + "\n")
    click.echo(f"错误：{exc.message}", err=True)


def _shown(redactor, finding) -> str:
    from prepub_review.act.masking import mask_value

    return mask_value(finding.text, redactor.checker.policy.mask_spec(finding.entity, finding.variant))


def _as_json(result, redactor, dry_run: bool) -> dict:
    return {
        "ok": True, "dry_run": dry_run, "input": str(result.input), "output": str(result.output),
        "written": result.written, "unchanged": result.unchanged, "format": result.format,
        "profile": result.profile, "input_sha256": result.input_sha256, "output_sha256": result.output_sha256,
        "edits": [{"entity": e.finding.entity, "label": e.finding.label, "action": e.action,
                   "location": result.where(e.finding), "value_masked": _shown(redactor, e.finding),
                   "replacement": e.replacement} for e in result.edits],
        "cleaning": [{"code": c.code, "description": c.description, "count": c.count} for c in result.cleanings],
        "kept_for_review": [{"entity": f.entity, "label": f.label, "location": result.where(f), "reason": f.reason}
                            for f in result.kept],
    }


def _print(result, redactor, dry_run: bool) -> None:
    from prepub_review.act.redact.redactor import names_file

    out = console(sys.stdout)
    out.print(f"文件：{result.input}（方案：{result.profile}）")
    if result.unchanged:
        out.print("未发现需要处理的内容，文件无需修改" + ("。" if dry_run else "：输出与原文件内容相同。"))
    counts = Counter((e.finding.label, e.action) for e in result.edits)
    if counts:
        out.print("处理的个人信息：" + "，".join(f"{label}{ACTION_ZH[action]} {n} 处"
                                         for (label, action), n in counts.items()))
    for edit in result.edits:     # what is published, not a display mask of the original
        published = f" → {edit.replacement}" if edit.replacement else "（删除）"
        out.print(f"  {result.where(edit.finding)}  {edit.finding.label} {ACTION_ZH[edit.action]}{published}")
    for step in result.cleanings:
        out.print(f"清理：{step.description}")
    if any(names_file(edit) for edit in result.edits):
        out.print(f"[yellow]文件名含个人信息[/yellow]：输出文件名为「{result.output.name}」。"
                  "网页中指向此附件的链接请相应修改")
    for finding in result.kept:
        out.print(f"[yellow]保留，需人工审查[/yellow]：{result.where(finding)} {finding.label}：{finding.reason}")
    if dry_run:
        out.print("（演练模式：未写入任何文件）")
        return
    out.print(f"已写入并校验通过：{result.output}")
    out.print(f"SHA-256 原文件：{result.input_sha256}")
    out.print(f"SHA-256 输出：  {result.output_sha256}")
