"""A PDF's XMP metadata: Word, WPS and Acrobat write the author (dc:creator) and title there as
well as in the document information, and it stays behind when a tool clears only the latter.
`check` reads every packet, stored or compressed; `redact` removes the packets holding a value."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from tests import synth
from tests.conftest import run_prepub

FAKE = synth.faker(20261204)
AUTHOR, OTHER = FAKE.name(), FAKE.name()
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def packet(creator: str) -> str:
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            f'<rdf:RDF xmlns:rdf="{RDF}"><rdf:Description rdf:about="" xmlns:dc="{DC}" '
            f'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer="Microsoft® Word 2016">'
            f'<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>'
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">关于低保年审的通知</rdf:li></rdf:Alt></dc:title>'
            f'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def pdf_with_xmp(path: Path, *, info_author: str = "", compressed: bool = False, second: str | None = None) -> Path:
    """A one-page notice whose information dictionary has `info_author`, with an XMP packet naming
    AUTHOR (Flate-compressed if asked) and, if given, a second metadata stream (a page's) naming `second`."""
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), "关于低保年审的通知", fontname="china-s", fontsize=12)
    document.set_metadata({"author": info_author, "title": "关于低保年审的通知"})
    document.set_xml_metadata(packet(AUTHOR))
    if compressed:
        _kind, reference = document.xref_get_key(document.pdf_catalog(), "Metadata")
        xref = int(reference.split()[0])
        document.update_stream(xref, document.xref_stream(xref), compress=True)
    if second is not None:
        xref = document.get_new_xref()
        document.update_object(xref, "<< /Type /Metadata /Subtype /XML >>")
        document.update_stream(xref, packet(second).encode("utf-8"), compress=True)
        document.xref_set_key(page.xref, "PieceInfo", f"<< /Note << /Private {xref} 0 R >> >>")
    document.save(path)
    document.close()
    return path


def people(path: Path) -> list[tuple[str, str]]:
    findings = run_prepub("check", str(path), "--format", "json", "--reveal").json()["documents"][0]["findings"]
    return [(f["location"], f["text"]) for f in findings if f["entity"] == "PERSON"]


@pytest.mark.parametrize("compressed", [False, True])
def test_the_author_left_in_xmp_is_found(tmp_path, compressed):
    source = pdf_with_xmp(tmp_path / "通知.pdf", compressed=compressed)
    assert (AUTHOR.encode("utf-8") in source.read_bytes()) is not compressed
    assert people(source) == [("XMP 元数据 dc:creator", AUTHOR)]


def test_a_value_the_information_dictionary_gave_is_not_repeated(tmp_path):
    source = pdf_with_xmp(tmp_path / "通知.pdf", info_author=AUTHOR)
    assert [location for location, _ in people(source)] == ["文档属性 Author"]


def test_redact_removes_every_packet_holding_a_value(tmp_path):
    source = pdf_with_xmp(tmp_path / "通知.pdf", compressed=True, second=OTHER)
    assert people(source) == [("XMP 元数据 dc:creator", AUTHOR), ("XMP 元数据2 dc:creator", OTHER)]
    out = tmp_path / "发布.pdf"
    run = run_prepub("redact", str(source), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert people(out) == []
    with pymupdf.open(out) as document:
        stored = b"".join((document.xref_stream(x) or b"") + document.xref_object(x).encode()
                          for x in range(1, document.xref_length()))
    assert AUTHOR.encode() not in stored and OTHER.encode() not in stored


def test_packet_starts_without_an_end_are_read_in_linear_time(tmp_path):
    """A file of packet starts and no end (corrupt or hostile): found apart, starts and ends cost one
    pass each (a lazy pattern rescanned the rest of the file from every start: minutes for a few MB)."""
    from prepub_review.formats.pdf import xmp

    path = tmp_path / "starts.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"<x:xmpmeta " * 200_000 + packet(AUTHOR).encode())
    assert [found.startswith(b"<x:xmpmeta xmlns") and AUTHOR.encode() in found for found in xmp.packets(path)] == [True]
