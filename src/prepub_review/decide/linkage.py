"""Leaks that exist only across publications: the link step over the indexes of one run.

Each document passes on its own; together they may not. From the `LinkIndex` of every document
(decide/linkage_index.py) this finds:

- LINKED_IDENTIFIER: masked forms of one identifier or name that agree on every position both show
  and together show more than the strictest redaction profile allows, an ID's birth date, or the
  whole value ("110105**********34" here, "11****19900307****" there).
- LINKED_RECORD: a masked record ("张*明, 和平村, 3 人, 560 元") whose shown pieces and row facts match
  a record elsewhere that shows the name or identifier in full.
- MASK_PATTERN_MIXED: more than one mask pattern in use for one entity (how reconstruction starts).

When are two masked forms the same value? Agreeing on the positions both show is necessary, never
enough by itself when they share few positions: "110105********" and "**************1234" agree with
every ID of the county. So a link needs either `min_shared` agreeing *informative* positions (not the
region code every neighbour shares), or evidence from the rows (`min_row_evidence` agreeing facts, one
of them the name or the village; a complete ID that passes the check counts as one fact: 1 in 11
random combinations passes it, too many to stand alone on a site of thousands). A disagreeing name or
village rules a link out. Identical masked forms add nothing to each other and are never linked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from prepub_review.decide.linkage_index import (
    MASK,
    FullRecord,
    LinkIndex,
    NameForm,
    Partial,
    Place,
    Row,
    pattern_positions,
    shown_bits,
    visible_positions,
)
from prepub_review.decide.linkage_rules import LinkRules
from prepub_review.decide.policy import Policy
from prepub_review.models import Finding, Zone

LINKED_IDENTIFIER = "LINKED_IDENTIFIER"
LINKED_RECORD = "LINKED_RECORD"
MASK_PATTERN_MIXED = "MASK_PATTERN_MIXED"
FULL_SIDE_BLOCKS = frozenset({"CN_ID_CARD", "PHONE_NUMBER"})
MAX_PLACES_LISTED = 20
BIT_RUNS = re.compile(r"0+|1+")

Allowance = Callable[[str, int], int]      # (entity, length) -> characters the strictest profile shows
IdValidator = Callable[[str], bool]        # a complete 18-character ID number passes the check


class Link(NamedTuple):     # NamedTuple, not @dataclass: cheaper to import (see linkage_index.Place)
    kind: str                   # LINKED_IDENTIFIER | LINKED_RECORD | MASK_PATTERN_MIXED
    entity: str                 # the identifier (or PERSON) concerned
    variant: str                # policy variant of rules/policy/<kind>.yaml
    places: tuple[Place, ...]
    shown: tuple[str, ...]      # what each place shows (masked forms; "" for a full record)
    union: str = ""             # LINKED_IDENTIFIER: the combined form, "*" where still hidden
    revealed: int = 0
    evidence: tuple[str, ...] = ()


class LinkReport:
    __slots__ = ("links", "patterns", "skipped_comparisons")

    def __init__(self, links: list[Link] | None = None,
                 patterns: dict[tuple[str, int], dict[str, tuple[int, set[str]]]] | None = None):
        self.links: list[Link] = [] if links is None else links
        # (entity, length) -> pattern ("6+8*+4") -> how many masked values and in which documents
        self.patterns = {} if patterns is None else patterns
        self.skipped_comparisons = 0


def link(indexes: Iterable[LinkIndex], rules: LinkRules, allowance: Allowance,
         id_valid: IdValidator = lambda _: False) -> LinkReport:
    indexes = list(indexes)
    partials = [p for index in indexes for p in index.partials]
    fulls = [f for index in indexes for f in index.fulls]
    masked_as = group_by_pattern(partials)
    report = LinkReport(patterns=pattern_summary(partials, masked_as))
    linker = _Linker(rules, allowance, id_valid, report)
    report.links += linker.complementary(partials, masked_as)
    report.links += linker.records(partials, fulls)
    report.links += mixed_patterns(report.patterns, partials, masked_as)
    return report


# --- mask patterns ------------------------------------------------------------------------------

def mask_pattern(shown: str) -> str:
    """"110105********1234" -> "6+8*+4"; "张*明" -> "1+1*+1"."""
    return _pattern_of(shown_bits(shown))


@lru_cache(maxsize=4096)
def _pattern_of(bits: str) -> str:
    return "+".join(f"{len(run)}*" if run[0] == "0" else str(len(run)) for run in BIT_RUNS.findall(bits))


MaskedAs = dict[tuple[str, str], list[int]]   # (entity, shown_bits) -> indexes of the partials masked so


def group_by_pattern(partials: Sequence[Partial]) -> MaskedAs:
    """The partials by entity and visibility pattern ("111111000000001111"), in order: the pattern of
    each is read once, and the steps below work per pattern (a site uses a handful)."""
    groups: MaskedAs = defaultdict(list)
    for i, p in enumerate(partials):
        groups[(p.entity, p.bits)].append(i)
    return groups


def pattern_summary(partials: Sequence[Partial], masked_as: MaskedAs) -> dict[tuple[str, int], dict[str, tuple[int, set[str]]]]:
    summary: dict[tuple[str, int], dict[str, tuple[int, set[str]]]] = defaultdict(dict)
    for (entity, bits), members in masked_as.items():
        paths = {partials[i].path for i in members}
        summary[(entity, len(bits))][_pattern_of(bits)] = (len(members), paths)
    return dict(summary)


def mixed_patterns(summary, partials: Sequence[Partial], masked_as: MaskedAs) -> list[Link]:
    """One review link per entity and length masked in more than one way, at the places of the
    less common patterns (the most common one is what the site settled on)."""
    links = []
    for (entity, length), uses in sorted(summary.items()):
        if len(uses) < 2:
            continue
        usual = max(uses, key=lambda pattern: (uses[pattern][0], pattern))
        odd = [partials[i] for i in sorted(i for (kind, bits), members in masked_as.items()
                                           if kind == entity and len(bits) == length and _pattern_of(bits) != usual
                                           for i in members)]
        first_per_document = {(p.path, mask_pattern(p.shown)): p for p in reversed(odd)}
        chosen = list(first_per_document.values())[:MAX_PLACES_LISTED]
        links.append(Link(MASK_PATTERN_MIXED, entity, "mixed", tuple(p.place for p in chosen),
                          tuple("" for _ in chosen),   # the patterns are the point, listed in the reason
                          evidence=tuple(f"{pattern}×{uses[pattern][0]}" for pattern in sorted(uses))))
    return links


# --- agreement ----------------------------------------------------------------------------------

def agree(a: str, b: str) -> bool:
    """Same length, and the same character at every position both show."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x != y and x != MASK and y != MASK:
            return False
    return True


