"""The link index across runs: serialised per file, it lets a run over the changed files only
still find a pair whose other half was not re-read. It never holds a full value."""

from __future__ import annotations

import json

from prepub_review.decide.linkage_index import LinkIndex
from prepub_review.linking import SiteLinkage
from prepub_review.pipeline import Checker

KEY = b"s" * 32
ROWS = "序号,姓名,村/社区,家庭人口,保障金额,身份证号,联系电话\n1,{},和平村,3,560,{},{}\n"
ID = "110105197209126064"


def write(path, name, id_shown, phone=""):
    path.write_text(ROWS.format(name, id_shown, phone), encoding="utf-8")
    return path


def first_run(paths, key=KEY) -> dict[str, dict]:
    checker = Checker()
    linkage = SiteLinkage(checker.rules, checker.policy, key=key).observe(checker)
    for path in paths:
        checker.check_file(path)
    return {index.path: json.loads(json.dumps(index.to_json(), ensure_ascii=False)) for index in linkage.indexes()}


def changed_run(path, cached: dict[str, dict], key=KEY):
    checker = Checker()
    linkage = SiteLinkage(checker.rules, checker.policy, key=key).observe(checker)
    doc = checker.check_file(path)
    linkage.apply([doc], [LinkIndex.from_json(data) for data in cached.values()])
    return doc


def test_changed_file_links_with_a_cached_index(tmp_path):
    old = write(tmp_path / "十月.csv", "张*明", "110105********6064")
    new = write(tmp_path / "更正.csv", "张*明", "11010519720912****")
    cache = first_run([old])
    doc = changed_run(new, cache)
    [finding] = [f for f in doc.findings if f.entity == "LINKED_IDENTIFIER"]
    assert finding.attrs["linked"] == [{"path": str(old), "location": "第2行 第6列"}]
    assert finding.attrs["revealed"] == 18 and doc.verdict.value == "block"


def test_a_cache_under_another_key_does_not_match(tmp_path):
    old = write(tmp_path / "十月.csv", "张*明", "110105********6064")
    new = write(tmp_path / "更正.csv", "张*明", "11010519720912****")
    doc = changed_run(new, first_run([old], key=b"o" * 32))
    assert [f for f in doc.findings if f.entity.startswith("LINKED")] == []


def test_full_values_are_stored_as_keyed_hashes_only(tmp_path):
    roster = write(tmp_path / "花名册.csv", "张建明", ID, "13812345678")
    masked = write(tmp_path / "公示.csv", "张*明", "110105********6064", "138****5678")
    cache = first_run([roster, masked])
    text = json.dumps(cache, ensure_ascii=False)
    for raw in (ID, "13812345678", "张建明", "和平村", "560", "1972"):
        assert raw not in text
    assert "110105********6064" in text and "张*明" in text      # what the documents show, masked
    doc = changed_run(masked, {str(roster): cache[str(roster)]})
    kinds = {(f.entity, f.severity.value) for f in doc.findings if f.entity.startswith("LINKED")}
    assert kinds == {("LINKED_RECORD", "block")}
