"""Runs the recognizers over a document's segments and maps hits back onto segments.

Segments are packed into chunks of text, one line per segment, so that each recognizer
runs once per chunk instead of once per table cell (a 5,000-row sheet has 50,000 cells).
A segment that sits under a label (a column header, a property name) is written as
"label：text", so the label is ordinary raw-text context for every recognizer, ours or
presidio's own. Hits are then mapped back to the segment; a hit inside the label or one
that runs across two segments is dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

from prepub_review.detect.base import PrepubRecognizer
from prepub_review.models import Detection, Notice, Segment

LABEL_SEPARATOR = "："
_SEPARATOR_CHARS = len(LABEL_SEPARATOR)
DEFAULT_CHUNK_CHARS = 64 * 1024


class DetectionEngine:
    def __init__(self, recognizers: Sequence[PrepubRecognizer], chunk_chars: int = DEFAULT_CHUNK_CHARS):
        self.recognizers = list(recognizers)
        self.chunk_chars = chunk_chars

    def detect(self, items: Iterable[Segment | Notice]) -> Iterator[Detection | Notice]:
        """Yield every detection (and pass every reader notice through), in document order."""
        chunk: list[Segment] = []
        size = 0
        for item in items:
            if isinstance(item, Notice):
                yield item
                continue
            if not item.text or item.text.isspace():   # = not text.strip(), without building a copy
                continue
            chunk.append(item)
            size += len(item.text) + 1
            if size >= self.chunk_chars:
                yield from self.detect_chunk(chunk)
                chunk, size = [], 0
        if chunk:
            yield from self.detect_chunk(chunk)

    def detect_text(self, text: str) -> list[Detection]:
        return list(self.detect_chunk([Segment(text=text, location="文本")]))

    def detect_chunk(self, segments: list[Segment]) -> list[Detection]:
        text, line_starts, text_starts, text_ends = pack(segments)
        placed: list[tuple[int, Detection]] = []
        new = Detection.from_fields   # every field given: the cheap constructor (a chunk makes thousands)
        for recognizer in self.recognizers:
            wanted = recognizer.supported_entities
            default, name = recognizer.ENTITY, recognizer.name
            for cand in recognizer.find(text):
                entity = cand.entity or default
                if entity not in wanted:
                    continue
                cand_start, cand_end = cand.start, cand.end
                index = bisect_right(line_starts, cand_start) - 1
                if index < 0 or cand_end > text_ends[index]:
                    continue   # runs past the end of its segment
                base = text_starts[index]
                start = cand_start if cand_start > base else base
                if start >= cand_end:
                    continue   # lies inside the label only
                placed.append((index, new(entity, cand.variant, start - base, cand_end - base,
                                          float(cand.score), segments[index], name, dict(cand.attrs))))
        return resolve_overlaps(placed)


def pack(segments: list[Segment]) -> tuple[str, list[int], list[int], list[int]]:
    """Join segments into one text; return it with each line's start and each text's span."""
    parts: list[str] = []
    line_starts, text_starts, text_ends = [], [], []
    offset = 0
    for seg in segments:
        text = seg.text
        if seg.field:
            parts.append(f"{seg.field}{LABEL_SEPARATOR}{text}")
            start = offset + len(seg.field) + _SEPARATOR_CHARS
        else:
            parts.append(text)
            start = offset
        end = start + len(text)
        line_starts.append(offset)
        text_starts.append(start)
        text_ends.append(end)
        offset = end + 1
    return "\n".join(parts), line_starts, text_starts, text_ends


def resolve_overlaps(placed: list[tuple[int, Detection]]) -> list[Detection]:
    """Keep one detection per place, in document order: a span contained in a kept span of
    the same entity is dropped; of two hits on the same span the higher score wins.
    Partly overlapping hits are both kept (the policy and the report show both)."""
    placed.sort(key=lambda p: (p[0], p[1].start, -(p[1].end - p[1].start), -p[1].score))
    kept: list[Detection] = []
    furthest: dict[tuple[int, str], int] = {}   # (segment, entity) -> end of the kept span reaching furthest
    spans: set[tuple[int, int, int]] = set()
    for index, det in placed:
        key = (index, det.entity)
        # sorted by start: a kept span of this entity that ends at or after det.end contains it
        if furthest.get(key, -1) >= det.end or (index, det.start, det.end) in spans:
            continue
        kept.append(det)
        spans.add((index, det.start, det.end))
        furthest[key] = max(furthest.get(key, -1), det.end)
    return kept
