"""Decide a file's real format from its content, never from its extension.

Government sites are full of mislabelled files: Word "HTML" saved as .doc, .docx
renamed .doc, password-protected .docx (an OLE container, not a zip), GBK text named
.csv. `sniff(path)` returns one format name that the dispatcher maps to a reader:

    docx, xlsx              Office Open XML (zip)
    doc, xls, works         legacy binary (OLE); read after LibreOffice conversion
    odt, ods, odp           OpenDocument (zip); read after LibreOffice conversion
    fodt, fods, fodp        flat OpenDocument (one XML file); read after LibreOffice conversion too
    encrypted               password-protected (OOXML in OLE, or an encrypted .doc/.xls)
    pdf, html, text
    image                   JPEG, PNG, BMP, TIFF, WebP, GIF (read by OCR, see prepub_review.ocr)
    vector                  EMF, WMF, SVG, also gzip-packed (their text records, formats/image/vector.py)

Anything else raises ReadError with a code a test can check and a Chinese message
that tells the clerk what the file really is and what to do.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from prepub_review.errors import ReadError
from prepub_review.formats.image import vector
from prepub_review.formats.registry import FORMATS, spec_of
from prepub_review.formats.text.reader import DetectedEncoding, detect_encoding

HEAD_BYTES = 4096
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OTHER_ARCHIVES = ((b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"))

# What a person expects behind each extension, for "扩展名为 .docx，但内容不是 Word 文档": the registry's
# kind, but a legacy file is named as its user knows it (a .doc is a Word document, a .wps a WPS one).
EXPECTED_KIND = {ext: spec.kind_zh for spec in FORMATS.values() for ext in spec.extensions} | {
    ".doc": "Word 文档", ".wps": "WPS 文字文档", ".xls": "Excel 表格", ".et": "WPS 表格"}

TEXT_EXTENSIONS = tuple(ext for name in ("html", "text", "csv") for ext in spec_of(name).extensions)

# OpenDocument (LibreOffice's and WPS's own formats on 信创 desktops), read after conversion like .doc/.xls
OPEN_DOCUMENT = {"application/vnd.oasis.opendocument.text": "odt",
                 "application/vnd.oasis.opendocument.spreadsheet": "ods",
                 "application/vnd.oasis.opendocument.presentation": "odp"}

# Flat OpenDocument: an XML file whose root office:document names the document's type. Its start tag
# declares some forty namespaces first, so the type comes a few KB in.
FLAT_ROOT = re.compile(rb"<office:document\b[^>]*?\boffice:mimetype=\"application/vnd\.oasis\.opendocument\."
                       rb"(text|spreadsheet|presentation)\"", re.DOTALL)
FLAT_HEAD_BYTES = 64 * 1024
FLAT_FORMATS = {b"text": "fodt", b"spreadsheet": "fods", b"presentation": "fodp"}

# Zip containers we recognise but do not read: (member or mimetype marker, Chinese name).
OTHER_ZIP_KINDS = (
    ("application/epub+zip", "电子书(.epub)"),
    ("Contents/Contents.xml", "OFD 版式文件(.ofd)"),
)

OTHER_OLE_KINDS = (
    ("__substg1.0_0037001F", "Outlook 邮件(.msg)"),
    ("VisioDocument", "Visio 图(.vsd)"),
)

# PDF readers accept junk before the header as long as it sits in the first KB.
_PDF_HEADER = re.compile(rb"(?:^|[\r\n])\s*%PDF-\d")

IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")
BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})   # "BM" alone would match a text file

# HTML: the first markup after BOM, whitespace, an XML declaration or comments.
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|table|meta|title)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """A file's real format and, for a text file, the encoding its reader would detect (the same
    question sniffing asked; None when sniffing asked for stronger evidence, or the file is no text)."""

    format: str
    encoding: DetectedEncoding | None = None


def sniff(path: Path) -> str:
    """The real format of `path` (see module docstring), or ReadError."""
    return sniff_content(path).format


def sniff_content(path: Path) -> Sniffed:
    """`sniff`, with the encoding it found for a text file."""
    with open(path, "rb") as stream:  # builtin open: tests replace it to simulate permission errors
        head = stream.read(HEAD_BYTES)
    if not head:
        raise ReadError("文件为空（0 字节），无法审查", code="empty")
    if head.startswith(ZIP_MAGICS):
        return Sniffed(_zip_format(path))
    if head.startswith(OLE_MAGIC):
        return Sniffed(_ole_format(path))
    if vector.kind_of(head):
        return Sniffed("vector")
    for magic, kind in OTHER_ARCHIVES:
        if head.startswith(magic):
            raise ReadError(f"这是一个 {kind} 压缩包（扩展名为 {_ext_label(path)}），不是 Word/Excel 文档。"
                            "请解压后逐个审查其中的文件", code="unsupported_format")
    if _PDF_HEADER.search(head[:1024]):
        return Sniffed("pdf")
    if _is_image(head):
        return Sniffed("image")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise ReadError(
            f"这是 RTF 格式文件（扩展名为 {_ext_label(path)}），暂不支持审查。请用 Word/WPS 打开后另存为 .docx 再审查"
            , code="unsupported_format")
    if _looks_like_html(head):
        return Sniffed("html")
    if b"<office:document" in head:
        flat = _flat_open_document(path)
        if flat is not None:
            return Sniffed(flat)
    strict = _promises_binary(path)
    encoding = detect_encoding(path, strict=strict)
    if encoding is not None:
        return Sniffed("text", None if strict else encoding)
    raise ReadError(_unknown_message(path), code="unknown_format")


def _flat_open_document(path: Path) -> str | None:
    with open(path, "rb") as stream:
        found = FLAT_ROOT.search(stream.read(FLAT_HEAD_BYTES))
    return FLAT_FORMATS[found.group(1)] if found else None


def _is_image(head: bytes) -> bool:
    if head.startswith(IMAGE_MAGICS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return True
    return head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in BMP_HEADER_SIZES


def _looks_like_html(head: bytes) -> bool:
    sample = head[:1024]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if sample.startswith(bom):
            sample = sample[len(bom):].decode(codec, errors="ignore").encode("utf-8")
    return _HTML_START.match(sample) is not None


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = _small_member(archive, "mimetype")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            raise
        raise ReadError(
            f"文件已损坏：ZIP 结构不完整（扩展名为 {_ext_label(path)}），可能下载或复制不完整。"
            "请用原程序打开确认后重新保存", code="corrupt_zip") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "OFD.xml" in names:
        return "ofd"
    if mimetype in OPEN_DOCUMENT:
        return OPEN_DOCUMENT[mimetype]
    for marker, kind in OTHER_ZIP_KINDS:
        if marker in names or marker == mimetype:
            raise ReadError(f"这是{kind}，暂不支持审查。请另存为 .docx/.xlsx/.pdf 后再审查",
                            code="unsupported_format")
    return "zip"            # an archive of files: each is read (formats/archive/)


def _small_member(archive: zipfile.ZipFile, name: str) -> str:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return ""
    if info.file_size > 200:
        return ""
    return archive.read(info).decode("ascii", errors="replace").strip()


def _ole_format(path: Path) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(parts) for parts in ole.listdir(streams=True, storages=False)}
            if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
                return "encrypted"  # password-protected .docx/.xlsx: OOXML wrapped in OLE
            if "WordDocument" in streams:
                return "encrypted" if _word97_encrypted(ole) else "doc"
            if "Workbook" in streams or "Book" in streams:
                return "encrypted" if _biff_encrypted(ole, "Workbook" if "Workbook" in streams else "Book") \
                    else "xls"
            if "CONTENTS" in streams:
                return "works"  # Microsoft Works word processor .wps (LibreOffice imports it)
            if "PowerPoint Document" in streams:
                return "ppt"    # PowerPoint 97-2003 .ppt/.pps, and WPS 演示 .dps (the same binary format)
    except (OSError, struct.error, ValueError, IndexError, TypeError) as exc:
        if isinstance(exc, PermissionError):
            raise
        raise ReadError(
            f"文件已损坏：Office 旧版容器结构无法解析（扩展名为 {_ext_label(path)}）。"
            "请用原程序打开确认后重新保存", code="corrupt_ole") from exc
    for marker, kind in OTHER_OLE_KINDS:
        if marker in streams:
            raise ReadError(f"这是{kind}，暂不支持审查。请另存为 .docx/.xlsx/.pdf 后再审查",
                            code="unsupported_format")
    raise ReadError(
        f"这是一个 Office 旧版容器文件（扩展名为 {_ext_label(path)}），但不是 Word、Excel 或 PowerPoint 文件，暂不支持审查",
        code="unsupported_format")


def _word97_encrypted(ole: olefile.OleFileIO) -> bool:
    """fEncrypted flag (bit 8 of the FIB flags word at offset 0x0A) of a Word 97-2003 file."""
    with ole.openstream("WordDocument") as stream:
        fib = stream.read(12)
    return len(fib) >= 12 and bool(struct.unpack_from("<H", fib, 0x0A)[0] & 0x0100)


def _biff_encrypted(ole: olefile.OleFileIO, stream_name: str) -> bool:
    """A FILEPASS record (0x002F) among the first records of the workbook globals."""
    with ole.openstream(stream_name) as stream:
        data = stream.read(64 * 1024)
    offset = 0
    for _ in range(200):
        if offset + 4 > len(data):
            return False
        record_type, length = struct.unpack_from("<HH", data, offset)
        if record_type == 0x002F:
            return True
        if record_type == 0x0085:  # BOUNDSHEET: past the place where FILEPASS must sit
            return False
        offset += 4 + length
    return False


def _promises_binary(path: Path) -> bool:
    """The name says Word, Excel or PDF: text inside needs stronger evidence than in a .txt."""
    return path.suffix.lower() in EXPECTED_KIND and path.suffix.lower() not in TEXT_EXTENSIONS


def _ext_label(path: Path) -> str:
    return path.suffix.lower() or "（无）"


def _unknown_message(path: Path) -> str:
    ext = path.suffix.lower()
    kind = EXPECTED_KIND.get(ext)
    if kind:
        space = " " if kind[0].isascii() else ""
        return (f"文件扩展名为 {ext}，但内容不是{space}{kind}，也不是其他可识别的文档格式（可能已损坏，或并非文档）。"
                "请用原程序打开确认后重新保存再审查")
    return (f"无法识别的文件格式（扩展名为 {_ext_label(path)}）。"
            "支持 Word(.docx/.doc/.wps/.odt)、Excel(.xlsx/.xls/.et/.ods)、PDF、网页(.html/.shtml) 和文本(.txt/.md/.csv/.json/.xml)")
