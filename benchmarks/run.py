"""prepub benchmark: `python benchmarks/run.py [--size-mb 5] [--baseline-kb 150] [--runs 7]`.

Generates a synthetic corpus (annual-report prose plus recipient tables, in docx/xlsx/html/pdf/
txt/csv) into a temporary directory and prints, each next to a baseline measured in the same run:
  1. whole-process throughput: `prepub check CORPUS --format json` as a user runs it (reading,
     detection, policy, JSON report; on 2 cores when the command has --jobs) vs presidio's
     AnalyzerEngine used the straightforward way (benchmarks/baseline.py), whose sample run is
     extrapolated to the corpus;
  2. detection throughput of prepub's engine alone (one process, only detection timed) vs the
     baseline's analysis on a sample of the same lines;
  3. wall time of `prepub check one-page.txt` from a fresh process vs `python -c pass` and
     `python -c "import presidio_analyzer"` (median of --runs runs).
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.eval import generate as gen
from tests.eval.writers import Doc, write

from prepub_review.detect.engine import pack
from prepub_review.models import Segment
from prepub_review.pipeline import Checker
from prepub_review.formats.document import read_document

MB = 1_000_000
TARGET_WHOLE_CPS = 600_000      # characters per second, whole process, 2 cores
TARGET_WHOLE_SPEEDUP = 15.0
TARGET_MB_PER_S = 1.0           # detection alone, one process
TARGET_SPEEDUP = 5.0
TARGET_ONE_PAGE_S = 0.4
CORES = 2

# (template, scale): prose documents and long recipient tables, cycled through each template's formats.
CORPUS_MIX = (
    ("annual_report", 3), ("recipient_table", 10), ("leaky_annual_report", 3), ("payment_roster", 10),
    ("policy_explainer", 3), ("application_register", 8), ("work_notice", 3), ("masked_list", 8),
    ("prose_list", 4), ("org_list", 6), ("statistics_table", 1), ("reply_letter", 1), ("approval_form", 1),
    ("marked_draft", 1),
)


# ------------------------------------------------------------------ corpus

def generate_corpus(out: Path, target_bytes: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    files, total, turn = [], 0, 0
    while total < target_bytes:
        for name, scale in CORPUS_MIX:
            formats = gen.TEMPLATES[name].formats
            fmt = formats[turn % len(formats)]
            doc, ctx = gen.build(name, fmt, rng.randrange(2**31), scale=scale)
            path = write(doc, out / f"{len(files):04d}-{name}.{fmt}", encoding=gen.text_encoding(ctx.rng, fmt))
            files.append(path)
            total += text_bytes_of(doc)
            if total >= target_bytes:
                break
        turn += 1
    return files


def text_bytes_of(doc: Doc) -> int:
    """About the UTF-8 size of the text prepub scans: table cells carry their column header."""
    size = len("\n".join(doc.pre_title + [doc.title] + doc.paragraphs()).encode("utf-8"))
    for table in doc.tables() + [t for _, t in doc.hidden_sheets]:
        labels = table.headers or [""] * max(len(r) for r in table.rows)
        size += sum(len(f"{label}：{cell}\n".encode()) for row in table.rows for label, cell in zip(labels, row))
    return size


def read_segments(path: Path, checker: Checker) -> list[Segment]:
    _, items = read_document(path, checker.limits)
    return [item for item in items if isinstance(item, Segment)]


# ------------------------------------------------------------------ measuring

@dataclass
class Run:
    wall_s: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def child_env() -> dict[str, str]:
    """The environment for timed commands. Python may write its bytecode caches, as any installed
    package has them (pip compiles at install; a PYTHONDONTWRITEBYTECODE=1 shell would otherwise
    make every start compile prepub, click, rich, presidio and spaCy from source again)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_measured(cmd: list[str]) -> Run:
    """Run a command; wall time and the peak RSS of that child alone (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_maxrss / 1024, proc.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"))


def run_problem(run: Run) -> str | None:
    if run.returncode not in (0, 1) or "Traceback" in run.stderr:
        return f"exit {run.returncode}: {run.stderr.strip()[-300:]}"
    return None


def report_problem(run: Run, expected_documents: int) -> str | None:
    """Why a `prepub check --format json` run cannot be counted, or None if it worked."""
    if problem := run_problem(run):
        return problem
    try:
        documents = json.loads(run.stdout)["documents"]
    except (ValueError, KeyError) as exc:
        return f"no JSON report ({exc}): {run.stdout[:200]!r}"
    if len(documents) != expected_documents:
        return f"{len(documents)} documents reported, {expected_documents} expected"
    errors = [d for d in documents if d.get("error")]
    if errors:
        return f"{len(errors)} documents with errors, e.g. {errors[0]['path']}: {errors[0]['error']}"
    return None


def prepub_command() -> list[str]:
    exe = shutil.which("prepub") or str(Path(sys.executable).with_name("prepub"))
    return [exe] if Path(exe).exists() else [sys.executable, "-m", "prepub_review"]


def median_walls(commands: dict[str, list[str]], runs: int) -> tuple[dict[str, float], str | None]:
    """Median wall time of `runs` fresh processes of each command, taken in turn (A B C A B C ...,
    after one uncounted warm-up each) so a change in the machine's load hits all alike; and the
    first problem any run had."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    problems = []
    for turn in range(runs + 1):
        for name, cmd in commands.items():
            run = run_measured(cmd)
            problems += [f"{name}: {p}" for p in [run_problem(run)] if p]
            if turn:
                walls[name].append(run.wall_s)
    return {name: statistics.median(w) for name, w in walls.items()}, (problems[0] if problems else None)


