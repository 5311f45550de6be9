"""The detection stage's shortcuts answer exactly as the plain computation they replace.

Each test spells out the plain definition (a loop over every length, every character, every
group) and compares it with the fast path on inputs that reach both sides of each shortcut:
words at the text's end, runs just inside and outside the length bounds, short and long texts.
"""

from __future__ import annotations

import random
import string

import pytest

from prepub_review.detect import context
from prepub_review.detect.context import Lexicon, line_end, line_start
from prepub_review.detect.engine import DetectionEngine, pack
from prepub_review.detect.recognizers import common
from prepub_review.detect.recognizers.address import (
    CHINESE_NUMERALS,
    AddressRecognizer,
    _is_address_char,
)
from prepub_review.detect.recognizers.bank_card import CnBankCardRecognizer
from prepub_review.detect.recognizers.common import SEPARATORS, Number, digit_runs, split_runs
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.detect.recognizers.person import PersonRecognizer
from prepub_review.models import Segment


@pytest.fixture(scope="module")
def person() -> PersonRecognizer:
    return PersonRecognizer()


@pytest.fixture(scope="module")
def address() -> AddressRecognizer:
    return AddressRecognizer()


# --- lines ----------------------------------------------------------------------------------------

def _plain_bounds(text: str, pos: int) -> tuple[int, int]:
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


@pytest.mark.parametrize("size", [0, 40, context.CACHE_MIN_CHARS + 500])
def test_line_start_and_end_match_a_plain_search(size):
    rng = random.Random(size)
    text = "".join(rng.choice("张三\n12 ：") for _ in range(size)) + "\n户主：李四\n"
    other = "x\n" * context.CACHE_MIN_CHARS        # primes the line cache with another long text
    for pos in range(len(text) + 1):
        line_end(other, rng.randrange(len(other)))
        assert (line_start(text, pos), line_end(text, pos)) == _plain_bounds(text, pos)
        assert (line_end(text, pos), line_start(text, pos)) == _plain_bounds(text, pos)[::-1]


# --- Lexicon ----------------------------------------------------------------------------------------

def test_lexicon_hits_carry_their_offsets_and_payloads():
    lexicon = Lexicon({"姓名": "a", "户主姓名": "b", "主": "c"})
    text = "户主姓名：张三，姓名"
    assert list(lexicon.finditer(text)) == [(1, 2, "主", "c"), (0, 4, "户主姓名", "b"), (2, 4, "姓名", "a"),
                                            (8, 10, "姓名", "a")]
    assert list(lexicon.longest(text)) == [(0, 4, "户主姓名", "b"), (8, 10, "姓名", "a")]
    assert lexicon.search(text) == "主" and lexicon.search("张三") is None
    assert list(Lexicon([]).finditer(text)) == [] and Lexicon([]).search(text) is None


# --- digit runs -----------------------------------------------------------------------------------

def _plain_split_runs(text, min_len, max_len, accept):
    """split_runs without its one-group shortcut: every run goes through the group splitter."""
    for match in digit_runs(min_len).finditer(text):
        if match.end() - match.start() < min_len:
            continue
        groups = [(g.start(), g.end()) for g in common._GROUP.finditer(text, match.start(), match.end())]
        yield from common._split_groups(text, groups, min_len, max_len, accept)


@pytest.mark.parametrize("min_len, max_len", [(12, 25), (15, 18), (11, 11)])
def test_split_runs_offers_the_same_numbers_as_the_group_splitter(min_len, max_len):
    rng = random.Random(min_len)
    pieces = []
    for _ in range(400):
        length = rng.choice([min_len - 1, min_len, max_len, max_len + 1, rng.randint(1, 30)])
        run = "".join(rng.choice(string.digits) for _ in range(max(length, 1)))
        if rng.random() < 0.3:
            run += "X"
        if rng.random() < 0.4:                               # a formatted number: several groups
            cut = rng.randint(1, len(run))
            run = run[:cut] + rng.choice([" ", "-", ".", "  "]) + run[cut:]
        pieces.append(run)
    text = "".join(p + rng.choice(["，", " 号", "\n", "元 ", "a"]) for p in pieces)

    def offered(splitter, take):
        seen = []

        def accept(number: Number):
            seen.append(number)
            return number if take(number) else None   # refusing some makes the splitter try sub-runs
        found = list(splitter(text, min_len, max_len, accept))
        return seen, found

    for take in (lambda n: False, lambda n: n.value.endswith(("1", "3", "X"))):
        assert offered(split_runs, take) == offered(_plain_split_runs, take)
    assert any(not set(n.value) & set(SEPARATORS) for n in offered(split_runs, lambda n: False)[0])


def test_bank_card_checks_a_number_value_as_its_presidio_validation_does():
    bank = CnBankCardRecognizer()
    for value in ["6222021234567890123", "6222021234567890124", "4111111111111111", "62220212345",
                  "330483199001011234", "622202123456789012345"]:
        assert bank._valid_digits(value) == bank.validate_result(value)


# --- person: word lookups by first or last character -------------------------------------------------

def _plain_stop_at(rec: PersonRecognizer, text: str, start: int, end: int) -> bool:
    if any(text[start:start + n] in rec.rules.stop_words for n in range(2, 5)):
        return True
    return any(text[i:i + n] in rec._inner_blockers for i in range(start + 1, end) for n in range(2, 5))


def _plain_right_boundary(rec: PersonRecognizer, text: str, end: int, stop: int) -> int:
    if end >= stop:
        return 3
    char = text[end]
    if not context.is_cjk(char):
        return 0 if char in rec.rules.mask_chars or char in "·•.・‧" else 3
    for length in range(min(rec._max_word, stop - end), 0, -1):
        if text[end:end + length] in rec.rules.followers:
            return 2 if length >= 2 else 1
    return 0


