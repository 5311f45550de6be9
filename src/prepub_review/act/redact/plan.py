"""What a redaction will do: replacements (edits) of findings and cleaning steps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.models import Finding

__all__ = ["Cleaning", "Edit", "FindingKey", "Override", "finding_keys"]

# Names one finding the same way in two reads of the same document (the review reads the draft,
# the redactor reads it again to write): entity, location, raw value, and which occurrence of that
# value at that location it is (1, 2, ...). Raw values stay in memory; they are never stored.
FindingKey = tuple[str, str, str, int]


@dataclass(frozen=True, slots=True)
class Override:
    """A reviewer's decision on one finding (`prepub review`): keep the value as it is, or put
    `replacement` in its place. A finding without an override gets the profile's action."""

    keep: bool = False
    replacement: str | None = None


def finding_keys(findings: Iterable[Finding]) -> dict[int, FindingKey]:
    """id(finding) -> its FindingKey; occurrences are counted in reading order (location, start)."""
    keys: dict[int, FindingKey] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for finding in sorted(findings, key=lambda f: (f.location, f.start, f.end)):
        base = (finding.entity, finding.location, finding.text)
        seen[base] = seen.get(base, 0) + 1
        keys[id(finding)] = (*base, seen[base])
    return keys
