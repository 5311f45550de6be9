"""Pieces shared by the identifier recognizers: digit runs, nearby labels, rules sections.

Every identifier recognizer runs one compiled regex over `normalize_width(text)` (same
offsets as the raw text) and looks at raw-text windows only around its hits. Labels
("身份证号", "联系电话"...) come from rules/identifiers.yaml, one section per recognizer.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import NamedTuple

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import Lexicon, line_end, line_start, normalize_width
from prepub_review.errors import RulesError
from prepub_review.rules_loader import LineDict, RulesSource, check_known_keys, check_type, string_list

IDENTIFIERS_FILE = "identifiers.yaml"

# A run of digit groups joined by single separators ("3304 8319 9001 0112 34", "027-60896800"),
# not glued to a letter or digit on either side (\b does not fire between CJK and digits).
# An X may close the run (ID check digit). Starts with \d so the regex engine skips text fast.
# Groups may be split by one separator, two blanks ("3304  8319…"; an ideographic space is a blank
# after normalize_width) or a dot ("330483.19900101.1234").
DIGIT_RUN = r"\d(?<![0-9A-Za-z]\d)\d*(?:(?:[ \-\u00a0.]| {2})\d+)*[Xx]?(?![0-9A-Za-z])"


@functools.cache
def digit_runs(min_len: int) -> re.Pattern:
    """DIGIT_RUN for runs of at least `min_len` characters: the lookahead lets the regex engine
    skip the many short numbers (dates, amounts, 3组) without a Python iteration each."""
    lookahead = r"(?=[\d \-\u00a0.]{" + str(min_len - 1) + "})"
    return re.compile(DIGIT_RUN.replace(r"(?<![0-9A-Za-z]\d)", r"(?<![0-9A-Za-z]\d)" + lookahead, 1))


_GROUP = re.compile(r"\d+[Xx]?")
SEPARATORS = " -\u00a0."
_SEPARATOR = re.compile(f"[{re.escape(SEPARATORS)}]")
STRIP_SEPARATORS = str.maketrans("", "", SEPARATORS)   # for str.translate: the digits of a formatted number
MAX_GROUPS = 64   # longer runs of space-separated numbers are tables, not one formatted number


# --- digit runs ---------------------------------------------------------------------------------

class Number(NamedTuple):
    """A candidate number: offsets in the text, its digits without separators. (Named tuples, this
    and LabelHit: built for every number and label looked at, where a frozen dataclass's __init__
    costs three times as much.)"""

    start: int
    end: int
    value: str
    formatted: bool   # separators inside ("138 1234 5678")


def split_runs(text: str, min_len: int, max_len: int,
               accept: Callable[[Number], Candidate | None]) -> Iterator[Candidate]:
    """Offer every plausible number in `text` (already width-normalized) to `accept`.

    A run is offered whole first; if `accept` refuses it, contiguous sub-runs of its groups
    are offered, longest first, left to right. So "序号 1 330483199001011234 13812345678"
    (table cells a PDF joined with spaces) still yields the ID, and "6222 0212 3456 7890 123"
    is one card number, not three short ones.
    """
    for match in digit_runs(min_len).finditer(text):
        start, end = match.span()
        if end - start < min_len:
            continue
        if _SEPARATOR.search(text, start, end) is None:   # one group: offered whole, or not at all
            if end - start <= max_len:
                found = accept(Number(start, end, text[start:end], False))
                if found is not None:
                    yield found
            continue
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(text, start, end)]
        if len(groups) <= MAX_GROUPS:
            yield from _split_groups(text, groups, min_len, max_len, accept)
        else:   # a long table of small numbers: offer each group on its own
            for start, end in groups:
                if min_len <= end - start <= max_len:
                    found = accept(Number(start, end, text[start:end], False))
                    if found is not None:
                        yield found


def _split_groups(text: str, groups: list[tuple[int, int]], min_len: int, max_len: int,
                  accept: Callable[[Number], Candidate | None]) -> Iterator[Candidate]:
    sizes = [0]
    for start, end in groups:
        sizes.append(sizes[-1] + end - start)
    first = 0
    while first < len(groups):
        found = None
        longest = bisect_right(sizes, sizes[first] + max_len) - 1   # the last group that still fits
        for last in range(longest, first, -1):
            if sizes[last] - sizes[first] < min_len:
                break
            start, end = groups[first][0], groups[last - 1][1]
            number = Number(start, end, "".join(text[s:e] for s, e in groups[first:last]), last - first > 1)
            found = accept(number)
            if found is not None:
                yield found
                first = last
                break
        if found is None:
            first += 1


def glued_to_digits(text: str, start: int, end: int) -> bool:
    """True if a digit group continues a formatted number across the same kind of separator it
    uses inside ("6222 [0212 3456 7890] 123"), so the match is only a piece of a longer number.
    ("邮编314500 0573-88123456" is two numbers.)"""
    inside = set(text[start:end]) & set(SEPARATORS)
    if start >= 2 and text[start - 1] in inside and text[start - 2].isdigit():
        return True
    return end + 1 < len(text) and text[end] in inside and text[end + 1].isdigit()


def is_plausible_date(year: int, month: int, day: int, today_ordinal: int) -> bool:
    """A real calendar date, not in the future."""
    try:
        return dt.date(year, month, day).toordinal() <= today_ordinal
    except ValueError:
        return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


# --- labels near a hit --------------------------------------------------------------------------

class LabelHit(NamedTuple):
    word: str
    kind: str
    start: int
    end: int


class Labels:
    """Label words grouped by kind ("id", "card", "not_phone"...), found in raw-text windows."""

    def __init__(self, words_by_kind: dict[str, list[str]], where: str = "rules/identifiers.yaml",
                 negative: frozenset[str] = frozenset()):
        # Labels of a `negative` kind ("备案号", "账号" for a phone) say what a number is NOT; they
        # count only right before the number, with no other digits in between ("邮编314500 0573-...").
        self.negative = negative
        mapping: dict[str, str] = {}
        for kind, words in words_by_kind.items():
            for word in words:
                if word in mapping and mapping[word] != kind:
                    raise RulesError(f"{where}: 词「{word}」同时出现在 {mapping[word]} 和 {kind} 两个列表中")
                mapping[word] = kind
        self._lexicon = Lexicon(mapping)

    def nearest_before(self, text: str, pos: int, window: int) -> LabelHit | None:
        """The label closest before `pos` (the longest if several end at the same place),
        within `window` characters and on the same line."""
        begin = max(line_start(text, pos), pos - window)
        best: tuple[int, int, str, str] | None = None     # offsets in the window until the end
        for hit in self._lexicon.finditer(text[begin:pos]):
            if best is None or hit[1] > best[1] or (hit[1] == best[1] and hit[0] < best[0]):
                best = hit
        if best is None:
            return None
        start, end, word, kind = best
        if kind in self.negative and any(c.isdigit() for c in text[begin + end:pos]):
            return None
        return LabelHit(word, kind, begin + start, begin + end)

    def label_above(self, text: str, pos: int, window: int) -> LabelHit | None:
        """The label that ends the previous line, when the value at `pos` opens its own line.

        Two layouts put a value's label on the line before it: a PDF line wrapped right after
        the label ("联系人：张三，电话：" / "0571-88123456"), and a form table laid out as label
        cell | value cell, which the engine writes one cell per line. The value must be the
        first thing on its line (after an engine-written "列名：" prefix at most), the label the
        last thing on the previous line (a colon or spaces after it at most). Nothing is matched
        across the line break; the previous line is only read as context."""
        if not opens_line(text, pos):
            return None
        this_line = line_start(text, pos)
        if this_line == 0:
            return None
        prev_end = this_line - 1
        begin = max(line_start(text, prev_end), prev_end - window)
        best: LabelHit | None = None
        for start, end, word, kind in self._lexicon.finditer(text[begin:prev_end]):
            start, end = start + begin, end + begin
            if text[end:prev_end].strip(_FIELD_GAP):
                continue
            if best is None or end > best.end or (end == best.end and start < best.start):
                best = LabelHit(word, kind, start, end)
        return best

    def find_all(self, text: str) -> Iterator[LabelHit]:
        """Every label in `text` (one Aho-Corasick pass), leftmost-longest, non-overlapping."""
        for start, end, word, kind in self._lexicon.longest(text):
            yield LabelHit(word, kind, start, end)

    def any_near(self, text: str, start: int, end: int, before: int, after: int) -> str | None:
        """A label found within the window around [start, end), on the same line."""
        begin = max(line_start(text, start), start - before)
        stop = min(line_end(text, end), end + after)
        return self._lexicon.search(text[begin:stop])


def is_field(text: str, label: LabelHit, value_start: int) -> bool:
    """True if label and value form a field, "联系电话：13812345678": the label opens a field (see
    `label_leads`; not "户主联系电话") and only a colon stands between label and value (not prose
    such as "邮箱是..."). A label on the line above the value (`Labels.label_above`) forms a field
    when it opens its own line."""
    if label.end < line_start(text, value_start):
        return opens_line(text, label.start)
    gap = text[label.end:value_start].strip(_FIELD_GAP)
    return label_leads(text, label) and gap in _FIELD_GAP_WORDS


def opens_line(text: str, pos: int) -> bool:
    """True if only blanks, or an engine-written cell prefix ("列名：", "王小红："), stand between
    the start of the line and `pos`."""
    head = text[line_start(text, pos):pos]
    return not head.strip(_FIELD_DECORATION) or _CELL_PREFIX.fullmatch(head) is not None


def label_leads(text: str, label: LabelHit) -> bool:
    """True if the label opens a field: first on its line, or right after a sentence end (。；！？)
    or a wide gap ("审核人：张三    联系电话：…"), as in a form line or a closing sentence of a notice."""
    if opens_line(text, label.start):
        return True
    prefix = text[line_start(text, label.start):label.start]
    return prefix.rstrip(_FIELD_DECORATION).endswith(_SENTENCE_ENDS) or prefix.endswith(_WIDE_GAPS)


_FIELD_DECORATION = " \t\u3000·•*【】[]()（）"
_SENTENCE_ENDS = ("。", "；", ";", "！", "!", "？", "?")
_WIDE_GAPS = ("  ", "\t", "\u3000\u3000", " \u3000", "\u3000 ")
# "列名：" / "王小红：" written by the engine before a cell's text (short, no digits; both colons,
# since recognizers may pass width-normalized text).
_CELL_PREFIX = re.compile(r"[^\d:：\n]{1,20}[:：]\s*")
_FIELD_GAP = " \t\u3000:：(（)）】]"
_FIELD_GAP_WORDS = {"", "号", "号码", "地址"}


# --- rules sections -----------------------------------------------------------------------------

class Section:
    """One recognizer's section of rules/identifiers.yaml, checked on load."""

    def __init__(self, rules: RulesSource | None, name: str, allowed_keys: set[str]):
        rules = rules or RulesSource()
        config = rules.yaml(IDENTIFIERS_FILE)
        if not isinstance(config, LineDict):
            raise RulesError(f"rules/{IDENTIFIERS_FILE}: 应为映射，每个识别器一节")
        if name not in config:
            raise RulesError(f"{config.where()}: 缺少识别器的配置节「{name}」")
        section = config[name]
        if not isinstance(section, LineDict):
            raise RulesError(f"{config.where(name)}: 配置节「{name}」应为映射")
        check_known_keys(section, allowed_keys)
        self.mapping = section
        self.name = name

    def where(self, key: str | None = None) -> str:
        return self.mapping.where(key)

    def words(self, key: str, default: list[str] | None = None) -> list[str]:
        return string_list(self.mapping, key, default)

    def integer(self, key: str, default: int, low: int = 0, high: int = 1000) -> int:
        if key not in self.mapping:
            return default
        value = check_type(self.mapping, key, int)
        if not low <= value <= high:
            raise RulesError(f"{self.where(key)}: 键「{key}」应在 {low} 到 {high} 之间，实际为 {value}")
        return value

    def codes(self, key: str, pattern: str, default: list[str] | None = None) -> list[str]:
        """A list of short codes (digits or letters), each checked against `pattern`."""
        value = self.mapping.get(key, default)
        if not isinstance(value, list) or not value:
            raise RulesError(f"{self.where(key)}: 键「{key}」应为非空列表")
        codes = [str(v) for v in value]
        for code in codes:
            if not re.fullmatch(pattern, code):
                raise RulesError(f"{self.where(key)}: 键「{key}」中的值「{code}」格式不对 (应匹配 {pattern})")
        return codes

    def number_ranges(self, key: str) -> set[str]:
        """Entries like "130-139" or "145" expanded to the set of codes they cover."""
        value = self.mapping.get(key)
        if not isinstance(value, list) or not value:
            raise RulesError(f"{self.where(key)}: 键「{key}」应为非空列表，如 [\"130-139\", \"145\"]")
        codes: set[str] = set()
        for entry in value:
            text = str(entry)
            low, _, high = text.partition("-")
            high = high or low
            if not (low.isdigit() and high.isdigit() and len(low) == len(high) and int(low) <= int(high)):
                raise RulesError(f"{self.where(key)}: 键「{key}」中的「{text}」应为数字或数字范围，如 130-139")
            codes.update(str(n).zfill(len(low)) for n in range(int(low), int(high) + 1))
        return codes


