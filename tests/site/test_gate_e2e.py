"""The site gate as a site repository uses it: real git, real `prepub` processes, real pre-commit.

A reviewer approves a value through `prepub review --approvals`; the redacted copy then passes the
gate (check and the pre-commit hook); changing the approved value makes it fail again; a leaking
attachment fails the gate and names the page that links it. The approval round trip and the hook
run real processes; the other cases run `prepub` in this process (`run_prepub`), with real git.
"""

import json
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import synth
from tests.conftest import Run, run_prepub
from tests.site.conftest import KEEP_CONTACT, draft_with_contact, git, prepub
from tests.site.sitegen import page_html, recipients_xlsx

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def review_and_publish(repo: Path, tmp_path: Path, prepub: Callable[..., Run] = prepub) -> dict:
    values = draft_with_contact(repo / "drafts" / "通知.html")
    (tmp_path / "keep.yaml").write_text(KEEP_CONTACT, encoding="utf-8")
    done = prepub("review", "drafts/通知.html", "--reviewer", "王审查", "--decisions", str(tmp_path / "keep.yaml"),
                      "--approvals", ".prepub-approvals.json", "-o", "site/xxgk/通知.html", "--profile", "web-general",
                      "--audit-db", str(tmp_path / "audit.db"), cwd=repo)
    assert done.code == 0, done.stdout + done.stderr
    assert "记入审批文件" in done.stdout
    return values


def test_an_approved_value_passes_and_a_changed_one_fails(site_repo, tmp_path):
    repo, _ = site_repo
    values = review_and_publish(repo, tmp_path)
    approvals = json.loads((repo / ".prepub-approvals.json").read_text(encoding="utf-8"))
    entry = approvals["approvals"][0]
    assert entry["path"] == "site/xxgk/通知.html" and entry["entity"] == "PHONE_NUMBER" and entry["record"] == 1
    raw = (repo / ".prepub-approvals.json").read_text(encoding="utf-8")
    assert values["mobile"] not in raw and all(v not in raw for v in values["ids"])

    # The redacted copy is what the gate sees: the recipients masked, the volunteer's mobile kept.
    published = (repo / "site/xxgk/通知.html").read_text(encoding="utf-8")
    assert values["mobile"] in published and values["ids"][0] not in published
    gate = prepub("check", "site/", "--format", "json", "--no-progress", cwd=repo)
    assert gate.code == 0, gate.stdout + gate.stderr
    report = gate.json()
    assert report["summary"]["approved"] == 1 and report["summary"]["block"] == 0
    [doc] = [d for d in report["documents"] if d["relative_path"] == "site/xxgk/通知.html"]
    [kept] = [f for f in doc["findings"] if f["approval"]]
    assert kept["severity"] == "info" and kept["approval"]["reviewer"] == "王审查" and kept["approval"]["record"] == 1
    assert values["mobile"] not in gate.stdout

    text = prepub("check", "site/", "--show-info", "--no-progress", cwd=repo)
    assert text.code == 0 and "已审批保留" in text.stdout and "王审查" in text.stdout and "审查记录第 1 号" in text.stdout

    # An edit elsewhere in the page keeps the approval.
    page = repo / "site/xxgk/通知.html"
    page.write_text(published.replace("关于2026年度", "关于二〇二六年度"), encoding="utf-8")
    assert prepub("check", "site/", "-q", "--no-progress", cwd=repo).code == 0

    verified = prepub("approvals", "verify", "--audit-db", str(tmp_path / "audit.db"), cwd=repo)
    assert verified.code == 0, verified.stdout + verified.stderr

    # A different number in the same place is not what the reviewer approved.
    other = synth.mobile(random.Random(77))
    page.write_text(page.read_text(encoding="utf-8").replace(values["mobile"], other), encoding="utf-8")
    changed = prepub("check", "site/", "-q", "--no-progress", cwd=repo)
    assert changed.code == 1, changed.stdout
    assert "不得发布" in changed.stdout and "site/xxgk/通知.html" in changed.stdout
    assert "过期的审批 1 条" in changed.stdout and other not in changed.stdout


def test_a_hand_edited_approval_is_stale_never_a_pass(site_repo, tmp_path):
    repo, _ = site_repo
    review_and_publish(repo, tmp_path, run_prepub)
    path = repo / ".prepub-approvals.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["approvals"][0]["fingerprint"] = "0" * 32
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    gate = run_prepub("check", "site/", "-q", "--no-progress", cwd=repo)
    assert gate.code == 1 and "过期的审批 1 条" in gate.stdout


