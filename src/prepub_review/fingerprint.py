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

import hmac
import re
import unicodedata
from collections.abc import Iterable

NEARBY_HAN = 8   # Han characters taken on each side
WINDOW = 120     # characters looked at on each side
SENTENCE_ENDS = frozenset("。！？；!?;\n")
DEFAULT_KEY = b"prepub-fingerprint/v1"   # used when no site key (approvals salt) is given


def normalise_value(value: str) -> str:
    """NFKC (full-width digits and letters to ASCII), no whitespace, upper case (an ID's x/X)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile("[" + re.escape("".join(sorted(SENTENCE_ENDS))) + "]")
_LAST_SENTENCE = re.compile("[^" + re.escape("".join(sorted(SENTENCE_ENDS))) + "]*\\Z")


def nearby_han(text: str, start: int, end: int, other_spans: Iterable[tuple[int, int]]) -> tuple[str, str]:
    """The NEARBY_HAN Han characters before `start` and after `end` in the same sentence,
    skipping every span in `other_spans` (other detected values in the same text)."""
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)   # bounded work on long lines
    first = _LAST_SENTENCE.search(text, lo, start).start()
    stop = _SENTENCE_END.search(text, end, hi)
    last = stop.start() if stop else hi
    other = [(s, e) for s, e in other_spans if s < last and e > first]
    before = _HAN.findall(_blank(text, first, start, other))[-NEARBY_HAN:]
    after = _HAN.findall(_blank(text, end, last, other))[:NEARBY_HAN]
    return "".join(before), "".join(after)


def _blank(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    """text[lo:hi] with every span's characters replaced by spaces (same length)."""
    pieces, pos = [], lo
    for s, e in sorted(spans):
        s, e = max(s, pos), min(e, hi)
        if s < e:
            pieces += (text[pos:s], " " * (e - s))
            pos = e
    pieces.append(text[pos:hi])
    return "".join(pieces)


def fingerprint(key: bytes, entity: str, value: str, field: str | None, before: str, after: str) -> str:
    material = "\x1f".join((entity, normalise_value(value), field or "", before, after))
    return hmac.digest(key, material.encode("utf-8"), "sha256").hex()[:32]   # one-shot: no HMAC object
