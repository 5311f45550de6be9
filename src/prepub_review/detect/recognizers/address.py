"""ADDRESS: addresses below village/community level (组, 门牌号, 栋, 单元, 室: domain rule P6).

A place name at administrative level ("桐乡市", "XX镇XX村", "XX街道XX社区") is not personal
data and is never reported. An address is reported when it reaches a door-level part.

One compiled regex finds numbered parts ("3组", "12号", "2单元", "12-3-501"); everything else is
Python work per hit:
  1. the run of address characters to the left of the hit (never across a line break or
     punctuation), cut after the last address label ("住址：", "家住") or prefix word ("位于");
  2. a right-to-left parse of that run into levels, each named part being name + suffix
     ("石桥镇", "和平村", "凤凰北路") and each numbered part number + unit, levels only getting
     finer from left to right (rules/address.yaml);
  3. more numbered parts to the right ("3组12号", "2单元501室").
So "民发〔2021〕57号", "第5组", "分3组", "12月3号" never qualify: no place chain leads to them.

Variants: door_level (a person's address), institution (an office's address: "主办单位:鄂州市
民政局 地址:鄂州市凤凰北路21号", or one ending in 大楼/行政中心/政府…), masked ("和平村*组*号").
attrs: levels [(level, text)], keep_village / keep_township = how many characters from the start
of the span to keep when the address is generalised to 村/社区 or to 乡镇/街道 level.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
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

RULES_FILE = "address.yaml"
DOOR_LEVEL, INSTITUTION, MASKED = "door_level", "institution", "masked"
SCORES = {DOOR_LEVEL: 0.85, INSTITUTION: 0.6, MASKED: 0.7}

MAX_RUN = 48                 # characters an address may reach to the left of its first numbered part
MAX_CONTEXT = 200            # characters before an address read to tell an office's address (long lines stay linear)
CHINESE_NUMERALS = "一二三四五六七八九十百零〇两"
_ADDRESS_PUNCT = "-#"        # inside "12-3-501", "3#楼"
_BARE_ROOM = re.compile(r"\d{3,5}(?![0-9])")


# --- knowledge from rules/address.yaml ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NamedLevel:
    name: str
    rank: int
    max_name: int
    repeat: bool
    suffixes: tuple[str, ...]
    after: frozenset[str]        # numbered levels it may follow ("88号阳光小区")


@dataclass(frozen=True, slots=True)
class NumberedLevel:
    name: str
    rank: int
    max_digits: int
    units: tuple[str, ...]
    after: frozenset[str]


@dataclass(frozen=True, slots=True)
class AddressRules:
    named: dict[str, NamedLevel]
    numbered: dict[str, NumberedLevel]
    door_levels: frozenset[str]
    village_and_above: frozenset[str]
    township_and_above: frozenset[str]
    labels: dict[str, str]                 # label word -> private / institution / generic
    office_words: tuple[str, ...]
    office_after: tuple[str, ...]
    office_estates: tuple[str, ...]
    office_locatives: tuple[str, ...]
    prefix_words: tuple[str, ...]
    bad_name_chars: str
    mask_chars: str


def load_address_rules(rules: RulesSource) -> AddressRules:
    data = rules.mapping(RULES_FILE, {"named_levels", "numbered_levels", "door_levels", "village_and_above",
                            "township_and_above", "labels", "office_words", "office_after", "office_estates",
                            "office_locatives", "prefix_words", "bad_name_chars", "mask_chars"})

    def words(mapping: LineDict, key: str) -> tuple[str, ...]:
        return tuple(normalize_width(w) for w in string_list(mapping, key))

    named: dict[str, NamedLevel] = {}
    for name, spec in require(data, "named_levels", dict).items():
        spec = _level_spec(data["named_levels"], name, {"rank", "max_name", "repeat", "suffixes", "after"})
        named[name] = NamedLevel(name, require(spec, "rank", int), require(spec, "max_name", int),
                                 bool(spec.get("repeat", False)), words(spec, "suffixes"),
                                 frozenset(words(spec, "after") if "after" in spec else ()))
    numbered: dict[str, NumberedLevel] = {}
    for name in require(data, "numbered_levels", dict):
        spec = _level_spec(data["numbered_levels"], name, {"rank", "max_digits", "units", "after"})
        after = words(spec, "after")
        numbered[name] = NumberedLevel(name, require(spec, "rank", int), require(spec, "max_digits", int),
                                       words(spec, "units"), frozenset(after))
    known = set(named) | set(numbered)
    if set(named) & set(numbered):
        raise RulesError(f"{data.where('numbered_levels')}: 级别名与 named_levels 重复")
    for level in list(numbered.values()) + list(named.values()):
        unknown = level.after - known
        if unknown:
            raise RulesError(f"rules/{RULES_FILE}: 级别「{level.name}」的 after 中有未知级别 {sorted(unknown)}")
    level_lists = {key: frozenset(words(data, key)) for key in ("door_levels", "village_and_above",
                                                                "township_and_above")}
    for key, levels in level_lists.items():
        if levels - known:
            raise RulesError(f"{data.where(key)}: 未知级别 {sorted(levels - known)}")

    label_node = require(data, "labels", dict)
    check_known_keys(label_node, {"private", "institution", "generic"})
    labels = {w: kind for kind in ("generic", "institution", "private") for w in words(label_node, kind)}

    def chars(key: str) -> str:
        return normalize_width(check_type(data, key, str))

    return AddressRules(
        named=named, numbered=numbered, labels=labels, **level_lists,
        office_words=words(data, "office_words"), office_after=words(data, "office_after"),
        office_estates=words(data, "office_estates"), office_locatives=words(data, "office_locatives"),
        prefix_words=words(data, "prefix_words"), bad_name_chars=chars("bad_name_chars"),
        mask_chars=chars("mask_chars"),
    )


def _level_spec(parent: LineDict, name: str, allowed: set[str]) -> LineDict:
    spec = parent[name]
    if not isinstance(spec, LineDict):
        raise RulesError(f"{parent.where(name)}: 级别「{name}」应为映射")
    check_known_keys(spec, allowed)
    return spec


# --- parsing ------------------------------------------------------------------------------------

class Part(NamedTuple):
    """A named or numbered part of an address. (A named tuple, not a frozen dataclass: a parse tries
    several readings of every run, ~60,000 parts on the benchmark corpus, and a frozen dataclass's
    __init__ sets each field through object.__setattr__.)"""

    start: int
    end: int
    level: str
    masked: bool = False


@dataclass(slots=True)
class _Chain:
    parts: list[Part] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.parts[0].start


class AddressRecognizer(PrepubRecognizer):
    ENTITY = "ADDRESS"

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        self.rules = load_address_rules(rules or RulesSource())
        r = self.rules
        mask = re.escape(r.mask_chars)
        self._number = rf"(?<![0-9A-Za-z-])(?:\d{{1,5}}(?:-\d{{1,5}}){{0,3}}|[{CHINESE_NUMERALS}]{{1,4}}|[A-Za-z]\d{{0,3}}|[{mask}]{{1,4}})"
        self._units = {u: lvl for lvl in sorted(r.numbered.values(), key=lambda v: v.rank)
                       for u in lvl.units if u}
        units = "|".join(re.escape(u) for u in sorted(self._units, key=len, reverse=True))
        # A numbered part: "3组", "第三组", "12号", "2单元", "A座"; or a dashed door number "12-3-501".
        self._part = re.compile(rf"第?(?P<num>{self._number})(?P<unit>{units})|"
                                rf"(?P<dashed>(?<![0-9-])\d{{1,5}}(?:-\d{{1,5}}){{1,3}}(?![0-9-]))")
        self._part_at_end = re.compile(rf"第?(?P<num>{self._number})(?P<unit>{units})$")
        self._suffixes = sorted(((s, lvl) for lvl in r.named.values() for s in lvl.suffixes),
                                key=lambda item: -len(item[0]))
        self._suffixes_by_unit = {u: [s for s, _ in self._suffixes if s.startswith(u)] for u in self._units}
        # The suffixes that end with a given character, longest first: a parse only looks up the
        # few that can end where it stands instead of trying all of them.
        self._suffixes_by_last: dict[str, list[tuple[str, NamedLevel]]] = {}
        for suffix, level in self._suffixes:
            self._suffixes_by_last.setdefault(suffix[-1], []).append((suffix, level))
        self._single_suffixes = frozenset(s for s, _ in self._suffixes if len(s) == 1)
        self._labels = sorted(r.labels, key=len, reverse=True)
        self._label_lexicon = Lexicon(r.labels)
        self._label_at_end = re.compile("(?:" + "|".join(map(re.escape, self._labels)) + ")$")
        self._prefix_lexicon = Lexicon(r.prefix_words)
        # Two-character prefix words whose first character cannot be in a name ("其中"): a name does
        # not start at their second character ("其中和平村3组" is 和平村3组, not 中和平村3组).
        self._edge_words = frozenset(w for w in r.prefix_words if len(w) == 2 and w[0] in r.bad_name_chars)
        self._unit_ends = frozenset(u[-1] for u in self._units)
        # Every numbered part ends its number right before the first character of a unit (or has a
        # dash after a digit): only lines holding such a pair are worth the full regex. (The unit's character
        # comes first, the number's end is looked behind at: a pattern that opens with a character set lets
        # the regex engine skip the text between candidates.)
        unit_starts = "[" + re.escape("".join(sorted({u[0] for u in self._units} | {"-"}))) + "]"
        number_ends = "[" + re.escape("".join(sorted(set("0123456789" + CHINESE_NUMERALS + string.ascii_letters
                                                         + r.mask_chars)))) + "]"
        self._unit_after_number = re.compile(f"{unit_starts}(?<={number_ends}{unit_starts})")
        # The characters _is_address_char accepts, as a regex: _run_start measures a run in one match.
        self._address_run = re.compile(f"[\u4e00-\u9fff\u3400-\u4dbf0-9A-Za-z{re.escape(_ADDRESS_PUNCT + r.mask_chars)}]*")
        self._mask_set = frozenset(r.mask_chars)
        # A group named, not numbered, right after a village, under a private address label
        # ("家庭住址：和平村王家湾组"): 2-4 name characters (no numeral: "五组" is numbered) and a group unit.
        # (The village suffix leads the pattern, so the regex engine skips to its characters; name
        # characters are written [^\W\d_A-Za-z]: a Han range class costs ~1 ms to compile per run.)
        village_suffixes = "|".join(re.escape(s) for s in sorted(r.named["village"].suffixes, key=len, reverse=True))
        group_units = "|".join(re.escape(u) for u in sorted(r.numbered["group"].units, key=len, reverse=True)
                               if u.endswith("组"))
        self._named_group = re.compile(f"(?:{village_suffixes})(?P<name>[^\\W\\d_A-Za-z]{{2,4}}?(?:{group_units}))")
        self._not_in_group_name = frozenset(CHINESE_NUMERALS + r.bad_name_chars)
        super().__init__(**kwargs)

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        named = self._named_groups(norm) if "组" in norm else []
        done_until = named_until = -1
        for line_start_, line_end_ in self._candidate_lines(norm):
            for match in self._part.finditer(norm, line_start_, line_end_):
                if match.start() < done_until:
                    continue
                found = self._address_at(norm, match)
                if found is not None:
                    done_until = found.end
                    while named and named[0].start <= found.start:
                        named_until = named[0].end
                        yield named.pop(0)
                    if found.start < named_until:
                        continue                          # "…沈家坝组12号": the named group's address holds it
                    yield found
        yield from named

    def _named_groups(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        for match in self._named_group.finditer(text):
            if not found or match.start("name") >= found[-1].end:
                candidate = self._named_group_at(text, match)
                if candidate is not None:
                    found.append(candidate)
        return found

    def _named_group_at(self, text: str, match: re.Match) -> Candidate | None:
        """A named group after its village, under a private address label ("家庭住址：和平村王家湾组")."""
        start, end = match.span("name")
        if self._not_in_group_name.intersection(text[start:end - 1]):
            return None
        ls, le = line_start(text, start), line_end(text, start)
        run_start, label_kind = self._run_start(text, ls, start)
        if label_kind != "private":
            return None                                   # 和平村工作组, 和平村党小组: a team, not a place
        chain = self._best_chain(text, run_start, Part(start, end, "group"))
        if chain is None:
            return None
        parts = chain.parts + self._parts_to_right(text, chain.parts[-1], le)
        start, end = parts[0].start, parts[-1].end
        return Candidate(start, end, DOOR_LEVEL, SCORES[DOOR_LEVEL], self._attrs(text, parts, start, label_kind))

    def _candidate_lines(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each line that may hold a numbered part, in order. Scanning for the
        rare unit characters is several times faster than running the part regex everywhere."""
        pos = 0
        while (hit := self._unit_after_number.search(text, pos)) is not None:
            ls, le = line_start(text, hit.start()), line_end(text, hit.start())
            yield ls, le
            pos = le

    # -- one numbered part found by the regex --

    def _address_at(self, text: str, match: re.Match) -> Candidate | None:
        first = self._part_from_match(match)
        if first is None:
            return None
        ls, le = line_start(text, match.start()), line_end(text, match.start())
        run_start, label_kind = self._run_start(text, ls, first.start)
        chain = self._best_chain(text, run_start, first)
        parts = chain.parts if chain is not None else [first]
        if label_kind is None and not any(p.level in self.rules.named for p in parts):
            return None                                   # no place leads to "3组": not an address
        parts = parts + self._parts_to_right(text, parts[-1], le)
        if not any(p.level in self.rules.door_levels for p in parts):
            return None
        start, end = parts[0].start, parts[-1].end
        variant = self._variant(text, parts, start, end, ls, le, label_kind)
        return Candidate(start, end, variant, SCORES[variant], self._attrs(text, parts, start, label_kind))

    def _part_from_match(self, match: re.Match) -> Part | None:
        if match.lastgroup == "dashed":
            return Part(match.start(), match.end(), "door")
        unit = match.group("unit")
        level = self._units[unit]
        unit_start = match.end() - len(unit)
        if any(len(s) > len(unit) and match.string.startswith(s, unit_start) for s in self._suffixes_by_unit[unit]):
            return None                                   # "XX社区" is a community, not group "XX社"
        number = match.group("num")
        masked = not self._mask_set.isdisjoint(number)
        head = number.split("-")[0]                       # "42-4号"
        if head.isdigit() and len(head) > level.max_digits:
            return None
        return Part(match.start(), match.end(), level.name, masked)

    def _run_start(self, text: str, ls: int, pos: int) -> tuple[int, str | None]:
        """Where the address may start (left of `pos`) and the kind of label before it, if any."""
        # the run of address characters that ends at `pos`: matched forwards on the reversed window
        start = pos - self._address_run.match(text[max(ls, pos - MAX_RUN):pos][::-1]).end()
        label_kind, label_end = None, -1
        best = (-1, 0)                                    # the last label inside the run wins (then the longest)
        for _, end, label, kind in self._label_lexicon.finditer(text[start:pos]):
            if (end, len(label)) > best:
                best, label_kind = (end, len(label)), kind
        if label_kind is not None:
            label_end = start + best[0]
            start = label_end
        else:                                             # "住址：…", "地址: …" just before the run
            before = text[max(ls, start - 12):start].rstrip(" \t:")
            label = self._label_ending(before)
            if label is not None and before != text[max(ls, start - 12):start]:
                label_kind = self.rules.labels[label]
            elif start == ls:
                label_kind = self._label_wrapped_before(text, ls)
        if self._prefix_lexicon.search(text[start:pos]) is None:
            return start, label_kind
        for word in self.rules.prefix_words:              # "位于…", "家住…"
            at = text.rfind(word, start, pos)
            if at >= 0 and (len(word) > 1 or at == start):
                start = max(start, at + len(word))
        return start, label_kind

    def _label_wrapped_before(self, text: str, ls: int) -> str | None:
        """A label whose value a PDF line wrap carried onto this line: "办公地址：桐溪市桐" / "溪区人民路99号"."""
        if ls == 0:
            return None
        prev_start = line_start(text, ls - 1)
        tail = text[max(prev_start, ls - 1 - 24):ls - 1]
        colon = tail.rfind(":")
        if colon < 0 or not all(_is_address_char(c, self.rules.mask_chars) for c in tail[colon + 1:]):
            return None
        label = self._label_ending(tail[:colon].rstrip())
        return self.rules.labels[label] if label else None

    def _label_ending(self, text: str) -> str | None:
        """The longest label that `text` ends with."""
        match = self._label_at_end.search(text)
        return match.group() if match else None

    def _best_chain(self, text: str, run_start: int, first: Part) -> _Chain | None:
        """The parse of text[run_start:first.start] into named/numbered parts that ends right
        before `first`; None if no part can precede it."""
        found = self._best_ending(text, run_start, first.start, first.level, {})
        if found is None:
            return None
        return _Chain(found[4] + [first])

    def _best_ending(self, text: str, run_start: int, end: int, next_level: str,
                     memo: dict[tuple[int, str], tuple | None]) -> tuple | None:
        """(clean start, parts, -odd names, first-name fit, parts) of the best chain ending at `end`
        that may precede a part of `next_level`. (A method, not a closure calling itself: such a
        closure is a reference cycle, left for the cycle collector after every numbered part.)"""
        key = (end, next_level)
        if key in memo:
            return memo[key]
        result = None
        for part in self._parts_ending_at(text, run_start, end):
            if not self._may_precede(part.level, next_level):
                continue
            odd = -int(self._odd_name(text, part))
            before = self._best_ending(text, run_start, part.start, part.level, memo)
            if before is None:
                clean = self._clean_start(text, run_start, part.start)
                fit = 0 if clean else -abs(self._name_length(text, part) - 2)
                option = (clean, 1, odd, fit, [part])
            else:
                option = (before[0], before[1] + 1, before[2] + odd, before[3], before[4] + [part])
            if result is None or option[:4] > result[:4]:
                result = option
        memo[key] = result
        return result

    def _clean_start(self, text: str, run_start: int, start: int) -> bool:
        """The address clearly starts here: at the run start or right after a non-name character."""
        return start == run_start or text[start - 1] in self.rules.bad_name_chars

    def _name_length(self, text: str, part: Part) -> int:
        suffixes = self._suffixes_by_last.get(text[part.end - 1], ())
        suffix = next((s for s, _ in suffixes if text.startswith(s, part.end - len(s))), "")
        return part.end - part.start - len(suffix)

    def _odd_name(self, text: str, part: Part) -> bool:
        """A name that begins with a one-character suffix ("市西湖区" from "杭州市西湖区")."""
        return part.level in self.rules.named and text[part.start] in self._single_suffixes

    def _parts_ending_at(self, text: str, run_start: int, end: int) -> Iterator[Part]:
        r = self.rules
        numbered = text[end - 1] in self._unit_ends and self._part_at_end.search(text, max(run_start, end - 14), end)
        if numbered:
            part = self._part_from_match(numbered)
            if part is not None:
                yield part
        for suffix, level in self._suffixes_by_last.get(text[end - 1], ()) if end > run_start else ():
            suffix_start = end - len(suffix)
            if suffix_start <= run_start or not text.startswith(suffix, suffix_start):
                continue
            for name_len in range(1, level.max_name + 1):
                start = suffix_start - name_len
                if start < run_start:
                    break
                char = text[start]
                if not (is_cjk(char) or char in r.mask_chars) or char in r.bad_name_chars:
                    break                                 # a masked name is a placeholder: "XX镇XX村"
                if start > 0 and text[start - 1:start + 1] in self._edge_words:
                    break
                yield Part(start, end, level.name)

    def _named_part_at(self, text: str, pos: int, le: int) -> Part | None:
        """A named part that starts at `pos`; of several readings ("翠苑" / "翠苑小区") the one
        that a numbered part follows, else the longest."""
        options: list[Part] = []
        for end in range(pos + 2, min(le, pos + 14) + 1):
            char = text[end - 1]
            if not is_cjk(char) or char in self.rules.bad_name_chars:
                break
            for suffix, level in self._suffixes_by_last.get(char, ()):
                standalone = len(suffix) >= 3                            # "行政中心", "办公楼"
                if end - pos >= len(suffix) + (0 if standalone else 1) \
                        and text.startswith(suffix, end - len(suffix)) and end - pos - len(suffix) <= level.max_name:
                    options.append(Part(pos, end, level.name))
                    break
        for part in reversed(options):
            if self._part.match(text, part.end, le):
                return part
        return options[-1] if options else None

    def _may_precede(self, level: str, next_level: str) -> bool:
        r = self.rules
        if next_level in r.numbered:
            return level in r.numbered[next_level].after
        if level in r.numbered:
            return level in r.named[next_level].after
        this, following = r.named[level], r.named[next_level]
        return this.rank < following.rank or (this.rank == following.rank and following.repeat)

    def _parts_to_right(self, text: str, last: Part, le: int) -> list[Part]:
        parts = []
        pos = last.end
        while pos < le:
            match = self._part.match(text, pos, le)
            part = self._part_from_match(match) if match else None
            if part is None:
                bare = _BARE_ROOM.match(text, pos, le)                   # "2单元501"
                if bare and last.level in ("building", "unit", "floor"):
                    part = Part(pos, bare.end(), "room")
            if part is None:
                part = self._named_part_at(text, pos, le)               # "88号阳光小区3号楼"
            if part is None or not self._may_precede(last.level, part.level):
                break
            parts.append(part)
            last, pos = part, part.end
        return parts

    # -- what kind of address --

    def _variant(self, text: str, parts: list[Part], start: int, end: int, ls: int, le: int,
                 label_kind: str | None) -> str:
        r = self.rules
        door_parts = [p for p in parts if p.level in r.door_levels]
        if all(p.masked for p in door_parts):
            return MASKED
        if label_kind == "institution":
            return INSTITUTION
        if label_kind == "private":
            return DOOR_LEVEL
        address = text[start:end]
        if any(text.startswith(w, end, le) for w in r.office_after) or any(w in address for w in r.office_estates):
            return INSTITUTION
        before = text[max(ls, start - MAX_CONTEXT):start]
        if label_kind == "generic" and any(w in before for w in r.office_words):
            return INSTITUTION
        clause = before[max(before.rfind(c) for c in "。;,!?") + 1:]
        if any(w in clause for w in r.office_locatives) and any(w in clause for w in r.office_words):
            return INSTITUTION
        return DOOR_LEVEL

    def _attrs(self, text: str, parts: list[Part], start: int, label_kind: str | None) -> dict:
        r = self.rules
        keep_village = max((p.end - start for p in parts if p.level in r.village_and_above), default=0)
        keep_township = max((p.end - start for p in parts if p.level in r.township_and_above), default=0)
        attrs = {
            "levels": [(p.level, text[p.start:p.end]) for p in parts],
            "keep_village": keep_village,
            "keep_township": keep_township,
        }
        if label_kind:
            attrs["label"] = label_kind
        return attrs


def _is_address_char(char: str, mask_chars: str) -> bool:
    return is_cjk(char) or char.isascii() and char.isalnum() or char in _ADDRESS_PUNCT or char in mask_chars
