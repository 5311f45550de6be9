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
from prepub_review.models import DocumentResult, Finding, Locator, Severity, Verdict, Zone
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
    findings = [dataclasses.replace(f, text=presenter.value(f), context=presenter.context(f), attrs={},
                                    anchor=None) for f in doc.findings]
    return dataclasses.replace(doc, findings=findings)


def strip(doc: DocumentResult) -> DocumentResult:
    """Only plain data crosses a process boundary (no reader anchors, no recognizer extras)."""
    return dataclasses.replace(doc, findings=[dataclasses.replace(f, attrs={}, anchor=None) for f in doc.findings])


# --- plain data for the cache --------------------------------------------------------------------

def doc_to_data(doc: DocumentResult) -> dict:
    return {"format": doc.format, "verdict": doc.verdict.value, "segments_read": doc.segments_read,
            "characters_read": doc.characters_read, "findings": [_finding_to_data(f) for f in doc.findings]}


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
                          findings=findings)


# --- the run ---------------------------------------------------------------------------------------

_WORKER: tuple | None = None   # (checker, presenter, settings): set before forking, inherited


def check_one(path: Path, state: tuple | None = None) -> tuple[DocumentResult, list[str]]:
    """One file's result (masked unless raw) and any cache warnings. `state` = (checker, presenter,
    settings); by default the one set before forking (a cluster worker passes its own)."""
    checker, presenter, settings = state or _WORKER
    cache, warnings, content_hash = settings.cache, [], None
    if cache is not None:
        try:
            content_hash = file_digest(path)
        except OSError:
            content_hash = None   # the checker reports why the file cannot be read
    if content_hash and not settings.raw:
        data, warning = cache.get(RESULTS, content_hash)
        if warning:
            warnings.append(warning)
        if data is not None:
            try:
                doc = doc_from_data(data, str(path))
                logger.debug("缓存命中，未重读：%s", path)
                return doc, warnings
            except (KeyError, TypeError, ValueError):
                warnings.append(f"缓存条目已损坏，已重新审查并重建：{path}")
    doc = checker.check_file(path)
    masked = premask(doc, presenter)
    if content_hash and doc.verdict is not Verdict.ERROR:   # errors may depend on the machine: re-read
        cache.put(RESULTS, content_hash, doc_to_data(masked))
    return (strip(doc) if settings.raw else masked), warnings


class Pool:
    """`with Pool(...) as pool: pool.results(files)`: on one core, or forked workers sharing the
    checker built once in this process (fork copies it; nothing is rebuilt per worker)."""

    def __init__(self, checker, presenter: Presenter, settings: RunSettings, files: Sequence[Path]):
        self.state = (checker, presenter, settings)
        self.jobs = max(1, min(settings.jobs, len(files)))
        self.pool = None

    def __enter__(self) -> Pool:
        global _WORKER
        _WORKER = self.state
        if self.jobs > 1:
            # Ctrl-C is the parent's to handle: workers ignore it and are terminated on the way out.
            self.pool = multiprocessing.get_context("fork").Pool(
                self.jobs, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate() if exc[0] else self.pool.close()
            self.pool.join()

    def results(self, files: Sequence[Path]) -> Iterator[tuple[DocumentResult, list[str]]]:
        if self.pool is None:
            return map(check_one, files)
        chunk = max(1, min(8, len(files) // (self.jobs * 16)))
        return self.pool.imap(check_one, files, chunksize=chunk)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
