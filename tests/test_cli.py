"""The `prepub check` command: end to end through a real process (run_prepub_process) for the
terminal report and a usage error, in this process through click's CliRunner (run_prepub) for the rest."""

import random
from pathlib import Path

import docx
import pytest

from tests import synth
from tests.conftest import run_prepub, run_prepub_process


@pytest.fixture(scope="module")
def recipient_docx(tmp_path_factory):
    rng = random.Random(5)
    fake = synth.faker(5)
    path = tmp_path_factory.mktemp("docs") / "公示.docx"
    document = docx.Document()
    document.add_paragraph("城南街道2026年10月最低生活保障对象公示")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("户主姓名", "身份证号", "保障金额")):
        cell.text = text
    ids = []
    for _ in range(3):
        row = table.add_row().cells
        ids.append(synth.cn_id(rng))
        row[0].text, row[1].text, row[2].text = fake.name(), ids[-1], "860"
    document.save(path)
    return path, ids


def test_block_document_exits_1_and_masks_values(recipient_docx):
    path, ids = recipient_docx
    run = run_prepub_process("check", str(path))
    assert run.code == 1, run.stderr
    assert "不得发布" in run.stdout
    assert "身份证号" in run.stdout
    for number in ids:
        assert number not in run.stdout
        assert f"{number[:6]}********{number[-4:]}" in run.stdout
    assert "Traceback" not in run.stderr


def test_json_is_one_object_with_stable_keys(recipient_docx):
    path, ids = recipient_docx
    run = run_prepub("check", "--format", "json", str(path))
    assert run.code == 1
    report = run.json()
    assert report["version"] == 1
    (doc,) = report["documents"]
    assert doc["verdict"] == "block" and doc["error"] is None
    id_findings = [f for f in doc["findings"] if f["entity"] == "CN_ID_CARD"]
    assert len(id_findings) == 3
    for f in id_findings:
        assert set(f) >= {"entity", "text", "severity", "location", "score"}
        assert f["severity"] == "block" and "*" in f["text"]
        assert "表格1" in f["location"]
    assert not any(number in run.stdout for number in ids)


def test_reveal_shows_raw_values(recipient_docx):
    path, ids = recipient_docx
    report = run_prepub("check", "--format", "json", "--reveal", str(path)).json()
    texts = {f["text"] for f in report["documents"][0]["findings"]}
    assert set(ids) <= texts


