"""The site gate at scale: a generated 10,000-page site with 500 attachments.

Prints, in one run:
  1. first run: `prepub check SITE --cache DIR` with all cores (target ≤ 60 s on 2 cores);
  2. re-run with the cache after 10 pages changed (target ≤ 5 s), and as the baseline in the same
     run, the same re-run without a cache (every file read again);
  3. peak RSS of the run (the prepub process and its workers together, sampled; target ≤ 500 MB).

    python benchmarks/site.py [--pages 10000] [--attachments 500] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.site.sitegen import make_site  # noqa: E402


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack.extend(int(child) for child in children.read().split())
        except (OSError, StopIteration):
            continue
    return total


def timed_check(args: list[str]) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS of the process tree in MiB)."""
    env = dict(os.environ, NO_COLOR="1")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "prepub_review", "check", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, tree_rss_kib(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"prepub check failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    return elapsed, proc.returncode, peak // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--attachments", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=None, help="default: all cores (prepub's default)")
    options = parser.parse_args()
    jobs = ["--jobs", str(options.jobs)] if options.jobs else []
    with tempfile.TemporaryDirectory(prefix="prepub-site-") as tmp:
        root = Path(tmp) / "site"
        started = time.perf_counter()
        site = make_site(root, options.pages, options.attachments, leaky=10, seed=1)
        print(f"generated {len(site.pages)} pages + {len(site.attachments)} attachments "
              f"({sum(p.stat().st_size for p in root.rglob('*') if p.is_file()) / 2**20:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s; cores: {len(os.sched_getaffinity(0))}")
        cache = Path(tmp) / "cache"
        common = [str(root), "--format", "json", "--no-progress", *jobs]
        first, code, first_rss = timed_check([*common, "--cache", str(cache)])
        print(f"first run (cache empty):            {first:7.1f} s   peak RSS {first_rss} MB   exit {code}"
              f"   (target ≤ 60 s on 2 cores, ≤ 500 MB)")
        for page in site.pages[:: max(1, len(site.pages) // 10)][:10]:
            page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>（已更新）</p></body>"),
                            encoding="utf-8")
        cached, code, cached_rss = timed_check([*common, "--cache", str(cache)])
        print(f"re-run, 10 pages changed, cache:     {cached:7.1f} s   peak RSS {cached_rss} MB   exit {code}"
              f"   (target ≤ 5 s)")
        baseline, code, base_rss = timed_check(common)
        print(f"baseline: same re-run without cache: {baseline:7.1f} s   peak RSS {base_rss} MB   exit {code}"
              f"   ({baseline / cached:.0f}× slower)")
        print(f"peak RSS over the runs: {max(first_rss, cached_rss, base_rss)} MB (target ≤ 500 MB)")


if __name__ == "__main__":
    main()
