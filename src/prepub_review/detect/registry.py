"""Builds the recognizers listed in rules/recognizers.yaml.

Each entry names a class as "module:Class". prepub's own recognizers receive the
RulesSource so they load their word lists from rules/. Any other presidio
EntityRecognizer (presidio's predefined ones, a user's own) gets only its `args` and is
wrapped for the engine; presidio is imported only when such an entry is listed.
"""

from __future__ import annotations

import importlib

from prepub_review.detect.base import PrepubRecognizer
from prepub_review.errors import RulesError
from prepub_review.rules_loader import LineDict, RulesSource, check_known_keys, check_type, optional, require


def build_recognizers(rules: RulesSource, entities: set[str] | None = None) -> list[PrepubRecognizer]:
    config = rules.yaml("recognizers.yaml")
    entries = require(config, "recognizers", list)
    recognizers = []
    for entry in entries:
        if not isinstance(entry, LineDict):
            raise RulesError(f"{config.where('recognizers')}: 每一项应为映射，包含 class")
        check_known_keys(entry, {"class", "enabled", "args"})
        if not optional(entry, "enabled", bool, True):
            continue
        cls = _import_class(entry)
        args = optional(entry, "args", dict, {})
        try:
            recognizer = cls(rules=rules, **args) if issubclass(cls, PrepubRecognizer) else _from_presidio(cls(**args))
        except TypeError as exc:
            raise RulesError(f"{entry.where('args')}: {entry['class']} 的参数有误: {exc}") from None
        if entities is None or set(recognizer.supported_entities) & entities:
            recognizers.append(recognizer)
    return recognizers


def _import_class(entry: LineDict) -> type:
    spec = require(entry, "class", str)
    module_name, _, class_name = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise RulesError(f"{entry.where('class')}: 找不到识别器类 {spec} ({exc})") from None
    if not (isinstance(cls, type) and (issubclass(cls, PrepubRecognizer) or _is_presidio_recognizer(cls))):
        raise RulesError(f"{entry.where('class')}: {spec} 既不是 prepub 识别器，也不是 presidio EntityRecognizer")
    check_type(entry, "class", str)
    return cls


def _is_presidio_recognizer(cls: type) -> bool:
    try:
        from presidio_analyzer import EntityRecognizer
    except ImportError:
        return False
    return issubclass(cls, EntityRecognizer)


def _from_presidio(recognizer) -> PrepubRecognizer:
    from prepub_review.presidio import FromPresidio

    return FromPresidio(recognizer)
