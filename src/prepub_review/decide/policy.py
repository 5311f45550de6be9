"""The decide stage: turns detections and reader notices into judged findings.

Knowledge lives in rules/policy/<ENTITY>.yaml: per variant of an entity a stable rule id,
a severity, a Chinese reason, and overrides -- by zone (a bare "秘密" is a marking only
in the top lines or a header) and by record: an office phone label in a recipient's table
row is the recipient's phone (`with_private_person`, raised by `private_person` findings);
a phone, e-mail or address in a company's row is the company's (`with_organisation`, raised
by `organisation` findings such as a company name or an organisation's USCC). A private
person in the record wins over an organisation. See README "添加规则".
"""

from __future__ import annotations

import dataclasses
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from prepub_review.decide.genre import Genre
from prepub_review.entities import UNVERIFIED_CONTENT
from prepub_review.errors import RulesError
from prepub_review.fingerprint import DEFAULT_KEY, fingerprint, nearby_han
from prepub_review.models import Detection, Finding, Notice, Segment, Severity, Verdict, Zone
from prepub_review.rules_loader import (
    LineDict,
    RulesSource,
    check_choice,
    check_known_keys,
    optional,
    require,
)

UNVERIFIED_ENTITY = UNVERIFIED_CONTENT
CONTEXT_CHARS = 24
SEVERITIES = [s.value for s in Severity]
ZONES = [z.value for z in Zone]


@dataclass(frozen=True, slots=True)
class MaskSpec:
    """How a report displays a value: keep so many leading/trailing characters."""

    keep_prefix: int = 1
    keep_suffix: int = 1
    keep_from: str | None = None   # keep everything from the last occurrence (e.g. "@" of an email)


@dataclass(frozen=True, slots=True)
class VariantRule:
    rule_id: str
    severity: Severity
    reason: str
    zones: dict[Zone, Severity] = field(default_factory=dict)
    with_private_person: Severity | None = None
    private_person: bool = False
    reason_with_private_person: str | None = None
    with_organisation: Severity | None = None
    organisation: bool = False
    reason_with_organisation: str | None = None
    masked_person: bool = False                    # this finding is a masked person (王某, 张*明)
    with_masked_person: Severity | None = None     # severity when the record's only person is masked
    mask: MaskSpec | None = None                   # how reports show this variant, if not as the entity

    def escalates(self, record_has_private_person: bool) -> bool:
        return record_has_private_person and self.with_private_person is not None

    def yields_to_organisation(self, record_has_private_person: bool, record_is_organisation: bool) -> bool:
        """True if this finding is an organisation's contact data (its record is an organisation's
        and holds no private person's data)."""
        return (record_is_organisation and not record_has_private_person
                and self.with_organisation is not None)

    def severity_for(self, zone: Zone, record_has_private_person: bool,
                     record_is_organisation: bool = False, record_person_masked: bool = False) -> Severity:
        if record_person_masked and self.with_masked_person is not None:
            return self.with_masked_person
        if self.escalates(record_has_private_person):
            return self.with_private_person
        if self.yields_to_organisation(record_has_private_person, record_is_organisation):
            return self.with_organisation
        return self.zones.get(zone, self.severity)


@dataclass(frozen=True, slots=True)
class EntityPolicy:
    entity: str
    label: str
    mask: MaskSpec
    variants: dict[str, VariantRule]


