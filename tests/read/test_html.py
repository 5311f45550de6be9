"""HTML: visible blocks with source line and element path, tables, and what the page hides."""

from __future__ import annotations

import pytest

from prepub_review.models import Segment, Zone
from prepub_review.formats.document import read_document
from prepub_review.formats.base import Limits
from prepub_review.formats.html.reader import decode_html, read
from tests.read.make_files import PERSON_ID, PERSON_PHONE, content, write


def segments(tmp_path, html, encoding="utf-8", name="page.html"):
    return list(read(write(tmp_path, name, html, encoding), Limits()))


def by_text(found, text):
    found = [s for s in found if isinstance(s, Segment)]
    matches = [s for s in found if s.text == text]
    assert matches, f"{text!r} not among {[s.text for s in found]}"
    return matches[0]


PAGE = """<!DOCTYPE html>
<html>
<head><title>低保公示</title></head>
<body>
<div id="main">
<p>第一段</p>
<p>第二段<br>换行之后 <b>加粗</b> 结尾</p>
</div>
</body>
</html>
"""


def test_visible_blocks_with_line_and_element_path(tmp_path):
    found = segments(tmp_path, PAGE)
    assert by_text(found, "第一段") == Segment("第一段", "第6行 html>body>div#main>p[1]", Zone.TOP)
    assert by_text(found, "第二段").location == "第7行 html>body>div#main>p[2]"
    assert by_text(found, "换行之后 加粗 结尾").location == "第7行 html>body>div#main>p[2]"
    assert by_text(found, "低保公示") == Segment("低保公示", "第3行 html>head>title", Zone.PROPERTY, "title")


def test_text_before_and_after_a_nested_block_keeps_document_order(tmp_path):
    found = segments(tmp_path, "<html><body><div>前言<p>中间</p>后记</div></body></html>")
    assert [s.text for s in found] == ["前言", "中间", "后记"]


def test_only_first_blocks_are_top(tmp_path):
    body = "".join(f"<p>段落{n}</p>" for n in range(1, 9))
    found = segments(tmp_path, f"<html><body>{body}</body></html>")
    assert [s.zone for s in found] == [Zone.TOP] * 5 + [Zone.BODY] * 3


def test_pre_keeps_lines(tmp_path):
    found = segments(tmp_path, "<html><body><pre>姓名 赵小梅\n电话 " + PERSON_PHONE + "</pre></body></html>")
    assert [s.text for s in found] == ["姓名 赵小梅", "电话 " + PERSON_PHONE]


TABLE = f"""<html><body>
<table id="list">
<tr><td colspan="3">2023年低保对象名单</td></tr>
<tr><th>姓名</th><th>身份证号</th><th>住址</th></tr>
<tr><td>赵小梅</td><td>{PERSON_ID}</td><td rowspan="2">某村3组</td></tr>
<tr><td>钱多多<p>（户主）</p></td><td>{PERSON_ID[:-1]}X</td></tr>
</table>
</body></html>"""


def test_table_cells_get_header_field_and_row_record(tmp_path):
    found = segments(tmp_path, TABLE)
    title = by_text(found, "2023年低保对象名单")
    assert title.zone == Zone.TABLE and title.field is None
    assert by_text(found, "姓名").field is None
    name = by_text(found, "赵小梅")
    person_id = by_text(found, PERSON_ID)
    assert (name.field, person_id.field, by_text(found, "某村3组").field) == ("姓名", "身份证号", "住址")
    assert name.record == person_id.record == "html>body>table#list 第3行"
    assert person_id.location == "第5行 html>body>table#list>tr[3]>td[2]"
    assert person_id.zone == Zone.TABLE


def test_rowspan_shifts_the_columns_of_the_next_row(tmp_path):
    found = segments(tmp_path, TABLE)
    second_id = by_text(found, PERSON_ID[:-1] + "X")
    assert second_id.field == "身份证号"
    assert by_text(found, "（户主）").field == "姓名"          # a <p> inside a cell is still the cell
    assert second_id.record == by_text(found, "钱多多").record == "html>body>table#list 第4行"


def test_first_row_is_the_header_without_th(tmp_path):
    html = "<table><tr><td>姓名</td><td>电话</td></tr><tr><td>赵小梅</td><td>" + PERSON_PHONE + "</td></tr></table>"
    found = segments(tmp_path, html)
    assert by_text(found, PERSON_PHONE).field == "电话"


def test_nested_table_has_its_own_header(tmp_path):
    html = ("<table><tr><th>单位</th><th>明细</th></tr><tr><td>民政局</td><td>"
            "<table><tr><th>姓名</th><th>电话</th></tr><tr><td>赵小梅</td><td>" + PERSON_PHONE +
            "</td></tr></table></td></tr></table>")
    found = segments(tmp_path, html)
    assert by_text(found, "民政局").field == "单位"
    assert by_text(found, PERSON_PHONE).field == "电话"
    assert by_text(found, "赵小梅").record != by_text(found, "民政局").record