def combine(a: str, b: str) -> str:
    return "".join(y if x == MASK else x for x, y in zip(a, b))


def name_agreement(a: NameForm | None, b: NameForm | None) -> int:
    """-1 the names differ, 1 they agree on at least two characters, 0 no evidence either way."""
    if a is None or b is None:
        return 0
    if a.length != b.length:
        return -1
    if a.shown is not None and b.shown is not None:
        if not agree(a.shown, b.shown):
            return -1
        return 1 if len(visible_positions(a.shown) & visible_positions(b.shown)) >= 2 else 0
    common = a.pieces.keys() & b.pieces.keys()
    if any(a.pieces[k] != b.pieces[k] for k in common):
        return -1
    return 1 if any(k.count("1") >= 2 for k in common) else 0


def row_evidence(a: Row, b: Row, rules: LinkRules, count_name: bool = True) -> tuple[str, ...] | None:
    """The facts two rows agree on, or None if they contradict each other: another name or village,
    or (in the same period) another household size or amount."""
    names = name_agreement(a.name, b.name)
    if names < 0:
        return None
    both = a.fields.keys() & b.fields.keys()
    agreed = {kind for kind in both if a.fields[kind] == b.fields[kind]}
    conflicts = {"village"} | (rules.conflicts_within_context if agreed & rules.context_fields else set())
    if (both - agreed) & conflicts:
        return None
    facts = sorted(kind for kind in agreed if rules.is_evidence(kind))
    if names > 0 and count_name:
        facts.append("name")
    return tuple(facts)


