"""Checks files in order -- on one core, or on N (`--jobs`) -- through the cache (`--cache`).

Results come back in the order the files were given, whatever the number of jobs, so every report
is byte-identical to a `--jobs 1` run. Each result is yielded as soon as it is ready and its turn
has come: nothing holds a whole site's findings.

Unless the run needs raw values (`--reveal`, `--audit`), a worker masks values and context before
handing a result back: what crosses processes and what goes into the cache is what reports show.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from prepub_review.act.present import Presenter
from prepub_review.gc_pause import collector_paused
from prepub_review.models import DocumentResult, Finding, Locator, Severity, Verdict, Zone, field_replacer
from prepub_review.site.cache import Cache, file_digest

RESULTS = "results"
logger = logging.getLogger("prepub")


@dataclass(frozen=True, slots=True)
class RunSettings:
    jobs: int = 1
    cache: Cache | None = None
    raw: bool = False          # keep raw values (--reveal / --audit): no premasking, no cache reads


class PremaskedPresenter(Presenter):
    """Shows findings whose text and context were masked already (by a worker or the cache)."""

    def value(self, finding: Finding) -> str:
        return finding.text

    def context(self, finding: Finding) -> str:
        return finding.context


def premask(doc: DocumentResult, presenter: Presenter) -> DocumentResult:
    """Values, context and the names locations quote, masked as reports show them."""
    value, context = presenter.value, presenter.context
    return dataclasses.replace(doc, findings=[_plain(f, value(f), context(f)) for f in presenter.places(doc.findings)])


def strip(doc: DocumentResult) -> DocumentResult:
    """Only plain data crosses a process boundary (no reader anchors, no recognizer extras)."""
    return dataclasses.replace(doc, findings=[_plain(f, f.text, f.context) for f in doc.findings])


_replaced = field_replacer(Finding, "text", "context", "attrs", "anchor")


def _plain(finding: Finding, text: str, context: str) -> Finding:
    """`finding` with this text and context, without attrs and anchor."""
    return _replaced(finding, text, context, {}, None)


# --- plain data for the cache --------------------------------------------------------------------

def doc_to_data(doc: DocumentResult) -> dict:
    return {"format": doc.format, "verdict": doc.verdict.value, "segments_read": doc.segments_read,
            "characters_read": doc.characters_read, "findings": [_finding_to_data(f) for f in doc.findings],
            "observed": doc.observed}


def _finding_to_data(f: Finding) -> dict:
    data = {field.name: getattr(f, field.name) for field in dataclasses.fields(f)
            if field.name not in ("attrs", "anchor", "locator")}
    data["severity"], data["zone"] = f.severity.value, f.zone.value
    data["context_spans"] = [list(span) for span in f.context_spans]
    data["locator"] = None if f.locator is None else [f.locator.part, list(f.locator.path),
                                                     f.locator.line, f.locator.column]
    return data


def doc_from_data(data: dict, path: str) -> DocumentResult:
    findings = []
    for item in data["findings"]:
        item = dict(item)
        locator = item.pop("locator")
        findings.append(Finding(
            **{**item, "severity": Severity(item["severity"]), "zone": Zone(item["zone"]),
               "context_spans": tuple(tuple(span) for span in item["context_spans"])},
            locator=None if locator is None else Locator(locator[0], tuple(locator[1]), locator[2], locator[3])))
    return DocumentResult(path=path, format=data["format"], verdict=Verdict(data["verdict"]),
                          segments_read=data["segments_read"], characters_read=data["characters_read"],
                          findings=findings, observed=dict(data.get("observed", {})))


# --- the run ---------------------------------------------------------------------------------------

_WORKER: tuple | None = None   # (checker, presenter, settings): set before forking, inherited


@dataclass(frozen=True, slots=True)
class Task:
    path: Path
    content_hash: str | None   # of the file's bytes, when a cache is in use and the file is readable
    cached: bool               # the cache holds a result for these bytes


def check_file(task: Task, state: tuple | None = None) -> tuple[DocumentResult, list[str]]:
    """Read and check one file (masked unless raw); store the masked result in the cache. `state` =
    (checker, presenter, settings): by default the one set before forking the workers."""
    checker, presenter, settings = state or _WORKER
    with collector_paused():      # see gc_pause.py: one file's objects are freed by reference counting
        doc = checker.check_file(task.path)
        masked = premask(doc, presenter)
    if task.content_hash and doc.verdict is not Verdict.ERROR:   # errors may depend on the machine: re-read
        settings.cache.put(RESULTS, task.content_hash, doc_to_data(masked))
    return (strip(doc) if settings.raw else masked), []


def _from_cache(cache: Cache, task: Task) -> tuple[DocumentResult | None, list[str]]:
    data, warning = cache.get(RESULTS, task.content_hash)
    if data is None:
        return None, [warning] if warning else []
    try:
        doc = doc_from_data(data, str(task.path))
    except (KeyError, TypeError, ValueError):
        return None, [f"缓存条目已损坏，已重新审查并重建：{task.path}"]
    logger.debug("缓存命中，未重读：%s", task.path)
    return doc, []


def make_task(path: Path, settings: RunSettings) -> Task:
    cache = settings.cache
    if cache is None:
        return Task(path, None, False)
    try:
        content_hash = file_digest(path)
    except OSError:
        return Task(path, None, False)   # the checker says why the file cannot be read
    return Task(path, content_hash, not settings.raw and cache.has(RESULTS, content_hash))


def check_one(path: Path, state: tuple) -> tuple[DocumentResult, list[str]]:
    """One file, checked elsewhere (a Dask worker) as a local run checks it: from the cache when it
    holds these bytes, else read and checked. `state` = (checker, presenter, settings)."""
    task = make_task(path, state[2])
    if task.cached:
        doc, warnings = _from_cache(state[2].cache, task)
        if doc is not None:
            return doc, warnings
    return check_file(task, state)


class Pool:
    """`with Pool(...) as pool: pool.results()`: each file's result, in the order given.

    Files the cache holds are answered here, without building a checker; the others are checked on
    one core, or by forked workers sharing the checker built once in this process."""

    def __init__(self, make_checker, presenter: Presenter, settings: RunSettings, files: Sequence[Path]):
        self.make_checker, self.presenter, self.settings, self.files = make_checker, presenter, settings, files
        self.tasks: list[Task] = []
        self.pool = None

    def _ensure_checker(self) -> None:
        global _WORKER
        if _WORKER is None or _WORKER[2] is not self.settings:
            _WORKER = (self.make_checker(), self.presenter, self.settings)

    def __enter__(self) -> Pool:
        self.tasks = [make_task(path, self.settings) for path in self.files]
        misses = sum(1 for task in self.tasks if not task.cached)
        if misses:
            self._ensure_checker()
        jobs = max(1, min(self.settings.jobs, misses))
        if jobs > 1:
            # Ctrl-C is the parent's to handle: workers ignore it and are terminated on the way out.
            self.pool = multiprocessing.get_context("fork").Pool(
                jobs, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
            self.jobs = jobs
        return self

    def __exit__(self, *exc) -> None:
        global _WORKER
        if self.pool is not None:
            self.pool.terminate() if exc[0] else self.pool.close()
            self.pool.join()
        _WORKER = None

    def results(self) -> Iterator[tuple[DocumentResult, list[str]]]:
        misses = [task for task in self.tasks if not task.cached]
        if self.pool is None:
            checked = map(check_file, misses)
        else:
            checked = self.pool.imap(check_file, misses, chunksize=max(1, min(8, len(misses) // (self.jobs * 16))))
        for task in self.tasks:
            if not task.cached:
                yield next(checked)
                continue
            doc, warnings = _from_cache(self.settings.cache, task)
            if doc is None:                     # vanished or corrupt since the lookup: check it here
                self._ensure_checker()
                doc, more = check_file(task)
                warnings += more
            yield doc, warnings


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
