"""The real-world set: documents a clerk meets every week, one template per kind of page.

Written from the genre descriptions (../shared/genres.md) and the misses and false alarms listed
in issue 10, BEFORE the rules were tuned; a template is never changed to suit a rule. Pages are
laid out as published: line breaks inside table cells, a label on one line and its value on the
next, traditional characters, full-width digits, numbers split by double or ideographic spaces.

`clean` templates are genres that publish names, house numbers, office phones or credit codes by
design: the checker must raise no block/review finding on them. The others hold private data,
labelled through the placeholders (see fill.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from tests.eval.writers import Comment, Doc, Table, write
from tests.realworld.fill import Filler

GENRES = ("news", "notice", "commendation", "appointment", "naming", "statistics", "procurement", "penalty",
          "free_text")


@dataclass
class Template:
    genre: str
    title: str
    blocks: list = field(default_factory=list)          # str or Table of template strings
    clean: bool = False
    formats: tuple[str, ...] = ("txt", "docx", "html")
    comments: list[str] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)   # docx: deleted text in the first paragraph
    hidden_text: list[str] = field(default_factory=list)


def T(headers, *rows, caption=None):
    return Table(list(headers), [list(r) for r in rows], caption=caption)


TEMPLATES: dict[str, Template] = {
    # ---------------------------------------------------------------- news
    "news-rescue": Template("news", "{town}救助管理站开展“寒冬送温暖”专项救助行动", [
        "近日，{town}救助管理站在巡查中发现一名流浪人员倒在{road}公交站旁，工作人员立即上前询问。",
        "经核实，该男子名叫{NAME}，今年{age}岁，老家在{town}，患{HEALTH}多年，靠打零工维持生活。",
        "工作人员联系到其妹妹{NAME}，{NAME}的手机号是{MOBILE}，当晚即赶到救助站将其接回。",
        "站长{name}介绍，今冬以来共救助流浪乞讨人员{num}人次。",
    ]),
    "news-masked": Template("news", "{town}民政办帮助困难群众解决实际困难", [
        "{town}{village}村民王某，{HEALTH=肢体残疾二级}，妻子长期卧病在床。",
        "了解情况后，民政办主任{name}带领工作人员上门走访，为其办理了临时救助。",
    ]),
    "news-clean": Template("news", "{town}召开2026年社会救助工作推进会", [
        "10月12日，{town}召开2026年社会救助工作推进会，副{title}{name}出席会议并讲话。",
        "会议通报了全镇低保、特困供养和临时救助工作情况，{title}{name}对下一阶段工作作了部署。",
        "会议要求，各村（社区）要加强对因病、因残致贫家庭的动态监测，做到应保尽保。",
    ], clean=True),
    "news-traditional": Template("news", "社區關愛行動溫暖獨居長者", [
        "據{town}社區服務中心介紹，獨居長者{NAME}今年{age}歲，患有{HEALTH}，子女均在外地工作。",
        "社工{name}每週上門探訪。{NAME}的手機號碼為{MOBILE|fw}，身份證號碼{ID|fw}。",
    ], formats=("txt", "html")),
    # ---------------------------------------------------------------- notices
    "meeting-clean": Template("notice", "关于召开全县民政工作会议的通知", [
        "各乡镇人民政府、街道办事处，县级有关单位：",
        "经研究，定于2026年10月20日上午9:00在县行政中心（{road}{num}号）三楼会议室召开全县民政工作会议。",
        "请各单位分管领导和民政办主任参加，于10月18日前将参会回执报县民政局办公室。",
        "联系人：{name}",
        "联系电话：{tel}",
        "电子邮箱：{orgmail}",
    ], clean=True),
    "meeting-contact-table": Template("notice", "关于举办基层社会救助经办人员培训班的通知", [
        "培训地点：县民政局培训中心（{road}{num}号）",
        T(["联系人", "联系电话"], ["{name}", "{tel}"], ["{name}", "{tel}"]),
    ], clean=True, formats=("docx", "html")),
    "meeting-signin": Template("notice", "关于召开低保工作培训会的通知", [
        "附件：参会人员签到表",
        T(["姓名", "身份证号", "手机"], ["{NAME}", "{ID}", "{MOBILE}"], ["{NAME}", "{ID}", "{MOBILE}"],
          ["{NAME}", "{ID}", "{MOBILE}"]),
    ], formats=("docx", "html", "txt")),
    # ---------------------------------------------------------------- commendations
    "commend-clean": Template("commendation", "关于表彰{town}见义勇为先进个人的决定", [
        "2026年8月，{town}{village}发生溺水险情，{village}村民{name}、{name}不顾个人安危跳入河中，成功救起落水儿童。",
        "为弘扬正气，经研究，决定授予{name}同志、{name}同志“见义勇为先进个人”称号，各奖励人民币5000元。",
        "{name}，男，{age}岁，{town}{village}村民。",
        "{name}，女，{age}岁，{town}个体经营户。",
    ], clean=True),
    "commend-dirty": Template("commendation", "关于确认{name}同志见义勇为行为的决定", [
        "{NAME}，男，{age}岁，身份证号码：{ID}，联系电话：{MOBILE}，家住{ADDR}。",
        "在救援过程中{NAME}受伤，经诊断为{HEALTH}，目前仍在治疗。",
    ]),
    # ---------------------------------------------------------------- appointments
    "appoint-clean": Template("appointment", "县管领导干部任前公示", [
        "根据《党政领导干部选拔任用工作条例》，经县委常委会研究，拟任用以下同志，现予以公示：",
        "{name}，男，汉族，{year}年{month}月生，{town}人，大学学历，中共党员，现任县民政局办公室主任，拟任县民政局副局长。",
        "{name}，女，汉族，{year}年{month}月生，{town}人，研究生学历，现任{town}党委委员，拟任{town}副镇长。",
        "公示期间，如有情况反映，请与县委组织部干部监督科联系。电话：{tel}",
    ], clean=True),
    "appoint-news-clean": Template("appointment", "{name}同志任县民政局局长", [
        "日前，县人大常委会第十二次会议决定任命{name}为县民政局局长。",
        "{name}，男，{year}年{month}月出生，籍贯{town}，曾任{town}党委书记。",
    ], clean=True, formats=("txt", "html")),
    "appoint-dirty": Template("appointment", "干部任前公示", [
        "{NAME}，男，{year}年{month}月生，身份证号{ID}，家庭住址{ADDR}，手机{MOBILE}。",
    ]),
    # ---------------------------------------------------------------- naming
    "naming-clean": Template("naming", "关于{town}部分道路命名的批复", [
        "{town}人民政府：你镇《关于部分道路命名的请示》收悉。经研究，批复如下：",
        "一、{road}：东起{road}，西至{village}{num}号，全长{num}米，宽12米。",
        "二、{road}：南起{village}{num}号，北止于{road}{num}号，全长{num}米。",
        "请按规定设置地名标志。",
    ], clean=True),
    "naming-dirty": Template("naming", "关于{road}更名的公告", [
        "{road}西段更名为{road}，起点为{road}，终点为住户{NAME}家（{ADDR}）。",
        "如有异议，请与住户{NAME}联系，电话{MOBILE}。",
    ], formats=("txt", "docx")),
    # ---------------------------------------------------------------- statistics
    "stats-clean": Template("statistics", "2026年{town}残疾人事业发展统计公报", [
        "截至2026年底，全区持证残疾人{count}人，其中视力残疾{count}人，听力残疾{count}人，肢体残疾{count}人，精神残疾{count}人。",
        T(["类别", "户数", "人数"], ["因病致贫", "{num}", "{num}"], ["因残致贫", "{num}", "{num}"],
          ["重度残疾人护理补贴", "{num}", "{num}"], caption="表1 救助对象致贫原因统计"),
        "全年发放重度残疾人护理补贴{count}万元。",
    ], clean=True),
    "stats-case": Template("statistics", "2026年医疗救助工作统计", [
        "全年医疗救助{count}人次。典型个案：{village}{NAME}，{HEALTH}，救助金额{num}万元。",
    ], formats=("txt", "docx")),
    # ---------------------------------------------------------------- procurement
    "bid-clean": Template("procurement", "县民政局养老服务信息平台采购项目中标结果公告", [
        "一、中标供应商：{company}",
        "统一社会信用代码：{uscc_luhn}",
        "地址：{road}{num}号",
        "联系电话：{tel}",
        "二、评审专家名单：{name}、{name}、{name}、{name}、{name}",
        "三、采购人：县民政局，联系人：{name}，电话：{tel}",
        T(["供应商", "统一社会信用代码", "地址"], ["{company}", "{uscc_luhn}", "{road}{num}号"],
          ["{company}", "{uscc}", "{road}{num}号"]),
    ], clean=True),
    "bid-person": Template("procurement", "{village}小型农田水利工程成交结果公告", [
        "成交供应商：{NAME}（自然人），身份证号：{ID}，住址：{ADDR}，联系电话：{MOBILE}。",
    ], formats=("txt", "docx")),
    # ---------------------------------------------------------------- penalty decisions
    "penalty-org-clean": Template("penalty", "行政处罚决定书", [
        "当事人：{company}",
        "统一社会信用代码：{uscc_luhn}",
        "住所：{road}{num}号",
        "公司的地址是{road}{num}号，公司邮箱为{orgmail}。",
        "经查，当事人未按规定公示收费标准，违反了《养老机构管理办法》第二十二条。",
    ], clean=True),
    "penalty-person": Template("penalty", "行政处罚决定书", [
        "当事人：{NAME}，男，{age}岁，",
        "身份证号码：",
        "{ID}",
        "住址：{ADDR}",
        "经查，当事人于2026年5月冒领其母{NAME}的高龄津贴。",
    ], formats=("txt", "docx")),
    # ---------------------------------------------------------------- free text
    "free-running": Template("free_text", "来电记录", [
        "{NAME}的手机号是{MOBILE}，住在{town}。",
        "客户是{NAME}先生，反映其父{NAME}患{HEALTH}，申请临时救助。",
        "经查，{NAME}系{village}村民，{HEALTH}，家中无劳动力。",
        "来访人{NAME}（护照{PASSPORT}）称，其配偶{NAME}为户主。",
        "{NAME}（个人邮箱 {FREEMAIL}，手机 {MOBILE}）。",
    ]),
    "free-ids": Template("free_text", "信息核对记录", [
        "身份证号 {ID|sp2}",
        "公民身份号码：{ID|ideo}",
        "身份证：{ID|dash}",
        "身份证号码 {ID|dot}",
        "身份证号：{ID|fw}",
        "银行卡号：{BANK|sp2}",
        "开户账号 {BANK|ideo}",
        "收款账户：{BANK|dash}",
        "联系电话：{MOBILE0}",
        "手机：{MOBILE|fw}",
        "{NAME}  {ID15}  男  {village}",
        "旧身份证号码为{ID15}。",
    ], formats=("txt", "docx")),
    "free-documents": Template("free_text", "出入境证件核查情况", [
        "{NAME}，外交护照{DIPLOMATIC}。",
        "{NAME}，公务护照号码：{SERVICE}。",
        "{NAME}，护照号码：{PASSPORT_OLD}（旧版）。",
        "{NAME}持有的普通护照号码为{PASSPORT_G}。",
        "{NAME}，往来港澳通行证：{HKMO}。",
        "{NAME}，大陆居民往来台湾通行证号码{TAIWAN}。",
        "{NAME}，回乡证{HOMEVISIT}。",
        "{NAME}（外籍），外国人永久居留身份证号码：{FOREIGNER}。",
        "{NAME}，外国人永久居留证号码：{FOREIGNER15}。",
        "核查清单：{PASSPORT}、{PASSPORT}",
    ], formats=("txt", "docx")),
    "free-email": Template("free_text", "信访事项受理登记", [
        "来信人{NAME}，男，{age}岁，邮箱：{FREEMAIL}，反映其低保被取消一事。",
        "申请人{NAME}的电子邮箱：{FREEMAIL}",
        "本中心邮箱：{orgmail}，{title}{name}负责答复。",
    ]),
    "free-org-clean": Template("free_text", "关于养老机构备案情况的说明", [
        "{company}的地址是{road}{num}号，公司邮箱：{orgmail}，联系电话：{tel}。",
        "{town}养老服务中心的地址是{road}{num}号。",
        "单位地址：{road}{num}号，统一社会信用代码{uscc_luhn}。",
    ], clean=True),
    "free-hidden": Template("free_text", "临时救助审批情况说明", [
        "经审核，本月共审批临时救助{num}户，救助金额{count}元。",
        "承办人：{name}",
    ], formats=("docx",), comments=["请联系{NAME}（{MOBILE}）核实家庭收入", "待核实：{HAN}、{HAN}、{HAN}"],
        deletions=["{NAME}，{HEALTH}"], hidden_text=["{NAME} {ID}"]),
    "free-html-comment": Template("free_text", "临时救助审批情况", [
        "经审核，本月共审批临时救助{num}户。",
    ], formats=("html",), comments=["<tr><td>{NAME}</td><td>{ID}</td><td>{MOBILE}</td></tr>"]),
    "free-name-column": Template("free_text", "{town}牧区困难群众慰问金发放名单", [
        T(["序号", "姓名", "嘎查（村）", "金额（元）"], ["1", "{SHORTNAME}", "{village}", "500"],
          ["2", "{SHORTNAME}", "{village}", "500"], ["3", "{NAME}", "{village}", "800"],
          ["4", "{SHORTNAME}", "{village}", "500"]),
    ], formats=("docx", "html")),
    "free-cell-breaks": Template("free_text", "低保审批表", [
        T([], ["户主姓名", "{NAME}", "身份证号码", "{ID}"],
          ["家庭住址", "{town}\n{ADDR}", "联系电话", "{MOBILE}"],
          ["致贫原因", "因病（{HEALTH=尿毒症}）", "开户账号", "{BANK}"]),
    ], formats=("docx", "html")),
}


def build(template: Template, fmt: str, seed: int) -> tuple[Doc, list[dict]]:
    filler = Filler(seed)

    def fill_block(block):
        if isinstance(block, Table):
            return Table([filler.fill(h) for h in block.headers],
                         [[filler.fill(str(c)) for c in row] for row in block.rows], caption=block.caption)
        return filler.fill(block)

    title = filler.fill(template.title)
    blocks = [fill_block(b) for b in template.blocks]
    doc = Doc(title=title, blocks=blocks)
    doc.comments = [Comment(filler.fill(text), author="办事员") for text in template.comments]
    doc.deletions = [(0, filler.fill(text)) for text in template.deletions]
    doc.hidden_text = [filler.fill(text) for text in template.hidden_text]
    return doc, filler.truth


def generate(out_dir: Path, seed: int = 20261010, rounds: int = 3) -> dict:
    """Write every template in each of its formats, `rounds` times; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    master = random.Random(seed)
    documents = {}
    for round_no in range(rounds):
        for name, template in TEMPLATES.items():
            for fmt in template.formats:
                doc_seed = master.randrange(2**31)
                doc, truth = build(template, fmt, doc_seed)
                if template.clean and truth:
                    raise AssertionError(f"clean template {name} holds private data: {truth}")
                filename = f"{name}-{round_no}.{fmt}"
                write(doc, out_dir / filename)
                documents[filename] = {"template": name, "genre": template.genre, "clean": template.clean,
                                       "expected": truth}
    return {"version": 1, "seed": seed, "documents": documents}
