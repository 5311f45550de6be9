"""Link extraction and resolution: relative, root-relative, URL-encoded Chinese names, ../, leaving."""

from tests.site.sitegen import page_html

from prepub_review.site.links import EXTERNAL, LOCAL, MISSING, OUTSIDE, is_attachment, page_links


def test_links_resolve_inside_the_root(tmp_path):
    root = tmp_path / "site"
    (root / "附件").mkdir(parents=True)
    (root / "附件" / "名单 2026.xlsx").write_bytes(b"x")
    (root / "about").mkdir()
    (root / "about" / "index.html").write_text("<p>about</p>", encoding="utf-8")
    page = root / "xxgk" / "a.html"
    page.parent.mkdir()
    html = page_html("t", ["p"], [
        ("../%E9%99%84%E4%BB%B6/%E5%90%8D%E5%8D%95%202026.xlsx?v=2#top", "relative, encoded, query"),
        ("/附件/名单 2026.xlsx", "root-relative"),
        ("../../secret.docx", "leaves the root"),
        ("https://www.gov.cn/x.pdf", "other host"),
        ("//cdn.example.org/a.js", "protocol-relative host"),
        ("missing.pdf", "broken"),
        ("mailto:office@example.invalid", "not a file"),
        ("#top", "fragment"),
        ("/about/", "folder with index"),
    ])
    page.write_text(html, encoding="utf-8")
    links = page_links(str(page), page.read_bytes(), str(root)).links
    kinds = [(link.href.split("?")[0][:12], link.kind) for link in links]
    assert [k for _, k in kinds] == [LOCAL, LOCAL, OUTSIDE, EXTERNAL, EXTERNAL, MISSING, LOCAL]
    target = str(root / "附件" / "名单 2026.xlsx")
    assert links[0].target == target and links[1].target == target
    assert links[5].target == str(root / "xxgk" / "missing.pdf")
    assert links[6].target == str(root / "about" / "index.html")
    assert all(link.line > 1 for link in links)
    suffixes = frozenset({".xlsx", ".html"})
    assert is_attachment(links[0], suffixes) and not is_attachment(links[6], suffixes)


def test_gbk_pages_and_broken_markup_do_not_stop_extraction(tmp_path):
    page = tmp_path / "old.htm"
    (tmp_path / "表.xls").write_bytes(b"x")
    page.write_bytes('<html><body><a href="表.xls">下载<a href=\'表.xls\'></p></div>'.encode("gb18030"))
    links = page_links(str(page), page.read_bytes(), str(tmp_path)).links
    assert [link.kind for link in links] == [LOCAL, LOCAL]


def test_link_names_in_any_case_are_found_and_a_page_without_them_has_no_links(tmp_path):
    from prepub_review.site.links import raw_links

    assert raw_links('<p>\n<A HREF="a.pdf">一</A><IMG Src="b.png"></p>'.encode("gb18030")) == [("a.pdf", 2),
                                                                                              ("b.png", 2)]
    assert raw_links('<p title="hr&#101;f">没有链接</p><a hre="x">'.encode("utf-8")) == []


def test_a_pdf_embedded_with_object_data_is_a_link_and_data_attributes_are_not():
    from prepub_review.site.links import raw_links

    page = '<div data="x.pdf" data-src="y.pdf">\n<OBJECT DATA="附件/名单.pdf" type="application/pdf"></OBJECT></div>'
    assert raw_links(page.encode("utf-8")) == [("附件/名单.pdf", 2)]


def test_shtml_pages_are_pages_not_attachments():
    from prepub_review.site.links import LOCAL, Link, is_page

    assert is_page("site/xxgk/t20251001_1.shtml") and is_page("a.XHTML")
    assert not is_attachment(Link("t1.shtml", 1, LOCAL, "site/t1.shtml"), frozenset({".shtml", ".pdf"}))
