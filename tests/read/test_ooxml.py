"""Zip and XML safety shared by the .docx and .xlsx readers: every failure is a ReadError."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest

from prepub_review.errors import ReadError
from prepub_review.models import Segment, Zone
from prepub_review.formats.docx import reader as docx
from prepub_review.formats.xlsx import reader as xlsx
from prepub_review.formats.base import Limits, MiB
from prepub_review.formats.ooxml.package import (
    OLE_MAGIC,
    OoxmlPackage,
    _BoundedStream,
    may_mention,
    read_properties,
    resolve_part,
)
from tests.read.office_parts import CONTENT_TYPES, FIXTURES, PKG_RELS, docx_with_body, p, r, write_parts

READERS = {"docx": (docx.read, "docx_raw.docx"), "xlsx": (xlsx.read, "xlsx_openpyxl.xlsx")}


def read_error(reader, path: Path, limits: Limits | None = None) -> ReadError:
    with pytest.raises(ReadError) as error:
        list(reader(path, limits or Limits()))
    return error.value


@pytest.fixture(params=sorted(READERS))
def reader_and_fixture(request, tmp_path):
    reader, name = READERS[request.param]
    return reader, FIXTURES / name, tmp_path


# -- not a zip, truncated, damaged --------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40])
def test_not_a_zip_is_corrupt(reader_and_fixture, content):
    reader, _, tmp = reader_and_fixture
    path = tmp / "bad.bin"
    path.write_bytes(content)
    error = read_error(reader, path)
    assert error.code == "corrupt_zip"
    assert error.message.startswith("文件已损坏或不完整（不是有效的 Office 文档）")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_file_is_corrupt(reader_and_fixture, keep):
    reader, fixture, tmp = reader_and_fixture
    data = fixture.read_bytes()
    path = tmp / f"truncated{fixture.suffix}"
    path.write_bytes(data[: int(len(data) * keep)])
    assert read_error(reader, path).code == "corrupt_zip"


@pytest.mark.parametrize("seed", range(12))
def test_random_damage_never_raises_anything_but_read_error(reader_and_fixture, seed):
    reader, fixture, tmp = reader_and_fixture
    data = bytearray(fixture.read_bytes())
    rng = random.Random(seed)
    for _ in range(8):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = tmp / f"damaged{fixture.suffix}"
    path.write_bytes(bytes(data))
    try:
        items = list(reader(path, Limits()))
    except ReadError as error:
        assert error.message and error.code
    else:
        assert all(isinstance(item.location, str) for item in items)


def test_missing_main_part_is_named(tmp_path):
    path = write_parts(tmp_path / "empty.docx", {"[Content_Types].xml": CONTENT_TYPES})
    error = read_error(docx.read, path)
    assert "缺少 word/document.xml" in error.message and "Word 文档" in error.message
    path = write_parts(tmp_path / "empty.xlsx", {"[Content_Types].xml": CONTENT_TYPES})
    assert "缺少 xl/workbook.xml" in read_error(xlsx.read, path).message


def test_relationship_to_missing_part(tmp_path):
    path = write_parts(tmp_path / "dangling.docx", {"[Content_Types].xml": CONTENT_TYPES,
                                                      "_rels/.rels": PKG_RELS.format(target="word/nothing.xml")})
    assert read_error(docx.read, path).code == "corrupt_zip"


def test_malformed_xml_is_corrupt(tmp_path):
    path = docx_with_body(tmp_path / "bad.docx", "<w:p><w:r><w:t>没有结束")
    error = read_error(docx.read, path)
    assert error.code == "corrupt_zip" and "word/document.xml" in error.message


def test_missing_file_is_not_found(tmp_path):
    assert read_error(docx.read, tmp_path / "nope.docx").code == "not_found"


# -- zip bombs and lying sizes ----------------------------------------------------------------------------

def bomb_docx(path: Path, member_bytes: int) -> Path:
    filler = b"<!-- " + b"0" * member_bytes + b" -->"
    document = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body/></w:document>" + filler)
    return write_parts(path, {"[Content_Types].xml": CONTENT_TYPES,
                              "_rels/.rels": PKG_RELS.format(target="word/document.xml"),
                              "word/document.xml": document})


def test_highly_compressed_member_is_a_bomb_refused_before_decompressing(tmp_path, monkeypatch):
    path = bomb_docx(tmp_path / "bomb.docx", 5 * MiB)      # ~1000:1
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    assert info.file_size / info.compress_size > 500

    def no_decompression(*args, **kwargs):
        raise AssertionError("a member was decompressed before the bomb check")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    error = read_error(docx.read, path)
    assert error.code == "zip_bomb" and "压缩比" in error.message


def test_small_compressible_member_is_not_a_bomb(tmp_path):
    """The ratio check applies only to members over 1 MiB: ordinary XML compresses well too."""
    path = bomb_docx(tmp_path / "fine.docx", 512 * 1024)
    assert list(docx.read(path, Limits())) == []


def test_total_unpacked_size_limit(reader_and_fixture):
    reader, fixture, _ = reader_and_fixture
    error = read_error(reader, fixture, Limits(max_unpacked_bytes=2000))
    assert error.code == "zip_bomb" and "解压后总大小" in error.message


def test_file_size_limit(reader_and_fixture):
    reader, fixture, _ = reader_and_fixture
    assert read_error(reader, fixture, Limits(max_file_bytes=1000)).code == "too_large"


def shrink_declared_size(path: Path, member: str, declared: int) -> None:
    """Rewrite a member's uncompressed size in the local header and the central directory."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_offset:start + name_offset + len(name)] == name:
                struct.pack_into("<I", data, start + size_offset, declared)
            start += 4
    path.write_bytes(bytes(data))


