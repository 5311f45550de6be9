"""Synthetic recipients, officials and places for samples, the evaluation set and the benchmark.

Everything here is invented: names come from Faker zh_CN plus our own character pools,
identifiers from tests/synth.py (valid check digits, so a checker cannot dismiss them).
Place names are ordinary words that many counties share; no combination is a real household.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tests import synth

COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "慕容", "司徒", "皇甫", "东方", "令狐", "公孙",
                     "夏侯", "端木", "尉迟", "长孙", "南宫", "万俟")
# Given-name characters beyond Faker's 131 common given names (rural names of older recipients).
GIVEN_CHARS = ("国建华平志明秀英桂兰玉凤春梅海军红霞德福荣金宝兴文斌丽娟淑珍庆林永祥树根水"
               "土生发财富贵昌盛茂松柏菊芬芳云霞雪冬月琴佩娣妹小大阿二三爱民学忠义仁礼信"
               "泉山石江河湖洪波涛浩宇晨阳子涵欣怡梓轩思雨诗琪俊杰浩然嘉豪")
MINORITY_GIVEN = ("阿依古丽", "买买提", "热依拉", "艾力", "古丽娜尔", "努尔", "帕提古丽", "阿不都",
                  "热合曼", "吐尔逊", "玉苏甫", "阿迪力", "米日古丽", "依明", "阿布拉", "沙吾提")
SINGLE_NAMES = ("扎西顿珠", "次仁卓玛", "格桑梅朵", "巴特尔", "乌兰其其格", "索朗旺姆", "阿旺嘉措",
                "其木格", "达瓦次仁", "斯琴高娃")

TOWNS = ("城南街道", "城北街道", "梧桐街道", "凤鸣街道", "高桥街道", "石门镇", "崇福镇", "洲泉镇",
         "河山镇", "屠甸镇", "大麻镇", "龙翔街道")
VILLAGES = ("幸福村", "新民村", "杨家村", "东升村", "红旗村", "永兴村", "八字桥村", "南庄村", "联丰村",
            "和平社区", "建设社区", "庆丰社区", "文昌社区", "南门社区", "虹桥社区", "清河社区")
NATURAL_VILLAGES = ("王家浜", "陈家埭", "沈家坝", "徐家湾", "后村", "前庄", "东头", "西埭")
ROADS = ("建设路", "人民路", "庆丰路", "文化路", "振兴东路", "环城南路", "校场路", "复兴北路",
         "学前街", "北港路", "梧桐大道", "中山东路")
ESTATES = ("阳光花园", "锦绣家园", "金都小区", "翠苑小区", "梧桐苑", "香溢华庭", "南门小区", "新华村小区")
CITIES = ("桐溪", "清河", "平湖", "安吉", "武康", "临平")
PROVINCES = ("浙江省", "江苏省", "安徽省", "福建省", "湖北省")

HEALTH_REASONS = ("尿毒症", "肺癌", "白血病", "脑梗死后遗症", "精神分裂症", "肢体残疾二级", "智力残疾一级",
                  "视力残疾三级", "重度残疾", "胃癌晚期", "慢性肾衰竭", "糖尿病并发症", "股骨头坏死",
                  "先天性心脏病", "乳腺癌", "双下肢瘫痪", "因病致贫", "因残致贫", "精神残疾二级", "听力残疾一级",
                  "肢体残疾一级")
DISABILITY_REASONS = ("肢体残疾二级", "智力残疾一级", "视力残疾三级", "重度残疾", "双下肢瘫痪", "精神残疾二级",
                      "听力残疾一级", "肢体残疾一级")
OTHER_REASONS = ("缺乏劳动力", "因灾", "因学", "单亲家庭", "无固定收入", "年老体弱", "失业", "家庭变故")
CATEGORIES = ("A类", "B类", "C类", "一类", "二类", "重点保障", "一般保障")
RELATIONS = ("妻", "夫", "子", "女", "孙子", "孙女", "母", "父", "儿媳")
BANKS = ("中国农业银行", "中国工商银行", "中国建设银行", "中国邮政储蓄银行", "农村商业银行", "中国银行")
EMAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "139.com", "foxmail.com", "hotmail.com",
                 "aliyun.com", "sohu.com")
PINYIN = ("zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun",
          "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo", "wei", "ming", "hua", "fang", "jun", "ping")


def person_name(rng: random.Random, fake) -> str:
    """A private person's name: mostly common names, some rarer shapes a checker must not miss."""
    kind = rng.random()
    if kind < 0.45:
        return fake.name()
    if kind < 0.65:
        return fake.last_name() + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    if kind < 0.77:
        return fake.last_name() + rng.choice(GIVEN_CHARS)          # 1-character given name
    if kind < 0.87:
        return rng.choice(COMPOUND_SURNAMES) + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2))))
    if kind < 0.95:
        given, family = rng.sample(MINORITY_GIVEN, 2)
        return f"{given}·{family}"
    return rng.choice(SINGLE_NAMES)


