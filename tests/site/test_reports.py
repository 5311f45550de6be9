"""SARIF (validated against the official 2.1.0 schema), the HTML report in real headless Chromium,
--jobs byte-identical, --cache, -o, and a malformed approvals file. Through the `prepub` command:
real processes for --jobs (its worker pool) and --cache (its --debug log); the rest in this process."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_prepub
from tests.site.conftest import git, prepub
from tests.site.sitegen import make_site, page_html

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A git repository with a site: one leaking attachment, a broken link, one approved finding and
    one legacy finding in the approvals file."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path_factory.mktemp("reports") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    generated = make_site(repo / "site", pages=8, attachments=4, leaky=1, seed=2)
    (repo / "site" / "broken.html").write_text(page_html("失效", ["见附件。"], [("gone.pdf", "附件")]),
                                               encoding="utf-8")
    approvals = repo / ".prepub-approvals.json"
    approvals.write_text(json.dumps({"version": 1, "salt": "0123456789abcdef0123456789abcdef", "approvals": []}),
                         encoding="utf-8")
    first = run_prepub("check", "site", "--format", "json", "--no-progress", "-j", "1", cwd=repo)
    [leaky] = [d for d in first.json()["documents"] if d["verdict"] == "block"]
    phone, ident = (next(f for f in leaky["findings"] if f["entity"] == e) for e in ("PHONE_NUMBER", "CN_ID_CARD"))
    entries = [
        {"path": leaky["relative_path"], "entity": phone["entity"], "rule_id": phone["rule_id"],
         "fingerprint": phone["fingerprint"], "status": "approved", "reviewer": "王审查", "reason": "已获本人同意",
         "date": "2026-12-01", "record": 7, "record_hash": "ab" * 32},
        {"path": leaky["relative_path"], "entity": ident["entity"], "rule_id": ident["rule_id"],
         "fingerprint": ident["fingerprint"], "status": "legacy", "reason": "历史遗留待整改", "date": "2026-12-01"},
    ]
    approvals.write_text(json.dumps({"version": 1, "salt": "0123456789abcdef0123456789abcdef", "approvals": entries},
                                    ensure_ascii=False, indent=2), encoding="utf-8")
    return repo, generated


def test_sarif_validates_against_the_official_schema(site):
    jsonschema = pytest.importorskip("jsonschema")
    repo, generated = site
    out = repo / "report.sarif"
    done = run_prepub("check", "site", "--format", "sarif", "-o", str(out), "--no-progress", cwd=repo)
    assert done.code == 1 and done.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))

    run = report["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    assert all(r["help"]["text"] for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["partialFingerprints"]["prepubFinding/v1"]) == 32
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("site/") and not uri.startswith("/")
    attachment = [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  .endswith("公示名单0.xlsx")]
    assert all(r["locations"][0]["logicalLocations"][0]["name"].startswith("工作表") for r in attachment)
    assert all("由网页" in r["message"]["text"] and r["relatedLocations"] for r in attachment)
    suppressed = {r["suppressions"][0]["status"]: r for r in attachment if "suppressions" in r}
    assert set(suppressed) == {"accepted", "underReview"}
    assert suppressed["accepted"]["suppressions"][0]["kind"] == "external"
    assert "王审查" in suppressed["accepted"]["suppressions"][0]["justification"]
    assert "第 7 号" in suppressed["accepted"]["suppressions"][0]["justification"]
    broken = [r for r in run["results"] if r["ruleId"] == "U5"]
    assert broken and "gone.pdf" in broken[0]["message"]["text"]
    text = out.read_text(encoding="utf-8")
    assert not any(secret in text for secret in generated.secrets)


def test_html_report_opens_in_headless_chromium_without_raw_values(site, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium not installed (.ci/run installs it)")
    repo, generated = site
    out = tmp_path / "报告.html"
    done = run_prepub("check", "site", "--format", "html", "-o", str(out), "--no-progress", cwd=repo)
    assert done.code == 1, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "<link" not in html and " src=" not in html and "@import" not in html and "url(" not in html
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          out.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert "发布前审查报告" in rendered and "结论汇总" in rendered and "网页及其附件" in rendered
    assert "已审批保留（1 项" in rendered and "历史遗留待整改（1 项" in rendered
    assert 'data-severity="block"' in rendered and '<select id="entity">' in rendered
    assert "gone.pdf" in rendered
    assert not any(secret in rendered or secret in html for secret in generated.secrets)
    shot = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           f"--screenshot={tmp_path / 'shot.png'}", "--window-size=1200,1600", out.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    assert shot.returncode == 0 and (tmp_path / "shot.png").stat().st_size > 10_000


def test_jobs_2_is_byte_identical_to_jobs_1(site):
    repo, _ = site
    one = prepub("check", "site", "--format", "json", "--no-progress", "--jobs", "1", cwd=repo)
    two = prepub("check", "site", "--format", "json", "--no-progress", "--jobs", "2", cwd=repo)
    assert one.code == two.code == 1
    assert one.stdout.encode() == two.stdout.encode()
    summary = one.json()["summary"]
    assert summary["approved"] == 1 and summary["legacy"] == 1
    pages = {p["path"]: p for p in one.json()["site"]["pages"]}
    assert any(p["verdict"] == "block" and p["attachments"] for p in pages.values())


def test_cache_skips_unchanged_files_rebuilds_a_bad_cache_and_holds_no_raw_value(site, tmp_path):
    repo, generated = site
    cache = tmp_path / "cache"
    plain = prepub("check", "site", "--format", "json", "--no-progress", "-j", "1", cwd=repo)
    first = prepub("check", "site", "--format", "json", "--no-progress", "--cache", str(cache), cwd=repo)
    again = prepub("--debug", "check", "site", "--format", "json", "--no-progress", "--cache", str(cache), cwd=repo)
    assert plain.stdout == first.stdout == again.stdout
    files = len(plain.json()["documents"])
    assert again.stderr.count("缓存命中") == files
    stored = "".join(p.read_text(encoding="utf-8") for p in cache.rglob("*.json"))
    assert not any(secret in stored for secret in generated.secrets)

    entry = next((cache / "results").rglob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    corrupt = prepub("check", "site", "--format", "json", "--no-progress", "--cache", str(cache), cwd=repo)
    assert corrupt.stdout == plain.stdout and "缓存条目已损坏" in corrupt.stderr

    meta = json.loads((cache / "meta.json").read_text(encoding="utf-8"))
    (cache / "meta.json").write_text(json.dumps({**meta, "prepub": "0.0.1"}), encoding="utf-8")
    other = prepub("--debug", "check", "site", "--format", "json", "--no-progress", "--cache", str(cache), cwd=repo)
    assert other.stdout == plain.stdout and "其他版本" in other.stderr and "缓存命中" not in other.stderr


@pytest.mark.parametrize("text, where", [
    ('{"version": 1,\n "salt": "0123456789abcdef",\n "approvals": [\n  {"path": "a.html", "entity": "PERSON",\n'
     '   "rule_id": "P10", "fingerprint": "x", "status": "maybe"}]}', ("第5行", "status")),
    ('{"version": 1,\n "salt": "0123456789abcdef",\n "approvals": [\n  {"path": "a.html",}\n]}', ("第4行", "JSON")),
    ('{"version": 1,\n "salt": "0123456789abcdef",\n "approvals": [\n  {"path": "a.html", "entity": "PERSON"}]}',
     ("第4行", "rule_id")),
])
def test_a_malformed_approvals_file_exits_2_with_file_line_and_key(tmp_path, text, where):
    (tmp_path / "a.html").write_text("<p>公告</p>", encoding="utf-8")
    (tmp_path / "approvals.json").write_text(text, encoding="utf-8")
    done = run_prepub("check", "a.html", "--approvals", "approvals.json", cwd=tmp_path)
    assert done.code == 2
    assert "approvals.json" in done.stderr and all(w in done.stderr for w in where), done.stderr
    assert "Traceback" not in done.stderr


def test_a_cache_made_by_other_code_of_the_same_version_is_not_reused(tmp_path, monkeypatch):
    """A fix between releases changes what is found: the cache is keyed by a digest of prepub's own
    source as well as its version number."""
    from prepub_review.site import cache as cache_module

    made = cache_module.Cache(tmp_path, {"rules": "r"})
    assert made.open() is None and made.context["code"] == cache_module.code_digest()
    assert cache_module.Cache(tmp_path, {"rules": "r"}).open() is None          # the same code: kept
    monkeypatch.setattr(cache_module, "code_digest", lambda: "0" * 64)
    assert "其他版本" in cache_module.Cache(tmp_path, {"rules": "r"}).open()
