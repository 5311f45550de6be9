"""The user's config file and where per-user files live.

    $PREPUB_CONFIG, else $XDG_CONFIG_HOME/prepub/config.yaml, else ~/.config/prepub/config.yaml

    audit_db: ~/审查记录/audit.sqlite3   # the audit database (relative paths: to this file),
                                         # or postgresql://user@host/db (password: ~/.pgpass)
    allow_sqlite_on_share: false         # true: accept a SQLite audit file on a network share
    audit_key: ~/.config/prepub/audit.key  # HMAC key for value hashes (default: next to this file)
    reviewer: 王某某                      # default 审查人 for `prepub review`

A missing file is an empty config; a malformed one is an error naming file, line and key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from prepub_review.errors import PrepubError, RulesError
from prepub_review.rules_loader import LineDict, check_known_keys, load_yaml_file, optional

KEYS = {"audit_db", "audit_key", "reviewer", "allow_sqlite_on_share"}
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ConfigError(PrepubError):
    code = "config_error"


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    audit_db: Path | str | None = None    # a path, or a postgresql:// URL (kept as text)
    audit_key: Path | None = None
    reviewer: str | None = None
    allow_sqlite_on_share: bool = False


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value and Path(value).is_absolute() else Path.home() / fallback


def config_path() -> Path:
    explicit = os.environ.get("PREPUB_CONFIG")
    return Path(explicit) if explicit else _xdg("XDG_CONFIG_HOME", ".config") / "prepub" / "config.yaml"


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "prepub"


def load_config(path: Path | None = None) -> Config:
    path = Path(path) if path else config_path()
    if not path.is_file():
        return Config(path=path)
    try:
        data = load_yaml_file(path)
        if data is None:
            return Config(path=path)
        if not isinstance(data, LineDict):
            raise ConfigError(f"配置文件 {path} 应为「键: 值」映射（可用的键：{', '.join(sorted(KEYS))}）")
        check_known_keys(data, KEYS)
        audit_db = optional(data, "audit_db", str, None)
        audit_key = optional(data, "audit_key", str, None)
        reviewer = optional(data, "reviewer", str, None)
        allow_share = optional(data, "allow_sqlite_on_share", bool, False)
    except RulesError as exc:   # same validation helpers as rules/; report it as a config error
        raise ConfigError(f"配置文件错误：{exc.message}") from None
    return Config(path=path, audit_db=audit_target(audit_db, path.parent), audit_key=_resolve(path, audit_key),
                  reviewer=reviewer.strip() if reviewer and reviewer.strip() else None,
                  allow_sqlite_on_share=allow_share)


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.lower().startswith(POSTGRES_SCHEMES)


def is_windows_absolute(value: str) -> bool:
    r"""C:\审查\audit.sqlite3 or \\server\share\…: absolute on Windows, whatever system reads it."""
    return bool(PureWindowsPath(value).drive) and PureWindowsPath(value).is_absolute()


def _resolve(config_file: Path, value: str | None) -> Path | None:
    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_absolute() or is_windows_absolute(value):
        return path
    return config_file.parent / path


def audit_target(value: str | Path | None, relative_to: Path | None = None) -> Path | str | None:
    """A postgresql:// URL stays text; anything else is a path (relative ones: to `relative_to`)."""
    if value is None or value == "":
        return None
    text = str(value)
    if is_postgres_url(text):
        return text
    path = Path(text).expanduser()
    if relative_to is None or path.is_absolute() or is_windows_absolute(text):
        return path
    return relative_to / path


def audit_db_path(cli_value: str | Path | None = None, config: Config | None = None) -> Path | str:
    """--audit-db, else $PREPUB_AUDIT_DB, else config `audit_db:`, else the per-user data directory.

    A SQLite file's Path, or a postgresql:// URL as text."""
    if cli_value:
        return audit_target(cli_value)
    if os.environ.get("PREPUB_AUDIT_DB"):
        return audit_target(os.environ["PREPUB_AUDIT_DB"])
    config = config or load_config()
    return config.audit_db or data_dir() / "audit.sqlite3"


def audit_key_path(config: Config | None = None) -> Path:
    """$PREPUB_AUDIT_KEY, else config `audit_key:`, else audit.key next to the config file."""
    if os.environ.get("PREPUB_AUDIT_KEY"):
        return Path(os.environ["PREPUB_AUDIT_KEY"]).expanduser()
    config = config or load_config()
    return config.audit_key or config.path.parent / "audit.key"


def default_reviewer(config: Config | None = None) -> str | None:
    """$PREPUB_REVIEWER, else config `reviewer:`."""
    name = os.environ.get("PREPUB_REVIEWER", "").strip()
    return name or (config or load_config()).reviewer
