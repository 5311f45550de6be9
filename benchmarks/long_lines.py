"""Linear time on long lines: a 200 K-character line without a break (a PDF or text file that lost
its line breaks) must cost about 10x a 20 K one, not 100x (a recognizer that rescans the line at
every hit was 37x). Timing ratios belong here, not in the unit tests (shared, noisy machines).

Run: python benchmarks/long_lines.py
"""

from __future__ import annotations

import sys
import time

from prepub_review.detect.recognizers.address import AddressRecognizer
from prepub_review.detect.recognizers.person import PersonRecognizer

CASES = [
    (AddressRecognizer, ["浙江省桐乡市石门镇和平村3组12号", "1234号"]),
    (PersonRecognizer, ["张三、李四、王五", "户主张三，妻子李四，", "张*明、"]),
]
SHORT, LONG = 20_000, 200_000
LIMIT = 20.0   # linear is ~10x; quadratic would be ~100x


def best_of(recognizer, text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        list(recognizer.find(text))
        best = min(best, time.perf_counter() - started)
    return best


def line(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def main() -> int:
    failed = 0
    print(f"{'recognizer':<20}{'repeated text':<24}{'20K s':>8}{'200K s':>8}{'ratio':>8}")
    for cls, units in CASES:
        recognizer = cls()
        for unit in units:
            short, long = best_of(recognizer, line(unit, SHORT)), best_of(recognizer, line(unit, LONG))
            ratio = long / max(short, 1e-6)
            ok = ratio < LIMIT
            failed += not ok
            print(f"{cls.__name__:<20}{unit:<24}{short:>8.3f}{long:>8.3f}{ratio:>7.1f}x {'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
