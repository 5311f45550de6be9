"""Pure functions that compute what replaces a personal value. No I/O, no document formats.

Characters are counted as a person reads them: a CJK character, a full-width digit and an
ASCII digit each count as one; separators (spaces, dashes) are kept and not counted.
"""

from __future__ import annotations

from prepub_review.act.masking import MASK_CHAR, mask_value
from prepub_review.decide.policy import MaskSpec

NAME_DOTS = "·•・‧.．"          # minority and transliterated names: 阿依古丽·买买提


def mask_keep(value: str, keep_prefix: int, keep_suffix: int) -> str:
    """Keep so many leading/trailing characters, mask the rest (at least a third stays hidden)."""
    return mask_value(value, MaskSpec(keep_prefix, keep_suffix))


def mask_name(name: str, compound_surnames: frozenset[str]) -> str:
    """A person's name masked after the surname: 张三→张*, 张三明→张*明, 欧阳娜娜→欧阳**.

    Names with a middle dot keep only the first character of the first part: 阿依古丽·买买提→阿***·***.
    """
    name = name.strip()
    if not name:
        return name
    if any(ch.isspace() for ch in name):     # 王　芳 (padded to the width of three): 王　*, the blanks kept
        kept = [i for i, ch in enumerate(name) if not ch.isspace()]
        shown = list(name)
        for i, ch in zip(kept, mask_name("".join(name[i] for i in kept), compound_surnames)):
            shown[i] = ch
        return "".join(shown)
    if any(dot in name for dot in NAME_DOTS):
        return name[0] + "".join(ch if ch in NAME_DOTS or ch.isspace() else MASK_CHAR for ch in name[1:])
    if len(name) == 1:
        return MASK_CHAR
    surname_length = 2 if len(name) > 2 and name[:2] in compound_surnames else 1
    surname, given = name[:surname_length], name[surname_length:]
    if surname_length == 1 and len(given) >= 2:   # 张*明: the last character tells namesakes apart
        return surname + MASK_CHAR * (len(given) - 1) + given[-1]
    return surname + MASK_CHAR * len(given)


def generalise_address(value: str, attrs: dict, level: str) -> str:
    """An address cut back to its 村/社区 (`village`) or 乡镇/街道 (`township`) part.

    The address recognizer says how many leading characters those levels cover (attrs keep_village,
    keep_township). An address with no such part is removed entirely.
    """
    keep = 0
    if level == "village":
        keep = attrs.get("keep_village") or attrs.get("keep_township") or 0
    elif level == "township":
        keep = attrs.get("keep_township") or 0
    return value[:keep]
