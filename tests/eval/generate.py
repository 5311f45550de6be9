"""A labelled synthetic evaluation set: documents a county 民政局 clerk would write, with ground truth.

Two kinds of documents:
- leaky ones (recipient lists, approval forms, reply letters, payment rosters, marked drafts),
  where every piece of personal data or marking written into the file is recorded in the
  manifest as {entity, text};
- clean ones (annual reports, policy explanations, masked lists, statistics, notices), full of
  decoys a checker must leave alone: officials named in role, office phones and addresses,
  文号, 统一社会信用代码 of organisations, amounts, dates, 保密审查 mentions, policy
  mentions of 残疾人/重病. They are marked "clean": true and must get no block/review finding.

Everything is synthetic and seeded: `python -m tests.eval.generate OUT_DIR` writes the same set
every time (file contents; zip timestamps aside).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tests import synth
from tests.eval import people
from tests.eval.people import Person
from tests.eval.writers import FEATURES, Comment, Doc, Table, write

DEFAULT_SEED = 20261015

ID, PHONE, BANK, EMAIL, CERT = "CN_ID_CARD", "PHONE_NUMBER", "BANK_CARD", "EMAIL_ADDRESS", "CN_CERTIFICATE"
PERSON, ADDRESS, HEALTH, MARK = "PERSON", "ADDRESS", "SENSITIVE_HEALTH", "CLASSIFICATION_MARK"
BIRTH = "BIRTH_DATE"

NAME_HEADERS = ("姓名", "户主", "申请人", "救助对象", "户主姓名", "申请人姓名", "对象姓名")
ID_HEADERS = ("身份证号", "证件号码", "公民身份号码", "身份证号码", "身份证", "身份证件号码")
PHONE_HEADERS = ("联系电话", "电话", "手机号码", "联系方式", "手机")
ADDRESS_HEADERS = ("家庭住址", "住址", "居住地址", "家庭地址", "现住址", "户籍地址")
BANK_HEADERS = ("银行卡号", "账号", "社保卡号", "存折账号", "代发账号", "一卡通账号")
REASON_HEADERS = ("致贫原因", "救助原因", "困难原因", "主要致困原因", "申请理由")
VILLAGE_HEADERS = ("所属社区", "所在村（社区）", "村（社区）", "所在村", "社区")
SIZE_HEADERS = ("家庭人口", "保障人口", "保障人数", "家庭人数")
AMOUNT_HEADERS = ("保障金额", "保障金额（元）", "月保障金（元/月）", "救助金额（元）", "发放金额")
PROGRAMS = ("最低生活保障", "低保", "特困人员救助供养", "临时救助", "医疗救助", "低保边缘家庭", "残疾人两项补贴",
            "受灾群众生活救助")
AUTHORS = ("Administrator", "user", "民政局办公室", "社会救助科", "微软用户", "admin", "HP")


@dataclass
class Ctx:
    """What a template needs: seeded randomness, the target format and the ground-truth recorder."""

    seed: int
    fmt: str
    scale: int = 1              # the benchmark asks for longer documents
    truth: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.fake = synth.faker(self.seed)
        self.place = people.make_place(self.rng)

    def can(self, feature: str) -> bool:
        return feature in FEATURES[self.fmt]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # --- ground truth: each helper returns the text as written and records what must be found
    def mark(self, entity: str, text: str, written: str | None = None) -> str:
        item = {"entity": entity, "text": text}
        if item not in self.truth:
            self.truth.append(item)
        return written if written is not None else text

    def name(self, name: str) -> str:
        return self.mark(PERSON, name)

    def id_number(self, p: Person) -> str:
        value = p.id_number
        if value.endswith("X") and self.chance(0.3):
            value = value[:-1] + "x"
        return self.mark(ID, value)

    def phone(self, phone: str) -> str:
        if phone.startswith("1") and len(phone) == 11:
            style = self.rng.random()
            if style < 0.08:
                return self.mark(PHONE, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}")
            if style < 0.14:
                return self.mark(PHONE, f"{phone[:3]} {phone[3:7]} {phone[7:]}")
            if style < 0.18:
                return self.mark(PHONE, phone, written=f"+86 {phone}")
            return self.mark(PHONE, phone)
        area, _, local = phone.partition("-")
        return self.mark(PHONE, phone if self.chance(0.8) else f"{area}{local}")

    def bank_card(self, card: str) -> str:
        if self.chance(0.25):
            return self.mark(BANK, " ".join(card[i:i + 4] for i in range(0, len(card), 4)))
        return self.mark(BANK, card)

    def email(self, email: str) -> str:
        return self.mark(EMAIL, email)

    def address(self, address: str) -> str:
        return self.mark(ADDRESS, address)

    def reason(self, p: Person) -> str:
        if p.health_related:
            self.mark(HEALTH, p.reason)
        return p.reason

    def reason_phrase(self, p: Person) -> str:
        reason = self.reason(p)
        if reason.startswith("因"):
            return reason
        if "残疾" in reason or "瘫痪" in reason:
            return f"本人{reason}"
        if p.health_related:
            return f"患{reason}"
        return f"{reason}，生活困难"

    # --- helpers without truth
    def person(self, **kwargs) -> Person:
        return people.make_person(self.rng, self.fake, self.place.town, **kwargs)

    def official(self) -> str:
        return people.official_name(self.rng, self.fake)

    def office_phone(self) -> str:
        return people.office_phone(self.rng)

    def date(self, month: int | None = None) -> str:
        return f"2026年{month or self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"

    def rows(self, low: int, high: int) -> int:
        return self.rng.randint(low, high) * self.scale


# ======================================================================== leaky templates

def recipient_table(ctx: Ctx) -> Doc:
    """A 公示 of recipients as a table, with columns a clerk picked, and data in hiding places."""
    rng, place = ctx.rng, ctx.place
    program = rng.choice(PROGRAMS)
    month = rng.randint(1, 12)
    columns = ["name"]
    for col, p in (("id", 0.65), ("village", 0.7), ("size", 0.7), ("amount", 0.9), ("phone", 0.5),
                   ("address", 0.6), ("reason", 0.5), ("bank", 0.15), ("family", 0.2), ("category", 0.3)):
        if ctx.chance(p):
            columns.append(col)
    hide_id = ctx.can("hidden_columns") and "id" in columns and ctx.chance(0.5)
    reason_header = ("残疾类别及等级" if "残疾" in program else "病种" if program == "医疗救助"
                     else rng.choice(REASON_HEADERS))
    header_of = {"name": rng.choice(NAME_HEADERS), "id": rng.choice(ID_HEADERS), "phone": rng.choice(PHONE_HEADERS),
                 "address": rng.choice(ADDRESS_HEADERS), "bank": rng.choice(BANK_HEADERS), "reason": reason_header,
                 "village": rng.choice(VILLAGE_HEADERS), "size": rng.choice(SIZE_HEADERS),
                 "amount": rng.choice(AMOUNT_HEADERS), "family": "家庭成员", "category": "保障类别"}
    health_share = 1.0 if program in ("医疗救助", "残疾人两项补贴") else 0.5
    recipients = [ctx.person(health_share=health_share) for _ in range(ctx.rows(8, 22))]
    if "残疾" in program:
        recipients = [replace(p, reason=rng.choice(people.DISABILITY_REASONS)) for p in recipients]
    rows = []
    for i, p in enumerate(recipients, start=1):
        row: list[str | int] = [i]
        for col in columns:
            if col == "name":
                row.append(ctx.name(p.name))
            elif col == "id":
                row.append(ctx.id_number(p))
            elif col == "phone":
                phone = ctx.phone(p.phone)
                if ctx.fmt == "xlsx" and phone.isdigit() and ctx.chance(0.4):
                    phone = int(phone)                      # typed in as a number
                if ctx.chance(0.06):
                    phone = f"{phone}/{ctx.phone(people.personal_phone(rng))}"
                row.append(phone)
            elif col == "address":
                row.append(ctx.address(p.address))
            elif col == "bank":
                row.append(ctx.bank_card(p.bank_card))
            elif col == "reason":
                row.append(ctx.reason(p))
            elif col == "village":
                row.append(p.village)
            elif col == "size":
                row.append(p.household)
            elif col == "amount":
                row.append(p.amount)
            elif col == "family":
                members = [f"{rng.choice(people.RELATIONS)} {ctx.name(people.person_name(rng, ctx.fake))}"
                           for _ in range(rng.randint(0, min(3, p.household - 1)))]
                row.append("；".join(members) or "无")
            elif col == "category":
                row.append(p.category)
        rows.append(row)
    headers = ["序号"] + [header_of[c] for c in columns]
    table = Table(headers, rows,
                  hidden_columns=frozenset({columns.index("id") + 1}) if hide_id else frozenset())
    town = place.town
    blocks: list[str | Table] = [
        (f"根据《社会救助暂行办法》和《{place.province}最低生活保障办法》等有关规定，经个人申请、"
        f"村（社区）入户调查、民主评议、{town}审核，现将{month}月拟纳入{program}对象名单予以公示。"),
        table,
        (f"公示期：2026年{month}月{rng.randint(1, 20)}日至{month}月{rng.randint(21, 28)}日（7个工作日）。"
        f"公示期间，如对公示对象有异议，可向{town}社会事务办公室反映。"),
        f"监督电话：{ctx.office_phone()}（{town}）；{ctx.office_phone()}（{place.county}民政局）。",
        f"{town}人民政府" if town.endswith("镇") else f"{town}办事处",
        f"2026年{month}月{rng.randint(1, 28)}日",
    ]
    doc = Doc(title=f"{town}2026年{month}月{program}对象公示", blocks=blocks)
    add_hidden_leaks(ctx, doc, recipients, anchor=0)
    return doc


def add_hidden_leaks(ctx: Ctx, doc: Doc, recipients: list[Person], anchor: int) -> None:
    """Data that hides outside the visible text: comments, deletions, hidden text/inputs/sheets, properties."""
    rng = ctx.rng
    p = rng.choice(recipients)
    if ctx.can("comments") and ctx.chance(0.6):
        text = rng.choice((
            lambda: f"请核实{ctx.name(p.name)}电话{ctx.phone(p.phone)}",
            lambda: f"{ctx.name(p.name)}户身份证号{ctx.id_number(p)}与户口本不一致，待核",
            lambda: f"{ctx.name(p.name)}已搬至{ctx.address(p.address)}，下月停发",
        ))()
        doc.comments.append(Comment(text, author=rng.choice(("办事员", "审核人", "小王", ctx.official())),
                                    anchor=anchor))
    if ctx.can("deletions") and ctx.chance(0.5):
        q = ctx.person()
        doc.deletions.append((anchor, f"（{ctx.name(q.name)}，身份证号{ctx.id_number(q)}，因死亡注销）"))
    if ctx.can("hidden_text") and ctx.chance(0.4):
        q = rng.choice(recipients)
        doc.hidden_text.append(f"内部核对：{ctx.name(q.name)} {ctx.id_number(q)} {ctx.phone(q.phone)}")
    if ctx.can("hidden_inputs") and ctx.chance(0.6):
        q = rng.choice(recipients)
        doc.hidden_inputs.append(("applicant_id", ctx.id_number(q)))
        doc.hidden_inputs.append(("contact", ctx.phone(q.phone)))
    if ctx.can("hidden_sheets") and ctx.chance(0.5):
        rows = [[ctx.name(q.name), ctx.bank_card(q.bank_card), q.bank] for q in recipients]
        doc.hidden_sheets.append(("银行账户", Table(["姓名", "银行卡号", "开户行"], rows)))
    if ctx.can("hidden_rows") and doc.tables() and ctx.chance(0.3):
        table = doc.tables()[0]
        table.hidden_rows = frozenset({len(table.rows) - 1})
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
        if ctx.chance(0.3):
            q = rng.choice(recipients)
            doc.properties["keywords" if ctx.fmt == "pdf" else rng.choice(("comments", "keywords"))] = \
                f"{ctx.name(q.name)}家属电话{ctx.phone(people.personal_phone(rng))}"


def prose_list(ctx: Ctx) -> Doc:
    """A 公示 written as prose, one recipient per paragraph, in the sentences clerks use."""
    rng, place = ctx.rng, ctx.place
    program = rng.choice(("最低生活保障", "特困人员供养", "临时救助", "低保"))
    recipients = [ctx.person() for _ in range(ctx.rows(4, 10))]
    blocks: list[str | Table] = [
        (f"经本人申请，{place.town}对申请对象家庭经济状况进行了调查核实，并经民主评议，"
        f"拟将下列{len(recipients)}户纳入{program}范围，现予公示：")]
    for i, p in enumerate(recipients, start=1):
        form = rng.randrange(6)
        if form == 0:
            text = (f"户主{ctx.name(p.name)}，{p.sex}，{p.age()}岁，身份证号：{ctx.id_number(p)}，"
                    f"住{ctx.address(p.address)}，家庭人口{p.household}人，{ctx.reason_phrase(p)}，"
                    f"拟月保障金额{p.amount}元。")
        elif form == 1:
            text = (f"{i}.{ctx.name(p.name)}（身份证号码{ctx.id_number(p)}），{p.village}村民，"
                    f"{ctx.reason_phrase(p)}，联系电话{ctx.phone(p.phone)}，拟给予临时救助{p.amount}元。")
        elif form == 2:
            text = (f"申请人{ctx.name(p.name)}，家住{ctx.address(p.address)}，{ctx.reason_phrase(p)}，"
                    f"经入户调查、民主评议，拟同意纳入{program}。")
        elif form == 3:
            text = (f"（{'一二三四五六七八九十'[min(i, 10) - 1]}）{ctx.name(p.name)}户，{p.household}人，"
                    f"{p.village}，{ctx.reason_phrase(p)}，拟保障金额{p.amount}元/月。")
        elif form == 4:
            spouse = people.person_name(rng, ctx.fake)
            born = ctx.mark(BIRTH, f"{p.birth.year}年{p.birth.month}月")
            text = (f"{ctx.name(p.name)}，{p.sex}，{born}出生，{p.village}人，"
                    f"与配偶{ctx.name(spouse)}共同生活，{ctx.reason_phrase(p)}，"
                    f"联系电话：{ctx.phone(p.phone)}。")
        else:
            text = (f"{i}、{ctx.name(p.name)}  {ctx.id_number(p)}  {ctx.address(p.address)}  "
                    f"{p.household}人  {p.amount}元")
        blocks.append(text)
    blocks += [f"公示时间为7个工作日。如有异议，请在公示期内向{place.town}民政办或{place.county}民政局反映。",
               f"举报电话：{ctx.office_phone()}", f"{place.town}民政办", ctx.date()]
    doc = Doc(title=f"关于{place.town}{program}对象审核情况的公示", blocks=blocks)
    add_hidden_leaks(ctx, doc, recipients, anchor=1)
    return doc


def approval_form(ctx: Ctx) -> Doc:
    """A 临时救助/低保 审批表 laid out as a key/value grid, published by mistake."""
    rng, place = ctx.rng, ctx.place
    p = ctx.person(health_share=0.8)
    kind = rng.choice(("临时救助申请审批表", "最低生活保障申请审批表", "特困人员救助供养审批表", "医疗救助申请审批表"))
    grid: list[list[str | int]] = [
        ["申请人姓名", ctx.name(p.name), "性别", p.sex],
        ["身份证号码", ctx.id_number(p), "出生年月", ctx.mark(BIRTH, f"{p.birth.year}年{p.birth.month}月")],
        ["联系电话", ctx.phone(p.phone), "家庭人口", f"{p.household}人"],
        ["家庭住址", ctx.address(p.address), "所属村（社区）", p.village],
    ]
    if ctx.chance(0.6):
        grid.append(["开户银行", p.bank, "银行账号", ctx.bank_card(p.bank_card)])
    if ctx.chance(0.4):
        grid.append(["电子邮箱", ctx.email(p.email), "", ""])
    if ctx.chance(0.5):
        kind_doc, number = rng.choice((("护照", f"E{rng.randint(10_000_000, 99_999_999)}"),
                                       ("港澳居民来往内地通行证", f"H{rng.randint(10_000_000, 99_999_999)}"),
                                       ("军官证", f"军字第{rng.randint(1_000_000, 9_999_999)}号")))
        grid.append(["其他证件", kind_doc, "证件号码", ctx.mark(CERT, number)])
    for _ in range(rng.randint(0, p.household - 1)):
        member = ctx.person()
        grid.append(["家庭成员", f"{rng.choice(people.RELATIONS)} {ctx.name(member.name)}",
                     "身份证号", ctx.id_number(member)])
    grid += [
        ["申请理由", f"本人{ctx.reason_phrase(p)}，家庭收入低于当地低保标准，特申请救助。", "", ""],
        ["村（居）委会意见", f"情况属实，同意上报。经办人：{ctx.official()}", "", ""],
        [f"{place.town}审核意见", f"经审核，同意给予救助{p.amount}元。审核人：{ctx.official()}", "", ""],
        [f"{place.county}民政局审批意见", "同意。", "", ""],
    ]
    doc = Doc(title=kind, blocks=[f"编号：{place.town[:2]}{rng.randint(2026001, 2026999)}",
                                  Table([], grid), f"填表日期：{ctx.date()}"])
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def reply_letter(ctx: Ctx) -> Doc:
    """A 政府信息公开申请答复书 posted online with the applicant's details left in."""
    rng, place = ctx.rng, ctx.place
    p = ctx.person()
    channel = rng.choice(("电子邮件", "信函", "政府信息公开网上申请平台", "当面"))
    if channel == "电子邮件":
        channel = f"电子邮件（{ctx.email(p.email)}）"
    topic = rng.choice(("本村2025年低保对象名单及保障金额", "临时救助资金发放明细", "本人低保申请的审批材料",
                        "某养老机构运营补贴的发放情况"))
    blocks: list[str | Table] = [
        f"{people.document_number(rng)}",
        f"{ctx.name(p.name)}：",
        f"你于{ctx.date(9)}通过{channel}提交的政府信息公开申请收悉。你申请公开“{topic}”。",
        ("经审查，现答复如下：你申请公开的信息中，低保对象的姓名、所在村（社区）、保障人数和保障金额属于"
        "主动公开范围，予以公开；其中涉及第三方的身份证号码、联系方式等个人隐私信息，根据《中华人民共和国"
        "政府信息公开条例》第十五条的规定，不予公开。"),
        (f"如对本答复不服，可以在收到本答复之日起60日内向{place.county}人民政府申请行政复议，"
        "或者在6个月内向人民法院提起行政诉讼。"),
        f"{place.office}",
        ctx.date(10),
        f"（联系人：{ctx.official()}，联系电话：{ctx.office_phone()}）",
        (f"送达地址：{place.city}{place.county}{place.town}{ctx.address(p.address)}，"
        f"收件人：{ctx.name(p.name)}，电话：{ctx.phone(p.phone)}"),
    ]
    if ctx.chance(0.4):
        blocks.append(f"申请人身份证号：{ctx.id_number(p)}")
    doc = Doc(title=f"{place.office}政府信息公开申请答复书", blocks=blocks)
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def application_register(ctx: Ctx) -> Doc:
    """A 依申请公开 登记台账 attached to a report: applicants with phones, e-mails and addresses."""
    rng = ctx.rng
    rows = []
    for i in range(1, ctx.rows(6, 16) + 1):
        if ctx.chance(0.2):   # a company applicant: not a private person
            org = f"{ctx.place.city[:-1]}{rng.choice(('恒信', '诚达', '安康', '明远'))}{rng.choice(('科技', '物业', '律师事务所'))}有限公司"
            rows.append([i, org, ctx.office_phone(), f"service@{rng.choice(('hengxin', 'chengda', 'ankang'))}.com.cn",
                         f"{ctx.place.county}{rng.choice(people.ROADS)}{rng.randint(1, 200)}号", "养老机构补贴政策", ctx.date(), "予以公开"])
            continue
        p = ctx.person()
        rows.append([i, ctx.name(p.name), ctx.phone(p.phone), ctx.email(p.email), ctx.address(p.address),
                     rng.choice(("本村低保名单", "征地补偿标准", "临时救助审批材料", "本人低保档案")),
                     ctx.date(), rng.choice(("予以公开", "部分公开", "信息不存在", "不予公开"))])
    headers = ["序号", rng.choice(("申请人", "申请人姓名")), "联系电话", rng.choice(("电子邮箱", "邮箱", "E-mail")),
               rng.choice(("通信地址", "联系地址")), "申请内容", "受理日期", "答复类型"]
    doc = Doc(title=f"{ctx.place.office}2025年政府信息公开申请登记台账", blocks=[Table(headers, rows)])
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def payment_roster(ctx: Ctx) -> Doc:
    """A 低保金发放花名册（银行代发）: names, IDs and bank accounts."""
    rng, place = ctx.rng, ctx.place
    recipients = [ctx.person() for _ in range(ctx.rows(10, 25))]
    headers = ["序号", rng.choice(("姓名", "户主姓名", "领款人")), rng.choice(ID_HEADERS),
               rng.choice(("银行卡号", "账号", "卡号", "社保卡号")), "开户行", "金额（元）", "备注"]
    rows = [[i, ctx.name(p.name), ctx.id_number(p), ctx.bank_card(p.bank_card), p.bank, p.amount,
             rng.choice(("", "", "", "新增", "提标", "补发"))] for i, p in enumerate(recipients, start=1)]
    doc = Doc(title=f"{place.town}2026年{rng.randint(1, 12)}月低保金发放花名册（银行代发）",
              blocks=[f"制表单位：{place.town}社会事务办", Table(headers, rows),
                      f"制表人：{ctx.official()}    审核人：{ctx.official()}    制表日期：{ctx.date()}"])
    add_hidden_leaks(ctx, doc, recipients, anchor=0)
    return doc


