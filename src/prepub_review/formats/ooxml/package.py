"""What the .docx and .xlsx readers share: a zip opened safely, XML parsed safely, properties.

An OOXML file is a zip of XML parts. A hostile or broken file can be:
- not a zip at all, or a truncated one                  -> ReadError(code="corrupt_zip")
- a password-protected document (an OLE/CFB container)  -> ReadError(code="encrypted")
- a zip bomb (huge or extremely compressible members)   -> ReadError(code="zip_bomb"), checked from
  the central directory BEFORE anything is decompressed, and again while reading, because the
  sizes in the directory can lie.
XML is parsed without entity expansion, DTD loading or network access.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from pathlib import Path, PurePosixPath
from typing import IO, Self

from lxml import etree

from prepub_review.errors import ReadError
from prepub_review.models import Locator, Segment, Zone, pickled_by_fields
from prepub_review.formats.base import Limits, MiB, ReaderItem
from prepub_review.formats.ooxml.embedded import EmbeddedFiles

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMB_MEMBER_MIN_BYTES = 1 * MiB   # the ratio check applies to members larger than this
READ_CHUNK = 64 * 1024

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "cup": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}
A_P, A_T = f"{{{NS['a']}}}p", f"{{{NS['a']}}}t"           # DrawingML paragraph and text
# Strict OOXML (ISO 29500 strict) uses other namespace URIs for the same elements.
STRICT_NS = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": NS["w"],
    "http://purl.oclc.org/ooxml/spreadsheetml/main": NS["s"],
    "http://purl.oclc.org/ooxml/officeDocument/relationships": NS["r"],
    "http://purl.oclc.org/ooxml/drawingml/main": NS["a"],
}

REL_CORE = "core-properties"
REL_APP = "extended-properties"
REL_CUSTOM = "custom-properties"

# Document properties a person may have filled with a name or a unit. Label = the Chinese field.
CORE_PROPERTIES = (
    ("dc", "creator", "作者"),
    ("cp", "lastModifiedBy", "最后修改者"),
    ("dc", "title", "标题"),
    ("dc", "subject", "主题"),
    ("dc", "description", "备注"),
    ("cp", "keywords", "关键词"),
    ("cp", "category", "类别"),
    ("cp", "contentStatus", "状态"),
)
APP_PROPERTIES = (("Company", "单位"), ("Manager", "经理"))



def qn(prefixed: str) -> str:
    """'w:p' -> '{namespace}p', the form lxml uses for tag names."""
    prefix, name = prefixed.split(":")
    return f"{{{NS[prefix]}}}{name}"


def local_name(tag: object) -> str:
    """Tag name without namespace; '' for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False)


@dataclass(frozen=True, slots=True)
class Relationship:
    rel_type: str      # the last path piece of the type URI, e.g. "header", "comments"
    target: str        # part name inside the zip (no leading slash), or a URL if external
    external: bool


