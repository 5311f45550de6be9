"""Linkage through the real `prepub` command over generated sites (tests/linkage/site.py)."""

from __future__ import annotations


import pytest

from tests.conftest import run_prepub, run_prepub_process
from tests.linkage.site import generate

PLANTS = 2


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    site = generate(root, persons=100, rosters=4, plants=PLANTS, same_form=3)
    run = run_prepub("check", "--format", "json", "--no-progress", str(root))
    return site, run


def links_of(run, kind: str) -> list[dict]:
    return [link for link in run.json()["linkage"]["links"] if link["kind"] == kind]


def paths(link: dict) -> set[str]:
    return {place["path"] for place in link["places"]}


def test_planted_pairs_triples_and_records_are_each_found_and_nothing_else(planted):
    site, run = planted
    assert run.code == 1, run.stderr
    identifiers = links_of(run, "LINKED_IDENTIFIER")
    for plant in (p for p in site.plants if p.kind == "LINKED_IDENTIFIER"):
        assert any(plant.paths <= paths(link) for link in identifiers), plant
    triples = [link for link in identifiers if len(link["places"]) >= 4]
    assert len(triples) == PLANTS and all(link["revealed"] == link["length"] == 18 for link in triples)
    # pairs + triples + phone pairs; decoys (another person's last 4 in the same village) not linked
    assert len(identifiers) == 3 * PLANTS
    records = links_of(run, "LINKED_RECORD")
    survey = str(site.root / "入户调查.docx")
    in_document = [link for link in records if paths(link) == {survey}]
    assert len(in_document) == PLANTS
    # news + payroll + in-document + the survey's full names against their roster rows
    assert len(records) == 4 * PLANTS
    assert {link["severity"] for link in records if str(site.root / "发放花名册.xlsx") in paths(link)} == {"block"}


def test_every_document_involved_is_a_place_of_its_link_with_the_other_places(planted):
    """Reports stream file by file, so linkage comes at the end: each link lists every place."""
    site, run = planted
    notice = str(site.root / "更正公告.docx")
    linked = [link for link in links_of(run, "LINKED_IDENTIFIER") if notice in paths(link)]
    assert len(linked) == PLANTS
    for link in linked:
        assert link["severity"] == "block" and link["rule_id"] == "L1"
        assert any("低保名单" in place["path"] for place in link["places"])
        assert link["revealed"] == 18
        assert "*" in link["text"]          # the reconstruction is shown masked


def test_linkage_results_in_sarif_name_every_place(planted, tmp_path):
    site, _ = planted
    run = run_prepub("check", "--format", "sarif", "--no-progress", str(site.root))
    results = [r for r in run.json()["runs"][0]["results"] if r["ruleId"] == "L1"]
    notice = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("更正公告.docx")]
    assert len(notice) == PLANTS
    for result in notice:
        assert result["level"] == "error" and result["partialFingerprints"]
        assert any("低保名单" in rel["physicalLocation"]["artifactLocation"]["uri"] for rel in result["relatedLocations"])


def test_the_report_never_shows_a_reconstructed_number(planted):
    site, run = planted
    for person in site.persons:
        assert person.id_number not in run.stdout and person.phone not in run.stdout


def test_same_form_masks_and_consistent_masking_are_not_flagged(tmp_path):
    site = generate(tmp_path, persons=80, rosters=3, plants=0, same_form=6)
    run = run_prepub("check", "--format", "json", "--no-progress", str(tmp_path))
    assert run.code == 0, run.stdout[-2000:]
    linkage = run.json()["linkage"]
    assert linkage["links"] == []
    ids = [p for p in linkage["mask_patterns"] if p["entity"] == "CN_ID_CARD"]
    assert [(p["pattern"], p["documents"]) for p in ids] == [("6+8*+4", 3)]
    # the same-form pairs really are on the site, in different documents
    a, b = site.persons[0], site.persons[1]
    assert a.id_number[-4:] == b.id_number[-4:] and a.id_number != b.id_number


def test_terminal_report_lists_both_places(tmp_path):
    rows = "序号,姓名,村/社区,家庭人口,保障金额,身份证号\n1,张*明,和平村,3,560,{}\n"
    (tmp_path / "十月.csv").write_text(rows.format("110105********6064"), encoding="utf-8")
    (tmp_path / "更正.csv").write_text(rows.format("11010519720912****"), encoding="utf-8")
    run = run_prepub("check", "--no-progress", str(tmp_path))
    assert run.code == 1
    assert "跨文件关联" in run.stdout and "互补打码" in run.stdout and "18/18" in run.stdout
    assert "十月.csv" in run.stdout.split("跨文件关联")[1] and "更正.csv" in run.stdout.split("跨文件关联")[1]
    assert "110105197209126064" not in run.stdout


