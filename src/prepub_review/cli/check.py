"""`prepub check`: read → detect → decide → report, for files and directories."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prepub_review.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, cli, console


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式：text 供人阅读，json 供程序处理（stdout 仅输出一个 JSON 对象）。")
@click.option("--reveal", is_flag=True, help="显示原始值（默认脱敏显示，如 330483********1234）。")
@click.option("--fail-on", type=click.Choice(["block", "review"]), default="block", show_default=True,
              help="哪一级结论使退出码为 1。")
@click.option("--show-info", is_flag=True, help="同时列出提示级信息（公职人员履职信息、机关联系电话等）。")
@click.option("--quiet", "-q", is_flag=True, help="只列出有问题的文件。")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
              help="自定义规则目录：同名文件覆盖内置规则。")
@click.option("--max-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="单个文件大小上限（MB），超过则报错而不审查。")
@click.option("--no-progress", is_flag=True, help="不显示进度条。")
@click.option("--audit", is_flag=True, help="为每个文件追加一条审查记录（见 prepub audit）。")
@click.option("--audit-db", type=click.Path(path_type=Path, dir_okay=False),
              help="审查记录库路径（隐含 --audit；默认见 prepub audit --help）。")
def check(paths: tuple[Path, ...], output_format: str, reveal: bool, fail_on: str, show_info: bool,
          quiet: bool, rules_dir: Path | None, max_size: int, no_progress: bool, audit: bool,
          audit_db: Path | None) -> None:
    """审查文件或目录（递归），报告不得公开的个人信息和密级标志。"""
    from prepub_review.act import report_json, report_terminal
    from prepub_review.act.present import Presenter
    from prepub_review.models import DocumentResult, Verdict
    from prepub_review.pipeline import Checker
    from prepub_review.formats.base import Limits, MiB
    from prepub_review.formats.walk import expand_paths

    checker = Checker(rules_dir=rules_dir, limits=Limits(max_file_bytes=max_size * MiB))
    walked = expand_paths(paths)
    unreadable = [DocumentResult(path=str(p.path), verdict=Verdict.ERROR, error=p.message, error_code=p.code)
                  for p in walked.problems]
    presenter = Presenter(checker.policy, reveal=reveal)
    out = console(sys.stdout)
    results = []
    with ProgressBar(len(walked.files), enabled=not no_progress) as advance:
        for path in walked.files:
            doc = checker.check_file(path)
            results.append(doc)
            if output_format == "text" and not (quiet and doc.verdict is Verdict.PASS):
                report_terminal.print_document(out, doc, presenter, show_info)
            advance()
    results.extend(unreadable)
    skipped = [{"path": str(p), "reason": "格式不支持，未审查"} for p in walked.unsupported]
    if output_format == "json":
        click.echo(report_json.render(results, skipped, presenter))
    else:
        for doc in unreadable:
            report_terminal.print_document(out, doc, presenter, show_info)
        report_terminal.print_summary(out, results, skipped)
        if not results:
            out.print("没有找到可审查的文件。")
    if audit or audit_db:
        append_audit_records(results, checker, audit_db)
    sys.exit(exit_code(results, fail_on))


def append_audit_records(results, checker, audit_db: Path | None) -> None:
    """One `check` record per document; the record numbers go to stderr (stdout may be JSON)."""
    from prepub_review.act.audit import check_record, open_for_writing
    from prepub_review.act.audit.build import first_lines

    log, value_key = open_for_writing(audit_db)
    digest = checker.rules.digest()
    seqs = []
    for doc in results:
        lines = first_lines(Path(doc.path), checker.limits) if doc.error is None else []
        seqs.append(log.append(check_record(doc, checker.policy, digest, value_key, lines)).seq)
    if seqs:
        numbers = "、".join(map(str, seqs)) if len(seqs) <= 10 else f"{seqs[0]} … {seqs[-1]}"
        click.echo(f"已写入 {len(seqs)} 条审查记录（第 {numbers} 号，{log.path}）", err=True)


def exit_code(results, fail_on: str) -> int:
    verdicts = {doc.verdict.value for doc in results}
    if "error" in verdicts:
        return EXIT_ERROR
    if "block" in verdicts or (fail_on == "review" and "review" in verdicts):
        return EXIT_FINDINGS
    return EXIT_OK


class ProgressBar:
    """A progress bar on stderr when checking many files in a terminal; a no-op otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 1 and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import Progress

        self.bar = Progress(console=console(sys.stderr), transient=True)
        self.bar.start()
        task = self.bar.add_task("审查中", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


