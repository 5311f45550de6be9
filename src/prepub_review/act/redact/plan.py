"""What a redaction will do: replacements (edits) of findings and cleaning steps."""

from __future__ import annotations

from dataclasses import dataclass

from prepub_review.models import Finding


@dataclass(frozen=True, slots=True)
class Edit:
    finding: Finding
    action: str          # mask | drop | generalise
    replacement: str
    segment_text: str    # the whole text of the finding's segment (a cell's value, a paragraph)


@dataclass(frozen=True, slots=True)
class Cleaning:
    code: str            # stable key, e.g. "comments", "tracked_changes"
    description: str     # Chinese, shown to the reader
    count: int = 1


def by_anchor(edits: list[Edit]) -> dict[int, list[Edit]]:
    """Edits grouped per segment anchor (object identity), each group right-to-left."""
    groups: dict[int, list[Edit]] = {}
    for edit in edits:
        groups.setdefault(id(edit.finding.anchor), []).append(edit)
    for group in groups.values():
        group.sort(key=lambda e: e.finding.start, reverse=True)
    return groups


def apply_to_text(text: str, edits: list[Edit]) -> str:
    """`text` (the segment text) with the edits applied; edits given right-to-left."""
    for edit in edits:
        text = text[:edit.finding.start] + edit.replacement + text[edit.finding.end:]
    return text
