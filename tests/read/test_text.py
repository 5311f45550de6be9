"""Text and CSV: encoding detection, streaming line reading, CSV rows with headers."""

from __future__ import annotations

import codecs
import tracemalloc

import pytest

from prepub_review.models import Notice, Segment, Zone
from prepub_review.formats.base import Limits
from prepub_review.formats.text.reader import DetectedEncoding, detect_encoding, read
from tests.read.make_files import PERSON_ID, PERSON_PHONE, write

SHORT_GBK = "低保对象名单公示表"                                 # short: charset-normalizer alone says cp949
RARE_GB18030 = "𠀀㐀䶵 是 GB18030 才有的字，户主㙟小明"           # outside GBK
BIG5_TEXT = "臺灣省社會救助對象名冊，戶長陳大文，聯絡電話"


def segments(path):
    return list(read(path, Limits()))


@pytest.mark.parametrize("text, encoding, expected_codec, expected_bom", [
    ("民政局公示 " + PERSON_ID, "utf-8", "utf-8", b""),
    ("民政局公示", "utf-8-sig", "utf-8", codecs.BOM_UTF8),
    ("民政局公示", "utf-16-le", "utf-16-le", codecs.BOM_UTF16_LE),
    ("民政局公示", "utf-16-be", "utf-16-be", codecs.BOM_UTF16_BE),
    ("民政局公示", "utf-32-le", "utf-32-le", codecs.BOM_UTF32_LE),
    (SHORT_GBK, "gbk", "gb18030", b""),
    (RARE_GB18030, "gb18030", "gb18030", b""),
    (BIG5_TEXT * 3, "big5", "big5", b""),
    ("plain ascii only", "ascii", "utf-8", b""),
])
def test_detect_encoding_and_read_back(tmp_path, text, encoding, expected_codec, expected_bom):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE}.get(encoding, b"")
    data = bom + text.encode(encoding)
    path = write(tmp_path, "a.txt", data)
    found = detect_encoding(path)
    assert found == DetectedEncoding(expected_codec, expected_bom)
    # The redactor writes files back this way: it must give the same bytes.
    assert found.bom + text.encode(found.codec) == data
    assert [s.text for s in segments(path)] == [text.strip()]


def test_utf16_without_bom_ascii_heavy(tmp_path):
    path = write(tmp_path, "a.txt", f"ID {PERSON_ID} 张三\r\n".encode("utf-16-le"))
    assert detect_encoding(path).codec == "utf-16-le"
    assert segments(path)[0].text == f"ID {PERSON_ID} 张三"


def test_binary_is_not_text(tmp_path):
    assert detect_encoding(write(tmp_path, "a.txt", bytes(range(256)) * 8)) is None


def test_lines_locations_and_top_zone(tmp_path):
    lines = ["秘密★1年", "", "关于低保的通知", "第三", "第四", "第五", "第六：联系电话 " + PERSON_PHONE]
    found = segments(write(tmp_path, "a.txt", "\r\n".join(lines) + "\r\n"))
    assert [(s.text, s.location, s.zone) for s in found] == [
        ("秘密★1年", "第1行", Zone.TOP),
        ("关于低保的通知", "第3行", Zone.TOP),
        ("第三", "第4行", Zone.TOP),
        ("第四", "第5行", Zone.TOP),
        ("第五", "第6行", Zone.TOP),
        ("第六：联系电话 " + PERSON_PHONE, "第7行", Zone.BODY),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path, newline):
    found = segments(write(tmp_path, "a.md", newline.join(["一", "二", "三"])))
    assert [(s.text, s.location) for s in found] == [("一", "第1行"), ("二", "第2行"), ("三", "第3行")]


def test_segments_never_hold_a_line_break(tmp_path):
    found = segments(write(tmp_path, "a.txt", "甲\v乙\f丙\u2028丁\x1c戊"))
    assert [s.text for s in found] == ["甲", "乙", "丙", "丁", "戊"]
    assert all(s.location == "第1行" for s in found)


def test_overlong_line_is_cut_but_keeps_its_line_number(tmp_path):
    found = segments(write(tmp_path, "a.txt", "第一行\n" + "字" * 250_000 + "\n末行"))
    assert [s.location for s in found] == ["第1行", "第2行", "第2行", "第2行", "第3行"]
    assert sum(len(s.text) for s in found if s.location == "第2行") == 250_000