def leaky_annual_report(ctx: Ctx) -> Doc:
    """An annual report whose 依申请公开 section names an applicant and their contact details."""
    doc = annual_report(ctx)
    p = ctx.person()
    leak = ctx.rng.choice((
        lambda: (f"例如，群众{ctx.name(p.name)}（联系电话：{ctx.phone(p.phone)}）申请公开其所在村低保名单，"
                 "我局依法予以公开，并对其中的身份证号码等信息作了去标识化处理。"),
        lambda: (f"其中，{ctx.name(p.name)}通过电子邮箱{ctx.email(p.email)}申请公开本人低保审批材料，"
                 "我局在法定期限内予以答复。"),
        lambda: (f"本年度唯一一件行政复议案件的申请人为{ctx.name(p.name)}（身份证号{ctx.id_number(p)}），"
                 "复议机关维持了我局的答复。"),
    ))()
    at = next(i for i, b in enumerate(doc.blocks) if isinstance(b, str) and "依申请公开" in b)
    doc.blocks.insert(at + 1, leak)
    return doc


MARKINGS_TOP = ("秘密★1年", "机密★5年", "秘密★6个月", "机　密", "绝密★长期", "秘密")
MARKINGS_HEADER = ("内部资料 注意保存", "内部资料，注意保密", "内部文件 不得外传", "工作秘密")
MARKINGS_NOTE = ("（此件不公开）", "（内部文件，不得外传）", "（此件不得翻印）")


