"""Files whose personal data exists only as pixels, built once per test session (small pictures:
3 recipients at 150 dpi, so each OCR takes a few seconds)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ocr import pictures

pytestmark = pytest.mark.skipif(pictures.cjk_font() is None, reason="no Chinese font (fonts-noto-cjk)")


@dataclass
class PictureFiles:
    folder: Path
    files: dict[str, Path]            # kind -> file
    tables: dict[str, pictures.Table]  # kind -> the recipients it shows


@pytest.fixture(scope="session")
def picture_files(tmp_path_factory) -> PictureFiles:
    if pictures.cjk_font() is None:
        pytest.skip("no Chinese font (fonts-noto-cjk)")
    folder = tmp_path_factory.mktemp("pictures")
    rng = random.Random(11)
    tables = {kind: pictures.recipient_table(rng, rows=3, dpi=150) for kind in ("png", "docx", "pdf", "html", "xlsx")}
    files = {
        "png": pictures.write_png(folder / "低保名单照片.png", tables["png"].picture),
        "docx": pictures.write_docx_with_picture(folder / "粘贴截图.docx", tables["docx"].picture),
        "pdf": pictures.write_bytes(folder / "扫描名单.pdf", pictures.scanned_pdf([tables["pdf"].picture])),
        "html": pictures.write_html_with_picture(folder / "公示页面.html", tables["html"].picture),
        "xlsx": pictures.write_xlsx_with_picture(folder / "附图名单.xlsx", tables["xlsx"].picture),
    }
    return PictureFiles(folder, files, tables)
