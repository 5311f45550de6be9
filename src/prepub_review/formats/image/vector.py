"""Vector pictures (EMF, WMF, SVG): the text they draw, read and rewritten in place.

A table copied from Excel and pasted into Word "as a picture" is usually an EMF (or, from older
Office, a WMF); charts and icons come as SVG. Unlike a screenshot, such a picture holds its text as
characters: every cell of the list is a text-drawing record, readable without OCR and removable
without painting. `read_text` returns one `TextRun` per drawn string with its box (y grows
downwards, in the picture's own units), which ocr/layout.py then places into rows and columns as
it does for OCR'd lines. `rewrite` replaces a run's characters in the file itself.

What is read:
- EMF: EMR_EXTTEXTOUTW/A, EMR_SMALLTEXTOUT, EMR_POLYTEXTOUTW/A (GDI), and EMF+ DrawString and
  DrawDriverString (GDI+) inside comment records. An "EMF+ dual" file draws each string twice, once
  per API, and a viewer shows one or the other: both are read and both are rewritten; an EMF+ string
  equal to a GDI one is reported once.
- WMF: META_TEXTOUT and META_EXTTEXTOUT, decoded by the selected font's character set.
- SVG: every <text> element (its <tspan>s joined).

What cannot be read is counted, never passed over: strings stored as glyph numbers (ETO_GLYPH_INDEX,
a DrawDriverString without the Unicode flag) and bitmaps drawn inside the picture. A rewritten
string keeps its length in bytes (the records' sizes and character advances stay valid): a shorter
replacement is padded with spaces, a dropped value becomes spaces.
"""

from __future__ import annotations

import dataclasses
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from prepub_review.errors import ReadError

EMF, WMF, SVG = "EMF", "WMF", "SVG"
SUFFIXES = {".emf": EMF, ".wmf": WMF, ".svg": SVG}

ETO_GLYPH_INDEX = 0x10
ETO_OPAQUE, ETO_CLIPPED = 0x02, 0x04
ETO_NO_RECT, ETO_SMALL_CHARS = 0x100, 0x200
MIN_BITMAP_PIXELS = 15_000          # as ocr.picture.MIN_PICTURE_AREA: smaller bitmaps are icons and fills

