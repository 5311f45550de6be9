"""XMP metadata packets in a PDF: the document's own (the catalog's /Metadata stream) and any other.

pdfium reads only the Info dictionary, but Word, WPS and Acrobat also write an XMP packet, which
keeps the author (dc:creator), the title and custom properties, and stays behind when a tool clears
only the Info dictionary. Packets are found in the file's bytes: stored as they are (what the XMP
specification recommends, so that any program can find them) or Flate-compressed in a stream whose
dictionary says /Type /Metadata. Each text value is one (name, value) pair, in packet order.
"""

from __future__ import annotations

import bisect
import mmap
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

PACKET_START = re.compile(rb"<x:x[ma]pmeta\b")
PACKET_END = re.compile(rb"</x:x[ma]pmeta>")
# A stream's dictionary (no nested dictionary inside) saying /Type /Metadata, up to the stream's data.
METADATA_STREAM = re.compile(rb"<<((?:(?!<<|>>).){0,400}?/Type\s*/Metadata\b(?:(?!<<|>>).){0,400}?)>>\s*stream\r?\n",
                             re.DOTALL)
MAX_PACKET_BYTES = 4 << 20           # an XMP packet is a few KB; more is not metadata worth reading
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKIPPED_ATTRIBUTES = {f"{{{RDF}}}about", f"{{{RDF}}}parseType", "{http://www.w3.org/XML/1998/namespace}lang"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, recover=True)


def packets(path: Path) -> list[bytes]:
    """Every XMP packet in the file, stored or Flate-compressed, in file order."""
    with open(path, "rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:               # an empty file
            return []
        with data:
            found = _stored(data)
            for match in METADATA_STREAM.finditer(data):
                if b"/FlateDecode" in match.group(1):
                    found += _stored(_inflated(data, match.end()))
    return found


def _stored(data) -> list[bytes]:
    """The packets in `data`: each end with the last start before it (found apart, one pass each: a
    start without an end made a lazy pattern rescan the rest of the file from every start)."""
    starts = [match.start() for match in PACKET_START.finditer(data)]
    packets, previous_end = [], 0
    for match in PACKET_END.finditer(data):
        nearest = bisect.bisect_right(starts, match.start()) - 1
        if nearest >= 0 and starts[nearest] >= previous_end and match.end() - starts[nearest] <= MAX_PACKET_BYTES:
            packets.append(bytes(data[starts[nearest]:match.end()]))
        previous_end = match.end()
    return packets


def _inflated(data: mmap.mmap, start: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        return inflater.decompress(data[start:start + MAX_PACKET_BYTES], MAX_PACKET_BYTES)
    except zlib.error:
        return b""


def values(packet: bytes) -> Iterator[tuple[str, str]]:
    """(qualified name, text) of each property value in the packet: element text (a dc:creator's
    rdf:li) and the attributes of the shorthand form (<rdf:Description pdf:Producer="…">)."""
    try:
        root = etree.fromstring(packet, _PARSER)
    except etree.XMLSyntaxError:
        return
    if root is None:
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key, value in element.attrib.items():
            if key not in SKIPPED_ATTRIBUTES and not key.startswith(f"{{{RDF}}}") and value.strip():
                yield _qualified(element, key), value.strip()
        text = (element.text or "").strip()
        if text and len(element) == 0:
            yield _qualified(element, _property(element).tag), text


def _property(element: etree._Element) -> etree._Element:
    """The property an rdf:li or rdf:value belongs to (dc:creator for its rdf:Seq's items)."""
    while element.getparent() is not None and etree.QName(element).namespace == RDF:
        element = element.getparent()
    return element


def _qualified(element: etree._Element, tag: str) -> str:
    name = etree.QName(tag)
    prefixes = {uri: prefix for prefix, uri in element.nsmap.items() if prefix}
    prefix = prefixes.get(name.namespace)
    return f"{prefix}:{name.localname}" if prefix else name.localname
