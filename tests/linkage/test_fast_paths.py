"""The shortcuts that keep linkage cheap must not change what it finds: the keyed hash of pieces,
the blocking of LINKED_RECORD candidates by shared row facts, and the pruning of full records."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prepub_review.decide import linkage
from prepub_review.decide.linkage import LINKED_RECORD, link
from prepub_review.decide.linkage_index import (
    MASKED_TOKEN,
    SHORTEST_TOKEN,
    TOKEN_MASKS,
    LinkIndex,
    Reading,
    _canonical,
    field_hash,
    full_pieces,
    keep_positions,
    keyed_hasher,
    link_json,
    masked_piece,
    piece_hash,
    prose_fields,
    shown_identifier,
    visible_positions,
)
from prepub_review.decide.linkage_rules import LinkRules
from prepub_review.errors import RulesError
from prepub_review.models import Segment
from prepub_review.rules_loader import RulesSource, shipped_rules_dir
from tests.linkage.helpers import RULES, full, indexes, partial

VILLAGES = ["和平村", "东风村", "红旗村", "新华村"]


def allowance(entity: str, length: int) -> int:
    return 5 if entity == "CN_ID_CARD" else 2 if length >= 3 else 1


def test_pieces_compare_characters_as_the_audit_trail_does():
    # ValueKey.digest's reading: full width to ASCII, letters and digits only, upper case
    assert _canonical("ａｂ-1２·张") == "AB12张"
    assert _canonical("110105") == "110105" and _canonical("张建明") == "张建明"
    hasher = keyed_hasher(b"k" * 32)
    assert piece_hash(hasher, "N", "ＡＢ张", range(3)) == piece_hash(hasher, "N", "ab张", range(3))
    assert piece_hash(hasher, "N", "AB张", range(3)) != piece_hash(hasher, "N", "AC张", range(3))


@pytest.mark.parametrize("shown", ["110105********1234", "11****19900307****", "**************123X",
                                   "138****5678", "*" * 11, "张*明", "王**", "*建明", "ａ*Ｂ"])
def test_a_masked_form_hashes_as_the_projection_onto_its_visible_positions(shown):
    hasher = keyed_hasher(b"k" * 32)
    bits, digest = masked_piece(hasher, "CN", shown)
    assert bits == "".join("1" if i in visible_positions(shown) else "0" for i in range(len(shown)))
    assert digest == piece_hash(hasher, "CN", shown, visible_positions(shown))


@pytest.mark.parametrize("value", ["110105197209126064", "11010519720912606x", "１１０１０５１９７２０９１２６０６４",
                                   "13812345678", "6222021234567890123", "622202123456789"])
def test_full_pieces_hash_each_pattern_as_its_projection(value):
    hasher = keyed_hasher(b"k" * 32)
    for patterns in [spec.full_patterns for spec in RULES.identifiers.values()] + [((6, 4), (6, 4), (20, 3), (0, 0))]:
        expected = dict.fromkeys(piece_hash(hasher, "CN", value, keep_positions(len(value), prefix, suffix))
                                 for prefix, suffix in patterns)
        assert full_pieces(hasher, "CN", value, patterns) == list(expected)


def test_a_masked_form_hashes_the_same_under_any_hasher_of_the_key():
    # masked_piece continues keyed_hasher's BLAKE2b state; a hasher without one hashes the material
    hasher = keyed_hasher(b"k" * 32)

    def plain(material: str) -> str:
        return hasher(material)

    for shown in ("110105********1234", "张*明"):
        assert masked_piece(plain, "CN", shown) == masked_piece(hasher, "CN", shown)


@pytest.mark.parametrize("mask", TOKEN_MASKS)
def test_the_reading_keeps_a_digit_run_masked_with_any_token_mask(mask):
    reading = Reading(RULES)
    reading.add(Segment(f"身份证号 110105{mask * 8}1234，家住和平村", "第1段"))
    reading.add(Segment("和平村 3人 560元", "第2段"))
    assert [kept[1] for kept in reading.masked] == ["第1段"]


def test_the_reading_skips_texts_too_short_for_a_masked_token():
    assert MASKED_TOKEN.fullmatch("1" * SHORTEST_TOKEN) and not MASKED_TOKEN.search("1" * (SHORTEST_TOKEN - 1))
    reading = Reading(RULES)
    reading.add(Segment("138****567", "短"))
    reading.add(Segment("138****5678", "长"))
    assert [kept[1] for kept in reading.masked] == ["长"]


@pytest.mark.parametrize("token, shown", [
    ("110105XXXXXXXX1234", "110105********1234"), ("110105xxxxxxxx123X", "110105********123X"),
    ("11010519900101123x", "11010519900101123X"), ("138××××5678", "138****5678"), ("138＊＊＊＊567X", "138****567*")])
def test_a_token_shows_its_masks_as_stars_and_keeps_a_check_digit_x(token, shown):
    assert shown_identifier(token) == shown


def test_pieces_are_keyed():
    material = "CN18P111111000000001111V1101051234"
    one, two = keyed_hasher(b"1" * 32)(material), keyed_hasher(b"2" * 32)(material)
    assert one != two and len(one) == 32
    assert one not in (hashlib.blake2b(material.encode(), digest_size=16).hexdigest(),
                       hashlib.sha256(material.encode()).hexdigest()[:32])
    assert keyed_hasher(b"1" * 32)(material) == one


def crowd(seed: int):
    """A masked 王* and many full names 王X with random facts: a bucket far above _FactBlocks.SMALL."""
    rng = random.Random(seed)
    items = [partial("lists", "PERSON", "王*", village="和平村", amount="560", household="3", period="2026-10")]
    for n in range(60):
        facts = {"village": rng.choice(VILLAGES), "amount": rng.choice(["560", "420"]),
                 "household": rng.choice(["3", "2"])}
        if rng.random() < 0.3:
            facts["period"] = rng.choice(["2026-10", "2026-11"])
        items.append(full(f"news{n}", "r1", "王" + "建明华国英兰秀玉春红伟芳"[n % 12], **facts))
    return items


def test_blocking_by_shared_facts_finds_what_comparing_every_candidate_finds(monkeypatch):
    for seed in range(5):
        items = crowd(seed)
        blocked = link(indexes(*items), RULES, allowance).links
        monkeypatch.setattr(linkage._FactBlocks, "SMALL", 10**9)    # every candidate compared
        everyone = link(indexes(*items), RULES, allowance).links
        monkeypatch.undo()
        assert blocked == everyone
        assert [item.kind for item in blocked if item.kind == LINKED_RECORD]   # the crowd holds matches


def test_reading_the_run_leaves_out_only_full_records_no_masked_form_matches():
    items = crowd(1) + [full("roster", "r9", "李建国", {"CN_ID_CARD": "110105197209126064"}, village="东风村",
                             amount="300")]
    data = [(index.path, index.to_json()) for index in indexes(*items)]
    read = link_json(data)
    kept = {index.path: len(index.fulls) for index in read}
    assert kept["roster"] == 0 and sum(kept.values()) > 0
    everything = [LinkIndex.from_json(d, path) for path, d in data]
    assert link(read, RULES, allowance).links == link(everything, RULES, allowance).links


def test_a_full_name_with_too_few_facts_is_not_indexed_one_with_an_id_is(tmp_path):
    from prepub_review.linking import SiteLinkage
    from prepub_review.pipeline import Checker

    table = tmp_path / "名单.csv"
    table.write_text("序号,姓名,村/社区,身份证号\n1,张建明,和平村,\n2,李建国,和平村,110105197209126064\n",
                     encoding="utf-8")
    checker = Checker()
    site = SiteLinkage(checker.rules, checker.policy).observe(checker)
    checker.check_file(table)
    [index] = site.indexes()
    assert [sorted(f.carries) for f in index.fulls] == [["CN_ID_CARD", "PERSON"]]
    assert visible_positions("张*明") == frozenset({0, 2})


def test_combined_ids_are_checked_by_the_checkers_own_id_recognizer(monkeypatch):
    from prepub_review.detect.recognizers import id_card
    from prepub_review.linking import SiteLinkage
    from prepub_review.pipeline import Checker

    checker = Checker()
    built = []
    monkeypatch.setattr(id_card.CnIdCardRecognizer, "__init__",
                        lambda self, *a, **k: built.append(self) or None)   # any new one would be seen
    site = SiteLinkage(checker.rules, checker.policy).observe(checker)
    assert site.id_valid("110105197209126064") and not site.id_valid("110105197209126065")
    assert built == []
    monkeypatch.undo()
    alone = SiteLinkage(checker.rules, checker.policy)    # no checker seen: one of its own, made when needed
    assert alone.id_valid("110105197209126064") and not alone.id_valid("110105197209126065")


def _collected_site(tmp_path):
    from prepub_review.linking import SiteLinkage
    from prepub_review.pipeline import Checker

    table = tmp_path / "名单.csv"
    table.write_text("序号,姓名,村/社区,身份证号,联系电话\n1,张*明,和平村,110105********6064,138****5678\n"
                     "2,李建国,和平村,110105197209126064,13812345678\n", encoding="utf-8")
    checker = Checker()
    site = SiteLinkage(checker.rules, checker.policy, keep_indexes=False).observe(checker)
    return checker, site.collector, table


def test_kept_segments_are_nothing_for_the_cycle_collector(tmp_path):
    import gc

    checker, collector, table = _collected_site(tmp_path)
    kept = []
    collector.document = lambda result: kept.extend(collector._reading.masked)   # look before they are let go
    checker.check_file(table)
    gc.collect()
    assert kept and not any(gc.is_tracked(segment) for segment in kept)


def test_an_index_is_built_with_the_collector_paused_and_reads_the_same(tmp_path, monkeypatch):
    import gc

    checker, collector, table = _collected_site(tmp_path)
    seen = []
    build = LinkIndex.from_reading

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(LinkIndex, "from_reading", watched)
    result = checker.check_file(table)
    assert seen == [False] and gc.isenabled()
    kept = collector._reading
    assert result.observed["linkage"]["partials"][0]   # the entity column: partials were kept
    gc.disable()
    try:
        checker.check_file(table)
        assert not gc.isenabled()          # a caller's own pause is left as it was
    finally:
        gc.enable()
    assert collector._reading is not kept and not (kept.cells or kept.prose or kept.bare or kept.masked)   # nothing held


def test_linking_a_run_leaves_nothing_frozen():
    import gc

    from prepub_review.cli.check import GateRun

    class Linkage:
        def link(self, indexes):
            return gc.get_freeze_count() > 0, list(indexes)

    run = GateRun(None, None, None, None, None, None, None, None, None, Linkage())
    assert run.link() == (True, []) and gc.get_freeze_count() == 0


def test_remembered_fact_and_masked_form_hashes_are_those_of_their_own_key_kind_and_value():
    one, two = keyed_hasher(b"1" * 32), keyed_hasher(b"2" * 32)
    for hasher in (one, two, one):     # remembered for the run: asked again, under another key, and again
        for kind, value in (("village", "和平村"), ("amount", "3"), ("household", "3")):
            assert field_hash(hasher, kind, value) == piece_hash(hasher, f"F{kind}", value, range(len(value)))
        for shown in ("110105********1234", "张*明"):
            assert masked_piece(hasher, "CN", shown)[1] == piece_hash(hasher, "CN", shown, visible_positions(shown))
    assert field_hash(one, "amount", "3") != field_hash(one, "household", "3")
    assert field_hash(one, "village", "和平村") != field_hash(two, "village", "和平村")
    assert masked_piece(one, "CN", "110105********1234") != masked_piece(two, "CN", "110105********1234")


def test_a_rows_blocking_facts_are_its_name_pieces_showing_two_characters_and_its_facts():
    from prepub_review.decide.linkage import LinkReport, _Linker
    from prepub_review.decide.linkage_index import NameForm, Row

    name = NameForm(3, None, {"100": "a", "110": "b", "101": "c", "111": "d"})
    the_row = Row({"village": "v", "amount": "", "name": "n", "household": "h"}, name)
    linker = _Linker(RULES, allowance, lambda _: False, LinkReport())
    facts, anchors = linker._row_facts(the_row)
    assert facts == [("name", "110:b"), ("name", "101:c"), ("name", "111:d"), ("village", "v"), ("household", "h")]
    assert anchors == {fact for fact in facts if fact[0] in RULES.anchor_fields}
    assert linker._row_facts(Row({"village": "v"}))[0] == [("village", "v")]


def test_a_document_read_as_it_streams_indexes_as_when_read_whole(tmp_path):
    """The collector reads each segment once as it passes (Reading) and starts afresh per document:
    its index is the one built from the document's segments held whole."""
    from prepub_review.decide.linkage_index import Reading
    from prepub_review.formats.document import open_document

    checker, collector, table = _collected_site(tmp_path)
    prose = tmp_path / "news.txt"
    prose.write_text("张建明户，东风村，2人，月保障金420元，身份证号 110105********6064。\n", encoding="utf-8")
    for path in (table, prose, table):
        streamed = checker.check_file(path)
        with open_document(path, checker.limits) as document:
            whole = checker.check_document(document, keep_segments=True)
        reading = Reading(collector.rules)
        for segment in whole.segments:
            reading.add(segment)
        built = LinkIndex.from_reading(str(path), reading, whole.findings, collector.hasher).to_json()
        assert streamed.observed["linkage"] == built and built["partials"][0]


