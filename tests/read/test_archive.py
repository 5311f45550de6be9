"""ZIP archives (formats/archive/): a site's 附件.zip is read file by file. Before, it was refused
unread, so a site gate could only fail on it, whatever it held."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import openpyxl

from prepub_review.formats.sniff import sniff
from tests import synth
from tests.conftest import run_prepub

RNG = random.Random(20261211)
FAKE = synth.faker(20261211)
NAME, ID, PHONE = FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)


class GbkName(zipfile.ZipInfo):
    """A member named as a Chinese Windows stores it: GBK bytes, no UTF-8 flag."""

    __slots__ = ()

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp437"), self.flag_bits & ~0x800


def register() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号", "联系电话"])
    sheet.append([NAME, ID, PHONE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bundle(path: Path, *, with_list: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("说明.txt", "本压缩包为2026年11月城乡低保公示附件。".encode())
        if with_list:
            archive.writestr(GbkName("低保名单.xlsx".encode("gbk").decode("cp437")), register())
        archive.writestr("css/style.css", "body{}")
        archive.writestr("旧附件.rar", b"Rar!\x1a\x07\x00")
    return path


def findings(path: Path) -> tuple[int, list[dict]]:
    run = run_prepub("check", str(path), "--format", "json")
    return run.code, run.json()["documents"][0]["findings"]


def test_every_file_inside_is_read_with_its_name(tmp_path):
    path = bundle(tmp_path / "附件.zip")
    assert sniff(path) == "zip"
    code, found = findings(path)
    assert code == 1
    assert ("压缩包内「低保名单.xlsx」 工作表「名单」 B2", "CN_ID_CARD", "block") in \
        {(f["location"], f["entity"], f["severity"]) for f in found}
    notices = {(f["location"], f["variant"], f["severity"]) for f in found if f["entity"] == "UNVERIFIED_CONTENT"}
    assert notices == {("压缩包内「css/style.css」", "archive_member", "info"),
                       ("压缩包内「旧附件.rar」", "embedded_object", "review")}


def test_an_archive_of_clean_files_is_not_a_failure(tmp_path):
    path = tmp_path / "附件.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("说明.txt", "本压缩包为2026年工作方案附件。".encode())
    assert run_prepub("check", str(path)).code == 0


def test_an_archive_inside_an_archive_is_not_opened(tmp_path):
    inner = bundle(tmp_path / "inner.zip")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "inner.zip")
    run = run_prepub("check", str(outer), "--format", "json")
    document = run.json()["documents"][0]
    assert document["verdict"] == "review" and [f["variant"] for f in document["findings"]] == ["embedded_object"]
    assert "压缩包中又有压缩包" in document["findings"][0]["reason"]


def test_an_archive_cannot_be_redacted_and_says_so(tmp_path):
    run = run_prepub("redact", str(bundle(tmp_path / "附件.zip")), "-o", str(tmp_path / "out.zip"))
    assert run.code == 2 and "ZIP 压缩包" in run.stdout + run.stderr
