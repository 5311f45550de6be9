"""The PDF reader's system font finder (formats/pdf/fonts.py): the same text and character boxes as
pdfium's own finder, and a substitute font file read once for many documents."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from prepub_review.formats.base import Limits
from prepub_review.formats.pdf import fonts
from prepub_review.formats.pdf.reader import read
from tests.read.make_files import PERSON_ID, PERSON_PHONE, pdf_bytes, write

LINES = ["某某县民政局2023年城乡低保对象名单公示", f"张三丰 身份证号 {PERSON_ID} 电话 {PERSON_PHONE}",
         "地址：某某镇幸福村3组12号（ABC abc 0123456789）"]

TEXT_AND_BOXES = """
import json, sys
import pypdfium2 as pdfium

def text_and_boxes(path):
    document = pdfium.PdfDocument(path)
    pages = []
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
        pages.append([textpage.get_text_range(), boxes])
    document.close()
    return json.loads(json.dumps(pages))

if __name__ == "__main__":
    print(json.dumps(text_and_boxes(sys.argv[1])))
"""


def _in_this_process(path) -> list:
    namespace: dict = {}
    exec(TEXT_AND_BOXES, namespace)
    return namespace["text_and_boxes"](str(path))


def test_text_and_character_boxes_are_those_of_pdfiums_own_font_finder(tmp_path):
    path = write(tmp_path, "a.pdf", pdf_bytes([LINES, LINES[::-1]]))
    own = subprocess.run([sys.executable, "-c", TEXT_AND_BOXES, str(path)], capture_output=True, text=True,
                         check=True)
    assert fonts.install() is not None
    ours = _in_this_process(path)
    assert ours == json.loads(own.stdout)
    assert LINES[1] in ours[0][0]


def test_a_substitute_font_file_is_read_once_for_many_documents(tmp_path):
    paths = [write(tmp_path, f"{n}.pdf", pdf_bytes([[f"第{n}份", *LINES]])) for n in range(3)]
    list(read(paths[0], Limits()))
    if fonts.files_loaded() == 0:
        pytest.skip("no system font stands in for STSong-Light on this machine")
    loaded = fonts.files_loaded()
    for path in paths[1:]:
        assert any(LINES[1] in getattr(item, "text", "") for item in read(path, Limits()))
    assert fonts.files_loaded() == loaded


def test_a_page_the_keeper_cannot_copy_does_not_stop_the_reading(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    def fails(*args, **kwargs):
        raise pdfium.PdfiumError("Failed to load page.")

    keeper = fonts.FontKeeper()
    monkeypatch.setattr(keeper, "document", pdfium.PdfDocument.new())
    monkeypatch.setattr(keeper.document, "get_page", fails)
    source = pdfium.PdfDocument(str(write(tmp_path, "a.pdf", pdf_bytes([LINES]))))
    keeper.keep(source, 0)
    assert keeper.pages == [] and len(keeper.document) == 1
