"""The shipped redaction profiles agree on which positions stay visible: for every entity (and
variant) and every length, one profile's visible positions contain the other's. So two copies of
one document redacted under different profiles never combine to more than either shows."""

from __future__ import annotations

from itertools import combinations

import pytest

from prepub_review.act.redact.visible import displayed_positions, profile_action, shipped_profiles, visible_positions
from prepub_review.decide.policy import Policy
from prepub_review.rules_loader import RulesSource
from tests.conftest import run_prepub

PROFILES = shipped_profiles(RulesSource())
POLICY = Policy.load(RulesSource())
LENGTHS = range(1, 25)
# A 身份证号 is 15 or 18 characters (the recognizer finds no other): at impossible lengths such as 8,
# masking can only shrink 6+4 and 2+3 to different splits.
VALUE_LENGTHS = {"CN_ID_CARD": (15, 18)}


def entity_variants() -> set[tuple[str, str]]:
    """Every entity and variant a profile or the policy names (unlisted ones meet the profile's default)."""
    found = {(entity, "") for p in PROFILES for entity in p.entities}
    found |= {(entity, variant) for p in PROFILES for entity, actions in p.entities.items() for variant in actions.variants}
    found |= {(entity, variant) for entity, policy in POLICY.entities.items() for variant in policy.variants}
    return found


def published(profile, entity: str, variant: str, length: int) -> frozenset[int]:
    return visible_positions(profile_action(profile, entity, variant), length, POLICY.mask_spec(entity, variant))


def test_there_are_profiles_to_compare():
    assert len(PROFILES) >= 2


@pytest.mark.parametrize("first,second", list(combinations(PROFILES, 2)), ids=lambda p: p.name)
def test_every_pair_of_profiles_nests(first, second):
    for entity, variant in sorted(entity_variants()):
        for length in LENGTHS:
            a = published(first, entity, variant, length)
            b = published(second, entity, variant, length)
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


# --- what reports show agrees with what the profiles publish --------------------------------------

@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_report_display_nests_with_every_profile(profile):
    """A terminal report or CI log of a value, beside the copy published under any profile, shows no
    more than the larger of the two: a landline shown as 057*-****2345 in a log and published as
    0573-******45 would together give away 0573-****2345."""
    for entity, variant in sorted(entity_variants()):
        for length in VALUE_LENGTHS.get(entity, LENGTHS):
            shown = displayed_positions(POLICY.mask_spec(entity, variant), length)
            out = published(profile, entity, variant, length)
            assert shown <= out or out <= shown, (entity, variant, length, sorted(shown), sorted(out))


def test_a_landline_shows_in_reports_as_it_is_published(tmp_path):
    source = tmp_path / "名单.csv"
    source.write_text("序号,姓名,村/社区,联系电话\n1,张建明,和平村,0573-88012345\n", encoding="utf-8")
    run = run_prepub("check", "--format", "json", "--no-progress", str(source))
    phones = [f for d in run.json()["documents"] for f in d["findings"] if f["entity"] == "PHONE_NUMBER"]
    assert [f["text"] for f in phones] == ["0573-******45"]
    out = tmp_path / "out.csv"
    assert run_prepub("redact", str(source), "--profile", "web-general", "-o", str(out)).code == 0
    assert "0573-******45" in out.read_text(encoding="utf-8")
