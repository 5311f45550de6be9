"""Small synthetic drafts for the review tests (all values made up by tests/synth.py)."""

from __future__ import annotations

import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import docx

from tests import synth

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Draft:
    path: Path
    ids: tuple[str, ...]
    mobiles: tuple[str, ...]
    names: tuple[str, ...]


def recipients_docx(folder: Path, seed: int = 7, name: str = "公示.docx") -> Draft:
    """A 低保 list: 2 rows of 姓名 / 身份证号 / 联系电话 / 家庭住址 = 8 findings to decide."""
    rng = random.Random(seed)
    document = docx.Document()
    document.add_paragraph("和平街道2026年10月最低生活保障对象公示")
    table = document.add_table(rows=1, cols=4)
    for cell, header in zip(table.rows[0].cells, ["姓名", "身份证号", "联系电话", "家庭住址"]):
        cell.text = header
    names, ids, mobiles = ("张三明", "李桂芳"), (synth.cn_id(rng), synth.cn_id(rng)), (synth.mobile(rng), synth.mobile(rng))
    for person, number, phone, house in zip(names, ids, mobiles, ("和平村3组12号", "东风村5组8号")):
        for cell, value in zip(table.add_row().cells, [person, number, phone, house]):
            cell.text = value
    document.add_paragraph("公示期7天。")
    path = folder / name
    document.save(path)
    return Draft(path, ids, mobiles, names)


def marked_docx(folder: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("秘密★1年")
    document.add_paragraph("关于调整低保标准的请示")
    path = folder / "请示.docx"
    document.save(path)
    return path


def env(tmp_path: Path, reviewer: str | None = "审查员甲") -> dict:
    """A clean environment: the audit database and key under tmp_path, no user config."""
    values = {k: v for k, v in os.environ.items() if not k.startswith("PREPUB_")}
    values.update(PYTHONIOENCODING="utf-8", NO_COLOR="1", COLUMNS="200",
                  PREPUB_CONFIG=str(tmp_path / "no-config.yaml"), PREPUB_AUDIT_DB=str(tmp_path / "audit.sqlite3"),
                  PREPUB_AUDIT_KEY=str(tmp_path / "audit.key"), PYTHONPATH=str(ROOT))
    if reviewer:
        values["PREPUB_REVIEWER"] = reviewer
    return values


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "prepub_review", "review", *args]
