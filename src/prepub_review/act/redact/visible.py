"""Which positions of a value a redaction profile leaves visible, per entity and length.

Used to hold the shipped profiles to one rule (two copies redacted under different profiles never
combine to more than either shows: their visible positions are nested) and by linkage to know what
the strictest profile allows (decide/linkage.py).
"""

from __future__ import annotations

from collections.abc import Callable

from prepub_review.act.masking import MASK_CHAR, mask_value
from prepub_review.act.redact import operators
from prepub_review.act.redact.profiles import Action, Profile, load_profile, profile_names
from prepub_review.decide.policy import MaskSpec, Policy
from prepub_review.rules_loader import RulesSource

SAMPLE_NAME = "甲乙丙丁戊己庚辛" * 4      # no compound surname among these
SAMPLE_DIGITS = "1234567890" * 4        # longer than any identifier (labelled account numbers run past 19)
AS_DISPLAYED = Action("mask", style="display")


def visible_positions(action: Action, length: int, display: MaskSpec = MaskSpec(0, 0)) -> frozenset[int]:
    """Positions of a `length`-character value that `action` leaves visible; `display` is how reports
    show the value (rules/policy `mask`), which a `style: display` mask publishes."""
    if action.kind == "drop":
        return frozenset()
    if action.kind in ("keep", "generalise"):
        return frozenset(range(length))
    if action.style == "name":
        masked = operators.mask_name(SAMPLE_NAME[:length], frozenset())
    elif action.style == "display":
        masked = mask_value(SAMPLE_DIGITS[:length], display)
    else:
        masked = operators.mask_keep(SAMPLE_DIGITS[:length], action.keep_prefix, action.keep_suffix)
    return frozenset(i for i, ch in enumerate(masked) if ch != MASK_CHAR)


def displayed_positions(spec: MaskSpec, length: int) -> frozenset[int]:
    """Positions of a `length`-character value that a report shows (rules/policy `mask`)."""
    return visible_positions(AS_DISPLAYED, length, spec)


def shipped_profiles(rules: RulesSource) -> list[Profile]:
    return [load_profile(rules, name) for name in profile_names(rules)]


def profile_action(profile: Profile, entity: str, variant: str = "") -> Action:
    """What a profile does with a reported (block) value of this entity."""
    return profile.action_for(entity, variant, "block")


def strictest_allowance(rules: RulesSource, policy: Policy) -> Callable[[str, int], int]:
    """(entity, length) -> how many characters the strictest profile that shows the entity at all
    leaves visible (a profile that drops it sets no shape; if every profile drops it, 0). `policy`
    says how reports display each entity, which a `style: display` mask publishes."""
    profiles = shipped_profiles(rules)
    cache: dict[tuple[str, int], int] = {}

    def allowance(entity: str, length: int) -> int:
        if (entity, length) not in cache:
            actions = [profile_action(p, entity) for p in profiles]
            display = policy.mask_spec(entity)
            cache[(entity, length)] = min(
                (len(visible_positions(a, length, display)) for a in actions if a.kind != "drop"), default=0)
        return cache[(entity, length)]

    return allowance
