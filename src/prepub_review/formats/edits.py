"""The vocabulary of editing an open document: replacements of findings (Edit) and the cleaning
steps a writer reports (Cleaning). Shared by every format's writer and by act/redact."""

from __future__ import annotations

from dataclasses import dataclass

from prepub_review.models import Finding


@dataclass(frozen=True, slots=True)
class Edit:
    finding: Finding
    action: str          # mask | drop | generalise | replace (a reviewer's own text)
    replacement: str
    segment_text: str    # the whole text of the finding's segment (a cell's value, a paragraph)


@dataclass(frozen=True, slots=True)
class Cleaning:
    code: str            # stable key, e.g. "comments", "tracked_changes"
    description: str     # Chinese, shown to the reader
    count: int = 1


def by_anchor(edits: list[Edit]) -> list[list[Edit]]:
    """Edits grouped per segment anchor (anchors are frozen values: equal anchors are one place),
    in first-seen order, each group right-to-left."""
    groups: dict[object, list[Edit]] = {}
    for edit in edits:
        groups.setdefault(edit.finding.anchor, []).append(edit)
    for group in groups.values():
        group.sort(key=lambda e: e.finding.start, reverse=True)
    return list(groups.values())


def apply_to_text(text: str, edits: list[Edit]) -> str:
    """`text` (the segment text) with the edits applied; edits given right-to-left."""
    for edit in edits:
        text = text[:edit.finding.start] + edit.replacement + text[edit.finding.end:]
    return text


def apply_within(stored: str, edits: list[Edit]) -> str:
    """A stored string that holds the edits' segment text (the reader may have stripped blanks
    around it) with the edits applied to that text where it stands."""
    shown = edits[0].segment_text
    start = max(stored.find(shown), 0)
    return stored[:start] + apply_to_text(shown, edits) + stored[start + len(shown):]


def replace_across(values: list[str], start: int, end: int, replacement: str) -> list[str]:
    """The texts of several nodes that read as one (runs of a paragraph, <tspan>s) with characters
    start..end of their joined text replaced: the replacement goes where the span begins (keeping
    that node's formatting), the rest of the span is cut from the nodes it covers."""
    out, begin = [], 0
    for value in values:
        low, high = max(start, begin), min(end, begin + len(value))
        if low < high or (start == end == low and replacement):
            out.append(value[:low - begin] + replacement + value[high - begin:])
            replacement = ""
        else:
            out.append(value)
        begin += len(value)
    return out
