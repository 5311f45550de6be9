"""Document genres that publish personal data by design (rules/genres.yaml, ../shared/genres.md).

A 任前公示 publishes an official's bio, a 地名命名 reply a house number at a road's end, a 中标
result a company's address and phone. The genre is read from the title and first lines; the
policy then judges what the genre publishes at the genre's severity -- unless the same record
(a table row, a line) also holds private data the genre does not publish (a named resident beside
the house number), or the document holds what `unless_document_has` lists. What rules/genres.yaml
lists under `protected` (a private person's ID, phone, bank card, certificate) no genre may lower.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from prepub_review.errors import RulesError
from prepub_review.models import Segment, Severity, Zone
from prepub_review.rules_loader import (
    LineDict,
    RulesSource,
    check_choice,
    check_known_keys,
    optional,
    require,
    string_list,
)

GENRES_FILE = "genres.yaml"
SEVERITIES = [s.value for s in Severity]
# Where a document's title and opening lines are (not a comment, a header or a property).
_OPENING_ZONES = frozenset({Zone.TOP, Zone.BODY, Zone.TABLE})


@dataclass(frozen=True, slots=True)
class Published:
    """One kind of finding a genre publishes by design, and how it is judged there."""

    severity: Severity
    unless_document_has: frozenset[str] = frozenset()   # "ENTITY" or "ENTITY/variant"


@dataclass(frozen=True, slots=True)
class Genre:
    name: str
    label: str
    title_words: tuple[str, ...]
    published: dict[str, Published]                    # "ENTITY/variant" or "ENTITY" -> rule

    def rule_for(self, entity: str, variant: str) -> Published | None:
        return self.published.get(f"{entity}/{variant}") or self.published.get(entity)


@dataclass(frozen=True, slots=True)
class GenreRules:
    opening_lines: int
    genres: tuple[Genre, ...]

    @classmethod
    def load(cls, rules: RulesSource) -> GenreRules:
        data = rules.mapping(GENRES_FILE, {"opening_lines", "protected", "genres"})
        opening = require(data, "opening_lines", int)
        if not 1 <= opening <= 20:
            raise RulesError(f"{data.where('opening_lines')}: 键「opening_lines」应在 1 到 20 之间")
        protected = frozenset(string_list(data, "protected"))
        genres_node = require(data, "genres", dict)
        genres = tuple(_parse_genre(str(name), node, protected, genres_node)
                       for name, node in genres_node.items())
        return cls(opening, genres)

    def classify(self, opening_text: str) -> Genre | None:
        """The first genre (in file order) whose title word appears in the opening text."""
        for genre in self.genres:
            if any(word in opening_text for word in genre.title_words):
                return genre
        return None


class OpeningLines:
    """Passes a reader's items through and keeps the text of the first few lines of the body."""

    def __init__(self, count: int):
        self.count = count
        self.lines: list[str] = []

    def watch(self, items: Iterable) -> Iterator:
        for item in items:
            if isinstance(item, Segment) and len(self.lines) < self.count \
                    and item.zone in _OPENING_ZONES and item.text.strip():
                self.lines.append(item.text)
            yield item

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _parse_genre(name: str, node: object, protected: frozenset[str], parent: LineDict) -> Genre:
    if not isinstance(node, LineDict):
        raise RulesError(f"{parent.where(name)}: 文种「{name}」应为映射")
    check_known_keys(node, {"label", "title_words", "published"})
    published_node = require(node, "published", dict)
    published = {}
    for key, value in published_node.items():
        key = str(key)
        entity = key.split("/", 1)[0]
        if key in protected or entity in protected:
            raise RulesError(f"{published_node.where(key)}: 「{key}」属于 protected（私人的证件号、手机号、银行卡号），"
                             f"任何文种都不能改变它的处理级别")
        published[key] = _parse_published(published_node, key, value)
    return Genre(name=name, label=require(node, "label", str),
                 title_words=tuple(string_list(node, "title_words")), published=published)


def _parse_published(parent: LineDict, key: str, value: object) -> Published:
    if isinstance(value, str):
        return Published(Severity(check_choice(parent, key, SEVERITIES)))
    if not isinstance(value, LineDict):
        raise RulesError(f"{parent.where(key)}: 「{key}」应为级别（block / review / info）或映射")
    check_known_keys(value, {"severity", "unless_document_has"})
    require(value, "severity", str)
    unless = optional(value, "unless_document_has", list, [])
    return Published(Severity(check_choice(value, "severity", SEVERITIES)),
                     frozenset(string_list(value, "unless_document_has")) if unless else frozenset())
