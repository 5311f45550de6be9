"""A synthetic disclosure website: HTML pages linking .xlsx attachments (Faker zh_CN, generated IDs).

Used by the site tests and by benchmarks/site.py. Attachment names are Chinese and linked
URL-encoded, relative (`../../附件/…`) and root-relative (`/附件/…`), as real sites do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tests import synth

CLEAN_PARAGRAPHS = [
    "本机关坚持以公开为常态、不公开为例外，全年主动公开政府信息一百余条。",
    "根据《中华人民共和国政府信息公开条例》规定，现将有关事项公告如下。",
    "各街道、各部门要高度重视，加强组织领导，确保各项工作落到实处。",
    "本通知自发布之日起施行，由区民政局负责解释。",
    "经保密审查，本文件不涉及国家秘密，可以公开发布。",
]


@dataclass
class Site:
    root: Path
    pages: list[Path] = field(default_factory=list)
    attachments: list[Path] = field(default_factory=list)
    leaky: list[Path] = field(default_factory=list)        # attachments holding ID numbers
    secrets: list[str] = field(default_factory=list)        # raw values planted (must never be shown)


def page_html(title: str, paragraphs: list[str], links: list[tuple[str, str]]) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>\n' for href, text in links)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n"
            f"<h1>{title}</h1>\n{body}<ul>\n{anchors}</ul>\n</body></html>\n")


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def recipients_xlsx(path: Path, rng: random.Random, fake, count: int = 5) -> list[str]:
    """A 公示名单 with full ID numbers and mobiles: a leak. Returns the raw values written."""
    rows = [[fake.name(), synth.cn_id(rng), synth.mobile(rng), "低保"] for _ in range(count)]
    write_xlsx(path, ["姓名", "身份证号", "联系电话", "救助类别"], rows)
    return [value for row in rows for value in row[1:3]]


def budget_xlsx(path: Path, rng: random.Random) -> None:
    rows = [[f"项目{i}", str(rng.randint(10, 900)), "区财政局"] for i in range(1, 6)]
    write_xlsx(path, ["项目", "金额（万元）", "责任单位"], rows)


def href_to(page: Path, target: Path, root: Path, root_relative: bool) -> str:
    """The link a page carries to `target`: URL-encoded, relative (with ../) or from the site root."""
    if root_relative:
        return "/" + quote(target.relative_to(root).as_posix())
    depth = len(page.parent.relative_to(root).parts)
    return quote("../" * depth + target.relative_to(root).as_posix())


def make_site(root: Path, pages: int, attachments: int, leaky: int = 0, seed: int = 0) -> Site:
    rng = random.Random(seed)
    fake = synth.faker(seed)
    site = Site(root)
    for number in range(attachments):
        path = root / "附件" / f"{number // 100:02d}" / f"公示名单{number}.xlsx"
        if number < leaky:
            site.secrets += recipients_xlsx(path, rng, fake)
            site.leaky.append(path)
        else:
            budget_xlsx(path, rng)
        site.attachments.append(path)
    for number in range(pages):
        page = root / "xxgk" / f"{number // 500:03d}" / f"page{number}.html"
        links = []
        if attachments and number % max(1, pages // attachments) == 0:
            target = site.attachments[(number // max(1, pages // attachments)) % attachments]
            links.append((href_to(page, target, root, root_relative=number % 2 == 1), target.stem))
        links.append(("https://www.gov.cn/", "中国政府网"))
        paragraphs = rng.sample(CLEAN_PARAGRAPHS, 3)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(page_html(f"政务公开第{number}号", paragraphs, links), encoding="utf-8")
        site.pages.append(page)
    index = root / "index.html"
    index.write_text(page_html("政府信息公开", CLEAN_PARAGRAPHS[:2], [
        (href_to(index, page, root, root_relative=False), page.stem) for page in site.pages[:20]]), encoding="utf-8")
    site.pages.append(index)
    return site
