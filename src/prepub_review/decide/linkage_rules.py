"""rules/linkage.yaml, validated: what cross-document linkage compares (see decide/linkage.py)."""

from __future__ import annotations

import re
from typing import NamedTuple

from prepub_review.errors import RulesError
from prepub_review.rules_loader import LineDict, RulesSource, check_known_keys, optional, require, string_list

LINKAGE_FILE = "linkage.yaml"
ROW_KINDS = ("village", "household", "amount", "period", "category", "name")
IDENTIFIERS = ("CN_ID_CARD", "PHONE_NUMBER", "BANK_CARD")


class ProseField(NamedTuple):
    pattern: re.Pattern             # group 1 is the value
    needs: tuple[str, ...]          # words one of which every match contains (empty: search every line)


# NamedTuples, not @dataclass: every run with linkage imports this module, and a dataclass costs
# about a millisecond to create (it generates and compiles its methods).
class IdentifierRules(NamedTuple):
    entity: str
    lengths: frozenset[int]
    uninformative: frozenset[int]
    min_shared: int
    birth_positions: frozenset[int]
    full_patterns: tuple[tuple[int, int], ...]   # (keep_prefix, keep_suffix)


class LinkRules(NamedTuple):
    row_fields: dict[str, tuple[str, ...]]       # kind -> header words
    prose_fields: dict[str, ProseField]          # kind -> how a line of prose states it
    identifiers: dict[str, IdentifierRules]
    name_mask_chars: str
    min_row_evidence: int
    anchor_fields: frozenset[str]
    context_fields: frozenset[str]
    conflicts_within_context: frozenset[str]
    max_bucket: int
    max_candidates: int
    header_kinds: HeaderKinds                    # column header -> row-field kind, remembered

    @classmethod
    def load(cls, rules: RulesSource) -> LinkRules:
        data = rules.mapping(LINKAGE_FILE, {"row_fields", "prose_fields", "identifiers", "name_mask_chars",
                                            "min_row_evidence", "anchor_fields", "max_bucket",
                                            "max_candidates", "context_fields", "conflicts_within_context"})
        row_node = require(data, "row_fields", dict)
        prose_node = require(data, "prose_fields", dict)
        ids_node = require(data, "identifiers", dict)
        anchors = string_list(data, "anchor_fields")
        context = string_list(data, "context_fields", [])
        conflicts = string_list(data, "conflicts_within_context", [])
        for kind in list(row_node) + list(prose_node) + anchors + context + conflicts:
            if kind not in ROW_KINDS:
                raise RulesError(f"{data.where()}: 未知的字段类别「{kind}」，应为 {' / '.join(ROW_KINDS)}")
        row_fields = {kind: tuple(string_list(row_node, kind)) for kind in row_node}
        return cls(
            row_fields=row_fields,
            prose_fields={kind: _prose_field(prose_node, kind) for kind in prose_node},
            identifiers={entity: _identifier(ids_node, entity) for entity in ids_node},
            name_mask_chars=require(data, "name_mask_chars", str),
            min_row_evidence=require(data, "min_row_evidence", int),
            anchor_fields=frozenset(anchors),
            context_fields=frozenset(context),
            conflicts_within_context=frozenset(conflicts),
            max_bucket=optional(data, "max_bucket", int, 250_000),
            max_candidates=optional(data, "max_candidates", int, 5000),
            header_kinds=HeaderKinds(row_fields),
        )

    def is_evidence(self, kind: str) -> bool:
        """Whether agreeing on a row fact of this kind is evidence of the same person: not a fact a whole
        list shares (`context_fields`), and not the name (weighed apart, by the pieces it shows)."""
        return kind not in self.context_fields and kind != "name"


class HeaderKinds(dict):
    """Column header -> row-field kind (None if none): the longest matching word wins ("对象类别" is a
    category). Each header is matched on first sight: a table cell's kind is then one dict lookup, and a
    list has thousands of cells."""

    def __init__(self, row_fields: dict[str, tuple[str, ...]]):
        super().__init__()
        self.row_fields = row_fields

    def __missing__(self, header: str | None) -> str | None:
        best, best_len = None, 0
        for kind, words in self.row_fields.items() if header else ():
            for word in words:
                if word in header and len(word) > best_len:
                    best, best_len = kind, len(word)
        self[header] = best
        return best


def _prose_field(node: LineDict, kind: str) -> ProseField:
    """`kind: PATTERN`, or `kind: {pattern: PATTERN, needs: [WORD, ...]}`."""
    if isinstance(node.get(kind), str):
        return ProseField(_pattern(node, kind), ())
    entry = require(node, kind, dict)
    check_known_keys(entry, ("pattern", "needs"))
    return ProseField(_pattern(entry, "pattern"), tuple(string_list(entry, "needs", [])))


def _pattern(node: LineDict, key: str) -> re.Pattern:
    source = require(node, key, str)
    try:
        compiled = re.compile(source)
    except re.error as exc:
        raise RulesError(f"{node.where(key)}: 正则表达式有误：{exc}") from None
    if compiled.groups < 1:
        raise RulesError(f"{node.where(key)}: 正则表达式须有一个分组（取值）")
    return compiled


def _positions(node: LineDict, key: str) -> frozenset[int]:
    values = optional(node, key, list, [])
    if not all(isinstance(v, int) and v >= 0 for v in values):
        raise RulesError(f"{node.where(key)}: 「{key}」应为非负整数列表")
    return frozenset(values)


def _identifier(parent: LineDict, entity: str) -> IdentifierRules:
    if entity not in IDENTIFIERS:
        raise RulesError(f"{parent.where(entity)}: 未知的实体「{entity}」，应为 {' / '.join(IDENTIFIERS)}")
    node = require(parent, entity, dict)
    patterns = optional(node, "full_patterns", list, [])
    if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(n, int) and n >= 0 for n in p)
               for p in patterns):
        raise RulesError(f"{node.where('full_patterns')}: 「full_patterns」应为 [前几位, 后几位] 的列表")
    lengths = _positions(node, "lengths")
    if not lengths:
        raise RulesError(f"{node.where()}: 缺少「lengths」")
    return IdentifierRules(
        entity=entity, lengths=lengths, uninformative=_positions(node, "uninformative"),
        min_shared=require(node, "min_shared", int), birth_positions=_positions(node, "birth_positions"),
        full_patterns=tuple((p[0], p[1]) for p in patterns),
    )
