"""CLASSIFICATION_MARK: 密级 markings and 不公开/内部/draft labels — markings, not mentions.

A marking is written ON a document; a mention talks ABOUT secrecy. So a word counts only
where a label goes (domain-rules §3, §5):
  - a level at the start of a line with a star and term: "秘密★1年", "机 密★会议开始前";
    after a status label: "密级：机密"; in a paragraph prefix: "（秘密）…"; alone on a line
    ("秘密": variant bare_level, which the policy blocks only in the top lines, headers, properties);
  - a label word where labels go (per word, rules/classification.yaml `contexts`): a line holding
    only labels ("内部资料，注意保存"), a bracket holding only labels ("（此件不公开）",
    "…的通知（征求意见稿）"), or the value of a status label ("公开属性：不予公开").
Mention suppression is generic: a hit inside a longer mention phrase (保密审查, 国家秘密, 涉密人员…),
inside 《》 or quotes, or right after a negation (不/非/无…) is not a marking.

One Aho-Corasick pass finds label words and mention phrases; one regex pass finds levels
(spaced forms included). Python work is done only per hit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import Lexicon, line_end, line_start, normalize_width
from prepub_review.errors import RulesError
from prepub_review.rules_loader import LineDict, RulesSource, check_known_keys, optional, require, string_list

RULES_FILE = "classification.yaml"
CONTEXTS = ("anywhere", "line", "bracket", "field")
MAX_LABEL_LINE = 60     # a longer line is prose, never a label line
MAX_TERM = 20           # "★会议开始前", "★公开发布前", "★2030年12月31日"
LEVEL_GAP = r"[ \t]{0,3}"  # "秘　密" (the ideographic space is normalised to " ")
SCORE_MARK = 0.95
SCORE_LABEL = 0.85
SCORE_MENTION = 0.3


# --- knowledge from rules/classification.yaml --------------------------------------------------

@dataclass(frozen=True, slots=True)
class MarkerSpec:
    variant: str
    contexts: frozenset[str]
    title_variant: str | None = None   # a bracketed label right after a title at the line end
    prose_variant: str | None = None   # anywhere else (None: not reported)


@dataclass(frozen=True, slots=True)
class ClassificationRules:
    levels: list[str]
    stars: str
    status_labels: list[str]
    markers: dict[str, MarkerSpec]
    companions: list[str]
    mention_phrases: list[str]
    negations: list[str]
    quotes: dict[str, str]     # opening -> closing
    brackets: dict[str, str]   # opening -> closing


def load_classification_rules(rules: RulesSource) -> ClassificationRules:
    data = rules.mapping(RULES_FILE, {"levels", "stars", "status_labels", "markers", "companions", "mention_phrases",
                            "negations", "quotes", "brackets"})
    markers: dict[str, MarkerSpec] = {}
    for group in require(data, "markers", list):
        if not isinstance(group, LineDict):
            raise RulesError(f"{data.where('markers')}: markers 的每一项应为映射，包含 variant / contexts / words")
        check_known_keys(group, {"variant", "contexts", "words", "title_variant", "prose_variant"})
        contexts = string_list(group, "contexts")
        for name in contexts:
            if name not in CONTEXTS:
                raise RulesError(f"{group.where('contexts')}: 未知的 context「{name}」，应为 {' / '.join(CONTEXTS)}")
        spec = MarkerSpec(
            variant=require(group, "variant", str),
            contexts=frozenset(contexts),
            title_variant=optional(group, "title_variant", str),
            prose_variant=optional(group, "prose_variant", str),
        )
        for word in string_list(group, "words"):
            word = normalize_width(word)
            if word in markers:
                raise RulesError(f"{group.where('words')}: 标注用语「{word}」重复")
            markers[word] = spec
    return ClassificationRules(
        levels=[normalize_width(w) for w in string_list(data, "levels")],
        stars="".join(normalize_width(s) for s in string_list(data, "stars")),
        status_labels=[normalize_width(w) for w in string_list(data, "status_labels")],
        markers=markers,
        companions=[normalize_width(w) for w in string_list(data, "companions", [])],
        mention_phrases=[normalize_width(w) for w in string_list(data, "mention_phrases", [])],
        negations=[normalize_width(w) for w in string_list(data, "negations", [])],
        quotes=_pairs(data, "quotes"),
        brackets=_pairs(data, "brackets"),
    )


def _pairs(data: LineDict, key: str) -> dict[str, str]:
    pairs = {}
    for pair in string_list(data, key):
        pair = normalize_width(pair)
        if len(pair) != 2:
            raise RulesError(f"{data.where(key)}: 键「{key}」的每一项应为两个字符（开、闭），实际为 {pair!r}")
        pairs[pair[0]] = pair[1]
    return pairs


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- the recognizer ----------------------------------------------------------------------------

class ClassificationMarkRecognizer(PrepubRecognizer):
    ENTITY = "CLASSIFICATION_MARK"

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        self.rules = load_classification_rules(rules or RulesSource())
        r = self.rules
        words: dict[str, object] = {w: None for w in r.mention_phrases}   # None marks a mention phrase
        words.update(r.markers)
        self.lexicon = Lexicon(words)
        spaced_levels = "|".join(LEVEL_GAP.join(re.escape(ch) for ch in level) for level in r.levels)
        self.level_re = re.compile(spaced_levels)
        stars = re.escape(r.stars)
        closers = re.escape("".join(r.brackets.values()))
        # after a level: optional star and term ("★1年", "★ 会议开始前"), up to a closing bracket
        self.star_re = re.compile(rf"[ \t]*[{stars}][ \t]*([^\s{closers}]{{0,{MAX_TERM}}})")
        # a status label opening a line: "密级：", "2.公开属性:"
        self.status_re = re.compile(rf"[\s\d.、]*(?:{_alternation(r.status_labels)})[ \t]*:[ \t]*")
        # what a label line / label bracket may hold besides label words: companions, numbers, punctuation
        self.label_filler_re = re.compile(
            rf"{_alternation(list(r.markers) + r.companions + r.levels)}|[\W\d_]")
        super().__init__(**kwargs)

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        mention_starts: list[int] = []
        mention_ends: list[int] = []
        for start, end, word, spec in self.lexicon.longest(norm):
            if spec is None:
                mention_starts.append(start)
                mention_ends.append(end)
                continue
            found = self._marker(norm, start, end, word, spec)
            if found is not None:
                yield found
        for match in self.level_re.finditer(norm):
            index = bisect_right(mention_starts, match.start()) - 1
            if index >= 0 and match.end() <= mention_ends[index]:
                continue  # inside 国家秘密, 保守国家秘密法, …
            found = self._level(norm, match.start(), match.end())
            if found is not None:
                yield found

    # -- 绝密/机密/秘密 (possibly spaced) --

    def _level(self, norm: str, start: int, end: int) -> Candidate | None:
        ls, le = line_start(norm, start), line_end(norm, start)
        level = "".join(norm[start:end].split())
        star = self.star_re.match(norm, end, le)
        span_end = star.end() if star else end
        attrs = {"level": level}
        if star:
            attrs["term"] = star.group(1)
        rest = norm[span_end:le]
        lead = norm[ls:start]
        if not lead.strip(" \t0123456789"):           # line start (a 份号 may precede)
            if star:
                return Candidate(start, span_end, "mark", SCORE_MARK, attrs)
            if not rest.strip():
                return Candidate(start, end, "bare_level", SCORE_LABEL, attrs)
            return None                                # "秘密文件…": prose starting with the word
        opener = lead.rstrip(" \t")[-1:]
        closer = self.rules.brackets.get(opener)
        if closer and not lead.rstrip(" \t")[:-1].strip(" \t0123456789") and rest.lstrip(" \t").startswith(closer):
            return Candidate(start, span_end, "paragraph_mark", SCORE_MARK, attrs)
        if self.status_re.fullmatch(norm, ls, start) and (star or not rest.strip() or rest[0] in " \t,;|"):
            return Candidate(start, span_end, "mark", SCORE_MARK, attrs)
        if star and not self._in_quotes(norm, ls, start) and not self._negated(norm, ls, start):
            return Candidate(start, span_end, "mark_inline", SCORE_LABEL, attrs)
        return None

    # -- 此件不公开, 内部资料, 征求意见稿, … --

    def _marker(self, norm: str, start: int, end: int, word: str, spec: MarkerSpec) -> Candidate | None:
        ls, le = line_start(norm, start), line_end(norm, start)
        if self._in_quotes(norm, ls, start) or self._negated(norm, ls, start):
            return None
        attrs = {"word": word}
        contexts = spec.contexts
        if "anywhere" in contexts:
            return Candidate(start, end, spec.variant, SCORE_LABEL, attrs)
        if "line" in contexts and le - ls <= MAX_LABEL_LINE and self._only_labels(norm, ls, le):
            return Candidate(start, end, spec.variant, SCORE_LABEL, attrs)
        if "field" in contexts:
            label = self.status_re.match(norm, ls, start)
            if label and self._only_labels(norm, label.end(), le):
                return Candidate(start, end, spec.variant, SCORE_LABEL, attrs)
        bracket = self._label_bracket(norm, ls, le, start, end)
        if bracket is not None:
            opening, closing = bracket
            after_title = norm[ls:opening].strip() and not norm[closing + 1:le].strip() and "。" not in norm[ls:le]
            if spec.title_variant and after_title:
                return Candidate(start, end, spec.title_variant, SCORE_LABEL, attrs)
            if "bracket" in contexts:
                return Candidate(start, end, spec.variant, SCORE_LABEL, attrs)
        if spec.prose_variant:
            return Candidate(start, end, spec.prose_variant, SCORE_MENTION, attrs)
        return None

    def _only_labels(self, norm: str, start: int, end: int) -> bool:
        """True when norm[start:end] holds nothing but label words, companions, numbers, punctuation."""
        return not self.label_filler_re.sub("", norm[start:end])

    def _label_bracket(self, norm: str, ls: int, le: int, start: int, end: int) -> tuple[int, int] | None:
        """The innermost bracket around [start, end) on this line, if it holds only labels."""
        best = None
        for opener, closer in self.rules.brackets.items():
            opening = norm.rfind(opener, ls, start)
            if opening < 0 or norm.find(closer, opening + 1, start) >= 0:
                continue
            closing = norm.find(closer, end, le)
            if closing >= 0 and (best is None or opening > best[0]):
                best = (opening, closing)
        if best is not None and self._only_labels(norm, best[0] + 1, best[1]):
            return best
        return None

    def _in_quotes(self, norm: str, ls: int, start: int) -> bool:
        prefix = norm[ls:start]
        return any(prefix.count(o) > prefix.count(c) for o, c in self.rules.quotes.items() if o in prefix)

    def _negated(self, norm: str, ls: int, start: int) -> bool:
        prefix = norm[max(ls, start - 4):start]
        return any(prefix.endswith(neg) for neg in self.rules.negations)
