"""Builds link indexes from short specs, the way LinkIndex.from_document would store them."""

from __future__ import annotations

from prepub_review.act.audit.build import ValueKey
from prepub_review.decide.linkage_index import (
    FullRecord,
    LinkIndex,
    Partial,
    Place,
    Reading,
    Row,
    _Builder,
    keep_positions,
    piece_hash,
    visible_positions,
)
from prepub_review.decide.linkage_rules import LinkRules
from prepub_review.rules_loader import RulesSource

RULES = LinkRules.load(RulesSource())
HASHER = ValueKey(b"k" * 32).digest
BUILDER = _Builder("", Reading(RULES), HASHER)


def row(name: str | None = None, **fields: str) -> Row:
    hashed = {kind: piece_hash(HASHER, f"F{kind}", value, range(len(value))) for kind, value in fields.items()}
    return Row(hashed, BUILDER.name_form(name) if name else None)


def partial(path: str, entity: str, shown: str, name: str | None = None, record: str | None = None,
            **fields: str) -> Partial:
    the_row = row(name if entity != "PERSON" else shown, **fields)
    tag = "N" if entity == "PERSON" else entity[:2]
    return Partial(entity, shown, path, f"{record or shown}", record or shown, the_row,
                   piece_hash(HASHER, tag, shown, visible_positions(shown)))


def full(path: str, record: str, name: str | None = None, ids: dict[str, str] | None = None, **fields: str) -> FullRecord:
    pieces = []
    for entity, value in (ids or {}).items():
        for prefix, suffix in RULES.identifiers[entity].full_patterns:
            pieces.append(piece_hash(HASHER, entity[:2], value, keep_positions(len(value), prefix, suffix)))
    carries = frozenset((ids or {}).keys()) | ({"PERSON"} if name else set())
    return FullRecord(Place(path, record, record), row(name, **fields), carries, tuple(pieces))


def indexes(*items) -> list[LinkIndex]:
    by_path: dict[str, LinkIndex] = {}
    for item in items:
        path = item.path if isinstance(item, Partial) else item.place.path
        index = by_path.setdefault(path, LinkIndex(path))
        (index.partials if isinstance(item, Partial) else index.fulls).append(item)
    return list(by_path.values())
