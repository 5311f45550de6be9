"""A reviewer's decision on one finding, as the Redactor takes it (see redactor.Plan for the plan)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Override:
    """A reviewer's decision on one finding (`prepub review`): keep the value as it is, or put
    `replacement` in its place. A finding without an override gets the profile's action."""

    keep: bool = False
    replacement: str | None = None
