"""Fingerprints: name one finding the same way in every run, without holding its value.

A fingerprint is an HMAC-SHA256 (keyed, so an ID number cannot be recovered by hashing every
possible number) over:
- the entity and the value, normalised (width, spaces);
- the label the value sits under (a column header, a property name);
- the Han characters nearest to the value on each side within its sentence, after every
  detected value in the segment has been removed.

So an edit elsewhere in the document does not change it (no line number, no display location),
masking or dropping a *neighbouring* value does not change it (detected values are not context),
and a changed value does. Two occurrences of the same value under the same label with the same
nearby words share a fingerprint: deciding one decides the other, which is what a reviewer means.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

NEARBY_HAN = 8   # Han characters taken on each side
WINDOW = 120     # characters looked at on each side
SENTENCE_ENDS = frozenset("。！？；!?;\n")
DEFAULT_KEY = b"prepub-fingerprint/v1"   # used when no site key (approvals salt) is given


def normalise_value(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII), no whitespace, upper case (an ID's x/X)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


_NOT_HAN = re.compile("[^\u3400-\u9fff\uf900-\ufaff]+")
_ENDS = re.escape("".join(sorted(SENTENCE_ENDS)))
_SENTENCE_END = re.compile(f"[{_ENDS}]")
_UP_TO_LAST_END = re.compile(f"(?s:.*)[{_ENDS}]")   # greedy: one match ends just after the last end


def nearby_han(text: str, start: int, end: int, other_spans: Iterable[tuple[int, int]]) -> tuple[str, str]:
    """The NEARBY_HAN Han characters before `start` and after `end` in the same sentence,
    skipping every span in `other_spans` (other detected values in the same text)."""
    if start == 0 and end == len(text):
        return "", ""   # the text is the value (a table cell, a property): nothing around it
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)   # bounded work on long lines
    through_end = _UP_TO_LAST_END.match(text, lo, start)
    first = through_end.end() if through_end else lo
    stop = _SENTENCE_END.search(text, end, hi)
    last = stop.start() if stop else hi
    other = sorted((s, e) for s, e in other_spans if s < last and e > first)
    before = _han_outside(text, first, start, other)[-NEARBY_HAN:]
    return before, _han_outside(text, end, last, other)[:NEARBY_HAN]


def _han_outside(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    """The Han characters of text[lo:hi] that lie outside every span (`spans` sorted), in order.
    (Everything else is deleted in one pass: a list of every Han character of a 120-character window,
    of which 8 are kept, cost twice as much.)"""
    if not spans:
        return _NOT_HAN.sub("", text[lo:hi])
    pieces, pos = [], lo
    for s, e in spans:
        if s > pos:
            pieces.append(text[pos:min(s, hi)])
        pos = max(pos, e)
        if pos >= hi:
            break
    else:
        pieces.append(text[pos:hi])
    return _NOT_HAN.sub("", "".join(pieces))


class _KeyedSha256:
    """HMAC-SHA256 (RFC 2104) with the key set up once: the inner and outer hashes are fed their padded
    keys here, and each digest continues copies of them. The same digests as `hmac.new(key, msg,
    "sha256")` (a test compares them), through hashlib's C objects only: hmac.HMAC's copy, update and
    hexdigest are Python methods, and a run takes a fingerprint of every finding."""

    BLOCK = 64   # SHA-256's block size in bytes

    def __init__(self, key: bytes):
        if len(key) > self.BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(self.BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def hexdigest(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@lru_cache(maxsize=8)
def _keyed(key: bytes) -> _KeyedSha256:
    return _KeyedSha256(key)


def fingerprint(key: bytes, entity: str, value: str, field: str | None, before: str, after: str) -> str:
    material = "\x1f".join((entity, normalise_value(value), field or "", before, after))
    return _keyed(key).hexdigest(material.encode("utf-8"))[:32]