def marked_draft(ctx: Ctx) -> Doc:
    """A 工作方案 draft still carrying its 密级, 内部资料 header, draft label or 附注."""
    rng, place = ctx.rng, ctx.place
    topic = rng.choice(("困难群众基本生活保障", "社会救助家庭经济状况核对", "低保专项治理", "救灾物资储备"))
    doc = Doc(title=f"{place.county}{topic}工作方案", blocks=policy_paragraphs(ctx, rng.randint(5, 9)))
    kinds = rng.sample(("top", "header", "draft", "note"), rng.randint(1, 3))
    if "top" in kinds and ctx.can("pre_title"):
        mark = rng.choice(MARKINGS_TOP)
        doc.pre_title = [f"{rng.randint(1, 99):06d}", ctx.mark(MARK, mark)]
    if "header" in kinds and ctx.can("header"):
        mark = rng.choice(MARKINGS_HEADER)
        doc.header = ctx.mark(MARK, mark)
    if "draft" in kinds or not (doc.pre_title or doc.header):
        label = rng.choice(("征求意见稿", "讨论稿", "送审稿"))
        doc.title += f"（{ctx.mark(MARK, label)}）"
    if "note" in kinds:
        note = rng.choice(MARKINGS_NOTE)
        doc.blocks += [f"{place.county}民政局", ctx.date(), ctx.mark(MARK, note.strip("（）"), written=note)]
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


