"""Expand command-line paths into the list of files to review.

Directories are walked recursively in sorted (deterministic) order. Files whose
extension prepub does not read are listed in `unsupported` -- never dropped silently --
so a clerk sees that "site.css" was not reviewed; a document prepub recognises but does not
read ("名单.pptx", "附件.zip": registry.DOCUMENTS_NOT_READ) is a file to review, which its
reader fails with the reason. Hidden folders (.git), hidden files
and Office lock files (~$报告.docx) are not documents and go to `ignored`, and so does what
a `.prepubignore` file names (one pattern a line, `#` comments; a bare name such as
`README.md` or `*.md` matches at any depth below that folder, a pattern with "/" such as
`drafts/*.docx` is relative to it). A path named on the command line is always reviewed; with
`named_by_content`, whatever its extension (its content decides, and a format prepub does not read
is then an error for it, not a skip: the user asked for that file).

A directory symlink is followed once: the walk remembers every real directory it
entered, so symlink loops end. A broken symlink or a missing path is a `problem`.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from prepub_review.formats.registry import REVIEWED_EXTENSIONS

IGNORE_FILE = ".prepubignore"


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    """The patterns of one .prepubignore, for the paths below `folder`."""

    folder: Path
    patterns: tuple[str, ...]

    def match(self, path: Path) -> bool:
        relative = path.relative_to(self.folder).as_posix()
        return any(fnmatch.fnmatchcase(relative if "/" in pattern else path.name, pattern.strip("/"))
                   for pattern in self.patterns)


def read_ignore_rules(folder: Path) -> IgnoreRules | None:
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    patterns = tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
    return IgnoreRules(folder, patterns) if patterns else None


@dataclass(frozen=True, slots=True)
class WalkProblem:
    path: Path
    code: str          # not_found | broken_link | permission_denied | unreadable | not_a_file
    message: str       # Chinese, for the user


@dataclass(slots=True)
class WalkResult:
    files: list[Path] = field(default_factory=list)          # to review, in order
    unsupported: list[Path] = field(default_factory=list)    # extension prepub does not read
    ignored: list[Path] = field(default_factory=list)        # hidden files and folders, Office lock files
    problems: list[WalkProblem] = field(default_factory=list)


def expand_paths(paths: Iterable[Path | str], extensions: frozenset[str] = REVIEWED_EXTENSIONS, *,
                 named_by_content: bool = False) -> WalkResult:
    walker = _Walker(extensions, named_by_content)
    for raw in paths:
        walker.argument(Path(raw))
    return walker.result


def is_lock_or_temp(name: str) -> bool:
    """Office/WPS owner files ("~$报告.docx"), LibreOffice locks (".~lock.x#") and similar."""
    return name.startswith(("~$", ".~lock.", "~WRL")) or name.endswith(("~", ".tmp"))


class _Walker:
    def __init__(self, extensions: frozenset[str], named_by_content: bool = False):
        self.extensions, self.named_by_content = extensions, named_by_content
        self.result = WalkResult()
        self.seen_dirs: set[tuple[int, int]] = set()
        self.seen_files: set[tuple[int, int]] = set()

    def argument(self, path: Path) -> None:
        """A path the user named: reviewed even if hidden; a directory is walked."""
        try:
            info = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                self._problem(path, "broken_link", f"符号链接指向的目标不存在：{path}")
            else:
                self._problem(path, "not_found", f"找不到文件或文件夹：{path}")
            return
        except OSError as exc:
            self._os_problem(path, exc)
            return
        if stat.S_ISDIR(info.st_mode):
            self._walk(path, info)
        elif stat.S_ISREG(info.st_mode):
            self._file(path, info, by_content=self.named_by_content)
        else:
            self._problem(path, "not_a_file", f"不是普通文件（设备、管道或套接字）：{path}")

    def _walk(self, top: Path, top_info: os.stat_result) -> None:
        stack: list[tuple[Path, os.stat_result, tuple[IgnoreRules, ...]]] = [(top, top_info, ())]
        while stack:
            directory, info, inherited = stack.pop()
            if (info.st_dev, info.st_ino) in self.seen_dirs:
                continue   # reached again through a symlink: walk each real directory once
            self.seen_dirs.add((info.st_dev, info.st_ino))
            own = read_ignore_rules(directory)
            rules = (*inherited, own) if own else inherited
            subdirs = []
            for entry in self._entries(directory):
                entry_path = directory / entry.name
                if entry.name.startswith(".") or is_lock_or_temp(entry.name) \
                        or any(rule.match(entry_path) for rule in rules):
                    self.result.ignored.append(entry_path)
                    continue
                try:
                    entry_info = entry_path.stat()
                except FileNotFoundError:
                    self._problem(entry_path, "broken_link", f"符号链接指向的目标不存在：{entry_path}")
                    continue
                except OSError as exc:   # a symlink loop (ELOOP), permissions
                    self._os_problem(entry_path, exc)
                    continue
                if stat.S_ISDIR(entry_info.st_mode):
                    subdirs.append((entry_path, entry_info, rules))
                elif stat.S_ISREG(entry_info.st_mode):
                    self._file(entry_path, entry_info)
                else:
                    self.result.ignored.append(entry_path)   # pipes, sockets, devices
            stack.extend(reversed(subdirs))   # depth first, in name order

    def _entries(self, directory: Path) -> list[os.DirEntry]:
        try:
            with os.scandir(directory) as entries:
                return sorted(entries, key=lambda entry: entry.name)
        except OSError as exc:
            self._os_problem(directory, exc)
            return []

    def _file(self, path: Path, info: os.stat_result, by_content: bool = False) -> None:
        key = (info.st_dev, info.st_ino)
        if key in self.seen_files:
            return
        self.seen_files.add(key)
        if by_content or path.suffix.lower() in self.extensions:
            self.result.files.append(path)
        else:
            self.result.unsupported.append(path)

    def _problem(self, path: Path, code: str, message: str) -> None:
        self.result.problems.append(WalkProblem(path, code, message))

    def _os_problem(self, path: Path, exc: OSError) -> None:
        if isinstance(exc, PermissionError):
            self._problem(path, "permission_denied", f"没有读取权限：{path}")
        else:
            self._problem(path, "unreadable", f"无法访问：{path}（{exc.strerror or exc}）")
