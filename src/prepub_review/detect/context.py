"""Chinese-aware helpers shared by the recognizers.

presidio's context enhancement compares context words with lemmas of spaCy tokens;
unsegmented Chinese has neither, so prepub looks at raw characters around a hit,
never past the end of the line (a line is one segment, see engine.pack).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ahocorasick

from prepub_review.text import CACHE_MIN_CHARS, normalize_width  # noqa: F401  (the recognizers' import)


# The bounds of the line last looked up in a long text: recognizers ask for the same line many
# times, and searching a 200 KB line for its ends at every hit would make them quadratic.
_last_line: tuple[str, int, int] = ("", 0, 0)


def _find_line(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line holding `pos`; end is the position of its "\n" (or the text end)."""
    global _last_line
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    if len(text) >= CACHE_MIN_CHARS:
        _last_line = (text, start, end)
    return start, end


def line_start(text: str, pos: int) -> int:
    cached, start, end = _last_line
    if cached is text and start <= pos <= end:
        return start
    if len(text) < CACHE_MIN_CHARS:   # short text: one rfind, no need for the line's end
        return text.rfind("\n", 0, pos) + 1
    return _find_line(text, pos)[0]


def line_end(text: str, pos: int) -> int:
    cached, start, end = _last_line
    if cached is text and start <= pos <= end:
        return end
    if len(text) < CACHE_MIN_CHARS:   # short text: one find, no need for the line's start
        end = text.find("\n", pos)
        return len(text) if end < 0 else end
    return _find_line(text, pos)[1]


def before(text: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, not crossing a line break."""
    return text[max(line_start(text, start), start - width):start]


def after(text: str, end: int, width: int) -> str:
    """Up to `width` characters after `end`, not crossing a line break."""
    return text[end:min(line_end(text, end), end + width)]


def line_of(text: str, pos: int) -> str:
    return text[line_start(text, pos):line_end(text, pos)]


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


class Lexicon:
    """Many keywords found in one pass (Aho-Corasick); each keyword may carry a payload."""

    def __init__(self, words: Iterable[str] | dict[str, object]):
        self._automaton = ahocorasick.Automaton()
        items = words.items() if isinstance(words, dict) else ((w, w) for w in words)
        count = 0
        for word, payload in items:
            if word:
                # the offset from a hit's last character back to its start, stored once
                self._automaton.add_word(word, (len(word) - 1, word, payload))
                count += 1
        self.size = count
        if count:
            self._automaton.make_automaton()

    def finditer(self, text: str) -> Iterator[tuple[int, int, str, object]]:
        """Every occurrence (overlaps included) as (start, end, word, payload)."""
        if not self.size:
            return iter(())
        # one list comprehension, not a generator: callers take every hit, and a generator's
        # resume per hit cost more than the automaton's scan
        return iter([(last - back, last + 1, word, payload)
                     for last, (back, word, payload) in self._automaton.iter(text)])

    def longest(self, text: str) -> Iterator[tuple[int, int, str, object]]:
        """Leftmost-longest, non-overlapping occurrences."""
        if not self.size:
            return iter(())
        return iter([(last - back, last + 1, word, payload)
                     for last, (back, word, payload) in self._automaton.iter_long(text)])

    def search(self, text: str) -> str | None:
        """The first keyword found in `text`, or None."""
        if not self.size:
            return None
        for _, (_, word, _) in self._automaton.iter(text):
            return word
        return None

    def __contains__(self, word: str) -> bool:
        return self.size > 0 and word in self._automaton
