"""Plain text (.txt/.md) and CSV: encoding detection and a streaming line reader.

Chinese text files come as UTF-8, UTF-8 with BOM (Notepad), UTF-16 (Excel "Unicode
text"), GBK/GB18030 (older Windows tools) and sometimes Big5. Detection order:
BOM -> strict UTF-8 -> charset-normalizer limited to the plausible encodings (it
mistakes short GBK for cp949 otherwise) -> strict GB18030.

GB18030 and Big5 decode almost any short run of bytes, so a guess in either must also read
like Chinese: most of its non-ASCII characters common ones (GB2312 level 1, Big5 frequent
characters, CJK punctuation). A file that ends inside a character (cut short in a download
or a copy) is still text: the reader shows the cut as � and says so in a notice.

Files are read through an incremental decoder, one line at a time, so a 100 MB
file needs little memory. `detect_encoding` is public: whoever rewrites a text
file (the redactor) must write the same encoding and BOM back.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes

from prepub_review.errors import ReadError
from prepub_review.models import Locator, Notice, Segment, Zone, pickled_by_fields
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.tables import HeaderCell, HeaderFinder

HEAD_SAMPLE_BYTES = 256 * 1024
TOP_LINES = 5                       # non-empty lines that count as the top of the document
MAX_SEGMENT_CHARS = 100_000         # a "line" longer than this is cut into pieces
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "utf_32"]
LEGACY_CODECS = ("gb18030", "big5")  # decode nearly any bytes: the text must also read as Chinese
# Lead bytes of the common characters: GB2312 rows 1-3 (punctuation, numbers, full-width forms)
# and level 1 (3755 hanzi); Big5 symbols and frequent characters (A140-C67E).
COMMON_CHAR_LEADS = (("gb2312", frozenset(range(0xA1, 0xA4)) | frozenset(range(0xB0, 0xD8))),
                     ("big5", frozenset(range(0xA1, 0xC7))))
COMMON_SHARE = 0.7          # real text, even a roster of rare names, stays far above; random bytes ~0.3
ALLOWED_CONTROLS = set("\t\n\r\f\v\x1a")   # \x1a: DOS end-of-file marker
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
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
class Evidence:
    """How much a byte string must look like text to be read as text."""

    tolerate_odd_chars: bool = True     # a few control/unassigned characters (1 in 200, at least 1)
    common_share: float = COMMON_SHARE  # of the non-ASCII characters of a GB18030/Big5 reading
    legacy_min_chars: int = 1           # non-ASCII characters a GB18030/Big5 reading must have


TEXT_EVIDENCE = Evidence()
# A file whose name promises a binary document (.docx, .pdf, ...) and holds text is unusual; one
# that holds random bytes is not: no control characters, and a GB18030/Big5 reading of some length.
STRICT_EVIDENCE = Evidence(tolerate_odd_chars=False, common_share=0.9, legacy_min_chars=4)


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


def detect_encoding(path: Path, *, strict: bool = False) -> DetectedEncoding | None:
    """The encoding of a text file, or None if the file does not look like text.

    `strict` asks for stronger evidence (a file named .docx or .pdf that holds text is unusual;
    one that holds random bytes is not)."""
    with open(path, "rb") as stream:
        sample = stream.read(HEAD_SAMPLE_BYTES)
        complete = len(sample) < HEAD_SAMPLE_BYTES
        if not complete and sample.isascii():
            # An ASCII head says nothing about the rest; sample where non-ASCII text starts.
            sample += _first_non_ascii_window(stream)
    return detect_sample_encoding(sample, complete=complete, evidence=STRICT_EVIDENCE if strict else TEXT_EVIDENCE)


def detect_sample_encoding(sample: bytes, *, complete: bool = True,
                           evidence: Evidence = TEXT_EVIDENCE) -> DetectedEncoding | None:
    """The encoding of `sample` (the head of a file; `complete` if it is the whole file)."""
    for bom, codec in BOMS:
        if sample.startswith(bom):
            found = DetectedEncoding(codec, bom)
            return found if _is_plausible_text(sample[len(bom):], codec, complete, evidence) else None
    if b"\x00" in sample:
        codec = _utf16_without_bom(sample)
        plausible = codec and _is_plausible_text(sample, codec, complete, evidence)
        return DetectedEncoding(codec) if plausible else None
    if _is_plausible_text(sample, "utf-8", complete, evidence):
        return DetectedEncoding("utf-8")
    best = from_bytes(sample[:HEAD_SAMPLE_BYTES], cp_isolation=CANDIDATE_ENCODINGS).best()
    guesses = [codecs.lookup(best.encoding).name] if best is not None else []
    for codec in dict.fromkeys([*guesses, "gb18030"]):
        if _is_plausible_text(sample, codec, complete, evidence):
            return DetectedEncoding(codec)
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


def _is_plausible_text(data: bytes, codec: str, complete: bool, evidence: Evidence) -> bool:
    """Decodes strictly and has few control/unassigned chars; a GB18030 or Big5 reading must
    also be mostly common characters."""
    text = _decode_strictly(data, codec, complete)
    if text is None:
        return False
    if not text:
        return True
    # Each distinct character once; the odd categories are all non-printable, so printable ones are skipped.
    odd_chars = sum(text.count(ch) for ch in set(text) if not ch.isprintable() and _is_odd_char(ch))
    if odd_chars > (max(1, len(text) // 200) if evidence.tolerate_odd_chars else 0):
        return False
    return codec not in LEGACY_CODECS or _reads_as_chinese(text, evidence)


def _decode_strictly(data: bytes, codec: str, complete: bool) -> str | None:
    """`data` decoded, or None if it does not decode. A sample (not `complete`) may end
    mid-character, and so may a whole file cut short: then the text before the cut, if any."""
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        text = decoder.decode(data, final=False)
    except (UnicodeDecodeError, LookupError):
        return None
    if complete:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return text or None
    return text


def _reads_as_chinese(text: str, evidence: Evidence) -> bool:
    counts = Counter(text)   # by distinct character: bounded memory, one lookup each
    others = {ch: n for ch, n in counts.items() if not ch.isascii()}
    total = sum(others.values())
    common = sum(n for ch, n in others.items() if _is_common_char(ch))
    return total >= evidence.legacy_min_chars and common >= evidence.common_share * total


@functools.lru_cache(maxsize=8192)
def _is_common_char(ch: str) -> bool:
    for codec, leads in COMMON_CHAR_LEADS:
        try:
            if ch.encode(codec)[0] in leads:
                return True
        except UnicodeEncodeError:
            continue
    return False


def _is_odd_char(ch: str) -> bool:
    if ch in ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")


# ---------------------------------------------------------------------------- reading


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class LineAnchor:
    """Where a segment's text starts: its physical line (1-based; a quoted CSV cell may run on),
    and its place in reading order (several segments may start on one line: cells, pieces)."""

    line: int
    order: int


def read(path: Path, limits: Limits, *, encoding: DetectedEncoding | None = None) -> Iterator[ReaderItem]:
    """Lines of a .txt/.md file, or rows of a .csv file (by extension); each segment carries a
    `LineAnchor` (for the writer) and a Locator (line, and column for a table cell). `encoding`:
    what `detect_encoding(path)` says, when the caller already asked it (sniffing does)."""
    for order, item in enumerate(_read_items(path, encoding or detect_encoding(path))):
        yield item if isinstance(item, Notice) else _segment(item, order)


class _Text(NamedTuple):
    """A line's or a table cell's text and place, before it is a Segment (made once, in _segment)."""

    text: str
    line: int                       # physical line where the text starts
    zone: Zone
    column: int | None = None       # a table cell's column
    field: str | None = None        # a table cell's column header


def _line_segment(text: str, number: int, zone: Zone) -> _Text:
    return _Text(text, number, zone)


def _cell_segment(text: str, number: int, column: int, field: str | None) -> _Text:
    return _Text(text, number, Zone.TABLE, column, field)


def _segment(found: _Text, order: int) -> Segment:
    number, column = found.line, found.column
    anchor = LineAnchor.from_fields(number, order)
    if column is None:
        return Segment.from_fields(found.text, f"第{number}行", found.zone, None, None,
                                   Locator.from_fields("line", (), number, None), anchor)
    record = f"第{number}行"
    return Segment.from_fields(found.text, f"{record} 第{column}列", found.zone, found.field, record,
                               Locator.from_fields("cell", (number, column), number, column), anchor)


def _read_items(path: Path, encoding: DetectedEncoding | None) -> Iterator[_Text | Notice]:
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


def _read_lines(path: Path, encoding: DetectedEncoding, *, markdown: bool) -> Iterator[_Text | Notice]:
    table = _MarkdownTable() if markdown else None
    bad_lines: list[int] = []
    last_line = ""
    non_empty = 0
    with open_text(path, encoding) as stream:
        for number, line in _physical_lines(stream):
            last_line = line
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
                yield _line_segment(piece, number, zone)
    yield from _decode_notices(encoding, bad_lines, cut_short=_ends_cut(last_line))


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


def _pieces(text: str) -> list[str]:
    # Segments are single lines: split on any other line-breaking character a file may hold.
    if not LINE_BREAKS.search(text):
        text = text.strip()
        return [text] if text else []
    return [piece.strip() for piece in LINE_BREAKS.split(text) if piece.strip()]


def _ends_cut(last_text: str) -> bool:
    """The file's last character did not decode: it ends inside a character (cut short)."""
    return last_text.rstrip("\r\n").endswith("\ufffd")