def jobs_option(jobs: int) -> list[str]:
    """`--jobs N` if this prepub's check has that option (one process otherwise)."""
    help_text = subprocess.run(prepub_command() + ["check", "--help"], capture_output=True, text=True,
                               env=child_env()).stdout
    return ["--jobs", str(jobs)] if "--jobs" in help_text else []


def load_note() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


ONE_PAGE = """{town}关于2026年10月临时救助对象的公示

根据《社会救助暂行办法》，经个人申请、社区调查核实和民主评议，拟对下列困难群众给予临时救助，现予以公示。
公示期为2026年10月15日至10月21日。公示期间，如有异议，请向{town}社会事务办公室反映。

序号	姓名	所在社区	救助金额（元）	救助事由
1	王秀英	和平社区	2000	突发事件
2	李建国	建设社区	1500	因灾
3	陈桂兰	庆丰社区	3000	因学

联系人：周明，联系电话：0573-88012345（办公室）。户主李建国联系电话13812345678。
{town}办事处
2026年10月15日
"""


# ------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="prepub 性能基准（合成语料）")
    parser.add_argument("--size-mb", type=float, default=5.0, help="语料文本量（UTF-8 MB，按文档内容估算），默认 5")
    parser.add_argument("--baseline-kb", type=int, default=150, help="基线（presidio）抽样文本量 KB，默认 150")
    parser.add_argument("--runs", type=int, default=7, help="单页检查重复次数（取中位数），默认 7")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="保留语料到此目录（默认用临时目录并删除）")
    parser.add_argument("--corpus", type=Path, help="直接使用此目录中已生成的语料（如先前 --keep 的目录），不再生成")
    args = parser.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="prepub-bench-")
    work = Path(tmp.name)
    corpus = args.corpus or args.keep or work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    try:
        return run_benchmark(args, work, corpus)
    finally:
        tmp.cleanup()