class Policy:
    def __init__(self, entities: dict[str, EntityPolicy], fingerprint_key: bytes = DEFAULT_KEY):
        self.entities = entities
        self.fingerprint_key = fingerprint_key

    @classmethod
    def load(cls, rules: RulesSource) -> Policy:
        entities = {}
        for name in rules.names("policy"):
            policy = parse_entity_policy(rules.yaml(name))
            entities[policy.entity] = policy
        return cls(entities)

    def label(self, entity: str) -> str:
        policy = self.entities.get(entity)
        return policy.label if policy else entity

    def mask_spec(self, entity: str, variant: str = "") -> MaskSpec:
        """How reports show a value of this entity (and variant): a landline keeps its area code."""
        policy = self.entities.get(entity)
        if policy is None:
            return MaskSpec()
        rule = policy.variants.get(variant)
        return rule.mask if rule is not None and rule.mask is not None else policy.mask

    def rule_for(self, entity: str, variant: str) -> VariantRule:
        policy = self.entities.get(entity)
        if policy and variant in policy.variants:
            return policy.variants[variant]
        # A recognizer added through rules/ without a policy entry: never silently ignored.
        return VariantRule(rule_id=f"X-{entity}", severity=Severity.REVIEW,
                           reason=f"识别器结果({entity}/{variant})未配置处理规则，请人工复核")

    def judge(self, detections: Iterable[Detection], notices: Iterable[Notice] = (),
              genre: Genre | None = None) -> list[Finding]:
        detections = list(detections)
        rules = [self.rule_for(d.entity, d.variant) for d in detections]      # each looked up once
        records = [record_key(d.segment) for d in detections]
        org_records = {record for record, rule in zip(records, rules) if rule.organisation}
        private = [_shows_private_person(rule, record, org_records) for rule, record in zip(rules, records)]
        private_records = {record for record, shows in zip(records, private) if shows}
        masked_records = _masked_person_records(rules, records, private)
        by_segment: dict[int, list[Detection]] = defaultdict(list)
        for det in detections:
            by_segment[id(det.segment)].append(det)
        findings = [
            self._finding(det, rule, by_segment[id(det.segment)], record in private_records,
                          record in org_records, record in masked_records)
            for det, rule, record in zip(detections, rules, records)
        ]
        if genre is not None:
            findings = self._by_genre(genre, detections, findings, records, private)
        if any(d.segment.seams for d in detections):
            findings = [f for f, d in zip(findings, detections) if _its_own(d)]
        findings.extend(self._notice_finding(n) for n in notices)
        return findings

    def _by_genre(self, genre: Genre, detections: list[Detection], findings: list[Finding],
                  records: list[str], private: list[bool]) -> list[Finding]:
        """Judge what the genre publishes by design at the genre's severity, except in a record
        that also shows a private person, or holds a block/review finding, the genre does not
        publish (the honoree's diagnosis, the resident named beside a house number).
        `records` and `private`: each detection's record key and whether it shows a private person."""
        present = {d.entity for d in detections} | {f"{d.entity}/{d.variant}" for d in detections}
        leaking = {record for d, f, record, shows in zip(detections, findings, records, private)
                   if genre.rule_for(d.entity, d.variant) is None
                   and (shows or f.severity is not Severity.INFO)}
        judged = []
        for det, finding, record in zip(detections, findings, records):
            published = genre.rule_for(det.entity, det.variant)
            if published is not None and record not in leaking \
                    and not (published.unless_document_has & present):
                finding = dataclasses.replace(
                    finding, severity=published.severity,
                    reason=f"{genre.label}依设计公开的内容（见 rules/genres.yaml）：{finding.reason}")
            judged.append(finding)
        return judged

    def _finding(self, det: Detection, rule: VariantRule, neighbours: list[Detection], private_record: bool,
                 org_record: bool = False, masked_record: bool = False) -> Finding:
        seg = det.segment
        if (masked_record and rule.with_masked_person is not None) \
                or (private_record and rule.with_private_person is not None) \
                or (org_record and rule.with_organisation is not None):
            reason = self._record_reason(det.entity, rule, private_record, org_record, masked_record)
            severity = rule.severity_for(seg.zone, private_record, org_record, masked_record)
        else:   # the record changes nothing (most findings): severity_for's last case, the rule's reason
            reason, severity = rule.reason, rule.zones.get(seg.zone, rule.severity)
        text, start, end = seg.text, det.start, det.end
        value = text[start:end]
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        if len(neighbours) == 1:   # the common case: the only value in its segment
            spans = ((max(start, lo) - lo, min(end, hi) - lo, det.entity, det.variant),) \
                if start < hi and end > lo else ()
            before, after = nearby_han(text, start, end, ())
        else:
            spans = tuple([(max(n.start, lo) - lo, min(n.end, hi) - lo, n.entity, n.variant)
                           for n in neighbours if n.start < hi and n.end > lo])
            before, after = nearby_han(text, start, end, [(n.start, n.end) for n in neighbours if n is not det])
        return Finding.from_fields(   # every field given: the cheap constructor (a run builds many)
            entity=det.entity, variant=det.variant, rule_id=rule.rule_id, severity=severity,
            label=self.label(det.entity), reason=reason, text=value,
            location=seg.location, zone=seg.zone, start=start, end=end,
            score=round(det.score, 2), recognizer=det.recognizer, field=seg.field, record=seg.record,
            context=text[lo:hi], context_spans=spans, attrs=det.attrs, anchor=seg.anchor,
            locator=seg.locator,
            fingerprint=fingerprint(self.fingerprint_key, det.entity, value, seg.field, before, after),
        )

    def _record_reason(self, entity: str, rule: VariantRule, private_record: bool, org_record: bool,
                       masked_record: bool) -> str:
        """The reason of a finding whose record changes its judgement (severity_for's cases, in order)."""
        if masked_record and rule.with_masked_person is not None:
            return (f"所涉人员已隐去姓名（如 王某），但这一{self.label(entity)}仍可能识别出本人，"
                    "请复核是否删除")
        if rule.escalates(private_record):
            return rule.reason_with_private_person or (
                f"与私人信息同在一条记录中（如名单的同一行），应视为个人的{self.label(entity)}，"
                "发布前须删除或去标识化")
        if rule.yields_to_organisation(private_record, org_record):
            return rule.reason_with_organisation or (
                f"与单位名称或单位的统一社会信用代码同在一条记录中（如登记表的同一行），是单位的"
                f"{self.label(entity)}，不是个人信息")
        return rule.reason

    def _notice_finding(self, notice: Notice) -> Finding:
        rule = self.rule_for(UNVERIFIED_ENTITY, notice.code)
        return Finding(
            entity=UNVERIFIED_ENTITY, variant=notice.code, rule_id=rule.rule_id, severity=rule.severity,
            label=self.label(UNVERIFIED_ENTITY), reason=notice.detail or rule.reason, text="",
            location=notice.location, zone=Zone.BODY, start=0, end=0, score=1.0, recognizer="reader",
            fingerprint=fingerprint(self.fingerprint_key, UNVERIFIED_ENTITY, notice.code, None,
                                    notice.location, notice.detail),
        )