def _decode_notices(encoding: DetectedEncoding, bad_lines: list[int], *, cut_short: bool) -> Iterator[Notice]:
    """A notice for the lines that did not decode; one of its own when the file was cut short."""
    inside = bad_lines[:-1] if cut_short else bad_lines
    if inside:
        shown = "、".join(f"第{n}行" for n in inside[:5]) + ("等" if len(inside) > 5 else "")
        yield Notice(
            code="decode_errors",
            location=shown,
            detail=f"按 {encoding.label} 解码时有 {len(inside)} 行含无法识别的字符（已显示为 �），"
                   "这些位置的内容未能核查，需人工审查",
        )
    if cut_short:
        yield Notice(
            code="decode_errors",
            location=f"第{bad_lines[-1]}行",
            detail="文件末尾不完整：最后一个字符只剩部分字节（已显示为 �），文件可能在下载或复制时被截断，"
                   "末尾的内容未能核查。请与原件核对，确认文件完整后再发布",
        )


class _MarkdownTable:
    """Turns Markdown pipe tables ("| 姓名 | 身份证号 |" + "|---|---|") into table cells."""

    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.pending_header: tuple[list[str], int] | None = None

    def end(self) -> None:
        self.header = None
        self.pending_header = None

    def feed(self, line: str, number: int) -> list[_Text] | None:
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
            return [_cell_segment(cell, number, col, None) for col, cell in enumerate(cells, start=1) if cell]
        return [_cell_segment(cell, number, col,
                              self.header[col - 1] if col <= len(self.header) and self.header[col - 1] else None)
                for col, cell in enumerate(cells, start=1) if cell]


