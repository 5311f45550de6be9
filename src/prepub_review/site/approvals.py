"""The approvals file that travels with the site (default `.prepub-approvals.json` at the root of
the git repository holding the checked files).

Each entry names one finding a person decided to publish as is: 已审批保留 (a reviewer kept it in
`prepub review --approvals`, with the audit record that holds the decision) or 历史遗留待整改
(recorded by `prepub approvals adopt` on a legacy site: counted and listed, never silently green).

An entry matches a finding by repository-relative path, entity, rule id and fingerprint. The
fingerprint (fingerprint.py) is keyed by this file's `salt`, so the file holds no raw value and no
plain hash of one; an edit elsewhere in the page keeps it, a changed value voids it. An entry that
matches nothing is stale: it never lets anything else pass.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from prepub_review.errors import PrepubError
from prepub_review.models import Finding
from prepub_review.rules_loader import LineDict, check_choice, check_known_keys, load_yaml_file, optional, require

DEFAULT_NAME = ".prepub-approvals.json"
FORMAT_VERSION = 1
APPROVED, LEGACY = "approved", "legacy"
STATUS_LABELS = {APPROVED: "已审批保留", LEGACY: "历史遗留待整改"}
ENTRY_KEYS = ("path", "entity", "rule_id", "fingerprint", "status", "reviewer", "reason", "date",
              "record", "record_hash", "label")


class ApprovalsError(PrepubError):
    code = "approvals_error"


@dataclass(frozen=True, slots=True)
class Approval:
    path: str                 # repository-relative, with "/"
    entity: str
    rule_id: str
    fingerprint: str
    status: str               # approved | legacy
    reviewer: str = ""
    reason: str = ""
    date: str = ""            # YYYY-MM-DD
    record: int | None = None         # audit record number holding the decision
    record_hash: str | None = None    # that record's hash
    label: str = ""           # Chinese entity label, for people reading the file

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.path, self.entity, self.rule_id, self.fingerprint)

    def describe(self) -> str:
        """已审批保留 / 历史遗留待整改 with who, when, why and the record, for every report."""
        parts = [STATUS_LABELS[self.status]]
        if self.reviewer:
            parts.append(f"审查人 {self.reviewer}")
        if self.date:
            parts.append(self.date)
        if self.reason:
            parts.append(f"理由：{self.reason}")
        if self.record is not None:
            parts.append(f"审查记录第 {self.record} 号")
        return "，".join(parts)


@dataclass(slots=True)
class ApprovalsFile:
    path: Path
    salt: str
    approvals: list[Approval]

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def fingerprint_key(self) -> bytes:
        return self.salt.encode("ascii")

    def add(self, new: Iterable[Approval]) -> int:
        """Add entries; one for the same finding replaces the older one. Returns how many were added."""
        by_key = {a.key: a for a in self.approvals}
        count = 0
        for approval in new:
            by_key[approval.key] = approval
            count += 1
        self.approvals = sorted(by_key.values(), key=lambda a: (a.path, a.status, a.entity, a.fingerprint))
        return count

    def save(self) -> None:
        """Atomically: a crash leaves the old file or the new one, never half of one."""
        document = {"version": FORMAT_VERSION, "salt": self.salt,
                    "approvals": [{k: v for k, v in asdict(a).items() if v not in (None, "")}
                                  for a in self.approvals]}
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".prepub-approvals.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def git_root(start: Path) -> Path | None:
    """The nearest folder above `start` holding `.git` (a folder, or a file in a worktree)."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def default_path(paths: Iterable[Path]) -> Path | None:
    """`.prepub-approvals.json` at the git root of the first checked path, if there is a git root."""
    for path in paths:
        root = git_root(Path(path))
        return root / DEFAULT_NAME if root else None
    return None


def new_file(path: Path) -> ApprovalsFile:
    return ApprovalsFile(path=path, salt=secrets.token_hex(16), approvals=[])


def load_or_new(path: Path) -> ApprovalsFile:
    return load(path) if path.exists() else new_file(path)


def load(path: Path) -> ApprovalsFile:
    """Parse and validate; any problem is an ApprovalsError naming the file, the line and the key."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ApprovalsError(f"审批文件 {name} 无法读取：{getattr(exc, 'strerror', None) or exc}") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApprovalsError(f"审批文件 {name} 第{exc.lineno}行: 不是有效的 JSON（{exc.msg}）") from None
    try:
        data = load_yaml_file(path, name)    # the same JSON, with the line of every key
        return _parse(path, data)
    except PrepubError as exc:
        raise ApprovalsError(f"审批文件 {exc.message}") from None


def _parse(path: Path, data: object) -> ApprovalsFile:
    if not isinstance(data, LineDict):
        raise ApprovalsError(f"{path} 第1行: 应为对象，包含 version / salt / approvals")
    check_known_keys(data, {"version", "salt", "approvals"})
    version = require(data, "version", int)
    if version != FORMAT_VERSION:
        raise ApprovalsError(f"{data.where('version')}: 键「version」为 {version}，本版本 prepub 只认 {FORMAT_VERSION}")
    salt = require(data, "salt", str)
    if len(salt) < 16 or not all(c in "0123456789abcdef" for c in salt):
        raise ApprovalsError(f"{data.where('salt')}: 键「salt」应为至少 16 位的十六进制小写字符串")
    entries = require(data, "approvals", list)
    approvals = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, LineDict):
            raise ApprovalsError(f"{data.where('approvals')}: 第 {number} 条审批应为对象")
        approvals.append(_parse_entry(entry))
    return ApprovalsFile(path=path, salt=salt, approvals=approvals)


def _parse_entry(entry: LineDict) -> Approval:
    check_known_keys(entry, ENTRY_KEYS)
    record = optional(entry, "record", int, None)
    return Approval(
        path=require(entry, "path", str), entity=require(entry, "entity", str),
        rule_id=str(require(entry, "rule_id", (str, int))), fingerprint=require(entry, "fingerprint", str),
        status=check_choice(entry, "status", [APPROVED, LEGACY]) if "status" in entry else APPROVED,
        reviewer=optional(entry, "reviewer", str, ""), reason=optional(entry, "reason", str, ""),
        date=str(optional(entry, "date", (str,), "")), record=record,
        record_hash=optional(entry, "record_hash", str, None), label=optional(entry, "label", str, ""),
    )


class Matcher:
    """Looks findings up in the approvals file and remembers which entries matched."""

    def __init__(self, approvals: ApprovalsFile | None, root: Path):
        self.file = approvals
        self.root = approvals.root if approvals else root
        self.by_key = {a.key: a for a in approvals.approvals} if approvals else {}
        self.matched: set[tuple[str, str, str, str]] = set()
        self.checked: set[str] = set()

    def relative(self, path: str) -> str:
        """`path` relative to the repository root, with "/": how approvals and SARIF name files."""
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))).as_posix()

    def match(self, relative_path: str, finding: Finding) -> Approval | None:
        self.checked.add(relative_path)
        approval = self.by_key.get((relative_path, finding.entity, finding.rule_id, finding.fingerprint))
        if approval is not None:
            self.matched.add(approval.key)
        return approval

    def stale(self) -> list[Approval]:
        """Entries for a file checked in this run that matched nothing, and entries for files gone."""
        if self.file is None:
            return []
        return [a for a in self.file.approvals
                if a.key not in self.matched
                and (a.path in self.checked or not (self.file.root / a.path).exists())]
