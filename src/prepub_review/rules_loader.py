"""Loads the knowledge under rules/ (YAML and word lists) and validates it with clear errors.

The shipped rules live in the package (`prepub_review.rules`, the repository's top-level
`rules/`). A user may pass `--rules DIR`: a file there with the same name replaces the
shipped one, so an office can change a keyword list without touching code. Or, without
copying anything (like gitleaks' `[extend]`), DIR/extend.yaml adds words to a list or
overrides one key of a shipped YAML file:

    add:                                   # words appended to a word list or a YAML list
      person_stopwords.txt: [高新区]
      officials.txt: [张建国]              # 本单位领导名单: their names are at info everywhere
      identifiers.yaml#email.free_mail_domains: [example.cn]
    set:                                   # one key of a YAML file, by its dotted path
      policy/PERSON.yaml#variants.private_weak.severity: info

Every YAML mapping is loaded as a LineDict that remembers the line of each key, so a
validation error names file, line and key: "rules/policy.yaml 第12行: 键 severity ...".
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from prepub_review.errors import RulesError


def shipped_rules_dir() -> Path:
    # find_spec, not importlib.resources: that imports tempfile, shutil and bz2 (~15 ms of every start).
    return Path(importlib.util.find_spec("prepub_review.rules").submodule_search_locations[0])


class LineDict(dict):
    """A dict that knows the source file and the line of each of its keys."""

    source: str = "?"
    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def where(self, key: str | None = None) -> str:
        line = self.line_of(key) if key is not None else self.line
        return f"{self.source} 第{line}行"


# libyaml's parser when available: the rules are parsed at every start (a pre-commit hook pays
# that on each commit) and the pure-Python parser is ~10x slower.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.source = loader.name
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise RulesError(f"{loader.name} 第{key_node.start_mark.line + 1}行: 键「{key}」重复")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class RulesSource:
    """Where rules come from: the shipped directory, optionally overlaid by a user's directory."""

    def __init__(self, override_dir: Path | None = None):
        self.shipped = shipped_rules_dir()
        self.override = Path(override_dir) if override_dir else None
        if self.override is not None and not self.override.is_dir():
            raise RulesError(f"规则目录不存在: {self.override}")
        self._parsed: dict[str, Any] = {}
        self.extend = self._load_extend()

    def _load_extend(self) -> dict[str, dict[str, Any]]:
        """DIR/extend.yaml: {"add": {target: [words]}, "set": {target: value}}, validated."""
        if self.override is None or not (self.override / EXTEND_FILE).is_file():
            return {"add": {}, "set": {}}
        path = self.override / EXTEND_FILE
        data = load_yaml_file(path, str(path))
        if not isinstance(data, LineDict):
            raise RulesError(f"{path}: 应为映射，可用的键：add, set")
        check_known_keys(data, {"add", "set"})
        extend: dict[str, dict[str, Any]] = {"add": {}, "set": {}}
        for section in ("add", "set"):
            node = optional(data, section, dict, None)
            for target, value in (node or {}).items():
                name = str(target).split("#", 1)[0]
                if not (self.shipped / name).is_file():
                    raise RulesError(f"{node.where(target)}: 没有内置规则文件 rules/{name}")
                if section == "add":
                    string_list(node, target)
                elif "#" not in str(target):
                    raise RulesError(f"{node.where(target)}: set 的键应写成「文件#键路径」，"
                                     "如 policy/PERSON.yaml#variants.private.severity")
                extend[section][str(target)] = value
        return extend

    def path(self, name: str) -> Path:
        if self.override is not None and (self.override / name).is_file():
            return self.override / name
        path = self.shipped / name
        if not path.is_file():
            raise RulesError(f"缺少规则文件: rules/{name}")
        return path

    def display_name(self, path: Path) -> str:
        try:
            return "rules/" + path.relative_to(self.shipped).as_posix()
        except ValueError:
            return str(path)

    def yaml(self, name: str) -> Any:
        """The parsed file (parsed once per RulesSource; callers must not modify it)."""
        if name not in self._parsed:
            path = self.path(name)
            data = load_yaml_file(path, self.display_name(path))
            for target, value in self.extend["add"].items():
                if target.startswith(name + "#"):
                    parent, key = _walk(data, target)
                    check_type(parent, key, list)
                    parent[key] = parent[key] + list(value)
            for target, value in self.extend["set"].items():
                if target.startswith(name + "#"):
                    parent, key = _walk(data, target)
                    parent[key] = value
            self._parsed[name] = data
        return self._parsed[name]

    def mapping(self, name: str, allowed_keys: Iterable[str]) -> LineDict:
        """A rules file that must be a mapping with only the given keys."""
        data = self.yaml(name)
        if not isinstance(data, LineDict):
            raise RulesError(f"rules/{name}: 应为映射(键: 值)，可用的键：{', '.join(sorted(allowed_keys))}")
        check_known_keys(data, allowed_keys)
        return data

    def words(self, name: str) -> list[str]:
        """A word list: one entry per line, '#' starts a comment, blank lines ignored."""
        path = self.path(name)
        words = []
        for raw in path.read_text(encoding="utf-8").splitlines():
            word = raw.split("#", 1)[0].strip()
            if word:
                words.append(word)
        return words + list(self.extend["add"].get(name, []))

    def names(self, subdir: str) -> list[str]:
        """Names (relative to rules/) of the YAML files in `subdir`, shipped and overriding."""
        found = {f"{subdir}/{p.name}" for p in (self.shipped / subdir).glob("*.yaml")}
        if self.override is not None and (self.override / subdir).is_dir():
            found |= {f"{subdir}/{p.name}" for p in (self.override / subdir).glob("*.yaml")}
        return sorted(found)

    def files(self) -> list[Path]:
        names = {p.relative_to(self.shipped).as_posix() for p in _rule_files(self.shipped)}
        if self.override is not None:
            names |= {p.relative_to(self.override).as_posix() for p in _rule_files(self.override)}
        return [self.path(n) for n in sorted(names)]

    def digest(self) -> str:
        """sha256 over every rules file in effect (names and contents): recorded in audit trails."""
        h = hashlib.sha256()
        for path in self.files():
            h.update(self.display_name(path).encode() + b"\0" + path.read_bytes() + b"\0")
        return h.hexdigest()


