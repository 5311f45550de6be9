"""ADDRESS: addresses below village/community level (组, 门牌, 栋, 单元, 室) are found whole, with their
levels; administrative place names, 文号, dates and 工作组 are not addresses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests import synth
from tests.detect.helpers import example, found

from prepub_review.decide.policy import parse_entity_policy
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.recognizers.address import AddressRecognizer
from prepub_review.errors import RulesError
from prepub_review.models import Segment, Severity, Zone
from prepub_review.rules_loader import RulesSource, shipped_rules_dir



@pytest.fixture(scope="module")
def recognizer() -> AddressRecognizer:
    return AddressRecognizer()


# --- door-level addresses of persons -------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("住址：浙江省桐乡市石门镇和平村3组12号", "浙江省桐乡市石门镇和平村3组12号"),
    ("家庭住址：和平村3组", "和平村3组"),
    ("家住石桥镇和平村三组", "石桥镇和平村三组"),
    ("户主张三，家住和平村5组18号，因病致贫", "和平村5组18号"),
    ("村民李四住和平村第二村民小组", "和平村第二村民小组"),
    ("张家湾村3组", "张家湾村3组"),
    ("和平街道幸福社区8组", "和平街道幸福社区8组"),
    ("地址：杭州市西湖区文三路88号阳光小区3号楼2单元501室", "杭州市西湖区文三路88号阳光小区3号楼2单元501室"),
    ("人民路12号3栋2单元301室", "人民路12号3栋2单元301室"),
    ("幸福小区12-3-501", "幸福小区12-3-501"),
    ("家住凤凰小区A座1502室", "凤凰小区A座1502室"),
    ("清河社区翠苑小区23幢4单元101", "清河社区翠苑小区23幢4单元101"),
    ("联丰村14组42-4号", "联丰村14组42-4号"),
    ("振兴东路5弄29号", "振兴东路5弄29号"),
    ("东升村沈家坝21号", "东升村沈家坝21号"),
    ("南门社区王家浜26号", "南门社区王家浜26号"),
    ("现住址：锦绣家园30栋602室", "锦绣家园30栋602室"),
    ("居住地：城关镇东街村7组", "城关镇东街村7组"),
    ("住址：梧桐街道１２号", "梧桐街道１２号"),               # full-width digits
    ("户籍地：黄村镇新丰村十一组", "黄村镇新丰村十一组"),
    # a word before the name is no part of it
    ("其中和平村3组人口最多", "和平村3组"),
    ("其余和平村3组农户已转移", "和平村3组"),
    ("中和村3组王德福", "中和村3组"),
    # a group named, not numbered, under a person's address label
    ("家庭住址：和平村王家湾组", "和平村王家湾组"),
    ("户主张德福，家住和平村王家湾组，因病致贫", "和平村王家湾组"),
    ("住址：石桥镇和平村沈家坝组12号", "石桥镇和平村沈家坝组12号"),
])
def test_door_level_addresses(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "door_level")]


def test_levels_and_generalisation_offsets(recognizer):
    text = "住址：浙江省桐乡市石门镇和平村3组12号"
    [cand] = recognizer.find(text)
    assert cand.attrs["levels"] == [("province", "浙江省"), ("city", "桐乡市"), ("township", "石门镇"),
                                    ("village", "和平村"), ("group", "3组"), ("door", "12号")]
    address = text[cand.start:cand.end]
    assert address[:cand.attrs["keep_village"]] == "浙江省桐乡市石门镇和平村"
    assert address[:cand.attrs["keep_township"]] == "浙江省桐乡市石门镇"
    assert cand.attrs["label"] == "private"


def test_city_names_are_split_at_the_right_suffix(recognizer):
    [cand] = recognizer.find("杭州市西湖区文三路88号")
    assert [level for level, _ in cand.attrs["levels"]] == ["city", "county", "road", "door"]
    assert cand.attrs["levels"][0] == ("city", "杭州市")


# --- an office's address ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("主办单位:鄂州市民政局 地址:鄂州市凤凰北路21号 联系人:何威", "鄂州市凤凰北路21号"),
    ("办公地址：桐乡市庆丰中路1号", "桐乡市庆丰中路1号"),
    ("市民政局位于人民路88号", "人民路88号"),
    ("人民路1号行政中心3楼", "人民路1号行政中心3楼"),
    ("办公地址：桐溪市桐\n溪区人民路99号。", "溪区人民路99号"),      # a PDF line wrap after the label
])
def test_office_addresses(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "institution")]


# --- already masked --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("和平村*组*号", "和平村*组*号"),
    ("XX镇XX村XX组", "XX镇XX村XX组"),
    ("住址：幸福小区×栋×单元×室", "幸福小区×栋×单元×室"),
])
def test_masked_addresses(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "masked")]


# --- not addresses -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "桐乡市",
    "三元区",
    "XX镇XX村",
    "XX街道XX社区",
    "石门镇和平村",
    "家住石门镇和平村",                                   # village level only: publishable
    "民发〔2021〕57号",
    "国办发〔2010〕57号",
    "鄂ICP备05017375号 鄂公网安备 42070402000203号",
    "第3号",
    "分成第5组开展工作",
    "工作组共分3组，第5组负责入户核查",
    "全区5组督查",
    "12月3号召开会议",
    "于2023年12月3号完成",
    "全市有低保2909户4696人",
    "共发放慰问金108.4万元，救助1.03万人次",
    "充实全市12个镇(街道)15个村(社区)避灾安置点的物资储备",
    "统一组织开展",
    "发布日期：2021-01-01",
    "电话：(027)60896800",
    "会议在3楼301室召开",
    "市政府2号令",
    # a named group without a person's address label is a team, not a place
    "和平村工作组进驻以来，走访农户120户。",
    "和平村王家湾组",
])
def test_not_addresses(recognizer, text):
    assert found(recognizer, text) == []


def test_no_match_across_lines(recognizer):
    assert found(recognizer, "和平村\n3组12号") == []


# --- generated addresses in templates ------------------------------------------------------------------

TOWNS = ["石门", "崇福", "龙泉", "青山", "城关", "梧桐", "凤鸣", "洲泉", "河山"]
VILLAGES = ["和平", "红星", "新丰", "东升", "柳湾", "张家湾", "李家庄", "马头", "高桥", "双河", "清水"]
ROADS = ["人民", "解放", "中山", "凤凰北", "庆丰中", "文昌", "建设", "学院"]
ESTATES = ["阳光", "幸福", "锦绣", "翠苑", "和谐家"]


def generated_addresses(count: int = 200) -> list[tuple[str, str]]:
    rng = random.Random(11)
    fake = synth.faker(11)
    cases = []
    for i in range(count):
        if i % 2:
            address = f"{rng.choice(TOWNS)}镇{rng.choice(VILLAGES)}村{rng.randint(1, 12)}组"
            address += f"{rng.randint(1, 99)}号" if i % 4 == 1 else ""
        else:
            address = (f"{rng.choice(ROADS)}路{rng.randint(1, 300)}号{rng.choice(ESTATES)}小区"
                       f"{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(101, 1802)}室")
        template = ("{n}，男，68岁，家住{a}，因病致贫。", "家庭住址：{a}", "户主{n}，住{a}", "{n} {a} 3人 1200")[i % 4]
        cases.append((template.format(n=fake.name(), a=address), address))
    return cases


def test_recall_on_generated_addresses(recognizer):
    cases = generated_addresses()
    misses = [(text, address) for text, address in cases if (address, "door_level") not in found(recognizer, text)]
    assert len(misses) <= len(cases) * 0.03, misses[:10]


def test_precision_on_generated_addresses(recognizer):
    wrong = [(text, hit) for text, address in generated_addresses()
             for hit in found(recognizer, text) if hit != (address, "door_level")]
    assert wrong == []


# --- real published reports: only the office's address ------------------------------------------------

@pytest.mark.parametrize("name", ["real-annual-report-ezhou-2013.txt", "real-annual-report-tongxiang-2017.txt"])
def test_real_reports_have_no_door_level_address(recognizer, name):
    path = example(name)
    hits = found(recognizer, path.read_text(encoding="utf-8"))
    assert all(variant == "institution" for _, variant in hits)


def test_real_report_office_address_is_institution(recognizer):
    path = example("real-annual-report-ezhou-2013.txt")
    assert ("鄂州市凤凰北路21号", "institution") in found(recognizer, path.read_text(encoding="utf-8"))


# --- through the engine and the policy -------------------------------------------------------------------

def test_engine_maps_a_table_cell_and_policy_blocks_it(recognizer):
    engine = DetectionEngine([recognizer])
    segment = Segment(text="和平村3组12号", location="表1 第2行", zone=Zone.TABLE, field="家庭住址", record="r2")
    [hit] = list(engine.detect([segment]))
    assert (hit.text, hit.variant, hit.start) == ("和平村3组12号", "door_level", 0)
    assert hit.attrs["keep_village"] == 3


def test_policy_lists_every_variant():
    policy = parse_entity_policy(RulesSource().yaml("policy/ADDRESS.yaml"))
    assert set(policy.variants) == {"door_level", "institution", "masked"}
    assert policy.variants["door_level"].severity == Severity.BLOCK
    assert policy.variants["institution"].severity == Severity.INFO
    assert policy.variants["institution"].with_private_person == Severity.BLOCK


def test_registered_in_recognizers_yaml():
    entries = RulesSource().yaml("recognizers.yaml")["recognizers"]
    assert {"class": "prepub_review.detect.recognizers.address:AddressRecognizer"} in entries


# --- rules are data, checked on load -------------------------------------------------------------------

def _override(tmp_path: Path, replace: tuple[str, str]) -> RulesSource:
    source = (shipped_rules_dir() / "address.yaml").read_text(encoding="utf-8")
    assert replace[0] in source
    (tmp_path / "address.yaml").write_text(source.replace(*replace, 1), encoding="utf-8")
    return RulesSource(tmp_path)


def test_user_rules_add_a_label(tmp_path):
    rules = _override(tmp_path, ("  institution: [办公地址,", "  institution: [服务站地址, 办公地址,"))
    assert found(AddressRecognizer(rules), "服务站地址：人民路5号") == [("人民路5号", "institution")]


@pytest.mark.parametrize("replace, message", [
    (("door_levels:", "door_levelz:"), "door_levelz"),
    (("after: [township, village]}", "after: [township, villa]}"), "villa"),
    (("  county:   {rank: 3,", "  county:   {rang: 3,"), "rang"),
    (("door_levels: [group,", "door_levels: [groups,"), "groups"),
])
def test_bad_rules_name_file_and_key(tmp_path, replace, message):
    with pytest.raises(RulesError) as err:
        AddressRecognizer(_override(tmp_path, replace))
    assert message in str(err.value)




def test_parsing_an_address_leaves_nothing_for_the_cycle_collector(recognizer):
    """Every object a parse makes is freed by reference counting (a run parses thousands)."""
    import gc

    text = "户主张三，家住和平村5组18号，因病致贫\n地址：杭州市西湖区文三路88号阳光小区3号楼2单元501室"
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        assert len(list(recognizer.find(text))) == 2
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
