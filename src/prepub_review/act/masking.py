"""Display masking: how reports show a value without becoming the leak.

Only letters, digits and CJK characters count as characters of the value; separators
(spaces, dashes, brackets) are kept so "138-1234-5678" shows as "138-****-5678".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from prepub_review.decide.policy import MaskSpec

MASK_CHAR = "*"
MASKED_ALREADY = frozenset("*＊×●")    # a value holding these was masked by its author: show it as it is


def _significant(char: str) -> bool:
    return char.isalnum()  # true for CJK ideographs, full-width digits and letters


def shown_masked(value: str, spec: MaskSpec) -> str:
    """How a report shows a value: masked by `spec`, except a value its author already masked,
    which shows as itself (a published 158****4567 is not shown again as 15*******67)."""
    return value if not MASKED_ALREADY.isdisjoint(value) else mask_value(value, spec)


def shown_masked_unremembered(value: str, spec: MaskSpec) -> str:
    """shown_masked without mask_value's cache, for a caller that remembers what it has shown (the
    Presenter): its values are mostly unique, and the cache's key (hashing the spec) costs as much
    as the mask."""
    return value if not MASKED_ALREADY.isdisjoint(value) else _mask_value(value, spec)


@lru_cache(maxsize=16384)   # a pure function; a report masks the same names and numbers many times
def mask_value(value: str, spec: MaskSpec) -> str:
    if not value:
        return value
    if spec.keep_from and spec.keep_from in value:
        cut = value.rindex(spec.keep_from)
        return mask_value(value[:cut], MaskSpec(spec.keep_prefix, 0)) + value[cut:]
    plain = value.isalnum()   # every character significant (no separators): the common case
    positions = range(len(value)) if plain else [i for i, ch in enumerate(value) if _significant(ch)]
    count = len(positions)
    if count == 0:
        return value
    prefix, suffix = spec.keep_prefix, spec.keep_suffix
    min_hidden = max(1, math.ceil(count / 3))
    while count - prefix - suffix < min_hidden and (prefix or suffix):
        if suffix >= prefix and suffix:
            suffix -= 1
        else:
            prefix -= 1
    if plain:   # by slicing
        return value[:prefix] + MASK_CHAR * (count - prefix - suffix) + value[count - suffix:]
    hidden = set(positions[prefix:count - suffix])
    return "".join(MASK_CHAR if i in hidden else ch for i, ch in enumerate(value))


_mask_value = mask_value.__wrapped__   # the function itself (its recursion goes through the cache)


def mask_spans(text: str, spans: Sequence[tuple], mask: Callable[[str, tuple], str] | None = None) -> str:
    """`text` with every span masked; spans may overlap (the earliest, then the longest, wins).
    A span is (start, end, spec) and masked with shown_masked, or (start, end, ...) masked with
    `mask(value, span)`."""
    out = []
    pos = 0
    for span in (spans if len(spans) == 1 else sorted(spans, key=lambda s: (s[0], -s[1]))):
        start, end = span[0], span[1]
        if end <= pos:
            continue
        start = max(start, pos)
        value = text[start:end]
        out.append(text[pos:start])
        out.append(shown_masked(value, span[2]) if mask is None else mask(value, span))
        pos = end
    out.append(text[pos:])
    return "".join(out)
