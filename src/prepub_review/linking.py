"""Wires cross-document linkage into a run (like pipeline.py for one document).

    linkage = SiteLinkage(checker.rules, checker.policy).observe(checker)   # the Checker's observer
    for path in files: results.append(checker.check_file(path))
    report = linkage.apply(results)         # links, adds the findings to the documents involved

`prepub check` (site/runner, cli/check.py) builds it with `keep_indexes=False`: each document's index
then travels as JSON on its result (`DocumentResult.observed["linkage"]`), from a forked worker, a
Dask worker or the cache, and `link(indexes)` links them at the end of the run. Cached indexes hold
keyed hashes, so a cache must use a persistent key (`key=`; the check cache keeps one of its own).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

from prepub_review.act.present import Presenter
from prepub_review.act.redact.visible import strictest_allowance
from prepub_review.decide.linkage import LinkReport, link, link_findings
from prepub_review.decide.linkage_index import IndexCollector, LinkIndex, keyed_hasher
from prepub_review.decide.linkage_rules import LinkRules
from prepub_review.decide.policy import verdict_of
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.models import DocumentResult, Finding


class SiteLinkage:
    def __init__(self, rules, policy, key: bytes | None = None, keep_indexes: bool = True):
        """`rules`: the RulesSource; `policy`: the Policy that judges the linkage findings."""
        self.policy = policy
        self.rules = LinkRules.load(rules)
        # Without a cache the hashes live for one run only: a fresh random key is enough.
        self.key = key if key is not None else secrets.token_bytes(32)
        self.collector = IndexCollector(self.rules, keyed_hasher(self.key), keep=keep_indexes,
                                        renamed=Presenter(policy).renamed)
        self.allowance = strictest_allowance(rules, policy)
        self._rules_source = rules
        self._id_recognizer: CnIdCardRecognizer | None = None

    def observe(self, checker) -> SiteLinkage:
        """Install the index collector as `checker`'s observer (and check combined IDs with its
        ID recognizer: building another reads the ID rules again, a run's largest fixed cost here)."""
        checker.observer = self.collector
        self._id_recognizer = next((r for r in checker.engine.recognizers if isinstance(r, CnIdCardRecognizer)),
                                   self._id_recognizer)
        return self

    def id_valid(self, number: str) -> bool:
        """Whether a complete ID combined from masked forms passes the check (region, date, check digit)."""
        if self._id_recognizer is None:
            self._id_recognizer = CnIdCardRecognizer(self._rules_source)
        return self._id_recognizer.validate_result(number)

    def link(self, indexes: Iterable[LinkIndex]) -> LinkReport:
        return link(indexes, self.rules, self.allowance, self.id_valid)

    def indexes(self) -> list[LinkIndex]:
        return list(self.collector.indexes)

    def run(self, cached: Iterable[LinkIndex] = ()) -> tuple[LinkReport, dict[str, list[Finding]]]:
        """Links this run's indexes with `cached` ones (unchanged files not re-read); the findings
        per document path."""
        fresh = {index.path for index in self.collector.indexes}
        indexes = self.collector.indexes + [index for index in cached if index.path not in fresh]
        report = self.link(indexes)
        return report, link_findings(report, self.policy)

    def apply(self, results: Sequence[DocumentResult], cached: Iterable[LinkIndex] = ()) -> LinkReport:
        """`run`, then adds each document's linkage findings to it and updates its verdict."""
        report, per_path = self.run(cached)
        for doc in results:
            if doc.error is None and doc.path in per_path:
                doc.findings.extend(per_path[doc.path])
                doc.verdict = verdict_of(doc.findings)
        return report


def linked_for_document(linkage: SiteLinkage, checker, path: Path, others: Iterable[Path]) -> list[Finding]:
    """The linkage findings of one already-checked document against `others` (checked here for
    their indexes only; `prepub review --site`)."""
    own = Path(path).resolve()
    for other in others:
        if Path(other).resolve() != own:
            checker.check_file(other)
    _, per_path = linkage.run()
    return per_path.get(str(path), [])