def enough(evidence: Sequence[str], rules: LinkRules) -> bool:
    return len(evidence) >= rules.min_row_evidence and bool(rules.anchor_fields & set(evidence))


class _Clusters:
    """Union-find over partials whose combined form stays consistent."""

    def __init__(self, partials: Sequence[Partial]):
        self.parent = list(range(len(partials)))
        self.union = [p.shown for p in partials]
        self.evidence: dict[int, set[str]] = defaultdict(set)
        self.joined: set[int] = set()     # the partials in a cluster of two or more

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int, evidence: Iterable[str]) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj or not agree(self.union[ri], self.union[rj]):
            return
        self.parent[rj] = ri
        self.joined.update((i, j, ri, rj))
        self.union[ri] = combine(self.union[ri], self.union[rj])
        self.evidence[ri] |= self.evidence.pop(rj, set()) | set(evidence)


class _Linker:
    def __init__(self, rules: LinkRules, allowance: Allowance, id_valid: IdValidator, report: LinkReport):
        self.rules, self.allowance, self.id_valid, self.report = rules, allowance, id_valid, report
        self._row_memo: dict[int, tuple[list, set, Row]] = {}
        self._group_memo: dict[int, list[tuple[int, list, set]]] = {}   # id(group members) -> _group_facts
        self._not_evidence = rules.context_fields | {"name"}     # the kinds rules.is_evidence refuses
        self._name_anchors = "name" in rules.anchor_fields
        self._field_anchors = sorted(rules.anchor_fields - self._not_evidence)   # row facts that are anchors

    # LINKED_IDENTIFIER ---------------------------------------------------------------------------
    def complementary(self, partials: Sequence[Partial], masked_as: MaskedAs) -> list[Link]:
        # (entity, length) -> visible positions -> the partials masked so
        by_kind: dict[tuple[str, int], dict[frozenset[int], list[int]]] = defaultdict(dict)
        for (entity, bits), members in masked_as.items():
            by_kind[(entity, len(bits))][pattern_positions(bits)] = members
        clusters = _Clusters(partials)
        self._row_memo.clear()   # row facts are remembered for this call: a row holds several partials
        self._group_memo.clear()
        for (entity, length), by_pattern in by_kind.items():
            patterns = sorted(by_pattern, key=sorted)
            for x, p in enumerate(patterns):
                for q in patterns[x + 1:]:
                    if p <= q or q <= p:
                        continue   # one shows all the other shows: nothing new together
                    for i, j, evidence in self._pairs(entity, p, q, by_pattern[p], by_pattern[q], partials):
                        clusters.join(i, j, evidence)
        self._row_memo.clear()
        self._group_memo.clear()
        links = []
        groups: dict[int, list[int]] = defaultdict(list)
        for i in sorted(clusters.joined):     # any other partial is a cluster of its own
            groups[clusters.find(i)].append(i)
        for root, members in groups.items():
            if len(members) > 1:
                found = self._identifier_link([partials[i] for i in members], clusters.union[root],
                                              clusters.evidence[root])
                if found is not None:
                    links.append(found)
        return links

    def _pairs(self, entity: str, p: frozenset[int], q: frozenset[int], left: list[int], right: list[int],
               partials: Sequence[Partial]):
        """Candidate pairs between the partials showing positions `p` and those showing `q`."""
        shared = p & q
        ids = self.rules.identifiers.get(entity)
        informative = len(shared - ids.uninformative) if ids else 0
        if ids and informative >= ids.min_shared:
            buckets: dict[str, list[int]] = defaultdict(list)
            for i in left:
                buckets[_project(partials[i].shown, shared)].append(i)
            for j in right:
                for i in buckets.get(_project(partials[j].shown, shared), ()):
                    yield i, j, (f"shared:{informative}",)
            return
        # Too few shared positions: only rows sharing an anchor fact and one more fact are compared
        # (what `enough` asks for); a combined complete ID that passes the check needs the anchor only.
        complete = entity == "CN_ID_CARD" and len(p | q) == len(partials[left[0]].shown)
        pick = itemgetter(*sorted(shared)) if shared else None    # what both show, to test agreement
        small, large = (left, right) if len(left) <= len(right) else (right, left)
        by_key: dict[tuple, list[int]] = defaultdict(list)
        for i in small:
            for key in self._blocking_keys(partials[i].row, complete):
                by_key[key].append(i)
        anchors = {key[:2] for key in by_key}    # every key starts with an anchor (kind, value)
        paired = {key[2:] for key in by_key}     # and goes on with the fact paired with it (or nothing)
        seen: set[tuple[int, int]] = set()
        for j, facts, own in self._group_facts(large, partials):
            if own.isdisjoint(anchors):
                continue    # most rows of the large side: no key to look up
            # Only the row's keys under an anchor the small side has, with a fact it pairs with an
            # anchor, can be in by_key: only those are built (in the order of all of them).
            shared_anchors = own & anchors
            for key in self._keys_under([fact for fact in facts if fact in paired], shared_anchors, complete):
                candidates = by_key.get(key, ())
                if len(seen) >= self.rules.max_bucket:     # bounded cost; what is skipped is reported
                    self.report.skipped_comparisons += len(candidates)
                    continue
                for i in candidates:
                    if (i, j) in seen:
                        continue
                    seen.add((i, j))
                    evidence = self._weak_pair_evidence(entity, partials[i], partials[j], pick)
                    if evidence is not None:
                        yield i, j, evidence

    def _group_facts(self, members: list[int], partials: Sequence[Partial]) -> list[tuple[int, list, set]]:
        """(partial, facts, anchors) of each member of a pattern group, made once per group: a large
        group (the mask pattern a site settled on) is the large side of every pair with an odd one."""
        found = self._group_memo.get(id(members))
        if found is None:
            row_facts = self._row_facts
            found = self._group_memo[id(members)] = [(j, *row_facts(partials[j].row)) for j in members]
        return found

    def _row_facts(self, row: Row) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
        """A row's (kind, value) facts that can be evidence, and those of them that are anchors. A fact
        of a kind every row of a list shares (its period) is left out: a key pairing it with an anchor
        would make candidates of whole villages, and `enough` never counts it."""
        found = self._row_memo.get(id(row))
        if found is None:
            left_out, fields = self._not_evidence, row.fields
            names = _name_facts(row.name)
            facts = names + [item for item in fields.items() if item[1] and item[0] not in left_out]
            anchors = set(names) if self._name_anchors else set()
            for kind in self._field_anchors:
                if fields.get(kind):
                    anchors.add((kind, fields[kind]))
            found = self._row_memo[id(row)] = (facts, anchors, row)   # the row is held so its id is not reused
        return found[0], found[1]

    @staticmethod
    def _keys_under(facts: list[tuple[str, str]], anchors: Iterable[tuple[str, str]], complete: bool) -> list[tuple]:
        """The blocking keys of a row whose anchor is one of `anchors`: (anchor, other fact) pairs,
        and the anchors alone when the combined ID is complete."""
        keys: list[tuple] = [(*anchor, *fact) for anchor in anchors for fact in facts if fact[0] != anchor[0]]
        if complete:
            keys += anchors
        return keys

    def _blocking_keys(self, row: Row, complete: bool) -> set[tuple]:
        """(anchor, other fact) pairs of a row, and the anchors alone when the combined ID is complete."""
        facts, anchors = self._row_facts(row)
        return set(self._keys_under(facts, anchors, complete))

    def _weak_pair_evidence(self, entity: str, a: Partial, b: Partial,
                            pick: Callable[[str], object] | None) -> tuple[str, ...] | None:
        """`pick`: the characters of a form at the positions both patterns show (None: they share none);
        two forms of the pair's patterns agree when it picks the same from both."""
        agreeing = pick is None or pick(a.shown) == pick(b.shown)
        if a.path == b.path and a.record == b.record:
            return ("same_record",) if agreeing else None
        if not agreeing:
            return None
        evidence = row_evidence(a.row, b.row, self.rules, count_name=entity != "PERSON")
        if evidence is None:
            return None
        combined = combine(a.shown, b.shown)
        if entity == "CN_ID_CARD" and MASK not in combined:
            if not self.id_valid(combined):
                return None
            evidence += ("valid_id",)
        return evidence if enough(evidence, self.rules) or self._anchored_valid(evidence) else None

    def _anchored_valid(self, evidence: tuple[str, ...]) -> bool:
        return "valid_id" in evidence and bool(self.rules.anchor_fields & set(evidence))

    def _identifier_link(self, members: list[Partial], union: str, evidence: set[str]) -> Link | None:
        entity, length = members[0].entity, len(union)
        revealed = len(visible_positions(union))
        most = max(len(visible_positions(p.shown)) for p in members)
        ids = self.rules.identifiers.get(entity)
        shows_birth = bool(ids and ids.birth_positions and ids.birth_positions <= visible_positions(union))
        too_much = revealed > self.allowance(entity, length) or shows_birth or revealed == length
        if revealed <= most or not too_much:
            return None
        unique = {(p.path, p.location, p.shown): p for p in members}.values()
        variant = "birth_date" if shows_birth and revealed < length else "whole" if revealed == length else "partial"
        return Link(LINKED_IDENTIFIER, entity, variant, tuple(p.place for p in unique),
                    tuple(p.shown for p in unique), union, revealed, tuple(sorted(evidence)))

    # LINKED_RECORD -------------------------------------------------------------------------------
    def records(self, partials: Sequence[Partial], fulls: Sequence[FullRecord]) -> list[Link]:
        # A piece's keyed hash covers its entity, length and pattern ("CN18P111111000000001111V…"):
        # the hash alone is the bucket. Only pieces some masked form shows are bucketed.
        wanted = {p.piece for p in partials if p.piece}
        by_piece: dict[str, list[FullRecord]] = defaultdict(list)
        for full in fulls:
            for digest in wanted.intersection(full.pieces):
                by_piece[digest].append(full)
            if full.row.name is not None and full.row.name.shown is None:
                for digest in wanted.intersection(full.row.name.pieces.values()):
                    by_piece[digest].append(full)
        sharing = _FactBlocks(self.rules)
        links: dict[tuple, Link] = {}
        for p in partials:
            key = p.piece
            candidates = by_piece.get(key, ())
            if not candidates:
                continue     # most masked forms: no full record shows their pieces
            if len(candidates) > self.rules.max_candidates:
                self.report.skipped_comparisons += len(candidates)
                continue
            if not self._pieces_suffice(p):
                candidates = sharing.candidates(key, candidates, p.row)
            for full in candidates:
                if full.place.path == p.path and full.place.record == p.record:
                    continue
                evidence = self._record_evidence(p, full)
                if evidence is None:
                    continue
                pair = (p.path, p.record, full.place.path, full.place.record)
                variant = "full_identifier" if full.carries & FULL_SIDE_BLOCKS else "full_name"
                if pair not in links:
                    links[pair] = Link(LINKED_RECORD, p.entity, variant, (p.place, full.place), (p.shown, ""),
                                       evidence=evidence)
        return list(links.values())

    def _pieces_suffice(self, p: Partial) -> bool:
        """A masked identifier showing `min_shared` informative positions matches a full value by its
        pieces alone (the rows must only not contradict); any other needs agreeing row facts."""
        ids = self.rules.identifiers.get(p.entity)
        return ids is not None and len(visible_positions(p.shown) - ids.uninformative) >= ids.min_shared

    def _record_evidence(self, p: Partial, full: FullRecord) -> tuple[str, ...] | None:
        evidence = row_evidence(p.row, full.row, self.rules, count_name=False)
        if evidence is None:
            return None
        if self._pieces_suffice(p):
            return (f"{p.entity}_pieces",) + evidence
        facts = [kind for kind in evidence if kind != "name"]
        return ("name_pieces",) + evidence if len(facts) >= self.rules.min_row_evidence else None