class OoxmlPackage:
    """A zip-based Office file whose members are checked before and while they are read."""

    def __init__(self, path: Path, limits: Limits, kind_zh: str):
        self.path = Path(path)
        self.limits = limits
        self.kind_zh = kind_zh            # "Word 文档" / "Excel 工作簿": used in messages
        self._zip = _open_zip(self.path, limits)
        self._infos = {info.filename.lstrip("/"): info for info in self._zip.infolist()}
        try:
            check_zip_bomb(self._zip.infolist(), limits)
        except ReadError:
            self._zip.close()
            raise
        self._rels_cache: dict[str, dict[str, Relationship]] = {}
        self.embedded = EmbeddedFiles(self, limits, editable=self.opens_embedded_for_editing)

    opens_embedded_for_editing = False       # EditablePackage: True

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.embedded.close()
        self._zip.close()

    # -- members ---------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def open(self, name: str) -> IO[bytes]:
        """A stream of one member that refuses to deliver more bytes than the directory declared."""
        info = self._require(name)
        if info.flag_bits & 0x1:
            raise ReadError(f"文件中的部件 {name} 已加密，无法检查。请取消密码保护后再检查。", code="encrypted")
        try:
            raw = self._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError, zlib.error) as exc:
            raise corrupt(f"无法解开部件 {name}") from exc
        return _BoundedStream(raw, info, self)

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            return stream.read()

    def parse(self, name: str) -> etree._Element:
        """The root element of an XML part (safe parser, strict namespaces mapped to transitional)."""
        return self._parse_data(name, self.read(name))

    def parse_mentioning(self, name: str, word: bytes) -> etree._Element | None:
        """The root element of an XML part, or None when its bytes surely do not hold `word` (an
        element or attribute name): a big part that cannot matter is not parsed at all."""
        data = self.read(name)
        return self._parse_data(name, data) if may_mention(data, word) else None

    def parse_noting(self, name: str, word: bytes) -> tuple[etree._Element, bool]:
        """The root element of an XML part, and False if its bytes surely do not hold `word` (an
        element or attribute name), so that a search for it in the tree can be skipped."""
        data = self.read(name)
        return self._parse_data(name, data), may_mention(data, word)

    def _parse_data(self, name: str, data: bytes) -> etree._Element:
        try:
            root = etree.fromstring(data, parser=_safe_parser())
        except etree.XMLSyntaxError as exc:
            raise corrupt(f"部件 {name} 不是有效的 XML（{exc.msg}）") from exc
        return _map_strict(root) if _is_strict(root) else root

    def iterparse(self, name: str, tags: tuple[str, ...]) -> Iterator[etree._Element]:
        """Stream the elements named by `tags` ('{ns}local' form) from a big XML part, 'end' events.

        The caller must clear elements it has finished with (see `release`).
        """
        stream = self.open(name)
        try:
            for _event, elem in etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False,
                                                no_network=True, huge_tree=False, load_dtd=False):
                yield elem
        except etree.XMLSyntaxError as exc:
            raise corrupt(f"部件 {name} 不是有效的 XML（{exc.msg}）") from exc
        finally:
            stream.close()

    def rels(self, part: str) -> dict[str, Relationship]:
        """Relationships of one part ('' for the package itself), by relationship id."""
        if part in self._rels_cache:
            return self._rels_cache[part]
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        found: dict[str, Relationship] = {}
        if self.has(rels_name):
            for rel in self.parse(rels_name).iter(qn("pr:Relationship")):
                rel_id, target = rel.get("Id"), rel.get("Target")
                if not rel_id or not target:
                    continue
                external = rel.get("TargetMode") == "External"
                rel_type = (rel.get("Type") or "").rstrip("/").rsplit("/", 1)[-1]
                found[rel_id] = Relationship(rel_type, target if external else resolve_part(folder, target),
                                             external)
        self._rels_cache[part] = found
        return found

    def related(self, part: str, rel_type: str) -> list[str]:
        """Part names `part` points at with relationships of one type, in file order."""
        return [rel.target for rel in self.rels(part).values()
                if rel.rel_type == rel_type and not rel.external and self.has(rel.target)]

    def main_part(self, default: str) -> str:
        """The package's main part (its officeDocument relationship), else the part's usual name;
        a package with neither is not a document of this kind (ReadError)."""
        parts = self.related("", "officeDocument")
        if parts:
            return parts[0]
        self._require(default)
        return default

    def member_info(self, name: str) -> zipfile.ZipInfo:
        """The directory entry of one member (its flags, sizes)."""
        return self._require(name)

    def _require(self, name: str) -> zipfile.ZipInfo:
        info = self._infos.get(name)
        if info is None:
            raise ReadError(f"缺少 {name}，文件不是有效的{self.kind_zh}。", code="corrupt_zip")
        return info


class _BoundedStream:
    """Wraps a zip member stream; a member that inflates past its declared size is a bomb."""

    def __init__(self, raw: IO[bytes], info: zipfile.ZipInfo, package: OoxmlPackage):
        self._raw = raw
        self._info = info
        self._package = package
        self._delivered = 0

    def read(self, size: int = -1) -> bytes:
        wanted = READ_CHUNK if size is None or size < 0 else size
        if size is None or size < 0:
            chunks = []
            while chunk := self.read(wanted):
                chunks.append(chunk)
            return b"".join(chunks)
        try:
            data = self._raw.read(wanted)
        except zipfile.BadZipFile as exc:
            # Python stops at the declared size and then fails the CRC check; find out whether the
            # member really holds more data than declared (a lying header) or is simply damaged.
            if _inflates_past_declared(self._package.path, self._info):
                raise lying_size(self._info.filename) from exc
            raise corrupt(f"部件 {self._info.filename} 已损坏（{exc}）") from exc
        except (EOFError, OSError, zlib.error, ValueError) as exc:
            raise corrupt(f"部件 {self._info.filename} 已损坏或不完整") from exc
        self._delivered += len(data)
        if self._delivered > self._info.file_size:
            raise lying_size(self._info.filename)
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def corrupt(detail: str) -> ReadError:
    return ReadError(f"文件已损坏或不完整（不是有效的 Office 文档）：{detail}。请用 Office 或 WPS 打开后重新保存再检查。",
                     code="corrupt_zip")


