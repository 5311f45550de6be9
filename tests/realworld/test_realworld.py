"""Recall and precision on the real-world set (tests/realworld/corpus.py), per entity and per genre.

Run with -s to see the tables:  python -m pytest tests/realworld -q -s
The set was written from the genre descriptions before the rules were tuned, but the same
engineer then fixed the classes of misses it showed: treat its figures as an upper bound.
"""

from __future__ import annotations

import pytest

from tests.eval import scoring
from tests.realworld import corpus

RECALL_TARGETS = {"PERSON": 0.95, "CN_ID_CARD": 0.98, "PHONE_NUMBER": 0.98, "BANK_CARD": 0.98,
                  "EMAIL_ADDRESS": 0.98, "CN_CERTIFICATE": 0.98}


@pytest.fixture(scope="module")
def realworld(tmp_path_factory):
    pipeline = pytest.importorskip("prepub_review.pipeline")
    out = tmp_path_factory.mktemp("realworld")
    manifest = corpus.generate(out)
    hits, errors = scoring.check_all(pipeline.Checker(), out, manifest)
    evaluation = scoring.score(manifest, hits, errors)
    per_genre = {genre: scoring.score(_only(manifest, genre), hits) for genre in corpus.GENRES}
    print("\n" + scoring.table(evaluation))
    print(genre_table(per_genre))
    print(scoring.details(evaluation))
    return manifest, evaluation


def _only(manifest: dict, genre: str) -> dict:
    return {"documents": {n: d for n, d in manifest["documents"].items() if d["genre"] == genre}}


def _pooled(evaluation: scoring.Evaluation) -> tuple[int, float | None, float | None]:
    stats = evaluation.per_entity.values()
    truth = sum(s.truth for s in stats)
    reported = sum(s.reported for s in stats)
    recall = sum(s.found for s in stats) / truth if truth else None
    precision = sum(s.correct for s in stats) / reported if reported else None
    return truth, recall, precision


def genre_table(per_genre: dict[str, scoring.Evaluation]) -> str:
    lines = [f"{'genre':<14}{'truth':>6}{'recall':>8}{'precision':>10}{'clean hits':>11}"]
    for genre, evaluation in per_genre.items():
        truth, recall, precision = _pooled(evaluation)
        lines.append(f"{genre:<14}{truth:>6}{scoring._pct(recall):>8}{scoring._pct(precision):>10}"
                     f"{len(evaluation.clean_violations):>11}")
    return "\n".join(lines)


def test_set_covers_every_genre_and_has_clean_examples(realworld):
    manifest, _ = realworld
    docs = manifest["documents"].values()
    assert {d["genre"] for d in docs} == set(corpus.GENRES)
    assert sum(d["clean"] for d in docs) >= 20
    for entity in RECALL_TARGETS:
        assert sum(i["entity"] == entity for d in docs for i in d["expected"]) >= 20, entity


def test_every_document_is_read(realworld):
    assert realworld[1].errors == []


@pytest.mark.parametrize("entity", sorted(RECALL_TARGETS))
def test_recall(realworld, entity):
    stats = realworld[1].per_entity[entity]
    missed = "; ".join(f"{t} [{f}]" for f, t in stats.missed[:15])
    assert stats.recall >= RECALL_TARGETS[entity], (
        f"{entity} recall {stats.recall:.3f} < {RECALL_TARGETS[entity]} ({stats.found}/{stats.truth}); "
        f"missed: {missed}")


def test_no_block_or_review_on_by_design_genres(realworld):
    violations = realworld[1].clean_violations
    assert violations == [], "\n".join(f"{f}: {e} {t!r} ({s})" for f, e, t, s in violations[:30])
