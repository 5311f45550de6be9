"""--decisions FILE: a reviewer's decisions written down (YAML or JSON), for scripts and re-runs.

    decisions:
      - match: {entity: PERSON, location: "第3段"}          # entity key or its label (姓名)
        decision: keep
        reason: 公职人员履职信息
      - match: {entity: 电话号码, location: "表格1 第*行 第8列"}  # * and ? are wildcards
        decision: replace
        replacement: （略）
      - match: {rule_id: P1}
        decision: redact                                    # take the profile's proposal
    unmatched: proposed       # items no rule matches: proposed (take the proposal) | error
    conclusion: publish_redacted   # or 同意公开 / 去标识化后公开 / 不予公开, or a key of audit_conclusions.yaml
    reason: 按救助对象名单公示方案去标识化

A bare list is the `decisions` list alone. The first rule that matches an item decides it;
`index` picks the n-th item (1, 2, ...) of that entity at that location.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from prepub_review.act.review.session import (
    DECISION_ZH,
    PUBLISH,
    PUBLISH_REDACTED,
    WITHHOLD_PRIVACY,
    Decision,
    ReviewItem,
    Session,
)
from prepub_review.errors import PrepubError, RulesError
from prepub_review.rules_loader import LineDict, check_choice, check_known_keys, load_yaml_file, optional

MATCH_KEYS = ("entity", "location", "rule_id", "index")
CONCLUSION_WORDS = {"同意公开": PUBLISH, "公开": PUBLISH, "去标识化后公开": PUBLISH_REDACTED,
                    "去标识化后公开（区分处理）": PUBLISH_REDACTED, "区分处理": PUBLISH_REDACTED}


class DecisionsError(PrepubError):
    code = "decisions_error"


@dataclass(frozen=True, slots=True)
class Rule:
    where: str                       # "decisions.yaml 第5行", for messages
    entity: str | None
    location: str | None             # a pattern: * and ? are wildcards
    rule_id: str | None
    index: int | None
    decision: Decision

    def matches(self, item: ReviewItem) -> bool:
        finding = item.finding
        return ((self.entity is None or self.entity in (finding.entity, finding.label))
                and (self.location is None or fnmatch.fnmatchcase(finding.location, self.location))
                and (self.rule_id is None or self.rule_id == finding.rule_id)
                and (self.index is None or self.index == item.index))


@dataclass(frozen=True, slots=True)
class DecisionsFile:
    rules: tuple[Rule, ...]
    unmatched: str = "proposed"      # proposed | error
    conclusion: str | None = None    # as written: a key or a Chinese label
    reason: str | None = None


def load(path: Path) -> DecisionsFile:
    """Reads and validates the file; errors name file, line and key, in Chinese."""
    path = Path(path)
    if not path.is_file():
        raise DecisionsError(f"决定文件不存在：{path}")
    try:
        data = load_yaml_file(path, path.name)   # YAML is a superset of JSON: one loader for both
        if isinstance(data, list):
            data = LineDict(decisions=data)
            data.source = path.name
            data.key_lines = {}
        if not isinstance(data, LineDict):
            raise DecisionsError(f"决定文件 {path.name} 应为决定列表，或含 decisions 的映射")
        check_known_keys(data, {"decisions", "unmatched", "conclusion", "reason"})
        entries = optional(data, "decisions", list, [])
        unmatched = check_choice(data, "unmatched", ("proposed", "error")) if "unmatched" in data else "proposed"
        rules = tuple(_rule(entry, data, n) for n, entry in enumerate(entries, start=1))
        return DecisionsFile(rules, unmatched, _text(data, "conclusion"), _text(data, "reason"))
    except RulesError as exc:
        raise DecisionsError(f"决定文件错误：{exc.message}") from None


def _text(data: LineDict, key: str) -> str | None:
    value = optional(data, key, (str, int, float), None)
    return str(value).strip() if value is not None and str(value).strip() else None


def _rule(entry: object, parent: LineDict, number: int) -> Rule:
    if not isinstance(entry, LineDict):
        raise RulesError(f"{parent.where('decisions')}: 第 {number} 条决定应为映射（含 match 和 decision）")
    check_known_keys(entry, {"match", "decision", "reason", "replacement"})
    match = entry.get("match")
    if not isinstance(match, LineDict) or not match:
        raise RulesError(f"{entry.where('match' if 'match' in entry else None)}: 第 {number} 条决定需要「match」，"
                         f"写出 {' / '.join(MATCH_KEYS)} 中的至少一项")
    check_known_keys(match, MATCH_KEYS)
    kind = check_choice(entry, "decision", tuple(DECISION_ZH)) if "decision" in entry else None
    if kind is None:
        raise RulesError(f"{entry.where()}: 第 {number} 条决定缺少「decision」（redact / keep / replace）")
    reason = optional(entry, "reason", str, "").strip()
    replacement = optional(entry, "replacement", str, None)
    if kind == "keep" and not reason:
        raise RulesError(f"{entry.where('decision')}: 第 {number} 条决定为 keep（保留原文），须写明「reason」")
    if kind == "replace" and not (replacement or "").strip():
        raise RulesError(f"{entry.where('decision')}: 第 {number} 条决定为 replace（改写），须写明「replacement」")
    index = optional(match, "index", int, None)
    if index is not None and index < 1:
        raise RulesError(f"{match.where('index')}: 「index」应为从 1 起的整数")
    return Rule(
        where=entry.where(), entity=_str_or_none(match, "entity"), location=_str_or_none(match, "location"),
        rule_id=_str_or_none(match, "rule_id"), index=index,
        decision=Decision(kind, reason=reason, replacement=(replacement or "").strip() or None, by="file"),
    )


def _str_or_none(match: LineDict, key: str) -> str | None:
    value = optional(match, key, str, None)
    return value.strip() if value is not None else None


def apply(decisions: DecisionsFile, session: Session) -> list[str]:
    """Decide every item by the first matching rule; returns warnings (rules that matched nothing,
    a replace on an item that cannot take one). Unmatched items take the proposal, or are an error."""
    from prepub_review.act.review.session import EDITABLE

    warnings, used = [], set()
    for item in session.items:
        rule = next((r for r in decisions.rules if r.matches(item)), None)
        if rule is None:
            continue
        used.add(rule)
        decision = rule.decision
        if decision.kind == "replace" and item.proposal.kind not in EDITABLE:
            warnings.append(f"{rule.where}：第 {item.number} 项（{item.finding.location} {item.finding.label}）不能改写，"
                            "已按建议处理")
            decision = Decision("redact", by="file")
        session.decisions[item.number] = decision
    for rule in decisions.rules:
        if rule not in used:
            warnings.append(f"{rule.where}：这条决定没有匹配任何发现项")
    left = [item for item in session.items if item.number not in session.decisions]
    if left and decisions.unmatched == "error":
        shown = "；".join(f"第 {i.number} 项 {i.finding.location} {i.finding.label}" for i in left[:10])
        raise DecisionsError(f"决定文件没有覆盖 {len(left)} 项（unmatched: error）：{shown}")
    session.decide_all(Decision("redact", by="file"))
    return warnings


def conclusion_key(written: str | None, session: Session, known: dict) -> str:
    """The conclusion a file names (key or Chinese label), or the suggested one when it names none."""
    suggested = session.suggested_conclusion()
    if written is None:
        return suggested
    if written in known:
        return written
    if written in CONCLUSION_WORDS:
        return CONCLUSION_WORDS[written]
    if written.startswith("不予公开"):
        return suggested if suggested.startswith("withhold") else WITHHOLD_PRIVACY
    raise DecisionsError(f"决定文件中的结论「{written}」无效：应为 {' / '.join(known)} 之一，"
                         "或 同意公开 / 去标识化后公开 / 不予公开")
