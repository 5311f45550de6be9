"""Plain text (.txt/.md) and CSV: encoding detection and a streaming line reader.

Chinese text files come as UTF-8, UTF-8 with BOM (Notepad), UTF-16 (Excel "Unicode
text"), GBK/GB18030 (older Windows tools) and sometimes Big5. Detection order:
BOM -> strict UTF-8 -> charset-normalizer limited to the plausible encodings (it
mistakes short GBK for cp949 otherwise) -> strict GB18030.

Files are read through an incremental decoder, one line at a time, so a 100 MB
file needs little memory. `detect_encoding` is public: whoever rewrites a text
file (the redactor) must write the same encoding and BOM back.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from charset_normalizer import from_bytes

from prepub_review.errors import ReadError
from prepub_review.models import Notice, Segment, Zone
from prepub_review.formats.base import Limits, ReaderItem

HEAD_SAMPLE_BYTES = 256 * 1024
TOP_LINES = 5                       # non-empty lines that count as the top of the document
MAX_SEGMENT_CHARS = 100_000         # a "line" longer than this is cut into pieces
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "utf_32"]
ALLOWED_CONTROLS = set("\t\n\r\f\v\x1a")   # \x1a: DOS end-of-file marker
MARKDOWN_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class DetectedEncoding:
    """How a text file is encoded: decode the bytes after `bom` with `codec`.

    To write the file back unchanged in form: `bom + text.encode(codec)`.
    """

    codec: str          # Python codec name, e.g. "utf-8", "gb18030", "utf-16-le"
    bom: bytes = b""

    @property
    def label(self) -> str:
        """A name for reports, e.g. "UTF-16-LE（带 BOM）"."""
        return self.codec.upper() + ("（带 BOM）" if self.bom else "")


def detect_encoding(path: Path) -> DetectedEncoding | None:
    """The encoding of a text file, or None if the file does not look like text."""
    with open(path, "rb") as stream:
        sample = stream.read(HEAD_SAMPLE_BYTES)
        complete = len(sample) < HEAD_SAMPLE_BYTES
        if not complete and sample.isascii():
            # An ASCII head says nothing about the rest; sample where non-ASCII text starts.
            sample += _first_non_ascii_window(stream)
    return detect_sample_encoding(sample, complete=complete)


def detect_sample_encoding(sample: bytes, *, complete: bool = True) -> DetectedEncoding | None:
    """The encoding of `sample` (the head of a file; `complete` if it is the whole file)."""
    for bom, codec in BOMS:
        if sample.startswith(bom):
            found = DetectedEncoding(codec, bom)
            return found if _is_plausible_text(sample[len(bom):], codec, complete) else None
    if b"\x00" in sample:
        codec = _utf16_without_bom(sample)
        return DetectedEncoding(codec) if codec and _is_plausible_text(sample, codec, complete) else None
    if _is_plausible_text(sample, "utf-8", complete):
        return DetectedEncoding("utf-8")
    best = from_bytes(sample[:HEAD_SAMPLE_BYTES], cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None:
        codec = codecs.lookup(best.encoding).name
        if _is_plausible_text(sample, codec, complete):
            return DetectedEncoding(codec)
    if _is_plausible_text(sample, "gb18030", complete):
        return DetectedEncoding("gb18030")
    return None


def _first_non_ascii_window(stream: io.BufferedReader, chunk_bytes: int = 1024 * 1024) -> bytes:
    while chunk := stream.read(chunk_bytes):
        if not chunk.isascii():
            start = next(i for i, byte in enumerate(chunk) if byte >= 0x80)
            window = chunk[max(0, start - 16):]
            return window[:HEAD_SAMPLE_BYTES] if len(window) >= HEAD_SAMPLE_BYTES \
                else window + stream.read(HEAD_SAMPLE_BYTES - len(window))
    return b""


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text that is mostly ASCII has a zero in every second byte."""
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    even_zero, odd_zero = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zero > 0.6 and even_zero < 0.1:
        return "utf-16-le"
    if even_zero > 0.6 and odd_zero < 0.1:
        return "utf-16-be"
    return None


