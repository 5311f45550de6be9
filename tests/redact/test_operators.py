import pytest

from prepub_review.act.redact.operators import generalise_address, mask_keep, mask_name
from prepub_review.act.redact.profiles import load_profile
from prepub_review.errors import RulesError
from prepub_review.rules_loader import RulesSource

COMPOUND = frozenset({"欧阳", "司马", "诸葛"})


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"), ("张三明", "张*明"), ("欧阳娜娜", "欧阳**"), ("欧阳明", "欧阳*"),
    ("司马相如", "司马**"), ("王", "*"), ("阿依古丽·买买提", "阿***·***"), ("张晓明华", "张**华"),
    ("王　芳", "王　*"), ("李  强", "李  *"), ("欧阳 娜娜", "欧阳 **"),      # padding kept, the given name masked
])
def test_mask_name(name, masked):
    assert mask_name(name, COMPOUND) == masked


@pytest.mark.parametrize("value, prefix, suffix, masked", [
    ("33048319900101123X", 2, 3, "33*************23X"),
    ("330483199001011234", 0, 0, "******************"),
    ("13812345678", 3, 4, "138****5678"),
    ("１３８１２３４５６７８", 3, 4, "１３８****５６７８"),       # full-width digits count as characters
    ("138-1234-5678", 3, 4, "138-****-5678"),
    ("6222021234567890123", 0, 4, "***************0123"),
])
def test_mask_keep(value, prefix, suffix, masked):
    assert mask_keep(value, prefix, suffix) == masked


def test_mask_keep_never_reveals_birth_date_of_id():
    masked = mask_keep("330483199001011234", 2, 3)
    assert "19900101" not in masked and len(masked) == 18


@pytest.mark.parametrize("level, expected", [("village", "石桥镇和平村"), ("township", "石桥镇")])
def test_generalise_address(level, expected):
    attrs = {"keep_village": 6, "keep_township": 3}
    assert generalise_address("石桥镇和平村3组12号", attrs, level) == expected


def test_generalise_address_without_levels_removes_it():
    assert generalise_address("3组12号", {"keep_village": 0, "keep_township": 0}, "village") == ""


def test_shipped_profiles_load():
    rules = RulesSource()
    recipients = load_profile(rules, "assistance-recipients")
    assert recipients.action_for("CN_ID_CARD", "valid", "block").kind == "drop"
    assert recipients.action_for("ADDRESS", "door_level", "block").level == "village"
    assert recipients.action_for("PERSON", "official", "info").kind == "keep"
    assert load_profile(rules, "web-general").action_for("ADDRESS", "door_level", "block").level == "township"


@pytest.mark.parametrize("body, message", [
    ("name: bad\nlabel: x\nentities:\n  CN_ID_CARD: {action: burn}\n", "action"),
    ("name: bad\nlabel: x\nentities:\n  ADDRESS: {action: generalise}\n", "level"),
    ("name: bad\nlabel: x\nentities:\n  CN_ID_CARD: {action: mask, keep_prefx: 2}\n", "keep_prefx"),
    ("name: other\nlabel: x\nentities: {}\n", "name"),
    ("label: x\nentities: {}\n", "name"),
])
def test_malformed_profile_names_file_line_and_key(tmp_path, body, message):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(RulesError) as error:
        load_profile(RulesSource(tmp_path), "bad")
    assert "bad.yaml" in str(error.value) and message in str(error.value)


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(RulesError, match="assistance-recipients"):
        load_profile(RulesSource(), "nope")