def _read_csv(path: Path, encoding: DetectedEncoding) -> Iterator[_Text | Notice]:
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    dialect = _csv_dialect(path, encoding)
    header: HeaderFinder[tuple[int, list[str]]] = HeaderFinder(_header_cells)
    bad_lines: list[int] = []
    last_cell = ""
    with open_text(path, encoding, newline="") as stream:
        rows = csv.reader(stream, dialect)
        start_line = 1
        try:
            for row in rows:
                last_cell = row[-1] if row else ""
                line = start_line
                start_line = rows.line_num + 1
                if any("\ufffd" in cell for cell in row):
                    bad_lines.append(line)
                cells = [cell.strip() for cell in row]
                if any(cells):
                    for ready in header.feed((line, cells)):
                        yield from _csv_row(ready, header)
        except csv.Error as exc:
            raise ReadError(f"CSV 文件第{start_line}行格式错误（{exc}），文件未能完整审查",
                            code="corrupt_csv") from exc
    for ready in header.finish():
        yield from _csv_row(ready, header)
    yield from _decode_notices(encoding, bad_lines, cut_short=_ends_cut(last_cell))


def _header_cells(row: tuple[int, list[str]]) -> list[HeaderCell]:
    return [HeaderCell(col, " ".join(_pieces(cell))) for col, cell in enumerate(row[1], start=1) if cell]


