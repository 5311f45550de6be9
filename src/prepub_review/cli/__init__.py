"""The `prepub` command. Chinese-first for people, stable English keys for machines.

Exit codes (like ruff/gitleaks, stable):
  0  no document is `block` or `error` (with --fail-on review: nor `review`)
  1  some document is `block` (or `review` with --fail-on review)
  2  usage error, rules error, or some document could not be read (`error`)
"""

from __future__ import annotations

import logging
import sys

import click

from prepub_review import __version__
from prepub_review.errors import PrepubError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def console(stream):
    """A rich console for people: no syntax highlighting, long lines wrap softly."""
    from rich.console import Console

    return Console(file=stream, highlight=False, soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="prepub")
@click.option("--debug", is_flag=True, help="出错时显示调试信息（开发者用）。")
def cli(debug: bool) -> None:
    """prepub：政府信息公开发布前的个人信息与保密审查工具。"""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(message)s")


def _register_commands() -> None:
    # Each command lives in its own module; imported here so `prepub --help` lists them all.
    from prepub_review.cli import (
        approvals,  # noqa: F401
        audit,  # noqa: F401
        check,  # noqa: F401
        redact,  # noqa: F401
        review,  # noqa: F401
    )


def main() -> None:
    """Entry point: user errors become a Chinese message and exit 2, never a traceback."""
    _register_commands()
    try:
        cli.main(standalone_mode=False, prog_name="prepub")
    except click.exceptions.NoArgsIsHelpError:
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
    except Exception as exc:  # a bug: say so plainly; the traceback only with --debug
        logging.getLogger("prepub").debug("internal error", exc_info=True)
        click.echo(f"内部错误：{type(exc).__name__}: {exc}\n请加 --debug 重新运行并把输出反馈给维护人员。", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)