def _is_plausible_text(data: bytes, codec: str, complete: bool) -> bool:
    """Decodes strictly (a sample may end mid-character) and has few control/unassigned chars."""
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        text = decoder.decode(data, final=complete)
    except (UnicodeDecodeError, LookupError):
        return False
    if not text:
        return True
    odd_chars = sum(1 for ch in text if _is_odd_char(ch))
    return odd_chars <= max(1, len(text) // 200)


def _is_odd_char(ch: str) -> bool:
    if ch in ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class LineAnchor:
    """Where a segment's text starts: its physical line (1-based; a quoted CSV cell may run on)."""

    line: int


def read(path: Path, limits: Limits, *, anchors: bool = False) -> Iterator[ReaderItem]:
    """Lines of a .txt/.md file, or rows of a .csv file (by extension).

    With `anchors`, each segment carries a `LineAnchor` (for the redactor)."""
    items = _read_items(path)
    if not anchors:
        yield from items
        return
    for item in items:
        yield item if isinstance(item, Notice) else replace(item, anchor=_line_anchor(item))


def _line_anchor(segment: Segment) -> LineAnchor:
    # Every text/CSV location starts with "第N行" (N = the physical line where the line or row starts).
    return LineAnchor(int(segment.location[1:segment.location.index("行")]))


def _read_items(path: Path) -> Iterator[ReaderItem]:
    encoding = detect_encoding(path)
    if encoding is None:
        raise ReadError("无法识别文本文件的字符编码（不是 UTF-8/UTF-16/GB18030/Big5），无法审查",
                        code="unknown_encoding")
    if path.suffix.lower() == ".csv":
        yield from _read_csv(path, encoding)
    else:
        yield from _read_lines(path, encoding, markdown=path.suffix.lower() in (".md", ".markdown"))


def open_text(path: Path, encoding: DetectedEncoding, *, newline: str | None = None) -> io.TextIOWrapper:
    """A text stream over `path` that decodes incrementally (bounded memory)."""
    raw = open(path, "rb")  # noqa: SIM115 - the returned wrapper owns and closes it
    raw.seek(len(encoding.bom))
    return io.TextIOWrapper(raw, encoding=encoding.codec, errors="replace", newline=newline)


def _read_lines(path: Path, encoding: DetectedEncoding, *, markdown: bool) -> Iterator[ReaderItem]:
    table = _MarkdownTable() if markdown else None
    bad_lines: list[int] = []
    non_empty = 0
    with open_text(path, encoding) as stream:
        for number, line in _physical_lines(stream):
            if "\ufffd" in line:
                bad_lines.append(number)
            text = line.strip()
            if not text:
                if table is not None:
                    table.end()
                continue
            non_empty += 1
            zone = Zone.TOP if non_empty <= TOP_LINES else Zone.BODY
            if table is not None and (cells := table.feed(text, number)) is not None:
                yield from cells
                continue
            for piece in _pieces(text):
                yield Segment(piece, f"第{number}行", zone)
    if bad_lines:
        yield _decode_notice(encoding, bad_lines)


def _physical_lines(stream: io.TextIOWrapper) -> Iterator[tuple[int, str]]:
    """(line number, text) of a text stream; an overlong line comes in pieces with the same number."""
    number, pending = 1, ""
    while chunk := stream.readline(MAX_SEGMENT_CHARS):
        if chunk.endswith("\n"):
            yield number, pending + chunk[:-1]
            number, pending = number + 1, ""
        elif len(chunk) >= MAX_SEGMENT_CHARS:
            yield number, pending + chunk
            pending = ""
        else:
            pending += chunk
    if pending:
        yield number, pending


def _pieces(text: str) -> Iterator[str]:
    # Segments are single lines: split on any other line-breaking character a file may hold.
    for piece in re.split(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", text):
        if piece.strip():
            yield piece.strip()


def _decode_notice(encoding: DetectedEncoding, bad_lines: list[int]) -> Notice:
    shown = "、".join(f"第{n}行" for n in bad_lines[:5]) + ("等" if len(bad_lines) > 5 else "")
    return Notice(
        code="decode_errors",
        location=shown,
        detail=f"按 {encoding.label} 解码时有 {len(bad_lines)} 行含无法识别的字符（已显示为 �），"
               "这些位置的内容未能核查，需人工审查",
    )


class _MarkdownTable:
    """Turns Markdown pipe tables ("| 姓名 | 身份证号 |" + "|---|---|") into table cells."""

    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.pending_header: tuple[list[str], int] | None = None

    def end(self) -> None:
        self.header = None
        self.pending_header = None

    def feed(self, line: str, number: int) -> list[Segment] | None:
        """Segments for a table line, or None if `line` is not part of a table."""
        if not line.startswith("|"):
            self.end()
            return None
        if self.pending_header and MARKDOWN_TABLE_RULE.match(line):
            self.header = self.pending_header[0]
            self.pending_header = None
            return []
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if self.header is None:
            self.pending_header = (cells, number)
            return [Segment(cell, f"第{number}行 第{col}列", Zone.TABLE, record=f"第{number}行")
                    for col, cell in enumerate(cells, start=1) if cell]
        return [
            Segment(cell, f"第{number}行 第{col}列", Zone.TABLE,
                    field=self.header[col - 1] if col <= len(self.header) and self.header[col - 1] else None,
                    record=f"第{number}行")
            for col, cell in enumerate(cells, start=1) if cell
        ]


def _read_csv(path: Path, encoding: DetectedEncoding) -> Iterator[ReaderItem]:
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    dialect = _csv_dialect(path, encoding)
    header: list[str] | None = None
    bad_lines: list[int] = []
    with open_text(path, encoding, newline="") as stream:
        rows = csv.reader(stream, dialect)
        start_line = 1
        try:
            for row in rows:
                line = start_line
                start_line = rows.line_num + 1
                if any("\ufffd" in cell for cell in row):
                    bad_lines.append(line)
                cells = [cell.strip() for cell in row]
                if not any(cells):
                    continue
                record = f"第{line}行"
                for col, cell in enumerate(cells, start=1):
                    field = header[col - 1] if header and col <= len(header) and header[col - 1] else None
                    for piece in _pieces(cell):
                        yield Segment(piece, f"第{line}行 第{col}列", Zone.TABLE, field=field, record=record)
                if header is None:
                    header = [" ".join(_pieces(cell)) for cell in cells]
        except csv.Error as exc:
            raise ReadError(f"CSV 文件第{start_line}行格式错误（{exc}），文件未能完整审查",
                            code="corrupt_csv") from exc
    if bad_lines:
        yield _decode_notice(encoding, bad_lines)


def _csv_dialect(path: Path, encoding: DetectedEncoding) -> type[csv.Dialect] | csv.Dialect:
    with open_text(path, encoding, newline="") as stream:
        sample = stream.read(64 * 1024)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel
