"""Builds the committed samples/ (synthetic data only): `python tools/make_samples.py [OUT_DIR]`.

Seeded and deterministic: the same text every run (zip timestamps aside). Each sample shows one
thing prepub must catch or must leave alone; samples/README.md lists the verdict to expect.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import synth
from tests.eval import generate as gen
from tests.eval import people
from tests.eval.writers import Comment, Doc, Table, write

SEED = 2026
TOWN = "城南街道"
COUNTY = "桐溪县"
OFFICE_PHONE = "0573-88012345"
OFFICE_ADDRESS = "桐溪县庆丰路118号行政中心5楼"


def recipients(rng: random.Random, fake, count: int) -> list[people.Person]:
    return [people.make_person(rng, fake, TOWN) for _ in range(count)]


def dibao_notice(rng: random.Random, fake) -> Doc:
    """低保公示 as a clerk sends it to the site: full IDs, phones, door addresses, illnesses."""
    people_ = recipients(rng, fake, 15)
    headers = ["序号", "户主姓名", "身份证号", "家庭人口", "保障金额", "所属社区", "家庭住址", "联系电话", "致贫原因"]
    rows = [[i, p.name, p.id_number, p.household, p.amount, p.village, p.address, p.phone, p.reason]
            for i, p in enumerate(people_, start=1)]
    checked = people_[3]
    clerk = people.person_name(rng, fake)
    return Doc(
        title=f"{TOWN}2026年10月最低生活保障对象公示",
        blocks=[
            (f"根据《社会救助暂行办法》和《浙江省最低生活保障办法》的规定，经个人申请、社区入户调查、民主评议和"
            f"{TOWN}审核，拟将以下{len(rows)}户家庭纳入最低生活保障范围，现予以公示。"),
            Table(headers, rows),
            ("公示期：2026年10月15日至10月23日（7个工作日）。公示期间，如对公示对象有异议，请向城南街道社会事务"
            f"办公室反映，监督电话：{OFFICE_PHONE}；{COUNTY}民政局监督电话：0573-88019876。"),
            f"{TOWN}办事处",
            "2026年10月15日",
        ],
        comments=[Comment(f"请核实{checked.name}电话{synth.mobile(rng)}", author="审核人", anchor=0)],
        footer=f"{TOWN}社会事务办公室  联系电话：{OFFICE_PHONE}  地址：{OFFICE_ADDRESS}",
        properties={"author": clerk, "title": f"{TOWN}2026年10月低保公示"},
    )


def relief_workbook(rng: random.Random, fake) -> Doc:
    """临时救助名单: the ID column is hidden, bank accounts sit on a hidden sheet, a cell comment leaks a phone."""
    people_ = recipients(rng, fake, 12)
    headers = ["序号", "姓名", "身份证号", "所在村（社区）", "救助金额（元）", "救助事由", "审批日期"]
    rows = [[i, p.name, p.id_number, p.village, p.amount * 2, rng.choice(("因病", "因灾", "突发事件", "因学")),
             f"2026-09-{rng.randint(1, 28):02d}"] for i, p in enumerate(people_, start=1)]
    bank_rows = [[p.name, p.bank_card, p.bank] for p in people_]
    noted = people_[1]
    return Doc(
        title=f"{TOWN}2026年第三季度临时救助对象名单",
        blocks=[Table(headers, rows, hidden_columns=frozenset({2}))],
        comments=[Comment(f"{noted.name}电话{noted.phone}，已电话告知领取", author="经办人", anchor=0)],
        hidden_sheets=[("银行账户", Table(["姓名", "银行卡号", "开户行"], bank_rows))],
        properties={"author": "Administrator"},
    )


def site_page(rng: random.Random, fake) -> Doc:
    """A disclosure-site page: report excerpt, a 公示 table, plus an HTML comment and hidden fields."""
    ctx = gen.Ctx(seed=rng.randrange(2**31), fmt="html")
    people_ = recipients(rng, fake, 8)
    hidden = people_[5]
    editor = people.person_name(rng, fake)
    return Doc(
        title=f"{COUNTY}民政局关于2026年9月城乡低保对象的公示",
        header=f"{COUNTY}人民政府门户网站 > 政府信息公开 > 社会救助",
        blocks=[
            "一、工作情况",
            *gen.policy_paragraphs(ctx, 3),
            "二、新增低保对象公示",
            Table(["序号", "姓名", "所在村（社区）", "保障人数", "保障金额（元/月）"],
                  [[i, p.name, p.village, p.household, p.amount] for i, p in enumerate(people_, start=1)]),
            f"监督电话：{OFFICE_PHONE}（{COUNTY}民政局社会救助科）",
        ],
        comments=[Comment(f"编辑{editor}：待核实后再发，联系我{synth.mobile(rng)}", author="编辑", anchor=4)],
        hidden_text=[f"核对用：{hidden.name} {hidden.id_number}"],
        hidden_inputs=[("applicant_id", hidden.id_number)],
        footer=f"主办：{COUNTY}民政局  地址：{OFFICE_ADDRESS}  电话：{OFFICE_PHONE}",
        properties={"author": f"{COUNTY}民政局", "keywords": "低保,公示,社会救助"},
    )


def site_notice(rng: random.Random, fake) -> Doc:
    """A plain-text 临时救助 notice, saved as GB18030 the way Notepad on a Chinese Windows does."""
    p, q = recipients(rng, fake, 2)
    return Doc(
        title=f"{TOWN}关于临时救助对象的公示",
        blocks=[
            "经本人申请、社区调查核实，拟对以下困难群众给予临时救助，现予以公示：",
            (f"1. 户主{p.name}，{p.sex}，{p.age()}岁，身份证号：{p.id_number}，住{p.address}，"
            f"{p.reason if p.reason.startswith('因') else '因' + p.reason}导致生活困难，拟救助{p.amount}元。"),
            f"2. 申请人{q.name}，家住{q.address}，联系电话{q.phone}，拟救助{q.amount}元。",
            f"公示期7天。监督电话：{OFFICE_PHONE}。",
            f"{TOWN}办事处  2026年10月12日",
        ],
    )


def annual_report(rng: random.Random, fake) -> Doc:
    """A clean 年度报告: officials named in role, office contacts, the standard table rows."""
    director, deputy, contact = (people.official_name(rng, fake) for _ in range(3))
    ctx = gen.Ctx(seed=rng.randrange(2**31), fmt="docx")
    rows = [[row, n, m, n + m] for row in gen.ANNUAL_TABLE_ROWS
            for n, m in [(rng.randint(0, 6), rng.randint(0, 2))]]
    return Doc(
        title=f"{COUNTY}民政局2025年政府信息公开工作年度报告",
        blocks=[
            "本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制。",
            "一、总体情况",
            (f"2025年，我局成立了以局长{director}同志为组长、副局长{deputy}同志为副组长的政务公开工作领导小组，"
            "坚持以公开为常态、不公开为例外，持续推进社会救助领域信息公开。"),
            *gen.policy_paragraphs(ctx, 5),
            "二、主动公开政府信息情况",
            Table(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                  [["规章", 0, 0, 0], ["行政规范性文件", 3, 1, 17]]),
            "三、收到和处理政府信息公开申请情况",
            Table(["办理情况", "自然人", "法人或其他组织", "总计"], rows),
            "四、政府信息公开行政复议、行政诉讼情况",
            "本年度未发生政府信息公开行政复议、行政诉讼。",
            "五、存在的主要问题及改进情况",
            ("个别科室对政务公开工作重视程度不够。下一步，我局将严格落实《中华人民共和国保守国家秘密法》和信息"
            "发布保密审查制度，对拟公开信息实行“先审查、后公开”。"),
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。经保密审查，本报告不涉及国家秘密。",
            f"联系人：{contact}；联系电话：{OFFICE_PHONE}；办公地址：{OFFICE_ADDRESS}；邮政编码：314500。",
            f"{COUNTY}民政局",
            "2026年1月20日",
        ],
        footer=f"{COUNTY}民政局办公室  电话：{OFFICE_PHONE}",
        properties={"author": "民政局办公室", "title": f"{COUNTY}民政局2025年政府信息公开工作年度报告"},
    )


def marked_draft(rng: random.Random, fake) -> Doc:
    """A 征求意见稿 still carrying 秘密★1年 on line 2 and 内部资料 in the page header."""
    ctx = gen.Ctx(seed=rng.randrange(2**31), fmt="docx")
    return Doc(
        title=f"{COUNTY}困难群众基本生活保障工作方案（征求意见稿）",
        pre_title=["000012", "秘密★1年"],
        header="内部资料 注意保存",
        blocks=[
            "一、总体要求",
            "以保障困难群众基本生活为目标，健全分层分类的社会救助体系。",
            "二、主要任务",
            *gen.policy_paragraphs(ctx, 4),
            "三、保障措施",
            "各镇（街道）要明确分管领导和具体经办人员，于2026年11月底前完成自查。",
            f"{COUNTY}民政局",
            "2026年10月8日",
        ],
        properties={"author": "Administrator"},
    )


SAMPLES = (
    ("低保公示-城南街道-2026年10月.docx", dibao_notice, "utf-8"),
    ("临时救助名单.xlsx", relief_workbook, "utf-8"),
    ("site/index.html", site_page, "utf-8"),
    ("site/notice.txt", site_notice, "gb18030"),
    ("2025年政府信息公开工作年度报告.docx", annual_report, "utf-8"),
    ("工作方案-征求意见稿.docx", marked_draft, "utf-8"),
)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "samples"
    for index, (name, build, encoding) in enumerate(SAMPLES):
        rng = random.Random(SEED * 100 + index)
        fake = synth.faker(SEED + index)
        path = write(build(rng, fake), out / name, encoding=encoding)
        size = path.stat().st_size
        assert size < 100_000, f"{name} is {size} bytes; samples must stay small"
        print(f"{size:>7}  {path.relative_to(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
