"""The readers' shortcuts: each must give what the plain way gives, or fail here."""

from __future__ import annotations

import codecs
import dataclasses
import pickle

import pytest
from lxml import etree

from prepub_review.formats.base import Limits
from prepub_review.formats.document import open_document
from prepub_review.formats.sniff import Sniffed, sniff_content
from prepub_review.formats.text.reader import detect_encoding
from prepub_review.models import Locator, Segment, Zone
from tests.read.make_files import content, write


def test_readers_build_segments_and_locators_with_from_fields_in_this_field_order():
    """Readers call Segment.from_fields and Locator.from_fields positionally (the cheap constructors,
    one segment per cell or line): a reordered field would silently land in another one."""
    assert [f.name for f in dataclasses.fields(Segment)] == ["text", "location", "zone", "field", "record",
                                                             "locator", "anchor", "seams"]
    assert [f.name for f in dataclasses.fields(Locator)] == ["part", "path", "line", "column"]


def test_readers_build_anchors_with_from_fields_in_this_field_order():
    from prepub_review.formats.docx.reader import TextAnchor
    from prepub_review.formats.html.reader import HtmlAnchor
    from prepub_review.formats.text.reader import LineAnchor
    from prepub_review.formats.xlsx.reader import CellAnchor

    orders = {anchor: [f.name for f in dataclasses.fields(anchor)]
              for anchor in (TextAnchor, HtmlAnchor, LineAnchor, CellAnchor)}
    assert orders == {TextAnchor: ["pieces"], HtmlAnchor: ["element", "attribute", "order"],
                      LineAnchor: ["line", "order"], CellAnchor: ["part", "ref"]}
    assert CellAnchor.from_fields("xl/sheet1.xml", "C7") == CellAnchor("xl/sheet1.xml", "C7")


def test_a_segment_from_fields_is_the_frozen_segment_of_its_init():
    locator = Locator.from_fields("cell", (2, 3), 2, 3)
    built = Segment.from_fields("张三", "第2行 第3列", Zone.TABLE, "姓名", "第2行", locator, ("anchor",))
    plain = Segment("张三", "第2行 第3列", Zone.TABLE, "姓名", "第2行",
                    locator=Locator("cell", (2, 3), line=2, column=3), anchor=("anchor",))
    assert type(built) is Segment and built == plain and built.locator == plain.locator
    assert built.anchor == plain.anchor
    assert pickle.loads(pickle.dumps(built)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.text = "李四"


GB_LINES = "关于二〇二三年城乡最低生活保障对象的公示\n户主 张三 家庭人口 3 人\n"


@pytest.mark.parametrize("name, data", [
    ("a.txt", GB_LINES.encode("gbk")),
    ("a.csv", "姓名,电话\n张三,13800000000\n".encode("gb18030")),
    ("a.md", codecs.BOM_UTF8 + GB_LINES.encode()),
    ("noext", GB_LINES.encode("utf-16")),
])
def test_a_text_file_is_read_with_the_encoding_sniffing_found(tmp_path, monkeypatch, name, data):
    """Sniffing a text file detects its encoding the way the reader would; the reader takes it
    instead of detecting again, and reads what it reads on its own."""
    from prepub_review.formats.text import reader as text_reader

    path = write(tmp_path, name, data)
    sniffed = sniff_content(path)
    assert sniffed.encoding is not None and sniffed.encoding == detect_encoding(path)
    alone = [(s.text, s.location, s.field, s.locator) for s in text_reader.read(path, Limits())]
    calls = []
    monkeypatch.setattr(text_reader, "detect_encoding",
                        lambda *args, **kwargs: calls.append(args) or detect_encoding(*args, **kwargs))
    with open_document(path, Limits()) as document:
        read = [(s.text, s.location, s.field, s.locator) for s in content(document.items())]
    assert read == alone and alone
    assert calls == []


def test_a_text_file_named_as_a_binary_document_is_detected_again_by_its_reader(tmp_path):
    """Sniffing asks for stronger evidence of a .doc that holds text: its answer is not the reader's
    question, so the reader is given none."""
    path = write(tmp_path, "a.doc", GB_LINES.encode("gbk"))
    assert sniff_content(path) == Sniffed("text", None)
    with open_document(path, Limits()) as document:
        assert [s.text for s in content(document.items())] == GB_LINES.splitlines()


@pytest.mark.parametrize("parse", [etree.fromstring,
                                   lambda markup: etree.fromstring(markup, etree.HTMLParser())])
def test_an_elements_slice_is_its_children_as_iterated(parse):
    """The docx, xlsx and html walks loop over `elem[:]` (cheaper than lxml's child iterator): it must
    hold the same children, comments and processing instructions included, in the same order."""
    root = parse("<r><a>x<b/>y</a><!-- note --><?pi data?>t<c><d/><!--x--></c>tail<e/></r>")
    for elem in root.iter():
        assert elem[:] == list(elem)
    r = next(root.iter("r"))
    assert [child.tag for child in r[:] if isinstance(child.tag, str)] == ["a", "c", "e"]
    assert etree.Comment in [child.tag for child in r[:]]
