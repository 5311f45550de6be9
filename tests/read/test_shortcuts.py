"""The readers' shortcuts: each must give what the plain way gives, or fail here."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from prepub_review.models import Locator, Segment, Zone


def test_readers_build_segments_and_locators_with_from_fields_in_this_field_order():
    """Readers call Segment.from_fields and Locator.from_fields positionally (the cheap constructors,
    one segment per cell or line): a reordered field would silently land in another one."""
    assert [f.name for f in dataclasses.fields(Segment)] == ["text", "location", "zone", "field", "record",
                                                             "locator", "anchor"]
    assert [f.name for f in dataclasses.fields(Locator)] == ["part", "path", "line", "column"]


def test_a_segment_from_fields_is_the_frozen_segment_of_its_init():
    locator = Locator.from_fields("cell", (2, 3), 2, 3)
    built = Segment.from_fields("张三", "第2行 第3列", Zone.TABLE, "姓名", "第2行", locator, ("anchor",))
    plain = Segment("张三", "第2行 第3列", Zone.TABLE, "姓名", "第2行", Locator("cell", (2, 3), line=2, column=3),
                    anchor=("anchor",))
    assert type(built) is Segment and built == plain and built.locator == plain.locator
    assert built.anchor == plain.anchor
    assert pickle.loads(pickle.dumps(built)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.text = "李四"
