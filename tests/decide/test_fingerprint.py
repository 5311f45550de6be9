"""Fingerprints name a finding by value and nearby words, never by position or display location."""

import pytest

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


def _reference_nearby_han(text: str, start: int, end: int, other: list[tuple[int, int]]) -> tuple[str, str]:
    """nearby_han by its definition: cut the sentence around the value out of its window, blank
    every other value's characters, take the Han characters nearest on each side."""
    import re

    from prepub_review.fingerprint import NEARBY_HAN, SENTENCE_ENDS, WINDOW

    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    first = max([lo] + [i + 1 for i in range(lo, start) if text[i] in SENTENCE_ENDS])
    last = min([hi] + [i for i in range(end, hi) if text[i] in SENTENCE_ENDS])
    blanked = list(text)
    for s, e in other:
        for i in range(max(s, 0), min(e, len(text))):
            blanked[i] = " "
    han = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
    before = han.findall("".join(blanked[first:start]))[-NEARBY_HAN:]
    after = han.findall("".join(blanked[end:last]))[:NEARBY_HAN]
    return "".join(before), "".join(after)


def test_nearby_han_matches_its_definition_on_random_text():
    import random

    rng = random.Random(7)
    alphabet = "户主张三李四家住和平村号码电话12345 ，。；!?\n\tAB豈"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 320)))
        start = rng.randint(0, len(text) - 1)
        end = rng.randint(start, min(len(text), start + 20))
        other = []
        for _ in range(rng.randint(0, 6)):
            s = rng.randint(0, len(text) - 1)
            other.append((s, rng.randint(s, min(len(text), s + 30))))
        assert nearby_han(text, start, end, other) == _reference_nearby_han(text, start, end, other), \
            (text, start, end, other)


def test_fingerprint_is_the_hmac_of_its_material_under_each_key():
    import hmac

    from prepub_review.fingerprint import normalise_value

    for key in (DEFAULT_KEY, b"site salt", b"k" * 200, DEFAULT_KEY):   # a long key is hashed first
        for value, field in ((ID, None), ("１３９ 1234 5678", "联系电话"), ("张三", "姓名")):
            material = "\x1f".join(("E", normalise_value(value), field or "", "前", "后")).encode()
            assert fingerprint(key, "E", value, field, "前", "后") == \
                hmac.digest(key, material, "sha256").hex()[:32]


@pytest.mark.parametrize("key", [b"", b"k", DEFAULT_KEY, b"x" * 64, b"y" * 65, bytes(range(256))])
def test_the_keyed_hash_is_hmac_sha256(key):
    import hmac

    from prepub_review.fingerprint import _KeyedSha256

    keyed = _KeyedSha256(key)
    for message in (b"", "PERSON\x1f张三\x1f姓名\x1f户主\x1f".encode(), bytes(range(256)) * 3):
        assert keyed.hexdigest(message) == hmac.new(key, message, "sha256").hexdigest()
    assert fingerprint(key, "PERSON", "张三", None, "", "") == \
        hmac.new(key, "PERSON\x1f张三\x1f\x1f\x1f".encode(), "sha256").hexdigest()[:32]