class _FactBlocks:
    """The full records of one piece bucket ("王*" matches every full name 王X) that share at least
    `min_row_evidence` row facts with a masked record: the only ones `_record_evidence` can accept
    on the name pieces. Small buckets are returned whole; a large one is indexed by its facts once."""

    SMALL = 16

    def __init__(self, rules: LinkRules):
        self.rules = rules
        self.need = rules.min_row_evidence
        self._by_fact: dict[str, dict[tuple[str, str], list[int]]] = {}

    def candidates(self, key: str, bucket: Sequence[FullRecord], row: Row) -> Sequence[FullRecord]:
        if len(bucket) <= self.SMALL or self.need < 1:
            return bucket
        by_fact = self._by_fact.get(key)
        if by_fact is None:
            by_fact = self._by_fact[key] = defaultdict(list)
            for n, full in enumerate(bucket):
                for fact in self._facts(full.row):
                    by_fact[fact].append(n)
        shared: dict[int, int] = defaultdict(int)
        for fact in self._facts(row):
            for n in by_fact.get(fact, ()):
                shared[n] += 1
        return [bucket[n] for n in sorted(n for n, count in shared.items() if count >= self.need)]

    def _facts(self, row: Row) -> list[tuple[str, str]]:
        return [item for item in row.fields.items() if self.rules.is_evidence(item[0])]


