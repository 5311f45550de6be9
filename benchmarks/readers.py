"""Reader speed on a long spreadsheet: prepub's streaming .xlsx reader over a 5000-row by 10-column
roster (shared strings and 18-digit numbers), next to openpyxl's read-only mode on the same file in
the same run. Target: ≤ 2 s for prepub (this was once a timed unit test; timing belongs here).

With --corpus DIR it times instead every reader over the files of DIR (e.g. the corpus
benchmarks/run.py generates): reading CPU seconds per format, as `prepub check` opens them (sniffing
included), best of --runs in one warm process, and the characters read.

Run: python benchmarks/readers.py [--rows 5000] [--runs 3] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from prepub_review.errors import PrepubError
from prepub_review.models import Segment
from prepub_review.formats.document import read_document
from prepub_review.formats.xlsx import reader as xlsx
from prepub_review.formats.base import Limits

TARGET_S = 2.0
COLUMNS = 10


def write_roster(path: Path, rows: int) -> Path:
    """A header row 列1…列N, then rows of a name (shared string) and 18-digit numbers, saved by openpyxl."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.append([f"列{c}" for c in range(1, COLUMNS + 1)])
    for i in range(rows):
        sheet.append([f"名字{i}"] + [330483199001011234 + c for c in range(2, COLUMNS + 1)])
    book.save(path)
    return path


def prepub_cells(path: Path) -> int:
    return sum(1 for item in xlsx.read(path, Limits()) if isinstance(item, Segment))


def openpyxl_cells(path: Path) -> int:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(1 for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                   for value in row if value is not None)
    finally:
        book.close()


def best_of(read, path: Path, runs: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        count = read(path)
        best = min(best, time.perf_counter() - started)
    return best, count


def corpus_times(folder: Path, runs: int) -> dict[str, tuple[float, int]]:
    """Format -> (best reading CPU seconds over `runs` passes, characters read) for the files of `folder`."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    best: dict[str, float] = {}
    chars: dict[str, int] = {}
    for _ in range(runs):
        spent: dict[str, float] = {}
        chars = {}
        for path in files:
            started = time.process_time()
            try:
                fmt, items = read_document(path, Limits())
                read = sum(len(item.text) for item in items if isinstance(item, Segment))
            except PrepubError:
                fmt, read = "error", 0
            spent[fmt] = spent.get(fmt, 0.0) + time.process_time() - started
            chars[fmt] = chars.get(fmt, 0) + read
        for fmt, seconds in spent.items():
            best[fmt] = min(best.get(fmt, seconds), seconds)
    return {fmt: (best[fmt], chars[fmt]) for fmt in sorted(best)}


def print_corpus(folder: Path, runs: int) -> int:
    times = corpus_times(folder, runs)
    print(f"reading CPU per format over {folder}, best of {runs}")
    print(f"{'format':<8}{'s':>8}{'chars':>11}{'k chars/s':>11}")
    for fmt, (seconds, chars) in times.items():
        print(f"{fmt:<8}{seconds:>8.3f}{chars:>11}{chars / seconds / 1000 if seconds else 0:>11.0f}")
    total_s, total_chars = sum(s for s, _ in times.values()), sum(c for _, c in times.values())
    print(f"{'total':<8}{total_s:>8.3f}{total_chars:>11}{total_chars / total_s / 1000 if total_s else 0:>11.0f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    parser.add_argument("--corpus", type=Path, help="time every reader over the files of this folder instead")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        return print_corpus(args.corpus, args.runs)
    with tempfile.TemporaryDirectory() as work:
        path = write_roster(Path(work) / "roster.xlsx", args.rows)
        size_kb = path.stat().st_size / 1000
        prepub_s, prepub_n = best_of(prepub_cells, path, args.runs)
        base_s, base_n = best_of(openpyxl_cells, path, args.runs)
    ok = prepub_s <= TARGET_S
    print(f"xlsx {args.rows} rows × {COLUMNS} columns ({size_kb:.0f} KB, saved by openpyxl), best of {args.runs}")
    print(f"{'reader':<22}{'cells':>8}{'s':>8}")
    print(f"{'prepub read.xlsx':<22}{prepub_n:>8}{prepub_s:>8.2f}  target ≤ {TARGET_S:.0f} s: {'PASS' if ok else 'FAIL'}")
    print(f"{'openpyxl read_only':<22}{base_n:>8}{base_s:>8.2f}  ratio openpyxl/prepub {base_s / prepub_s:.1f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
