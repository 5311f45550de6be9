"""A file's own name is published with it (the attachment's address, the name a download is saved
under): `check` reads it as the first segment of every document, and of every file in an archive
with its folders; `redact` names its copy without the values it takes out of the name, refuses an
output name that still holds one, and the audit record names the file masked.

Names quoted in locations (a sheet, a file in an archive) are shown with such values masked in
every report, message and audit record, unless raw values are asked for (--reveal)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import openpyxl
import pymupdf
import pytest

from prepub_review.act.redact.plan import Override
from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor
from prepub_review.pipeline import Checker
from tests import synth
from tests.conftest import run_prepub

RNG = random.Random(20261203)
ID, PHONE = synth.cn_id(RNG), synth.mobile(RNG)
NAME = synth.faker(20261203).name()
SHOWN_PHONE = f"{PHONE[:3]}＊＊＊＊{PHONE[-4:]}"     # the display mask, in characters a file name may hold
BODY = "关于做好2026年城乡低保年审工作的通知\n各村（社区）按要求上报年审材料。"


def findings(path: Path) -> list[dict]:
    return run_prepub("check", str(path), "--format", "json").json()["documents"][0]["findings"]


def write_txt(path: Path) -> None:
    path.write_text(BODY, encoding="utf-8")


def write_docx(path: Path) -> None:
    document = docx.Document()
    for line in BODY.splitlines():
        document.add_paragraph(line)
    document.save(path)


def write_pdf(path: Path) -> None:
    document = pymupdf.open()
    page = document.new_page()
    for number, line in enumerate(BODY.splitlines()):
        page.insert_text((72, 72 + 24 * number), line, fontname="china-s", fontsize=12)
    document.save(path)


WRITERS = {"txt": write_txt, "docx": write_docx, "pdf": write_pdf}


def test_values_in_a_file_name_are_found(tmp_path):
    source = tmp_path / f"低保申请-{ID}.txt"
    write_txt(source)
    found = findings(source)
    assert [(f["entity"], f["location"], f["severity"], f["locator"]["part"]) for f in found] == [
        ("CN_ID_CARD", "文件名", "block", "file_name")]
    assert ID not in run_prepub("check", str(source)).stdout.replace(str(source), "")   # masked, the given path aside


def test_a_marking_in_a_file_name_blocks_and_a_plain_name_passes(tmp_path):
    marked, plain = tmp_path / "机密★1年 低保对象名单.txt", tmp_path / "2026年第三季度城南街道低保名单.txt"
    write_txt(marked)
    write_txt(plain)
    assert [(f["entity"], f["severity"]) for f in findings(marked)] == [("CLASSIFICATION_MARK", "block")]
    assert findings(plain) == []


def test_a_person_named_in_the_name_of_their_own_papers_is_found(tmp_path):
    source = tmp_path / "张建国低保申请表.pdf"
    write_pdf(source)
    assert [(f["entity"], f["location"], f["severity"]) for f in findings(source)] == [
        ("PERSON", "文件名", "review")]


def test_names_of_files_in_an_archive_are_read_with_their_folders(tmp_path):
    archive = tmp_path / "附件.zip"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(f"材料/{ID}/申请表.txt", "各村按要求上报。")
        package.writestr(f"联系人{PHONE}.heic", b"not read")        # a file prepub does not read: its name still is
    found = {(f["entity"], f["location"]) for f in findings(archive)}
    shown_id, shown_phone = f"{ID[:6]}********{ID[-4:]}", f"{PHONE[:3]}****{PHONE[-4:]}"
    assert ("CN_ID_CARD", f"压缩包内「材料/{shown_id}/申请表.txt」 文件名") in found      # shown masked there too
    assert ("PHONE_NUMBER", f"压缩包内「联系人{shown_phone}.heic」 文件名") in found


def test_a_member_named_dot_does_not_stop_the_archive(tmp_path):
    """A member named "." has no stem to cut: the archive was refused whole (ValueError) once names
    were read."""
    archive = tmp_path / "附件.zip"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(".", b"x")
        package.writestr("名单.txt", f"身份证号 {ID}")
    document = run_prepub("check", str(archive), "--format", "json").json()["documents"][0]
    assert document["verdict"] == "block" and not document.get("error")


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_redact_names_its_copy_without_the_value(tmp_path, fmt):
    source = tmp_path / f"临时救助公示（{PHONE}）.{fmt}"
    WRITERS[fmt](source)
    before = source.read_bytes()
    run = run_prepub("redact", str(source))
    assert run.code == 0, run.stdout + run.stderr
    written = tmp_path / f"临时救助公示（{SHOWN_PHONE}）.去标识化.{fmt}"
    assert written.is_file(), sorted(p.name for p in tmp_path.iterdir())
    assert [p.name for p in tmp_path.iterdir() if PHONE in p.name] == [source.name]
    assert "文件名含个人信息" in run.stdout and PHONE not in run.stdout.replace(str(source), "")   # the given path aside
    assert source.read_bytes() == before
    assert run_prepub("check", str(written)).code == 0


def test_an_output_name_that_keeps_the_value_is_refused(tmp_path):
    source = tmp_path / f"低保申请-{PHONE}.txt"
    write_txt(source)
    run = run_prepub("redact", str(source), "-o", str(tmp_path / f"发布-{PHONE}.txt"))
    assert run.code == 1
    assert "输出文件名仍含个人信息" in run.stderr and PHONE not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]
    assert run_prepub("redact", str(source), "-o", str(tmp_path / "发布.txt")).code == 0


def test_a_name_the_reviewer_keeps_stays_in_the_default_name(tmp_path):
    source = tmp_path / f"低保申请-{PHONE}.txt"
    write_txt(source)
    checker = Checker()
    redactor = Redactor(checker, load_profile(checker.rules, "assistance-recipients"))
    document, checked = redactor.open_checked(source)
    with document:
        (index,) = [i for i, f in enumerate(checked.findings) if f.location == "文件名"]
        result = redactor.write(document, checked, None, overrides={index: Override(keep=True)})
    assert result.output.name == f"低保申请-{PHONE}.去标识化.txt" and result.output.is_file()


def test_the_audit_record_names_the_file_masked(tmp_path):
    source = tmp_path / f"低保申请-{PHONE}.txt"
    write_txt(source)
    db = str(tmp_path / "audit.db")
    assert run_prepub("redact", str(source), "--audit-db", db).code == 0
    assert run_prepub("check", str(source), "--audit-db", db).code == 1
    shown = "".join(run_prepub("audit", "show", seq, "--audit-db", db).stdout for seq in ("1", "2"))
    assert f"低保申请-{PHONE[:3]}****{PHONE[-4:]}.txt" in shown and PHONE not in shown
    exported = run_prepub("audit", "export", "--format", "json", "--audit-db", db).stdout
    assert PHONE not in exported


def household_sheet(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"户主{NAME}家"
    sheet.append(["姓名", "身份证号"])
    sheet.append([NAME, ID])
    workbook.save(path)
    return path


def test_a_sheet_named_after_a_household_is_shown_masked_everywhere(tmp_path):
    source = household_sheet(tmp_path / "名单.xlsx")
    report = run_prepub("check", str(source), "--format", "json").json()["documents"][0]["findings"]
    assert {(f["location"], f["entity"]) for f in report} >= {
        (f"工作表「户主{NAME[0]}{'*' * (len(NAME) - 1)}家」 名称", "PERSON"),
        (f"工作表「户主{NAME[0]}{'*' * (len(NAME) - 1)}家」 B2", "CN_ID_CARD")}
    assert all(NAME not in str(f["locator"]) and NAME not in (f["record"] or "") for f in report)
    reviewed = run_prepub("review", str(source), "--accept-all", "--reviewer", "甲",
                          "--audit-db", str(tmp_path / "review.db"))
    for shown in (run_prepub("check", str(source)), run_prepub("check", str(source), "--format", "sarif"),
                  run_prepub("redact", str(source), "--dry-run"), reviewed):    # refused: a sheet is not renamed
        assert "工作表「户主" in shown.stdout + shown.stderr and NAME not in shown.stdout + shown.stderr
    db = str(tmp_path / "audit.db")
    assert run_prepub("check", str(source), "--audit-db", db).code == 1
    assert NAME not in run_prepub("audit", "export", "--format", "json", "--audit-db", db).stdout
    assert f"工作表「户主{NAME}家」" in run_prepub("check", str(source), "--reveal").stdout     # asked for


def test_the_name_of_a_file_embedded_in_a_pdf_is_read_and_leaves_with_the_file(tmp_path):
    source = tmp_path / "通知.pdf"
    write_pdf(source)
    with pymupdf.open(source) as document:
        document.embfile_add(f"联系人{PHONE}.jpg", b"\xff\xd8 not read", filename=f"联系人{PHONE}.jpg")
        document.saveIncr()
    assert ("PHONE_NUMBER", "attachment") in {(f["entity"], (f["locator"] or {}).get("part")) for f in findings(source)}
    out = tmp_path / "发布.pdf"
    assert run_prepub("redact", str(source), "-o", str(out)).code == 0
    assert PHONE.encode() not in out.read_bytes() and findings(out) == []
