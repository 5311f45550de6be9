"""`prepub audit …`: read, verify, export and migrate the 保密审查记录 (the audit database).

Exit codes: 0 ok; 1 `verify` found the chain broken (or `migrate` could not confirm the copy);
2 usage error or the database cannot be read.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from prepub_review.cli import EXIT_FINDINGS, cli, console, write_utf8
from prepub_review.cli.audit_options import allow_sqlite_on_share, audit_db_options

since_option = click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
                            help="只列出该日期（本地时间，YYYY-MM-DD）及以后的记录。")
LIST_COLUMNS = ["序号", "审查时间", "类型", "文件名称", "标题/文号", "审查人", "审查结论", "发现项数"]


@cli.group()
def audit() -> None:
    """保密审查记录：查看、校验、导出（台账）和迁移到 PostgreSQL。"""


def open_log(audit_db: str | None):
    """The existing log (reading never creates one)."""
    from prepub_review.act.audit import open_log as open_audit_log

    return open_audit_log(audit_db, create=False, allow_share=allow_sqlite_on_share())


def since_utc(since: datetime | None) -> str | None:
    """A local calendar date -> the UTC instant of its local midnight, as stored (…Z)."""
    if since is None:
        return None
    return since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@audit.command()
@audit_db_options
def head(audit_db: str | None) -> None:
    """显示链头（最后一条记录的序号和哈希）。请另行保存，以便日后用 verify --head 发现截断。"""
    log = open_log(audit_db)
    current = log.head()
    out = console(sys.stdout)
    out.print(f"审查记录库：{log.location}", markup=False)
    out.print(f"链头：第 {current.seq} 号记录" if current.seq else "链头：空库（尚无记录）")
    click.echo(str(current))


@audit.command()
@audit_db_options
@click.option("--head", "saved_head", metavar="SEQ:HASH", help="另行保存的链头；可发现链尾被截断或整体改写。")
def verify(audit_db: str | None, saved_head: str | None) -> None:
    """重新计算哈希链，指出第一条被改动、删除或调换的记录。"""
    from prepub_review.act.audit import parse_head

    if saved_head:
        try:
            parse_head(saved_head)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--head") from None
    if not _print_verification(open_log(audit_db), saved_head):
        sys.exit(EXIT_FINDINGS)


def _print_verification(log, saved_head: str | None = None) -> bool:
    from prepub_review.act.audit import verify as verify_chain

    result = verify_chain(log, saved_head)
    out = console(sys.stdout)
    for warning in result.warnings:
        out.print(f"[yellow]注意：{warning}[/]")
    if result.ok:
        out.print(f"✓ 审查记录链完整：共 {result.count} 条记录，链头 {result.head}")
        return True
    out.print(f"[red]✗ 审查记录链已被破坏[/]（前 {result.count} 条完好）")
    out.print(result.problem.describe(), markup=False)
    click.echo(f"problem: {result.problem.kind} seq={result.problem.seq}")
    return False


@audit.command(name="list")
@audit_db_options
@since_option
def list_records(audit_db: str | None, since: datetime | None) -> None:
    """列出审查记录（终端中为表格，单元格自动换行；输出到管道或文件时每个字段一行）。"""
    from prepub_review.act.audit.export import ledger_row

    records = open_log(audit_db).records(since_utc(since))
    out = console(sys.stdout)
    if not records:
        out.print("没有审查记录。")
        return
    rows = [ledger_row(s) | {"审查时间": s.record.recorded_local[:16].replace("T", " ")} for s in records]
    print_rows(out, LIST_COLUMNS, [[row[c] for c in LIST_COLUMNS] for row in rows])


@audit.command()
@audit_db_options
@click.argument("seq", type=click.IntRange(min=1), metavar="ID")
def show(audit_db: str | None, seq: int) -> None:
    """显示一条审查记录及其发现项（值均为脱敏值）。"""
    from prepub_review.act.audit import AuditError
    from prepub_review.act.audit.export import FINDING_COLUMNS, finding_lines, ledger_row

    stored = open_log(audit_db).get(seq)
    if stored is None:
        raise AuditError(f"没有第 {seq} 号审查记录")
    out = console(sys.stdout)
    fields = ledger_row(stored) | {"前一哈希": stored.prev_hash}
    print_fields(out, fields.items())
    if stored.record.findings:
        out.print()
        out.print("发现项", style="bold")
        columns = FINDING_COLUMNS[1:10]   # without the record number and the keyed hash
        print_rows(out, columns, [line[1:10] for line in finding_lines(stored)])


def print_fields(out, fields) -> None:
    """Name and value, one per line; in a terminal long values wrap under themselves, never cut."""
    from rich.table import Table
    from rich.text import Text

    if not out.is_terminal:
        for name, value in fields:
            out.print(Text(f"{name}：{value}"))
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in fields:
        grid.add_row(name, str(value))
    out.print(grid)


def print_rows(out, columns: list[str], rows: list[list[object]]) -> None:
    """A table whose cells wrap (never cut) in a terminal; one field per line in a pipe or file."""
    from rich.table import Table

    if not out.is_terminal:
        for index, row in enumerate(rows):
            if index:
                out.print()
            print_fields(out, zip(columns, row, strict=True))
        return
    table = Table(*columns)
    for column in table.columns:
        column.overflow = "fold"
    for row in rows:
        table.add_row(*(str(v) for v in row))
    out.print(table)


@audit.command()
@audit_db_options
@since_option
@click.option("--format", "output_format", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True, help="导出格式。csv 为带 BOM 的 UTF-8（Excel 可直接打开）。")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="输出文件（csv/json 默认输出到屏幕；xlsx 必须指定）。")
def export(audit_db: str | None, since: datetime | None, output_format: str, output: Path | None) -> None:
    """导出保密审查台账（中文表头；csv 含逐项处理，xlsx 另有发现项明细表）。"""
    from prepub_review.act.audit import AuditError
    from prepub_review.act.audit import export as ledger

    if output_format == "xlsx" and output is None:
        raise click.UsageError("导出 xlsx 须用 -o 指定输出文件")
    records = open_log(audit_db).records(since_utc(since))
    try:
        if output_format == "xlsx":
            ledger.write_xlsx(records, output)
        else:
            text = ledger.to_csv(records) if output_format == "csv" else ledger.to_json(records)
            if output is None:
                write_utf8(text)
            else:
                output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise AuditError(f"无法写入 {output}：{exc.strerror}") from None
    if output is not None:
        click.echo(f"已导出 {len(records)} 条记录到 {output}", err=True)


@audit.command()
@click.option("--from", "source", required=True, metavar="FILE.sqlite3", help="现有的 SQLite 审查记录库。")
@click.option("--to", "target", required=True, metavar="postgresql://…",
              help="目标 PostgreSQL 数据库（其中尚无审查记录）。密码放在 ~/.pgpass 或 PGPASSWORD。")
def migrate(source: str, target: str) -> None:
    """把 SQLite 审查记录库原样迁移到 PostgreSQL，并在完成前校验复制后的哈希链。

    迁移前请让所有人停止写入原库。原库不会被修改。
    """
    from prepub_review.act.audit import AuditError, AuditLog, verify
    from prepub_review.config import audit_target, is_postgres_url

    if not is_postgres_url(target):
        raise click.BadParameter("目标须为 postgresql://… 地址", param_hint="--to")
    if is_postgres_url(source):
        raise click.BadParameter("来源须为 SQLite 审查记录库文件", param_hint="--from")
    old = AuditLog(audit_target(source), create=False, allow_share=True)   # reading it once, to move it off
    out = console(sys.stdout)
    checked = verify(old)
    if not checked.ok:
        out.print(f"[red]✗ 原库的哈希链已被破坏，未迁移[/]：{checked.problem.describe()}")
        sys.exit(EXIT_FINDINGS)
    new = AuditLog(target)
    copied = new.copy_chain(old.raw_rows())
    out.print(f"已复制 {copied} 条记录：{old.location} → {new.location}", markup=False)
    copy = verify(new)
    if not (copy.ok and copy.count == checked.count and copy.head == checked.head):
        why = copy.problem.describe() if copy.problem else f"共 {copy.count} 条，链头 {copy.head}"
        raise AuditError(f"复制后的哈希链与原库不符（{why}）。请检查目标库；原库未被修改")
    out.print(f"✓ 迁移完成并已校验：共 {copy.count} 条记录，链头 {copy.head}（与原库一致）")
    out.print("以后请用 --audit-db（或环境变量 PREPUB_AUDIT_DB、配置文件 audit_db）指向新库。")
