"""The link step as a table of cases: which masked forms and records are (not) the same person."""

from __future__ import annotations

import pytest

from prepub_review.decide.linkage import agree, combine, link, mask_pattern
from prepub_review.decide.linkage_index import LinkIndex
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from tests.linkage.helpers import RULES, full, indexes, partial

ID = "110105197209126064"          # synthetic, valid check digit (tests/synth.py)
OTHER_ID = "110105195305273786"    # another person of the same county
ALLOWANCE = {"CN_ID_CARD": 5, "PHONE_NUMBER": 7, "BANK_CARD": 4}
VALID = CnIdCardRecognizer().validate_result
HOME = {"village": "和平村", "amount": "560", "household": "3"}


def allowance(entity: str, length: int) -> int:
    return ALLOWANCE.get(entity, 2 if length >= 3 else 1)


def show(value: str, positions) -> str:
    return "".join(ch if i in positions else "*" for i, ch in enumerate(value))


def first6_last4(value: str) -> str:
    return show(value, set(range(6)) | set(range(len(value) - 4, len(value))))


def run(*items):
    return link(indexes(*items), RULES, allowance, VALID).links


# (case, items, expected kinds, expected revealed of the LINKED_IDENTIFIER or None)
IDENTIFIER_CASES = [
    ("6+4 and birth-date form, same name and village: whole ID",
     [partial("a", "CN_ID_CARD", first6_last4(ID), "张*明", **HOME),
      partial("b", "CN_ID_CARD", show(ID, range(14)), "张*明", **HOME)],
     18),
    ("same masked form of two different people: nothing new together",
     [partial("a", "CN_ID_CARD", first6_last4(ID), "张*明", **HOME),
      partial("b", "CN_ID_CARD", first6_last4(ID), "李*华", village="东风村")],
     None),
    ("same masked form, same rows: still nothing new",
     [partial("a", "CN_ID_CARD", first6_last4(ID), "张*明", **HOME),
      partial("b", "CN_ID_CARD", first6_last4(ID), "张*明", **HOME)],
     None),
    ("region code and last 4 share nothing: no evidence, no link",
     [partial("a", "CN_ID_CARD", show(ID, range(6))),
      partial("b", "CN_ID_CARD", show(ID, range(14, 18)))],
     None),
    ("region code and last 4 of the same household row: linked",
     [partial("a", "CN_ID_CARD", show(ID, range(6)), "张*明", **HOME),
      partial("b", "CN_ID_CARD", show(ID, range(14, 18)), "张*明", **HOME)],
     10),
    ("8 shared informative positions (birth date): linked without rows",
     [partial("a", "CN_ID_CARD", show(ID, range(14))),
      partial("b", "CN_ID_CARD", show(ID, range(6, 18)))],
     18),
    ("agree on the region only, rows name another person: no link",
     [partial("a", "CN_ID_CARD", show(ID, range(14)), "张*明", **HOME),
      partial("b", "CN_ID_CARD", show(OTHER_ID, range(14, 18)), "李*明", **HOME)],
     None),
    ("rows in different villages: no link",
     [partial("a", "CN_ID_CARD", show(ID, range(14)), "张*明", village="和平村", amount="560"),
      partial("b", "CN_ID_CARD", show(ID, range(14, 18)), "张*明", village="东风村", amount="560")],
     None),
    ("village alone plus a combined ID that passes the check: linked",
     [partial("a", "CN_ID_CARD", show(ID, range(14)), village="和平村"),
      partial("b", "CN_ID_CARD", show(ID, range(14, 18)), village="和平村")],
     18),
    ("village alone, combined ID fails the check (two people): no link",
     [partial("a", "CN_ID_CARD", show(ID, range(14)), village="和平村"),
      partial("b", "CN_ID_CARD", show(OTHER_ID, range(14, 18)), village="和平村")],
     None),
    ("one form shows all the other shows: nothing new",
     [partial("a", "CN_ID_CARD", first6_last4(ID), "张*明", **HOME),
      partial("b", "CN_ID_CARD", show(ID, {0, 1, 15, 16, 17}), "张*明", **HOME)],
     None),
    ("phone 3+4 and 7+0 of one recipient row: whole number",
     [partial("a", "PHONE_NUMBER", "138****5678", "张*明", **HOME),
      partial("b", "PHONE_NUMBER", "1381234****", "张*明", **HOME)],
     11),
    ("phone 3+4 and 7+0 sharing only the carrier prefix, no rows: no link",
     [partial("a", "PHONE_NUMBER", "138****5678"),
      partial("b", "PHONE_NUMBER", "1381234****")],
     None),
    ("name 张*明 and 张建* with village and amount: whole name",
     [partial("a", "PERSON", "张*明", **HOME), partial("b", "PERSON", "张建*", **HOME)],
     3),
    ("name pieces with the village only (the name is what is being linked): no link",
     [partial("a", "PERSON", "张*明", village="和平村"), partial("b", "PERSON", "张建*", village="和平村")],
     None),
    ("names that disagree on the surname never link",
     [partial("a", "PERSON", "张*明", **HOME), partial("b", "PERSON", "李建*", **HOME)],
     None),
]


def table(cases) -> dict:
    """parametrize arguments from (description, items, expected) rows; the description is the id."""
    return {"argvalues": [case[1:] for case in cases], "ids": [case[0] for case in cases]}


