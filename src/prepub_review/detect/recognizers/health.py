"""SENSITIVE_HEALTH: illness, disability, religion and under-14 ages tied to a person (PIPL Art. 28).

A word alone is a mention: "开展重度残疾人护理补贴工作" talks about a policy. It becomes a
person's sensitive data when it is attached to that person:
  - it sits in a field whose value describes one person ("致贫原因：尿毒症", "残疾等级：二级";
    the engine writes a table cell as "列名：单元格"), or
  - its line also carries person attributes ("李某，男，68岁，患尿毒症", "户主张三因病…"), or
  - it sits in the value under a field label that ends the line above (a form laid out
    label cell | value cell: "申请理由" / "本人患胃癌晚期，…").
A reason field's value longer than MAX_REASON_VALUE counts only when it is a personal narrative
("本人…", "其丈夫…": narrative_pattern), otherwise it is a policy sentence.
Variants: attached (block), mention (info; the policy escalates it when the same table row holds
a private person), disability_card, religion, minor. All word lists live in rules/health.yaml.

One Aho-Corasick pass finds terms and field labels; one regex pass finds ages. Python work is
done only per hit, and a line's person attributes are computed once per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import Lexicon, line_end, line_start, normalize_width
from prepub_review.errors import RulesError
from prepub_review.rules_loader import LineDict, RulesSource, check_known_keys, require, string_list

RULES_FILE = "health.yaml"
FIELD_KINDS = ("health", "reason", "identifier", "religion", "age")
TERM_CATEGORIES = ("illness", "disability", "condition", "hardship")

LABEL_GAP = 8            # "致贫原因（病种）：" — characters allowed between a label and its colon
MAX_HEALTH_VALUE = 30    # a longer "健康状况：…" value is prose; only its terms count
MAX_REASON_VALUE = 40    # a longer "备注：…" value is a policy sentence, not one person's record
MAX_BARE_VALUE = 12      # under a label on the line above: "尿毒症", "肢体残疾二级"
SCORE_ATTACHED = 0.85
SCORE_MENTION = 0.4

# Where a field value stops inside a line (prose: also at a comma; a cell runs to the line end).
_VALUE_END_PROSE = re.compile(r"[,;。]|\s{2,}|\t")
_VALUE_END_CELL = re.compile(r"[;。]|\s{2,}|\t")
_CELL_PREFIX = re.compile(r"[^\d:\n]{1,20}:\s*")   # "列名:" the engine writes before a cell
_LABEL_TAIL = " \t:()]】"
LABEL_TAIL_WINDOW = 16
_LEADING_NUMBERING = re.compile(r"[\s\d.、()一二三四五六七八九十]*")
_CHILD_MONTHS = re.compile(r"^\s*(\d{1,2})\s*个月\s*$")
_PLAIN_AGE = re.compile(r"^\s*(\d{1,3})\s*(?:周岁|岁)?\s*$")


# --- knowledge from rules/health.yaml ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HealthRules:
    terms: dict[str, str]            # word -> category (illness, disability, …)
    fields: dict[str, str]           # label -> kind (health, reason, identifier, religion, age)
    religions: list[str]
    not_health: list[str]
    grades: list[str]
    empty_values: frozenset[str]
    minor_age_limit: int
    person: re.Pattern
    age: re.Pattern
    aggregate: re.Pattern
    narrative: re.Pattern            # a field value that tells one person's own story ("本人患…")


def load_health_rules(rules: RulesSource) -> HealthRules:
    data = rules.mapping(RULES_FILE, {"terms", "disability_types", "grades", "not_health", "fields", "empty_values",
                            "religions", "minor_age_limit", "person_patterns", "age_pattern",
                            "aggregate_pattern", "narrative_pattern"})
    terms_node = require(data, "terms", dict)
    check_known_keys(terms_node, TERM_CATEGORIES)
    terms: dict[str, str] = {}
    for category in terms_node:
        for word in string_list(terms_node, category):
            terms[normalize_width(word)] = category
    grades = [normalize_width(g) for g in string_list(data, "grades")]
    for kind in string_list(data, "disability_types"):
        kind = normalize_width(kind)
        terms.setdefault(f"{kind}残疾", "disability")
        for grade in grades:
            terms.setdefault(f"{kind}{grade}", "disability")

    fields_node = require(data, "fields", dict)
    check_known_keys(fields_node, FIELD_KINDS)
    fields: dict[str, str] = {}
    for kind in fields_node:
        for label in string_list(fields_node, kind):
            fields[normalize_width(label)] = kind

    religions = [normalize_width(w) for w in string_list(data, "religions")]
    clash = (set(terms) & set(fields)) | (set(religions) & (set(terms) | set(fields)))
    if clash:
        raise RulesError(f"{data.where('fields')}: 这些词同时出现在多个列表中: {'、'.join(sorted(clash))}")

    age = compile_patterns(data, "age_pattern")
    if age.groups < 1:
        raise RulesError(f"{data.where('age_pattern')}: 键「age_pattern」须用第1组括号取出年龄数字")
    return HealthRules(
        terms=terms,
        fields=fields,
        religions=religions,
        not_health=[normalize_width(w) for w in string_list(data, "not_health", [])],
        grades=grades,
        empty_values=frozenset(normalize_width(v) for v in string_list(data, "empty_values", [])),
        minor_age_limit=require(data, "minor_age_limit", int),
        person=compile_patterns(data, "person_patterns"),
        age=age,
        aggregate=compile_patterns(data, "aggregate_pattern"),
        narrative=compile_patterns(data, "narrative_pattern"),
    )


def compile_patterns(data: LineDict, key: str) -> re.Pattern:
    """One regex from a string or a list of strings (joined as alternatives); errors name file and line."""
    value = data.get(key)
    patterns = [value] if isinstance(value, str) else string_list(data, key)
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) if len(patterns) > 1 else patterns[0])
    except re.error as exc:
        raise RulesError(f"{data.where(key)}: 键「{key}」的正则表达式有误: {exc}") from None


# --- the recognizer ----------------------------------------------------------------------------

@dataclass(slots=True)
class _Line:
    """What one line says about people: computed once, on the first hit in the line."""

    start: int
    end: int
    person: bool                       # the line carries person attributes (gender, age, ID…)
    values: list[tuple[int, int, str]] = field(default_factory=list)   # field values: start, end, kind
    above: tuple[int, int, str] | None = None    # the value under a label that ends the line above
    above_checked: bool = False


class SensitiveHealthRecognizer(PrepubRecognizer):
    ENTITY = "SENSITIVE_HEALTH"

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        self.rules = load_health_rules(rules or RulesSource())
        words: dict[str, tuple[str, str]] = {}
        for word in self.rules.not_health:
            words[word] = ("not_health", "")
        for word, category in self.rules.terms.items():
            words[word] = ("term", category)
        for word in self.rules.religions:
            words[word] = ("religion", "religion")
        for label, kind in self.rules.fields.items():
            words[label] = ("field", kind)
        self.lexicon = Lexicon(words)
        super().__init__(**kwargs)

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        yield from merge_adjacent(norm, sorted(self._find(norm), key=lambda c: (c.start, -c.end)))

    def _find(self, norm: str) -> Iterator[Candidate]:
        lines: dict[int, _Line] = {}
        seen: set[tuple[int, int, str]] = set()

        def line_at(pos: int) -> _Line:
            start = line_start(norm, pos)
            if start not in lines:
                end = line_end(norm, pos)
                line = norm[start:end]
                lines[start] = _Line(start, end, bool(self.rules.person.search(line) or self.rules.age.search(line)))
            return lines[start]

        for start, end, word, (kind, detail) in self.lexicon.longest(norm):
            line = line_at(start)
            if kind == "field":
                found = self._field(norm, line, start, end, word, detail)
            elif kind == "term":
                found = self._term(norm, line, start, end, word, detail)
            elif kind == "religion" and line.person:
                found = Candidate(start, end, "religion", SCORE_ATTACHED, {"category": "religion"})
            else:
                found = None
            if found is not None and (found.start, found.end, found.variant) not in seen:
                seen.add((found.start, found.end, found.variant))
                yield found

        for match in self.rules.age.finditer(norm):
            age = int(match.group(1))
            if age >= self.rules.minor_age_limit:
                continue
            start = line_start(norm, match.start())
            line = norm[start:line_end(norm, match.start())]
            if self.rules.person.search(line) and (match.start(), match.end(), "minor") not in seen:
                yield Candidate(match.start(), match.end(), "minor", SCORE_ATTACHED, {"age": age})

    # -- one field label: "致贫原因：…", "残疾等级：二级", "年龄：9" --

    def _field(self, norm: str, line: _Line, start: int, end: int, label: str, kind: str) -> Candidate | None:
        value = field_value(norm, line, start, end)
        if value is None:
            if kind == "reason" and (value := spaced_value(norm, line, start, end)) is not None:
                # "申请理由 本人患…" (a PDF form row): a narrative only, as a table's header
                # row "致贫原因 因病 因残 因学" is laid out the same way
                line.values.append((*value, "reason_narrative"))
            return None
        v_start, v_end = value
        line.values.append((v_start, v_end, kind))
        content = norm[v_start:v_end]
        if not content or content in self.rules.empty_values:
            return None
        attrs = {"field": label}
        if kind == "age":
            months = _CHILD_MONTHS.match(content)
            years = _PLAIN_AGE.match(content)
            age = 0 if months else int(years.group(1)) if years else None
            if age is not None and age < self.rules.minor_age_limit:
                return Candidate(v_start, v_end, "minor", SCORE_ATTACHED, {**attrs, "age": age})
            return None
        if self.rules.aggregate.match(content):
            return None  # "残疾等级：1234人" is a statistic
        if kind == "health" and v_end - v_start <= MAX_HEALTH_VALUE:
            return Candidate(v_start, v_end, "attached", SCORE_ATTACHED, {**attrs, "category": "field"})
        if kind == "identifier" and any(ch.isdigit() for ch in content):
            return Candidate(v_start, v_end, "disability_card", SCORE_ATTACHED, attrs)
        if kind == "religion" and v_end - v_start <= MAX_HEALTH_VALUE:
            return Candidate(v_start, v_end, "religion", SCORE_ATTACHED, {**attrs, "category": "religion"})
        return None

    # -- one term: illness, disability, … --

    def _term(self, norm: str, line: _Line, start: int, end: int, word: str, category: str) -> Candidate | None:
        if word.isascii() and not _ascii_bounded(norm, start, end):
            return None  # "HIV" inside "ARCHIVE"
        start, end, grade = self._with_grade(norm, line, start, end)
        attrs = {"category": category, "term": word}
        if grade:
            attrs["grade"] = grade
        for v_start, v_end, kind in line.values:
            if v_start <= start and end <= v_end:
                if kind == "health" and v_end - v_start <= MAX_HEALTH_VALUE:
                    return None  # the whole value is already reported
                if v_end - v_start > MAX_REASON_VALUE and not self._narrative(norm, v_start, start):
                    continue
                if kind in ("health", "reason") and not self._is_count(norm, line, end):
                    return Candidate(start, end, "attached", SCORE_ATTACHED, attrs)
                if kind == "reason_narrative" and self._narrative(norm, v_start, start):
                    return Candidate(start, end, "attached", SCORE_ATTACHED, attrs)
        if self._in_value_from_above(norm, line, start, end):
            return Candidate(start, end, "attached", SCORE_ATTACHED, attrs)
        if line.person and not self._is_count(norm, line, end):
            return Candidate(start, end, "attached", SCORE_ATTACHED, attrs)
        return Candidate(start, end, "mention", SCORE_MENTION, attrs)

    def _narrative(self, norm: str, v_start: int, term_start: int) -> bool:
        """True if a long field value tells one person's story before the term ("本人患…")."""
        return self.rules.narrative.search(norm, v_start, term_start) is not None

    def _in_value_from_above(self, norm: str, line: _Line, start: int, end: int) -> bool:
        """The term lies in a value under a label cell above, and is no count. The value line may
        as well be a paragraph under a heading: only a bare value ("尿毒症") or one person's story
        ("本人患…") counts."""
        above = self._value_from_above(norm, line)
        if above is None or not (above[0] <= start and end <= above[1]) or self._is_count(norm, line, end):
            return False
        return above[1] - above[0] <= MAX_BARE_VALUE or self._narrative(norm, above[0], start)

    def _value_from_above(self, norm: str, line: _Line) -> tuple[int, int, str] | None:
        """A form laid out label cell | value cell reaches us one cell per line: "…：申请理由" then
        "…：本人患胃癌晚期，…". If a health/reason field label ends the line above, this line's
        value (after an engine-written "列名：" prefix at most) is that field's value."""
        if line.above_checked:
            return line.above
        line.above_checked = True
        if line.start == 0:
            return None
        prev_end = line.start - 1
        tail = max(line_start(norm, prev_end), prev_end - LABEL_TAIL_WINDOW)
        kind = None
        for start, end, word, (what, detail) in self.lexicon.finditer(norm[tail:prev_end]):
            if what == "field" and detail in ("health", "reason") and not norm[tail + end:prev_end].strip(_LABEL_TAIL):
                kind = detail
        if kind is None:
            return None
        prefix = _CELL_PREFIX.match(norm, line.start, line.end)
        v_start = prefix.end() if prefix else line.start
        stop = _VALUE_END_CELL.search(norm, v_start, line.end)
        line.above = (v_start, stop.start() if stop else line.end, kind)
        return line.above

    def _with_grade(self, norm: str, line: _Line, start: int, end: int) -> tuple[int, int, str]:
        """Extend a disability term over an adjacent grade: "二级肢体残疾", "肢体残疾（二级）"."""
        for grade in self.rules.grades:
            size = len(grade)
            if start - size >= line.start and norm.startswith(grade, start - size):
                return start - size, end, grade
            after = norm[end:min(line.end, end + size + 2)]
            if after.startswith(grade):
                return start, end + size, grade
            if after == f"({grade})":
                return start, end + size + 2, grade
        return start, end, ""

    def _is_count(self, norm: str, line: _Line, end: int) -> bool:
        return bool(self.rules.aggregate.match(norm, end, line.end))


