"""The shipped redaction profiles agree on which positions stay visible: for every entity (and
variant) and every length, one profile's visible positions contain the other's. So two copies of
one document redacted under different profiles never combine to more than either shows."""

from __future__ import annotations

from itertools import combinations

import pytest

from prepub_review.act.redact.visible import profile_action, shipped_profiles, visible_positions
from prepub_review.rules_loader import RulesSource
from tests.conftest import run_prepub

PROFILES = shipped_profiles(RulesSource())
LENGTHS = range(1, 25)


def entity_variants() -> set[tuple[str, str]]:
    found = {(entity, "") for p in PROFILES for entity in p.entities}
    found |= {(entity, variant) for p in PROFILES for entity, actions in p.entities.items() for variant in actions.variants}
    return found


def test_there_are_profiles_to_compare():
    assert len(PROFILES) >= 2


@pytest.mark.parametrize("first,second", list(combinations(PROFILES, 2)), ids=lambda p: p.name)
def test_every_pair_of_profiles_nests(first, second):
    for entity, variant in sorted(entity_variants()):
        for length in LENGTHS:
            a = visible_positions(profile_action(first, entity, variant), length)
            b = visible_positions(profile_action(second, entity, variant), length)
            assert a <= b or b <= a, (entity, variant, length, sorted(a), sorted(b))


def test_nesting_check_can_fail():
    from prepub_review.act.redact.profiles import Action

    first6_last4 = visible_positions(Action("mask", 6, 4), 18)
    first2_last3 = visible_positions(Action("mask", 2, 3), 18)
    birth_date = visible_positions(Action("mask", 14, 0), 18)
    assert first2_last3 <= first6_last4
    assert not (birth_date <= first6_last4 or first6_last4 <= birth_date)


def test_copies_redacted_under_every_profile_do_not_link(tmp_path):
    source = tmp_path / "名单.csv"
    source.write_text("序号,姓名,村/社区,家庭人口,保障金额,身份证号,联系电话,银行卡号\n"
                      "1,张建明,和平村,3,560,110105197209126064,13812345678,6222021234567890123\n", encoding="utf-8")
    outputs = tmp_path / "out"
    outputs.mkdir()
    for profile in PROFILES:
        run = run_prepub("redact", str(source), "--profile", profile.name, "-o", str(outputs / f"{profile.name}.csv"))
        assert run.code == 0, run.stderr
    run = run_prepub("check", "--format", "json", "--no-progress", str(outputs))
    assert run.json()["linkage"]["links"] == []
