"""formats.base.placed: a segment with its anchor and Locator set (readers call it per segment)."""

from __future__ import annotations

import dataclasses

from prepub_review.formats.base import placed
from prepub_review.models import Locator, Segment


def test_placed_copies_every_other_field_of_the_segment():
    values = {field.name: object() for field in dataclasses.fields(Segment)}   # a new field must be copied too
    segment = Segment(**values)
    anchor, locator = object(), Locator("line", (), line=3)
    result = placed(segment, anchor, locator)
    assert result.anchor is anchor and result.locator is locator
    for name, value in values.items():
        if name not in ("anchor", "locator"):
            assert getattr(result, name) is value, name


def test_placed_keeps_the_locator_when_none_is_given():
    segment = Segment("文字", "第1行", locator=Locator("line", (), line=1))
    assert placed(segment, "anchor").locator is segment.locator