def lying_size(member: str) -> ReadError:
    return ReadError(f"文件中的部件 {member} 解压后的实际大小超过其声明的大小（疑似压缩炸弹），已停止读取。",
                     code="zip_bomb")


def _open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(8)
    except FileNotFoundError as exc:
        raise ReadError(f"找不到文件：{path}", code="not_found") from exc
    except OSError as exc:
        raise ReadError(f"读取文件时出错（{exc.strerror or exc}），未能审查", code="io_error") from exc
    if size > limits.max_file_bytes:
        raise ReadError(f"文件过大（{size // MiB} MiB，上限 {limits.max_file_bytes // MiB} MiB），未检查。",
                        code="too_large")
    if magic == OLE_MAGIC:
        raise _ole_error(path)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise corrupt("无法读取压缩包目录") from exc


def _ole_error(path: Path) -> ReadError:
    """An OLE/CFB container where a zip was expected: password-protected OOXML or an old binary file."""
    if _ole_has_stream(path, "EncryptionInfo"):
        return ReadError("文件设有打开密码（已加密），无法检查其内容。请取消密码保护后另存，再重新检查。",
                         code="encrypted")
    return ReadError("文件实际是旧版 Office 二进制格式（.doc/.xls），不是 .docx/.xlsx。请另存为新格式后再检查。",
                     code="wrong_format")


def _ole_has_stream(path: Path, stream_name: str) -> bool:
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists(stream_name)
    except Exception:  # noqa: BLE001 - a damaged container: fall back to looking for the directory name
        try:
            return stream_name.encode("utf-16-le") in path.read_bytes()[: 4 * MiB]
        except OSError:
            return False


