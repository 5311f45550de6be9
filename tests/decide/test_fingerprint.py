"""Fingerprints name a finding by value and nearby words, never by position or display location."""

from prepub_review.fingerprint import DEFAULT_KEY, fingerprint, nearby_han
from prepub_review.pipeline import Checker

ID = "330483199001011237"


def _prints(checker: Checker, text: str) -> dict[str, str]:
    return {f.entity: f.fingerprint for f in checker.check_text(text)}


def test_an_edit_elsewhere_keeps_it_and_a_changed_value_changes_it():
    checker = Checker()
    base = _prints(checker, f"户主张三，身份证号{ID}，家住和平村")
    assert base["CN_ID_CARD"] == _prints(checker, f"另起一句。户主张三，身份证号{ID}，家住和平村")["CN_ID_CARD"]
    other = ID[:-2] + "45"
    assert base["CN_ID_CARD"] != _prints(checker, f"户主张三，身份证号{other}，家住和平村").get("CN_ID_CARD")


def test_masking_a_neighbouring_value_keeps_it():
    checker = Checker()
    raw = _prints(checker, f"户主张三，身份证号{ID}")
    masked = _prints(checker, "户主张三，身份证号330483********1237")
    assert raw["PERSON"] == masked["PERSON"]


def test_the_key_matters_and_nothing_raw_is_in_it():
    before, after = nearby_han(f"身份证号{ID}家住", 4, 22, [])
    one = fingerprint(DEFAULT_KEY, "CN_ID_CARD", ID, None, before, after)
    two = fingerprint(b"site salt", "CN_ID_CARD", ID, None, before, after)
    assert one != two and ID not in one and len(one) == 32
