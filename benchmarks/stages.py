"""Where `prepub check --format json` spends its CPU, stage by stage, in one process.

Each file of CORPUS goes through the stages a `--jobs` run uses, each timed on its own (process CPU
seconds, summed over the files): read (every segment of the document), detect (the engine), judge
(the policy), premask (a worker masks values and context), pickle and unpickle (what crosses from a
worker to the parent), annotate + json (the parent's site annotations and the JSON report, written
to memory). As in a worker, the cycle collector is paused from reading to premasking (the
collection of what a file left in cycles falls into "pickle"). Start-up and cross-document linkage
are not included. The best (lowest) of `--runs` passes is printed per stage. On a shared machine
compare two versions by running this for each in turn, not against figures from another time.

Run: python benchmarks/stages.py --corpus DIR [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import pickle
import time
from pathlib import Path

from prepub_review.act.present import Presenter
from prepub_review.act.report_json_stream import JsonReporter
from prepub_review.decide.genre import OpeningLines
from prepub_review.decide.policy import verdict_of
from prepub_review.errors import PrepubError
from prepub_review.formats.document import open_document
from prepub_review.gc_pause import collector_paused
from prepub_review.models import DocumentResult
from prepub_review.pipeline import Checker
from prepub_review.site import gate, runner
from prepub_review.site.approvals import Matcher

STAGES = ("read", "detect", "judge", "premask", "pickle", "unpickle", "annotate+json")


def one_pass(checker: Checker, files: list[Path]) -> dict[str, float]:
    clock = time.process_time
    masking = Presenter(checker.policy)
    plan, matcher = gate.Plan(files=files), Matcher(None, root=Path.cwd())
    reporter = JsonReporter(io.StringIO(), runner.PremaskedPresenter(checker.policy))
    spent = dict.fromkeys(STAGES, 0.0)
    for path in files:
        marks = [clock()]
        with collector_paused():   # as a worker checks a file (runner.check_file)
            try:
                with open_document(path, checker.limits) as document:
                    items = list(document.items())
            except PrepubError:
                continue   # an unreadable file: the run reports an error for it, nothing to time
            marks.append(clock())
            opening = OpeningLines(checker.genres.opening_lines)
            detections, notices = checker.detect(opening.watch(iter(items)))
            marks.append(clock())
            doc = DocumentResult(path=str(path), format=document.format)
            doc.findings = checker.policy.judge(detections, notices, checker.genres.classify(opening.text))
            doc.verdict = verdict_of(doc.findings)
            marks.append(clock())
            masked = runner.premask(doc, masking)
        marks.append(clock())
        sent = pickle.dumps((masked, []), protocol=pickle.HIGHEST_PROTOCOL)
        marks.append(clock())
        received = pickle.loads(sent)[0]
        marks.append(clock())
        reporter.document(gate.annotate(received, plan, matcher, checker.policy))
        marks.append(clock())
        for stage, start, end in zip(STAGES, marks, marks[1:]):
            spent[stage] += end - start
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True,
                        help="a directory of documents (e.g. run.py --keep)")
    parser.add_argument("--runs", type=int, default=3,
                        help="passes over the corpus; the best per stage is shown")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    checker = Checker()
    passes = [one_pass(checker, files) for _ in range(args.runs)]
    best = {stage: min(p[stage] for p in passes) for stage in STAGES}
    print(f"{len(files)} files, CPU seconds per stage (best of {args.runs}):")
    for stage in STAGES:
        print(f"  {stage:<14} {best[stage]:6.2f}")
    print(f"  {'total':<14} {sum(best.values()):6.2f}")


if __name__ == "__main__":
    main()
