"""OFD (GB/T 33190 版式文件): read and redacted. Before, an .ofd attachment was refused unread, and a
site gate could only fail on it. The files here are built as the standard lays them out (no OFD
producer runs offline here): OFD.xml -> Doc_0/Document.xml -> page Content.xml with text objects."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from prepub_review.formats.sniff import sniff
from tests import synth
from tests.conftest import run_prepub

RNG = random.Random(20261210)
FAKE = synth.faker(20261210)
PEOPLE = [(FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)) for _ in range(3)]
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def text_object(ident: int, x: float, y: float, text: str, width: float | None = None) -> str:
    width = width if width is not None else 4.0 * len(text)
    return (f'<ofd:TextObject ID="{ident}" Boundary="{x} {y} {width} 5" Font="2" Size="3.5">'
            f'<ofd:TextCode X="0" Y="4">{text}</ofd:TextCode></ofd:TextObject>')


def ofd_file(path: Path, author: str, *, sealed: bool = False, attachment: str | None = None) -> Path:
    objects, ident = [], 10
    title = "城乡低保对象公示"
    for index, char in enumerate(title):            # a generator that draws one object per character
        objects.append(text_object(ident, 30 + 4.2 * index, 20, char, 4.0))
        ident += 1
    columns = (20, 55, 120)
    for row, cells in enumerate([("姓名", "身份证号", "联系电话"), *PEOPLE]):
        for x, value in zip(columns, cells):
            objects.append(text_object(ident, x, 40 + 8 * row, value))
            ident += 1
    content = (f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="5"><ofd:PageBlock ID="6">{"".join(objects)}'
               "</ofd:PageBlock></ofd:Layer></ofd:Content></ofd:Page>")
    parts = {
        "OFD.xml": (f'<ofd:OFD {NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID>'
                    f"<ofd:Title>公示</ofd:Title><ofd:Author>{author}</ofd:Author></ofd:DocInfo>"
                    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                    + ("<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" if sealed else "")
                    + "</ofd:DocBody></ofd:OFD>"),
        "Doc_0/Document.xml": (f'<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
                               '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                               "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>"
                               '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
                               "<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>"
                               + ("<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>" if attachment else "")
                               + "</ofd:Document>"),
        "Doc_0/PublicRes.xml": (f'<ofd:Res {NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体"/>'
                                "</ofd:Fonts></ofd:Res>"),
        "Doc_0/Pages/Page_0/Content.xml": content,
        "Doc_0/Annots/Annotations.xml": (f'<ofd:Annotations {NS}><ofd:Page PageID="1">'
                                         "<ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>"),
        "Doc_0/Annots/Page_0/Annotation.xml": (f'<ofd:PageAnnot {NS}><ofd:Annot ID="50" Type="Stamp" Creator="审核">'
                                               f"<ofd:Remark>请再核实 {PEOPLE[1][0]} 电话 {PEOPLE[1][2]}</ofd:Remark>"
                                               "</ofd:Annot></ofd:PageAnnot>"),
    }
    if attachment:
        parts["Doc_0/Attachs/Attachments.xml"] = (f'<ofd:Attachments {NS}><ofd:Attachment ID="80" Name="{attachment}" '
                                                  'Format="jpg"><ofd:FileLoc>a.jpg</ofd:FileLoc></ofd:Attachment>'
                                                  "</ofd:Attachments>")
        parts["Doc_0/Attachs/a.jpg"] = "not a picture"
    if sealed:
        parts["Doc_0/Signs/Signatures.xml"] = (f'<ofd:Signatures {NS}><ofd:Signature ID="1" Type="Seal" '
                                               'BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>')
        parts["Doc_0/Signs/Sign_0/Signature.xml"] = f"<ofd:Signature {NS}><ofd:SignedInfo/></ofd:Signature>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return path


def test_ofd_is_read_as_a_table_with_its_annotations(tmp_path):
    path = ofd_file(tmp_path / "公示.ofd", FAKE.name())
    assert sniff(path) == "ofd"
    run = run_prepub("check", str(path), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    findings = run.json()["documents"][0]["findings"]
    ids = [f for f in findings if f["entity"] == "CN_ID_CARD"]
    assert [(f["location"], f["field"], f["severity"]) for f in ids] == [
        (f"第1页 第{row}行 第2列", "身份证号", "block") for row in (3, 4, 5)]
    assert any(f["location"].startswith("注释1") and f["entity"] == "PHONE_NUMBER" for f in findings)
    assert any(f["location"] == "文档属性: 作者" for f in findings)


def test_ofd_title_drawn_character_by_character_reads_as_one_line(tmp_path):
    from prepub_review.formats.document import read_document
    from prepub_review.formats.base import Limits

    _format, items = read_document(ofd_file(tmp_path / "公示.ofd", "某某"), Limits())
    texts = [item.text for item in items if hasattr(item, "text")]
    assert "城乡低保对象公示" in texts


def test_ofd_is_redacted_in_its_text_codes(tmp_path):
    """Values are overwritten character by character (a title drawn one object per character too);
    annotations go, the author is cleared, and the seal, which the change breaks, is removed and named."""
    author = FAKE.name()
    path = ofd_file(tmp_path / "公示.ofd", author, sealed=True)
    out = tmp_path / "out.ofd"
    run = run_prepub("redact", str(path), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert "删除电子签章 1 个" in run.stdout and "删除注释 1 条" in run.stdout
    assert run_prepub("check", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        stored = "".join(package.read(name).decode("utf-8", "replace") for name in names)
    assert not any(value in stored for person in PEOPLE for value in person) and author not in stored
    assert not any(name.startswith("Doc_0/Signs/") or "Annot" in name for name in names)
    assert "<ofd:Signatures>" not in stored and "<ofd:Annotations>" not in stored
    content = zipfile.ZipFile(out).read("Doc_0/Pages/Page_0/Content.xml").decode()
    masked_phone = f"{PEOPLE[0][2][:3]}****{PEOPLE[0][2][-4:]}"
    assert f">{masked_phone}</ofd:TextCode>" in content and ">城</ofd:TextCode>" in content


def test_an_attachments_name_is_read_and_shown_masked(tmp_path):
    """The name of a file attached to an OFD is published with it, and reports quoted it raw."""
    name, number, phone = PEOPLE[2]
    path = ofd_file(tmp_path / "公示.ofd", "某某", attachment=f"{number}身份证.jpg")
    run = run_prepub("check", str(path), "--format", "json")
    findings = run.json()["documents"][0]["findings"]
    shown = f"附件1「{number[:6]}********{number[-4:]}身份证.jpg」"
    assert ("CN_ID_CARD", f"{shown} 文件名", "block") in {(f["entity"], f["location"], f["severity"]) for f in findings}
    assert any(f["entity"] == "UNVERIFIED_CONTENT" and f["location"] == shown for f in findings)
    assert number not in run.stdout


def test_redaction_removes_an_attached_file_with_its_name(tmp_path):
    number = PEOPLE[2][1]
    path = ofd_file(tmp_path / "公示.ofd", "某某", attachment=f"{number}身份证.jpg")
    out = tmp_path / "out.ofd"
    run = run_prepub("redact", str(path), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert "删除 OFD 附件 1 个" in run.stdout and "保留，需人工审查" not in run.stdout
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        stored = "".join(package.read(name).decode("utf-8", "replace") for name in names)
    assert not any(name.startswith("Doc_0/Attachs/") for name in names)
    assert number not in stored and "<ofd:Attachments>" not in stored
    assert run_prepub("check", str(out)).code == 0