def _project(shown: str, positions: frozenset[int]) -> str:
    return "".join(shown[i] for i in sorted(positions))


def _name_facts(name: NameForm | None) -> list[tuple[str, str]]:
    """A name as blocking keys. A name counts as evidence only when two shown characters agree,
    so it is keyed by the pieces it shows under a pattern with two or more characters."""
    if name is None:
        return []
    return [("name", f"{bits}:{digest}") for bits, digest in name.pieces.items() if bits.count("1") >= 2]


# --- findings for the reports ------------------------------------------------------------------

def link_findings(report: LinkReport, policy: Policy) -> dict[str, list[Finding]]:
    """Per document path, one finding for each place it has in a link."""
    per_path: dict[str, list[Finding]] = defaultdict(list)
    for item in report.links:
        for i, place in enumerate(item.places):
            per_path[place.path].append(link_finding(item, i, policy))
    return dict(per_path)


def link_finding(item: Link, i: int, policy: Policy) -> Finding:
    """The finding for place `i` of a link; the other places ride along in `attrs["linked"]`
    (path, location) so every report can say where the other half is."""
    rule = policy.rule_for(item.kind, item.variant)
    place = item.places[i]
    others = [{"path": o.path, "location": o.location} for k, o in enumerate(item.places) if k != i]
    where = "；".join(f"{o['path']} {o['location']}" for o in others[:5])
    more = f" 等 {len(others)} 处" if len(others) > 5 else ""
    return Finding(
        entity=item.kind, variant=item.variant, rule_id=rule.rule_id,
        severity=rule.severity, label=policy.label(item.kind),
        reason=f"{rule.reason}{_detail(item, policy.label(item.entity))}" + (f"；另见：{where}{more}" if where else ""),
        text=item.union or item.shown[i], location=place.location, zone=Zone.BODY,
        start=0, end=0, score=1.0, recognizer="linkage", record=place.record,
        attrs={"linked": others, "masked_as": item.entity, "revealed": item.revealed,
               "length": len(item.union), "evidence": list(item.evidence)},
    )


def _detail(item: Link, label: str) -> str:
    if item.kind == LINKED_IDENTIFIER:
        birth = "，可见出生日期" if item.variant == "birth_date" else ""
        return f"（{label}：{len(item.places)} 处合并后可见 {item.revealed}/{len(item.union)} 位{birth}）"
    if item.kind == MASK_PATTERN_MIXED:
        return f"（{label}：{'、'.join(item.evidence)}）"
    facts = "、".join(FACT_LABELS.get(e, e) for e in item.evidence)
    return f"（相符：{facts}）"


FACT_LABELS = {"village": "村/社区", "household": "家庭人口", "amount": "金额", "period": "期间",
               "category": "类别", "name": "姓名", "name_pieces": "姓名可见部分",
               "CN_ID_CARD_pieces": "身份证号可见部分", "PHONE_NUMBER_pieces": "电话号码可见部分",
               "BANK_CARD_pieces": "银行卡号可见部分"}