def run_benchmark(args, work: Path, corpus: Path) -> int:
    load_before = load_note()
    started = time.perf_counter()
    if args.corpus:
        files = sorted(p for p in corpus.iterdir() if p.is_file())
    else:
        files = generate_corpus(corpus, int(args.size_mb * MB), args.seed)
    generated_s = time.perf_counter() - started
    formats = Counter(p.suffix.lstrip(".") for p in files)
    corpus_bytes = sum(p.stat().st_size for p in files)

    # Detection alone: read everything first, then time only the engine (one process).
    checker = Checker()
    documents = [read_segments(p, checker) for p in files]
    # A PDF paragraph joined across its line breaks repeats its lines (Segment.seams): the engine scans
    # it, but its characters are not counted again.
    lines_per_doc = [pack([s for s in segs if not s.seams])[0] for segs in documents if segs]
    chars = sum(len(t) for t in lines_per_doc)
    text_bytes = sum(len(t.encode("utf-8")) for t in lines_per_doc)
    started = time.perf_counter()
    detections = sum(len(list(checker.engine.detect(segs))) for segs in documents)
    detect_s = time.perf_counter() - started
    prepub_mbs, prepub_cps = text_bytes / MB / detect_s, chars / detect_s

    # Baseline sample: whole documents taken at an even stride until the sample is big enough.
    sample, sample_bytes = [], 0
    order = list(range(0, len(lines_per_doc), 3)) + [i for i in range(len(lines_per_doc)) if i % 3]
    for i in order:
        if sample_bytes >= args.baseline_kb * 1000:
            break
        sample.append(lines_per_doc[i])
        sample_bytes += len(lines_per_doc[i].encode("utf-8"))
    sample_file = work / "baseline-lines.txt"
    sample_file.write_text("\n".join(sample), encoding="utf-8")
    base_run = run_measured([sys.executable, str(REPO / "benchmarks" / "baseline.py"), str(sample_file)])
    if base_run.returncode != 0:
        print(f"baseline failed (exit {base_run.returncode}):\n{base_run.stderr[-2000:]}", file=sys.stderr)
        return 2
    base = json.loads(base_run.stdout.strip().splitlines()[-1])
    base_mbs, base_cps = base["bytes"] / MB / base["analyze_s"], base["chars"] / base["analyze_s"]
    base_corpus_wall = base_run.wall_s + base["analyze_s"] * (chars / base["chars"] - 1)
    base_whole_cps = chars / base_corpus_wall

    # The whole process over the corpus, as a user runs it.
    jobs = jobs_option(min(CORES, os.cpu_count() or 1))
    check = run_measured(prepub_command() + ["check", str(corpus), "--format", "json"] + jobs)
    problems = {"check corpus": report_problem(check, len(files))}
    whole_cps = chars / check.wall_s

    # One page from a fresh process, as a clerk runs it (terminal report); one JSON run checks it works.
    page = work / "one-page.txt"
    page.write_text(ONE_PAGE.format(town="城南街道"), encoding="utf-8")
    problems["one-page check"] = report_problem(
        run_measured(prepub_command() + ["check", str(page), "--format", "json"]), 1)
    walls, page_problem = median_walls({
        "prepub": prepub_command() + ["check", str(page)],
        "pass": [sys.executable, "-c", "pass"],
        "presidio": [sys.executable, "-c", "import presidio_analyzer"],
    }, args.runs)
    problems["one-page check"] = problems["one-page check"] or page_problem
    check_ok, page_ok = not problems["check corpus"], not problems["one-page check"]

    whole_speedup, speedup = whole_cps / base_whole_cps, prepub_cps / base_cps
    cores = f"--jobs {jobs[1]}" if jobs else "1 process (this check has no --jobs)"
    print(f"语料 corpus: {len(files)} files ({', '.join(f'{k} {v}' for k, v in sorted(formats.items()))}), "
          f"{corpus_bytes / MB:.1f} MB on disk, text {text_bytes / MB:.2f} MB UTF-8 = {chars:,} chars; "
          f"generated in {generated_s:.1f} s")
    print(f"baseline sample: {base['lines']:,} lines, {base['bytes'] / 1000:.0f} KB ({base['chars']:,} chars, "
          f"{base['chars'] / chars:.1%} of the corpus)")
    print()
    rows = [
        (f"whole process, {cores}", f"{whole_cps / 1000:,.0f} k chars/s ({check.wall_s:.1f} s, exit "
         f"{check.returncode})", f"{base_whole_cps / 1000:,.1f} k chars/s ({base_corpus_wall:.0f} s*)",
         f"{whole_speedup:.1f}x", f">= {TARGET_WHOLE_CPS // 1000} k chars/s and >= {TARGET_WHOLE_SPEEDUP:g}x",
         verdict(whole_cps >= TARGET_WHOLE_CPS and whole_speedup >= TARGET_WHOLE_SPEEDUP) if check_ok
         else "INVALID"),
        ("whole process: peak RSS", f"{check.max_rss_mb:.0f} MB", f"{base_run.max_rss_mb:.0f} MB (sample run)",
         f"{base_run.max_rss_mb / check.max_rss_mb:.1f}x", "-", ""),
        ("detection alone, 1 process", f"{prepub_mbs:.2f} MB/s  {prepub_cps / 1000:,.0f} k chars/s",
         f"{base_mbs:.3f} MB/s  {base_cps / 1000:,.1f} k chars/s", f"{speedup:.1f}x",
         f">= {TARGET_MB_PER_S:g} MB/s and >= {TARGET_SPEEDUP:g}x",
         verdict(prepub_mbs >= TARGET_MB_PER_S and speedup >= TARGET_SPEEDUP)),
        (f"one-page check, median of {args.runs}", f"{walls['prepub']:.2f} s",
         f"python -c pass {walls['pass']:.2f} s; import presidio_analyzer {walls['presidio']:.2f} s",
         f"{walls['presidio'] / walls['prepub']:.1f}x", f"<= {TARGET_ONE_PAGE_S:g} s",
         verdict(walls["prepub"] <= TARGET_ONE_PAGE_S) if page_ok else "INVALID"),
    ]
    header = ("measure", "prepub", "baseline", "ratio", "target", "")
    widths = [max(_width(r[i]) for r in rows + [header]) + 2 for i in range(6)]
    for row in [header] + rows:
        print("".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip())
    print()
    print(f"prepub detections: {detections:,} in {detect_s:.2f} s; baseline results on the sample: "
          f"{base['results']:,} (setup {base['setup_s']:.1f} s, analysis {base['analyze_s']:.1f} s).")
    print("* baseline for the corpus = its measured sample run (start-up, model build, analysis) + "
          "analysis time scaled by corpus chars / sample chars; it reads pre-extracted lines, so file "
          "parsing and reporting are not included. Its peak RSS is that of the sample run.")
    print("ratio = prepub / baseline throughput; for the one-page check, import presidio_analyzer / prepub.")
    print(f"MB = 10^6 bytes of UTF-8 text. Machine: {load_before} at the start, {load_note()} at the end "
          "(shared: compare ratios, not absolute times).")
    for what, problem in problems.items():
        if problem:
            print(f"INVALID {what}: {problem}")
    return 0 if check_ok and page_ok else 1


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


if __name__ == "__main__":
    sys.exit(main())