# ======================================================================== clean templates

def officials_sentence(ctx: Ctx) -> str:
    o = [ctx.official() for _ in range(6)]
    return ctx.rng.choice((
        (f"成立了以局长{o[0]}同志为组长、副局长{o[1]}同志为副组长，各科室负责人为成员的政务公开工作领导小组，"
        f"领导小组办公室设在局办公室，{o[2]}同志兼任办公室主任，负责日常工作。"),
        f"局党组书记、局长{o[0]}多次主持召开专题会议研究部署政务公开工作，分管副局长{o[1]}具体抓落实。",
        f"领导小组下设办公室，{o[2]}同志兼任办公室主任，{o[3]}、{o[4]}、{o[5]}为办公室成员，负责信息公开的各项具体工作。",
        f"调整充实政务公开工作领导小组，由党组成员、副局长{o[1]}同志任组长，办公室主任{o[2]}同志任副组长。",
    ))


def policy_paragraphs(ctx: Ctx, count: int) -> list[str]:
    """Prose about policy: amounts, 文号, 重病/残疾人 as categories (mentions, not someone's data)."""
    rng, place = ctx.rng, ctx.place
    pool = [
        lambda: (f"全年共发放城乡低保金{rng.randint(1000, 9999)}.{rng.randint(10, 99)}万元，保障对象{rng.randint(1000, 9000)}户"
                 f"{rng.randint(9000, 20000)}人；发放特困人员供养金{rng.randint(100, 999)}.{rng.randint(1, 9)}万元。"),
        lambda: (f"自{rng.randint(1, 12)}月1日起，城乡低保标准由每人每月{rng.randint(800, 950)}元提高到{rng.randint(951, 1200)}元，"
                 f"同比提高{rng.randint(3, 12)}.{rng.randint(1, 9)}%。"),
        lambda: ("对低保家庭中的重病患者、重度残疾人、老年人等特殊困难群体，适当增发低保金；"
                 "对因病致贫的支出型贫困家庭，按规定纳入低保边缘家庭范围。"),
        lambda: (f"困难残疾人生活补贴和重度残疾人护理补贴惠及{rng.randint(2000, 9000)}人，"
                 f"发放资金{rng.randint(500, 3000)}万元，实现应补尽补。"),
        lambda: (f"印发《{place.county}最低生活保障实施办法》（{people.document_number(rng)}）和"
                 f"《关于进一步做好临时救助工作的通知》（{people.document_number(rng)}），规范审核审批流程。"),
        lambda: (f"稳步开展医疗救助工作，共救助{rng.randint(1, 9)}.{rng.randint(10, 99)}万人次、{rng.randint(300, 900)}万元，"
                 "将罕见病、重特大疾病纳入救助范围。"),
        lambda: ("严格落实信息发布保密审查制度，按照“先审查、后公开”和“一事一审”的原则，"
                 "对拟公开的政府信息依照《中华人民共和国保守国家秘密法》及有关规定进行保密审查。"),
        lambda: ("低保对象名单公示严格执行去标识化要求，仅公示姓名、所在村（社区）、保障人数和保障金额，"
                 "不公开身份证号码、联系方式和致贫原因等个人信息。"),
        lambda: (f"加强社会救助家庭经济状况核对，全年核对{rng.randint(1, 9)}万余人次，检出不符合条件的申请"
                 f"{rng.randint(100, 600)}户，涉及资金{rng.randint(100, 400)}万元。"),
        lambda: (f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，召开全{place.county[-1]}社会救助工作会议，"
                 f"{rng.randint(12, 18)}个镇（街道）分管领导和民政办主任参加会议。"),
        lambda: ("畅通“12345”政务服务热线和民政服务热线，及时回应群众关切，全年办理群众来电来信"
                 f"{rng.randint(300, 2000)}件，办结率100%。"),
        lambda: (f"开展“5·12”防灾减灾日宣传周活动，改扩建避灾安置点{rng.randint(3, 12)}个，"
                 f"争取福彩公益金{rng.randint(10, 90)}万元，充实{rng.randint(10, 18)}个镇（街道）的救灾物资储备。"),
    ]
    chosen = rng.sample(pool, count) if count <= len(pool) else [rng.choice(pool) for _ in range(count)]
    return [f() for f in chosen]