EXTEND_FILE = "extend.yaml"


def _walk(data: Any, target: str) -> tuple[LineDict, str]:
    """The mapping holding the last key of "file#a.b.c", and that key; every key must exist."""
    name, _, dotted = target.partition("#")
    keys = dotted.split(".")
    node = data
    for key in keys[:-1]:
        if not isinstance(node, dict) or key not in node:
            raise RulesError(f"{EXTEND_FILE}: rules/{name} 中没有键「{dotted}」")
        node = node[key]
    if not isinstance(node, dict) or keys[-1] not in node:
        raise RulesError(f"{EXTEND_FILE}: rules/{name} 中没有键「{dotted}」（只能改内置文件已有的键）")
    return node, keys[-1]


def _rule_files(directory: Path) -> Iterable[Path]:
    return (p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml", ".txt"} and p.is_file())


def load_yaml_file(path: Path, display_name: str | None = None) -> Any:
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RulesError(f"{name}: 不是 UTF-8 编码 ({exc.reason})") from None
    except OSError as exc:
        raise RulesError(f"{name}: 无法读取 ({exc.strerror})") from None
    loader = _LineLoader(text)
    loader.name = name  # shown in errors (libyaml's marks don't carry our display name)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" 第{mark.line + 1}行" if mark is not None else ""
        raise RulesError(f"{name}{line}: YAML 格式错误: {exc.problem}") from None
    finally:
        loader.dispose()


# --- validation helpers: each names file, line and key --------------------------------------

def require(mapping: Any, key: str, kind: type | tuple[type, ...], context: LineDict | None = None) -> Any:
    if not isinstance(mapping, dict):
        where = context.where() if isinstance(context, LineDict) else "?"
        raise RulesError(f"{where}: 应为映射(键: 值)，实际为 {type(mapping).__name__}")
    if key not in mapping:
        where = mapping.where() if isinstance(mapping, LineDict) else "?"
        raise RulesError(f"{where}: 缺少必需的键「{key}」")
    return check_type(mapping, key, kind)


def optional(mapping: LineDict, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    if key not in mapping or mapping[key] is None:
        return default
    return check_type(mapping, key, kind)


def check_type(mapping: LineDict, key: str, kind: type | tuple[type, ...]) -> Any:
    value = mapping[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = "/".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        where = mapping.where(key) if isinstance(mapping, LineDict) else "?"
        raise RulesError(f"{where}: 键「{key}」应为 {names}，实际为 {value!r}")
    return value


def check_choice(mapping: LineDict, key: str, choices: Iterable[str]) -> str:
    value = mapping[key]
    choices = list(choices)
    if value not in choices:
        raise RulesError(f"{mapping.where(key)}: 键「{key}」的值 {value!r} 无效，应为 {' / '.join(choices)} 之一")
    return value


def check_known_keys(mapping: LineDict, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for key in mapping:
        if key not in allowed:
            raise RulesError(
                f"{mapping.where(key)}: 未知的键「{key}」(可用: {', '.join(sorted(allowed))})"
            )


def string_list(mapping: LineDict, key: str, default: list[str] | None = None) -> list[str]:
    value = mapping.get(key, default if default is not None else None)
    if value is None:
        if default is not None:
            return default
        raise RulesError(f"{mapping.where()}: 缺少必需的键「{key}」")
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RulesError(f"{mapping.where(key)}: 键「{key}」应为非空字符串列表")
    return value
