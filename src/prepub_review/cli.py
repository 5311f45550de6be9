"""The `prepub` command. Chinese-first for people, stable English keys for machines.

Exit codes (like ruff/gitleaks, stable):
  0  no document is `block` or `error` (with --fail-on review: nor `review`)
  1  some document is `block` (or `review` with --fail-on review)
  2  usage error, rules error, or some document could not be read (`error`)
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from prepub_review import __version__
from prepub_review.errors import PrepubError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="prepub")
@click.option("--debug", is_flag=True, help="出错时显示调试信息（开发者用）。")
def cli(debug: bool) -> None:
    """prepub：政府信息公开发布前的个人信息与保密审查工具。"""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(message)s")


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
def check(paths: tuple[Path, ...], output_format: str, reveal: bool, fail_on: str, show_info: bool,
          quiet: bool, rules_dir: Path | None, max_size: int, no_progress: bool) -> None:
    """审查文件或目录（递归），报告不得公开的个人信息和密级标志。"""
    from prepub_review.act import report_json, report_terminal
    from prepub_review.act.present import Presenter
    from prepub_review.models import Verdict
    from prepub_review.pipeline import Checker
    from prepub_review.read.base import MiB, Limits
    from prepub_review.read.walk import walk_paths

    checker = Checker(rules_dir=rules_dir, limits=Limits(max_file_bytes=max_size * MiB))
    walked = walk_paths(list(paths))
    presenter = Presenter(checker.policy, reveal=reveal)
    out = _console(sys.stdout)
    results = []
    with _progress(len(walked.files), enabled=not no_progress) as advance:
        for path in walked.files:
            doc = checker.check_file(path)
            results.append(doc)
            if output_format == "text" and not (quiet and doc.verdict is Verdict.PASS):
                report_terminal.print_document(out, doc, presenter, show_info)
            advance()
    results.extend(walked.errors)
    skipped = [{"path": str(p), "reason": reason} for p, reason in walked.skipped]
    if output_format == "json":
        click.echo(report_json.render(results, skipped, presenter))
    else:
        for doc in walked.errors:
            report_terminal.print_document(out, doc, presenter, show_info)
        report_terminal.print_summary(out, results, skipped)
        if not results:
            out.print("没有找到可审查的文件。")
    sys.exit(exit_code(results, fail_on))


def exit_code(results, fail_on: str) -> int:
    verdicts = {doc.verdict.value for doc in results}
    if "error" in verdicts:
        return EXIT_ERROR
    if "block" in verdicts or (fail_on == "review" and "review" in verdicts):
        return EXIT_FINDINGS
    return EXIT_OK


def _console(stream):
    from rich.console import Console

    return Console(file=stream, highlight=False, soft_wrap=True)


class _progress:
    """A progress bar on stderr when checking many files in a terminal; a no-op otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 1 and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import Progress

        self.bar = Progress(console=_console(sys.stderr), transient=True)
        self.bar.start()
        task = self.bar.add_task("审查中", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def main() -> None:
    """Entry point: user errors become a Chinese message and exit 2, never a traceback."""
    try:
        cli.main(standalone_mode=False, prog_name="prepub")
    except click.exceptions.NoArgsIsHelp:
        sys.exit(EXIT_OK)
    except click.UsageError as exc:
        hint = f"\n运行 `prepub {exc.ctx.info_name if exc.ctx and exc.ctx.parent else ''} --help` 查看用法。"
        click.echo(f"用法错误：{exc.format_message()}{hint.replace('  ', ' ')}", err=True)
        sys.exit(EXIT_ERROR)
    except click.Abort:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except PrepubError as exc:
        click.echo(f"错误：{exc.message}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    sys.exit(EXIT_OK)