def test_member_larger_than_declared_is_stopped(tmp_path):
    padding = "".join(p(r("正文内容" * 20)) for _ in range(2000))       # ~300 KB of XML, compresses well
    path = docx_with_body(tmp_path / "liar.docx", padding)
    shrink_declared_size(path, "word/document.xml", 4000)
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == 4000
    error = read_error(docx.read, path)
    assert error.code == "zip_bomb" and "实际大小超过其声明的大小" in error.message


def test_bounded_stream_refuses_bytes_past_the_declared_size(tmp_path):
    info = zipfile.ZipInfo("word/document.xml")
    info.file_size = 10
    stream = _BoundedStream(io.BytesIO(b"x" * 64), info, package=None)
    with pytest.raises(ReadError) as error:
        stream.read()
    assert error.value.code == "zip_bomb"


def test_damaged_member_with_honest_size_is_corrupt_not_bomb(tmp_path):
    path = docx_with_body(tmp_path / "crc.docx", p(r("正文" * 500)))
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    crc_offset = data.find(b"PK\x01\x02")
    while data[crc_offset + 46:crc_offset + 46 + len(info.filename)] != info.filename.encode():
        crc_offset = data.find(b"PK\x01\x02", crc_offset + 4)
    struct.pack_into("<I", data, crc_offset + 16, info.CRC ^ 0xFFFF)      # wrong checksum in the directory
    path.write_bytes(bytes(data))
    assert read_error(docx.read, path).code == "corrupt_zip"


# -- OLE containers: encrypted OOXML and old binary files ------------------------------------------------

def test_password_protected_docx_is_encrypted(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    target = tmp_path / "secret.docx"
    with (FIXTURES / "docx_raw.docx").open("rb") as source, target.open("wb") as out:
        OOXMLFile(source).encrypt("密码123", out)
    error = read_error(docx.read, target)
    assert error.code == "encrypted" and "密码" in error.message


@pytest.mark.parametrize("tail, code", [
    ("EncryptionInfo".encode("utf-16-le"), "encrypted"),
    ("WordDocument".encode("utf-16-le"), "wrong_format"),
])
def test_damaged_ole_container(reader_and_fixture, tail, code):
    reader, _, tmp = reader_and_fixture
    path = tmp / "ole.bin"
    path.write_bytes(OLE_MAGIC + b"\x00" * 600 + tail)
    assert read_error(reader, path).code == code


# -- XML safety ------------------------------------------------------------------------------------------------

def texts_of_document_xml(tmp_path, name: str, document: str) -> list[str] | None:
    """The texts read from a package whose word/document.xml is `document`; None if refused."""
    path = write_parts(tmp_path / name, {"[Content_Types].xml": CONTENT_TYPES,
                                         "_rels/.rels": PKG_RELS.format(target="word/document.xml"),
                                         "word/document.xml": document})
    try:
        return [item.text for item in docx.read(path, Limits()) if isinstance(item, Segment)]
    except ReadError:
        return None


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    document = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>前&x;后</w:t></w:r></w:p></w:body></w:document>")
    texts = texts_of_document_xml(tmp_path, "xxe.docx", document)
    assert texts is None or all("机密内容" not in text for text in texts)


def test_entity_expansion_bomb_is_harmless(tmp_path):
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    document = (f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>")
    texts = texts_of_document_xml(tmp_path, "laughs.docx", document)
    assert texts is None or sum(len(text) for text in texts) < 10_000


# -- parts and properties ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("folder, target, expected", [
    ("word", "header1.xml", "word/header1.xml"), ("word", "../customXml/item1.xml", "customXml/item1.xml"),
    ("xl", "/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"), ("", "word/document.xml", "word/document.xml"),
])
def test_resolve_part(folder, target, expected):
    assert resolve_part(folder, target) == expected


def test_properties_from_core_app_and_custom():
    with OoxmlPackage(FIXTURES / "docx_raw.docx", Limits(), "Word 文档") as package:
        found = {seg.field: seg for seg in read_properties(package)}
    assert set(found) == {"作者", "最后修改者", "标题", "备注", "关键词", "单位", "经理", "经办人"}
    assert found["单位"].location == "文档属性: 单位"
    assert {seg.zone for seg in found.values()} == {Zone.PROPERTY}


def test_empty_properties_are_skipped(tmp_path):
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>  </dc:creator><dc:title/></cp:coreProperties>')
    path = docx_with_body(tmp_path / "p.docx", "", {"docProps/core.xml": core})
    assert list(docx.read(path, Limits())) == []


@pytest.mark.parametrize("data, word, expected", [
    (b'<?xml version="1.0" encoding="UTF-8"?><w:styles><w:vanish/></w:styles>', b"vanish", True),
    (b'<?xml version="1.0" encoding="UTF-8"?><w:styles><w:b/></w:styles>', b"vanish", False),
    (b"\xef\xbb\xbf<w:styles/>", b"vanish", False),                       # UTF-8 with BOM: searched
    ("<w:styles/>".encode("utf-16"), b"vanish", True),                    # UTF-16 with BOM: not searched
    ("<w:styles/>".encode("utf-16-le"), b"vanish", True),                 # UTF-16 without BOM: not searched
])
def test_may_mention_says_no_only_for_an_ascii_compatible_part_without_the_name(data, word, expected):
    assert may_mention(data, word) is expected