ANNUAL_TABLE_ROWS = (
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
    "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "（五）不予处理", "（六）其他处理", "（七）总计", "四、结转下年度继续办理",
)


def annual_report(ctx: Ctx) -> Doc:
    """A 政府信息公开工作年度报告 in the 国办公开办函〔2021〕30号 format: nothing to block."""
    rng, place = ctx.rng, ctx.place
    office = place.office
    contact, phone = ctx.official(), ctx.office_phone()
    blocks: list[str | Table] = [
        (f"本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发"
        f"〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。"
        f"报告全文可在“{place.county}人民政府”门户网站查阅。如对本报告有疑问，请与{office}办公室联系。"),
        "一、总体情况",
        (f"2025年，{office}在县委、县政府的领导下，认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，持续推进社会救助等重点领域信息公开。"),
        officials_sentence(ctx),
        *policy_paragraphs(ctx, rng.randint(3, 6) * ctx.scale),
        "（二）依申请公开",
        (f"2025年，我局共收到政府信息公开申请{rng.randint(2, 30)}件，均在法定期限内答复，未发生因依申请公开"
        "引起的行政复议和行政诉讼。"),
        "二、主动公开政府信息情况",
        Table(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
              [["规章", 0, 0, 0], ["行政规范性文件", rng.randint(0, 6), rng.randint(0, 3), rng.randint(5, 30)]]),
        Table(["信息内容", "本年处理决定数量"],
              [["行政许可", rng.randint(10, 400)], ["行政处罚", rng.randint(0, 5)], ["行政强制", 0]]),
        "三、收到和处理政府信息公开申请情况",
        Table(["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "自然人", "法人或其他组织", "总计"],
              [[row, n, m, n + m] for row in ANNUAL_TABLE_ROWS
               for n, m in [(rng.randint(0, 9), rng.randint(0, 3))]]),
        "四、政府信息公开行政复议、行政诉讼情况",
        Table(["行政复议结果纠正", "行政复议结果维持", "其他结果", "尚未审结", "总计"], [[0, rng.randint(0, 2), 0, 0, 1]]),
        "五、存在的主要问题及改进情况",
        ("一是个别科室对政务公开工作重视程度不够；二是政策解读的形式还不够丰富。下一步，我们将进一步完善"
        "工作机制，加强保密审查，确保涉及个人隐私的信息经去标识化处理后方可公开。"),
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。经保密审查，本报告不涉及国家秘密和个人隐私。",
        f"联系人：{contact}；联系电话：{phone}；办公地址：{people.office_address(rng, place)}；"
        f"邮政编码：{rng.randint(310000, 329999)}" + (f"；电子邮箱：mzj_xxgk@{rng.choice(('tx', 'qh', 'ph'))}.gov.cn"
                                                     if ctx.chance(0.5) else "") + "。",
        office,
        f"2026年1月{rng.randint(10, 28)}日",
    ]
    doc = Doc(title=f"{office}2025年政府信息公开工作年度报告", blocks=blocks)
    if ctx.can("footer"):
        doc.footer = f"{office}  地址：{people.office_address(rng, place)}  电话：{ctx.office_phone()}"
    if ctx.can("properties"):
        doc.properties.update(author=rng.choice(AUTHORS), title=doc.title)
    return doc


def policy_explainer(ctx: Ctx) -> Doc:
    """A 政策解读: categories of people and health conditions as policy, office contacts."""
    rng, place = ctx.rng, ctx.place
    number = people.document_number(rng)
    blocks: list[str | Table] = [
        "一、制定背景",
        (f"为贯彻落实《社会救助暂行办法》和省委、省政府关于改革完善社会救助制度的部署，{place.county}民政局"
        f"会同县财政局起草了《{place.county}低保边缘家庭认定办法》（{number}）。"),
        "二、主要内容",
        ("（一）救助对象。本办法所称低保边缘家庭，是指不符合最低生活保障条件，家庭人均收入低于当地低保标准"
        "1.5倍，且财产状况符合规定的家庭。"),
        ("（二）单独施保。低保边缘家庭中的重病患者、重度残疾人，可参照“单人户”纳入低保。重病是指尿毒症、"
        "恶性肿瘤、白血病等需要长期治疗的疾病；重度残疾人是指持有第二代残疾人证、残疾等级为一级、二级的残疾人。"),
        *policy_paragraphs(ctx, rng.randint(2, 4) * ctx.scale),
        "三、办理流程",
        ("申请时需提交：申请书、居民身份证和户口簿复印件、家庭成员收入证明，残疾人还需提供残疾人证，"
         "重病患者需提供二级以上医院出具的诊断证明。"),
        ("申请人向户籍所在地乡镇（街道）提出申请，乡镇（街道）在5个工作日内完成入户调查，"
        "并在申请人所在村（社区）公示7天。公示内容仅包括姓名、所在村（社区）和保障金额。"),
        "四、咨询方式",
        (f"咨询单位：{place.county}民政局社会救助科；联系人：{ctx.official()}；咨询电话：{ctx.office_phone()}；"
        f"办公地址：{people.office_address(rng, place)}。"),
        "本文件经保密审查，不涉密，此件公开发布。",
    ]
    doc = Doc(title=f"《{place.county}低保边缘家庭认定办法》政策解读", blocks=blocks)
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def mask_name(name: str) -> str:
    if "·" in name:
        return name.split("·")[0][:1] + "*·" + "*" * len(name.split("·")[1])
    if name[:2] in people.COMPOUND_SURNAMES:
        return name[:2] + "*" * (len(name) - 2)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def masked_list(ctx: Ctx) -> Doc:
    """A 公示 after de-identification: masked names, village level only, no IDs/phones/reasons."""
    rng, place = ctx.rng, ctx.place
    recipients = [ctx.person() for _ in range(ctx.rows(10, 25))]
    with_id = ctx.chance(0.4)
    headers = ["序号", rng.choice(("户主姓名", "姓名", "申请人")), rng.choice(VILLAGE_HEADERS), "保障人数", "保障金额（元/月）"]
    if with_id:
        headers.insert(2, "身份证号")
    rows = []
    for i, p in enumerate(recipients, start=1):
        row: list[str | int] = [i, mask_name(p.name), p.village, p.household, p.amount]
        if with_id:
            row.insert(2, p.id_number[:2] + "*" * 13 + p.id_number[-3:])
        rows.append(row)
    doc = Doc(title=f"{place.town}2026年第{rng.randint(1, 4)}季度最低生活保障对象公示", blocks=[
        f"根据《社会救助暂行办法》，现将{place.town}新增低保对象予以公示（已按规定去标识化处理）。",
        Table(headers, rows),
        f"公示期7天。监督电话：{ctx.office_phone()}。",
        f"{place.town}社会事务办公室", ctx.date()])
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def org_list(ctx: Ctx) -> Doc:
    """Organisations with their 统一社会信用代码: public registration data, not personal."""
    rng, place = ctx.rng, ctx.place
    kinds = (("养老服务中心", "52"), ("社会工作服务社", "52"), ("慈善基金会", "53"), ("老年协会", "51"),
             ("颐养院", "12"), ("居家养老服务有限公司", "91"))
    rows = []
    for i in range(1, ctx.rows(8, 20) + 1):
        name, prefix = rng.choice(kinds)
        prefix_town = rng.choice(people.TOWNS)
        rows.append([i, f"{place.county}{prefix_town[:2]}{name}", synth.uscc(rng, prefix),
                     rng.choice(("合格", "基本合格", "合格", "不合格")), rng.randint(0, 300),
                     f"{rng.randint(1, 60)}.{rng.randint(0, 9)}万元"])
    doc = Doc(title=f"{place.county}2025年度养老服务机构运营补贴及年检结果公告", blocks=[
        (f"根据《{place.province}养老服务条例》和{people.document_number(rng)}文件要求，现将2025年度养老服务机构"
        "年检结果及运营补贴发放情况公告如下："),
        Table(["序号", "机构名称", "统一社会信用代码", "年检结论", "床位数", "补贴金额"], rows),
        f"如有异议，请于公告之日起7个工作日内向{place.county}民政局养老服务科反映，联系电话：{ctx.office_phone()}。",
        f"{place.office}", ctx.date()])
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def statistics_table(ctx: Ctx) -> Doc:
    """Monthly statistics by town: numbers everywhere, no person."""
    rng, place = ctx.rng, ctx.place
    rows = []
    for town in rng.sample(people.TOWNS, rng.randint(6, 12)):
        households = rng.randint(80, 900)
        persons = households + rng.randint(20, 600)
        rows.append([town, households, persons, round(persons * rng.uniform(700, 1000) / 10000, 2),
                     rng.randint(0, 40), rng.randint(0, 80)])
    total = [sum(r[i] for r in rows) for i in range(1, 6)]
    rows.append(["合计", *[round(v, 2) for v in total]])
    month = rng.randint(1, 12)
    doc = Doc(title=f"{place.county}2026年{month}月城乡低保和特困人员统计表", blocks=[
        f"填报单位：{place.office}（盖章）    统计时间：2026年{month}月{rng.randint(25, 28)}日",
        Table(["镇（街道）", "低保户数", "低保人数", "低保金（万元）", "特困人数", "临时救助人次"], rows),
        f"填表人：{ctx.official()}    审核人：{ctx.official()}    联系电话：{ctx.office_phone()}",
    ])
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


def work_notice(ctx: Ctx) -> Doc:
    """A 通知 to towns: 文号, deadlines, a contact person in role, 附注 "此件公开发布"."""
    rng, place = ctx.rng, ctx.place
    doc = Doc(title=f"关于开展{rng.choice(('2026年社会救助政策落实情况自查', '低保专项治理', '困难群众冬春救助'))}工作的通知",
              blocks=[people.document_number(rng), "各镇人民政府、街道办事处：",
                      *policy_paragraphs(ctx, rng.randint(2, 4) * ctx.scale),
                      (f"请各镇（街道）于{ctx.date()}前将自查报告报送至县民政局社会救助科（联系人：{ctx.official()}，"
                      f"电话：{ctx.office_phone()}，邮箱：shjzk@{rng.choice(('tx', 'qh', 'ph', 'aj'))}.gov.cn）。"
                      "材料中涉及个人信息的，请按规定去标识化。"),
                      place.office, ctx.date(), "（此件公开发布）"])
    if ctx.can("pre_title"):
        doc.pre_title = [f"{place.county[:2]}民发〔2026〕{rng.randint(1, 99)}号"] if ctx.chance(0.3) else []
    if ctx.can("properties"):
        doc.properties["author"] = rng.choice(AUTHORS)
    return doc


# ======================================================================== the set

@dataclass(frozen=True)
class Template:
    build: Callable[[Ctx], Doc]
    formats: tuple[str, ...]
    clean: bool


TEMPLATES: dict[str, Template] = {
    "recipient_table": Template(recipient_table, ("docx", "xlsx", "html", "csv", "pdf", "txt"), False),
    "prose_list": Template(prose_list, ("docx", "txt", "html", "pdf"), False),
    "approval_form": Template(approval_form, ("docx", "xlsx", "pdf", "html"), False),
    "reply_letter": Template(reply_letter, ("docx", "txt", "pdf", "html"), False),
    "application_register": Template(application_register, ("xlsx", "csv", "docx", "html", "pdf"), False),
    "payment_roster": Template(payment_roster, ("xlsx", "csv", "docx", "pdf"), False),
    "leaky_annual_report": Template(leaky_annual_report, ("docx", "html", "txt", "pdf"), False),
    "marked_draft": Template(marked_draft, ("docx", "pdf", "txt", "html"), False),
    "annual_report": Template(annual_report, ("docx", "html", "txt", "pdf"), True),
    "policy_explainer": Template(policy_explainer, ("docx", "html", "txt", "pdf"), True),
    "masked_list": Template(masked_list, ("xlsx", "docx", "html", "csv"), True),
    "org_list": Template(org_list, ("xlsx", "csv", "docx", "html"), True),
    "statistics_table": Template(statistics_table, ("xlsx", "csv", "html", "pdf"), True),
    "work_notice": Template(work_notice, ("docx", "txt", "html", "pdf"), True),
}


def text_encoding(rng: random.Random, fmt: str) -> str:
    """Clerks' text files are often GB18030 (saved from Notepad or Excel on a Chinese Windows)."""
    if fmt in ("txt", "csv"):
        return rng.choice(("utf-8", "gb18030", "utf-8-sig"))
    return "utf-8"


def build(name: str, fmt: str, seed: int, scale: int = 1) -> tuple[Doc, Ctx]:
    ctx = Ctx(seed=seed, fmt=fmt, scale=scale)
    return TEMPLATES[name].build(ctx), ctx


def generate(out_dir: Path, seed: int = DEFAULT_SEED, rounds: int = 2) -> dict:
    """Write every template in every format it supports, `rounds` times; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    documents: dict[str, dict] = {}
    master = random.Random(seed)
    for round_no in range(rounds):
        for name, template in TEMPLATES.items():
            for fmt in template.formats:
                doc_seed = master.randrange(2**31)
                doc, ctx = build(name, fmt, doc_seed)
                if template.clean and ctx.truth:
                    raise AssertionError(f"clean template {name} recorded personal data: {ctx.truth}")
                filename = f"{name}-{round_no}.{fmt}"
                write(doc, out_dir / filename, encoding=text_encoding(ctx.rng, fmt))
                documents[filename] = {"template": name, "seed": doc_seed, "clean": template.clean,
                                       "expected": ctx.truth}
    manifest = {"version": 1, "seed": seed, "documents": documents}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成带标注的合成评测集（全部为虚构数据）")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=2, help="每个模板、每种格式各生成几份")
    args = parser.parse_args(argv)
    manifest = generate(args.out_dir, args.seed, args.rounds)
    docs = manifest["documents"].values()
    print(f"{len(manifest['documents'])} documents ({sum(d['clean'] for d in docs)} clean), "
          f"{sum(len(d['expected']) for d in docs)} labelled items -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
