"""PowerPoint presentations (formats/pptx/): before, a .pptx was recognised and refused ("save it as
PDF"); a 汇报 deck with the list pasted into a slide as a table is a common site attachment."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from prepub_review.formats.sniff import sniff
from tests import synth
from tests.conftest import run_prepub

pptx = pytest.importorskip("pptx", reason="python-pptx (the [test] extra) builds the decks")
from pptx.enum.shapes import PP_PLACEHOLDER  # noqa: E402
from pptx.util import Inches  # noqa: E402

RNG = random.Random(20261209)
FAKE = synth.faker(20261209)
PEOPLE = [(FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)) for _ in range(3)]
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


def deck(path: Path) -> Path:
    """Four slides as a clerk makes them: a text box whose ID is split over two runs, the list as a
    table, speaker notes, a hidden slide; a photo whose alt text names its owner; a footer on the
    master; the author in the properties; a classic review comment on slide 1."""
    presentation = pptx.Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[5])
    first.shapes.title.text = "2026年城乡低保工作汇报"
    paragraph = first.shapes.add_textbox(Inches(1), Inches(1.5), Inches(8), Inches(1)).text_frame.paragraphs[0]
    paragraph.add_run().text = f"典型户：户主{PEOPLE[0][0]}，身份证"
    paragraph.add_run().text = f"号{PEOPLE[0][1]}"
    photo = path.with_suffix(".png")
    Image.new("RGB", (40, 40), "white").save(photo)
    picture = first.shapes.add_picture(str(photo), Inches(1), Inches(3))
    picture._element.nvPicPr.cNvPr.set("descr", f"{PEOPLE[0][0]}家住房照片")
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "保障对象名单"
    table = second.shapes.add_table(4, 3, Inches(0.5), Inches(1.5), Inches(9), Inches(2)).table
    for column, header in enumerate(["姓名", "身份证号", "联系电话"]):
        table.cell(0, column).text = header
    for row, person in enumerate(PEOPLE, 1):
        for column, value in enumerate(person):
            table.cell(row, column).text = value
    second.notes_slide.notes_text_frame.text = f"汇报时说明：{PEOPLE[1][0]}家联系电话 {PEOPLE[1][2]}"
    hidden = presentation.slides.add_slide(presentation.slide_layouts[6])
    hidden._element.set("show", "0")
    hidden.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1)).text_frame.text = \
        f"备用页：户主{PEOPLE[2][0]} 身份证号 {PEOPLE[2][1]}"
    [footer] = [shape for shape in presentation.slide_masters[0].placeholders
                if shape.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
    footer.text_frame.text = f"制作：{FAKE.name()} 电话 {PEOPLE[2][2]}"
    presentation.core_properties.author = FAKE.name()
    presentation.save(path)
    return _with_comment(path, f"请核实{PEOPLE[0][0]}的身份证号 {PEOPLE[0][1]}")


def _with_comment(path: Path, text: str) -> Path:
    """A classic PowerPoint review comment on slide 1 (python-pptx does not write comments)."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    members["ppt/slides/_rels/slide1.xml.rels"] = members["ppt/slides/_rels/slide1.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdCm" Type="{rel}" Target="../comments/comment1.xml"/>'
                             f"</Relationships>".encode())
    members["ppt/comments/comment1.xml"] = (f'<p:cmLst xmlns:p="{P_NS}"><p:cm authorId="0" idx="1"><p:pos x="10" y="10"/>'
                                            f"<p:text>{text}</p:text></p:cm></p:cmLst>").encode()
    members["ppt/commentAuthors.xml"] = (f'<p:cmAuthorLst xmlns:p="{P_NS}"><p:cmAuthor id="0" name="{FAKE.name()}" '
                                         'initials="X" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>').encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/ppt/comments/comment1.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.presentationml.comments+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


def test_a_deck_is_read_everywhere_it_keeps_text(tmp_path):
    path = deck(tmp_path / "汇报.pptx")
    assert sniff(path) == "pptx"
    run = run_prepub("check", str(path), "--format", "json")
    assert run.code == 1
    found = {(f["location"], f["entity"], f.get("field")) for f in run.json()["documents"][0]["findings"]
             if f["severity"] == "block"}
    assert ("第1张幻灯片", "CN_ID_CARD", None) in found                     # across two runs
    assert ("第2张幻灯片 表格1 第2行 第2列", "CN_ID_CARD", "身份证号") in found
    assert ("第2张幻灯片 备注", "PHONE_NUMBER", None) in found
    assert ("第3张幻灯片（隐藏）", "CN_ID_CARD", None) in found
    assert any(location.startswith("幻灯片母版") and entity == "PHONE_NUMBER" for location, entity, _ in found)
    assert ("第1张幻灯片 批注1", "CN_ID_CARD", None) in found
    assert all(value not in run.stdout for person in PEOPLE for value in person[1:])


def test_a_deck_is_redacted_in_place(tmp_path):
    path = deck(tmp_path / "汇报.pptx")
    out = tmp_path / "out.pptx"
    run = run_prepub("redact", str(path), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert "删除幻灯片批注 1 份" in run.stdout
    assert run_prepub("check", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        stored = "".join(package.read(name).decode("utf-8", "replace") for name in names)
    assert not any(value in stored for person in PEOPLE for value in person)
    assert "ppt/comments/comment1.xml" not in names and "ppt/commentAuthors.xml" not in names
    opened = pptx.Presentation(str(out))                     # still a presentation python-pptx opens
    rows = [[cell.text for cell in row.cells] for row in opened.slides[1].shapes[1].table.rows]
    assert rows[0] == ["姓名", "身份证号", "联系电话"] and rows[1][1] == ""
    assert rows[1][2] == f"{PEOPLE[0][2][:3]}****{PEOPLE[0][2][-4:]}"
    assert opened.slides[0].shapes[0].text_frame.text == "2026年城乡低保工作汇报"


@pytest.mark.libreoffice
@pytest.mark.parametrize("saved_as, name", [("ppt", "汇报.ppt"), ("ppt", "汇报.dps"), ("odp", "汇报.odp")])
def test_older_and_open_formats_are_converted(tmp_path, saved_as, name):
    """PowerPoint 97-2003 (.ppt/.pps, and WPS 演示's .dps in that format) and OpenDocument (.odp):
    converted once by LibreOffice Impress, read and redacted as .pptx."""
    import shutil

    from tests.read.test_vector import soffice

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    made = soffice(deck(tmp_path / "汇报.pptx"), saved_as, tmp_path / "lo")
    if not made.exists():
        pytest.skip("LibreOffice Impress is not installed")
    path = made.rename(made.with_name(name))
    run = run_prepub("check", str(path), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    tables = [f for f in run.json()["documents"][0]["findings"] if f["field"] == "身份证号"]
    assert len(tables) == len(PEOPLE) and tables[0]["location"].startswith(f"(由 {path.suffix} 转换) 第2张幻灯片 表格1")
    out = tmp_path / "out.pptx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        stored = "".join(package.read(member).decode("utf-8", "replace") for member in package.namelist())
    assert not any(value in stored for person in PEOPLE for value in person[1:])
