"""Names in running text: prepub's rules alone against rules + jieba's `nr` tags (issue 10 item 1).

Runs the whole checker over both labelled sets (tests/eval and tests/realworld), once with the
shipped rules and once with `private_sentence.jieba: true` (set through a --rules extend.yaml), and
prints PERSON recall and precision, block/review hits on clean pages, and the time taken.

    python benchmarks/names_jieba.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prepub_review.pipeline import Checker  # noqa: E402
from tests.eval import generate as eval_set  # noqa: E402
from tests.eval import scoring  # noqa: E402
from tests.realworld import corpus  # noqa: E402


def measure(checker: Checker, folder: Path, manifest: dict) -> tuple[scoring.Evaluation, float]:
    started = time.perf_counter()
    hits, errors = scoring.check_all(checker, folder, manifest)
    return scoring.score(manifest, hits, errors), time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sets = {"tests/eval": (tmp / "eval", eval_set.generate(tmp / "eval")),
                "tests/realworld": (tmp / "realworld", corpus.generate(tmp / "realworld"))}
        jieba_rules = tmp / "jieba-rules"
        jieba_rules.mkdir()
        (jieba_rules / "extend.yaml").write_text("set:\n  person.yaml#private_sentence.jieba: true\n",
                                                 encoding="utf-8")
        checkers = {"rules": Checker(), "rules + jieba nr": Checker(jieba_rules)}
        checkers["rules + jieba nr"].check_text("张三的手机号是13812345678")   # load jieba's dictionary first
        print(f"{'set':<16}{'approach':<18}{'recall':>8}{'precision':>10}{'clean hits':>11}{'seconds':>9}")
        for set_name, (folder, manifest) in sets.items():
            for approach, checker in checkers.items():
                evaluation, seconds = measure(checker, folder, manifest)
                person = evaluation.per_entity["PERSON"]
                print(f"{set_name:<16}{approach:<18}{person.recall:>8.3f}{person.precision:>10.3f}"
                      f"{len(evaluation.clean_violations):>11}{seconds:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
