"""Reads a .zip: every file inside it that prepub reads, each as a file of its own.

Sites publish bundles of attachments (附件.zip holding the 公示 lists); before, an archive was
refused unread and the gate could only fail on it. The archive is opened with the same safe zip
handling as Office files (sizes and compression ratios checked before anything is unpacked, every
member read through a bounded stream); each member of a format prepub reads is written to a
temporary file, opened like any file (formats/document.py) and its items come out with
压缩包内「path」 before their location. Names stored in the code page of a Chinese Windows (no UTF-8
flag) are shown decoded as GB18030.

Not read, each a notice: members prepub does not read (listed, info: style sheets, programs),
archives inside the archive and documents it recognises but cannot read (review), and a member that
does not open (review, with the reason). An archive inside an archive is not opened (MAX_DEPTH).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from prepub_review.errors import ReadError
from prepub_review.formats.base import Limits, ReaderItem, member_name_segment, nested_item
from prepub_review.formats.ooxml.package import OoxmlPackage, guard_reader
from prepub_review.formats.registry import DOCUMENTS_NOT_READ, SUPPORTED_EXTENSIONS
from prepub_review.models import Notice

KIND_ZH = "ZIP 压缩包"
UTF8_NAMES = 0x800               # zip general purpose flag 11: the member's name is UTF-8


@guard_reader(KIND_ZH)
def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    from prepub_review.formats.document import open_nested

    if limits.nested_too_deep:
        raise ReadError("压缩包中又有压缩包，未打开；请解压后逐个审查", code="unsupported_format")
    with OoxmlPackage(path, limits, KIND_ZH) as package, tempfile.TemporaryDirectory(prefix="prepub-zip-") as folder:
        for number, name in enumerate(package.names):
            if name.endswith("/"):
                continue
            shown = shown_name(name, package.member_info(name).flag_bits)
            where = f"压缩包内「{shown}」"
            named = member_name_segment(shown, where, "archive", shown)
            if named is not None:     # published with the archive: its folders too (…/户主王某/申请表)
                yield named
            suffix = PurePosixPath(shown).suffix.lower()
            if suffix in DOCUMENTS_NOT_READ:
                yield Notice("embedded_object", where, "压缩包中的这个文件本工具不能读取（另一个压缩包或暂不支持的文档），"
                                                      "未审查；请解压后逐个审查")
                continue
            if suffix not in SUPPORTED_EXTENSIONS:
                yield Notice("archive_member", where, "压缩包中的此类文件不审查（不是文档或图片）")
                continue
            member = Path(folder) / f"{number}{suffix}"
            try:
                for item in open_nested(package.read(name), member, limits).items():
                    yield nested_item(item, where, "archive", shown)
            except ReadError as exc:
                yield Notice("embedded_object", where, f"压缩包中的文件无法读取（{exc.message}），未审查")
            finally:
                member.unlink(missing_ok=True)


def shown_name(name: str, flags: int) -> str:
    """A member's name as its maker wrote it: without the UTF-8 flag, Python decodes it as CP437,
    which turns a GBK name (Chinese Windows) into mojibake."""
    if flags & UTF8_NAMES:
        return name
    try:
        return name.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name