def official_name(rng: random.Random, fake) -> str:
    return fake.name() if rng.random() < 0.7 else fake.last_name() + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS)


@dataclass(frozen=True, slots=True)
class Place:
    province: str
    city: str
    county: str
    town: str

    @property
    def office(self) -> str:
        return f"{self.county}民政局"


def make_place(rng: random.Random) -> Place:
    city = rng.choice(CITIES)
    return Place(rng.choice(PROVINCES), f"{city}市", f"{city}县" if rng.random() < 0.5 else f"{city}区",
                 rng.choice(TOWNS))


def door_address(rng: random.Random, village: str, town: str = "") -> str:
    """An address below the village/community level (组, 号, 幢, 单元, 室): never publishable."""
    zu, no = rng.randint(1, 15), rng.randint(1, 120)
    b, u, r = rng.randint(1, 30), rng.randint(1, 4), rng.choice((101, 201, 302, 402, 501, 602, 1203))
    road, estate = rng.choice(ROADS), rng.choice(ESTATES)
    forms = (
        f"{village}{zu}组{no}号",
        f"{village}{zu}组",
        f"{village}{rng.choice(NATURAL_VILLAGES)}{no}号",
        f"{town}{village}{zu}组{no}号",
        f"{road}{no}号{b}幢{u}单元{r}室",
        f"{estate}{b}栋{r}室",
        f"{road}{no}弄{rng.randint(1, 40)}号",
        f"{village}{estate}{b}幢{u}单元{r}",
        f"{town}{road}{no}号",
        f"{village}{zu}组{no}-{rng.randint(1, 9)}号",
    )
    return rng.choice(forms)


def personal_email(rng: random.Random) -> str:
    domain = rng.choice(EMAIL_DOMAINS)
    if domain == "qq.com" and rng.random() < 0.6:
        return f"{rng.randint(10_000_000, 3_999_999_999)}@qq.com"
    user = "".join(rng.sample(PINYIN, 2)) + (str(rng.randint(60, 2010)) if rng.random() < 0.7 else "")
    sep = rng.choice(("", "", ".", "_"))
    if sep and len(user) > 4:
        user = user[:3] + sep + user[3:]
    return f"{user}@{domain}"


def personal_phone(rng: random.Random) -> str:
    return synth.mobile(rng) if rng.random() < 0.85 else synth.landline(rng)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    male: bool
    birth: dt.date
    id_number: str
    phone: str
    village: str
    address: str
    bank_card: str
    bank: str
    email: str
    reason: str
    household: int
    amount: int
    category: str

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"

    def age(self, on: dt.date = dt.date(2026, 10, 1)) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))

    @property
    def health_related(self) -> bool:
        return self.reason in HEALTH_REASONS


def make_person(rng: random.Random, fake, town: str = "", village: str | None = None, *,
                health_share: float = 0.5) -> Person:
    village = village or rng.choice(VILLAGES)
    male = rng.random() < 0.55
    birth = dt.date(1932, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 70))
    id_number = synth.cn_id_x(rng) if rng.random() < 0.09 else synth.cn_id(rng, birth=birth, male=male)
    household = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
    return Person(
        name=person_name(rng, fake),
        male=male,
        birth=birth,
        id_number=id_number,
        phone=personal_phone(rng),
        village=village,
        address=door_address(rng, village, town),
        bank_card=synth.bank_card(rng, rng.choice((16, 19, 19))),
        bank=rng.choice(BANKS),
        email=personal_email(rng),
        reason=rng.choice(HEALTH_REASONS) if rng.random() < health_share else rng.choice(OTHER_REASONS),
        household=household,
        amount=household * rng.choice((330, 450, 520, 610, 760, 985, 1120)),
        category=rng.choice(CATEGORIES),
    )


def office_phone(rng: random.Random) -> str:
    area = rng.choice(("0573", "0572", "0571", "0579", "0512"))
    return f"{area}-{rng.choice('86')}{rng.choice('0123456789')}" + "".join(str(rng.randrange(10)) for _ in range(6))


def office_address(rng: random.Random, place: Place) -> str:
    return f"{place.city}{place.county}{rng.choice(ROADS)}{rng.randint(1, 300)}号" if rng.random() < 0.5 \
        else f"{place.county}{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.choice(('行政中心', '市民中心', '民政大楼'))}{rng.randint(2, 9)}楼"


def document_number(rng: random.Random, prefix: str = "") -> str:
    prefix = prefix or rng.choice(("桐民", "清民发", "平民", "县民政", "民办发", "政办发"))
    return f"{prefix}〔{rng.choice((2024, 2025, 2026))}〕{rng.randint(1, 160)}号"
