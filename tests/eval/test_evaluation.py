"""Recall/precision of the whole checker on a labelled synthetic set (see tests/eval/generate.py).

Run with -s to see the table:  python -m pytest tests/eval -q -s
Thresholds are the project's targets; if recall is low, fix the recognizer, not the threshold.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.eval import generate as gen
from tests.eval import scoring
from tests.eval.scoring import Hit
from tests.eval.writers import FEATURES

RECALL_TARGETS = {
    "CN_ID_CARD": 0.98, "PHONE_NUMBER": 0.98, "BANK_CARD": 0.98, "EMAIL_ADDRESS": 0.98,
    "PERSON": 0.95, "ADDRESS": 0.95,
}


# ------------------------------------------------------------------ scoring rules

@pytest.mark.parametrize("entity, finding, truth, expected", [
    ("CN_ID_CARD", "330483199001011234", "330483199001011234", True),
    ("CN_ID_CARD", "33048319900101123", "330483199001011234", False),       # a shorter hit is no hit
    ("PHONE_NUMBER", "138-1234-5678", "138-1234-5678", True),
    ("PHONE_NUMBER", "13812345678", "138 1234 5678", True),                  # separators ignored
    ("PHONE_NUMBER", "+86 13812345678", "13812345678", True),
    ("PHONE_NUMBER", "1234-5678", "138-1234-5678", False),
    ("BANK_CARD", "６２２２０２１２３４５６７８９０１２３", "6222021234567890123", True),   # full width folded
    ("PERSON", "张三丰", "张三", True),
    ("PERSON", "张", "张三", False),
    ("ADDRESS", "3组12号", "幸福村3组12号", True),                           # the part below the village
    ("ADDRESS", "浙江省桐溪县幸福村3组12号", "幸福村3组12号", True),
    ("ADDRESS", "号", "幸福村3组12号", False),
    ("SENSITIVE_HEALTH", "尿毒症", "患尿毒症", True),
    ("CLASSIFICATION_MARK", "机 密", "机　密", True),
])
def test_covers(entity, finding, truth, expected):
    assert scoring.covers(entity, finding, truth) is expected


def test_score_counts_recall_precision_and_clean_violations():
    manifest = {"documents": {
        "a.txt": {"clean": False, "expected": [{"entity": "PERSON", "text": "张三"},
                                               {"entity": "PERSON", "text": "李四"}]},
        "b.txt": {"clean": True, "expected": []},
    }}
    hits = {"a.txt": [Hit("PERSON", "张三", "review"), Hit("PERSON", "李四", "info"),
                      Hit("PERSON", "局长", "review")],
            "b.txt": [Hit("PHONE_NUMBER", "0573-88123456", "block"), Hit("PERSON", "王五", "info")]}
    result = scoring.score(manifest, hits)
    person = result.per_entity["PERSON"]
    assert (person.truth, person.found, person.info_only) == (2, 1, 1)
    assert (person.reported, person.correct) == (2, 1)
    assert result.clean_violations == [("b.txt", "PHONE_NUMBER", "0573-88123456", "block")]


# ------------------------------------------------------------------ the generated set itself

@pytest.fixture(scope="module")
def eval_set(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("evalset")
    return out, gen.generate(out)


def test_set_is_large_varied_and_labelled(eval_set):
    _, manifest = eval_set
    docs = manifest["documents"]
    assert len(docs) >= 60
    assert {name.rsplit(".", 1)[1] for name in docs} == set(FEATURES)
    assert sum(d["clean"] for d in docs.values()) >= 20
    counts = {}
    for d in docs.values():
        for item in d["expected"]:
            counts[item["entity"]] = counts.get(item["entity"], 0) + 1
    for entity in RECALL_TARGETS:
        assert counts.get(entity, 0) >= 50, f"too few {entity} items to measure recall: {counts}"
    names = {i["text"] for d in docs.values() for i in d["expected"] if i["entity"] == "PERSON"}
    assert any("·" in n for n in names) and any(len(n) == 2 for n in names)
    assert any(n[:2] in gen.people.COMPOUND_SURNAMES for n in names)


def test_generation_is_deterministic(eval_set, tmp_path):
    out, manifest = eval_set
    again = gen.generate(tmp_path, rounds=1)     # the first round of the same seed: half the cost
    first_round = {name: doc for name, doc in manifest["documents"].items() if name.rsplit(".", 1)[0].endswith("-0")}
    assert again["documents"] == first_round and again["seed"] == manifest["seed"]
    for name in first_round:
        if name.endswith((".txt", ".csv", ".html")):
            assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def _plain_text(path: Path) -> str:
    """The file's text by the simplest independent means, to check the manifest against it."""
    suffix = path.suffix
    if suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        return html.unescape(re.sub(r"<[^>]+>", "", xml))
    if suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        text = "".join(page.get_textpage().get_text_range() for page in pdf)
        text += " ".join(pdf.get_metadata_dict().values())
        pdf.close()
        return re.sub(r"[\r\n]", "", text)   # lines wrapped inside a name still hold the name
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return html.unescape(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path.name}: undecodable")


def test_every_labelled_item_is_in_its_file(eval_set):
    out, manifest = eval_set
    for name, entry in manifest["documents"].items():
        text = _plain_text(out / name)
        for item in entry["expected"]:
            assert item["text"] in text, f"{name}: {item} not in file"


# ------------------------------------------------------------------ the checker on the set

@pytest.fixture(scope="module")
def evaluation(eval_set) -> scoring.Evaluation:
    pipeline = pytest.importorskip("prepub_review.pipeline")
    out, manifest = eval_set
    hits, errors = scoring.check_all(pipeline.Checker(), out, manifest)
    evaluation = scoring.score(manifest, hits, errors)
    print("\n" + scoring.table(evaluation))
    print(scoring.details(evaluation))
    (out / "evaluation.json").write_text(json.dumps(
        {e: {"recall": s.recall, "precision": s.precision} for e, s in evaluation.per_entity.items()}),
        encoding="utf-8")
    return evaluation


def test_every_document_is_read(evaluation):
    assert evaluation.errors == []


@pytest.mark.parametrize("entity", sorted(RECALL_TARGETS))
def test_recall(evaluation, entity):
    stats = evaluation.per_entity[entity]
    missed = "; ".join(f"{t} [{f}]" for f, t in stats.missed[:15])
    assert stats.recall >= RECALL_TARGETS[entity], (
        f"{entity} recall {stats.recall:.3f} < {RECALL_TARGETS[entity]} "
        f"({stats.found}/{stats.truth}; info only {stats.info_only}); missed: {missed}")


def test_no_block_or_review_on_clean_documents(evaluation):
    assert evaluation.clean_violations == [], "\n".join(
        f"{f}: {e} {t!r} ({s})" for f, e, t, s in evaluation.clean_violations[:30])