def check_zip_bomb(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip whose central directory promises too much data, before decompressing anything."""
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise ReadError(
                f"文件解压后总大小超过上限（{limits.max_unpacked_bytes // MiB} MiB），疑似压缩炸弹，未检查。",
                code="zip_bomb")
        if info.file_size > BOMB_MEMBER_MIN_BYTES:
            ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
            if ratio > limits.max_compression_ratio:
                raise ReadError(
                    f"文件中的部件 {info.filename} 压缩比异常（约 {ratio:,.0f}:1，上限 "
                    f"{limits.max_compression_ratio}:1），疑似压缩炸弹，未检查。",
                    code="zip_bomb")


def _inflates_past_declared(path: Path, info: zipfile.ZipInfo) -> bool:
    """True if a deflated member decompresses to more bytes than its directory entry declares."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return False
    try:
        with path.open("rb") as handle:
            handle.seek(info.header_offset)
            header = handle.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                return False
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            handle.seek(info.header_offset + 30 + name_len + extra_len)
            inflater = zlib.decompressobj(-15)
            produced = 0
            budget = info.file_size + 1
            while produced < budget and not inflater.eof:
                chunk = handle.read(READ_CHUNK)
                if not chunk:
                    break
                produced += len(inflater.decompress(chunk, budget - produced))
                while inflater.unconsumed_tail and produced < budget:
                    produced += len(inflater.decompress(inflater.unconsumed_tail, budget - produced))
            return produced > info.file_size
    except (OSError, zlib.error, struct.error):
        return False


def may_mention(data: bytes, word: bytes) -> bool:
    """False only if the XML `data` surely does not hold the ASCII name `word`: names cannot be
    escaped in XML, so a part in UTF-8 (or another ASCII-compatible encoding) without those bytes
    lacks it; a UTF-16/32 part is not searched."""
    head = data[:4]
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return word in data


def resolve_part(folder: str, target: str) -> str:
    """Part name a relationship target points at, relative to the source part's folder."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    joined = posixpath.normpath(posixpath.join(folder, target))
    return joined.lstrip("/") if joined != "." else ""


def _is_strict(root: etree._Element) -> bool:
    return isinstance(root.tag, str) and root.tag[1:].split("}")[0] in STRICT_NS


def _map_strict(root: etree._Element) -> etree._Element:
    """Rename strict-OOXML namespaces to the transitional ones so one set of names works."""
    for elem in root.iter():
        if isinstance(elem.tag, str) and elem.tag.startswith("{"):
            uri, name = elem.tag[1:].split("}", 1)
            if uri in STRICT_NS:
                elem.tag = f"{{{STRICT_NS[uri]}}}{name}"
        for key in list(elem.attrib):
            if key.startswith("{"):
                uri, name = key[1:].split("}", 1)
                if uri in STRICT_NS:
                    elem.attrib[f"{{{STRICT_NS[uri]}}}{name}"] = elem.attrib.pop(key)
    return root


def release(elem: etree._Element) -> None:
    """Free a streamed element and the siblings before it (keeps iterparse memory flat)."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


# -- document properties -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ElementTextAnchor:
    """One XML element's text (a core or app property, a chart's cached label), or one of its
    attributes when `attribute` is set (a picture's alt text, a link's address): the segment's text
    (stripped) starts at `offset` of it. The writers edit a value in place through it, so the rest
    stays (a title, 备注 or 关键词 with a name in it; a chart's other labels)."""

    element: etree._Element
    offset: int
    attribute: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class DrawingParagraphAnchor:
    """A DrawingML paragraph (a:p) of a text box or shape over a sheet, or of a SmartArt graphic: the
    part, the paragraph's 0-based place among its a:p, and how many leading characters the segment's
    (stripped) text left out. Its runs' a:t texts are edited together (formats/edits.replace_across)."""

    part: str
    paragraph: int
    lead: int


def drawing_paragraphs(root: etree._Element,
                       part: str) -> Iterator[tuple[etree._Element, str, DrawingParagraphAnchor]]:
    """(paragraph, stripped text, anchor) of each non-empty DrawingML paragraph of `part` (parsed: `root`)."""
    for number, paragraph in enumerate(root.iter(A_P)):
        joined = "".join(t.text or "" for t in paragraph.iter(A_T))
        text = joined.strip()
        if text:
            yield paragraph, text, DrawingParagraphAnchor(part, number, joined.index(text))


# Alt text a picture or shape carries (Word, Excel and LibreOffice write it on each of these).
ALT_TEXT_ELEMENTS = {
    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr": ("descr", "title"),
    "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr": ("descr", "title"),
    "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}cNvPr": ("descr", "title"),
    "{urn:schemas-microsoft-com:vml}shape": ("alt", "title"),
    "{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr": ("descr", "title"),
}
ALT_TEXT_LABELS = {"descr": "替代文字", "alt": "替代文字", "title": "图片标题"}


def alt_text_segments(root: etree._Element, where: str) -> Iterator[Segment]:
    """Alt text and titles of the pictures and shapes in one part: not shown on the page, but
    published with the file and read aloud by screen readers (often the file name of a photo).
    Zone PROPERTY, as a page's alt/title attributes: what clean() removes is HIDDEN, this is edited."""
    for element in root.iter(*ALT_TEXT_ELEMENTS):        # one walk of the part for all of them
        for attribute in ALT_TEXT_ELEMENTS[element.tag]:
            yield from _attribute_segment(element, attribute, f"{where} 图片{ALT_TEXT_LABELS[attribute]}",
                                          ALT_TEXT_LABELS[attribute])


def link_target_segments(package: OoxmlPackage, part: str, where: str) -> Iterator[Segment]:
    """The addresses a part's hyperlinks open (its .rels, external targets): a query string can hold an
    ID number or a phone, a mailto: a person's address."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
    if not package.has(rels_name):
        return
    root = package.parse_mentioning(rels_name, b"External")
    for rel in root.iter(qn("pr:Relationship")) if root is not None else ():
        if rel.get("TargetMode") == "External" and (rel.get("Type") or "").endswith("/hyperlink"):
            yield from _attribute_segment(rel, "Target", f"{where} 超链接地址", "超链接地址")


def _attribute_segment(element: etree._Element, attribute: str, location: str, field: str) -> Iterator[Segment]:
    value = element.get(attribute) or ""
    text = value.strip()
    if text:
        yield Segment(text, location, Zone.PROPERTY, field=field, locator=Locator("attribute", (location,)),
                      anchor=ElementTextAnchor(element, value.index(text), attribute))


CUSTOM_XML_ITEM = re.compile(r"^customXml/item\d+\.xml$")


def custom_xml_segments(package: OoxmlPackage) -> Iterator[Segment]:
    """Data a form, an OA system or a content-management system stored in the file
    (customXml/item*.xml): shown on no page, published with the file. Each element's text is one
    segment (field: the element's name); redaction removes these parts (Locator part "custom_xml")."""
    for name in sorted(n for n in package.names if CUSTOM_XML_ITEM.match(n)):
        label = f"自定义 XML 数据「{PurePosixPath(name).stem}」"
        for element in package.parse(name).iter():
            text = (element.text or "").strip() if isinstance(element.tag, str) else ""
            if text:
                yield Segment(text, label, Zone.HIDDEN, field=local_name(element.tag),
                              locator=Locator("custom_xml", (name,)))


def read_properties(package: OoxmlPackage) -> Iterator[Segment]:
    """core.xml, app.xml and custom.xml values as PROPERTY segments, field = Chinese label."""
    core = _package_part(package, REL_CORE, "docProps/core.xml")
    if core:
        root = package.parse(core)
        for prefix, name, label in CORE_PROPERTIES:
            for elem in root.iter(qn(f"{prefix}:{name}")):
                yield from property_segment(label, elem.text, elem)
    app = _package_part(package, REL_APP, "docProps/app.xml")
    if app:
        root = package.parse(app)
        for name, label in APP_PROPERTIES:
            for elem in root.iter(f"{{{NS['ep']}}}{name}"):
                yield from property_segment(label, elem.text, elem)
    custom = _package_part(package, REL_CUSTOM, "docProps/custom.xml")
    if custom:
        for prop in package.parse(custom).iter(qn("cup:property")):
            name = (prop.get("name") or "").strip()
            value = "".join(child.xpath("string()") for child in prop)
            if name:
                yield from property_segment(name, value)   # no anchor: redaction drops every custom property


def property_segment(label: str, value: str | None,
                     element: etree._Element | None = None) -> Iterator[Segment]:
    value = value or ""
    text = value.strip()
    if text:
        anchor = None if element is None else ElementTextAnchor(element, value.index(text))
        yield Segment(text=text, location=f"文档属性: {label}", zone=Zone.PROPERTY, field=label,
                      locator=Locator("property", (label,)), anchor=anchor)


def _package_part(package: OoxmlPackage, rel_type: str, default: str) -> str | None:
    parts = package.related("", rel_type)
    if parts:
        return parts[0]
    return default if package.has(default) else None


PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"})
VECTOR_SUFFIXES = frozenset({".emf", ".wmf", ".svg", ".emz", ".wmz", ".svgz"})   # read from their text records


def embedded_picture_items(package: OoxmlPackage, *, anchors: bool = True) -> Iterator[ReaderItem]:
    """Every picture in the package's media folders (body, headers, text boxes and drawings all keep
    theirs there), read once each (by OCR, or from a vector picture's text records); see
    prepub_review.ocr.picture. Anchors name the member."""
    from prepub_review.ocr.picture import picture_items

    for name in package.names:
        if "media" not in name:             # most members: no path to parse
            continue
        path = PurePosixPath(name)
        if "media" not in path.parts[:-1]:
            continue
        if path.suffix.lower() in PICTURE_SUFFIXES | VECTOR_SUFFIXES:
            yield from picture_items(package.read(name), f"嵌入图片「{path.name}」", name, anchors=anchors,
                                     locator_path=("media", name))


# -- error boundary -------------------------------------------------------------------------------

def guard_reader(kind_zh: str) -> Callable[[Callable[[Path, Limits], Iterator[ReaderItem]]],
                                           Callable[[Path, Limits], Iterator[ReaderItem]]]:
    """Turn every unexpected failure inside a reader into a ReadError with a Chinese message."""

    def decorate(reader: Callable[[Path, Limits], Iterator[ReaderItem]]):
        @wraps(reader)
        def guarded(path: Path, limits: Limits) -> Iterator[ReaderItem]:
            try:
                yield from reader(Path(path), limits)
            except ReadError:
                raise
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise corrupt("压缩数据损坏") from exc
            except etree.LxmlError as exc:
                raise corrupt(f"XML 内容无效（{exc}）") from exc
            except OSError as exc:
                raise ReadError(f"读取文件时出错（{exc.strerror or exc}），未能审查", code="io_error") from exc
            except (KeyError, ValueError, IndexError, TypeError, AttributeError, RecursionError) as exc:
                raise ReadError(f"{kind_zh}结构异常，无法完整读取（{type(exc).__name__}: {exc}）。"
                                "请用 Office 或 WPS 打开后重新保存再检查。", code="malformed") from exc

        return guarded

    return decorate
