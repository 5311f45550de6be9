"""Redaction profiles: rules/profiles/<name>.yaml say what to do with each kind of personal data.

    name: assistance-recipients
    label: 救助对象名单公示               # Chinese, shown to users
    default: mask                          # action for block/review findings of unlisted entities
    info: keep                             # action for info findings (officials in role, masked values)
    entities:
      PERSON: {action: mask, style: name}          # 张*, 张*明, 欧阳**
      CN_ID_CARD: {action: drop}
      PHONE_NUMBER: {action: mask, keep_prefix: 3, keep_suffix: 4}
      ADDRESS: {action: generalise, level: village}
      BANK_CARD:
        action: drop
        variants: {masked: {action: keep}}         # per-variant override

Actions: mask (keep_prefix/keep_suffix characters, or style: name; with neither, the value is masked
as reports show it, by its rules/policy `mask`), drop (remove the value),
generalise (addresses: level village|township), keep. The severities come from rules/policy;
a profile only says what to do with what the policy reports.
"""

from __future__ import annotations

from typing import NamedTuple

from prepub_review.errors import RulesError
from prepub_review.rules_loader import (
    LineDict,
    RulesSource,
    check_choice,
    check_known_keys,
    optional,
    require,
)

PROFILES_DIR = "profiles"
DEFAULT_PROFILE = "assistance-recipients"
ACTIONS = ("mask", "drop", "generalise", "keep")
LEVELS = ("village", "township")
STYLES = ("characters", "name", "display")   # display: as reports show it (rules/policy mask)
ACTION_KEYS = {"action", "keep_prefix", "keep_suffix", "style", "level"}


# NamedTuples, not @dataclass: every `prepub check` with linkage imports this module (act/redact/visible
# tells linkage what the strictest profile shows), and a dataclass costs ~1 ms to create at import.
class Action(NamedTuple):
    kind: str                        # mask | drop | generalise | keep
    keep_prefix: int = 0
    keep_suffix: int = 0
    style: str = "characters"        # mask style: characters | name (surname-aware) | display (as reports show it)
    level: str = "village"           # generalise: village | township


class EntityActions(NamedTuple):
    action: Action
    variants: dict[str, Action]


class Profile(NamedTuple):
    name: str
    label: str
    default: Action
    info: Action
    entities: dict[str, EntityActions]

    def action_for(self, entity: str, variant: str, severity: str) -> Action:
        """What to do with one finding. Info findings follow `info` unless a variant is listed."""
        listed = self.entities.get(entity)
        if listed is not None and variant in listed.variants:
            return listed.variants[variant]
        if severity == "info":
            return self.info
        return listed.action if listed is not None else self.default


def profile_names(rules: RulesSource) -> list[str]:
    return [name.split("/", 1)[1].removesuffix(".yaml") for name in rules.names(PROFILES_DIR)]


def load_profile(rules: RulesSource, name: str) -> Profile:
    known = profile_names(rules)
    if name not in known:
        raise RulesError(f"没有名为「{name}」的去标识化方案（可用：{'、'.join(known) or '无'}）。"
                         f"方案文件放在 rules/{PROFILES_DIR}/ 下")
    data = rules.mapping(f"{PROFILES_DIR}/{name}.yaml", {"name", "label", "description", "default", "info", "entities"})
    declared = require(data, "name", str)
    if declared != name:
        raise RulesError(f"{data.where('name')}: 「name」应与文件名一致（{name}），实际为 {declared!r}")
    entities_node = require(data, "entities", dict)
    entities = {}
    for entity, node in entities_node.items():
        entities[entity] = _entity_actions(entities_node, entity, node)
    return Profile(
        name=name,
        label=require(data, "label", str),
        default=_simple_action(data, "default", "mask"),
        info=_simple_action(data, "info", "keep"),
        entities=entities,
    )


def _simple_action(data: LineDict, key: str, default: str) -> Action:
    if key not in data:
        return Action(default)
    check_choice(data, key, ACTIONS)
    return Action(data[key]) if data[key] != "mask" else Action("mask", style="display")


def _entity_actions(parent: LineDict, entity: str, node: object) -> EntityActions:
    if not isinstance(node, LineDict):
        raise RulesError(f"{parent.where(entity)}: 「{entity}」应为映射，例如 {{action: drop}}")
    check_known_keys(node, ACTION_KEYS | {"variants"})
    variants = {}
    variants_node = optional(node, "variants", dict, LineDict())
    for variant, variant_node in variants_node.items():
        if not isinstance(variant_node, LineDict):
            raise RulesError(f"{variants_node.where(variant)}: 「{variant}」应为映射，例如 {{action: keep}}")
        check_known_keys(variant_node, ACTION_KEYS)
        variants[variant] = _action(variant_node)
    return EntityActions(_action(node), variants)


def _action(node: LineDict) -> Action:
    require(node, "action", str)
    kind = check_choice(node, "action", ACTIONS)
    keep_prefix = optional(node, "keep_prefix", int, 0)
    keep_suffix = optional(node, "keep_suffix", int, 0)
    for key, value in (("keep_prefix", keep_prefix), ("keep_suffix", keep_suffix)):
        if value < 0:
            raise RulesError(f"{node.where(key)}: 「{key}」应为不小于 0 的整数")
    if "style" in node:
        style = check_choice(node, "style", STYLES)
    else:   # a bare `action: mask` masks as reports show the value
        style = "display" if kind == "mask" and not ({"keep_prefix", "keep_suffix"} & set(node)) else "characters"
    level = check_choice(node, "level", LEVELS) if "level" in node else "village"
    if kind == "generalise" and "level" not in node:
        raise RulesError(f"{node.where('action')}: generalise 需要「level」（village 或 township）")
    return Action(kind, keep_prefix, keep_suffix, style, level)
