"""Reader speed on a long spreadsheet: prepub's streaming .xlsx reader over a 5000-row by 10-column
roster (shared strings and 18-digit numbers), next to openpyxl's read-only mode on the same file in
the same run. Target: ≤ 2 s for prepub (this was once a timed unit test; timing belongs here).

Run: python benchmarks/readers.py [--rows 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from prepub_review.models import Segment
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)
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