# Windows character sets (LOGFONT lfCharSet) -> Python codecs, for 8-bit strings.
CHARSET_CODECS = {0: "cp1252", 2: "cp1252", 77: "mac_roman", 128: "cp932", 129: "cp949", 134: "gb18030",
                  136: "big5hkscs", 161: "cp1253", 162: "cp1254", 177: "cp1255", 178: "cp1256",
                  186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250"}
DEFAULT_CODEC = "gb18030"           # DEFAULT_CHARSET (1) and unknown ones: the system code page of our users

# Text alignment (SETTEXTALIGN): vertical reference of a string's point.
TA_BOTTOM, TA_BASELINE = 8, 24
TA_RIGHT, TA_CENTER = 2, 6
# Mapping modes whose y axis points up (MM_LOMETRIC .. MM_TWIPS).
Y_UP_MODES = frozenset({2, 3, 4, 5, 6})
MM_ISOTROPIC, MM_ANISOTROPIC = 7, 8


@dataclass(frozen=True, slots=True)
class VectorTextAnchor:
    """A drawn string of a vector picture: `picture` is the format's key for the picture (a zip member
    name, an <img>), `run` the string's index in read_text(...).runs, `line_text` its text."""

    picture: object
    run: int
    line_text: str


@dataclass(frozen=True, slots=True)
class TextRun:
    """One drawn string. `places[i]` = (byte offset, byte length) of character i in the file (EMF/WMF);
    for SVG, `places` is empty and `element` is the <text> element's order in the document."""

    text: str
    box: tuple[int, int, int, int]
    codec: str = "utf-16-le"
    places: tuple[tuple[int, int], ...] = ()
    element: int = -1
    twin_of: int | None = None          # an EMF+ string drawn twice: the index of its GDI twin


@dataclass(slots=True)
class VectorText:
    kind: str
    runs: list[TextRun] = field(default_factory=list)
    glyph_strings: int = 0              # strings stored as glyph numbers: not readable
    bitmaps: int = 0                    # bitmaps drawn inside the picture (not read)

    def shown_runs(self) -> list[tuple[int, TextRun]]:
        """(index, run) of each run to report: non-blank, and not the EMF+ twin of a GDI string."""
        return [(index, run) for index, run in enumerate(self.runs)
                if run.text.strip() and run.twin_of is None]


MAX_UNPACKED = 64_000_000          # a gzip-packed picture (.emz/.wmz/.svgz) larger than this is a bomb


def kind_of(data: bytes) -> str | None:
    """EMF, WMF or SVG from the bytes (not the name; also gzip-packed), or None."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 4096)
        except zlib.error:
            return None
    if len(data) >= 44 and data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
        return EMF
    if data[:4] == b"\xd7\xcd\xc6\x9a" or (len(data) >= 18 and data[:4] in (b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")
                                              and data[4:6] in (b"\x00\x01", b"\x00\x03")):
        return WMF
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return SVG
    return None


def read_text(data: bytes) -> VectorText:
    """The picture's text runs; ReadError when the bytes are not a vector picture we can parse."""
    data, _packed = _unpacked(data)
    kind = kind_of(data)
    if kind == EMF:
        return _Emf(data).read()
    if kind == WMF:
        return _Wmf(data).read()
    if kind == SVG:
        return _read_svg(data)
    raise ReadError("不是可识别的矢量图（EMF/WMF/SVG）", code="corrupt_image")


def rewrite(data: bytes, replacements: Iterable[tuple[int, int, int, str]]) -> bytes:
    """`data` with each (run index, start, end, replacement) applied to that run's characters. EMF+
    twins of an edited GDI string get the same edits."""
    data, packed = _unpacked(data)
    rewritten = _rewrite(data, read_text(data), replacements)
    if not packed:
        return rewritten
    import gzip

    return gzip.compress(rewritten, mtime=0)


def _unpacked(data: bytes) -> tuple[bytes, bool]:
    if data[:2] != b"\x1f\x8b":
        return data, False
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        unpacked = unpacker.decompress(data, MAX_UNPACKED)
    except zlib.error as exc:
        raise ReadError(f"压缩的矢量图已损坏（{exc}）", code="corrupt_image") from exc
    if unpacker.unconsumed_tail:
        raise ReadError(f"压缩的矢量图解压后超过 {MAX_UNPACKED // 1_000_000} MB，未审查", code="too_large")
    return unpacked, True


def _rewrite(data: bytes, found: VectorText, replacements: Iterable[tuple[int, int, int, str]]) -> bytes:
    by_run: dict[int, list[tuple[int, int, str]]] = {}
    for run, start, end, text in replacements:
        by_run.setdefault(run, []).append((start, end, text))
    for index, run in enumerate(found.runs):
        if run.twin_of is not None and run.twin_of in by_run:
            by_run.setdefault(index, []).extend(by_run[run.twin_of])
    if found.kind == SVG:
        return _rewrite_svg(data, found, by_run)
    out = bytearray(data)
    for index, edits in by_run.items():
        run = found.runs[index]
        for start, end, text in sorted(edits, reverse=True):
            _put(out, run, start, end, text)
    return bytes(out)


def _put(out: bytearray, run: TextRun, start: int, end: int, text: str) -> None:
    """Write `text` over characters start..end of `run`, keeping their byte length."""
    places = run.places[start:end]
    if not places:
        return
    first, last = places[0][0], places[-1][0] + places[-1][1]
    width = last - first
    unit = 2 if run.codec == "utf-16-le" else 1
    encoded = b""
    for char in text:
        piece = char.encode(run.codec, errors="replace")
        if len(encoded) + len(piece) > width:
            break
        encoded += piece
    pad = " ".encode(run.codec)
    encoded += pad * ((width - len(encoded)) // unit)
    out[first:last] = encoded


# -- EMF ------------------------------------------------------------------------------------------

class _Emf:
    def __init__(self, data: bytes):
        self.data = data
        self.found = VectorText(EMF)
        self.fonts: dict[int, tuple[int, str]] = {}      # object handle -> (height, codec)
        self.font = (0, DEFAULT_CODEC)
        self.align = 0
        self.map_mode = 1
        self.window_ext = self.viewport_ext = (1, 1)
        self.window_org = self.viewport_org = (0, 0)
        self.plus: list[TextRun] = []

    def read(self) -> VectorText:
        data, offset = self.data, 0
        while offset + 8 <= len(data):
            kind, size = struct.unpack_from("<II", data, offset)
            if size < 8 or size % 4 or offset + size > len(data):
                raise ReadError("矢量图（EMF）已损坏：记录长度不对", code="corrupt_image")
            self._record(kind, offset, size)
            if kind == 14:          # EMR_EOF
                break
            offset += size
        gdi_texts = {run.text: index for index, run in enumerate(self.found.runs)}
        for run in self.plus:
            twin = gdi_texts.get(run.text)
            self.found.runs.append(run if twin is None else dataclasses.replace(run, twin_of=twin))
        return self.found

    def _record(self, kind: int, offset: int, size: int) -> None:
        data = self.data
        if kind in (84, 83):                                   # EXTTEXTOUTW / EXTTEXTOUTA
            self._emr_text(offset, offset + 36, wide=kind == 84)
        elif kind in (97, 96) and size >= 40:                  # POLYTEXTOUTW / POLYTEXTOUTA
            count = struct.unpack_from("<I", data, offset + 36)[0]
            for number in range(min(count, (size - 40) // 40)):
                self._emr_text(offset, offset + 40 + 40 * number, wide=kind == 97)
        elif kind == 108 and size >= 36:                       # SMALLTEXTOUT
            self._small_text(offset, size)
        elif kind == 82 and size >= 36:                        # EXTCREATEFONTINDIRECTW
            handle, height = struct.unpack_from("<Ii", data, offset + 8)
            charset = data[offset + 35]
            self.fonts[handle] = (abs(height), CHARSET_CODECS.get(charset, DEFAULT_CODEC))
        elif kind == 37 and size >= 12:                        # SELECTOBJECT
            handle = struct.unpack_from("<I", data, offset + 8)[0]
            if handle in self.fonts:
                self.font = self.fonts[handle]
        elif kind == 22 and size >= 12:                        # SETTEXTALIGN
            self.align = struct.unpack_from("<I", data, offset + 8)[0]
        elif kind == 17 and size >= 12:                        # SETMAPMODE
            self.map_mode = struct.unpack_from("<I", data, offset + 8)[0]
        elif kind in (9, 10, 11, 12) and size >= 16:           # window/viewport extent/origin
            pair = struct.unpack_from("<ii", data, offset + 8)
            if kind == 9:
                self.window_ext = pair
            elif kind == 10:
                self.window_org = pair
            elif kind == 11:
                self.viewport_ext = pair
            else:
                self.viewport_org = pair
        elif kind == 70 and size >= 16 and data[offset + 12:offset + 16] == b"EMF+":
            data_size = struct.unpack_from("<I", data, offset + 8)[0]
            self._emf_plus(offset + 16, min(offset + 12 + data_size, offset + size))
        elif kind in (80, 81) and size >= 80:                  # SETDIBITSTODEVICE / STRETCHDIBITS
            self._bitmap(offset, offset + 48, size)
        elif kind in (76, 77) and size >= 100:                 # BITBLT / STRETCHBLT
            self._bitmap(offset, offset + 84, size)

    def _bitmap(self, record: int, fields: int, size: int) -> None:
        """A bitmap drawn inside the picture, counted when its header says it is larger than an icon."""
        offset_bmi, size_bmi = struct.unpack_from("<II", self.data, fields)
        if size_bmi >= 40 and offset_bmi + 12 <= size:
            _count_bitmap(self.found, self.data, record + offset_bmi)

    def _emr_text(self, record: int, at: int, *, wide: bool) -> None:
        data = self.data
        if at + 40 > len(data):
            return
        x, y, count, offset_string, options = struct.unpack_from("<iiIII", data, at)
        if options & ETO_GLYPH_INDEX:
            self.found.glyph_strings += 1
            return
        start = record + offset_string
        width = 2 * count if wide else count
        if not count or start + width > len(data):
            return
        if wide:
            self._add(start, data[start:start + width], "utf-16-le", x, y, count)
        else:
            self._add(start, data[start:start + width], self.font[1], x, y, count)

    def _small_text(self, offset: int, size: int) -> None:
        data = self.data
        x, y, count, options = struct.unpack_from("<iiII", data, offset + 8)
        if options & ETO_GLYPH_INDEX:
            self.found.glyph_strings += 1
            return
        start = offset + 36 + (0 if options & ETO_NO_RECT else 16)
        small = bool(options & ETO_SMALL_CHARS)
        width = count if small else 2 * count
        if count and start + width <= offset + size:
            self._add(start, data[start:start + width], self.font[1] if small else "utf-16-le", x, y, count)

    def _add(self, start: int, raw: bytes, codec: str, x: int, y: int, count: int) -> None:
        text, places = _decode(raw, codec, start)
        if not text:
            return
        height = self.font[0] or 12
        x, y, height, advance = self._to_device(x, y, height, _advance(text, height))
        self.found.runs.append(TextRun(text, _aligned_box(x, y, height, advance, self.align), codec, places))

    def _to_device(self, x: int, y: int, height: int, advance: int) -> tuple[int, int, int, int]:
        """Logical units to a frame whose y axis points down (only the relative layout matters)."""
        if self.map_mode in (MM_ISOTROPIC, MM_ANISOTROPIC):
            sx = self.viewport_ext[0] / (self.window_ext[0] or 1)
            sy = self.viewport_ext[1] / (self.window_ext[1] or 1)
            x = (x - self.window_org[0]) * sx + self.viewport_org[0]
            y = (y - self.window_org[1]) * sy + self.viewport_org[1]
            scale = abs(sy) or 1.0
            flip = sy < 0
        else:
            scale, flip = 1.0, self.map_mode in Y_UP_MODES
        y = -y if flip else y
        return int(x), int(y), max(1, int(height * scale)), max(1, int(advance * abs(scale)))

    def _emf_plus(self, start: int, end: int) -> None:
        data, offset = self.data, start
        while offset + 12 <= end:
            kind, flags, size, data_size = struct.unpack_from("<HHII", data, offset)
            if size < 12 or offset + size > end:
                return
            body = offset + 12
            if kind == 0x401C and data_size >= 28:                 # DrawString
                count = struct.unpack_from("<I", data, body + 8)[0]
                left, top, width, height = struct.unpack_from("<ffff", data, body + 12)
                at = body + 28
                if count and at + 2 * count <= offset + size:
                    self._add_plus(at, data[at:at + 2 * count], left, top, width, height)
            elif kind == 0x4036 and data_size >= 16:               # DrawDriverString
                options, _matrix, count = struct.unpack_from("<III", data, body + 4)
                at = body + 16
                if not options & 0x1:                               # glyph numbers, not characters
                    self.found.glyph_strings += 1
                elif count and at + 10 * count <= offset + size:
                    x, y = struct.unpack_from("<ff", data, at + 2 * count)
                    self._add_plus(at, data[at:at + 2 * count], x, y - 10, 10.0 * count, 12.0)
            offset += size

    def _add_plus(self, start: int, raw: bytes, left: float, top: float, width: float, height: float) -> None:
        text, places = _decode(raw, "utf-16-le", start)
        if text:
            box = (int(left), int(top), int(left + max(width, 1)), int(top + max(height, 1)))
            self.plus.append(TextRun(text, box, "utf-16-le", places))


def _count_bitmap(found: VectorText, data: bytes, header: int) -> None:
    """Count the bitmap whose BITMAPINFOHEADER starts at `header` if it is larger than an icon."""
    header_size, width, height = struct.unpack_from("<Iii", data, header)
    if header_size >= 40 and abs(width) * abs(height) >= MIN_BITMAP_PIXELS:
        found.bitmaps += 1


def _aligned_box(x: int, y: int, height: int, advance: int, align: int) -> tuple[int, int, int, int]:
    """A string's box from its reference point and the text alignment (SETTEXTALIGN, EMF and WMF alike)."""
    horizontal, vertical = align & TA_CENTER, align & TA_BASELINE
    left = x - (advance if horizontal == TA_RIGHT else advance // 2 if horizontal == TA_CENTER else 0)
    top = y - height if vertical == TA_BOTTOM else y - int(height * 0.8) if vertical == TA_BASELINE else y
    return (left, top, left + advance, top + height)


def _decode(raw: bytes, codec: str, start: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(text, each character's (offset, length)); NULs and control characters end up as nothing."""
    chars, places = [], []
    if codec == "utf-16-le":
        text = raw.decode("utf-16-le", errors="replace")
        offset = start
        for char in text:
            width = 4 if ord(char) > 0xFFFF else 2
            if char >= " ":
                chars.append(char)
                places.append((offset, width))
            offset += width
        return "".join(chars), tuple(places)
    position = 0
    while position < len(raw):
        width = 2 if codec in ("gb18030", "cp932", "cp949", "big5hkscs") and raw[position] >= 0x81 \
            and position + 1 < len(raw) else 1
        if codec == "gb18030" and width == 2 and 0x30 <= raw[position + 1] <= 0x39:
            width = 4 if position + 3 < len(raw) else 1
        char = raw[position:position + width].decode(codec, errors="replace")
        if char >= " ":
            chars.append(char)
            places.append((start + position, width))
        position += width
    return "".join(chars), tuple(places)


def _advance(text: str, height: int) -> int:
    """A string's width estimated from its font height: full width for CJK, about half for the rest."""
    return int(sum(height if ord(char) > 0x2E80 else height * 0.55 for char in text)) or 1


# -- WMF ------------------------------------------------------------------------------------------

WMF_CREATES = frozenset({0x00F7, 0x01F9, 0x02FA, 0x02FB, 0x02FC, 0x06FF, 0x0142})


class _Wmf:
    def __init__(self, data: bytes):
        self.data = data
        self.found = VectorText(WMF)
        self.objects: dict[int, tuple[int, str] | None] = {}     # slot -> font (height, codec) or None
        self.font = (0, DEFAULT_CODEC)
        self.align = 0
        self.y_sign = 1

    def read(self) -> VectorText:
        data = self.data
        offset = 22 if data[:4] == b"\xd7\xcd\xc6\x9a" else 0
        if offset + 18 > len(data):
            raise ReadError("矢量图（WMF）已损坏：文件头不完整", code="corrupt_image")
        header_words = struct.unpack_from("<H", data, offset + 2)[0]
        offset += 2 * header_words
        while offset + 6 <= len(data):
            words, function = struct.unpack_from("<IH", data, offset)
            size = 2 * words
            if size < 6 or offset + size > len(data):
                raise ReadError("矢量图（WMF）已损坏：记录长度不对", code="corrupt_image")
            if function == 0:
                break
            self._record(function, offset + 6, offset + size)
            offset += size
        return self.found

    def _record(self, function: int, body: int, end: int) -> None:
        data = self.data
        if function in WMF_CREATES:
            slot = next(index for index in range(len(self.objects) + 1) if self.objects.get(index, 0) == 0)
            font = None
            if function == 0x02FB and body + 18 <= end:
                height = struct.unpack_from("<h", data, body)[0]
                font = (abs(height), CHARSET_CODECS.get(data[body + 13], DEFAULT_CODEC))
            self.objects[slot] = font
        elif function == 0x01F0 and body + 2 <= end:              # DELETEOBJECT
            self.objects[struct.unpack_from("<H", data, body)[0]] = 0
        elif function == 0x012D and body + 2 <= end:              # SELECTOBJECT
            font = self.objects.get(struct.unpack_from("<H", data, body)[0])
            if font:
                self.font = font
        elif function == 0x012E and body + 2 <= end:              # SETTEXTALIGN
            self.align = struct.unpack_from("<H", data, body)[0]
        elif function == 0x020C and body + 4 <= end:              # SETWINDOWEXT (y, x)
            self.y_sign = -1 if struct.unpack_from("<h", data, body)[0] < 0 else 1
        elif function == 0x0521 and body + 2 <= end:              # TEXTOUT
            count = struct.unpack_from("<H", data, body)[0]
            start = body + 2
            after = start + count + (count & 1)
            if count and after + 4 <= end:
                y, x = struct.unpack_from("<hh", data, after)
                self._add(start, count, x, y)
        elif function == 0x0A32 and body + 8 <= end:              # EXTTEXTOUT
            y, x, count, options = struct.unpack_from("<hhhH", data, body)
            start = body + 8 + (8 if options & (ETO_OPAQUE | ETO_CLIPPED) else 0)
            if count > 0 and start + count <= end:
                self._add(start, count, x, y)
        elif function in (0x0F43, 0x0B41, 0x0940) and body + 22 <= end:   # STRETCHDIB, DIBSTRETCHBLT, DIBBITBLT
            self._bitmap(function, body, end)

    def _bitmap(self, function: int, body: int, end: int) -> None:
        header = body + {0x0F43: 22, 0x0B41: 20, 0x0940: 16}[function]
        if header + 12 <= end:
            _count_bitmap(self.found, self.data, header)

    def _add(self, start: int, count: int, x: int, y: int) -> None:
        height, codec = self.font
        height = height or 12
        text, places = _decode(self.data[start:start + count], codec, start)
        if not text:
            return
        box = _aligned_box(x, y * self.y_sign, height, _advance(text, height), self.align)
        self.found.runs.append(TextRun(text, box, codec, places))


# -- SVG ------------------------------------------------------------------------------------------

SVG_TEXT = "{http://www.w3.org/2000/svg}text"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", re.IGNORECASE)


def _svg_root(data: bytes):
    from lxml import etree        # imported here: sniffing (kind_of) runs on every file, SVGs are few

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"矢量图（SVG）无法解析：{exc}", code="corrupt_image") from exc


def _svg_texts(root) -> list:
    return [element for element in root.iter(SVG_TEXT, "text")]


def _read_svg(data: bytes) -> VectorText:
    found = VectorText(SVG)
    for order, element in enumerate(_svg_texts(_svg_root(data))):
        text = "".join(value for _node, _slot, value in _text_pieces(element))
        if not text.strip():
            continue
        x = _first_number(element, "x")
        y = _first_number(element, "y")
        height = int(_first_number(element, "font-size") or 12)
        advance = _advance(text.strip(), height)
        top = int(y) - int(height * 0.8)
        found.runs.append(TextRun(text, (int(x), top, int(x) + advance, top + height), element=order))
    return found


def _text_pieces(element) -> list[tuple[object, str, str]]:
    """(node, "text" or "tail", string) of every text node inside a <text>, in reading order (as
    itertext): a <tspan> keeps its own position, so edits go into the nodes, never around them."""
    pieces = [(element, "text", element.text)] if element.text else []
    for child in element:
        pieces += _text_pieces(child)
        if child.tail:
            pieces.append((child, "tail", child.tail))
    return pieces


def _first_number(element, attribute: str) -> float:
    """The attribute's first number on the element or its first child that has it (a <tspan>)."""
    for candidate in (element, *element.iter()):
        value = candidate.get(attribute)
        if value is None and attribute == "font-size":
            style = candidate.get("style") or ""
            match = re.search(r"font-size\s*:\s*([\d.]+)", style)
            value = match.group(1) if match else None
        if value:
            match = _NUMBER.search(value)
            if match:
                return float(match.group())
    return 0.0


def _rewrite_svg(data: bytes, found: VectorText, by_run: dict[int, list[tuple[int, int, str]]]) -> bytes:
    from lxml import etree

    from prepub_review.formats.edits import replace_across

    root = _svg_root(data)
    elements = _svg_texts(root)
    for index, edits in by_run.items():
        pieces = _text_pieces(elements[found.runs[index].element])
        values = [value for _node, _slot, value in pieces]
        for start, end, replacement in sorted(edits, reverse=True):
            values = replace_across(values, start, end, replacement)
        for (node, slot, _old), value in zip(pieces, values):
            setattr(node, slot, value)
    return etree.tostring(root, xml_declaration=data.lstrip().startswith(b"<?xml"), encoding="UTF-8")