@pytest.mark.parametrize("element", [
    '<div hidden>{}</div>',
    '<div style="display: none">{}</div>',
    '<span style="COLOR:red;Visibility:Hidden">{}</span>',
    '<p class="text d-none">{}</p>',
    '<p class="hidden">{}</p>',
    '<p class="secret-info">{}</p>',          # hidden by the page's own <style>
    '<div style="display:none"><table><tr><td>{}</td></tr></table></div>',
    '<template><p>{}</p></template>',
])
def test_hidden_elements_are_read_in_the_hidden_zone(tmp_path, element):
    html = ("<html><head><style>.secret-info { color: red; display:none }</style></head><body><p>可见</p>"
            + element.format("赵小梅 " + PERSON_ID) + "</body></html>")
    found = segments(tmp_path, html)
    assert by_text(found, "赵小梅 " + PERSON_ID).zone == Zone.HIDDEN
    assert by_text(found, "可见").zone == Zone.TOP


def test_hidden_input_value(tmp_path):
    found = segments(tmp_path, f'<form><input type="hidden" name="sfzh" value="{PERSON_ID}"><input name="q"></form>')
    assert by_text(found, PERSON_ID).zone == Zone.HIDDEN
    assert by_text(found, PERSON_ID).field == "sfzh"


def test_comments_meta_and_attributes(tmp_path):
    html = f"""<!-- 页面制作：赵小梅 -->
<html><head>
<meta name="author" content="钱多多">
<meta property="og:title" content="低保公示">
</head><body>
<!-- 联系人电话
{PERSON_PHONE} -->
<img src="a.jpg" alt="赵小梅身份证照片">
<a href="#" title="户主 钱多多">详情</a>
<span data-idcard="{PERSON_ID}">详情</span>
</body></html>
<!-- 末尾 -->"""
    found = segments(tmp_path, html)
    assert by_text(found, "页面制作：赵小梅") == Segment("页面制作：赵小梅", "第1行 html 注释", Zone.COMMENT)
    assert by_text(found, PERSON_PHONE) == Segment(PERSON_PHONE, "第7行 html>body 注释", Zone.COMMENT)
    assert by_text(found, "联系人电话").location == "第6行 html>body 注释"
    assert by_text(found, "末尾").zone == Zone.COMMENT
    assert by_text(found, "钱多多") == Segment("钱多多", "第3行 html>head>meta[1]", Zone.PROPERTY, "author")
    assert by_text(found, "低保公示").field == "og:title"
    assert by_text(found, "赵小梅身份证照片") == Segment("赵小梅身份证照片", "第8行 html>body>img", Zone.PROPERTY, "alt")
    assert by_text(found, "户主 钱多多").field == "title"
    assert by_text(found, PERSON_ID).field == "data-idcard" and by_text(found, PERSON_ID).zone == Zone.HIDDEN


def test_script_string_literals(tmp_path):
    html = (f'<html><head><script>\nvar click = "button";\nvar row = {{name: "\\u8d75\\u5c0f\\u6885",\n'
            f' "sfzh": \'{PERSON_ID}\', note: `第一行\n第二行`}};\n</script></head><body></body></html>')
    found = [s for s in segments(tmp_path, html) if s.zone == Zone.SCRIPT]
    assert [(s.text, s.field, s.location) for s in found] == [
        ("赵小梅", "name", "第3行 html>head>script 脚本"),
        (PERSON_ID, "sfzh", "第4行 html>head>script 脚本"),
        ("第一行", "note", "第4行 html>head>script 脚本"),
        ("第二行", "note", "第5行 html>head>script 脚本"),
    ]


def test_style_text_is_not_read(tmp_path):
    found = segments(tmp_path, "<html><head><style>p { font-family: '宋体'; }</style></head><body><p>正文</p></body></html>")
    assert [s.text for s in found] == ["正文"]


@pytest.mark.parametrize("html, encoding", [
    ('<html><head><meta charset="gb2312"></head><body><p>朱镕基 赵小梅</p></body></html>', "gbk"),  # 镕 is not GB2312
    (('<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head>'
      '<body><p>朱镕基 赵小梅</p></body></html>'), "gb18030"),
    ('<html><head><meta charset="utf-8"></head><body><p>朱镕基 赵小梅</p></body></html>', "gbk"),  # wrong claim
    ("<html><body><p>朱镕基 赵小梅 低保对象名单公示</p></body></html>", "gbk"),                     # no claim
    ("<html><body><p>朱镕基 赵小梅</p></body></html>", "utf-16"),
    ("\ufeff<html><body><p>朱镕基 赵小梅</p></body></html>", "utf-8"),
])
def test_page_encodings(tmp_path, html, encoding):
    found = segments(tmp_path, html, encoding)
    assert [s.text for s in found if s.zone in (Zone.TOP, Zone.BODY)] == ["朱镕基 赵小梅" + (
        " 低保对象名单公示" if "低保" in html else "")]


def test_decode_html_reports_the_codec():
    assert decode_html('<meta charset="gb2312"><p>公示</p>'.encode("gbk"))[1] == "gb18030"


def test_html_named_txt_is_read_as_html(tmp_path):
    path = write(tmp_path, "名单.txt", "<html><body><!-- 备注 --><p>赵小梅</p></body></html>")
    fmt, items = read_document(path, Limits())
    found = content(items)
    assert fmt == "html"
    assert [s.zone for s in found] == [Zone.COMMENT, Zone.TOP]