class OfficeContext:
    """Tells whether the text around a hit is about an office (主办单位, 民政局, 地址 ...)."""

    SECTION = "office_context"

    def __init__(self, rules: RulesSource | None):
        section = Section(rules, self.SECTION, {"words", "person_words", "window_before", "window_after"})
        self.window_before = section.integer("window_before", 60)
        self.window_after = section.integer("window_after", 30)
        self._words = Labels({"office": section.words("words")})
        self._person_words = Labels({"person": section.words("person_words", [])})

    def around(self, text: str, start: int, end: int) -> bool:
        """An office word near the hit, and no word that says the contact data is a private
        person's ("收件人：张三，电话：…" in a reply letter that also names the bureau)."""
        if self._words.any_near(text, start, end, self.window_before, self.window_after) is None:
            return False
        return self._person_words.any_near(text, start, end, self.window_before, 0) is None

    def above(self, text: str, pos: int) -> bool:
        """True if the end of the line before the one holding `pos` is about an office
        ("联系人：王科长" / "联系电话：13812345678", two lines of one contact block)."""
        this_line = line_start(text, pos)
        if this_line == 0:
            return False
        return self._words.any_near(text, this_line - 1, this_line - 1, self.window_before, 0) is not None


class NumberRecognizer(PrepubRecognizer):
    """Shared shape of the digit-run recognizers (ID numbers, bank cards): every plausible
    run of MIN_LEN..MAX_LEN digits goes to `_judge`; masked values ("35*************123")
    found by MASKED go to `_judge_masked`. Subclasses set `labels` and `label_window`."""

    MIN_LEN = 0
    MAX_LEN = 0
    MASKED: re.Pattern
    MASK_MARKERS: tuple[str, ...] = ("*", "×")
    labels: Labels
    label_window: int

    def find(self, text: str) -> Iterator[Candidate]:
        normalized = normalize_width(text)
        yield from split_runs(normalized, self.MIN_LEN, self.MAX_LEN, lambda n: self._judge(normalized, n))
        if any(marker in normalized for marker in self.MASK_MARKERS):
            for match in self.MASKED.finditer(normalized):
                candidate = self._judge_masked(normalized, match.start(), match.end())
                if candidate is not None:
                    yield candidate

    def _label_kind(self, text: str, start: int) -> str | None:
        label = self.labels.nearest_before(text, start, self.label_window)
        if label is None:   # a form's label cell, or "身份证号码：" ending the line above the number
            label = self.labels.label_above(text, start, self.label_window)
        return label.kind if label else None

    def _judge(self, text: str, number: Number) -> Candidate | None:
        raise NotImplementedError

    def _judge_masked(self, text: str, start: int, end: int) -> Candidate | None:
        raise NotImplementedError
