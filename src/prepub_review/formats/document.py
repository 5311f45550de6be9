"""Opening a document: the input checks every command shares, then the format's reader.

`read_document(path, limits)` checks size and permissions, sniffs the real format from
the content (see sniff.py) and hands the file to that format's reader (registry.py).

Whatever goes wrong surfaces as a ReadError with a stable `code` and a Chinese message:
a document that could not be read completely gets the verdict `error`, never `pass`.
"""

from __future__ import annotations

import functools
import stat as stat_module
from collections.abc import Iterator
from pathlib import Path

from prepub_review.errors import ReadError
from prepub_review.formats import registry
from prepub_review.formats.base import Limits, MiB, Reader, ReaderItem
from prepub_review.formats.sniff import sniff

__all__ = ["Limits", "read_document"]


def read_document(path: Path, limits: Limits) -> tuple[str, Iterator[ReaderItem]]:
    """(format name, iterator of segments and notices) for one file, or ReadError.

    Size, permission and format problems raise at once; problems deeper in the file
    raise while iterating.
    """
    path = Path(path)
    _check_file(path, limits)
    try:
        found = sniff(path)
    except PermissionError as exc:
        raise _permission_denied(path) from exc
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise ReadError(f"找不到文件：{path}", code="not_found") from exc
    except OSError as exc:
        raise _io_error(exc) from exc
    if found == "encrypted":
        raise ReadError("文件设有打开密码（已加密），无法审查其内容。请取消密码保护后另存，再重新审查",
                        code="encrypted")
    if found == "text" and path.suffix.lower() == ".csv":
        found = "csv"
    reader = registry.load(found).read
    if registry.spec_of(found).converts_to:
        reader = functools.partial(reader, source_format=found)
    return found, _guarded(reader, path, limits, registry.spec_of(found).kind_zh)


def _check_file(path: Path, limits: Limits) -> None:
    try:
        info = path.stat()
    except PermissionError as exc:
        raise _permission_denied(path) from exc
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ReadError(f"找不到文件：{path}", code="not_found") from exc
    except OSError as exc:   # a symlink loop, an I/O error
        raise _io_error(exc) from exc
    if stat_module.S_ISDIR(info.st_mode):
        raise ReadError(f"这是一个文件夹，不是文件：{path}", code="not_a_file")
    if not stat_module.S_ISREG(info.st_mode):   # a pipe would block the reader forever
        raise ReadError(f"不是普通文件（设备、管道或套接字）：{path}", code="not_a_file")
    if info.st_size > limits.max_file_bytes:
        raise ReadError(
            f"文件过大（{info.st_size / MiB:.1f} MB），超过上限 {limits.max_file_bytes / MiB:.0f} MB，未审查。"
            "如确需审查，请用选项 --max-size 调高上限", code="too_large")


def _guarded(reader: Reader, path: Path, limits: Limits, kind_zh: str) -> Iterator[ReaderItem]:
    """The reader's items; any unexpected failure becomes a ReadError that names it."""
    try:
        yield from reader(path, limits)
    except ReadError:
        raise
    except PermissionError as exc:
        raise _permission_denied(path) from exc
    except MemoryError as exc:
        raise ReadError(f"{kind_zh}内容过大，读取时内存不足，未能完整审查", code="too_large") from exc
    except OSError as exc:
        raise _io_error(exc) from exc
    except Exception as exc:
        raise ReadError(
            f"读取{kind_zh}时发生内部错误（{type(exc).__name__}: {exc}），文件未能完整审查。"
            "请把此文件反馈给维护人员", code="reader_failed") from exc


def _permission_denied(path: Path) -> ReadError:
    return ReadError(f"没有读取权限：{path}。请检查文件权限，或用有权限的账户运行", code="permission_denied")


def _io_error(exc: OSError) -> ReadError:
    return ReadError(f"读取文件时出错（{exc.strerror or exc}），未能审查", code="io_error")
