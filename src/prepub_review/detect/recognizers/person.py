"""PERSON: names of private persons, officials named in their role, and already-masked names.

No segmenter runs on the hot path: jieba's POS tags call 申请人 a name (precision ≈ 0.6) and
cost 18k chars/s. Instead names are read around cheap triggers found in ONE Aho-Corasick pass:

  label + name        "户主姓名：张三" "家庭成员：王芳、李明" "户主张三" "作者：张三"
  relation + name     "妻子王芳"
  name + attribute    "张三，男，68岁" "李四（女，1950年生）" "王五，身份证号…" "张三户" "张三家庭"
                      "一、王小明，家庭人口3人" "李小龙（化名），今年9岁"
  role + name         "局长饶树声同志" "联系人：何威"  → variant official (naming officials is lawful)
  list of names       "现将张三、李四、王五等3户…予以公示"  "徐登基、沈娟…为办公室成员"
                      "王小明（3人）、李芳（女，68岁）"  "王小明3人、李芳2人" (items with short notes)
  masked name         "张*" "王*明" "欧阳**" "张某某" "李××"  → variant masked
plus two regex passes: lines that hold nothing but a name (a cell without a header, a letter's
salutation "杨富："), and blank-separated cells of table rows that a PDF/TXT reader flattened
("1 司马仁 建设社区 1 610 …").

A name is a surname from rules/surnames.txt (single or compound) and one or two given-name
characters, or a minority name joined by "·" (阿依古丽·买买提). Which reading is right is
decided by the boundaries: the trigger fixes one end; the other end must be a clean boundary
(punctuation, line end, or a word from the `followers` / `openers` lists). Common words that
begin with a surname character (高度, 张贴, 万元…) are refused by rules/person_stopwords.txt.
Nothing ever reads across a line break.

Variants: private (a private person, strong evidence: label, attribute, relation, recipient
list, private data in the same sentence), private_weak (a name-like word with weak evidence: a
bare list of three or more names or a line holding only a name), bare_list (a short list of names
with no context at all: the policy reviews it only in comments, revisions, hidden text and
properties), official, masked.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import Lexicon, is_cjk, line_end, line_start, normalize_width
from prepub_review.errors import RulesError
from prepub_review.rules_loader import (
    LineDict,
    RulesSource,
    check_known_keys,
    check_type,
    require,
    string_list,
)

RULES_FILE = "person.yaml"
SURNAMES_FILE = "surnames.txt"
STOPWORDS_FILE = "person_stopwords.txt"
OFFICIALS_FILE = "officials.txt"

PRIVATE, PRIVATE_WEAK, OFFICIAL, MASKED = "private", "private_weak", "official", "masked"
BARE_LIST = "bare_list"    # a list of names with no context: the policy decides by zone

# How much a reading is worth when two readings overlap: the stronger evidence wins.
# A label right before the name ("审核人：张三") outranks an attribute after it ("张三 联系电话…").
EVIDENCE_MASKED, EVIDENCE_LABEL, EVIDENCE_STRONG, EVIDENCE_CONTEXT, EVIDENCE_WEAK = 5, 4, 3, 2, 1
SCORES = {PRIVATE: 0.85, PRIVATE_WEAK: 0.5, OFFICIAL: 0.8, MASKED: 0.9, BARE_LIST: 0.4}

DOTS = "·•.・‧"                     # "．" is already "." after normalize_width
LIST_SEPARATORS = "、,;/ \t"
NAME_PADDING = " \u3000\xa0"      # what pads a two-character name to the width of three ("王　芳")
MAX_NAME_PADDING = 3
SENTENCE_ENDS = "。;!?"
_SENTENCE_BREAK = re.compile(f"[{re.escape(SENTENCE_ENDS)}\n]")
MAX_LABEL_CHARS = 12                 # a field label ("申请人家庭成员姓名") is at most this long
MAX_LIST_NAMES = 60
# A minority name: CJK parts joined by a middle dot ("阿依古丽·买买提", "买买提·艾力").
DOTTED_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•.・‧][\u4e00-\u9fff]{1,8}){1,3}")
_DOT = re.compile(f"[{re.escape(DOTS)}]")          # no dot, no dotted name: a cheap test first
# A line that may hold nothing but a name, or a letter's salutation "杨富：" (blanks allowed).
BARE_LINE = re.compile(r"^[ \t]*([^\s:]{2,17})[ \t]*:?[ \t]*$", re.MULTILINE)
# A line that is one name and a note about the person: "王秀英(和平村,2人)", "3.李芳(女,68岁)" (an HTML <li>).
NOTED_LINE = re.compile(r"^[ \t]*(?:\d{1,3}[、.]\s*)?([\u4e00-\u9fff·•]{2,8})(\([^()\n]{1,20}\))[ \t,;。]*$",
                        re.MULTILINE)
# A CJK cell between blanks, as PDF/TXT tables come out: "1 司马仁 建设社区 1 610", "2、傅敏  3201…".
ROW_CELL = re.compile(r"(?:(?<=[ \t])|^(?:\d{1,3}[、.]\s*)?)([\u4e00-\u9fff·•]{2,12})(?=[ \t]|$)", re.MULTILINE)
ROW_MIN_CELLS = 3
_NUMERALS = "0123456789一二三四五六七八九十两"


# --- knowledge from rules/ -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PersonRules:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    common_surnames: frozenset[str]
    stop_words: frozenset[str]
    officials: frozenset[str]
    private_labels: tuple[str, ...]
    official_labels: tuple[str, ...]
    relation_words: tuple[str, ...]
    relation_prefixes: tuple[str, ...]
    not_name_words: tuple[str, ...]
    nickname_prefixes: str
    role_words: tuple[str, ...]
    appointment_words: tuple[str, ...]
    openers: frozenset[str]
    followers: frozenset[str]
    separated_attributes: tuple[str, ...]
    counted_attributes: tuple[str, ...]
    attached_attributes: tuple[str, ...]
    household_words: tuple[str, ...]
    household_not_before: str
    gender_words: tuple[str, ...]
    age_words: tuple[str, ...]
    age_prefixes: tuple[str, ...]
    weak_attributes: tuple[str, ...]
    note_max_chars: int
    note_count_units: tuple[str, ...]
    attached_count_units: tuple[str, ...]
    note_person_words: frozenset[str]
    list_end_word: str
    list_end_units: tuple[str, ...]
    list_end_official: str
    label_suffixes: tuple[str, ...]
    private_sentence_words: tuple[str, ...]
    private_sentence_digits: int
    use_jieba: bool
    recipient_context: tuple[str, ...]
    bad_given: str
    bad_last: str
    mask_chars: str
    mask_not_before: str


def load_person_rules(rules: RulesSource) -> PersonRules:
    data = rules.mapping(RULES_FILE, {"common_surname_count", "name_starts", "labels", "relation_words", "relation_prefixes",
                            "not_name_words", "nickname_prefixes", "role_words", "appointment_words", "openers", "followers", "attributes", "list_end",
                            "list_notes", "label_suffixes", "private_sentence",
                            "recipient_context", "bad_given_chars", "bad_last_chars", "mask_chars",
                            "mask_not_before"})

    def words(mapping: LineDict, key: str) -> tuple[str, ...]:
        return tuple(normalize_width(w) for w in string_list(mapping, key))

    def chars(key: str) -> str:
        value = normalize_width(require(data, key, str))
        if not value:
            raise RulesError(f"{data.where(key)}: 键「{key}」不能为空")
        return value

    singles, compounds = _load_surnames(rules)
    count = require(data, "common_surname_count", int)
    if not 0 <= count <= len(singles):
        raise RulesError(f"{data.where('common_surname_count')}: 键「common_surname_count」应在 0 到 {len(singles)}"
                        f"（姓氏表中单姓的个数）之间，实际为 {count}")

    labels = require(data, "labels", dict)
    check_known_keys(labels, {"private", "official"})
    attributes = require(data, "attributes", dict)
    check_known_keys(attributes, {"separated", "attached", "counted", "household", "household_not_before",
                                  "gender", "age", "age_prefixes", "weak"})
    notes = require(data, "list_notes", dict)
    check_known_keys(notes, {"max_chars", "count_units", "attached_count_units", "person_words"})
    note_max_chars = require(notes, "max_chars", int)
    if not 1 <= note_max_chars <= 40:
        raise RulesError(f"{notes.where('max_chars')}: 键「max_chars」应在 1 到 40 之间，实际为 {note_max_chars}")
    list_end = require(data, "list_end", dict)
    check_known_keys(list_end, {"word", "units", "official_after"})
    private_sentence = require(data, "private_sentence", dict)
    check_known_keys(private_sentence, {"min_digits", "words", "name_followers", "jieba"})
    min_digits = require(private_sentence, "min_digits", int)
    if not 6 <= min_digits <= 25:
        raise RulesError(f"{private_sentence.where('min_digits')}: 键「min_digits」应在 6 到 25 之间，"
                         f"实际为 {min_digits}")

    private_labels, official_labels = words(labels, "private"), words(labels, "official")
    relation_words, role_words = words(data, "relation_words"), words(data, "role_words")
    separated, attached = words(attributes, "separated"), words(attributes, "attached")
    gender, age = words(attributes, "gender"), words(attributes, "age")
    followers = set(words(data, "followers")) | set(private_labels) | set(official_labels)
    followers |= set(words(private_sentence, "name_followers"))
    followers |= set(relation_words) | set(role_words) | set(separated) | set(attached) | set(gender)
    openers = set(words(data, "openers")) | set(private_labels) | set(official_labels)
    openers |= set(relation_words) | set(role_words)
    return PersonRules(
        surnames=frozenset(singles),
        compound_surnames=frozenset(compounds) | frozenset(words(data, "name_starts")),
        common_surnames=frozenset(singles[:count]),
        stop_words=frozenset(normalize_width(w) for w in rules.words(STOPWORDS_FILE)),
        officials=frozenset(normalize_width(w) for w in rules.words(OFFICIALS_FILE)),
        private_labels=private_labels,
        official_labels=official_labels,
        relation_words=relation_words,
        relation_prefixes=tuple(sorted(set(relation_words) | set(words(data, "relation_prefixes")), key=len,
                                       reverse=True)),
        not_name_words=words(data, "not_name_words"),
        nickname_prefixes=chars("nickname_prefixes"),
        role_words=role_words,
        appointment_words=words(data, "appointment_words"),
        openers=frozenset(openers),
        followers=frozenset(followers),
        separated_attributes=separated,
        counted_attributes=words(attributes, "counted"),
        attached_attributes=attached,
        household_words=words(attributes, "household"),
        household_not_before="".join(words(attributes, "household_not_before")),
        gender_words=gender,
        age_words=age,
        age_prefixes=words(attributes, "age_prefixes"),
        weak_attributes=words(attributes, "weak"),
        note_max_chars=note_max_chars,
        note_count_units=words(notes, "count_units"),
        attached_count_units=words(notes, "attached_count_units"),
        note_person_words=frozenset(words(notes, "person_words")),
        list_end_word=normalize_width(check_type(list_end, "word", str)),
        list_end_units=words(list_end, "units"),
        list_end_official=normalize_width(check_type(list_end, "official_after", str)),
        label_suffixes=words(data, "label_suffixes"),
        private_sentence_words=words(private_sentence, "words"),
        private_sentence_digits=min_digits,
        use_jieba=bool(check_type(private_sentence, "jieba", bool)),
        recipient_context=words(data, "recipient_context"),
        bad_given=chars("bad_given_chars"),
        bad_last=chars("bad_last_chars"),
        mask_chars=chars("mask_chars"),
        mask_not_before=chars("mask_not_before"),
    )


def _load_surnames(rules: RulesSource) -> tuple[list[str], list[str]]:
    singles, compounds = [], []
    for word in rules.words(SURNAMES_FILE):
        if not all(is_cjk(c) for c in word) or len(word) > 2:
            raise RulesError(f"rules/{SURNAMES_FILE}: 「{word}」不是一个单姓或两字复姓")
        (singles if len(word) == 1 else compounds).append(word)
    if not singles:
        raise RulesError(f"rules/{SURNAMES_FILE}: 姓氏表为空")
    return list(dict.fromkeys(singles)), compounds


# --- reading names ---------------------------------------------------------------------------------

class _Found(NamedTuple):   # a named tuple: ~40,000 readings on the benchmark corpus, built cheaply
    start: int
    end: int
    variant: str
    evidence: int
    how: str          # what found it: label, relation, attribute, role, list, mask, line, salutation, row


@dataclass(frozen=True, slots=True)
class _Trigger:
    """What a trigger word starts, read once from its kinds (the loop over ~100,000 hits per MB of
    tables then tests flags instead of looking each kind up in a set)."""

    kinds: frozenset[str]
    label: bool
    relation: bool
    role: bool
    attribute: bool     # a name before an attribute: separated, attached, gender or age
    counted: bool
    household: bool
    weak: bool
    list_end: bool
    enumeration: bool
    private_data: bool  # a private-data word (住址, 身份证…): its sentence may tie a name to private data

    @classmethod
    def of(cls, kinds: frozenset[str]) -> _Trigger:
        return cls(kinds, "label" in kinds, "relation" in kinds, "role" in kinds,
                   bool(kinds & {"separated", "attached", "gender", "age"}), "counted" in kinds,
                   "household" in kinds, "weak" in kinds, "list_end" in kinds, "enumeration" in kinds,
                   "private_data" in kinds)


class PersonRecognizer(PrepubRecognizer):
    ENTITY = "PERSON"

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        self.rules = load_person_rules(rules or RulesSource())
        r = self.rules
        triggers: dict[str, set[str]] = {}

        def add(word_list, kind):
            for word in word_list:
                triggers.setdefault(word, set()).add(kind)

        add(r.private_labels, "label")
        add(r.official_labels, "label")
        add(r.relation_words, "relation")
        add(r.role_words, "role")
        add(r.separated_attributes, "separated")
        add(r.attached_attributes, "attached")
        add(r.counted_attributes, "counted")
        add(r.household_words, "household")
        add(r.weak_attributes, "weak")
        add((sep + g for g in r.gender_words for sep in ",( \t"), "gender")
        add(r.age_words, "age")
        add([r.list_end_word], "list_end")
        add(["、"], "enumeration")
        # in the same pass (one scan of the text, not two): the private-data words of _private_sentences
        add(r.private_sentence_words, "private_data")
        # "马小红：子 沈桂芝" — a one-character relation opening a cell, then the name
        add((sep + p + " " for p in r.relation_prefixes if len(p) == 1 for sep in ":;"), "relation")
        self._triggers = Lexicon({w: _Trigger.of(frozenset(k)) for w, k in triggers.items()})
        self._label_starts = tuple(w for w in (*r.private_labels, *r.official_labels) if len(w) >= 2)
        self._long_number = re.compile(rf"\d{{{r.private_sentence_digits},}}")
        # Where a name may start in a private sentence: a surname's (first) character; with a
        # dotted name in the sentence, any Han character (see _tied_to_private_data).
        starts = {c for c in r.surnames if len(c) == 1} | {c[0] for c in r.compound_surnames if len(c) == 2}
        self._name_start = re.compile("[" + re.escape("".join(sorted(starts))) + "]")
        self._name_or_dotted_start = re.compile("[\u4e00-\u9fff" + re.escape("".join(sorted(starts))) + "]")
        # Words that describe a sentence: roles make a list of names official, recipient words
        # make it a recipient list. Longest match, so 家庭成员 is not read as the role 成员.
        context: dict[str, str] = {w: "recipient" for w in r.recipient_context}
        context.update({w: "private" for w in r.private_labels + r.relation_words})
        context.update({w: "role" for w in r.role_words + r.official_labels})
        self._context = Lexicon(context)
        self._relations = frozenset(r.relation_prefixes)
        self._inner_blockers = frozenset(r.role_words + r.private_labels + r.official_labels + r.relation_words)
        # _stop_at looks up words of 2-4 characters only; by first character, the lengths worth a lookup
        self._stop_lengths = _lengths_by_char(_two_to_four(r.stop_words), 0)
        self._blocker_lengths = _lengths_by_char(_two_to_four(self._inner_blockers), 0)
        self._given_chars: dict[str, bool] = {}      # character -> may stand in a given name
        # Lengths worth a lookup, longest first: of the openers by their last character, of the
        # followers by their first (a boundary check then slices only words that could be there)
        self._max_word = max(len(w) for w in r.followers | r.openers | r.stop_words)
        self._opener_lengths = _lengths_by_char(r.openers, -1)
        self._follower_lengths = _lengths_by_char(r.followers, 0)
        self._official_label = re.compile("|".join(map(re.escape, r.official_labels)))
        # Masked IDs and phones ("3304**********1234") hold long runs of "*": one hit per run, not per character.
        # (A run is written "[…][…]*", not "[…]+": a pattern that opens with a character set lets the regex
        # engine skip the text between runs.)
        mask_char = f"[{re.escape(r.mask_chars)}]"
        self._mask_run = re.compile(f"{mask_char}{mask_char}*")
        self._mask_char = re.compile(mask_char)
        # Notes after a name in a list: "3人" right after it; inside "(…)" a count, an age or a birth year.
        self._attached_count = re.compile(f"[0-9]{{1,2}}(?:{_alternatives(r.attached_count_units)})")
        self._note_last_chars = frozenset(")" + "".join(u[-1] for u in r.attached_count_units))   # a cheap pre-check
        self._person_note = re.compile(f"(?:[0-9]{{1,2}}|[{_NUMERALS[10:]}]{{1,3}})(?:{_alternatives(r.note_count_units)})"
                                       f"|[0-9]{{1,4}}(?:{_alternatives(r.age_words)})")
        super().__init__(**kwargs)

    # -- the pass over the text --

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        found: list[_Found] = []
        lists_done_until = -1
        lists: dict[tuple[int, int, bool], list[tuple[int, int]]] = {}    # several labels end at one place
        private_data: list[int] = []                 # where private-data words start
        for start, end, _, trigger in self._triggers.finditer(norm):
            if trigger.label:
                found += self._after_label(norm, start, end, lists)
            if trigger.relation:
                found += self._after_relation(norm, start, end)
            if trigger.role:
                found += self._around_role(norm, start, end)
            if trigger.attribute:
                found += self._before_attribute(norm, start, end, trigger.kinds)
            if trigger.counted:
                found += self._before_counted(norm, start, end)
            if trigger.household:
                found += self._before_household(norm, start, end)
            if trigger.weak:
                found += self._before_weak(norm, start)
            if trigger.list_end:
                found += self._before_list_end(norm, start, end)
            if trigger.enumeration and start >= lists_done_until:
                names, lists_done_until = self._enumeration(norm, start)
                found += names
            if trigger.private_data:
                private_data.append(start)
        found += self._tied_to_private_data(norm, private_data)
        for run in self._mask_run.finditer(norm):
            found += self._masked(norm, run.start())
        for match in BARE_LINE.finditer(norm):
            found += self._bare_line(norm, match.start(1), match.end(1))
        for match in NOTED_LINE.finditer(norm):
            if self._is_person_note(match.group(2)):
                got = self.name_at(norm, match.start(1), match.end(1))
                if got is not None and got[0] == match.end(1):
                    found.append(_Found(match.start(1), got[0], PRIVATE, EVIDENCE_CONTEXT, "noted"))
        rows: dict[int, str | None] = {}
        for ls, le in _lines_with_blanks(norm):          # a table row has blank-separated cells
            for match in ROW_CELL.finditer(norm, ls, le):
                found += self._row_cell(norm, match.start(1), match.end(1), rows)
        for item in _resolve(found):
            variant = MASKED if self._has_mask(norm, item.start, item.end) else item.variant
            if norm[item.start:item.end] in self.rules.officials:
                variant = OFFICIAL                         # 本单位领导名单 (rules/officials.txt)
            yield Candidate(item.start, item.end, variant, SCORES[variant], {"evidence": item.how})

    # -- triggers --

    def _after_label(self, text: str, start: int, end: int,
                     lists: dict[tuple[int, int, bool], list[tuple[int, int]]]) -> list[_Found]:
        stop = line_end(text, end)
        pos, colon = _skip_separator(text, end, stop, self.rules.label_suffixes)
        label_start = _label_start(text, start)           # "户主姓名", "联系人姓名", "办公室成员"
        cell = pos >= stop and stop < len(text) and line_start(text, label_start) == label_start
        if cell:    # a form's label cell (审批表: 申请人姓名 | 王芳): its value is the next cell, the next line
            pos, stop, colon = stop + 1, line_end(text, stop + 1), True
        variant = OFFICIAL if self._official_label.search(text, label_start, end) else PRIVATE
        key = (pos, stop, colon)
        if key not in lists:
            lists[key] = self._read_list(text, pos, stop, loose=colon)
        names = lists[key]
        if cell and (not names or text[names[-1][1]:stop].strip(" \t,;、")
                     or self._triggers.search(text[pos:stop])):
            return []         # the next cell must be names only: not a header's next label (户主姓名 | 身份证)
        return [_Found(s, e, variant, EVIDENCE_LABEL, "label") for s, e in names]

    def _after_relation(self, text: str, start: int, end: int) -> list[_Found]:
        stop = line_end(text, end)
        pos = end
        while pos < stop and text[pos] in ": \t" and pos - end < 3:
            pos += 1                                       # "孙子 高阳", "妻子：王芳"
        got = self.name_at(text, pos, stop)
        return [_Found(pos, got[0], PRIVATE, EVIDENCE_STRONG, "relation")] if got else []

    def _around_role(self, text: str, start: int, end: int) -> list[_Found]:
        stop = line_end(text, end)
        found = [_Found(s, e, OFFICIAL, EVIDENCE_STRONG, "role")
                 for s, e in self._read_list(text, end, stop, loose=False)]
        ls = line_start(text, start)
        name_end = start
        for word in self.rules.appointment_words:        # "张三任组长", "吴丹为办公室成员"
            if text.endswith(word, ls, start):
                name_end = start - len(word)
                break
        got = self.name_before(text, name_end, ls)
        if got is None and name_end != start:
            got = self.name_before(text, start, ls)
            name_end = start
        if got is not None:
            found.append(_Found(got[0], name_end, OFFICIAL, EVIDENCE_STRONG, "role"))
            found += self._list_leftwards(text, got[0], ls, OFFICIAL, EVIDENCE_STRONG, "role")
        return found

    def _before_attribute(self, text: str, start: int, end: int, kinds: frozenset[str]) -> list[_Found]:
        ls = line_start(text, start)
        if "gender" in kinds:
            if end < len(text) and is_cjk(text[end]) and text[end] != "性":
                return []                                  # ",女儿" is not a gender
            name_end = start                               # the trigger starts with its separator
        elif "age" in kinds:
            name_end = start
            while name_end > ls and text[name_end - 1] in _NUMERALS:
                name_end -= 1
            if name_end == start:
                return []
            for word_before in self.rules.age_prefixes:
                if text.endswith(word_before, ls, name_end):
                    name_end -= len(word_before)
            if name_end > ls and text[name_end - 1] in ",( 、":
                name_end -= 1
        elif "separated" in kinds and start > ls and text[start - 1] in ",( 、":
            name_end = start - 1
        else:
            name_end = start
        if (name_end < start or "gender" in kinds) and name_end > ls and text[name_end - 1] == ")":
            # a note between the name and its attribute: "李小龙(化名),今年9岁" "王芳(户主),女"
            name_end = self._note_start(text, name_end, ls, parenthesised_only=True)
        got = self.name_before(text, name_end, ls)
        if got is None:
            return []
        strict = "attached" in kinds and "separated" not in kinds and "gender" not in kinds
        if strict and not got[1]:
            return []                                      # "张三家庭" needs a clean left boundary
        found = [_Found(got[0], name_end, PRIVATE, EVIDENCE_STRONG if got[1] else EVIDENCE_CONTEXT,
                        "attribute")]
        return found + self._list_leftwards(text, got[0], ls, PRIVATE, EVIDENCE_CONTEXT, "attribute")

    def _before_counted(self, text: str, start: int, end: int) -> list[_Found]:
        """"一、王小明，家庭人口3人": the attribute must be followed by a number and the name must
        stand alone after a clean boundary (a numbered item, punctuation, an opener word)."""
        stop = line_end(text, end)
        pos = end
        while pos < stop and pos - end < 3 and text[pos] in ": \t为是(":
            pos += 1
        if pos >= stop or text[pos] not in _NUMERALS:
            return []
        ls = line_start(text, start)
        name_end = start - 1 if start > ls and text[start - 1] in ", " else start
        got = self.name_before(text, name_end, ls)
        if got is None or not got[1]:
            return []
        return [_Found(got[0], name_end, PRIVATE, EVIDENCE_STRONG, "attribute")]

    def _before_household(self, text: str, start: int, end: int) -> list[_Found]:
        if end < len(text) and text[end] in self.rules.household_not_before:
            return []
        ls = line_start(text, start)
        got = self.name_before(text, start, ls)
        if got is None or not got[1]:
            return []
        return [_Found(got[0], start, PRIVATE, EVIDENCE_STRONG, "attribute")] + \
            self._list_leftwards(text, got[0], ls, PRIVATE, EVIDENCE_CONTEXT, "attribute")

    def _before_weak(self, text: str, start: int) -> list[_Found]:
        got = self.name_before(text, start, line_start(text, start))
        if got is None or not got[1]:
            return []
        kinds = self._sentence_kinds(text, got[0], start)
        if "role" in kinds:
            return [_Found(got[0], start, OFFICIAL, EVIDENCE_CONTEXT, "attribute")]
        if "recipient" in kinds or "private" in kinds:                 # "张三因病申请低保"
            return [_Found(got[0], start, PRIVATE, EVIDENCE_CONTEXT, "attribute")]
        return [_Found(got[0], start, PRIVATE_WEAK, EVIDENCE_WEAK, "attribute")]

    def _before_list_end(self, text: str, start: int, end: int) -> list[_Found]:
        stop = line_end(text, end)
        pos = end
        while pos < stop and text[pos] in _NUMERALS:
            pos += 1
        unit = next((u for u in self.rules.list_end_units if text.startswith(u, pos)), None)
        if unit is None:
            return []
        ls = line_start(text, start)
        got = self.name_before(text, start, ls)
        if got is None or not got[1]:
            return []
        official = text.startswith(self.rules.list_end_official, pos + len(unit))     # "等3名同志"
        variant = OFFICIAL if official else PRIVATE
        found = [_Found(got[0], start, variant, EVIDENCE_STRONG, "list")]
        return found + self._list_leftwards(text, got[0], ls, variant, EVIDENCE_STRONG, "list")

    def _enumeration(self, text: str, comma: int) -> tuple[list[_Found], int]:
        """A list "甲、乙、丙" around the 、 at `comma`; returns its names and where it ends."""
        ls, le = line_start(text, comma), line_end(text, comma)
        name_chars = "、" + DOTS + self.rules.mask_chars
        begin = comma
        if comma > ls and text[comma - 1] in self._note_last_chars:
            begin = self._note_start(text, comma, ls)     # the first item may carry a note: "王小明(3人)、"
        has_notes = begin < comma
        while begin > ls and (is_cjk(text[begin - 1]) or text[begin - 1] in name_chars):
            begin -= 1
        finish = comma
        while finish < le:
            if is_cjk(text[finish]) or text[finish] in name_chars:
                finish += 1
                continue
            if not (text[finish] == "(" or text[finish].isdigit()) or not is_cjk(text[finish - 1]):
                break
            note_end = self._note_end(text, finish, le)
            if note_end == finish:
                break
            finish, has_notes = note_end, True             # an item's note: "、李芳(2人)、", "、李芳2人。"
            if finish >= le or text[finish] != "、":
                break
        pieces = _split_pieces(text, begin, finish)
        if len(pieces) < 2:
            return [], finish
        # Each item is a name, then perhaps a note; names are read without their notes.
        notes: list[str] = []
        if has_notes:
            notes = [text[self._note_start(text, p_end, p_start):p_end] for p_start, p_end in pieces]
            pieces = [(p_start, p_end - len(note)) for (p_start, p_end), note in zip(pieces, notes)]
        names: list[tuple[int, int]] = []
        unsure = 0
        first_start, first_end = pieces[0]
        got = self.name_before(text, first_end, ls)
        if got is None or not got[1] or got[0] < first_start:
            got = self._loose_name_before(text, first_start, first_end, ls)
            if got is None:
                return [], finish
            unsure += 1
        names.append((got[0], first_end))
        for p_start, p_end in pieces[1:-1]:
            got = self.name_at(text, p_start, p_end)
            if got is None or got[0] != p_end:
                if self._loose_name_at(text, p_start, p_end) is None or p_end - p_start > 3:
                    return [], finish
                unsure += 1                               # an unlisted surname ("亢志强")
            names.append((p_start, p_end))
        last_start, last_end = pieces[-1]
        got = self.name_at(text, last_start, le)
        if got is None or got[0] > last_end:
            got = self._loose_name_after(text, last_start, last_end, le)
            if got is None:
                return [], finish
            unsure += 1
        names.append((last_start, got[0]))
        if unsure * 3 > len(names):
            return [], finish
        variant, evidence = self._list_variant(text, names, notes)
        if variant is None:
            return [], finish
        return [_Found(s, e, variant, evidence, "list") for s, e in names], finish

    def _masked(self, text: str, pos: int) -> list[_Found]:
        r = self.rules
        ls = line_start(text, pos)
        first = pos
        while first > ls and text[first - 1] in r.mask_chars:
            first -= 1
        if first < pos:
            return []                                      # handled at the first mask character
        last = pos
        while last < len(text) and text[last] in r.mask_chars and last - pos < 3:
            last += 1
        le = line_end(text, pos)
        if last < le and text[last] in r.mask_not_before:  # "某些", "XX镇", "某村"
            return []
        if text[pos] != "某" and last - pos < 2 and last < le and is_cjk(text[last]) \
                and self._given_ok(text[last]) and not self._right_boundary(text, last, le):
            last += 1                                      # "王*明" (but not "王*因病")
        for surname_len in (2, 1):
            start = pos - surname_len
            if start < ls:
                continue
            surname = text[start:pos]
            if surname_len == 2 and surname not in r.compound_surnames:
                continue
            if surname_len == 1 and surname not in r.surnames:
                continue
            if self._stop_at(text, start, last):
                return []
            if not self._clean_left(text, start, ls) and text[pos] in "某Xx":
                return []                                  # "关于某某", "对于某"
            return [_Found(start, last, MASKED, EVIDENCE_MASKED, "mask")]
        return []

    def _bare_line(self, text: str, start: int, end: int) -> list[_Found]:
        got = self.name_at(text, start, end)
        if got is None or got[0] != end:
            return []
        if text.startswith(":", end, line_end(text, end)) or text[end:line_end(text, end)].strip() == ":":
            return [_Found(start, end, PRIVATE, EVIDENCE_CONTEXT, "salutation")]     # "杨富：" opens a reply letter
        return [_Found(start, end, PRIVATE_WEAK, EVIDENCE_WEAK, "line")]

    def _row_cell(self, text: str, start: int, end: int, rows: dict[int, str | None]) -> list[_Found]:
        """A whole table cell that reads as a name, in a line that looks like a table row."""
        got = self.name_at(text, start, end)
        if got is None or got[0] != end:
            return []
        ls = line_start(text, start)
        if ls not in rows:
            rows[ls] = self._row_kind(text[ls:line_end(text, start)])
        kind = rows[ls]
        if kind is None:
            return []
        return [_Found(start, end, OFFICIAL if kind == "role" else PRIVATE, EVIDENCE_CONTEXT, "row")]

    def _row_kind(self, line: str) -> str | None:
        """None unless the line is a table row (3+ blank-separated cells, one of them a number);
        "role" if it names a role (a staff table), else "row"."""
        cells = line.split()
        if len(cells) < ROW_MIN_CELLS or not any(sum(c.isdigit() for c in cell) >= 2 for cell in cells):
            return None
        return "role" if any(kind == "role" for *_, kind in self._context.longest(line)) else "row"

    # -- notes after a name in a list --

    def _note_end(self, text: str, pos: int, stop: int) -> int:
        """End of a short note that starts at `pos` right after a name ("(3人)" "(女,68岁)" "3人"),
        or `pos` if there is none."""
        if pos < stop and text[pos] == "(":
            close = text.find(")", pos + 1, min(stop, pos + 2 + self.rules.note_max_chars))
            return close + 1 if close > 0 and "(" not in text[pos + 1:close] else pos
        count = self._attached_count.match(text, pos, stop)
        if count and (count.end() >= stop or not is_cjk(text[count.end()])):
            return count.end()                             # "3人、" but not "3人参加"
        return pos

    def _note_start(self, text: str, end: int, ls: int, parenthesised_only: bool = False) -> int:
        """Start of a short note that ends at `end` and follows a CJK character (a name), or `end`."""
        if end > ls and text[end - 1] == ")":
            opening = text.rfind("(", max(ls, end - 2 - self.rules.note_max_chars), end - 1)
            start = opening if opening >= 0 and ")" not in text[opening + 1:end - 1] else end
        elif parenthesised_only:
            return end
        else:
            start = end
            for unit in self.rules.attached_count_units:
                if text.endswith(unit, ls, end):
                    digits = end - len(unit)
                    while digits > ls and end - len(unit) - digits < 2 and text[digits - 1].isdigit():
                        digits -= 1
                    start = digits if digits < end - len(unit) else end
                    break
        return start if start < end and start > ls and is_cjk(text[start - 1]) else end

    def _is_person_note(self, note: str) -> bool:
        """Whether a note describes a person: "(3人)" "(2户)" "(68岁)" "(女,1950年生)" "(化名)" "3人"."""
        if note.startswith("(") and note.endswith(")"):
            note = note[1:-1]
        for part in re.split(r"[,;、 ]", note):
            if part in self.rules.note_person_words or part in self.rules.gender_words \
                    or part in self._relations or self._person_note.fullmatch(part):
                return True
        return False

    # -- context --

    def _sentence_kinds(self, text: str, start: int, end: int) -> set[str]:
        ls, le = line_start(text, start), line_end(text, end)
        s = max((text.rfind(c, ls, start) for c in SENTENCE_ENDS), default=-1)
        s = ls if s < ls else s + 1
        ends = [i for i in (text.find(c, end, le) for c in SENTENCE_ENDS) if i >= 0]
        e = min(ends) if ends else le
        return {kind for _, _, _, kind in self._context.longest(text[s:e])}

    def _private_sentences(self, text: str, private_data: list[int]) -> list[tuple[int, int]]:
        """(start, end) of each sentence that holds a private-data word (found at `private_data`)
        or a long number."""
        hits = private_data + [m.start() for m in self._long_number.finditer(text)]
        spans: list[tuple[int, int]] = []
        breaks: list[int] = []   # where sentences and lines end, found once for the whole text
        for pos in sorted(hits):
            if spans and spans[-1][0] <= pos < spans[-1][1]:
                continue
            if not breaks:
                breaks = [m.start() for m in _SENTENCE_BREAK.finditer(text)] + [len(text)]
            i = bisect_left(breaks, pos)    # the first break at or after pos ends its sentence
            spans.append((breaks[i - 1] + 1 if i else 0, breaks[i]))
        return spans

    def _tied_to_private_data(self, text: str, private_data: list[int]) -> list[_Found]:
        """Names with clean boundaries in a sentence that also holds private data (issue 10):
        "X的手机号是…", "客户是X先生", "经查，X系幸福村村民，患尿毒症". `private_data`: where the
        private-data words start (found in the trigger pass)."""
        r = self.rules
        found = []
        for s, e in self._private_sentences(text, private_data):
            if r.use_jieba:
                found += self._jieba_names(text, s, e)
            # Only a surname's character or a dotted name's first Han character can start a name:
            # the regex skips to the next one (a Python step per character cost the most here).
            dotted = _DOT.search(text, s, e) is not None and DOTTED_NAME.search(text, s, e) is not None
            starts = self._name_or_dotted_start if dotted else self._name_start
            pos = s
            while (start := starts.search(text, pos, e)) is not None:
                pos = start.start()
                char = text[pos]
                whole = DOTTED_NAME.match(text, pos, e) if dotted else None
                if (whole is not None or char in r.surnames or text[pos:pos + 2] in r.compound_surnames) \
                        and self._clean_left(text, pos, s):
                    if whole is not None:
                        # The Han run before the dot may hold words in front of the name ("客户是吐尔逊·…",
                        # "独居长者阿依古丽·…"): a clean start nearer the dot, as name_before finds it, wins.
                        # Without one the run is kept whole ("阿卜杜热依木·…" has six characters).
                        nearer, clean = self._dotted_start(text, pos, _DOT.search(text, pos, whole.end()).start(), s)
                        pos = nearer if clean else pos
                    got = self.name_at(text, pos, e)
                    if got is not None:
                        found.append(_Found(pos, got[0], PRIVATE, EVIDENCE_CONTEXT, "sentence"))
                        pos = got[0]
                        continue
                pos += 1
        return found

    def _jieba_names(self, text: str, s: int, e: int) -> list[_Found]:
        """jieba's person-name tags in a private sentence, kept only when prepub's own rules agree
        (a listed surname, not a stop word, no role or label word inside, a plausible given name)."""
        import jieba.posseg   # an optional signal (private_sentence.jieba): loaded only when used

        found, pos = [], s
        for word, flag in jieba.posseg.cut(text[s:e], HMM=True):
            start, end = pos, pos + len(word)
            pos = end
            if flag not in ("nr", "nrfg", "nrt") or not 2 <= len(word) <= 4:
                continue
            surname = 2 if word[:2] in self.rules.compound_surnames else 1
            if (surname == 1 and word[0] not in self.rules.surnames) or self._stop_at(text, start, end) \
                    or not self._given_ok(word[surname:]):
                continue
            found.append(_Found(start, end, PRIVATE, EVIDENCE_WEAK, "jieba"))
        return found

    def _list_variant(self, text: str, names: list[tuple[int, int]], notes: list[str]) -> tuple[str | None, int]:
        """Decide what a bare list of names is from what surrounds it and from the items' notes."""
        first, last = names[0][0], names[-1][1]
        after = text[last:line_end(text, last)]
        for word in self.rules.appointment_words:
            if after.startswith(word) and "role" in {k for *_, k in self._context.longest(after[:20])}:
                return OFFICIAL, EVIDENCE_CONTEXT
        before = text[line_start(text, first):first]
        if any(before.endswith(w) for w in self.rules.role_words):
            return OFFICIAL, EVIDENCE_CONTEXT
        kinds = self._sentence_kinds(text, first, last)
        if "role" in kinds and "private" not in kinds:
            return OFFICIAL, EVIDENCE_CONTEXT
        if "recipient" in kinds or "private" in kinds:
            return PRIVATE, EVIDENCE_CONTEXT
        if any(notes) and 2 * sum(self._is_person_note(note) for note in notes) >= len(names):
            return PRIVATE, EVIDENCE_CONTEXT               # "王小明(3人)、李芳(女,68岁)"
        lengths = [e - s for s, e in names]
        if len(names) >= 3 and max(lengths) >= 3:
            return PRIVATE_WEAK, EVIDENCE_WEAK
        return BARE_LIST, EVIDENCE_WEAK       # "荣兴、孙贵、谢雪": review only where nobody looks

    def _list_leftwards(self, text: str, start: int, ls: int, variant: str, evidence: int,
                        how: str) -> list[_Found]:
        """Names before `start` joined to it by 、 ("张三、李四、王五等3户")."""
        found = []
        while start - 1 > ls and text[start - 1] == "、" and len(found) < MAX_LIST_NAMES:
            got = self.name_before(text, start - 1, ls)
            if got is None or not got[1]:
                break
            found.append(_Found(got[0], start - 1, variant, evidence, how))
            start = got[0]
        return found

    # -- name readers --

    def _read_list(self, text: str, pos: int, stop: int, loose: bool) -> list[tuple[int, int]]:
        """Names from `pos` on: "张三", "张三、李四", "妻子王芳、儿子李明", "王芳（妻子），李明"."""
        names = []
        while pos < stop and len(names) < MAX_LIST_NAMES:
            relation = None
            for n in (3, 2, 1):
                if text[pos:pos + n] in self._relations:
                    relation = text[pos:pos + n]
                    break
            if relation and (len(relation) > 1 or text[pos + 1:pos + 2] in (" ", ":", "\t")):
                pos += len(relation)                       # "妻子王芳", "孙女 令狐宝", "子:李东"
                while pos < stop and text[pos] in ": \t":
                    pos += 1
            got = self.name_at(text, pos, stop) or self._spaced_name_at(text, pos, stop)
            if got is None and loose:
                got = self._loose_name_at(text, pos, stop)
            if got is None:
                break
            names.append((pos, got[0]))
            pos = got[0]
            if pos < stop and (text[pos] == "(" or text[pos].isdigit()):
                pos = self._note_end(text, pos, stop)      # "王芳(妻子)," "王小明3人、"
            if pos < stop and text[pos] in LIST_SEPARATORS:
                pos += 1
                while pos < stop and text[pos] in " \t":
                    pos += 1
            else:
                break
        return names

    def name_at(self, text: str, start: int, stop: int) -> tuple[int, int] | None:
        """The best name that starts at `start` (not past `stop`): (end, boundary strength)."""
        if start >= stop or not is_cjk(text[start]):
            return None
        dotted = DOTTED_NAME.match(text, start, stop)
        if dotted:
            end = self._dotted_end(text, dotted.start(), dotted.end())
            strength = self._right_boundary(text, end, stop)
            if strength and not self._stop_at(text, start, end):
                return end, strength
        options = []
        for surname_len in (2, 1):
            surname = text[start:start + surname_len]
            if surname_len == 2 and surname not in self.rules.compound_surnames:
                continue
            if surname_len == 1 and surname not in self.rules.surnames:
                continue
            for given_len in (1, 2):
                end = start + surname_len + given_len
                if end > stop:
                    break
                if not self._given_ok(text[start + surname_len:end]) or self._stop_at(text, start, end):
                    continue
                strength = self._right_boundary(text, end, stop)
                if strength:
                    options.append((strength, end - start, end))
        if not options:
            return None
        strength, _, end = max(options)
        return end, strength

    def _spaced_name_at(self, text: str, start: int, stop: int) -> tuple[int, int] | None:
        """A two-character name spaced out to line up with three-character ones in a table or list
        ("王　芳", "李  强": 1-3 blanks between surname and given name), where a name is expected."""
        if start >= stop or text[start] not in self.rules.surnames:
            return None
        given = start + 1
        while given < stop and text[given] in NAME_PADDING and given - start <= MAX_NAME_PADDING:
            given += 1
        if not 1 < given - start <= MAX_NAME_PADDING + 1 or given >= stop:
            return None
        end = given + 1
        if not self._given_ok(text[given:end]) or self._stop_at(text, given, end):
            return None
        strength = self._right_boundary(text, end, stop)
        return (end, strength) if strength >= 2 else None

    def _loose_name_at(self, text: str, start: int, stop: int) -> tuple[int, int] | None:
        """After "姓名：", a whole cell of 2-4 CJK characters is a name even with an unlisted surname."""
        end = start
        while end < stop and is_cjk(text[end]) and end - start <= 4:
            end += 1
        if not 2 <= end - start <= 4 or (end < stop and text[end] not in LIST_SEPARATORS + "("):
            return None
        if not self._given_ok(text[start + 1:end]) or self._stop_at(text, start, end):
            return None
        if any(word in text[start:end] for word in self.rules.not_name_words):
            return None                                   # "申请人姓名：联系电话" (a header row)
        if text.startswith(self._label_starts, start, end):
            return None                                   # "作者：户主袁云": the label's own name follows it
        if end - start == 2 and text[start] in self.rules.nickname_prefixes:
            return None                                   # "小王", "老李"
        return end, 3

    def _loose_name_before(self, text: str, piece_start: int, end: int, ls: int) -> tuple[int, bool] | None:
        """First item of a list with an unlisted surname: 2-3 characters after a clean boundary."""
        for length in (3, 2):
            start = end - length
            if start >= piece_start and self._clean_left(text, start, ls) and self._given_ok(text[start + 1:end]) \
                    and not self._stop_at(text, start, end):
                return start, True
        return None

    def _loose_name_after(self, text: str, start: int, piece_end: int, le: int) -> tuple[int, int] | None:
        """Last item of a list with an unlisted surname: 2-3 characters before a clean boundary."""
        for length in (3, 2):
            end = start + length
            if end <= piece_end and self._given_ok(text[start + 1:end]) and not self._stop_at(text, start, end):
                strength = self._right_boundary(text, end, le)
                if strength >= 2 or (strength == 1 and end < piece_end):
                    return end, strength
        return None

    def name_before(self, text: str, end: int, ls: int) -> tuple[int, bool] | None:
        """The best name that ends at `end`: (start, whether its left boundary is clean)."""
        if end - ls < 2:
            return None                           # no room for a name (an attribute opening its line)
        r = self.rules
        candidates: list[int] = []
        begin = end
        while begin > ls and end - begin < 20 and (is_cjk(text[begin - 1]) or _inner_dot(text, begin - 1, ls)):
            begin -= 1
        dot = _DOT.search(text, begin, end)
        if dot is not None:
            if DOTTED_NAME.fullmatch(text, begin, end) and self._dotted_end(text, begin, end) == end:
                return self._dotted_start(text, begin, dot.start(), ls)
            return None
        for length in (4, 3, 2):
            start = end - length
            if start < ls:
                continue
            if length >= 3 and text[start:start + 2] in r.compound_surnames:
                given = text[start + 2:end]
            elif length <= 3 and text[start] in r.surnames:
                given = text[start + 1:end]
            else:
                continue
            if self._given_ok(given) and not self._stop_at(text, start, end):
                candidates.append(start)
        if not candidates:
            return None
        clean = [s for s in candidates if self._clean_left(text, s, ls)]
        if clean:
            return self._pick_start(text, clean, ls), True
        common = [s for s in candidates if (text[s] in r.common_surnames or text[s:s + 2] in r.compound_surnames)
                  and not self._has_mask(text, s, end)]          # not "于某某" from "关于某某"
        return (common[0], False) if common else None

    def _dotted_start(self, text: str, begin: int, dot: int, ls: int) -> tuple[int, bool]:
        """Where a minority name "…·…" starts: its first part has 2-5 characters, and like
        any name it prefers the longest clean start unless that starts with an opener."""
        clean = [s for s in range(max(begin, dot - 5), dot - 1) if self._clean_left(text, s, ls)]
        if not clean:
            return max(begin, dot - 4), False
        return self._pick_start(text, clean, ls), True

    def _pick_start(self, text: str, starts: list[int], ls: int) -> int:
        """Of clean starts (longest name first), the longest, unless what it adds in front of a
        shorter reading belongs to an opener word: "向张三" → 张三, "户主阿依古丽…" → 阿依古丽…."""
        best = starts[0]
        for shorter in starts[1:]:
            if self._opener_ending_at(text, shorter, ls) >= shorter - best:
                best = shorter
        return best

    def _opener_ending_at(self, text: str, pos: int, ls: int) -> int:
        """Length of the longest opener word that ends at `pos` (0 if none)."""
        if pos <= ls:
            return 0
        openers = self.rules.openers
        for length in self._opener_lengths.get(text[pos - 1:pos], ()):
            if length <= pos - ls and text[pos - length:pos] in openers:
                return length
        return 0

    def _dotted_end(self, text: str, start: int, end: int) -> int:
        """Cut the last part of a dotted name where a follower word begins ("艾力为…", "吐尔逊家庭")."""
        last_dot = max(text.rfind(d, start, end) for d in DOTS)
        for pos in range(last_dot + 2, end):
            if self._right_boundary(text, pos, end + 1) in (1, 2):
                return pos
        return end

    # -- small checks --

    def _given_ok(self, given: str) -> bool:
        r = self.rules
        if not given or given[-1] in r.bad_last:
            return False
        verdicts = self._given_chars
        for c in given:
            ok = verdicts.get(c)
            if ok is None:
                ok = verdicts[c] = (is_cjk(c) or c in r.mask_chars) and c not in r.bad_given
            if not ok:
                return False
        return True

    def _stop_at(self, text: str, start: int, end: int) -> bool:
        """A common word (not a name) starts at `start`, or a role/label word starts inside."""
        lengths = self._stop_lengths.get(text[start:start + 1])
        if lengths is not None:
            stop_words = self.rules.stop_words
            for length in lengths:
                if text[start:start + length] in stop_words:
                    return True
        blockers, blocker_lengths = self._inner_blockers, self._blocker_lengths
        for inner in range(start + 1, end):
            lengths = blocker_lengths.get(text[inner:inner + 1])
            if lengths is not None:
                for length in lengths:
                    if text[inner:inner + length] in blockers:
                        return True
        return False

    def _right_boundary(self, text: str, end: int, stop: int) -> int:
        """3: punctuation or line end; 2: a follower word of 2+ chars; 1: a 1-char follower; 0: none."""
        if end >= stop:
            return 3
        char = text[end]
        if not is_cjk(char):
            return 0 if char in self.rules.mask_chars or char in DOTS else 3
        followers = self.rules.followers
        # past the text's end a slice comes back short, and a short slice may match a shorter
        # follower than its length says: there only the plain loop over every length answers alike
        lengths = self._follower_lengths.get(char, ()) if stop <= len(text) \
            else range(min(self._max_word, stop - end), 0, -1)
        for length in lengths:
            if length <= stop - end and text[end:end + length] in followers:
                return 2 if length >= 2 else 1
        return 0

    def _clean_left(self, text: str, start: int, ls: int) -> bool:
        """Nothing name-like continues to the left: line start, punctuation, "9." or an opener word."""
        if start <= ls:
            return True
        char = text[start - 1]
        if not is_cjk(char):
            return char not in self.rules.mask_chars and not _inner_dot(text, start - 1, ls)
        opener = self._opener_ending_at(text, start, ls)
        # a one-character opener may rather make a word with the surname: 及时, 按时 ("未及时申报")
        return opener > 1 or (opener == 1 and text[start - 1:start + 1] not in self.rules.stop_words)

    def _has_mask(self, text: str, start: int, end: int) -> bool:
        return self._mask_char.search(text, start + 1, end) is not None