def test_review_shows_the_other_documents_place_read_only(tmp_path):
    rows = "序号,姓名,村/社区,家庭人口,保障金额,身份证号\n1,张*明,和平村,3,560,{}\n"
    draft = tmp_path / "draft" / "更正.csv"
    draft.parent.mkdir()
    draft.write_text(rows.format("11010519720912****"), encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "十月.csv").write_text(rows.format("110105********6064"), encoding="utf-8")
    run = run_prepub("review", str(draft), "--reviewer", "王某某", "--accept-all", "--site", str(tmp_path / "site"),
                     "--audit-db", str(tmp_path / "audit.sqlite3"), "-o", str(tmp_path / "out.csv"))
    assert "跨文件关联 2 项（只读" in run.stdout, run.stdout + run.stderr
    assert "[阻止] 互补打码  第2行 第6列  110105********6064  (L1)" in run.stdout
    assert "[复核] 打码方式不一致" in run.stdout
    assert f"另一处：{tmp_path / 'site' / '十月.csv'}  第2行 第6列" in run.stdout
    assert "改其中一处" in run.stdout


def test_an_incremental_run_finds_a_pair_whose_other_half_comes_from_the_cache(tmp_path):
    rows = "序号,姓名,村/社区,家庭人口,保障金额,身份证号\n1,张*明,和平村,3,560,{}\n"
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "十月.csv").write_text(rows.format("110105********6064"), encoding="utf-8")
    (site / "更正.csv").write_text(rows.format("11010519720912****"), encoding="utf-8")
    first = run_prepub_process("check", "--format", "json", "--no-progress", "--cache", str(cache), str(site))
    assert first.code == 1 and len(links_of(first, "LINKED_IDENTIFIER")) == 1

    # one document changes; the other half of the pair is answered from the cache, not read again
    (site / "十月.csv").write_text(rows.format("110105********6064") + "2,李*,和平村,2,400,\n", encoding="utf-8")
    again = run_prepub_process("--debug", "check", "--format", "json", "--no-progress", "--cache", str(cache),
                               str(site))
    hits = [line for line in again.stderr.splitlines() if "缓存命中" in line]
    assert len(hits) == 1 and "更正.csv" in hits[0]
    assert again.code == 1
    [link] = links_of(again, "LINKED_IDENTIFIER")
    assert paths(link) == {str(site / "十月.csv"), str(site / "更正.csv")} and link["revealed"] == 18
    stored = "".join(p.read_text(encoding="utf-8") for p in cache.rglob("*.json"))
    assert "110105197209126064" not in stored and "19720912" in stored   # only what the documents show


def test_a_place_named_after_a_person_is_shown_and_kept_masked(tmp_path):
    """A link lists where its values stand; a sheet named after the household quotes the name there.
    Reports show it masked, as for the document's own findings, and the cache never holds it."""
    from openpyxl import Workbook

    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    book = Workbook()
    sheet = book.active
    sheet.title = "户主王晓红家"
    sheet.append(["姓名", "村/社区", "家庭人口", "身份证号"])
    sheet.append(["王*红", "和平村", "3", "110105********6064"])
    book.save(site / "十月.xlsx")
    (site / "更正.csv").write_text("姓名,村/社区,家庭人口,身份证号\n王*红,和平村,3,11010519720912****\n",
                                   encoding="utf-8")
    run = run_prepub_process("check", "--format", "json", "--no-progress", "--cache", str(cache), str(site))
    [link] = links_of(run, "LINKED_IDENTIFIER")
    assert [place["location"] for place in link["places"] if place["path"].endswith(".xlsx")] == [
        "工作表「户主王**家」 D2"]
    assert "王晓红" not in run.stdout
    assert "王晓红" not in "".join(p.read_text(encoding="utf-8") for p in cache.rglob("*.json"))
    terminal = run_prepub_process("check", "--no-progress", str(site))
    assert "户主王**家" in terminal.stdout and "王晓红" not in terminal.stdout.replace(str(site), "")