@pytest.mark.parametrize("items,revealed", **table(IDENTIFIER_CASES))
def test_complementary_masks(items, revealed):
    found = [item for item in run(*items) if item.kind == "LINKED_IDENTIFIER"]
    assert [item.revealed for item in found] == ([] if revealed is None else [revealed])
    if found:
        assert {p.path for p in found[0].places} == {i.place.path for i in items}


def test_triple_is_one_finding_with_three_places():
    items = [partial(path, "CN_ID_CARD", show(ID, positions), "张*明", **HOME)
             for path, positions in (("a", range(6)), ("b", range(6, 14)), ("c", range(14, 18)))]
    [found] = [item for item in run(*items) if item.kind == "LINKED_IDENTIFIER"]
    assert found.union == ID and found.revealed == 18 and len(found.places) == 3
    assert found.variant == "whole"


def test_birth_date_alone_is_a_leak_even_below_the_whole():
    items = [partial("a", "CN_ID_CARD", show(ID, range(10)), "张*明", **HOME),
             partial("b", "CN_ID_CARD", show(ID, range(8, 14)), "张*明", **HOME)]
    [found] = run(*items)[:1]
    assert found.variant == "birth_date" and found.revealed == 14


RECORD_CASES = [
    ("masked row matches a full-name row elsewhere: review",
     [partial("a", "PERSON", "张*明", **HOME), full("b", "r1", "张建明", **HOME)], "full_name"),
    ("the full side carries an ID: block",
     [partial("a", "PERSON", "张*明", **HOME), full("b", "r1", "张建明", {"CN_ID_CARD": ID}, **HOME)],
     "full_identifier"),
    ("same name in another village: no link",
     [partial("a", "PERSON", "张*明", **HOME), full("b", "r1", "张建明", village="东风村", amount="560")], None),
    ("same month, other amount and household (a namesake in the village): no link",
     [partial("a", "PERSON", "张*明", village="和平村", amount="560", household="3", period="2026-10"),
      full("b", "r1", "张建明", village="和平村", amount="420", household="2", period="2026-10")], None),
    ("the month alone is no evidence (every row of a monthly list shares it)",
     [partial("a", "PERSON", "张*明", village="和平村", period="2026-10"),
      full("b", "r1", "张建明", village="和平村", period="2026-10")], None),
    ("another month: amount changed, village and household agree: linked",
     [partial("a", "PERSON", "张*明", village="和平村", amount="560", household="3", period="2026-10"),
      full("b", "r1", "张建明", village="和平村", amount="600", household="3", period="2027-01")], "full_name"),
    ("only one row fact agrees: not specific enough",
     [partial("a", "PERSON", "张*明", village="和平村"), full("b", "r1", "张建明", village="和平村")], None),
    ("the visible name pieces differ: no link",
     [partial("a", "PERSON", "张*明", **HOME), full("b", "r1", "张建华", **HOME)], None),
    ("masked ID pieces match a full ID: block without row facts",
     [partial("a", "CN_ID_CARD", first6_last4(ID)), full("b", "r1", None, {"CN_ID_CARD": ID})], "full_identifier"),
    ("masked ID pieces of another person: no link",
     [partial("a", "CN_ID_CARD", first6_last4(ID)), full("b", "r1", None, {"CN_ID_CARD": OTHER_ID})], None),
    ("masked name in the table, full name in the introduction of the same document",
     [partial("a", "PERSON", "张*明", record="第2行", **HOME), full("a", "第1段", "张建明", **HOME)], "full_name"),
]


@pytest.mark.parametrize("items,variant", **table(RECORD_CASES))
def test_linkable_records(items, variant):
    found = [item for item in run(*items) if item.kind == "LINKED_RECORD"]
    assert [item.variant for item in found] == ([] if variant is None else [variant])
    assert all(len(item.places) == 2 for item in found)


def test_one_pattern_per_entity_is_not_flagged_two_are():
    same = [partial(p, "CN_ID_CARD", first6_last4(v)) for p, v in (("a", ID), ("b", OTHER_ID))]
    assert [i for i in run(*same) if i.kind == "MASK_PATTERN_MIXED"] == []
    mixed = same + [partial("c", "CN_ID_CARD", show(OTHER_ID, {0, 1, 15, 16, 17}))]
    [flag] = [i for i in run(*mixed) if i.kind == "MASK_PATTERN_MIXED"]
    assert [p.path for p in flag.places] == ["c"] and "6+8*+4×2" in flag.evidence


@pytest.mark.parametrize("shown,pattern", [("110105********1234", "6+8*+4"), ("138****5678", "3+4*+4"),
                                           ("张*明", "1+1*+1"), ("11****19900101****", "2+4*+8+4*")])
def test_mask_pattern(shown, pattern):
    assert mask_pattern(shown) == pattern


def test_agree_and_combine():
    assert agree("12**", "*2*4") and combine("12**", "*2*4") == "12*4"
    assert not agree("12**", "*3**") and not agree("12*", "12**")


def test_index_round_trips_through_json_and_holds_no_full_value():
    items = [partial("a", "PERSON", "张*明", **HOME), full("a", "r1", "张建明", {"CN_ID_CARD": ID}, **HOME)]
    [index] = indexes(*items)
    data = index.to_json()
    text = str(data)
    assert ID not in text and "张建明" not in text and "和平村" not in text
    again = LinkIndex.from_json(data)
    assert again.to_json() == data
    assert [i.kind for i in run(*again.partials, *again.fulls)] == ["LINKED_RECORD"]