# --- helpers ---------------------------------------------------------------------------------------

def _two_to_four(words: frozenset[str]) -> frozenset[str]:
    return frozenset(word for word in words if 2 <= len(word) <= 4)


def _lengths_by_char(words: frozenset[str], index: int) -> dict[str, tuple[int, ...]]:
    """For each character at `index` (0: first, -1: last) of `words`, their lengths, longest first."""
    lengths: dict[str, set[int]] = {}
    for word in words:
        if word:
            lengths.setdefault(word[index], set()).add(len(word))
    return {char: tuple(sorted(found, reverse=True)) for char, found in lengths.items()}


def _alternatives(words: tuple[str, ...]) -> str:
    """A regex alternation of `words`, longest first."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _inner_dot(text: str, pos: int, ls: int) -> bool:
    """A middle dot between two CJK characters ("阿依古丽·买买提"), not "9.张三"."""
    return text[pos] in DOTS and pos > ls and is_cjk(text[pos - 1]) and pos + 1 < len(text) and is_cjk(text[pos + 1])


def _skip_separator(text: str, pos: int, stop: int, suffixes: tuple[str, ...]) -> tuple[int, bool]:
    """Skip "签字" / ":" / blanks / "为" / "是" after a label; return (position, whether a colon was seen)."""
    colon = False
    if text.startswith(suffixes, pos):                     # one C call rules out every suffix at once
        for word in suffixes:                              # "经办人签字：李明"
            if text.startswith(word, pos):
                pos += len(word)
    while pos < stop and text[pos] in " \t":
        pos += 1
    if pos < stop and text[pos] == ":":
        colon = True
        pos += 1
        while pos < stop and text[pos] in " \t":
            pos += 1
    elif pos < stop and text[pos] in "为是":
        pos += 1
    return pos, colon


def _label_start(text: str, start: int) -> int:
    """Where the label that contains the word at `start` begins (after the previous punctuation)."""
    ls = line_start(text, start)
    pos = start
    while pos > ls and start - pos < MAX_LABEL_CHARS and is_cjk(text[pos - 1]):
        pos -= 1
    return pos


_BLANK = re.compile(r"[ \t]")


def _lines_with_blanks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line that holds a blank or tab, in order."""
    blank = _BLANK.search(text)
    while blank is not None:
        end = line_end(text, blank.start())
        yield line_start(text, blank.start()), end
        blank = _BLANK.search(text, end)


def _split_pieces(text: str, begin: int, finish: int) -> list[tuple[int, int]]:
    """The items of "甲、乙、丙" as (start, end); [] if an item is empty ("甲、、乙")."""
    pieces, pos = [], begin
    for index, char in enumerate(text[begin:finish], begin):
        if char == "、":
            pieces.append((pos, index))
            pos = index + 1
    pieces.append((pos, finish))
    return pieces if all(end > start for start, end in pieces) else []


def _resolve(found: list[_Found]) -> list[_Found]:
    """One reading per place: of overlapping readings keep the best evidence, then the longest."""
    kept: list[_Found] = []
    taken: set[int] = set()                       # character positions already covered (names are short)
    for item in sorted(found, key=lambda f: (-f.evidence, -(f.end - f.start), f.start, f.variant != PRIVATE)):
        span = range(item.start, item.end)
        if not span or not taken.isdisjoint(span):
            continue
        kept.append(item)
        taken.update(span)
    return sorted(kept, key=lambda f: f.start)
