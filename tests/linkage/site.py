"""A generated disclosure site for linkage tests and benchmarks/linkage.py (synthetic people only).

Monthly rosters (低保名单) mask every person the same way (张*明, 6+8*+4 ID, 3+4*+4 phone). Special
publications plant the leaks issue 9 is about, and decoys that must not be linked:

    planted                                                   decoy
    ID pair: roster 6+8*+4 + correction notice 14+4*          another person's last-4 form, same village
    ID triple: region-only + birth-only + last-4 forms        same masked name and village, other person
    phone pair: roster 3+4*+4 + follow-up record 7+4*         same masked phone of two people
    record: roster row + news item with the full name         news name with the same mask, other facts
    record with ID: roster row + 花名册 with full name and ID
    in-document: table row masked, introduction names in full
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests import synth
from tests.eval.people import GIVEN_CHARS
from tests.eval.writers import Comment, Doc, Table, write

REGION = "110105"
HEADERS = ["序号", "姓名", "村/社区", "家庭人口", "保障金额（元）", "身份证号", "联系电话", "发放月份"]
PERIOD = "2026年10月"


@dataclass
class Person:
    pid: int
    name: str
    village: str
    household: int
    amount: int
    id_number: str
    phone: str


@dataclass
class Plant:
    kind: str            # LINKED_IDENTIFIER | LINKED_RECORD
    pid: int
    paths: frozenset[str]


@dataclass
class Site:
    root: Path
    persons: list[Person]
    plants: list[Plant] = field(default_factory=list)
    shown_by: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    full_in: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    files: list[Path] = field(default_factory=list)

    def persons_of(self, path: str, shown: str) -> set[int]:
        """Who a place can be: the persons shown in that document in this form (or in full)."""
        return self.full_in[path] if not shown else self.shown_by[(path, shown)]


def show(value: str, positions) -> str:
    positions = set(positions)
    return "".join(ch if i in positions else "*" for i, ch in enumerate(value))


def masked_name(name: str) -> str:
    return name[0] + "*" + name[2]


def make_persons(rng: random.Random, count: int, villages: int) -> list[Person]:
    fake = synth.faker(rng.randrange(1 << 30))
    surnames = [s for s in (fake.last_name() for _ in range(400)) if len(s) == 1]
    words = "和平 东风 红星 向阳 光明 新华 胜利 团结 前进 幸福 长青 丰收 金桥 白沙 青山 石门 柳林 桃园 杏花 松岭 梅溪 竹园 兰亭 菊坪 荷塘"
    names = [f"{w}村" for w in words.split()]
    persons = []
    for pid in range(count):
        name = rng.choice(surnames) + "".join(rng.choice(GIVEN_CHARS) for _ in range(2))
        persons.append(Person(pid, name, names[pid % min(villages, len(names))], rng.randint(1, 6),
                              rng.randrange(300, 900, 10), synth.cn_id(rng, region=REGION), synth.mobile(rng)))
    return persons


class SiteWriter:
    def __init__(self, root: Path, persons: list[Person]):
        self.site = Site(root, persons)

    def row(self, path: str, p: Person, id_shown: str, phone_shown: str, name: str | None = None) -> list:
        name = name or masked_name(p.name)
        for shown in (name, id_shown, phone_shown):
            if shown:
                self.site.shown_by[(path, shown)].add(p.pid)
        if name == p.name:
            self.site.full_in[path].add(p.pid)
        return [0, name, p.village, p.household, p.amount, id_shown, phone_shown, PERIOD]

    def table_doc(self, name: str, title: str, rows: list[tuple[Person, str, str]], intro: list[str] = (),
                  comments: list[Comment] = ()) -> str:
        path = str(self.site.root / name)
        table_rows = [self.row(path, p, id_shown, phone_shown) for p, id_shown, phone_shown in rows]
        for i, r in enumerate(table_rows, 1):
            r[0] = i
        # A CSV holds the table alone: its first line is the header row.
        doc = Doc("" if name.endswith(".csv") else title, [*intro, Table(HEADERS, table_rows)],
                  comments=list(comments))
        self.site.files.append(write(doc, Path(path)))
        return path

    def prose_doc(self, name: str, title: str, paragraphs: list[tuple[Person | None, str]]) -> str:
        path = str(self.site.root / name)
        for person, _ in paragraphs:
            if person is not None:
                self.site.full_in[path].add(person.pid)
        self.site.files.append(write(Doc(title, [text for _, text in paragraphs]), Path(path)))
        return path

    def plant(self, kind: str, person: Person, *paths: str) -> None:
        self.site.plants.append(Plant(kind, person.pid, frozenset(paths)))


def standard(p: Person) -> tuple[Person, str, str]:
    return p, show(p.id_number, [*range(6), *range(14, 18)]), show(p.phone, [*range(3), *range(7, 11)])


def news_line(p: Person, household: int | None = None, amount: int | None = None) -> str:
    return (f"{p.village}村民{p.name}一家{household or p.household}口，经入户核查，"
            f"自{PERIOD}起每月领取低保金{amount or p.amount}元。")


def generate(root: Path, *, persons: int = 1000, rosters: int = 22, plants: int = 10, same_form: int = 10,
             seed: int = 9, formats: tuple[str, ...] = ("csv", "xlsx", "html", "docx")) -> Site:
    """`rosters` monthly lists plus (if `plants`) 8 special publications with `plants` of each planted
    kind; `same_form` pairs of people in different rosters whose ID and phone mask to the same form."""
    rng = random.Random(seed)
    people = make_persons(rng, persons, villages=max(3, persons // 40))
    for a, b in zip(people[0:2 * same_form:2], people[1:2 * same_form:2]):
        b.id_number = b.id_number[:14] + a.id_number[14:]
        b.phone = a.phone[:3] + b.phone[3:7] + a.phone[7:]
    writer = SiteWriter(root, people)
    site = writer.site
    by_roster = defaultdict(list)
    for i, p in enumerate(people):
        by_roster[i % rosters].append(p)
    roster_of: dict[int, str] = {}
    for r in range(rosters):
        fmt = formats[r % len(formats)]
        path = writer.table_doc(f"低保名单-{r + 1:02d}.{fmt}", f"{PERIOD}低保对象名单公示（第{r + 1}批）",
                                [standard(p) for p in by_roster[r]])
        for p in by_roster[r]:
            roster_of[p.pid] = path
    if not plants:
        return site
    pool = rng.sample(people[2 * same_form:], min(len(people), plants * 7))
    take = iter(pool)

    def pick(n: int) -> list[Person]:
        return [next(take) for _ in range(n)]

    # ID pairs: correction notice shows the first 14 (birth date) of persons listed 6+8*+4 in a roster.
    pairs, triples, phones, news, rolls, inner = (pick(plants) for _ in range(6))
    decoys = pick(plants)
    birth_rows = [(p, show(p.id_number, range(14)), "") for p in pairs]
    # Decoy: another person of the same village, other name, shows the last 4 of their own ID.
    last4_rows = []
    for p, d in zip(pairs, decoys):
        d.village = p.village
        last4_rows.append((d, show(d.id_number, range(14, 18)), ""))
    notice = writer.table_doc("更正公告.docx", "关于低保名单身份证号的更正公告", birth_rows)
    for p in pairs:
        writer.plant("LINKED_IDENTIFIER", p, roster_of[p.pid], notice)
    # ID triples: region-only, birth-only and last-4 forms in three lists.
    region = writer.table_doc("核查名单.csv", "低保对象核查名单", [(p, show(p.id_number, range(6)), "") for p in triples])
    birth = writer.table_doc("复查名单.html", "低保对象复查名单", [(p, show(p.id_number, range(6, 14)), "") for p in triples])
    tail = writer.table_doc("补发名单.xlsx", "低保金补发名单",
                            [(p, show(p.id_number, range(14, 18)), "") for p in triples] + last4_rows)
    for p in triples:
        writer.plant("LINKED_IDENTIFIER", p, roster_of[p.pid], region, birth, tail)
    # Phone pairs: the follow-up record shows the first 7 digits.
    visits = writer.table_doc("回访记录.csv", "低保对象电话回访记录", [(p, "", show(p.phone, range(7))) for p in phones])
    for p in phones:
        writer.plant("LINKED_IDENTIFIER", p, roster_of[p.pid], visits)
    # Records: a news page names the household in full; decoy names share the mask but not the facts.
    paragraphs: list[tuple[Person | None, str]] = [(p, news_line(p)) for p in news]
    for p in rng.sample(people, plants):
        if p in news:
            continue
        lookalike = p.name[0] + rng.choice(GIVEN_CHARS) + p.name[2]
        paragraphs.append((None, f"{p.village}村民{lookalike}一家{p.household % 6 + 1}口，"
                                 f"每月领取低保金{p.amount + 110}元。"))
    page = writer.prose_doc("工作动态.html", "我县扎实做好低保兜底保障工作", paragraphs)
    for p in news:
        writer.plant("LINKED_RECORD", p, roster_of[p.pid], page)
    # Records with an ID: a payroll roster with full names and IDs.
    payroll = str(root / "发放花名册.xlsx")
    write(Doc("低保金发放花名册", [Table(HEADERS, [[i, p.name, p.village, p.household, p.amount, p.id_number, "", PERIOD]
                                          for i, p in enumerate(rolls, 1)])]), Path(payroll))
    site.files.append(Path(payroll))
    site.full_in[payroll] |= {p.pid for p in rolls}
    for p in rolls:
        writer.plant("LINKED_RECORD", p, roster_of[p.pid], payroll)
    # In-document: the introduction names the household in full, the table masks it.
    intro = [f"经入户调查，{p.village}村民{p.name}家庭人口{p.household}人，月保障金{p.amount}元，符合条件。"
             for p in inner]
    survey = writer.table_doc("入户调查.docx", "低保入户调查情况", [standard(p) for p in inner], intro=intro)
    site.full_in[survey] |= {p.pid for p in inner}
    for p in inner:
        writer.plant("LINKED_RECORD", p, survey)
    return site
