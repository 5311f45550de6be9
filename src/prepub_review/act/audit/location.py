"""Where the audit trail lives: a SQLite file on this machine, or a PostgreSQL server.

A SQLite file is safe for the processes of ONE machine. On a network filesystem (NFS, CIFS/SMB,
a Windows share) its locks are unreliable and WAL mode does not work at all, so records can be
lost or the file corrupted: `network_share` finds such a place so that prepub can refuse it and
point to PostgreSQL instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PureWindowsPath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Linux filesystem types that live on another machine (/proc/mounts, third field).
NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs",
    "fuse.sshfs", "fuse.glusterfs", "fuse.ceph", "davfs", "fuse.davfs2", "fuse.rclone", "ncpfs", "coda",
}
_PASSWORD_SETTING = re.compile(r"(password\s*=\s*)(?:'[^']*'|\S+)", re.IGNORECASE)


def mask_dsn(dsn: str) -> str:
    """The DSN as it may be shown: any password (in the user part or as a parameter) becomes ***."""
    parts = urlsplit(dsn)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query)],
                      safe="*/:")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def scrub_secret(text: str, dsn: str) -> str:
    """An error message from the driver, with the DSN's password (if any) removed."""
    secrets = [urlsplit(dsn).password or ""] + [v for k, v in parse_qsl(urlsplit(dsn).query) if k.lower() == "password"]
    for secret in filter(None, secrets):
        text = text.replace(secret, "***")
    return _PASSWORD_SETTING.sub(r"\1***", text)


def is_unc_path(text: str) -> bool:
    r"""\\server\share\… (or //server/share/… written with forward slashes) as Windows reads it."""
    return PureWindowsPath(text).drive.startswith(("\\\\", "//"))


def network_share(path: Path | str, mounts: str | None = None) -> str | None:
    """What kind of network place `path` is on ("UNC 共享路径", "nfs4", "cifs", …), or None if local.

    `mounts` is the text of /proc/mounts (read when None; absent on other systems).
    """
    if is_unc_path(str(path)):
        return "Windows 共享路径（UNC）"
    if os.name == "nt":
        return _windows_network_drive(Path(path))
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    fstype = _filesystem_of(os.path.realpath(path), mounts)   # symlinks followed as far as they exist
    return fstype if fstype in NETWORK_FILESYSTEMS else None


def _filesystem_of(path: str, mounts: str) -> str | None:
    """The type of the longest mount point containing `path` (the mount that actually holds it)."""
    best, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def _windows_network_drive(path: Path) -> str | None:   # pragma: no cover - Windows only
    import ctypes

    drive = PureWindowsPath(os.path.abspath(path)).drive
    if drive and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4:   # DRIVE_REMOTE
        return f"网络驱动器 {drive}"
    return None
