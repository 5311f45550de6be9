"""Text normalisation every stage shares (the ground floor: no stage imports another for it)."""

from __future__ import annotations

# Full-width ASCII (！-～) and the ideographic space mapped 1:1 to ASCII, so offsets stay valid.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20
# The same mapping as a list over the BMP (characters beyond it map to themselves): str.translate
# indexes a list faster than it hashes into a dict (17 vs 28 ms per MB of Chinese text).
_WIDTH_LIST = list(range(0x10000))
for _code, _ascii in _WIDTH_TABLE.items():
    _WIDTH_LIST[_code] = _ascii
# Every recognizer normalizes the same chunk the engine hands it: remember the last one.
# (Short strings, such as a matched value, are not remembered: they would evict the chunk.)
_last_normalized: tuple[str, str] = ("", "")
CACHE_MIN_CHARS = 1000


def normalize_width(text: str) -> str:
    """Full-width digits/letters/punctuation to ASCII; same length, same offsets."""
    global _last_normalized
    if len(text) < CACHE_MIN_CHARS:
        return text.translate(_WIDTH_LIST)
    last = _last_normalized
    if last[0] is text:
        return last[1]
    result = text.translate(_WIDTH_LIST)
    _last_normalized = (text, result)
    return result


def shown_place(text: str | None, renamed: dict[str, str]) -> str | None:
    """A location or record with the names it quotes (「…」: a sheet, a file in an archive) shown as
    `renamed` says (act.present.shown_names: {name: name with its personal values masked})."""
    if not text or not renamed or "」" not in text:
        return text
    for name, new in renamed.items():
        text = text.replace(f"「{name}」", f"「{new}」")
    return text
