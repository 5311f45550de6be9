"""CN_USCC: 统一社会信用代码 with a valid check character; 92... (个体工商户) is kept apart."""

from __future__ import annotations

import random

import pytest
from tests import synth
from tests.detect.helpers import found

from prepub_review.detect.recognizers.uscc import CnUsccRecognizer, uscc_check_char

RNG = random.Random(31)
ORG = synth.uscc(RNG, "91")
GOV = synth.uscc(RNG, "11")
INDIVIDUAL = synth.uscc(RNG, "92")
BAD = ORG[:-1] + ("0" if ORG[-1] != "0" else "1")


BOTH = synth.uscc_that_is_also_an_id()


@pytest.fixture(scope="module")
def recognizer() -> CnUsccRecognizer:
    return CnUsccRecognizer()


@pytest.mark.parametrize("text, expected", [
    (f"统一社会信用代码：{ORG}", [(ORG, "organisation")]),
    (ORG, [(ORG, "organisation")]),
    (f"机关{GOV}", [(GOV, "organisation")]),
    (f"个体户某某经营部，统一社会信用代码{INDIVIDUAL}", [(INDIVIDUAL, "individual_business")]),
    (f"统一社会信用代码：{BOTH}", [(BOTH, "organisation")]),    # all digits, label decides
    (BOTH, []),                                                   # all digits and a valid ID: an ID
    (BAD, []),                                                    # wrong check character
    (ORG.lower(), []),
    (f"A{ORG}", []),
    ("91330483MA2B3C4D5E", []),
])
def test_uscc(recognizer, text, expected):
    assert found(recognizer, text) == expected


def test_check_char_agrees_with_synth():
    rng = random.Random(2)
    for _ in range(200):
        value = synth.uscc(rng)
        assert uscc_check_char(value[:17]) == value[17]


def test_validate_result(recognizer):
    assert recognizer.validate_result(ORG)
    assert not recognizer.validate_result(BAD)
