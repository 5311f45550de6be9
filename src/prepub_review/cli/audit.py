"""`prepub audit …`: read, verify and export the 保密审查记录 (the audit database).

Exit codes: 0 ok; 1 `verify` found the chain broken; 2 usage error or the database cannot be read.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from prepub_review.cli import EXIT_FINDINGS, EXIT_OK, cli, console

audit_db_option = click.option(
    "--audit-db", type=click.Path(path_type=Path, dir_okay=False),
    help="审查记录库路径（默认：环境变量 PREPUB_AUDIT_DB，或配置文件 audit_db，或 ~/.local/share/prepub/audit.sqlite3）。")
since_option = click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
                            help="只列出该日期（本地时间，YYYY-MM-DD）及以后的记录。")


@cli.group()
def audit() -> None:
    """保密审查记录：查看、校验和导出（台账）。"""


def open_log(audit_db: Path | None):
    from prepub_review.act.audit import AuditLog
    from prepub_review.config import audit_db_path

    return AuditLog(audit_db_path(audit_db), create=False)


def since_utc(since: datetime | None) -> str | None:
    """A local calendar date -> the UTC instant of its local midnight, as stored (…Z)."""
    if since is None:
        return None
    return since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@audit.command()
@audit_db_option
def head(audit_db: Path | None) -> None:
    """显示链头（最后一条记录的序号和哈希）。请另行保存，以便日后用 verify --head 发现截断。"""
    log = open_log(audit_db)
    current = log.head()
    out = console(sys.stdout)
    out.print(f"审查记录库：{log.path}")
    out.print(f"链头：第 {current.seq} 号记录" if current.seq else "链头：空库（尚无记录）")
    click.echo(str(current))


@audit.command()
@audit_db_option
@click.option("--head", "saved_head", metavar="SEQ:HASH", help="另行保存的链头；可发现链尾被截断或整体改写。")
def verify(audit_db: Path | None, saved_head: str | None) -> None:
    """重新计算哈希链，指出第一条被改动、删除或调换的记录。"""
    from prepub_review.act.audit import parse_head
    from prepub_review.act.audit import verify as verify_chain

    if saved_head:
        try:
            parse_head(saved_head)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--head") from None
    log = open_log(audit_db)
    result = verify_chain(log, saved_head)
    out = console(sys.stdout)
    for warning in result.warnings:
        out.print(f"[yellow]注意：{warning}[/]")
    if result.ok:
        out.print(f"✓ 审查记录链完整：共 {result.count} 条记录，链头 {result.head}")
        sys.exit(EXIT_OK)
    out.print(f"[red]✗ 审查记录链已被破坏[/]（前 {result.count} 条完好）")
    out.print(result.problem.describe(), markup=False)
    click.echo(f"problem: {result.problem.kind} seq={result.problem.seq}")
    sys.exit(EXIT_FINDINGS)


@audit.command(name="list")
@audit_db_option
@since_option
def list_records(audit_db: Path | None, since: datetime | None) -> None:
    """列出审查记录。"""
    from rich.table import Table

    from prepub_review.act.audit.export import ledger_row

    records = open_log(audit_db).records(since_utc(since))
    out = console(sys.stdout)
    if not records:
        out.print("没有审查记录。")
        return
    columns = ["序号", "审查时间", "类型", "文件名称", "标题/文号", "审查人", "审查结论", "发现项数"]
    table = Table(*columns)
    for stored in records:
        row = ledger_row(stored) | {"审查时间": stored.record.recorded_local[:16].replace("T", " ")}
        table.add_row(*(str(row[column]) for column in columns))
    out.print(table)


@audit.command()
@audit_db_option
@click.argument("seq", type=click.IntRange(min=1), metavar="ID")
def show(audit_db: Path | None, seq: int) -> None:
    """显示一条审查记录及其发现项（值均为脱敏值）。"""
    from rich.table import Table

    from prepub_review.act.audit.export import FINDING_COLUMNS, finding_lines, ledger_row

    stored = open_log(audit_db).get(seq)
    if stored is None:
        from prepub_review.act.audit import AuditError

        raise AuditError(f"没有第 {seq} 号审查记录")
    out = console(sys.stdout)
    fields = Table.grid(padding=(0, 2))
    fields.add_column(no_wrap=True)
    fields.add_column(overflow="fold")
    for name, value in ledger_row(stored).items():
        fields.add_row(name, str(value))
    fields.add_row("前一哈希", stored.prev_hash)
    out.print(fields)
    if stored.record.findings:
        table = Table(*FINDING_COLUMNS[1:9], title="发现项")
        for line in finding_lines(stored):
            table.add_row(*(str(v) for v in line[1:9]))
        out.print(table)


@audit.command()
@audit_db_option
@since_option
@click.option("--format", "output_format", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True, help="导出格式。csv 为带 BOM 的 UTF-8（Excel 可直接打开）。")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出文件（csv/json 默认输出到屏幕；xlsx 必须指定）。")
def export(audit_db: Path | None, since: datetime | None, output_format: str, output: Path | None) -> None:
    """导出保密审查台账（中文表头）。"""
    from prepub_review.act.audit import export as ledger

    if output_format == "xlsx" and output is None:
        raise click.UsageError("导出 xlsx 须用 -o 指定输出文件")
    from prepub_review.act.audit import AuditError

    records = open_log(audit_db).records(since_utc(since))
    try:
        if output_format == "xlsx":
            ledger.write_xlsx(records, output)
        else:
            text = ledger.to_csv(records) if output_format == "csv" else ledger.to_json(records)
            if output is None:
                sys.stdout.write(text)
            else:
                output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise AuditError(f"无法写入 {output}：{exc.strerror}") from None
    if output is not None:
        click.echo(f"已导出 {len(records)} 条记录到 {output}", err=True)