def _csv_row(row: tuple[int, list[str]], header: HeaderFinder) -> Iterator[_Text]:
    line, cells = row
    fields = header.fields if header.header is not None and line > header.header[0] else {}
    for col, cell in enumerate(cells, start=1):
        for piece in _pieces(cell):
            yield _cell_segment(piece, line, col, fields.get(col))


CSV_DELIMITERS = ",;\t|"
CSV_SNIFF_CHARS = 64 * 1024
DELIMITER_CHUNK_LINES = 10           # csv.Sniffer judges the lines ten at a time
DELIMITER_CONSISTENCY = (1.0, 0.9)   # share of lines a delimiter must be regular on: from 1.0 down to 0.9


def _csv_dialect(path: Path, encoding: DetectedEncoding) -> type[csv.Dialect] | csv.Dialect:
    with open_text(path, encoding, newline="") as stream:
        sample = stream.read(CSV_SNIFF_CHARS)
    try:
        return CsvSniffer().sniff(sample, delimiters=CSV_DELIMITERS)
    except csv.Error:
        return csv.excel


class CsvSniffer(csv.Sniffer):
    """csv.Sniffer with cheaper guesses and the same answers: the standard delimiter guess counts
    all 127 ASCII characters on every line of the sample, and reads on to the sample's end once two
    candidates qualify; this counts only the candidate delimiters and stops there. The standard
    quote guess runs four regular expressions over the sample, each of which needs a quote."""

    def _guess_quote_and_delimiter(self, data: str,
                                   delimiters: str | None) -> tuple[str, bool, str | None, int]:
        if '"' not in data and "'" not in data:
            return "", False, None, 0       # the standard answer when none of its patterns matches
        return super()._guess_quote_and_delimiter(data, delimiters)

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple[str, bool]:
        return guess_delimiter(data, delimiters, self.preferred)


def guess_delimiter(data: str, delimiters: str | None, preferred: list[str]) -> tuple[str, bool]:
    """(delimiter, skip the space after it) by csv.Sniffer's rule: the candidate that occurs the same
    number of times on (nearly) every non-empty line, judged over growing chunks of ten lines; several
    candidates: the first of `preferred` among them, else the one of highest (count, lines)."""
    lines = [line for line in data.split("\n") if line]
    candidates = [chr(code) for code in range(127) if delimiters is None or chr(code) in delimiters]
    chunk = min(DELIMITER_CHUNK_LINES, len(lines))
    histograms: dict[str, dict[int, int]] = {char: {} for char in candidates}   # count on a line -> lines
    modes: dict[str, tuple[int, int]] = {}
    found: dict[str, tuple[int, int]] = {}
    start = 0
    while start < len(lines):
        for line in lines[start:start + chunk]:
            for char in candidates:
                histogram = histograms[char]
                count = line.count(char)
                histogram[count] = histogram.get(count, 0) + 1
        for char, histogram in histograms.items():
            if len(histogram) > 1:
                # The most frequent count (the first such, in order seen), less the lines that differ.
                count, lines_with = max(histogram.items(), key=lambda item: item[1])
                modes[char] = (count, 2 * lines_with - sum(histogram.values()))
            elif next(iter(histogram)) != 0:
                modes[char] = next(iter(histogram.items()))
        start += chunk
        judged = float(min(start, len(lines)))
        consistency, threshold = DELIMITER_CONSISTENCY
        while not found and consistency >= threshold:
            for char, (count, regular) in modes.items():
                if count > 0 and regular > 0 and regular / judged >= consistency:
                    found[char] = (count, regular)
            consistency -= 0.01
        if len(found) == 1:
            return _with_space(lines[0], next(iter(found)))
        if found:
            break          # two or more qualify: later lines can no longer change the choice
    if not found:
        return "", False
    for char in preferred:
        if char in found:
            return _with_space(lines[0], char)
    return _with_space(lines[0], max((mode, char) for char, mode in found.items())[1])


def _with_space(first_line: str, delimiter: str) -> tuple[str, bool]:
    return delimiter, first_line.count(delimiter) == first_line.count(f"{delimiter} ")