def _shows_private_person(rule: VariantRule, record: str, org_records: set[str]) -> bool:
    """A private_person finding marks its record as a private person's -- except contact data
    (a door-level address, a phone) that an organisation's record explains
    (`with_organisation`): a company's address says nothing about a person. A person's name or
    ID number in the same record still wins."""
    if not rule.private_person:
        return False
    return not (rule.with_organisation is not None and record in org_records)


def _masked_person_records(rules: list[VariantRule], records: list[str], private: list[bool]) -> set[str]:
    """Records whose only person is a masked one (王某): no unmasked name, ID or phone beside
    it. A finding with `with_masked_person` (a health detail) does not count as a person.
    Per detection: its rule, its record key, whether it shows a private person."""
    masked, unmasked = set(), set()
    for rule, record, shows in zip(rules, records, private):
        if rule.masked_person:
            masked.add(record)
        elif rule.with_masked_person is None and shows:
            unmasked.add(record)
    return masked - unmasked


def _its_own(detection: Detection) -> bool:
    """A detection of a segment joined from lines given on their own is the joined segment's only
    when it runs across one of the breaks (Segment.seams); within one line, it is that line's."""
    seams = detection.segment.seams
    return not seams or any(detection.start < seam < detection.end for seam in seams)


def record_key(segment: Segment) -> str:
    """Segments of one table row share a record; a line of prose is its own record."""
    return segment.record if segment.record is not None else f"segment:{id(segment)}"


