"""sniff(): the real format comes from the content, whatever the extension says."""

from __future__ import annotations

import codecs
import shutil
import struct

import olefile
import pytest

from prepub_review.errors import ReadError
from prepub_review.formats.sniff import sniff
from tests.read.make_files import LEGACY, docx_bytes, encrypted_docx_bytes, write, xlsx_bytes, zip_bytes

GB_TEXT = "关于二〇二三年城乡最低生活保障对象的公示"


@pytest.mark.parametrize("name", ["a.docx", "a.doc", "a.wps", "a.txt", "noext"])
def test_docx_content_is_docx_whatever_the_name(tmp_path, name):
    assert sniff(write(tmp_path, name, docx_bytes())) == "docx"


@pytest.mark.parametrize("name", ["a.xlsx", "a.xls", "a.et", "a.csv"])
def test_xlsx_content_is_xlsx_whatever_the_name(tmp_path, name):
    assert sniff(write(tmp_path, name, xlsx_bytes())) == "xlsx"


@pytest.mark.parametrize("members, expected_words", [
    ({"mimetype": "application/epub+zip", "content.opf": "<x/>"}, "电子书"),
])
def test_other_zip_containers_are_unsupported_with_their_name(tmp_path, members, expected_words):
    """(A plain archive of files is the 'zip' format: see test_archive.py.)"""
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, "report.docx", zip_bytes(members)))
    assert caught.value.code == "unsupported_format"
    assert expected_words in caught.value.message


def test_truncated_zip_is_corrupt(tmp_path):
    data = docx_bytes()
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, "cut.docx", data[: len(data) // 2]))
    assert caught.value.code == "corrupt_zip"
    assert ".docx" in caught.value.message


@pytest.mark.parametrize("fixture, name, expected", [
    ("recipients.doc", "a.doc", "doc"),
    ("recipients.doc", "a.wps", "doc"),     # WPS 文字 saves .wps as a Word 97 file
    ("recipients.doc", "a.docx", "doc"),    # an old file renamed
    ("recipients.xls", "a.xls", "xls"),
    ("recipients.xls", "a.et", "xls"),      # WPS 表格 saves .et as an Excel 97 file
])
def test_legacy_ole_files(tmp_path, fixture, name, expected):
    path = tmp_path / name
    shutil.copy(LEGACY / fixture, path)
    assert sniff(path) == expected


def test_password_protected_docx_is_encrypted(tmp_path):
    assert sniff(write(tmp_path, "secret.docx", encrypted_docx_bytes())) == "encrypted"


def test_encrypted_word97_flag_is_encrypted(tmp_path):
    path = tmp_path / "secret.doc"
    shutil.copy(LEGACY / "recipients.doc", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        flags = struct.unpack_from("<H", stream, 0x0A)[0]
        struct.pack_into("<H", stream, 0x0A, flags | 0x0100)   # fEncrypted
        ole.write_stream("WordDocument", bytes(stream))
    assert sniff(path) == "encrypted"


@pytest.mark.parametrize("head", [b"%PDF-1.7\n", b"\r\n%PDF-1.4\n", b"junk before\n%PDF-1.5\n"])
def test_pdf_header(tmp_path, head):
    assert sniff(write(tmp_path, "a.pdf", head + b"1 0 obj\n<<>>\nendobj\n")) == "pdf"


@pytest.mark.parametrize("content, encoding", [
    ("<!DOCTYPE html><html><body><p>公示</p></body></html>", "utf-8"),
    ("<!doctype HTML>\n<p>公示</p>", "utf-8"),
    ("\ufeff  \n<HTML><HEAD><TITLE>公示</TITLE></HEAD></HTML>", "utf-8"),
    ("<?xml version='1.0' encoding='gbk'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><body>公示</body></html>", "gbk"),
    ("<!-- 保存自某网站 -->\n<html><body>公示</body></html>", "gbk"),
    ("  <table><tr><td>姓名</td></tr></table>", "utf-8"),
    ("<body>公示</body>", "utf-16"),
    ("<meta charset=\"gbk\"><p>公示</p>", "gbk"),
])
@pytest.mark.parametrize("name", ["page.html", "page.txt", "page.doc"])
def test_html_by_content(tmp_path, content, encoding, name):
    assert sniff(write(tmp_path, name, content, encoding)) == "html"


@pytest.mark.parametrize("content", [
    "关于 <html> 标签的说明：网页以 <html> 开头。",
    "姓名,备注\n张三,<table> 在第二行\n",
])
def test_text_that_mentions_tags_is_text(tmp_path, content):
    assert sniff(write(tmp_path, "note.txt", content)) == "text"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "gbk", "gb18030", "utf-32"])
def test_text_in_common_encodings(tmp_path, encoding):
    data = GB_TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert sniff(write(tmp_path, "a.txt", data)) == "text"