def test_an_attachment_leak_fails_and_names_the_linking_page(site_repo):
    repo, _ = site_repo
    secrets = recipients_xlsx(repo / "site/附件/临时救助名单.xlsx", random.Random(3), synth.faker(3))
    (repo / "site/xxgk/gongshi.html").write_text(page_html(
        "临时救助公示", ["现将名单公示如下。"],
        [("../%E9%99%84%E4%BB%B6/%E4%B8%B4%E6%97%B6%E6%95%91%E5%8A%A9%E5%90%8D%E5%8D%95.xlsx", "名单")]), encoding="utf-8")
    gate = run_prepub("check", "site/", "-q", "--no-progress", cwd=repo)
    assert gate.code == 1
    assert "由网页发布：site/xxgk/gongshi.html" in gate.stdout
    assert "不得发布  site/xxgk/gongshi.html  ← 附件 site/附件/临时救助名单.xlsx" in gate.stdout
    assert not any(value in gate.stdout for value in secrets)

    sarif = run_prepub("check", "site/", "--format", "sarif", "--no-progress", cwd=repo)
    results = [r for r in json.loads(sarif.stdout)["runs"][0]["results"]
               if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/附件/临时救助名单.xlsx"]
    assert results and all("site/xxgk/gongshi.html" in r["message"]["text"] for r in results)

    # --changed-since: the new attachment and the page linking it, nothing else.
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "公示")
    (repo / "site/附件/临时救助名单.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    changed = run_prepub("check", "site/", "--changed-since", "HEAD", "--format", "json", "--no-progress", cwd=repo)
    paths = [d["path"] for d in changed.json()["documents"]]
    assert paths == ["site/xxgk/gongshi.html", "site/附件/临时救助名单.xlsx"]
    # An attachment that cannot be read is an error (exit 2) naming the page that links it.
    assert changed.code == 2
    [broken] = [d for d in changed.json()["documents"] if d["verdict"] == "error"]
    assert "site/xxgk/gongshi.html" in broken["error"]


def test_a_document_a_named_page_links_is_opened_and_fails_naming_the_page(site_repo):
    # pre-commit names only the staged page: the e-book it publishes comes with it, as an error
    import zipfile

    repo, _ = site_repo
    with zipfile.ZipFile(repo / "site/附件/名单.epub", "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("OEBPS/content.opf", "<package/>")
    (repo / "site/xxgk/huiyi.html").write_text(page_html(
        "会议材料", ["材料见附件。"], [("../%E9%99%84%E4%BB%B6/%E5%90%8D%E5%8D%95.epub", "名单")]), encoding="utf-8")
    gate = run_prepub("check", "site/xxgk/huiyi.html", "--format", "json", "--no-progress", cwd=repo)
    assert gate.code == 2
    [book] = [d for d in gate.json()["documents"] if d["path"].endswith("名单.epub")]
    assert book["verdict"] == "error" and "电子书" in book["error"] and "site/xxgk/huiyi.html" in book["error"]


def test_a_root_relative_link_resolves_against_the_folder_of_an_index_shtml(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "site/附件").mkdir(parents=True)
    (tmp_path / "site/index.shtml").write_text("<html><body>首页</body></html>", encoding="utf-8")
    shutil.copy(SAMPLES / "临时救助名单.xlsx", tmp_path / "site/附件/名单.xlsx")
    page = tmp_path / "site/xxgk/t1.shtml"
    page.parent.mkdir()
    page.write_text('<html><body><a href="/附件/名单.xlsx">名单</a></body></html>', encoding="utf-8")
    gate = run_prepub("check", "site/xxgk/t1.shtml", "--format", "json", "--no-progress", cwd=tmp_path)
    assert gate.code == 1
    assert [(Path(d["path"]).name, d["verdict"]) for d in gate.json()["documents"]] == [("t1.shtml", "pass"),
                                                                                        ("名单.xlsx", "block")]


@pytest.mark.slow
def test_precommit_hook_honours_the_approvals_file(site_repo, tmp_path, pre_commit_hook):
    repo, _ = site_repo
    values = review_and_publish(repo, tmp_path)
    git(repo, "add", ".prepub-approvals.json", "site/xxgk/通知.html")

    def hook() -> subprocess.CompletedProcess:
        return pre_commit_hook.run(repo, "site/xxgk/通知.html")

    approved = hook()
    assert approved.returncode == 0, approved.stdout + approved.stderr
    page = repo / "site/xxgk/通知.html"
    page.write_text(page.read_text(encoding="utf-8").replace(values["mobile"], synth.mobile(random.Random(8))),
                    encoding="utf-8")
    git(repo, "add", "site/xxgk/通知.html")
    changed = hook()
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "Failed" in changed.stdout


def test_adopting_a_legacy_site_never_goes_silently_green(site_repo):
    repo, _ = site_repo
    secrets = recipients_xlsx(repo / "site/附件/旧名单.xlsx", random.Random(4), synth.faker(4))
    (repo / "site/old.html").write_text(page_html("旧公示", ["名单如下。"], [("附件/旧名单.xlsx", "名单")]),
                                        encoding="utf-8")
    adopted = prepub("approvals", "adopt", "site/", "--reviewer", "李登记", "-j", "2", cwd=repo)   # a worker pool: a real process
    assert adopted.code == 0, adopted.stdout + adopted.stderr
    entries = json.loads((repo / ".prepub-approvals.json").read_text(encoding="utf-8"))["approvals"]
    assert entries and {e["status"] for e in entries} == {"legacy"}
    assert not any(s in (repo / ".prepub-approvals.json").read_text(encoding="utf-8") for s in secrets)

    gate = run_prepub("check", "site/", "-q", "--no-progress", cwd=repo)
    assert gate.code == 0, gate.stdout
    assert f"历史遗留待整改 {len(entries)} 项" in gate.stdout and "site/附件/旧名单.xlsx" in gate.stdout
    report = run_prepub("check", "site/", "--format", "json", "--no-progress", cwd=repo).json()
    assert report["summary"]["legacy"] == len(entries)

    (repo / "site/附件/旧名单.xlsx").unlink()
    pruned = run_prepub("approvals", "prune", cwd=repo)
    assert pruned.code == 0 and f"已删除 {len(entries)} 条" in pruned.stdout, pruned.stdout + pruned.stderr
    assert json.loads((repo / ".prepub-approvals.json").read_text(encoding="utf-8"))["approvals"] == []
