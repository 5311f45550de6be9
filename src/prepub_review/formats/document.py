"""Opening a document: the input checks every command shares, then the format's own document.

`open_document(path, limits)` checks size and permissions, sniffs the real format from the
content (see sniff.py), and opens the file ONCE with that format's package (registry.py):

- read-only (`prepub check`): `items()` streams the reader's segments and notices;
- `editable=True` (`prepub redact`, `prepub review`): the format's writer opens the file, and the
  same open document is read (`items()`), checked, cleaned, edited and saved. A legacy .doc/.xls is
  converted by LibreOffice once, when it is opened.

Every Segment carries an anchor (where its text lives in the file) and a structured Locator. The
first segment is the file's own name (base.file_name_segment), which is published with the file; a
file found inside another has its name read by the reader that found it.

An editable document offers, besides `format`, `items()` and `close()`:
    cleaned(place) -> bool          will clean() remove this segment's / finding's text?
    clean() -> [Cleaning]           remove comments, revisions, hidden text, personal properties
    apply(edits) -> (unplaced edits, extra cleanings)
    save(path)
    cannot_edit() -> PrepubError | None   (optional) why no safe copy can be written
    leftovers(saved) -> [Edit]      (optional) edits whose raw value the writer still finds in `saved`

Whatever goes wrong surfaces as a ReadError with a stable `code` and a Chinese message:
a document that could not be read completely gets the verdict `error`, never `pass`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import stat as stat_module
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from prepub_review.errors import PrepubError, ReadError
from prepub_review.formats import registry
from prepub_review.formats.base import Limits, MiB, ReaderItem, file_name_segment
from prepub_review.formats.sniff import Sniffed, sniff_content
from prepub_review.models import Locator, Segment

__all__ = ["Document", "Limits", "open_document", "read_document"]


class Document:
    """One open document of a known format. `items()` may be called once per opening."""

    def __init__(self, fmt: str, path: Path, inner: Any, items: Callable[[], Iterator[ReaderItem]],
                 *, name_read: bool = True):
        self.format = fmt
        self.path = path
        self.inner = inner            # the format's editable document (writer.py), or None when read-only
        self._items = items
        self.name_read = name_read    # its own name comes first in items() (not for a file inside another)

    @property
    def editable(self) -> bool:
        return self.inner is not None

    def items(self) -> Iterator[ReaderItem]:
        """Segments (each with a Locator; where a reader has no finer address, the kind of place)
        and notices, in document order."""
        name = file_name_segment(self.path.stem) if self.name_read else None
        if name is not None:
            yield name
        with _read_errors(self.path, registry.spec_of(self.format).kind_zh):
            for item in self._items():
                if isinstance(item, Segment) and item.locator is None:
                    item = dataclasses.replace(item, locator=Locator(item.zone.value))
                yield item

    def __getattr__(self, name: str) -> Any:      # clean, apply, save, cleaned, leftovers...
        if self.inner is None:
            raise AttributeError(f"{name}: document opened read-only")
        return getattr(self.inner, name)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_document(path: Path, limits: Limits, *, editable: bool = False, name_read: bool = True) -> Document:
    """The document at `path`, opened once; ReadError for bad input (before anything is parsed
    for size, permission, encryption and format problems; while reading for deeper ones).
    `name_read`: its items begin with the file's name (False for a working copy, see open_nested)."""
    path = Path(path)
    _check_file(path, limits)
    sniffed = _sniffed(path)
    found = sniffed.format
    spec = registry.spec_of(found)
    if not editable:
        reader = registry.load(found).read
        return Document(found, path, None, lambda: reader(path, limits, **_known(spec, sniffed)), name_read=name_read)
    with _read_errors(path, spec.kind_zh):
        inner = registry.open_editable(found, path, limits)
    return Document(found, path, inner, inner.items, name_read=name_read)


def open_nested(data: bytes, path: Path, limits: Limits, *, editable: bool = False) -> Document:
    """A file found inside another (embedded, or in an archive): written to `path`, a working copy
    the caller removes (its name is not the file's: the caller reads that), and opened one level
    deeper (Limits.embedded_depth)."""
    path.write_bytes(data)
    return open_document(path, dataclasses.replace(limits, embedded_depth=limits.embedded_depth + 1),
                         editable=editable, name_read=False)


def read_document(path: Path, limits: Limits) -> tuple[str, Iterator[ReaderItem]]:
    """(format name, iterator of segments and notices) for one file, read-only."""
    document = open_document(path, limits)
    return document.format, document.items()


def _known(spec: registry.FormatSpec, sniffed: Sniffed) -> dict[str, Any]:
    """What sniffing found out that the reader would otherwise find out again."""
    if spec.converts_to:
        return {"source_format": sniffed.format}
    return {"encoding": sniffed.encoding} if sniffed.encoding is not None else {}


def _sniffed(path: Path) -> Sniffed:
    try:
        sniffed = sniff_content(path)
    except PermissionError as exc:
        raise _permission_denied(path) from exc
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise ReadError(f"找不到文件：{path}", code="not_found") from exc
    except OSError as exc:
        raise _io_error(exc) from exc
    if sniffed.format == "encrypted":
        raise ReadError("文件设有打开密码（已加密），无法审查其内容。请取消密码保护后另存，再重新审查",
                        code="encrypted")
    if sniffed.format == "text" and path.suffix.lower() == ".csv":
        return dataclasses.replace(sniffed, format="csv")
    return sniffed


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


@contextlib.contextmanager
def _read_errors(path: Path, kind_zh: str) -> Iterator[None]:
    """Any unexpected failure while opening or reading becomes a ReadError that names it."""
    try:
        yield
    except PrepubError:
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