def field_value(norm: str, line: _Line, start: int, end: int) -> tuple[int, int] | None:
    """The value after a field label ("label：value", "label（note）：value") within the line."""
    colon = -1
    for pos in range(end, min(line.end, end + LABEL_GAP + 1)):
        char = norm[pos]
        if char == ":":
            colon = pos
            break
        if char in ",;。\t":
            return None
    if colon < 0:
        return None
    at_line_start = bool(_LEADING_NUMBERING.fullmatch(norm, line.start, start))
    stop = (_VALUE_END_CELL if at_line_start else _VALUE_END_PROSE).search(norm, colon + 1, line.end)
    v_end = stop.start() if stop else line.end
    v_start = colon + 1
    close = norm.find(")", v_start, v_end)
    if close >= 0 and "(" not in norm[v_start:close]:
        v_end = close           # "（残疾证号：…）": the bracket the label opened in ends the value
    while v_start < v_end and norm[v_start].isspace():
        v_start += 1
    while v_end > v_start and norm[v_end - 1].isspace():
        v_end -= 1
    return v_start, v_end


def spaced_value(norm: str, line: _Line, start: int, end: int) -> tuple[int, int] | None:
    """The value after a label that opens its line and is followed by a space, not a colon
    ("申请理由 本人患…", a PDF form row); it runs to the end of the cell."""
    if not _LEADING_NUMBERING.fullmatch(norm, line.start, start) or end >= line.end or norm[end] not in " \t":
        return None
    v_start = end
    while v_start < line.end and norm[v_start] in " \t":
        v_start += 1
    stop = _VALUE_END_CELL.search(norm, v_start, line.end)
    v_end = stop.start() if stop else line.end
    return (v_start, v_end) if v_end > v_start else None


