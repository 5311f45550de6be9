"""`prepub approvals …`: the site's approvals file (已审批保留 and 历史遗留待整改 entries).

Exit codes: 0 ok; 1 `verify` found a problem; 2 usage error or an unreadable file.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from prepub_review.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, cli

approvals_option = click.option(
    "--approvals", "approvals_path", type=click.Path(path_type=Path, dir_okay=False),
    help="审批文件（默认：当前目录所在 git 仓库根目录的 .prepub-approvals.json）。")


@cli.group()
def approvals() -> None:
    """网站仓库中的审批文件：查看、清理过期审批、对照审查记录校验、接入历史遗留页面。"""


def _path(approvals_path: Path | None, start: Path = Path(".")) -> Path:
    from prepub_review.site.approvals import default_path

    found = approvals_path or default_path([start])
    if found is None:
        raise click.UsageError("不在 git 仓库中：请用 --approvals 指明审批文件")
    return found


def _load(approvals_path: Path | None, start: Path = Path(".")):
    from prepub_review.site.approvals import load

    path = _path(approvals_path, start)
    if not path.exists():
        raise click.UsageError(f"找不到审批文件：{path}")
    return load(path)


@approvals.command("list")
@approvals_option
def list_approvals(approvals_path: Path | None) -> None:
    """列出审批文件中的每一条（已审批保留 / 历史遗留待整改）。"""
    loaded = _load(approvals_path)
    click.echo(f"审批文件 {loaded.path}：{len(loaded.approvals)} 条")
    for a in loaded.approvals:
        click.echo(f"  {a.path}  {a.label or a.entity}（{a.rule_id}，{a.fingerprint[:8]}…）  {a.describe()}")


@approvals.command()
@approvals_option
@click.option("--audit-db", type=click.Path(path_type=Path, dir_okay=False),
              help="审查记录库（默认同 prepub audit；CI 上没有记录库，由保存它的人运行）。")
def verify(approvals_path: Path | None, audit_db: Path | None) -> None:
    """确认每条已审批保留都指向审查记录库中真实存在、未被改动的审查记录。"""
    from prepub_review.act.audit import AuditLog
    from prepub_review.config import audit_db_path
    from prepub_review.site.approval_records import verify_against_audit

    loaded = _load(approvals_path)
    audit_db = audit_db_path(audit_db)
    problems, chain_problem = verify_against_audit(loaded, AuditLog(audit_db, create=False))
    if chain_problem:
        click.echo(f"✗ 审查记录链已被破坏：{chain_problem}")
    for problem in problems:
        click.echo(f"✗ {problem}")
    checked = sum(1 for a in loaded.approvals if a.status == "approved")
    if problems or chain_problem:
        sys.exit(EXIT_FINDINGS)
    click.echo(f"✓ {checked} 条已审批保留均指向完好审查记录链中的审查记录（{audit_db}）")
    sys.exit(EXIT_OK)


def _site_run(paths, approvals_path, jobs, cache_dir):
    """Check `paths` as `prepub check` does, with the approvals file; yields annotated documents."""
    from prepub_review.cli.check import gate_setup

    run = gate_setup(paths, None, 256, approvals_path, cache_dir, None, raw=False, jobs=jobs)
    if run.approvals is None:
        from prepub_review.site.approvals import new_file

        run.approvals = new_file(_path(approvals_path, Path(paths[0])))
    return run


@approvals.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@approvals_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="并行进程数（默认全部 CPU 核）。")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), help="同 prepub check --cache。")
def prune(paths: tuple[Path, ...], approvals_path: Path | None, jobs: int | None, cache_dir: Path | None) -> None:
    """重新审查（默认审查审批文件所在的仓库），删除已不匹配任何发现项的过期审批。"""
    loaded = _load(approvals_path, Path(paths[0]) if paths else Path("."))
    run = _site_run(paths or (loaded.root,), loaded.path, jobs, cache_dir)
    with run.pool() as pool:
        for _ in run.documents(pool):
            pass
    stale = {a.key for a in run.matcher.stale()}
    unmatched = {a.key for a in run.approvals.approvals if a.key not in run.matcher.matched}
    remove = stale | (unmatched if not paths else set())
    run.approvals.approvals = [a for a in run.approvals.approvals if a.key not in remove]
    run.approvals.save()
    click.echo(f"已删除 {len(remove)} 条过期审批，保留 {len(run.approvals.approvals)} 条（{run.approvals.path}）")


@approvals.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@approvals_option
@click.option("--reviewer", help="登记人（默认取 PREPUB_REVIEWER 或配置文件中的 reviewer:）。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="并行进程数（默认全部 CPU 核）。")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), help="同 prepub check --cache。")
def adopt(paths: tuple[Path, ...], approvals_path: Path | None, reviewer: str | None, jobs: int | None,
          cache_dir: Path | None) -> None:
    """接入已有网站：把今天查出的阻止/复核项登记为「历史遗留待整改」——不阻止发布，但每份报告都计数列出。"""
    from prepub_review import config
    from prepub_review.models import Severity
    from prepub_review.site.approvals import LEGACY, Approval

    reviewer = (reviewer or "").strip() or config.default_reviewer(config.load_config()) or ""
    run = _site_run(paths, approvals_path, jobs, cache_dir)
    today, entries, unreadable = date.today().isoformat(), [], []
    with run.pool() as pool:
        for site_doc in run.documents(pool):
            if site_doc.doc.error:
                unreadable.append(f"{site_doc.doc.path}：{site_doc.doc.error}")
            for index, finding in enumerate(site_doc.doc.findings):
                if index in site_doc.approvals or finding.severity is Severity.INFO:
                    continue
                entries.append(Approval(path=site_doc.relative_path, entity=finding.entity, rule_id=finding.rule_id,
                                        fingerprint=finding.fingerprint, status=LEGACY, reviewer=reviewer,
                                        reason="历史遗留待整改（prepub approvals adopt 登记）", date=today,
                                        label=finding.label))
    run.approvals.add(entries)
    run.approvals.save()
    click.echo(f"已登记历史遗留待整改 {len(entries)} 项（{run.approvals.path}）。它们不阻止发布，但每次审查都会计数列出。")
    for line in unreadable:
        click.echo(f"无法审查（未登记，仍会使审查失败）：{line}", err=True)
    sys.exit(EXIT_ERROR if unreadable else EXIT_OK)