def _plain_opener_ending_at(rec: PersonRecognizer, text: str, pos: int, ls: int) -> int:
    for length in range(min(rec._max_word, pos - ls), 0, -1):
        if text[pos - length:pos] in rec.rules.openers:
            return length
    return 0


def _word_soup(rec: PersonRecognizer, seed: int) -> str:
    """Stop words, inner blockers, followers and openers glued to names, ending on a word."""
    rng = random.Random(seed)
    words = sorted(rec.rules.stop_words)[:200] + sorted(rec._inner_blockers) + sorted(rec.rules.followers) \
        + sorted(rec.rules.openers) + ["张三", "王小明", "欧阳娜娜", "李*", "，", " "]
    return "".join(rng.choice(words) for _ in range(300)) + rng.choice(sorted(rec.rules.followers))


def test_stop_at_matches_the_plain_lookup(person):
    text = _word_soup(person, 1)
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 6) + 1):
            assert person._stop_at(text, start, end) == _plain_stop_at(person, text, start, end), (start, end)


def test_boundaries_match_the_plain_lookup(person):
    text = _word_soup(person, 2)
    for end in range(len(text)):
        # a stop past the text's end too: there a slice comes back short (see _right_boundary)
        for stop in (end + 1, end + 3, len(text), len(text) + 2):
            assert person._right_boundary(text, end, stop) == _plain_right_boundary(person, text, end, stop)
        for ls in (0, max(0, end - 3)):
            assert person._opener_ending_at(text, end, ls) == _plain_opener_ending_at(person, text, end, ls)
    # a follower that ends the text, looked at with a stop past the end (as _dotted_end does)
    for follower in person.rules.followers:
        text = "张三" + follower
        for stop in (len(text), len(text) + 1, len(text) + 3):
            assert person._right_boundary(text, 2, stop) == _plain_right_boundary(person, text, 2, stop), follower


def test_given_name_characters_are_judged_alike_every_time(person):
    for given in ["明", "小明", "*", "某", "们", "1", "a", "明们", ""]:
        first = person._given_ok(given)
        assert person._given_ok(given) == first


# --- address: regexes standing for Python loops -----------------------------------------------------

def test_address_run_regex_accepts_exactly_the_address_characters(address):
    mask = address.rules.mask_chars
    sample = set(string.printable) | set(CHINESE_NUMERALS) | set(mask) | set("张村组号　，。：（）㐀䶿一鿿＃·") \
        | {chr(c) for c in range(0x3300, 0x3500)} | {chr(c) for c in range(0x9f00, 0xa100)}
    for char in sample:
        assert (address._address_run.fullmatch(char) is not None) == _is_address_char(char, mask), repr(char)


def test_candidate_lines_are_the_lines_with_a_unit_right_after_a_number(address):
    units = sorted(address._units)
    rng = random.Random(3)
    lines = ["".join(rng.choice(["幸福村", "3", "十", "A", "*", "-", "号", " ", "，"] + units) for _ in range(8))
             for _ in range(300)]
    text = "\n".join(lines)
    starts = {u[0] for u in units} | {"-"}
    ends = set("0123456789" + CHINESE_NUMERALS + string.ascii_letters + address.rules.mask_chars)
    plain = []
    for pos, char in enumerate(text):
        if char in starts and pos > 0 and text[pos - 1] in ends and (not plain or pos > plain[-1][1]):
            plain.append(_plain_bounds(text, pos))
    assert list(address._candidate_lines(text)) == plain
    assert plain   # the sample does hold such lines


# --- engine -------------------------------------------------------------------------------------

def test_blank_segments_are_skipped_and_labels_offset_the_text():
    engine = DetectionEngine([CnIdCardRecognizer()])
    blank = [Segment(text=t, location="空") for t in ["", " ", "\u3000\u3000", "\xa0\t\n"]]
    cell = Segment(text="330483199001011235", location="表格1", field="身份证号")
    hits = list(engine.detect(blank + [cell] + blank))
    assert [(h.segment.location, h.start, h.end) for h in hits] == [("表格1", 0, 18)]
    text, line_starts, text_starts, text_ends = pack([Segment(text="ab", location="1"), cell])
    assert text == "ab\n身份证号：330483199001011235"
    assert (line_starts, text_starts, text_ends) == ([0, 3], [0, 8], [2, 26])



def test_the_engine_builds_detections_equal_to_their_init():
    """The engine builds detections with Detection.from_fields: frozen, equal to the plain init."""
    import dataclasses

    from prepub_review.models import Detection

    cell = Segment(text="330483199001011235", location="表格1", field="身份证号")
    [hit] = DetectionEngine([CnIdCardRecognizer()]).detect([cell])
    fields = {f.name: getattr(hit, f.name) for f in dataclasses.fields(hit)}
    assert type(hit) is Detection and hit == Detection(**fields)
    assert (hit.entity, hit.variant, hit.start, hit.end) == ("CN_ID_CARD", "bad_checksum", 0, 18)
    assert hit.score == 0.4
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.start = 1

@pytest.mark.parametrize("text, name", [
    ("经查，买买提·艾力的手机号是13812345678。", "买买提·艾力"),
    ("经查，热依拉·买买提系幸福村村民，身份证号330483199001011234", "热依拉·买买提"),
])
def test_a_dotted_name_in_a_private_sentence_is_still_read(person, text, name):
    """The sentence is searched for a dotted name only when it holds a dot (a cheap test first)."""
    assert [text[c.start:c.end] for c in person.find(text)] == [name]