def _ascii_bounded(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1] if start > 0 else ""
    after = norm[end] if end < len(norm) else ""
    return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


# When two hits describe one detail ("因病（尿毒症）", "残疾（肢体二级）"), they become one finding that
# covers the whole detail with its brackets, so a reviewer sees one item and redaction leaves no "（）".
_JOINERS = frozenset("()[]【】")
_VARIANT_RANK = {"disability_card": 5, "attached": 4, "religion": 3, "minor": 3, "mention": 1}


def merge_adjacent(text: str, candidates: list[Candidate]) -> Iterator[Candidate]:
    """Merge hits on one line separated only by brackets; keep the stronger variant. (Items of a
    list, "糖尿病、高血压", stay separate findings.)"""
    current: Candidate | None = None
    for cand in candidates:
        gap = text[current.end:cand.start] if current is not None and cand.start >= current.end else None
        if current is not None and cand.start < current.end and cand.end <= current.end:
            continue                                   # inside the current hit
        if gap is not None and len(gap) <= 2 and set(gap) <= _JOINERS and cand.variant != "minor" \
                and current.variant != "minor":
            end = cand.end
            if "(" in gap and text.startswith(")", end):
                end += 1                               # take the closing bracket too
            stronger = max(current, cand, key=lambda c: _VARIANT_RANK.get(c.variant, 0))
            current = Candidate(current.start, end, stronger.variant, max(current.score, cand.score),
                                {**cand.attrs, **current.attrs})
            continue
        if current is not None:
            yield current
        current = cand
    if current is not None:
        yield current
