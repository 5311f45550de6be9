"""`--format sarif`: SARIF 2.1.0 for CI platforms (code scanning, merge-request widgets).

One rule per rule id (the Chinese reason is its help text); one result per finding with the file's
URI relative to the repository root, the line and column where the reader knows them (text, HTML),
a logical location for cells, comments and properties, the finding's fingerprint as
`partialFingerprints`, and for approved or legacy findings a `suppressions` entry (kind external).
Results are written as documents arrive; the rules, known only at the end, follow them in the run
object (JSON objects are unordered).
"""

from __future__ import annotations

import json
from typing import TextIO

from prepub_review import __version__
from prepub_review.act.present import Presenter
from prepub_review.models import Finding, Severity, Zone
from prepub_review.site.approvals import LEGACY, Approval
from prepub_review.site.gate import RunSummary, SiteDocument

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_NAME = "prepubFinding/v1"
LEVELS = {Severity.BLOCK: "error", Severity.REVIEW: "warning", Severity.INFO: "note"}
UNREADABLE_RULE = "E1"
LOGICAL_KINDS = {Zone.TABLE: "element", Zone.PROPERTY: "property", Zone.COMMENT: "text",
                 Zone.REVISION: "text", Zone.HIDDEN: "element", Zone.HEADER: "text", Zone.NOTE: "text",
                 Zone.SCRIPT: "value"}


class SarifReporter:
    def __init__(self, stream: TextIO, presenter: Presenter):
        self.stream, self.presenter = stream, presenter
        self.rules: dict[str, dict] = {}
        self.rule_numbers: dict[str, int] = {}
        self.count = 0
        self.notifications: list[dict] = []
        self.uris: dict[str, str] = {}    # document path -> its URI in this report
        stream.write('{\n  "$schema": "%s",\n  "version": "2.1.0",\n  "runs": [\n    {\n      "results": ['
                     % SCHEMA_URI)

    def _rule_index(self, rule_id: str, label: str, reason: str, level: str) -> int:
        if rule_id not in self.rules:
            self.rule_numbers[rule_id] = len(self.rules)
            self.rules[rule_id] = {
                "id": rule_id, "name": label,
                "shortDescription": {"text": label}, "fullDescription": {"text": reason},
                "help": {"text": reason}, "defaultConfiguration": {"level": level},
            }
        return self.rule_numbers[rule_id]

    def _write(self, result: dict) -> None:
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        self.stream.write(("," if self.count else "") + "\n        " + text)
        self.count += 1

    def document(self, site_doc: SiteDocument) -> None:
        doc = site_doc.doc
        self.uris[doc.path] = site_doc.relative_path
        publishers = f"（由网页 {'、'.join(site_doc.linked_from)} 发布）" if site_doc.linked_from else ""
        related = [{"id": n, "physicalLocation": {"artifactLocation": {"uri": page}},
                    "message": {"text": "发布此文件的网页"}}
                   for n, page in enumerate(site_doc.linked_from)]
        if doc.error:
            level = "error"
            result = {"ruleId": UNREADABLE_RULE,
                      "ruleIndex": self._rule_index(UNREADABLE_RULE, "无法审查", "文件无法读取或审查，不能视为通过", level),
                      "level": level, "message": {"text": f"无法审查：{doc.error}{publishers}"},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": site_doc.relative_path}}}]}
            if related:
                result["relatedLocations"] = related
            self._write(result)
            self.notifications.append({"level": "error", "message": {"text": f"{site_doc.relative_path}：{doc.error}"}})
            return
        for index, finding in enumerate(doc.findings):
            self._write(self._result(site_doc, finding, site_doc.approvals.get(index), publishers, related))

    def _result(self, site_doc: SiteDocument, finding: Finding, approval: Approval | None, publishers: str,
                related: list[dict]) -> dict:
        result = self._result_for(site_doc.relative_path, finding, publishers, related)
        if approval is not None:
            result["suppressions"] = [{
                "kind": "external",
                "status": "underReview" if approval.status == LEGACY else "accepted",
                "justification": approval.describe(),
            }]
        return result

    def _result_for(self, uri: str, finding: Finding, publishers: str, related: list[dict]) -> dict:
        level = LEVELS[finding.severity]
        value = self.presenter.value(finding)
        text = f"{finding.label}{' ' + value if value else ''}：{finding.reason}（{finding.location}）{publishers}"
        result = {
            "ruleId": finding.rule_id,
            "ruleIndex": self._rule_index(finding.rule_id, finding.label, finding.reason, level),
            "level": level,
            "message": {"text": text},
            "locations": [self._location(uri, finding)],
            "partialFingerprints": {FINGERPRINT_NAME: finding.fingerprint},
            "properties": {"entity": finding.entity, "label": finding.label, "maskedValue": value,
                           "severity": finding.severity.value, "location": finding.location,
                           "masked": not self.presenter.reveal},
        }
        if related:
            result["relatedLocations"] = related
        return result

    def _location(self, uri: str, finding: Finding) -> dict:
        physical: dict = {"artifactLocation": {"uri": uri}}
        locator = finding.locator
        if locator is not None and locator.line:
            region = {"startLine": locator.line}
            if locator.column:
                region["startColumn"] = locator.column
            physical["region"] = region
        logical = {"name": finding.location, "fullyQualifiedName": f"{uri} {finding.location}",
                   "kind": LOGICAL_KINDS.get(finding.zone, "text")}
        return {"physicalLocation": physical, "logicalLocations": [logical]}

    def _linkage(self, summary: RunSummary) -> None:
        """One result per place of each cross-document link, the other places as related locations."""
        from prepub_review.act.report_linkage import linkage_places
        from prepub_review.fingerprint import fingerprint

        for item, path, finding in linkage_places(summary.linkage, self.presenter):
            uri = self.uris.get(path, path)
            result = self._result_for(uri, finding, "", [
                {"id": n, "physicalLocation": {"artifactLocation": {"uri": self.uris.get(p.path, p.path)}},
                 "message": {"text": p.location}}
                for n, p in enumerate(place for place in item.places if place.path != path or
                                      place.location != finding.location)])
            places = "|".join(sorted(f"{p.path} {p.location}" for p in item.places))
            result["partialFingerprints"] = {FINGERPRINT_NAME: fingerprint(
                self.presenter.policy.fingerprint_key, item.kind, item.union or "".join(item.shown), None, places, "")}
            self._write(result)

    def finish(self, summary: RunSummary) -> None:
        if summary.linkage is not None:
            self._linkage(summary)
        driver = {"name": "prepub", "version": __version__, "semanticVersion": __version__,
                  "rules": list(self.rules.values())}
        invocation = {"executionSuccessful": not self.notifications,
                      "toolExecutionNotifications": self.notifications}
        self.stream.write("\n      ]" if self.count else "]")
        self.stream.write(',\n      "tool": ' + json.dumps({"driver": driver}, ensure_ascii=False))
        self.stream.write(',\n      "invocations": ' + json.dumps([invocation], ensure_ascii=False))
        self.stream.write(',\n      "properties": ' + json.dumps({
            "approved": summary.approved, "legacy": len(summary.legacy), "staleApprovals": len(summary.stale),
            "verdicts": {v.value: n for v, n in summary.verdicts.items()}}, ensure_ascii=False))
        self.stream.write("\n    }\n  ]\n}\n")
