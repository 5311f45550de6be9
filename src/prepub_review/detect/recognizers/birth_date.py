"""BIRTH_DATE: a person's date of birth (domain-rules P9), said to be one by a label or a birth word.

A date alone is everywhere in a disclosure (文号 dates, 公示期, 统计期限); it is a birth date when a
label stands right before it ("出生日期：1953-05-27", a 出生年月 column) or ends the line above it
(a form's label cell), or a birth word right after or before it ("1953年5月出生", "1953年5月27日生",
"生于1953年5月27日").

Variants (rules/policy/BIRTH_DATE.yaml):
  full         year, month and day: identifies a person with little else
  year_month   year and month only (任前公示 publish an official's 出生年月 by design; with a
               private person in the same record it is still a leak)
A year alone (1953年出生) is an age band, not reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import line_start, normalize_width
from prepub_review.detect.recognizers.common import Labels, Section, is_plausible_date
from prepub_review.rules_loader import RulesSource

# 1953年5月(27日), 1953-05(-27), 1953.5.27, 1953/05/27; and after a label only, 19530527.
_DATE = re.compile(r"(?<!\d)(\d{4}) ?(?:(年) ?(\d{1,2}) ?月(?: ?(\d{1,2}) ?日)?"
                   r"|([-./])(\d{1,2})(?:\5(\d{1,2}))?)(?![\d.])")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_BETWEEN_LABEL = re.compile(r"[ \t:()]*")       # what may stand between a label and its date
_BOUNDARY = re.compile(r"$|[\s,.;:!?)、]")        # what ends a birth word ("出生," not "出生率")


class BirthDateRecognizer(PrepubRecognizer):
    ENTITY = "BIRTH_DATE"
    VARIANTS = ("full", "year_month")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        section = Section(rules, "birth_date", {"labels", "after_words", "before_words", "earliest_year",
                                                "label_window"})
        self.labels = Labels({"birth": section.words("labels")}, section.where())
        self.after_words = tuple(sorted(section.words("after_words"), key=len, reverse=True))
        self.before_words = tuple(sorted(section.words("before_words"), key=len, reverse=True))
        self.earliest_year = section.integer("earliest_year", 1900, 1800, 2100)
        self.label_window = section.integer("label_window", 12, 1, 100)

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        today = dt.date.today()
        for match in _DATE.finditer(norm):
            day = match.group(4) or match.group(7)
            found = self._dated(norm, match.start(), match.end(), int(match.group(1)),
                                int(match.group(3) or match.group(6)), int(day) if day else None, today)
            if found is not None:
                yield found
        for match in _COMPACT.finditer(norm):
            year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if self._labelled(norm, match.start()):
                found = self._dated(norm, match.start(), match.end(), year, month, day, today, labelled=True)
                if found is not None:
                    yield found

    def _dated(self, text: str, start: int, end: int, year: int, month: int, day: int | None,
               today: dt.date, labelled: bool = False) -> Candidate | None:
        if not self.earliest_year <= year <= today.year or not 1 <= month <= 12:
            return None
        if not is_plausible_date(year, month, day or 1, today.toordinal()):
            return None
        how = "label" if (labelled or self._labelled(text, start)) else self._birth_word(text, start, end)
        if how is None:
            return None
        return Candidate(start, end, "full" if day else "year_month", 0.85, {"evidence": how})

    def _labelled(self, text: str, start: int) -> bool:
        """A label right before the date, or ending the line before when the date opens its line (a
        form's label cell and value cell)."""
        label = self.labels.nearest_before(text, start, self.label_window)
        if label is not None and _BETWEEN_LABEL.fullmatch(text, label.end, start) is not None:
            return True
        return self.labels.label_above(text, start, self.label_window) is not None

    def _birth_word(self, text: str, start: int, end: int) -> str | None:
        """"after" for 1953年5月出生, "before" for 生于1953年5月, None without a birth word."""
        for word in self.after_words:
            if text.startswith(word, end) and _BOUNDARY.match(text, end + len(word)):
                return "after"
        head = text[max(line_start(text, start), start - 4):start]
        return "before" if head.endswith(self.before_words) else None
