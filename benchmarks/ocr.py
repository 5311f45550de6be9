"""OCR benchmark: `python benchmarks/ocr.py [--pages 4] [--tables 4]` (needs the [ocr] extra).

Prints, on this machine (the figures in the README come from a 2-core machine):
  1. recall of 身份证号 and names per degradation of a photographed/scanned recipient list
     (rotation ±5°, JPEG quality 60, 150 dpi, uneven light, phone perspective, all together),
     through prepub's whole pipeline (OCR -> rows/columns -> recognizers -> policy);
  2. pages per minute of `prepub check --jobs 2` on image-only A4 PDFs scanned at 150 and 300 dpi
     (a fresh process, start-up included), next to rapidocr's default detection size (the
     baseline: it scales every page's shorter side up to 736 px) measured in the same run;
  3. the cost of a cache hit: a page's OCR read back from `--cache DIR` (encrypted entry) vs OCR,
     and a whole unchanged file skipped by the result cache.
All pictures are synthetic (Faker zh_CN names, IDs with valid check digits). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.ocr import pictures  # noqa: E402

from prepub_review import ocr  # noqa: E402
from prepub_review.ocr import engine  # noqa: E402


def recall_table(tables: int, rows: int) -> None:
    from prepub_review.pipeline import Checker

    checker = Checker()
    rng = random.Random(2026)
    samples = [pictures.recipient_table(rng, rows=rows, dpi=300) for _ in range(tables)]
    print(f"\n1. Recall per degradation ({tables} tables x {rows} rows, rendered at 300 dpi, 10.5 pt)")
    print(f"{'degradation':<20} {'身份证号 recall':>16} {'姓名 recall':>12} {'s/picture':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for name, degrade in pictures.DEGRADATIONS.items():
            found_ids = found_names = 0
            started = time.perf_counter()
            for number, table in enumerate(samples):
                path = Path(folder) / f"{number}.png"
                path.write_bytes(pictures.png_bytes(degrade(table.picture)))
                doc = checker.check_file(path)
                ids = {f.text for f in doc.findings if f.entity == "CN_ID_CARD"}
                names = {f.text for f in doc.findings if f.entity == "PERSON"}
                found_ids += sum(i in ids for i in table.ids)
                found_names += sum(n in names for n in table.names)
            total = tables * rows
            seconds = (time.perf_counter() - started) / tables
            print(f"{name:<20} {found_ids / total:>15.0%} {found_names / total:>12.0%} {seconds:>10.1f}")


def scanned_pdf(path: Path, pages: int, dpi: int, rng: random.Random) -> None:
    tables = [pictures.recipient_table(rng, rows=20, dpi=dpi).picture for _ in range(pages)]
    path.write_bytes(pictures.scanned_pdf(tables, dpi=dpi))


def throughput(pages: int) -> None:
    print(f"\n2. Throughput: `prepub check --jobs 2` on image-only A4 PDFs ({pages} pages each, 20-row list per page)")
    print(f"{'scan':<8} {'prepub pages/min':>17} {'baseline pages/min':>19} {'ratio':>6}")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        for dpi in (150, 300):
            files = []
            for half in range(2):       # two files: one per job
                path = Path(folder) / f"scan{dpi}-{half}.pdf"
                scanned_pdf(path, max(1, pages // 2), dpi, rng)
                files.append(path)
            total_pages = 2 * max(1, pages // 2)
            ours = _timed_check(files, {})
            baseline = _timed_check(files, {"PREPUB_OCR_DET": "default"})
            print(f"{dpi} dpi  {total_pages / ours * 60:>17.1f} {total_pages / baseline * 60:>19.1f} "
                  f"{baseline / ours:>5.1f}x")


def _timed_check(files: list[Path], env: dict) -> float:
    import os

    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "prepub_review", "check", "--jobs", "2", "--format", "json",
                          *map(str, files)], capture_output=True, env={**os.environ, **env}, check=False)
    if run.returncode not in (0, 1):
        raise SystemExit(f"INVALID: prepub check exited {run.returncode}: {run.stderr.decode()[-500:]}")
    return time.perf_counter() - started


def cache_cost() -> None:
    print("\n3. Cache hits")
    rng = random.Random(3)
    page = pictures.page_with_table(pictures.recipient_table(rng, rows=20, dpi=300).picture, 300)
    with tempfile.TemporaryDirectory() as folder:
        ocr.configure(cache_dir=Path(folder))
        started = time.perf_counter()
        ocr.recognise(page)
        missed = time.perf_counter() - started
        engine._recent.clear()            # not the in-process memo: the encrypted entry on disk
        started = time.perf_counter()
        ocr.recognise(page)
        hit = time.perf_counter() - started
        print(f"OCR of one A4 page at 300 dpi: {missed:.2f} s; the same page from --cache: {hit * 1000:.0f} ms "
              f"(hashing the pixels + decrypting the entry)")
        path = Path(folder) / "scan.pdf"
        scanned_pdf(path, 2, 150, rng)
        cache = Path(folder) / "cache"
        first = _timed_single(path, cache)
        second = _timed_single(path, cache)
        print(f"`prepub check --cache` of a 2-page scanned PDF: first run {first:.1f} s, unchanged file again "
              f"{second:.1f} s (start-up included)")


def _timed_single(path: Path, cache: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "prepub_review", "check", "--cache", str(cache), "--format", "json",
                    str(path)], capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages per resolution for the throughput figure")
    parser.add_argument("--tables", type=int, default=4, help="pictures per degradation for recall")
    parser.add_argument("--rows", type=int, default=5)
    parser.add_argument("--only", choices=("recall", "throughput", "cache"))
    args = parser.parse_args()
    if not ocr.available():
        raise SystemExit("needs the [ocr] extra: pip install -e '.[ocr]'")
    if pictures.cjk_font() is None:
        raise SystemExit("needs a Chinese font (fonts-noto-cjk)")
    if args.only in (None, "recall"):
        recall_table(args.tables, args.rows)
    if args.only in (None, "throughput"):
        throughput(args.pages)
    if args.only in (None, "cache"):
        cache_cost()


if __name__ == "__main__":
    main()