def test_rtf_is_unsupported_clearly(tmp_path):
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, "a.doc", r"{\rtf1\ansi\deff0 {\fonttbl} hello}"))
    assert caught.value.code == "unsupported_format"
    assert "RTF" in caught.value.message and ".doc" in caught.value.message


@pytest.mark.parametrize("name, head, kind", [("附件.rar", b"Rar!\x1a\x07\x01\x00", "RAR"),
                                              ("附件.7z", b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
                                              ("附件.doc", b"Rar!\x1a\x07\x00", "RAR")])
def test_rar_and_7z_archives_say_to_unpack_them(tmp_path, name, head, kind):
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, name, head + bytes(64)))
    assert caught.value.code == "unsupported_format"
    assert f"{kind} 压缩包" in caught.value.message and "解压" in caught.value.message


def test_empty_file(tmp_path):
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, "a.docx", b""))
    assert caught.value.code == "empty"
    assert caught.value.message == "文件为空（0 字节），无法审查"


@pytest.mark.parametrize("name, words", [
    ("a.docx", "文件扩展名为 .docx，但内容不是 Word 文档"),
    ("a.xls", "文件扩展名为 .xls，但内容不是 Excel 表格"),
    ("a.pdf", "文件扩展名为 .pdf，但内容不是 PDF 文件"),
    ("a.bin", "无法识别的文件格式（扩展名为 .bin）"),
])
def test_binary_junk_names_the_claimed_extension(tmp_path, name, words):
    junk = bytes(random_bytes(4096))
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, name, junk))
    assert caught.value.code == "unknown_format"
    assert words in caught.value.message


def random_bytes(count: int) -> bytes:
    import random

    rng = random.Random(7)
    return bytes([0x00, 0x13, 0x88, 0xfe]) + bytes(rng.randrange(256) for _ in range(count))


# --- junk is never text; a text cut short still is (issue 7) ---------------------------------------

def junk_samples(count: int, sizes: range, seed: int) -> list[bytes]:
    """Random byte strings like a broken download or a mislabelled binary (no zero byte, the
    easy case, in half of them)."""
    import random

    rng = random.Random(seed)
    samples = []
    for i in range(count):
        size = rng.choice(sizes)
        low = 1 if i % 2 else 0
        samples.append(bytes(rng.randrange(low, 256) for _ in range(size)))
    return samples


@pytest.mark.parametrize("name", ["a.docx", "a.xlsx", "a.pdf", "a.doc"])
def test_random_bytes_named_as_a_document_are_never_text(tmp_path, name):
    accepted = []
    for data in junk_samples(400, range(6, 200), seed=len(name) + ord(name[2])):
        try:
            accepted.append(sniff(write(tmp_path, name, data)))
        except ReadError as error:
            assert error.code == "unknown_format"
            assert f"文件扩展名为 {name[1:]}，但内容不是" in error.message
    assert accepted == []


def test_random_bytes_named_txt_are_not_text(tmp_path):
    accepted = []
    for data in junk_samples(400, range(16, 300), seed=3):
        try:
            accepted.append((sniff(write(tmp_path, "a.txt", data)), data))
        except ReadError as error:
            assert error.code == "unknown_format"
    assert accepted == []


def test_binary_with_a_few_text_runs_is_not_text(tmp_path):
    [noise] = junk_samples(1, range(600, 601), seed=5)
    data = noise[:200] + "户主赵小梅 联系电话".encode() + noise[200:400] + b"Microsoft Word" + noise[400:]
    with pytest.raises(ReadError) as caught:
        sniff(write(tmp_path, "a.docx", data))
    assert caught.value.code == "unknown_format"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
@pytest.mark.parametrize("name", ["a.txt", "a.csv", "a.docx"])
def test_text_cut_mid_character_is_still_text(tmp_path, encoding, name):
    data = (GB_TEXT + "\n联系人：赵小梅\n").encode(encoding)[:-3]   # the last character loses a byte
    assert sniff(write(tmp_path, name, data)) == "text"


@pytest.mark.parametrize("text", [
    "户主：赵小梅",
    "关于二〇二三年城乡最低生活保障对象的公示\n户主 张三 家庭人口 3 人\n",
    "臺灣省社會救助對象名冊，戶長陳大文，聯絡電話",
])
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5"])
def test_short_legacy_encoded_text_is_text(tmp_path, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{encoding} cannot hold this text")
    assert sniff(write(tmp_path, "a.txt", data)) == "text"
    assert sniff(write(tmp_path, "a.doc", data)) == "text"   # old systems export text as .doc


@pytest.mark.parametrize("fixture, name, expected", [
    ("recipients.odt", "通知.odt", "odt"), ("recipients.ods", "名单.ods", "ods"),
    ("recipients.odt", "名单.docx", "odt"),                 # by content, whatever the name
])
def test_open_document_is_sniffed_for_conversion(tmp_path, fixture, name, expected):
    assert sniff(write(tmp_path, name, (LEGACY / fixture).read_bytes())) == expected
