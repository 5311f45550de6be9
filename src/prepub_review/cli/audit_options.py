"""The options of every command that writes or reads the audit trail."""

from __future__ import annotations

import click


def _remember_share_override(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.find_root().meta["prepub.allow_sqlite_on_share"] = True


def audit_db_options(function):
    """--audit-db PATH|postgresql://… and --i-know-sqlite-on-a-share (read back by `allow_sqlite_on_share`)."""
    function = click.option(
        "--i-know-sqlite-on-a-share", is_flag=True, expose_value=False, callback=_remember_share_override,
        help="允许把 SQLite 审查记录库放在网络共享上（只有一台电脑写入时；多台电脑请用 PostgreSQL）。")(function)
    return click.option(
        "--audit-db", metavar="PATH|postgresql://…",
        help="审查记录库：SQLite 文件路径，或 postgresql://用户@服务器/数据库（密码放在 ~/.pgpass 或 PGPASSWORD，"
             "不要写在命令行里）。默认：环境变量 PREPUB_AUDIT_DB，或配置文件 audit_db，"
             "或 ~/.local/share/prepub/audit.sqlite3。")(function)


def allow_sqlite_on_share() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().meta.get("prepub.allow_sqlite_on_share"))
