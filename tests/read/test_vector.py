"""Vector pictures (EMF, WMF, SVG): a list pasted into Word "as a picture" is read from its text records
and redacted by rewriting them (formats/image/vector.py).

The pictures LibreOffice Draw exports are the real thing; the EMF records written by hand below cover
what Draw does not write (EMF+ strings, glyph numbers, 8-bit strings in a GB2312 font, bitmaps).
"""

from __future__ import annotations

import base64
import gzip
import random
import shutil
import struct
import subprocess
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from prepub_review.formats.image import vector
from prepub_review.formats.sniff import sniff
from tests import synth
from tests.conftest import run_prepub

RNG = random.Random(20261203)
FAKE = synth.faker(20261203)
PEOPLE = [(FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)) for _ in range(3)]
HEADER = ("序号", "姓名", "身份证号", "联系电话")
WIDTHS_CM = (2.0, 3.0, 7.0, 5.0)

needs_draw = [pytest.mark.libreoffice,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")]


# -- pictures drawn by LibreOffice -------------------------------------------------------------------

def soffice(source: Path, target: str, folder: Path | None = None) -> Path:
    """`source` converted by LibreOffice to `target` (a format, optionally ":filter"), written to `folder`
    (default: beside it)."""
    folder = folder or source.parent
    folder.mkdir(exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", target, "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    produced = folder / f"{source.stem}.{target.split(':', 1)[0]}"
    if not produced.exists():
        pytest.skip(f"this LibreOffice cannot write {target} (Draw not installed?)")
    return produced


def flat_odf(path: Path, kind: str, body: str) -> Path:
    """A flat OpenDocument file (.fodg/.fodt) of `kind` ("graphics" or "text") holding `body`."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><office:document '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.{kind}"><office:body>{body}</office:body>'
        '</office:document>', encoding="utf-8")
    return path


def drawn_table(folder: Path, suffix: str) -> Path:
    """A recipient table drawn as text frames in LibreOffice Draw and exported as EMF/WMF/SVG."""
    rows = [HEADER, *[(str(n), name, id_number, phone) for n, (name, id_number, phone) in enumerate(PEOPLE, 1)]]
    frames = []
    for r, row in enumerate(rows):
        x = 1.0
        for width, cell in zip(WIDTHS_CM, row):
            frames.append(f'<draw:frame svg:x="{x}cm" svg:y="{2 + r}cm" svg:width="{width}cm" svg:height="0.8cm">'
                          f'<draw:text-box><text:p>{cell}</text:p></draw:text-box></draw:frame>')
            x += width
    page = f'<office:drawing><draw:page draw:name="p1">{"".join(frames)}</draw:page></office:drawing>'
    return soffice(flat_odf(folder / "list.fodg", "graphics", page), suffix.lstrip("."))


def word_with_picture(folder: Path, picture: Path) -> Path:
    """A .docx saved by LibreOffice Writer whose body shows `picture` (embedded, not linked)."""
    data = base64.b64encode(picture.read_bytes()).decode("ascii")
    text = ('<office:text><text:p>2026年11月城乡低保对象名单见下图：</text:p><text:p><draw:frame draw:name="list" '
            'text:anchor-type="as-char" svg:width="16cm" svg:height="5cm"><draw:image>'
            f'<office:binary-data>{data}</office:binary-data></draw:image></draw:frame></text:p></office:text>')
    return soffice(flat_odf(folder / "report.fodt", "text", text), "docx:MS Word 2007 XML")


def found(run, entity: str, path_end: str = "") -> list[dict]:
    return [f for document in run.json()["documents"] if document["path"].endswith(path_end)
            for f in document["findings"] if f["entity"] == entity]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    folder = tmp_path_factory.mktemp("drawn")
    return {suffix: drawn_table(folder, suffix) for suffix in (".emf", ".wmf", ".svg")}


@pytest.mark.parametrize("suffix", [".emf", ".wmf", ".svg"])
def test_drawn_list_is_read_as_a_table(drawn, suffix):
    run = run_prepub("check", str(drawn[suffix]), "--format", "json")
    assert run.code == 1, run.stderr
    ids, phones, names = found(run, "CN_ID_CARD"), found(run, "PHONE_NUMBER"), found(run, "PERSON")
    assert len(ids) == len(phones) == len(PEOPLE) and {f["severity"] for f in ids + phones} == {"block"}
    assert {f["field"] for f in ids} == {"身份证号"} and {f["field"] for f in names} == {"姓名"}
    assert len(names) == len(PEOPLE)
    assert all(f"（{suffix[1:].upper()}） 第" in f["location"] for f in ids)
    assert all(value not in run.stdout for person in PEOPLE for value in person[1:])   # masked in the report


@pytest.mark.parametrize("suffix", [".emf", ".wmf", ".svg"])
def test_drawn_list_is_redacted_in_its_records(drawn, suffix, tmp_path):
    out = tmp_path / f"out{suffix}"
    run = run_prepub("redact", str(drawn[suffix]), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    texts = " ".join(run.text for run in vector.read_text(out.read_bytes()).runs)
    for name, id_number, phone in PEOPLE:
        assert id_number not in texts and phone not in texts and name not in texts
        assert f"{phone[:3]}****{phone[-4:]}" in texts
    assert "身份证号" in texts and "联系电话" in texts
    assert run_prepub("check", str(out)).code == 0
    original = drawn[suffix].read_bytes()
    if suffix == ".svg":           # each string keeps its own positioned <tspan>
        assert out.read_bytes().count(b"<tspan") == original.count(b"<tspan")
    else:                          # records keep their sizes
        assert len(out.read_bytes()) == len(original)


@pytest.mark.libreoffice
def test_word_report_with_a_pasted_picture(drawn, tmp_path):
    """The leak this is for: the list pasted as a picture into a Word report. Found, redacted, and the
    output drawn by LibreOffice shows none of the values."""
    report = word_with_picture(tmp_path, drawn[".emf"])
    members = zipfile.ZipFile(report).namelist()
    assert any(name.startswith("word/media/") for name in members)
    run = run_prepub("check", str(report), "--format", "json")
    assert run.code == 1
    assert len(found(run, "CN_ID_CARD")) == len(PEOPLE)
    assert all(f["location"].startswith("嵌入图片「") for f in found(run, "CN_ID_CARD"))

    out = tmp_path / "report.out.docx"
    assert run_prepub("redact", str(report), "-o", str(out)).code == 0
    assert run_prepub("check", str(out)).code == 0
    shown = tmp_path / "shown"            # a folder of its own: soffice writes the PDF beside its input
    shown.mkdir()
    pdf = soffice(Path(shutil.copy(out, shown / out.name)), "pdf")
    import pypdfium2 as pdfium

    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf)).replace(" ", "")
    assert "城乡低保对象名单" in text and "身份证号" in text
    for name, id_number, phone in PEOPLE:
        assert id_number not in text and phone not in text and name not in text
        assert f"{phone[:3]}****{phone[-4:]}" in text


@pytest.mark.libreoffice
def test_web_page_showing_an_svg(drawn, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(drawn[".svg"], site / "list.svg")
    (site / "index.html").write_text('<html><head><meta charset="utf-8"></head><body><h1>低保公示</h1>'
                                     '<img src="list.svg" alt="名单"></body></html>', encoding="utf-8")
    run = run_prepub("check", str(site / "index.html"), "--format", "json")
    # the page shows the picture (read with it), and links it (checked as a file of its own)
    assert run.code == 1 and len(found(run, "CN_ID_CARD", "index.html")) == len(PEOPLE)
    assert len(found(run, "CN_ID_CARD", "list.svg")) == len(PEOPLE)
    out = tmp_path / "out" / "index.html"
    out.parent.mkdir()
    assert run_prepub("redact", str(site / "index.html"), "-o", str(out)).code == 0
    pictures = list(out.parent.glob("*.svg"))
    assert [p.name for p in pictures] == ["list.去标识化.svg"]
    assert 'src="list.去标识化.svg"' in urllib.parse.unquote(out.read_text(encoding="utf-8"))
    written = pictures[0].read_text(encoding="utf-8")
    assert all(value not in written for person in PEOPLE for value in person)


# -- EMF records written by hand ([MS-EMF]) ------------------------------------------------------------

def record(kind: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", kind, 8 + len(body)) + body


def emf(*records: bytes) -> bytes:
    eof = record(14, struct.pack("<III", 0, 16, 20))
    body = b"".join(records) + eof
    header_body = (struct.pack("<4i4i", 0, 0, 800, 600, 0, 0, 21000, 29700) + b" EMF"
                   + struct.pack("<IIIHHIIIiiii", 0x10000, 0, len(records) + 2, 1, 0, 0, 0, 0, 1024, 768, 320, 240))
    header = record(1, header_body)
    whole = header + body
    return whole[:48] + struct.pack("<I", len(whole)) + whole[52:]


def text_w(x: int, y: int, text: str, options: int = 0) -> bytes:
    chars = text.encode("utf-16-le")
    return record(84, struct.pack("<4iIff", 0, 0, -1, -1, 1, 0.0, 0.0)
                  + struct.pack("<iiIII4iI", x, y, len(text), 76, options, 0, 0, 0, 0, 0) + chars)


def text_a(x: int, y: int, raw: bytes) -> bytes:
    return record(83, struct.pack("<4iIff", 0, 0, -1, -1, 1, 0.0, 0.0)
                  + struct.pack("<iiIII4iI", x, y, len(raw), 76, 0, 0, 0, 0, 0, 0) + raw)


def font(handle: int, height: int, charset: int) -> bytes:
    face = "宋体".encode("utf-16-le").ljust(64, b"\0")
    return record(82, struct.pack("<Ii4iBBBBBBBB", handle, height, 0, 0, 0, 400, 0, 0, 0, charset, 0, 0, 0, 0) + face)


def select(handle: int) -> bytes:
    return record(37, struct.pack("<I", handle))


def emf_plus(*plus_records: bytes) -> bytes:
    data = b"EMF+" + b"".join(plus_records)
    return record(70, struct.pack("<I", len(data)) + data)


def draw_string(text: str, x: float, y: float) -> bytes:
    data = struct.pack("<III4f", 0, 0, len(text), x, y, 400.0, 20.0) + text.encode("utf-16-le")
    data += b"\0" * (-len(data) % 4)
    return struct.pack("<HHII", 0x401C, 0, 12 + len(data), len(data)) + data


def stretch_dibits(width: int, height: int) -> bytes:
    bmi = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 1, 0, 0, 0, 0, 0, 0)
    fields = struct.pack("<4i6i", 0, 0, width, height, 0, 0, 0, 0, width, height)
    fields += struct.pack("<IIIIIIii", 80, len(bmi), 80 + len(bmi), 0, 0, 0x00CC0020, width, height)
    return record(81, fields + bmi)


def check_picture(tmp_path: Path, data: bytes, name: str = "pic.emf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path, run_prepub("check", str(path), "--format", "json")


def test_emf_plus_twin_is_reported_once_and_rewritten_with_its_gdi_string(tmp_path):
    _name, id_number, phone = PEOPLE[0]
    line = f"身份证号：{id_number} 电话：{phone}"
    data = emf(font(1, 20, 134), select(1), emf_plus(draw_string(line, 10.0, 10.0)), text_w(10, 30, line))
    path, run = check_picture(tmp_path, data)
    assert run.code == 1
    assert len(found(run, "CN_ID_CARD")) == 1 and len(found(run, "PHONE_NUMBER")) == 1
    out = tmp_path / "out.emf"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    rewritten = out.read_bytes()
    assert len(rewritten) == len(data)
    runs = vector.read_text(rewritten).runs
    assert len(runs) == 2 and runs[0].text == runs[1].text
    assert id_number not in runs[0].text and phone not in runs[0].text and "身份证号：" in runs[0].text


def test_emf_plus_only_string_is_read(tmp_path):
    _path, run = check_picture(tmp_path, emf(emf_plus(draw_string(f"联系电话 {PEOPLE[1][2]}", 5.0, 5.0))))
    assert run.code == 1 and len(found(run, "PHONE_NUMBER")) == 1


def test_eight_bit_string_in_a_gb2312_font(tmp_path):
    name, id_number, _phone = PEOPLE[2]
    raw = f"申请人：{name}，身份证号{id_number}".encode("gb18030")
    path, run = check_picture(tmp_path, emf(font(1, 20, 134), select(1), text_a(10, 10, raw)))
    assert run.code == 1 and len(found(run, "CN_ID_CARD")) == 1
    out = tmp_path / "out.emf"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    text = vector.read_text(out.read_bytes()).runs[0].text
    assert id_number not in text and text.startswith("申请人：") and name not in text


def test_what_cannot_be_read_is_for_review(tmp_path):
    data = emf(text_w(10, 10, "\x12\x34\x56", options=vector.ETO_GLYPH_INDEX), stretch_dibits(400, 300),
               stretch_dibits(16, 16))
    _path, run = check_picture(tmp_path, data)
    document = run.json()["documents"][0]
    assert document["verdict"] == "review"
    variants = sorted(f["variant"] for f in document["findings"])
    assert variants == ["vector_bitmap", "vector_glyphs"]


def test_gzip_packed_picture_is_read_and_written_packed(tmp_path):
    phone = PEOPLE[0][2]
    packed = gzip.compress(emf(text_w(10, 10, f"电话 {phone}")))
    path, run = check_picture(tmp_path, packed, "pic.emz")
    assert run.code == 1 and len(found(run, "PHONE_NUMBER")) == 1
    out = tmp_path / "out.emz"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert phone not in vector.read_text(out.read_bytes()).runs[0].text


def test_picture_is_known_by_its_bytes_not_its_name(tmp_path):
    path = tmp_path / "image1.png"
    path.write_bytes(emf(text_w(10, 10, "x")))
    assert sniff(path) == "vector"


def test_broken_picture_file_is_an_error_and_inside_a_document_a_notice(tmp_path):
    broken = emf(text_w(10, 10, "电话"))[:60] + struct.pack("<II", 84, 4) + b"\0" * 8
    _path, run = check_picture(tmp_path, broken)
    assert run.code == 2 and run.json()["documents"][0]["verdict"] == "error"

    import docx

    report = tmp_path / "report.docx"
    document = docx.Document()
    document.add_paragraph("名单见附图")
    document.save(report)
    with zipfile.ZipFile(report, "a") as package:
        package.writestr("word/media/image9.emf", broken)
    run = run_prepub("check", str(report), "--format", "json")
    document_result = run.json()["documents"][0]
    assert document_result["verdict"] == "review"
    assert [f["variant"] for f in document_result["findings"]] == ["image_unreadable"]
