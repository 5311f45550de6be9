"""PERSON: private persons' names (label, attribute, relation, recipient list), officials in role,
already-masked names; no finding on common words that begin with a surname character."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests import synth
from tests.detect.helpers import example, found

from prepub_review.decide.policy import parse_entity_policy
from prepub_review.detect.base import VARIANT_KEY
from prepub_review.detect.engine import DetectionEngine
from prepub_review.detect.recognizers.person import PersonRecognizer
from prepub_review.errors import RulesError
from prepub_review.models import Segment, Severity, Zone
from prepub_review.rules_loader import RulesSource, shipped_rules_dir



@pytest.fixture(scope="module")
def recognizer() -> PersonRecognizer:
    return PersonRecognizer()


# --- private persons --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # label + name: table cells ("列名：单元格"), form fields, document properties
    ("户主姓名：张三", [("张三", "private")]),
    ("姓名:王芳", [("王芳", "private")]),
    ("申请人签名：张三", [("张三", "private")]),
    ("申请人：司马相如", [("司马相如", "private")]),
    ("救助对象：欧阳娜娜", [("欧阳娜娜", "private")]),
    ("监护人 李强", [("李强", "private")]),
    ("开户名：赵敏", [("赵敏", "private")]),
    ("作者：张三", [("张三", "private")]),
    ("最后修改者：李四", [("李四", "private")]),
    ("批注作者：王五", [("王五", "private")]),
    ("姓名：买买提", [("买买提", "private")]),                       # a whole cell, surname not listed
    ("作者：户主袁云", [("袁云", "private")]),                       # not "户主袁云": the label is not a name
    # a 公示 line of one name and a note about the person (an HTML <li>), and a recipient's category
    ("王秀英（和平村，2人）\n李建国（庆丰村，1人）", [("王秀英", "private"), ("李建国", "private")]),
    ("3.李芳（女，68岁）", [("李芳", "private")]),
    ("拟认定欧阳娜娜为特困供养人员。", [("欧阳娜娜", "private")]),
    # a two-character name padded to the width of three, as table cells and forms align them
    ("姓名：王　芳", [("王　芳", "private")]),
    ("户主：张  伟，身份证号见附件", [("张  伟", "private")]),
    ("姓名：王 芳 李 强", [("王 芳", "private"), ("李 强", "private")]),
    ("申请人：李\u00a0\u00a0娜（女，68岁）", [("李\u00a0\u00a0娜", "private")]),
    # a cell holding several names, with relation words
    ("家庭成员：张三、李四", [("张三", "private"), ("李四", "private")]),
    ("家庭成员：妻子王芳、儿子李明", [("王芳", "private"), ("李明", "private")]),
    ("家庭成员：孙女 令狐宝；子 李东；妻 赵军", [("令狐宝", "private"), ("李东", "private"), ("赵军", "private")]),
    ("家庭成员：王芳（妻子），李明（儿子）", [("王芳", "private"), ("李明", "private")]),
    ("马小红：子 沈桂芝", [("沈桂芝", "private")]),                 # a header row read as labels
    # label without a colon (jieba splits 户主张三 wrong)
    ("户主张三家庭人口3人", [("张三", "private")]),
    ("户主高贵水", [("高贵水", "private")]),
    ("低保户刘德华，女", [("刘德华", "private")]),
    # name + attributes
    ("张三，男，68岁", [("张三", "private")]),
    ("李四（女，1950年生）", [("李四", "private")]),
    ("王五，身份证号330483199001011234", [("王五", "private")]),
    ("9.陈军（身份证号码370202195001011234）", [("陈军", "private")]),
    ("赵六 男 汉族", [("赵六", "private")]),
    ("张三户", [("张三", "private")]),
    ("张三家庭", [("张三", "private")]),
    ("王芳一家", [("王芳", "private")]),
    ("李明华家庭人口4人", [("李明华", "private")]),
    ("史婷婷家属电话15083589098", [("史婷婷", "private")]),
    ("因病致贫的张三申请低保", [("张三", "private")]),
    # relation words in prose
    ("与配偶荣桂珍共同生活", [("荣桂珍", "private")]),
    ("其孙子 高阳在读", [("高阳", "private")]),
    # enumerations in a recipient context
    ("现将张三、李四、王五等3户予以公示", [("张三", "private"), ("李四", "private"), ("王五", "private")]),
    ("现将陆旭、萧楠、曹琳等3户拟纳入最低生活保障范围", [("陆旭", "private"), ("萧楠", "private"), ("曹琳", "private")]),
    ("同意张三、李四享受临时救助", [("张三", "private"), ("李四", "private")]),
    ("张三等5人", [("张三", "private")]),
    # compound surnames and minority names
    ("欧阳修，男", [("欧阳修", "private")]),
    ("诸葛亮，男，54岁", [("诸葛亮", "private")]),
    ("户主皇甫子", [("皇甫子", "private")]),
    ("阿依古丽·买买提，女", [("阿依古丽·买买提", "private")]),
    ("户主阿依古丽·吐尔逊家庭人口1人", [("阿依古丽·吐尔逊", "private")]),
    ("同意买买提•艾力户享受临时救助", [("买买提•艾力", "private")]),
    ("申请人：热合曼．阿迪力", [("热合曼．阿迪力", "private")]),       # full-width dot
    ("3\t扎西顿珠\t32010619810923\t八字桥村", [("扎西顿珠", "private")]),
    # tables that a PDF/TXT reader flattened into blank-separated rows
    ("1 司马仁 建设社区 1 610 锦绣家园30栋602室 无 A类", [("司马仁", "private")]),
    ("11 万俟淑 51010420160211 中国银行 2080", [("万俟淑", "private")]),
    # one-character given names
    ("姓名：王芳", [("王芳", "private")]),
    # the salutation of a reply letter to an applicant
    ("杨富：", [("杨富", "private")]),
    # an applicant named in prose, followed by how they applied (依申请公开 sections)
    ("其中，刘芳通过电子邮箱liufang@126.com申请公开本人低保审批材料", [("刘芳", "private")]),
    ("另有，张建国通过信函申请公开其家庭低保审批材料", [("张建国", "private")]),
    ("村民王秀英来信申请临时救助", [("王秀英", "private")]),
    # enumerations whose items carry a short note: a count, gender, age, 化名, a relation
    ("经村民代表评议，拟将以下5户纳入低保：王小明（3人）、李芳（2人）、欧阳建国（1人）、阿依古丽·买买提（4人）。",
     [("王小明", "private"), ("李芳", "private"), ("欧阳建国", "private"), ("阿依古丽·买买提", "private")]),
    ("王小明（3人）、李芳（2人）、欧阳建国（1人）",                    # no context: the notes say "persons"
     [("王小明", "private"), ("李芳", "private"), ("欧阳建国", "private")]),
    ("王小明（男，68岁）、李芳（女，1950年生）", [("王小明", "private"), ("李芳", "private")]),
    ("张三（户主）、李四（妻子）、王五（儿子）", [("张三", "private"), ("李四", "private"), ("王五", "private")]),
    ("司马光（2户）、诸葛亮（化名）", [("司马光", "private"), ("诸葛亮", "private")]),
    ("同意将王小明（3人）、李芳（2人）纳入临时救助", [("王小明", "private"), ("李芳", "private")]),
    # name + household size right after it
    ("拟将以下5户纳入低保：王小明3人、李芳2人。", [("王小明", "private"), ("李芳", "private")]),
    ("王小明2人、李芳3人、赵强1人", [("王小明", "private"), ("李芳", "private"), ("赵强", "private")]),
    ("低保对象：王小明3人、李芳2人", [("王小明", "private"), ("李芳", "private")]),
    # numbered items: name, then a size or an amount followed by a number
    ("一、王小明，家庭人口3人，月保障金860元；二、李芳，家庭人口2人。", [("王小明", "private"), ("李芳", "private")]),
    ("1.王小明，保障人口2人，月保障金860元", [("王小明", "private")]),
    ("（一）赵强，救助金额：3000元。", [("赵强", "private")]),
    ("其中，王小明，家庭人口3人；李芳，保障人口2人", [("王小明", "private"), ("李芳", "private")]),
    # a pseudonym is still a name; a note between the name and its attributes
    ("李小龙（化名），今年9岁，患有白血病。", [("李小龙", "private")]),
    ("李芳（化名）", [("李芳", "private")]),
    ("王芳（户主），女，62岁", [("王芳", "private")]),
    # a person's own papers, as an attachment list or a file name names them
    ("附件：张建国低保申请表", [("张建国", "private")]),
    ("附件：李秀英救助审批表", [("李秀英", "private")]),
    ("附件2：王建军临时救助申请书", [("王建军", "private")]),
    ("刘桂英特困供养审批表", [("刘桂英", "private")]),
    ("低保户周国强入户调查", [("周国强", "private")]),
    ("1.赵桂兰家庭经济状况核对报告 2.孙秀珍身份证复印件", [("赵桂兰", "private"), ("孙秀珍", "private")]),
    # a list closed by a count in words; a note giving the cause of need; a household fallen into need
    ("决定对刘建华、陈秀英两户家庭实施临时救助", [("刘建华", "private"), ("陈秀英", "private")]),
    ("审批情况：吴春梅（因病）3000元；郑国华（因灾）2000元。", [("吴春梅", "private"), ("郑国华", "private")]),
    ("和平村3组15号的赵德福家因火灾致贫。", [("赵德福", "private")]),
    # a one-character opener that makes a word with the surname after it is no left edge of a name
    ("经查，低保对象何秀云于2024年6月死亡，其家属未及时申报，多领低保金1200元。", [("何秀云", "private")]),
    ("低保对象刘秀云患病后，街道按时发放临时救助金3000元。", [("刘秀云", "private")]),
])
def test_private_persons(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- officials named in their role ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("局长饶树声同志", [("饶树声", "official")]),
    ("章坚健同志兼任办公室主任", [("章坚健", "official")]),
    ("徐登基、沈娟、徐斌、桂迎菊、吴丹为办公室成员，负责信息公开的各项具体工作",
     [(n, "official") for n in ("徐登基", "沈娟", "徐斌", "桂迎菊", "吴丹")]),
    ("联系人：何威 电话：(027)60896800", [("何威", "official")]),
    ("经办人：李明", [("李明", "official")]),
    ("审核人：刘秀珍 联系电话：0572-63646737", [("刘秀珍", "official")]),  # label beats the phone after it
    ("填表人：汪芬兰", [("汪芬兰", "official")]),
    ("负责人：张伟", [("张伟", "official")]),
    ("会议由主持人王强主持", [("王强", "official")]),
    ("饶树声局长出席会议", [("饶树声", "official")]),
    ("张三任组长，李四任副组长", [("张三", "official"), ("李四", "official")]),
    ("副局长张三、李四参加", [("张三", "official"), ("李四", "official")]),
    ("现将张三、李四等3名同志任命为", [("张三", "official"), ("李四", "official")]),
    ("1 张三 局长 0573-88123456", [("张三", "official")]),
    ("经办人签字：李明", [("李明", "official")]),
    ("局长王建国（主持工作）、副局长李明出席", [("王建国", "official"), ("李明", "official")]),
    ("副局长李明（分管社会救助）、刘强（分管社会事务）分别作了部署", [("李明", "official"), ("刘强", "official")]),
    ("领导小组成员：李明（局长）、刘强（副局长）", [("李明", "official"), ("刘强", "official")]),
])
def test_officials_in_role(recognizer, text, expected):
    assert found(recognizer, text) == expected


# --- already masked ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("张*", "张*"),
    ("户主：王*明", "王*明"),
    ("欧阳**，女", "欧阳**"),
    ("张某某", "张某某"),
    ("村民张某反映", "张某"),
    ("李××", "李××"),
    ("户主张XX", "张XX"),
    ("副局长王某某", "王某某"),
    ("其中王某某反映", "王某某"),
    ("王*因病致贫", "王*"),
])
def test_masked_names(recognizer, text, expected):
    assert found(recognizer, text) == [(expected, "masked")]


# --- not names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "申请人应当如实申报家庭收入",
    "尽量让申请人满意",
    "申请人",
    "局领导班子高度重视政务信息公开工作",
    "成立局长任组长，副局长(党委委员)任副组长，各科(室)负责人任成员的政务信息公开工作领导小组",
    "现将公示材料张贴在村务公开栏",
    "在王府井大街设立服务点",
    "姓名：王　　　　芳",                                           # more blanks than padding: not one name
    "根据有关规定，做好最低生活保障工作。",                            # 关 is a surname, 有关规定 no name
    "城南街道2026年4月低保金发放花名册",
    "民政局李明（分管社会救助）",                                     # a note that is no person's
    "户主：王　芳芳",                                               # a padded name has two characters
    "李家村、石桥镇、马上办理",
    "程序简便，周期缩短，许多方面全面推进",
    "共发放低保金2543.19万元，金额以实际为准",
    "安全、和谐、稳定",
    "文件要求常见问题于是向社会公开",
    "任何单位和个人不得泄露，何时公示另行通知",
    "黄金周、江河湖泊",
    "关于某某同志的任免",
    "对于某些特殊情况",
    "XX镇XX村",
    "某村某组",
    "婚姻登记、优抚安置、医疗救助、社区服务、死亡殡葬",
    "公开、公正、便民",
    "城乡低保、特困人员救助供养、医疗救助、临时救助",
    "申请人姓名：联系电话",               # a header row read as "label：cell"
    "作者：微软用户",
    "最后修改者：Administrator",
    "作者：小王",
    "修订作者：办事员",
    "户主：合计",
    "申请人：本人",
    "各乡镇（街道）：",
    "全市有低保2909户4696人，低保边缘454户",
    "困难户、五保户、低保户",
    "孙子",
    "户主签字：",
    "高桥、马桥、沈荡等镇开展试点",
    "全体同志要高度重视",
    "根据申请人的申请，经审核",
    "向申请人发放告知书",
    "对申请人家庭经济状况进行核查",
    "时任局长",
    "宁波市民政局",
    "我局通过电子邮箱答复了申请人",
    "全省通过网上申请的有120件",
    "群众可通过电话咨询",
    "局长王建国同志讲话指出，副局长李明、刘强分别作了部署。",
    "受理群众来信来访35件次，其中王某反映…",
    "全市共有低保对象1234户2345人，发放低保金860万元。",
    "城乡低保标准提高到每人每月860元",
    # notes and counts on things that are not persons
    "全市共有城市低保对象1234人、农村低保对象5678人，特困人员454人。",
    "其中男性120人、女性130人，老年人45人、残疾人33人",
    "受灾情况：李家湾（12户）、王家坝（8户）、张家沟（3户）。",
    "受灾情况：李家湾12户、王家坝8户",
    "城乡低保（2909户）、特困供养（454户）、临时救助（1200人次）",
    "高新区（5人）、经开区（3人）、临空区（2人）",
    "鄂州市民政局（3人）、华容区民政局（2人）参加培训",
    "主要做法：高位推动（一把手负责）、严格审核（三级审核）、动态管理（按月更新）",
    "周一、周三（上午）、周五接待来访群众",
    # size/amount words in policy prose: no number after them, or no name before them
    "对困难家庭实行分类施保，保障金额按差额发放",
    "按照分类施保原则，保障金额2000元以上的家庭有12户",
    "发放低保金860万元，保障金额按标准计算，家庭人口较多的优先",
    "其中，城市低保，保障人数1234人；农村低保，保障人数5678人",
    # the papers named without a person
    "请各街道于3月底前报送低保申请表和审批表。",
    "附件：1.城南街道低保申请表 2.审批表样式",
    "各地低保工作要规范，张家港市低保标准为每月1000元。",
    "全市低保对象共计1200人，城乡低保标准提高。",
    "2026年10月低保对象名单公示（第2批）",
    "全市因灾致贫返贫人口全部纳入救助，王家坝因灾受损严重。",
    "张家港市因灾受损农户三户。",
])
def test_not_private_names(recognizer, text):
    assert [v for _, v in found(recognizer, text) if v.startswith("private")] == []


def test_no_match_across_lines(recognizer):
    assert found(recognizer, "户主姓名：\n张三丰的故事") == []
    assert found(recognizer, "张三\n，男，68岁") == [("张三", "private_weak")]


def test_a_line_holding_only_a_name_is_a_weak_guess(recognizer):
    assert found(recognizer, "公示名单\n张三\n李四华") == [("张三", "private_weak"), ("李四华", "private_weak")]


def test_full_width_text_keeps_offsets(recognizer):
    text = "户主姓名：张三　性别：男"
    [cand] = recognizer.find(text)
    assert text[cand.start:cand.end] == "张三"


# --- Faker names in templates: recall over 200 generated names ------------------------------------

TEMPLATES = [
    ("户主姓名：{n}", "private"),
    ("{n}，{g}，{a}岁，家住石门镇和平村3组", "private"),
    ("现将{n}、{m}等2户拟纳入最低生活保障范围，予以公示。", "private"),
    ("家庭成员：妻子{n}、儿子{m}", "private"),
    ("副局长{n}同志主持会议。", "official"),
]


def generated_cases(count: int = 200) -> list[tuple[str, list[str], str]]:
    """(text, the names written into it, their variant) for Faker zh_CN names in every template."""
    fake = synth.faker(20240601)
    rng = random.Random(7)
    cases = []
    for i in range(count):
        template, variant = TEMPLATES[i % len(TEMPLATES)]
        name, other = fake.name(), fake.name()
        text = template.format(n=name, m=other, g=rng.choice("男女"), a=rng.randint(18, 95))
        cases.append((text, [name, other] if "{m}" in template else [name], variant))
    return cases


def test_recall_on_faker_names(recognizer):
    cases = generated_cases()
    expected = [(text, name, variant) for text, names, variant in cases for name in names]
    misses = [item for item in expected if (item[1], item[2]) not in found(recognizer, item[0])]
    assert len(misses) <= len(expected) * 0.03, misses[:10]


def test_precision_on_faker_names(recognizer):
    wrong = [(text, hit) for text, names, variant in generated_cases()
             for hit in found(recognizer, text) if hit not in {(n, variant) for n in names}]
    assert wrong == []


@pytest.mark.parametrize("template_index", range(len(TEMPLATES)))
def test_each_template_finds_every_name(recognizer, template_index):
    for text, names, variant in generated_cases()[template_index::len(TEMPLATES)][:10]:
        assert found(recognizer, text) == [(n, variant) for n in names], text


# --- real published reports: officials in role only --------------------------------------------

@pytest.mark.parametrize("name", ["real-annual-report-ezhou-2013.txt", "real-annual-report-tongxiang-2017.txt"])
def test_real_reports_have_no_private_person(recognizer, name):
    path = example(name)
    text = path.read_text(encoding="utf-8")
    variants = {v for _, v in found(recognizer, text)}
    assert variants <= {"official", "masked"}


def test_real_report_officials_are_found_as_officials(recognizer):
    path = example("real-annual-report-tongxiang-2017.txt")
    names = {t for t, v in found(recognizer, path.read_text(encoding="utf-8")) if v == "official"}
    assert {"章坚健", "徐登基", "沈娟", "徐斌", "桂迎菊", "吴丹"} <= names


# --- through the engine and the policy ----------------------------------------------------------

def test_engine_maps_a_table_cell_and_policy_reviews_it(recognizer):
    engine = DetectionEngine([recognizer])
    segment = Segment(text="张三、李四", location="表1 第2行", zone=Zone.TABLE, field="家庭成员", record="r2")
    hits = list(engine.detect([segment]))
    assert [(h.text, h.variant) for h in hits] == [("张三", "private"), ("李四", "private")]
    policy = parse_entity_policy(RulesSource().yaml("policy/PERSON.yaml"))
    rule = policy.variants["private"]
    assert rule.severity == Severity.REVIEW and rule.private_person
    assert policy.variants["official"].severity == Severity.INFO
    assert policy.variants["masked"].severity == Severity.INFO


def test_policy_lists_every_variant():
    policy = parse_entity_policy(RulesSource().yaml("policy/PERSON.yaml"))
    assert set(policy.variants) == {"private", "private_weak", "bare_list", "official", "masked"}


def test_presidio_analyze_carries_the_variant(recognizer):
    [result] = recognizer.analyze("户主姓名：张三", ["PERSON"])
    assert result.entity_type == "PERSON"
    assert result.recognition_metadata[VARIANT_KEY] == "private"


def test_registered_in_recognizers_yaml():
    entries = RulesSource().yaml("recognizers.yaml")["recognizers"]
    assert {"class": "prepub_review.detect.recognizers.person:PersonRecognizer"} in entries


# --- rules are data, checked on load -------------------------------------------------------------

def _override(tmp_path: Path, name: str, replace: tuple[str, str]) -> RulesSource:
    source = (shipped_rules_dir() / name).read_text(encoding="utf-8")
    assert replace[0] in source
    (tmp_path / name).write_text(source.replace(*replace, 1), encoding="utf-8")
    return RulesSource(tmp_path)


def test_user_rules_add_a_label(tmp_path):
    rules = _override(tmp_path, "person.yaml", ("    - 姓名\n", "    - 姓名\n    - 看护对象\n"))
    assert found(PersonRecognizer(rules), "看护对象：张三") == [("张三", "private")]


def test_user_rules_add_a_stop_word(tmp_path):
    rules = _override(tmp_path, "person_stopwords.txt", ("合计\n", "合计\n张三丰\n"))
    assert found(PersonRecognizer(rules), "户主姓名：张三丰") == []


def test_user_rules_add_a_counted_attribute(tmp_path):
    text = "一、张三，取暖补贴600元"          # (供养 is a private-sentence word of its own since 2026-12)
    assert found(PersonRecognizer(), text) == []
    rules = _override(tmp_path, "person.yaml", ("  counted: [", "  counted: [取暖补贴, "))
    assert found(PersonRecognizer(rules), text) == [("张三", "private")]


@pytest.mark.parametrize("name, replace, message", [
    ("person.yaml", ("common_surname_count: 120", "common_surname_count: 9999"), "common_surname_count"),
    ("person.yaml", ("  max_chars: 20", "  max_chars: 0"), "max_chars"),
    ("person.yaml", ("  count_units:", "  count_unit:"), "count_unit"),
    ("person.yaml", ("relation_words:", "relation_wordz:"), "relation_wordz"),
    ("person.yaml", ("  official:\n", "  officials:\n"), "officials"),
    ("person.yaml", ('mask_chars: "', 'mask_chars: ["'), "YAML"),
    ("surnames.txt", ("\n王\n", "\n王先生\n"), "surnames.txt"),
])
def test_bad_rules_name_file_and_key(tmp_path, name, replace, message):
    with pytest.raises(RulesError) as err:
        PersonRecognizer(_override(tmp_path, name, replace))
    assert message in str(err.value)