_SEVERITY = operator.attrgetter("severity")


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    """The verdict of the worst severity. (`in` on a list compares members by identity first: no
    enum hashing per finding, which costs more than the rest of this.)"""
    severities = list(map(_SEVERITY, findings))
    if Severity.BLOCK in severities:
        return Verdict.BLOCK
    return Verdict.REVIEW if Severity.REVIEW in severities else Verdict.PASS


def parse_entity_policy(data: LineDict) -> EntityPolicy:
    if not isinstance(data, LineDict):
        raise RulesError("策略文件应为映射，包含 entity / label / variants")
    check_known_keys(data, {"entity", "label", "mask", "variants"})
    entity = require(data, "entity", str)
    label = require(data, "label", str)
    mask = parse_mask(optional(data, "mask", dict, None))
    variants_node = require(data, "variants", dict)
    variants = {}
    for name, node in variants_node.items():
        if not isinstance(node, LineDict):
            raise RulesError(f"{variants_node.where(name)}: 变体「{name}」应为映射")
        variants[str(name)] = parse_variant(node)
    if not variants:
        raise RulesError(f"{data.where('variants')}: variants 不能为空")
    return EntityPolicy(entity=entity, label=label, mask=mask, variants=variants)


def parse_variant(node: LineDict) -> VariantRule:
    check_known_keys(node, {"rule", "severity", "reason", "zones", "with_private_person", "private_person",
                            "reason_with_private_person", "with_organisation", "organisation",
                            "reason_with_organisation", "masked_person", "with_masked_person", "mask"})
    require(node, "severity", str)
    zones_node = optional(node, "zones", dict, None)
    zones = {}
    if zones_node is not None:
        for zone_name in zones_node:
            if zone_name not in ZONES:
                raise RulesError(f"{zones_node.where(zone_name)}: 未知的区域「{zone_name}」，应为 {' / '.join(ZONES)}")
            zones[Zone(zone_name)] = Severity(check_choice(zones_node, zone_name, SEVERITIES))
    escalate = optional(node, "with_private_person", str, None)
    if escalate is not None:
        escalate = Severity(check_choice(node, "with_private_person", SEVERITIES))
    for_organisation = optional(node, "with_organisation", str, None)
    if for_organisation is not None:
        for_organisation = Severity(check_choice(node, "with_organisation", SEVERITIES))
    with_masked = optional(node, "with_masked_person", str, None)
    if with_masked is not None:
        with_masked = Severity(check_choice(node, "with_masked_person", SEVERITIES))
    private_person = optional(node, "private_person", bool, False)
    organisation = optional(node, "organisation", bool, False)
    if private_person and organisation:
        raise RulesError(f"{node.where('organisation')}: 一个变体不能同时标为 private_person 和 organisation")
    return VariantRule(
        rule_id=str(require(node, "rule", (str, int))),
        severity=Severity(check_choice(node, "severity", SEVERITIES)),
        reason=require(node, "reason", str),
        zones=zones,
        with_private_person=escalate,
        private_person=private_person,
        reason_with_private_person=optional(node, "reason_with_private_person", str, None),
        with_organisation=for_organisation,
        organisation=organisation,
        reason_with_organisation=optional(node, "reason_with_organisation", str, None),
        masked_person=optional(node, "masked_person", bool, False),
        with_masked_person=with_masked,
        mask=None if "mask" not in node else parse_mask(optional(node, "mask", dict, None)),
    )


def parse_mask(node: LineDict | None) -> MaskSpec:
    if node is None:
        return MaskSpec()
    check_known_keys(node, {"keep_prefix", "keep_suffix", "keep_from"})
    return MaskSpec(
        keep_prefix=optional(node, "keep_prefix", int, 1),
        keep_suffix=optional(node, "keep_suffix", int, 1),
        keep_from=optional(node, "keep_from", str, None),
    )
