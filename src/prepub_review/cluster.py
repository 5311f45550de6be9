"""`prepub check --dask-scheduler ADDRESS`: a backlog checked on an existing Dask cluster.

The files sit on storage every worker sees under the same paths (a shared mount). The client (this
process) plans the run as usual; each file becomes one task that a worker runs exactly as a local
`--jobs` worker would (site/runner.check_one: the same checker settings, masking and `--cache`), and
the results come back in the planned order, so the JSON/SARIF/HTML reports are byte-identical to a
local run.

Failures never drop a file: a task that raises is retried (RETRIES), a worker that dies has its
tasks rescheduled by the scheduler (its `allowed-failures` setting); a file that still fails gets
the verdict `error` with the reason. Needs the `[cluster]` extra (dask[distributed]) on the client
and on every worker, and prepub (with `[ocr]` if pictures are to be read) installed on the workers.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from prepub_review.errors import PrepubError
from prepub_review.models import DocumentResult, Verdict

RETRIES = 2                 # a task that raises is run up to 1 + RETRIES times
WINDOW_PER_WORKER = 64      # tasks in flight per worker thread: memory stays flat for any backlog
CONNECT_TIMEOUT = "20s"
INSTALL_HINT = "集群运行需要 Dask 扩展：pip install 'prepub-review[cluster]'（客户端和每个工作节点都要安装）"


class ClusterError(PrepubError):
    code = "cluster_unavailable"


@dataclass(frozen=True, slots=True)
class ClusterJob:
    """What a worker needs to check files exactly as this run would (plain, picklable data)."""

    rules_dir: str | None
    max_size_mb: int
    fingerprint_key: bytes
    raw: bool
    cache_dir: str | None
    cache_context: dict | None
    link_key: bytes | None = None   # the run's linkage key: each worker builds the documents' link indexes


class ClusterPool:
    """The site runner's Pool interface (`results()`), on a Dask cluster."""

    def __init__(self, address: str, job: ClusterJob, files: Sequence[Path]):
        self.files = files
        try:
            from distributed import Client
        except ImportError as exc:
            raise ClusterError(INSTALL_HINT) from exc
        self.job = job
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"无法连接 Dask 调度器 {address}（{exc}）。请确认地址和端口，且调度器正在运行") from exc

    def __enter__(self) -> ClusterPool:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def results(self) -> Iterator[tuple[DocumentResult, list[str]]]:
        files = self.files
        threads = sum(self.client.nthreads().values()) or 1
        window = max(WINDOW_PER_WORKER * threads, 1)
        pending: deque = deque()
        queue = iter(enumerate(files))
        for index, path in queue:
            pending.append((path, self._submit(index, path)))
            if len(pending) >= window:
                break
        while pending:
            path, future = pending.popleft()
            yield _outcome(path, future)
            future.release()
            following = next(queue, None)
            if following is not None:
                pending.append((following[1], self._submit(*following)))

    def _submit(self, index: int, path: Path):
        return self.client.submit(check_on_worker, self.job, str(path), key=f"prepub-check-{index}-{path}",
                                  retries=RETRIES, pure=False)


def _outcome(path: Path, future) -> tuple[DocumentResult, list[str]]:
    try:
        return future.result()
    except Exception as exc:   # KilledWorker, a worker-side bug, a lost connection: never dropped
        kind = type(exc).__name__
        reason = ("处理此文件的集群工作进程多次意外退出" if kind == "KilledWorker"
                  else f"集群处理此文件失败（{kind}: {exc}）")
        message = f"{reason}，重试后仍未完成，未能审查。请单独在本机审查此文件"
        return DocumentResult(path=str(path), verdict=Verdict.ERROR, error=message, error_code="cluster_failed"), []


# --- on the worker -------------------------------------------------------------------------------

_states: dict[str, tuple] = {}
_states_lock = threading.Lock()


def check_on_worker(job: ClusterJob, path: str) -> tuple[DocumentResult, list[str]]:
    """Runs in a Dask worker: one file, as site/runner.check_one checks it locally."""
    from prepub_review.site import runner

    return runner.check_one(Path(path), _state_for(job))


def _state_for(job: ClusterJob) -> tuple:
    key = repr(job)             # the job holds a dict: not hashable itself
    with _states_lock:
        if key not in _states:
            _states[key] = _build_state(job)
        return _states[key]


def _build_state(job: ClusterJob) -> tuple:
    from prepub_review.act.present import Presenter
    from prepub_review.formats.base import Limits, MiB
    from prepub_review.pipeline import Checker
    from prepub_review.site.cache import Cache
    from prepub_review.site.runner import RunSettings

    checker = Checker(rules_dir=Path(job.rules_dir) if job.rules_dir else None,
                      limits=Limits(max_file_bytes=job.max_size_mb * MiB))
    checker.policy.fingerprint_key = job.fingerprint_key
    if job.link_key is not None:
        from prepub_review.linking import SiteLinkage

        SiteLinkage(checker.rules, checker.policy, key=job.link_key, keep_indexes=False).observe(checker)
    cache = None
    if job.cache_dir is not None:
        cache = Cache(Path(job.cache_dir), {})
        cache.context = dict(job.cache_context or {})
        _configure_ocr(Path(job.cache_dir))
    settings = RunSettings(jobs=1, cache=cache, raw=job.raw)
    return checker, Presenter(checker.policy, reveal=False), settings


def _configure_ocr(cache_dir: Path) -> None:
    from prepub_review import ocr

    ocr.configure(cache_dir=cache_dir)