# --- prose facts: a line holding none of a fact's `needs` words is not searched -----------------------

@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 .年月日人口民元村社区和平东风，、：户共计xX*", max_size=40))
def test_every_prose_fact_a_pattern_matches_holds_one_of_its_needed_words(text):
    for kind, (pattern, needs) in RULES.prose_fields.items():
        match = pattern.search(text)
        if match is not None:
            assert any(word in match.group() for word in needs), (kind, text)


def test_prose_facts_are_those_every_line_searched_would_give():
    searched_everywhere = RULES._replace(prose_fields={kind: field._replace(needs=())
                                                       for kind, field in RULES.prose_fields.items()})
    lines = ["张建明户，和平村，3人，月保障金560元，2024年3月起", "全年共发放资金1200万元。", "发放临时救助金420元", "东风社区 2口",
             "2024 年 11 月", "本村人民", "", "城乡低保对象12人"]
    for line in lines:
        assert prose_fields(line, RULES) == prose_fields(line, searched_everywhere), line
    assert prose_fields(lines[0], RULES) == {"village": "和平村", "household": "3", "amount": "560",
                                             "period": "2024-03"}


def test_a_prose_fact_is_a_pattern_or_a_pattern_with_its_needed_words(tmp_path):
    shipped = (shipped_rules_dir() / "linkage.yaml").read_text(encoding="utf-8")
    (tmp_path / "linkage.yaml").write_text(
        shipped.replace("  amount: {pattern: '(\\d{2,6}(?:\\.\\d{1,2})?)\\s*元', needs: [元]}",
                        "  amount: '(\\d{2,6})\\s*元'"), encoding="utf-8")
    amount = LinkRules.load(RulesSource(tmp_path)).prose_fields["amount"]
    assert amount.pattern.pattern == r"(\d{2,6})\s*元" and amount.needs == ()
    (tmp_path / "linkage.yaml").write_text(shipped.replace("needs: [元]", "need: [元]"), encoding="utf-8")
    with pytest.raises(RulesError, match="未知的键「need」"):
        LinkRules.load(RulesSource(tmp_path))