def test_ascii_head_then_gbk_is_detected_past_the_sample(tmp_path):
    data = ("x" * 99 + "\n").encode() * 4000 + "户主：赵小梅\n".encode("gbk")
    path = write(tmp_path, "a.txt", data)
    assert detect_encoding(path).codec == "gb18030"
    assert segments(path)[-1] == Segment("户主：赵小梅", "第4001行", Zone.BODY)


def test_undecodable_bytes_give_a_notice(tmp_path):
    head = ("民政局公示内容" * 10 + "\n").encode() * 2000      # > 256 KB of clean UTF-8
    path = write(tmp_path, "a.txt", head + b"bad \xff\xfe byte\n" + "末行\n".encode())
    found = segments(path)
    notices = [item for item in found if isinstance(item, Notice)]
    assert len(notices) == 1
    assert notices[0].code == "decode_errors" and notices[0].location == "第2001行"
    assert found[-2].text == "末行"


def test_large_file_streams_with_bounded_memory(tmp_path):
    line = f"户主赵小梅，身份证号{PERSON_ID}，联系电话{PERSON_PHONE}。\n".encode("gb18030")
    path = write(tmp_path, "big.txt", line * (4 * 1024 * 1024 // len(line)))   # 4 MB
    tracemalloc.start()
    count = 0
    for _ in read(path, Limits()):
        count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 4 * 1024 * 1024 // len(line)
    assert peak < 2 * 1024 * 1024       # far below the file size: the file is streamed


def test_csv_rows_with_header_fields(tmp_path):
    content = f"姓名,身份证号,住址\r\n赵小梅,{PERSON_ID},\"某村3组,12号\"\r\n\r\n钱多多,\"备注\n第二行\",某村\r\n"
    found = segments(write(tmp_path, "名单.csv", content, "gbk"))
    assert found[:3] == [
        Segment("姓名", "第1行 第1列", Zone.TABLE, None, "第1行"),
        Segment("身份证号", "第1行 第2列", Zone.TABLE, None, "第1行"),
        Segment("住址", "第1行 第3列", Zone.TABLE, None, "第1行"),
    ]
    assert found[3:6] == [
        Segment("赵小梅", "第2行 第1列", Zone.TABLE, "姓名", "第2行"),
        Segment(PERSON_ID, "第2行 第2列", Zone.TABLE, "身份证号", "第2行"),
        Segment("某村3组,12号", "第2行 第3列", Zone.TABLE, "住址", "第2行"),
    ]
    # A quoted cell spanning two lines: pieces stay in the record that starts on line 4.
    assert [(s.text, s.location, s.field) for s in found[6:]] == [
        ("钱多多", "第4行 第1列", "姓名"), ("备注", "第4行 第2列", "身份证号"),
        ("第二行", "第4行 第2列", "身份证号"), ("某村", "第4行 第3列", "住址")]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_other_delimiters(tmp_path, delimiter):
    content = delimiter.join(["姓名", "电话"]) + "\n" + delimiter.join(["赵小梅", PERSON_PHONE]) + "\n"
    found = segments(write(tmp_path, "a.csv", content, "utf-8-sig"))
    assert found[-1] == Segment(PERSON_PHONE, "第2行 第2列", Zone.TABLE, "电话", "第2行")


def test_markdown_pipe_table(tmp_path):
    content = "# 公示\n\n| 姓名 | 身份证号 |\n|---|:---:|\n| 赵小梅 | " + PERSON_ID + " |\n\n结束\n"
    found = segments(write(tmp_path, "a.md", content))
    assert Segment(PERSON_ID, "第5行 第2列", Zone.TABLE, "身份证号", "第5行") in found
    assert Segment("赵小梅", "第5行 第1列", Zone.TABLE, "姓名", "第5行") in found
    assert found[-1].text == "结束" and found[-1].field is None


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_text_cut_mid_character_is_read_with_a_notice_about_its_end(tmp_path, encoding):
    lines = ["关于低保对象的公示", f"户主赵小梅，联系电话{PERSON_PHONE}", "公示期七天"]
    data = "\n".join(lines).encode(encoding)[:-1]          # the last 天 loses a byte
    found = segments(write(tmp_path, "a.txt", data))
    texts = [item.text for item in found if isinstance(item, Segment)]
    assert texts[:2] == lines[:2] and texts[2].startswith("公示期七")
    [notice] = [item for item in found if isinstance(item, Notice)]
    assert notice.code == "decode_errors" and notice.location == "第3行"
    assert "文件末尾不完整" in notice.detail and "截断" in notice.detail


def test_a_cut_csv_is_read_with_a_notice_about_its_end(tmp_path):
    data = f"姓名,电话\n赵小梅,{PERSON_PHONE}\n李四,备注说明".encode("gbk")[:-1]
    found = segments(write(tmp_path, "名单.csv", data))
    assert [s.text for s in found if isinstance(s, Segment)][:4] == ["姓名", "电话", "赵小梅", PERSON_PHONE]
    [notice] = [item for item in found if isinstance(item, Notice)]
    assert notice.location == "第3行" and "文件末尾不完整" in notice.detail


def test_bad_bytes_inside_and_at_the_end_give_both_notices(tmp_path):
    head = ("民政局公示内容" * 10 + "\n").encode() * 2000      # > 256 KB of clean UTF-8
    data = head + b"bad \xff byte\n" + "末行".encode()[:-1]
    notices = [item for item in segments(write(tmp_path, "a.txt", data)) if isinstance(item, Notice)]
    assert [(n.location, "文件末尾不完整" in n.detail) for n in notices] == [("第2001行", False), ("第2002行", True)]


def _sniffing_samples() -> list[str]:
    """CSV heads of the shapes a sniffer meets: clean tables with each delimiter, a title line over
    the table, ragged rows, quoted cells, two delimiters in every line, spaces after the delimiter,
    a table longer than one ten-line chunk, and text that is no table at all."""
    rows = [f"{n},张{n},{PERSON_ID},{PERSON_PHONE}" for n in range(1, 40)]
    samples = ["序号,姓名,身份证号,电话\n" + "\n".join(rows)]
    samples += [sample.replace(",", delimiter) for sample in samples[:1] for delimiter in ";\t|"]
    samples.append("2024年低保名单\n\n" + samples[0])
    samples.append("标题;说明\n" + "\n".join(f"{n},{n};x" if n % 3 else f"{n};{n},y" for n in range(30)))
    samples.append("a,b;c\n" * 25)
    samples.append("a, b, c\n1, 2, 3\n4, 5, 6")
    samples.append('"姓名","地址"\n"张三","杭州,西湖"\n"李四","宁波"')
    samples.append("姓名;'地址'\n张三;'杭州;西湖'\n李四;'宁波'")
    samples.append("\n".join(f"{n}|{n},{n};{n}" + ("," * (n % 4)) for n in range(60)))
    samples.append("\n".join("x" * n for n in range(1, 30)))
    samples.append("")
    samples.append("一行，没有分隔符")
    samples.append("a\tb\tc\n1\t2\n3\t4\t5\t6\n" * 8)
    return samples


@pytest.mark.parametrize("sample", _sniffing_samples())
def test_csv_sniffer_guesses_the_delimiter_as_the_standard_sniffer_does(sample):
    import csv

    from prepub_review.formats.text.reader import CSV_DELIMITERS, CsvSniffer

    def dialect(sniffer):
        try:
            found = sniffer.sniff(sample, delimiters=CSV_DELIMITERS)
        except csv.Error as exc:
            return str(exc)
        return found.delimiter, found.skipinitialspace, found.quotechar, found.doublequote

    for delimiters in (CSV_DELIMITERS, None):
        standard = csv.Sniffer()._guess_delimiter(sample, delimiters)
        assert CsvSniffer()._guess_delimiter(sample, delimiters) == standard
        standard = csv.Sniffer()._guess_quote_and_delimiter(sample, delimiters)
        assert CsvSniffer()._guess_quote_and_delimiter(sample, delimiters) == standard
    assert dialect(CsvSniffer()) == dialect(csv.Sniffer())


def test_csv_sniffer_replaces_the_standard_delimiter_guess(tmp_path, monkeypatch):
    """The standard sniffer calls _guess_delimiter; if it stopped doing so, the cheaper guess would
    silently go unused."""
    from prepub_review.formats.text import reader as text_reader

    guesses = []
    guess = text_reader.guess_delimiter
    monkeypatch.setattr(text_reader, "guess_delimiter", lambda *args: guesses.append(1) or guess(*args))
    path = write(tmp_path, "a.csv", "姓名;电话\n张三;13800000000\n李四;13900000000\n".encode())
    texts = ["姓名", "电话", "张三", "13800000000", "李四", "13900000000"]
    assert [s.text for s in read(path, Limits())] == texts
    assert guesses == [1]
