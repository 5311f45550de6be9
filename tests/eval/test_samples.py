"""The committed samples/ are what tools/make_samples.py makes, and get the verdicts samples/README.md promises."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"

EXPECTED = {
    "低保公示-城南街道-2026年10月.docx": "block",
    "临时救助名单.xlsx": "block",
    "site/index.html": "block",
    "site/notice.txt": "block",
    "2025年政府信息公开工作年度报告.docx": "pass",
    "工作方案-征求意见稿.docx": "block",
}
ACTED_ON = ("block", "review")
_SAVE_TIME = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")   # openpyxl stamps "now"


def _members(path: Path) -> dict[str, bytes]:
    if path.suffix not in (".docx", ".xlsx"):
        return {"": path.read_bytes()}
    with zipfile.ZipFile(path) as z:
        return {name: _SAVE_TIME.sub(b"", z.read(name)) for name in z.namelist()}


def test_samples_are_current_and_small(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "tools" / "make_samples.py")
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    make_samples.main([str(tmp_path)])
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(EXPECTED)
    for name in made:
        committed = SAMPLES / name
        assert committed.exists(), f"samples/{name} missing: run python tools/make_samples.py"
        assert committed.stat().st_size < 100_000
        assert _members(committed) == _members(tmp_path / name), \
            f"samples/{name} is stale: run python tools/make_samples.py"


def test_readme_lists_every_sample():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name, verdict in EXPECTED.items():
        assert f"`{name}`" in readme and verdict in readme


@pytest.fixture(scope="module")
def checker():
    pipeline = pytest.importorskip("prepub_review.pipeline")
    return pipeline.Checker()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_verdict(checker, name):
    result = checker.check_file(SAMPLES / name)
    acted = [(f.entity, f.text, str(f.severity)) for f in result.findings if str(f.severity) in ACTED_ON]
    assert str(result.verdict) == EXPECTED[name], acted


# What each leaky sample hides, and what must be found there (entity, zone).
HIDDEN = [
    ("低保公示-城南街道-2026年10月.docx", "PHONE_NUMBER", "comment"),
    ("低保公示-城南街道-2026年10月.docx", "CN_ID_CARD", "table"),
    ("临时救助名单.xlsx", "CN_ID_CARD", "hidden"),
    ("临时救助名单.xlsx", "BANK_CARD", "hidden"),
    ("临时救助名单.xlsx", "PHONE_NUMBER", "comment"),
    ("site/index.html", "CN_ID_CARD", "hidden"),
    ("site/index.html", "PHONE_NUMBER", "comment"),
    ("工作方案-征求意见稿.docx", "CLASSIFICATION_MARK", "top"),
    ("工作方案-征求意见稿.docx", "CLASSIFICATION_MARK", "header"),
]


@pytest.mark.parametrize("name, entity, zone", HIDDEN)
def test_sample_hiding_place_is_found(checker, name, entity, zone):
    result = checker.check_file(SAMPLES / name)
    hits = [(f.entity, str(f.zone), str(f.severity)) for f in result.findings]
    assert any(e == entity and z == zone and s in ACTED_ON for e, z, s in hits), hits


def test_office_contacts_in_the_footer_are_not_flagged(checker):
    result = checker.check_file(SAMPLES / "低保公示-城南街道-2026年10月.docx")
    flagged = [(f.entity, f.text) for f in result.findings if str(f.zone) == "header" and str(f.severity) in ACTED_ON]
    assert flagged == []


def test_checking_the_samples_folder_checks_the_samples_only():
    """The README's first command: every sample with its promised verdict, the samples' own
    description (README.md, left out by samples/.prepubignore) not among them; exit 1 by design."""
    from tests.conftest import run_prepub

    run = run_prepub("check", "--format", "json", "samples/", cwd=REPO)
    assert run.code == 1, run.stderr
    verdicts = {d["path"].removeprefix("samples/"): d["verdict"] for d in run.json()["documents"]}
    assert verdicts == EXPECTED
    assert run.json()["skipped"] == []