def test_clean_text_passes(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("本机关2025年主动公开政府信息120条，经保密审查，不涉及国家秘密。\n"
                    "联系电话：0573-88123456。局长王建国同志主持召开专题会议。\n", encoding="utf-8")
    run = run_prepub("check", str(path))
    assert run.code == 0, run.stdout + run.stderr
    assert "通过" in run.stdout


def test_a_check_run_reads_its_rules_and_policy_once(tmp_path, monkeypatch):
    # the checker takes the run's RulesSource and Policy: a second load cost every start ~7 ms
    from prepub_review.decide.policy import Policy
    from prepub_review.rules_loader import RulesSource

    loads, made = [], []
    load = Policy.load.__func__
    monkeypatch.setattr(Policy, "load", classmethod(lambda cls, rules: loads.append(rules) or load(cls, rules)))
    init = RulesSource.__init__
    monkeypatch.setattr(RulesSource, "__init__", lambda self, *a, **k: made.append(self) or init(self, *a, **k))
    path = tmp_path / "report.txt"
    path.write_text("本机关2025年主动公开政府信息120条。\n", encoding="utf-8")
    run = run_prepub("check", "--jobs", "1", str(path))
    assert run.code == 0, run.stdout + run.stderr
    assert len(loads) == 1 and len(made) == 1


def test_a_folder_with_a_document_it_cannot_read_fails_with_the_reason(tmp_path):
    import json
    import zipfile

    (tmp_path / "report.txt").write_text("本机关全年共收到申请 12 件。\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "名单.epub", "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("OEBPS/content.opf", "<package/>")
    (tmp_path / "site.css").write_text("body{}", encoding="utf-8")
    run = run_prepub("check", "--format", "json", str(tmp_path))
    assert run.code == 2, run.stdout + run.stderr
    report = json.loads(run.stdout)
    verdicts = {Path(doc["path"]).name: doc["verdict"] for doc in report["documents"]}
    assert verdicts == {"report.txt": "pass", "名单.epub": "error"}
    assert [Path(item["path"]).name for item in report["skipped"]] == ["site.css"]
    terminal = run_prepub("check", str(tmp_path))
    assert terminal.code == 2 and "电子书" in terminal.stdout


def test_shtml_and_xhtml_pages_are_checked_as_pages(tmp_path):
    # many government content systems publish their pages as .shtml: a folder of them was "没有找到可审查的文件"
    row = f"<tr><td>张建明</td><td>{synth.cn_id(random.Random(4))}</td></tr>"
    for name in ("t20251001_1.shtml", "gongshi.xhtml"):
        (tmp_path / name).write_text(f"<html><body><table><tr><td>姓名</td><td>身份证号</td></tr>{row}</table></body></html>",
                                     encoding="utf-8")
    run = run_prepub("check", "--format", "json", str(tmp_path))
    assert run.code == 1
    assert {Path(d["path"]).name: (d["format"], d["verdict"]) for d in run.json()["documents"]} == {
        "t20251001_1.shtml": ("html", "block"), "gongshi.xhtml": ("html", "block")}


def test_the_data_a_page_renders_is_checked_in_a_folder(tmp_path):
    # a page that fills its list from data/gongshi.json by script: the JSON (and a feed) are the publication
    rng = random.Random(6)
    (tmp_path / "index.html").write_text('<html><body><div id="list"></div></body></html>', encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data/gongshi.json").write_text(f'[{{"xm": "张建明", "sfzh": "{synth.cn_id(rng)}"}}]', encoding="utf-8")
    (tmp_path / "rss.xml").write_text(f"<rss><item><description>联系电话 {synth.mobile(rng)}</description></item></rss>",
                                      encoding="utf-8")
    run = run_prepub("check", "--format", "json", str(tmp_path))
    assert run.code == 1
    verdicts = {Path(d["path"]).name: d["verdict"] for d in run.json()["documents"]}
    assert verdicts == {"index.html": "pass", "gongshi.json": "block", "rss.xml": "block"}
    assert run.json()["skipped"] == []


def test_fail_on_review(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("内部资料 注意保存\n关于做好2026年社会救助工作的通知\n", encoding="utf-8")
    assert run_prepub("check", str(path)).code == 0
    assert run_prepub("check", "--fail-on", "review", str(path)).code == 1


@pytest.mark.parametrize("name, content, code", [
    ("empty.docx", b"", "empty"),
    ("junk.docx", bytes(range(256)) * 40, "unknown_format"),
    ("truncated.docx", b"PK\x03\x04" + b"\x00" * 100, None),
])
def test_bad_input_is_an_error_with_exit_2(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    run = run_prepub("check", "--format", "json", str(path))
    assert run.code == 2
    (doc,) = run.json()["documents"]
    assert doc["verdict"] == "error" and doc["error"]
    if code:
        assert doc["error_code"] == code
    assert "Traceback" not in run.stderr


def test_random_bytes_named_docx_are_an_error_and_a_cut_text_is_reviewed(tmp_path):
    junk = tmp_path / "下载失败.docx"
    junk.write_bytes(random.Random(1).randbytes(12))
    cut = tmp_path / "名单.txt"
    cut.write_bytes("低保对象名单公示\n户主：赵小梅\n".encode()[:-2])
    run = run_prepub("check", "--format", "json", str(junk), str(cut))
    assert run.code == 2
    by_name = {d["path"].rsplit("/", 1)[-1]: d for d in run.json()["documents"]}
    assert by_name["下载失败.docx"]["verdict"] == "error"
    assert by_name["下载失败.docx"]["error_code"] == "unknown_format"
    assert "内容不是 Word 文档" in by_name["下载失败.docx"]["error"]
    assert by_name["名单.txt"]["verdict"] == "review"
    assert any("文件末尾不完整" in f["reason"] for f in by_name["名单.txt"]["findings"])


def test_missing_path_is_an_error(tmp_path):
    run = run_prepub("check", str(tmp_path / "nope.docx"))
    assert run.code == 2
    assert "找不到" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_directory_lists_unsupported_files(tmp_path, recipient_docx):
    (tmp_path / "a.txt").write_text("普通文字，无个人信息。", encoding="utf-8")
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04junk")
    (tmp_path / "logo.svg").write_text("<svg/>", encoding="utf-8")     # vector pictures are read (their text)
    (tmp_path / "site.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")      # pictures are read (OCR): a broken one is an error
    report = run_prepub("check", "--format", "json", str(tmp_path)).json()
    verdicts = {d["path"].rsplit("/", 1)[-1]: d["verdict"] for d in report["documents"]}
    assert verdicts == {"a.txt": "pass", "logo.svg": "pass", "photo.png": "error", "slides.pptx": "error"}
    skipped = {s["path"].rsplit("/", 1)[-1] for s in report["skipped"]}
    assert skipped == {"site.css"}


def test_a_file_named_on_the_command_line_is_read_by_its_content(tmp_path, recipient_docx):
    """A clerk who names a file gets its verdict: an unsupported format is an error (exit 2), not a
    skip with exit 0; a text under an odd extension is read. A --files-from list is taken by extension."""
    (tmp_path / "名单.rtf").write_text("{\\rtf1\\ansi 低保对象名单}", encoding="ascii", errors="ignore")
    (tmp_path / "导出.log").write_text(f"户主 赵小梅 身份证号 {synth.cn_id(random.Random(9))}\n", encoding="utf-8")
    run = run_prepub("check", "--format", "json", str(tmp_path / "名单.rtf"), str(tmp_path / "导出.log"))
    assert run.code == 2
    by_name = {d["path"].rsplit("/", 1)[-1]: d for d in run.json()["documents"]}
    assert by_name["名单.rtf"]["verdict"] == "error" and "RTF" in by_name["名单.rtf"]["error"]
    assert by_name["导出.log"]["verdict"] == "block"
    listing = tmp_path / "list.txt"
    listing.write_text(f"{tmp_path / '导出.log'}\n{tmp_path / '名单.rtf'}\n", encoding="utf-8")
    run = run_prepub("check", "--format", "json", "--files-from", str(listing))
    assert run.code == 2      # the .log is skipped by its extension; the .rtf is a document it cannot read
    assert [(d["path"].rsplit("/", 1)[-1], d["verdict"]) for d in run.json()["documents"]] == [("名单.rtf", "error")]
    assert [s["path"].rsplit("/", 1)[-1] for s in run.json()["skipped"]] == ["导出.log"]


def test_usage_error_is_chinese_and_exit_2():
    run = run_prepub_process("check", "--no-such-option", "x")
    assert run.code == 2
    assert "用法错误" in run.stderr
    assert "Traceback" not in run.stderr


def test_malformed_rules_name_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    (rules / "policy").mkdir(parents=True)
    (rules / "policy" / "PHONE_NUMBER.yaml").write_text(
        "entity: PHONE_NUMBER\nlabel: 手机号码\nvariants:\n  mobile:\n    rule: P2\n    severity: blocker\n"
        "    reason: x\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("无内容", encoding="utf-8")
    run = run_prepub("check", "--rules", str(rules), str(doc))
    assert run.code == 2
    assert "PHONE_NUMBER.yaml" in run.stderr and "第6行" in run.stderr and "severity" in run.stderr
    assert "Traceback" not in run.stderr
