"""The one format registry: every format prepub reads, where its code lives, what a person calls
it, which file names a directory walk picks up, and whether `prepub redact` can write it.

The sniffed content decides the format (see sniff.py); the extensions only decide which files a
directory walk and the pre-commit hook look at. A format's package (formats/<package>/) holds its
reader (`reader.py`: `read(path, limits)`) and, when writable, its writer (`writer.py`); both are
imported only when needed, so a missing optional dependency breaks only its own format.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from prepub_review.errors import ReadError


@dataclass(frozen=True, slots=True)
class FormatSpec:
    name: str                       # the sniffed format: "docx", "csv", "doc", ...
    package: str                    # formats/<package>/ holds its reader and writer
    kind_zh: str                    # what a person calls such a file
    extensions: tuple[str, ...]     # file names a directory walk picks up
    writable: bool                  # `prepub redact` can write a de-identified copy
    converts_to: str | None = None  # legacy formats: read and written as this modern format


FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in (
    FormatSpec("docx", "docx", "Word 文档", (".docx", ".docm"), writable=True),
    FormatSpec("xlsx", "xlsx", "Excel 表格", (".xlsx", ".xlsm"), writable=True),
    FormatSpec("pptx", "pptx", "PowerPoint 演示文稿", (".pptx", ".ppsx", ".pptm"), writable=True),
    FormatSpec("pdf", "pdf", "PDF 文件", (".pdf",), writable=True),
    FormatSpec("ofd", "ofd", "OFD 版式文件", (".ofd",), writable=True),
    # a site's bundle of attachments: every file inside is read (redact: unpack, redact each, pack again)
    FormatSpec("zip", "archive", "ZIP 压缩包", (".zip",), writable=False),
    # .shtml: the pages of many government sites' content systems (server-side includes are comments here)
    FormatSpec("html", "html", "网页", (".html", ".htm", ".shtml", ".xhtml"), writable=True),
    # .json/.xml: the data a site's scripts render (a list as JSON beside an empty page), feeds, exports
    FormatSpec("text", "text", "文本文件", (".txt", ".md", ".json", ".xml"), writable=True),
    FormatSpec("csv", "text", "CSV 表格", (".csv",), writable=True),
    FormatSpec("doc", "legacy", "旧版 Word 文档", (".doc", ".wps"), writable=True, converts_to="docx"),
    FormatSpec("xls", "legacy", "旧版 Excel 表格", (".xls", ".et"), writable=True, converts_to="xlsx"),
    FormatSpec("works", "legacy", "Works 文档", (".wps",), writable=True, converts_to="docx"),
    FormatSpec("odt", "legacy", "OpenDocument 文本", (".odt",), writable=True, converts_to="docx"),
    FormatSpec("ods", "legacy", "OpenDocument 表格", (".ods",), writable=True, converts_to="xlsx"),
    FormatSpec("ppt", "legacy", "旧版 PowerPoint 演示文稿", (".ppt", ".pps", ".dps"), writable=True, converts_to="pptx"),
    FormatSpec("odp", "legacy", "OpenDocument 演示文稿", (".odp",), writable=True, converts_to="pptx"),
    # Flat OpenDocument: the same documents saved as one XML file (LibreOffice's "平面 XML" formats)
    FormatSpec("fodt", "legacy", "OpenDocument 平面 XML 文本", (".fodt",), writable=True, converts_to="docx"),
    FormatSpec("fods", "legacy", "OpenDocument 平面 XML 表格", (".fods",), writable=True, converts_to="xlsx"),
    FormatSpec("fodp", "legacy", "OpenDocument 平面 XML 演示文稿", (".fodp",), writable=True, converts_to="pptx"),
    FormatSpec("image", "image", "图片", (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif"),
               writable=True),
    # pictures that hold their text as characters (a table pasted from Excel "as a picture", a chart)
    FormatSpec("vector", "image", "矢量图", (".emf", ".wmf", ".svg", ".emz", ".wmz", ".svgz"), writable=True),
)}

SUPPORTED_EXTENSIONS = frozenset(ext for spec in FORMATS.values() for ext in spec.extensions)

# Documents prepub recognises but does not read (formats/sniff.py names each): presentations, OFD,
# RTF, e-mail, e-books and archives can hold a recipient list as well as any table. In a folder they
# are opened anyway, so each gets the reader's `error` (what it is, how to make it readable) and the
# run exits 2, instead of a line among a site's style sheets and fonts under 未审查.
DOCUMENTS_NOT_READ = frozenset({".rtf", ".epub",
                                ".msg", ".vsd", ".rar", ".7z"})
REVIEWED_EXTENSIONS = SUPPORTED_EXTENSIONS | DOCUMENTS_NOT_READ   # what a run opens (a page's attachments too)


def spec_of(fmt: str) -> FormatSpec:
    return FORMATS[fmt]


def load(fmt: str, part: str = "reader") -> ModuleType:
    """formats/<package>/<part>.py of a format; a ReadError if this build does not include it."""
    spec = FORMATS[fmt]
    qualified = f"prepub_review.formats.{spec.package}.{part}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as exc:
        if exc.name not in (qualified, f"prepub_review.formats.{spec.package}"):
            raise
        raise ReadError(f"本版本尚未包含{spec.kind_zh}的{'读取' if part == 'reader' else '写出'}模块，无法处理此文件",
                        code="reader_unavailable" if part == "reader" else "unsupported_format") from exc


def converted_suffix(suffix: str) -> str | None:
    """".docx" for a legacy ".doc" (what LibreOffice converts it to); None for other suffixes."""
    for spec in FORMATS.values():
        if spec.converts_to and suffix.lower() in spec.extensions:
            return f".{spec.converts_to}"
    return None


def open_editable(fmt: str, path, limits):
    """The format's document opened for editing (writer.py: `open_editable(path, limits, fmt)`)."""
    spec = FORMATS[fmt]
    if not spec.writable:
        raise ReadError(f"本版本暂不支持对此类文件（{spec.kind_zh}）去标识化；请另存为 .docx/.xlsx/.html/.txt/.csv 后再处理",
                        code="unsupported_format")
    return load(fmt, "writer").open_editable(path, limits, fmt)
